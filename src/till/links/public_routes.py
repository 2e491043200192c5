"""The public side of links: ``/buy/{product_id}``, ``/l/{slug}`` and QR codes.

No API key: anyone with the URL may open it. A buyer's visit creates a
session and is redirected (303) to its hosted page; a preview bot or a HEAD
request gets the Open Graph page; a link that cannot sell gets the "no
longer available" page. None of these ever answers with an error in JSON
or a stack trace: the reader is a person, or a bot drawing a card for one.
"""

from __future__ import annotations

from collections.abc import Mapping

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from till.catalog.errors import ProductArchived
from till.checkout.service import checkout_url
from till.core.errors import TillError
from till.http.deps import Ctx, Db
from till.links import pages, qr, visit
from till.links.params import merge_params, usable_params
from till.links.unfurlers import wants_preview_only
from till.links.urls import short_url, static_url
from till.links.visit import Closed, Offer

log = structlog.get_logger(__name__)

router = APIRouter(tags=["payment links"])

_QR_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


@router.get("/buy/{product_id}")
@router.head("/buy/{product_id}", include_in_schema=False)
async def buy(product_id: str, request: Request, db: Db, ctx: Ctx) -> Response:
    """The static link of a product: a new checkout session per visit.

    Query parameters prefill and shape the session (see docs/links.md);
    invalid values are ignored. Answers 303 to the hosted page, 200 with a
    preview page for HEAD and link-preview bots, 404 for an unknown product
    and 410 for an archived one (HTML pages).
    """
    found = await visit.open_static(db, product_id)
    link_url = static_url(ctx.settings.public_url, product_id)
    params = usable_params(request.query_params.multi_items())
    return await _answer(request, db, ctx, found, params, link_url)


@router.get("/l/{slug}")
@router.head("/l/{slug}", include_in_schema=False)
async def short_link(slug: str, request: Request, db: Db, ctx: Ctx) -> Response:
    """A short link: the static link with the merchant's saved parameters.

    The visit's own query overrides saved parameters except locked fields.
    Answers as ``/buy/{product_id}`` does, plus 410 for a link deactivated,
    expired or at its completion limit.
    """
    found = await visit.open_short(db, slug, ctx.clock.now())
    params = usable_params(request.query_params.multi_items())
    if isinstance(found, Offer) and found.link is not None:
        params = usable_params(merge_params(found.link.params, params).items())
    link_url = short_url(ctx.settings.public_url, slug.lower())
    return await _answer(request, db, ctx, found, params, link_url)


@router.get("/buy/{product_id}/qr.{kind}")
async def buy_qr(
    product_id: str, kind: str, request: Request, db: Db, ctx: Ctx
) -> Response:
    """The QR code (``qr.svg`` or ``qr.png``) of a product's static link.

    The query given here is carried into the encoded link, so
    ``/buy/pdt_…/qr.svg?metadata_campaign=flyer`` encodes a link that tags
    its sessions. 404 unknown product or type, 410 archived product.
    """
    found = await visit.open_static(db, product_id)
    if isinstance(found, Closed):
        return pages.closed_response(found)
    params = usable_params(request.query_params.multi_items())
    return _qr(static_url(ctx.settings.public_url, product_id, params), kind)


@router.get("/l/{slug}/qr.{kind}")
async def short_link_qr(
    slug: str, kind: str, request: Request, db: Db, ctx: Ctx
) -> Response:
    """The QR code (``qr.svg`` or ``qr.png``) of a short link.

    Served for a deactivated or expired link too, so codes can be printed
    before a campaign starts. 404 unknown slug or type.
    """
    link = await visit.find_by_slug(db, slug)
    if link is None:
        return pages.closed_response(Closed("unknown"))
    url = short_url(ctx.settings.public_url, link.slug)
    if request.url.query:
        url = f"{url}?{request.url.query}"
    return _qr(url, kind)


async def _answer(
    request: Request,
    db: Db,
    ctx: Ctx,
    found: Offer | Closed,
    params: Mapping[str, str],
    link_url: str,
) -> Response:
    if isinstance(found, Closed):
        log.info("links.visit_refused", reason=found.reason, path=request.url.path)
        return pages.closed_response(found)
    if wants_preview_only(request.method, request.headers):
        return pages.preview_response(
            found.product, found.merchant, link_url, _relative(request)
        )
    try:
        session = await visit.start_checkout(db, found, params, ctx.clock.now())
    except ProductArchived:
        return pages.closed_response(Closed("archived", found.product, found.merchant))
    except TillError as failed:
        log.warning(
            "links.checkout_failed", product_id=found.product.id, code=failed.code
        )
        return pages.unusable_response()
    await db.commit()
    url = checkout_url(ctx.settings.public_url, session.id)
    response = RedirectResponse(url, status_code=303)
    response.headers["cache-control"] = "no-store"
    response.headers["referrer-policy"] = "no-referrer"
    return response


def _relative(request: Request) -> str:
    """The visited path and query, for the preview page's "continue" link."""
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path


def _qr(url: str, kind: str) -> Response:
    media_type = _QR_TYPES.get(kind)
    if media_type is None:
        return pages.closed_response(Closed("unknown"))
    body = qr.svg_bytes(url) if kind == "svg" else qr.png_bytes(url)
    headers = {
        "cache-control": "public, max-age=86400",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'",
    }
    return Response(body, media_type=media_type, headers=headers)
