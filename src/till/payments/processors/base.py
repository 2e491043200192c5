"""The protocol every payment processor adapter implements.

A payment goes through an adapter at four moments, one method each: the
buyer pays (:meth:`PaymentProcessor.charge`), the buyer finishes a challenge
such as 3-D Secure (:meth:`~PaymentProcessor.complete_action`), a renewal
charges a card saved earlier (:meth:`~PaymentProcessor.charge_saved_method`),
and the merchant refunds (:meth:`~PaymentProcessor.refund`).

Adapters keep "try again" apart from "the buyer must change something". A
card the buyer can do something about comes back as a failed outcome with a
:class:`FailureCode`; a processor that answered "try again" sets
``retryable``; a processor that did not answer raises
:class:`ProcessorUnavailable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from till.payments.processors.cards import CardInput, CardSummary
from till.payments.processors.codes import FailureCode


class ChargeStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REQUIRES_CUSTOMER_ACTION = "requires_customer_action"


class RefundStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class ChargeRequest:
    """One pay attempt: who pays how much, with which card.

    ``amount`` is in minor units of ``currency``. ``action_return_url`` is where
    a 3-D Secure challenge sends the buyer back when it is over. With
    ``save_method`` a successful outcome carries a ``method_token`` for later
    charges; ``force_3ds`` asks for a challenge even where none is needed.
    """

    payment_id: str
    amount: int
    currency: str
    card: CardInput
    action_return_url: str
    force_3ds: bool = False
    save_method: bool = False


@dataclass(frozen=True)
class ChargeOutcome:
    """What became of a charge. Never holds the card number or the CVC."""

    status: ChargeStatus
    processor_ref: str
    card: CardSummary | None = None
    error_code: FailureCode | None = None
    error_message: str | None = None
    action_token: str | None = None
    action_url: str | None = None
    method_token: str | None = None
    retryable: bool = False

    def __post_init__(self) -> None:
        # Catch an adapter building a contradictory outcome where it does so,
        # not later in the checkout service.
        failed = self.status is ChargeStatus.FAILED
        if failed != (self.error_code is not None):
            raise ValueError("error_code is set exactly when the charge failed")
        if self.retryable and not failed:
            raise ValueError("only a failed charge can be retryable")
        awaiting = self.status is ChargeStatus.REQUIRES_CUSTOMER_ACTION
        if awaiting != (self.action_token is not None and self.action_url is not None):
            raise ValueError("action_token and action_url come with a customer action")

    @classmethod
    def succeeded(
        cls,
        processor_ref: str,
        card: CardSummary | None,
        method_token: str | None = None,
    ) -> ChargeOutcome:
        return cls(
            ChargeStatus.SUCCEEDED, processor_ref, card, method_token=method_token
        )

    @classmethod
    def failed(
        cls, processor_ref: str, code: FailureCode, card: CardSummary | None = None
    ) -> ChargeOutcome:
        return cls(
            ChargeStatus.FAILED,
            processor_ref,
            card,
            error_code=code,
            error_message=code.message,
            retryable=code.retryable,
        )

    @classmethod
    def requires_action(
        cls,
        processor_ref: str,
        card: CardSummary | None,
        action_token: str,
        action_url: str,
    ) -> ChargeOutcome:
        return cls(
            ChargeStatus.REQUIRES_CUSTOMER_ACTION,
            processor_ref,
            card,
            action_token=action_token,
            action_url=action_url,
        )


@dataclass(frozen=True)
class RefundOutcome:
    status: RefundStatus
    processor_ref: str
    error_code: str | None = None
    error_message: str | None = None


class PaymentProcessor(Protocol):
    """A card processor, seen from the payments service."""

    async def charge(self, request: ChargeRequest) -> ChargeOutcome:
        """Charge a card the buyer has just typed in.

        Called once per pay attempt on a checkout session. Each attempt has
        its own ``payment_id``; trying again after a failure is a new attempt.

        Returns a succeeded outcome (with a ``method_token`` when
        ``request.save_method``), a failed one with a code (input the buyer
        must correct, such as a number that fails the Luhn check, counts as a
        failure, not an error), or ``requires_customer_action`` with an
        ``action_url`` to send the buyer to and an ``action_token`` to hand
        to :meth:`complete_action` afterwards.

        Raises :class:`FieldInvalid` for a negative amount or a malformed
        currency (a caller's mistake, not the buyer's) and
        :class:`ProcessorUnavailable` when the processor cannot be reached.
        """
        ...

    async def complete_action(self, action_token: str, approved: bool) -> ChargeOutcome:
        """Finish a charge that was waiting for the buyer.

        Called when the buyer comes back from a customer action such as a 3-D
        Secure challenge, with the token from the ``requires_customer_action``
        outcome and whether the buyer passed it.

        Returns the charge's final outcome under the same ``processor_ref``:
        succeeded, or failed (``authentication_failed`` when not approved).
        Guarding against a token being completed twice is the caller's job:
        the payment's status transition decides which completion counts.

        Raises :class:`InvalidActionToken` for a token this processor did not
        issue, :class:`ActionTokenExpired` for one left open too long, and
        :class:`ProcessorUnavailable` when the processor cannot be reached.
        """
        ...

    async def charge_saved_method(
        self, method_token: str, amount: int, currency: str, payment_id: str
    ) -> ChargeOutcome:
        """Charge a card saved by an earlier charge, with no buyer present.

        Called by subscription renewals (and their retries) with the
        ``method_token`` of an earlier succeeded outcome.

        Returns a succeeded or failed outcome; never asks for a customer
        action, since nobody is there to answer it. A card that has expired
        since it was saved fails with ``expired_card``.

        Raises :class:`InvalidMethodToken` for a token this processor did not
        issue, :class:`FieldInvalid` for a negative amount or malformed
        currency, and :class:`ProcessorUnavailable` when the processor cannot
        be reached.
        """
        ...

    async def refund(
        self, processor_payment_ref: str, amount: int, currency: str
    ) -> RefundOutcome:
        """Give back all or part of a succeeded charge.

        Called when a merchant refunds a payment, with the charge's
        ``processor_ref``; the payments service has already checked that the
        amount does not exceed what remains refundable.

        Returns a succeeded refund with its own ``processor_ref``, or a failed
        one with a code.

        Raises :class:`FieldInvalid` for an amount that is not positive or a
        reference this processor never issued, and
        :class:`ProcessorUnavailable` when the processor cannot be reached.
        """
        ...
