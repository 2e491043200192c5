"""Cookies, CSRF and the signed-in viewer of a dashboard page.

- The session cookie is HttpOnly, SameSite=Lax, scoped to ``/dashboard`` and
  Secure whenever Till is served over https (``TILL_PUBLIC_URL``).
- Every POST form carries the session's CSRF secret in a hidden ``csrf``
  field; a POST without it, or with another value, is refused with 403.
  The sign-in form, which has no session yet, uses a double-submit cookie.
- Pages may not be framed, and scripts and styles load only from Till.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from till.config import Settings
from till.dashboard import auth
from till.dashboard.models import DashboardSession, DashboardUser
from till.http.deps import context_of, get_db
from till.merchants import service as merchants
from till.merchants.keys import Principal
from till.merchants.models import Merchant

SESSION_COOKIE = "till_dashboard"
SIGN_IN_COOKIE = "till_dashboard_signin"
COOKIE_PATH = "/dashboard"
CSRF_FIELD = "csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The dashboard acts through the same services as the API; this stands in
# for the API key id in logs and audit fields.
DASHBOARD_KEY_ID = "dashboard"

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


class SignInRequired(Exception):
    """No live session: the page redirects to the sign-in form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRejected(Exception):
    """A state-changing form arrived without the session's token."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a dashboard page, and what they may act as."""

    user: DashboardUser
    session: DashboardSession
    merchant: Merchant

    @property
    def who(self) -> Principal:
        return Principal(self.merchant.id, self.session.mode, DASHBOARD_KEY_ID)

    @property
    def mode(self) -> str:
        return self.session.mode

    @property
    def csrf(self) -> str:
        return self.session.csrf_secret

    @property
    def locale(self) -> str:
        return self.merchant.locale


def is_secure(settings: Settings) -> bool:
    return settings.public_url.startswith("https://")


def set_cookie(response: Response, settings: Settings, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=is_secure(settings),
    )


def clear_cookie(response: Response, settings: Settings, name: str) -> None:
    response.delete_cookie(
        name,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=is_secure(settings),
    )


def same_token(sent: str | None, expected: str) -> bool:
    return bool(sent) and hmac.compare_digest(str(sent).encode(), expected.encode())


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(24)


async def form_token(request: Request) -> str | None:
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


def next_path(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return path


def safe_next(target: str | None) -> str:
    """Only dashboard paths: a ``next`` parameter is no open redirect."""
    if not target or not target.startswith("/dashboard"):
        return "/dashboard"
    if "//" in target or "\\" in target:
        return "/dashboard"
    return target


def sign_in_url(next_target: str) -> str:
    return "/dashboard/sign-in?next=" + quote(next_target, safe="/")


async def get_viewer(
    request: Request, db: Annotated[AsyncSession, Depends(get_db)]
) -> Viewer:
    token = request.cookies.get(SESSION_COOKIE)
    moment = context_of(request).clock.now()
    found = await auth.find_session(db, token, moment) if token else None
    if found is None:
        target = next_path(request) if request.method == "GET" else "/dashboard"
        raise SignInRequired(target)
    session, user = found
    if request.method in UNSAFE_METHODS and not same_token(
        await form_token(request), session.csrf_secret
    ):
        raise CsrfRejected()
    merchant = await merchants.get_merchant(db, user.merchant_id)
    viewer = Viewer(user=user, session=session, merchant=merchant)
    request.state.merchant_id = merchant.id
    request.state.viewer = viewer
    return viewer


def settings_of(request: Request) -> Settings:
    return context_of(request).settings


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]
