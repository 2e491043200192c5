"""Why a payment or a pay attempt was refused.

::

    TillError
     ├── NotFound
     │    └── PaymentNotFound              404
     ├── Conflict
     │    └── PaymentInProgress            409  another attempt holds the session
     ├── TooManyRequests
     │    └── TooManyPayAttempts           429  card-testing limit reached
     └── InvalidRequest
          └── UnsupportedFilter            422  a list filter Till cannot apply

A declined card is not an error: ``pay_session`` returns a failed attempt the
buyer can act on. Session states (expired, completed) raise the checkout
domain's own errors.
"""

from __future__ import annotations

from till.core.errors import Conflict, FieldInvalid, NotFound, TooManyRequests


class PaymentNotFound(NotFound):
    def __init__(self, payment_id: str) -> None:
        super().__init__("payment", payment_id)


class PaymentInProgress(Conflict):
    code = "PAYMENT_IN_PROGRESS"

    def __init__(self, session_id: str) -> None:
        super().__init__(
            f"A payment for checkout session {session_id!r} is already in "
            "progress; wait for it to finish."
        )
        self.session_id = session_id


class TooManyPayAttempts(TooManyRequests):
    code = "TOO_MANY_PAY_ATTEMPTS"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"Too many payment attempts {reason}. For your security, paying is "
            "paused; try again later or contact the seller."
        )


class UnsupportedFilter(FieldInvalid):
    code = "UNSUPPORTED_FILTER"

    def __init__(self, field: str) -> None:
        super().__init__(field, "filtering by this field is not supported")
