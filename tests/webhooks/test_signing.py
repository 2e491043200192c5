"""Endpoint secrets: encrypted at rest, bound to their endpoint."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.exceptions import InvalidTag
from standardwebhooks import Webhook

from till.webhooks.signing import (
    decrypt_secret,
    encrypt_secret,
    new_secret,
    signed_headers,
)

MASTER = b"m" * 48


def test_secret_round_trips_and_is_not_stored_in_clear() -> None:
    secret = new_secret()
    stored = encrypt_secret(MASTER, "whk_1", secret)

    assert secret.removeprefix("whsec_") not in stored
    assert decrypt_secret(MASTER, "whk_1", stored) == secret


def test_ciphertext_copied_to_another_endpoint_does_not_decrypt() -> None:
    stored = encrypt_secret(MASTER, "whk_1", new_secret())
    with pytest.raises(InvalidTag):
        decrypt_secret(MASTER, "whk_2", stored)


def test_another_master_key_cannot_read_it() -> None:
    stored = encrypt_secret(MASTER, "whk_1", new_secret())
    with pytest.raises(InvalidTag):
        decrypt_secret(b"n" * 48, "whk_1", stored)


def test_headers_verify_with_standardwebhooks() -> None:
    secret = new_secret()
    body = '{"type":"payment.succeeded"}'
    headers = signed_headers(secret, "evt_1", datetime.now(UTC), body)

    assert headers["webhook-id"] == "evt_1"
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == {"type": "payment.succeeded"}
