"""The translations the hosted pages render with, and choosing one.

Every string a buyer reads goes through gettext, in the templates and in the
view models alike. The catalogues live in ``locale/<lang>/LC_MESSAGES/
messages.po`` beside this module; a language is available when its file
exists, so adding a language is adding a catalogue (see ``catalogues.py``).

The ``.po`` files are the only form kept in the repository: each is compiled
in memory the first time a page needs it, so a compiled file can never be
older than its source and no build step is needed.
"""

from __future__ import annotations

import io
import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Protocol

import structlog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

log = structlog.get_logger(__name__)

DEFAULT_LOCALE = "en"
DOMAIN = "messages"

# At most this many languages are read from one Accept-Language header; a
# browser sends a handful, and the header is the buyer's to fill.
_MAX_RANGES = 20
_RANGE = re.compile(r"^([A-Za-z]{1,8})(?:[-_][A-Za-z0-9]{1,8})*$")
_QUALITY = re.compile(r"^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


class Translator(Protocol):
    """The two gettext calls the view models use."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


def locale_dir() -> Traversable:
    return resources.files("till.pages").joinpath("locale")


def catalogue_path(locale: str) -> Traversable:
    return locale_dir().joinpath(locale, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def available_locales() -> tuple[str, ...]:
    """English (the source text) and every language with a catalogue."""
    found = {DEFAULT_LOCALE}
    root = locale_dir()
    if root.is_dir():
        for entry in root.iterdir():
            if entry.is_dir() and catalogue_path(entry.name).is_file():
                found.add(entry.name)
    return tuple(sorted(found))


@cache
def translations_for(locale: str) -> NullTranslations:
    """The compiled catalogue of ``locale``; English is the source text."""
    if locale == DEFAULT_LOCALE or locale not in available_locales():
        return NullTranslations()
    with catalogue_path(locale).open("rb") as source:
        catalog = read_po(source, locale=locale, domain=DOMAIN)
    compiled = io.BytesIO()
    # Fuzzy entries are a translator's guess awaiting review: English is
    # shown for them rather than a possibly wrong sentence.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    log.debug("pages.catalogue_loaded", locale=locale, messages=len(catalog))
    return Translations(compiled, domain=DOMAIN)


def choose_locale(forced: str | None, accept_language: str | None) -> str:
    """The page's language: the session's forced one, else the browser's
    first acceptable one, else English. Only the primary subtag counts
    (``de-AT`` is German) unless a catalogue for the whole tag exists."""
    if forced:
        match = _match(forced)
        if match:
            return match
    for tag in accepted_languages(accept_language or ""):
        match = _match(tag)
        if match:
            return match
    return DEFAULT_LOCALE


def accepted_languages(header: str) -> list[str]:
    """The language ranges of an Accept-Language header, best first.

    Ranges with q=0 are refused by the browser and dropped; ``*`` says
    nothing about a language and is dropped too. Equal weights keep the
    header's order. A malformed range is skipped, never an error.
    """
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:_MAX_RANGES]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not _RANGE.match(tag):
            continue
        quality = _quality(params)
        if quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def _quality(params: str) -> float:
    for param in params.split(";"):
        match = _QUALITY.match(param.strip().replace(" ", ""))
        if match:
            return float(match.group(1))
        if param.strip().startswith("q="):
            return 0.0  # a weight we cannot read: treat the range as refused
    return 1.0


def _match(tag: str) -> str | None:
    parts = re.split(r"[-_]", tag.strip())
    if not parts or not parts[0]:
        return None
    available = available_locales()
    whole = "_".join([parts[0].lower(), *(p.upper() for p in parts[1:2])])
    if whole in available:
        return whole
    primary = parts[0].lower()
    return primary if primary in available else None


def html_lang(locale: str) -> str:
    """``pt_BR`` as HTML writes it: ``pt-BR``."""
    return locale.replace("_", "-")
