"""FastAPI dependencies: the database session, the clock, the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import Clock
from till.http.context import AppContext
from till.merchants import service as merchants
from till.merchants.errors import MalformedApiKey, MissingApiKey
from till.merchants.keys import Principal


def context_of(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


# Dependencies are ``async`` even when they do not await: FastAPI runs plain
# functions in a worker thread, a hop that costs more than the work here.
async def get_context(request: Request) -> AppContext:
    return context_of(request)


_READS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    ctx: AppContext = request.app.state.ctx
    if ctx.settings.is_sqlite and request.method not in _READS:
        async with ctx.sqlite_writes, ctx.sessions() as session:
            yield session
        return
    async with ctx.sessions() as session:
        yield session


async def get_unqueued_db(request: Request) -> AsyncIterator[AsyncSession]:
    """A session that never waits on the SQLite writer queue: for routes
    whose writes go through services that open their own transactions (the
    hosted page's pay flow), so a slow card charge queues nobody else."""
    ctx: AppContext = request.app.state.ctx
    async with ctx.sessions() as session:
        yield session


async def get_clock(request: Request) -> Clock:
    ctx: AppContext = request.app.state.ctx
    return ctx.clock


async def get_principal(
    request: Request, db: Annotated[AsyncSession, Depends(get_db)]
) -> Principal:
    header = request.headers.get("authorization")
    if not header:
        raise MissingApiKey()
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise MalformedApiKey()
    principal = await merchants.authenticate(db, secret.strip())
    request.state.merchant_id = principal.merchant_id
    return principal


Db = Annotated[AsyncSession, Depends(get_db)]
UnqueuedDb = Annotated[AsyncSession, Depends(get_unqueued_db)]
Caller = Annotated[Principal, Depends(get_principal)]
Now = Annotated[Clock, Depends(get_clock)]
Ctx = Annotated[AppContext, Depends(get_context)]
