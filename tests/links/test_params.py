"""Query parameters → create request: a truth table of what is kept."""

from __future__ import annotations

from typing import Any

import pytest

from till.links.params import (
    LinkTarget,
    checkout_request,
    host_allowed,
    merge_params,
    metadata_from,
    return_url_for,
)

TARGET = LinkTarget(
    product_id="pdt_x",
    minimum_amount=500,
    pay_what_you_want=False,
    allowed_return_hosts=("shop.example.com", "*.example.org", "localhost:3000"),
    default_return_url="https://shop.example.com/thanks",
)
PWYW = LinkTarget("pdt_x", 500, True, (), None)


def _body(params: dict[str, str], target: LinkTarget = TARGET) -> dict[str, Any]:
    return checkout_request(params, target).body.model_dump()


@pytest.mark.parametrize(
    ("raw", "quantity"),
    [
        (None, 1),
        ("3", 3),
        ("0", 1),
        ("-2", 1),
        ("2.5", 1),
        ("three", 1),
        ("10000", 10_000),
        ("10001", 1),
        ("99999999999999999999", 1),
        ("٣", 1),  # a non-ASCII digit
    ],
)
def test_quantity_falls_back_to_one_when_invalid(
    raw: str | None, quantity: int
) -> None:
    params = {} if raw is None else {"quantity": raw}
    assert _body(params)["product_cart"][0]["quantity"] == quantity


def test_valid_email_and_name_prefill_the_customer() -> None:
    body = _body({"email": "ada@example.com", "fullName": "Ada Lovelace"})
    assert body["customer"]["email"] == "ada@example.com"
    assert body["customer"]["name"] == "Ada Lovelace"


def test_first_and_last_name_join_into_the_name() -> None:
    body = _body({"email": "a@example.com", "firstName": "Ada", "lastName": "L"})
    assert body["customer"]["name"] == "Ada L"


def test_invalid_email_is_not_prefilled_and_the_name_travels_alone() -> None:
    request = checkout_request({"email": "not-an-email", "fullName": "Ada"}, TARGET)
    assert request.body.customer is None
    assert request.lone_name == "Ada"


def test_overlong_name_is_dropped() -> None:
    body = _body({"email": "a@example.com", "fullName": "x" * 201})
    assert body["customer"]["name"] is None


def test_address_is_prefilled_with_a_supported_country() -> None:
    params = {
        "country": "de",
        "addressLine": "Unter den Linden 1",
        "city": "Berlin",
        "zipCode": "10117",
    }
    assert _body(params)["billing_address"] == {
        "country": "DE",
        "state": None,
        "city": "Berlin",
        "street": "Unter den Linden 1",
        "zipcode": "10117",
    }


@pytest.mark.parametrize("country", ["XX", "USA", "1", "", "KP"])
def test_address_without_a_usable_country_is_dropped(country: str) -> None:
    assert _body({"country": country, "city": "Somewhere"})["billing_address"] is None


def test_unknown_us_state_is_dropped_but_the_address_kept() -> None:
    address = _body({"country": "US", "state": "Atlantis", "zipCode": "98101"})[
        "billing_address"
    ]
    assert address["state"] is None
    assert address["zipcode"] == "98101"


def test_overlong_zip_code_is_dropped() -> None:
    address = _body({"country": "DE", "zipCode": "1" * 21})["billing_address"]
    assert address == {
        "country": "DE",
        "state": None,
        "city": None,
        "street": None,
        "zipcode": None,
    }


@pytest.mark.parametrize(
    ("params", "flag"),
    [
        ({"email": "a@example.com", "disableEmail": "true"}, "email"),
        ({"email": "a@example.com", "fullName": "A", "disableFullName": "1"}, "name"),
        ({"country": "DE", "disableCountry": ""}, "country"),
        ({"country": "DE", "addressLine": "x", "disableAddressLine": "yes"}, "street"),
        ({"country": "DE", "city": "Berlin", "disableCity": "on"}, "city"),
        ({"country": "US", "state": "TX", "disableState": "true"}, "state"),
        ({"country": "DE", "zipCode": "10117", "disableZipCode": "true"}, "zipcode"),
    ],
)
def test_lock_flag_with_its_value_locks_the_field(
    params: dict[str, str], flag: str
) -> None:
    flags = _body(params)["feature_flags"]
    assert flags[f"allow_customer_editing_{flag}"] is False
    others = [k for k in flags if k.startswith("allow_customer_editing_")]
    unlocked = [k for k in others if k != f"allow_customer_editing_{flag}"]
    assert all(flags[k] is True for k in unlocked if "business" not in k)


