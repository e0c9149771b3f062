"""Pictures and markup that show OCR results: boxes coloured by confidence, character diffs.

Pure functions of the result model, with no UI framework: the Streamlit app and the notebooks
call them, and they are unit-tested like the rest of the library.

* :func:`draw_boxes` outlines the words, lines or blocks of a :class:`~ocrxtract.document.Page`
  on its image, each box coloured by its confidence (:func:`confidence_colour`: red for 0, amber
  for 0.5, green for 1, blue when the engine gives none).
* :func:`char_diff` aligns a reference text and a recognised text character by character after
  the same named normalisation as the metrics (:mod:`ocrxtract.metrics.text`), so the edits it
  shows add up exactly to the CER's numerator; :func:`diff_html` renders it with insertions,
  deletions and substitutions highlighted.
* :func:`leaderboard_records` flattens a benchmark summary into one record per (engine, dataset)
  for charts and tables.
* :func:`draw_table_boxes` outlines the tables found on a page and their cells.
* :func:`draw_layout` outlines the blocks of a page coloured by their role (text, header, page
  number, table...), each numbered in reading order; :func:`layout_legend_html` names the
  colours.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox, Page, Role, Table
from ocrxtract.errors import UsageError
from ocrxtract.metrics import METRIC_LABELS
from ocrxtract.metrics.text import normalize

log = logging.getLogger(__name__)

RGB = tuple[int, int, int]

#: Confidence -> colour stops, interpolated linearly: red (0), amber (0.5), green (1).
CONFIDENCE_STOPS: tuple[tuple[float, RGB], ...] = (
    (0.0, (220, 38, 38)),
    (0.5, (217, 150, 6)),
    (1.0, (22, 163, 74)),
)
#: Colour of boxes whose engine gives no confidence (PDF text layer, ground truth).
NO_CONFIDENCE_COLOUR: RGB = (37, 99, 235)

Level = Literal["word", "line", "block"]
LEVELS: tuple[Level, ...] = ("word", "line", "block")

#: Block role -> colour in :func:`draw_layout` (roles not listed: grey).
ROLE_COLOURS: dict[str, RGB] = {
    "text": (37, 99, 235),
    "title": (124, 58, 237),
    "list_item": (8, 145, 178),
    "table": (22, 163, 74),
    "header": (217, 119, 6),
    "footer": (217, 119, 6),
    "page_number": (220, 38, 38),
    "margin_note": (219, 39, 119),
    "caption": (101, 163, 13),
}
OTHER_ROLE_COLOUR: RGB = (107, 114, 128)


# --- boxes coloured by confidence -------------------------------------------------------------


def confidence_colour(confidence: float | None) -> RGB:
    """The colour of a box of this confidence (``None``: :data:`NO_CONFIDENCE_COLOUR`).

    Values outside ``[0, 1]`` are clamped; between two stops the colour is interpolated per
    channel and rounded.
    """
    if confidence is None:
        return NO_CONFIDENCE_COLOUR
    value = min(1.0, max(0.0, float(confidence)))
    for (low, low_rgb), (high, high_rgb) in pairwise(CONFIDENCE_STOPS):
        if value <= high:
            t = (value - low) / (high - low)
            return (
                round(low_rgb[0] + (high_rgb[0] - low_rgb[0]) * t),
                round(low_rgb[1] + (high_rgb[1] - low_rgb[1]) * t),
                round(low_rgb[2] + (high_rgb[2] - low_rgb[2]) * t),
            )
    return CONFIDENCE_STOPS[-1][1]


def hex_colour(rgb: RGB) -> str:
    """``(220, 38, 38)`` -> ``#dc2626``."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def page_boxes(page: Page, level: Level = "word") -> list[tuple[BBox, float | None]]:
    """The boxes of ``page`` at ``level`` with their confidence.

    A line without a confidence of its own gets the mean of its words' confidences; a block
    (which has none in the model) the mean of its words'.

    Raises:
        UsageError: ``level`` is not one of :data:`LEVELS`.
    """
    if level == "word":
        return [(word.bbox, word.confidence) for word in page.words()]
    if level == "line":
        return [
            (line.bbox, line.confidence if line.confidence is not None else _mean(
                w.confidence for w in line.words))
            for line in page.lines()
        ]  # fmt: skip
    if level == "block":
        return [
            (block.bbox, _mean(w.confidence for line in block.lines for w in line.words))
            for block in page.blocks
        ]
    raise UsageError(f"unknown box level {level!r}; known levels: {', '.join(LEVELS)}")


