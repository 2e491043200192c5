"""Embed mode: which parents may frame the page, and what a framed page says."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import urlencode, urlsplit

import pytest
from httpx import AsyncClient, Response
from starlette.responses import Response as PlainResponse

from tests.pages.api import client_at_own_address, csrf_of, pay_form, simple_session
from tests.pages.support import tags
from tests.support.factory import MerchantKit
from till.config import Settings
from till.core.clock import FrozenClock
from till.pages.embedding import (
    EmbedRefused,
    embed_from_query,
    normalise_origin,
    origin_allowed,
)
from till.pages.rendering import static_bytes
from till.pages.security import remember_browser

SHOP = "http://localhost:3000"
ALLOWED = ["http://localhost:*", "https://shop.example", "https://*.brand.example"]


@pytest.fixture
async def client(settings: Settings, clock: FrozenClock) -> AsyncIterator[AsyncClient]:
    async with client_at_own_address(settings, clock) as c:
        yield c


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:3000", True),  # any port for :*
        ("http://localhost", True),
        ("https://localhost:3000", False),  # scheme must match
        ("http://localhost.evil:3000", False),
        ("https://shop.example", True),
        ("https://shop.example:443", True),  # the default port is no port
        ("https://shop.example:8443", False),
        ("http://shop.example", False),
        ("https://www.shop.example", False),
        ("https://eu.brand.example", True),
        ("https://a.b.brand.example", True),
        ("https://brand.example", False),  # *. needs a name under it
        ("https://evilbrand.example", False),
    ],
)
def test_origin_matches_like_frame_ancestors(origin: str, allowed: bool) -> None:
    assert origin_allowed(origin, ALLOWED) is allowed


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("HTTP://LocalHost:3000", "http://localhost:3000"),
        ("https://shop.example:443", "https://shop.example"),
        ("https://shop.example/", None),
        ("https://shop.example/path", None),
        ("javascript:alert(1)", None),
        ("null", None),
        ("https://user@shop.example", None),
        ("", None),
    ],
)
def test_parent_origin_must_be_a_bare_origin(raw: str, normal: str | None) -> None:
    assert normalise_origin(raw) == normal


def test_embed_context_from_the_query() -> None:
    assert embed_from_query({}, ALLOWED) is None
    assert embed_from_query({"origin": SHOP}, ALLOWED) is None

    embed = embed_from_query({"embed": "1", "origin": SHOP, "stay": "1"}, ALLOWED)

    assert embed is not None and embed.parent_origin == SHOP and embed.stay
    assert embed.frame_ancestors == tuple(ALLOWED)
    assert embed.url("/session/cks_1?error=x") == (
        "/session/cks_1?error=x&embed=1&origin=http%3A%2F%2Flocalhost%3A3000&stay=1"
    )


@pytest.mark.parametrize(
    "query",
    [
        {"embed": "1"},
        {"embed": "1", "origin": "https://evil.example"},
        {"embed": "1", "origin": "http://localhost:3000/x"},
    ],
)
def test_embed_with_an_unlisted_or_missing_parent_is_refused(
    query: dict[str, str],
) -> None:
    with pytest.raises(EmbedRefused):
        embed_from_query(query, ALLOWED)


def test_stored_origins_that_are_not_source_expressions_never_reach_the_header() -> (
    None
):
    embed = embed_from_query(
        {"embed": "1", "origin": SHOP}, [SHOP, "https://x.example; script-src *"]
    )
    assert embed is not None and embed.frame_ancestors == (SHOP,)


def cookie_of(**kwargs: object) -> str:
    response = PlainResponse()
    remember_browser(response, "s" * 43, **kwargs)  # type: ignore[arg-type]
    return response.headers["set-cookie"]


def test_embed_cookie_is_partitioned_third_party_on_https_and_loopback() -> None:
    for url in ("https://till.example", "http://127.0.0.1:8000", "http://localhost"):
        cookie = cookie_of(public_url=url, embedded=True)
        assert cookie.startswith("till_csrf_embed=")
        assert "SameSite=None; Partitioned" in cookie and "Secure" in cookie


def test_embed_cookie_on_plain_http_elsewhere_stays_lax() -> None:
    # A Secure cookie cannot be set over plain http on a real host; Lax still
    # works when the shop is on the same site (another port, for instance).
    cookie = cookie_of(public_url="http://till.internal:8000", embedded=True)
    assert cookie.startswith("till_csrf_embed=")
    assert "samesite=lax" in cookie.lower() and "Secure" not in cookie


def test_top_level_cookie_is_unchanged() -> None:
    cookie = cookie_of(public_url="https://till.example")
    assert cookie.startswith("till_csrf=") and "samesite=lax" in cookie.lower()


async def allow_embedding(client: AsyncClient, kit: MerchantKit) -> None:
    reply = await client.patch(
        "/merchant", json={"embed_origins": ["http://localhost:*"]},
        headers=kit.headers(),
    )  # fmt: skip
    assert reply.status_code == 200, reply.text


def embedded(path: str, **extra: str) -> str:
    return f"{path}?{urlencode({'embed': '1', 'origin': SHOP, **extra})}"


def ancestors(response: Response) -> str:
    policy = response.headers["content-security-policy"]
    match = re.search(r"frame-ancestors ([^;]+)", policy)
    assert match is not None
    return match.group(1)


async def test_embedded_page_may_be_framed_by_exactly_the_listed_origins(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await allow_embedding(client, merchant)
    sid = await simple_session(client, merchant)

    page = await client.get(embedded(f"/session/{sid}"))

    assert page.status_code == 200
    assert ancestors(page) == "http://localhost:*"
    assert "x-frame-options" not in page.headers
    (root,) = tags(page.text, "html")
    assert root["data-till-parent"] == SHOP
    assert root["data-till-session"] == sid
    scripts = [t["src"].split("?")[0] for t in tags(page.text, "script")]
    assert scripts == ["/static/checkout.js", "/static/frame.js"]
    (form,) = tags(page.text, "form")
    assert form["action"] == embedded(f"/session/{sid}/pay")
    assert "till_csrf_embed=" in page.headers["set-cookie"]


async def test_top_level_page_may_not_be_framed(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await allow_embedding(client, merchant)
    sid = await simple_session(client, merchant)

    page = await client.get(f"/session/{sid}")

    assert ancestors(page) == "'none'"
    assert page.headers["x-frame-options"] == "DENY"
    assert "data-till-parent" not in page.text and "frame.js" not in page.text


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:3000"])
async def test_embed_for_an_unlisted_parent_is_a_page_nobody_may_frame(
    client: AsyncClient, merchant: MerchantKit, origin: str
) -> None:
    await allow_embedding(client, merchant)
    sid = await simple_session(client, merchant)

    page = await client.get(f"/session/{sid}?embed=1&origin={origin}")

    assert page.status_code == 403
    assert ancestors(page) == "'none'"
    assert origin not in page.text and "data-till-parent" not in page.text
    assert "This checkout cannot be shown here" in page.text


async def test_merchant_without_embed_origins_cannot_be_embedded(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)

    page = await client.get(embedded(f"/session/{sid}"))

    assert page.status_code == 403 and ancestors(page) == "'none'"


async def pay_embedded(
    client: AsyncClient, sid: str, card: str = "4242 4242 4242 4242", **query: str
) -> Response:
    page = await client.get(embedded(f"/session/{sid}", **query))
    assert page.status_code == 200, page.text
    (form,) = tags(page.text, "form")
    return await client.post(form["action"], data=pay_form(csrf_of(page.text), card))


def outcome(page: str) -> dict[str, str]:
    (found,) = [t for t in tags(page, "div") if t.get("id") == "till-outcome"]
    return {k: v for k, v in found.attrs.items() if k.startswith("data-")}


async def test_paid_in_a_frame_the_receipt_tells_the_parent_the_payment(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await allow_embedding(client, merchant)
    sid = await simple_session(
        client, merchant, return_url="https://shop.example/done",
        feature_flags={"redirect_immediately": True},
    )  # fmt: skip

    reply = await pay_embedded(client, sid)

    # Even with redirect_immediately the frame stays on Till: the parent goes.
    assert reply.status_code == 303
    assert reply.headers["location"] == embedded(f"/session/{sid}")
    receipt = await client.get(reply.headers["location"])
    status = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
    payment_id = status.json()["payment_id"]
    said = outcome(receipt.text)
    assert said["data-type"] == "payment_succeeded"
    assert said["data-payment-id"] == payment_id
    assert said["data-session-id"] == sid
    back = urlsplit(said["data-return-url"])
    assert (back.netloc, back.path) == ("shop.example", "/done")
    assert f"payment_id={payment_id}" in back.query
    (link,) = [t for t in tags(receipt.text, "a") if t.get("id") == "continue-link"]
    assert link["target"] == "_top"


async def test_staying_parent_gets_no_return_url_and_no_continue_link(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await allow_embedding(client, merchant)
    sid = await simple_session(client, merchant, return_url="https://shop.example/d")

    reply = await pay_embedded(client, sid, stay="1")

    receipt = await client.get(reply.headers["location"])
    assert "data-return-url" not in outcome(receipt.text)
    assert outcome(receipt.text)["data-payment-id"].startswith("pay_")
    assert 'id="continue-link"' not in receipt.text


async def test_declined_in_a_frame_the_page_tells_the_parent_why(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await allow_embedding(client, merchant)
    sid = await simple_session(client, merchant)

    reply = await pay_embedded(client, sid, card="4000 0000 0000 0002")

    assert reply.status_code == 402
    said = outcome(reply.text)
    assert said["data-type"] == "payment_failed"
    assert said["data-reason"] == "card_declined"
    assert said["data-message"] == "Your card was declined."
    assert ancestors(reply) == "http://localhost:*"


async def test_top_level_pages_carry_no_outcome_for_a_parent(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await simple_session(client, merchant)
    page = await client.get(f"/session/{sid}")

    reply = await client.post(
        f"/session/{sid}/pay", data=pay_form(csrf_of(page.text), "4000000000000002")
    )

    assert reply.status_code == 402 and "till-outcome" not in reply.text


async def test_three_d_secure_stays_in_the_frame(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await allow_embedding(client, merchant)
    sid = await simple_session(client, merchant)

    reply = await pay_embedded(client, sid, card="4000 0025 0000 3155")

    location = urlsplit(reply.headers["location"])
    assert location.path.startswith("/sandbox/3ds/")
    assert location.query == urlencode({"embed": "1", "origin": SHOP})
    challenge = await client.get(f"{location.path}?{location.query}")
    assert challenge.status_code == 200 and ancestors(challenge) == "http://localhost:*"
    (form,) = tags(challenge.text, "form")
    answer = await client.post(
        form["action"],
        data={"csrf_token": csrf_of(challenge.text), "decision": "approve"},
    )
    assert answer.headers["location"] == embedded(f"/session/{sid}")


async def test_scripts_for_both_sides_are_served(client: AsyncClient) -> None:
    embed = await client.get("/embed.js")
    frame = await client.get("/static/frame.js")

    assert embed.status_code == frame.status_code == 200
    assert embed.headers["content-type"].startswith("text/javascript")
    assert embed.content == static_bytes("embed.js")
    assert b"Till" in embed.content and b"postMessage" in frame.content
    # The merchant's script stays small and uses nothing but the browser.
    assert len(embed.content) < 12 * 1024
    assert b"import " not in embed.content and b"require(" not in embed.content
