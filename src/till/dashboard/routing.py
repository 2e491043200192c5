"""The dashboard's route class: errors become pages, not JSON.

The API answers every failure with JSON; a person in a browser should get a
page instead. Wrapping the route handler (which also resolves dependencies)
catches the sign-in redirect, CSRF refusals and domain errors in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from till.core.errors import NotFound, TillError
from till.dashboard.render import error_page
from till.dashboard.security import (
    SECURITY_HEADERS,
    CsrfRejected,
    SignInRequired,
    sign_in_url,
)

log = structlog.get_logger(__name__)


class DashboardRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired as exc:
                response = RedirectResponse(sign_in_url(exc.next_path), 303)
            except CsrfRejected:
                log.warning("dashboard.csrf_rejected", path=request.url.path)
                response = error_page(
                    request,
                    403,
                    "Form expired",
                    "This form was not sent from your dashboard session. "
                    "Reload the page and try again.",
                )
            except NotFound as exc:
                response = error_page(request, 404, "Not found", exc.message)
            except TillError as exc:
                response = error_page(request, exc.status, "Not possible", exc.message)
            except RequestValidationError as exc:
                response = _invalid_request(request, exc)
            except HTTPException as exc:
                response = error_page(
                    request, exc.status_code, "Error", str(exc.detail)
                )
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return guarded


def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    # A malformed path or query means the address is wrong; a malformed form
    # means the page that sent it is out of date.
    places = {str(error.get("loc", ("",))[0]) for error in exc.errors()}
    if places & {"path", "query"}:
        return error_page(request, 404, "Not found", "This address does not exist.")
    return error_page(
        request, 422, "Incomplete form", "The form was incomplete. Go back and retry."
    )
