"""Endpoint secrets: made, kept encrypted, and used to sign deliveries.

Till must read a secret back to sign with it, so it cannot keep a hash. The
secret is encrypted with AES-GCM under a key derived from ``TILL_SECRET_KEY``;
the endpoint id is bound in as associated data, so a ciphertext copied onto
another endpoint's row does not decrypt. Rotating ``TILL_SECRET_KEY`` makes
existing secrets unreadable: endpoints must then be recreated.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
_NONCE_BYTES = 12
_VERSION = "v1"
_KDF_INFO = b"till/webhook-endpoint-secrets/v1"


def new_secret() -> str:
    """``whsec_`` and the base64 of 32 random bytes (Standard Webhooks form)."""
    key = secrets.token_bytes(SECRET_BYTES)
    return SECRET_PREFIX + base64.b64encode(key).decode()


def _cipher(master: bytes) -> AESGCM:
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KDF_INFO)
    return AESGCM(kdf.derive(master))


def encrypt_secret(master: bytes, endpoint_id: str, secret: str) -> str:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = _cipher(master).encrypt(nonce, secret.encode(), endpoint_id.encode())
    return f"{_VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt_secret(master: bytes, endpoint_id: str, stored: str) -> str:
    """Raises ``cryptography.exceptions.InvalidTag`` if the key changed."""
    version, _, packed = stored.partition(".")
    if version != _VERSION:
        raise ValueError(f"unknown secret format {version!r}")
    raw = base64.urlsafe_b64decode(packed)
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    return _cipher(master).decrypt(nonce, sealed, endpoint_id.encode()).decode()


def body_of(payload: dict[str, Any]) -> str:
    """The exact bytes sent: compact JSON, the same for every retry."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def signed_headers(
    secret: str, event_id: str, sent_at: datetime, body: str
) -> dict[str, str]:
    """The Standard Webhooks headers for one attempt.

    ``webhook-id`` is the event id, so a receiver can drop a retry it has
    already processed; the timestamp is the attempt's, as receivers reject
    signatures older than a few minutes.
    """
    signature = Webhook(secret).sign(event_id, sent_at, body)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": "Till-Webhooks/1",
    }
