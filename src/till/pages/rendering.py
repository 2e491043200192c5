"""Jinja2 set up for the hosted pages: autoescaping always on, gettext in.

Templates receive view models (see ``views.py``), never database rows, so a
template cannot reach anything the view did not choose to show.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from till.pages.i18n import translations_for

STATIC_PREFIX = "/static"
STATIC_FILES = ("checkout.css", "checkout.js", "frame.js")


@cache
def environment(locale: str) -> Environment:
    """One environment per locale, since gettext is installed per environment."""
    env = Environment(
        loader=PackageLoader("till.pages", "templates"),
        # Every template is HTML, so escaping is on for all of them, whatever
        # their file name says.
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations_for(locale), newstyle=True
    )
    env.globals["static_url"] = static_url
    return env


def render(template: str, locale: str, **context: Any) -> str:
    return environment(locale).get_template(template).render(locale=locale, **context)


def static_bytes(name: str) -> bytes:
    return resources.files("till.pages").joinpath("static", name).read_bytes()


@cache
def static_url(name: str) -> str:
    """The file's URL with a digest of its content, so caches can keep it."""
    digest = hashlib.sha256(static_bytes(name)).hexdigest()[:12]
    return f"{STATIC_PREFIX}/{name}?v={digest}"
