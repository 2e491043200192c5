"""Reading subscriptions, and the changes a merchant may make to one.

Starting subscriptions is ``till.subscriptions.start``; charging each
later period is ``till.subscriptions.renew``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import as_utc
from till.core.errors import FieldInvalid
from till.customers.models import Customer
from till.events import EventType
from till.http.pagination import Page
from till.merchants.keys import Principal
from till.subscriptions.errors import SubscriptionNotFound, SubscriptionNotLive
from till.subscriptions.models import LIVE_STATUSES, Subscription
from till.subscriptions.schemas import (
    UNSUPPORTED_UPDATE_FIELDS,
    SubscriptionUpdate,
    subscription_out,
)
from till.webhooks.outbox import record_event

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class SubscriptionFilters:
    status: str | None = None
    customer_id: str | None = None
    product_id: str | None = None
    cancel_at_next_billing_date: bool | None = None
    created_at_gte: datetime | None = None
    created_at_lte: datetime | None = None


async def get_subscription(
    db: AsyncSession, who: Principal, subscription_id: str
) -> tuple[Subscription, Customer]:
    """A subscription of the caller's merchant and mode, with its customer."""
    sub = await db.get(Subscription, subscription_id, populate_existing=True)
    if sub is None or not who.owns(sub):
        raise SubscriptionNotFound(subscription_id)
    customer = await db.get(Customer, sub.customer_id)
    assert customer is not None  # a foreign key guarantees it
    return sub, customer


async def list_subscriptions(
    db: AsyncSession, who: Principal, page: Page, filters: SubscriptionFilters
) -> list[tuple[Subscription, Customer]]:
    """Newest first, each with its customer, in one query."""
    query = (
        select(Subscription, Customer)
        .join(Customer, Customer.id == Subscription.customer_id)
        .where(
            Subscription.merchant_id == who.merchant_id, Subscription.mode == who.mode
        )
    )
    if filters.status is not None:
        query = query.where(Subscription.status == filters.status)
    if filters.customer_id is not None:
        query = query.where(Subscription.customer_id == filters.customer_id)
    if filters.product_id is not None:
        query = query.where(Subscription.product_id == filters.product_id)
    if filters.cancel_at_next_billing_date is not None:
        flag = filters.cancel_at_next_billing_date
        query = query.where(Subscription.cancel_at_next_billing_date == flag)
    if filters.created_at_gte is not None:
        query = query.where(Subscription.created_at >= as_utc(filters.created_at_gte))
    if filters.created_at_lte is not None:
        query = query.where(Subscription.created_at <= as_utc(filters.created_at_lte))
    query = query.order_by(Subscription.created_at.desc(), Subscription.id)
    rows = await db.execute(query.limit(page.size).offset(page.size * page.number))
    return [(row[0], row[1]) for row in rows.all()]


async def update_subscription(
    db: AsyncSession,
    who: Principal,
    subscription_id: str,
    data: SubscriptionUpdate,
    moment: datetime,
) -> tuple[Subscription, Customer]:
    """Cancel now, schedule or unschedule a cancellation, replace metadata.

    Each state change is a conditional UPDATE on a live subscription, and
    records ``subscription.cancelled`` or ``subscription.updated`` in the same
    transaction. Flushes, never commits.
    """
    _refuse_unsupported(data)
    sub, _ = await get_subscription(db, who, subscription_id)
    # "cancelled" together with cancel_at_next_billing_date asks for the
    # cancellation at the end of the period, not now.
    if data.status == "cancelled" and not data.cancel_at_next_billing_date:
        changed = await _cancel_now(db, sub, data, moment)
        event = EventType.SUBSCRIPTION_CANCELLED
    else:
        if data.status == "active" and sub.status not in ("active", "pending"):
            raise SubscriptionNotLive(sub.id, sub.status)
        changed = await _schedule_and_label(db, sub, data, moment)
        event = EventType.SUBSCRIPTION_UPDATED
    sub, customer = await get_subscription(db, who, subscription_id)
    if changed:
        await _announce(db, sub, customer, event, moment)
    return sub, customer


def _refuse_unsupported(data: SubscriptionUpdate) -> None:
    extra = data.model_extra or {}
    for name in UNSUPPORTED_UPDATE_FIELDS:
        if extra.get(name) is not None:
            raise FieldInvalid(name, "cannot be changed through Till yet")


async def _cancel_now(
    db: AsyncSession, sub: Subscription, data: SubscriptionUpdate, moment: datetime
) -> bool:
    if sub.status == "cancelled":
        return False  # cancelling twice changes nothing and says nothing
    values: dict[str, Any] = {
        "status": "cancelled",
        "cancelled_at": moment,
        "cancelled_by": "api_key",
        "cancel_reason": data.cancel_reason or "cancelled_by_merchant",
        "cancellation_comment": data.cancellation_comment,
        "cancel_at_next_billing_date": False,
    }
    if data.metadata is not None:
        values["meta"] = data.metadata
    if not await _update_live(db, sub.id, moment, values):
        await db.refresh(sub)
        raise SubscriptionNotLive(sub.id, sub.status)
    log.info(
        "subscription.cancelled", merchant_id=sub.merchant_id, subscription_id=sub.id
    )
    return True


async def _schedule_and_label(
    db: AsyncSession, sub: Subscription, data: SubscriptionUpdate, moment: datetime
) -> bool:
    values: dict[str, Any] = {}
    scheduled = data.cancel_at_next_billing_date
    if scheduled is not None and scheduled != sub.cancel_at_next_billing_date:
        values["cancel_at_next_billing_date"] = scheduled
        values["cancelled_by"] = "api_key" if scheduled else None
        values["cancel_reason"] = (
            (data.cancel_reason or "cancelled_by_merchant") if scheduled else None
        )
        values["cancellation_comment"] = (
            data.cancellation_comment if scheduled else None
        )
    if data.metadata is not None and data.metadata != sub.meta:
        values["meta"] = data.metadata
    if not values:
        return False
    if "cancel_at_next_billing_date" in values:
        won = await _update_live(db, sub.id, moment, values)
    else:
        won = await _update_any(db, sub.id, moment, values)
    if not won:
        await db.refresh(sub)
        raise SubscriptionNotLive(sub.id, sub.status)
    log.info(
        "subscription.updated", merchant_id=sub.merchant_id, subscription_id=sub.id
    )
    return True


async def _update_live(
    db: AsyncSession, subscription_id: str, moment: datetime, values: dict[str, Any]
) -> bool:
    result = await db.execute(
        update(Subscription)
        .where(
            Subscription.id == subscription_id, Subscription.status.in_(LIVE_STATUSES)
        )
        .values(updated_at=moment, **values)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def _update_any(
    db: AsyncSession, subscription_id: str, moment: datetime, values: dict[str, Any]
) -> bool:
    # Metadata is the merchant's own label and may change in any status.
    result = await db.execute(
        update(Subscription)
        .where(Subscription.id == subscription_id)
        .values(updated_at=moment, **values)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def _announce(
    db: AsyncSession,
    sub: Subscription,
    customer: Customer,
    event: EventType,
    moment: datetime,
) -> None:
    await record_event(
        db,
        merchant_id=sub.merchant_id,
        mode=sub.mode,
        event_type=event,
        data=subscription_out(sub, customer).model_dump(mode="json"),
        moment=moment,
    )
