"""The official SDK reads what paying a session left: payments, subscriptions.

Sessions are created through the SDK on a real server; the buyer's side (the
hosted page's pay step) runs in-process against the server's database, with
the same ``pay_session`` the page calls. Every reply is also validated
strictly against the SDK's own models, so a missing required field fails.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from dodopayments import DodoPayments
from dodopayments.types import Payment, Refund, RefundListItem, Subscription
from dodopayments.types.payment_list_response import PaymentListResponse
from dodopayments.types.payment_retrieve_line_items_response import (
    PaymentRetrieveLineItemsResponse,
)
from dodopayments.types.subscription_list_response import SubscriptionListResponse
from pydantic import BaseModel

from tests.support.server import ServerProcess
from till.config import Settings
from till.core.clock import SystemClock
from till.db import make_engine, make_sessionmaker
from till.http.context import AppContext
from till.payments.attempt import PayAttempt
from till.payments.pay import BuyerDetails, pay_session
from till.payments.processors import CardInput

DE_ADDRESS = {
    "country": "DE",
    "city": "Berlin",
    "street": "Unter den Linden 1",
    "zipcode": "10117",
}
METADATA = {"order_ref": "A-100", "seats": 3, "trial": False}


def _pay(server: ServerProcess, session_id: str, number: str) -> PayAttempt:
    """Pay as the hosted page would, against the server's database."""

    async def run() -> PayAttempt:
        settings = Settings(
            database_url=server.database_url,
            public_url=server.url,
            secret_key=server.env["TILL_SECRET_KEY"],
            run_worker=False,
        )
        engine = make_engine(settings.database_url)
        ctx = AppContext(settings, engine, make_sessionmaker(engine), SystemClock())
        try:
            return await pay_session(
                ctx,
                session_id,
                BuyerDetails(email="ada@example.com", name="Ada Lovelace"),
                CardInput(number, 12, 2031, "123", "Ada Lovelace"),
                "198.51.100.7",
            )
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _product(sdk: DodoPayments, price: dict[str, Any], name: str) -> str:
    return sdk.products.create(name=name, tax_category="saas", price=price).product_id  # type: ignore[arg-type]


def _cart(sdk: DodoPayments) -> tuple[str, str]:
    seat = _product(
        sdk,
        {
            "type": "one_time_price",
            "price": 1000,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
        },
        "Seat",
    )
    plan = _product(
        sdk,
        {
            "type": "recurring_price",
            "price": 1200,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
            "payment_frequency_count": 1,
            "payment_frequency_interval": "Month",
            "subscription_period_count": 1,
            "subscription_period_interval": "Year",
        },
        "Plan",
    )
    return seat, plan


def _strict(model: type[BaseModel], raw: Any) -> None:
    model.model_validate(raw, strict=False)


@pytest.fixture
def paid(sdk: DodoPayments, server: ServerProcess) -> dict[str, Any]:
    """A two-line session (one subscription) created through the SDK, paid."""
    seat, plan = _cart(sdk)
    body: dict[str, Any] = {
        "product_cart": [
            {"product_id": seat, "quantity": 2},
            {"product_id": plan, "quantity": 1},
        ],
        "customer": {"email": "ada@example.com", "name": "Ada Lovelace"},
        "billing_address": DE_ADDRESS,
        "metadata": METADATA,
    }
    preview = sdk.checkout_sessions.preview(**body)
    session = sdk.checkout_sessions.create(**body)
    declined = _pay(server, session.session_id, "4000000000000002")
    attempt = _pay(server, session.session_id, "4242424242424242")
    assert (declined.status, attempt.status) == ("failed", "succeeded")
    return {
        "session_id": session.session_id,
        "payment_id": attempt.payment_id,
        "declined_id": declined.payment_id,
        "total": preview.total_price,
        "tax": preview.total_tax,
        "plan": plan,
        "seat": seat,
    }


def test_session_reports_its_payment(sdk: DodoPayments, paid: dict[str, Any]) -> None:
    status = sdk.checkout_sessions.retrieve(paid["session_id"])
    assert status.payment_id == paid["payment_id"]
    assert status.payment_status == "succeeded"


def test_payment_carries_the_sessions_metadata_and_totals(
    sdk: DodoPayments, paid: dict[str, Any]
) -> None:
    payment = sdk.payments.retrieve(paid["payment_id"])

    assert payment.status == "succeeded"
    assert payment.metadata == METADATA
    assert payment.checkout_session_id == paid["session_id"]
    assert payment.total_amount == paid["total"] == 2 * 1190 + 1428
    assert payment.tax == paid["tax"]
    assert payment.currency == "USD"
    assert payment.customer.email == "ada@example.com"
    assert payment.billing.country == "DE"
    assert (payment.card_network, payment.card_last_four) == ("visa", "4242")
    assert payment.product_cart is not None
    assert [(p.product_id, p.quantity) for p in payment.product_cart] == [
        (paid["seat"], 2),
        (paid["plan"], 1),
    ]
    assert len(payment.subscription_ids) == 1
    raw = sdk.payments.with_raw_response.retrieve(paid["payment_id"]).http_response
    _strict(Payment, raw.json())


