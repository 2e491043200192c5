"""What the buyer typed on the hosted page, merged with what the merchant
prefilled and checked against the session's rules.

One convention runs through every field: ``None`` means "not sent, keep the
session's value"; an empty string means "cleared". A prefilled field whose
``allow_customer_editing_*`` flag is false is locked: sending it again
unchanged or empty keeps it, sending another value is refused with a 422
naming it.

Errors name the fields of the pay form: ``email``, ``name``, ``phone``,
``billing_address.<part>``, ``tax_id``, ``business_name``,
``custom_fields.<key>`` and ``card.holder_name``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from till.checkout.models import CheckoutSession
from till.core.errors import FieldInvalid
from till.core.validation import check_email, check_http_url
from till.payments.processors import CardInput
from till.pricing import country_needs_state

_PHONE = re.compile(r"^\+?[0-9 ()\-.]{3,40}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ADDRESS_PARTS = ("country", "state", "city", "street", "zipcode")
_PART_LIMITS = {"country": 2, "state": 100, "city": 100, "street": 300, "zipcode": 20}
_MAX_NAME = 200
_MAX_TAX_ID = 64
_MAX_CUSTOM_VALUE = 1000
_TRUE = ("true", "on", "yes", "1")
_FALSE = ("false", "off", "no", "0", "")


@dataclass(frozen=True)
class BuyerDetails:
    """The pay form as submitted. ``amounts`` maps a pay-what-you-want
    product id to the buyer's chosen price in minor units."""

    email: str | None = None
    name: str | None = None
    phone: str | None = None
    billing_address: Mapping[str, Any] | None = None
    tax_id: str | None = None
    business_name: str | None = None
    custom_fields: Mapping[str, Any] = field(default_factory=dict)
    discount_codes: list[str] | None = None
    amounts: Mapping[str, int] | None = None


@dataclass(frozen=True)
class CheckedBuyer:
    """The buyer's final details, every rule of the session satisfied."""

    email: str
    name: str
    phone: str | None
    billing: dict[str, Any]
    tax_id: str | None
    business_name: str | None
    custom_field_responses: list[dict[str, str]]
    discount_codes: list[str]
    amounts: dict[str, int]


def check_buyer(
    session: CheckoutSession, buyer: BuyerDetails, card: CardInput
) -> CheckedBuyer:
    """Merge ``buyer`` into the session's prefilled values and check them.

    Raises :class:`FieldInvalid` naming the first field to correct.
    """
    flags = session.feature_flags
    tax_id = _tax_id(session, buyer, flags)
    if flags.get("require_cardholder_name") and not (card.holder_name or "").strip():
        raise FieldInvalid("card.holder_name", "the name on the card is required")
    return CheckedBuyer(
        email=_email(session, buyer, flags),
        name=_name(session, buyer, flags),
        phone=_phone(session, buyer, flags),
        billing=_billing(session, buyer.billing_address, flags),
        tax_id=tax_id,
        business_name=_business_name(session, buyer, flags, tax_id),
        custom_field_responses=_custom_fields(session.custom_fields, buyer),
        discount_codes=_codes(session, buyer, flags),
        amounts=dict(buyer.amounts or {}),
    )


def _merge(
    name: str, sent: str | None, prefilled: str | None, editable: bool
) -> str | None:
    """The value to use: the session's when not sent or locked."""
    sent = None if sent is None else sent.strip()
    if not editable and prefilled:
        # Browsers do not submit a disabled input, so an empty value for a
        # locked field means "unchanged"; only another value is refused.
        if sent and sent != prefilled:
            raise FieldInvalid(name, "is set by the seller and cannot be changed")
        return prefilled
    if sent is None:
        return prefilled
    return sent or None


def _email(
    session: CheckoutSession, buyer: BuyerDetails, flags: Mapping[str, Any]
) -> str:
    editable = bool(flags.get("allow_customer_editing_email", True))
    value = _merge("email", buyer.email, session.customer_email, editable)
    if not value:
        raise FieldInvalid("email", "is required")
    try:
        return check_email(value)
    except ValueError as exc:
        raise FieldInvalid("email", str(exc)) from None


def _name(
    session: CheckoutSession, buyer: BuyerDetails, flags: Mapping[str, Any]
) -> str:
    editable = bool(flags.get("allow_customer_editing_name", True))
    value = _merge("name", buyer.name, session.customer_name, editable) or ""
    if len(value) > _MAX_NAME:
        raise FieldInvalid("name", f"must be at most {_MAX_NAME} characters")
    return value


def _phone(
    session: CheckoutSession, buyer: BuyerDetails, flags: Mapping[str, Any]
) -> str | None:
    collect = bool(flags.get("allow_phone_number_collection", True))
    sent = buyer.phone if collect else None
    value = _merge("phone", sent, session.customer_phone, True)
    if value is None:
        if flags.get("require_phone_number"):
            raise FieldInvalid("phone", "is required")
        return None
    if not _PHONE.match(value):
        raise FieldInvalid("phone", "is not a phone number")
    return value


