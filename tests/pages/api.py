"""Making products and sessions through the API, as a merchant's backend would."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from httpx import ASGITransport, AsyncClient, Response

from tests.support.factory import MerchantKit, one_time_product
from till.app import create_app
from till.config import Settings
from till.core.clock import FrozenClock

DE_ADDRESS = {"country": "DE", "city": "Berlin", "street": "Unter den Linden 1",
              "zipcode": "10117"}  # fmt: skip
US_ADDRESS = {"country": "US", "state": "WA", "city": "Seattle",
              "street": "1 Pike St", "zipcode": "98101"}  # fmt: skip


async def product(client: AsyncClient, kit: MerchantKit, body: dict[str, Any]) -> str:
    reply = await client.post("/products", json=body, headers=kit.headers())
    assert reply.status_code == 200, reply.text
    return str(reply.json()["product_id"])


async def session(
    client: AsyncClient, kit: MerchantKit, cart: list[str], **body: Any
) -> str:
    payload = {
        "product_cart": [{"product_id": pid, "quantity": 1} for pid in cart],
        **body,
    }
    reply = await client.post("/checkouts", json=payload, headers=kit.headers())
    assert reply.status_code == 200, reply.text
    return str(reply.json()["session_id"])


async def simple_session(client: AsyncClient, kit: MerchantKit, **body: Any) -> str:
    widget = await product(client, kit, one_time_product(1000, name="Widget"))
    return await session(client, kit, [widget], **body)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None, "the page has no CSRF token"
    return match.group(1)


async def open_page(client: AsyncClient, session_id: str) -> tuple[Response, str]:
    """GET the page (which sets the browser cookie) and return its token."""
    page = await client.get(f"/session/{session_id}")
    assert page.status_code == 200, page.text
    return page, csrf_of(page.text)


def pay_form(
    csrf: str, card: str = "4242 4242 4242 4242", **extra: str
) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "email": "ada@example.com",
        "name": "Ada Lovelace",
        "country": "US",
        "state": "US-WA",
        "city": "Seattle",
        "street": "1 Pike St",
        "zipcode": "98101",
        "card_number": card,
        "card_expiry": "12 / 34",
        "card_cvc": "123",
        "card_name": "Ada Lovelace",
    }
    form.update(extra)
    return form


_ADDRESSES = itertools.count(1)


@asynccontextmanager
async def client_at_own_address(
    settings: Settings, clock: FrozenClock
) -> AsyncIterator[AsyncClient]:
    """The app in-process, reached from an address no other test uses.

    Pay attempts are capped per client address and hour, and every test's
    frozen clock stands at the same moment; tests that pay a lot use their
    own address so that the suite's attempts do not add up.
    """
    n = next(_ADDRESSES)
    app = create_app(settings, clock=clock)
    address = (f"10.77.{n // 250}.{n % 250 + 1}", 40000)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False, client=address)
        async with AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c
