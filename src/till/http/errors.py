"""Every failure leaves Till as ``{"code", "message", "field"?}`` JSON."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException

from till.core.errors import TillError

log = structlog.get_logger(__name__)

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "TOO_MANY_REQUESTS",
}


def error_response(
    status: int, code: str, message: str, field: str | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    return JSONResponse(body, status_code=status)


def _field_path(location: tuple[Any, ...]) -> str:
    """``("body", "product_cart", 0, "quantity")`` → ``product_cart[0].quantity``."""
    path = ""
    for part in location:
        if part in ("body", "query", "path", "header"):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        elif _is_validator_tag(str(part)):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def _is_validator_tag(part: str) -> bool:
    # Pydantic adds the name of a validator or constrained type to the path
    # ("function-after[...]", "constrained-str"); it is not a field.
    return part.startswith(("function-", "constrained-")) or part in (
        "str",
        "int",
        "float",
        "bool",
    )


def _validation_message(error: dict[str, Any]) -> tuple[str, str]:
    field = _field_path(tuple(error.get("loc", ())))
    if error.get("type") == "json_invalid":
        return "body", "The request body is not valid JSON."
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    return field, f"{field}: {message}"


async def _on_till_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TillError)
    return JSONResponse(exc.to_body(), status_code=exc.status)


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    field, message = _validation_message(errors[0]) if errors else ("body", "")
    if field == "body" and errors and errors[0].get("type") == "json_invalid":
        return error_response(400, "INVALID_JSON", message, field)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more)"
    return error_response(422, "VALIDATION_ERROR", message, field)


async def _on_http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
    detail = exc.detail if isinstance(exc.detail, str) else code
    response = error_response(exc.status_code, code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _on_database_down(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    log.warning(
        "http.database_unavailable",
        path=request.url.path,
        error=type(exc.orig).__name__,
        invalidated=exc.connection_invalidated,
    )
    return error_response(
        503, "SERVICE_UNAVAILABLE", "The database did not answer; try again."
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("http.unhandled_error", path=request.url.path)
    return error_response(500, "INTERNAL_ERROR", "Something went wrong on our side.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TillError, _on_till_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(OperationalError, _on_database_down)
    app.add_exception_handler(InterfaceError, _on_database_down)
    app.add_exception_handler(Exception, _on_unexpected)
