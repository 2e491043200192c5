"""The colour values a theme may carry into the page's stylesheet.

A theme colour is written into CSS served by Till, so the grammar here is a
closed list rather than "whatever a browser might parse": a hex colour, one
of the CSS colour functions with plain numbers as arguments, or a CSS colour
name. Anything else (a semicolon, a brace, ``url(``, ``var(``, a comment) is
refused, so a value can never end its declaration or open another one.

Known shortcoming: ``color()`` (a colour space name, then numbers) and the
``none`` keyword of the newer function syntax are not accepted; both would
be one more alternative in ``_FUNCTION``.
"""

from __future__ import annotations

import re

_HEX = re.compile(r"#?([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})")
_NUMBER = r"[+-]?(?:\d{1,4}(?:\.\d{1,6})?|\.\d{1,6})(?:%|deg|rad|grad|turn)?"
_FUNCTION = re.compile(
    r"(rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(\s*"
    rf"{_NUMBER}(?:(?:\s*[,/]\s*|\s+){_NUMBER}){{2,3}}"
    r"\s*\)"
)

# CSS Color Module Level 4, named colours, plus the two keywords that name a
# colour without a hue of their own.
_NAMES = """
    aliceblue antiquewhite aqua aquamarine azure beige bisque black
    blanchedalmond blue blueviolet brown burlywood cadetblue chartreuse
    chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan
    darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta
    darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink
    deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen
    fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey
    honeydew hotpink indianred indigo ivory khaki lavender lavenderblush
    lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow
    lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime
    limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid
    mediumpurple mediumseagreen mediumslateblue mediumspringgreen
    mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin
    navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff
    peru pink plum powderblue purple rebeccapurple red rosybrown royalblue
    saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue
    slateblue slategray slategrey snow springgreen steelblue tan teal thistle
    tomato turquoise violet wheat white whitesmoke yellow yellowgreen
    transparent currentcolor
"""
NAMED_COLOURS = frozenset(_NAMES.split())


def css_colour(value: str) -> str | None:
    """``value`` as it may appear in CSS, or None when it is not a colour.

    Hex colours may come without their ``#`` (the wire format allows it);
    the answer always has one. Case is folded, surrounding space dropped.
    """
    text = value.strip().lower()
    if len(text) > 64:
        return None
    hex_match = _HEX.fullmatch(text)
    if hex_match:
        return "#" + hex_match.group(1)
    if text in NAMED_COLOURS or _FUNCTION.fullmatch(text):
        return text
    return None


def check_colour(value: str) -> str:
    """A pydantic validator: the CSS form of ``value`` or a ValueError."""
    colour = css_colour(value)
    if colour is None:
        raise ValueError(
            "is not a colour: use #rgb, #rrggbb, #rrggbbaa, rgb(), hsl() "
            "with numbers, or a CSS colour name"
        )
    return colour
