"""The overview's numbers, from what the domain services return.

Pure functions: they count and add what they are given and read no clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from till.checkout.service import OriginCounts


@dataclass(frozen=True)
class DayTotal:
    day: date
    count: int
    amount: int  # minor units of the chart's currency


@dataclass(frozen=True)
class Funnel:
    created: int
    paid: int
    abandoned: int

    @property
    def conversion(self) -> Decimal | None:
        """Paid sessions per created session; None before the first one."""
        if self.created == 0:
            return None
        return Decimal(self.paid) / Decimal(self.created)


@dataclass(frozen=True)
class PaymentFact:
    """What the overview needs of one succeeded payment."""

    created_at: datetime
    currency: str
    amount: int


def window(today: date, days: int) -> list[date]:
    """``days`` calendar days ending with ``today``, oldest first."""
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def main_currency(payments: Iterable[PaymentFact]) -> str | None:
    """The currency most payments were made in (ties: alphabetical)."""
    counts = Counter(p.currency for p in payments)
    if not counts:
        return None
    return min(counts, key=lambda code: (-counts[code], code))


def revenue_by_currency(payments: Iterable[PaymentFact]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for payment in payments:
        totals[payment.currency] = totals.get(payment.currency, 0) + payment.amount
    return dict(sorted(totals.items()))


def daily_totals(
    payments: Iterable[PaymentFact], days: Sequence[date], currency: str | None
) -> list[DayTotal]:
    """Payments per UTC day of ``days``; amounts only in ``currency``."""
    counts: Counter[date] = Counter()
    amounts: Counter[date] = Counter()
    for payment in payments:
        day = payment.created_at.date()
        counts[day] += 1
        if payment.currency == currency:
            amounts[day] += payment.amount
    return [DayTotal(day, counts[day], amounts[day]) for day in days]


def funnels(by_origin: Mapping[str, OriginCounts]) -> dict[str, Funnel]:
    """The funnel per origin, and ``"all"`` summed over the origins."""
    shown = {
        origin: Funnel(counts.created, counts.paid, counts.abandoned)
        for origin, counts in by_origin.items()
    }
    shown["all"] = Funnel(
        sum(f.created for f in shown.values()),
        sum(f.paid for f in shown.values()),
        sum(f.abandoned for f in shown.values()),
    )
    return shown
