from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from till.core.metadata import Metadata

adapter: TypeAdapter[dict[str, object]] = TypeAdapter(Metadata)


@pytest.mark.parametrize(
    "value",
    [
        {f"k{i}": "v" for i in range(51)},
        {"k" * 41: "v"},
        {"": "v"},
        {"k": "v" * 501},
        {"k": {"nested": 1}},
        {"k": [1]},
    ],
)
def test_metadata_over_limits_is_refused(value: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        adapter.validate_python(value)


def test_metadata_within_limits_keeps_types() -> None:
    value = {f"k{i}": i for i in range(49)} | {"k" * 40: "v" * 500}
    value.pop("k0")
    value["flag"] = True
    assert adapter.validate_python(value) == value
