"""Colour dropout: make the ink of one colour vanish before an engine reads a page.

Scanners of forms have long offered a *dropout colour*: a red stamp, a red grid or a red
"SPECIMEN" crossing the text is made as light as the paper, so that the detector of an OCR
engine sees the black text alone. Red dropout keeps the page's red channel: red and pink ink
is as bright there as white paper, while black, grey, blue and green ink stay dark. Blue
stamps and blue handwriting are therefore kept (French administrations stamp in blue as often
as in red); text printed in red is lost, so dropout is an option, never a default.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from ocrxtract.io.page import PageImage

#: The colours that can be dropped (``none``: the page as it is).
Dropout = Literal["none", "red"]


def drop_colour(page: PageImage, colour: Dropout) -> PageImage:
    """``page`` with the ink of ``colour`` removed: a grey-level (``L``) image for ``red``;
    ``page`` itself for ``none`` or an image without colour (grey levels, bilevel)."""
    if colour == "none" or page.image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return page
    rgb = page.image.convert("RGB")
    return replace(page, image=rgb.getchannel("R"))
