"""Which customer a payment belongs to."""

from __future__ import annotations

from tests.payments.support import Shop
from till.customers.models import Customer


async def _customer(shop: Shop, customer_id: str) -> Customer:
    async with shop.ctx.sessions() as db:
        found = await db.get(Customer, customer_id)
        assert found is not None
        return found


async def _create_customer(shop: Shop, email: str, name: str) -> str:
    reply = await shop.client.post(
        "/customers", json={"email": email, "name": name}, headers=shop.kit.headers()
    )
    assert reply.status_code == 200, reply.text
    return str(reply.json()["customer_id"])


async def test_a_known_email_pays_as_the_existing_customer(shop: Shop) -> None:
    known = await _create_customer(shop, "grace@example.com", "Grace H.")
    sid = await shop.session(await shop.one_time())

    await shop.pay(
        sid, email="Grace@Example.com", name="Someone Else", phone="+1 555 0100"
    )

    [payment] = await shop.payments_of(sid)
    assert payment.customer_id == known
    customer = await _customer(shop, known)
    assert customer.name == "Grace H."  # kept
    assert customer.phone_number == "+1 555 0100"  # it had none


async def test_always_create_new_customer_takes_the_latest_details(shop: Shop) -> None:
    known = await _create_customer(shop, "linus@example.com", "Old Name")
    sid = await shop.session(
        await shop.one_time(), feature_flags={"always_create_new_customer": True}
    )

    await shop.pay(sid, email="linus@example.com", name="New Name")

    [payment] = await shop.payments_of(sid)
    # Emails are unique per merchant, so the flag refreshes the customer
    # rather than creating a second one with the same email.
    assert payment.customer_id == known
    assert (await _customer(shop, known)).name == "New Name"


async def test_a_new_email_creates_a_customer_once_across_attempts(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    await shop.pay(sid, "4000 0000 0000 0002", email="new@example.com")
    await shop.pay(sid, email="new@example.com")
    first, second = await shop.payments_of(sid)
    assert first.customer_id == second.customer_id
    customer = await _customer(shop, first.customer_id)
    assert (customer.email, customer.name) == ("new@example.com", "Ada Lovelace")


async def test_a_session_for_a_known_customer_pays_as_that_customer(shop: Shop) -> None:
    known = await _create_customer(shop, "ken@example.com", "Ken")
    sid = await shop.session(await shop.one_time(), customer={"customer_id": known})
    await shop.pay(sid, email=None)
    [payment] = await shop.payments_of(sid)
    assert payment.customer_id == known
    reply = await shop.client.get(f"/checkouts/{sid}", headers=shop.kit.headers())
    assert reply.json()["customer_email"] == "ken@example.com"
