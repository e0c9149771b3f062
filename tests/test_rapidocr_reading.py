"""RapidOCR with detection and recognition decoupled: the inked area (pure), and real reads
whose lines and word boxes land where the text is (skipped when rapidocr is absent)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox
from ocrxtract.engines import create_engine
from ocrxtract.engines.rapidocr_engine import RapidOcrEngine
from ocrxtract.engines.rapidocr_reading import (
    GLYPH_SEARCH_STEP,
    INK_PADDING,
    detection_scale,
    inked_area,
    padded_width,
    shrink_for_text,
    text_height,
)
from ocrxtract.io import PageImage
from ocrxtract.sample import find_font, render_sample_page


def _page(width: int, height: int, ink: tuple[int, int, int, int], grey: int = 255) -> np.ndarray:
    pixels = np.full((height, width, 3), grey, dtype=np.uint8)
    x0, y0, x1, y1 = ink
    pixels[y0:y1, x0:x1] = 20
    return pixels


def test_the_inked_area_is_the_ink_padded() -> None:
    x0, y0, x1, y1 = inked_area(_page(1000, 1400, (200, 300, 640, 900)))
    assert x0 <= 200 and y0 <= 300 and x1 >= 640 and y1 >= 900
    assert x0 >= 200 - INK_PADDING - 4 and y0 >= 300 - INK_PADDING - 4
    assert x1 <= 640 + INK_PADDING + 4 and y1 <= 900 + INK_PADDING + 4


def test_grey_paper_keeps_its_ink_and_blank_or_bordered_pages_keep_everything() -> None:
    # Grey recycled paper: the background is the page's own light level, not white.
    box = inked_area(_page(800, 800, (100, 100, 300, 200), grey=190))
    assert box[0] <= 100 and box[2] >= 300 and box[2] < 400
    assert inked_area(_page(600, 400, (0, 0, 0, 0))) == (0, 0, 600, 400)
    bordered = np.full((400, 600, 3), 255, dtype=np.uint8)
    bordered[:, :30] = 0  # a scanner's dark edge on the left, ink at the far right
    bordered[180:200, 540:580] = 0
    x0, _, x1, _ = inked_area(bordered)
    assert x0 == 0 and x1 >= 580
    assert inked_area(np.full((300, 200), 255, dtype=np.uint8)) == (0, 0, 200, 300)  # grey image


def test_lone_marks_and_near_320_lines_keep_rapidocrs_padding() -> None:
    """Crops 56 pixels high (48 at the recogniser's height: widths x 6/7)."""

    def width(crop_width: int, min_width: int = 96, narrow: float = 1.5, short: int = 200) -> int:
        return padded_width(np.zeros((56, crop_width, 3), np.uint8), min_width, narrow, short)

    assert width(84) == 320  # a lone mark: 1.5 times as wide as high
    assert width(85) == 96 and width(232) == 96  # short lines: 73 and 198 pixels at 48
    assert width(234) == 320 and width(372) == 320  # 200.6 and 318.9 pixels at 48
    assert width(374) == 96  # 320.6 at 48: its own width, the smaller minimum changes nothing
    assert width(84, narrow=0) == 96 and width(300, short=320) == 96  # both rules off
    assert width(300, min_width=320) == 320 and width(20, min_width=400) == 400


def test_the_detection_scale_is_rapidocrs_for_the_whole_page() -> None:
    assert detection_scale(2480, 3508, 2000, 736) == pytest.approx(2000 / 3508)
    assert detection_scale(762, 1000, 2000, 736) == 1.0
    assert detection_scale(463, 1013, 2000, 736) == pytest.approx(736 / 463)  # small receipt
    # A long strip: scaled down to 2000, then its shorter side back up to 736 (as rapidocr).
    assert detection_scale(1000, 20000, 2000, 736) == pytest.approx(0.736)


def _lines_of_text(pt: float, dpi: int, small_pt: float | None = None) -> np.ndarray:
    """An A4 page at ``dpi``: 8 lines of ``pt`` text, then 30 of ``small_pt`` if given (else
    30 more of ``pt``)."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = dpi // 2
    for size, count in ((pt, 8), (small_pt or pt, 30)):
        font = ImageFont.truetype(str(find_font()), round(size * dpi / 72))
        for number in range(count):
            draw.text(
                (dpi // 2, y), f"Ligne {number} : loyer, charges et provisions 1 234,56", font=font
            )
            y += round(size * dpi / 72 * 1.5)
    return np.asarray(image)


def test_the_text_height_follows_the_print_size() -> None:
    """The estimate grows with the print, is sure only when there are characters to measure,
    and follows a page's body text, not its titles."""
    body = text_height(_lines_of_text(12, 300))
    big = text_height(_lines_of_text(24, 300))
    assert body is not None and big is not None
    # 12 pt at 300 dpi: lowercase letters about 25 pixels high, capitals about 35.
    assert 14 <= body <= 40
    assert big == pytest.approx(2 * body, rel=0.25)
    titled = text_height(_lines_of_text(24, 300, small_pt=12))
    assert titled is not None and titled <= 1.25 * body
    blank = np.full((1000, 800), 255, dtype=np.uint8)
    assert text_height(blank) is None
    a_few_marks = blank.copy()
    a_few_marks[100:130, 100:120] = 0
    assert text_height(a_few_marks) is None
    assert GLYPH_SEARCH_STEP >= 1


def test_detection_shrinks_for_big_print_only() -> None:
    # Characters 15 pixels high at rapidocr's scale, target 10: two thirds of the scale.
    assert shrink_for_text(1.0, 3000, 15.0, target=10, floor=736) == pytest.approx(2 / 3)
    # Never below half rapidocr's scale, nor its floor for the shorter side, nor above it.
    assert shrink_for_text(1.0, 3000, 60.0, target=10, floor=736) == pytest.approx(0.5)
    assert shrink_for_text(1.0, 1000, 60.0, target=10, floor=736) == pytest.approx(0.736)
    assert shrink_for_text(0.5, 3000, 8.0, target=10, floor=736) == 0.5
    # Unsure (no estimate) or off: rapidocr's scale.
    assert shrink_for_text(0.57, 2480, None, target=10, floor=736) == 0.57
    assert shrink_for_text(0.57, 2480, 40.0, target=0, floor=736) == 0.57


# --- real runs ------------------------------------------------------------------------------


def _engine(**options: object) -> RapidOcrEngine:
    availability = RapidOcrEngine.availability()
    if not availability.available:
        pytest.skip(f"rapidocr unavailable: {availability.reason} ({availability.install})")
    built = create_engine("rapidocr", {"threads": 1, **options})
    assert isinstance(built, RapidOcrEngine)
    return built


def test_trimmed_reduced_detection_finds_lines_where_they_are() -> None:
    font = ImageFont.truetype(str(find_font()), 40)
    image = Image.new("RGB", (2600, 3000), "white")
    draw = ImageDraw.Draw(image)
    texts = ["Quittance de loyer du mois de mars", "Montant total : 1 234,56 €"]
    for number, text in enumerate(texts):  # far from the top left corner: the trim moves them
        draw.text((1300, 1800 + 120 * number), text, font=font, fill="black")
    engine = _engine(full_resolution_crops=True, trim_margins=True, max_side_len=1200)
    page = engine.recognize(PageImage(image=image, dpi=300.0))
    lines = list(page.lines())
    assert [line.text for line in lines] == texts
    for number, line in enumerate(lines):
        assert abs(line.bbox.x0 - 1300) < 20 and abs(line.bbox.y0 - (1800 + 120 * number)) < 25
        for word in line.words:
            assert line.bbox.x0 <= word.bbox.x0 <= word.bbox.x1 <= line.bbox.x1


def test_decoupled_reading_keeps_words_and_boxes_of_a_generated_page() -> None:
    sample = render_sample_page(seed=5, dpi=300)
    page = _engine(full_resolution_crops=True, trim_margins=True).recognize(sample.page)
    found = {w.text for w in page.words()}
    expected = [w for w in sample.truth.pages[0].words()]
    hits = [w for w in expected if w.text in found]
    assert len(hits) >= 0.95 * len(expected)
    centres = [w.bbox.center for w in page.words()]
    for word in expected[:20]:  # each true word has a found word box over its centre
        x, y = word.bbox.center
        assert any(
            f.bbox.x0 <= x <= f.bbox.x1 and f.bbox.y0 <= y <= f.bbox.y1 for f in page.words()
        ), word
    assert centres


def test_a_blank_page_reads_empty_when_decoupled() -> None:
    engine = _engine(full_resolution_crops=True, trim_margins=True)
    page = engine.recognize(PageImage(image=Image.new("RGB", (640, 480), "white"), dpi=300.0))
    assert page.blocks == []


def test_detection_on_the_inked_area_finds_the_whole_page_boxes() -> None:
    """The network runs on the inked block only, on the whole page's grid and scale: the same
    lines, boxes within a few pixels of the whole page's (not identical: the detector's
    squeeze-and-excitation blocks average over their whole input, margins included)."""
    from ocrxtract.engines.rapidocr_reading import detect, detect_inked

    engine = _engine()
    ocr = engine._engine()
    pixels = np.asarray(render_sample_page(seed=3, dpi=300).page.image.convert("RGB"))[:, :, ::-1]
    scale = detection_scale(pixels.shape[1], pixels.shape[0], 1600, 736)
    whole, _ = detect(ocr, np.ascontiguousarray(pixels), scale)
    ink = inked_area(pixels)
    assert ink != (0, 0, pixels.shape[1], pixels.shape[0])  # the page has blank margins
    inked, _ = detect_inked(ocr, pixels, scale, ink)
    assert len(inked) == len(whole) >= 5
    assert np.abs(inked - whole).max() <= 24  # lines are ~100 pixels high at 300 dpi


def test_narrow_crops_are_padded_as_rapidocr_pads_them() -> None:
    """With ``rec_min_width`` 96, a lone mark read as rapidocr reads it (320 pixels of padding),
    the lines read as configured, results back in the crops' order."""
    from ocrxtract.engines.rapidocr_reading import recognize

    font = ImageFont.truetype(str(find_font()), 40)

    def crop(text: str, width: int) -> np.ndarray:
        image = Image.new("RGB", (width, 56), "white")
        ImageDraw.Draw(image).text((6, 6), text, font=font, fill="black")
        return np.asarray(image)[:, :, ::-1].copy()

    crops = [crop("Montant total", 320), crop("7", 40), crop("Loyer", 140)]
    narrow = _engine(rec_min_width=96)._engine()
    wide = _engine(rec_min_width=320)._engine()
    both = recognize(narrow, crops, 1.5)
    alone = wide.recognize_txt([crops[1]])
    lines = narrow.recognize_txt([crops[0], crops[2]])
    assert both.txts == (lines.txts[0], alone.txts[0], lines.txts[1])
    assert both.scores[1] == pytest.approx(alone.scores[0], abs=1e-6)
    assert both.scores[0] == pytest.approx(lines.scores[0], abs=1e-6)
    assert [t.strip() for t in both.txts] == ["Montant total", "7", "Loyer"]
    assert narrow._load_rec_model().rec_image_shape[2] == 96  # the setting is put back
    assert recognize(narrow, crops, 0.0).txts == narrow.recognize_txt(crops).txts


def test_near_320_crops_are_read_as_rapidocr_reads_them() -> None:
    """With ``rec_short_width`` 200, a 250-pixel line is padded to 320 (read as with rapidocr's
    padding), a short word to ``rec_min_width``; page and line reading pad alike."""
    from ocrxtract.engines.rapidocr_reading import recognize

    font = ImageFont.truetype(str(find_font()), 40)

    def crop(text: str, width: int) -> np.ndarray:
        image = Image.new("RGB", (width, 48), "white")
        ImageDraw.Draw(image).text((6, 2), text, font=font, fill="black")
        return np.asarray(image)[:, :, ::-1].copy()

    crops = [crop("Loyer", 140), crop("Montant dû", 250)]
    ours = _engine(rec_min_width=96)._engine()
    theirs = _engine(rec_min_width=320)._engine()
    read = recognize(ours, crops, 1.5, 200)
    assert read.txts[0] == ours.recognize_txt([crops[0]]).txts[0]
    assert read.scores[1] == pytest.approx(theirs.recognize_txt([crops[1]]).scores[0], abs=1e-6)
    assert [t.strip() for t in read.txts] == ["Loyer", "Montant dû"]
    assert ours._load_rec_model().rec_image_shape[2] == 96  # the setting is put back


def test_line_reading_pads_crops_as_page_reading_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The line path (the benchmark's line CER) pads each crop by the same rules: lone marks and
    near-320 lines to 320, short words to ``rec_min_width``, long lines to their own width."""
    engine = _engine(rec_min_width=96, rec_narrow_ratio=1.5, rec_short_width=200)
    recognizer = engine._line_engine()._load_rec_model()
    widths: list[int] = []
    resize = recognizer.resize_norm_img

    def recording(image: np.ndarray, max_wh_ratio: float) -> np.ndarray:
        widths.append(round(48 * max_wh_ratio))
        return resize(image, max_wh_ratio)

    monkeypatch.setattr(recognizer, "resize_norm_img", recording)
    font = ImageFont.truetype(str(find_font()), 40)
    image = Image.new("RGB", (900, 400), "white")
    draw = ImageDraw.Draw(image)
    texts = ["7", "Loyer", "Montant dû", "Montant total de la quittance"]
    boxes = []
    for row, (text, width) in enumerate(zip(texts, (40, 140, 250, 640), strict=True)):
        draw.text((16, 12 + 96 * row), text, font=font, fill="black")
        boxes.append(BBox(x0=10, y0=8 + 96 * row, x1=10 + width, y1=8 + 96 * row + 48))
    read = engine.recognize_lines(PageImage(image=image, dpi=300.0), boxes)
    assert [text.strip() for text in read] == texts
    assert widths == [320, 140, 320, 640]
    assert recognizer.rec_image_shape[2] == 96


def test_detection_shrunk_for_big_print_finds_the_same_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Big print is detected on a smaller copy by default: the detector sees at most a quarter of
    the pixels of rapidocr's fixed scale (half each side, the lowest allowed), the same lines
    are read, their boxes within a few pixels of the fixed scale's."""
    from ocrxtract.engines import rapidocr_reading

    seen: list[tuple[int, ...]] = []
    run_detector = rapidocr_reading._run_detector

    def recording(detector: object, image: np.ndarray) -> np.ndarray:
        seen.append(image.shape[:2])
        return run_detector(detector, image)

    monkeypatch.setattr(rapidocr_reading, "_run_detector", recording)
    font = ImageFont.truetype(str(find_font()), 90)  # about 22 pt at 300 dpi
    image = Image.new("RGB", (2480, 3508), "white")
    draw = ImageDraw.Draw(image)
    texts = [f"Avis de versement numéro {n}" for n in range(12)]
    for number, text in enumerate(texts):
        draw.text((200, 300 + 200 * number), text, font=font, fill="black")
    page = PageImage(image=image, dpi=300.0)
    shrunk = _engine().recognize(page)
    fixed = _engine(det_text_height=0).recognize(page)
    (small_h, small_w), (big_h, big_w) = seen
    assert small_h * small_w <= 0.3 * big_h * big_w
    assert [line.text for line in shrunk.lines()] == texts
    assert [line.text for line in fixed.lines()] == texts
    for ours, theirs in zip(shrunk.lines(), fixed.lines(), strict=True):
        assert abs(ours.bbox.y0 - theirs.bbox.y0) < 25 and abs(ours.bbox.x0 - theirs.bbox.x0) < 25
