"""Payment links: stable URLs that sell a product without server code.

``/buy/{product_id}`` is the static link of every product; ``/l/{slug}`` is a
short link that a merchant names and that carries saved parameters. Each
visit becomes a checkout session through the same create function the API
uses, and the buyer is sent on to the hosted page.
"""