def test_payments_list_and_line_items(sdk: DodoPayments, paid: dict[str, Any]) -> None:
    payment = sdk.payments.retrieve(paid["payment_id"])
    customer_id = payment.customer.customer_id

    listed = sdk.payments.list(customer_id=customer_id)
    assert {p.payment_id for p in listed.items} >= {
        paid["payment_id"],
        paid["declined_id"],
    }
    failed = sdk.payments.list(customer_id=customer_id, status="failed")
    [declined] = [p for p in failed.items if p.payment_id == paid["declined_id"]]
    assert declined.status == "failed"
    by_sub = sdk.payments.list(subscription_id=payment.subscription_ids[0])
    assert [p.payment_id for p in by_sub.items] == [paid["payment_id"]]
    raw = sdk.payments.with_raw_response.list(customer_id=customer_id).http_response
    for item in raw.json()["items"]:
        _strict(PaymentListResponse, item)

    lines = sdk.payments.retrieve_line_items(paid["payment_id"])
    assert lines.currency == "USD"
    assert [(i.items_id, i.amount, i.tax) for i in lines.items] == [
        (paid["seat"], 2380, 380),
        (paid["plan"], 1428, 228),
    ]
    raw_lines = sdk.payments.with_raw_response.retrieve_line_items(paid["payment_id"])
    _strict(PaymentRetrieveLineItemsResponse, raw_lines.http_response.json())

    failed_payment = sdk.payments.retrieve(paid["declined_id"])
    assert failed_payment.error_code == "card_declined"


def test_subscriptions_list_retrieve_and_update(
    sdk: DodoPayments, paid: dict[str, Any]
) -> None:
    payment = sdk.payments.retrieve(paid["payment_id"])
    customer_id = payment.customer.customer_id

    [listed] = sdk.subscriptions.list(customer_id=customer_id).items
    assert listed.product_id == paid["plan"]
    assert listed.status == "active"
    raw = sdk.subscriptions.with_raw_response.list(customer_id=customer_id)
    for item in raw.http_response.json()["items"]:
        _strict(SubscriptionListResponse, item)

    sub = sdk.subscriptions.retrieve(listed.subscription_id)
    assert sub.metadata == METADATA
    assert sub.recurring_pre_tax_amount == 1200
    assert sub.next_billing_date > sub.previous_billing_date
    raw_sub = sdk.subscriptions.with_raw_response.retrieve(sub.subscription_id)
    _strict(Subscription, raw_sub.http_response.json())

    scheduled = sdk.subscriptions.update(
        sub.subscription_id, cancel_at_next_billing_date=True
    )
    assert (scheduled.status, scheduled.cancel_at_next_billing_date) == ("active", True)

    labelled = sdk.subscriptions.update(sub.subscription_id, metadata={"note": "vip"})
    assert labelled.metadata == {"note": "vip"}
    assert sdk.subscriptions.retrieve(sub.subscription_id).metadata == {"note": "vip"}

    cancelled = sdk.subscriptions.update(sub.subscription_id, status="cancelled")
    assert cancelled.status == "cancelled"
    assert cancelled.cancelled_at is not None
    scheduled_ones = sdk.subscriptions.list(
        customer_id=customer_id, cancel_at_next_billing_date=True
    )
    assert scheduled_ones.items == []


def test_refunds_create_list_retrieve(sdk: DodoPayments, paid: dict[str, Any]) -> None:
    partial = sdk.refunds.create(
        payment_id=paid["payment_id"],
        items=[{"item_id": paid["seat"], "amount": 500}],
        reason="one seat unused",
        metadata={"ticket": "T-9"},
    )
    assert (partial.status, partial.amount, partial.is_partial) == (
        "succeeded",
        500,
        True,
    )
    rest = sdk.refunds.create(payment_id=paid["payment_id"])
    assert rest.amount == paid["total"] - 500

    listed = sdk.refunds.list(customer_id=partial.customer.customer_id)
    assert {r.refund_id for r in listed.items} == {partial.refund_id, rest.refund_id}
    fetched = sdk.refunds.retrieve(partial.refund_id)
    assert fetched.metadata == {"ticket": "T-9"}
    payment = sdk.payments.retrieve(paid["payment_id"])
    assert payment.refund_status == "full"
    assert {r.refund_id for r in payment.refunds} == {partial.refund_id, rest.refund_id}
    raw_payment = sdk.payments.with_raw_response.retrieve(paid["payment_id"])
    _strict(Payment, raw_payment.http_response.json())

    raw = sdk.refunds.with_raw_response.retrieve(partial.refund_id).http_response
    _strict(Refund, raw.json())
    raw_list = sdk.refunds.with_raw_response.list(status="succeeded")
    for item in raw_list.http_response.json()["items"]:
        _strict(RefundListItem, item)


def test_another_merchant_reads_none_of_it(
    other_sdk: DodoPayments, paid: dict[str, Any]
) -> None:
    import dodopayments

    with pytest.raises(dodopayments.NotFoundError):
        other_sdk.payments.retrieve(paid["payment_id"])
    assert other_sdk.payments.list().items == []
