"""The checkout inside a merchant's page, in Chromium: overlay, inline, and a
site the merchant did not list.

The example shop (``examples/``) is served on ``localhost`` while Till runs
on ``127.0.0.1``: two different sites, so the frame is a real third party
and its form token has to travel in the embed-mode cookie.
"""

from __future__ import annotations

import functools
import html
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import pytest
from playwright.async_api import Frame, FrameLocator, Page

from tests.pages.browser.conftest import MerchantApi, Tab, shot_name
from tests.support.factory import one_time_product
from tests.support.server import ServerProcess

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PREFILLED: dict[str, Any] = {
    "customer": {"email": "ada@example.com", "name": "Ada Lovelace"},
    "billing_address": {"country": "US", "state": "WA", "city": "Seattle",
                        "street": "1 Pike St", "zipcode": "98101"},
}  # fmt: skip

# Test-only pages next to the example shop. The "ad" is a frame from another
# site inside the shop's page that tries to talk to the checkout frame.
EXTRA_PAGES = {
    "/framing.html": """<!doctype html><title>Not the shop</title>
<iframe id="honest" src="{checkout}&origin={here}"></iframe>
<iframe id="lying" src="{checkout}&origin={shop}"></iframe>""",
    "/ad.html": """<!doctype html><title>Ad</title><script>
parent.frames[0].postMessage({{till: 1, type: "hello"}}, "*");
parent.postMessage("ad-posted", "*");
</script>""",
}


@dataclass(frozen=True)
class Shop:
    port: int

    @property
    def origin(self) -> str:
        """The shop's own origin, the one the merchant lists."""
        return f"http://localhost:{self.port}"

    @property
    def other_origin(self) -> str:
        """The same server under another name: a site nobody listed."""
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def shop() -> Iterator[Shop]:
    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            if path not in EXTRA_PAGES:
                super().do_GET()
                return
            checkout = parse_qs(query).get("checkout", [""])[0]
            body = EXTRA_PAGES[path].format(
                checkout=html.escape(checkout),
                here=quote(f"http://{self.headers['host']}", safe=""),
                shop=quote(f"http://localhost:{port}", safe=""),
            )
            data = body.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Handler, directory=str(EXAMPLES))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Shop(port)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def embedding_api(api: MerchantApi, shop: Shop) -> MerchantApi:
    """The merchant's API, with the shop listed as allowed to embed."""
    reply = api.http.patch("/merchant", json={"embed_origins": [shop.origin]})
    assert reply.status_code == 200, reply.text
    return api


def checkout_url(server: ServerProcess, session_id: str) -> str:
    return f"{server.url}/session/{session_id}"


async def open_shop(tab: Tab, shop: Shop, server: ServerProcess, sid: str) -> None:
    url = quote(checkout_url(server, sid), safe="")
    reply = await tab.page.goto(f"{shop.origin}/index.html?checkout={url}")
    assert reply is not None and reply.status == 200


