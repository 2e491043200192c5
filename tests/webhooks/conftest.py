"""Webhook tests run on a database of their own.

The shared database is also served by the session's ``till serve`` process,
whose worker would race these tests for deliveries; a private database (of
the same backend) keeps every claim in the test's hands.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.databases import ScratchDatabase, postgres_database, sqlite_database
from tests.support.factory import MerchantKit, make_merchant
from tests.webhooks.receiver import Receiver, running_receiver
from till.app import create_app
from till.checkout.models import CheckoutSession
from till.config import Settings
from till.core.clock import FrozenClock
from till.db import make_engine, make_sessionmaker
from till.events import EventType
from till.http.context import AppContext
from till.webhooks.models import WebhookDelivery
from till.webhooks.outbox import record_event


@pytest.fixture(scope="session")
def wh_database(
    database: ScratchDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ScratchDatabase]:
    if database.is_postgres:
        yield from postgres_database()
    else:
        yield from sqlite_database(tmp_path_factory.mktemp("webhooks"))


@pytest.fixture(scope="session")
def wh_settings(settings: Settings, wh_database: ScratchDatabase) -> Settings:
    return dataclasses.replace(settings, database_url=wh_database.url)


@pytest.fixture
async def ctx(wh_settings: Settings, clock: FrozenClock) -> AsyncIterator[AppContext]:
    engine = make_engine(wh_settings.database_url)
    yield AppContext(
        settings=wh_settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        clock=clock,
    )
    await engine.dispose()


@pytest.fixture(autouse=True)
async def _settle_leftovers(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Tests share the private database; nothing one leaves due may be
    claimed by the next (whose clock starts at the same moment)."""
    yield
    if "ctx" not in request.fixturenames:
        return
    wh_settings: Settings = request.getfixturevalue("wh_settings")
    engine = make_engine(wh_settings.database_url)
    async with engine.begin() as connection:
        await connection.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.status.in_(("pending", "in_flight")))
            .values(status="cancelled")
        )
        await connection.execute(
            update(CheckoutSession)
            .where(CheckoutSession.abandoned_at.is_(None))
            .values(abandoned_at=CheckoutSession.created_at)
        )
    await engine.dispose()


@pytest.fixture
async def wh_db(ctx: AppContext) -> AsyncIterator[AsyncSession]:
    async with ctx.sessions() as session:
        yield session


@pytest.fixture
async def wh_client(
    wh_settings: Settings, clock: FrozenClock
) -> AsyncIterator[AsyncClient]:
    app = create_app(wh_settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


@pytest.fixture
async def shop(wh_db: AsyncSession, clock: FrozenClock) -> MerchantKit:
    return await make_merchant(wh_db, clock, name="Hook Shop")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


async def add_endpoint(
    client: AsyncClient, kit: MerchantKit, url: str, mode: str = "test", **body: Any
) -> dict[str, Any]:
    reply = await client.post(
        "/webhooks", json={"url": url, **body}, headers=kit.headers(mode)
    )
    assert reply.status_code == 200, reply.text
    endpoint: dict[str, Any] = reply.json()
    secret = await client.get(
        f"/webhooks/{endpoint['id']}/secret", headers=kit.headers(mode)
    )
    endpoint["secret"] = secret.json()["secret"]
    return endpoint


async def emit(
    ctx: AppContext,
    kit: MerchantKit,
    event_type: EventType = EventType.PAYMENT_SUCCEEDED,
    data: dict[str, Any] | None = None,
    mode: str = "test",
) -> str:
    """Record one event and commit, as a domain's service and route would."""
    async with ctx.sessions() as db:
        event_id = await record_event(
            db,
            merchant_id=kit.merchant_id,
            mode=mode,
            event_type=event_type,
            data=data if data is not None else sample_payment(),
            moment=ctx.clock.now(),
        )
        await db.commit()
    return event_id


def sample_payment() -> dict[str, Any]:
    return {
        "payment_id": "pay_sample",
        "status": "succeeded",
        "total_amount": 1000,
        "currency": "USD",
        "metadata": {"order": "A-17"},
    }
