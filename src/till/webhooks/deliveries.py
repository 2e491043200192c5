"""The delivery log: what was sent to an endpoint, and re-sending by hand."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import structlog
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import Clock
from till.merchants.keys import Principal
from till.webhooks.errors import DeliveryInProgress, DeliveryNotFound, WebhookDisabled
from till.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from till.webhooks.outbox import new_delivery
from till.webhooks.service import get_webhook

log = structlog.get_logger(__name__)

FINISHED = ("succeeded", "failed", "cancelled")


@dataclass(frozen=True)
class DeliveryView:
    delivery: WebhookDelivery
    event_type: str
    attempts: list[WebhookAttempt]


@dataclass(frozen=True)
class DeliverySlice:
    rows: list[DeliveryView]
    iterator: str | None
    done: bool


async def list_deliveries(
    db: AsyncSession,
    who: Principal,
    webhook_id: str,
    *,
    limit: int,
    iterator: str | None,
    status: str | None = None,
) -> DeliverySlice:
    """Newest first, each with its attempts; ``iterator`` is a delivery id."""
    await get_webhook(db, who, webhook_id)
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == webhook_id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    if iterator:
        after = await _get_delivery(db, webhook_id, iterator)
        query = query.where(
            or_(
                WebhookDelivery.created_at < after.created_at,
                and_(
                    WebhookDelivery.created_at == after.created_at,
                    WebhookDelivery.id < after.id,
                ),
            )
        )
    query = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    rows = list(await db.scalars(query.limit(limit + 1)))
    done = len(rows) <= limit
    views = await _views(db, rows[:limit])
    return DeliverySlice(
        views, None if done or not views else views[-1].delivery.id, done
    )


async def _views(db: AsyncSession, rows: list[WebhookDelivery]) -> list[DeliveryView]:
    ids = [d.id for d in rows]
    found_types = await db.execute(
        select(WebhookEvent.id, WebhookEvent.type).where(
            WebhookEvent.id.in_({d.event_id for d in rows})
        )
    )
    types = {event_id: event_type for event_id, event_type in found_types}
    attempts: dict[str, list[WebhookAttempt]] = defaultdict(list)
    found = await db.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(ids))
        .order_by(WebhookAttempt.number)
    )
    for attempt in found:
        attempts[attempt.delivery_id].append(attempt)
    return [DeliveryView(d, types[d.event_id], attempts[d.id]) for d in rows]


async def _get_delivery(
    db: AsyncSession, webhook_id: str, delivery_id: str
) -> WebhookDelivery:
    delivery = await db.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint_id != webhook_id:
        raise DeliveryNotFound(delivery_id)
    return delivery


async def get_delivery(
    db: AsyncSession, who: Principal, webhook_id: str, delivery_id: str
) -> DeliveryView:
    await get_webhook(db, who, webhook_id)
    delivery = await _get_delivery(db, webhook_id, delivery_id)
    return (await _views(db, [delivery]))[0]


async def resend(
    db: AsyncSession, clock: Clock, who: Principal, webhook_id: str, delivery_id: str
) -> DeliveryView:
    """Queue the delivery's event again, as a new delivery with a fresh
    retry schedule; the receiver sees the same ``webhook-id`` as before."""
    endpoint = await get_webhook(db, who, webhook_id)
    original = await _get_delivery(db, webhook_id, delivery_id)
    if endpoint.disabled:
        raise WebhookDisabled(webhook_id)
    if original.status not in FINISHED:
        raise DeliveryInProgress(delivery_id)
    event = await db.get_one(WebhookEvent, original.event_id)
    again = new_delivery(event, webhook_id, clock.now())
    again.resent_from = original.id
    db.add(again)
    await db.flush()
    log.info(
        "webhooks.delivery_resent",
        merchant_id=who.merchant_id,
        delivery_id=again.id,
        resent_from=original.id,
    )
    return DeliveryView(again, event.type, [])
