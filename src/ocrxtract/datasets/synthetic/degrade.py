"""Named difficulty levels: what happens to a clean page between the printer and the OCR engine.

========  ===================================================================================
level     what is done (parameters drawn from the page's seed and recorded in its truth)
========  ===================================================================================
clean     nothing: the rendered page, PNG
scan      flatbed scan: paper on a scanner bed, skew 0.3-1.8°, slight blur, contrast loss,
          sensor noise, often grey, JPEG quality 55-85
fax       fax or photocopy: 200 dpi, standard-mode rows (100 lines per inch, doubled), skew,
          binarised with a noisy threshold, speckles, dropped or dark scan lines, copier edges
lowdpi    downsampled to 100, 120 or 150 dpi (a web export or a low-resolution scan), PNG
photo     phone photo: the page on a table in perspective (corners moved, rotated), filling
          65-90 % of a frame at least 1600 px long (a small document is shot from closer),
          uneven light, a soft shadow, warm colour cast, defocus, noise, JPEG quality 70-90;
          no dpi
========  ===================================================================================

Geometric steps (skew, scaling, perspective, placement) are one homography applied to the image
*and* to every box of the ground truth (:mod:`.transform`), so boxes follow the ink. Photometric
steps never move pixels. Everything is drawn from ``random.Random("degrade-<seed>-<level>")``
and a NumPy generator seeded from it: the same seed gives the same bytes.

``backend="augraphy"`` replaces the photometric effects of ``scan``, ``fax`` and ``photo`` with
`augraphy <https://github.com/sparkfish/augraphy>`_ ones (``InkBleed``/``NoiseTexturize``,
``BadPhotoCopy``/``Faxify``, ``LightingGradient``/``ShadowCast``), seeded the same way; the
geometry stays ours, so the ground truth stays exact. It is optional (``pip install augraphy``).
"""

from __future__ import annotations

import io
import logging
import math
import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ocrxtract.datasets.synthetic import transform
from ocrxtract.datasets.synthetic.truth import Degradation, RenderedPage
from ocrxtract.errors import MissingDependencyError, UsageError

log = logging.getLogger(__name__)

LEVELS: dict[str, str] = {
    "clean": "the rendered page, lossless",
    "scan": "flatbed scan: skew, blur, contrast loss, noise, JPEG",
    "fax": "fax or photocopy: 200 dpi, binarised, speckles, streaks",
    "lowdpi": "downsampled to 100-150 dpi",
    "photo": "phone photo: perspective, uneven light, shadow, blur, noise, JPEG",
}
BACKENDS = ("native", "augraphy")
#: Long side in pixels of a phone photo's frame, at least: a phone camera gives 3000-4000 px and
#: messaging apps send 1600 px (the document fills 65-90 % of the frame).
CAMERA_FRAME = 1600
Params = dict[str, float | int | str]


def degrade(page: RenderedPage, level: str, *, seed: int, backend: str = "native") -> RenderedPage:
    """Degrade a clean page to ``level``; the ground truth follows every geometric change.

    Args:
        page: A clean rendered page (:func:`~.generator.render_clean`).
        level: One of :data:`LEVELS`.
        seed: Seed of the page (the degradation draws from it).
        backend: ``native`` or ``augraphy`` (photometric effects only).

    Raises:
        UsageError: unknown level or backend.
        MissingDependencyError: ``augraphy`` asked for but not installed.
    """
    if level not in LEVELS:
        raise UsageError(f"unknown difficulty {level!r}; known levels: {', '.join(LEVELS)}")
    if backend not in BACKENDS:
        raise UsageError(f"unknown degradation backend {backend!r}: {', '.join(BACKENDS)}")
    if level == "clean":
        return page
    rng = random.Random(f"degrade-{seed}-{level}")
    generator = np.random.default_rng(rng.randrange(2**32))
    steps: dict[str, Callable[..., RenderedPage]] = {
        "scan": _scan,
        "fax": _fax,
        "lowdpi": _lowdpi,
        "photo": _photo,
    }
    params: Params = {}
    result = steps[level](page, rng, generator, params, backend)
    used = backend if level in ("scan", "fax", "photo") else "native"
    truth = result.truth.model_copy(
        update={
            "degradation": Degradation(level=level, backend=used, params=params),
            "difficulty": level,
        }
    )
    return replace(result, truth=truth)


# --- helpers -----------------------------------------------------------------------------------


