"""Why a short link cannot be created, read or changed through the API.

::

    NotFound (404)
     └── ShortLinkNotFound   no such slug for this merchant and mode
    Conflict (409)
     └── SlugTaken           another link, of any merchant, has the slug

A buyer visiting a link never sees these: the public pages answer with a
"no longer available" page instead (see :mod:`till.links.visit`).
"""

from __future__ import annotations

from till.core.errors import Conflict, NotFound


class ShortLinkNotFound(NotFound):
    def __init__(self, slug: str) -> None:
        super().__init__("short link", slug)


class SlugTaken(Conflict):
    code = "SLUG_TAKEN"

    def __init__(self, slug: str) -> None:
        super().__init__(f"The slug {slug!r} is in use; choose another.", field="slug")
