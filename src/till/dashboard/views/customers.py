"""Customers: who bought, with their payments and subscriptions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from till.customers import service as customers
from till.dashboard.paging import pager_of
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer, Viewer
from till.http.deps import Db
from till.http.pagination import Page
from till.payments import service as payments
from till.payments.service import PaymentFilters
from till.subscriptions import service as subscriptions
from till.subscriptions.service import SubscriptionFilters

router = APIRouter(prefix="/dashboard/customers", route_class=DashboardRoute)

HISTORY_SIZE = 20


@router.get("", response_class=HTMLResponse)
async def list_customers(
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    email: str = "",
    name: str = "",
) -> Response:
    pager = pager_of(request, email=email.strip(), name=name.strip())
    rows = await customers.list_customers(
        db, viewer.who, pager.page, email=email.strip(), name=name.strip()
    )
    return page(
        request,
        viewer,
        "customers/list.html",
        section="customers",
        customers=rows,
        pager=pager.seen(len(rows)),
        filters={"email": email, "name": name},
    )


@router.get("/{customer_id}", response_class=HTMLResponse)
async def show_customer(
    request: Request, customer_id: str, viewer: CurrentViewer, db: Db
) -> Response:
    customer = await customers.get_customer(db, viewer.who, customer_id)
    return page(
        request,
        viewer,
        "customers/detail.html",
        section="customers",
        customer=customer,
        **await _history(db, viewer, customer_id),
    )


async def _history(db: Db, viewer: Viewer, customer_id: str) -> dict[str, Any]:
    """The customer's latest payments and subscriptions."""
    recent = Page(size=HISTORY_SIZE, number=0)
    paid = await payments.list_payments(
        db, viewer.who, recent, PaymentFilters(customer_id=customer_id)
    )
    subs = await subscriptions.list_subscriptions(
        db, viewer.who, recent, SubscriptionFilters(customer_id=customer_id)
    )
    return {
        "payments": [payment for payment, _ in paid],
        "subscriptions": [sub for sub, _ in subs],
        "history_size": HISTORY_SIZE,
    }
