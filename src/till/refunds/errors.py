"""Why a refund was refused.

::

    NotFound  (404) RefundNotFound
    Conflict  (409) PaymentNotRefundable   the payment did not succeed, or
                                           nothing is left to give back
"""

from __future__ import annotations

from till.core.errors import Conflict, NotFound


class RefundNotFound(NotFound):
    def __init__(self, refund_id: str) -> None:
        super().__init__("refund", refund_id)


class PaymentNotRefundable(Conflict):
    code = "PAYMENT_NOT_REFUNDABLE"

    def __init__(self, payment_id: str, reason: str) -> None:
        super().__init__(
            f"Payment {payment_id!r} cannot be refunded: {reason}.", field="payment_id"
        )
