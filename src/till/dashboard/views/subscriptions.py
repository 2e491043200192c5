"""Subscriptions: status, next billing, and cancelling one."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from till.dashboard.forms import read_form
from till.dashboard.paging import pager_of
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer
from till.http.deps import Db, Now
from till.payments import service as payments
from till.payments.service import PaymentFilters
from till.subscriptions import service as subscriptions
from till.subscriptions.models import LIVE_STATUSES, STATUSES
from till.subscriptions.schemas import SubscriptionUpdate
from till.subscriptions.service import SubscriptionFilters

router = APIRouter(prefix="/dashboard/subscriptions", route_class=DashboardRoute)

# What the cancel form may ask for, as the API's PATCH body.
CANCELLATIONS = {
    "now": {"status": "cancelled"},
    "at_period_end": {"cancel_at_next_billing_date": True},
    "keep": {"cancel_at_next_billing_date": False},
}


@router.get("", response_class=HTMLResponse)
async def list_subscriptions(
    request: Request, viewer: CurrentViewer, db: Db, status: str = ""
) -> Response:
    status = status if status in STATUSES else ""
    pager = pager_of(request, status=status)
    rows = await subscriptions.list_subscriptions(
        db, viewer.who, pager.page, SubscriptionFilters(status=status or None)
    )
    return page(
        request,
        viewer,
        "subscriptions/list.html",
        section="subscriptions",
        subscriptions=rows,
        pager=pager.seen(len(rows)),
        filters={"status": status},
        statuses=STATUSES,
    )


@router.get("/{subscription_id}", response_class=HTMLResponse)
async def show_subscription(
    request: Request, subscription_id: str, viewer: CurrentViewer, db: Db
) -> Response:
    sub, customer = await subscriptions.get_subscription(
        db, viewer.who, subscription_id
    )
    paid = await payments.list_payments(
        db,
        viewer.who,
        pager_of(request).page,
        PaymentFilters(subscription_id=subscription_id),
    )
    return page(
        request,
        viewer,
        "subscriptions/detail.html",
        section="subscriptions",
        sub=sub,
        customer=customer,
        payments=[p for p, _ in paid],
        live=sub.status in LIVE_STATUSES,
    )


@router.post("/{subscription_id}/cancel")
async def cancel_subscription(
    request: Request, subscription_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    choice = (await read_form(request)).get("when", "")
    if choice not in CANCELLATIONS:
        choice = "at_period_end"
    change = SubscriptionUpdate.model_validate(CANCELLATIONS[choice])
    await subscriptions.update_subscription(
        db, viewer.who, subscription_id, change, clock.now()
    )
    await db.commit()
    return RedirectResponse(f"/dashboard/subscriptions/{subscription_id}", 303)
