"""Session facts for page tests that need no database."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from till.pages.views import PriceFacts, SessionFacts
from till.pricing import BillingLocation, CartLine, DiscountSpec, PriceSpec, build_quote

MOMENT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def widget(price: int = 1000, **extra: Any) -> PriceSpec:
    fields: dict[str, Any] = {
        "product_id": "pdt_widget",
        "name": "Widget",
        "currency": "USD",
        "unit_price": price,
        "tax_category": "saas",
    }
    fields.update(extra)
    return PriceSpec(**fields)


def plan(price: int = 1200, trial: int = 0, **extra: Any) -> PriceSpec:
    fields: dict[str, Any] = {
        "product_id": "pdt_plan",
        "name": "Pro plan",
        "currency": "USD",
        "unit_price": price,
        "tax_category": "saas",
        "is_subscription": True,
        "trial_period_days": trial,
    }
    fields.update(extra)
    return PriceSpec(**fields)


def facts(
    specs: list[PriceSpec] | None = None,
    *,
    quantities: list[int] | None = None,
    country: str = "US",
    state: str | None = None,
    tax_id: str | None = None,
    discounts: list[DiscountSpec] | None = None,
    **extra: Any,
) -> SessionFacts:
    specs = specs or [widget()]
    quantities = quantities or [1] * len(specs)
    lines = [CartLine(spec, qty) for spec, qty in zip(specs, quantities, strict=True)]
    quote = build_quote(
        lines,
        discounts or [],
        BillingLocation(country, state),
        tax_id=tax_id,
        seller_country="US",
        moment=MOMENT,
    )
    prices = tuple(
        PriceFacts(
            s.product_id,
            s.unit_price,
            s.pay_what_you_want,
            s.is_subscription,
            s.payment_frequency_count,
            s.payment_frequency_interval,
        )
        for s in specs
    )
    base: dict[str, Any] = {
        "id": "cks_test",
        "mode": "test",
        "status": "open",
        "merchant_name": "Test Shop",
        "quote": quote,
        "prices": prices,
        "tax_id": tax_id,
    }
    base.update(extra)
    return SessionFacts(**base)


class Tag:
    def __init__(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.name = name
        self.attrs = {k: (v if v is not None else "") for k, v in attrs}

    def __getitem__(self, key: str) -> str:
        return self.attrs[key]

    def get(self, key: str) -> str | None:
        return self.attrs.get(key)


def tags(page: str, name: str | None = None) -> list[Tag]:
    """Every start tag of ``page`` (or those named ``name``), in order."""
    found: list[Tag] = []

    class Collector(HTMLParser):
        def handle_starttag(
            self, tag: str, attrs: list[tuple[str, str | None]]
        ) -> None:
            found.append(Tag(tag, attrs))

    Collector().feed(page)
    return [t for t in found if name is None or t.name == name]


def control(page: str, name: str) -> Tag:
    """The form control named ``name``; fails the test when there is none."""
    matches = [
        t for t in tags(page) if t.name in ("input", "select") and t.get("name") == name
    ]
    assert len(matches) == 1, f"{len(matches)} controls named {name!r}"
    return matches[0]


def has_control(page: str, name: str) -> bool:
    return any(
        t.get("name") == name for t in tags(page) if t.name in ("input", "select")
    )
