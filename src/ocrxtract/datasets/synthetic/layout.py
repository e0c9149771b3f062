"""A page canvas that records exact ground truth while it draws.

Templates place text in millimetres (baselines) with font sizes in points, so one template gives
the same document at any dpi. Every word is drawn on its own and its box is the bounding box of
the pixels its glyphs cover (the same anti-aliased mask Pillow composites, read back with the
same sub-pixel offset): boxes are exact to the pixel. Words are grouped in lines (one call to
:meth:`Canvas.line`), lines in blocks (:meth:`Canvas.block`); named values are recorded as
key fields with their box; tables (:mod:`.tables`) record cells with spans.

Rotated text (stamps) gets a polygon (the rotated ink rectangle) and, as its box, the bounds of
that polygon: such boxes contain their ink but are not tight.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from PIL import Image, ImageDraw, ImageFont

from ocrxtract.datasets.synthetic.fonts import covers, load_font, missing_glyphs
from ocrxtract.datasets.synthetic.truth import FieldTruth
from ocrxtract.document import BBox, Block, Line, Word, block_from_lines, line_from_words
from ocrxtract.errors import UsageError

log = logging.getLogger(__name__)

Color = tuple[int, int, int]
BLACK: Color = (0, 0, 0)
INK_BLUE: Color = (20, 40, 140)
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Style:
    """How text is drawn: font family and style, size in points, colour."""

    family: str
    size: float
    weight: str = "regular"
    color: Color = BLACK

    def bold(self) -> Style:
        """The same style in bold."""
        return replace(self, weight="bold")

    def italic(self) -> Style:
        """The same style in italics (regular when the family has none)."""
        return replace(self, weight="italic")

    def sized(self, size: float) -> Style:
        """The same style at ``size`` points."""
        return replace(self, size=size)

    def colored(self, color: Color) -> Style:
        """The same style in ``color``."""
        return replace(self, color=color)


@dataclass(frozen=True)
class Seg:
    """A segment of a line: text in one style, optionally a key field's value."""

    text: str
    style: Style | None = None
    field: str | None = None
    #: Extra space before the segment, in mm (besides the single space between segments).
    gap: float = 0.0


@dataclass
class _BlockBuilder:
    kind: str
    lines: list[Line] = field(default_factory=list)


