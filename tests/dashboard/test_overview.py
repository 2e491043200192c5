"""The overview: counts, revenue, the chart and the funnel."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tests.dashboard.support import Dashboard, DashUser
from tests.links.support import session_id_of, visit
from tests.payments.support import DECLINED, Shop
from till.checkout.service import OriginCounts
from till.core.clock import FrozenClock
from till.dashboard import charts, stats
from till.webhooks.abandoned import detect_abandoned

NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _bar_heights(page: str) -> list[int]:
    return [int(h) for h in re.findall(r'<rect class="bar"[^>]*height="(\d+)"', page)]


async def test_paying_moves_the_counts_and_the_chart(
    shop: Shop, shop_dash: Dashboard
) -> None:
    before = (await shop_dash.get("/dashboard")).text
    assert 'data-testid="paid-count">0<' in before
    assert "No payments yet" in before
    assert set(_bar_heights(before)) == {0}

    pid = await shop.one_time(1500)
    await shop.pay(await shop.session(pid))
    await shop.pay(await shop.session(pid), DECLINED)
    session_id_of(await visit(shop.client, f"/buy/{pid}"))

    after = (await shop_dash.get("/dashboard")).text
    assert 'data-testid="paid-count">1<' in after
    assert 'data-testid="revenue-USD">$15.' in after
    heights = _bar_heights(after)
    assert len(heights) == 30 and heights[-1] > 0 and set(heights[:-1]) == {0}
    assert 'data-testid="created-api">2<' in after
    assert 'data-testid="paid-api">1<' in after
    assert 'data-testid="created-link">1<' in after
    assert 'data-testid="paid-link">0<' in after
    assert 'data-testid="created-all">3<' in after


async def test_payments_older_than_thirty_days_are_left_out(
    shop: Shop, shop_dash: Dashboard, clock: FrozenClock, user: DashUser
) -> None:
    await shop.pay(await shop.session(await shop.one_time(1500)))
    clock.advance(timedelta(days=29))
    await shop_dash.sign_in(user)  # the sign-in itself lasts only hours
    assert 'data-testid="paid-count">1<' in (await shop_dash.get("/dashboard")).text
    clock.advance(timedelta(days=1))
    await shop_dash.sign_in(user)
    page = (await shop_dash.get("/dashboard")).text
    assert 'data-testid="paid-count">0<' in page


def test_funnel_sums_the_origins_into_all() -> None:
    found = stats.funnels({"api": OriginCounts(3, 2, 1), "link": OriginCounts(2, 0, 1)})
    assert found["all"] == stats.Funnel(created=5, paid=2, abandoned=2)
    assert found["api"].conversion == Decimal(2) / Decimal(3)
    assert found["link"].conversion == Decimal(0)
    assert stats.Funnel(0, 0, 0).conversion is None


async def test_abandoned_sessions_are_counted_per_origin(
    shop: Shop, shop_dash: Dashboard, clock: FrozenClock
) -> None:
    pid = await shop.one_time(1500)
    await shop.pay(await shop.session(pid))
    await shop.session(pid)
    session_id_of(await visit(shop.client, f"/buy/{pid}"))
    clock.advance(timedelta(minutes=shop.ctx.settings.abandoned_after_minutes + 1))
    await detect_abandoned(shop.ctx)

    page = (await shop_dash.get("/dashboard")).text
    assert 'data-testid="abandoned-api">1<' in page
    assert 'data-testid="abandoned-link">1<' in page
    assert 'data-testid="abandoned-all">2<' in page
    assert 'data-testid="paid-all">1<' in page
    listed = (await shop_dash.get("/dashboard/checkouts?status=abandoned")).text
    assert len(re.findall(r"data-session-id=", listed)) == 2
    assert "status-completed" not in listed


def test_daily_totals_count_every_payment_but_add_one_currency() -> None:
    days = stats.window(date(2026, 6, 3), 3)
    facts = [
        stats.PaymentFact(NOON, "USD", 1000),
        stats.PaymentFact(NOON + timedelta(hours=1), "EUR", 700),
        stats.PaymentFact(NOON + timedelta(days=2), "USD", 250),
    ]
    assert stats.main_currency(facts) == "USD"
    assert stats.daily_totals(facts, days, "USD") == [
        stats.DayTotal(date(2026, 6, 1), 2, 1000),
        stats.DayTotal(date(2026, 6, 2), 0, 0),
        stats.DayTotal(date(2026, 6, 3), 1, 250),
    ]
    assert stats.revenue_by_currency(facts) == {"EUR": 700, "USD": 1250}


def test_chart_scales_bars_to_the_busiest_day_and_escapes_labels() -> None:
    days = [
        stats.DayTotal(date(2026, 6, 1), 1, 500),
        stats.DayTotal(date(2026, 6, 2), 4, 2000),
    ]
    svg = str(charts.payments_chart(days, lambda a: f"<{a}>", 'sum "<x>"'))
    heights = _bar_heights(svg)
    assert heights == [charts.PLOT_H // 4, charts.PLOT_H]
    assert "&lt;2000&gt;" in svg and "<2000>" not in svg
    assert "&#34;&lt;x&gt;&#34;" in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")
