"""Pure ASGI middleware: request ids and access logs, body size limits.

Written against raw ASGI rather than ``BaseHTTPMiddleware`` because they sit
on every request's hot path and must not buffer streaming bodies.
"""

from __future__ import annotations

import json
import time

import structlog
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from till.core.ids import random_token

log = structlog.get_logger("till.http")


class RequestLog:
    """One structured line per request, and an ``x-request-id`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = "req_" + random_token(16)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "http.request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                request_id=request_id,
                merchant_id=scope["state"].get("merchant_id"),
            )


class BodyLimit:
    """Guard what reaches the handlers: size, and no NUL characters.

    Bodies over ``limit`` bytes get 413, streamed or not. A NUL character in
    the path, the query or a JSON body gets 400: PostgreSQL cannot store one
    in text, and no field of Till's has a use for it.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (
            not declared.isdigit() or int(declared) > self.limit
        ):
            await _refuse(send, 413, "PAYLOAD_TOO_LARGE", _too_large(self.limit))
            return
        query = scope["query_string"]
        if _has_nul(query) and scope["path"].startswith(_FORGIVING_PATHS):
            scope = dict(scope, query_string=_without_nul_pairs(query))
        if _has_nul(scope["path"].encode()) or _has_nul(scope["query_string"]):
            await _refuse(send, 400, "NUL_CHARACTER", _NUL_MESSAGE)
            return
        await self.app(scope, self._checking(receive), send)

    def _checking(self, receive: Receive) -> Receive:
        seen = 0
        tail = b""

        async def checked() -> Message:
            nonlocal seen, tail
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                seen += len(chunk)
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
                # Keep a few bytes so an escape split across chunks is seen.
                if _has_nul(tail + chunk):
                    raise HTTPException(400, _NUL_MESSAGE)
                tail = chunk[-6:]
            return message

        return checked


_NUL_MESSAGE = "Text may not contain NUL characters."

# Payment links promise never to fail on a parameter typo: there a bad
# parameter is dropped instead of refused.
_FORGIVING_PATHS = ("/buy/", "/l/")


def _without_nul_pairs(query: bytes) -> bytes:
    return b"&".join(pair for pair in query.split(b"&") if not _has_nul(pair))


def _has_nul(raw: bytes) -> bool:
    return b"\x00" in raw or b"\\u0000" in raw or b"%00" in raw


def _too_large(limit: int) -> str:
    return f"Request bodies are limited to {limit} bytes."


class BodyTooLarge(HTTPException):
    """Raised mid-stream; an HTTPException so body parsing lets it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))
        self.limit = limit


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"code": code, "message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
