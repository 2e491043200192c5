"""Short links through the API: ``/products/{id}/short_links`` and friends.

This router must be mounted before the products router: otherwise
``GET /products/short_links`` would be taken for a product whose id is
``short_links``.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from till.http.deps import Caller, Ctx, Db
from till.http.idempotency import Idempotent
from till.http.pagination import PageParams
from till.http.schemas import ListOf
from till.links import service
from till.links.models import ShortLink
from till.links.schemas import (
    ShortLinkCreate,
    ShortLinkOut,
    ShortLinkUpdate,
    short_link_out,
)

router = APIRouter(prefix="/products", tags=["payment links"])


@router.post("/{product_id}/short_links", response_model=ShortLinkOut)
async def create_short_link(
    product_id: str,
    body: ShortLinkCreate,
    db: Db,
    ctx: Ctx,
    who: Caller,
    idem: Idempotent,
) -> ShortLinkOut | Response:
    """Create a short link ``/l/{slug}`` for a product, with saved parameters.

    ``slug``: lowercase letters, digits and dashes (upper case is lowered),
    unique across the server. ``static_checkout_params`` are the query
    parameters of a static link (``quantity``, ``email``, ``metadata_<key>``,
    ...), applied on every visit. Till's additions: ``active`` (false: the link
    shows ``inactive_message``), ``expires_at`` and ``completion_limit`` (the
    number of completed payments after which the link closes).

    Errors: 401 bad key, 404 product not the caller's, 409 slug taken
    (SLUG_TAKEN) or product archived, 422 a field is invalid (named).
    """

    async def create() -> ShortLinkOut:
        link = await service.create_short_link(db, ctx.clock, who, product_id, body)
        return short_link_out(link, ctx.settings.public_url, 0)

    return await idem.run(create, ShortLinkOut)


@router.get("/short_links", response_model=ListOf[ShortLinkOut])
async def list_short_links(
    db: Db, ctx: Ctx, who: Caller, page: PageParams, product_id: str | None = None
) -> ListOf[ShortLinkOut]:
    """List short links, newest first, optionally of one product.

    Each carries ``completions``, the number of completed checkout sessions
    it produced. Errors: 401, 422 bad page parameters.
    """
    links = await service.list_short_links(db, who, page, product_id=product_id)
    return ListOf(items=await _out(db, ctx, links))


@router.get("/short_links/{slug}", response_model=ShortLinkOut)
async def retrieve_short_link(slug: str, db: Db, ctx: Ctx, who: Caller) -> ShortLinkOut:
    """Read one short link by its slug. Errors: 401, 404."""
    link = await service.get_short_link(db, who, slug)
    return (await _out(db, ctx, [link]))[0]


@router.patch("/short_links/{slug}", response_model=ShortLinkOut)
async def update_short_link(
    slug: str, body: ShortLinkUpdate, db: Db, ctx: Ctx, who: Caller
) -> ShortLinkOut:
    """Change a short link: ``active`` (false deactivates it, with an optional
    ``inactive_message`` shown to buyers), ``expires_at``,
    ``completion_limit``, ``static_checkout_params``; ``null`` clears the
    message, expiry or limit. Sessions already open are not affected.

    Errors: 401, 404, 422 a field is invalid (named).
    """
    link = await service.update_short_link(db, ctx.clock, who, slug, body)
    await db.commit()
    return (await _out(db, ctx, [link]))[0]


async def _out(db: Db, ctx: Ctx, links: list[ShortLink]) -> list[ShortLinkOut]:
    counts = await service.completions(db, [link.id for link in links])
    public = ctx.settings.public_url
    return [short_link_out(link, public, counts[link.id]) for link in links]
