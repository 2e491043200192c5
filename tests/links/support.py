"""Helpers for link tests: products through the API, visits, session counts."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.factory import MerchantKit, one_time_product
from till.checkout.models import CheckoutSession

BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


async def make_product(
    client: AsyncClient, kit: MerchantKit, price: int = 1000, **extra: Any
) -> str:
    reply = await client.post(
        "/products", json=one_time_product(price, **extra), headers=kit.headers()
    )
    assert reply.status_code == 200, reply.text
    return str(reply.json()["product_id"])


async def visit(
    client: AsyncClient, path: str, params: Any = None, **headers: str
) -> Response:
    """A browser's GET of a link, without following the redirect."""
    sent = {"user-agent": BROWSER_AGENT, **headers}
    return await client.get(path, params=params, headers=sent, follow_redirects=False)


def session_id_of(reply: Response) -> str:
    assert reply.status_code == 303, reply.text
    location = reply.headers["location"]
    assert location.startswith("http://testserver/session/cks_"), location
    return location.rsplit("/", 1)[1]


async def stored_session(db: AsyncSession, session_id: str) -> CheckoutSession:
    db.expire_all()
    session = await db.scalar(
        select(CheckoutSession).where(CheckoutSession.id == session_id)
    )
    assert session is not None
    return session


async def session_count(db: AsyncSession, kit: MerchantKit) -> int:
    db.expire_all()
    count = await db.scalar(
        select(func.count())
        .select_from(CheckoutSession)
        .where(CheckoutSession.merchant_id == kit.merchant_id)
    )
    return int(count or 0)


async def set_merchant(client: AsyncClient, kit: MerchantKit, **settings: Any) -> None:
    reply = await client.patch("/merchant", json=settings, headers=kit.headers())
    assert reply.status_code == 200, reply.text


def unique_slug(prefix: str) -> str:
    """Slugs are unique across the whole (shared) test database."""
    from till.core.ids import random_token

    return f"{prefix}-{random_token(8).lower()}"
