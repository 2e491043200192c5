"""Why a checkout session cannot be created, read or changed.

::

    NotFound (404)
     ├── SessionNotFound          no such session for this merchant and mode
     ├── CartProductNotFound      product_cart[i].product_id is not the caller's
     └── CartCustomerNotFound     customer.customer_id is not the caller's
    Conflict (409)
     ├── SessionExpired           the session's time is up, or it was ended
     └── SessionCompleted         the session was paid already
    FieldInvalid (422)
     └── MissingForConfirm        ``confirm: true`` without a detail needed to pay
"""

from __future__ import annotations

from till.core.errors import Conflict, FieldInvalid, NotFound


class SessionNotFound(NotFound):
    def __init__(self, session_id: str) -> None:
        super().__init__("checkout session", session_id)


class CartProductNotFound(NotFound):
    code = "PRODUCT_NOT_FOUND"

    def __init__(self, index: int, product_id: str) -> None:
        super().__init__("product", product_id)
        self.field = f"product_cart[{index}].product_id"


class CartCustomerNotFound(NotFound):
    code = "CUSTOMER_NOT_FOUND"

    def __init__(self, customer_id: str) -> None:
        super().__init__("customer", customer_id)
        self.field = "customer.customer_id"


class SessionExpired(Conflict):
    code = "SESSION_EXPIRED"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"Checkout session {session_id!r} has expired.")
        self.session_id = session_id


class SessionCompleted(Conflict):
    code = "SESSION_ALREADY_COMPLETED"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"Checkout session {session_id!r} is already paid.")
        self.session_id = session_id


class MissingForConfirm(FieldInvalid):
    code = "MISSING_FOR_CONFIRM"

    def __init__(self, field: str, what: str) -> None:
        super().__init__(field, f"{what} is required when confirm is true")
