"""Builders for pricing tests, so each test states only what it is about."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from till.pricing import (
    BillingLocation,
    CartLine,
    DiscountSpec,
    PriceSpec,
    Quote,
    TaxProvider,
    TaxRate,
    build_quote,
)
from till.pricing.inputs import TaxCategory

MOMENT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

# Checksum-valid business ids (python-stdnum accepts each one).
GERMAN_VAT_ID = "DE136695976"
FRENCH_VAT_ID = "FR40303265045"


class FixedRate:
    """A tax provider with one rate everywhere, to test arithmetic alone."""

    def __init__(self, percent: str, label: str = "Test tax") -> None:
        self.rate = TaxRate(Decimal(percent) / 100, label, "XX")

    def rate_for(self, location: BillingLocation, category: TaxCategory) -> TaxRate:
        return self.rate


def make_price(**changes: Any) -> PriceSpec:
    """A 10.00 EUR SaaS product, tax exclusive, with ``changes`` applied."""
    fields: dict[str, Any] = {
        "product_id": "pdt_plan",
        "name": "Plan",
        "currency": "EUR",
        "unit_price": 1000,
        "tax_category": "saas",
    }
    return PriceSpec(**{**fields, **changes})


def make_discount(**changes: Any) -> DiscountSpec:
    """A 10 % code for every product, with ``changes`` applied."""
    fields: dict[str, Any] = {
        "discount_id": "dsc_ten",
        "code": "TEN",
        "type": "percentage",
        "amount": 1000,
    }
    return DiscountSpec(**{**fields, **changes})


def make_quote(
    lines: Sequence[CartLine],
    discounts: Sequence[DiscountSpec] = (),
    *,
    country: str = "DE",
    state: str | None = None,
    tax_id: str | None = None,
    seller_country: str = "US",
    moment: datetime = MOMENT,
    trial_period_days: int | None = None,
    tax_provider: TaxProvider | None = None,
) -> Quote:
    return build_quote(
        lines,
        discounts,
        BillingLocation(country, state),
        tax_id=tax_id,
        seller_country=seller_country,
        moment=moment,
        trial_period_days=trial_period_days,
        tax_provider=tax_provider,
    )


def cart_line(
    quantity: int = 1, *, amount: int | None = None, **price_changes: Any
) -> CartLine:
    """A cart line of ``make_price(**price_changes)``."""
    return CartLine(make_price(**price_changes), quantity, amount)