def _geometry(
    page: RenderedPage,
    matrix: np.ndarray,
    size: tuple[int, int],
    fill: tuple[int, int, int],
    dpi: float | None,
) -> RenderedPage:
    image = transform.warp(page.image.convert("RGB"), matrix, size, fill)
    truth = transform.transform_truth(page.truth, matrix, size, dpi)
    return RenderedPage(image=image, truth=truth)


def _placed(
    matrix: np.ndarray, width: int, height: int, margin: tuple[float, float, float, float]
) -> tuple[np.ndarray, tuple[int, int]]:
    """Shift ``matrix`` so that the transformed page sits ``margin`` (l, t, r, b) px inside."""
    x0, y0, x1, y1 = transform.bounds(matrix, width, height)
    left, top, right, bottom = margin
    shifted = transform.translation(left - x0, top - y0) @ matrix
    size = (math.ceil(x1 - x0 + left + right), math.ceil(y1 - y0 + top + bottom))
    return shifted, size


def _noise(image: Image.Image, generator: np.random.Generator, sigma: float) -> Image.Image:
    array = np.asarray(image, dtype=np.float32)
    array = array + generator.standard_normal(array.shape, dtype=np.float32) * sigma
    return Image.fromarray(np.clip(array + 0.5, 0, 255).astype(np.uint8), image.mode)


def _levels(image: Image.Image, low: int, high: int) -> Image.Image:
    """Map 0..255 to low..high (ink not black, paper not white)."""
    table = [round(low + v * (high - low) / 255) for v in range(256)]
    return image.point(table * len(image.getbands()))


def _jpeg(page: RenderedPage, quality: int) -> RenderedPage:
    """Encode as JPEG and decode again: the page holds the pixels and bytes of the file."""
    buffer = io.BytesIO()
    dpi = page.truth.dpi
    extra: dict[str, Any] = {"dpi": (round(dpi), round(dpi))} if dpi else {}
    page.image.save(buffer, "JPEG", quality=quality, optimize=False, **extra)
    data = buffer.getvalue()
    decoded = Image.open(io.BytesIO(data))
    decoded.load()
    return replace(page, image=decoded, encoding="jpeg", quality=quality, data=data)


def _augraphy(image: Image.Image, rng: random.Random, names: tuple[str, ...]) -> Image.Image:
    """Run augraphy effects ``names`` on ``image`` with seeded global generators (restored)."""
    try:
        import augraphy  # type: ignore[import-untyped]
    except ImportError as exc:
        raise MissingDependencyError(
            "augraphy", "use the augraphy degradation backend", "pip install 'augraphy==8.2.6'"
        ) from exc
    state_py, state_np = random.getstate(), np.random.get_state()
    seed = rng.randrange(2**31)
    random.seed(seed)
    np.random.seed(seed)
    try:
        array = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # augraphy works in BGR
        for name in names:
            effect = getattr(augraphy, name)(p=1)
            out = effect(array, force=True)
            if out is None:
                continue
            if out.ndim == 2:
                out = np.stack([out] * 3, axis=-1)
            if out.shape[:2] != array.shape[:2]:
                raise UsageError(f"augraphy {name} changed the image size: boxes would be wrong")
            array = np.ascontiguousarray(out[:, :, :3])
    finally:
        random.setstate(state_py)
        np.random.set_state(state_np)
    return Image.fromarray(array[:, :, ::-1].copy(), "RGB")


# --- levels ------------------------------------------------------------------------------------


def _scan(
    page: RenderedPage,
    rng: random.Random,
    generator: np.random.Generator,
    params: Params,
    backend: str,
) -> RenderedPage:
    width, height = page.image.size
    dpi = page.truth.dpi or 300.0
    angle = rng.uniform(0.3, 1.8) * rng.choice((-1, 1))
    bed = rng.randrange(215, 246)
    margin = [rng.uniform(0.004, 0.02) * width for _ in range(4)]
    matrix, size = _placed(
        transform.rotation(angle, (width / 2, height / 2)),
        width,
        height,
        (margin[0], margin[1], margin[2], margin[3]),
    )
    result = _geometry(page, matrix, size, (bed, bed, bed), dpi)
    image = result.image
    blur = rng.uniform(0.35, 0.9) * dpi / 300
    low, high = rng.randrange(10, 45), rng.randrange(228, 252)
    sigma = rng.uniform(2.5, 7.0)
    gray = rng.random() < 0.6
    quality = rng.randrange(55, 86)
    if backend == "augraphy":
        image = _augraphy(image, rng, ("InkBleed", "NoiseTexturize"))
    image = image.filter(ImageFilter.GaussianBlur(blur))
    image = _levels(image, low, high)
    if gray:
        image = image.convert("L")
    image = _noise(image, generator, sigma)
    params.update(
        angle=round(angle, 3),
        blur=round(blur, 3),
        ink=low,
        paper=high,
        noise=round(sigma, 2),
        gray=int(gray),
        jpeg_quality=quality,
    )
    return _jpeg(replace(result, image=image), quality)


