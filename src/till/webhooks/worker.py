"""The delivery worker: claims due deliveries, sends them, records the outcome.

It runs as a background loop inside ``till serve`` and alone as ``till
worker``; several may run against one PostgreSQL database. Each due delivery
is claimed by exactly one worker: a claim locks due rows with ``FOR UPDATE
SKIP LOCKED`` and marks them in flight in the same transaction (SQLite has a
single writer, so there one conditional ``UPDATE`` decides). A claim is a
lease: a worker that dies holding one leaves it to be claimed again once the
lease runs out, so an event is delivered at least once, and ``webhook-id``
lets the receiver drop a repeat.

Retries follow :data:`RETRY_DELAYS`; after the last one (about 28 hours after
the first attempt) the delivery is ``failed``. An endpoint is disabled
automatically when the deliveries of :data:`AUTO_DISABLE_AFTER` events in a
row have ended ``failed``, with no success in between; a log line
``webhooks.endpoint_disabled`` says so and the merchant re-enables it with
``PATCH /webhooks/{id}`` ``{"disabled": false}``.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import structlog
from cryptography.exceptions import InvalidTag
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import Clock, SystemClock
from till.core.ids import new_id
from till.http.context import AppContext
from till.webhooks import maintenance
from till.webhooks.delivery import Outcome, attempt, new_http_client
from till.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from till.webhooks.signing import body_of, decrypt_secret, signed_headers

log = structlog.get_logger(__name__)

RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
# Longer than the 15 s request timeout with room to record the outcome.
LEASE = timedelta(seconds=60)
AUTO_DISABLE_AFTER = 5
POLL_SECONDS = 0.25
MAINTENANCE_SECONDS = 30.0
DEFAULT_CONCURRENCY = 16
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class Job:
    """A claimed delivery with everything needed to send it."""

    delivery_id: str
    claim_token: str
    number: int
    event_id: str
    endpoint_id: str
    merchant_id: str
    mode: str
    url: str
    body: str
    secret: str | None


def due_condition(moment: datetime) -> Any:
    return or_(
        and_(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= moment,
        ),
        and_(
            WebhookDelivery.status == "in_flight",
            WebhookDelivery.lease_until <= moment,
        ),
    )


async def claim_due(ctx: AppContext, limit: int) -> list[Job]:
    """Claim up to ``limit`` due deliveries for this worker, in one commit."""
    moment = ctx.clock.now()
    token = new_id("clm")
    async with ctx.sessions() as db:
        ids = await _claim(db, ctx.settings.is_sqlite, limit, moment, token)
        jobs = await _jobs(db, ctx, ids, moment) if ids else []
        await db.commit()
    return jobs


async def _claim(
    db: AsyncSession, is_sqlite: bool, limit: int, moment: datetime, token: str
) -> list[str]:
    due = (
        select(WebhookDelivery.id)
        .where(due_condition(moment))
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    )
    if is_sqlite:
        # One statement under SQLite's single write lock decides alone.
        target: Any = WebhookDelivery.id.in_(due)
    else:
        # Lock the rows first and update exactly those: PostgreSQL may run a
        # locking subquery inside an UPDATE more than once, which would skip
        # past LIMIT and claim more rows than asked for.
        locked = await db.scalars(due.with_for_update(skip_locked=True))
        target = WebhookDelivery.id.in_(list(locked))
    claimed = await db.execute(
        update(WebhookDelivery)
        .where(target, due_condition(moment))
        .values(
            status="in_flight",
            lease_until=moment + LEASE,
            claim_token=token,
            attempt_count=WebhookDelivery.attempt_count + 1,
        )
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    )
    return list(claimed.scalars())


async def _jobs(
    db: AsyncSession, ctx: AppContext, ids: list[str], moment: datetime
) -> list[Job]:
    rows = await db.execute(
        select(WebhookDelivery, WebhookEvent, WebhookEndpoint)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id.in_(ids))
    )
    jobs = []
    for delivery, event, endpoint in rows.all():
        if endpoint.disabled or endpoint.deleted_at is not None:
            await _cancel(db, delivery, moment)
            continue
        jobs.append(_job(ctx, delivery, event, endpoint))
    return jobs


def _job(
    ctx: AppContext,
    delivery: WebhookDelivery,
    event: WebhookEvent,
    endpoint: WebhookEndpoint,
) -> Job:
    return Job(
        delivery_id=delivery.id,
        claim_token=delivery.claim_token or "",
        number=delivery.attempt_count,
        event_id=event.id,
        endpoint_id=endpoint.id,
        merchant_id=endpoint.merchant_id,
        mode=endpoint.mode,
        url=endpoint.url,
        body=body_of(event.payload),
        secret=_readable_secret(ctx, endpoint),
    )


def _readable_secret(ctx: AppContext, endpoint: WebhookEndpoint) -> str | None:
    try:
        return decrypt_secret(
            ctx.settings.secret_bytes, endpoint.id, endpoint.secret_ciphertext
        )
    except (InvalidTag, ValueError):
        log.error("webhooks.secret_unreadable", webhook_id=endpoint.id)
        return None


async def _cancel(
    db: AsyncSession, delivery: WebhookDelivery, moment: datetime
) -> None:
    # The endpoint was disabled or deleted after the event was recorded.
    await db.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery.id)
        .values(
            status="cancelled",
            finished_at=moment,
            next_attempt_at=None,
            lease_until=None,
            claim_token=None,
        )
        .execution_options(synchronize_session=False)
    )
    log.info("webhooks.delivery_cancelled", delivery_id=delivery.id)


async def deliver(
    ctx: AppContext, job: Job, http: httpx.AsyncClient, wall: Clock
) -> Outcome:
    """Send one claimed delivery and record the attempt and what comes next.

    The signature's timestamp comes from ``wall``, the real time, because
    receivers compare it with their own clocks; scheduling uses ``ctx.clock``.
    """
    started = ctx.clock.now()
    if job.secret is None:
        outcome = Outcome(None, None, "signing secret unreadable", 0)
    else:
        headers = signed_headers(job.secret, job.event_id, wall.now(), job.body)
        outcome = await attempt(
            http,
            job.url,
            job.mode,
            headers,
            job.body,
            allow_private=ctx.settings.webhook_allow_private,
        )
    await record(ctx, job, outcome, started)
    return outcome


def next_step(
    number: int, outcome: Outcome, moment: datetime
) -> tuple[str, datetime | None]:
    """The delivery's status after attempt ``number`` and when to try again."""
    if outcome.succeeded:
        return "succeeded", None
    if number <= len(RETRY_DELAYS):
        return "pending", moment + RETRY_DELAYS[number - 1]
    return "failed", None


