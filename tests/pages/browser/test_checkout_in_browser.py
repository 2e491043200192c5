"""A buyer pays on the hosted page in Chromium, against a real server."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.pages.browser.conftest import MerchantApi, Receiver, Tab, shot_name
from tests.support.factory import one_time_product, recurring_product
from tests.support.server import ServerProcess

pytestmark = pytest.mark.browser

US_ADDRESS = {"country": "US", "state": "WA", "city": "Seattle",
              "street": "1 Pike St", "zipcode": "98101"}  # fmt: skip
DE_ADDRESS = {"country": "DE", "city": "Berlin", "street": "Unter den Linden 1",
              "zipcode": "10117"}  # fmt: skip
PREFILLED: dict[str, Any] = {
    "customer": {"email": "ada@example.com", "name": "Ada Lovelace"},
    "billing_address": US_ADDRESS,
}


async def fill_card(tab: Tab, number: str) -> None:
    await tab.page.fill("#f-card_number", number)
    await tab.page.fill("#f-card_expiry", "12 / 34")
    await tab.page.fill("#f-card_cvc", "123")


async def open_checkout(tab: Tab, server: ServerProcess, session_id: str) -> None:
    reply = await tab.page.goto(f"{server.url}/session/{session_id}")
    assert reply is not None and reply.status == 200


def csp_complaints(tab: Tab) -> list[str]:
    return [m for m in tab.console if "Content Security Policy" in m]


async def test_prefilled_two_product_checkout_lands_on_return_url(
    tab: Tab, api: MerchantApi, server: ServerProcess, receiver: Receiver,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    credits = api.product(one_time_product(1900, name="Starter credits"))
    plan = api.product(recurring_product(1200, name="Pro plan"))
    metadata = {"order": "A-17", "campaign": "spring"}
    sid = api.session(
        [credits, plan], **PREFILLED, metadata=metadata,
        return_url=f"{receiver.url}/thanks?ref=shop",
        feature_flags={"redirect_immediately": True},
    )  # fmt: skip
    await open_checkout(tab, server, sid)
    assert await tab.page.input_value("#f-email") == "ada@example.com"
    assert await tab.page.input_value("#f-street") == "1 Pike St"
    await tab.page.get_by_text("then $12.00 every month plus tax").wait_for()
    shown = await tab.page.text_content(".totals .total dd")

    await fill_card(tab, "4242 4242 4242 4242")
    await tab.page.click("#pay-button")
    await tab.page.wait_for_url(f"{receiver.url}/thanks*")
    await tab.screenshot(shot_name(request))

    query = parse_qs(urlsplit(tab.page.url).query)
    assert query["ref"] == ["shop"] and query["session_id"] == [sid]
    assert query["status"] == ["succeeded"]
    payment = api.get(f"/payments/{query['payment_id'][0]}")
    assert payment["status"] == "succeeded"
    assert payment["metadata"] == metadata
    # $19.00 + $12.00 and 6.5 % Washington tax, rounded per line.
    assert (shown, payment["total_amount"]) == ("$33.02", 3302)
    assert csp_complaints(tab) == [] and tab.dialogs == []


async def test_decline_then_success_on_the_same_session(
    tab: Tab, api: MerchantApi, server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    sid = api.session([api.product(one_time_product(1000))], **PREFILLED)
    await open_checkout(tab, server, sid)

    await fill_card(tab, "4000 0000 0000 0002")
    await tab.page.click("#pay-button")
    await tab.page.get_by_text("Your card was declined.").wait_for()
    await tab.screenshot(shot_name(request) + "-declined")
    assert await tab.page.input_value("#f-card_number") == ""
    assert await tab.page.input_value("#f-name") == "Ada Lovelace"

    await fill_card(tab, "4242 4242 4242 4242")
    await tab.page.click("#pay-button")
    await tab.page.get_by_text("Payment successful").wait_for()
    await tab.screenshot(shot_name(request) + "-paid")
    assert api.get(f"/checkouts/{sid}")["payment_status"] == "succeeded"


@pytest.mark.parametrize(
    ("button", "outcome"), [("#approve", "succeeded"), ("#fail", "failed")]
)
async def test_three_d_secure_challenge_approved_or_failed(
    tab: Tab, api: MerchantApi, server: ServerProcess, receiver: Receiver,
    request: pytest.FixtureRequest, button: str, outcome: str,
) -> None:  # fmt: skip
    sid = api.session(
        [api.product(one_time_product(1000))], **PREFILLED,
        return_url=f"{receiver.url}/after-3ds",
        feature_flags={"redirect_immediately": True},
    )  # fmt: skip
    await open_checkout(tab, server, sid)

    await fill_card(tab, "4000 0025 0000 3155")
    await tab.page.click("#pay-button")
    await tab.page.wait_for_url("**/sandbox/3ds/**")
    assert await tab.page.text_content("#challenge-amount") == "$10.65"
    await tab.screenshot(shot_name(request) + "-challenge")
    await tab.page.click(button)

    if outcome == "succeeded":
        await tab.page.wait_for_url(f"{receiver.url}/after-3ds?*")
        assert parse_qs(urlsplit(tab.page.url).query)["status"] == ["succeeded"]
    else:
        await tab.page.get_by_text("We could not authenticate your card.").wait_for()
        assert await tab.page.is_visible("#pay-button")
    await tab.screenshot(shot_name(request))
    assert api.get(f"/checkouts/{sid}")["payment_status"] == outcome


async def test_discount_code_typed_on_the_page_changes_the_total(
    tab: Tab, api: MerchantApi, server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    api.post("/discounts", {"code": "SPRING25", "type": "percentage", "amount": 2500})
    sid = api.session([api.product(one_time_product(2000))], **PREFILLED)
    await open_checkout(tab, server, sid)
    total = tab.page.locator(".totals .total dd")
    assert await total.text_content() == "$21.30"

    await tab.page.fill("#f-discount_code", "spring25")
    await tab.page.press("#f-discount_code", "Enter")
    await tab.page.get_by_text("Discount (SPRING25)").wait_for()

    assert await total.text_content() == "$15.98"
    assert await tab.page.text_content("#pay-button") == "Pay $15.98"
    await tab.screenshot(shot_name(request))

    await tab.page.fill("#f-discount_code", "NOSUCHCODE")
    await tab.page.press("#f-discount_code", "Enter")
    await tab.page.get_by_text("This discount code does not exist.").wait_for()


async def test_switching_germany_to_united_states_changes_the_tax_line(
    tab: Tab, api: MerchantApi, server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    sid = api.session(
        [api.product(one_time_product(1000))],
        customer={"email": "ada@example.com", "name": "Ada"},
        billing_address=DE_ADDRESS,
    )
    await open_checkout(tab, server, sid)
    taxes = tab.page.locator(".totals .tax dt")
    assert await taxes.all_text_contents() == ["VAT 19 %"]
    assert not await tab.page.is_visible("#f-state")

    await tab.page.select_option("#f-country", "US")
    await tab.page.get_by_text("No tax").wait_for()
    assert await tab.page.is_visible("#f-state")
    await tab.page.select_option("#f-state", "US-WA")
    await tab.page.get_by_text("Sales tax 6.5 %").wait_for()

    assert await taxes.all_text_contents() == ["Sales tax 6.5 %"]
    assert await tab.page.text_content(".totals .total dd") == "$10.65"
    await tab.screenshot(shot_name(request))


async def test_expired_session_shows_the_expired_page(
    tab: Tab, api: MerchantApi, server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    sid = api.session([api.product(one_time_product(1000))])
    api.post(f"/checkouts/{sid}/expire")

    reply = await tab.page.goto(f"{server.url}/session/{sid}")

    assert reply is not None and reply.status == 410
    await tab.page.get_by_text("This checkout has expired").wait_for()
    assert await tab.page.locator("form").count() == 0
    await tab.screenshot(shot_name(request))


SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'


async def test_hostile_strings_run_no_script(
    tab: Tab, api: MerchantApi, server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    product = one_time_product(1000, name=f"Mug {SCRIPT}", description=f"Big {IMG}")
    sid = api.session(
        [api.product(product)],
        customer={"email": "ada@example.com", "name": f"Ada {IMG}"},
        billing_address={**US_ADDRESS, "street": SCRIPT, "city": IMG},
        metadata={"note": SCRIPT},
        custom_fields=[{"key": "team", "label": f"Team {IMG}{SCRIPT}",
                        "field_type": "text", "placeholder": IMG}],
    )  # fmt: skip
    await open_checkout(tab, server, sid)
    await tab.page.get_by_text(f"Mug {SCRIPT}").wait_for()

    await tab.page.fill("#f-custom-0", IMG)
    await fill_card(tab, "4000 0000 0000 0002")
    await tab.page.click("#pay-button")
    await tab.page.get_by_text("Your card was declined.").wait_for()
    await tab.screenshot(shot_name(request))

    assert tab.dialogs == []
    assert await tab.page.evaluate("document.querySelectorAll('img').length") == 0
    assert csp_complaints(tab) == []


@pytest.mark.parametrize("tab", [False], indirect=True, ids=["no-javascript"])
async def test_paying_works_without_javascript(
    tab: Tab, api: MerchantApi, server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    sid = api.session([api.product(one_time_product(1000))], **PREFILLED)
    await open_checkout(tab, server, sid)

    await fill_card(tab, "4242 4242 4242 4242")
    await tab.page.click("#pay-button")
    await tab.page.get_by_text("Payment successful").wait_for()

    await tab.screenshot(shot_name(request))
    assert api.get(f"/checkouts/{sid}")["payment_status"] == "succeeded"
