"""Reading what the buyer posted: form text in, typed values or field errors out.

The same reader serves the pay form post and the page script's live quote
request, so a price shown while typing is computed from exactly the values
the payment will use. Locked fields are read from the session, never from
the post, so editing the page's HTML does not unlock them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from till.core.money import MAX_AMOUNT, decimals, format_amount
from till.core.validation import check_email
from till.pages.forms import AMOUNT_PREFIX, CUSTOM_PREFIX, is_locked, prefilled
from till.pages.i18n import DEFAULT_LOCALE, Translator
from till.pages.views import SessionFacts
from till.payments.processors import CardInput
from till.pricing import country_needs_state

MAX_DISCOUNT_CODES = 20
_CODE_SEPARATORS = re.compile(r"[\s,;]+")
_EXPIRY = re.compile(r"^(\d{1,2})\s*/\s*(\d{2}|\d{4})$|^(\d{2})(\d{2})$")
_MAX_TEXT = 500


@dataclass(frozen=True)
class PricingChoice:
    """The buyer's choices that change the price."""

    billing_address: dict[str, str | None]
    tax_id: str | None
    discount_codes: list[str] | None
    amounts: dict[str, int] | None


@dataclass(frozen=True)
class Submission:
    email: str
    name: str
    phone: str | None
    business_name: str | None
    custom_fields: dict[str, str]
    pricing: PricingChoice
    card: CardInput


