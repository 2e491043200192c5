"""From a link's query parameters to a checkout session create request.

A payment link is printed on flyers and pasted into chats, so a typo in one
parameter must never break it: every value is checked on its own, and a
value that fails its check is left out as if it had not been sent. The
checks are the checkout API's own (its field types, the pricing rules for
countries and states), applied one field at a time.

Pure: no I/O, no clock. The caller supplies what it knows of the product and
the merchant in a :class:`LinkTarget`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import TypeAdapter, ValidationError

from till.checkout.create import MAX_QUANTITY
from till.checkout.schemas import CheckoutCreate, FeatureFlagsIn, Text
from till.core.metadata import MAX_KEY_LENGTH, MAX_KEYS, MAX_VALUE_LENGTH
from till.core.money import MAX_AMOUNT
from till.core.validation import Email, check_http_url
from till.pricing import country_needs_state, is_supported_country, normalize_state

METADATA_PREFIX = "metadata_"

# Each lock flag, the query parameters holding the value it locks, the
# prefilled detail that must be present for the lock to apply, and the
# session's feature flag that enforces it on the hosted page.
LOCKS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "disableEmail": (("email",), "email", "allow_customer_editing_email"),
    "disableFullName": (
        ("fullName", "firstName", "lastName"),
        "name",
        "allow_customer_editing_name",
    ),
    "disableFirstName": (("firstName",), "name", "allow_customer_editing_name"),
    "disableLastName": (("lastName",), "name", "allow_customer_editing_name"),
    "disableCountry": (("country",), "country", "allow_customer_editing_country"),
    "disableAddressLine": (("addressLine",), "street", "allow_customer_editing_street"),
    "disableCity": (("city",), "city", "allow_customer_editing_city"),
    "disableState": (("state",), "state", "allow_customer_editing_state"),
    "disableZipCode": (("zipCode",), "zipcode", "allow_customer_editing_zipcode"),
}

_ADDRESS_PARAMS = {
    "street": ("addressLine", 300),
    "city": ("city", 100),
    "state": ("state", 100),
    "zipcode": ("zipCode", 20),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRUE = frozenset({"", "1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_EMAIL: TypeAdapter[str] = TypeAdapter(Email)
_NAME: TypeAdapter[str] = TypeAdapter(Text)


@dataclass(frozen=True)
class LinkTarget:
    """What the rules need to know about the product and its merchant."""

    product_id: str
    minimum_amount: int
    pay_what_you_want: bool
    allowed_return_hosts: tuple[str, ...]
    default_return_url: str | None


@dataclass(frozen=True)
class LinkCheckout:
    """The create request, and a buyer's name that it could not carry.

    The create request names a new buyer only together with an email, so a
    link that gives a name alone hands the name over separately.
    """

    body: CheckoutCreate
    lone_name: str | None = None


def checkout_request(params: Mapping[str, str], target: LinkTarget) -> LinkCheckout:
    """The create request for one visit; invalid values are left out."""
    prefill = _prefill(params)
    email, name = prefill.get("email"), prefill.get("name")
    data: dict[str, Any] = {
        "product_cart": [_cart_line(params, target)],
        "billing_address": _address(prefill),
        "return_url": return_url_for(
            params.get("redirect_url"),
            target.allowed_return_hosts,
            target.default_return_url,
        ),
        "metadata": metadata_from(params.items()),
        "feature_flags": _feature_flags(params, prefill).model_dump(),
    }
    if email is not None:
        data["customer"] = {"email": email, "name": name}
    body = CheckoutCreate.model_validate(data)
    return LinkCheckout(body, name if email is None else None)


def usable_params(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The query as a dict (a repeated name keeps its last value), without
    pairs that hold control characters: no detail of a checkout has a use
    for a tab, a line break or a terminal escape."""
    return {
        name: value
        for name, value in pairs
        if not _CONTROL.search(name) and not _CONTROL.search(value)
    }


def merge_params(saved: Mapping[str, str], visit: Mapping[str, str]) -> dict[str, str]:
    """A short link's saved parameters with the visit's own on top.

    The visit may change anything except a field the merchant saved locked
    (its lock flag and its value both saved): a buyer cannot unlock it or
    put another value in it.
    """
    frozen: set[str] = set()
    for flag, (fields, _, _) in LOCKS.items():
        if _flag(saved.get(flag)) and any(saved.get(f) for f in fields):
            frozen.update((flag, *fields))
    merged = dict(saved)
    merged.update((k, v) for k, v in visit.items() if k not in frozen)
    return merged


def return_url_for(
    raw: str | None, allowed_hosts: Iterable[str], default: str | None
) -> str | None:
    """``raw`` when its host is one the merchant allowed, else ``default``.

    Without this check a link would be an open redirect: anyone could make
    a link on the merchant's checkout send buyers to a site of their own.
    """
    if raw and host_allowed(raw, allowed_hosts):
        return raw
    return default


