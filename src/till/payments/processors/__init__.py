"""Payment processor adapters and the protocol they share.

The payments service depends on :class:`PaymentProcessor` only; which adapter
stands behind it is a matter of configuration.
"""

from till.payments.processors.base import (
    ChargeOutcome,
    ChargeRequest,
    ChargeStatus,
    PaymentProcessor,
    RefundOutcome,
    RefundStatus,
)
from till.payments.processors.cards import CardBrand, CardInput, CardSummary
from till.payments.processors.codes import FailureCode
from till.payments.processors.errors import (
    ActionTokenExpired,
    InvalidActionToken,
    InvalidMethodToken,
    ProcessorUnavailable,
)
from till.payments.processors.sandbox import SandboxProcessor
from till.payments.processors.sandbox_cards import TEST_CARDS, SandboxCard

__all__ = [
    "TEST_CARDS",
    "ActionTokenExpired",
    "CardBrand",
    "CardInput",
    "CardSummary",
    "ChargeOutcome",
    "ChargeRequest",
    "ChargeStatus",
    "FailureCode",
    "InvalidActionToken",
    "InvalidMethodToken",
    "PaymentProcessor",
    "ProcessorUnavailable",
    "RefundOutcome",
    "RefundStatus",
    "SandboxCard",
    "SandboxProcessor",
]
