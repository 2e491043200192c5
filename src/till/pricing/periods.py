"""Calendar arithmetic for billing periods.

A month is a calendar month, not 30 days: a subscription bought on the 15th
renews on the 15th. When the target month is shorter than the start day, the
date clamps to that month's last day (31 January + 1 month = 28 or 29
February). Clamping loses the original day, so a renewal schedule should
compute cycle *n* as ``add_interval(anchor, n * count, interval)`` from the
first billing moment, never by adding one period to the previous renewal;
otherwise 31 January drifts to the 28th of every later month.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from till.pricing.inputs import Interval


def add_interval(moment: datetime, count: int, interval: Interval) -> datetime:
    """``moment`` moved ``count`` days, weeks, months or years forward.

    The time of day and the timezone are kept.
    """
    if interval == "Day":
        return moment + timedelta(days=count)
    if interval == "Week":
        return moment + timedelta(weeks=count)
    if interval == "Month":
        return add_months(moment, count)
    if interval == "Year":
        return add_months(moment, 12 * count)
    raise ValueError(f"unknown interval {interval!r}")


def add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))
