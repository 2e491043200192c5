"""The hosted checkout page and the sandbox's 3-D Secure challenge page.

Routes answer in HTML (the live quote in JSON, the theme in CSS) and never
let an error reach the API's JSON error handlers: a buyer always lands on a
page that says what happened and what to do next.

Every page is in the session's forced language, else the browser's, else
English (``i18n.choose_locale``), and in embed mode when the query asks for
it and the merchant allows the parent (``embedding``).
"""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from till.checkout.errors import SessionCompleted, SessionExpired, SessionNotFound
from till.checkout.transitions import touch
from till.http.deps import Ctx, UnqueuedDb
from till.http.errors import error_response
from till.pages import screens
from till.pages.embedding import Embed, EmbedRefused, embed_from_query
from till.pages.i18n import choose_locale
from till.pages.loading import load_session
from till.pages.paying import (
    Posted,
    complete_challenge,
    describe_challenge,
    live_quote,
    pay,
    redirect,
)
from till.pages.rendering import STATIC_FILES, static_bytes
from till.pages.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    browser_secret,
    csrf_token,
    matching_secret,
    new_browser_secret,
    remember_browser,
)
from till.pages.submission import FormInvalid, read_submission
from till.pages.views import SessionFacts

log = structlog.get_logger(__name__)

router = APIRouter(tags=["hosted pages"], include_in_schema=False)


def page_locale(request: Request, facts: SessionFacts | None = None) -> str:
    forced = facts.forced_language if facts is not None else None
    return choose_locale(forced, request.headers.get("accept-language"))


@router.get("/session/{session_id}")
async def show_checkout(
    session_id: str, request: Request, db: UnqueuedDb, ctx: Ctx
) -> Response:
    """The checkout page: the order and the pay form; expired → 410 page,
    paid → receipt, unknown → 404 page. ``?embed=1&origin=…`` renders it
    for the merchant's iframe (403 page when the origin is not allowed)."""
    now = ctx.clock.now()
    try:
        _, facts = await load_session(db, session_id, now)
    except SessionNotFound:
        return screens.not_found(page_locale(request))
    locale = page_locale(request, facts)
    try:
        embed = embed_from_query(request.query_params, facts.embed_origins)
    except EmbedRefused:
        log.info("pages.embed_refused", session_id=session_id)
        return screens.embed_refused(facts, locale)
    if facts.status == "expired":
        return screens.expired(facts, locale, embed=embed)
    if facts.status == "completed":
        return screens.receipt(facts, locale, embed=embed)

    await touch(db, session_id, now)
    await db.commit()
    embedded = embed is not None
    secret = browser_secret(request, embedded=embedded)
    fresh = secret is None
    secret = secret or new_browser_secret()
    code, notice = _failure_from_query(request, locale)
    response = screens.checkout(
        facts, locale, csrf_token(_key(ctx), session_id, secret), notice=notice,
        failure_code=code, embed=embed,
    )  # fmt: skip
    if fresh:
        remember_browser(
            response, secret, public_url=ctx.settings.public_url, embedded=embedded
        )
    return response


@router.post("/session/{session_id}/quote")
async def quote_checkout(
    session_id: str, request: Request, db: UnqueuedDb, ctx: Ctx
) -> Response:
    """Live totals for the buyer's current choices; changes nothing.

    Body: a JSON object of the pay form's pricing fields. Needs the page's
    CSRF token in the ``X-CSRF-Token`` header. Errors: 403 token, 404, 409
    session paid or expired, 400/422 a choice to correct (``field`` names the
    form field).
    """
    now = ctx.clock.now()
    try:
        session, facts = await load_session(db, session_id, now)
    except SessionNotFound as exc:
        return JSONResponse(exc.to_body(), status_code=404)
    locale = page_locale(request, facts)
    if facts.status != "open":
        error = SessionExpired if facts.status == "expired" else SessionCompleted
        return JSONResponse(error(session_id).to_body(), status_code=409)
    token = request.headers.get(CSRF_HEADER)
    if matching_secret(_key(ctx), session_id, request, token) is None:
        text = screens.translator(locale).gettext("Reload the page and try again.")
        return error_response(403, "CSRF_FAILED", text)

    values = await _json_values(request)
    if values is None:
        return error_response(400, "INVALID_JSON", "The body must be a JSON object.")
    return await live_quote(db, session, facts, values, now, locale)


