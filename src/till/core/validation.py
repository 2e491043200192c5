"""Small reusable validators for wire schemas."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator

from till.core.money import is_supported_currency

# Deliberately permissive: one @, no spaces, a dot in the domain. Deliverability
# is the mail system's question, not the checkout's.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def check_email(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("is not a valid email address")
    return value


def check_currency(value: str) -> str:
    code = value.upper()
    if not is_supported_currency(code):
        raise ValueError(f"{value!r} is not a supported ISO 4217 currency")
    return code


def check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http or https URL")
    if any(ch in value for ch in "\r\n\t\\ ") or len(value) > 2000:
        raise ValueError("contains characters not allowed in a URL")
    return value


Email = Annotated[str, AfterValidator(check_email)]
Currency = Annotated[str, AfterValidator(check_currency)]
HttpUrl = Annotated[str, AfterValidator(check_http_url)]
