"""The buyer's details against the session's rules, as a truth table."""

from __future__ import annotations

from typing import Any

import pytest

from tests.payments.support import DE_ADDRESS, US_ADDRESS, Shop, card
from till.checkout.models import CheckoutSession
from till.core.errors import FieldInvalid
from till.payments.buyer import BuyerDetails, CheckedBuyer, check_buyer


def _session(**fields: Any) -> CheckoutSession:
    base: dict[str, Any] = {
        "id": "cks_test",
        "feature_flags": {},
        "customer_email": None,
        "customer_name": None,
        "customer_phone": None,
        "billing_address": None,
        "tax_id": None,
        "customer_business_name": None,
        "minimal_address": False,
        "custom_fields": [],
        "discount_codes": [],
    }
    base.update(fields)
    return CheckoutSession(**base)


def _check(
    session: CheckoutSession, holder: str | None = None, **buyer: Any
) -> CheckedBuyer:
    buyer.setdefault("email", "ada@example.com")
    buyer.setdefault("billing_address", US_ADDRESS)
    return check_buyer(
        session, BuyerDetails(**buyer), card("4242424242424242", holder=holder)
    )


def _refused_field(session: CheckoutSession, **buyer: Any) -> str | None:
    with pytest.raises(FieldInvalid) as refused:
        _check(session, **buyer)
    return refused.value.field


def test_email_is_required() -> None:
    assert _refused_field(_session(), email="") == "email"
    assert _refused_field(_session(), email="not-an-email") == "email"


def test_prefilled_email_is_used_when_the_form_sends_none() -> None:
    checked = _check(_session(customer_email="pre@example.com"), email=None)
    assert checked.email == "pre@example.com"


def test_locked_email_cannot_be_changed_but_may_be_repeated() -> None:
    session = _session(
        customer_email="pre@example.com",
        feature_flags={"allow_customer_editing_email": False},
    )
    assert _refused_field(session, email="other@example.com") == "email"
    assert _check(session, email="pre@example.com").email == "pre@example.com"
    # A disabled input is not submitted: empty means unchanged.
    assert _check(session, email="").email == "pre@example.com"


def test_full_address_is_required_unless_minimal() -> None:
    no_street = {**US_ADDRESS, "street": ""}
    assert (
        _refused_field(_session(), billing_address=no_street)
        == "billing_address.street"
    )
    no_state = {**US_ADDRESS, "state": None}
    assert (
        _refused_field(_session(), billing_address=no_state) == "billing_address.state"
    )
    minimal = _session(minimal_address=True)
    checked = _check(minimal, billing_address={"country": "de", "zipcode": "10117"})
    assert checked.billing["country"] == "DE"
    assert _refused_field(minimal, billing_address={"country": "DE"}) == (
        "billing_address.zipcode"
    )


def test_address_without_country_is_refused() -> None:
    assert _refused_field(_session(), billing_address={"zipcode": "1"}) == (
        "billing_address.country"
    )


def test_phone_is_required_only_when_the_session_says_so() -> None:
    assert _check(_session()).phone is None
    required = _session(
        feature_flags={
            "require_phone_number": True,
            "allow_phone_number_collection": True,
        }
    )
    assert _refused_field(required) == "phone"
    assert _check(required, phone="+49 30 1234567").phone == "+49 30 1234567"
    assert _refused_field(required, phone="call me") == "phone"


def test_cardholder_name_when_required() -> None:
    session = _session(feature_flags={"require_cardholder_name": True})
    with pytest.raises(FieldInvalid) as refused:
        _check(session, holder=" ")
    assert refused.value.field == "card.holder_name"
    assert _check(session, holder="Ada Lovelace").email == "ada@example.com"


def test_business_purchase_needs_a_tax_id_when_required() -> None:
    session = _session(feature_flags={"require_tax_id": True, "allow_tax_id": True})
    assert _refused_field(session, business_name="Acme GmbH") == "tax_id"
    assert _check(session).business_name is None


def test_discount_codes_cannot_change_when_not_allowed() -> None:
    session = _session(
        discount_codes=["SPRING"], feature_flags={"allow_discount_code": False}
    )
    assert _check(session, discount_codes=["OTHER"]).discount_codes == ["SPRING"]
    editable = _session(discount_codes=["SPRING"])
    assert _check(editable, discount_codes=[" OTHER "]).discount_codes == ["OTHER"]
    assert _check(editable).discount_codes == ["SPRING"]


CUSTOM_FIELDS = [
    {"key": "size", "field_type": "dropdown", "options": ["S", "M"], "required": True},
    {"key": "terms", "field_type": "boolean", "required": True},
    {"key": "age", "field_type": "number", "required": False},
    {"key": "site", "field_type": "url", "required": False},
]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"terms": "on"}, "custom_fields.size"),
        ({"size": "XL", "terms": "on"}, "custom_fields.size"),
        ({"size": "S"}, "custom_fields.terms"),
        ({"size": "S", "terms": "on", "age": "old"}, "custom_fields.age"),
        ({"size": "S", "terms": "on", "site": "javascript:x"}, "custom_fields.site"),
    ],
)
def test_custom_fields_are_checked_by_type(answers: dict[str, str], field: str) -> None:
    session = _session(custom_fields=CUSTOM_FIELDS)
    assert _refused_field(session, custom_fields=answers) == field


def test_custom_field_answers_are_kept_in_definition_order() -> None:
    session = _session(custom_fields=CUSTOM_FIELDS)
    checked = _check(session, custom_fields={"terms": "yes", "size": "M", "age": "42"})
    assert checked.custom_field_responses == [
        {"key": "size", "value": "M"},
        {"key": "terms", "value": "true"},
        {"key": "age", "value": "42"},
    ]


async def test_refused_details_leave_the_session_unclaimed(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    with pytest.raises(FieldInvalid) as refused:
        await shop.pay(sid, email="")
    assert refused.value.status == 422
    session = await shop.stored_session(sid)
    assert (session.pay_attempts, session.payment_status) == (0, None)
    assert await shop.payments_of(sid) == []


async def test_an_invalid_tax_id_is_refused_not_silently_dropped(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    with pytest.raises(FieldInvalid) as refused:
        await shop.pay(sid, billing_address=DE_ADDRESS, tax_id="DE000000000")
    assert refused.value.field == "tax_id"


async def test_a_valid_foreign_tax_id_pays_without_vat(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time(1000))
    attempt = await shop.pay(
        sid,
        billing_address=DE_ADDRESS,
        tax_id="DE136695976",
        business_name="Acme GmbH",
    )
    [payment] = await shop.payments_of(sid)
    assert attempt.status == "succeeded"
    assert (payment.total_amount, payment.tax) == (1000, 0)
    assert (payment.tax_id, payment.customer_business_name) == (
        "DE136695976",
        "Acme GmbH",
    )


async def test_the_charge_uses_the_address_the_buyer_typed(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time(1000), billing_address=US_ADDRESS)
    await shop.pay(sid, billing_address=DE_ADDRESS)
    [payment] = await shop.payments_of(sid)
    assert payment.billing["country"] == "DE"
    assert (payment.total_amount, payment.tax) == (1190, 190)
