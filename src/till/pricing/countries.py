"""Which countries Till sells to, and which of them need a state.

The list comes from pycountry (ISO 3166-1), so a new or renamed country
arrives with a pycountry upgrade instead of an edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

# Countries under comprehensive US, EU or UK sanctions, where a merchant
# cannot lawfully take payment at all: Cuba, Iran, North Korea, Syria.
# Russia and Belarus are added because the card networks suspended their
# operations there and EU and UK financial sanctions bar most payment
# services, so a checkout from there could not be settled.
#
# Known gap: the occupied regions of Ukraine (Crimea, Donetsk, Luhansk) are
# under comprehensive sanctions too, but they share Ukraine's country code.
# Refusing them needs screening of the full address or of the card's issuing
# region, which Till does not do; a merchant with that exposure must screen
# payments with its processor.
_SANCTIONED = frozenset({"CU", "IR", "KP", "SY", "RU", "BY"})

# Countries whose tax depends on the state or province of the address, so the
# hosted page must ask for it before it can show a total.
_NEEDS_STATE = frozenset({"US", "CA"})


@dataclass(frozen=True)
class Subdivision:
    """A state or province: ``code`` without the country prefix ("TX")."""

    code: str
    name: str


@cache
def supported_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of every country Till sells to."""
    codes = {country.alpha_2 for country in pycountry.countries}
    return frozenset(codes - _SANCTIONED)


def is_supported_country(code: str) -> bool:
    return code.upper() in supported_countries()


def country_needs_state(code: str) -> bool:
    return code.upper() in _NEEDS_STATE


@cache
def subdivisions(country: str) -> tuple[Subdivision, ...]:
    """The states, provinces and territories of ``country``, by name."""
    database: Any = pycountry.subdivisions
    found = database.get(country_code=country.upper()) or []
    pairs = (Subdivision(s.code.split("-", 1)[1], s.name) for s in found)
    return tuple(sorted(pairs, key=lambda s: s.name))


def normalize_state(country: str, state: str) -> str | None:
    """The subdivision code for ``state`` given as "TX", "US-TX" or "Texas".

    Returns ``None`` when ``country`` has no such subdivision.
    """
    wanted = state.strip().upper()
    prefix = f"{country.upper()}-"
    wanted = wanted.removeprefix(prefix)
    for sub in subdivisions(country):
        if wanted in (sub.code, sub.name.upper()):
            return sub.code
    return None
