"""The stable codes a processor reports when a charge fails.

Every adapter translates its own vocabulary into these, so the checkout
service, the hosted page and the merchant's webhooks see one set of codes
whichever processor took the payment.
"""

from __future__ import annotations

from enum import StrEnum


class FailureCode(StrEnum):
    # The buyer must change something: another card, or correct input.
    CARD_DECLINED = "card_declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    EXPIRED_CARD = "expired_card"
    INCORRECT_CVC = "incorrect_cvc"
    AUTHENTICATION_FAILED = "authentication_failed"
    INVALID_CARD_NUMBER = "invalid_card_number"
    INVALID_EXPIRY_MONTH = "invalid_expiry_month"
    INVALID_CVC = "invalid_cvc"
    # The same card may go through if the buyer simply tries again.
    PROCESSING_ERROR = "processing_error"

    @property
    def message(self) -> str:
        """A sentence the hosted page can show the buyer as it is."""
        return _MESSAGES[self]

    @property
    def retryable(self) -> bool:
        return self in _RETRYABLE


_RETRYABLE = frozenset({FailureCode.PROCESSING_ERROR})

_MESSAGES: dict[FailureCode, str] = {
    FailureCode.CARD_DECLINED: "Your card was declined.",
    FailureCode.INSUFFICIENT_FUNDS: "Your card has insufficient funds.",
    FailureCode.EXPIRED_CARD: "Your card has expired.",
    FailureCode.INCORRECT_CVC: "Your card's security code is incorrect.",
    FailureCode.AUTHENTICATION_FAILED: (
        "We could not authenticate your card. Try again or use another card."
    ),
    FailureCode.INVALID_CARD_NUMBER: "Your card number is not valid.",
    FailureCode.INVALID_EXPIRY_MONTH: "Your card's expiry month is not valid.",
    FailureCode.INVALID_CVC: "Your card's security code is not valid.",
    FailureCode.PROCESSING_ERROR: (
        "An error occurred while processing your card. Try again in a moment."
    ),
}
