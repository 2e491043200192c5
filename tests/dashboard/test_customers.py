"""Customers list and detail."""

from __future__ import annotations

from tests.dashboard.support import Dashboard
from tests.support.factory import MerchantKit


async def _customer(dash: Dashboard, kit: MerchantKit, email: str, name: str) -> str:
    reply = await dash.client.post(
        "/customers", json={"email": email, "name": name}, headers=kit.headers()
    )
    return str(reply.json()["customer_id"])


async def test_list_filters_by_email_and_name(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    await _customer(dash, merchant, "ada@example.com", "Ada Lovelace")
    await _customer(dash, merchant, "alan@example.com", "Alan Turing")
    by_email = (await dash.get("/dashboard/customers?email=ADA@example.com")).text
    assert "Ada Lovelace" in by_email and "Alan Turing" not in by_email
    by_name = (await dash.get("/dashboard/customers?name=turing")).text
    assert "Alan Turing" in by_name and "Ada Lovelace" not in by_name
    none = (await dash.get("/dashboard/customers?name=nobody")).text
    assert "No customer matches these filters." in none


async def test_detail_shows_the_customer(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    customer_id = await _customer(dash, merchant, "grace@example.com", "Grace Hopper")
    page = await dash.get(f"/dashboard/customers/{customer_id}")
    assert page.status_code == 200
    assert "grace@example.com" in page.text
    assert customer_id in page.text


async def test_empty_list_explains_where_customers_come_from(dash: Dashboard) -> None:
    page = (await dash.get("/dashboard/customers")).text
    assert "A customer is created the first time someone pays" in page
