"""Payments and subscriptions in the dashboard."""

from __future__ import annotations

import re

from tests.dashboard.support import Dashboard
from tests.payments.support import DECLINED, Shop
from tests.support.factory import MerchantKit


async def test_payment_list_and_detail_show_outcome_card_and_metadata(
    shop: Shop, shop_dash: Dashboard
) -> None:
    sid = await shop.session(
        await shop.one_time(1500), metadata={"campaign": "<b>spring</b>"}
    )
    attempt = await shop.pay(sid)
    listing = (await shop_dash.get("/dashboard/payments")).text
    row = listing.split(f'data-payment-id="{attempt.payment_id}"')[1].split("</tr>")[0]
    assert "status-succeeded" in row and "4242" in row

    detail = (await shop_dash.get(f"/dashboard/payments/{attempt.payment_id}")).text
    assert "campaign" in detail
    assert "&lt;b&gt;spring&lt;/b&gt;" in detail
    assert f'href="/dashboard/checkouts/{sid}"' in detail


async def test_declined_payment_shows_why(shop: Shop, shop_dash: Dashboard) -> None:
    sid = await shop.session(await shop.one_time(1500))
    attempt = await shop.pay(sid, DECLINED)
    assert attempt.payment_id is not None
    detail = (await shop_dash.get(f"/dashboard/payments/{attempt.payment_id}")).text
    assert "status-failed" in detail
    assert 'class="form-error" role="alert"' in detail
    failed = (await shop_dash.get("/dashboard/payments?status=failed")).text
    assert attempt.payment_id in failed
    succeeded = (await shop_dash.get("/dashboard/payments?status=succeeded")).text
    assert attempt.payment_id not in succeeded


async def test_customer_page_lists_their_payments(
    shop: Shop, shop_dash: Dashboard
) -> None:
    sid = await shop.session(await shop.one_time(1500))
    attempt = await shop.pay(sid, email="grace@example.com", name="Grace Hopper")
    assert attempt.payment_id is not None
    customers = (
        await shop_dash.get("/dashboard/customers?email=grace@example.com")
    ).text
    found = re.search(r"/dashboard/customers/(cus_\w+)", customers)
    assert found is not None
    page = (await shop_dash.get(f"/dashboard/customers/{found.group(1)}")).text
    assert attempt.payment_id in page
    only = (await shop_dash.get(f"/dashboard/payments?customer={found.group(1)}")).text
    assert attempt.payment_id in only


async def test_other_merchants_payment_is_404(
    shop: Shop, shop_dash: Dashboard, other_merchant: MerchantKit
) -> None:
    other = Shop(shop.client, shop.ctx, other_merchant)
    attempt = await other.pay(await other.session(await other.one_time(1000)))
    assert attempt.payment_id is not None
    reply = await shop_dash.get(f"/dashboard/payments/{attempt.payment_id}")
    assert reply.status_code == 404
    assert attempt.payment_id not in (await shop_dash.get("/dashboard/payments")).text


async def _subscription(shop: Shop, shop_dash: Dashboard) -> str:
    attempt = await shop.pay(await shop.session(await shop.recurring(900, name="Pro")))
    assert attempt.status == "succeeded"
    detail = (await shop_dash.get(f"/dashboard/payments/{attempt.payment_id}")).text
    found = re.search(r"/dashboard/subscriptions/(sub_\w+)", detail)
    assert found is not None
    return found.group(1)


async def test_subscription_cancel_at_period_end_then_keep(
    shop: Shop, shop_dash: Dashboard, merchant: MerchantKit
) -> None:
    sub_id = await _subscription(shop, shop_dash)
    listing = (await shop_dash.get("/dashboard/subscriptions")).text
    assert f'data-subscription-id="{sub_id}"' in listing
    await shop_dash.post(
        f"/dashboard/subscriptions/{sub_id}/cancel", {"when": "at_period_end"}
    )
    api = await shop.client.get(f"/subscriptions/{sub_id}", headers=merchant.headers())
    assert api.json()["cancel_at_next_billing_date"] is True
    assert api.json()["status"] == "active"
    await shop_dash.post(f"/dashboard/subscriptions/{sub_id}/cancel", {"when": "keep"})
    api = await shop.client.get(f"/subscriptions/{sub_id}", headers=merchant.headers())
    assert api.json()["cancel_at_next_billing_date"] is False


async def test_subscription_cancel_now(
    shop: Shop, shop_dash: Dashboard, merchant: MerchantKit
) -> None:
    sub_id = await _subscription(shop, shop_dash)
    reply = await shop_dash.post(
        f"/dashboard/subscriptions/{sub_id}/cancel", {"when": "now"}
    )
    assert reply.status_code == 303
    api = await shop.client.get(f"/subscriptions/{sub_id}", headers=merchant.headers())
    assert api.json()["status"] == "cancelled"
    page = (await shop_dash.get(f"/dashboard/subscriptions/{sub_id}")).text
    assert "Cancel now" not in page


async def test_other_merchants_subscription_cannot_be_seen_or_cancelled(
    shop: Shop, shop_dash: Dashboard, other_merchant: MerchantKit
) -> None:
    other = Shop(shop.client, shop.ctx, other_merchant)
    attempt = await other.pay(await other.session(await other.recurring(900)))
    payment = await shop.client.get(
        f"/payments/{attempt.payment_id}", headers=other_merchant.headers()
    )
    sub_id = payment.json()["subscription_id"]
    assert (
        await shop_dash.get(f"/dashboard/subscriptions/{sub_id}")
    ).status_code == 404
    cancel = await shop_dash.post(
        f"/dashboard/subscriptions/{sub_id}/cancel", {"when": "now"}
    )
    assert cancel.status_code == 404
    api = await shop.client.get(
        f"/subscriptions/{sub_id}", headers=other_merchant.headers()
    )
    assert api.json()["status"] == "active"
