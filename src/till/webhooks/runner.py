"""The worker loop, inside ``till serve`` (a start-up hook) or ``till worker``.

The loop keeps up to ``concurrency`` deliveries in flight, each its own task,
so a slow or dead endpoint holds one slot for at most 15 s and never the
others. It looks for due deliveries when woken by a commit in this process
that recorded events, and otherwise every :data:`POLL_SECONDS`, which is how
events recorded by another process (another server, a CLI) are picked up
promptly.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import structlog

from till.config import Settings
from till.core.clock import Clock, SystemClock
from till.db import make_engine, make_sessionmaker
from till.http.context import AppContext
from till.webhooks import maintenance
from till.webhooks.delivery import new_http_client
from till.webhooks.outbox import register_waker, unregister_waker
from till.webhooks.worker import (
    DEFAULT_CONCURRENCY,
    MAINTENANCE_SECONDS,
    POLL_SECONDS,
    STOP_GRACE_SECONDS,
    Job,
    claim_due,
    deliver,
)

log = structlog.get_logger(__name__)

EXTRAS_KEY = "webhook_worker"
ERROR_BACKOFF_SECONDS = 2.0


class WorkerLoop:
    def __init__(
        self,
        ctx: AppContext,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wall: Clock | None = None,
    ) -> None:
        self.ctx = ctx
        self.concurrency = concurrency
        self.wall = wall or SystemClock()
        self.stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._next_maintenance = 0.0

    async def run(self) -> None:
        """Deliver until :meth:`stop` is called."""
        register_waker(self._wake)
        log.info("worker.started", concurrency=self.concurrency)
        try:
            async with new_http_client() as http:
                while not self.stopping.is_set():
                    try:
                        await self._step(http)
                    except Exception:
                        log.exception("worker.step_failed")
                        await self._pause(ERROR_BACKOFF_SECONDS)
                await self._drain()
        finally:
            unregister_waker(self._wake)
            log.info("worker.stopped")

    def stop(self) -> None:
        self.stopping.set()
        self._wake.set()

    async def _step(self, http: httpx.AsyncClient) -> None:
        await self._maintain_when_due()
        self._wake.clear()
        free = self.concurrency - len(self._tasks)
        jobs = await claim_due(self.ctx, free) if free > 0 else []
        for job in jobs:
            self._spawn(job, http)
        if free > 0 and len(jobs) == free:
            return  # every slot was filled: more may be due right now
        await self._idle(slots_full=free == 0)

    def _spawn(self, job: Job, http: httpx.AsyncClient) -> None:
        task = asyncio.create_task(self._deliver(job, http))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, job: Job, http: httpx.AsyncClient) -> None:
        try:
            await deliver(self.ctx, job, http, self.wall)
        except Exception:
            # The claim stays leased and is retried once the lease runs out.
            log.exception("worker.delivery_crashed", delivery_id=job.delivery_id)

    async def _idle(self, *, slots_full: bool) -> None:
        waiters: set[asyncio.Future[Any]] = {asyncio.ensure_future(self._wake.wait())}
        if slots_full:
            waiters.update(self._tasks)  # a finished delivery frees a slot
        try:
            await asyncio.wait(
                waiters, timeout=POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in waiters:
                if waiter not in self._tasks:
                    waiter.cancel()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    async def _maintain_when_due(self) -> None:
        if time.monotonic() < self._next_maintenance:
            return
        self._next_maintenance = time.monotonic() + MAINTENANCE_SECONDS
        try:
            await maintenance.run(self.ctx)
        except Exception:
            # A broken chore must not stop deliveries; it is tried again later.
            log.exception("worker.maintenance_failed")

    async def _drain(self) -> None:
        # Give deliveries in flight a moment; those cut off stay leased and
        # are sent again by the next worker after the lease runs out.
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=STOP_GRACE_SECONDS)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)


async def start_worker(ctx: AppContext) -> Callable[[], Awaitable[None]] | None:
    """Start-up hook of ``till serve``: run the loop unless TILL_RUN_WORKER=false."""
    if not ctx.settings.run_worker:
        return None
    loop = WorkerLoop(ctx)
    ctx.extras[EXTRAS_KEY] = loop
    task = asyncio.create_task(loop.run())

    async def stop() -> None:
        loop.stop()
        await task

    return stop


async def run_standalone(settings: Settings, concurrency: int) -> None:
    """``till worker``: the loop alone, until SIGTERM or SIGINT."""
    engine = make_engine(settings.database_url)
    ctx = AppContext(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        clock=SystemClock(),
    )
    loop = WorkerLoop(ctx, concurrency=concurrency)
    running = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        running.add_signal_handler(sig, loop.stop)
    try:
        await loop.run()
    finally:
        await engine.dispose()
