"""Webhook endpoints and their delivery log, with re-send."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from till.core.errors import FieldInvalid
from till.dashboard import forms
from till.dashboard.forms import FormErrors
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer, Viewer
from till.events import EventType
from till.http.deps import Ctx, Db, Now
from till.webhooks import deliveries
from till.webhooks import service as webhooks
from till.webhooks.models import WebhookEndpoint
from till.webhooks.outbox import notify_new_events
from till.webhooks.schemas import WebhookCreate, WebhookUpdate

router = APIRouter(prefix="/dashboard/webhooks", route_class=DashboardRoute)

PAGE_SIZE = 20
DELIVERY_STATUSES = ("pending", "in_flight", "succeeded", "failed", "cancelled")
EVENT_TYPES = [event.value for event in EventType]
# How much of an endpoint's answer the delivery log shows inline.
EXCERPT = 300


@router.get("", response_class=HTMLResponse)
async def list_endpoints(
    request: Request, viewer: CurrentViewer, db: Db, after: str = ""
) -> Response:
    return await _list_page(request, viewer, db, after, {"filter_types": []}, {})


@router.post("", response_class=HTMLResponse)
async def create_endpoint(
    request: Request, viewer: CurrentViewer, db: Db, ctx: Ctx
) -> Response:
    form = await _read(request)
    try:
        data = WebhookCreate.model_validate(endpoint_spec(form))
        endpoint = await webhooks.create_webhook(
            db, ctx.settings, ctx.clock, viewer.who, data
        )
    except ValidationError as exc:
        return await _list_page(request, viewer, db, "", form, forms.errors_of(exc))
    except FieldInvalid as exc:
        errors = forms.errors_of_domain(exc)
        return await _list_page(request, viewer, db, "", form, errors)
    await db.commit()
    return RedirectResponse(f"/dashboard/webhooks/{endpoint.id}", 303)


@router.get("/{webhook_id}", response_class=HTMLResponse)
async def show_endpoint(
    request: Request,
    webhook_id: str,
    viewer: CurrentViewer,
    db: Db,
    after: str = "",
    status: str = "",
) -> Response:
    endpoint = await webhooks.get_webhook(db, viewer.who, webhook_id)
    return await _endpoint_page(
        request, viewer, db, endpoint, form_of(endpoint), {}, after=after, status=status
    )


@router.post("/{webhook_id}", response_class=HTMLResponse)
async def update_endpoint(
    request: Request, webhook_id: str, viewer: CurrentViewer, db: Db, ctx: Ctx
) -> Response:
    endpoint = await webhooks.get_webhook(db, viewer.who, webhook_id)
    form = await _read(request)
    spec = {**endpoint_spec(form), "disabled": forms.checked(form, "disabled")}
    try:
        data = WebhookUpdate.model_validate(spec)
        await webhooks.update_webhook(
            db, ctx.settings, ctx.clock, viewer.who, webhook_id, data
        )
    except ValidationError as exc:
        errors = forms.errors_of(exc)
        return await _endpoint_page(request, viewer, db, endpoint, form, errors)
    except FieldInvalid as exc:
        errors = forms.errors_of_domain(exc)
        return await _endpoint_page(request, viewer, db, endpoint, form, errors)
    await db.commit()
    return RedirectResponse(f"/dashboard/webhooks/{webhook_id}", 303)


@router.post("/{webhook_id}/secret", response_class=HTMLResponse)
async def reveal_secret(
    request: Request, webhook_id: str, viewer: CurrentViewer, db: Db, ctx: Ctx
) -> Response:
    # A POST, so the secret never sits in a URL, a history or a server log.
    endpoint = await webhooks.get_webhook(db, viewer.who, webhook_id)
    secret = await webhooks.reveal_secret(db, ctx.settings, viewer.who, webhook_id)
    return await _endpoint_page(
        request, viewer, db, endpoint, form_of(endpoint), {}, secret=secret
    )


@router.post("/{webhook_id}/delete")
async def delete_endpoint(
    webhook_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    await webhooks.delete_webhook(db, clock, viewer.who, webhook_id)
    await db.commit()
    return RedirectResponse("/dashboard/webhooks", 303)


@router.post("/{webhook_id}/deliveries/{delivery_id}/resend")
async def resend_delivery(
    webhook_id: str, delivery_id: str, viewer: CurrentViewer, db: Db, ctx: Ctx
) -> Response:
    await deliveries.resend(db, ctx.clock, viewer.who, webhook_id, delivery_id)
    await db.commit()
    notify_new_events(ctx)
    return RedirectResponse(f"/dashboard/webhooks/{webhook_id}#deliveries", 303)


async def _read(request: Request) -> dict[str, Any]:
    form: dict[str, Any] = dict(await forms.read_form(request))
    chosen = await forms.read_form_lists(request, "filter_types")
    form["filter_types"] = chosen["filter_types"]
    return form


def endpoint_spec(form: dict[str, Any]) -> dict[str, Any]:
    """The API's endpoint body, built from the form's fields."""
    return {
        "url": str(form.get("url", "")).strip(),
        "description": str(form.get("description", "")).strip(),
        "filter_types": list(form.get("filter_types") or []),
    }


def form_of(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "url": endpoint.url,
        "description": endpoint.description,
        "filter_types": list(endpoint.filter_types),
        "disabled": "on" if endpoint.disabled else "",
    }


def excerpt(body: str | None) -> str:
    if not body:
        return ""
    return body if len(body) <= EXCERPT else body[:EXCERPT] + "…"


async def _list_page(
    request: Request,
    viewer: Viewer,
    db: Db,
    after: str,
    form: dict[str, Any],
    errors: FormErrors,
) -> HTMLResponse:
    found = await webhooks.list_webhooks(
        db, viewer.who, limit=PAGE_SIZE, iterator=after or None
    )
    return page(
        request,
        viewer,
        "webhooks/list.html",
        status=422 if errors else 200,
        section="webhooks",
        endpoints=found.rows,
        next_after=found.iterator,
        after=after,
        form=form,
        errors=errors,
        event_types=EVENT_TYPES,
    )


async def _endpoint_page(
    request: Request,
    viewer: Viewer,
    db: Db,
    endpoint: WebhookEndpoint,
    form: dict[str, Any],
    errors: FormErrors,
    *,
    after: str = "",
    status: str = "",
    secret: str | None = None,
) -> HTMLResponse:
    status = status if status in DELIVERY_STATUSES else ""
    log = await deliveries.list_deliveries(
        db,
        viewer.who,
        endpoint.id,
        limit=PAGE_SIZE,
        iterator=after or None,
        status=status or None,
    )
    return page(
        request,
        viewer,
        "webhooks/detail.html",
        status=422 if errors else 200,
        section="webhooks",
        endpoint=endpoint,
        form=form,
        errors=errors,
        secret=secret,
        deliveries=log.rows,
        next_after=log.iterator,
        after=after,
        delivery_status=status,
        delivery_statuses=DELIVERY_STATUSES,
        finished=deliveries.FINISHED,
        event_types=EVENT_TYPES,
        excerpt=excerpt,
    )