def _fax(
    page: RenderedPage,
    rng: random.Random,
    generator: np.random.Generator,
    params: Params,
    backend: str,
) -> RenderedPage:
    width, height = page.image.size
    dpi = page.truth.dpi or 300.0
    target = min(200.0, dpi)  # fax fine mode; never upsample a page rendered below it
    scale = target / dpi
    angle = rng.uniform(-1.0, 1.0)
    turn = transform.rotation(angle, (width / 2, height / 2))
    matrix, size = _placed(transform.scaling(scale) @ turn, width, height, (2, 2, 2, 2))
    result = _geometry(page, matrix, size, (255, 255, 255), target)
    gray = np.asarray(result.image.convert("L"), dtype=np.float32)
    standard = rng.random() < 0.5  # standard mode: 100 lines per inch, each row sent twice
    if standard:
        gray[1::2] = gray[0::2][: gray[1::2].shape[0]]
    copier = rng.random() < 0.5
    if backend == "augraphy":
        effects = ("BadPhotoCopy",) if copier else ("Faxify",)
        rgb = Image.fromarray(np.clip(gray, 0, 255).astype(np.uint8)).convert("RGB")
        gray = np.asarray(_augraphy(rgb, rng, effects).convert("L"), dtype=np.float32)
    threshold = rng.uniform(135, 175)
    jitter = rng.uniform(10, 30)
    field = gray + generator.standard_normal(gray.shape, dtype=np.float32) * jitter
    ink = field < threshold
    speckle = rng.uniform(0.0005, 0.003)
    ink ^= generator.random(gray.shape, dtype=np.float32) < speckle
    rows, cols = ink.shape
    for _ in range(rng.randrange(0, 4)):  # a dropped (white) or stuck (black) scan line
        row = rng.randrange(rows)
        ink[row] = False if rng.random() < 0.6 else generator.random(cols) < 0.5
    if copier:  # photocopy: dark bands where the glass was wider than the sheet
        band = rng.randrange(3, 12)
        side = rng.choice(("left", "right", "top", "bottom"))
        area = {
            "left": (slice(None), slice(0, band)),
            "right": (slice(None), slice(cols - band, cols)),
            "top": (slice(0, band), slice(None)),
            "bottom": (slice(rows - band, rows), slice(None)),
        }
        region = area[side]
        ink[region] |= generator.random(ink[region].shape) < 0.85
        params["copier_edge"] = side
    image = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8), "L")
    params.update(
        angle=round(angle, 3),
        standard_mode=int(standard),
        threshold=round(threshold, 1),
        jitter=round(jitter, 1),
        speckle=round(speckle, 5),
        copier=int(copier),
    )
    return replace(result, image=image)


def _lowdpi(
    page: RenderedPage,
    rng: random.Random,
    generator: np.random.Generator,
    params: Params,
    backend: str,
) -> RenderedPage:
    del generator, backend
    width, height = page.image.size
    dpi = page.truth.dpi or 300.0
    target = min(float(rng.choice((100, 120, 150))), dpi / 2)  # always below the page's dpi
    scale = target / dpi
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    matrix = transform.scaling(size[0] / width, size[1] / height)
    image = page.image.resize(size, Image.Resampling.BOX)
    truth = transform.transform_truth(page.truth, matrix, size, target)
    params.update(dpi=target)
    return RenderedPage(image=image, truth=truth)


