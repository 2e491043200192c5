"""What every request handler may need, built once per process."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from till.config import Settings
from till.core.clock import Clock


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    # Domain services that need process-wide objects (the payment processor,
    # the webhook dispatcher's wake-up signal) register them here by name.
    extras: dict[str, Any] = field(default_factory=dict)
    # SQLite admits one writer at a time and makes the others poll with
    # growing sleeps; queueing this process's writing requests on a lock
    # instead keeps their latency flat.
    sqlite_writes: asyncio.Lock = field(default_factory=asyncio.Lock)
