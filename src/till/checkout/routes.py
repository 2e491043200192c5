from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from till.checkout import create, service
from till.checkout.models import effective_status
from till.checkout.schemas import (
    CheckoutCreate,
    CheckoutListItem,
    CheckoutSessionOut,
    CheckoutStatusOut,
    list_item,
    status_out,
)
from till.checkout.service import Origin, Status
from till.http.deps import Caller, Ctx, Db, Now
from till.http.idempotency import Idempotent
from till.http.pagination import PageParams
from till.http.schemas import ListOf
from till.pricing import supported_countries

router = APIRouter(prefix="/checkouts", tags=["checkout sessions"])
countries_router = APIRouter(tags=["checkout sessions"])


@router.post("", response_model=CheckoutSessionOut)
async def create_checkout(
    body: CheckoutCreate, db: Db, ctx: Ctx, who: Caller, idem: Idempotent
) -> CheckoutSessionOut | Response:
    """Create a checkout session and return the URL of its hosted page.

    The session holds the quote it was created with and is open for 24 hours
    (15 minutes with ``confirm: true``).

    Errors: 400 a discount code cannot be used, 401 bad key, 404 a product or
    customer is not the caller's (the reply names the field), 409 archived
    product or idempotency key reused, 422 a field is invalid or, with
    ``confirm``, missing (the reply names it).
    """

    async def run() -> CheckoutSessionOut:
        session = await create.create_session(db, who, body, ctx.clock.now())
        url = service.checkout_url(ctx.settings.public_url, session.id)
        return CheckoutSessionOut(session_id=session.id, checkout_url=url)

    return await idem.run(run, CheckoutSessionOut)


@router.post("/preview")
async def preview_checkout(
    body: CheckoutCreate, db: Db, clock: Now, who: Caller
) -> JSONResponse:
    """The exact totals ``POST /checkouts`` would quote for this body.

    Creates nothing. An invalid ``tax_id`` does not fail the preview: it is
    reported in ``tax_id_err_msg`` and the cart is priced for a consumer.
    Errors: 400, 401, 404, 409, 422 as for create.
    """
    quote = await create.preview(db, who, body, clock.now())
    return JSONResponse(quote.to_preview_dict())


@router.get("", response_model=ListOf[CheckoutListItem])
async def list_checkouts(
    db: Db,
    clock: Now,
    who: Caller,
    page: PageParams,
    status: Status | None = None,
    origin: Origin | None = None,
    created_at_gte: datetime | None = None,
    created_at_lte: datetime | None = None,
    abandoned: bool | None = None,
) -> ListOf[CheckoutListItem]:
    """List sessions, newest first, by status (open, completed, expired),
    origin (api, link), creation time, and ``abandoned`` (true: unpaid
    sessions the abandonment check has reported). Errors: 401, 422."""
    moment = clock.now()
    rows = await service.list_sessions(
        db,
        who,
        page,
        moment,
        status=status,
        origin=origin,
        created_at_gte=created_at_gte,
        created_at_lte=created_at_lte,
        abandoned=abandoned,
    )
    return ListOf(items=[list_item(s, effective_status(s, moment)) for s in rows])


@router.get("/{session_id}", response_model=CheckoutStatusOut)
async def retrieve_checkout(
    session_id: str, db: Db, clock: Now, who: Caller
) -> CheckoutStatusOut:
    """A session's customer and payment state. Errors: 401, 404."""
    session = await service.get_session(db, who, session_id)
    return status_out(session, effective_status(session, clock.now()))


@router.post("/{session_id}/expire", response_model=CheckoutStatusOut)
async def expire_checkout(
    session_id: str, db: Db, clock: Now, who: Caller
) -> CheckoutStatusOut:
    """End an open session now; its page stops taking payment.

    Errors: 401, 404, 409 already paid (SESSION_ALREADY_COMPLETED) or already
    ended (SESSION_EXPIRED).
    """
    moment = clock.now()
    session = await service.expire_session(db, who, session_id, moment)
    await db.commit()
    return status_out(session, effective_status(session, moment))


@countries_router.get("/checkout/supported_countries", response_model=list[str])
async def list_supported_countries() -> list[str]:
    """ISO 3166-1 alpha-2 codes of the countries Till sells to, sorted.

    A billing address in any other country is refused (422
    UNSUPPORTED_COUNTRY). Needs no key: the hosted page asks it too.
    """
    return sorted(supported_countries())
