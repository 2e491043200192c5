from __future__ import annotations

import pytest

from till.pricing import (
    country_needs_state,
    is_supported_country,
    normalize_state,
    subdivisions,
    supported_countries,
)


@pytest.mark.parametrize("code", ["CU", "IR", "KP", "SY", "RU", "BY"])
def test_sanctioned_country_is_not_supported(code: str) -> None:
    assert not is_supported_country(code)


@pytest.mark.parametrize("code", ["DE", "us", "IN", "BR", "UA", "AQ"])
def test_other_country_is_supported(code: str) -> None:
    assert is_supported_country(code)


def test_supported_countries_are_iso_alpha_2_codes() -> None:
    codes = supported_countries()

    assert len(codes) > 240
    assert all(len(code) == 2 and code.isupper() for code in codes)


@pytest.mark.parametrize(
    ("code", "needs_state"), [("US", True), ("ca", True), ("DE", False), ("AU", False)]
)
def test_country_needs_state_where_the_state_sets_the_tax(
    code: str, needs_state: bool
) -> None:
    assert country_needs_state(code) is needs_state


def test_subdivisions_list_states_and_provinces_by_name() -> None:
    us = {s.code: s.name for s in subdivisions("US")}
    ca = [s.code for s in subdivisions("CA")]

    assert us["TX"] == "Texas"
    assert "DC" in us
    assert len(ca) == 13
    assert ca[0] == "AB"


@pytest.mark.parametrize(
    ("country", "state", "code"),
    [
        ("US", "TX", "TX"),
        ("US", "us-tx", "TX"),
        ("US", " Texas ", "TX"),
        ("CA", "Quebec", "QC"),
        ("CA", "TX", None),
        ("US", "Atlantis", None),
    ],
)
def test_normalize_state_accepts_code_prefixed_code_or_name(
    country: str, state: str, code: str | None
) -> None:
    assert normalize_state(country, state) == code
