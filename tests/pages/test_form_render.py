"""The pay form as rendered: which fields, their tokens, labels and locks."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.pages.support import control, facts, has_control, plan, tags, widget
from till.pages import screens
from till.pages.views import SessionFacts

AUTOCOMPLETE = {
    "email": "email",
    "name": "name",
    "phone": "tel",
    "country": "country",
    "zipcode": "postal-code",
    "street": "address-line1",
    "city": "address-level2",
    "state": "address-level1",
    "card_number": "cc-number",
    "card_expiry": "cc-exp",
    "card_cvc": "cc-csc",
    "card_name": "cc-name",
}


def page(f: SessionFacts | None = None, **kwargs: Any) -> str:
    response = screens.checkout(f or facts(), "en", "tok", **kwargs)
    return bytes(response.body).decode()


def test_every_field_has_its_autocomplete_token() -> None:
    html = page()

    for name, token in AUTOCOMPLETE.items():
        assert control(html, name).get("autocomplete") == token, name


def test_every_control_has_a_visible_label_pointing_at_it() -> None:
    html = page(
        facts(custom_fields=({"key": "team", "label": "Team", "field_type": "text"},))
    )
    labelled = {t["for"] for t in tags(html, "label")}

    controls = [
        t
        for t in tags(html)
        if t.name in ("input", "select") and t.get("type") != "hidden"
    ]
    assert len(controls) > 10
    for c in controls:
        assert c["id"] in labelled, c.get("name")


def test_prefilled_values_are_shown() -> None:
    f = facts(
        customer_email="ada@example.com",
        customer_name="Ada Lovelace",
        billing_address={"country": "US", "state": "TX", "city": "Austin",
                         "street": "1 Main St", "zipcode": "73301"},
    )  # fmt: skip

    html = page(f)

    assert control(html, "email")["value"] == "ada@example.com"
    assert control(html, "name")["value"] == "Ada Lovelace"
    assert control(html, "street")["value"] == "1 Main St"
    assert 'value="US-TX" selected' in html
    assert 'value="US" selected' in html


def test_prefilled_field_is_locked_when_editing_is_not_allowed() -> None:
    f = facts(
        customer_email="ada@example.com",
        customer_name="Ada",
        flags={"allow_customer_editing_email": False},
    )

    html = page(f)

    assert "readonly" in control(html, "email").attrs
    assert "readonly" not in control(html, "name").attrs


def test_locked_country_offers_only_its_own_value() -> None:
    f = facts(
        billing_address={"country": "DE", "zipcode": "10115"},
        country="DE",
        flags={"allow_customer_editing_country": False},
    )

    html = page(f)

    country_select = re.search(r'<select id="f-country".*?</select>', html, re.S)
    assert country_select is not None
    assert re.findall(r'<option value="(\w+)"', country_select.group(0)) == ["DE"]


def test_empty_field_is_never_locked_even_when_editing_is_off() -> None:
    f = facts(flags={"allow_customer_editing_email": False})

    assert "readonly" not in control(page(f), "email").attrs


def test_minimal_address_asks_only_country_and_postal_code() -> None:
    html = page(facts(minimal_address=True))

    assert has_control(html, "country") and has_control(html, "zipcode")
    for name in ("street", "city", "state"):
        assert not has_control(html, name)


@pytest.mark.parametrize(
    ("flags", "shown", "required"),
    [
        ({}, True, False),
        ({"require_phone_number": True}, True, True),
        ({"allow_phone_number_collection": False}, False, False),
    ],
)
def test_phone_follows_collection_flags(
    flags: dict[str, bool], shown: bool, required: bool
) -> None:
    html = page(facts(flags=flags))

    assert has_control(html, "phone") is shown
    if shown:
        assert ("required" in control(html, "phone").attrs) is required


def test_business_fields_follow_allow_tax_id() -> None:
    assert has_control(page(), "tax_id")
    assert has_control(page(), "business_name")
    html = page(facts(flags={"allow_tax_id": False}))
    assert not has_control(html, "tax_id")
    assert not has_control(html, "is_business")


def test_discount_field_follows_allow_discount_code() -> None:
    assert has_control(page(), "discount_code")
    assert not has_control(
        page(facts(flags={"allow_discount_code": False})), "discount_code"
    )


def test_pay_what_you_want_line_gets_an_amount_field_with_minimum() -> None:
    html = page(facts([widget(500, pay_what_you_want=True)]))

    assert control(html, "amount.pdt_widget")["value"] == "5.00"
    assert "At least $5.00." in html


def test_custom_fields_render_with_their_kind_and_options() -> None:
    fields = (
        {"key": "size", "label": "T-shirt size", "field_type": "dropdown",
         "options": ["S", "M"], "required": True},
        {"key": "terms", "label": "I agree", "field_type": "boolean"},
    )  # fmt: skip

    html = page(facts(custom_fields=fields))

    assert control(html, "custom.size").name == "select"
    assert "required" in control(html, "custom.size").attrs
    assert control(html, "custom.terms")["type"] == "checkbox"
    assert "T-shirt size" in html and ">M</option>" in html


def test_card_fields_never_carry_posted_card_values_back() -> None:
    values = {
        "card_number": "4242424242424242",
        "card_cvc": "123",
        "card_expiry": "12/30",
        "card_name": "Ada L",
        "email": "a@b.co",
    }

    html = page(values=values)

    assert "4242424242424242" not in html and "4242 4242 4242 4242" in html
    assert control(html, "card_number")["value"] == ""
    assert control(html, "card_cvc")["value"] == ""
    assert control(html, "card_name")["value"] == "Ada L"
    assert control(html, "email")["value"] == "a@b.co"


def test_errors_show_beside_their_fields() -> None:
    html = page(errors={"zipcode": "This field is required."}, notice="Check them.")

    assert 'id="f-zipcode-error">This field is required.</p>' in html
    assert "Check them." in html


def test_back_link_only_with_cancel_url() -> None:
    with_cancel = page(facts(cancel_url="https://shop.example/cart"))
    assert 'href="https://shop.example/cart"' in with_cancel
    assert "back-link" not in page()


def test_test_mode_banner_lists_test_cards_and_live_mode_has_none() -> None:
    assert "4000 0025 0000 3155" in page()
    live = page(facts(mode="live"))
    assert "Test mode" not in live and "4000 0025 0000 3155" not in live


def test_subscription_terms_and_total_appear_on_the_page() -> None:
    html = page(facts([plan(1200, trial=14)]))

    assert "14-day free trial" in html
    assert "then $12.00 every month" in html
    assert "Start free trial" in html
