"""Why a discount cannot be created, changed or found.

The refusals a buyer meets at checkout (unknown, expired, used up, not for
these products) live in :mod:`till.pricing.errors`; these are the merchant's.
"""

from __future__ import annotations

from till.core.errors import Conflict, FieldInvalid, NotFound


class DiscountNotFound(NotFound):
    def __init__(self, discount_id: str) -> None:
        super().__init__("discount", discount_id)


class DiscountCodeNotFound(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__("discount with code", code)


class DiscountCodeTaken(Conflict):
    code = "DISCOUNT_CODE_EXISTS"

    def __init__(self, discount_code: str) -> None:
        super().__init__(
            f"A discount with code {discount_code!r} exists.", field="code"
        )


class RestrictedProductUnknown(FieldInvalid):
    code = "PRODUCT_NOT_FOUND"

    def __init__(self, index: int, product_id: str) -> None:
        reason = f"no product {product_id!r} in this account and mode"
        super().__init__(f"restricted_to[{index}]", reason)
