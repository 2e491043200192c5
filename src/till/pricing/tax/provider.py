"""The seam between pricing and whoever knows tax rates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from till.pricing.inputs import BillingLocation, TaxCategory


@dataclass(frozen=True)
class TaxRate:
    """A rate as a fraction (``Decimal("0.19")`` for 19 %), the label the
    buyer sees ("VAT 19 %"), and the jurisdiction it belongs to ("DE",
    "CA-QC", "US-TX")."""

    rate: Decimal
    label: str
    jurisdiction: str

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.rate < Decimal(1):
            raise ValueError(f"tax rate must be in [0, 1), not {self.rate}")


class TaxProvider(Protocol):
    """Answers "what rate does this buyer pay for this kind of product?".

    Till ships :class:`~till.pricing.tax.builtin.BuiltinTaxProvider`, a table
    of national and state rates; a deployment can pass another provider (a
    tax service, a table with local rates) to ``build_quote``.
    """

    def rate_for(self, location: BillingLocation, category: TaxCategory) -> TaxRate:
        """Called while a quote is built, once for each distinct tax category
        in the cart, after the country has been checked as supported and the
        state (for countries that need one) normalised to its code, e.g.
        "QC". Not called when the buyer is reverse charged.

        Returns the consumer rate for ``category`` at ``location``; a place
        with no tax on that category gets a zero rate labelled "No tax".

        Raises nothing for a supported location. A provider that calls a
        remote service raises ``till.core.errors.ServiceUnavailable`` when
        that service fails, so the caller can retry.
        """
        ...