def _billing(
    session: CheckoutSession,
    sent: Mapping[str, Any] | None,
    flags: Mapping[str, Any],
) -> dict[str, Any]:
    prefilled = session.billing_address or {}
    address: dict[str, Any] = {}
    for part in _ADDRESS_PARTS:
        editable = bool(flags.get(f"allow_customer_editing_{part}", True))
        value = None if sent is None else _text(sent.get(part))
        address[part] = _merge(
            f"billing_address.{part}", value, prefilled.get(part), editable
        )
    return _checked_address(address, session.minimal_address)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _checked_address(address: dict[str, Any], minimal: bool) -> dict[str, Any]:
    country = (address["country"] or "").upper()
    if not country:
        raise FieldInvalid("billing_address.country", "is required")
    if not _COUNTRY.match(country):
        raise FieldInvalid("billing_address.country", "must be a two-letter code")
    address["country"] = country
    for part, limit in _PART_LIMITS.items():
        if address[part] is not None and len(address[part]) > limit:
            reason = f"must be at most {limit} characters"
            raise FieldInvalid(f"billing_address.{part}", reason)
    for part in _required_parts(country, minimal):
        if not address[part]:
            raise FieldInvalid(f"billing_address.{part}", "is required")
    return address


def _required_parts(country: str, minimal: bool) -> list[str]:
    # A minimal address is what tax needs: the country and the postal code.
    if minimal:
        return ["zipcode"]
    parts = ["street", "city", "zipcode"]
    if country_needs_state(country):
        parts.insert(0, "state")
    return parts


def _tax_id(
    session: CheckoutSession, buyer: BuyerDetails, flags: Mapping[str, Any]
) -> str | None:
    if not flags.get("allow_tax_id", True):
        return session.tax_id
    editable = bool(flags.get("allow_customer_editing_tax_id", True))
    value = _merge("tax_id", buyer.tax_id, session.tax_id, editable)
    if value is not None and len(value) > _MAX_TAX_ID:
        raise FieldInvalid("tax_id", f"must be at most {_MAX_TAX_ID} characters")
    return value


def _business_name(
    session: CheckoutSession,
    buyer: BuyerDetails,
    flags: Mapping[str, Any],
    tax_id: str | None,
) -> str | None:
    editable = any(
        flags.get(name, default)
        for name, default in (
            ("allow_customer_editing_business_name", False),
            ("allow_customer_editing_tax_id", True),
            ("allow_tax_id", True),
        )
    )
    prefilled = session.customer_business_name
    value = _merge("business_name", buyer.business_name, prefilled, editable)
    if value is not None and len(value) > _MAX_NAME:
        raise FieldInvalid("business_name", f"must be at most {_MAX_NAME} characters")
    # Buying as a business means giving a business name or a tax id; with
    # require_tax_id the first without the second is refused.
    if value and not tax_id and flags.get("require_tax_id"):
        raise FieldInvalid("tax_id", "is required to buy as a business")
    return value


def _codes(
    session: CheckoutSession, buyer: BuyerDetails, flags: Mapping[str, Any]
) -> list[str]:
    own = [str(code) for code in session.discount_codes or []]
    if buyer.discount_codes is None or not flags.get("allow_discount_code", True):
        return own
    return [code.strip() for code in buyer.discount_codes if code.strip()]


def _custom_fields(definitions: list[Any], buyer: BuyerDetails) -> list[dict[str, str]]:
    responses = []
    for definition in definitions or []:
        key = str(definition["key"])
        raw = buyer.custom_fields.get(key)
        value = "" if raw is None else str(raw).strip()
        value = _custom_value(definition, f"custom_fields.{key}", value)
        if value:
            responses.append({"key": key, "value": value})
    return responses


def _custom_value(definition: Mapping[str, Any], name: str, value: str) -> str:
    kind = definition.get("field_type", "text")
    required = bool(definition.get("required"))
    if kind == "boolean":
        # A required checkbox is one the buyer must tick (terms, consent).
        value = _boolean(name, value)
        if required and value == "false":
            raise FieldInvalid(name, "must be checked")
        return value
    if not value:
        if required:
            raise FieldInvalid(name, "is required")
        return ""
    if len(value) > _MAX_CUSTOM_VALUE:
        raise FieldInvalid(name, f"must be at most {_MAX_CUSTOM_VALUE} characters")
    _check_kind(kind, definition, name, value)
    return value


def _boolean(name: str, value: str) -> str:
    lowered = value.lower()
    if lowered in _TRUE:
        return "true"
    if lowered in _FALSE:
        return "false"
    raise FieldInvalid(name, "must be true or false")


def _check_kind(
    kind: str, definition: Mapping[str, Any], name: str, value: str
) -> None:
    try:
        if kind == "number":
            Decimal(value)
        elif kind == "email":
            check_email(value)
        elif kind == "url":
            check_http_url(value)
        elif kind == "date":
            date.fromisoformat(value)
    except (ValueError, InvalidOperation):
        raise FieldInvalid(name, f"is not a valid {kind}") from None
    if kind == "dropdown" and value not in (definition.get("options") or []):
        raise FieldInvalid(name, "is not one of the choices")