def _canvas(
    image: Image.Image, page: Page, max_side: int | None
) -> tuple[Image.Image, tuple[float, float]]:
    """An RGB copy of ``image`` shrunk to ``max_side`` (``None``: its size), and the scale
    from the page's pixel space to it.

    Raises:
        UsageError: ``max_side`` is not a positive number of pixels.
    """
    if max_side is not None and max_side < 1:
        raise UsageError(f"max_side must be a positive number of pixels, not {max_side}")
    base = image.convert("RGB")
    if max_side is not None and max(base.size) > max_side:
        ratio = max_side / max(base.size)
        size = (max(1, round(base.width * ratio)), max(1, round(base.height * ratio)))
        base = base.resize(size, Image.Resampling.LANCZOS)
    return base, (base.width / page.width, base.height / page.height)


def _on_canvas(bbox: BBox, scale: tuple[float, float]) -> tuple[float, float, float, float]:
    """``bbox`` (page pixels) as a rectangle of the canvas, inclusive corners."""
    sx, sy = scale
    x0, y0 = bbox.x0 * sx, bbox.y0 * sy
    return x0, y0, max(x0, bbox.x1 * sx - 1), max(y0, bbox.y1 * sy - 1)


def draw_boxes(
    image: Image.Image,
    page: Page,
    *,
    level: Level = "word",
    max_side: int | None = None,
    fill_alpha: int = 40,
    line_width: int | None = None,
) -> Image.Image:
    """A copy of ``image`` with the boxes of ``page`` drawn, coloured by confidence.

    The boxes are in the pixel space of the page the engine saw (``page.width`` x
    ``page.height``); they are scaled when ``image`` has another size, so a reduced image can
    be passed.

    Args:
        image: The page image (any mode; the result is RGB).
        page: The recognised page.
        level: Draw ``word``, ``line`` or ``block`` boxes.
        max_side: Shrink the result so that its longer side is at most this many pixels
            (``None``: keep the size).
        fill_alpha: Opacity (0-255) of the tint inside each box; 0 draws outlines only.
        line_width: Outline width in pixels of the result; default scales with its size.

    Returns:
        A new RGB image; ``image`` is not modified.

    Raises:
        UsageError: unknown ``level``, or ``max_side``/``fill_alpha`` out of range.
    """
    if not 0 <= fill_alpha <= 255:
        raise UsageError(f"fill_alpha must be in 0..255, not {fill_alpha}")
    boxes = page_boxes(page, level)
    base, scale = _canvas(image, page, max_side)
    width = line_width or max(1, round(max(base.size) / 600))
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for bbox, confidence in boxes:
        colour = confidence_colour(confidence)
        draw.rectangle(_on_canvas(bbox, scale), fill=(*colour, fill_alpha),
                       outline=(*colour, 255), width=width)  # fmt: skip
    return Image.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")


def role_colour(role: Role | str) -> RGB:
    """The colour of a block role in :func:`draw_layout`."""
    return ROLE_COLOURS.get(role, OTHER_ROLE_COLOUR)


def draw_layout(
    image: Image.Image, page: Page, *, max_side: int | None = None, fill_alpha: int = 30
) -> Image.Image:
    """A copy of ``image`` with the blocks of ``page`` outlined in the colour of their role and
    numbered 1, 2, 3... in the page's stored order (the reading order, once the pipeline has
    put it there).

    Raises:
        UsageError: ``max_side`` or ``fill_alpha`` out of range.
    """
    if not 0 <= fill_alpha <= 255:
        raise UsageError(f"fill_alpha must be in 0..255, not {fill_alpha}")
    base, scale = _canvas(image, page, max_side)
    width = max(1, round(max(base.size) / 500))
    font = _label_font(max(10, round(max(base.size) / 70)))
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for number, block in enumerate(page.blocks, start=1):
        colour = role_colour(block.role)
        x0, y0, x1, y1 = _on_canvas(block.bbox, scale)
        draw.rectangle((x0, y0, x1, y1), fill=(*colour, fill_alpha), outline=(*colour, 255),
                       width=width)  # fmt: skip
        _tag(draw, (x0, y0), str(number), font=font, fill=(*colour, 230), pad=width)
    return Image.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")


def layout_legend_html(page: Page, labels: Mapping[str, str] | None = None) -> str:
    """A one-line HTML legend of the roles of ``page``'s blocks (``labels``: role -> the name
    to show, e.g. in French; default the role itself)."""
    roles = dict.fromkeys(block.role for block in page.blocks)
    return _legend(((labels or {}).get(role, role), role_colour(role)) for role in roles)