async def events(page: Page, kind: str | None = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await page.evaluate("window.tillEvents")
    return [e for e in found if kind is None or e["type"] == kind]


async def wait_for_event(page: Page, kind: str, count: int = 1) -> dict[str, Any]:
    await page.wait_for_function(
        "([kind, count]) => window.tillEvents.filter(e => e.type === kind).length"
        " >= count",
        arg=[kind, count],
    )
    return (await events(page, kind))[count - 1]


async def fill_card(frame: FrameLocator, number: str) -> None:
    await frame.locator("#f-card_number").fill(number)
    await frame.locator("#f-card_expiry").fill("12 / 34")
    await frame.locator("#f-card_cvc").fill("123")


async def test_overlay_pays_reports_the_payment_and_closes(
    tab: Tab, embedding_api: MerchantApi, server: ServerProcess, shop: Shop,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    api = embedding_api
    sid = api.session([api.product(one_time_product(1900))], **PREFILLED)
    await open_shop(tab, shop, server, sid)

    await tab.page.click("#open-overlay")
    ready = await wait_for_event(tab.page, "ready")
    assert ready["detail"]["session_id"] == sid
    assert ready["detail"]["page"] == "checkout"
    frame = tab.page.frame_locator(".till-overlay iframe")
    await fill_card(frame, "4242 4242 4242 4242")
    await tab.screenshot(shot_name(request) + "-open")
    await frame.locator("#pay-button").click()

    success = await wait_for_event(tab.page, "success")
    await tab.page.locator(".till-overlay").wait_for(state="detached")
    await tab.screenshot(shot_name(request) + "-paid")

    checkout = api.get(f"/checkouts/{sid}")
    assert checkout["payment_status"] == "succeeded"
    assert success["detail"]["payment_id"] == checkout["payment_id"]
    assert success["detail"]["session_id"] == sid
    assert (await events(tab.page, "close"))[-1]["detail"] == {"reason": "paid"}
    assert await tab.page.text_content("#thanks") == (
        f"Thank you! Payment {checkout['payment_id']} went through."
    )


async def test_escape_closes_the_overlay(
    tab: Tab, embedding_api: MerchantApi, server: ServerProcess, shop: Shop
) -> None:
    api = embedding_api
    sid = api.session([api.product(one_time_product(1000))])
    await open_shop(tab, shop, server, sid)
    await tab.page.click("#open-overlay")
    await wait_for_event(tab.page, "ready")

    await tab.page.keyboard.press("Escape")

    await tab.page.locator(".till-overlay").wait_for(state="detached")
    assert (await events(tab.page, "close"))[-1]["detail"] == {"reason": "escape"}


async def test_inline_frame_grows_with_the_form_and_never_scrolls(
    tab: Tab, embedding_api: MerchantApi, server: ServerProcess, shop: Shop,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    api = embedding_api
    sid = api.session([api.product(one_time_product(1000))], **PREFILLED)
    await open_shop(tab, shop, server, sid)
    # Tall enough that the grown frame fits: Chromium paints a cross-site
    # frame only where it meets the viewport, screenshots included.
    await tab.page.set_viewport_size({"width": 900, "height": 2400})

    await tab.page.click("#mount-inline")
    await wait_for_event(tab.page, "ready")
    iframe = tab.page.locator("#inline-checkout iframe")
    before = await frame_height(iframe)
    frame = tab.page.frame_locator("#inline-checkout iframe")
    await frame.locator("#f-is_business").check()
    await frame.locator("#f-tax_id").wait_for()

    await tab.page.wait_for_function(
        "h => document.querySelector('#inline-checkout iframe').offsetHeight > h + 60",
        arg=before,
    )
    inner = await checkout_frame(tab.page).evaluate(
        "[document.documentElement.scrollHeight, window.innerHeight]"
    )
    await tab.screenshot(shot_name(request))
    last = (await events(tab.page, "resize"))[-1]["detail"]["height"]
    assert inner[0] <= inner[1] + 1, inner
    assert last == await frame_height(iframe)


async def frame_height(iframe: Any) -> int:
    height: int = await iframe.evaluate("f => f.offsetHeight")
    return height


def checkout_frame(page: Page) -> Frame:
    frame = next(f for f in page.frames if "/session/" in f.url)
    return frame


async def test_unlisted_site_cannot_frame_the_checkout_nor_talk_to_it(
    tab: Tab, embedding_api: MerchantApi, server: ServerProcess, shop: Shop,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    api = embedding_api
    sid = api.session([api.product(one_time_product(1000))], **PREFILLED)
    embed = quote(checkout_url(server, sid) + "?embed=1", safe="")

    # A site the merchant did not list frames the page: once saying where
    # it really is, once pretending to be the shop. The browser blocks both.
    await tab.page.goto(f"{shop.other_origin}/framing.html?checkout={embed}")
    await tab.page.wait_for_load_state("load")
    framed = [f for f in tab.page.frames if f != tab.page.main_frame]
    assert [f.url.split(":")[0] for f in framed] == ["chrome-error"] * 2
    refusals = [m for m in tab.console if "frame-ancestors" in m]
    assert any("frame-ancestors 'none'" in m for m in refusals), tab.console
    assert any(f"frame-ancestors {shop.origin}" in m for m in refusals)
    await tab.screenshot(shot_name(request) + "-blocked")

    # On the shop's own page, a frame from that other site posts to the
    # checkout frame; the checkout answers only the shop itself.
    await open_shop(tab, shop, server, sid)
    await tab.page.click("#mount-inline")
    await wait_for_event(tab.page, "ready")
    await tab.page.evaluate(
        """src => new Promise(done => {
             window.addEventListener("message", e => {
               if (e.data === "ad-posted") done();
             });
             const ad = document.createElement("iframe");
             ad.src = src;
             document.body.appendChild(ad);
           })""",
        f"{shop.other_origin}/ad.html",
    )
    await tab.page.evaluate(
        """origin => document.querySelector("#inline-checkout iframe")
             .contentWindow.postMessage({till: 1, type: "hello"}, origin)""",
        server.url,
    )
    await wait_for_event(tab.page, "ready", count=2)
    # Messages from two processes need not arrive in the order sent; a
    # moment more lets a reply to the ad show up if there were one.
    await tab.page.evaluate("new Promise(r => setTimeout(r, 200))")
    assert len(await events(tab.page, "ready")) == 2
