"""What every document template shares: the drawing context and the finished draft."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ocrxtract.datasets.synthetic.fonts import MONO, SANS, SERIF
from ocrxtract.datasets.synthetic.layout import Canvas, Color, Style
from ocrxtract.datasets.synthetic.values import FrenchValues
from ocrxtract.document import Table

#: Dark inks used for printed text (pure black and the near-blacks of laser printers).
PRINT_INKS: tuple[Color, ...] = ((0, 0, 0), (20, 20, 20), (35, 35, 40), (10, 20, 45))


@dataclass
class Context:
    """What a template draws from: the seed's random generator, French values, the dpi."""

    seed: int
    dpi: int
    rng: random.Random = field(init=False)
    values: FrenchValues = field(init=False)
    today: date = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.values = FrenchValues(self.seed)
        self.today = date(2022, 1, 3) + timedelta(days=self.rng.randrange(4 * 365))

    def choice(self, options: tuple[str, ...] | list[str]) -> str:
        """One of ``options``."""
        return self.rng.choice(list(options))

    def ink(self) -> Color:
        """A printing ink."""
        return self.rng.choice(PRINT_INKS)

    def sans(self) -> str:
        """A sans-serif family."""
        return self.rng.choice(SANS)

    def serif(self) -> str:
        """A serif family."""
        return self.rng.choice(SERIF)

    def mono(self) -> str:
        """A monospaced family."""
        return self.rng.choice(MONO)

    def body_style(self, family: str, low: float, high: float) -> Style:
        """A body style of ``family`` with a size in ``[low, high]`` points (half points)."""
        size = round(self.rng.uniform(low, high) * 2) / 2
        return Style(family, size, color=self.ink())


@dataclass
class Draft:
    """A drawn document before degradation: its canvas, template name and tables."""

    canvas: Canvas
    template: str
    tables: list[Table] = field(default_factory=list)


def address_block(
    canvas: Canvas,
    x: float,
    baseline: float,
    lines: list[str],
    style: Style,
    *,
    first_style: Style | None = None,
    fields: Sequence[str | None] = (),
    leading: float = 1.25,
    align: str = "left",
) -> float:
    """A block of lines (a name, then an address); ``fields[i]`` names line ``i``'s key field
    (lines beyond ``fields`` are no field; a field over several lines joins them).

    Returns the next free baseline.
    """
    step = canvas.leading(style, leading)
    with canvas.block("address"):
        for number, text in enumerate(lines):
            text_style = first_style if (number == 0 and first_style) else style
            name = fields[number] if number < len(fields) else None
            canvas.line(x, baseline, text, text_style, field=name, align=align)
            baseline += step
    return baseline
