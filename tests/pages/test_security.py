"""Escaping, the content security policy and the CSRF token, without a server."""

from __future__ import annotations

import pytest

from tests.pages.support import facts, tags, widget
from till.pages import screens
from till.pages.rendering import static_bytes
from till.pages.security import content_security_policy, csrf_token, csrf_valid

KEY = b"k" * 32
PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(2)>')


def hostile_facts():  # type: ignore[no-untyped-def]
    script, img = PAYLOADS
    return facts(
        [widget(name=f"Widget {script}{img}")],
        descriptions={"pdt_widget": f"Desc {img}{script}"},
        merchant_name=f"Shop {script}",
        customer_name=f"Ada {img}",
        customer_email="ada@example.com",
        billing_address={"country": "US", "city": img, "street": script,
                         "zipcode": img, "state": "TX"},
        business_name=script,
        custom_fields=({"key": f"k{img}", "label": f"Label {script}{img}",
                        "field_type": "dropdown", "options": [img, script],
                        "placeholder": img},),
        discount_codes=(script,),
        cancel_url="javascript:alert(3)",
    )  # fmt: skip


def test_merchant_and_buyer_strings_appear_only_escaped() -> None:
    response = screens.checkout(
        hostile_facts(), "en", "tok", values={"name": PAYLOADS[1]}
    )
    html = bytes(response.body).decode()

    for payload in PAYLOADS:
        assert payload not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    # The only scripts are Till's own file, and nothing runs from attributes.
    assert [(t.get("src") or "")[:19] for t in tags(html, "script")] == [
        "/static/checkout.js"
    ]
    assert not [t for t in tags(html, "img")]
    assert not [t for t in tags(html) if any(a.startswith("on") for a in t.attrs)]
    assert "javascript:" not in html


def test_receipt_and_expired_pages_escape_too() -> None:
    f = hostile_facts()
    for response in (screens.receipt(f, "en"), screens.expired(f, "en")):
        html = bytes(response.body).decode()
        assert all(p not in html for p in PAYLOADS)


def test_policy_allows_no_inline_script_or_style_and_no_framing() -> None:
    policy = content_security_policy(["https://shop.example"])

    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "form-action 'self' https://shop.example" in policy


def test_every_page_carries_the_security_headers() -> None:
    for response in (
        screens.checkout(facts(return_url="https://shop.example/done"), "en", "t"),
        screens.not_found("en"),
        screens.expired(facts(), "en"),
    ):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    checkout = screens.checkout(
        facts(return_url="https://shop.example/done"), "en", "t"
    )
    assert "https://shop.example" in checkout.headers["content-security-policy"]


def test_templates_need_no_inline_style_or_script() -> None:
    html = bytes(screens.checkout(facts(), "en", "t").body).decode()

    assert not [t for t in tags(html) if "style" in t.attrs]
    assert not [t for t in tags(html, "style")]
    assert all(t.get("src") for t in tags(html, "script"))
    assert b".style." not in static_bytes("checkout.js")


def test_csrf_token_is_bound_to_scope_and_browser() -> None:
    token = csrf_token(KEY, "cks_1", "b" * 43)

    assert csrf_valid(KEY, "cks_1", "b" * 43, token)
    assert not csrf_valid(KEY, "cks_2", "b" * 43, token)
    assert not csrf_valid(KEY, "cks_1", "c" * 43, token)
    assert not csrf_valid(b"other" * 8, "cks_1", "b" * 43, token)


@pytest.mark.parametrize("token", [None, "", "é", "x" * 43])
def test_missing_or_forged_csrf_token_is_refused(token: str | None) -> None:
    assert not csrf_valid(KEY, "cks_1", "b" * 43, token)
    assert not csrf_valid(KEY, "cks_1", None, csrf_token(KEY, "cks_1", "b" * 43))


def test_page_with_its_css_and_js_weighs_under_100_kb() -> None:
    f = facts([widget(), widget(product_id="pdt_two", name="Gadget")],
              billing_address={"country": "US", "state": "TX"})  # fmt: skip
    html = bytes(screens.checkout(f, "en", "t").body)

    total = (
        len(html) + len(static_bytes("checkout.css")) + len(static_bytes("checkout.js"))
    )

    assert total < 100 * 1024, total
