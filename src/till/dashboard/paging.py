"""Page-by-page lists that keep the filters in their links."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from fastapi import Request

from till.http.pagination import Page

PAGE_SIZE = 20
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Pager:
    number: int
    size: int = PAGE_SIZE
    filters: dict[str, str] = field(default_factory=dict)
    shown: int = 0

    @property
    def page(self) -> Page:
        return Page(size=self.size, number=self.number)

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        # A full page may be followed by an empty one; that costs one click
        # and saves counting every row of a long list.
        return self.shown >= self.size

    def url(self, number: int) -> str:
        query = {k: v for k, v in self.filters.items() if v}
        if number:
            query["page"] = str(number)
        return "?" + urlencode(query) if query else "?"

    def seen(self, rows: int) -> Pager:
        return replace(self, shown=rows)


def pager_of(request: Request, **filters: str | None) -> Pager:
    raw = request.query_params.get("page", "0")
    number = int(raw) if raw.isdigit() and int(raw) <= MAX_PAGE else 0
    kept = {name: value for name, value in filters.items() if value}
    return Pager(number=number, filters=kept)
