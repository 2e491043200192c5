"""The official SDK drives a real Till server: discount codes."""

from __future__ import annotations

from datetime import UTC, datetime

import dodopayments
import pytest
from dodopayments import DodoPayments


def test_discount_round_trip(sdk: DodoPayments) -> None:
    product = sdk.products.create(
        name="Course",
        tax_category="edtech",
        price={
            "type": "one_time_price",
            "price": 4900,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
        },
    )
    created = sdk.discounts.create(
        amount=1500,
        type="percentage",
        code="launch15",
        name="Launch",
        usage_limit=100,
        expires_at=datetime(2099, 1, 1, tzinfo=UTC),
        restricted_to=[product.product_id],
        subscription_cycles=3,
        metadata={"campaign": "launch"},
    )
    assert created.code == "LAUNCH15"
    assert created.discount_id.startswith("dsc_")
    assert created.restricted_to == [product.product_id]
    assert created.expires_at == datetime(2099, 1, 1, tzinfo=UTC)
    assert created.metadata == {"campaign": "launch"}
    assert created.times_used == 0

    assert sdk.discounts.retrieve(created.discount_id).name == "Launch"
    assert sdk.discounts.retrieve_by_code("launch15").discount_id == created.discount_id

    updated = sdk.discounts.update(created.discount_id, amount=2000, name="Launch 20")
    assert (updated.amount, updated.name, updated.usage_limit) == (
        2000,
        "Launch 20",
        100,
    )

    listed = [d.discount_id for d in sdk.discounts.list(code="launch")]
    assert listed == [created.discount_id]

    sdk.discounts.delete(created.discount_id)
    with pytest.raises(dodopayments.NotFoundError):
        sdk.discounts.retrieve(created.discount_id)
    with pytest.raises(dodopayments.NotFoundError):
        sdk.discounts.retrieve_by_code("LAUNCH15")


def test_flat_code_with_a_currency_option_and_a_generated_code(
    sdk: DodoPayments,
) -> None:
    created = sdk.discounts.create(
        amount=500,
        type="flat",
        currency_options=[
            {"currency": "EUR", "is_default": True, "max_amount_possible": 500}
        ],
    )
    assert len(created.code) == 16
    assert created.currency_options is not None
    assert [o.currency for o in created.currency_options] == ["EUR"]
    assert sdk.discounts.retrieve_by_code(created.code.lower()).amount == 500


def test_discount_errors_arrive_as_typed_exceptions(
    sdk: DodoPayments, other_sdk: DodoPayments
) -> None:
    sdk.discounts.create(amount=100, type="percentage", code="ONCE")
    with pytest.raises(dodopayments.ConflictError):
        sdk.discounts.create(amount=100, type="percentage", code="once")
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.discounts.create(amount=10_001, type="percentage")
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.discounts.create(amount=100, type="percentage", restricted_to=["pdt_no"])
    with pytest.raises(dodopayments.NotFoundError):
        other_sdk.discounts.retrieve_by_code("ONCE")
