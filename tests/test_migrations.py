"""Both dialects migrate from empty to head and back, and match the models."""

from __future__ import annotations

import asyncio
from contextlib import closing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from tests.support.databases import ScratchDatabase, postgres_database, sqlite_database
from till import all_models  # noqa: F401
from till.db import Base, make_engine
from till.migrate import downgrade, upgrade


def _diff(database: ScratchDatabase) -> list[object]:
    def compare(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    async def run() -> list[object]:
        engine = make_engine(database.url)
        async with engine.connect() as connection:
            diff = await connection.run_sync(compare)
        await engine.dispose()
        return diff

    return asyncio.run(run())


def test_schema_at_head_matches_the_models(database: ScratchDatabase) -> None:
    assert _diff(database) == []


def test_downgrade_to_empty_and_back(
    database: ScratchDatabase, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A database of its own: the shared one serves the other tests.
    fresh = (
        postgres_database()
        if database.is_postgres
        else sqlite_database(tmp_path_factory.mktemp("migrations"))
    )
    # Closing the generator drops the scratch database even when an
    # assertion fails, instead of leaving that to garbage collection later.
    with closing(fresh):
        scratch = next(fresh)
        downgrade(scratch.url, "base")
        upgrade(scratch.url)
        assert _diff(scratch) == []
