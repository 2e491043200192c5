"""What ``till links ...`` does; the Typer commands in ``till.cli`` call these.

The command line is trusted (it reads the database directly), so a product
id alone says which merchant and mode a link belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

# Every table must be known before a query, as the server's start-up ensures.
from till import all_models  # noqa: F401
from till.catalog.errors import ProductNotFound
from till.catalog.models import Product
from till.core.clock import Clock
from till.core.errors import FieldInvalid
from till.links import service
from till.links.models import ShortLink
from till.links.schemas import ShortLinkCreate
from till.links.urls import qr_url, short_url, static_url
from till.merchants.keys import Principal

CLI_KEY_ID = "cli"


async def describe_links(db: AsyncSession, public_url: str, product_id: str) -> str:
    """The static link, its QR codes and every short link of a product."""
    product = await _product(db, product_id)
    link = static_url(public_url, product.id)
    lines = [
        f"Product:     {product.name} ({product.id}, {product.mode} mode"
        f"{', archived' if product.archived else ''})",
        f"Static link: {link}",
        f"QR code:     {qr_url(link, 'svg')}  (or {qr_url(link, 'png')})",
    ]
    links = await service.links_of_product(db, product.id)
    counts = await service.completions(db, [s.id for s in links])
    lines.append("Short links:" if links else "Short links: none")
    lines += [_short_line(public_url, s, counts[s.id]) for s in links]
    return "\n".join(lines)


async def create_link(
    db: AsyncSession,
    clock: Clock,
    public_url: str,
    product_id: str,
    slug: str,
    params: Sequence[str],
    *,
    expires_at: str | None = None,
    completion_limit: int | None = None,
) -> str:
    """Create a short link; ``params`` are ``key=value`` texts and
    ``expires_at`` an ISO 8601 time."""
    product = await _product(db, product_id)
    who = Principal(product.merchant_id, product.mode, CLI_KEY_ID)
    try:
        data = ShortLinkCreate(
            slug=slug,
            static_checkout_params=_pairs(params),
            expires_at=expires_at,
            completion_limit=completion_limit,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "slug"
        raise FieldInvalid(field, first["msg"]) from None
    link = await service.create_short_link(db, clock, who, product.id, data)
    return short_url(public_url, link.slug)


async def _product(db: AsyncSession, product_id: str) -> Product:
    product = await db.get(Product, product_id)
    if product is None:
        raise ProductNotFound(product_id)
    return product


def _pairs(params: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for text in params:
        key, sep, value = text.partition("=")
        if not sep or not key:
            raise FieldInvalid("--param", f"{text!r} is not key=value")
        found[key] = value
    return found


def _short_line(public_url: str, link: ShortLink, completed: int) -> str:
    state = "active" if link.active else "inactive"
    if link.expires_at is not None:
        state += f", until {link.expires_at.isoformat()}"
    limit = f" of {link.completion_limit}" if link.completion_limit else ""
    params = f"  [{urlencode(link.params)}]" if link.params else ""
    url = short_url(public_url, link.slug)
    return f"  {url}  ({state}; {completed}{limit} paid){params}"
