"""Reading the posted form into typed values, or errors naming fields."""

from __future__ import annotations

from typing import Any

import pytest
from babel.support import NullTranslations

from tests.pages.support import facts, widget
from till.pages.submission import (
    FormInvalid,
    parse_major,
    read_pricing,
    read_submission,
)
from till.pages.views import SessionFacts

T = NullTranslations()

FULL = {
    "email": "ada@example.com",
    "name": "Ada Lovelace",
    "phone": "+1 555 0100",
    "country": "US",
    "state": "US-TX",
    "city": "Austin",
    "street": "1 Main St",
    "zipcode": "73301",
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12 / 30",
    "card_cvc": "123",
    "card_name": "Ada L",
}


def submit(f: SessionFacts | None = None, **changes: Any):  # type: ignore[no-untyped-def]
    values = {**FULL, **changes}
    return read_submission(
        f or facts(), {k: v for k, v in values.items() if v is not None}, T
    )


def test_full_form_is_read_into_buyer_card_and_pricing() -> None:
    s = submit()

    assert (s.email, s.name, s.phone) == (
        "ada@example.com",
        "Ada Lovelace",
        "+1 555 0100",
    )
    assert s.pricing.billing_address == {
        "country": "US", "state": "TX", "city": "Austin",
        "street": "1 Main St", "zipcode": "73301",
    }  # fmt: skip
    assert (s.card.number, s.card.exp_month, s.card.exp_year) == (
        "4242 4242 4242 4242", 12, 30,
    )  # fmt: skip
    assert (s.card.cvc, s.card.holder_name) == ("123", "Ada L")


def test_missing_required_fields_are_all_named() -> None:
    with pytest.raises(FormInvalid) as caught:
        submit(email=None, zipcode="", card_cvc=None, state="")

    assert set(caught.value.errors) == {"email", "zipcode", "card_cvc", "state"}


def test_locked_field_is_read_from_the_session_not_the_post() -> None:
    f = facts(customer_email="ada@example.com",
              flags={"allow_customer_editing_email": False})  # fmt: skip

    assert submit(f, email="mallory@example.com").email == "ada@example.com"


def test_invalid_email_is_refused() -> None:
    with pytest.raises(FormInvalid) as caught:
        submit(email="not-an-email")
    assert list(caught.value.errors) == ["email"]


@pytest.mark.parametrize(
    ("typed", "month", "year"),
    [("12/30", 12, 30), ("1 / 2031", 1, 2031), ("0130", 1, 30), ("07/29", 7, 29)],
)
def test_expiry_formats_buyers_type(typed: str, month: int, year: int) -> None:
    card = submit(card_expiry=typed).card
    assert (card.exp_month, card.exp_year) == (month, year)


@pytest.mark.parametrize("typed", ["13/30", "12-30", "1230x", "/30"])
def test_unreadable_expiry_is_a_field_error(typed: str) -> None:
    with pytest.raises(FormInvalid) as caught:
        submit(card_expiry=typed)
    assert list(caught.value.errors) == ["card_expiry"]


def test_state_of_another_country_is_not_used() -> None:
    with pytest.raises(FormInvalid) as caught:
        submit(country="CA", state="US-TX")
    assert list(caught.value.errors) == ["state"]


def test_country_without_states_ignores_the_state_field() -> None:
    s = submit(country="DE", state="US-TX", zipcode="10115")
    assert s.pricing.billing_address["state"] is None


def test_minimal_address_needs_no_street_city_or_state() -> None:
    s = submit(facts(minimal_address=True), street=None, city=None, state=None)
    assert s.pricing.billing_address["zipcode"] == "73301"


def test_discount_codes_are_split_uppercased_and_deduplicated() -> None:
    choice = read_pricing(
        facts(), {"country": "US", "discount_code": "save10, Save10 vip"}, T
    )
    assert choice.discount_codes == ["SAVE10", "VIP"]


def test_discount_codes_are_the_sessions_when_buyers_may_not_change_them() -> None:
    f = facts(flags={"allow_discount_code": False})
    choice = read_pricing(f, {"country": "US", "discount_code": "FREE"}, T)
    assert choice.discount_codes is None


def test_tax_id_is_required_for_a_business_when_the_session_says_so() -> None:
    f = facts(flags={"require_tax_id": True})
    with pytest.raises(FormInvalid) as caught:
        submit(f, is_business="1", tax_id="")
    assert list(caught.value.errors) == ["tax_id"]
    assert submit(f).pricing.tax_id is None


def test_pay_what_you_want_amount_is_read_in_major_units() -> None:
    f = facts([widget(500, pay_what_you_want=True)])
    choice = read_pricing(f, {"country": "US", "amount.pdt_widget": "12.5"}, T)
    assert choice.amounts == {"pdt_widget": 1250}


def test_pay_what_you_want_amount_below_minimum_is_a_field_error() -> None:
    f = facts([widget(500, pay_what_you_want=True)])
    with pytest.raises(FormInvalid) as caught:
        read_pricing(f, {"country": "US", "amount.pdt_widget": "4.99"}, T)
    assert caught.value.errors == {"amount.pdt_widget": "Enter at least $5.00."}


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.50", "USD", 1250),
        ("12,5", "EUR", 1250),
        ("1 000", "JPY", 1000),
        ("1.234", "KWD", 1234),
        ("12.345", "USD", None),
        ("-1", "USD", None),
        ("abc", "USD", None),
        ("NaN", "USD", None),
    ],
)
def test_parse_major(text: str, currency: str, minor: int | None) -> None:
    assert parse_major(text, currency) == minor


def test_custom_fields_are_read_by_key_and_required_ones_enforced() -> None:
    f = facts(custom_fields=(
        {"key": "team", "label": "Team", "field_type": "text", "required": True},
        {"key": "size", "label": "Size", "field_type": "dropdown", "options": ["S"]},
    ))  # fmt: skip
    assert submit(f, **{"custom.team": "Red", "custom.size": "S"}).custom_fields == {
        "team": "Red", "size": "S",
    }  # fmt: skip
    with pytest.raises(FormInvalid) as caught:
        submit(f, **{"custom.size": "XXL"})
    assert set(caught.value.errors) == {"custom.team", "custom.size"}
