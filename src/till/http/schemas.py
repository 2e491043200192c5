from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class ListOf(BaseModel, Generic[T]):
    """The list envelope of the wire format: ``{"items": [...]}``."""

    items: list[T]
