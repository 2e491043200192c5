"""Prefixed, unguessable identifiers (``pdt_…``, ``cks_…``)."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits

# 24 characters of base62 carry about 143 bits: a checkout URL cannot be
# found by trying, and collisions never need handling.
_LENGTH = 24


def new_id(prefix: str) -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    return f"{prefix}_{body}"


def random_token(length: int = 32) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
