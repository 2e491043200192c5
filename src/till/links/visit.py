"""A visit to a link: can it still sell, and if so, a checkout session.

Links have no API key behind them. The product id or the slug in the URL
says which merchant and mode the session belongs to, and the session is
created by the same function as ``POST /checkouts``, so every rule of a
session (prices, quantities, countries) holds for link traffic too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import structlog
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from till.catalog.models import Product
from till.checkout.create import create_session
from till.checkout.models import CheckoutSession
from till.checkout.schemas import CheckoutCreate
from till.core.errors import TillError
from till.links.models import ShortLink
from till.links.params import LinkCheckout, LinkTarget, checkout_request
from till.links.schemas import MAX_SLUG_LENGTH, SLUG_PATTERN
from till.links.service import completions
from till.merchants.keys import Principal
from till.merchants.models import Merchant

log = structlog.get_logger(__name__)

# The key id recorded for sessions a link created: there is no API key.
LINK_KEY_ID = "link"
LINK_ORIGIN = "link"

# What a product id can look like; anything else is not looked up at all
# (a NUL byte sent to PostgreSQL is an error there, not a miss).
_ID = re.compile(r"[A-Za-z0-9_]{1,64}")

Reason = Literal["unknown", "archived", "inactive", "expired", "sold_out"]


@dataclass(frozen=True)
class Offer:
    """A link that can sell right now."""

    product: Product
    merchant: Merchant
    link: ShortLink | None = None


@dataclass(frozen=True)
class Closed:
    """A link that cannot sell: unknown (404) or no longer available (410)."""

    reason: Reason
    product: Product | None = None
    merchant: Merchant | None = None
    message: str | None = None

    @property
    def status(self) -> int:
        return 404 if self.reason == "unknown" else 410


async def open_static(db: AsyncSession, product_id: str) -> Offer | Closed:
    """The offer behind ``/buy/{product_id}``."""
    if not _ID.fullmatch(product_id):
        return Closed("unknown")
    product = await db.get(Product, product_id)
    if product is None:
        return Closed("unknown")
    merchant = await db.get(Merchant, product.merchant_id)
    if merchant is None:
        return Closed("unknown")
    if product.archived:
        return Closed("archived", product, merchant)
    return Offer(product, merchant)


async def open_short(db: AsyncSession, slug: str, moment: datetime) -> Offer | Closed:
    """The offer behind ``/l/{slug}``, unless the link has been closed."""
    link = await find_by_slug(db, slug)
    if link is None:
        return Closed("unknown")
    found = await open_static(db, link.product_id)
    if isinstance(found, Closed):
        return found
    reason = await _closed_reason(db, link, moment)
    if reason is not None:
        message = link.inactive_message if reason == "inactive" else None
        return Closed(reason, found.product, found.merchant, message)
    return Offer(found.product, found.merchant, link)


async def find_by_slug(db: AsyncSession, slug: str) -> ShortLink | None:
    slug = slug.lower()
    if len(slug) > MAX_SLUG_LENGTH or not re.fullmatch(SLUG_PATTERN, slug):
        return None
    return await db.scalar(select(ShortLink).where(ShortLink.slug == slug))


async def _closed_reason(
    db: AsyncSession, link: ShortLink, moment: datetime
) -> Reason | None:
    if not link.active:
        return "inactive"
    if link.expires_at is not None and link.expires_at <= moment:
        return "expired"
    if await _limit_reached(db, link):
        return "sold_out"
    return None


async def _limit_reached(db: AsyncSession, link: ShortLink) -> bool:
    """Whether the link has as many completed sessions as its limit allows.

    Known shortcoming: this is checked when a visit starts a checkout, not
    when a payment completes. Every buyer who opened a session before the
    limit was reached can still pay, so with a limit of 1, two buyers who
    both open the link and then both pay produce two completed sessions.
    Closing that needs the payment step to take a place in the same
    transaction that completes the session, e.g. a ``completions`` column on
    the link raised by one conditional ``UPDATE ... WHERE completions <
    completion_limit`` (as discount usage limits do), refusing the payment
    when no row changes.
    """
    if link.completion_limit is None:
        return False
    done = (await completions(db, [link.id]))[link.id]
    return done >= link.completion_limit


async def start_checkout(
    db: AsyncSession, offer: Offer, params: Mapping[str, str], moment: datetime
) -> CheckoutSession:
    """A new open session for the offer; flushes, never commits.

    If the session cannot be created from the parameters (a combination the
    per-field checks let through), it is created from the product alone,
    keeping the metadata and return URL: a link never fails on a typo.
    """
    product, merchant = offer.product, offer.merchant
    who = Principal(product.merchant_id, product.mode, LINK_KEY_ID)
    target = link_target(product, merchant)
    request = _request(params, target)
    link_id = offer.link.id if offer.link is not None else None
    try:
        session = await create_session(
            db, who, request.body, moment, origin=LINK_ORIGIN, link_id=link_id
        )
    except TillError as refused:
        log.info(
            "links.params_refused",
            product_id=product.id,
            code=refused.code,
            field=refused.field,
        )
        request = LinkCheckout(_bare(request.body, target))
        session = await create_session(
            db, who, request.body, moment, origin=LINK_ORIGIN, link_id=link_id
        )
    if request.lone_name and not session.customer_name:
        session.customer_name = request.lone_name
    await db.flush()
    log.info("links.session_started", session_id=session.id, product_id=product.id)
    return session


def link_target(product: Product, merchant: Merchant) -> LinkTarget:
    return LinkTarget(
        product_id=product.id,
        minimum_amount=product.amount,
        pay_what_you_want=bool(product.price.get("pay_what_you_want", False)),
        allowed_return_hosts=tuple(merchant.allowed_return_hosts or ()),
        default_return_url=merchant.default_return_url,
    )


def _request(params: Mapping[str, str], target: LinkTarget) -> LinkCheckout:
    try:
        return checkout_request(params, target)
    except ValidationError:
        return LinkCheckout(_bare(None, target))


def _bare(body: CheckoutCreate | None, target: LinkTarget) -> CheckoutCreate:
    return CheckoutCreate.model_validate(
        {
            "product_cart": [{"product_id": target.product_id, "quantity": 1}],
            "metadata": body.metadata if body is not None else None,
            "return_url": (
                body.return_url if body is not None else target.default_return_url
            ),
        }
    )
