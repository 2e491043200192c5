"""Keeping the pages' translation catalogues in step with the code.

    python -m till.pages.catalogues extract      # messages.pot from the code,
                                                 # then every .po updated
    python -m till.pages.catalogues init it      # a new language: it/.../messages.po
    python -m till.pages.catalogues check        # exit 1 if anything is missing

The template (``locale/messages.pot``) holds every message of the page's
Python modules and templates, plus sentences the page shows on behalf of the
payments domain: the sandbox's test card descriptions and the processor's
failure messages, which the page passes through gettext by value.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from till.pages.i18n import DEFAULT_LOCALE, DOMAIN, available_locales

PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"

_METHODS = [
    ("**.py", "python"),
    ("templates/**.html", "jinja2.ext:babel_extract"),
]
_PROJECT = "Till hosted checkout"
_HEADER = """\
# Messages of Till's hosted checkout pages.
# Kept in step with the code by: python -m till.pages.catalogues extract
#"""


def borrowed_messages() -> list[str]:
    """Sentences defined by the payments domain that the page translates."""
    from till.payments.processors import TEST_CARDS, FailureCode

    cards = [card.description for card in TEST_CARDS.values()]
    failures = [code.message for code in FailureCode]
    return list(dict.fromkeys([*cards, *failures]))


def extract() -> Catalog:
    """Every message the pages can show, as a template catalogue."""
    catalog = _catalog()
    found = extract_from_dir(
        str(PACKAGE_DIR),
        method_map=_METHODS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=DEFAULT_KEYWORDS,
        comment_tags=("Translators:",),
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message, None, [(filename, lineno)], auto_comments=comments,
            context=context,
        )  # fmt: skip
    for text in borrowed_messages():
        if text not in catalog:
            catalog.add(text, None, [("till/payments/processors", 0)])
    return catalog


def _catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale, project=_PROJECT, domain=DOMAIN, fuzzy=False,
        header_comment=_HEADER, msgid_bugs_address="",
    )  # fmt: skip


def catalogue_file(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale, domain=DOMAIN)


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        # Without line numbers a code change that moves a message does not
        # rewrite every catalogue; the file name still says where it lives.
        write_po(target, catalog, width=79, include_lineno=False, sort_output=True)


def languages() -> list[str]:
    return [code for code in available_locales() if code != DEFAULT_LOCALE]


def update_all(template: Catalog) -> list[str]:
    """Bring every language's catalogue in line with ``template``: new
    messages appear untranslated, removed ones become obsolete."""
    updated = []
    for locale in languages():
        path = catalogue_file(locale)
        catalog = read(path, locale)
        catalog.update(template, no_fuzzy_matching=True)
        write(path, catalog)
        updated.append(locale)
    return updated


def init(locale: str, template: Catalog) -> Path:
    path = catalogue_file(locale)
    if path.exists():
        raise SystemExit(f"{path} exists; run 'extract' to update it")
    catalog = _catalog(locale)
    catalog.update(template, no_fuzzy_matching=True)
    write(path, catalog)
    return path


def problems(template: Catalog, locale: str) -> list[str]:
    """What keeps ``locale`` from showing every message translated."""
    catalog = read(catalogue_file(locale), locale)
    found = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if entry is None or not _translated(entry):
            found.append(f"{locale}: untranslated {_first(message.id)!r}")
        elif entry.fuzzy:
            found.append(f"{locale}: fuzzy {_first(message.id)!r}")
    for entry, errors in catalog.check():
        found.extend(f"{locale}: {_first(entry.id)!r}: {e}" for e in errors)
    return found


def _translated(entry: Message) -> bool:
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(strings)


def _first(message_id: str | Iterable[str]) -> str:
    return message_id if isinstance(message_id, str) else next(iter(message_id))


def main(argv: Sequence[str]) -> int:
    command, *rest = list(argv) or ["check"]
    template = extract()
    if command == "extract":
        write(TEMPLATE, template)
        print("updated:", ", ".join(update_all(template)) or "no languages")
        return 0
    if command == "init" and len(rest) == 1:
        print(init(rest[0], template))
        return 0
    if command == "check":
        found = [p for locale in languages() for p in problems(template, locale)]
        print("\n".join(found) or "every catalogue is complete")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
