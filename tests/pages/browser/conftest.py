"""Chromium, a merchant's API client on the real server, and a return page."""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page

from tests.support.browser import launch_chromium, open_page, record
from tests.support.factory import MerchantKit
from tests.support.server import ServerProcess


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    # One browser for the whole run; each test gets its own context (cookies,
    # storage), which is as isolated as a fresh browser and much faster.
    async with launch_chromium() as browser:
        yield browser


@dataclass
class Tab:
    """A page plus what it reported: dialogs opened, console messages."""

    page: Page
    dialogs: list[str]
    console: list[str]
    shots: Path

    async def screenshot(self, name: str) -> None:
        await self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)


@pytest.fixture
async def tab(
    chromium: Browser, output_dir: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Tab]:
    # Parametrize ``tab`` indirectly with False for a browser without scripts.
    scripts = bool(getattr(request, "param", True))
    context, page = await open_page(
        chromium, timeout_ms=10_000, java_script_enabled=scripts
    )
    dialogs: list[str] = []
    console: list[str] = []
    record(page, dialogs=dialogs, console=console, accept=False)
    folder = output_dir / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    yield Tab(page, dialogs, console, folder)
    await context.close()


def shot_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")


class MerchantApi:
    """The merchant's backend: products, discounts and sessions over HTTP."""

    def __init__(self, server: ServerProcess, kit: MerchantKit) -> None:
        self.http = httpx.Client(base_url=server.url, headers=kit.headers(), timeout=15)

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        reply = self.http.post(path, json=body or {})
        assert reply.status_code == 200, reply.text
        data: dict[str, Any] = reply.json()
        return data

    def get(self, path: str) -> dict[str, Any]:
        reply = self.http.get(path)
        assert reply.status_code == 200, reply.text
        data: dict[str, Any] = reply.json()
        return data

    def product(self, body: dict[str, Any]) -> str:
        return str(self.post("/products", body)["product_id"])

    def session(self, product_ids: list[str], **body: Any) -> str:
        cart = [{"product_id": pid, "quantity": 1} for pid in product_ids]
        return str(
            self.post("/checkouts", {"product_cart": cart, **body})["session_id"]
        )


@pytest.fixture
def api(server: ServerProcess, merchant: MerchantKit) -> Iterator[MerchantApi]:
    client = MerchantApi(server, merchant)
    yield client
    client.http.close()


@dataclass
class Receiver:
    """A merchant's return page: answers every GET and remembers the paths."""

    url: str
    hits: list[str]


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b"<!doctype html><title>Shop</title><h1>Thanks from the shop</h1>"
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Receiver(f"http://127.0.0.1:{httpd.server_address[1]}", hits)
    httpd.shutdown()
    httpd.server_close()