def host_allowed(url: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether ``url``'s host is on the list.

    An entry is ``shop.example.com`` (that host, any port),
    ``localhost:3000`` (that host and port) or ``*.example.com`` (any
    subdomain, not the domain itself). URLs with a user name are refused:
    ``https://good.com@evil.com`` looks like one host and is another.
    """
    try:
        check_http_url(url)
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.username is not None or parts.password is not None or not parts.hostname:
        return False
    host = parts.hostname.rstrip(".")
    port = port or (443 if parts.scheme == "https" else 80)
    return any(_host_matches(host, port, entry) for entry in allowed_hosts)


def _host_matches(host: str, port: int, entry: str) -> bool:
    name, _, wanted_port = entry.lower().partition(":")
    if wanted_port and wanted_port != str(port):
        return False
    if name.startswith("*."):
        return host.endswith(name[1:])
    return host == name


def metadata_from(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Every ``metadata_<key>=<value>`` pair, within the metadata limits.

    Keys or values too long are left out; past the key limit, the extra
    keys are dropped in the order they came.
    """
    found: dict[str, str] = {}
    for name, value in pairs:
        key = name.removeprefix(METADATA_PREFIX)
        if not name.startswith(METADATA_PREFIX) or not key:
            continue
        if len(key) > MAX_KEY_LENGTH or len(value) > MAX_VALUE_LENGTH:
            continue
        if key in found or len(found) < MAX_KEYS:
            found[key] = value
    return found


def _cart_line(params: Mapping[str, str], target: LinkTarget) -> dict[str, Any]:
    line: dict[str, Any] = {
        "product_id": target.product_id,
        "quantity": _whole(params.get("quantity"), 1, MAX_QUANTITY) or 1,
    }
    if target.pay_what_you_want:
        line["amount"] = _whole(
            params.get("paymentAmount"), target.minimum_amount, MAX_AMOUNT
        )
    return line


def _whole(raw: str | None, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high``, or ``None``."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 15:
        return None
    value = int(text)
    return value if low <= value <= high else None


def _flag(raw: str | None) -> bool | None:
    """``true``/``1``/``yes``/``on`` or a bare flag is true; junk is ``None``."""
    if raw is None:
        return None
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    return False if text in _FALSE else None


def _prefill(params: Mapping[str, str]) -> dict[str, str]:
    """The buyer's details that pass their checks, keyed by session field."""
    found = {
        "email": _valid(_EMAIL, params.get("email")),
        "name": _valid(_NAME, _full_name(params)),
        "country": _country(params.get("country")),
    }
    for field, (param, longest) in _ADDRESS_PARAMS.items():
        value = (params.get(param) or "").strip()
        found[field] = value if 0 < len(value) <= longest else None
    if found["country"] is None or not _state_known(found):
        found["state"] = None
    return {k: v for k, v in found.items() if v}


def _valid(adapter: TypeAdapter[str], raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        return adapter.validate_python(raw.strip())
    except ValidationError:
        return None


def _full_name(params: Mapping[str, str]) -> str | None:
    if params.get("fullName", "").strip():
        return params["fullName"]
    parts = [params.get("firstName", "").strip(), params.get("lastName", "").strip()]
    return " ".join(p for p in parts if p) or None


def _country(raw: str | None) -> str | None:
    code = (raw or "").strip().upper()
    if len(code) != 2 or not code.isalpha() or not is_supported_country(code):
        return None
    return code


def _state_known(found: Mapping[str, str | None]) -> bool:
    # Where tax depends on the state, pricing refuses one it cannot place.
    country, state = found["country"], found["state"]
    if not country or not state or not country_needs_state(country):
        return True
    return normalize_state(country, state) is not None


def _address(prefill: Mapping[str, str]) -> dict[str, str] | None:
    # The create request needs a country with any part of an address; the
    # other parts alone are not prefilled (known shortcoming: a link with a
    # zip code and no country loses the zip code).
    if "country" not in prefill:
        return None
    parts = ("country", "state", "city", "street", "zipcode")
    return {p: prefill[p] for p in parts if p in prefill}


def _feature_flags(
    params: Mapping[str, str], prefill: Mapping[str, str]
) -> FeatureFlagsIn:
    flags = FeatureFlagsIn()
    for name, (_, detail, flag) in LOCKS.items():
        if _flag(params.get(name)) and detail in prefill:
            setattr(flags, flag, False)
    discounts = _flag(params.get("showDiscounts"))
    if discounts is not None:
        flags.allow_discount_code = discounts
    currencies = _flag(params.get("showCurrencySelector"))
    if currencies is not None:
        flags.allow_currency_selection = currencies
    return flags
