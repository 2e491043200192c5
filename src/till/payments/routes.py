from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter

from till.http.deps import Caller, Db
from till.http.pagination import PageParams
from till.http.schemas import ListOf
from till.payments import service
from till.payments.errors import UnsupportedFilter
from till.payments.schemas import (
    LineItemsOut,
    PaymentListItem,
    PaymentOut,
    line_items_out,
    payment_list_item,
    payment_out,
)
from till.payments.service import PaymentFilters

router = APIRouter(prefix="/payments", tags=["payments"])

Status = Literal[
    "succeeded",
    "failed",
    "cancelled",
    "processing",
    "requires_customer_action",
    "requires_merchant_action",
    "requires_payment_method",
    "requires_confirmation",
    "requires_capture",
    "partially_captured",
    "partially_captured_and_capturable",
]


@router.get("", response_model=ListOf[PaymentListItem])
async def list_payments(
    db: Db,
    who: Caller,
    page: PageParams,
    status: Status | None = None,
    customer_id: str | None = None,
    subscription_id: str | None = None,
    currency: str | None = None,
    product_id: str | None = None,
    created_at_gte: datetime | None = None,
    created_at_lte: datetime | None = None,
) -> ListOf[PaymentListItem]:
    """List payments (every attempt, failed ones too), newest first, by
    status, customer, subscription, currency or creation time.

    Filtering by ``product_id`` is not supported yet and is refused rather
    than ignored. Errors: 401, 422.
    """
    if product_id is not None:
        raise UnsupportedFilter("product_id")
    filters = PaymentFilters(
        status=status,
        customer_id=customer_id,
        subscription_id=subscription_id,
        currency=currency,
        created_at_gte=created_at_gte,
        created_at_lte=created_at_lte,
    )
    rows = await service.list_payments(db, who, page, filters)
    return ListOf(items=[payment_list_item(p, c) for p, c in rows])


@router.get("/{payment_id}", response_model=PaymentOut)
async def retrieve_payment(payment_id: str, db: Db, who: Caller) -> PaymentOut:
    """Read one payment: amounts, customer, card brand and last four digits,
    the session's metadata, and why it failed if it did. Errors: 401, 404."""
    payment, customer = await service.get_payment(db, who, payment_id)
    return payment_out(payment, customer, await service.refunds_of(db, payment_id))


@router.get("/{payment_id}/line-items", response_model=LineItemsOut)
async def retrieve_line_items(payment_id: str, db: Db, who: Caller) -> LineItemsOut:
    """What each cart line of a payment cost, with its tax, and what of it
    can still be refunded. Errors: 401, 404."""
    payment, _ = await service.get_payment(db, who, payment_id)
    return line_items_out(payment, await service.refunds_of(db, payment_id))