#: Field boxes: a value that passed its checks (or has none), and one that failed.
FIELD_COLOUR: RGB = (37, 99, 235)
INVALID_FIELD_COLOUR: RGB = (220, 38, 38)


def draw_field_boxes(
    image: Image.Image,
    page: Page,
    boxes: Sequence[tuple[str, BBox, bool | None]],
    *,
    max_side: int | None = None,
) -> Image.Image:
    """A copy of ``image`` with each field's word boxes outlined and the field's name written
    above its first box; red where the value failed a check.

    Args:
        image: The page image.
        page: The page the boxes are in the pixel space of.
        boxes: ``(field name, box, valid)`` (:func:`ocrxtract.workbench.fields_view.field_boxes`).
        max_side: Shrink the result so that its longer side is at most this many pixels.
    """
    base, scale = _canvas(image, page, max_side)
    width = max(2, round(max(base.size) / 400))
    draw = ImageDraw.Draw(base)
    named: set[str] = set()
    for name, bbox, valid in boxes:
        colour = INVALID_FIELD_COLOUR if valid is False else FIELD_COLOUR
        x0, y0, x1, y1 = _on_canvas(bbox, scale)
        draw.rectangle((x0, y0, x1, y1), outline=colour, width=width)
        if name not in named:
            named.add(name)
            draw.text((x0, max(0, y0 - 12)), name, fill=colour)
    return base


#: Table boxes (outline and number) and their cells (thinner).
TABLE_COLOUR: RGB = (124, 58, 237)


