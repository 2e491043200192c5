"""The official SDK drives a real Till server: checkout sessions.

Discount codes are made through ``/discounts`` with the SDK too, so the whole
path a merchant's backend takes is covered.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dodopayments
import pytest
from dodopayments import DodoPayments

from tests.support.server import ServerProcess

DE_ADDRESS = {
    "country": "DE",
    "city": "Berlin",
    "street": "Unter den Linden 1",
    "zipcode": "10117",
}


def _saas(sdk: DodoPayments, price: int, name: str = "Seat") -> str:
    created = sdk.products.create(
        name=name,
        tax_category="saas",
        price={
            "type": "one_time_price",
            "price": price,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
        },
    )
    return created.product_id


def test_two_product_cart_with_customer_german_vat_metadata_and_code(
    sdk: DodoPayments, server: ServerProcess
) -> None:
    seat, addon = _saas(sdk, 1000, "Seat"), _saas(sdk, 2500, "Add-on")
    code = sdk.discounts.create(type="percentage", amount=1000, code="launch10")
    body = {
        "product_cart": [
            {"product_id": seat, "quantity": 3},
            {"product_id": addon, "quantity": 2},
        ],
        "customer": {"email": "ada@example.com", "name": "Ada Lovelace"},
        "billing_address": DE_ADDRESS,
        "metadata": {"order_ref": "A-100", "seats": 3},
        "discount_codes": ["LAUNCH10"],
    }

    preview = sdk.checkout_sessions.preview(**body)
    created = sdk.checkout_sessions.create(**body)
    status = sdk.checkout_sessions.retrieve(created.session_id)

    assert code.code == "LAUNCH10"
    # 30.00 + 50.00 = 80.00, less 10 % = 72.00, plus 19 % VAT = 13.68.
    assert preview.billing_country == "DE"
    assert [line.tax_rate for line in preview.product_cart] == [1900, 1900]
    assert [line.discount_amount for line in preview.product_cart] == [1000, 1000]
    assert preview.current_breakup.subtotal == 8000
    assert preview.current_breakup.discount == 800
    assert preview.current_breakup.tax == 1368
    assert preview.total_price == 8568
    assert preview.recurring_breakup is None
    assert created.checkout_url == f"{server.url}/session/{created.session_id}"
    assert status.id == created.session_id
    assert status.customer_email == "ada@example.com"
    assert status.customer_name == "Ada Lovelace"
    assert status.payment_id is None and status.payment_status is None
    assert abs(status.created_at - datetime.now(UTC)) < timedelta(minutes=5)


@pytest.mark.parametrize(("state", "rate", "tax"), [("WA", 650, 65), ("CA", 0, 0)])
def test_us_state_decides_whether_saas_is_taxed(
    sdk: DodoPayments, state: str, rate: int, tax: int
) -> None:
    pid = _saas(sdk, 1000)
    address = {"country": "US", "state": state, "zipcode": "98101"}
    cart = [{"product_id": pid, "quantity": 1}]

    preview = sdk.checkout_sessions.preview(product_cart=cart, billing_address=address)
    created = sdk.checkout_sessions.create(product_cart=cart, billing_address=address)

    assert preview.product_cart[0].tax_rate == rate
    assert preview.total_tax == tax
    assert preview.total_price == 1000 + tax
    assert sdk.checkout_sessions.retrieve(created.session_id).id == created.session_id


def test_eu_business_with_valid_vat_id_is_reverse_charged(sdk: DodoPayments) -> None:
    pid = _saas(sdk, 10_000)
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "billing_address": DE_ADDRESS,
        "tax_id": "DE136695976",
        "customer_business_name": "Muster GmbH",
    }
    preview = sdk.checkout_sessions.preview(**body)
    created = sdk.checkout_sessions.create(**body)

    assert preview.total_tax == 0
    assert preview.total_price == 10_000
    assert preview.tax_id_err_msg is None
    assert preview.tax_id_format_name
    assert created.session_id.startswith("cks_")


def test_subscription_with_a_trial_is_due_zero_now(sdk: DodoPayments) -> None:
    plan = sdk.products.create(
        name="Pro",
        tax_category="saas",
        price={
            "type": "recurring_price",
            "price": 2000,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
            "payment_frequency_count": 1,
            "payment_frequency_interval": "Month",
            "subscription_period_count": 1,
            "subscription_period_interval": "Year",
            "trial_period_days": 7,
        },
    )
    body = {
        "product_cart": [{"product_id": plan.product_id, "quantity": 1}],
        "billing_address": {"country": "US", "state": "CA", "zipcode": "94103"},
        "subscription_data": {"trial_period_days": 14},
    }
    preview = sdk.checkout_sessions.preview(**body)
    created = sdk.checkout_sessions.create(**body)

    assert preview.trial_period_days == 14  # the session's override wins
    assert preview.current_breakup.total_amount == 0
    assert preview.recurring_breakup is not None
    assert preview.recurring_breakup.total_amount == 2000
    assert preview.product_cart[0].is_subscription is True
    assert preview.next_billing_date is not None
    days = (preview.next_billing_date - datetime.now(UTC)).total_seconds() / 86400
    assert 13.9 < days <= 14
    assert sdk.checkout_sessions.retrieve(created.session_id).id == created.session_id


def test_pay_what_you_want_line_is_priced_at_the_chosen_amount(
    sdk: DodoPayments,
) -> None:
    tip = sdk.products.create(
        name="Tip jar",
        tax_category="digital_products",
        price={
            "type": "one_time_price",
            "price": 500,
            "currency": "USD",
            "discount": 0,
            "purchasing_power_parity": False,
            "pay_what_you_want": True,
            "suggested_price": 1000,
        },
    )
    cart = [{"product_id": tip.product_id, "quantity": 1, "amount": 1500}]
    preview = sdk.checkout_sessions.preview(product_cart=cart)
    created = sdk.checkout_sessions.create(product_cart=cart)
    assert preview.product_cart[0].og_price == 1500
    assert preview.total_price == 1500
    assert created.session_id.startswith("cks_")

    too_low = [{"product_id": tip.product_id, "quantity": 1, "amount": 499}]
    with pytest.raises(dodopayments.UnprocessableEntityError) as refused:
        sdk.checkout_sessions.create(product_cart=too_low)
    assert refused.value.body["field"] == "product_cart[0].amount"


def test_confirm_needs_a_full_address(sdk: DodoPayments) -> None:
    pid = _saas(sdk, 1000)
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "customer": {"email": "buyer@example.com", "name": "Buyer"},
        "confirm": True,
    }
    created = sdk.checkout_sessions.create(**body, billing_address=DE_ADDRESS)
    assert created.session_id.startswith("cks_")

    with pytest.raises(dodopayments.UnprocessableEntityError) as refused:
        sdk.checkout_sessions.create(**body, billing_address={"country": "DE"})
    assert refused.value.body["field"].startswith("billing_address.")
