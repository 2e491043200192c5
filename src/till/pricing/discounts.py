"""Which discount codes a cart may use, and what each takes off one unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from till.core.money import round_minor
from till.pricing.errors import (
    DiscountCodeExpired,
    DiscountNotApplicable,
    DiscountUsageLimitReached,
)
from till.pricing.inputs import FULL_PERCENTAGE, DiscountSpec


@dataclass(frozen=True)
class UnitDiscount:
    """One unit's price after a stack of codes.

    ``percent_bps`` sums the basis points of the percentage codes that were
    applied (``None`` when none was); ``cuts`` is what each code took off the
    unit, in the order applied.
    """

    unit_price: int
    percent_bps: int | None
    cuts: tuple[tuple[str, int], ...]


def accept_discounts(
    discounts: Sequence[DiscountSpec],
    product_ids: frozenset[str],
    moment: datetime,
) -> tuple[DiscountSpec, ...]:
    """The codes to apply, in the buyer's order; refuses the first unusable one.

    A code entered twice counts once: stacking a code on itself would give a
    discount the merchant never offered.
    """
    accepted: list[DiscountSpec] = []
    for index, discount in enumerate(discounts):
        field = f"discount_codes[{index}]"
        _refuse_outside_window(discount, moment, field)
        _refuse_when_used_up(discount, field)
        _refuse_when_not_for_cart(discount, product_ids, field)
        if all(d.discount_id != discount.discount_id for d in accepted):
            accepted.append(discount)
    return tuple(accepted)


def applies_to(discount: DiscountSpec, product_id: str) -> bool:
    return not discount.restricted_to or product_id in discount.restricted_to


def covers_cycle(discount: DiscountSpec, cycle: int | None) -> bool:
    """Whether the code still applies to billed cycle ``cycle`` (1 = first);
    ``None`` stands for a one-time purchase, which every code covers."""
    limit = discount.subscription_cycles
    return cycle is None or limit is None or cycle <= limit


def discount_unit(unit_price: int, discounts: Sequence[DiscountSpec]) -> UnitDiscount:
    remaining = unit_price
    percent_bps: int | None = None
    cuts: list[tuple[str, int]] = []
    for discount in discounts:
        cut = _cut(remaining, discount)
        remaining -= cut
        cuts.append((discount.discount_id, cut))
        if discount.type == "percentage":
            percent_bps = (percent_bps or 0) + discount.amount
    return UnitDiscount(remaining, percent_bps, tuple(cuts))


def _cut(remaining: int, discount: DiscountSpec) -> int:
    if discount.type == "flat":
        return min(discount.amount, remaining)
    share = Decimal(remaining * discount.amount) / FULL_PERCENTAGE
    return round_minor(share)


def _refuse_outside_window(
    discount: DiscountSpec, moment: datetime, field: str
) -> None:
    starts_at = as_utc(discount.starts_at)
    expires_at = as_utc(discount.expires_at)
    if starts_at is not None and moment < starts_at:
        raise DiscountCodeExpired(discount.code, "is not valid yet", field=field)
    if expires_at is not None and moment >= expires_at:
        raise DiscountCodeExpired(discount.code, "has expired", field=field)


def _refuse_when_used_up(discount: DiscountSpec, field: str) -> None:
    limit = discount.usage_limit
    if limit is not None and discount.times_used >= limit:
        reason = "has been used as often as allowed"
        raise DiscountUsageLimitReached(discount.code, reason, field=field)


def _refuse_when_not_for_cart(
    discount: DiscountSpec, product_ids: frozenset[str], field: str
) -> None:
    if discount.restricted_to and not discount.restricted_to & product_ids:
        reason = "does not apply to any product in the cart"
        raise DiscountNotApplicable(discount.code, reason, field=field)


def as_utc(moment: datetime | None) -> datetime | None:
    """``moment`` made timezone-aware; a naive value is taken as UTC, which is
    how SQLite hands back the timestamps Till stored in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
