"""Each screen of the hosted pages as an HTML response with its headers.

A screen is a template, its view models and the security headers every page
carries; routes pick the screen and its status code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from starlette.responses import HTMLResponse

from till.core.errors import TillError
from till.pages import forms, views
from till.pages.embedding import Embed
from till.pages.i18n import Translator, html_lang, translations_for
from till.pages.rendering import render
from till.pages.security import apply_page_headers, origin_of
from till.pages.theme import Look
from till.payments.processors import FailureCode
from till.pricing import Quote


def html(
    template: str,
    locale: str,
    status: int = 200,
    form_targets: Iterable[str] = (),
    *,
    shell: views.Shell,
    embed: Embed | None = None,
    **context: object,
) -> HTMLResponse:
    body = render(template, locale, shell=shell, embed=embed, **context)
    response = HTMLResponse(body, status_code=status)
    ancestors = embed.frame_ancestors if embed else ()
    apply_page_headers(response, form_targets, ancestors)
    return response


def translator(locale: str) -> Translator:
    return translations_for(locale)


def shell(
    locale: str,
    page: str,
    facts: views.SessionFacts | None = None,
    embed: Embed | None = None,
    outcome: views.Outcome | None = None,
) -> views.Shell:
    """The page frame: language, the session's theme and the embed parent."""
    look = facts.look if facts is not None else Look()
    theme_url = None
    if facts is not None and look.stylesheet:
        theme_url = f"/session/{facts.id}/theme.css?v={look.version}"
    return views.Shell(
        lang=html_lang(locale),
        page=page,
        theme=look.mode,
        theme_url=theme_url,
        session_id=facts.id if facts is not None else None,
        parent_origin=embed.parent_origin if embed else None,
        outcome=outcome if embed else None,
    )


def summary(facts: views.SessionFacts, quote: Quote, locale: str) -> views.SummaryView:
    return views.summary_view(
        quote, facts.prices, facts.descriptions, locale, translator(locale)
    )


def checkout(
    facts: views.SessionFacts,
    locale: str,
    csrf_token: str,
    *,
    quote: Quote | None = None,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    notice: str | None = None,
    failure_code: str | None = None,
    status: int = 200,
    embed: Embed | None = None,
) -> HTMLResponse:
    """The pay form, with the buyer's values and errors after a failed post.

    ``failure_code`` is set when a charge just failed; a framed page then
    tells its parent, with the code and the buyer's wording.
    """
    t = translator(locale)
    shown = summary(facts, quote or facts.quote, locale)
    # A successful post redirects to the merchant's return URL, and browsers
    # hold that redirect to the form's ``form-action`` list. In embed mode
    # the frame never leaves Till (the parent navigates), so only Till.
    targets = [o for o in [origin_of(facts.return_url)] if o and not embed]
    page = views.checkout_page(facts, shown, csrf_token, t, notice)
    if embed:
        page = replace(page, pay_url=embed.url(page.pay_url))
    outcome = None
    if failure_code is not None:
        outcome = views.Outcome(
            "payment_failed", facts.id, reason=failure_code, message=notice
        )
    return html(
        "checkout.html",
        locale,
        status,
        targets,
        shell=shell(locale, "checkout", facts, embed, outcome),
        embed=embed,
        page=page,
        summary=shown,
        form=forms.build_form(facts, values or {}, errors or {}, locale, t),
        test_cards=views.sandbox_cards_view(facts.is_test, t),
    )


def receipt(
    facts: views.SessionFacts, locale: str, *, embed: Embed | None = None
) -> HTMLResponse:
    """The paid session. Framed, it reports the payment to the parent, with
    the return URL to go to unless the merchant's page stays in charge."""
    stays = embed is not None and embed.stay
    outcome = views.Outcome(
        "payment_succeeded",
        facts.id,
        payment_id=facts.payment_id,
        status=facts.payment_status or "succeeded",
        return_url=None if stays else views.continue_url(facts),
    )
    return html(
        "receipt.html",
        locale,
        shell=shell(locale, "receipt", facts, embed, outcome),
        embed=embed,
        page=views.receipt_page(facts, show_continue=not stays),
        summary=summary(facts, facts.quote, locale),
        test_cards=(),
    )


def expired(
    facts: views.SessionFacts, locale: str, *, embed: Embed | None = None
) -> HTMLResponse:
    page = views.expired_page(facts, translator(locale), locale)
    return html(
        "message.html", locale, 410, shell=shell(locale, "expired", facts, embed),
        embed=embed, page=page, test_cards=(),
    )  # fmt: skip


