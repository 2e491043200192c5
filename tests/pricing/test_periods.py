from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from till.pricing import add_interval
from till.pricing.inputs import Interval


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "count", "interval", "expected"),
    [
        (at(2025, 1, 31), 1, "Month", at(2025, 2, 28)),
        (at(2024, 1, 31), 1, "Month", at(2024, 2, 29)),
        (at(2025, 3, 31), 1, "Month", at(2025, 4, 30)),
        (at(2025, 1, 31), 2, "Month", at(2025, 3, 31)),
        (at(2025, 12, 15), 1, "Month", at(2026, 1, 15)),
        (at(2025, 11, 30), 3, "Month", at(2026, 2, 28)),
        (at(2025, 1, 15), 13, "Month", at(2026, 2, 15)),
        (at(2024, 2, 29), 1, "Year", at(2025, 2, 28)),
        (at(2024, 2, 29), 4, "Year", at(2028, 2, 29)),
        (at(2025, 12, 31), 1, "Day", at(2026, 1, 1)),
        (at(2025, 12, 29), 1, "Week", at(2026, 1, 5)),
        (at(2025, 5, 10), 0, "Month", at(2025, 5, 10)),
    ],
)
def test_add_interval_clamps_to_month_end(
    start: datetime, count: int, interval: Interval, expected: datetime
) -> None:
    assert add_interval(start, count, interval) == expected


def test_add_interval_keeps_time_and_zone() -> None:
    zone = timezone(timedelta(hours=5, minutes=30))
    start = datetime(2025, 8, 31, 23, 59, 1, tzinfo=zone)

    assert add_interval(start, 1, "Month") == datetime(
        2025, 9, 30, 23, 59, 1, tzinfo=zone
    )


def test_cycles_counted_from_the_anchor_do_not_drift() -> None:
    anchor = at(2025, 1, 31)

    renewals = [add_interval(anchor, n, "Month").day for n in range(1, 5)]

    assert renewals == [28, 31, 30, 31]


def test_unknown_interval_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        add_interval(at(2025, 1, 1), 1, "Fortnight")  # type: ignore[arg-type]
