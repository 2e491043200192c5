"""The pay form: which fields a session asks for, and with what in them.

A field is shown when the session's flags ask for it, prefilled with what the
merchant gave, and locked (read-only, and ignored when posted back) when it
is prefilled and its ``allow_customer_editing_*`` flag is false. After a
failed post the buyer's own values come back, except the card's number and
security code, which are never written into a page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale

from till.core.money import format_amount, to_major
from till.pages.i18n import Translator
from till.pages.views import PriceFacts, SessionFacts
from till.pricing import (
    country_needs_state,
    normalize_state,
    subdivisions,
    supported_countries,
)

# Form field name -> the feature flag that lets the buyer change a prefilled
# value. Flags missing from a session default to "editable", except the
# business name, which the wire format documents as locked by default.
EDIT_FLAGS = {
    "email": ("allow_customer_editing_email", True),
    "name": ("allow_customer_editing_name", True),
    "country": ("allow_customer_editing_country", True),
    "state": ("allow_customer_editing_state", True),
    "city": ("allow_customer_editing_city", True),
    "street": ("allow_customer_editing_street", True),
    "zipcode": ("allow_customer_editing_zipcode", True),
    "tax_id": ("allow_customer_editing_tax_id", True),
    "business_name": ("allow_customer_editing_business_name", False),
}

# Fields whose value changes the price; the page's script re-quotes on them.
PRICING_FIELDS = ("country", "state", "zipcode", "tax_id", "discount_code")
AMOUNT_PREFIX = "amount."
CUSTOM_PREFIX = "custom."


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class OptionGroup:
    key: str
    label: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Field:
    """One labelled control. ``kind`` is an input type, or select/checkbox."""

    name: str
    id: str
    label: str
    kind: str = "text"
    value: str = ""
    autocomplete: str | None = None
    required: bool = False
    locked: bool = False
    pricing: bool = False
    checked: bool = False
    options: tuple[Option, ...] = ()
    groups: tuple[OptionGroup, ...] = ()
    placeholder: str | None = None
    hint: str | None = None
    inputmode: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class FormView:
    contact: tuple[Field, ...]
    address: tuple[Field, ...]
    business_toggle: Field | None
    business: tuple[Field, ...]
    discount: Field | None
    amounts: tuple[Field, ...]
    custom: tuple[Field, ...]
    card: tuple[Field, ...]
    state_countries: str


@dataclass(frozen=True)
class _Context:
    facts: SessionFacts
    values: Mapping[str, str]
    errors: Mapping[str, str]
    locale: str
    t: Translator

    def prefill(self, name: str) -> str:
        return prefilled(self.facts).get(name, "")

    def locked(self, name: str) -> bool:
        return is_locked(self.facts, name)

    def value(self, name: str) -> str:
        if self.locked(name) or name not in self.values:
            return self.prefill(name)
        return self.values[name]


def prefilled(facts: SessionFacts) -> dict[str, str]:
    """What the merchant gave for each form field, as form text."""
    address = facts.billing_address or {}
    values = {
        "email": facts.customer_email,
        "name": facts.customer_name,
        "phone": facts.customer_phone,
        "country": address.get("country") or facts.quote.billing_country,
        "city": address.get("city"),
        "street": address.get("street"),
        "zipcode": address.get("zipcode"),
        "tax_id": facts.tax_id,
        "business_name": facts.business_name,
        "discount_code": ", ".join(facts.discount_codes),
    }
    values["state"] = _state_value(values["country"], address.get("state"))
    for product_id, amount in facts.amounts.items():
        values[AMOUNT_PREFIX + product_id] = _major_text(amount, facts.currency)
    return {k: str(v) for k, v in values.items() if v not in (None, "")}


def is_locked(facts: SessionFacts, name: str) -> bool:
    rule = EDIT_FLAGS.get(name)
    if rule is None or name not in prefilled(facts):
        return False
    flag, default = rule
    return not facts.flag(flag, default)


def build_form(
    facts: SessionFacts,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    locale: str,
    t: Translator,
) -> FormView:
    ctx = _Context(facts, values, errors, locale, t)
    business = _business_fields(ctx)
    return FormView(
        contact=_contact_fields(ctx),
        address=_address_fields(ctx),
        business_toggle=business[0] if business else None,
        business=business[1:],
        discount=_discount_field(ctx),
        amounts=tuple(_amount_field(ctx, p) for p in facts.prices if _is_pwyw(p)),
        custom=tuple(
            _custom_field(ctx, i, f) for i, f in enumerate(facts.custom_fields)
        ),
        card=_card_fields(ctx),
        state_countries=" ".join(state_countries()),
    )


def _field(ctx: _Context, name: str, label: str, **extra: Any) -> Field:
    return Field(
        name=name,
        id="f-" + name.replace(".", "-"),
        label=label,
        value=extra.pop("value", ctx.value(name)),
        locked=extra.pop("locked", ctx.locked(name)),
        error=ctx.errors.get(name),
        **extra,
    )


def _contact_fields(ctx: _Context) -> tuple[Field, ...]:
    _ = ctx.t.gettext
    fields = [
        _field(ctx, "email", _("Email"), kind="email", autocomplete="email",
               required=True),
        _field(ctx, "name", _("Full name"), autocomplete="name", required=True),
    ]  # fmt: skip
    if ctx.facts.flag("allow_phone_number_collection", True):
        required = ctx.facts.flag("require_phone_number", False)
        label = _("Phone number") if required else _("Phone number (optional)")
        fields.append(
            _field(ctx, "phone", label, kind="tel", autocomplete="tel",
                   required=required)
        )  # fmt: skip
    return tuple(fields)


def _address_fields(ctx: _Context) -> tuple[Field, ...]:
    _ = ctx.t.gettext
    country = _field(
        ctx, "country", _("Country"), kind="select", autocomplete="country",
        required=True, pricing=True, options=_country_options(ctx),
    )  # fmt: skip
    zipcode = _field(
        ctx, "zipcode", _("Postal code"), autocomplete="postal-code",
        required=True, pricing=True,
    )  # fmt: skip
    if ctx.facts.minimal_address:
        return (country, zipcode)
    street = _field(
        ctx, "street", _("Address"), autocomplete="address-line1", required=True
    )
    city = _field(ctx, "city", _("City"), autocomplete="address-level2", required=True)
    state = _field(
        ctx, "state", _("State or province"), kind="select",
        autocomplete="address-level1", pricing=True, groups=_state_groups(ctx),
    )  # fmt: skip
    return (country, street, city, state, zipcode)


def _country_options(ctx: _Context) -> tuple[Option, ...]:
    current = ctx.value("country").upper()
    codes = [current] if ctx.locked("country") else country_codes(ctx.locale)
    names = country_names(ctx.locale)
    return tuple(Option(c, names.get(c, c), c == current) for c in codes)


def _state_groups(ctx: _Context) -> tuple[OptionGroup, ...]:
    current = ctx.value("state")
    names = country_names(ctx.locale)
    groups = []
    for country in state_countries():
        values = [(f"{country}-{s.code}", s.name) for s in subdivisions(country)]
        if ctx.locked("state"):
            values = [v for v in values if v[0] == current]
        options = tuple(Option(v, label, v == current) for v, label in values)
        if options:
            groups.append(OptionGroup(country, names.get(country, country), options))
    return tuple(groups)


def _business_fields(ctx: _Context) -> tuple[Field, ...]:
    if not ctx.facts.flag("allow_tax_id", True):
        return ()
    _ = ctx.t.gettext
    given = "is_business" in ctx.values if ctx.values else bool(ctx.value("tax_id"))
    toggle = _field(
        ctx, "is_business", _("I'm buying as a business"), kind="checkbox",
        value="1", checked=given or ctx.locked("tax_id"),
        locked=ctx.locked("tax_id"),
    )  # fmt: skip
    tax_id = _field(
        ctx, "tax_id", _("Tax ID"), pricing=True, autocomplete="off",
        hint=_("For example a VAT or GST number."),
        required=ctx.facts.flag("require_tax_id", False),
    )  # fmt: skip
    business_name = _field(
        ctx, "business_name", _("Business name"), autocomplete="organization"
    )
    return (toggle, tax_id, business_name)


def _discount_field(ctx: _Context) -> Field | None:
    if not ctx.facts.flag("allow_discount_code", True):
        return None
    return _field(
        ctx, "discount_code", ctx.t.gettext("Discount code"), pricing=True,
        autocomplete="off", hint=ctx.t.gettext("Separate several codes with commas."),
    )  # fmt: skip


def _amount_field(ctx: _Context, price: PriceFacts) -> Field:
    name = AMOUNT_PREFIX + price.product_id
    line = next(x for x in ctx.facts.quote.lines if x.product_id == price.product_id)
    minimum = format_amount(price.unit_price, ctx.facts.currency, ctx.locale)
    return _field(
        ctx, name, ctx.t.gettext("Your price for %(name)s") % {"name": line.name},
        value=ctx.value(name) or _major_text(line.og_price, ctx.facts.currency),
        required=True, pricing=True, inputmode="decimal", autocomplete="off",
        hint=ctx.t.gettext("At least %(minimum)s.") % {"minimum": minimum},
    )  # fmt: skip


def _custom_field(ctx: _Context, index: int, spec: Mapping[str, Any]) -> Field:
    kind = str(spec.get("field_type") or "text")
    name = CUSTOM_PREFIX + str(spec.get("key", index))
    options = tuple(
        Option(str(o), str(o), str(o) == ctx.value(name))
        for o in spec.get("options") or ()
    )
    return Field(
        name=name,
        id=f"f-custom-{index}",
        label=str(spec.get("label") or spec.get("key") or ""),
        kind=_CUSTOM_KINDS.get(kind, "text"),
        value="true" if kind == "boolean" else ctx.value(name),
        checked=kind == "boolean" and ctx.value(name) == "true",
        required=bool(spec.get("required")),
        options=(Option("", ctx.t.gettext("Choose…")), *options) if options else (),
        placeholder=_text_or_none(spec.get("placeholder")),
        inputmode="decimal" if kind == "number" else None,
        error=ctx.errors.get(name),
    )


_CUSTOM_KINDS = {
    "text": "text",
    "number": "text",
    "email": "email",
    "url": "url",
    "date": "date",
    "dropdown": "select",
    "boolean": "checkbox",
}


def _card_fields(ctx: _Context) -> tuple[Field, ...]:
    _ = ctx.t.gettext
    holder_required = ctx.facts.flag("require_cardholder_name", False)
    return (
        _field(ctx, "card_number", _("Card number"), value="", required=True,
               autocomplete="cc-number", inputmode="numeric",
               placeholder="1234 1234 1234 1234"),
        _field(ctx, "card_expiry", _("Expiry date"), value="", required=True,
               autocomplete="cc-exp", inputmode="numeric", placeholder=_("MM / YY")),
        _field(ctx, "card_cvc", _("Security code"), value="", required=True,
               autocomplete="cc-csc", inputmode="numeric", placeholder="CVC"),
        _field(ctx, "card_name", _("Name on card"), autocomplete="cc-name",
               required=holder_required),
    )  # fmt: skip


def _is_pwyw(price: PriceFacts) -> bool:
    return price.pay_what_you_want and not price.is_subscription


def _text_or_none(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _state_value(country: object, state: object) -> str | None:
    if not country or not state:
        return None
    code = normalize_state(str(country), str(state))
    return None if code is None else f"{str(country).upper()}-{code}"


def _major_text(amount: int, currency: str) -> str:
    return str(to_major(amount, currency))


@cache
def state_countries() -> tuple[str, ...]:
    return tuple(sorted(c for c in supported_countries() if country_needs_state(c)))


@cache
def country_names(locale: str) -> dict[str, str]:
    territories = Locale.parse(locale).territories
    return {code: str(territories.get(code, code)) for code in supported_countries()}


@cache
def country_codes(locale: str) -> list[str]:
    names = country_names(locale)
    return sorted(names, key=lambda code: names[code].casefold())


_FIELD_ALIASES = {
    "billing_address.country": "country",
    "billing_address.state": "state",
    "billing_address.city": "city",
    "billing_address.street": "street",
    "billing_address.zipcode": "zipcode",
    "customer.email": "email",
    "customer.name": "name",
    "customer.phone_number": "phone",
    "phone_number": "phone",
    "customer_business_name": "business_name",
    "discount_codes": "discount_code",
    "card.holder_name": "card_name",
    "card.number": "card_number",
    "card.cvc": "card_cvc",
}
_CART_AMOUNT = re.compile(r"^product_cart\[(\d+)\]\.amount$")
_CODE_INDEX = re.compile(r"^discount_codes?\[\d+\]$")


def form_field_for(field: str | None, facts: SessionFacts) -> str | None:
    """The form field an error of the API's vocabulary belongs to, if any."""
    if not field:
        return None
    if field in _FIELD_ALIASES:
        return _FIELD_ALIASES[field]
    if _CODE_INDEX.match(field):
        return "discount_code"
    match = _CART_AMOUNT.match(field)
    if match:
        index = int(match.group(1))
        lines = facts.quote.lines
        return AMOUNT_PREFIX + lines[index].product_id if index < len(lines) else None
    if field.startswith("custom_fields."):
        return CUSTOM_PREFIX + field.removeprefix("custom_fields.")
    simple = {"email", "name", "phone", "tax_id", "business_name", "discount_code"}
    return field if field in simple or field.startswith("card_") else None
