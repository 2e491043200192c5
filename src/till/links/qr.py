"""QR codes of links, as SVG (for print) and PNG (for everything else).

Medium error correction survives a crease or a smudge on a flyer; a border
of four modules is the quiet zone the QR standard asks for, without which
some phone cameras fail to find the code.
"""

from __future__ import annotations

import io

import segno

ERROR_LEVEL = "m"
BORDER = 4
# 10 pixels a module: a typical link's code is around 370 px square, which
# prints sharply at about 3 cm and scales up cleanly in the SVG.
SCALE = 10


def qr_code(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=ERROR_LEVEL, boost_error=False)


def svg_bytes(url: str) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=SCALE, border=BORDER, title=url)
    return out.getvalue()


def png_bytes(url: str) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=SCALE, border=BORDER)
    return out.getvalue()
