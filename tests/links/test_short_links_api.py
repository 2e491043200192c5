"""``/products/{id}/short_links`` and Till's additions, through HTTP."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.support.factory import MerchantKit

from .support import make_product


async def _create(
    client: AsyncClient, kit: MerchantKit, pid: str, **body: Any
) -> dict[str, Any]:
    reply = await client.post(
        f"/products/{pid}/short_links", json=body, headers=kit.headers()
    )
    assert reply.status_code == 200, reply.text
    data: dict[str, Any] = reply.json()
    return data


async def test_create_returns_the_full_and_short_urls(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    params = {"quantity": "2", "metadata_campaign": "spring"}
    link = await _create(
        client, merchant, pid, slug="Spring-Sale", static_checkout_params=params
    )
    assert link["short_url"] == "http://testserver/l/spring-sale"
    assert link["full_url"] == (
        f"http://testserver/buy/{pid}?quantity=2&metadata_campaign=spring"
    )
    assert link["qr_svg_url"] == "http://testserver/l/spring-sale/qr.svg"
    assert (link["active"], link["completions"]) == (True, 0)


async def test_numbers_and_booleans_in_saved_params_are_taken_as_text(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    params = {"quantity": 2, "disableEmail": True}
    link = await _create(
        client, merchant, pid, slug="typed", static_checkout_params=params
    )
    assert link["static_checkout_params"] == {"quantity": "2", "disableEmail": "true"}


async def test_slug_used_by_another_merchant_is_409(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    other = await make_product(client, other_merchant)
    await _create(client, merchant, pid, slug="taken")
    reply = await client.post(
        f"/products/{other}/short_links",
        json={"slug": "taken"},
        headers=other_merchant.headers(),
    )
    assert reply.status_code == 409
    assert (reply.json()["code"], reply.json()["field"]) == ("SLUG_TAKEN", "slug")


async def test_invalid_slug_is_422_naming_it(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    for slug in ["has space", "under_score", "-leading", "é", "", "x" * 65]:
        reply = await client.post(
            f"/products/{pid}/short_links",
            json={"slug": slug},
            headers=merchant.headers(),
        )
        assert reply.status_code == 422, slug
        assert reply.json()["field"] == "slug"


async def test_another_merchants_product_is_404(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    pid = await make_product(client, other_merchant)
    reply = await client.post(
        f"/products/{pid}/short_links",
        json={"slug": "mine"},
        headers=merchant.headers(),
    )
    assert reply.status_code == 404


async def test_archived_product_cannot_get_a_short_link(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    await client.delete(f"/products/{pid}", headers=merchant.headers())
    reply = await client.post(
        f"/products/{pid}/short_links",
        json={"slug": "late"},
        headers=merchant.headers(),
    )
    assert reply.status_code == 409
    assert reply.json()["code"] == "PRODUCT_ARCHIVED"


async def test_list_is_newest_first_filtered_and_isolated(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit, clock: Any
) -> None:
    from datetime import timedelta

    one = await make_product(client, merchant)
    two = await make_product(client, merchant)
    await _create(client, merchant, one, slug="first-link")
    clock.advance(timedelta(seconds=1))
    await _create(client, merchant, two, slug="second-link")
    theirs = await make_product(client, other_merchant)
    await _create(client, other_merchant, theirs, slug="their-link")

    listed = await client.get("/products/short_links", headers=merchant.headers())
    assert listed.status_code == 200
    assert [i["slug"] for i in listed.json()["items"]] == ["second-link", "first-link"]
    item = listed.json()["items"][0]
    assert {"created_at", "full_url", "product_id", "short_url"} <= item.keys()
    filtered = await client.get(
        "/products/short_links", params={"product_id": one}, headers=merchant.headers()
    )
    assert [i["slug"] for i in filtered.json()["items"]] == ["first-link"]
    live = await client.get("/products/short_links", headers=merchant.headers("live"))
    assert live.json()["items"] == []


async def test_patch_deactivates_and_sets_expiry_and_limit(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    await _create(client, merchant, pid, slug="patch-me")
    reply = await client.patch(
        "/products/short_links/patch-me",
        json={
            "active": False,
            "inactive_message": "Back next spring.",
            "expires_at": "2026-07-01T00:00:00Z",
            "completion_limit": 5,
        },
        headers=merchant.headers(),
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["active"], body["inactive_message"]) == (False, "Back next spring.")
    assert (body["expires_at"], body["completion_limit"]) == ("2026-07-01T00:00:00Z", 5)

    cleared = await client.patch(
        "/products/short_links/patch-me",
        json={"active": True, "expires_at": None, "completion_limit": None},
        headers=merchant.headers(),
    )
    assert cleared.json()["active"] is True
    assert (cleared.json()["expires_at"], cleared.json()["completion_limit"]) == (
        None,
        None,
    )
    assert cleared.json()["inactive_message"] == "Back next spring."


async def test_patch_of_another_merchants_link_is_404(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    pid = await make_product(client, other_merchant)
    await _create(client, other_merchant, pid, slug="not-yours")
    reply = await client.patch(
        "/products/short_links/not-yours",
        json={"active": False},
        headers=merchant.headers(),
    )
    assert reply.status_code == 404


async def test_patch_with_an_unknown_field_is_422(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    await _create(client, merchant, pid, slug="strict")
    reply = await client.patch(
        "/products/short_links/strict",
        json={"slug": "renamed"},
        headers=merchant.headers(),
    )
    assert reply.status_code == 422
    assert reply.json()["field"] == "slug"


async def test_create_replays_with_the_same_idempotency_key(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    headers = {**merchant.headers(), "Idempotency-Key": "link-1"}
    body = {"slug": "once"}
    first = await client.post(
        f"/products/{pid}/short_links", json=body, headers=headers
    )
    again = await client.post(
        f"/products/{pid}/short_links", json=body, headers=headers
    )
    assert first.status_code == again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.headers.get("idempotent-replayed") == "true"