def draw_table_boxes(
    image: Image.Image,
    page: Page,
    tables: Sequence[tuple[str, Table]],
    *,
    max_side: int | None = None,
) -> Image.Image:
    """A copy of ``image`` with each table's box outlined and labelled, and its cells' boxes
    drawn thinner; tables without a box are skipped.

    Args:
        image: The page image.
        page: The page the tables' boxes are in the pixel space of.
        tables: ``(label, table)``: the label (``"1"``, ``"Tableau 1"``...) is written at the
            table's top-left corner.
        max_side: Shrink the result so that its longer side is at most this many pixels.
    """
    base, scale = _canvas(image, page, max_side)
    width = max(2, round(max(base.size) / 400))
    draw = ImageDraw.Draw(base)
    font = _label_font(max(12, round(max(base.size) / 60)))
    for label, table in tables:
        for cell in table.cells:
            if cell.bbox is not None:
                draw.rectangle(_on_canvas(cell.bbox, scale), outline=TABLE_COLOUR,
                               width=max(1, width // 2))  # fmt: skip
        if table.bbox is None:
            continue
        x0, y0, x1, y1 = _on_canvas(table.bbox, scale)
        draw.rectangle((x0, y0, x1, y1), outline=TABLE_COLOUR, width=width)
        _, top, _, bottom = draw.textbbox((0, 0), label, font=font)
        corner = (x0, max(0.0, y0 - (bottom - top) - 2 * width))
        _tag(draw, corner, label, font=font, fill=TABLE_COLOUR, pad=width)
    return base


def _tag(
    draw: ImageDraw.ImageDraw,
    corner: tuple[float, float],
    label: str,
    *,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    fill: tuple[int, ...],
    pad: int,
) -> None:
    """``label`` in white on a box of ``fill`` whose top-left corner is ``corner``."""
    x, y = corner
    _, _, right, bottom = draw.textbbox((0, 0), label, font=font)
    draw.rectangle((x, y, x + right + 2 * pad, y + bottom + pad), fill=fill)
    draw.text((x + pad, y), label, fill=(255, 255, 255), font=font)


def _label_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's default font at ``size`` pixels (its bitmap font where it has no other)."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow built without FreeType
        return ImageFont.load_default()


def legend_html() -> str:
    """A one-line HTML legend of the confidence colours (for the app and notebooks)."""
    items = [(f"{int(value * 100)} %", rgb) for value, rgb in CONFIDENCE_STOPS]
    items.append(("no confidence", NO_CONFIDENCE_COLOUR))
    return _legend(items, "Confidence: ")


def _legend(items: Iterable[tuple[str, RGB]], title: str = "") -> str:
    """A one-line HTML legend: a swatch of each colour and its label."""
    swatches = "".join(
        f'<span style="display:inline-block;margin-right:1em">'
        f'<span style="display:inline-block;width:0.9em;height:0.9em;border:2px solid '
        f"{hex_colour(rgb)};background:{hex_colour(rgb)}40;vertical-align:middle;"
        f'margin-right:0.3em"></span>{html.escape(label)}</span>'
        for label, rgb in items
    )
    return f'<div class="ocrx-legend" style="font-size:0.85em">{html.escape(title)}{swatches}</div>'


# --- character diff ------------------------------------------------------------------------------

DiffOp = Literal["equal", "replace", "delete", "insert"]


@dataclass(frozen=True)
class DiffSpan:
    """A run of aligned characters.

    ``reference`` and ``hypothesis`` hold the run's characters on each side: equal runs hold
    the same text twice, a deletion (reference characters the engine missed) has an empty
    ``hypothesis``, an insertion (characters the engine added) an empty ``reference``, and a
    substitution the same number of characters on both sides.
    """

    op: DiffOp
    reference: str
    hypothesis: str


@dataclass(frozen=True)
class DiffCounts:
    """Characters per kind of alignment; ``edits`` is the Levenshtein distance."""

    hits: int = 0
    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0

    @property
    def edits(self) -> int:
        return self.substitutions + self.deletions + self.insertions


def char_diff(
    reference: str, hypothesis: str, normalization: str | None = "exact"
) -> list[DiffSpan]:
    """Align two texts character by character with a minimal number of edits.

    Both texts are normalised first (as :func:`ocrxtract.metrics.score_text` does), so the
    edits of the diff are the edits the CER counts.

    Args:
        reference: The ground truth.
        hypothesis: The recognised text.
        normalisation: A name from :data:`ocrxtract.metrics.NORMALIZATIONS` (``exact``,
            ``folded``), or ``None`` to compare the raw texts.

    Returns:
        The spans in text order; consecutive spans never share an ``op``.

    Raises:
        UsageError: unknown normalisation.
    """
    from rapidfuzz.distance import Levenshtein

    if normalization is not None:
        reference, hypothesis = (
            normalize(reference, normalization),
            normalize(hypothesis, normalization),
        )
    spans = []
    for opcode in Levenshtein.opcodes(reference, hypothesis):
        op: DiffOp = opcode.tag  # type: ignore[assignment]
        spans.append(
            DiffSpan(
                op,
                reference[opcode.src_start : opcode.src_end],
                hypothesis[opcode.dest_start : opcode.dest_end],
            )
        )
    return spans


def diff_counts(spans: Iterable[DiffSpan]) -> DiffCounts:
    """Count the characters of each kind in a diff."""
    hits = substitutions = deletions = insertions = 0
    for span in spans:
        if span.op == "equal":
            hits += len(span.reference)
        elif span.op == "replace":
            substitutions += len(span.reference)
        elif span.op == "delete":
            deletions += len(span.reference)
        else:
            insertions += len(span.hypothesis)
    return DiffCounts(hits, substitutions, deletions, insertions)


#: Inline styles of the diff markup (kept inline so the HTML stands alone).
DIFF_STYLES: dict[str, str] = {
    "container": "font-family:ui-monospace,monospace;font-size:0.85em;white-space:pre-wrap;"
    "word-break:break-word;line-height:1.7",
    "delete": "background:#fecaca;color:#7f1d1d;text-decoration:line-through",
    "insert": "background:#bbf7d0;color:#14532d;text-decoration:underline",
    "replace-reference": "background:#fde68a;color:#78350f;text-decoration:line-through",
    "replace-hypothesis": "background:#fcd34d;color:#451a03;font-weight:bold",
}
#: How a space is shown inside an edit, so that a missing or extra space can be seen.
VISIBLE_SPACE = "␣"


def _shown(text: str) -> str:
    return html.escape(text.replace(" ", VISIBLE_SPACE))


def diff_html(spans: Sequence[DiffSpan], *, max_chars: int | None = None) -> str:
    """The diff as HTML: deletions struck out in red, insertions underlined in green,
    substitutions as the reference struck out then the recognised text, in amber.

    All text is HTML-escaped (recognised text is untrusted input); spaces inside edits are
    shown as ``␣``. Each edit carries a ``title`` describing it.

    Args:
        spans: A diff from :func:`char_diff`.
        max_chars: Stop after this many characters of reference and hypothesis (long
            documents); the markup then ends with an ellipsis.
    """
    parts: list[str] = []
    budget = max_chars
    for span in spans:
        if budget is not None and budget <= 0:
            parts.append("…")
            break
        reference, hypothesis = span.reference, span.hypothesis
        if budget is not None:
            reference, hypothesis = reference[:budget], hypothesis[:budget]
            budget -= max(len(reference), len(hypothesis))
        if span.op == "equal":
            parts.append(html.escape(reference))
        elif span.op == "delete":
            parts.append(
                f'<del class="ocrx-del" title="missing: {html.escape(reference, quote=True)}" '
                f'style="{DIFF_STYLES["delete"]}">{_shown(reference)}</del>'
            )
        elif span.op == "insert":
            parts.append(
                f'<ins class="ocrx-ins" title="added: {html.escape(hypothesis, quote=True)}" '
                f'style="{DIFF_STYLES["insert"]}">{_shown(hypothesis)}</ins>'
            )
        else:
            title = html.escape(f"read {hypothesis!r} for {reference!r}", quote=True)
            parts.append(
                f'<span class="ocrx-sub" title="{title}">'
                f'<del style="{DIFF_STYLES["replace-reference"]}">{_shown(reference)}</del>'
                f'<ins style="{DIFF_STYLES["replace-hypothesis"]};text-decoration:none">'
                f"{_shown(hypothesis)}</ins></span>"
            )
    return f'<div class="ocrx-diff" style="{DIFF_STYLES["container"]}">{"".join(parts)}</div>'


def diff_legend_html() -> str:
    """A one-line HTML legend of the diff colours."""
    return (
        '<div class="ocrx-legend" style="font-size:0.85em">'
        f'<del style="{DIFF_STYLES["delete"]}">missing</del> in the reference but not read · '
        f'<ins style="{DIFF_STYLES["insert"]}">added</ins> by the engine · '
        f'<del style="{DIFF_STYLES["replace-reference"]}">expected</del>'
        f'<ins style="{DIFF_STYLES["replace-hypothesis"]};text-decoration:none">read</ins> '
        f"substituted · {VISIBLE_SPACE} a space</div>"
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!$<>|~])")


def markdown_escape(text: str) -> str:
    """``text`` with every Markdown special character backslash-escaped, so that a message
    shows as written (a ``$`` would otherwise start a formula in Streamlit, ``_`` italics)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# --- benchmark summaries -------------------------------------------------------------------------

#: Figures copied from each leaderboard record of a benchmark summary.
LEADERBOARD_FIGURES: tuple[str, ...] = (
    "samples",
    "errors",
    "pages",
    "cer_exact",
    "cer_folded",
    "oi_cer_exact",
    "oi_cer_folded",
    "transcribed_cer_exact",
    "transcribed_cer_folded",
    "wer_exact",
    "wer_folded",
    "bow_f1_exact",
    "bow_f1_folded",
    "line_cer_exact",
    "line_cer_folded",
    "word_det_f1",
    "line_det_f1",
    "seconds_per_page",
    "pages_per_minute",
    "peak_rss_mib",
)


def leaderboard_records(
    summary: dict[str, Any],
    kinds: Iterable[str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One flat record per (engine, dataset) of a benchmark summary, for charts and tables.

    Args:
        summary: A summary as written by ``ocrxtract bench`` (:func:`ocrxtract.bench.read_summary`).
        kinds: Keep only datasets of these kinds (``typed``, ``receipts`` ...); ``None`` keeps all.
        labels: Display names of metrics (``cer`` -> ``CER``); default :data:`METRIC_LABELS`,
            and a metric not named there is shown as it is.

    Returns:
        Records with ``engine``, ``dataset``, ``kind``, ``headline_metric`` (e.g. ``CER exact``),
        ``headline`` (its value) and the figures of :data:`LEADERBOARD_FIGURES` (``None`` when
        not measured), in the summary's order.
    """
    wanted = None if kinds is None else set(kinds)
    datasets = summary.get("datasets") or {}
    records = []
    for entry in summary.get("leaderboard") or []:
        info = datasets.get(entry.get("dataset"), {})
        kind = info.get("kind") or "unknown"
        if wanted is not None and kind not in wanted:
            continue
        headline = entry.get("headline") or {}
        metric = str(headline.get("metric", "cer"))
        norm = headline.get("normalisation")
        label = (METRIC_LABELS if labels is None else labels).get(metric, metric)
        record = {
            "engine": entry.get("engine"),
            "dataset": entry.get("dataset"),
            "kind": kind,
            "headline_metric": f"{label} {norm}" if norm else label,
            "headline": headline.get("value"),
        }
        record.update({name: entry.get(name) for name in LEADERBOARD_FIGURES})
        records.append(record)
    return records


def dataset_kinds(summary: dict[str, Any]) -> list[str]:
    """The kinds of the datasets that have leaderboard records, in first-seen order."""
    return list(dict.fromkeys(r["kind"] for r in leaderboard_records(summary)))
