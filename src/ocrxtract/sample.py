"""A generated French sample page with exact ground truth.

This is the embedded default of the foundation: it needs no download and no dataset, so the demo,
the engine contract tests and the overhead benchmark work on a fresh machine. The full synthetic
generator of French administrative documents (payslips, rent receipts, ...) builds on the same idea.

The page is rendered with a TrueType font from the Debian font packages (DejaVu or Liberation) at
a chosen dpi; every word's box is measured with the font's own metrics, so the ground truth is
exact to the pixel.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox, Document, Page, Word, block_from_lines, line_from_words
from ocrxtract.errors import OcrxtractError
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

#: Fonts looked for, in order (Debian packages fonts-dejavu-core and fonts-liberation).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
)
FONT_INSTALL_HINT = "sudo apt-get install fonts-dejavu-core (or run: make setup)"

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


class FontNotFoundError(OcrxtractError):
    """No TrueType font is installed to render the sample page."""

    exit_code = 5


@dataclass(frozen=True)
class SamplePage:
    """A rendered page and its exact ground truth."""

    page: PageImage
    truth: Document

    @property
    def text(self) -> str:
        """Ground-truth text, one line per line, in the order the page was written."""
        return "\n".join(line.text for page in self.truth.pages for line in page.lines())


@lru_cache(maxsize=1)
def find_font() -> Path:
    """Path of the TrueType font used for generated pages.

    Raises:
        FontNotFoundError: none of :data:`FONT_CANDIDATES` is installed.
    """
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    raise FontNotFoundError(
        f"no TrueType font found (looked for {', '.join(FONT_CANDIDATES)}); "
        f"install one with: {FONT_INSTALL_HINT}"
    )


def format_euros(amount: float) -> str:
    """French amount format: ``1 234,56 €`` (narrow spacing replaced by a plain space)."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"{whole.replace(',', ' ')},{cents} €"


def sample_lines(seed: int = 0) -> list[str]:
    """The text of the sample page: French, with accents, euro amounts and dates."""
    rng = random.Random(seed)
    month = rng.randrange(12)
    year = rng.choice((2023, 2024, 2025))
    rent = rng.randrange(45_000, 180_000) / 100
    charges = rng.randrange(3_000, 25_000) / 100
    day = rng.randrange(1, 28)
    reference = f"{year}-QL-{rng.randrange(10_000, 99_999)}"
    return [
        "RÉPUBLIQUE FRANÇAISE",
        "Quittance de loyer",
        f"Période : {_MONTHS[month]} {year}",
        f"Référence du dossier : {reference}",
        f"Loyer hors charges : {format_euros(rent)}",
        f"Provision pour charges : {format_euros(charges)}",
        f"Total réglé : {format_euros(rent + charges)}",
        f"Fait à Besançon, le {day:02d}/{month + 1:02d}/{year}",
        "Le bailleur reconnaît avoir reçu la somme indiquée.",
        "Cette quittance annule tous les reçus précédents.",
    ]


def render_sample_page(seed: int = 0, dpi: int = 300, font_pt: float = 12.0) -> SamplePage:
    """Render the sample page on an A4 sheet at ``dpi`` with exact word boxes.

    Args:
        seed: Varies amounts, dates and references; the same seed gives the same page.
        dpi: Resolution of the rendered page (stored in the page and the ground truth).
        font_pt: Body font size in points.

    Returns:
        The page image (with its dpi) and the ground-truth Document.
    """
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    image = Image.new("L", (width, height), color=255)
    draw = ImageDraw.Draw(image)
    font_path = find_font()
    body = ImageFont.truetype(str(font_path), size=max(8, round(font_pt * dpi / 72)))
    title = ImageFont.truetype(str(font_path), size=max(8, round(font_pt * 1.5 * dpi / 72)))
    margin = round(0.9 * dpi)
    y = margin
    space = draw.textlength(" ", font=body)
    lines = []
    for number, text in enumerate(sample_lines(seed)):
        font = title if number < 2 else body
        x = float(margin)
        words = []
        for token in text.split(" "):
            draw.text((x, y), token, font=font, fill=0)
            left, top, right, bottom = draw.textbbox((x, y), token, font=font)
            words.append(
                Word(text=token, bbox=BBox(x0=int(left), y0=int(top), x1=int(right) + 1,
                                           y1=int(bottom) + 1), confidence=None)
            )  # fmt: skip
            x += draw.textlength(token, font=font) + space
        lines.append(line_from_words(words))
        ascent, descent = font.getmetrics()
        y += round((ascent + descent) * (1.9 if number in (1, 3, 6) else 1.45))
    truth_page = Page(index=0, width=width, height=height, dpi=float(dpi),
                      blocks=[block_from_lines(lines)])  # fmt: skip
    source = f"sample-fr-{seed}.png"
    page = PageImage(image=image.convert("RGB"), index=0, source=source, dpi=float(dpi))
    return SamplePage(page=page, truth=Document(source=source, pages=[truth_page]))
