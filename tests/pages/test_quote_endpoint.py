"""The page's live quote: same pricing as the charge, and it changes nothing."""

from __future__ import annotations

import re
from typing import Any

from httpx import AsyncClient, Response

from tests.pages.api import DE_ADDRESS, open_page, product, session, simple_session
from tests.pages.support import control
from tests.support.factory import MerchantKit, one_time_product


async def quote(
    client: AsyncClient, session_id: str, body: dict[str, Any], csrf: str | None
) -> Response:
    headers = {"X-CSRF-Token": csrf} if csrf is not None else {}
    return await client.post(f"/session/{session_id}/quote", json=body, headers=headers)


async def code(client: AsyncClient, kit: MerchantKit, text: str, bps: int) -> None:
    body = {"code": text, "type": "percentage", "amount": bps}
    reply = await client.post("/discounts", json=body, headers=kit.headers())
    assert reply.status_code == 200, reply.text


async def test_switching_germany_to_us_state_changes_the_tax_line(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant, billing_address=DE_ADDRESS)
    page, csrf = await open_page(client, sid)
    assert "VAT 19 %" in page.text

    reply = await quote(client, sid, {"country": "US", "state": "US-WA"}, csrf)

    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert "Sales tax 6.5 %" in body["summary_html"]
    assert "VAT" not in body["summary_html"]
    assert body["total_amount"] == 1065
    assert body["pay_label"] == "Pay $10.65"


async def test_discount_code_lowers_the_total(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await code(client, merchant, "TENOFF", 1000)
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)

    reply = await quote(client, sid, {"country": "US", "discount_code": "tenoff"}, csrf)

    assert reply.status_code == 200, reply.text
    assert "Discount (TENOFF)" in reply.json()["summary_html"]
    assert reply.json()["total_amount"] == 900


async def test_unknown_discount_code_is_an_error_on_its_field(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)

    reply = await quote(client, sid, {"country": "US", "discount_code": "NOPE"}, csrf)

    assert reply.status_code == 400
    assert reply.json()["field"] == "discount_code"
    assert reply.json()["message"] == "This discount code does not exist."


async def test_quoting_never_changes_the_session(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await code(client, merchant, "HALF", 5000)
    sid = await simple_session(client, merchant, billing_address=DE_ADDRESS)
    _, csrf = await open_page(client, sid)

    await quote(client, sid, {"country": "US", "discount_code": "HALF"}, csrf)
    page = await client.get(f"/session/{sid}")

    assert "VAT 19 %" in page.text and "$11.90" in page.text
    assert "HALF" not in page.text


async def test_quote_needs_the_page_token(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    await open_page(client, sid)

    missing = await quote(client, sid, {"country": "US"}, None)
    forged = await quote(client, sid, {"country": "US"}, "forged")

    assert missing.status_code == forged.status_code == 403


async def test_quote_refuses_a_body_that_is_not_an_object(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)

    reply = await client.post(
        f"/session/{sid}/quote",
        content=b"[1, 2]",
        headers={"X-CSRF-Token": csrf, "content-type": "application/json"},
    )

    assert reply.status_code == 400


async def test_quote_on_an_expired_session_is_409(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)
    await client.post(f"/checkouts/{sid}/expire", headers=merchant.headers())

    reply = await quote(client, sid, {"country": "US"}, csrf)

    assert reply.status_code == 409
    assert reply.json()["code"] == "SESSION_EXPIRED"


async def test_unknown_country_is_an_error_on_the_country_field(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    _, csrf = await open_page(client, sid)

    reply = await quote(client, sid, {"country": "KP"}, csrf)

    assert reply.status_code == 422
    assert reply.json()["field"] == "country"


async def test_pay_what_you_want_amount_reprices_the_line(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    body = one_time_product(
        500, name="Tip", price_extra={"pay_what_you_want": True, "suggested_price": 500}
    )
    sid = await session(client, merchant, [await product(client, merchant, body)])
    page, csrf = await open_page(client, sid)
    assert control(page.text, f"amount.{product_id_of(page.text)}")["value"] == "5.00"

    field = f"amount.{product_id_of(page.text)}"
    reply = await quote(client, sid, {"country": "US", field: "12.50"}, csrf)
    too_low = await quote(client, sid, {"country": "US", field: "4"}, csrf)

    assert reply.json()["total_amount"] == 1250
    assert too_low.status_code == 422
    assert too_low.json() == {
        "code": "INVALID_FIELD", "message": "Enter at least $5.00.", "field": field,
    }  # fmt: skip


async def test_business_with_foreign_vat_id_is_reverse_charged(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant, billing_address=DE_ADDRESS)
    _, csrf = await open_page(client, sid)

    reply = await quote(
        client,
        sid,
        {"country": "DE", "is_business": "1", "tax_id": "DE136695976"},
        csrf,
    )

    assert "Reverse charge" in reply.json()["summary_html"]
    assert reply.json()["total_amount"] == 1000


def product_id_of(page: str) -> str:
    match = re.search(r'name="amount\.(pdt_\w+)"', page)
    assert match is not None
    return match.group(1)
