from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter

from till.http.deps import Caller, Db, Now
from till.http.pagination import PageParams
from till.http.schemas import ListOf
from till.subscriptions import service
from till.subscriptions.schemas import (
    SubscriptionListItem,
    SubscriptionOut,
    SubscriptionUpdate,
    subscription_list_item,
    subscription_out,
)
from till.subscriptions.service import SubscriptionFilters

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"])

Status = Literal[
    "pending",
    "active",
    "on_hold",
    "paused",
    "cancelled",
    "failed",
    "expired",
    "past_due",
]


@router.get("", response_model=ListOf[SubscriptionListItem])
async def list_subscriptions(
    db: Db,
    who: Caller,
    page: PageParams,
    status: Status | None = None,
    customer_id: str | None = None,
    product_id: str | None = None,
    cancel_at_next_billing_date: bool | None = None,
    created_at_gte: datetime | None = None,
    created_at_lte: datetime | None = None,
) -> ListOf[SubscriptionListItem]:
    """List subscriptions, newest first, by status, customer, product,
    scheduled cancellation or creation time. Errors: 401, 422."""
    filters = SubscriptionFilters(
        status=status,
        customer_id=customer_id,
        product_id=product_id,
        cancel_at_next_billing_date=cancel_at_next_billing_date,
        created_at_gte=created_at_gte,
        created_at_lte=created_at_lte,
    )
    rows = await service.list_subscriptions(db, who, page, filters)
    return ListOf(items=[subscription_list_item(s, c) for s, c in rows])


@router.get("/{subscription_id}", response_model=SubscriptionOut)
async def retrieve_subscription(
    subscription_id: str, db: Db, who: Caller
) -> SubscriptionOut:
    """Read one subscription. Errors: 401, 404."""
    return subscription_out(*await service.get_subscription(db, who, subscription_id))


@router.patch("/{subscription_id}", response_model=SubscriptionOut)
async def update_subscription(
    subscription_id: str, body: SubscriptionUpdate, db: Db, clock: Now, who: Caller
) -> SubscriptionOut:
    """Cancel now (``status: "cancelled"``), cancel at the end of the period
    (``cancel_at_next_billing_date: true``, or together with ``status``),
    take a scheduled cancellation back (``false``), or replace ``metadata``.

    A change sends ``subscription.cancelled`` or ``subscription.updated``.
    Cancelling a cancelled subscription again changes nothing.
    Errors: 401, 404, 409 the subscription has ended (SUBSCRIPTION_NOT_ACTIVE),
    422 an invalid field or one Till cannot change yet (the reply names it).
    """
    sub, customer = await service.update_subscription(
        db, who, subscription_id, body, clock.now()
    )
    await db.commit()
    return subscription_out(sub, customer)
