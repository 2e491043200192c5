"""Signing in and out, the test/live switch, and the dashboard's static files."""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from till.dashboard import auth
from till.dashboard.errors import SignInLocked, SignInRefused
from till.dashboard.render import page
from till.dashboard.routing import DashboardRoute
from till.dashboard.security import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    CsrfRejected,
    CurrentViewer,
    clear_cookie,
    new_sign_in_token,
    safe_next,
    same_token,
    set_cookie,
    settings_of,
)
from till.http.deps import Db, Now

router = APIRouter(prefix="/dashboard", route_class=DashboardRoute)

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript"}
STATIC_FILES = ("dashboard.css", "dashboard.js")


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_form(
    request: Request, db: Db, clock: Now, next: str = "/dashboard"
) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and await auth.find_session(db, token, clock.now()):
        return RedirectResponse(safe_next(next), 303)
    return _sign_in_page(request, next=safe_next(next), email="")


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    db: Db,
    clock: Now,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/dashboard",
) -> Response:
    if not same_token(csrf, request.cookies.get(SIGN_IN_COOKIE, "")):
        raise CsrfRejected()
    try:
        signed = await auth.sign_in(db, clock, email, password)
    except (SignInRefused, SignInLocked) as exc:
        await db.commit()  # the failure count must stick
        reply = _sign_in_page(
            request, next=safe_next(next), email=email, error=exc.message
        )
        reply.status_code = exc.status
        if isinstance(exc, SignInLocked):
            reply.headers["retry-after"] = str(exc.retry_after_seconds)
        return reply
    await db.commit()
    response = RedirectResponse(safe_next(next), 303)
    settings = settings_of(request)
    set_cookie(response, settings, SESSION_COOKIE, signed.token)
    clear_cookie(response, settings, SIGN_IN_COOKIE)
    return response


def _sign_in_page(
    request: Request, *, next: str, email: str, error: str | None = None
) -> HTMLResponse:
    token = request.cookies.get(SIGN_IN_COOKIE) or new_sign_in_token()
    reply = page(
        request, None, "sign_in.html", next=next, email=email, error=error, token=token
    )
    set_cookie(reply, settings_of(request), SIGN_IN_COOKIE, token)
    return reply


@router.post("/sign-out")
async def sign_out(request: Request, viewer: CurrentViewer, db: Db) -> Response:
    await auth.sign_out(db, request.cookies.get(SESSION_COOKIE, ""))
    await db.commit()
    response = RedirectResponse("/dashboard/sign-in", 303)
    clear_cookie(response, settings_of(request), SESSION_COOKIE)
    return response


@router.post("/mode")
async def switch_mode(
    viewer: CurrentViewer,
    db: Db,
    mode: Annotated[str, Form()],
    back: Annotated[str, Form()] = "/dashboard",
) -> Response:
    await auth.switch_mode(db, viewer.session, mode)
    await db.commit()
    # Object pages belong to one mode; the other mode starts at the list.
    return RedirectResponse(_list_of(safe_next(back)), 303)


def _list_of(path: str) -> str:
    return "/".join(path.split("?", 1)[0].split("/")[:3])


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    if name not in STATIC_FILES:
        return Response(status_code=404)
    body = resources.files("till.dashboard").joinpath("static", name).read_bytes()
    suffix = name[name.rindex(".") :]
    return Response(
        body,
        media_type=STATIC_TYPES[suffix],
        headers={"cache-control": "public, max-age=3600"},
    )
