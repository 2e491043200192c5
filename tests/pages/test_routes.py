"""The hosted page served by the app, sessions made through the API."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient

from tests.pages.api import (
    DE_ADDRESS,
    csrf_of,
    open_page,
    pay_form,
    product,
    session,
    simple_session,
)
from tests.pages.support import control
from tests.support.factory import MerchantKit, one_time_product, recurring_product
from till.core.clock import FrozenClock


async def test_page_shows_merchant_lines_and_total(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    one = await product(
        client, merchant, one_time_product(1000, name="Widget", description="Blue one")
    )
    two = await product(client, merchant, recurring_product(1200, name="Plan",
                                                            trial_days=14))  # fmt: skip
    sid = await session(client, merchant, [one, two], billing_address=DE_ADDRESS)

    page = await client.get(f"/session/{sid}")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    for expected in (
        "Test Shop",
        "Widget",
        "Blue one",
        "Plan",
        "VAT 19 %",
        "$11.90",
        "14-day free trial",
        "then $12.00 every month",
    ):
        assert expected in text, expected  # fmt: skip
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "till_csrf=" in page.headers["set-cookie"]


async def test_unknown_session_is_a_404_page(client: AsyncClient) -> None:
    page = await client.get("/session/cks_doesnotexist")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Checkout not found" in page.text


async def test_expired_session_shows_expired_page_without_form(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    expired = await client.post(f"/checkouts/{sid}/expire", headers=merchant.headers())
    assert expired.status_code == 200, expired.text

    page = await client.get(f"/session/{sid}")

    assert page.status_code == 410
    assert "This checkout has expired" in page.text
    assert "<form" not in page.text


async def test_session_past_its_time_is_expired_without_any_sweep(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    sid = await simple_session(client, merchant)
    clock.advance(timedelta(hours=25))

    page = await client.get(f"/session/{sid}")

    assert page.status_code == 410


async def test_cancel_url_becomes_a_back_link(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant, cancel_url="https://shop.example/cart")

    page = await client.get(f"/session/{sid}")

    assert 'class="back-link" href="https://shop.example/cart"' in page.text


async def test_static_assets_are_served_with_long_cache(client: AsyncClient) -> None:
    css = await client.get("/static/checkout.css")
    js = await client.get("/static/checkout.js")

    assert css.status_code == js.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert js.headers["content-type"].startswith("text/javascript")
    assert "immutable" in js.headers["cache-control"]
    assert "--till-accent" in css.text


async def test_page_with_assets_weighs_under_100_kb(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    one = await product(client, merchant, one_time_product(1000, name="Widget"))
    two = await product(client, merchant, recurring_product(1200, name="Plan"))
    sid = await session(client, merchant, [one, two], billing_address=DE_ADDRESS)

    page = await client.get(f"/session/{sid}")
    css = await client.get("/static/checkout.css")
    js = await client.get("/static/checkout.js")

    assert len(page.content) + len(css.content) + len(js.content) < 100 * 1024


async def test_posting_without_csrf_token_is_refused(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)

    no_token = await client.post(f"/session/{sid}/pay", data=pay_form(""))
    client.cookies.clear()
    no_cookie = await client.post(f"/session/{sid}/pay", data=pay_form(csrf))

    assert no_token.status_code == no_cookie.status_code == 403
    status = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
    assert status.json()["payment_id"] is None


async def test_token_of_one_session_does_not_open_another(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    first = await simple_session(client, merchant)
    second = await simple_session(client, merchant)
    _, csrf = await open_page(client, first)
    await open_page(client, second)

    reply = await client.post(f"/session/{second}/pay", data=pay_form(csrf))

    assert reply.status_code == 403


async def test_form_errors_come_back_beside_fields_with_values_kept(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)

    reply = await client.post(
        f"/session/{sid}/pay", data=pay_form(csrf, zipcode="", card_expiry="99")
    )

    assert reply.status_code == 422
    assert 'id="f-zipcode-error">This field is required.' in reply.text
    assert 'id="f-card_expiry-error">Enter the expiry as MM / YY.' in reply.text
    assert 'value="Ada Lovelace"' in reply.text
    assert control(reply.text, "card_number")["value"] == ""
    assert "4242424242424242" not in reply.text
    assert csrf_of(reply.text) == csrf
