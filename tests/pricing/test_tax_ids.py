from __future__ import annotations

import pytest

from till.pricing import check_tax_id


@pytest.mark.parametrize(
    ("country", "tax_id", "format_name", "normalized"),
    [
        ("DE", "DE136695976", "VAT Number", "DE136695976"),
        ("DE", "de 136 695 976", "VAT Number", "DE136695976"),
        ("DE", "136695976", "VAT Number", "DE136695976"),
        ("AT", "ATU12345675", "VAT Number", "ATU12345675"),
        ("FR", "FR 40 303 265 045", "VAT Number", "FR40303265045"),
        ("GR", "EL094259216", "VAT Number", "EL094259216"),
        ("GR", "GR094259216", "VAT Number", "EL094259216"),
        ("GB", "GB 980 7806 84", "VAT Number", "GB980780684"),
        ("NO", "NO 995 525 828 MVA", "VAT Number", "NO995525828MVA"),
        ("CH", "CHE-107.787.577 MWST", "VAT Number", "CHE107787577MWST"),
        ("AU", "51 824 753 556", "ABN", "51824753556"),
        ("NZ", "49-091-850", "IRD Number", "49091850"),
        ("IN", "27AAPFU0939F1ZV", "GSTIN", "27AAPFU0939F1ZV"),
        ("CA", "123456782RT0001", "Business Number", "123456782RT0001"),
        ("SG", "00192200M", "UEN", "00192200M"),
        ("JP", "T8000000000001", "Registration Number", "T8000000000001"),
        ("KR", "134-86-72683", "Business Registration Number", "1348672683"),
        ("TR", "4540536920", "VKN", "4540536920"),
        ("ZA", "4123456789", "VAT Number", "4123456789"),
    ],
)
def test_well_formed_id_is_valid_and_normalized(
    country: str, tax_id: str, format_name: str, normalized: str
) -> None:
    check = check_tax_id(tax_id, country)

    assert check.valid, check.error_message
    assert (check.format_name, check.normalized) == (format_name, normalized)
    assert check.error_message is None


@pytest.mark.parametrize(
    ("country", "tax_id", "message_part"),
    [
        ("DE", "DE136695977", "checksum"),
        ("DE", "DE1366", "length"),
        ("DE", "FR40303265045", "starts with DE"),
        ("GR", "DE136695976", "starts with EL"),
        ("AU", "51 824 753 557", "checksum"),
        ("ZA", "5123456789", "starting with 4"),
        ("US", "12-3456789", "cannot check"),
        ("BD", "anything", "cannot check"),
    ],
)
def test_malformed_or_uncheckable_id_is_invalid_with_a_message(
    country: str, tax_id: str, message_part: str
) -> None:
    check = check_tax_id(tax_id, country)

    assert not check.valid
    assert check.error_message is not None
    assert message_part in check.error_message
    assert (check.format_name, check.normalized) == (None, None)
