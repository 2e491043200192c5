"""How a session's page looks: light, dark or the buyer's system setting, the
merchant's colours, corner radius, type size and pay button text.

The page's stylesheet draws everything from CSS custom properties, so a
theme is a few variable declarations. They are served as a stylesheet of
their own (``/session/{id}/theme.css``) because the page's policy allows no
inline style; every value in it has passed a closed grammar first (colours:
``colours.py``; radius: a number and a unit; sizes and weights: a fixed
table), and is checked again here, since a stored session may predate a
rule.

The session's ``customization`` decides; where it says nothing, the
merchant's ``checkout_theme`` defaults apply; where neither does, the page's
own light look.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from till.pages.colours import css_colour

MODES = ("light", "dark", "system")
DEFAULT_MODE = "light"

# Wire key of a theme colour -> the page's custom property it sets.
COLOUR_VARIABLES = {
    "bg_primary": "--till-bg",
    "bg_secondary": "--till-surface",
    "border_primary": "--till-border",
    "border_secondary": "--till-divider",
    "button_primary": "--till-button",
    "button_primary_hover": "--till-button-hover",
    "button_secondary": "--till-button2",
    "button_secondary_hover": "--till-button2-hover",
    "button_text_primary": "--till-button-text",
    "button_text_secondary": "--till-button2-text",
    "input_focus_border": "--till-focus",
    "text_error": "--till-error",
    "text_placeholder": "--till-placeholder",
    "text_primary": "--till-text",
    "text_secondary": "--till-muted",
    "text_success": "--till-success",
}
FONT_SIZES = {
    "xs": "12px",
    "sm": "14px",
    "md": "16px",
    "lg": "18px",
    "xl": "20px",
    "2xl": "22px",
}
FONT_WEIGHTS = {"normal": "400", "medium": "500", "bold": "700", "extraBold": "800"}
_RADIUS = re.compile(r"^\d{1,3}(\.\d{1,3})?(px|rem|em)$")
_MAX_BUTTON_TEXT = 100

Colours = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Look:
    """What the page needs of a theme; every value is safe to write."""

    mode: str = DEFAULT_MODE
    light: Colours = ()
    dark: Colours = ()
    radius: str | None = None
    font_size: str | None = None
    font_weight: str | None = None
    pay_button_text: str | None = None
    show_order_details: bool = True

    @property
    def stylesheet(self) -> str:
        return stylesheet(self)

    @property
    def version(self) -> str:
        """A digest of the stylesheet, so its URL changes with its content."""
        return hashlib.sha256(self.stylesheet.encode()).hexdigest()[:12]


def look_of(
    customization: Mapping[str, Any] | None, defaults: Mapping[str, Any] | None
) -> Look:
    """The session's customization over the merchant's defaults."""
    own = customization or {}
    base = defaults or {}
    config = _config(own)
    base_config = _config(base)

    def pick(key: str) -> Any:
        value = config.get(key)
        return base_config.get(key) if value in (None, "") else value

    mode = own.get("theme") or base.get("theme")
    return Look(
        mode=mode if mode in MODES else DEFAULT_MODE,
        light=_colours(base_config.get("light"), config.get("light")),
        dark=_colours(base_config.get("dark"), config.get("dark")),
        radius=_radius(pick("radius")),
        font_size=FONT_SIZES.get(str(pick("font_size"))),
        font_weight=FONT_WEIGHTS.get(str(pick("font_weight"))),
        pay_button_text=_button_text(pick("pay_button_text")),
        show_order_details=own.get("show_order_details") is not False,
    )


def _config(customization: Mapping[str, Any]) -> Mapping[str, Any]:
    config = customization.get("theme_config")
    return config if isinstance(config, Mapping) else {}


def _colours(*layers: object) -> Colours:
    # Later layers win key by key: the merchant's dark background stays when
    # a session only changes the dark button colour.
    chosen: dict[str, str] = {}
    for layer in layers:
        if not isinstance(layer, Mapping):
            continue
        for key, value in layer.items():
            colour = css_colour(value) if isinstance(value, str) else None
            if key in COLOUR_VARIABLES and colour is not None:
                chosen[key] = colour
    return tuple(sorted(chosen.items()))


def _radius(value: object) -> str | None:
    return value if isinstance(value, str) and _RADIUS.match(value) else None


def _button_text(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()[:_MAX_BUTTON_TEXT]


def stylesheet(look: Look) -> str:
    """The variable declarations ``look`` needs; "" when it needs none.

    The selector ``:root[data-theme]`` is as specific as the base sheet's
    dark palettes and comes later, so a merchant's colour wins over them.
    """
    if look.mode == "light":
        return _block(_shared(look) + _declared(look.light))
    if look.mode == "dark":
        return _block(_shared(look) + _declared(look.dark))
    return "".join(
        [
            _block(_shared(look)),
            _media("not all and (prefers-color-scheme: dark)", _declared(look.light)),
            _media("(prefers-color-scheme: dark)", _declared(look.dark)),
        ]
    )


def _shared(look: Look) -> list[str]:
    pairs = [
        ("--till-radius", look.radius),
        ("--till-font-size", look.font_size),
        ("--till-font-weight", look.font_weight),
    ]
    return [f"  {name}: {value};\n" for name, value in pairs if value]


def _declared(colours: Colours) -> list[str]:
    return [f"  {COLOUR_VARIABLES[key]}: {value};\n" for key, value in colours]


def _block(lines: list[str]) -> str:
    return f":root[data-theme] {{\n{''.join(lines)}}}\n" if lines else ""


def _media(query: str, lines: list[str]) -> str:
    inner = _block(lines)
    return f"@media {query} {{\n{inner}}}\n" if inner else ""
