"""quote_for_session re-prices a session from the prices it was created with."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkout.support import (
    FULL_DE_ADDRESS,
    create,
    discount,
    one_time,
    pay_what_you_want,
)
from tests.support.factory import MerchantKit
from till.checkout.models import CheckoutSession
from till.checkout.quoting import quote_for_session
from till.checkout.service import get_public_session
from till.core.clock import FrozenClock
from till.pricing import Quote


async def _session(db: AsyncSession, sid: str) -> CheckoutSession:
    return await get_public_session(db, sid)


async def test_requote_without_changes_equals_the_stored_quote(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    pid = await one_time(client, merchant, 2500)
    await discount(client, merchant, "HALF", amount=5000)
    body = {
        "product_cart": [{"product_id": pid, "quantity": 2}],
        "billing_address": FULL_DE_ADDRESS,
        "discount_codes": ["HALF"],
    }
    session = await _session(db, await create(client, merchant, body))
    quote = await quote_for_session(db, session, moment=clock.now())
    assert quote == Quote.from_dict(session.quote)


async def test_requote_keeps_the_price_the_session_was_created_with(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    pid = await one_time(client, merchant, 1000)
    sid = await create(
        client, merchant, {"product_cart": [{"product_id": pid, "quantity": 1}]}
    )
    await client.patch(
        f"/products/{pid}",
        json={"price": {"type": "one_time_price", "price": 9999, "currency": "USD"}},
        headers=merchant.headers(),
    )
    quote = await quote_for_session(db, await _session(db, sid), moment=clock.now())
    assert quote.total_price == 1000


async def test_requote_applies_the_buyers_changes(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    pwyw = await pay_what_you_want(client, merchant, minimum=500)
    await discount(client, merchant, "TEN", amount=1000)
    sid = await create(
        client, merchant, {"product_cart": [{"product_id": pwyw, "quantity": 1}]}
    )
    session = await _session(db, sid)

    quote = await quote_for_session(
        db,
        session,
        moment=clock.now(),
        billing_address={"country": "DE"},
        discount_codes=["ten"],
        amounts={pwyw: 2000},
    )
    # 20.00 chosen, 10 % off, 19 % German VAT on 18.00.
    assert (quote.billing_country, quote.total_price, quote.total_tax) == (
        "DE",
        2142,
        342,
    )

    quote = await quote_for_session(
        db,
        session,
        moment=clock.now(),
        billing_address={"country": "DE"},
        tax_id="DE136695976",
    )
    assert quote.reverse_charge is True
    assert quote.total_price == 500