class Canvas:
    """A page of ``width`` x ``height`` mm rendered at ``dpi``, recording its ground truth."""

    def __init__(
        self, width: float, height: float, dpi: int, paper: Color = (255, 255, 255)
    ) -> None:
        self.dpi = dpi
        self.width_mm = width
        self.height_mm = height
        self.image = Image.new("RGB", (self.px(width), self.px(height)), paper)
        self.draw = ImageDraw.Draw(self.image)
        self.blocks: list[Block] = []
        self.fields: dict[str, FieldTruth] = {}
        self._open: _BlockBuilder | None = None

    # --- units --------------------------------------------------------------------------------

    def px(self, mm: float) -> int:
        """Millimetres -> whole pixels (rounded)."""
        return round(mm * self.dpi / MM_PER_INCH)

    def fpx(self, mm: float) -> float:
        """Millimetres -> pixels (not rounded)."""
        return mm * self.dpi / MM_PER_INCH

    def to_mm(self, px: float) -> float:
        """Pixels -> millimetres."""
        return px * MM_PER_INCH / self.dpi

    def font(self, style: Style) -> ImageFont.FreeTypeFont:
        """The Pillow font of ``style`` at this canvas' dpi."""
        return load_font(style.family, style.weight, round(style.size * self.dpi / 72))

    def width_of(self, text: str, style: Style) -> float:
        """Advance width of ``text`` in mm."""
        return self.to_mm(self.font(style).getlength(text))

    def leading(self, style: Style, factor: float = 1.2) -> float:
        """Distance between baselines in mm for ``style`` (``factor`` x the em size)."""
        return style.size * factor * MM_PER_INCH / 72

    def ascent(self, style: Style) -> float:
        """Font ascent in mm (from the baseline up)."""
        return self.to_mm(self.font(style).getmetrics()[0])

    # --- blocks -------------------------------------------------------------------------------

    @contextmanager
    def block(self, kind: str = "text") -> Iterator[None]:
        """Group the lines written inside the ``with`` into one block of ``kind``."""
        if self._open is not None:
            raise UsageError("blocks do not nest")
        self._open = _BlockBuilder(kind)
        try:
            yield
        finally:
            builder, self._open = self._open, None
            if builder.lines:
                self.blocks.append(block_from_lines(builder.lines, role=builder.kind))

    def _add_line(self, line: Line, kind: str) -> None:
        if self._open is not None:
            self._open.lines.append(line)
        else:
            self.blocks.append(block_from_lines([line], role=kind))

    def record_field(self, name: str, value: str, bbox: BBox | None) -> None:
        """Record key field ``name``; a second record of the same name extends the first
        (value joined with a space, boxes united): an address written on two lines."""
        old = self.fields.get(name)
        if old is None:
            self.fields[name] = FieldTruth(value=value, bbox=bbox)
            return
        boxes = [b for b in (old.bbox, bbox) if b is not None]
        self.fields[name] = FieldTruth(
            value=f"{old.value} {value}", bbox=BBox.union(boxes) if boxes else None
        )

    # --- text ---------------------------------------------------------------------------------

    def draw_word(self, x_px: float, baseline_px: float, text: str, style: Style) -> BBox:
        """Draw one word with its left end at ``x_px`` on ``baseline_px``; its exact ink box."""
        if not covers(style.family, style.weight, text):
            raise UsageError(
                f"font {style.family} ({style.weight}) has no glyph for "
                f"{missing_glyphs(style.family, style.weight, text)!r} in {text!r}"
            )
        font = self.font(style)
        self.draw.text((x_px, baseline_px), text, font=font, fill=style.color, anchor="ls")
        start = (math.modf(x_px)[0], math.modf(baseline_px)[0])
        mask, offset = font.getmask2(text, "L", anchor="ls", start=start)
        ink = mask.getbbox()
        left, top = int(x_px) + offset[0], int(baseline_px) + offset[1]
        if ink is None:  # a word of invisible glyphs: its advance box on the baseline
            return BBox(x0=left, y0=top, x1=left + 1, y1=top + 1)
        return BBox(x0=left + ink[0], y0=top + ink[1], x1=left + ink[2], y1=top + ink[3])

    def line(
        self,
        x: float,
        baseline: float,
        parts: str | Sequence[Seg],
        style: Style | None = None,
        *,
        align: str = "left",
        field: str | None = None,
        kind: str = "text",
    ) -> BBox | None:
        """Write one line of text; return its box in pixels (``None`` for a blank line).

        Args:
            x: Left end (``align="left"``), right end (``"right"``) or centre (``"center"``),
                in mm.
            baseline: Baseline in mm from the top of the page.
            parts: The text, or segments in different styles (joined by one space).
            style: Style of a plain text, and default style of segments.
            align: ``left``, ``right`` or ``center``.
            field: Key field whose value is the whole line (plain text only).
            kind: Block kind when the line is written outside :meth:`block`.
        """
        segs = [Seg(parts, style, field)] if isinstance(parts, str) else list(parts)
        runs: list[tuple[str, Style, str | None, float]] = []  # word, style, field, gap before
        for number, seg in enumerate(segs):
            seg_style = seg.style or style
            if seg_style is None:
                raise UsageError(f"no style for segment {seg.text!r}")
            for index, word in enumerate(seg.text.split()):
                gap = seg.gap if index == 0 and number > 0 else 0.0
                runs.append((word, seg_style, seg.field, gap))
        if not runs:
            return None
        positions = []
        cursor = 0.0
        for number, (word, word_style, _, gap) in enumerate(runs):
            if number:
                previous_style = runs[number - 1][1]
                cursor += self.font(previous_style).getlength(" ") + self.fpx(gap)
            positions.append(cursor)
            cursor += self.font(word_style).getlength(word)
        start = self.fpx(x)
        if align == "right":
            start -= cursor
        elif align == "center":
            start -= cursor / 2
        words = []
        field_boxes: dict[str, list[BBox]] = {}
        field_text: dict[str, list[str]] = {}
        for (word, word_style, word_field, _), offset in zip(runs, positions, strict=True):
            box = self.draw_word(start + offset, self.fpx(baseline), word, word_style)
            words.append(Word(text=word, bbox=box))
            if word_field:
                field_boxes.setdefault(word_field, []).append(box)
                field_text.setdefault(word_field, []).append(word)
        for name, boxes in field_boxes.items():
            self.record_field(name, " ".join(field_text[name]), BBox.union(boxes))
        line = line_from_words(words)
        self._add_line(line, kind)
        return line.bbox

    def wrap(self, text: str, width: float, style: Style) -> list[str]:
        """Split ``text`` into lines no wider than ``width`` mm (greedy; a long word alone).

        Lines break at plain spaces only; no-break spaces (U+00A0) hold their words together
        (they are drawn, and recorded, as ordinary word gaps).
        """
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            # split on plain spaces only: a no-break space keeps ``1 234,56 €`` on one line
            for word in (w for w in paragraph.split(" ") if w):
                candidate = f"{current} {word}" if current else word
                if current and self.width_of(candidate, style) > width:
                    lines.append(current)
                    current = word
                else:
                    current = candidate
            lines.append(current)
        return lines

    def paragraph(
        self,
        x: float,
        baseline: float,
        width: float,
        text: str,
        style: Style,
        *,
        leading: float = 1.25,
        align: str = "left",
        field: str | None = None,
        kind: str = "text",
    ) -> float:
        """Write wrapped text, first baseline at ``baseline``; return the next free baseline.

        ``align="justify"`` stretches the spaces of every line but the last.
        """
        step = self.leading(style, leading)
        lines = [line for line in self.wrap(text, width, style) if line]
        context = self.block(kind) if self._open is None else _null_context()
        with context:
            for number, text_line in enumerate(lines):
                last = number == len(lines) - 1
                words = text_line.split()
                if align == "justify" and not last and len(words) > 1:
                    natural = self.width_of(text_line, style)
                    extra = (width - natural) / (len(words) - 1)
                    segs = [Seg(words[0], style, field)] + [
                        Seg(w, style, field, gap=extra) for w in words[1:]
                    ]
                    self.line(x, baseline, segs)
                else:
                    anchor = {"center": x + width / 2, "right": x + width}.get(align, x)
                    line_align = align if align in ("center", "right") else "left"
                    self.line(anchor, baseline, [Seg(text_line, style, field)], align=line_align)
                baseline += step
        return baseline

    def stamp(
        self,
        center: tuple[float, float],
        text: str,
        style: Style,
        angle: float,
        *,
        opacity: float = 0.6,
        kind: str = "stamp",
        box: bool = False,
    ) -> None:
        """Write ``text`` rotated by ``angle`` degrees (counter-clockwise) around ``center`` (mm),
        blended with ``opacity``; words get polygons. ``box`` draws a frame around it."""
        font = self.font(style)
        words = text.split()
        space = font.getlength(" ")
        widths = [font.getlength(w) for w in words]
        ascent, descent = font.getmetrics()
        pad = round(0.3 * (ascent + descent))
        total = sum(widths) + space * (len(words) - 1)
        width, height = math.ceil(total) + 2 * pad, ascent + descent + 2 * pad
        mask = Image.new("L", (width, height), 0)
        draw = ImageDraw.Draw(mask)
        boxes = []
        x = float(pad)
        for word, advance in zip(words, widths, strict=True):
            if not covers(style.family, style.weight, word):
                raise UsageError(f"font {style.family} cannot draw {word!r}")
            draw.text((x, pad + ascent), word, font=font, fill=255, anchor="ls")
            boxes.append(draw.textbbox((x, pad + ascent), word, font=font, anchor="ls"))
            x += advance + space
        if box:
            draw.rectangle((1, 1, width - 2, height - 2), outline=255, width=max(2, pad // 4))
        rotated = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        cx, cy = self.fpx(center[0]), self.fpx(center[1])
        left, top = round(cx - rotated.width / 2), round(cy - rotated.height / 2)
        layer = Image.new("RGB", rotated.size, style.color)
        alpha = rotated.point(lambda v: round(v * opacity))
        self.image.paste(layer, (left, top), alpha)
        theta = math.radians(angle)
        cos_t, sin_t = math.cos(theta), math.sin(theta)

        def to_page(px: float, py: float) -> tuple[int, int]:
            dx, dy = px - width / 2, py - height / 2
            return (
                round(left + rotated.width / 2 + dx * cos_t + dy * sin_t),
                round(top + rotated.height / 2 - dx * sin_t + dy * cos_t),
            )

        result = []
        polygons = []
        for word, (x0, y0, x1, y1) in zip(words, boxes, strict=True):
            polygon = [to_page(x0, y0), to_page(x1, y0), to_page(x1, y1), to_page(x0, y1)]
            polygons.append(polygon)
            result.append(Word(text=word, bbox=BBox.from_points(polygon), polygon=polygon))
        first, last = polygons[0], polygons[-1]
        line_polygon = [first[0], last[1], last[2], first[3]]
        line = Line(words=result, bbox=BBox.union([w.bbox for w in result]), polygon=line_polygon)
        self._add_line(line, kind)

    def crop_height(self, height: float) -> None:
        """Cut the page at ``height`` mm (a receipt ends where its content ends).

        Raises:
            UsageError: a recorded word lies below the cut.
        """
        bottom = self.px(height)
        lowest = max((b.bbox.y1 for b in self.blocks), default=0)
        if lowest > bottom:
            raise UsageError(f"cannot cut the page at {height} mm: text goes down to {lowest} px")
        self.image = self.image.crop((0, 0, self.image.width, bottom))
        self.draw = ImageDraw.Draw(self.image)
        self.height_mm = height

    # --- graphics (no ground truth) -----------------------------------------------------------

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        outline: Color | None = BLACK,
        fill: Color | None = None,
        width: float = 0.25,
    ) -> None:
        """A rectangle in mm; ``width`` is the line width in mm."""
        self.draw.rectangle(
            (self.px(x0), self.px(y0), self.px(x1), self.px(y1)),
            outline=outline,
            fill=fill,
            width=max(1, self.px(width)) if outline else 0,
        )

    def hline(
        self, x0: float, x1: float, y: float, width: float = 0.25, color: Color = BLACK
    ) -> None:
        """A horizontal rule at ``y`` mm, ``width`` mm thick."""
        thickness = max(1, self.px(width))
        top = self.px(y) - thickness // 2
        self.draw.rectangle((self.px(x0), top, self.px(x1) - 1, top + thickness - 1), fill=color)

    def vline(
        self, x: float, y0: float, y1: float, width: float = 0.25, color: Color = BLACK
    ) -> None:
        """A vertical rule at ``x`` mm, ``width`` mm thick."""
        thickness = max(1, self.px(width))
        left = self.px(x) - thickness // 2
        self.draw.rectangle((left, self.px(y0), left + thickness - 1, self.px(y1) - 1), fill=color)

    def dotted(
        self, x0: float, x1: float, y: float, color: Color = BLACK, step: float = 1.0
    ) -> None:
        """A dotted line (a form's blank to fill in) on baseline ``y``."""
        radius = max(1, self.px(0.15))
        x = x0
        while x <= x1:
            cx, cy = self.px(x), self.px(y)
            self.draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=color)
            x += step


@contextmanager
def _null_context() -> Iterator[None]:
    yield
