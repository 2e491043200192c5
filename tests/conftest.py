"""Shared fixtures.

Every database test runs twice, on SQLite and on PostgreSQL: the ``backend``
fixture is parametrized and each backend gets a throw-away database migrated
from empty to head through Alembic. PostgreSQL is never skipped silently; set
``TILL_TEST_SKIP_POSTGRES=1`` to leave it out on a machine without one.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.databases import ScratchDatabase, postgres_database, sqlite_database
from tests.support.factory import MerchantKit, make_merchant
from tests.support.server import TEST_SECRET_KEY, ServerProcess, start_server
from till.app import create_app
from till.config import Settings
from till.core.clock import FrozenClock
from till.db import make_engine, make_sessionmaker

BACKENDS = ["sqlite", "postgresql"]
if os.environ.get("TILL_TEST_SKIP_POSTGRES") == "1":
    BACKENDS = ["sqlite"]

OUTPUT = Path(os.environ.get("TILL_TEST_OUTPUT", "test-output"))


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session", params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ScratchDatabase]:
    if request.param == "sqlite":
        yield from sqlite_database(tmp_path_factory.mktemp("sqlite"))
    else:
        yield from postgres_database()


@pytest.fixture(scope="session")
def settings(database: ScratchDatabase) -> Settings:
    return Settings(
        database_url=database.url,
        public_url="http://testserver",
        secret_key=TEST_SECRET_KEY,
        run_worker=False,
        webhook_allow_private=True,
        tune_gc=False,
    )


@pytest.fixture
def clock() -> FrozenClock:
    from datetime import UTC, datetime

    return FrozenClock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[AsyncSession]:
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


@pytest.fixture
async def client(settings: Settings, clock: FrozenClock) -> AsyncIterator[AsyncClient]:
    """The app in-process, with a clock the test can move."""
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


@pytest.fixture
async def merchant(db: AsyncSession, clock: FrozenClock) -> MerchantKit:
    return await make_merchant(db, clock)


@pytest.fixture
async def other_merchant(db: AsyncSession, clock: FrozenClock) -> MerchantKit:
    return await make_merchant(db, clock, name="Other Shop")


@pytest.fixture(scope="session")
def server(
    database: ScratchDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """A real ``till serve`` process on a free port, one per backend."""
    workdir = tmp_path_factory.mktemp("server")
    with start_server(database.url, workdir) as process:
        yield process
