"""The official SDK drives a real Till server: products and customers."""

from __future__ import annotations

import dodopayments
import pytest
from dodopayments import DodoPayments

from tests.support.server import ServerProcess


def test_one_time_product_round_trip(sdk: DodoPayments) -> None:
    created = sdk.products.create(
        name="E-book",
        tax_category="e_book",
        price={
            "type": "one_time_price",
            "price": 999,
            "currency": "EUR",
            "discount": 0,
            "purchasing_power_parity": False,
        },
        metadata={"sku": "EB-1"},
    )
    read = sdk.products.retrieve(created.product_id)
    assert read.price.price == 999
    assert read.price.currency == "EUR"
    assert read.is_recurring is False
    assert read.metadata == {"sku": "EB-1"}

    sdk.products.update(created.product_id, name="E-book, 2nd edition")
    assert sdk.products.retrieve(created.product_id).name == "E-book, 2nd edition"

    sdk.products.archive(created.product_id)
    assert created.product_id not in [p.product_id for p in sdk.products.list()]
    assert created.product_id in [
        p.product_id for p in sdk.products.list(archived=True)
    ]
    sdk.products.unarchive(created.product_id)
    assert created.product_id in [p.product_id for p in sdk.products.list()]


def test_recurring_product_round_trip(sdk: DodoPayments) -> None:
    created = sdk.products.create(
        name="Pro",
        tax_category="saas",
        price={
            "type": "recurring_price",
            "price": 1200,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
            "payment_frequency_count": 1,
            "payment_frequency_interval": "Month",
            "subscription_period_count": 20,
            "subscription_period_interval": "Year",
            "trial_period_days": 14,
        },
    )
    read = sdk.products.retrieve(created.product_id)
    assert read.is_recurring is True
    assert read.price.type == "recurring_price"
    assert read.price.trial_period_days == 14
    listed = {p.product_id: p for p in sdk.products.list(recurring=True)}
    assert listed[created.product_id].price == 1200


def test_customers_round_trip(sdk: DodoPayments) -> None:
    created = sdk.customers.create(email="sdk@example.com", name="Sam")
    assert sdk.customers.retrieve(created.customer_id).email == "sdk@example.com"
    updated = sdk.customers.update(
        created.customer_id, name="Samantha", phone_number="+49 30 1234"
    )
    assert updated.name == "Samantha"
    assert updated.phone_number == "+49 30 1234"
    emails = [c.email for c in sdk.customers.list(email="SDK@example.com")]
    assert emails == ["sdk@example.com"]


def test_errors_arrive_as_typed_exceptions(
    sdk: DodoPayments, other_sdk: DodoPayments, server: ServerProcess
) -> None:
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.products.create(
            name="Bad",
            tax_category="saas",
            price={
                "type": "one_time_price",
                "price": -5,
                "currency": "USD",
                "discount": 0,
                "purchasing_power_parity": False,
            },
        )
    with pytest.raises(dodopayments.NotFoundError):
        sdk.products.retrieve("pdt_doesnotexist")
    product = sdk.products.create(
        name="Mine",
        tax_category="saas",
        price={
            "type": "one_time_price",
            "price": 5,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
        },
    )
    with pytest.raises(dodopayments.NotFoundError):
        other_sdk.products.retrieve(product.product_id)
    with pytest.raises(dodopayments.ConflictError):
        sdk.customers.create(email="dup@example.com", name="A")
        sdk.customers.create(email="DUP@example.com", name="B")
    stranger = DodoPayments(
        bearer_token="till_test_sk_" + "Z" * 32, base_url=server.url, max_retries=0
    )
    with pytest.raises(dodopayments.AuthenticationError):
        stranger.products.list()
