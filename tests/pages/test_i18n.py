"""Languages: choosing one, the catalogues behind them, and pages in them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from httpx import AsyncClient

from tests.pages.api import (
    DE_ADDRESS,
    client_at_own_address,
    csrf_of,
    pay_form,
    product,
    session,
)
from tests.pages.support import facts, tags, widget
from tests.support.factory import MerchantKit, one_time_product
from till.config import Settings
from till.core.clock import FrozenClock
from till.pages import catalogues, screens
from till.pages.i18n import (
    accepted_languages,
    available_locales,
    choose_locale,
    translations_for,
)

NBSP = "\xa0"


@pytest.fixture
async def client(settings: Settings, clock: FrozenClock) -> AsyncIterator[AsyncClient]:
    async with client_at_own_address(settings, clock) as c:
        yield c


def test_every_language_of_the_issue_has_a_catalogue() -> None:
    assert set(available_locales()) >= {"en", "de", "es", "fr", "pt"}


@pytest.mark.parametrize(
    ("forced", "header", "chosen"),
    [
        (None, None, "en"),
        (None, "", "en"),
        ("de", None, "de"),
        ("de", "es", "de"),  # the merchant's choice wins over the browser's
        ("pt-BR", None, "pt"),  # primary subtag
        ("PT_br", None, "pt"),
        ("it", "fr", "fr"),  # no Italian: the browser decides
        (None, "es-MX,es;q=0.9,en;q=0.8", "es"),
        (None, "it, fr;q=0.5, de;q=0.7", "de"),  # best weight, not first
        (None, "fr;q=0.5, de;q=0.5", "fr"),  # equal weights keep the order
        (None, "de;q=0, en", "en"),  # q=0 refuses
        (None, "*", "en"),
        (None, "zh-Hant-TW, sv", "en"),
        (None, "de;q=abc, fr", "fr"),  # an unreadable weight refuses
        (None, ";;;, ,de-DE", "de"),
    ],
)
def test_language_is_forced_else_browsers_else_english(
    forced: str | None, header: str | None, chosen: str
) -> None:
    assert choose_locale(forced, header) == chosen


def test_accept_language_is_bounded_however_long() -> None:
    header = ",".join(["xx"] * 10_000 + ["de"])

    assert len(accepted_languages(header)) == 20
    assert choose_locale(None, header) == "en"


def test_catalogues_cover_every_message_of_the_pages() -> None:
    template = catalogues.extract()
    problems = [
        p
        for code in catalogues.languages()
        for p in catalogues.problems(template, code)
    ]
    assert problems == []


def test_template_in_the_repository_matches_the_code() -> None:
    # Run ``python -m till.pages.catalogues extract`` when this fails.
    shipped = catalogues.read(catalogues.TEMPLATE)

    assert {m.id for m in shipped if m.id} == {
        m.id for m in catalogues.extract() if m.id
    }


def test_payments_sentences_shown_on_the_page_are_in_the_template() -> None:
    ids = {m.id for m in catalogues.extract()}

    assert "Your card was declined." in ids
    assert "Declined for insufficient funds." in ids


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("de", "Bestellübersicht"),
        ("es", "Resumen del pedido"),
        ("fr", "Récapitulatif de la commande"),
        ("pt", "Resumo do pedido"),
        ("en", "Order summary"),
    ],
)
def test_each_catalogue_translates(locale: str, text: str) -> None:
    assert translations_for(locale).gettext("Order summary") == text


def test_plural_forms_follow_the_language() -> None:
    fr = translations_for("fr")
    de = translations_for("de")
    one, many = "then %(amount)s every month", "then %(amount)s every %(num)d months"

    assert fr.ngettext(one, many, 1) == "puis %(amount)s chaque mois"
    assert fr.ngettext(one, many, 3) == "puis %(amount)s tous les %(num)d mois"
    assert de.ngettext(one, many, 2) == "danach %(amount)s alle %(num)d Monate"


def page_of(locale: str, **extra: object) -> str:
    f = facts([widget(1900, currency="EUR")], country="US", **extra)
    return bytes(screens.checkout(f, locale, "tok").body).decode()


def test_german_page_formats_amounts_the_german_way() -> None:
    page = page_of("de")

    (root,) = tags(page, "html")
    assert root["lang"] == "de"
    assert f"19,00{NBSP}€" in page
    assert f"19,00{NBSP}€ bezahlen" in page
    assert "Kartennummer" in page and "Card number" not in page


def test_test_card_table_is_translated() -> None:
    page = page_of("fr")

    assert "Refusée pour provision insuffisante." in page
    assert "Mode test" in page


def test_expired_page_says_when_in_the_buyers_language() -> None:
    f = facts(expires_at=datetime(2026, 6, 2, 12, 0, tzinfo=UTC))

    page = bytes(screens.expired(f, "de").body).decode()

    assert "Diese Bezahlseite ist abgelaufen" in page
    assert "Sie ist am 02.06.2026, 12:00:00 (UTC) abgelaufen." in page


def test_receipt_is_translated() -> None:
    f = facts(status="completed", payment_id="pay_1", customer_email="a@b.example")

    page = bytes(screens.receipt(f, "es").body).decode()

    assert "Pago realizado" in page and "Recibo para a@b.example." in page


def test_not_found_page_is_translated() -> None:
    page = bytes(screens.not_found("pt").body).decode()

    assert "Página de pagamento não encontrada" in page


async def test_forced_language_renders_the_page_in_it(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await product(client, merchant, one_time_product(1900, currency="EUR"))
    sid = await session(
        client, merchant, [pid], billing_address=DE_ADDRESS,
        customization={"force_language": "de"},
    )  # fmt: skip

    page = await client.get(f"/session/{sid}", headers={"Accept-Language": "fr"})

    assert "Bestellübersicht" in page.text
    assert f"19,00{NBSP}€" in page.text and f"22,61{NBSP}€ bezahlen" in page.text


async def test_browser_language_renders_the_page_in_it(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await product(client, merchant, one_time_product(1000))
    sid = await session(client, merchant, [pid])

    page = await client.get(f"/session/{sid}", headers={"Accept-Language": "es-ES"})

    assert "Resumen del pedido" in page.text
    assert f"Pagar 10,00{NBSP}US$" in page.text


async def test_field_errors_and_failures_come_back_translated(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await product(client, merchant, one_time_product(1000))
    sid = await session(client, merchant, [pid], customization={"force_language": "fr"})
    page = await client.get(f"/session/{sid}")

    wrong = await client.post(
        f"/session/{sid}/pay", data=pay_form(csrf_of(page.text), email="nope")
    )
    declined = await client.post(
        f"/session/{sid}/pay", data=pay_form(csrf_of(page.text), "4000000000000002")
    )

    assert wrong.status_code == 422
    assert "Saisissez une adresse e-mail valide." in wrong.text
    assert "Vérifiez les champs signalés." in wrong.text
    assert declined.status_code == 402
    assert "Votre carte a été refusée." in declined.text


async def test_live_quote_answers_in_the_page_language(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await product(client, merchant, one_time_product(1900, currency="EUR"))
    sid = await session(client, merchant, [pid], customization={"force_language": "de"})
    page = await client.get(f"/session/{sid}")

    reply = await client.post(
        f"/session/{sid}/quote", json={"country": "DE"},
        headers={"X-CSRF-Token": csrf_of(page.text)},
    )  # fmt: skip

    assert reply.json()["pay_label"] == f"22,61{NBSP}€ bezahlen"
    assert "Zwischensumme" in reply.json()["summary_html"]


async def test_three_d_secure_page_follows_the_session_language(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await product(client, merchant, one_time_product(1000))
    sid = await session(client, merchant, [pid], customization={"force_language": "de"})
    page = await client.get(f"/session/{sid}")

    reply = await client.post(
        f"/session/{sid}/pay", data=pay_form(csrf_of(page.text), "4000002500003155")
    )
    challenge = await client.get(reply.headers["location"])

    assert "Zahlung bestätigen" in challenge.text
    assert f"10,65{NBSP}$" in challenge.text
