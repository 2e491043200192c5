"""Where the buyer lands after paying."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from till.payments.attempt import return_redirect


def test_parameters_are_added_to_a_bare_url() -> None:
    url = return_redirect("https://shop.example/thanks", "cks_1", "pay_2", "succeeded")
    assert url == (
        "https://shop.example/thanks?session_id=cks_1&payment_id=pay_2&status=succeeded"
    )


def test_the_merchants_own_query_and_fragment_are_kept() -> None:
    url = return_redirect(
        "https://shop.example/t?ref=a%26b&lang=de#top", "cks_1", "pay_2", "failed"
    )
    parts = urlsplit(url)
    assert parts.fragment == "top"
    assert parse_qsl(parts.query) == [
        ("ref", "a&b"),
        ("lang", "de"),
        ("session_id", "cks_1"),
        ("payment_id", "pay_2"),
        ("status", "failed"),
    ]


def test_the_merchant_cannot_preset_our_parameters() -> None:
    url = return_redirect(
        "https://shop.example/t?status=succeeded&session_id=fake",
        "cks_1",
        None,
        "failed",
    )
    assert parse_qsl(urlsplit(url).query, keep_blank_values=True) == [
        ("session_id", "cks_1"),
        ("payment_id", ""),
        ("status", "failed"),
    ]
