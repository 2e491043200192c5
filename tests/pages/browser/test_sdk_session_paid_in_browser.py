"""The whole promise in one test: the SDK creates, Chromium pays, the SDK reads."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from dodopayments import DodoPayments

from tests.pages.browser.conftest import Receiver, Tab, shot_name
from tests.pages.browser.test_checkout_in_browser import US_ADDRESS, fill_card
from tests.support.factory import MerchantKit
from tests.support.server import ServerProcess

pytestmark = pytest.mark.browser


async def test_sdk_session_paid_in_chromium_is_read_back_through_the_sdk(
    tab: Tab,
    server: ServerProcess,
    merchant: MerchantKit,
    receiver: Receiver,
    request: pytest.FixtureRequest,
) -> None:
    sdk = DodoPayments(bearer_token=merchant.test_key, base_url=server.url)
    price = {"type": "one_time_price", "price": 1900, "currency": "USD",
             "discount": 0, "purchasing_power_parity": False}  # fmt: skip
    plan_price = {
        "type": "recurring_price", "price": 1200, "currency": "USD", "discount": 0,
        "purchasing_power_parity": False, "payment_frequency_count": 1,
        "payment_frequency_interval": "Month", "subscription_period_count": 20,
        "subscription_period_interval": "Year", "trial_period_days": 0,
    }  # fmt: skip
    credits = sdk.products.create(name="Credits", tax_category="saas", price=price)
    plan = sdk.products.create(name="Plan", tax_category="saas", price=plan_price)
    metadata = {"user_id": "u_7", "campaign": "launch"}
    session = sdk.checkout_sessions.create(
        product_cart=[
            {"product_id": credits.product_id, "quantity": 2},
            {"product_id": plan.product_id, "quantity": 1},
        ],
        customer={"email": "grace@example.com", "name": "Grace Hopper"},
        billing_address=US_ADDRESS,
        metadata=metadata,
        return_url=f"{receiver.url}/done",
        feature_flags={"redirect_immediately": True},
    )
    assert session.checkout_url is not None

    await tab.page.goto(session.checkout_url)
    await fill_card(tab, "4242 4242 4242 4242")
    await tab.page.click("#pay-button")
    await tab.page.wait_for_url(f"{receiver.url}/done*")
    await tab.screenshot(shot_name(request))

    payment_id = parse_qs(urlsplit(tab.page.url).query)["payment_id"][0]
    payment = sdk.payments.retrieve(payment_id)
    assert payment.status == "succeeded"
    assert payment.metadata == metadata
    assert payment.checkout_session_id == session.session_id
    assert sdk.checkout_sessions.retrieve(session.session_id).payment_id == payment_id

    subscriptions = [
        s for s in sdk.subscriptions.list() if s.product_id == plan.product_id
    ]
    assert [s.status for s in subscriptions] == ["active"]
    assert subscriptions[0].metadata == metadata
