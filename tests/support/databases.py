"""Throw-away databases for the test suite, migrated through Alembic."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from till.migrate import upgrade

PG_ADMIN_URL = os.environ.get(
    "TILL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@dataclass(frozen=True)
class ScratchDatabase:
    backend: str
    url: str

    @property
    def is_postgres(self) -> bool:
        return self.backend == "postgresql"


def sqlite_database(folder: Path) -> Iterator[ScratchDatabase]:
    url = f"sqlite+aiosqlite:///{folder / 'till.db'}"
    upgrade(url)
    yield ScratchDatabase("sqlite", url)


def postgres_database() -> Iterator[ScratchDatabase]:
    name = f"till_test_{secrets.token_hex(6)}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        raise RuntimeError(
            f"PostgreSQL at {PG_ADMIN_URL} cannot be reached ({exc}); start it, "
            "or set TILL_TEST_SKIP_POSTGRES=1 to run the SQLite half only"
        ) from exc
    base = PG_ADMIN_URL.rsplit("/", 1)[0].split("://", 1)[1]
    url = f"postgresql+asyncpg://{base}/{name}"
    try:
        upgrade(url)
        yield ScratchDatabase("postgresql", url)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
