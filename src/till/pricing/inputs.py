"""What the caller reads from the database and hands to :func:`build_quote`.

These are plain values, not rows: pricing never touches the database, so the
checkout service loads products and discounts, fills these, and passes them
in. The checks in ``__post_init__`` catch catalogue data that should never
have been stored; they raise ``ValueError`` because a buyer cannot fix them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from till.core.money import MAX_AMOUNT

TaxCategory = Literal["digital_products", "saas", "e_book", "edtech", "live_tutoring"]
Interval = Literal["Day", "Week", "Month", "Year"]
DiscountType = Literal["percentage", "flat"]

TAX_CATEGORIES: frozenset[str] = frozenset(get_args(TaxCategory))
INTERVALS: frozenset[str] = frozenset(get_args(Interval))

# A percentage discount is stored in basis points; 10 000 takes the whole price.
FULL_PERCENTAGE = 10_000


@dataclass(frozen=True)
class PriceSpec:
    """One product's price as the catalogue holds it.

    ``unit_price`` is in minor units of ``currency``; for a pay-what-you-want
    product it is the minimum the buyer may choose. The ``payment_frequency``,
    ``subscription_period`` and ``trial_period_days`` fields matter only when
    ``is_subscription`` is true.
    """

    product_id: str
    name: str
    currency: str
    unit_price: int
    tax_category: TaxCategory
    tax_inclusive: bool = False
    pay_what_you_want: bool = False
    is_subscription: bool = False
    payment_frequency_count: int = 1
    payment_frequency_interval: Interval = "Month"
    subscription_period_count: int = 1
    subscription_period_interval: Interval = "Year"
    trial_period_days: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.unit_price <= MAX_AMOUNT:
            raise ValueError(f"unit_price out of range: {self.unit_price}")
        if self.tax_category not in TAX_CATEGORIES:
            raise ValueError(f"unknown tax_category {self.tax_category!r}")
        intervals = {self.payment_frequency_interval, self.subscription_period_interval}
        if not intervals <= INTERVALS:
            raise ValueError(f"unknown interval in {sorted(intervals)}")
        if self.payment_frequency_count < 1 or self.trial_period_days < 0:
            raise ValueError("billing frequency must be >= 1 and trial >= 0")


@dataclass(frozen=True)
class CartLine:
    """A product in the cart; ``amount`` is the buyer's price for a
    pay-what-you-want product (``None`` means the minimum)."""

    price: PriceSpec
    quantity: int
    amount: int | None = None


@dataclass(frozen=True)
class DiscountSpec:
    """A discount code the caller has already looked up by its text.

    ``amount`` is basis points for ``percentage`` and minor units of the cart
    currency for ``flat``. An empty ``restricted_to`` means every product.
    ``subscription_cycles`` limits how many billed cycles of a subscription
    get the discount; ``None`` means all of them.
    """

    discount_id: str
    code: str
    type: DiscountType
    amount: int
    restricted_to: frozenset[str] = field(default_factory=frozenset)
    subscription_cycles: int | None = None
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    usage_limit: int | None = None
    times_used: int = 0

    def __post_init__(self) -> None:
        if self.type not in ("percentage", "flat"):
            raise ValueError(f"unknown discount type {self.type!r}")
        ceiling = FULL_PERCENTAGE if self.type == "percentage" else MAX_AMOUNT
        if not 0 <= self.amount <= ceiling:
            raise ValueError(f"discount amount out of range: {self.amount}")
        if self.subscription_cycles is not None and self.subscription_cycles < 1:
            raise ValueError("subscription_cycles must be None or >= 1")


@dataclass(frozen=True)
class BillingLocation:
    """Where the buyer is billed: it decides which tax applies.

    ``state`` matters for countries where tax differs by state or province
    (see :func:`till.pricing.countries.country_needs_state`); ``zipcode`` is
    carried for tax providers that price by locality.
    """

    country: str
    state: str | None = None
    zipcode: str | None = None
