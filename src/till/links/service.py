"""Short links as the merchant manages them: create, list, read, change."""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from till.catalog import service as catalog
from till.catalog.errors import ProductArchived
from till.checkout.models import COMPLETED, CheckoutSession
from till.core.clock import Clock
from till.core.ids import new_id
from till.http.pagination import Page
from till.links.errors import ShortLinkNotFound, SlugTaken
from till.links.models import ShortLink
from till.links.schemas import ShortLinkCreate, ShortLinkUpdate
from till.merchants.keys import Principal

log = structlog.get_logger(__name__)


async def create_short_link(
    db: AsyncSession,
    clock: Clock,
    who: Principal,
    product_id: str,
    data: ShortLinkCreate,
) -> ShortLink:
    """Name a link to one of the caller's products; flushes, never commits.

    The slug is checked first for a clear answer; the unique index decides
    when two requests race for one slug.
    """
    product = await catalog.get_product(db, who, product_id)
    if product.archived:
        raise ProductArchived(product.id, field="id")
    if await db.scalar(select(ShortLink.id).where(ShortLink.slug == data.slug)):
        raise SlugTaken(data.slug)
    now = clock.now()
    link = ShortLink(
        id=new_id("lnk"),
        merchant_id=who.merchant_id,
        mode=who.mode,
        product_id=product.id,
        slug=data.slug,
        params=dict(data.static_checkout_params or {}),
        active=data.active,
        inactive_message=data.inactive_message or None,
        expires_at=data.expires_at,
        completion_limit=data.completion_limit,
        created_at=now,
        updated_at=now,
    )
    db.add(link)
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise SlugTaken(data.slug) from None
    log.info("links.short_link_created", merchant_id=who.merchant_id, link_id=link.id)
    return link


async def get_short_link(db: AsyncSession, who: Principal, slug: str) -> ShortLink:
    """A link of the caller's merchant and mode by slug; others' are 404."""
    link = await db.scalar(
        select(ShortLink).where(
            ShortLink.slug == slug.lower(),
            ShortLink.merchant_id == who.merchant_id,
            ShortLink.mode == who.mode,
        )
    )
    if link is None:
        raise ShortLinkNotFound(slug)
    return link


async def list_short_links(
    db: AsyncSession, who: Principal, page: Page, *, product_id: str | None = None
) -> list[ShortLink]:
    query = select(ShortLink).where(
        ShortLink.merchant_id == who.merchant_id, ShortLink.mode == who.mode
    )
    if product_id is not None:
        query = query.where(ShortLink.product_id == product_id)
    query = query.order_by(ShortLink.created_at.desc(), ShortLink.id)
    return list(await db.scalars(page.apply(query)))


async def links_of_product(db: AsyncSession, product_id: str) -> list[ShortLink]:
    """Every short link of a product, oldest first (for the command line)."""
    query = select(ShortLink).where(ShortLink.product_id == product_id)
    return list(await db.scalars(query.order_by(ShortLink.created_at, ShortLink.id)))


async def update_short_link(
    db: AsyncSession, clock: Clock, who: Principal, slug: str, data: ShortLinkUpdate
) -> ShortLink:
    """Deactivate or reactivate, set or clear the message, expiry or limit."""
    link = await get_short_link(db, who, slug)
    changes = data.model_dump(exclude_unset=True)
    if "static_checkout_params" in changes:
        link.params = dict(changes.pop("static_checkout_params") or {})
    if changes.get("active") is None:
        changes.pop("active", None)
    if "inactive_message" in changes:
        changes["inactive_message"] = changes["inactive_message"] or None
    for name, value in changes.items():
        setattr(link, name, value)
    link.updated_at = clock.now()
    await db.flush()
    log.info(
        "links.short_link_changed",
        merchant_id=who.merchant_id,
        link_id=link.id,
        fields=sorted(data.model_fields_set),
    )
    return link


async def completions(db: AsyncSession, link_ids: Sequence[str]) -> dict[str, int]:
    """Completed checkout sessions per link, for the links given (one query)."""
    if not link_ids:
        return {}
    rows = await db.execute(
        select(CheckoutSession.link_id, func.count())
        .where(
            CheckoutSession.link_id.in_(set(link_ids)),
            CheckoutSession.status == COMPLETED,
        )
        .group_by(CheckoutSession.link_id)
    )
    counted = {str(link_id): int(count) for link_id, count in rows.all()}
    return {link_id: counted.get(link_id, 0) for link_id in link_ids}