async def record(
    ctx: AppContext, job: Job, outcome: Outcome, started: datetime
) -> None:
    moment = ctx.clock.now()
    status, next_at = next_step(job.number, outcome, moment)
    async with ctx.sessions() as db:
        db.add(_attempt_row(job, outcome, started))
        await db.flush()
        still_ours = await db.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == job.delivery_id,
                WebhookDelivery.claim_token == job.claim_token,
                WebhookDelivery.status == "in_flight",
            )
            .values(
                status=status,
                next_attempt_at=next_at,
                lease_until=None,
                claim_token=None,
                last_status_code=outcome.status_code,
                finished_at=None if status == "pending" else moment,
            )
            .execution_options(synchronize_session=False)
        )
        if still_ours.rowcount == 1:  # type: ignore[attr-defined]
            await _count_streak(db, job, status)
        else:
            log.warning("webhooks.lease_lost", delivery_id=job.delivery_id)
        await db.commit()
    _log_outcome(job, outcome, status)


def _attempt_row(job: Job, outcome: Outcome, started: datetime) -> WebhookAttempt:
    return WebhookAttempt(
        id=new_id("wha"),
        delivery_id=job.delivery_id,
        number=job.number,
        attempted_at=started,
        duration_ms=outcome.duration_ms,
        status_code=outcome.status_code,
        response_body=outcome.body,
        error=outcome.error,
        succeeded=outcome.succeeded,
    )


async def _count_streak(db: AsyncSession, job: Job, status: str) -> None:
    endpoint = WebhookEndpoint
    if status == "succeeded":
        await db.execute(
            update(endpoint)
            .where(endpoint.id == job.endpoint_id, endpoint.failed_streak != 0)
            .values(failed_streak=0)
        )
        return
    if status != "failed":
        return
    streak = await db.scalar(
        update(endpoint)
        .where(endpoint.id == job.endpoint_id)
        .values(failed_streak=endpoint.failed_streak + 1)
        .returning(endpoint.failed_streak)
    )
    if streak is not None and streak >= AUTO_DISABLE_AFTER:
        await _auto_disable(db, job, streak)


async def _auto_disable(db: AsyncSession, job: Job, streak: int) -> None:
    reason = f"deliveries of {streak} events in a row failed"
    disabled = await db.execute(
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == job.endpoint_id, WebhookEndpoint.disabled.is_(False)
        )
        .values(disabled=True, disabled_reason=reason)
    )
    if disabled.rowcount == 1:  # type: ignore[attr-defined]
        log.warning(
            "webhooks.endpoint_disabled",
            webhook_id=job.endpoint_id,
            merchant_id=job.merchant_id,
            failed_events=streak,
        )


def _log_outcome(job: Job, outcome: Outcome, status: str) -> None:
    fields = {
        "delivery_id": job.delivery_id,
        "event_id": job.event_id,
        "webhook_id": job.endpoint_id,
        "attempt": job.number,
        "status_code": outcome.status_code,
    }
    if status == "succeeded":
        log.info("webhooks.delivered", **fields)
    elif status == "pending":
        log.info("webhooks.retry_scheduled", error=outcome.error, **fields)
    else:
        log.warning("webhooks.delivery_failed", error=outcome.error, **fields)


async def run_once(
    ctx: AppContext,
    *,
    http: httpx.AsyncClient | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    limit: int = 500,
    wall: Clock | None = None,
) -> int:
    """One step: periodic checks, then every due delivery (up to ``limit``),
    ``concurrency`` at a time. Returns how many were attempted.

    Tests call this instead of the background loop and move ``ctx.clock``.
    """
    await maintenance.run(ctx)
    jobs = await claim_due(ctx, limit)
    if not jobs:
        return 0
    gate = asyncio.Semaphore(concurrency)
    wall = wall or SystemClock()

    async def one(job: Job, client: httpx.AsyncClient) -> None:
        async with gate:
            await deliver(ctx, job, client, wall)

    async with contextlib.AsyncExitStack() as stack:
        client = http
        if client is None:
            client = await stack.enter_async_context(new_http_client())
        await asyncio.gather(*(one(job, client) for job in jobs))
    return len(jobs)
