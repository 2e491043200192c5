"""From a posted form to a pay attempt, and from its outcome to a response.

Both the pay form and the 3-D Secure page end in :func:`after_attempt`, so a
payment finished on the challenge page lands the buyer exactly where one
finished at once would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

import structlog
from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout.errors import SessionCompleted, SessionExpired, SessionNotFound
from till.checkout.models import CheckoutSession
from till.checkout.quoting import quote_for_session
from till.core.errors import TillError
from till.core.money import format_amount
from till.http.context import AppContext
from till.http.errors import error_response
from till.pages import screens, views
from till.pages.embedding import Embed, EmbedRefused, embed_from_query
from till.pages.forms import form_field_for
from till.pages.i18n import choose_locale
from till.pages.loading import load_session
from till.pages.rendering import render
from till.pages.security import (
    browser_secret,
    csrf_token,
    matching_secret,
    origin_of,
)
from till.pages.submission import FormInvalid, Submission, read_pricing
from till.payments.attempt import PayAttempt
from till.payments.buyer import BuyerDetails
from till.payments.complete import complete_action
from till.payments.pay import pay_session
from till.payments.processors import InvalidActionToken, SandboxProcessor
from till.payments.processors.sandbox_tokens import ActionClaims
from till.payments.startup import processor_of
from till.pricing import Quote

log = structlog.get_logger(__name__)

_SESSION_PATH = re.compile(r"^/session/(cks_[A-Za-z0-9]+)$")


def buyer_details(facts: views.SessionFacts, submission: Submission) -> BuyerDetails:
    """The form's values in the payments service's terms.

    An empty string there means "cleared", so a shown field the buyer left
    empty is sent as "" and a field the page did not show as ``None``.
    """
    shown_tax = facts.flag("allow_tax_id", True)
    shown_phone = facts.flag("allow_phone_number_collection", True)
    pricing = submission.pricing
    return BuyerDetails(
        email=submission.email,
        name=submission.name,
        phone=(submission.phone or "") if shown_phone else None,
        billing_address=pricing.billing_address,
        tax_id=(pricing.tax_id or "") if shown_tax else None,
        business_name=(submission.business_name or "") if shown_tax else None,
        custom_fields=submission.custom_fields,
        discount_codes=pricing.discount_codes,
        amounts=pricing.amounts,
    )


@dataclass(frozen=True)
class Posted:
    """A pay form post that passed its CSRF check and could be read."""

    facts: views.SessionFacts
    submission: Submission
    values: Mapping[str, str]
    csrf_token: str
    client_ip: str
    locale: str
    embed: Embed | None = None


async def pay(ctx: AppContext, db: AsyncSession, posted: Posted) -> Response:
    facts, t = posted.facts, screens.translator(posted.locale)
    buyer = buyer_details(facts, posted.submission)
    card = posted.submission.card
    try:
        attempt = await pay_session(ctx, facts.id, buyer, card, posted.client_ip)
    except SessionExpired:
        return screens.expired(facts, posted.locale, embed=posted.embed)
    except SessionCompleted:
        return redirect(_in_mode(f"/session/{facts.id}", posted.embed))
    except TillError as exc:
        field = form_field_for(exc.field, facts)
        message = screens.error_message(exc, t)
        if field is None:
            return await _form_again(ctx, db, posted, {}, message, exc.status)
        notice = t.gettext("Check the highlighted fields.")
        return await _form_again(ctx, db, posted, {field: message}, notice, exc.status)
    if attempt.status == "failed":
        notice = screens.failure_message(attempt.error_code, t)
        code = screens.known_failure(attempt.error_code)
        return await _form_again(ctx, db, posted, {}, notice, 402, failure_code=code)
    return after_attempt(attempt, facts, posted.embed)


def after_attempt(
    attempt: PayAttempt, facts: views.SessionFacts, embed: Embed | None = None
) -> Response:
    """Where a finished or pending attempt sends the buyer (always a 303).

    In embed mode the frame stays on Till's pages: the receipt tells the
    merchant's page, which leaves for the return URL itself if it wants to.
    """
    if attempt.status == "requires_customer_action" and attempt.action_url:
        return redirect(_in_mode(attempt.action_url, embed))
    if attempt.status == "failed":
        code = url_quote(attempt.error_code or "", safe="")
        return redirect(_in_mode(f"/session/{facts.id}?error={code}", embed))
    target = views.safe_link(attempt.redirect_url)
    if target and not embed and facts.flag("redirect_immediately", False):
        return redirect(target)
    # The receipt, with a "continue" link to the return URL when there is one.
    return redirect(_in_mode(f"/session/{facts.id}", embed))


def _in_mode(url: str, embed: Embed | None) -> str:
    return embed.url(url) if embed else url


async def _form_again(
    ctx: AppContext,
    db: AsyncSession,
    posted: Posted,
    errors: Mapping[str, str],
    notice: str,
    status: int,
    *,
    failure_code: str | None = None,
) -> Response:
    # Re-read the session (the attempt changed it) and show the totals of
    # what the buyer chose, falling back to the stored quote.
    now = ctx.clock.now()
    session, fresh = await load_session(db, posted.facts.id, now)
    quote = await _quote_or_none(db, session, posted.submission, now)
    kept = {k: v for k, v in posted.values.items() if not k.startswith("card_")}
    kept["card_name"] = posted.values.get("card_name", "")
    return screens.checkout(
        fresh, posted.locale, posted.csrf_token, quote=quote, values=kept,
        errors=errors, notice=notice, status=status, failure_code=failure_code,
        embed=posted.embed,
    )  # fmt: skip


async def _quote_or_none(
    db: AsyncSession, session: CheckoutSession, submission: Submission, now: datetime
) -> Quote | None:
    pricing = submission.pricing
    try:
        return await quote_for_session(
            db,
            session,
            moment=now,
            billing_address=pricing.billing_address,
            tax_id=pricing.tax_id or "",
            discount_codes=pricing.discount_codes,
            amounts=pricing.amounts,
        )
    except TillError:
        return None


def redirect(url: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    response.headers["cache-control"] = "no-store"
    return response


async def live_quote(
    db: AsyncSession,
    session: CheckoutSession,
    facts: views.SessionFacts,
    values: Mapping[str, str],
    moment: datetime,
    locale: str,
) -> Response:
    """The page script's quote: priced like the charge, saved nowhere."""
    t = screens.translator(locale)
    try:
        choice = read_pricing(facts, values, t, locale)
        quote = await quote_for_session(
            db,
            session,
            moment=moment,
            billing_address=choice.billing_address,
            tax_id=choice.tax_id or "",
            discount_codes=choice.discount_codes,
            amounts=choice.amounts,
        )
    except FormInvalid as exc:
        name, text = next(iter(exc.errors.items()))
        return error_response(422, "INVALID_FIELD", text, name)
    except TillError as exc:
        field = form_field_for(exc.field, facts)
        return error_response(
            exc.status, exc.code, screens.error_message(exc, t), field
        )
    return JSONResponse(render_quote_reply(facts, quote, locale))


