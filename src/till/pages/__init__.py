"""The hosted checkout page: what a buyer sees and submits at ``/session/{id}``.

Server-rendered HTML that works without JavaScript; ``static/checkout.js``
only adds live totals and inline errors on top of the plain form post. The
same pages serve the merchant's iframe (``embedding.py``, ``static/frame.js``
and the merchant-side ``static/embed.js``), in the buyer's language
(``i18n.py``, ``locale/``) and the merchant's colours (``theme.py``).
"""
