"""Drawings without text (no ground truth): signatures, logos, bar codes, card backgrounds.

Everything is drawn from the page's own random generator, so the same seed draws the same page.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from ocrxtract.datasets.synthetic.layout import INK_BLUE, Canvas, Color

#: ``(x, y, width, height)`` in mm.
Box = tuple[float, float, float, float]
FRENCH_BLUE: Color = (0, 35, 149)
FRENCH_RED: Color = (237, 41, 57)


def signature(canvas: Canvas, box: Box, rng: random.Random, color: Color = INK_BLUE) -> None:
    """A handwritten-looking signature: a few loops and a flourish inside ``box`` (mm)."""
    x, y, width, height = box
    points = []
    loops = rng.randrange(3, 7)
    steps = 40 * loops
    phase = rng.random() * math.tau
    for i in range(steps + 1):
        t = i / steps
        px = x + width * (0.05 + 0.8 * t) + width * 0.06 * math.sin(t * loops * math.tau + phase)
        amp = height * (0.25 + 0.2 * math.sin(t * 3 + phase))
        py = y + height * 0.55 - amp * math.cos(t * loops * math.tau * 1.1)
        points.append((canvas.fpx(px), canvas.fpx(py)))
    flourish = [
        (canvas.fpx(x + width * (0.1 + 0.9 * t)), canvas.fpx(y + height * (0.85 - 0.25 * t * t)))
        for t in (i / 20 for i in range(21))
    ]
    stroke = max(1, canvas.px(0.35))
    canvas.draw.line(points, fill=color, width=stroke, joint="curve")
    canvas.draw.line(flourish, fill=color, width=stroke, joint="curve")


def logo(canvas: Canvas, x: float, y: float, size: float, rng: random.Random) -> Color:
    """A simple company logo (overlapping shapes) in a random colour; returns that colour."""
    palette = [
        (0, 94, 184),
        (200, 16, 46),
        (0, 132, 61),
        (230, 120, 0),
        (90, 40, 140),
        (0, 128, 128),
    ]
    color = rng.choice(palette)
    light = tuple(min(255, c + 110) for c in color)
    box = (canvas.px(x), canvas.px(y), canvas.px(x + size), canvas.px(y + size))
    kind = rng.randrange(3)
    if kind == 0:
        canvas.draw.ellipse(box, fill=color)
        inner = canvas.px(size * 0.25)
        canvas.draw.ellipse(
            (box[0] + inner, box[1] + inner, box[2] - inner, box[3] - inner), fill=light
        )
    elif kind == 1:
        canvas.draw.polygon(
            [(box[0], box[3]), ((box[0] + box[2]) // 2, box[1]), (box[2], box[3])], fill=color
        )
        canvas.draw.rectangle((box[0], box[3] - canvas.px(size * 0.2), box[2], box[3]), fill=light)
    else:
        half = canvas.px(size / 2)
        canvas.draw.rectangle((box[0], box[1], box[0] + half, box[1] + half), fill=color)
        canvas.draw.rectangle((box[0] + half, box[1] + half, box[2], box[3]), fill=color)
        canvas.draw.rectangle((box[0] + half, box[1], box[2], box[1] + half), fill=light)
    return color


def barcode(canvas: Canvas, box: Box, rng: random.Random) -> None:
    """A bar code-looking pattern of random bars (not a decodable code) in ``box`` (mm)."""
    x, y, width, height = box
    cursor = x
    while cursor < x + width:
        bar = rng.choice((0.25, 0.25, 0.5, 0.75))
        canvas.rect(cursor, y, cursor + bar, y + height, outline=None, fill=(0, 0, 0))
        cursor += bar + rng.choice((0.25, 0.5, 0.5, 0.75))


def tricolour(canvas: Canvas, box: Box) -> None:
    """A small French flag (blue, white, red bands) in ``box`` (mm)."""
    x, y, width, height = box
    third = width / 3
    canvas.rect(x, y, x + third, y + height, outline=None, fill=FRENCH_BLUE)
    canvas.rect(x + 2 * third, y, x + width, y + height, outline=None, fill=FRENCH_RED)
    canvas.rect(x, y, x + width, y + height, outline=(180, 180, 180), width=0.1)


def guilloche(
    canvas: Canvas, box: Box, rng: random.Random, *, colors: tuple[Color, Color], radius: float = 3
) -> None:
    """A security-print background in ``box`` (mm, rounded corners): a two-tint gradient and
    fine sinusoidal lines."""
    x0, y0 = canvas.px(box[0]), canvas.px(box[1])
    x1, y1 = canvas.px(box[0] + box[2]), canvas.px(box[1] + box[3])
    width, height = x1 - x0, y1 - y0
    top, bottom = colors
    gradient = Image.linear_gradient("L").rotate(90).resize((width, height))
    tinted = Image.composite(
        Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), gradient
    )
    draw = ImageDraw.Draw(tinted)
    line_color = tuple(max(0, c - 22) for c in top)
    stroke = max(1, canvas.px(0.06))
    for k in range(30):
        phase = rng.random() * math.tau
        freq = 2 + rng.random() * 3
        base = height * (k + 0.5) / 30
        points = [
            (float(i), base + height * 0.04 * math.sin(freq * math.tau * i / width + phase))
            for i in range(0, width + 6, 6)
        ]
        draw.line(points, fill=line_color, width=stroke)
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, width - 1, height - 1), canvas.px(radius), fill=255
    )
    canvas.image.paste(tinted, (x0, y0), mask)
    ImageDraw.Draw(canvas.image).rounded_rectangle(
        (x0, y0, x1 - 1, y1 - 1),
        canvas.px(radius),
        outline=(150, 150, 160),
        width=max(1, canvas.px(0.1)),
    )


def portrait(canvas: Canvas, box: Box, rng: random.Random) -> None:
    """A grey silhouette in a frame, where an identity photo goes (``box`` in mm)."""
    x, y, width, height = box
    shade = rng.randrange(150, 200)
    backdrop = (shade + 30, shade + 30, shade + 35)
    canvas.rect(x, y, x + width, y + height, outline=(90, 90, 90), fill=backdrop, width=0.15)
    face = (90, 80, 75)
    cx = x + width / 2
    head_w, head_h = width * 0.42, height * 0.42
    canvas.draw.ellipse(
        (
            canvas.px(cx - head_w / 2),
            canvas.px(y + height * 0.14),
            canvas.px(cx + head_w / 2),
            canvas.px(y + height * 0.14 + head_h),
        ),
        fill=face,
    )
    canvas.draw.pieslice(
        (
            canvas.px(x + width * 0.08),
            canvas.px(y + height * 0.6),
            canvas.px(x + width * 0.92),
            canvas.px(y + height * 1.4),
        ),
        180,
        360,
        fill=face,
    )
    canvas.rect(x, y, x + width, y + height, outline=(90, 90, 90), width=0.15)