def render_quote_reply(
    facts: views.SessionFacts, quote: Quote, locale: str
) -> dict[str, Any]:
    """The live quote for the page's script: the summary, re-rendered by the
    same template as the page, and the pay button's new label."""
    summary = screens.summary(facts, quote, locale)
    t = screens.translator(locale)
    custom = facts.look.pay_button_text
    return {
        "summary_html": render("_summary.html", locale, summary=summary),
        "pay_label": views.pay_label(summary.total_amount, summary.total, t, custom),
        "total": summary.total,
        "total_amount": summary.total_amount,
        "currency": quote.currency,
    }


# The 3-D Secure challenge -------------------------------------------------


async def describe_challenge(
    ctx: AppContext, db: AsyncSession, request: Request, action_token: str
) -> Response:
    accept = request.headers.get("accept-language")
    processor = processor_of(ctx)
    if not isinstance(processor, SandboxProcessor):
        return screens.not_found(choose_locale(None, accept))
    try:
        claims = processor.describe_action(action_token)
    except InvalidActionToken:
        return _challenge_gone(choose_locale(None, accept))
    facts = await _challenged_session(db, claims, ctx)
    locale = choose_locale(facts.forced_language if facts else None, accept)
    t = screens.translator(locale)
    try:
        embed = embed_from_query(
            request.query_params, facts.embed_origins if facts else ()
        )
    except EmbedRefused:
        return screens.not_found(locale) if facts is None else (
            screens.embed_refused(facts, locale)
        )  # fmt: skip
    secret = browser_secret(request, embedded=embed is not None)
    if secret is None:
        return screens.refused(
            locale,
            t.gettext("Please try again"),
            t.gettext("Your browser did not keep this checkout's cookie."),
            403,
            facts=facts,
            embed=embed,
        )
    csrf = csrf_token(ctx.settings.secret_bytes, _scope(action_token), secret)
    page = views.ChallengePage(
        amount=format_amount(claims.amount, claims.currency, locale),
        card=views.card_label(claims.card.brand, claims.card.last4),
        action_url=f"/sandbox/3ds/{action_token}",
        csrf_token=csrf,
    )
    return_origin = origin_of(facts.return_url) if facts else None
    return screens.challenge(page, locale, return_origin, facts=facts, embed=embed)


async def _challenged_session(
    db: AsyncSession, claims: ActionClaims, ctx: AppContext
) -> views.SessionFacts | None:
    """The session a challenge belongs to, if it can be found.

    The challenge sends the buyer back to the session's page, so its URL names
    the session. That session's return URL is where a success may go at once
    (the page's ``form-action`` must allow it or the browser stops there), and
    its language, theme and embed origins are the challenge page's too.
    """
    match = _SESSION_PATH.match(urlsplit(claims.return_url).path)
    if match is None:
        return None
    try:
        _, facts = await load_session(db, match.group(1), ctx.clock.now())
    except SessionNotFound:
        return None
    return facts


async def complete_challenge(
    ctx: AppContext,
    db: AsyncSession,
    request: Request,
    action_token: str,
    values: Mapping[str, str],
) -> Response:
    locale = choose_locale(None, request.headers.get("accept-language"))
    key = ctx.settings.secret_bytes
    token = values.get("csrf_token")
    if matching_secret(key, _scope(action_token), request, token) is None:
        log.info("pages.challenge_csrf_refused")
        return screens.form_expired(locale, f"/sandbox/3ds/{action_token}")
    approved = values.get("decision") == "approve"
    try:
        attempt = await complete_action(ctx, action_token, approved)
    except InvalidActionToken:
        return _challenge_gone(locale)
    except SessionExpired as exc:
        return redirect(f"/session/{exc.session_id}")
    try:
        _, facts = await load_session(db, attempt.session_id, ctx.clock.now())
    except SessionNotFound:
        return screens.not_found(locale)
    try:
        embed = embed_from_query(request.query_params, facts.embed_origins)
    except EmbedRefused:
        # The payment is settled either way; a top-level page answers, which
        # a frame on an unlisted site cannot show.
        embed = None
    return after_attempt(attempt, facts, embed)


def _scope(action_token: str) -> str:
    return f"3ds:{action_token}"


def _challenge_gone(locale: str) -> Response:
    log.info("pages.challenge_token_refused")
    t = screens.translator(locale)
    return screens.refused(
        locale,
        t.gettext("This security check is no longer valid"),
        t.gettext("Go back to the checkout and pay again."),
        400,
    )
