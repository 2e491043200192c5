"""The quote as stored and as sent, checked against the official SDK models."""

from __future__ import annotations

import json

from dodopayments.types import CheckoutSessionPreviewResponse

from till.pricing import Quote

from .builders import GERMAN_VAT_ID, cart_line, make_discount, make_quote


def mixed_quote() -> Quote:
    return make_quote(
        [
            cart_line(2, unit_price=1_999, product_id="pdt_once", tax_inclusive=True),
            cart_line(
                unit_price=4_900,
                product_id="pdt_sub",
                tax_category="edtech",
                is_subscription=True,
                trial_period_days=7,
            ),
        ],
        [make_discount(subscription_cycles=3)],
        country="FR",
        tax_id="FR00000000000",
    )


def test_preview_dict_parses_as_the_sdk_preview_response() -> None:
    quote = mixed_quote()

    preview = CheckoutSessionPreviewResponse.model_validate(quote.to_preview_dict())

    assert preview.billing_country == "FR"
    assert preview.currency == "EUR"
    assert preview.total_price == quote.total_price
    assert preview.current_breakup.total_amount == quote.total_price
    assert preview.recurring_breakup is not None
    assert preview.is_byop is False
    assert preview.payment_method_required is True
    assert preview.tax_id_err_msg == quote.tax_id_err_msg
    assert preview.trial_period_days == 7
    assert [line.product_id for line in preview.product_cart] == ["pdt_once", "pdt_sub"]
    assert preview.product_cart[0].credit_entitlements == []
    assert preview.product_cart[1].discount_cycle == 3


def test_preview_dict_carries_no_field_the_sdk_does_not_know() -> None:
    preview = mixed_quote().to_preview_dict()
    model = CheckoutSessionPreviewResponse.model_validate(preview)

    assert set(preview) <= set(type(model).model_fields)
    line_model = type(model.product_cart[0])
    assert set(preview["product_cart"][0]) <= set(line_model.model_fields)


def test_payment_method_is_required_unless_nothing_is_due_now() -> None:
    free = make_quote([cart_line(is_subscription=True, trial_period_days=14)])
    paid = make_quote([cart_line()])

    assert free.to_preview_dict()["payment_method_required"] is False
    assert paid.to_preview_dict()["payment_method_required"] is True


def test_quote_survives_json_and_back_unchanged() -> None:
    quote = mixed_quote()

    text = json.dumps(quote.to_dict())

    assert Quote.from_dict(json.loads(text)) == quote


def test_reverse_charged_quote_survives_json_and_back() -> None:
    quote = make_quote([cart_line()], tax_id=GERMAN_VAT_ID)

    assert Quote.from_dict(json.loads(json.dumps(quote.to_dict()))) == quote
    assert quote.to_dict()["reverse_charge"] is True
