"""Assemble ground-truth pages from the lines a loader read, the same way for every format.

A loader gives :class:`RawLine` objects (raw transcription, pixel box, word boxes when the
format has them) grouped in :class:`RawBlock` objects; :func:`build_page` cleans the text (see
:mod:`ocrxtract.datasets.transcription`), makes approximate word boxes for line-only formats,
and collects the scorable lines and the reference text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ocrxtract.datasets.base import Item, PageRef, Sample, ScorableLine, UntranscribedZone
from ocrxtract.datasets.geometry import ImageInfo, approximate_words, image_info
from ocrxtract.datasets.transcription import CleanText, clean_transcription, normalize_spaces
from ocrxtract.document import BBox, Document, Line, Page, Provenance, Word, block_from_lines

if TYPE_CHECKING:
    from ocrxtract.datasets.registry import DatasetSpec

#: Provenance ``engine`` of ground-truth pages.
GROUND_TRUTH = "ground-truth"
APPROXIMATE_WORDS_NOTE = "word boxes are approximate: line boxes split in proportion to characters"


@dataclass
class RawLine:
    """One line as read from a ground-truth file.

    Attributes:
        text: The raw transcription of the whole line (used when ``words`` is ``None``).
        bbox: The line's pixel box (clipped to the page).
        words: ``(raw text, pixel box)`` of each word when the format gives word boxes.
    """

    text: str
    bbox: BBox
    words: list[tuple[str, BBox]] | None = None


@dataclass
class RawBlock:
    """Lines of one block (zone, entity, region) and its kind."""

    lines: list[RawLine]
    kind: str = "text"


@dataclass
class BuiltPage:
    """A ground-truth page and what was gathered while building it."""

    page: Page
    text_lines: list[str]
    scorable: list[ScorableLine]
    approximate_words: bool = False
    empty_lines: int = 0
    placeholder_lines: int = 0
    markup: set[str] = field(default_factory=set)
    untranscribed: list[UntranscribedZone] = field(default_factory=list)


def _clean(raw: str, conventions: bool) -> CleanText:
    return clean_transcription(raw) if conventions else CleanText(normalize_spaces(raw))


def _line(raw: RawLine, conventions: bool) -> tuple[Line | None, CleanText, bool]:
    """The cleaned line (``None`` when no text is left), its text and whether words are approx."""
    if raw.words:
        words: list[Word] = []
        placeholders: list[str] = []
        markup: list[str] = []
        approx = False
        for text, box in raw.words:
            cleaned = _clean(text, conventions)
            placeholders.extend(cleaned.placeholders)
            markup.extend(cleaned.markup)
            # A "word" box may hold several tokens (e.g. a one-String ALTO line): split it.
            tokens = cleaned.text.split()
            if len(tokens) == 1:
                words.append(Word(text=tokens[0], bbox=box))
            elif tokens:
                words.extend(approximate_words(cleaned.text, box))
                approx = True
        text = " ".join(w.text for w in words)
        clean = CleanText(text, tuple(placeholders), tuple(markup))
    else:
        clean = _clean(raw.text, conventions)
        words = approximate_words(clean.text, raw.bbox)
        approx = len(words) > 1
    if not words:
        return None, clean, False
    return Line(words=words, bbox=raw.bbox), clean, approx


def build_page(
    blocks: Sequence[RawBlock],
    *,
    index: int,
    width: int,
    height: int,
    dpi: float | None,
    source: str,
    conventions: bool = False,
) -> BuiltPage:
    """Build one ground-truth page.

    Args:
        blocks: Blocks of raw lines, in the order the reference text should follow.
        index: 0-based page index.
        width: Page width in pixels.
        height: Page height in pixels.
        dpi: Real resolution, when known.
        source: ``"<dataset>:<format>"`` recorded in the page provenance.
        conventions: Apply the HTR transcription conventions (placeholders, ``^``, ``_``…);
            otherwise only Unicode NFC and spaces are normalised.
    """
    built_blocks = []
    text_lines: list[str] = []
    scorable: list[ScorableLine] = []
    approx_any = False
    empty = placeholder_lines = 0
    markup: set[str] = set()
    untranscribed: list[UntranscribedZone] = []
    for block in blocks:
        lines = []
        for raw in block.lines:
            line, clean, approx = _line(raw, conventions)
            markup.update(clean.markup)
            if clean.placeholders:
                placeholder_lines += 1
            if line is None:
                if clean.placeholders:
                    untranscribed.append(UntranscribedZone(page_index=index, bbox=raw.bbox))
                empty += 1
                continue
            approx_any = approx_any or approx
            lines.append(line)
            text_lines.append(line.text)
            if clean.scorable:
                scorable.append(ScorableLine(page_index=index, bbox=line.bbox, text=line.text))
        if lines:
            built_blocks.append(block_from_lines(lines, role=block.kind))
    notes = [APPROXIMATE_WORDS_NOTE] if approx_any else []
    page = Page(
        index=index,
        width=width,
        height=height,
        dpi=dpi,
        blocks=built_blocks,
        provenance=Provenance(engine=GROUND_TRUTH, engine_version=source, notes=notes),
    )
    return BuiltPage(
        page=page,
        text_lines=text_lines,
        scorable=scorable,
        approximate_words=approx_any,
        empty_lines=empty,
        placeholder_lines=placeholder_lines,
        markup=markup,
        untranscribed=untranscribed,
    )


def empty_page(index: int, width: int, height: int, dpi: float | None, source: str) -> Page:
    """A ground-truth page without text (formats that give no page text, e.g. tables only)."""
    return Page(
        index=index,
        width=width,
        height=height,
        dpi=dpi,
        provenance=Provenance(engine=GROUND_TRUTH, engine_version=source),
    )


def page_notes(built: BuiltPage) -> list[str]:
    """Human-readable notes on what building a page met (for :attr:`Sample.notes`)."""
    notes = []
    if built.approximate_words:
        notes.append(APPROXIMATE_WORDS_NOTE)
    if built.placeholder_lines:
        notes.append(
            f"{built.placeholder_lines} line(s) hold placeholders for untranscribed or struck "
            "words: placeholders removed from the text, lines left out of line scoring"
        )
    if built.empty_lines:
        notes.append(f"{built.empty_lines} line(s) without text left out")
    if built.markup:
        notes.append(f"markup removed: {' '.join(sorted(built.markup))}")
    return notes


#: A parser of a line-transcription file: (ground truth, image) -> blocks, width, height, notes.
TranscriptionParser = Callable[
    [Path, "ImageInfo | None"], tuple[list[RawBlock], int, int, list[str]]
]


def load_transcribed_image(
    item: Item, spec: DatasetSpec, parse: TranscriptionParser, fmt: str
) -> Sample:
    """One image with a line-level transcription file (ALTO, PAGE XML) as a :class:`Sample`.

    Args:
        item: The discovered files: ``image`` and ``gt``.
        spec: The dataset's registry entry (its dpi, when the files give none).
        parse: The format's parser.
        fmt: The format's name, recorded in the sample's provenance and metadata.
    """
    image_path, gt = item.files["image"], item.files["gt"]
    image = image_info(image_path)
    blocks, width, height, notes = parse(gt, image)
    dpi = spec.dpi or image.dpi
    built = build_page(
        blocks,
        index=0,
        width=width,
        height=height,
        dpi=dpi,
        source=f"{spec.name}:{fmt}",
        conventions=True,
    )
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=(PageRef(path=image_path),),
        truth=Document(
            source=str(image_path),
            pages=[built.page],
            metadata={"ground_truth": str(gt), "format": fmt},
        ),
        text="\n".join(built.text_lines),
        split=item.split,
        dpi=dpi,
        scorable_lines=tuple(built.scorable),
        untranscribed=tuple(built.untranscribed),
        notes=tuple(notes + page_notes(built)),
    )
