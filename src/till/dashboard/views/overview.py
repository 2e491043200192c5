"""Overview: the last 30 days of payments and the checkout funnel."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from till.checkout import service as checkouts
from till.core.money import format_amount
from till.dashboard import charts, stats
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer, Viewer
from till.http.deps import Ctx, Db
from till.http.pagination import Page
from till.payments import service as payments
from till.payments.service import PaymentFilters

router = APIRouter(prefix="/dashboard", route_class=DashboardRoute)

DAYS = 30
# Known shortcoming: the chart reads the window's succeeded payments and adds
# them up here, because the payments service offers no per-day sum yet. Past
# this many payments the overview says its numbers are a floor. A count and
# sum per day in the payments service would remove the limit and the memory.
ROW_LIMIT = 10_000


@router.get("", response_class=HTMLResponse)
async def overview(
    request: Request, viewer: CurrentViewer, db: Db, ctx: Ctx
) -> Response:
    moment = ctx.clock.now()
    since = datetime.combine(
        moment.date() - timedelta(days=DAYS - 1), datetime.min.time(), moment.tzinfo
    )
    facts, capped = await _payments(db, viewer, since)
    by_origin = await checkouts.count_by_origin(db, viewer.who, created_at_gte=since)
    currency = stats.main_currency(facts)
    days = stats.daily_totals(facts, stats.window(moment.date(), DAYS), currency)
    return page(
        request,
        viewer,
        "overview.html",
        section="overview",
        chart=_chart(viewer, days, currency, len(facts)),
        paid_count=len(facts),
        revenue=stats.revenue_by_currency(facts),
        funnels=stats.funnels(by_origin),
        capped=capped,
        currency=currency,
        days=DAYS,
        abandoned_after=ctx.settings.abandoned_after_minutes,
    )


async def _payments(
    db: Db, viewer: Viewer, since: datetime
) -> tuple[list[stats.PaymentFact], bool]:
    rows = await payments.list_payments(
        db,
        viewer.who,
        Page(size=ROW_LIMIT, number=0),
        PaymentFilters(status="succeeded", created_at_gte=since),
    )
    facts = [
        stats.PaymentFact(p.created_at, p.currency, p.total_amount) for p, _ in rows
    ]
    return facts, len(rows) >= ROW_LIMIT


def _chart(
    viewer: Viewer, days: list[stats.DayTotal], currency: str | None, paid: int
) -> str:
    def money(amount: int) -> str:
        return format_amount(amount, currency, viewer.locale) if currency else "0"

    total = sum(day.amount for day in days)
    summary = f"{paid} paid in the last {DAYS} days, {money(total)} in {currency}"
    if currency is None:
        summary = f"No payments in the last {DAYS} days"
    return charts.payments_chart(days, money, summary)
