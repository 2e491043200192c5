"""Imports every domain's models so ``Base.metadata`` knows every table.

Alembic's autogenerate and the test suite's schema checks read it.
"""

from till.catalog import models as catalog_models
from till.checkout import models as checkout_models
from till.customers import models as customer_models
from till.dashboard import models as dashboard_models
from till.discounts import models as discount_models
from till.http import idempotency
from till.links import models as link_models
from till.merchants import models as merchant_models
from till.payments import models as payment_models
from till.refunds import models as refund_models
from till.subscriptions import models as subscription_models
from till.webhooks import models as webhook_models

__all__ = [
    "catalog_models",
    "checkout_models",
    "customer_models",
    "dashboard_models",
    "discount_models",
    "idempotency",
    "link_models",
    "merchant_models",
    "payment_models",
    "refund_models",
    "subscription_models",
    "webhook_models",
]
