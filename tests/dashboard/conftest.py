from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.dashboard.support import Dashboard, DashUser, make_user
from tests.payments.support import Shop, open_shop
from tests.support.factory import MerchantKit
from till.app import create_app
from till.config import Settings
from till.core.clock import FrozenClock


@pytest.fixture
async def user(db: AsyncSession, clock: FrozenClock, merchant: MerchantKit) -> DashUser:
    return await make_user(db, clock, merchant.merchant_id)


@pytest.fixture
async def other_user(
    db: AsyncSession, clock: FrozenClock, other_merchant: MerchantKit
) -> DashUser:
    return await make_user(db, clock, other_merchant.merchant_id)


@pytest.fixture
async def dash(client: AsyncClient, user: DashUser) -> Dashboard:
    """The merchant's user, signed in."""
    dashboard = Dashboard(client)
    await dashboard.sign_in(user)
    return dashboard


@pytest.fixture
async def second_browser(
    settings: Settings, clock: FrozenClock
) -> AsyncIterator[AsyncClient]:
    """Another browser (its own cookie jar) on the same in-process app."""
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


@pytest.fixture
async def shop(
    settings: Settings, clock: FrozenClock, merchant: MerchantKit
) -> AsyncIterator[Shop]:
    """The app with its context, to pay sessions as the hosted page does."""
    async for opened in open_shop(settings, clock, merchant):
        yield opened


@pytest.fixture
async def shop_dash(shop: Shop, user: DashUser) -> Dashboard:
    """The merchant's user, signed in on the shop's client."""
    dashboard = Dashboard(shop.client)
    await dashboard.sign_in(user)
    return dashboard
