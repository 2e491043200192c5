"""No request body, however malformed, produces a 500."""

from __future__ import annotations

import json

import pytest
from httpx import AsyncClient

from tests.support.factory import MerchantKit, one_time_product


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    "raw",
    [
        b"{bad json",
        b"\xff\xfe\xfa not utf-8",
        b"null",
        b"[]",
        b'"just a string"',
        b'{"name": 1, "price": [], "tax_category": {}}',
        json.dumps(one_time_product(price=10**40)).encode(),
        json.dumps(one_time_product(price=1.5)).encode(),
        _deep(100_000),
        b'{"name": "x", "name": "y"}',
    ],
)
async def test_malformed_body_is_4xx_json(
    client: AsyncClient, merchant: MerchantKit, raw: bytes
) -> None:
    headers = merchant.headers() | {"content-type": "application/json"}
    reply = await client.post("/products", content=raw, headers=headers)
    assert 400 <= reply.status_code < 500, reply.text
    body = reply.json()
    assert set(body) >= {"code", "message"}


async def test_ten_megabyte_body_is_413(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    raw = b'{"name": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    headers = merchant.headers() | {"content-type": "application/json"}
    reply = await client.post("/products", content=raw, headers=headers)
    assert reply.status_code == 413
    assert reply.json()["code"] == "PAYLOAD_TOO_LARGE"


async def test_streamed_body_over_limit_is_413(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"x" * 100_000

    headers = merchant.headers() | {"content-type": "application/json"}
    reply = await client.post("/products", content=chunks(), headers=headers)
    assert reply.status_code == 413


async def test_every_reply_carries_a_request_id(client: AsyncClient) -> None:
    reply = await client.get("/health")
    assert reply.headers["x-request-id"].startswith("req_")
    assert reply.json() == {"status": "ok", "database": "ok"}


async def test_unknown_route_is_json_404(client: AsyncClient) -> None:
    reply = await client.get("/nope")
    assert reply.status_code == 404
    assert reply.json()["code"] == "NOT_FOUND"


async def test_openapi_and_docs_are_served(client: AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "/products" in spec["paths"]
    assert (await client.get("/docs")).status_code == 200


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/customers", b'{"email": "a@b.co", "name": "nul\\u0000byte"}'),
        ("/products/pdt_%00x", None),
        ("/customers?name=a%00b", None),
    ],
)
async def test_nul_characters_are_refused_before_the_database(
    client: AsyncClient, merchant: MerchantKit, path: str, raw: bytes | None
) -> None:
    headers = merchant.headers() | {"content-type": "application/json"}
    if raw is None:
        reply = await client.get(path, headers=headers)
    else:
        reply = await client.post(path, content=raw, headers=headers)
    assert reply.status_code == 400
    assert "NUL" in reply.json()["message"]


async def test_list_filter_without_timezone_means_utc(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await client.get(
        "/customers?created_at_gte=2026-01-01T00:00:00", headers=merchant.headers()
    )
    assert reply.status_code == 200


async def test_list_positions_are_named_with_brackets(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await client.patch(
        "/merchant",
        json={"embed_origins": ["https://ok.example", "nope"]},
        headers=merchant.headers(),
    )
    assert reply.json()["field"] == "embed_origins[1]"


async def test_nul_in_a_payment_link_parameter_is_dropped_not_refused(
    client: AsyncClient,
) -> None:
    reply = await client.get("/buy/pdt_unknown?email=a%00b&quantity=2")
    # The link's own answer (an unknown product), not a refusal of the typo.
    assert reply.status_code == 404
    assert reply.headers["content-type"].startswith("text/html")
