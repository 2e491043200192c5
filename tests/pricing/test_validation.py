from __future__ import annotations

from typing import Any

import pytest

from till.core.errors import FieldInvalid
from till.core.money import MAX_AMOUNT
from till.pricing import (
    AmountBelowMinimum,
    AmountNotAllowed,
    AmountTooLarge,
    CartLine,
    CartSizeInvalid,
    MixedCurrencies,
    QuantityInvalid,
    UnknownState,
    UnsupportedCountry,
)

from .builders import FixedRate, cart_line, make_price, make_quote

PWYW = make_price(product_id="pdt_tip", unit_price=500, pay_what_you_want=True)


def refusal(lines: list[CartLine], **options: Any) -> FieldInvalid:
    with pytest.raises(FieldInvalid) as caught:
        make_quote(lines, **options)
    return caught.value


@pytest.mark.parametrize(
    ("lines", "options", "error", "field"),
    [
        ([], {}, CartSizeInvalid, "product_cart"),
        ([cart_line()] * 21, {}, CartSizeInvalid, "product_cart"),
        (
            [cart_line(), cart_line(currency="USD")],
            {},
            MixedCurrencies,
            "product_cart[1]",
        ),
        ([cart_line(0)], {}, QuantityInvalid, "product_cart[0].quantity"),
        ([cart_line(-3)], {}, QuantityInvalid, "product_cart[0].quantity"),
        (
            [cart_line(), CartLine(PWYW, 1, 499)],
            {},
            AmountBelowMinimum,
            "product_cart[1].amount",
        ),
        (
            [cart_line(amount=2_000)],
            {},
            AmountNotAllowed,
            "product_cart[0].amount",
        ),
        (
            [CartLine(PWYW, 1, MAX_AMOUNT + 1)],
            {},
            AmountTooLarge,
            "product_cart[0].amount",
        ),
        (
            [cart_line(1_001, unit_price=10**9)],
            {},
            AmountTooLarge,
            "product_cart[0].quantity",
        ),
        (
            [cart_line()],
            {"country": "IR"},
            UnsupportedCountry,
            "billing_address.country",
        ),
        (
            [cart_line()],
            {"country": "ZZ"},
            UnsupportedCountry,
            "billing_address.country",
        ),
        (
            [cart_line()],
            {"country": "US", "state": "Atlantis"},
            UnknownState,
            "billing_address.state",
        ),
        (
            [cart_line()],
            {"trial_period_days": -1},
            FieldInvalid,
            "subscription_data.trial_period_days",
        ),
    ],
)
def test_request_the_buyer_must_fix_is_refused_naming_the_field(
    lines: list[CartLine],
    options: dict[str, object],
    error: type[FieldInvalid],
    field: str,
) -> None:
    refused = refusal(lines, **options)

    assert type(refused) is error
    assert refused.field == field
    assert refused.status == 422
    assert refused.to_body()["field"] == field


def test_unsupported_country_has_its_own_code() -> None:
    assert refusal([cart_line()], country="KP").code == "UNSUPPORTED_COUNTRY"


def test_cart_total_above_the_largest_amount_is_refused() -> None:
    lines = [
        cart_line(1_000, unit_price=10**9 - 1, product_id=f"pdt_{i}") for i in range(2)
    ]

    refused = refusal(lines)

    assert type(refused) is AmountTooLarge
    assert refused.field == "product_cart"


def test_pay_what_you_want_without_amount_charges_the_minimum() -> None:
    quote = make_quote([CartLine(PWYW, 2)], tax_provider=FixedRate("0"))

    assert (quote.lines[0].og_price, quote.total_price) == (500, 1_000)


def test_pay_what_you_want_amount_replaces_the_price() -> None:
    quote = make_quote([CartLine(PWYW, 1, 1_250)], tax_provider=FixedRate("0"))

    line = quote.lines[0]
    assert (line.og_price, line.discounted_price, quote.total_price) == (
        1_250,
        1_250,
        1_250,
    )


def test_state_is_ignored_where_it_does_not_set_the_tax() -> None:
    quote = make_quote([cart_line(unit_price=10_000)], country="DE", state="Bavaria")

    assert quote.total_tax == 1_900


def test_lower_case_country_is_accepted() -> None:
    quote = make_quote([cart_line()], country="de")

    assert quote.billing_country == "DE"


@pytest.mark.parametrize(
    "changes",
    [
        {"unit_price": -1},
        {"tax_category": "groceries"},
        {"payment_frequency_interval": "Fortnight"},
        {"payment_frequency_count": 0},
    ],
)
def test_catalogue_data_that_should_never_be_stored_is_a_value_error(
    changes: dict[str, object],
) -> None:
    with pytest.raises(ValueError):
        make_price(**changes)
