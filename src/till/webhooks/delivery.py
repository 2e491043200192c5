"""One HTTP attempt: send a signed event to one endpoint and observe the answer.

Nothing here touches the database; the worker records what this returns.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from till.webhooks.ssrf import Destination, UnsafeDestination, check_destination

TIMEOUT_SECONDS = 15.0
BODY_KEEP_BYTES = 2048
ERROR_KEEP_CHARS = 500


@dataclass(frozen=True)
class Outcome:
    """What one attempt saw. ``status_code`` is None when nothing answered."""

    status_code: int | None
    body: str | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def new_http_client() -> httpx.AsyncClient:
    # No keep-alive: connections are opened to a checked address with the
    # endpoint's name for TLS, and a pooled connection made for one host must
    # not carry a request for another host that shares the address.
    return httpx.AsyncClient(
        timeout=httpx.Timeout(TIMEOUT_SECONDS),
        follow_redirects=False,
        limits=httpx.Limits(max_keepalive_connections=0),
        trust_env=False,
    )


async def attempt(
    http: httpx.AsyncClient,
    url: str,
    mode: str,
    headers: dict[str, str],
    body: str,
    *,
    allow_private: bool,
) -> Outcome:
    """Check the URL again, then POST once; never raises for network trouble."""
    started = time.monotonic()
    try:
        destination = await check_destination(url, mode, allow_private=allow_private)
        assert destination is not None  # must_resolve=True never returns None
        async with asyncio.timeout(TIMEOUT_SECONDS):
            status, text = await _post(http, destination, headers, body)
    except UnsafeDestination as exc:
        return _failure(started, f"refused: {exc}")
    except (httpx.TimeoutException, TimeoutError):
        return _failure(started, f"timed out after {TIMEOUT_SECONDS:.0f} s")
    except httpx.HTTPError as exc:
        return _failure(started, f"{type(exc).__name__}: {exc}")
    return Outcome(status, text, None, _elapsed_ms(started))


async def _post(
    http: httpx.AsyncClient,
    destination: Destination,
    headers: dict[str, str],
    body: str,
) -> tuple[int, str]:
    # Connect to the address that passed the check, naming the host in the
    # Host header and in TLS, so DNS cannot change between check and connect.
    request = http.build_request(
        "POST",
        pinned_url(destination),
        content=body.encode(),
        # identity: the kept 2 KB are raw bytes, never a decompressed bomb.
        headers={
            **headers,
            "host": _netloc(destination.url),
            "accept-encoding": "identity",
        },
        extensions={"sni_hostname": destination.host},
    )
    response = await http.send(request, stream=True)
    try:
        kept = bytearray()
        async for chunk in response.aiter_raw():
            kept.extend(chunk)
            if len(kept) >= BODY_KEEP_BYTES:
                break
    finally:
        await response.aclose()
    text = bytes(kept[:BODY_KEEP_BYTES]).decode("utf-8", errors="replace")
    return response.status_code, text


def pinned_url(destination: Destination) -> str:
    parts = urlsplit(destination.url)
    address = destination.address
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{parts.port}" if parts.port else host


def _failure(started: float, error: str) -> Outcome:
    return Outcome(None, None, error[:ERROR_KEEP_CHARS], _elapsed_ms(started))


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
