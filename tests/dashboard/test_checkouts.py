"""Checkout sessions in the dashboard: list, filters, detail, expire."""

from __future__ import annotations

from datetime import timedelta

from tests.dashboard.support import Dashboard
from tests.links.support import session_id_of, visit
from tests.payments.support import Shop
from tests.support.factory import MerchantKit, one_time_product
from till.checkout.models import CheckoutSession
from till.core.clock import FrozenClock
from till.dashboard.views.checkouts import shown_status


async def test_list_shows_status_origin_and_total(
    shop: Shop, shop_dash: Dashboard
) -> None:
    pid = await shop.one_time(1500, name="Book")
    paid = await shop.session(pid, customer={"email": "ada@example.com"})
    await shop.pay(paid)
    waiting = session_id_of(await visit(shop.client, f"/buy/{pid}"))

    page = (await shop_dash.get("/dashboard/checkouts")).text
    paid_row = page.split(f'data-session-id="{paid}"')[1].split("</tr>")[0]
    assert "status-completed" in paid_row
    assert "API" in paid_row and "ada@example.com" in paid_row
    waiting_row = page.split(f'data-session-id="{waiting}"')[1].split("</tr>")[0]
    assert "status-open" in waiting_row and "Payment link" in waiting_row


async def test_filters_by_status_and_origin(shop: Shop, shop_dash: Dashboard) -> None:
    pid = await shop.one_time(1000)
    paid = await shop.session(pid)
    await shop.pay(paid)
    from_link = session_id_of(await visit(shop.client, f"/buy/{pid}"))

    completed = (await shop_dash.get("/dashboard/checkouts?status=completed")).text
    assert paid in completed and from_link not in completed
    links = (await shop_dash.get("/dashboard/checkouts?origin=link")).text
    assert from_link in links and paid not in links
    assert 'value="link" selected' in links


async def test_detail_shows_cart_quote_metadata_and_payment(
    shop: Shop, shop_dash: Dashboard
) -> None:
    pid = await shop.one_time(2000, name="Guide")
    sid = await shop.session(pid, metadata={"order": "A-17"})
    attempt = await shop.pay(sid)

    page = (await shop_dash.get(f"/dashboard/checkouts/{sid}")).text
    assert f'href="/dashboard/products/{pid}">Guide</a>' in page
    assert "$20.00" in page  # unit price from the stored quote
    assert "<th>order</th><td><code>A-17</code>" in page
    assert f'href="/dashboard/payments/{attempt.payment_id}"' in page
    assert "Billing country" in page


async def test_expire_now_ends_an_open_session(
    shop: Shop, shop_dash: Dashboard, merchant: MerchantKit
) -> None:
    sid = await shop.session(await shop.one_time(1000))
    reply = await shop_dash.post(f"/dashboard/checkouts/{sid}/expire")
    assert reply.status_code == 303
    api = await shop.client.get(f"/checkouts/{sid}", headers=merchant.headers())
    assert api.json()["status"] == "expired"
    again = await shop_dash.post(f"/dashboard/checkouts/{sid}/expire")
    assert again.status_code == 409


async def test_other_merchants_session_is_404(
    shop: Shop, shop_dash: Dashboard, other_merchant: MerchantKit
) -> None:
    product = await shop.client.post(
        "/products", json=one_time_product(), headers=other_merchant.headers()
    )
    created = await shop.client.post(
        "/checkouts",
        json={
            "product_cart": [
                {"product_id": product.json()["product_id"], "quantity": 1}
            ]
        },
        headers=other_merchant.headers(),
    )
    sid = created.json()["session_id"]
    assert (await shop_dash.get(f"/dashboard/checkouts/{sid}")).status_code == 404
    assert (
        await shop_dash.post(f"/dashboard/checkouts/{sid}/expire")
    ).status_code == 404
    api = await shop.client.get(f"/checkouts/{sid}", headers=other_merchant.headers())
    assert api.json()["status"] == "open"


async def test_unpaid_session_marked_abandoned_is_shown_abandoned(
    shop: Shop, clock: FrozenClock
) -> None:
    sid = await shop.session(await shop.one_time(1000))
    session = await shop.stored_session(sid)
    assert shown_status(session, clock.now()) == "open"
    session.abandoned_at = clock.now() + timedelta(hours=1)
    assert shown_status(session, clock.now()) == "abandoned"
    clock.advance(timedelta(days=2))
    assert shown_status(session, clock.now()) == "abandoned"
    paid = CheckoutSession(status="completed", abandoned_at=clock.now())
    assert shown_status(paid, clock.now()) == "completed"
