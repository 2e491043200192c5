from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.payments.support import Shop, open_shop
from tests.support.factory import MerchantKit
from till.config import Settings
from till.core.clock import FrozenClock


@pytest.fixture
async def shop(
    settings: Settings, clock: FrozenClock, merchant: MerchantKit
) -> AsyncIterator[Shop]:
    async for opened in open_shop(settings, clock, merchant):
        yield opened
