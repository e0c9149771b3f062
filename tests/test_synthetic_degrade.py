"""Degradations: the boxes move with the image (ink stays inside after skew and perspective),
each level does what it says, and the same seed gives the same bytes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from ocrxtract.datasets.synthetic import LEVELS, degrade, render_clean
from ocrxtract.datasets.synthetic.documents.common import Draft
from ocrxtract.datasets.synthetic.generator import draft_to_truth
from ocrxtract.datasets.synthetic.layout import Canvas, Style
from ocrxtract.datasets.synthetic.truth import RenderedPage
from ocrxtract.errors import UsageError

WORDS = ("Quittance", "SIRET", "1234,56", "Période", "loyer", "€", "Besançon", "NET")


def isolated_words(dpi: int = 150) -> RenderedPage:
    """Big words far apart on an A4 page: the ink around each box is that word's only."""
    canvas = Canvas(210, 297, dpi)
    style = Style("dejavu-sans", 18, "bold")
    for row in range(7):
        for col in range(3):
            canvas.line(32 + col * 55, 45 + row * 32, WORDS[(row + col) % len(WORDS)], style)
    truth = draft_to_truth(Draft(canvas=canvas, template="test"), "test", 0, "isolated")
    return RenderedPage(image=canvas.image, truth=truth)


def ink_inside(page: RenderedPage, margin: int = 10) -> list[float]:
    """For each word: the share of the ink of a window around its box that lies in the box.

    Ink is what is darker than halfway between the window's darkest pixel and its median
    (the paper): this follows uneven light and grey scans.
    """
    gray = np.asarray(page.image.convert("L"), dtype=float)
    shares = []
    for word in page.truth.document.pages[0].words():
        b = word.bbox
        y0, x0 = max(0, b.y0 - margin), max(0, b.x0 - margin)
        window = gray[y0 : b.y1 + margin, x0 : b.x1 + margin]
        threshold = (window.min() + np.median(window)) / 2
        ink = window < threshold
        inside = ink[b.y0 - y0 : b.y1 - y0, b.x0 - x0 : b.x1 - x0].sum()
        shares.append(inside / max(1, ink.sum()))
    return shares


@pytest.mark.parametrize("level", [lv for lv in LEVELS if lv != "clean"])
def test_ink_stays_inside_the_boxes(level):
    clean = isolated_words()
    for seed in (1, 2):
        page = degrade(clean, level, seed=seed)
        shares = ink_inside(page)
        assert len(shares) == 21
        if level == "fax":  # speckles, and scan lines dropped or blackened across a window
            assert sum(s >= 0.95 for s in shares) >= 19, (seed, sorted(shares)[:4])
        else:
            assert min(shares) >= 0.99, (level, seed, sorted(shares)[:4])
        assert (page.truth.width, page.truth.height) == page.image.size


def test_skew_moves_the_boxes():
    clean = isolated_words()
    page = degrade(clean, "scan", seed=3)
    angle = page.truth.degradation.params["angle"]
    assert 0.3 <= abs(float(angle)) <= 1.8
    before = list(clean.truth.document.pages[0].words())
    after = list(page.truth.document.pages[0].words())
    assert [w.text for w in before] == [w.text for w in after]
    assert all(w.polygon is not None and len(w.polygon) == 4 for w in after)
    moved = [abs(a.bbox.y0 - b.bbox.y0) for a, b in zip(after, before, strict=True)]
    assert max(moved) > 10  # a rotated page shifts words by more than a few pixels
    # without the box transform the ink would be elsewhere:
    stale = RenderedPage(
        image=page.image, truth=page.truth.model_copy(update={"document": clean.truth.document})
    )
    assert sum(s >= 0.99 for s in ink_inside(stale)) < 5


