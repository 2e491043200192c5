"""Signed tokens that let any API process carry on a sandbox charge.

Several API processes serve one database and share no memory, so the sandbox
processor keeps no state of its own: a pending 3-D Secure challenge and a
saved card travel inside their tokens, signed with HMAC-SHA256::

    base64url(claims as JSON) "." base64url(HMAC(key, purpose "." claims))

The purpose is part of what is signed, so a saved-method token cannot be
passed off as an action token or the other way round. Whoever holds a token
can read its claims (a brand, four digits, an expiry date, an amount; never
the card number or the CVC); only the signature makes them trustworthy.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog

from till.payments.processors.cards import CardBrand, CardSummary
from till.payments.processors.codes import FailureCode
from till.payments.processors.errors import (
    ActionTokenExpired,
    InvalidActionToken,
    InvalidMethodToken,
)
from till.payments.processors.sandbox_cards import Behaviour

_log = structlog.get_logger(__name__)

ACTION_TOKEN_LIFETIME = timedelta(minutes=15)

_ACTION_PURPOSE = b"till.sandbox.action.v1"
_METHOD_PURPOSE = b"till.sandbox.method.v1"

# Below 128 bits a leaked token or two would make the key worth guessing.
_MIN_KEY_BYTES = 16


@dataclass(frozen=True)
class ActionClaims:
    """A sandbox charge waiting for the buyer's 3-D Secure challenge.

    ``return_url`` is where the challenge page sends the buyer afterwards; it
    is signed, so the page cannot be turned into an open redirect.
    """

    processor_ref: str
    payment_id: str
    amount: int
    currency: str
    card: CardSummary
    behaviour: Behaviour
    decline_code: FailureCode | None
    save_method: bool
    return_url: str
    expires_at: datetime


@dataclass(frozen=True)
class MethodClaims:
    """A card saved for later charges, as far as the sandbox needs to know."""

    card: CardSummary
    behaviour: Behaviour


class TokenSigner:
    def __init__(self, secret_key: bytes) -> None:
        if len(secret_key) < _MIN_KEY_BYTES:
            raise ValueError(f"secret_key needs at least {_MIN_KEY_BYTES} bytes")
        self._key = secret_key

    def seal_action(self, claims: ActionClaims) -> str:
        body = asdict(claims)
        body["expires_at"] = int(claims.expires_at.timestamp())
        return self._seal(_ACTION_PURPOSE, body)

    def open_action(self, token: str, now: datetime) -> ActionClaims:
        body = self._open(_ACTION_PURPOSE, token)
        if body is None:
            _log.warning("sandbox.action_token_refused", reason="bad_signature")
            raise InvalidActionToken("this server did not issue it")

        claims = _action_claims(body)
        if claims is None:
            _log.warning("sandbox.action_token_refused", reason="unreadable")
            raise InvalidActionToken("its contents are not understood")
        if now >= claims.expires_at:
            _log.info("sandbox.action_token_refused", reason="expired")
            raise ActionTokenExpired(claims.expires_at)
        return claims

    def seal_method(self, claims: MethodClaims) -> str:
        return self._seal(_METHOD_PURPOSE, asdict(claims))

    def open_method(self, token: str) -> MethodClaims:
        body = self._open(_METHOD_PURPOSE, token)
        claims = None if body is None else _method_claims(body)
        if claims is None:
            _log.warning("sandbox.method_token_refused")
            raise InvalidMethodToken("this server did not issue it")
        return claims

    def _seal(self, purpose: bytes, body: dict[str, Any]) -> str:
        text = json.dumps(body, separators=(",", ":"), sort_keys=True)
        payload = _b64encode(text.encode())
        return f"{payload}.{self._sign(purpose, payload)}"

    def _open(self, purpose: bytes, token: str) -> dict[str, Any] | None:
        payload, _, signature = token.partition(".")
        if not token.isascii() or not hmac.compare_digest(
            signature.encode(), self._sign(purpose, payload).encode()
        ):
            return None

        try:
            body = json.loads(_b64decode(payload))
        except (binascii.Error, ValueError):
            return None
        return body if isinstance(body, dict) else None

    def _sign(self, purpose: bytes, payload: str) -> str:
        message = purpose + b"." + payload.encode()
        return _b64encode(hmac.new(self._key, message, hashlib.sha256).digest())


def _action_claims(body: dict[str, Any]) -> ActionClaims | None:
    # A signed body is trusted, but one sealed by an older release may lack a
    # field; such a token is refused rather than half read.
    try:
        decline_code = body["decline_code"]
        return ActionClaims(
            processor_ref=str(body["processor_ref"]),
            payment_id=str(body["payment_id"]),
            amount=int(body["amount"]),
            currency=str(body["currency"]),
            card=_card_summary(body["card"]),
            behaviour=Behaviour(body["behaviour"]),
            decline_code=None if decline_code is None else FailureCode(decline_code),
            save_method=bool(body["save_method"]),
            return_url=str(body["return_url"]),
            expires_at=datetime.fromtimestamp(int(body["expires_at"]), UTC),
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _method_claims(body: dict[str, Any]) -> MethodClaims | None:
    try:
        return MethodClaims(
            card=_card_summary(body["card"]),
            behaviour=Behaviour(body["behaviour"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _card_summary(body: dict[str, Any]) -> CardSummary:
    holder = body["holder_name"]
    return CardSummary(
        brand=CardBrand(body["brand"]),
        last4=str(body["last4"]),
        exp_month=int(body["exp_month"]),
        exp_year=int(body["exp_year"]),
        holder_name=None if holder is None else str(holder),
    )


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
