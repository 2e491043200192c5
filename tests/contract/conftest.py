from __future__ import annotations

import pytest
from dodopayments import DodoPayments

from tests.support.factory import MerchantKit
from tests.support.server import ServerProcess


@pytest.fixture
def sdk(server: ServerProcess, merchant: MerchantKit) -> DodoPayments:
    return DodoPayments(
        bearer_token=merchant.test_key, base_url=server.url, max_retries=0
    )


@pytest.fixture
def other_sdk(server: ServerProcess, other_merchant: MerchantKit) -> DodoPayments:
    return DodoPayments(
        bearer_token=other_merchant.test_key, base_url=server.url, max_retries=0
    )
