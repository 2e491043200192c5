"""Imports every domain's models so ``Base.metadata`` knows every table.

Alembic's autogenerate and the test suite's schema checks read it.
"""

from till.catalog import models as catalog_models
from till.checkout import models as checkout_models
from till.customers import models as customer_models
from till.discounts import models as discount_models
from till.http import idempotency
from till.merchants import models as merchant_models

__all__ = [
    "catalog_models",
    "checkout_models",
    "customer_models",
    "discount_models",
    "idempotency",
    "merchant_models",
]
