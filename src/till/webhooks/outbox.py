"""Recording events: the outbox every domain writes to.

A domain that changes state calls :func:`record_event` inside the same
transaction, so the event exists exactly when the change does. Nothing is sent
here; the worker (``till.webhooks.worker``) picks the deliveries up after the
commit.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from till.core.ids import new_id
from till.events import EventType, payload_type_of
from till.http.context import AppContext
from till.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

log = structlog.get_logger(__name__)

# The wake-up signals of the worker loops running in this process, with the
# event loop each belongs to. A commit that carried new events sets them, so
# a delivery starts at once instead of at the next poll.
_WAKERS: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
_NEW_EVENTS = "till.webhooks.new_events"
_LISTENING = "till.webhooks.listening"


async def record_event(
    db: AsyncSession,
    *,
    merchant_id: str,
    mode: str,
    event_type: EventType,
    data: dict[str, Any],
    moment: datetime,
) -> str:
    """Add an event and its deliveries to the caller's transaction.

    ``data`` is the object as the API returns it; ``payload_type`` is added
    when missing. Flushes, never commits; returns the event id (``evt_``).
    """
    event_type = EventType(event_type)
    body = dict(data)
    body.setdefault("payload_type", payload_type_of(event_type))
    event = WebhookEvent(
        id=new_id("evt"),
        merchant_id=merchant_id,
        mode=mode,
        type=event_type.value,
        payload=envelope(merchant_id, event_type, moment, body),
        created_at=moment,
    )
    db.add(event)
    await db.flush()
    count = await _add_deliveries(db, event, moment)
    _wake_after_commit(db)
    log.info(
        "webhooks.event_recorded",
        event_id=event.id,
        event_type=event.type,
        merchant_id=merchant_id,
        deliveries=count,
    )
    return event.id


def envelope(
    merchant_id: str, event_type: EventType, moment: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "business_id": merchant_id,
        "type": event_type.value,
        "timestamp": wire_time(moment),
        "data": data,
    }


def wire_time(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, as the API writes every timestamp."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def _add_deliveries(
    db: AsyncSession, event: WebhookEvent, moment: datetime
) -> int:
    endpoints = await db.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.merchant_id == event.merchant_id,
            WebhookEndpoint.mode == event.mode,
            WebhookEndpoint.disabled.is_(False),
            WebhookEndpoint.deleted_at.is_(None),
        )
    )
    wanted = [e for e in endpoints if wants(e, event.type)]
    for endpoint in wanted:
        db.add(new_delivery(event, endpoint.id, moment))
    await db.flush()
    return len(wanted)


def wants(endpoint: WebhookEndpoint, event_type: str) -> bool:
    """An empty filter means every type."""
    return not endpoint.filter_types or event_type in endpoint.filter_types


def new_delivery(
    event: WebhookEvent, endpoint_id: str, moment: datetime
) -> WebhookDelivery:
    return WebhookDelivery(
        id=new_id("whd"),
        merchant_id=event.merchant_id,
        mode=event.mode,
        event_id=event.id,
        endpoint_id=endpoint_id,
        status="pending",
        attempt_count=0,
        next_attempt_at=moment,
        created_at=moment,
    )


def register_waker(event: asyncio.Event) -> None:
    _WAKERS.append((asyncio.get_running_loop(), event))


def unregister_waker(event: asyncio.Event) -> None:
    _WAKERS[:] = [(loop, e) for loop, e in _WAKERS if e is not event]


def wake_workers() -> None:
    """Wake every worker loop of this process (safe from any thread)."""
    for loop, event in list(_WAKERS):
        if not loop.is_closed():
            loop.call_soon_threadsafe(event.set)


def notify_new_events(ctx: AppContext) -> None:
    """Tell this process's workers that committed deliveries are waiting.

    :func:`record_event` already does this when the caller commits; call it
    after committing deliveries written another way (a re-send). The wake-up
    signals are process-wide, so ``ctx`` only names the process asking.
    """
    wake_workers()


def _wake_after_commit(db: AsyncSession) -> None:
    # Waking before the commit would let a worker look before the rows are
    # visible, so the session remembers and its commit wakes the workers.
    sync = db.sync_session
    sync.info[_NEW_EVENTS] = True
    if not sync.info.get(_LISTENING):
        sync.info[_LISTENING] = True
        sa_event.listen(sync, "after_commit", _on_commit)
        sa_event.listen(sync, "after_rollback", _on_rollback)


def _on_commit(session: Session) -> None:
    if session.info.pop(_NEW_EVENTS, False):
        wake_workers()


def _on_rollback(session: Session) -> None:
    session.info.pop(_NEW_EVENTS, None)
