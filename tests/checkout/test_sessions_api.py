"""Reading, listing and ending sessions; time moves with the frozen clock."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkout.support import create, one_time
from tests.support.factory import MerchantKit
from till.checkout import transitions
from till.core.clock import FrozenClock


async def _session(client: AsyncClient, merchant: MerchantKit, **extra: object) -> str:
    pid = await one_time(client, merchant, 1000)
    body = {"product_cart": [{"product_id": pid, "quantity": 1}], **extra}
    return await create(client, merchant, body)


async def _complete(db: AsyncSession, session_id: str, clock: FrozenClock) -> None:
    assert await transitions.complete(db, session_id, "pay_test", clock.now())
    await db.commit()


async def test_retrieve_has_the_wire_fields_and_till_status(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    sid = await _session(
        client, merchant, customer={"email": "ada@example.com", "name": "Ada"}
    )
    reply = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
    assert reply.status_code == 200
    assert reply.json() == {
        "id": sid,
        "created_at": "2026-06-01T12:00:00Z",
        "customer_email": "ada@example.com",
        "customer_name": "Ada",
        "payment_id": None,
        "payment_status": None,
        "status": "open",
        "expires_at": "2026-06-02T12:00:00Z",
    }


async def test_session_is_expired_once_its_day_is_over(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    sid = await _session(client, merchant)
    clock.advance(timedelta(hours=23, minutes=59))
    reply = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
    assert reply.json()["status"] == "open"

    clock.advance(timedelta(minutes=1))
    reply = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
    assert reply.json()["status"] == "expired"


async def test_confirmed_session_expires_after_fifteen_minutes(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    sid = await _session(
        client,
        merchant,
        confirm=True,
        customer={"email": "a@example.com"},
        billing_address={"country": "DE", "zipcode": "10117"},
        minimal_address=True,
    )
    clock.advance(timedelta(minutes=15))
    reply = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
    assert reply.json()["status"] == "expired"


async def test_expire_ends_an_open_session_at_once(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    sid = await _session(client, merchant)
    clock.advance(timedelta(minutes=5))
    reply = await client.post(f"/checkouts/{sid}/expire", headers=merchant.headers())
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "expired"
    assert reply.json()["expires_at"] == "2026-06-01T12:05:00Z"

    # A payment arriving afterwards cannot complete it.
    assert not await transitions.complete(db, sid, "pay_late", clock.now())


async def test_expire_on_an_expired_session_is_409(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    sid = await _session(client, merchant)
    clock.advance(timedelta(hours=25))
    reply = await client.post(f"/checkouts/{sid}/expire", headers=merchant.headers())
    assert reply.status_code == 409
    assert reply.json()["code"] == "SESSION_EXPIRED"


async def test_expire_on_a_completed_session_is_409(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    sid = await _session(client, merchant)
    await _complete(db, sid, clock)
    reply = await client.post(f"/checkouts/{sid}/expire", headers=merchant.headers())
    assert reply.status_code == 409
    assert reply.json()["code"] == "SESSION_ALREADY_COMPLETED"
    reply = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
    assert reply.json()["status"] == "completed"
    assert reply.json()["payment_id"] == "pay_test"
    assert reply.json()["payment_status"] == "succeeded"


async def test_another_merchant_or_mode_sees_404(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    sid = await _session(client, merchant)
    for headers in (other_merchant.headers(), merchant.headers("live")):
        assert (
            await client.get(f"/checkouts/{sid}", headers=headers)
        ).status_code == 404
        expire = await client.post(f"/checkouts/{sid}/expire", headers=headers)
        assert expire.status_code == 404
        listed = await client.get("/checkouts", headers=headers)
        assert listed.json()["items"] == []


async def test_unknown_session_is_404(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await client.get("/checkouts/cks_nope", headers=merchant.headers())
    assert reply.status_code == 404


async def test_list_filters_by_status(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    stale = await _session(client, merchant)
    clock.advance(timedelta(hours=23))
    ended = await _session(client, merchant)
    await client.post(f"/checkouts/{ended}/expire", headers=merchant.headers())
    paid = await _session(client, merchant)
    await _complete(db, paid, clock)
    fresh = await _session(client, merchant)
    clock.advance(timedelta(hours=2))  # ``stale`` is now past its 24 hours

    async def ids(status: str) -> set[str]:
        reply = await client.get(
            "/checkouts", params={"status": status}, headers=merchant.headers()
        )
        assert reply.status_code == 200
        return {item["id"] for item in reply.json()["items"]}

    assert await ids("open") == {fresh}
    assert await ids("expired") == {stale, ended}
    assert await ids("completed") == {paid}


async def test_list_items_carry_status_origin_and_totals(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    sid = await _session(client, merchant, metadata={"order": "7"})
    reply = await client.get("/checkouts", headers=merchant.headers())
    [item] = reply.json()["items"]
    assert item["id"] == sid
    assert item["status"] == "open"
    assert item["origin"] == "api"
    assert (item["currency"], item["total_amount"], item["total_tax"]) == (
        "USD",
        1000,
        0,
    )
    assert item["recurring_amount"] is None
    assert item["metadata"] == {"order": "7"}


async def test_list_filters_by_time_and_origin_and_pages(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock
) -> None:
    first = await _session(client, merchant)
    clock.advance(timedelta(hours=1))
    second = await _session(client, merchant)
    clock.advance(timedelta(hours=1))
    third = await _session(client, merchant)
    headers = merchant.headers()

    async def ids(**params: object) -> list[str]:
        reply = await client.get("/checkouts", params=params, headers=headers)
        assert reply.status_code == 200, reply.text
        return [item["id"] for item in reply.json()["items"]]

    assert await ids() == [third, second, first]
    assert await ids(created_at_gte="2026-06-01T13:00:00Z") == [third, second]
    assert await ids(created_at_lte="2026-06-01T13:00:00") == [second, first]
    assert await ids(origin="api", page_size=1, page_number=1) == [second]
    assert await ids(origin="link") == []


async def test_list_refuses_unknown_filters(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await client.get(
        "/checkouts", params={"status": "paid"}, headers=merchant.headers()
    )
    assert reply.status_code == 422
    assert reply.json()["field"] == "status"


async def test_an_id_no_session_can_have_is_404(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    for sid in ("cks_%07", "x" * 65, "cks_%C3%A9"):
        reply = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
        assert reply.status_code == 404, (sid, reply.text)
        reply = await client.post(
            f"/checkouts/{sid}/expire", headers=merchant.headers()
        )
        assert reply.status_code == 404
