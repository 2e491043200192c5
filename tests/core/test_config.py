from __future__ import annotations

from pathlib import Path

import pytest

from till.config import SettingsError, load_settings


def test_defaults_use_embedded_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.database_url == "sqlite+aiosqlite:///./till.db"
    assert settings.public_url == "http://127.0.0.1:8000"
    # The generated local key is kept, so a restart signs with the same key.
    assert load_settings({}).secret_key == settings.secret_key


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"TILL_DATABASE_URL": "mysql://x/y"}, "TILL_DATABASE_URL"),
        ({"TILL_PUBLIC_URL": "ftp://example.com"}, "TILL_PUBLIC_URL"),
        ({"TILL_PUBLIC_URL": "https://example.com/shop"}, "TILL_PUBLIC_URL"),
        ({"TILL_SECRET_KEY": "short"}, "TILL_SECRET_KEY"),
        ({"TILL_DATABASE_URL": "postgresql://u@h/db"}, "TILL_SECRET_KEY"),
        ({"TILL_MAX_BODY_BYTES": "lots"}, "TILL_MAX_BODY_BYTES"),
        ({"TILL_RUN_WORKER": "maybe"}, "TILL_RUN_WORKER"),
    ],
)
def test_bad_setting_is_one_line_naming_the_variable(
    env: dict[str, str], names: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    message = str(caught.value)
    assert message.startswith(names)
    assert "\n" not in message


def test_postgres_url_gets_async_driver() -> None:
    settings = load_settings(
        {"TILL_DATABASE_URL": "postgres://u@h/db", "TILL_SECRET_KEY": "k" * 40}
    )
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
