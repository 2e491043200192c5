"""A merchant uses the dashboard in Chromium, against a real server."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.dashboard.browser.conftest import PHONE, Screen, bar_heights, sign_in
from tests.dashboard.support import DashUser
from tests.support.factory import MerchantKit
from tests.support.server import ServerProcess
from tests.webhooks.receiver import running_receiver

pytestmark = pytest.mark.browser

VIEWS = [
    ("overview", "/dashboard"),
    ("products", "/dashboard/products"),
    ("product-new", "/dashboard/products/new"),
    ("links", "/dashboard/links"),
    ("checkouts", "/dashboard/checkouts"),
    ("payments", "/dashboard/payments"),
    ("subscriptions", "/dashboard/subscriptions"),
    ("customers", "/dashboard/customers"),
    ("discounts", "/dashboard/discounts"),
    ("discount-new", "/dashboard/discounts/new"),
    ("webhooks", "/dashboard/webhooks"),
    ("developers", "/dashboard/developers"),
]


async def create_product(screen: Screen, name: str, price: str) -> str:
    await screen.open("/dashboard/products")
    await screen.page.click("text=New product")
    await screen.page.fill("input[name=name]", name)
    await screen.page.fill("textarea[name=description]", "Made in the browser test.")
    await screen.page.select_option("select[name=tax_category]", "e_book")
    await screen.page.fill("input[name=price]", price)
    await screen.page.click("button:has-text('Create product')")
    await screen.page.wait_for_url("**/dashboard/products/pdt_*")
    return screen.page.url.rsplit("/", 1)[1]


async def pay_link(screen: Screen, link: str, query: str) -> str:
    """A buyer opens the link in a new page and pays; returns the session id."""
    buyer = await screen.context.new_page()
    await buyer.goto(f"{link}?{query}")
    assert "/session/cks_" in buyer.url
    await buyer.fill("#f-card_number", "4242 4242 4242 4242")
    await buyer.fill("#f-card_expiry", "12 / 34")
    await buyer.fill("#f-card_cvc", "123")
    await buyer.click("#pay-button")
    await buyer.get_by_text("Payment successful").wait_for()
    session_id = buyer.url.split("/session/", 1)[1].split("/")[0].split("?")[0]
    await buyer.screenshot(path=str(screen.shots / "buyer-paid.png"), full_page=True)
    await buyer.close()
    return session_id


BUYER = (
    "email=ada%40example.com&fullName=Ada+Lovelace&country=US&state=WA"
    "&city=Seattle&addressLine=1+Pike+St&zipCode=98101"
)


async def test_sell_through_a_copied_payment_link(screen: Screen) -> None:
    page = screen.page
    await screen.shot("overview-before")
    assert await screen.text("[data-testid=paid-count]") == "0"
    before = bar_heights(await page.inner_html("svg.chart"))
    assert set(before) == {0}

    product_id = await create_product(screen, "Browser field guide", "12.50")
    await screen.shot("product-detail")
    link = await screen.text("[data-testid=payment-link] code")
    assert link == f"{screen.base}/buy/{product_id}"
    await page.click("[data-testid=payment-link] button")
    await page.get_by_text("Copied").wait_for()
    assert await page.evaluate("navigator.clipboard.readText()") == link
    qr = await page.evaluate(
        "document.querySelector('img.qr').complete"
        " && document.querySelector('img.qr').naturalWidth"
    )
    assert qr > 0  # the links domain served the QR code the page shows

    session_id = await pay_link(screen, link, BUYER + "&metadata_campaign=browser")

    await screen.open("/dashboard")
    await screen.shot("overview-after")
    assert await screen.text("[data-testid=paid-count]") == "1"
    assert await screen.text("[data-testid=created-link]") == "1"
    assert await screen.text("[data-testid=paid-link]") == "1"
    after = bar_heights(await page.inner_html("svg.chart"))
    assert after[-1] > 0 and after != before

    await screen.open("/dashboard/checkouts")
    row = page.locator(f"tr[data-session-id='{session_id}']")
    assert "completed" in (await row.inner_text())
    await row.locator("a").first.click()
    await page.wait_for_url(f"**/dashboard/checkouts/{session_id}")
    await screen.shot("checkout-detail")
    await page.click("[data-testid=payment-link]")
    await page.wait_for_url("**/dashboard/payments/pay_*")
    await screen.shot("payment-detail")
    metadata = await screen.text("[data-testid=payment-metadata]")
    assert "campaign" in metadata and "browser" in metadata
    assert screen.csp_complaints() == []


async def _wait_for(
    screen: Screen, check: Callable[[], Awaitable[bool]], what: str
) -> None:
    # The real server's worker delivers on its own schedule; poll the page.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if await check():
            return
        await screen.page.wait_for_timeout(250)
    raise AssertionError(f"timed out waiting for {what}")


async def test_webhook_endpoint_receives_and_resends_a_delivery(
    screen: Screen,
) -> None:
    page = screen.page
    with running_receiver() as receiver:
        await screen.open("/dashboard/webhooks")
        await page.fill("input[name=url]", receiver.url)
        await page.check("input[value='payment.succeeded']")
        await page.click("button:has-text('Add endpoint')")
        await page.wait_for_url("**/dashboard/webhooks/whk_*")
        endpoint_url = page.url

        product_id = await create_product(screen, "Hooked product", "5")
        await pay_link(screen, f"{screen.base}/buy/{product_id}", BUYER)

        async def delivered() -> bool:
            await page.goto(endpoint_url)
            codes = await page.locator("[data-testid=status-code]").all_inner_texts()
            return codes == ["200"]

        await _wait_for(screen, delivered, "the first delivery")
        await screen.shot("webhook-delivered")
        await page.click("button:has-text('Re-send')")

        async def resent() -> bool:
            await page.goto(endpoint_url)
            codes = await page.locator("[data-testid=status-code]").all_inner_texts()
            return codes == ["200", "200"] and len(receiver.received) == 2

        await _wait_for(screen, resent, "the re-sent delivery")
        await screen.shot("webhook-resent")
        assert len(set(receiver.ids())) == 1
        assert '"payment.succeeded"' in receiver.received[0].body
        await page.click("button:has-text('Reveal secret')")
        secret = await screen.text("[data-testid=webhook-secret] code")
        assert secret.startswith("whsec_")


async def test_revoked_key_is_refused_by_the_api(
    screen: Screen, merchant: MerchantKit, server: ServerProcess
) -> None:
    headers = merchant.headers()
    assert httpx.get(f"{server.url}/products", headers=headers).status_code == 200
    await screen.open("/dashboard/developers")
    await screen.page.click("button:has-text('Create test key')")
    secret = await screen.text("[data-testid=new-secret] code")
    await screen.shot("developers-new-key")
    row = screen.page.locator(f"tr[data-key-id='{merchant.test.key_id}']")
    await row.locator("button:has-text('Revoke')").click()
    await screen.page.wait_for_url("**/dashboard/developers")
    assert "revoked" in await row.inner_text()
    assert screen.dialogs == [
        "Revoke this key? Requests using it will be refused at once."
    ]
    refused = httpx.get(f"{server.url}/products", headers=headers)
    assert refused.status_code == 401
    fresh = {"Authorization": f"Bearer {secret}"}
    assert httpx.get(f"{server.url}/products", headers=fresh).status_code == 200


async def test_every_view_on_desktop_and_phone(screen: Screen) -> None:
    for name, path in VIEWS:
        await screen.open(path)
        await screen.shot(f"view-{name}")
    await screen.page.set_viewport_size(PHONE)
    for name, path in VIEWS[:3]:
        await screen.open(path)
        width = await screen.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} scrolls sideways on a phone"
        await screen.shot(f"phone-{name}")
    assert screen.csp_complaints() == []


async def test_sign_out_in_the_browser(
    screen: Screen, user: DashUser, server: ServerProcess
) -> None:
    await screen.page.click("button:has-text('Sign out')")
    await screen.page.wait_for_url("**/dashboard/sign-in")
    await screen.shot("sign-in")
    await screen.page.goto(server.url + "/dashboard/products")
    assert "/dashboard/sign-in?next=/dashboard/products" in screen.page.url
    await sign_in(screen.page, server.url, user)
