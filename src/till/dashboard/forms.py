"""Turning HTML form fields into the API's own input models.

A dashboard form is another way to fill in the same schema the API reads, so
the API's validation decides; this module only translates field names, the
major-unit amounts people type, and the errors back onto the form.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from till.core.errors import TillError
from till.core.money import decimals

FormErrors = dict[str, str]
# Digits, then optionally one decimal separator; no grouping, so "1.000" is
# never read as a thousand in one locale and as one in another.
_AMOUNT = re.compile(r"^\d{1,13}(?:[.,]\d{1,4})?$")


class FormInvalid(Exception):
    """One field of the form cannot be read; shown next to that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.errors: FormErrors = {field: message}


async def read_form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def read_form_lists(request: Request, *names: str) -> dict[str, list[str]]:
    form = await request.form()
    return {
        name: [v for v in form.getlist(name) if isinstance(v, str)] for name in names
    }


def parse_amount(text: str, currency: str, field: str) -> int:
    """``"12.50"`` in USD → 1250; refuses more decimals than the currency has."""
    cleaned = text.strip().replace(" ", "")
    if not _AMOUNT.match(cleaned):
        raise FormInvalid(field, "Enter an amount like 12.50.")
    value = Decimal(cleaned.replace(",", "."))
    places = decimals(currency)
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        raise FormInvalid(field, f"{currency} amounts have {places} decimals at most.")
    return int(minor)


def major_text(amount: int | None, currency: str) -> str:
    """The inverse of :func:`parse_amount`, for prefilling a form."""
    if amount is None:
        return ""
    places = decimals(currency)
    return f"{Decimal(amount).scaleb(-places):.{places}f}"


def optional_int(text: str | None, field: str) -> int | None:
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit() or len(text.strip()) > 12:
        raise FormInvalid(field, "Enter a whole number.")
    return int(text.strip())


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def errors_of(exc: ValidationError) -> FormErrors:
    """Each schema error under the name of the form field it belongs to."""
    errors: FormErrors = {}
    for error in exc.errors():
        names = [str(part) for part in error["loc"] if isinstance(part, str)]
        names = [n for n in names if not n.endswith("_price") or n == "suggested_price"]
        field = names[-1] if names else "_"
        message = str(error["msg"]).removeprefix("Value error, ")
        errors.setdefault(field, message)
    return errors


def errors_of_domain(exc: TillError) -> FormErrors:
    field = re.sub(r"\[\d+\]", "", (exc.field or "_").split(".")[0])
    return {field: exc.message}


def parse_percent(text: str, field: str) -> int:
    """``"12.5"`` (per cent) → 1250 basis points."""
    cleaned = text.strip().removesuffix("%").strip()
    if not _AMOUNT.match(cleaned):
        raise FormInvalid(field, "Enter a percentage like 10 or 12.5.")
    value = Decimal(cleaned.replace(",", ".")).scaleb(2)
    if value != value.to_integral_value():
        raise FormInvalid(field, "Percentages have 2 decimals at most.")
    return int(value)


def percent_text(basis_points: int) -> str:
    return f"{Decimal(basis_points).scaleb(-2).normalize():f}"


def checked(form: dict[str, Any], name: str) -> bool:
    return form.get(name) in ("on", "true", "1", "yes")