def _photo(
    page: RenderedPage,
    rng: random.Random,
    generator: np.random.Generator,
    params: Params,
    backend: str,
) -> RenderedPage:
    width, height = page.image.size
    # the share of the camera's frame the document fills; the frame is the camera's, at least
    # CAMERA_FRAME px on its long side: a small document (an ID card, a short receipt) is
    # photographed from closer, not with fewer pixels
    fill = rng.uniform(0.65, 0.9)
    scale = fill * max(1.0, CAMERA_FRAME / max(width, height))
    # the page's corners, scaled, then each moved and the whole turned
    spread = rng.uniform(0.03, 0.08)
    angle = math.radians(rng.uniform(-6, 6))
    w, h = width * scale, height * scale
    corners = []
    for cx, cy in ((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)):
        x = cx * w + rng.uniform(-spread, spread) * w
        y = cy * h + rng.uniform(-spread, spread) * h
        corners.append(
            (x * math.cos(angle) + y * math.sin(angle), -x * math.sin(angle) + y * math.cos(angle))
        )
    source = [(0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height))]
    matrix = transform.perspective(source, corners)
    pad = [rng.uniform(0.04, 0.12) * w for _ in range(4)]
    matrix, size = _placed(matrix, width, height, (pad[0], pad[1], pad[2], pad[3]))
    table = _table_surface(size, rng, generator)
    image = transform.warp(page.image.convert("RGB"), matrix, size, (0, 0, 0))
    mask = transform.warp(Image.new("L", page.image.size, 255), matrix, size, 0)
    table.paste(image, (0, 0), mask)
    truth = transform.transform_truth(page.truth, matrix, size, None)
    image = table
    blur = rng.uniform(0.5, 1.6) * (page.truth.dpi or 300.0) / 300
    sigma = rng.uniform(3.0, 9.0)
    quality = rng.randrange(70, 91)
    if backend == "augraphy":
        image = _augraphy(image, rng, ("LightingGradient", "ShadowCast"))
    else:
        image = _lighting(image, rng, params)
    warm = rng.uniform(0.88, 0.98)
    r, g, b = image.split()
    b = b.point(lambda v: round(v * warm))
    g = g.point(lambda v: round(v * (1 + warm) / 2))
    image = Image.merge("RGB", (r, g, b)).filter(ImageFilter.GaussianBlur(blur))
    image = _noise(image, generator, sigma)
    params.update(
        scale=round(scale, 3),
        fill=round(fill, 3),
        spread=round(spread, 3),
        angle=round(math.degrees(angle), 2),
        blur=round(blur, 2),
        noise=round(sigma, 2),
        warmth=round(warm, 3),
        jpeg_quality=quality,
    )
    return _jpeg(RenderedPage(image=image, truth=truth), quality)


def _table_surface(
    size: tuple[int, int], rng: random.Random, generator: np.random.Generator
) -> Image.Image:
    """A desk: a base colour with a soft large-scale texture."""
    base = rng.choice(((120, 86, 58), (150, 118, 84), (60, 60, 64), (182, 176, 168), (96, 70, 50)))
    small = (max(2, size[0] // 64), max(2, size[1] // 64))
    texture = generator.normal(0, 14, (small[1], small[0], 1)).astype(np.float32)
    array = np.clip(np.array(base, dtype=np.float32) + texture, 0, 255).astype(np.uint8)
    return Image.fromarray(array, "RGB").resize(size, Image.Resampling.BICUBIC)


def _lighting(image: Image.Image, rng: random.Random, params: Params) -> Image.Image:
    """Uneven light (a linear gradient and a vignette) and one soft shadow."""
    width, height = image.size
    small = (64, max(2, round(64 * height / width)))
    ys, xs = np.mgrid[0 : small[1], 0 : small[0]].astype(np.float32)
    xs, ys = xs / (small[0] - 1), ys / (small[1] - 1)
    direction = rng.uniform(0, math.tau)
    strength = rng.uniform(0.1, 0.3)
    light = 1.0 - strength * (
        0.5 + 0.5 * (np.cos(direction) * (xs - 0.5) + np.sin(direction) * (ys - 0.5)) * 2
    )
    vignette = rng.uniform(0.05, 0.2)
    light -= vignette * ((xs - 0.5) ** 2 + (ys - 0.5) ** 2) * 2
    shadow = Image.new("L", small, 0)
    draw = ImageDraw.Draw(shadow)
    corner = rng.randrange(4)
    sx = 0 if corner in (0, 3) else small[0]
    sy = 0 if corner in (0, 1) else small[1]
    reach_x, reach_y = rng.uniform(0.3, 0.7) * small[0], rng.uniform(0.3, 0.7) * small[1]
    draw.ellipse((sx - reach_x, sy - reach_y, sx + reach_x, sy + reach_y), fill=255)
    shadow = shadow.filter(ImageFilter.GaussianBlur(rng.uniform(2, 6)))
    depth = rng.uniform(0.2, 0.45)
    light *= 1.0 - depth * np.asarray(shadow, dtype=np.float32) / 255
    factor = Image.fromarray(np.clip(light * 255, 0, 255).astype(np.uint8), "L").resize(
        (width, height), Image.Resampling.BICUBIC
    )
    params.update(
        light_strength=round(strength, 3),
        vignette=round(vignette, 3),
        shadow_depth=round(depth, 3),
        shadow_corner=corner,
    )
    return ImageChops.multiply(image, Image.merge("RGB", (factor, factor, factor)))
