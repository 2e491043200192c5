"""The floor: the least an endpoint like Till's could cost on this machine.

A FastAPI app, served by uvicorn with the settings ``till serve`` uses, whose
endpoints do only what no checkout server can skip: validate a body like
Till's with Pydantic and make one database round trip with the bare driver
(asyncpg for PostgreSQL, aiosqlite for SQLite). What Till spends above these
figures is its own work: authentication, pricing, the ORM, the quote.

    python -m bench.floor --port 9001 --database postgresql://...
"""

from __future__ import annotations

import argparse
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol

import uvicorn
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

_TABLE = """
CREATE TABLE IF NOT EXISTS bench_floor_sessions (
    id VARCHAR(40) PRIMARY KEY,
    merchant_id VARCHAR(40) NOT NULL,
    body TEXT NOT NULL,
    customer_email VARCHAR(254),
    created_at TIMESTAMP NOT NULL
)
"""


class Line(BaseModel):
    product_id: Annotated[str, Field(min_length=1, max_length=40)]
    quantity: Annotated[int, Field(ge=1, le=10_000)] = 1
    amount: Annotated[int, Field(ge=0)] | None = None


class Customer(BaseModel):
    email: Annotated[str, Field(max_length=254)] | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    customer_id: str | None = None


class Address(BaseModel):
    country: Annotated[str, Field(min_length=2, max_length=2)]
    state: str | None = None
    city: str | None = None
    street: str | None = None
    zipcode: str | None = None


class CheckoutBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    product_cart: Annotated[list[Line], Field(min_length=1, max_length=20)]
    customer: Customer | None = None
    billing_address: Address | None = None
    discount_codes: list[str] | None = None
    metadata: dict[str, str | int | float | bool] = Field(default_factory=dict)
    return_url: str | None = None


class Store(Protocol):
    async def insert(self, row: tuple[Any, ...]) -> None: ...
    async def fetch(self, session_id: str) -> str | None: ...
    async def products(self, ids: list[str]) -> int: ...
    async def close(self) -> None: ...


class PostgresStore:
    def __init__(self, pool: Any) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, url: str) -> PostgresStore:
        import asyncpg  # type: ignore[import-untyped]

        # The same ceiling as Till's SQLAlchemy pool (10 + 20 overflow).
        pool = await asyncpg.create_pool(url, min_size=10, max_size=30)
        await pool.execute(_TABLE)
        return cls(pool)

    async def insert(self, row: tuple[Any, ...]) -> None:
        await self.pool.execute(
            "INSERT INTO bench_floor_sessions VALUES ($1, $2, $3, $4, $5)", *row
        )

    async def fetch(self, session_id: str) -> str | None:
        query = "SELECT body FROM bench_floor_sessions WHERE id = $1"
        body: str | None = await self.pool.fetchval(query, session_id)
        return body

    async def products(self, ids: list[str]) -> int:
        query = "SELECT count(*) FROM products WHERE id = ANY($1::varchar[])"
        count: int = await self.pool.fetchval(query, ids)
        return count

    async def close(self) -> None:
        await self.pool.close()


class SqliteStore:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, path: str) -> SqliteStore:
        import aiosqlite

        # Autocommit: every INSERT is its own transaction, as in Till.
        connection = await aiosqlite.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000"):
            await connection.execute(f"PRAGMA {pragma}")
        await connection.execute(_TABLE)
        return cls(connection)

    async def insert(self, row: tuple[Any, ...]) -> None:
        values = (*row[:4], row[4].isoformat())
        await self.connection.execute(
            "INSERT INTO bench_floor_sessions VALUES (?, ?, ?, ?, ?)", values
        )

    async def fetch(self, session_id: str) -> str | None:
        query = "SELECT body FROM bench_floor_sessions WHERE id = ?"
        async with self.connection.execute(query, (session_id,)) as cursor:
            row = await cursor.fetchone()
        return None if row is None else str(row[0])

    async def products(self, ids: list[str]) -> int:
        marks = ", ".join("?" for _ in ids)
        query = f"SELECT count(*) FROM products WHERE id IN ({marks})"
        async with self.connection.execute(query, ids) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def close(self) -> None:
        await self.connection.close()


async def open_store(database: str) -> Store:
    if database.startswith("postgresql"):
        return await PostgresStore.open(database)
    return await SqliteStore.open(database.removeprefix("sqlite:///"))


def create_app(database: str) -> FastAPI:
    stores: list[Store] = []

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stores.append(await open_store(database))
        yield
        await stores[0].close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/checkouts")
    async def create(body: CheckoutBody, request: Request) -> dict[str, str]:
        session_id = "cks_" + secrets.token_urlsafe(18)
        email = body.customer.email if body.customer else None
        row = (
            session_id,
            request.headers.get("authorization", "")[-12:],
            body.model_dump_json(),
            email,
            datetime.now(UTC).replace(tzinfo=None),
        )
        await stores[0].insert(row)
        return {"session_id": session_id, "checkout_url": f"/session/{session_id}"}

    @app.post("/checkouts/preview")
    async def preview(body: CheckoutBody) -> dict[str, int]:
        found = await stores[0].products(
            [line.product_id for line in body.product_cart]
        )
        return {"lines": found}

    @app.get("/checkouts/{session_id}")
    async def retrieve(session_id: str) -> dict[str, Any]:
        stored = await stores[0].fetch(session_id)
        if stored is None:
            raise HTTPException(404)
        body: dict[str, Any] = json.loads(stored)
        return {"id": session_id, "customer": body.get("customer")}

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    # The settings of `till serve`: one process, no access log.
    uvicorn.run(
        create_app(args.database),
        host="127.0.0.1",
        port=args.port,
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
