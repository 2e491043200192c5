"""Debian's Chromium under Playwright, started the same way by every browser test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

# Playwright's own browser download is not used: the system package is.
CHROMIUM = "/usr/bin/chromium"
# No sandbox (containers), and nothing that phones home or updates itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@asynccontextmanager
async def launch_chromium() -> AsyncIterator[Browser]:
    """A headless Chromium, closed on leaving."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            await browser.close()


async def open_page(
    browser: Browser, *, timeout_ms: int, **options: Any
) -> tuple[BrowserContext, Page]:
    """A fresh context (its own cookies and storage) with one page in it."""
    context = await browser.new_context(**options)
    context.set_default_timeout(timeout_ms)
    return context, await context.new_page()


def record(page: Page, *, dialogs: list[str], console: list[str], accept: bool) -> None:
    """Keep the page's dialog and console messages; answer every dialog."""

    async def answer(dialog: Any) -> None:
        dialogs.append(dialog.message)
        await (dialog.accept() if accept else dialog.dismiss())

    page.on("dialog", answer)
    page.on("console", lambda message: console.append(message.text))
