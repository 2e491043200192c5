"""``till users`` and the demo's dashboard login, run as a user would."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from tests.support.databases import ScratchDatabase
from tests.test_cli import till


def _merchant(database: ScratchDatabase, cwd: Path) -> str:
    return till(database, "merchants", "create", "Users Shop", cwd=cwd).stdout.strip()


def test_create_with_a_generated_password_prints_it(
    database: ScratchDatabase, tmp_path: Path
) -> None:
    email = f"cli-{secrets.token_hex(4)}@example.com"
    merchant_id = _merchant(database, tmp_path)
    result = till(
        database,
        "users",
        "create",
        "--merchant",
        merchant_id,
        "--email",
        email,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert f"<{email}>" in result.stdout
    assert re.search(r"^password: \S{16,}$", result.stdout, re.MULTILINE)


def test_create_with_a_chosen_password_does_not_echo_it(
    database: ScratchDatabase, tmp_path: Path
) -> None:
    merchant_id = _merchant(database, tmp_path)
    result = till(
        database,
        "users",
        "create",
        "--merchant",
        merchant_id,
        "--email",
        f"chosen-{secrets.token_hex(4)}@example.com",
        "--password",
        "my own long password",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "my own long password" not in result.stdout
    assert "password:" not in result.stdout


def test_bad_input_fails_with_one_line(
    database: ScratchDatabase, tmp_path: Path
) -> None:
    merchant_id = _merchant(database, tmp_path)
    short = till(
        database,
        "users",
        "create",
        "--merchant",
        merchant_id,
        "--email",
        "short@example.com",
        "--password",
        "short",
        cwd=tmp_path,
    )
    assert short.returncode == 1
    assert short.stderr == "till: password: must be at least 10 characters\n"
    unknown = till(
        database,
        "users",
        "create",
        "--merchant",
        "bus_nope",
        "--email",
        "x@example.com",
        cwd=tmp_path,
    )
    assert unknown.returncode == 1
    assert "Traceback" not in unknown.stderr


def test_demo_prints_a_dashboard_login_once_and_keeps_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert till(None, "migrate", cwd=tmp_path, TILL_DATABASE_URL=url).returncode == 0
    first = till(None, "demo", "--if-empty", cwd=tmp_path, TILL_DATABASE_URL=url)
    second = till(None, "demo", "--if-empty", cwd=tmp_path, TILL_DATABASE_URL=url)
    assert "Sign in as:    demo@till.local" in first.stdout
    password = re.search(r"^Password:\s+(\S+)$", first.stdout, re.MULTILINE)
    assert password is not None
    assert (tmp_path / "till.demo-login").read_text().strip() == password.group(1)
    assert (tmp_path / "till.demo-login").stat().st_mode & 0o077 == 0
    assert f"Password:      {password.group(1)}" in second.stdout
