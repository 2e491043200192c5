"""Settings read from the environment, checked once at start-up.

A missing or malformed setting stops the process with one line that names the
variable and says what is wrong: :class:`SettingsError`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./till.db"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    public_url: str = DEFAULT_PUBLIC_URL
    secret_key: str = field(default="", repr=False)
    max_body_bytes: int = 1_048_576
    run_worker: bool = True
    webhook_allow_private: bool = False
    abandoned_after_minutes: int = 60
    pay_attempts_per_client_hour: int = 30
    log_level: str = "info"
    log_json: bool = False
    # Freeze start-up objects and collect less often (see app.py); off where
    # many apps share one process, as in the test suite.
    tune_gc: bool = True

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secret_bytes(self) -> bytes:
        return self.secret_key.encode()


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste and pick the async driver for them."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.split(":///", 1)[1]
    if url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return url
    raise SettingsError(
        f"TILL_DATABASE_URL: unsupported URL {url.split('://')[0]!r}; "
        "use sqlite:///PATH or postgresql://USER@HOST/DB"
    )


def _public_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"TILL_PUBLIC_URL: {raw!r} is not an http(s) origin")
    if parts.path not in ("", "/") or parts.query:
        raise SettingsError(f"TILL_PUBLIC_URL: {raw!r} must be an origin, no path")
    return f"{parts.scheme}://{parts.netloc}"


def _int(env: Mapping[str, str], name: str, default: int, low: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: {raw!r} is not a whole number") from None
    if value < low:
        raise SettingsError(f"{name}: must be at least {low}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}: {raw!r} is not a boolean (true/false)")


def _secret_key(env: Mapping[str, str], database_url: str) -> str:
    raw = env.get("TILL_SECRET_KEY", "")
    if raw:
        if len(raw) < 32:
            raise SettingsError("TILL_SECRET_KEY: must be at least 32 characters")
        return raw
    if not database_url.startswith("sqlite"):
        raise SettingsError(
            "TILL_SECRET_KEY: required when the database is not the embedded SQLite"
        )
    return _local_secret(database_url)


def _local_secret(database_url: str) -> str:
    # The embedded setup keeps a generated key beside its database file, so
    # `make run` needs no configuration and restarts keep signed links valid.
    db_path = database_url.split(":///", 1)[1] or "till.db"
    key_file = Path(db_path).with_suffix(".secret")
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    database_url = normalise_database_url(
        env.get("TILL_DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    return Settings(
        database_url=database_url,
        public_url=_public_url(env.get("TILL_PUBLIC_URL") or DEFAULT_PUBLIC_URL),
        secret_key=_secret_key(env, database_url),
        max_body_bytes=_int(env, "TILL_MAX_BODY_BYTES", 1_048_576, 1024),
        run_worker=_bool(env, "TILL_RUN_WORKER", True),
        webhook_allow_private=_bool(env, "TILL_WEBHOOK_ALLOW_PRIVATE", False),
        abandoned_after_minutes=_int(env, "TILL_ABANDONED_AFTER_MINUTES", 60, 1),
        pay_attempts_per_client_hour=_int(
            env, "TILL_PAY_ATTEMPTS_PER_CLIENT_HOUR", 30, 1
        ),
        log_level=env.get("TILL_LOG_LEVEL", "info").lower(),
        log_json=_bool(env, "TILL_LOG_JSON", False),
        tune_gc=_bool(env, "TILL_TUNE_GC", True),
    )
