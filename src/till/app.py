"""The ASGI application: routers of every domain, middleware, lifecycle."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from till.config import Settings, load_settings
from till.core.clock import Clock, SystemClock
from till.db import make_engine, make_sessionmaker
from till.http.context import AppContext
from till.http.errors import install_error_handlers
from till.http.middleware import BodyLimit, RequestLog
from till.logs import configure_logging

# Each domain contributes a router and, optionally, a start-up hook that
# receives the context (to register a processor, start a worker loop, ...).
StartupHook = Callable[[AppContext], Awaitable[Callable[[], Awaitable[None]] | None]]


def _routers() -> list[APIRouter]:
    from till.catalog.routes import router as products
    from till.checkout.routes import countries_router
    from till.checkout.routes import router as checkouts
    from till.customers.routes import router as customers
    from till.dashboard.routes import router as dashboard
    from till.discounts.routes import router as discounts
    from till.http.health import router as health
    from till.links.public_routes import router as link_pages
    from till.links.routes import router as short_links
    from till.merchants.routes import router as merchant
    from till.pages.routes import router as pages
    from till.payments.routes import router as payments
    from till.refunds.routes import router as refunds
    from till.subscriptions.routes import router as subscriptions
    from till.webhooks.routes import router as webhooks

    # Routes are matched in order: the checkout API, the hot path, comes
    # first; the many dashboard and page routes last.
    return [
        checkouts,
        countries_router,
        health,
        # Before products: /products/short_links is not a product id.
        short_links,
        products,
        customers,
        discounts,
        payments,
        subscriptions,
        refunds,
        webhooks,
        merchant,
        link_pages,
        pages,
        dashboard,
    ]


def _startup_hooks() -> list[StartupHook]:
    from till.payments.startup import install_processor
    from till.webhooks.runner import start_worker

    return [install_processor, start_worker]


def _settle_garbage_collector() -> None:
    # Everything alive after start-up (modules, routes, compiled schemas) lives
    # as long as the process: moving it out of the collector's sight, and
    # collecting young objects less often, keeps full collections from
    # pausing requests in the middle of a burst.
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_json)
    engine = make_engine(settings.database_url)
    ctx = AppContext(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        clock=clock or SystemClock(),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stops = [await hook(ctx) for hook in _startup_hooks()]
        if settings.tune_gc:
            _settle_garbage_collector()
        try:
            yield
        finally:
            for stop in reversed([s for s in stops if s is not None]):
                await stop()
            await engine.dispose()

    app = FastAPI(
        title="Till",
        version="0.1.0",
        description="Self-hostable checkout speaking the Dodo Payments wire format.",
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    install_error_handlers(app)
    for router in _routers():
        app.include_router(router)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(RequestLog)
    return app
