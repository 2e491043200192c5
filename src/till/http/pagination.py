from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import Select

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    size: int
    number: int

    def apply(self, query: Select[Any]) -> Select[Any]:
        return query.limit(self.size).offset(self.size * self.number)


async def page_params(
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
    page_number: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page:
    return Page(size=page_size, number=page_number)


PageParams = Annotated[Page, Depends(page_params)]
