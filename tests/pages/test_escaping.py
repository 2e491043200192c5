"""Hostile merchant and buyer strings, through the API onto the page."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.pages.api import open_page, pay_form, product, session
from tests.pages.support import tags
from tests.support.factory import MerchantKit, one_time_product

SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'


def hostile_session_body() -> dict[str, Any]:
    return {
        "customer": {"email": "ada@example.com", "name": f"Ada {SCRIPT}{IMG}"},
        "billing_address": {"country": "US", "state": "WA", "city": IMG,
                            "street": SCRIPT, "zipcode": "98101"},
        "metadata": {"note": SCRIPT, "other": IMG},
        "custom_fields": [
            {"key": "team", "label": f"Team {SCRIPT}{IMG}", "field_type": "dropdown",
             "options": [SCRIPT, IMG], "placeholder": IMG},
        ],
    }  # fmt: skip


async def hostile_product(client: AsyncClient, kit: MerchantKit) -> str:
    body = one_time_product(1000, name=f"Widget {SCRIPT}", description=f"Desc {IMG}")
    return await product(client, kit, body)


def assert_only_escaped(html: str) -> None:
    assert SCRIPT not in html and IMG not in html
    assert "&lt;script&gt;" in html
    sources = [t.get("src") or "" for t in tags(html, "script")]
    assert all(src.startswith("/static/checkout.js?v=") for src in sources)
    assert tags(html, "img") == []
    assert not [t for t in tags(html) if any(a.startswith("on") for a in t.attrs)]


async def test_page_shows_hostile_strings_only_escaped(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await hostile_product(client, merchant)
    sid = await session(client, merchant, [pid], **hostile_session_body())

    page, _ = await open_page(client, sid)

    assert "Widget &lt;script&gt;" in page.text
    assert "Team &lt;script&gt;" in page.text
    assert_only_escaped(page.text)


async def test_failed_post_echoes_buyer_input_only_escaped(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await hostile_product(client, merchant)
    sid = await session(client, merchant, [pid], **hostile_session_body())
    _, csrf = await open_page(client, sid)
    form = pay_form(csrf, "4000 0000 0000 0002", name=IMG, city=SCRIPT,
                    discount_code="", **{"custom.team": IMG})  # fmt: skip

    reply = await client.post(f"/session/{sid}/pay", data=form)

    assert reply.status_code == 402, reply.text[:500]
    assert_only_escaped(reply.text)


async def test_receipt_shows_hostile_strings_only_escaped(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await hostile_product(client, merchant)
    sid = await session(client, merchant, [pid], **hostile_session_body())
    _, csrf = await open_page(client, sid)
    paid = await client.post(
        f"/session/{sid}/pay", data=pay_form(csrf, **{"custom.team": SCRIPT})
    )
    assert paid.status_code == 303, paid.text[:800]

    receipt = await client.get(f"/session/{sid}")

    assert "Payment successful" in receipt.text
    assert_only_escaped(receipt.text)
