from __future__ import annotations

from till.core.errors import Conflict, NotFound


class ProductNotFound(NotFound):
    def __init__(self, product_id: str) -> None:
        super().__init__("product", product_id)


class ProductArchived(Conflict):
    code = "PRODUCT_ARCHIVED"

    def __init__(self, product_id: str, field: str | None = None) -> None:
        super().__init__(f"Product {product_id!r} is archived.", field=field)
