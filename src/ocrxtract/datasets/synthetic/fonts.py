"""Fonts for generated documents: families from Debian packages, glyph coverage checked.

Every family names the Debian package that installs it (the Makefile installs them all); a
missing font raises :class:`~ocrxtract.sample.FontNotFoundError` naming that package, never a
silent fallback (which would change the generated pages from one machine to another).

A font without a glyph draws a ".notdef" box instead of the character, so the ground truth would
lie: :func:`covers` tells whether a font has every glyph of a text, and the renderer refuses a
text the font cannot draw.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from ocrxtract.sample import FontNotFoundError

log = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/opentype"))


@dataclass(frozen=True)
class Family:
    """A font family: file per style (relative to a font folder) and its Debian package."""

    name: str
    package: str
    styles: dict[str, tuple[str, ...]]


#: Families by name. Style -> candidate files (first found wins).
FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        Family(
            "liberation-sans",
            "fonts-liberation2",
            {
                "regular": ("liberation2/LiberationSans-Regular.ttf",),
                "bold": ("liberation2/LiberationSans-Bold.ttf",),
                "italic": ("liberation2/LiberationSans-Italic.ttf",),
            },
        ),
        Family(
            "liberation-serif",
            "fonts-liberation2",
            {
                "regular": ("liberation2/LiberationSerif-Regular.ttf",),
                "bold": ("liberation2/LiberationSerif-Bold.ttf",),
                "italic": ("liberation2/LiberationSerif-Italic.ttf",),
            },
        ),
        Family(
            "liberation-mono",
            "fonts-liberation2",
            {
                "regular": ("liberation2/LiberationMono-Regular.ttf",),
                "bold": ("liberation2/LiberationMono-Bold.ttf",),
            },
        ),
        Family(
            "dejavu-sans",
            "fonts-dejavu-core",
            {"regular": ("dejavu/DejaVuSans.ttf",), "bold": ("dejavu/DejaVuSans-Bold.ttf",)},
        ),
        Family(
            "dejavu-serif",
            "fonts-dejavu-core",
            {"regular": ("dejavu/DejaVuSerif.ttf",), "bold": ("dejavu/DejaVuSerif-Bold.ttf",)},
        ),
        Family(
            "dejavu-mono",
            "fonts-dejavu-core",
            {
                "regular": ("dejavu/DejaVuSansMono.ttf",),
                "bold": ("dejavu/DejaVuSansMono-Bold.ttf",),
            },
        ),
        Family(
            "dancing-script",
            "fonts-dancingscript",
            {
                "regular": ("dancingscript/DancingScript-Regular.otf",),
                "bold": ("dancingscript/DancingScript-Bold.otf",),
            },
        ),
        Family(
            "typewriter",
            "fonts-gnutypewriter",
            {"regular": ("gnutypewriter/GNUTypewriter.ttf",)},
        ),
    )
}
#: Debian packages of every family, for install hints.
PACKAGES = tuple(sorted({family.package for family in FAMILIES.values()}))

#: Families a template may use for each role.
SANS = ("liberation-sans", "dejavu-sans")
SERIF = ("liberation-serif", "dejavu-serif")
MONO = ("dejavu-mono", "liberation-mono")
HAND = "dancing-script"
TYPEWRITER = "typewriter"


def install_hint(package: str) -> str:
    """The command that installs a font package."""
    return f"sudo apt-get install {package} (or run: make setup)"


@lru_cache(maxsize=64)
def font_path(family: str, style: str = "regular") -> Path:
    """The file of ``family`` in ``style`` (``regular``, ``bold``, ``italic``).

    A style the family lacks falls back to ``regular``.

    Raises:
        FontNotFoundError: the file is not installed (the message names the Debian package).
        KeyError: unknown family (a programming error).
    """
    spec = FAMILIES[family]
    candidates = spec.styles.get(style) or spec.styles["regular"]
    for relative in candidates:
        for base in FONT_DIRS:
            path = base / relative
            if path.is_file():
                return path
    looked = ", ".join(str(base / c) for c in candidates for base in FONT_DIRS)
    raise FontNotFoundError(
        f"font {family} ({style}) is not installed (looked for {looked}); "
        f"install it with: {install_hint(spec.package)}"
    )


def check_fonts() -> list[str]:
    """Problems with the installed fonts: one message per missing family (empty: all there)."""
    problems = []
    for name in FAMILIES:
        try:
            font_path(name)
        except FontNotFoundError as exc:
            problems.append(str(exc))
    return problems


@lru_cache(maxsize=512)
def load_font(family: str, style: str, size_px: int) -> ImageFont.FreeTypeFont:
    """A Pillow font of ``size_px`` pixels (em size), cached."""
    return ImageFont.truetype(str(font_path(family, style)), size=max(4, size_px))


@lru_cache(maxsize=64)
def _notdef(family: str, style: str) -> bytes:
    font = load_font(family, style, 32)
    return bytes(font.getmask("\ue000"))


@lru_cache(maxsize=8192)
def _has_glyph(family: str, style: str, char: str) -> bool:
    if char.isspace():
        return True
    font = load_font(family, style, 32)
    return bytes(font.getmask(char)) != _notdef(family, style)


def covers(family: str, style: str, text: str) -> bool:
    """True when ``family`` in ``style`` has a glyph for every character of ``text``."""
    return all(_has_glyph(family, style, char) for char in text)


def missing_glyphs(family: str, style: str, text: str) -> str:
    """The characters of ``text`` that ``family`` cannot draw (in order, once each)."""
    seen: dict[str, None] = {}
    for char in text:
        if not _has_glyph(family, style, char):
            seen.setdefault(char, None)
    return "".join(seen)
