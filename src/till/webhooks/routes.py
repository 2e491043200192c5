"""``/webhooks``: where a merchant's events go, and what happened to them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from till.http.deps import Caller, Ctx, Db, Now
from till.http.idempotency import Idempotent
from till.webhooks import deliveries, service
from till.webhooks.outbox import notify_new_events
from till.webhooks.schemas import (
    CursorPage,
    DeliveryOut,
    WebhookCreate,
    WebhookOut,
    WebhookSecretOut,
    WebhookUpdate,
    delivery_out,
    webhook_out,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

Limit = Annotated[int, Query(ge=1, le=service.MAX_LIMIT)]
DeliveryStatus = Literal["pending", "in_flight", "succeeded", "failed", "cancelled"]


@router.post("", response_model=WebhookOut)
async def create_webhook(
    body: WebhookCreate, db: Db, ctx: Ctx, clock: Now, who: Caller, idem: Idempotent
) -> WebhookOut | Response:
    """Register a URL to receive events, signed with a new secret.

    ``filter_types`` limits the event types sent (empty: all). Live-mode URLs
    must be https and resolve only to public addresses; test mode also accepts
    ``http://localhost`` and private networks. Errors: 401, 409 idempotency key
    reused, 422 invalid field or refused URL (code WEBHOOK_URL_NOT_ALLOWED).
    """

    async def create() -> WebhookOut:
        endpoint = await service.create_webhook(db, ctx.settings, clock, who, body)
        return webhook_out(endpoint)

    return await idem.run(create, WebhookOut)


@router.get("", response_model=CursorPage[WebhookOut])
async def list_webhooks(
    db: Db,
    who: Caller,
    limit: Limit = service.DEFAULT_LIMIT,
    iterator: str | None = None,
) -> CursorPage[WebhookOut]:
    """List endpoints, newest first. Pass the returned ``iterator`` for the next
    page; ``done`` is true on the last. Errors: 401, 404 unknown iterator, 422.
    """
    page = await service.list_webhooks(db, who, limit=limit, iterator=iterator)
    return CursorPage(
        data=[webhook_out(e) for e in page.rows], iterator=page.iterator, done=page.done
    )


@router.get("/{webhook_id}", response_model=WebhookOut)
async def retrieve_webhook(webhook_id: str, db: Db, who: Caller) -> WebhookOut:
    """Read one endpoint. Errors: 401, 404."""
    return webhook_out(await service.get_webhook(db, who, webhook_id))


@router.patch("/{webhook_id}", response_model=WebhookOut)
async def update_webhook(
    webhook_id: str, body: WebhookUpdate, db: Db, ctx: Ctx, clock: Now, who: Caller
) -> WebhookOut:
    """Change the URL, description, filter, metadata or ``disabled``.

    A disabled endpoint receives nothing: a delivery that comes due while it
    is disabled is cancelled (it can be re-sent from the delivery log), and
    events recorded meanwhile are never sent to it. Enabling an endpoint Till
    disabled after repeated failures resets its failure count.
    Errors: 401, 404, 422 invalid field or refused URL.
    """
    endpoint = await service.update_webhook(
        db, ctx.settings, clock, who, webhook_id, body
    )
    await db.commit()
    return webhook_out(endpoint)


@router.delete("/{webhook_id}", status_code=204)
async def delete_webhook(webhook_id: str, db: Db, clock: Now, who: Caller) -> Response:
    """Delete an endpoint; deliveries not yet sent to it are cancelled.

    Errors: 401, 404.
    """
    await service.delete_webhook(db, clock, who, webhook_id)
    await db.commit()
    return Response(status_code=204)


@router.get("/{webhook_id}/secret", response_model=WebhookSecretOut)
async def retrieve_webhook_secret(
    webhook_id: str, db: Db, ctx: Ctx, who: Caller
) -> WebhookSecretOut:
    """The signing secret (``whsec_`` + base64), for verifying deliveries with
    any Standard Webhooks library. Errors: 401, 404.
    """
    secret = await service.reveal_secret(db, ctx.settings, who, webhook_id)
    return WebhookSecretOut(secret=secret)


@router.get("/{webhook_id}/deliveries", response_model=CursorPage[DeliveryOut])
async def list_deliveries(
    webhook_id: str,
    db: Db,
    who: Caller,
    limit: Limit = service.DEFAULT_LIMIT,
    iterator: str | None = None,
    status: DeliveryStatus | None = None,
) -> CursorPage[DeliveryOut]:
    """Till's addition: the endpoint's deliveries, newest first, each with
    every attempt (time, duration, HTTP status, first 2 KB of the answer,
    error). ``status``: pending, in_flight, succeeded, failed or cancelled.
    Pages like ``GET /webhooks``. Errors: 401, 404, 422.
    """
    page = await deliveries.list_deliveries(
        db, who, webhook_id, limit=limit, iterator=iterator, status=status
    )
    return CursorPage(
        data=[delivery_out(v.delivery, v.event_type, v.attempts) for v in page.rows],
        iterator=page.iterator,
        done=page.done,
    )


@router.get("/{webhook_id}/deliveries/{delivery_id}", response_model=DeliveryOut)
async def retrieve_delivery(
    webhook_id: str, delivery_id: str, db: Db, who: Caller
) -> DeliveryOut:
    """Till's addition: one delivery with its attempts. Errors: 401, 404."""
    view = await deliveries.get_delivery(db, who, webhook_id, delivery_id)
    return delivery_out(view.delivery, view.event_type, view.attempts)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/resend", response_model=DeliveryOut
)
async def resend_delivery(
    webhook_id: str, delivery_id: str, db: Db, ctx: Ctx, clock: Now, who: Caller
) -> DeliveryOut:
    """Till's addition: send a finished delivery's event again, now.

    Creates a new delivery (``resent_from`` names the original) with a fresh
    retry schedule; the receiver sees the same ``webhook-id``, so a handler
    that drops duplicates will drop it too. Errors: 401, 404, 409 the
    endpoint is disabled (WEBHOOK_DISABLED) or the delivery is still being
    attempted (DELIVERY_IN_PROGRESS).
    """
    view = await deliveries.resend(db, clock, who, webhook_id, delivery_id)
    await db.commit()
    notify_new_events(ctx)
    return delivery_out(view.delivery, view.event_type, view.attempts)
