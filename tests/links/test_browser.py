"""A buyer opens a payment link in Chromium and pays on the hosted page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dodopayments import DodoPayments
from playwright.async_api import Browser

from tests.support.browser import launch_chromium
from tests.support.factory import MerchantKit
from tests.support.server import ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with launch_chromium() as chromium:
        yield chromium


async def test_link_paid_in_the_browser_carries_its_metadata_to_the_payment(
    browser: Browser, server: ServerProcess, merchant: MerchantKit, output_dir: Path
) -> None:
    sdk = DodoPayments(bearer_token=merchant.test_key, base_url=server.url)
    product = sdk.products.create(
        name="Spring workshop",
        tax_category="edtech",
        price={
            "type": "one_time_price",
            "price": 2500,
            "currency": "EUR",
            "discount": 0,
            "purchasing_power_parity": False,
        },
    )
    query = (
        "quantity=3&email=ada%40example.com&fullName=Ada+Lovelace&country=DE"
        "&addressLine=Unter+den+Linden+1&city=Berlin&zipCode=10117"
        "&metadata_campaign=spring"
    )
    page = await browser.new_page()
    await page.goto(f"{server.url}/buy/{product.product_id}?{query}")
    assert "/session/cks_" in page.url
    assert await page.input_value("#f-email") == "ada@example.com"

    await page.fill("#f-card_number", "4242 4242 4242 4242")
    await page.fill("#f-card_expiry", "12 / 30")
    await page.fill("#f-card_cvc", "123")
    await page.click("#pay-button")
    await page.get_by_text("Payment successful").wait_for(timeout=30_000)
    await page.screenshot(path=str(output_dir / "links-paid.png"), full_page=True)

    session_id = page.url.split("/session/", 1)[1].split("/")[0].split("?")[0]
    session = sdk.checkout_sessions.retrieve(session_id)
    assert session.payment_status == "succeeded"
    assert session.payment_id is not None
    payment = sdk.payments.retrieve(session.payment_id)
    assert payment.metadata == {"campaign": "spring"}
    assert payment.total_amount == 8925  # three seats at 25 EUR, plus 19 % German VAT


async def test_closed_page_is_styled_under_its_content_security_policy(
    browser: Browser, server: ServerProcess, output_dir: Path
) -> None:
    page = await browser.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text))
    reply = await page.goto(f"{server.url}/l/no-such-link-anywhere")
    assert reply is not None and reply.status == 404
    assert await page.text_content("h1") == "Link not found"
    width = await page.evaluate(
        "getComputedStyle(document.querySelector('main')).maxWidth"
    )
    assert width == "512px"
    assert not [m for m in blocked if "Content Security Policy" in m]
    await page.screenshot(path=str(output_dir / "links-not-found.png"))
