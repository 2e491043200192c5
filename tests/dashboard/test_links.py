"""Short links through the dashboard."""

from __future__ import annotations

import secrets

from tests.dashboard.support import Dashboard
from tests.links.support import session_id_of, visit
from tests.payments.support import Shop
from tests.support.factory import MerchantKit, one_time_product


def _slug() -> str:
    return f"dash-{secrets.token_hex(4)}"


async def test_create_with_saved_parameters_and_see_completions(
    shop: Shop, shop_dash: Dashboard
) -> None:
    pid = await shop.one_time(1000, name="Linked")
    slug = _slug()
    reply = await shop_dash.post(
        "/dashboard/links",
        {
            "product_id": pid,
            "slug": slug.upper(),
            "params": "quantity=2\nmetadata_campaign=flyer",
            "completion_limit": "10",
        },
    )
    assert reply.status_code == 303, reply.text
    sid = session_id_of(await visit(shop.client, f"/l/{slug}"))
    attempt = await shop.pay(sid)
    payment = await shop.client.get(
        f"/payments/{attempt.payment_id}", headers=shop.kit.headers()
    )
    assert payment.json()["metadata"] == {"campaign": "flyer"}

    page = (await shop_dash.get("/dashboard/links")).text
    row = page.split(f'data-slug="{slug}"')[1].split("</tr>")[0]
    assert f"http://testserver/l/{slug}" in row
    assert "1 / 10" in row
    assert "metadata_campaign=flyer" in row
    product_page = (await shop_dash.get(f"/dashboard/products/{pid}")).text
    assert f"http://testserver/l/{slug}" in product_page


async def test_deactivated_link_stops_selling(shop: Shop, shop_dash: Dashboard) -> None:
    pid = await shop.one_time(1000)
    slug = _slug()
    await shop_dash.post("/dashboard/links", {"product_id": pid, "slug": slug})
    await shop_dash.post(f"/dashboard/links/{slug}/deactivate")
    closed = await visit(shop.client, f"/l/{slug}")
    assert closed.status_code == 410
    await shop_dash.post(f"/dashboard/links/{slug}/activate")
    assert (await visit(shop.client, f"/l/{slug}")).status_code == 303


async def test_bad_slug_and_taken_slug_are_named(
    shop: Shop, shop_dash: Dashboard
) -> None:
    pid = await shop.one_time(1000)
    bad = await shop_dash.post(
        "/dashboard/links", {"product_id": pid, "slug": "no spaces"}
    )
    assert bad.status_code == 422
    assert 'id="slug-error"' in bad.text
    slug = _slug()
    await shop_dash.post("/dashboard/links", {"product_id": pid, "slug": slug})
    taken = await shop_dash.post("/dashboard/links", {"product_id": pid, "slug": slug})
    assert taken.status_code == 422
    assert 'id="slug-error"' in taken.text
    params = await shop_dash.post(
        "/dashboard/links", {"product_id": pid, "slug": _slug(), "params": "oops"}
    )
    assert "is not name=value" in params.text


async def test_other_merchants_product_or_link_is_404(
    shop: Shop, shop_dash: Dashboard, other_merchant: MerchantKit
) -> None:
    theirs = await shop.client.post(
        "/products", json=one_time_product(), headers=other_merchant.headers()
    )
    product_id = theirs.json()["product_id"]
    reply = await shop_dash.post(
        "/dashboard/links", {"product_id": product_id, "slug": _slug()}
    )
    assert reply.status_code == 404
    slug = _slug()
    await shop.client.post(
        f"/products/{product_id}/short_links",
        json={"slug": slug},
        headers=other_merchant.headers(),
    )
    assert (
        await shop_dash.post(f"/dashboard/links/{slug}/deactivate")
    ).status_code == 404
    assert (await visit(shop.client, f"/l/{slug}")).status_code == 303
