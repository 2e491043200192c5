"""Merchant metadata: a small map that travels with an object untouched."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator

MAX_KEYS = 50
MAX_KEY_LENGTH = 40
MAX_VALUE_LENGTH = 500

MetadataValue = str | int | float | bool


def check_metadata(value: dict[str, MetadataValue]) -> dict[str, MetadataValue]:
    """Enforce the limits; the caller's field path is added by Pydantic."""
    if len(value) > MAX_KEYS:
        raise ValueError(f"at most {MAX_KEYS} keys are allowed, got {len(value)}")
    for key, item in value.items():
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"key {key[:50]!r} must be 1 to {MAX_KEY_LENGTH} chars")
        if isinstance(item, str) and len(item) > MAX_VALUE_LENGTH:
            raise ValueError(f"value of {key!r} exceeds {MAX_VALUE_LENGTH} characters")
        if isinstance(item, float) and item != item:  # NaN has no JSON form
            raise ValueError(f"value of {key!r} is not a number")
    return value


Metadata = Annotated[dict[str, MetadataValue], AfterValidator(check_metadata)]


def as_wire(value: dict[str, Any] | None) -> dict[str, Any]:
    return dict(value or {})
