from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Response

from till.http.deps import Caller, Ctx, Db
from till.http.idempotency import Idempotent
from till.http.pagination import PageParams
from till.http.schemas import ListOf
from till.payments.startup import processor_of
from till.refunds import service
from till.refunds.schemas import (
    RefundCreate,
    RefundListItem,
    RefundOut,
    refund_list_item,
    refund_out,
)
from till.refunds.service import RefundFilters

router = APIRouter(prefix="/refunds", tags=["refunds"])

Status = Literal["succeeded", "failed", "pending", "review"]


@router.post("", response_model=RefundOut)
async def create_refund(
    body: RefundCreate, db: Db, ctx: Ctx, who: Caller, idem: Idempotent
) -> RefundOut | Response:
    """Refund a succeeded payment: the lines named in ``items`` (an amount
    each, tax included unless ``tax_inclusive`` is false; no amount means
    all that is left of the line), or without ``items`` everything left.

    Sends ``refund.succeeded`` or ``refund.failed``.
    Errors: 401, 404 no such payment, 409 the payment did not succeed or
    too little is left (PAYMENT_NOT_REFUNDABLE) or idempotency key reused,
    422 an invalid field (the reply names it), 503 the processor is down.
    """

    async def create() -> RefundOut:
        refund, customer = await service.create_refund(
            db, processor_of(ctx), who, body, ctx.clock.now()
        )
        return refund_out(refund, customer)

    return await idem.run(create, RefundOut)


@router.get("", response_model=ListOf[RefundListItem])
async def list_refunds(
    db: Db,
    who: Caller,
    page: PageParams,
    status: Status | None = None,
    customer_id: str | None = None,
    payment_id: str | None = None,
    subscription_id: str | None = None,
    created_at_gte: datetime | None = None,
    created_at_lte: datetime | None = None,
) -> ListOf[RefundListItem]:
    """List refunds, newest first, by status, customer, payment, the
    subscription whose first payment they refund, or creation time.
    Errors: 401, 422."""
    filters = RefundFilters(
        status=status,
        customer_id=customer_id,
        payment_id=payment_id,
        subscription_id=subscription_id,
        created_at_gte=created_at_gte,
        created_at_lte=created_at_lte,
    )
    rows = await service.list_refunds(db, who, page, filters)
    return ListOf(items=[refund_list_item(r) for r in rows])


@router.get("/{refund_id}", response_model=RefundOut)
async def retrieve_refund(refund_id: str, db: Db, who: Caller) -> RefundOut:
    """Read one refund. Errors: 401, 404."""
    return refund_out(*await service.get_refund(db, who, refund_id))
