"""``Idempotency-Key``: one object per key, the first answer for every retry.

The key's row is inserted in the same transaction as the object the request
creates. Two concurrent requests with one key therefore race on the row's
primary key: the database makes the second wait until the first commits, then
refuses its insert, and the second replays the stored answer. A crash before
the commit leaves neither the object nor the key, so the retry starts afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar

import structlog
from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Integer, String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from till.core.clock import Clock
from till.core.errors import Conflict, FieldInvalid
from till.db import Base, UTCDateTime
from till.http.deps import Caller, Db, Now
from till.merchants.keys import Principal

log = structlog.get_logger(__name__)

M = TypeVar("M", bound=BaseModel)

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"

    merchant_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    mode: Mapped[str] = mapped_column(String(4), primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer, default=200)
    response_body: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdempotencyKeyReused(Conflict):
    code = "IDEMPOTENCY_KEY_REUSED"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was used with a different request body.",
            field="Idempotency-Key",
        )


class IdempotencyKeyInvalid(FieldInvalid):
    def __init__(self) -> None:
        super().__init__(
            "Idempotency-Key", f"must be 1 to {MAX_KEY_LENGTH} printable characters"
        )


class IdempotencyScope:
    """Runs one create under an optional idempotency key, then commits."""

    def __init__(
        self,
        db: AsyncSession,
        clock: Clock,
        who: Principal,
        key: str | None,
        fingerprint: str,
    ) -> None:
        self.db, self.clock, self.who = db, clock, who
        self.key, self.fingerprint = key, fingerprint

    async def run(
        self, operation: Callable[[], Awaitable[M]], _model: type[M]
    ) -> M | Response:
        if self.key is None:
            result = await operation()
            await self.db.commit()
            return result
        record = await self._claim()
        if record is None:
            replayed = await self._replay()
            if replayed is not None:
                return replayed
            # The stored key had outlived its lifetime and is gone: claim anew.
            record = await self._claim()
            if record is None:
                raise Conflict("A request with this Idempotency-Key is in progress.")
        result = await operation()
        record.response_body = result.model_dump(mode="json")
        await self.db.commit()
        return result

    async def _claim(self) -> IdempotencyRecord | None:
        assert self.key is not None
        record = IdempotencyRecord(
            merchant_id=self.who.merchant_id,
            mode=self.who.mode,
            key=self.key,
            request_hash=self.fingerprint,
            status_code=200,
            created_at=self.clock.now(),
        )
        self.db.add(record)
        try:
            await self.db.flush()
        except IntegrityError:
            await self.db.rollback()
            return None
        return record

    async def _replay(self) -> Response | None:
        """The stored answer; ``None`` when the key had expired (now deleted)."""
        stored = await self.db.get(
            IdempotencyRecord, (self.who.merchant_id, self.who.mode, self.key)
        )
        if stored is None or stored.response_body is None:
            raise Conflict("A request with this Idempotency-Key is in progress.")
        if self.clock.now() - stored.created_at > KEY_LIFETIME:
            await self._forget(stored)
            return None
        if stored.request_hash != self.fingerprint:
            raise IdempotencyKeyReused()
        log.info("idempotency.replayed", merchant_id=self.who.merchant_id)
        return JSONResponse(
            stored.response_body,
            status_code=stored.status_code,
            headers={"idempotent-replayed": "true"},
        )

    async def _forget(self, stored: IdempotencyRecord) -> None:
        await self.db.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.merchant_id == stored.merchant_id,
                IdempotencyRecord.mode == stored.mode,
                IdempotencyRecord.key == stored.key,
                # Only the expired row: a retry racing this one may have
                # stored a fresh answer under the same key meanwhile.
                IdempotencyRecord.created_at == stored.created_at,
            )
        )
        await self.db.commit()


async def idempotency_scope(
    request: Request, db: Db, clock: Now, who: Caller
) -> IdempotencyScope:
    key = request.headers.get("idempotency-key")
    if key is not None and (
        not key or len(key) > MAX_KEY_LENGTH or not key.isprintable()
    ):
        raise IdempotencyKeyInvalid()
    body = await request.body()
    fingerprint = hashlib.sha256(
        request.method.encode() + b" " + request.url.path.encode() + b"\n" + body
    ).hexdigest()
    return IdempotencyScope(db, clock, who, key, fingerprint)


Idempotent = Annotated[IdempotencyScope, Depends(idempotency_scope)]


async def forget_expired_keys(db: AsyncSession, clock: Clock) -> int:
    """Delete keys past their lifetime; run by the worker loop."""
    cutoff = clock.now() - KEY_LIFETIME
    result = await db.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)
    )
    await db.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
