"""Server-rendered SVG charts: no script, no chart library, no CDN.

Pure functions from numbers to markup. Every text is escaped, and each mark
carries a ``<title>`` so a pointer or a screen reader can read its value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from till.dashboard.stats import DayTotal

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 84, 16, 28
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM


def _y(value: int, top: int) -> int:
    """Pixel row of ``value`` on a scale whose maximum is ``top``."""
    return TOP + PLOT_H - (value * PLOT_H // top if top else 0)


def _bars(days: Sequence[DayTotal], top: int, money: Callable[[int], str]) -> str:
    slot = PLOT_W // max(len(days), 1)
    parts = []
    for index, day in enumerate(days):
        x = LEFT + index * slot + 1
        y = _y(day.count, top)
        label = escape(f"{day.day.isoformat()}: {day.count} paid, {money(day.amount)}")
        parts.append(
            f'<rect class="bar" x="{x}" y="{y}" width="{max(slot - 2, 1)}" '
            f'height="{TOP + PLOT_H - y}"><title>{label}</title></rect>'
        )
    return "".join(parts)


def _line(days: Sequence[DayTotal], top: int) -> str:
    slot = PLOT_W // max(len(days), 1)
    points = " ".join(
        f"{LEFT + index * slot + slot // 2},{_y(day.amount, top)}"
        for index, day in enumerate(days)
    )
    return f'<polyline class="line" points="{points}"/>'


def _axes(days: Sequence[DayTotal], count_top: int, amount_top: str) -> str:
    base = TOP + PLOT_H
    ticks = [0, len(days) // 2, len(days) - 1] if days else []
    slot = PLOT_W // max(len(days), 1)
    labels = "".join(
        f'<text x="{LEFT + i * slot + slot // 2}" y="{HEIGHT - 8}" '
        f'text-anchor="middle">{escape(days[i].day.strftime("%b %d"))}</text>'
        for i in sorted(set(ticks))
    )
    return (
        f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{LEFT + PLOT_W}" '
        f'y2="{base}"/>'
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end">{count_top}</text>'
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>'
        f'<text x="{LEFT + PLOT_W + 6}" y="{TOP + 10}">{escape(amount_top)}</text>'
        f"{labels}"
    )


def payments_chart(
    days: Sequence[DayTotal], money: Callable[[int], str], summary: str
) -> Markup:
    """Bars: succeeded payments per day (left scale). Line: revenue per day
    in one currency (right scale). ``money`` formats an amount for labels."""
    count_top = max([d.count for d in days] + [1])
    amount_top = max([d.amount for d in days] + [0])
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(summary)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(summary)}</title>"
        f"{_axes(days, count_top, money(amount_top))}"
        f"{_bars(days, count_top, money)}"
        f"{_line(days, max(amount_top, 1))}"
        "</svg>"
    )
    return Markup(svg)  # every interpolated text above went through escape()
