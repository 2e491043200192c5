"""Why a cart cannot be priced.

::

    FieldInvalid (422)
     ├── CartSizeInvalid          product_cart has no line, or too many
     ├── MixedCurrencies          product_cart[i] is priced in another currency
     ├── QuantityInvalid          product_cart[i].quantity is below 1
     ├── AmountNotAllowed         product_cart[i].amount on a fixed price
     ├── AmountBelowMinimum       product_cart[i].amount under the minimum
     ├── AmountTooLarge           a price, line or total above MAX_AMOUNT
     ├── UnsupportedCountry       billing_address.country Till does not sell to
     ├── UnknownState             billing_address.state not in that country
     └── InvalidTaxId             tax_id fails its checksum (raised by callers)
    InvalidRequest (400)
     └── DiscountRefused          discount_codes[i] cannot be used
          ├── InvalidDiscountCode        no such code (raised by callers)
          ├── DiscountCodeExpired        not started yet, or already over
          ├── DiscountUsageLimitReached  used as often as allowed
          └── DiscountNotApplicable      restricted to products not in the cart

The buyer can fix every one of these by changing the request.
"""

from __future__ import annotations

from till.core.errors import FieldInvalid, InvalidRequest


class CartSizeInvalid(FieldInvalid):
    code = "INVALID_PRODUCT_CART"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__("product_cart", f"must hold 1 to {limit} lines, not {size}")


class MixedCurrencies(FieldInvalid):
    code = "MIXED_CURRENCIES"

    def __init__(self, index: int, currency: str, expected: str) -> None:
        reason = f"priced in {currency}, but the cart is priced in {expected}"
        super().__init__(f"product_cart[{index}]", reason)


class QuantityInvalid(FieldInvalid):
    code = "INVALID_QUANTITY"

    def __init__(self, index: int, quantity: int) -> None:
        reason = f"quantity must be at least 1, not {quantity}"
        super().__init__(f"product_cart[{index}].quantity", reason)


class AmountNotAllowed(FieldInvalid):
    code = "AMOUNT_NOT_ALLOWED"

    def __init__(self, index: int) -> None:
        reason = "only a pay-what-you-want product takes a chosen amount"
        super().__init__(f"product_cart[{index}].amount", reason)


class AmountBelowMinimum(FieldInvalid):
    code = "AMOUNT_BELOW_MINIMUM"

    def __init__(self, index: int, amount: int, minimum: int) -> None:
        reason = f"{amount} is below the minimum price {minimum}"
        super().__init__(f"product_cart[{index}].amount", reason)


class AmountTooLarge(FieldInvalid):
    code = "AMOUNT_TOO_LARGE"

    def __init__(self, field: str, amount: int, limit: int) -> None:
        super().__init__(field, f"{amount} exceeds the largest amount, {limit}")


class UnsupportedCountry(FieldInvalid):
    code = "UNSUPPORTED_COUNTRY"

    def __init__(self, country: str) -> None:
        reason = f"Till does not sell to {country!r}"
        super().__init__("billing_address.country", reason)


class UnknownState(FieldInvalid):
    code = "INVALID_STATE"

    def __init__(self, country: str, state: str) -> None:
        reason = f"{state!r} is not a state or province of {country}"
        super().__init__("billing_address.state", reason)


class InvalidTaxId(FieldInvalid):
    code = "INVALID_TAX_ID"

    def __init__(self, reason: str) -> None:
        super().__init__("tax_id", reason)


class DiscountRefused(InvalidRequest):
    """A discount code that exists but cannot be used on this cart now."""

    def __init__(self, discount_code: str, reason: str, *, field: str) -> None:
        super().__init__(f"Discount code {discount_code!r} {reason}.", field=field)
        self.discount_code = discount_code


class InvalidDiscountCode(DiscountRefused):
    code = "INVALID_DISCOUNT_CODE"

    def __init__(self, discount_code: str, *, field: str = "discount_code") -> None:
        super().__init__(discount_code, "does not exist", field=field)


class DiscountCodeExpired(DiscountRefused):
    code = "DISCOUNT_CODE_EXPIRED"


class DiscountUsageLimitReached(DiscountRefused):
    code = "DISCOUNT_CODE_USAGE_LIMIT_EXCEEDED"


class DiscountNotApplicable(DiscountRefused):
    code = "DISCOUNT_NOT_AVAILABLE_FOR_PRODUCT"
