"""Checkout sessions: who started to pay, for what, and how it ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from till.checkout import service as checkouts
from till.checkout.models import COMPLETED, CheckoutSession, effective_status
from till.checkout.service import Origin, Status
from till.dashboard.paging import pager_of
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer
from till.http.deps import Db, Now

router = APIRouter(prefix="/dashboard/checkouts", route_class=DashboardRoute)

STATUSES = ("open", "completed", "expired")
ABANDONED = "abandoned"
ORIGINS = {"api": "API", "link": "Payment link"}


def shown_status(session: CheckoutSession, moment: datetime) -> str:
    """The stored status, with unpaid sessions past the abandonment check
    shown as ``abandoned`` (the webhooks worker sets ``abandoned_at``)."""
    status = effective_status(session, moment)
    if status != COMPLETED and session.abandoned_at is not None:
        return "abandoned"
    return status


@router.get("", response_class=HTMLResponse)
async def list_sessions(
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    clock: Now,
    status: str = "",
    origin: str = "",
) -> Response:
    status = status if status in (*STATUSES, ABANDONED) else ""
    origin = origin if origin in ORIGINS else ""
    pager = pager_of(request, status=status, origin=origin)
    moment = clock.now()
    rows = await checkouts.list_sessions(
        db,
        viewer.who,
        pager.page,
        moment,
        status=cast(Status, status) if status in STATUSES else None,
        origin=cast(Origin, origin) if origin else None,
        abandoned=True if status == ABANDONED else None,
    )
    return page(
        request,
        viewer,
        "checkouts/list.html",
        section="checkouts",
        sessions=[(s, shown_status(s, moment)) for s in rows],
        pager=pager.seen(len(rows)),
        filters={"status": status, "origin": origin},
        statuses=(*STATUSES, ABANDONED),
        origins=ORIGINS,
    )


@router.get("/{session_id}", response_class=HTMLResponse)
async def show_session(
    request: Request, session_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    session = await checkouts.get_session(db, viewer.who, session_id)
    return page(
        request,
        viewer,
        "checkouts/detail.html",
        section="checkouts",
        session=session,
        shown=shown_status(session, clock.now()),
        quote=session.quote,
        origins=ORIGINS,
        address=_address_text(session.billing_address),
    )


@router.post("/{session_id}/expire")
async def expire_session(
    session_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    await checkouts.expire_session(db, viewer.who, session_id, clock.now())
    await db.commit()
    return RedirectResponse(f"/dashboard/checkouts/{session_id}", 303)


def _address_text(address: dict[str, Any] | None) -> str:
    if not address:
        return ""
    parts = ("street", "zipcode", "city", "state", "country")
    return ", ".join(str(address[p]) for p in parts if address.get(p))
