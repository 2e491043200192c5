"""From a session's cart to a quote, with the pure pricing function.

A session stores the :class:`~till.pricing.PriceSpec` of each line as it was
at creation, so re-pricing it (the hosted page's live totals, the charge)
uses the prices the buyer was offered even if the product changed since.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from till.catalog.models import Product
from till.checkout.models import CheckoutSession
from till.discounts.service import resolve_codes_for_merchant
from till.pricing import (
    BillingLocation,
    CartLine,
    DiscountSpec,
    PriceSpec,
    Quote,
    build_quote,
)


def price_spec(product: Product) -> PriceSpec:
    """The pricing view of a catalogue product."""
    price = product.price
    recurring = product.is_recurring
    return PriceSpec(
        product_id=product.id,
        name=product.name,
        currency=product.currency,
        unit_price=product.amount,
        tax_category=product.tax_category,  # type: ignore[arg-type]
        tax_inclusive=bool(price.get("tax_inclusive", False)),
        pay_what_you_want=bool(price.get("pay_what_you_want", False)),
        is_subscription=recurring,
        payment_frequency_count=int(price.get("payment_frequency_count", 1)),
        payment_frequency_interval=price.get("payment_frequency_interval", "Month"),
        subscription_period_count=int(price.get("subscription_period_count", 1)),
        subscription_period_interval=price.get("subscription_period_interval", "Year"),
        trial_period_days=int(price.get("trial_period_days", 0)) if recurring else 0,
    )


def spec_to_json(spec: PriceSpec) -> dict[str, Any]:
    return asdict(spec)


def spec_from_json(data: Mapping[str, Any]) -> PriceSpec:
    return PriceSpec(**data)


def location_for(address: Mapping[str, Any] | None, fallback: str) -> BillingLocation:
    """Where tax is due; without an address, the seller's own country.

    Known shortcoming: a session created without an address is priced as if
    the buyer lived in the merchant's country until the buyer gives one on
    the page. Guessing the country from the client's IP address would show a
    closer figure sooner, but needs a geolocation database Till does not ship.
    """
    if not address:
        return BillingLocation(fallback)
    return BillingLocation(
        address["country"], address.get("state"), address.get("zipcode")
    )


async def lookup_codes(
    db: AsyncSession,
    merchant_id: str,
    mode: str,
    codes: Sequence[str],
    currency: str,
) -> list[DiscountSpec]:
    """The discounts behind ``codes``, in order; no query for an empty list.

    ``currency`` is the cart's: a flat code counted in another is refused.
    """
    if not codes:
        return []
    return await resolve_codes_for_merchant(
        db, merchant_id, mode, codes, currency=currency
    )


def price_cart(
    lines: Sequence[CartLine],
    discounts: Sequence[DiscountSpec],
    address: Mapping[str, Any] | None,
    *,
    tax_id: str | None,
    seller_country: str,
    moment: datetime,
    trial_period_days: int | None,
) -> Quote:
    """The one call to :func:`build_quote` that preview, create and re-quote
    share, so the same inputs cannot be priced two ways."""
    return build_quote(
        lines,
        discounts,
        location_for(address, seller_country),
        tax_id=tax_id,
        seller_country=seller_country,
        moment=moment,
        trial_period_days=trial_period_days,
    )


async def quote_for_session(
    db: AsyncSession,
    session: CheckoutSession,
    *,
    moment: datetime,
    billing_address: Mapping[str, Any] | None = None,
    tax_id: str | None = None,
    discount_codes: Sequence[str] | None = None,
    amounts: Mapping[str, int] | None = None,
) -> Quote:
    """Re-price ``session`` with what the buyer changed on the page.

    Each argument left ``None`` keeps the session's own value; ``amounts``
    maps a pay-what-you-want product id to the buyer's chosen price. Pure
    except for looking the discount codes up.
    """
    codes = session.discount_codes if discount_codes is None else discount_codes
    discounts = await lookup_codes(
        db, session.merchant_id, session.mode, codes, session.currency
    )
    address = session.billing_address if billing_address is None else billing_address
    return price_cart(
        session_lines(session, amounts or {}),
        discounts,
        address,
        tax_id=session.tax_id if tax_id is None else tax_id,
        seller_country=session.seller_country,
        moment=moment,
        trial_period_days=session.trial_period_days,
    )


def session_lines(
    session: CheckoutSession, amounts: Mapping[str, int]
) -> list[CartLine]:
    lines = []
    for spec_json, item in zip(session.price_specs, session.product_cart, strict=True):
        spec = spec_from_json(spec_json)
        amount = amounts.get(spec.product_id, item.get("amount"))
        lines.append(CartLine(spec, int(item["quantity"]), amount))
    return lines
