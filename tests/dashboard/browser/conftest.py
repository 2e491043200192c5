"""Chromium against a real ``till serve``, signed in as a dashboard user."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize

from tests.dashboard.support import DashUser
from tests.support.browser import launch_chromium, open_page, record
from tests.support.server import ServerProcess

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
async def dashboard_chromium() -> AsyncIterator[Browser]:
    async with launch_chromium() as browser:
        yield browser


@dataclass
class Screen:
    """A signed-in dashboard tab, with what the browser reported."""

    context: BrowserContext
    page: Page
    base: str
    shots: Path
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    async def open(self, path: str) -> None:
        reply = await self.page.goto(self.base + path)
        assert reply is not None and reply.status == 200, path

    async def shot(self, name: str) -> None:
        path = self.shots / f"{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)

    async def text(self, selector: str) -> str:
        return (await self.page.text_content(selector) or "").strip()

    def csp_complaints(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


async def sign_in(page: Page, base: str, user: DashUser) -> None:
    await page.goto(base + "/dashboard")
    assert "/dashboard/sign-in" in page.url
    await page.fill("input[name=email]", user.email)
    await page.fill("input[name=password]", user.password)
    await page.click("button[type=submit]")
    await page.wait_for_url(base + "/dashboard")


@pytest.fixture
async def screen(
    dashboard_chromium: Browser,
    server: ServerProcess,
    user: DashUser,
    output_dir: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Screen]:
    context, page = await open_page(
        dashboard_chromium,
        timeout_ms=15_000,
        permissions=["clipboard-read", "clipboard-write"],
    )
    folder = output_dir / "dashboard"
    folder.mkdir(parents=True, exist_ok=True)
    found = Screen(context, page, server.url, folder)
    record(page, dialogs=found.dialogs, console=found.console, accept=True)
    await sign_in(page, server.url, user)
    yield found
    await context.close()


def bar_heights(svg: str) -> list[int]:
    return [int(h) for h in re.findall(r'<rect class="bar"[^>]*height="(\d+)"', svg)]