class FormInvalid(Exception):
    """Some fields need the buyer's attention; ``errors`` maps field to text."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class _Reader:
    def __init__(
        self,
        facts: SessionFacts,
        values: Mapping[str, str],
        t: Translator,
        locale: str = DEFAULT_LOCALE,
    ) -> None:
        self.facts = facts
        self.values = values
        self.locale = locale
        self.t = t
        self.errors: dict[str, str] = {}
        self._prefill = prefilled(facts)

    def text(self, name: str, *, required: bool = False) -> str | None:
        if is_locked(self.facts, name):
            raw = self._prefill.get(name, "")
        else:
            raw = str(self.values.get(name, "")).strip()[:_MAX_TEXT]
        if not raw and required:
            self.fail(name, self.t.gettext("This field is required."))
        return raw or None

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)


def read_pricing(
    facts: SessionFacts,
    values: Mapping[str, str],
    t: Translator,
    locale: str = DEFAULT_LOCALE,
) -> PricingChoice:
    """The price-relevant choices; raises FormInvalid for unreadable ones."""
    reader = _Reader(facts, values, t, locale)
    choice = _pricing(reader)
    if reader.errors:
        raise FormInvalid(reader.errors)
    return choice


def read_submission(
    facts: SessionFacts,
    values: Mapping[str, str],
    t: Translator,
    locale: str = DEFAULT_LOCALE,
) -> Submission:
    """Everything needed to pay; raises FormInvalid naming each bad field."""
    reader = _Reader(facts, values, t, locale)
    email = reader.text("email", required=True)
    if email is not None:
        _check_email(reader, email)
    submission = Submission(
        email=email or "",
        name=reader.text("name", required=True) or "",
        phone=_phone(reader),
        business_name=_business_name(reader),
        custom_fields=_custom_fields(reader),
        pricing=_pricing(reader, complete=True),
        card=_card(reader),
    )
    if reader.errors:
        raise FormInvalid(reader.errors)
    return submission


def _check_email(reader: _Reader, email: str) -> None:
    try:
        check_email(email)
    except ValueError:
        reader.fail("email", reader.t.gettext("Enter a valid email address."))


def _phone(reader: _Reader) -> str | None:
    if not reader.facts.flag("allow_phone_number_collection", True):
        return None
    return reader.text(
        "phone", required=reader.facts.flag("require_phone_number", False)
    )


def _business_name(reader: _Reader) -> str | None:
    if not reader.facts.flag("allow_tax_id", True):
        return reader.facts.business_name
    return reader.text("business_name")


def _pricing(reader: _Reader, *, complete: bool = False) -> PricingChoice:
    return PricingChoice(
        billing_address=_address(reader, complete),
        tax_id=_tax_id(reader, complete),
        discount_codes=_discount_codes(reader),
        amounts=_amounts(reader),
    )


def _address(reader: _Reader, complete: bool) -> dict[str, str | None]:
    country = (reader.text("country", required=True) or "").upper()
    minimal = reader.facts.minimal_address
    address: dict[str, str | None] = {
        "country": country,
        "zipcode": reader.text("zipcode", required=complete),
        "state": _state(reader, country, complete and not minimal),
        "city": reader.text("city", required=complete and not minimal),
        "street": reader.text("street", required=complete and not minimal),
    }
    if minimal:
        # The page did not ask for these; keep whatever the merchant gave.
        given = reader.facts.billing_address or {}
        address["city"] = given.get("city")
        address["street"] = given.get("street")
    return address


def _state(reader: _Reader, country: str, required: bool) -> str | None:
    if not country_needs_state(country):
        given = reader.facts.billing_address or {}
        same_country = str(given.get("country", "")).upper() == country
        return given.get("state") if same_country else None
    raw = reader.text("state")
    prefix = f"{country}-"
    if raw and raw.startswith(prefix):
        return raw.removeprefix(prefix)
    if required:
        reader.fail("state", reader.t.gettext("Choose a state or province."))
    return None


def _tax_id(reader: _Reader, complete: bool) -> str | None:
    if not reader.facts.flag("allow_tax_id", True):
        return reader.facts.tax_id
    # The script disables the tax fields while "buying as a business" is off,
    # so a tax id that arrives is one the buyer meant to give.
    as_business = bool(reader.values.get("is_business"))
    required = complete and as_business and reader.facts.flag("require_tax_id", False)
    return reader.text("tax_id", required=required)


def _discount_codes(reader: _Reader) -> list[str] | None:
    if not reader.facts.flag("allow_discount_code", True):
        return None
    raw = reader.text("discount_code") or ""
    codes = [c.upper() for c in _CODE_SEPARATORS.split(raw) if c]
    unique = list(dict.fromkeys(codes))
    if len(unique) > MAX_DISCOUNT_CODES:
        reader.fail("discount_code", reader.t.gettext("Too many discount codes."))
    return unique[:MAX_DISCOUNT_CODES]


def _amounts(reader: _Reader) -> dict[str, int] | None:
    chosen: dict[str, int] = {}
    for price in reader.facts.prices:
        if not price.pay_what_you_want or price.is_subscription:
            continue
        name = AMOUNT_PREFIX + price.product_id
        amount = _amount(reader, name, price.unit_price)
        if amount is not None:
            chosen[price.product_id] = amount
    return chosen or None


def _amount(reader: _Reader, name: str, minimum: int) -> int | None:
    raw = reader.text(name, required=True)
    if raw is None:
        return None
    currency = reader.facts.currency
    amount = parse_major(raw, currency)
    if amount is None or amount > MAX_AMOUNT:
        reader.fail(name, reader.t.gettext("Enter an amount such as 12.50."))
        return None
    if amount < minimum:
        shown = format_amount(minimum, currency, reader.locale)
        reader.fail(name, reader.t.gettext("Enter at least %(min)s.") % {"min": shown})
        return None
    return amount


def parse_major(text: str, currency: str) -> int | None:
    """Minor units of an amount typed in major units ("12.50", "12,5")."""
    cleaned = text.replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0:
        return None
    minor = value.scaleb(decimals(currency))
    if minor != minor.to_integral_value():
        return None
    return int(minor)


def _custom_fields(reader: _Reader) -> dict[str, str]:
    answers: dict[str, str] = {}
    for spec in reader.facts.custom_fields:
        name = CUSTOM_PREFIX + str(spec.get("key", ""))
        raw = reader.text(name, required=bool(spec.get("required")))
        if raw is None:
            continue
        if spec.get("field_type") == "boolean":
            raw = "true"
        options = [str(o) for o in spec.get("options") or ()]
        if options and raw not in options:
            reader.fail(name, reader.t.gettext("Choose one of the options."))
        answers[str(spec.get("key", ""))] = raw
    return answers


def _card(reader: _Reader) -> CardInput:
    number = reader.text("card_number", required=True) or ""
    cvc = reader.text("card_cvc", required=True) or ""
    month, year = _expiry(reader)
    required_holder = reader.facts.flag("require_cardholder_name", False)
    holder = reader.text("card_name", required=required_holder)
    return CardInput(number=number, exp_month=month, exp_year=year, cvc=cvc,
                     holder_name=holder)  # fmt: skip


def _expiry(reader: _Reader) -> tuple[int, int]:
    raw = (reader.text("card_expiry", required=True) or "").replace(" ", "")
    match = _EXPIRY.match(raw)
    if raw and match is None:
        reader.fail("card_expiry", reader.t.gettext("Enter the expiry as MM / YY."))
    if match is None:
        return 0, 0
    month = int(match.group(1) or match.group(3))
    year = int(match.group(2) or match.group(4))
    if not 1 <= month <= 12:
        reader.fail("card_expiry", reader.t.gettext("Enter the expiry as MM / YY."))
    return month, year