@router.post("/session/{session_id}/pay")
async def pay_checkout(
    session_id: str, request: Request, db: UnqueuedDb, ctx: Ctx
) -> Response:
    """The pay form's post: 303 to the result (return URL, receipt or 3-D
    Secure), or the form again with what went wrong (402/403/409/422/429).
    In embed mode every result stays on Till's pages inside the frame."""
    now = ctx.clock.now()
    try:
        _, facts = await load_session(db, session_id, now)
    except SessionNotFound:
        return screens.not_found(page_locale(request))
    locale = page_locale(request, facts)
    try:
        embed = embed_from_query(request.query_params, facts.embed_origins)
    except EmbedRefused:
        return screens.embed_refused(facts, locale)
    if facts.status == "expired":
        return screens.expired(facts, locale, embed=embed)
    if facts.status == "completed":
        return redirect(_here(session_id, embed))

    values = await _form_values(request)
    secret = matching_secret(_key(ctx), session_id, request, values.get(CSRF_FIELD))
    if secret is None:
        log.info("pages.csrf_refused", session_id=session_id)
        return screens.form_expired(locale, f"/session/{session_id}", embed=embed)
    token = csrf_token(_key(ctx), session_id, secret)
    t = screens.translator(locale)
    try:
        submission = read_submission(facts, values, t, locale)
    except FormInvalid as exc:
        return screens.checkout(
            facts, locale, token, values=values, errors=exc.errors,
            notice=t.gettext("Check the highlighted fields."), status=422,
            embed=embed,
        )  # fmt: skip
    # The pay attempt runs in its own transactions; end this read first so
    # that what is read afterwards is not an old snapshot.
    await db.rollback()
    posted = Posted(
        facts, submission, values, token, _client_ip(request), locale, embed
    )
    return await pay(ctx, db, posted)


@router.get("/session/{session_id}/theme.css")
async def checkout_theme(
    session_id: str, request: Request, db: UnqueuedDb, ctx: Ctx
) -> Response:
    """The session's theme as CSS custom properties (validated values only)."""
    try:
        _, facts = await load_session(db, session_id, ctx.clock.now())
    except SessionNotFound:
        return Response("", status_code=404, media_type="text/css")
    look = facts.look
    response = Response(look.stylesheet, media_type="text/css; charset=utf-8")
    # The page links the sheet with its digest; only that exact version may
    # be kept, since the merchant's defaults behind it can change.
    if request.query_params.get("v") == look.version:
        response.headers["cache-control"] = "private, max-age=86400, immutable"
    else:
        response.headers["cache-control"] = "no-cache"
    response.headers["x-content-type-options"] = "nosniff"
    return response


@router.get("/sandbox/3ds/{action_token}")
async def show_challenge(
    action_token: str, request: Request, db: UnqueuedDb, ctx: Ctx
) -> Response:
    """The sandbox's stand-in for a bank's 3-D Secure page."""
    return await describe_challenge(ctx, db, request, action_token)


@router.post("/sandbox/3ds/{action_token}")
async def answer_challenge(
    action_token: str, request: Request, db: UnqueuedDb, ctx: Ctx
) -> Response:
    """Approve or fail the challenge, then go where a pay post would."""
    values = await _form_values(request)
    return await complete_challenge(ctx, db, request, action_token, values)


@router.get("/static/checkout.css")
async def checkout_css() -> Response:
    return _static("checkout.css", "text/css; charset=utf-8")


@router.get("/static/checkout.js")
async def checkout_js() -> Response:
    return _static("checkout.js", "text/javascript; charset=utf-8")


@router.get("/static/frame.js")
async def frame_js() -> Response:
    return _static("frame.js", "text/javascript; charset=utf-8")


@router.get("/embed.js")
async def embed_js() -> Response:
    """The merchant's script for overlay and inline checkout (see README)."""
    response = Response(
        static_bytes("embed.js"), media_type="text/javascript; charset=utf-8"
    )
    # A stable URL that merchants paste into their pages: keep caches short
    # so a fixed script reaches them within the hour.
    response.headers["cache-control"] = "public, max-age=3600"
    response.headers["x-content-type-options"] = "nosniff"
    # Merchant pages may load it with integrity checks or crossorigin.
    response.headers["access-control-allow-origin"] = "*"
    return response


def _static(name: str, media_type: str) -> Response:
    assert name in STATIC_FILES
    response = Response(static_bytes(name), media_type=media_type)
    # The page links each file with a digest of its content in the query, so
    # a changed file has a new URL and the old one may be cached for good.
    response.headers["cache-control"] = "public, max-age=31536000, immutable"
    response.headers["x-content-type-options"] = "nosniff"
    return response


def _key(ctx: Ctx) -> bytes:
    return ctx.settings.secret_bytes


def _here(session_id: str, embed: Embed | None) -> str:
    path = f"/session/{session_id}"
    return embed.url(path) if embed else path


def _client_ip(request: Request) -> str:
    # Behind a proxy named in `till serve --forwarded-allow-ips`, the server
    # has already replaced the proxy's address with the buyer's.
    return request.client.host if request.client else "unknown"


def _failure_from_query(request: Request, locale: str) -> tuple[str | None, str | None]:
    # The 3-D Secure page sends a failed buyer back with ?error=<code>; only
    # codes the processor knows become text, so the query cannot inject any.
    code = request.query_params.get("error")
    if not code:
        return None, None
    message = screens.failure_message(code, screens.translator(locale))
    return screens.known_failure(code), message


async def _form_values(request: Request) -> dict[str, str]:
    form = await request.form()
    values: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(key, value)
    return values


async def _json_values(request: Request) -> dict[str, str] | None:
    try:
        body = await request.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    return {
        str(k): str(v)
        for k, v in body.items()
        if isinstance(v, str | int | float) and not isinstance(v, bool)
    }
