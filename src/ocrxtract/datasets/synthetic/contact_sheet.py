"""A contact sheet: one generated page per document type (rows) and difficulty (columns)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

from ocrxtract.datasets.synthetic.degrade import LEVELS
from ocrxtract.datasets.synthetic.fonts import load_font
from ocrxtract.datasets.synthetic.generator import DOCUMENT_TYPES, render_page
from ocrxtract.datasets.synthetic.writer import page_seed
from ocrxtract.errors import UsageError

log = logging.getLogger(__name__)


def contact_sheet(
    seed: int = 0,
    *,
    dpi: int = 150,
    cell: tuple[int, int] = (230, 300),
    types: Sequence[str] | None = None,
    difficulties: Sequence[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Image.Image:
    """Render one page per (type, difficulty) and lay the thumbnails out in a grid.

    Row ``r`` uses the same document (same seed) in every column, so a row shows one page going
    through each degradation.
    """
    types = list(types or DOCUMENT_TYPES)
    difficulties = list(difficulties or LEVELS)
    for name in types:
        if name not in DOCUMENT_TYPES:
            raise UsageError(f"unknown document type {name!r}; known: {', '.join(DOCUMENT_TYPES)}")
    for name in difficulties:
        if name not in LEVELS:
            raise UsageError(f"unknown difficulty {name!r}; known: {', '.join(LEVELS)}")
    label_w, header_h, gap = 150, 28, 8
    cell_w, cell_h = cell
    width = label_w + len(difficulties) * (cell_w + gap)
    height = header_h + len(types) * (cell_h + gap)
    sheet = Image.new("RGB", (width, height), (250, 250, 250))
    draw = ImageDraw.Draw(sheet)
    font = load_font("dejavu-sans", "bold", 14)
    small = load_font("dejavu-sans", "regular", 12)
    for c, level in enumerate(difficulties):
        x = label_w + c * (cell_w + gap) + cell_w // 2
        draw.text((x, header_h // 2), level, font=font, fill=(30, 30, 30), anchor="mm")
    total, done = len(types) * len(difficulties), 0
    for r, doc_type in enumerate(types):
        y = header_h + r * (cell_h + gap)
        for k, word in enumerate(doc_type.split("-")):
            draw.text((8, y + cell_h // 2 - 16 + 17 * k), word, font=small, fill=(30, 30, 30))
        seed_r = page_seed(seed, list(DOCUMENT_TYPES).index(doc_type))  # same row, same page
        for c, level in enumerate(difficulties):
            page = render_page(doc_type, seed_r, level, dpi)
            thumb = page.image.convert("RGB")
            thumb.thumbnail((cell_w, cell_h), Image.Resampling.LANCZOS)
            x = label_w + c * (cell_w + gap)
            ox, oy = x + (cell_w - thumb.width) // 2, y + (cell_h - thumb.height) // 2
            sheet.paste(thumb, (ox, oy))
            draw.rectangle(
                (ox - 1, oy - 1, ox + thumb.width, oy + thumb.height), outline=(170, 170, 170)
            )
            done += 1
            if progress is not None:
                progress(done, total, f"{doc_type} {level}")
    return sheet


def save_contact_sheet(path: Path, sheet: Image.Image, max_bytes: int = 1_500_000) -> int:
    """Save ``sheet`` as PNG (quantised to 256 colours when it would exceed ``max_bytes``);
    return the size written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", optimize=True)
    if buffer.tell() > max_bytes:
        buffer = io.BytesIO()
        sheet.quantize(256, dither=Image.Dither.NONE).save(buffer, "PNG", optimize=True)
    path.write_bytes(buffer.getvalue())
    log.info("contact sheet: %s (%d bytes)", path, buffer.tell())
    return buffer.tell()
