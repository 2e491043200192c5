"""Prefixed, unguessable identifiers (``pdt_…``, ``cks_…``)."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits

# 24 characters of base62 carry about 143 bits: a checkout URL cannot be
# found by trying, and collisions never need handling.
_LENGTH = 24


def new_id(prefix: str) -> str:
    return f"{prefix}_{random_token(_LENGTH)}"


def random_token(length: int = 32) -> str:
    """``length`` base62 characters from one read of the system's randomness.

    Each character takes 6 random bits and values of 62 or 63 are redrawn, so
    every character is uniform over the alphabet.
    """
    chars: list[str] = []
    while len(chars) < length:
        for byte in secrets.token_bytes(length + 8):
            value = byte & 63
            if value < 62:
                chars.append(_ALPHABET[value])
    return "".join(chars[:length])
