"""``/discounts``: creating, reading, changing and deleting codes."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from tests.discounts.helpers import create_discount, create_product
from tests.support.factory import MerchantKit
from till.core.clock import FrozenClock
from till.discounts.service import CODE_ALPHABET, GENERATED_CODE_LENGTH


async def test_percentage_code_is_stored_uppercase_in_the_wire_shape(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    created = await create_discount(
        client, merchant, code=" summer25 ", amount=2500, name="Summer", usage_limit=3
    )
    assert created["discount_id"].startswith("dsc_")
    assert created["business_id"] == merchant.merchant_id
    assert created["code"] == "SUMMER25"
    assert created["amount"] == 2500
    assert created["type"] == "percentage"
    assert created["name"] == "Summer"
    assert created["usage_limit"] == 3
    assert created["times_used"] == 0
    assert created["restricted_to"] == []
    assert created["customer_eligibility"] == "any"
    assert created["preserve_on_plan_change"] is False
    assert created["metadata"] == {}
    assert created["currency"] is None
    assert created["currency_options"] == []
    assert created["created_at"].startswith("2026-06-01T12:00:00")


@pytest.mark.parametrize("given", [{}, {"code": ""}, {"code": None}])
async def test_missing_code_is_generated_from_unambiguous_letters(
    client: AsyncClient, merchant: MerchantKit, given: dict[str, Any]
) -> None:
    code = (await create_discount(client, merchant, **given))["code"]
    assert len(code) == GENERATED_CODE_LENGTH
    assert set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("0O1IL")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "percentage", "amount": 10_001}, "amount"),
        ({"type": "percentage", "amount": 0}, "amount"),
        ({"type": "flat", "amount": 0}, "amount"),
        ({"type": "flat", "amount": -5}, "amount"),
        ({"type": "flat_per_unit", "amount": 5}, "type"),
        ({"type": "percentage", "amount": 5, "code": "AB"}, "code"),
        ({"type": "percentage", "amount": 5, "code": "TWO WORDS"}, "code"),
        ({"type": "percentage", "amount": 5, "code": "A" * 17}, "code"),
        ({"type": "percentage", "amount": 5, "usage_limit": 0}, "usage_limit"),
        ({"type": "percentage", "amount": 5, "subscription_cycles": 0},
         "subscription_cycles"),
        ({"type": "percentage", "amount": 5, "currency": "EUR"}, "currency"),
        ({"type": "flat", "amount": 5, "currency": "XYZ"}, "currency"),
        ({"type": "percentage", "amount": 5, "customer_eligibility": "first_time"},
         "customer_eligibility"),
        ({"type": "percentage", "amount": 5, "per_customer_usage_limit": 1},
         "per_customer_usage_limit"),
        ({"type": "percentage", "amount": 5, "metadata": {"k" * 41: "v"}},
         "metadata"),
        ({"type": "percentage", "amount": 5, "starts_at": "soon"}, "starts_at"),
    ],
)  # fmt: skip
async def test_invalid_discount_is_422_naming_the_field(
    client: AsyncClient, merchant: MerchantKit, body: dict[str, Any], field: str
) -> None:
    reply = await client.post("/discounts", json=body, headers=merchant.headers())
    assert reply.status_code == 422, reply.text
    assert reply.json()["field"] == field


async def test_flat_amount_is_minor_units_not_capped_at_a_percentage(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    created = await create_discount(
        client, merchant, type="flat", amount=25_000, currency="eur"
    )
    assert (created["amount"], created["currency"]) == (25_000, "EUR")
    assert created["currency_options"] == [
        {
            "currency": "EUR",
            "is_default": True,
            "minimum_subtotal": 0,
            "max_amount_possible": 25_000,
        }
    ]


async def test_one_currency_option_row_sets_the_currency(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    created = await create_discount(
        client,
        merchant,
        type="flat",
        amount=500,
        currency_options=[{"currency": "USD", "max_amount_possible": 500}],
    )
    assert created["currency"] == "USD"


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ([{"currency": "USD"}, {"currency": "EUR"}], "currency_options"),
        ([{"currency": "USD", "max_amount_possible": 400}],
         "currency_options[0].max_amount_possible"),
        ([{"currency": "USD", "minimum_subtotal": 1000}],
         "currency_options[0].minimum_subtotal"),
        ([{"currency": "GBP"}], "currency_options[0].currency"),
    ],
)  # fmt: skip
async def test_currency_options_beyond_one_currency_are_refused(
    client: AsyncClient, merchant: MerchantKit, options: list[Any], field: str
) -> None:
    body = {"type": "flat", "amount": 500, "currency": "USD"}
    body["currency_options"] = options
    reply = await client.post("/discounts", json=body, headers=merchant.headers())
    assert reply.status_code == 422, reply.text
    assert reply.json()["field"] == field


async def test_expiry_must_come_after_start(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    body = {
        "type": "percentage",
        "amount": 100,
        "starts_at": "2026-07-01T00:00:00Z",
        "expires_at": "2026-07-01T00:00:00Z",
    }
    reply = await client.post("/discounts", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] == "expires_at"


async def test_dates_without_zone_are_read_as_utc(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    created = await create_discount(
        client, merchant, starts_at="2026-07-01T08:00:00", expires_at=None
    )
    assert created["starts_at"] in ("2026-07-01T08:00:00Z", "2026-07-01T08:00:00+00:00")


async def test_duplicate_code_is_409_whatever_the_case(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await create_discount(client, merchant, code="WELCOME")
    body = {"type": "flat", "amount": 100, "code": "welcome"}
    reply = await client.post("/discounts", json=body, headers=merchant.headers())
    assert reply.status_code == 409
    assert reply.json()["code"] == "DISCOUNT_CODE_EXISTS"
    assert reply.json()["field"] == "code"


async def test_same_code_is_free_in_the_other_mode_and_for_other_merchants(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    test = await create_discount(client, merchant, code="SHARED")
    live = await create_discount(client, merchant, mode="live", code="SHARED")
    other = await create_discount(client, other_merchant, code="SHARED")
    assert len({test["discount_id"], live["discount_id"], other["discount_id"]}) == 3


async def test_deleted_code_can_be_given_again(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    first = await create_discount(client, merchant, code="AGAIN")
    h = merchant.headers()
    assert (
        await client.delete(f"/discounts/{first['discount_id']}", headers=h)
    ).status_code == 204
    second = await create_discount(client, merchant, code="again")
    assert second["discount_id"] != first["discount_id"]
    by_code = await client.get("/discounts/code/again", headers=h)
    assert by_code.json()["discount_id"] == second["discount_id"]


async def test_restricted_to_must_name_own_products(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    mine = await create_product(client, merchant)
    live = await create_product(client, merchant, mode="live")
    theirs = await create_product(client, other_merchant)
    for index, products in [(1, [mine, theirs]), (0, [live]), (1, [mine, "pdt_x"])]:
        body = {"type": "percentage", "amount": 5, "restricted_to": products}
        reply = await client.post("/discounts", json=body, headers=merchant.headers())
        assert reply.status_code == 422, reply.text
        assert reply.json()["field"] == f"restricted_to[{index}]"
        assert reply.json()["code"] == "PRODUCT_NOT_FOUND"
    created = await create_discount(client, merchant, restricted_to=[mine, mine])
    assert created["restricted_to"] == [mine]


async def test_retrieve_by_id_and_by_code_in_any_case(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    created = await create_discount(client, merchant, code="Spring-10")
    h = merchant.headers()
    by_id = await client.get(f"/discounts/{created['discount_id']}", headers=h)
    by_code = await client.get("/discounts/code/spring-10", headers=h)
    assert by_id.json() == created
    assert by_code.json() == created
    missing = await client.get("/discounts/code/NOPE", headers=h)
    assert missing.status_code == 404


async def test_other_merchant_or_mode_sees_404(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    created = await create_discount(client, merchant, code="PRIVATE")
    path = f"/discounts/{created['discount_id']}"
    for headers in (other_merchant.headers(), merchant.headers("live")):
        assert (await client.get(path, headers=headers)).status_code == 404
        assert (
            await client.get("/discounts/code/PRIVATE", headers=headers)
        ).status_code == 404
        patch = await client.patch(path, json={"amount": 5}, headers=headers)
        assert patch.status_code == 404
        assert (await client.delete(path, headers=headers)).status_code == 404
    assert (await client.get(path, headers=merchant.headers())).status_code == 200


async def test_update_changes_given_fields_and_clears_nulls(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    product = await create_product(client, merchant)
    created = await create_discount(
        client, merchant, name="Old", usage_limit=5, restricted_to=[product]
    )
    clock.advance(timedelta(minutes=5))
    reply = await client.patch(
        f"/discounts/{created['discount_id']}",
        json={"amount": 1500, "code": "newcode", "name": None, "restricted_to": []},
        headers=merchant.headers(),
    )
    assert reply.status_code == 200, reply.text
    updated = reply.json()
    assert (updated["amount"], updated["code"], updated["name"]) == (
        1500,
        "NEWCODE",
        None,
    )
    assert updated["restricted_to"] == []
    assert updated["usage_limit"] == 5
    assert updated["type"] == "percentage"
    again = await client.get(
        f"/discounts/{created['discount_id']}", headers=merchant.headers()
    )
    assert again.json() == updated


async def test_update_to_a_taken_code_is_409(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    await create_discount(client, merchant, code="TAKEN")
    other = await create_discount(client, merchant, code="MINE")
    reply = await client.patch(
        f"/discounts/{other['discount_id']}",
        json={"code": "taken"},
        headers=merchant.headers(),
    )
    assert reply.status_code == 409
    assert reply.json()["code"] == "DISCOUNT_CODE_EXISTS"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"amount": 20_000}, "amount"),
        ({"expires_at": "2026-06-30T00:00:00Z"}, "expires_at"),
        ({"currency": "USD"}, "currency"),
        ({"restricted_to": ["pdt_nothere"]}, "restricted_to[0]"),
        ({"usage_limit": 0}, "usage_limit"),
    ],
)
async def test_update_is_judged_on_the_result(
    client: AsyncClient, merchant: MerchantKit, patch: dict[str, Any], field: str
) -> None:
    created = await create_discount(client, merchant, starts_at="2026-07-01T00:00:00Z")
    reply = await client.patch(
        f"/discounts/{created['discount_id']}", json=patch, headers=merchant.headers()
    )
    assert reply.status_code == 422, reply.text
    assert reply.json()["field"] == field
    unchanged = await client.get(
        f"/discounts/{created['discount_id']}", headers=merchant.headers()
    )
    assert unchanged.json() == created


async def test_switching_flat_to_percentage_needs_the_currency_cleared(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    created = await create_discount(
        client, merchant, type="flat", amount=500, currency="USD"
    )
    path = f"/discounts/{created['discount_id']}"
    h = merchant.headers()
    refused = await client.patch(path, json={"type": "percentage"}, headers=h)
    assert refused.json()["field"] == "currency"
    reply = await client.patch(
        path, json={"type": "percentage", "currency_options": []}, headers=h
    )
    assert reply.status_code == 200, reply.text
    assert (reply.json()["type"], reply.json()["currency"]) == ("percentage", None)


async def test_delete_is_soft_and_hides_the_discount(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    created = await create_discount(client, merchant, code="GONE")
    path = f"/discounts/{created['discount_id']}"
    h = merchant.headers()
    assert (await client.delete(path, headers=h)).status_code == 204
    assert (await client.get(path, headers=h)).status_code == 404
    assert (await client.get("/discounts/code/gone", headers=h)).status_code == 404
    assert (await client.delete(path, headers=h)).status_code == 404
    assert (await client.patch(path, json={"amount": 5}, headers=h)).status_code == 404
    listed = (await client.get("/discounts", headers=h)).json()["items"]
    assert created["discount_id"] not in [d["discount_id"] for d in listed]


async def test_list_paginates_newest_first(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    codes = []
    for i in range(3):
        codes.append((await create_discount(client, merchant, code=f"PAGE{i}"))["code"])
        clock.advance(timedelta(seconds=1))
    h = merchant.headers()
    first = (await client.get("/discounts?page_size=2", headers=h)).json()["items"]
    second = (
        await client.get("/discounts?page_size=2&page_number=1", headers=h)
    ).json()
    assert [d["code"] for d in first + second["items"]] == ["PAGE2", "PAGE1", "PAGE0"]
    assert (await client.get("/discounts?page_size=101", headers=h)).status_code == 422


async def test_list_filters_by_code_type_and_product(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    product = await create_product(client, merchant)
    other_product = await create_product(client, merchant)
    await create_discount(client, merchant, code="ALPHA_1", restricted_to=[product])
    await create_discount(client, merchant, code="BETA", type="flat", amount=100)
    await create_discount(client, merchant, code="GAMMA", restricted_to=[other_product])
    h = merchant.headers()

    async def codes(query: str) -> list[str]:
        reply = await client.get(f"/discounts?{query}", headers=h)
        assert reply.status_code == 200, reply.text
        return sorted(d["code"] for d in reply.json()["items"])

    assert await codes("code=ha_") == ["ALPHA_1"]
    assert await codes("code=a") == ["ALPHA_1", "BETA", "GAMMA"]
    assert await codes("discount_type=flat") == ["BETA"]
    assert await codes(f"product_id={product}") == ["ALPHA_1", "BETA"]


async def test_list_filters_by_redeemable_now(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    await create_discount(client, merchant, code="OPEN")
    await create_discount(
        client, merchant, code="LATER", starts_at="2026-06-02T00:00:00Z"
    )
    await create_discount(
        client, merchant, code="OVER", expires_at="2026-06-01T12:00:00Z"
    )
    await create_discount(
        client, merchant, code="WINDOW", expires_at="2026-06-01T13:00:00Z"
    )
    h = merchant.headers()

    async def codes(active: str) -> list[str]:
        reply = await client.get(f"/discounts?active={active}", headers=h)
        return sorted(d["code"] for d in reply.json()["items"])

    assert await codes("true") == ["OPEN", "WINDOW"]
    assert await codes("false") == ["LATER", "OVER"]
    clock.advance(timedelta(days=1))
    assert await codes("true") == ["LATER", "OPEN"]


async def test_idempotent_create_returns_the_first_discount(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    h = {**merchant.headers(), "Idempotency-Key": "disc-1"}
    body = {"type": "percentage", "amount": 700}
    first = await client.post("/discounts", json=body, headers=h)
    second = await client.post("/discounts", json=body, headers=h)
    assert first.status_code == second.status_code == 200
    assert first.json()["discount_id"] == second.json()["discount_id"]
    listed = (await client.get("/discounts", headers=merchant.headers())).json()
    assert len(listed["items"]) == 1


async def test_concurrent_creates_of_one_code_make_one_discount(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    body = {"type": "percentage", "amount": 100, "code": "RACE"}
    replies = await asyncio.gather(
        *(
            client.post("/discounts", json=body, headers=merchant.headers())
            for _ in range(8)
        )
    )
    statuses = sorted(r.status_code for r in replies)
    assert statuses == [200] + [409] * 7, [r.text for r in replies]
    listed = (
        await client.get("/discounts?code=RACE", headers=merchant.headers())
    ).json()
    assert len(listed["items"]) == 1
