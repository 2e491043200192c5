"""Short links: named URLs for a product with saved checkout parameters."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from till.catalog import service as catalog
from till.catalog.errors import ProductArchived
from till.core.errors import Conflict, FieldInvalid
from till.dashboard import forms
from till.dashboard.forms import FormErrors, FormInvalid
from till.dashboard.paging import pager_of
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import CurrentViewer, Viewer
from till.http.deps import Ctx, Db, Now
from till.http.pagination import Page
from till.links import service as links
from till.links.models import ShortLink
from till.links.schemas import (
    ShortLinkCreate,
    ShortLinkOut,
    ShortLinkUpdate,
    short_link_out,
)

router = APIRouter(prefix="/dashboard/links", route_class=DashboardRoute)

# Products offered in the create form; more can be linked from the API.
PRODUCT_CHOICES = 100


@router.get("", response_class=HTMLResponse)
async def list_links(
    request: Request, viewer: CurrentViewer, db: Db, ctx: Ctx, product: str = ""
) -> Response:
    blank = {"product_id": product}
    return await _list_page(request, viewer, db, ctx, blank, {})


@router.post("", response_class=HTMLResponse)
async def create_link(
    request: Request, viewer: CurrentViewer, db: Db, ctx: Ctx
) -> Response:
    form = await forms.read_form(request)
    product_id = form.get("product_id", "")
    try:
        data = ShortLinkCreate.model_validate(link_spec(form))
        await links.create_short_link(db, ctx.clock, viewer.who, product_id, data)
    except ValidationError as exc:
        return await _list_page(request, viewer, db, ctx, form, forms.errors_of(exc))
    except FormInvalid as exc:
        return await _list_page(request, viewer, db, ctx, form, exc.errors)
    except ProductArchived:
        errors = {"product_id": "This product is archived; unarchive it first."}
        return await _list_page(request, viewer, db, ctx, form, errors)
    except (FieldInvalid, Conflict) as exc:
        errors = forms.errors_of_domain(exc)
        return await _list_page(request, viewer, db, ctx, form, errors)
    await db.commit()
    return RedirectResponse("/dashboard/links", 303)


@router.post("/{slug}/deactivate")
async def deactivate_link(
    slug: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    change = ShortLinkUpdate(active=False)
    await links.update_short_link(db, clock, viewer.who, slug, change)
    await db.commit()
    return RedirectResponse("/dashboard/links", 303)


@router.post("/{slug}/activate")
async def activate_link(
    slug: str, viewer: CurrentViewer, db: Db, clock: Now
) -> Response:
    change = ShortLinkUpdate(active=True)
    await links.update_short_link(db, clock, viewer.who, slug, change)
    await db.commit()
    return RedirectResponse("/dashboard/links", 303)


def link_spec(form: dict[str, str]) -> dict[str, Any]:
    """The API's short-link body, built from the form's fields."""
    return {
        "slug": form.get("slug", ""),
        "static_checkout_params": _params(form.get("params", "")),
        "completion_limit": forms.optional_int(
            form.get("completion_limit"), "completion_limit"
        ),
        "expires_at": form.get("expires_at", "").strip() or None,
        "inactive_message": form.get("inactive_message", "").strip() or None,
    }


def _params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for line in forms.lines(text):
        name, equals, value = line.partition("=")
        if not equals or not name.strip():
            raise FormInvalid("params", f"{line!r} is not name=value")
        params[name.strip()] = value.strip()
    return params


async def shown_links(
    db: Db, ctx: Ctx, rows: list[ShortLink]
) -> list[tuple[ShortLink, ShortLinkOut]]:
    """Each link with its public URLs and completed checkouts."""
    counts = await links.completions(db, [link.id for link in rows])
    public = ctx.settings.public_url
    return [(link, short_link_out(link, public, counts[link.id])) for link in rows]


async def links_of_product(
    db: Db, ctx: Ctx, viewer: Viewer, product_id: str
) -> list[tuple[ShortLink, ShortLinkOut]]:
    rows = await links.list_short_links(
        db, viewer.who, Page(size=PRODUCT_CHOICES, number=0), product_id=product_id
    )
    return await shown_links(db, ctx, rows)


async def _list_page(
    request: Request,
    viewer: Viewer,
    db: Db,
    ctx: Ctx,
    form: dict[str, str],
    errors: FormErrors,
) -> HTMLResponse:
    pager = pager_of(request)
    rows = await links.list_short_links(db, viewer.who, pager.page)
    products = await catalog.list_products(
        db, viewer.who, Page(size=PRODUCT_CHOICES, number=0)
    )
    names = {p.id: p.name for p in products}
    return page(
        request,
        viewer,
        "links/list.html",
        status=422 if errors else 200,
        section="links",
        links=await shown_links(db, ctx, rows),
        pager=pager.seen(len(rows)),
        products=products,
        names=names,
        form=form,
        errors=errors,
    )