def test_lowdpi_scales_boxes_and_dpi():
    clean = render_clean("facture", 2, 300)
    page = degrade(clean, "lowdpi", seed=2)
    dpi = page.truth.dpi
    assert dpi in (100.0, 120.0, 150.0)
    factor = dpi / 300
    assert page.image.size == (
        round(clean.image.width * factor),
        round(clean.image.height * factor),
    )
    for a, b in zip(
        page.truth.document.pages[0].words(), clean.truth.document.pages[0].words(), strict=True
    ):
        assert a.polygon is None
        assert (
            abs(a.bbox.x0 - b.bbox.x0 * factor) <= 1.01
            and abs(a.bbox.y1 - b.bbox.y1 * factor) <= 1.01
        )
    assert page.text == clean.text  # the reference text belongs to the document


def test_fax_is_binary_at_200_dpi_or_less():
    page = degrade(render_clean("courrier-administratif", 1, 150), "fax", seed=1)
    assert page.image.mode == "L"
    assert set(np.unique(np.asarray(page.image))) <= {0, 255}
    assert page.truth.dpi == 150.0  # rendered below 200 dpi: never upsampled
    page = degrade(render_clean("courrier-administratif", 1, 300), "fax", seed=1)
    assert page.truth.dpi == 200.0 and page.truth.degradation.level == "fax"


def test_scan_and_photo_are_jpeg_bytes_of_the_image():
    clean = render_clean("quittance-de-loyer", 5, 100)
    for level in ("scan", "photo"):
        page = degrade(clean, level, seed=5)
        assert page.encoding == "jpeg" and page.data is not None
        decoded = Image.open(io.BytesIO(page.data))
        assert decoded.format == "JPEG"
        assert np.array_equal(np.asarray(decoded), np.asarray(page.image))
        assert page.truth.difficulty == level
        assert 55 <= int(page.truth.degradation.params["jpeg_quality"]) <= 90
    assert degrade(clean, "photo", seed=5).truth.dpi is None  # a phone photo has no dpi


def test_same_seed_same_bytes_other_seed_other_page():
    clean = render_clean("ticket-de-caisse", 6, 100)
    for level in LEVELS:
        first, second = degrade(clean, level, seed=9), degrade(clean, level, seed=9)
        assert first.image.tobytes() == second.image.tobytes()
        assert first.data == second.data
        assert first.truth == second.truth
    assert degrade(clean, "photo", seed=9).truth != degrade(clean, "photo", seed=10).truth


def test_clean_is_the_page_itself_and_unknown_names_are_refused():
    clean = render_clean("facture", 1, 60)
    assert degrade(clean, "clean", seed=1) is clean
    with pytest.raises(UsageError, match="known levels: clean, scan, fax, lowdpi, photo"):
        degrade(clean, "blurry", seed=1)
    with pytest.raises(UsageError, match="native, augraphy"):
        degrade(clean, "scan", seed=1, backend="opencv")


def test_augraphy_backend_keeps_the_geometry():
    pytest.importorskip("augraphy", reason="augraphy is optional (pip install augraphy==8.2.6)")
    clean = render_clean("carte-identite", 3, 100)
    native = degrade(clean, "scan", seed=4)
    other = degrade(clean, "scan", seed=4, backend="augraphy")
    assert other.truth.degradation.backend == "augraphy"
    assert other.truth.document == native.truth.document
    assert other.image.size == native.image.size
    assert other.image.tobytes() != native.image.tobytes()


def test_a_phone_frames_a_small_document_closer_and_a_large_one_as_it_is():
    from ocrxtract.datasets.synthetic.degrade import CAMERA_FRAME

    card = render_clean("carte-identite", 3, 200)  # 86 mm card on a scanner bed: ~800 px
    assert max(card.image.size) < CAMERA_FRAME
    photo = degrade(card, "photo", seed=3)
    params = photo.truth.degradation.params
    fill, scale = float(params["fill"]), float(params["scale"])
    assert 0.65 <= fill <= 0.9
    assert scale == pytest.approx(fill * CAMERA_FRAME / max(card.image.size), abs=1e-3)
    assert max(photo.image.size) > fill * CAMERA_FRAME  # the camera's pixels, not the page's
    big = degrade(isolated_words(dpi=200), "photo", seed=3)  # A4 at 200 dpi: 2339 px
    assert big.truth.degradation.params["scale"] == big.truth.degradation.params["fill"]
