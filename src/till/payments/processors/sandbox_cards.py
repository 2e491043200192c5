"""The sandbox's test card numbers and what each one does.

:data:`TEST_CARDS` is the one source for the processor's behaviour, the
project documentation and the test-mode banner on the hosted checkout page.
Any Luhn-valid number that is not listed behaves like ``4242 4242 4242 4242``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from till.payments.processors.cards import CardBrand, normalise_number
from till.payments.processors.codes import FailureCode


class Behaviour(StrEnum):
    SUCCEED = "succeed"
    DECLINE = "decline"
    CHALLENGE = "challenge"
    CHALLENGE_THEN_DECLINE = "challenge_then_decline"
    DECLINE_SAVED_CHARGES = "decline_saved_charges"

    @property
    def challenges(self) -> bool:
        return self in (Behaviour.CHALLENGE, Behaviour.CHALLENGE_THEN_DECLINE)


@dataclass(frozen=True)
class SandboxCard:
    """One row of the test card table.

    ``number`` is grouped the way it is printed on the card; ``error_code`` is
    the code the card ends with, if it ends in a failure at all.
    """

    number: str
    brand: CardBrand
    behaviour: Behaviour
    error_code: FailureCode | None
    description: str

    @property
    def digits(self) -> str:
        return normalise_number(self.number)


_ROWS = (
    SandboxCard(
        "4242 4242 4242 4242",
        CardBrand.VISA,
        Behaviour.SUCCEED,
        None,
        "Succeeds.",
    ),
    SandboxCard(
        "5555 5555 5555 4444",
        CardBrand.MASTERCARD,
        Behaviour.SUCCEED,
        None,
        "Succeeds.",
    ),
    SandboxCard(
        "3782 822463 10005",
        CardBrand.AMEX,
        Behaviour.SUCCEED,
        None,
        "Succeeds. Takes a four-digit CVC.",
    ),
    SandboxCard(
        "4000 0000 0000 0002",
        CardBrand.VISA,
        Behaviour.DECLINE,
        FailureCode.CARD_DECLINED,
        "Declined, with no reason given.",
    ),
    SandboxCard(
        "4000 0000 0000 9995",
        CardBrand.VISA,
        Behaviour.DECLINE,
        FailureCode.INSUFFICIENT_FUNDS,
        "Declined for insufficient funds.",
    ),
    SandboxCard(
        "4000 0000 0000 0069",
        CardBrand.VISA,
        Behaviour.DECLINE,
        FailureCode.EXPIRED_CARD,
        "Declined as expired, whatever expiry date is typed.",
    ),
    SandboxCard(
        "4000 0000 0000 0127",
        CardBrand.VISA,
        Behaviour.DECLINE,
        FailureCode.INCORRECT_CVC,
        "Declined for an incorrect CVC, whatever CVC is typed.",
    ),
    SandboxCard(
        "4000 0000 0000 0119",
        CardBrand.VISA,
        Behaviour.DECLINE,
        FailureCode.PROCESSING_ERROR,
        "Fails with a processing error that is worth retrying (retryable).",
    ),
    SandboxCard(
        "4000 0025 0000 3155",
        CardBrand.VISA,
        Behaviour.CHALLENGE,
        None,
        "Asks for 3-D Secure. Approving succeeds; failing the challenge "
        "declines it with authentication_failed.",
    ),
    SandboxCard(
        "4000 0082 6000 3178",
        CardBrand.VISA,
        Behaviour.CHALLENGE_THEN_DECLINE,
        FailureCode.INSUFFICIENT_FUNDS,
        "Asks for 3-D Secure, then is declined for insufficient funds even "
        "after the challenge is approved.",
    ),
    SandboxCard(
        "4000 0000 0000 0341",
        CardBrand.VISA,
        Behaviour.DECLINE_SAVED_CHARGES,
        FailureCode.CARD_DECLINED,
        "Succeeds and can be saved, but every later charge of the saved card "
        "is declined: use it to test failed renewals.",
    ),
)

TEST_CARDS: Mapping[str, SandboxCard] = MappingProxyType(
    {row.digits: row for row in _ROWS}
)
"""Test cards by their digits (no spaces), in the order the docs list them."""


def find_test_card(digits: str) -> SandboxCard | None:
    return TEST_CARDS.get(digits)
