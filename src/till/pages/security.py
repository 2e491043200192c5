"""Response headers and cross-site request forgery tokens for the pages.

CSRF tokens are double-submit tokens bound to the browser and to what the
form acts on: ``HMAC(secret_key, scope | browser secret)``, where the browser
secret is a random value in an HttpOnly cookie and the scope is the session
id (or the 3-D Secure token). A page on another site can make the browser
send the cookie, but it cannot read it, so it cannot compute the token.

Inside the merchant's iframe the page is a third party, and browsers send a
``SameSite=Lax`` cookie to a cross-site frame no more than they send it to
any other cross-site request. Embed mode therefore keeps its own cookie,
``SameSite=None; Secure; Partitioned`` (the partition is the merchant's
site, which is all the frame's flow needs). ``Secure`` cookies need https,
except on loopback addresses, which Chromium and Firefox treat as secure
even over plain http; a plain-http public URL on any other host falls back
to ``Lax``, which still works when the merchant's page is on the same site
(ports do not count: ``http://shop.test:8080`` and ``http://shop.test:8000``
are one site). Tokens are accepted against either cookie, so which one a
page used does not matter to the post that follows it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from ipaddress import ip_address
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

CSRF_COOKIE = "till_csrf"
EMBED_CSRF_COOKIE = "till_csrf_embed"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

_PURPOSE = b"till.pages.csrf.v1"
_COOKIE_LIFETIME = 24 * 3600  # as long as a checkout session can live


def new_browser_secret() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret_key: bytes, scope: str, browser_secret: str) -> str:
    message = b"|".join([_PURPOSE, scope.encode(), browser_secret.encode()])
    digest = hmac.new(secret_key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def csrf_valid(
    secret_key: bytes, scope: str, browser_secret: str | None, token: str | None
) -> bool:
    if not browser_secret or not token or not token.isascii():
        return False
    expected = csrf_token(secret_key, scope, browser_secret)
    return hmac.compare_digest(expected.encode(), token.encode())


def browser_secret(request: Request, *, embedded: bool = False) -> str | None:
    """The browser secret of a top-level page, or of a framed one."""
    value = request.cookies.get(EMBED_CSRF_COOKIE if embedded else CSRF_COOKIE)
    # A cookie value we did not set (too short to be ours) is treated as none.
    return value if value and len(value) >= 32 else None


def matching_secret(
    secret_key: bytes, scope: str, request: Request, token: str | None
) -> str | None:
    """The browser secret ``token`` was made from, of either cookie; None
    when the token matches neither (a forged post or a lost cookie)."""
    for embedded in (False, True):
        secret = browser_secret(request, embedded=embedded)
        if csrf_valid(secret_key, scope, secret, token):
            return secret
    return None


def remember_browser(
    response: Response, value: str, *, public_url: str, embedded: bool = False
) -> None:
    # SameSite=Lax still sends the cookie on the top-level form post and on
    # the redirects back from the 3-D Secure page.
    secure = public_url.startswith("https://")
    if embedded and (secure or is_loopback(public_url)):
        # Written by hand: the standard library's cookie writer learns the
        # Partitioned attribute only in Python 3.14. The value is our own
        # URL-safe token, so it needs no quoting.
        response.headers.append(
            "set-cookie",
            f"{EMBED_CSRF_COOKIE}={value}; Max-Age={_COOKIE_LIFETIME}; Path=/; "
            "HttpOnly; Secure; SameSite=None; Partitioned",
        )
        return
    response.set_cookie(
        EMBED_CSRF_COOKIE if embedded else CSRF_COOKIE,
        value,
        max_age=_COOKIE_LIFETIME,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(
    form_targets: Iterable[str] = (), frame_ancestors: Iterable[str] = ()
) -> str:
    """The policy of every hosted page.

    Scripts and styles come only from Till itself, with no inline code at all
    (the page's script toggles classes, never style attributes). Forms may
    post only to Till, plus the origins a successful post redirects to:
    browsers apply ``form-action`` to the redirect of a form post too. No
    page may be framed, except an embed-mode page by the merchant's listed
    origins (already checked to be source expressions, see ``embedding``).
    """
    targets = " ".join(["'self'", *sorted(set(form_targets))])
    ancestors = " ".join(frame_ancestors) or "'none'"
    directives = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        f"form-action {targets}",
        "base-uri 'none'",
        f"frame-ancestors {ancestors}",
    ]
    return "; ".join(directives)


def apply_page_headers(
    response: Response,
    form_targets: Iterable[str] = (),
    frame_ancestors: Iterable[str] = (),
) -> None:
    ancestors = tuple(frame_ancestors)
    response.headers["content-security-policy"] = content_security_policy(
        form_targets, ancestors
    )
    response.headers["x-content-type-options"] = "nosniff"
    response.headers["referrer-policy"] = "no-referrer"
    # X-Frame-Options cannot name an origin; where framing is allowed the
    # policy's frame-ancestors alone decides (browsers prefer it anyway).
    if not ancestors:
        response.headers["x-frame-options"] = "DENY"
    # Pages carry a buyer's details and a form token: never keep them in a
    # shared cache or the back-forward cache of another user.
    response.headers["cache-control"] = "no-store"
