"""The command line, run as a user would: a subprocess per command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.databases import ScratchDatabase


def till(
    database: ScratchDatabase | None, *args: str, cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, TILL_SECRET_KEY="cli-test-secret-" + "z" * 32, **env)
    if database is not None:
        full_env["TILL_DATABASE_URL"] = database.url
    return subprocess.run(
        [sys.executable, "-m", "till.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=60,
    )


def test_merchant_and_key_lifecycle(database: ScratchDatabase, tmp_path: Path) -> None:
    created = till(
        database, "merchants", "create", "CLI Shop", "--country", "de", cwd=tmp_path
    )
    assert created.returncode == 0, created.stderr
    merchant_id = created.stdout.strip()
    assert re.fullmatch(r"bus_[A-Za-z0-9]{24}", merchant_id)

    key = till(
        database,
        "keys",
        "create",
        "--merchant",
        merchant_id,
        "--mode",
        "live",
        cwd=tmp_path,
    )
    assert key.returncode == 0, key.stderr
    # Only the secret on stdout, so scripts can capture it.
    assert re.fullmatch(r"till_live_sk_[A-Za-z0-9]{32}\n", key.stdout)

    listed = till(database, "keys", "list", "--merchant", merchant_id, cwd=tmp_path)
    key_id, mode, _prefix, status = listed.stdout.strip().split("\t")
    assert (mode, status) == ("live", "active")
    assert key.stdout.strip() not in listed.stdout

    revoked = till(database, "keys", "revoke", key_id, cwd=tmp_path)
    assert revoked.returncode == 0
    again = till(database, "keys", "revoke", key_id, cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr.startswith("till: No API key")


def test_key_for_unknown_merchant_fails_cleanly(
    database: ScratchDatabase, tmp_path: Path
) -> None:
    result = till(database, "keys", "create", "--merchant", "bus_nope", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_bad_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = till(None, "migrate", cwd=tmp_path, TILL_DATABASE_URL="mysql://x/y")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "TILL_DATABASE_URL" in result.stderr


def test_demo_seeds_once_and_prints_the_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert till(None, "migrate", cwd=tmp_path, TILL_DATABASE_URL=url).returncode == 0
    first = till(None, "demo", "--if-empty", cwd=tmp_path, TILL_DATABASE_URL=url)
    second = till(None, "demo", "--if-empty", cwd=tmp_path, TILL_DATABASE_URL=url)
    key = re.search(r"till_test_sk_[A-Za-z0-9]{32}", first.stdout)
    assert key is not None
    assert key.group(0) in second.stdout
    merchants = till(None, "merchants", "list", cwd=tmp_path, TILL_DATABASE_URL=url)
    assert merchants.stdout.count("Demo Store") == 1


def test_merchant_settings_from_the_command_line(
    database: ScratchDatabase, tmp_path: Path
) -> None:
    merchant_id = till(
        database, "merchants", "create", "Hosts", cwd=tmp_path
    ).stdout.strip()
    result = till(
        database,
        "merchants",
        "set",
        merchant_id,
        "--return-host",
        "shop.example.com",
        "--embed-origin",
        "https://shop.example.com",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert '"shop.example.com"' in result.stdout
    bad = till(
        database, "merchants", "set", merchant_id, "--return-host", "a b", cwd=tmp_path
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("till: allowed_return_hosts")