@pytest.mark.parametrize(
    "params",
    [
        {"disableEmail": "true"},  # no value to lock
        {"email": "broken", "disableEmail": "true"},  # value dropped
        {"email": "a@example.com", "disableEmail": "false"},
        {"email": "a@example.com", "disableEmail": "maybe"},
    ],
)
def test_lock_flag_without_a_valid_value_locks_nothing(params: dict[str, str]) -> None:
    assert _body(params)["feature_flags"]["allow_customer_editing_email"] is True


@pytest.mark.parametrize(
    ("raw", "allowed"), [(None, True), ("false", False), ("0", False), ("true", True)]
)
def test_show_discounts_sets_the_discount_flag(raw: str | None, allowed: bool) -> None:
    params = {} if raw is None else {"showDiscounts": raw}
    assert _body(params)["feature_flags"]["allow_discount_code"] is allowed


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("750", 750), ("500", 500), ("499", None), ("7.50", None), ("x", None)],
)
def test_payment_amount_for_pay_what_you_want_needs_the_minimum(
    raw: str, amount: int | None
) -> None:
    assert _body({"paymentAmount": raw}, PWYW)["product_cart"][0]["amount"] == amount


def test_payment_amount_is_ignored_for_a_fixed_price() -> None:
    assert _body({"paymentAmount": "750"})["product_cart"][0]["amount"] is None


def test_metadata_pairs_become_metadata() -> None:
    params = {"metadata_campaign": "spring", "metadata_ref": "x", "metadata_": "y"}
    assert _body(params)["metadata"] == {"campaign": "spring", "ref": "x"}


def test_metadata_beyond_the_limits_is_dropped() -> None:
    pairs = [(f"metadata_k{i}", "v") for i in range(60)]
    pairs += [("metadata_" + "k" * 41, "v"), ("metadata_long", "v" * 501)]
    found = metadata_from(pairs)
    assert len(found) == 50
    assert list(found)[:2] == ["k0", "k1"]
    assert "long" not in found


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://shop.example.com/thanks", True),
        ("http://shop.example.com:8443/x", True),
        ("https://SHOP.example.com/x", True),
        ("https://evil.com/shop.example.com", False),
        ("https://shop.example.com.evil.com/", False),
        ("https://shop.example.com@evil.com/", False),
        ("https://evil.com@shop.example.com/", False),
        ("https://a.example.org/", True),
        ("https://a.b.example.org/", True),
        ("https://example.org/", False),
        ("https://badexample.org/", False),
        ("http://localhost:3000/done", True),
        ("http://localhost:4000/done", False),
        ("javascript:alert(1)", False),
        ("//shop.example.com/x", False),
        ("https://shop.example.com:99999/", False),
    ],
)
def test_host_allowed(url: str, allowed: bool) -> None:
    assert host_allowed(url, TARGET.allowed_return_hosts) is allowed


def test_redirect_url_to_another_host_falls_back_to_the_default() -> None:
    hosts, default = TARGET.allowed_return_hosts, TARGET.default_return_url
    assert return_url_for("https://evil.com/", hosts, default) == default
    assert return_url_for("https://a.example.org/ok", hosts, default) == (
        "https://a.example.org/ok"
    )
    assert return_url_for(None, hosts, None) is None


def test_visit_overrides_saved_parameters() -> None:
    saved = {"quantity": "2", "metadata_campaign": "spring"}
    merged = merge_params(saved, {"quantity": "5", "metadata_ref": "mail"})
    assert merged == {
        "quantity": "5",
        "metadata_campaign": "spring",
        "metadata_ref": "mail",
    }


def test_visit_cannot_change_or_unlock_a_locked_field() -> None:
    saved = {"email": "a@example.com", "disableEmail": "true", "city": "Berlin"}
    visit = {"email": "b@example.com", "disableEmail": "false", "city": "Paris"}
    assert merge_params(saved, visit) == {
        "email": "a@example.com",
        "disableEmail": "true",
        "city": "Paris",
    }


def test_saved_lock_without_a_saved_value_lets_the_visit_fill_and_lock() -> None:
    saved = {"disableEmail": "true"}
    merged = merge_params(saved, {"email": "b@example.com"})
    request = checkout_request(merged, TARGET).body
    assert request.customer is not None and request.customer.email == "b@example.com"
    assert request.feature_flags is not None
    assert request.feature_flags.allow_customer_editing_email is False