def not_found(locale: str) -> HTMLResponse:
    page = views.not_found_page(translator(locale))
    return html(
        "message.html", locale, 404, shell=shell(locale, "not_found"), page=page,
        test_cards=(),
    )  # fmt: skip


def refused(
    locale: str,
    title: str,
    text: str,
    status: int,
    *,
    facts: views.SessionFacts | None = None,
    embed: Embed | None = None,
) -> HTMLResponse:
    page = views.MessagePage(title=title, paragraphs=(text,))
    return html(
        "message.html", locale, status, shell=shell(locale, "refused", facts, embed),
        embed=embed, page=page, test_cards=(),
    )  # fmt: skip


def embed_refused(facts: views.SessionFacts, locale: str) -> HTMLResponse:
    """Embed mode asked for by a page the merchant did not list. The answer
    may not be framed at all, so the browser shows its own blocked frame."""
    t = translator(locale)
    return refused(
        locale,
        t.gettext("This checkout cannot be shown here"),
        t.gettext(
            "The seller has not allowed this website to show its checkout. "
            "Nothing was charged."
        ),
        403,
        facts=facts,
    )


def form_expired(
    locale: str, back_url: str, *, embed: Embed | None = None
) -> HTMLResponse:
    t = translator(locale)
    page = views.MessagePage(
        title=t.gettext("Please try again"),
        paragraphs=(
            t.gettext(
                "This form was open too long or came from another site, so it "
                "was not sent. Nothing was charged."
            ),
        ),
        link_url=embed.url(back_url) if embed else back_url,
        link_label=t.gettext("Back to the checkout"),
    )
    return html(
        "message.html", locale, 403, shell=shell(locale, "refused", embed=embed),
        embed=embed, page=page, test_cards=(),
    )  # fmt: skip


def challenge(
    page: views.ChallengePage,
    locale: str,
    return_origin: str | None,
    *,
    facts: views.SessionFacts | None = None,
    embed: Embed | None = None,
) -> HTMLResponse:
    targets = [return_origin] if return_origin and not embed else []
    if embed:
        page = replace(page, action_url=embed.url(page.action_url))
    return html(
        "challenge.html", locale, 200, targets,
        shell=shell(locale, "challenge", facts, embed), embed=embed, page=page,
        test_cards=(),
    )  # fmt: skip


def failure_message(code: str | None, t: Translator) -> str:
    """What the buyer reads when a charge fails, from the processor's code."""
    try:
        known = FailureCode(code or "")
    except ValueError:
        return t.gettext("Your payment failed. Try again or use another card.")
    return t.gettext(known.message)


def known_failure(code: str | None) -> str:
    """``code`` when the processor knows it, else ``unknown``: what a framed
    page may pass on to its parent as the reason of a failure."""
    try:
        return FailureCode(code or "").value
    except ValueError:
        return "unknown"


def error_message(exc: TillError, t: Translator) -> str:
    """A buyer's wording for an error another domain raised."""
    messages = {
        "UNSUPPORTED_COUNTRY": t.gettext("We cannot accept payments from here."),
        "INVALID_STATE": t.gettext("Choose a state or province."),
        "INVALID_DISCOUNT_CODE": t.gettext("This discount code does not exist."),
        "DISCOUNT_CODE_EXPIRED": t.gettext("This discount code is not valid now."),
        "DISCOUNT_CODE_USAGE_LIMIT_EXCEEDED": t.gettext(
            "This discount code has been used up."
        ),
        "DISCOUNT_NOT_AVAILABLE_FOR_PRODUCT": t.gettext(
            "This discount code does not apply to this order."
        ),
        "AMOUNT_BELOW_MINIMUM": t.gettext("This amount is below the minimum price."),
        "TOO_MANY_PAY_ATTEMPTS": t.gettext(
            "Too many payment attempts. For your security, paying is paused; "
            "try again later or contact the seller."
        ),
        "PAYMENT_IN_PROGRESS": t.gettext(
            "A payment for this checkout is already in progress. Wait a moment, "
            "then reload the page."
        ),
    }
    return messages.get(exc.code) or _reason(exc)


def _reason(exc: TillError) -> str:
    # Field errors read "billing_address.zipcode: is required"; the page shows
    # the reason beside the field, so the field's API name is dropped.
    # Known shortcoming: these reasons come from the API and stay English.
    prefix = f"{exc.field}: "
    if not exc.field or not exc.message.startswith(prefix):
        return exc.message
    reason = exc.message.removeprefix(prefix)
    reason = reason[:1].upper() + reason[1:]
    return reason if reason.endswith(".") else reason + "."
