"""/webhooks: create, read, change, list, delete, reveal the secret."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from httpx import AsyncClient

from tests.support.factory import MerchantKit
from till.core.clock import FrozenClock


async def _create(client: AsyncClient, kit: MerchantKit, **body: Any) -> dict[str, Any]:
    payload = {"url": "http://localhost:4000/hooks", **body}
    reply = await client.post("/webhooks", json=payload, headers=kit.headers())
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def test_create_returns_the_endpoint_as_sent(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    body = await _create(
        client,
        merchant,
        description="orders",
        filter_types=["payment.succeeded", "refund.succeeded"],
        metadata={"team": "billing"},
        rate_limit=50,
    )

    assert body["id"].startswith("whk_")
    assert body["url"] == "http://localhost:4000/hooks"
    assert body["description"] == "orders"
    assert body["filter_types"] == ["payment.succeeded", "refund.succeeded"]
    assert body["metadata"] == {"team": "billing"}
    assert body["disabled"] is False
    assert body["rate_limit"] == 50
    assert body["created_at"] == body["updated_at"] == "2026-06-01T12:00:00Z"


async def test_secret_is_whsec_and_base64_of_32_bytes_and_stable(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    endpoint = await _create(client, merchant)
    url = f"/webhooks/{endpoint['id']}/secret"

    first = (await client.get(url, headers=merchant.headers())).json()["secret"]
    again = (await client.get(url, headers=merchant.headers())).json()["secret"]

    assert first == again
    assert first.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32
    other = await _create(client, merchant)
    other_url = f"/webhooks/{other['id']}/secret"
    assert (await client.get(other_url, headers=merchant.headers())).json()[
        "secret"
    ] != first


async def test_update_changes_only_the_fields_given(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    endpoint = await _create(client, merchant, description="a", metadata={"k": "v"})
    clock.advance(timedelta(minutes=1))
    reply = await client.patch(
        f"/webhooks/{endpoint['id']}",
        json={"filter_types": ["subscription.cancelled"], "disabled": True},
        headers=merchant.headers(),
    )

    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["filter_types"] == ["subscription.cancelled"]
    assert body["disabled"] is True
    assert body["description"] == "a"
    assert body["metadata"] == {"k": "v"}
    assert body["updated_at"] == "2026-06-01T12:01:00Z"
    read = await client.get(f"/webhooks/{endpoint['id']}", headers=merchant.headers())
    assert read.json() == body


async def test_list_pages_with_an_iterator_newest_first(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    made = []
    for n in range(3):
        made.append((await _create(client, merchant, description=str(n)))["id"])
        clock.advance(timedelta(seconds=1))

    first = await client.get("/webhooks?limit=2", headers=merchant.headers())
    page = first.json()
    assert [e["id"] for e in page["data"]] == [made[2], made[1]]
    assert page["done"] is False
    second = await client.get(
        f"/webhooks?limit=2&iterator={page['iterator']}", headers=merchant.headers()
    )
    rest = second.json()
    assert [e["id"] for e in rest["data"]] == [made[0]]
    assert rest["done"] is True
    assert rest["iterator"] is None


async def test_deleted_endpoint_is_gone(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    endpoint = await _create(client, merchant)
    url = f"/webhooks/{endpoint['id']}"

    assert (await client.delete(url, headers=merchant.headers())).status_code == 204

    assert (await client.get(url, headers=merchant.headers())).status_code == 404
    assert (await client.delete(url, headers=merchant.headers())).status_code == 404
    listed = await client.get("/webhooks", headers=merchant.headers())
    assert endpoint["id"] not in [e["id"] for e in listed.json()["data"]]


async def test_another_merchant_or_mode_sees_404(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    endpoint = await _create(client, merchant)
    for path in ("", "/secret", "/deliveries"):
        url = f"/webhooks/{endpoint['id']}{path}"
        foreign = await client.get(url, headers=other_merchant.headers())
        live = await client.get(url, headers=merchant.headers("live"))
        assert (foreign.status_code, live.status_code) == (404, 404)
        assert foreign.json()["code"] == "NOT_FOUND"
    changed = await client.patch(
        f"/webhooks/{endpoint['id']}",
        json={"disabled": True},
        headers=other_merchant.headers(),
    )
    assert changed.status_code == 404


async def test_unknown_event_type_is_refused_by_field(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await client.post(
        "/webhooks",
        json={"url": "http://localhost/x", "filter_types": ["payment.succeded"]},
        headers=merchant.headers(),
    )

    assert reply.status_code == 422
    assert reply.json()["field"] == "filter_types[0]"


async def test_url_that_is_not_http_is_refused_by_field(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    for url in ("ftp://example.com/x", "not a url", "javascript:alert(1)"):
        reply = await client.post(
            "/webhooks", json={"url": url}, headers=merchant.headers()
        )
        assert reply.status_code == 422, url
        assert reply.json()["field"] == "url"


async def test_without_a_key_is_401(client: AsyncClient) -> None:
    assert (await client.get("/webhooks")).status_code == 401
