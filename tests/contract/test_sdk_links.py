"""The official SDK drives a real Till server: payment links and short links.

Links are visited with plain HTTP, as a browser would, and what they created
is read back through the SDK.
"""

from __future__ import annotations

import httpx
from dodopayments import DodoPayments

from tests.support.server import ServerProcess
from till.core.ids import random_token

BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"}


def _product(sdk: DodoPayments, price: int = 1500) -> str:
    created = sdk.products.create(
        name="Workshop seat",
        tax_category="edtech",
        price={
            "type": "one_time_price",
            "price": price,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
        },
    )
    return created.product_id


def _session_of(url: str, params: dict[str, str] | None = None) -> str:
    reply = httpx.get(url, params=params, headers=BROWSER, follow_redirects=False)
    assert reply.status_code == 303, reply.text
    return reply.headers["location"].rsplit("/session/", 1)[1]


def test_static_link_creates_a_session_read_back_by_the_sdk(
    sdk: DodoPayments, server: ServerProcess
) -> None:
    pid = _product(sdk)
    params = {
        "quantity": "3",
        "email": "ada@example.com",
        "metadata_campaign": "spring",
    }
    sid = _session_of(f"{server.url}/buy/{pid}", params)
    session = sdk.checkout_sessions.retrieve(sid)
    assert session.id == sid
    assert session.customer_email == "ada@example.com"
    assert session.payment_id is None
    listed = httpx.get(
        f"{server.url}/checkouts",
        params={"origin": "link"},
        headers={"Authorization": f"Bearer {sdk.bearer_token}"},
    ).json()["items"]
    [item] = [i for i in listed if i["id"] == sid]
    assert item["metadata"] == {"campaign": "spring"}
    assert item["total_amount"] == 4500


def test_short_link_create_list_and_visit(
    sdk: DodoPayments, server: ServerProcess
) -> None:
    pid = _product(sdk)
    slug = f"spring-{random_token(6).lower()}"
    created = sdk.products.short_links.create(
        pid,
        slug=slug,
        static_checkout_params={"quantity": "2", "metadata_campaign": "spring"},
    )
    assert created.short_url == f"{server.url}/l/{slug}"
    assert created.full_url == (
        f"{server.url}/buy/{pid}?quantity=2&metadata_campaign=spring"
    )

    listed = list(sdk.products.short_links.list(product_id=pid))
    assert [(s.short_url, s.product_id) for s in listed] == [(created.short_url, pid)]
    assert listed[0].full_url == created.full_url

    sid = _session_of(created.short_url, {"email": "bo@example.com"})
    assert sdk.checkout_sessions.retrieve(sid).customer_email == "bo@example.com"


def test_unfurler_and_head_create_no_session(
    sdk: DodoPayments, server: ServerProcess
) -> None:
    pid = _product(sdk)
    link = f"{server.url}/buy/{pid}"
    bot = httpx.get(link, headers={"user-agent": "facebookexternalhit/1.1"})
    assert bot.status_code == 200
    assert 'property="og:title" content="Workshop seat"' in bot.text
    assert "$15.00" in bot.text
    assert httpx.head(link).status_code == 200
    listed = httpx.get(
        f"{server.url}/checkouts",
        params={"origin": "link"},
        headers={"Authorization": f"Bearer {sdk.bearer_token}"},
    ).json()["items"]
    assert listed == []
