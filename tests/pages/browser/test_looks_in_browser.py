"""Languages and themes as Chromium shows them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from tests.pages.browser.conftest import MerchantApi, Tab, shot_name
from tests.support.factory import one_time_product
from tests.support.server import ServerProcess

pytestmark = pytest.mark.browser

DE_ADDRESS = {"country": "DE", "city": "Berlin", "street": "Unter den Linden 1",
              "zipcode": "10117"}  # fmt: skip
NBSP = "\xa0"


@pytest.fixture
async def spanish_page(chromium: Browser) -> AsyncIterator[Page]:
    # The context's locale is what the browser sends as Accept-Language.
    context = await chromium.new_context(locale="es-ES")
    context.set_default_timeout(10_000)
    yield await context.new_page()
    await context.close()


async def test_forced_german_shows_german_text_and_amounts(
    tab: Tab, api: MerchantApi, server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    product = api.product(one_time_product(1900, currency="EUR", name="Kaffee"))
    sid = api.session(
        [product], billing_address=DE_ADDRESS, customization={"force_language": "de"}
    )

    await tab.page.goto(f"{server.url}/session/{sid}")

    page = tab.page
    assert await page.get_attribute("html", "lang") == "de"
    assert await page.text_content("#summary-title") == "Bestellübersicht"
    assert await page.text_content("label[for=f-card_number]") == "Kartennummer"
    assert await page.text_content(".line-amount") == f"19,00{NBSP}€"
    # 19 % German VAT on top: 22,61 €.
    assert await page.text_content("#pay-button") == f"22,61{NBSP}€ bezahlen"
    await tab.screenshot(shot_name(request))


async def test_spanish_browser_gets_the_spanish_page(
    spanish_page: Page, api: MerchantApi, server: ServerProcess, output_dir: Path,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    sid = api.session([api.product(one_time_product(1000))])

    await spanish_page.goto(f"{server.url}/session/{sid}")

    assert await spanish_page.get_attribute("html", "lang") == "es"
    assert await spanish_page.text_content("#summary-title") == "Resumen del pedido"
    assert (await spanish_page.text_content("#pay-button") or "").startswith("Pagar ")
    label = await spanish_page.text_content("label[for=f-card_number]")
    assert label == "Número de tarjeta"
    shot = output_dir / "pages" / f"{shot_name(request)}.png"
    await spanish_page.screenshot(path=str(shot), full_page=True)


async def test_dark_theme_with_the_merchants_button_colour(
    tab: Tab, api: MerchantApi, server: ServerProcess, request: pytest.FixtureRequest
) -> None:
    customization = {
        "theme": "dark",
        "theme_config": {
            "dark": {"button_primary": "#ff6600", "button_text_primary": "black"},
            "light": {"button_primary": "#00aa00"},
            "radius": "2px",
        },
    }
    sid = api.session(
        [api.product(one_time_product(1000))], customization=customization
    )

    await tab.page.goto(f"{server.url}/session/{sid}")
    await tab.screenshot(shot_name(request))

    style = await tab.page.evaluate(
        """() => {
             const button = getComputedStyle(document.getElementById("pay-button"));
             return [button.backgroundColor, button.color, button.borderTopLeftRadius,
                     getComputedStyle(document.body).backgroundColor];
           }"""
    )
    assert style == ["rgb(255, 102, 0)", "rgb(0, 0, 0)", "2px", "rgb(17, 20, 24)"]
