"""The payment processor every pay attempt goes through.

It lives in ``ctx.extras["processor"]``: the start-up hook puts the sandbox
there, and a deployment with a real processor would put its adapter there
instead (any object implementing ``PaymentProcessor``).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

import structlog

from till.http.context import AppContext
from till.payments.processors import PaymentProcessor, SandboxProcessor

log = structlog.get_logger(__name__)

PROCESSOR = "processor"
_MIN_KEY_BYTES = 16


def processor_of(ctx: AppContext) -> PaymentProcessor:
    """The context's processor, creating the sandbox on first use (a context
    built outside the app's lifespan, as scripts and tests do, has none)."""
    processor: PaymentProcessor | None = ctx.extras.get(PROCESSOR)
    if processor is None:
        processor = _sandbox(ctx)
        ctx.extras[PROCESSOR] = processor
    return processor


def _sandbox(ctx: AppContext) -> SandboxProcessor:
    key = ctx.settings.secret_bytes
    if len(key) < _MIN_KEY_BYTES:
        # Loaded settings always carry a key; a hand-built Settings may not.
        # A key of this process alone still works, but a 3-D Secure challenge
        # started here cannot be finished by another process.
        log.warning("payments.ephemeral_sandbox_key")
        key = secrets.token_bytes(32)
    return SandboxProcessor(key, ctx.clock, ctx.settings.public_url)


async def install_processor(
    ctx: AppContext,
) -> Callable[[], Awaitable[None]] | None:
    """Start-up hook: register the processor before the first request."""
    processor_of(ctx)
    return None
