"""Developers: API keys, allowed hosts and origins, the merchant's settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from till.dashboard import forms
from till.dashboard.forms import FormErrors
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer, Viewer
from till.http.deps import Db, Now
from till.merchants import service as merchants
from till.merchants.schemas import MerchantUpdate

router = APIRouter(prefix="/dashboard/developers", route_class=DashboardRoute)


@router.get("", response_class=HTMLResponse)
async def developers(request: Request, viewer: CurrentViewer, db: Db) -> Response:
    return await _page(request, viewer, db)


@router.post("/keys", response_class=HTMLResponse)
async def create_key(
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    clock: Now,
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    issued = await merchants.create_key(
        db, clock, viewer.merchant.id, viewer.mode, name.strip()
    )
    await db.commit()
    # The secret is shown in this reply only; only its digest is stored.
    return await _page(request, viewer, db, new_secret=issued.secret)


@router.post("/keys/{key_id}/revoke")
async def revoke_key(
    key_id: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    await merchants.revoke_key(db, clock, key_id, merchant_id=viewer.merchant.id)
    await db.commit()
    return RedirectResponse("/dashboard/developers", 303)


@router.post("/settings", response_class=HTMLResponse)
async def update_settings(request: Request, viewer: CurrentViewer, db: Db) -> Response:
    form = await forms.read_form(request)
    try:
        changes = MerchantUpdate.model_validate(settings_spec(form))
    except ValidationError as exc:
        return await _page(request, viewer, db, form=form, errors=forms.errors_of(exc))
    await merchants.update_settings(
        db, viewer.merchant.id, changes.model_dump(exclude_unset=True)
    )
    await db.commit()
    return RedirectResponse("/dashboard/developers?saved=1#settings", 303)


def settings_spec(form: dict[str, str]) -> dict[str, Any]:
    """The body of ``PATCH /merchant``, built from the settings form."""
    return {
        "name": form.get("name", ""),
        "country": form.get("country", ""),
        "locale": form.get("locale", ""),
        "default_return_url": form.get("default_return_url", "").strip() or None,
        "allowed_return_hosts": forms.lines(form.get("allowed_return_hosts")),
        "embed_origins": forms.lines(form.get("embed_origins")),
    }


def _settings_form(viewer: Viewer) -> dict[str, str]:
    merchant = viewer.merchant
    return {
        "name": merchant.name,
        "country": merchant.country,
        "locale": merchant.locale,
        "default_return_url": merchant.default_return_url or "",
        "allowed_return_hosts": "\n".join(merchant.allowed_return_hosts),
        "embed_origins": "\n".join(merchant.embed_origins),
    }


async def _page(
    request: Request,
    viewer: Viewer,
    db: Db,
    *,
    new_secret: str | None = None,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    keys = await merchants.list_keys(db, viewer.merchant.id, mode=viewer.mode)
    return page(
        request,
        viewer,
        "developers.html",
        status=422 if errors else 200,
        section="developers",
        keys=keys,
        new_secret=new_secret,
        form=form or _settings_form(viewer),
        errors=errors or {},
        saved=request.query_params.get("saved") == "1",
    )
