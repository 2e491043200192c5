"""Payments: every pay attempt, its amounts, card and outcome."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from till.dashboard.paging import pager_of
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer
from till.http.deps import Db
from till.payments import service as payments
from till.payments.service import PaymentFilters

router = APIRouter(prefix="/dashboard/payments", route_class=DashboardRoute)

STATUSES = (
    "succeeded",
    "failed",
    "processing",
    "requires_customer_action",
    "cancelled",
)


@router.get("", response_class=HTMLResponse)
async def list_payments(
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    status: str = "",
    customer: str = "",
) -> Response:
    status = status if status in STATUSES else ""
    customer = customer.strip()[:40]
    pager = pager_of(request, status=status, customer=customer)
    filters = PaymentFilters(status=status or None, customer_id=customer or None)
    rows = await payments.list_payments(db, viewer.who, pager.page, filters)
    return page(
        request,
        viewer,
        "payments/list.html",
        section="payments",
        payments=rows,
        pager=pager.seen(len(rows)),
        filters={"status": status, "customer": customer},
        statuses=STATUSES,
    )


@router.get("/{payment_id}", response_class=HTMLResponse)
async def show_payment(
    request: Request, payment_id: str, viewer: CurrentViewer, db: Db
) -> Response:
    payment, customer = await payments.get_payment(db, viewer.who, payment_id)
    return page(
        request,
        viewer,
        "payments/detail.html",
        section="payments",
        payment=payment,
        customer=customer,
        quote=payment.quote,
    )
