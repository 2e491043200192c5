from __future__ import annotations

from till.core.errors import Conflict, NotFound


class CustomerNotFound(NotFound):
    def __init__(self, customer_id: str) -> None:
        super().__init__("customer", customer_id)


class CustomerEmailTaken(Conflict):
    code = "CUSTOMER_EMAIL_EXISTS"

    def __init__(self, email: str) -> None:
        super().__init__(f"A customer with email {email!r} exists.", field="email")
