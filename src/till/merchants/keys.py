"""The shape of API keys: ``till_<mode>_sk_<secret>``.

The visible prefix tells test from live at a glance (and lets secret scanners
recognise a leaked key); the random part is what authenticates.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Protocol

from till.core.ids import random_token

MODES = ("test", "live")
_KEY_PATTERN = re.compile(r"^till_(test|live)_sk_[A-Za-z0-9]{32}$")


class Owned(Protocol):
    merchant_id: str
    mode: str


@dataclass(frozen=True)
class Principal:
    """Who is calling: a merchant, in one mode, through one key."""

    merchant_id: str
    mode: str
    key_id: str
    # The merchant's country, when the caller already knows it (the API key
    # lookup reads it in the same query); pricing needs it on every quote.
    country: str | None = None

    def owns(self, obj: Owned) -> bool:
        """Whether ``obj`` is this caller's: same merchant and same mode.

        The one isolation rule of the API; anything else is reported as not
        found, so ids of other merchants' objects do not leak.
        """
        return obj.merchant_id == self.merchant_id and obj.mode == self.mode


def generate_secret(mode: str) -> str:
    return f"till_{mode}_sk_{random_token(32)}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_key(secret: str) -> bool:
    return _KEY_PATTERN.match(secret) is not None


def display_prefix(secret: str) -> str:
    """What the dashboard may show: the mode and four characters."""
    return secret[: len("till_test_sk_") + 4] + "…"
