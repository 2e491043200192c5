"""Themes: which colour values get in, and what the page does with them."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from tests.pages.api import product, session, simple_session
from tests.pages.support import facts, tags
from tests.support.factory import MerchantKit, one_time_product
from till.pages import screens
from till.pages.colours import css_colour
from till.pages.theme import Look, look_of, stylesheet


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("#fff", "#fff"),
        ("#FF6600", "#ff6600"),
        ("ff6600", "#ff6600"),  # the wire format allows hex without '#'
        ("#ff660080", "#ff660080"),
        ("rgb(255, 102, 0)", "rgb(255, 102, 0)"),
        ("rgba(0 0 0 / 50%)", "rgba(0 0 0 / 50%)"),
        ("hsl(120deg 100% 50%)", "hsl(120deg 100% 50%)"),
        ("oklch(70% 0.1 200)", "oklch(70% 0.1 200)"),
        ("RebeccaPurple", "rebeccapurple"),
        ("transparent", "transparent"),
    ],
)
def test_colours_the_page_accepts(given: str, written: str) -> None:
    assert css_colour(given) == written


@pytest.mark.parametrize(
    "hostile",
    [
        "red;}",
        "red; } body { display: none",
        "url(https://evil.example/x.png)",
        "#fff;background:url(x)",
        "var(--till-bg)",
        "expression(alert(1))",
        "rgb(255, 0, 0); color: red",
        "rgb(1.2.3.4)",
        "hsl(1, 2)",
        "red/**/",
        "</style><script>",
        "#ff00zz",
        "notacolour",
        "",
    ],
)
def test_anything_else_is_no_colour(hostile: str) -> None:
    assert css_colour(hostile) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("button_primary", "#ff0000;}"),
        ("bg_primary", "url(https://evil.example/x)"),
        ("text_primary", "red; background: blue"),
    ],
)
async def test_session_with_a_hostile_theme_colour_is_refused_naming_it(
    client: AsyncClient, merchant: MerchantKit, field: str, value: str
) -> None:
    pid = await product(client, merchant, one_time_product(1000))
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "customization": {"theme_config": {"dark": {field: value}}},
    }
    for path in ("/checkouts", "/checkouts/preview"):
        reply = await client.post(path, json=body, headers=merchant.headers())

        assert reply.status_code == 422, reply.text
        assert reply.json()["field"] == f"customization.theme_config.dark.{field}"


async def test_accepted_colours_are_stored_as_the_page_writes_them(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    theme = {"theme": "dark", "theme_config": {"dark": {"button_primary": "FF6600"}}}
    sid = await simple_session(client, merchant, customization=theme)

    css = await theme_css(client, sid)

    assert "--till-button: #ff6600;" in css


async def theme_css(client: AsyncClient, sid: str) -> str:
    page = await client.get(f"/session/{sid}")
    links = [t["href"] for t in tags(page.text, "link") if "theme.css" in t["href"]]
    assert len(links) == 1, links
    reply = await client.get(links[0])
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/css")
    assert "immutable" in reply.headers["cache-control"]
    return reply.text


def test_session_choices_win_key_by_key_over_merchant_defaults() -> None:
    merchant = {
        "theme": "dark",
        "theme_config": {
            "dark": {"bg_primary": "#000000", "button_primary": "#111111"},
            "radius": "12px",
            "font_size": "lg",
        },
    }
    own: dict[str, Any] = {
        "theme": None,
        "theme_config": {"dark": {"button_primary": "#ff6600"}, "radius": None},
    }

    look = look_of(own, merchant)

    assert look.mode == "dark"
    assert dict(look.dark) == {"bg_primary": "#000000", "button_primary": "#ff6600"}
    assert (look.radius, look.font_size) == ("12px", "18px")


def test_nothing_set_is_the_plain_light_page_with_no_extra_sheet() -> None:
    look = look_of({"theme": None, "theme_config": None}, None)

    assert look == Look()
    assert stylesheet(look) == ""


def test_stored_values_are_checked_again_when_written() -> None:
    # A row written before a rule existed must not reach the stylesheet.
    look = look_of(
        {"theme_config": {"light": {"button_primary": "red;}", "bg_primary": "#fff"},
                          "radius": "1px;}", "font_size": "huge"}},
        None,
    )  # fmt: skip

    css = stylesheet(look)

    assert css == ":root[data-theme] {\n  --till-bg: #fff;\n}\n"


def test_system_theme_uses_the_media_query_for_each_palette() -> None:
    look = look_of(
        {"theme": "system", "theme_config": {"light": {"text_primary": "#111"},
                                             "dark": {"text_primary": "#eee"}}},
        None,
    )  # fmt: skip

    css = stylesheet(look)

    assert css == (
        "@media not all and (prefers-color-scheme: dark) {\n"
        ":root[data-theme] {\n  --till-text: #111;\n}\n}\n"
        "@media (prefers-color-scheme: dark) {\n"
        ":root[data-theme] {\n  --till-text: #eee;\n}\n}\n"
    )


def test_dark_theme_writes_only_the_dark_palette() -> None:
    look = look_of(
        {"theme": "dark", "theme_config": {"light": {"text_primary": "#111"},
                                           "dark": {"text_primary": "#eee"},
                                           "font_weight": "bold"}},
        None,
    )  # fmt: skip

    assert stylesheet(look) == (
        ":root[data-theme] {\n  --till-font-weight: 700;\n  --till-text: #eee;\n}\n"
    )


def html_of(**customization: Any) -> str:
    f = facts(customization=customization)
    return bytes(screens.checkout(f, "en", "tok").body).decode()


def test_theme_mode_is_an_attribute_of_the_page() -> None:
    for mode in ("light", "dark", "system"):
        (root,) = tags(html_of(theme=mode), "html")
        assert root["data-theme"] == mode


def test_order_summary_is_collapsed_when_order_details_are_hidden() -> None:
    def summary(page: str) -> dict[str, str]:
        (details,) = [
            t for t in tags(page, "details") if t.get("id") == "order-summary"
        ]
        return details.attrs

    assert "open" in summary(html_of(show_order_details=True))
    assert "open" not in summary(html_of(show_order_details=False))
    # Collapsed, the summary line still says what is due.
    assert 'id="summary-total">$10.00<' in html_of(show_order_details=False)


def test_pay_button_says_the_merchants_words() -> None:
    page = html_of(theme_config={"pay_button_text": "Get <Pro> now"})

    assert ">Get &lt;Pro&gt; now</button>" in page


async def test_quote_keeps_the_merchants_button_text(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(
        client, merchant, customization={"theme_config": {"pay_button_text": "Go"}}
    )
    page = await client.get(f"/session/{sid}")
    token = tags(page.text, "input")[0]["value"]

    reply = await client.post(
        f"/session/{sid}/quote", json={"country": "DE"},
        headers={"X-CSRF-Token": token},
    )  # fmt: skip

    assert reply.status_code == 200, reply.text
    assert reply.json()["pay_label"] == "Go"
    assert reply.json()["total"] == "$11.90"


async def test_merchant_theme_defaults_apply_to_sessions_that_set_none(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    defaults = {"theme": "dark", "theme_config": {"dark": {"button_primary": "teal"}}}
    reply = await client.patch(
        "/merchant", json={"checkout_theme": defaults}, headers=merchant.headers()
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["checkout_theme"]["theme"] == "dark"
    plain = await simple_session(client, merchant)
    light = await simple_session(client, merchant, customization={"theme": "light"})

    page = await client.get(f"/session/{plain}")
    (root,) = tags(page.text, "html")
    assert root["data-theme"] == "dark"
    assert "--till-button: teal;" in await theme_css(client, plain)
    (root,) = tags((await client.get(f"/session/{light}")).text, "html")
    assert root["data-theme"] == "light"


async def test_merchant_theme_defaults_are_validated_too(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await client.patch(
        "/merchant",
        json={"checkout_theme": {"theme_config": {"light": {"bg_primary": "red;}"}}}},
        headers=merchant.headers(),
    )

    assert reply.status_code == 422
    assert reply.json()["field"] == "checkout_theme.theme_config.light.bg_primary"


async def test_theme_sheet_of_an_unknown_session_is_a_404(client: AsyncClient) -> None:
    reply = await client.get("/session/cks_nope/theme.css")

    assert reply.status_code == 404 and reply.text == ""


async def test_page_without_customization_links_no_theme_sheet(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await product(client, merchant, one_time_product(1000))
    sid = await session(client, merchant, [pid])

    page = await client.get(f"/session/{sid}")

    assert "theme.css" not in page.text
