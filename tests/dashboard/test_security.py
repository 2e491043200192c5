"""Sign-in, cookies, CSRF, isolation between merchants, escaping."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from httpx import ASGITransport, AsyncClient
from markupsafe import escape

from tests.dashboard.support import PASSWORD, Dashboard, DashUser, csrf_of
from tests.support.factory import MerchantKit, one_time_product
from till.app import create_app
from till.config import Settings
from till.core.clock import FrozenClock
from till.dashboard import auth

PAGES = [
    "/dashboard",
    "/dashboard/products",
    "/dashboard/products/new",
    "/dashboard/products/pdt_anything",
    "/dashboard/products/pdt_anything/edit",
    "/dashboard/customers",
    "/dashboard/customers/cus_anything",
    "/dashboard/developers",
    "/dashboard/links",
    "/dashboard/checkouts",
    "/dashboard/checkouts/cks_anything",
    "/dashboard/payments",
    "/dashboard/payments/pay_anything",
    "/dashboard/subscriptions",
    "/dashboard/subscriptions/sub_anything",
    "/dashboard/discounts",
    "/dashboard/discounts/new",
    "/dashboard/discounts/dsc_anything",
    "/dashboard/webhooks",
    "/dashboard/webhooks/whk_anything",
]
FORMS = [
    "/dashboard/products",
    "/dashboard/products/pdt_anything",
    "/dashboard/products/pdt_anything/archive",
    "/dashboard/developers/keys",
    "/dashboard/developers/settings",
    "/dashboard/mode",
    "/dashboard/sign-out",
    "/dashboard/links",
    "/dashboard/links/some-slug/deactivate",
    "/dashboard/checkouts/cks_anything/expire",
    "/dashboard/subscriptions/sub_anything/cancel",
    "/dashboard/discounts",
    "/dashboard/discounts/dsc_anything/delete",
    "/dashboard/webhooks",
    "/dashboard/webhooks/whk_anything/secret",
    "/dashboard/webhooks/whk_anything/deliveries/dlv_x/resend",
]


@pytest.mark.parametrize("path", PAGES)
async def test_signed_out_page_redirects_to_sign_in(
    client: AsyncClient, path: str
) -> None:
    reply = await client.get(path)
    assert reply.status_code == 303
    assert reply.headers["location"] == "/dashboard/sign-in?next=" + path


@pytest.mark.parametrize("path", FORMS)
async def test_signed_out_form_post_redirects_and_changes_nothing(
    client: AsyncClient, path: str
) -> None:
    reply = await client.post(path, data={"name": "x"})
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/dashboard/sign-in")


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize("token", [None, "forged-token"])
async def test_form_post_without_the_csrf_token_is_refused(
    dash: Dashboard, path: str, token: str | None
) -> None:
    data = {"name": "Stolen", "mode": "live"}
    if token is not None:
        data["csrf"] = token
    reply = await dash.client.post(path, data=data)
    assert reply.status_code == 403
    assert "Form expired" in reply.text
    # Still signed in, still in test mode: nothing was done.
    assert 'data-testid="mode">test mode' in (await dash.get("/dashboard")).text


async def test_sign_in_form_without_its_token_is_refused(
    client: AsyncClient, user: DashUser
) -> None:
    await client.get("/dashboard/sign-in")
    reply = await client.post(
        "/dashboard/sign-in",
        data={"email": user.email, "password": PASSWORD, "csrf": "guess"},
    )
    assert reply.status_code == 403
    assert "till_dashboard" not in reply.cookies


async def test_sign_in_sets_a_hardened_session_cookie(
    client: AsyncClient, user: DashUser
) -> None:
    reply = await Dashboard(client).submit_sign_in(user.email, PASSWORD)
    assert reply.status_code == 303
    assert reply.headers["location"] == "/dashboard"
    cookie = next(
        c
        for c in reply.headers.get_list("set-cookie")
        if c.startswith("till_dashboard=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/dashboard" in cookie
    assert "Secure" not in cookie  # served over http in this test


async def test_cookie_is_secure_when_served_over_https(
    settings: Settings, clock: FrozenClock, user: DashUser
) -> None:
    https = dataclasses.replace(settings, public_url="https://till.example")
    app = create_app(https, clock=clock)
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="https://till.example") as c:
        reply = await Dashboard(c).submit_sign_in(user.email, PASSWORD)
    cookies = reply.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("till_dashboard="))
    assert "Secure" in session


async def test_wrong_password_shows_the_form_again_with_401(
    client: AsyncClient, user: DashUser
) -> None:
    reply = await Dashboard(client).submit_sign_in(user.email, "not it at all")
    assert reply.status_code == 401
    assert "The email or the password is not right." in reply.text
    assert (await client.get("/dashboard")).status_code == 303


async def test_repeated_failures_lock_sign_in_with_429(
    client: AsyncClient, clock: FrozenClock, user: DashUser
) -> None:
    browser = Dashboard(client)
    for _ in range(auth.FREE_ATTEMPTS):
        assert (
            await browser.submit_sign_in(user.email, "bad guess")
        ).status_code == 401
    locked = await browser.submit_sign_in(user.email, PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "60"
    assert "Too many failed sign-ins" in locked.text

    clock.advance(timedelta(minutes=1, seconds=1))
    assert (await browser.submit_sign_in(user.email, PASSWORD)).status_code == 303


async def test_sign_in_returns_to_the_page_asked_for(
    client: AsyncClient, user: DashUser
) -> None:
    form = await client.get("/dashboard/sign-in?next=/dashboard/customers")
    reply = await client.post(
        "/dashboard/sign-in",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf": csrf_of(form),
            "next": "/dashboard/customers",
        },
    )
    assert reply.headers["location"] == "/dashboard/customers"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/dashboard//evil.example"]
)
async def test_next_parameter_cannot_leave_the_dashboard(
    client: AsyncClient, user: DashUser, target: str
) -> None:
    form = await client.get("/dashboard/sign-in")
    reply = await client.post(
        "/dashboard/sign-in",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf": csrf_of(form),
            "next": target,
        },
    )
    assert reply.headers["location"] == "/dashboard"


async def test_sign_out_ends_the_session_server_side(dash: Dashboard) -> None:
    cookie = dash.client.cookies.get("till_dashboard")
    assert cookie
    reply = await dash.post("/dashboard/sign-out")
    assert reply.status_code == 303
    # Replaying the old cookie no longer works: the session row is gone.
    replay = await dash.client.get(
        "/dashboard", headers={"cookie": f"till_dashboard={cookie}"}
    )
    assert replay.status_code == 303


async def test_pages_forbid_framing_and_foreign_scripts(dash: Dashboard) -> None:
    reply = await dash.get("/dashboard/products")
    assert reply.headers["x-frame-options"] == "DENY"
    policy = reply.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert reply.headers["cache-control"] == "no-store"


async def _product_of(client: AsyncClient, kit: MerchantKit, name: str) -> str:
    reply = await client.post(
        "/products", json=one_time_product(name=name), headers=kit.headers()
    )
    return str(reply.json()["product_id"])


async def test_other_merchants_product_is_404_to_read_and_to_change(
    dash: Dashboard, other_merchant: MerchantKit
) -> None:
    theirs = await _product_of(dash.client, other_merchant, "Their secret plan")
    for path in (f"/dashboard/products/{theirs}", f"/dashboard/products/{theirs}/edit"):
        reply = await dash.get(path)
        assert reply.status_code == 404
        assert "Their secret plan" not in reply.text
    archive = await dash.post(f"/dashboard/products/{theirs}/archive")
    assert archive.status_code == 404
    edit = await dash.post(
        f"/dashboard/products/{theirs}",
        {"name": "Hijacked", "kind": "one_time", "currency": "USD", "price": "1"},
    )
    assert edit.status_code == 404
    still = await dash.client.get(
        f"/products/{theirs}", headers=other_merchant.headers()
    )
    assert still.json()["name"] == "Their secret plan"
    assert still.json()["archived"] is False


async def test_other_merchants_customer_and_key_are_404(
    dash: Dashboard, other_merchant: MerchantKit
) -> None:
    customer = await dash.client.post(
        "/customers",
        json={"email": "theirs@example.com", "name": "Theirs"},
        headers=other_merchant.headers(),
    )
    customer_id = customer.json()["customer_id"]
    assert (await dash.get(f"/dashboard/customers/{customer_id}")).status_code == 404
    revoke = await dash.post(
        f"/dashboard/developers/keys/{other_merchant.test.key_id}/revoke"
    )
    assert revoke.status_code == 404
    works = await dash.client.get("/products", headers=other_merchant.headers())
    assert works.status_code == 200


async def test_test_mode_objects_are_not_shown_in_live_mode(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    product_id = await _product_of(dash.client, merchant, "Test-only widget")
    assert "Test-only widget" in (await dash.get("/dashboard/products")).text
    await dash.switch_mode("live")
    listing = await dash.get("/dashboard/products")
    assert "Test-only widget" not in listing.text
    assert 'data-testid="mode">live mode' in listing.text
    assert (await dash.get(f"/dashboard/products/{product_id}")).status_code == 404


PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_merchant_strings_are_escaped_everywhere(
    dash: Dashboard, merchant: MerchantKit, payload: str
) -> None:
    body = one_time_product(
        name=payload[:100], description=payload, metadata={"k": payload}
    )
    created = await dash.client.post("/products", json=body, headers=merchant.headers())
    product_id = created.json()["product_id"]
    await dash.client.post(
        "/customers",
        json={"email": "x@example.com", "name": payload},
        headers=merchant.headers(),
    )
    await dash.client.patch(
        "/merchant", json={"name": payload}, headers=merchant.headers()
    )
    discount = await dash.client.post(
        "/discounts",
        json={"type": "percentage", "amount": 500, "name": payload},
        headers=merchant.headers(),
    )
    session = await dash.client.post(
        "/checkouts",
        json={
            "product_cart": [{"product_id": product_id, "quantity": 1}],
            "customer": {"email": "x@example.com", "name": payload[:100]},
            "metadata": {"note": payload},
        },
        headers=merchant.headers(),
    )
    session_id = session.json()["session_id"]
    for path in (
        "/dashboard/products",
        f"/dashboard/products/{product_id}",
        f"/dashboard/products/{product_id}/edit",
        "/dashboard/customers",
        "/dashboard/developers",
        "/dashboard/discounts",
        f"/dashboard/discounts/{discount.json()['discount_id']}",
        "/dashboard/checkouts",
        f"/dashboard/checkouts/{session_id}",
        "/dashboard/links",
    ):
        reply = await dash.get(path)
        assert reply.status_code == 200, path
        page = reply.text
        # The merchant's name is in every page's header: shown, but inert.
        assert str(escape(payload)) in page, path
        assert payload not in page, path
        assert "<img src=x" not in page
        assert not re.search(r"<script>alert", page)
