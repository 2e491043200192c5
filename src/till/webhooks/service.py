"""Webhook endpoints: create, read, change, list, delete, reveal the secret."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from till.config import Settings
from till.core.clock import Clock
from till.core.ids import new_id
from till.merchants.keys import Principal
from till.webhooks.errors import WebhookNotFound, WebhookUrlRefused
from till.webhooks.models import WebhookDelivery, WebhookEndpoint
from till.webhooks.schemas import WebhookCreate, WebhookUpdate
from till.webhooks.signing import decrypt_secret, encrypt_secret, new_secret
from till.webhooks.ssrf import UnsafeDestination, check_destination

log = structlog.get_logger(__name__)

DEFAULT_LIMIT = 10
MAX_LIMIT = 100


@dataclass(frozen=True)
class Slice:
    """One page of a cursor list; ``iterator`` is the last id on the page."""

    rows: list[WebhookEndpoint]
    iterator: str | None
    done: bool


async def check_url(settings: Settings, url: str, mode: str) -> None:
    # A live URL must resolve now; a test URL may name a receiver that is not
    # up yet, and every delivery checks again anyway.
    try:
        await check_destination(
            url,
            mode,
            allow_private=settings.webhook_allow_private,
            must_resolve=mode == "live",
        )
    except UnsafeDestination as exc:
        log.info("webhooks.url_refused", mode=mode, reason=str(exc))
        raise WebhookUrlRefused(str(exc)) from None


async def create_webhook(
    db: AsyncSession,
    settings: Settings,
    clock: Clock,
    who: Principal,
    data: WebhookCreate,
) -> WebhookEndpoint:
    await check_url(settings, data.url, who.mode)
    moment = clock.now()
    endpoint_id = new_id("whk")
    endpoint = WebhookEndpoint(
        id=endpoint_id,
        merchant_id=who.merchant_id,
        mode=who.mode,
        url=data.url,
        description=data.description or "",
        filter_types=[t.value for t in data.filter_types],
        disabled=bool(data.disabled),
        rate_limit=data.rate_limit,
        meta=data.metadata or {},
        secret_ciphertext=encrypt_secret(
            settings.secret_bytes, endpoint_id, new_secret()
        ),
        failed_streak=0,
        created_at=moment,
        updated_at=moment,
    )
    db.add(endpoint)
    await db.flush()
    log.info(
        "webhooks.endpoint_created", merchant_id=who.merchant_id, webhook_id=endpoint_id
    )
    return endpoint


async def get_webhook(
    db: AsyncSession, who: Principal, webhook_id: str
) -> WebhookEndpoint:
    endpoint = await db.get(WebhookEndpoint, webhook_id)
    if endpoint is None or endpoint.deleted_at is not None or not who.owns(endpoint):
        raise WebhookNotFound(webhook_id)
    return endpoint


async def update_webhook(
    db: AsyncSession,
    settings: Settings,
    clock: Clock,
    who: Principal,
    webhook_id: str,
    data: WebhookUpdate,
) -> WebhookEndpoint:
    endpoint = await get_webhook(db, who, webhook_id)
    if data.url is not None:
        await check_url(settings, data.url, who.mode)
        endpoint.url = data.url
    if data.description is not None:
        endpoint.description = data.description
    if data.filter_types is not None:
        endpoint.filter_types = [t.value for t in data.filter_types]
    if data.metadata is not None:
        endpoint.meta = data.metadata
    if "rate_limit" in data.model_fields_set:
        endpoint.rate_limit = data.rate_limit
    if data.disabled is not None:
        _set_disabled(endpoint, data.disabled)
    endpoint.updated_at = clock.now()
    await db.flush()
    log.info(
        "webhooks.endpoint_updated", merchant_id=who.merchant_id, webhook_id=webhook_id
    )
    return endpoint


def _set_disabled(endpoint: WebhookEndpoint, disabled: bool) -> None:
    endpoint.disabled = disabled
    if not disabled:
        # Enabling again starts the failure count afresh.
        endpoint.disabled_reason = None
        endpoint.failed_streak = 0


async def delete_webhook(
    db: AsyncSession, clock: Clock, who: Principal, webhook_id: str
) -> None:
    """Soft delete: the endpoint's delivery log stays readable in the database,
    and deliveries not yet sent are cancelled."""
    endpoint = await get_webhook(db, who, webhook_id)
    moment = clock.now()
    endpoint.deleted_at = moment
    endpoint.updated_at = moment
    await db.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == webhook_id,
            WebhookDelivery.status == "pending",
        )
        .values(status="cancelled", finished_at=moment, next_attempt_at=None)
    )
    await db.flush()
    log.info(
        "webhooks.endpoint_deleted", merchant_id=who.merchant_id, webhook_id=webhook_id
    )


async def reveal_secret(
    db: AsyncSession, settings: Settings, who: Principal, webhook_id: str
) -> str:
    endpoint = await get_webhook(db, who, webhook_id)
    return decrypt_secret(
        settings.secret_bytes, endpoint.id, endpoint.secret_ciphertext
    )


async def list_webhooks(
    db: AsyncSession, who: Principal, *, limit: int, iterator: str | None
) -> Slice:
    """Newest first; ``iterator`` continues after the endpoint with that id."""
    query = select(WebhookEndpoint).where(
        WebhookEndpoint.merchant_id == who.merchant_id,
        WebhookEndpoint.mode == who.mode,
        WebhookEndpoint.deleted_at.is_(None),
    )
    if iterator:
        after = await get_webhook(db, who, iterator)
        query = query.where(
            or_(
                WebhookEndpoint.created_at < after.created_at,
                and_(
                    WebhookEndpoint.created_at == after.created_at,
                    WebhookEndpoint.id < after.id,
                ),
            )
        )
    query = query.order_by(WebhookEndpoint.created_at.desc(), WebhookEndpoint.id.desc())
    rows = list(await db.scalars(query.limit(limit + 1)))
    done = len(rows) <= limit
    rows = rows[:limit]
    return Slice(rows, None if done or not rows else rows[-1].id, done)
