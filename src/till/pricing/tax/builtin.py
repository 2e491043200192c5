"""The tax table Till ships with: national VAT and GST, Canadian provinces,
US states.

The figures live in ``rates.json`` beside this module, one entry per
jurisdiction ("DE", "CA-QC", "US-TX"). Every figure names its source and an
``as_of`` date on which it was in force, so a reviewer can check each one and
an update is a data change. ``docs/tax.md`` explains what the table covers
and what it leaves out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from till.pricing.countries import country_needs_state, normalize_state
from till.pricing.inputs import TAX_CATEGORIES, BillingLocation, TaxCategory
from till.pricing.tax.provider import TaxRate

NO_TAX_LABEL = "No tax"


@dataclass(frozen=True)
class RateFigure:
    percent: Decimal
    source: str
    as_of: date
    label: str | None = None


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    tax: str
    standard: RateFigure
    categories: dict[str, RateFigure]

    def figure_for(self, category: str) -> RateFigure:
        return self.categories.get(category, self.standard)


class BuiltinTaxProvider:
    """Rates from ``rates.json``; a place missing from it pays no tax.

    The state is looked up before the country, so "CA-QC" wins over "CA".
    There is no "US" entry: an American address without a listed state, or
    with a state that does not tax the category, pays nothing.
    """

    def rate_for(self, location: BillingLocation, category: TaxCategory) -> TaxRate:
        jurisdiction = _jurisdiction_of(location)
        if jurisdiction is None:
            return TaxRate(Decimal(0), NO_TAX_LABEL, location.country.upper())
        figure = jurisdiction.figure_for(category)
        rate = figure.percent / 100
        return TaxRate(rate, _label(jurisdiction, figure), jurisdiction.code)


def _jurisdiction_of(location: BillingLocation) -> Jurisdiction | None:
    table = rate_table()
    country = location.country.upper()
    state = _state_code(location)
    if state is not None and f"{country}-{state}" in table:
        return table[f"{country}-{state}"]
    return table.get(country)


def _state_code(location: BillingLocation) -> str | None:
    if location.state is None or not country_needs_state(location.country):
        return None
    return normalize_state(location.country, location.state)


def _label(jurisdiction: Jurisdiction, figure: RateFigure) -> str:
    if figure.label is not None:
        return figure.label
    if figure.percent == 0:
        return NO_TAX_LABEL
    return f"{jurisdiction.tax} {figure.percent} %"


@cache
def rate_table() -> dict[str, Jurisdiction]:
    """Every jurisdiction of ``rates.json``, by code; parsed once."""
    text = resources.files("till.pricing.tax").joinpath("rates.json").read_text("utf-8")
    raw: dict[str, Any] = json.loads(text)["jurisdictions"]
    return {code: _parse_jurisdiction(code, entry) for code, entry in raw.items()}


def _parse_jurisdiction(code: str, entry: dict[str, Any]) -> Jurisdiction:
    categories = {
        category: _parse_figure(figure)
        for category, figure in entry.get("categories", {}).items()
    }
    unknown = set(categories) - TAX_CATEGORIES
    if unknown:
        raise ValueError(f"rates.json {code}: unknown categories {sorted(unknown)}")
    standard = _parse_figure(entry["standard"])
    return Jurisdiction(code, entry["tax"], standard, categories)


def _parse_figure(raw: dict[str, Any]) -> RateFigure:
    return RateFigure(
        percent=Decimal(raw["percent"]),
        source=raw["source"],
        as_of=date.fromisoformat(raw["as_of"]),
        label=raw.get("label"),
    )
