"""Helpers for paying sessions in tests, through the same code the page uses.

Products, discounts and sessions are made through the HTTP API; paying goes
through ``pay_session`` with the app's own context, as the hosted page does.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from httpx import ASGITransport, AsyncClient
from sqlalchemy import select

from tests.support.factory import MerchantKit, one_time_product, recurring_product
from till.app import create_app
from till.checkout.models import CheckoutSession
from till.config import Settings
from till.core.clock import FrozenClock
from till.http.context import AppContext
from till.payments.attempt import PayAttempt
from till.payments.models import Payment
from till.payments.pay import BuyerDetails, pay_session
from till.payments.processors import CardInput
from till.webhooks.models import WebhookEvent

SUCCESS = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
INSUFFICIENT = "4000 0000 0000 9995"
THREE_DS = "4000 0025 0000 3155"

US_ADDRESS = {
    "country": "US",
    "state": "WA",
    "city": "Seattle",
    "street": "1 Pike St",
    "zipcode": "98101",
}
DE_ADDRESS = {
    "country": "DE",
    "city": "Berlin",
    "street": "Unter den Linden 1",
    "zipcode": "10117",
}

# Every test pays from an address of its own: the per-client limit counts
# attempts across the whole (shared) test database.
_ADDRESSES = itertools.count(1)


def fresh_ip() -> str:
    n = next(_ADDRESSES)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


@dataclass
class Shop:
    """The app in-process: an HTTP client and the context behind it."""

    client: AsyncClient
    ctx: AppContext
    kit: MerchantKit

    async def product(self, body: dict[str, Any]) -> str:
        reply = await self.client.post(
            "/products", json=body, headers=self.kit.headers()
        )
        assert reply.status_code == 200, reply.text
        return str(reply.json()["product_id"])

    async def one_time(self, price: int = 1000, **extra: Any) -> str:
        return await self.product(one_time_product(price, **extra))

    async def recurring(self, price: int = 1200, **extra: Any) -> str:
        return await self.product(recurring_product(price, **extra))

    async def discount(self, code: str, **body: Any) -> dict[str, Any]:
        payload = {"code": code, "type": "percentage", "amount": 1000, **body}
        reply = await self.client.post(
            "/discounts", json=payload, headers=self.kit.headers()
        )
        assert reply.status_code == 200, reply.text
        data: dict[str, Any] = reply.json()
        return data

    async def session(self, *product_ids: str, **body: Any) -> str:
        cart = [{"product_id": pid, "quantity": 1} for pid in product_ids]
        payload = {"product_cart": cart, **body}
        reply = await self.client.post(
            "/checkouts", json=payload, headers=self.kit.headers()
        )
        assert reply.status_code == 200, reply.text
        return str(reply.json()["session_id"])

    async def pay(
        self,
        session_id: str,
        number: str = SUCCESS,
        *,
        ip: str | None = None,
        holder: str | None = "Ada Lovelace",
        cvc: str | None = None,
        **details: Any,
    ) -> PayAttempt:
        details.setdefault("email", "ada@example.com")
        details.setdefault("name", "Ada Lovelace")
        details.setdefault("billing_address", US_ADDRESS)
        return await pay_session(
            self.ctx,
            session_id,
            BuyerDetails(**details),
            card(number, holder=holder, cvc=cvc),
            ip or fresh_ip(),
        )

    async def stored_session(self, session_id: str) -> CheckoutSession:
        async with self.ctx.sessions() as db:
            found = await db.get(CheckoutSession, session_id)
            assert found is not None
            return found

    async def payments_of(self, session_id: str) -> list[Payment]:
        async with self.ctx.sessions() as db:
            rows = await db.scalars(
                select(Payment)
                .where(Payment.checkout_session_id == session_id)
                .order_by(Payment.created_at, Payment.id)
            )
            return list(rows)

    async def event_count(self, event_type: str, object_id: str) -> int:
        """Events of ``event_type`` whose data names ``object_id``."""
        async with self.ctx.sessions() as db:
            rows = await db.scalars(
                select(WebhookEvent).where(
                    WebhookEvent.merchant_id == self.kit.merchant_id,
                    WebhookEvent.type == event_type,
                )
            )
            return sum(1 for row in rows if object_id in str(row.payload))


def card(
    number: str, *, holder: str | None = "Ada Lovelace", cvc: str | None = None
) -> CardInput:
    digits = number.replace(" ", "")
    default_cvc = "1234" if digits.startswith(("34", "37")) else "123"
    return CardInput(
        number=number,
        exp_month=12,
        exp_year=2030,
        cvc=cvc or default_cvc,
        holder_name=holder,
    )


def action_token(attempt: PayAttempt) -> str:
    assert attempt.action_url is not None
    return attempt.action_url.rsplit("/", 1)[1]


async def open_shop(
    settings: Settings, clock: FrozenClock, kit: MerchantKit
) -> AsyncIterator[Shop]:
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Shop(c, app.state.ctx, kit)
