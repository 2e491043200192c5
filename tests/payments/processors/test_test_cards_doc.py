from __future__ import annotations

from pathlib import Path

from till.payments.processors import TEST_CARDS

DOC = Path(__file__).resolve().parents[3] / "docs" / "test-cards.md"


def test_docs_list_every_test_card_with_its_code() -> None:
    text = DOC.read_text()

    for card in TEST_CARDS.values():
        row = next(line for line in text.splitlines() if card.number in line)
        assert card.brand in row
        if card.error_code is not None:
            assert card.error_code in row
