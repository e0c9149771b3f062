"""Inputs: type detection, guards, image normalisation, PDF rendering and the PDF text layer.

Every file is made in the test (tmp_path): images with Pillow, PDFs by hand (tests/minipdf.py).
"""

from __future__ import annotations

import struct
import tracemalloc
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from minipdf import PageSpec, Rect, Text, build_pdf
from ocrxtract.document import BBox
from ocrxtract.errors import (
    CorruptInputError,
    EmptyInputError,
    EncryptedPdfError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    UnsupportedFormatError,
    UsageError,
)
from ocrxtract.io import (
    InputLimits,
    count_pages,
    detect_format,
    iter_pages,
    load_image,
    load_pages,
    pdf_page_size,
    read_text_layer,
    sniff_format,
)
from ocrxtract.io import pdf as pdf_reader

# --- helpers -------------------------------------------------------------------------------


def save(image: Image.Image, path: Path, **params: object) -> Path:
    image.save(path, **params)
    return path


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def png_header(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims ``width`` x ``height`` RGB pixels, with almost no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def noise(width: int, height: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8), "RGB")


def ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    """Bounding box of the dark pixels (x1, y1 exclusive)."""
    dark = np.asarray(image.convert("L")) < 128
    ys, xs = np.nonzero(dark)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def close_to(box: BBox, expected: tuple[float, ...], tolerance: float = 2.0) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(box.as_tuple(), expected, strict=True))


MONTANT = "Montant 1 234,56 €"


@pytest.fixture
def text_pdf(tmp_path: Path) -> Path:
    """Page 1: the amount line, page 2: only a black rectangle (no text layer)."""
    data = build_pdf(
        [
            PageSpec(items=[Text(72, 700, MONTANT)]),
            PageSpec(items=[Rect(300, 100, 100, 50)]),
        ]
    )
    return write(tmp_path / "doc.pdf", data)


# --- type detection and file guards --------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "jpeg"),
        (b"II*\0\x08\0\0\0", "tiff"),
        (b"MM\0*\0\0\0\x08", "tiff"),
        (b"RIFF\x24\0\0\0WEBPVP8L", "webp"),
        (b"BM" + bytes(30), "bmp"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\r\n  junk before the header %PDF-1.4\n", "pdf"),
        (b"Hello, I am text\n", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_sniff_format(head: bytes, kind: str | None) -> None:
    assert sniff_format(head) == kind


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match=r"nope\.png: no such file"):
        list(iter_pages(tmp_path / "nope.png"))


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="is a directory"):
        count_pages(tmp_path)


def test_zero_byte_file(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.jpg", b"")
    with pytest.raises(EmptyInputError, match=r"empty\.jpg: the file is empty"):
        iter_pages(path)


def test_text_file_named_png(tmp_path: Path) -> None:
    path = write(tmp_path / "scan.png", b"not an image at all\n")
    with pytest.raises(UnsupportedFormatError) as caught:
        iter_pages(path)
    message = str(caught.value)
    assert "scan.png" in message
    assert "the content is text" in message
    assert "PNG, JPEG, TIFF, WebP, BMP, PDF" in message


def test_pdf_named_png_is_read_as_pdf(tmp_path: Path) -> None:
    path = write(tmp_path / "looks.png", build_pdf([PageSpec(items=[Text(72, 700, "Hi")])]))
    assert detect_format(path) == "pdf"
    (page,) = load_pages(path, dpi=72)
    assert (page.width, page.height, page.dpi, page.has_text_layer) == (612, 792, 72.0, True)


def test_png_with_pdf_suffix_is_read_as_png(tmp_path: Path) -> None:
    path = save(Image.new("RGB", (30, 20), "white"), tmp_path / "really.pdf", format="PNG")
    (page,) = load_pages(path)
    assert page.has_text_layer is None
    assert page.image.size == (30, 20)


def test_file_byte_limit(tmp_path: Path) -> None:
    path = save(Image.new("L", (50, 50)), tmp_path / "a.png")
    with pytest.raises(InputTooLargeError, match="max_file_bytes"):
        iter_pages(path, limits=InputLimits(max_file_bytes=10))


def test_limits_must_be_positive() -> None:
    with pytest.raises(UsageError, match="max_pages"):
        InputLimits(max_pages=0)


def test_errors_are_input_errors_with_exit_code_3(tmp_path: Path) -> None:
    path = write(tmp_path / "x.png", b"plain text")
    with pytest.raises(InputError) as caught:
        iter_pages(path)
    assert caught.value.exit_code == 3
    assert caught.value.path == str(path)


# --- images --------------------------------------------------------------------------------


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    # 40x20, left half red. Orientation 6 = "rotate 90° clockwise to display": the left side
    # goes to the top, so the displayed image is 20x40 with its top half red.
    image = Image.new("RGB", (40, 20), "white")
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    path = save(image, tmp_path / "photo.jpg", exif=exif.tobytes(), quality=95)
    (page,) = load_pages(path)
    assert page.image.size == (20, 40)
    top = page.image.getpixel((10, 5))
    bottom = page.image.getpixel((10, 35))
    assert top[0] > 200 and top[1] < 60 and top[2] < 60
    assert min(bottom) > 200


def test_exif_orientation_of_a_tiff(tmp_path: Path) -> None:
    # Orientation 8 = "rotate 90° counter-clockwise to display": the left side goes down.
    # Pillow applies it itself when it loads a TIFF: it must not be applied twice.
    image = Image.new("L", (40, 20), 255)
    image.paste(0, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 8
    # (LZW as scanners write them; Pillow 13 misreads *uncompressed* TIFFs with orientation 5-8.)
    path = save(image, tmp_path / "scan.tif", exif=exif.tobytes(), compression="tiff_lzw")
    (page,) = load_pages(path)
    assert page.image.size == (20, 40)
    assert (page.image.getpixel((10, 35)), page.image.getpixel((10, 5))) == (0, 255)


def test_load_image_leaves_the_callers_image_alone() -> None:
    image = Image.new("RGB", (40, 20), "white")
    exif = image.getexif()
    exif[0x0112] = 6
    page = load_image(image)
    assert page.image.size == (20, 40)
    assert image.size == (40, 20)
    assert page.image is not image


@pytest.mark.parametrize(
    ("fmt", "suffix", "dpi", "expected"),
    [
        ("PNG", "png", (300, 300), 300.0),  # stored as 11811 px/m = 299.9994 dpi
        ("PNG", "png", (72, 72), None),  # 72 means "unknown"
        ("JPEG", "jpg", (96, 96), None),
        ("JPEG", "jpg", (200, 200), 200.0),
        ("TIFF", "tif", (300, 300), 300.0),
        ("BMP", "bmp", (150, 150), 150.0),
        ("PNG", "png", None, None),
    ],
)
def test_dpi_from_file(
    tmp_path: Path, fmt: str, suffix: str, dpi: tuple[int, int] | None, expected: float | None
) -> None:
    params = {"dpi": dpi} if dpi else {}
    path = save(Image.new("RGB", (10, 10), "white"), tmp_path / f"a.{suffix}", format=fmt, **params)
    (page,) = load_pages(path)
    assert page.dpi == expected


def test_assume_dpi_fills_unknown_dpi_only(tmp_path: Path) -> None:
    unknown = save(Image.new("L", (8, 8)), tmp_path / "u.png", dpi=(72, 72))
    known = save(Image.new("L", (8, 8)), tmp_path / "k.png", dpi=(400, 400))
    assert load_pages(unknown, assume_dpi=300)[0].dpi == 300.0
    assert load_pages(known, assume_dpi=300)[0].dpi == 400.0


def test_sixteen_bit_grey_is_scaled(tmp_path: Path) -> None:
    array = np.array([[0, 32768, 65535, 257]], dtype=np.uint16)
    path = save(Image.fromarray(array), tmp_path / "deep.png")
    (page,) = load_pages(path)
    assert page.image.mode == "L"
    # v * 255 / 65535, rounded: 0, 127.5 -> 128, 255, 1
    assert list(np.asarray(page.image)[0]) == [0, 128, 255, 1]


def test_cmyk_becomes_rgb(tmp_path: Path) -> None:
    image = Image.new("CMYK", (2, 1))
    image.putpixel((0, 0), (0, 0, 0, 0))  # paper white
    image.putpixel((1, 0), (0, 255, 255, 0))  # magenta + yellow = red
    path = save(image, tmp_path / "print.tif")
    (page,) = load_pages(path)
    assert page.image.mode == "RGB"
    assert page.image.getpixel((0, 0)) == (255, 255, 255)
    assert page.image.getpixel((1, 0)) == (255, 0, 0)


def test_alpha_is_composited_on_white(tmp_path: Path) -> None:
    image = Image.new("RGBA", (3, 1))
    image.putpixel((0, 0), (0, 0, 0, 0))  # transparent -> white
    image.putpixel((1, 0), (0, 0, 0, 255))  # opaque black
    image.putpixel((2, 0), (0, 0, 0, 128))  # half black: 255 * 127 / 255 = 127
    path = save(image, tmp_path / "alpha.png")
    (page,) = load_pages(path)
    assert page.image.mode == "RGB"
    assert page.image.getpixel((0, 0)) == (255, 255, 255)
    assert page.image.getpixel((1, 0)) == (0, 0, 0)
    assert all(abs(c - 127) <= 1 for c in page.image.getpixel((2, 0)))


def test_grey_with_alpha_stays_grey(tmp_path: Path) -> None:
    image = Image.new("LA", (2, 1))
    image.putpixel((0, 0), (0, 0))
    image.putpixel((1, 0), (40, 255))
    (page,) = load_pages(save(image, tmp_path / "la.png"))
    assert page.image.mode == "L"
    assert list(np.asarray(page.image)[0]) == [255, 40]


def test_palette_with_transparency(tmp_path: Path) -> None:
    image = Image.new("P", (2, 1))
    image.putpalette([0, 0, 255, 10, 20, 30] + [0] * 762)
    image.putpixel((0, 0), 0)
    image.putpixel((1, 0), 1)
    path = save(image, tmp_path / "pal.png", transparency=0)
    (page,) = load_pages(path)
    assert page.image.mode == "RGB"
    assert page.image.getpixel((0, 0)) == (255, 255, 255)
    assert page.image.getpixel((1, 0)) == (10, 20, 30)


def test_palette_without_transparency(tmp_path: Path) -> None:
    image = Image.new("P", (1, 1))
    image.putpalette([200, 100, 50] + [0] * 765)
    (page,) = load_pages(save(image, tmp_path / "p.bmp"))
    assert page.image.mode == "RGB"
    assert page.image.getpixel((0, 0)) == (200, 100, 50)


def test_bilevel_becomes_grey(tmp_path: Path) -> None:
    image = Image.new("1", (2, 1), 1)
    image.putpixel((0, 0), 0)
    (page,) = load_pages(save(image, tmp_path / "fax.tif", compression="group4"))
    assert page.image.mode == "L"
    assert list(np.asarray(page.image)[0]) == [0, 255]


def test_multipage_tiff(tmp_path: Path) -> None:
    frames = [Image.new("L", (10 + i, 20), 60 * i) for i in range(3)]
    path = tmp_path / "scan.tiff"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    pages = load_pages(path)
    assert [p.index for p in pages] == [0, 1, 2]
    assert [p.width for p in pages] == [10, 11, 12]
    assert [p.image.getpixel((0, 0)) for p in pages] == [0, 60, 120]
    assert all(p.source == str(path) and p.dpi == 300.0 for p in pages)
    assert count_pages(path) == 3
    assert [p.index for p in iter_pages(path, pages=[2, 0])] == [2, 0]
    with pytest.raises(InputTooLargeError, match="3 pages to read, more than the limit of 2"):
        iter_pages(path, limits=InputLimits(max_pages=2))
    with pytest.raises(InputTooLargeError):
        count_pages(path, limits=InputLimits(max_pages=2))
    assert len(load_pages(path, pages=[1], limits=InputLimits(max_pages=2))) == 1
    with pytest.raises(UsageError, match=r"no page index 3 .*3 page"):
        iter_pages(path, pages=[3])


@pytest.mark.parametrize(("fmt", "suffix"), [("WEBP", "webp"), ("BMP", "bmp"), ("PNG", "png")])
def test_other_formats_round_trip(tmp_path: Path, fmt: str, suffix: str) -> None:
    image = noise(17, 9)
    params = {"lossless": True} if fmt == "WEBP" else {}
    path = save(image, tmp_path / f"n.{suffix}", format=fmt, **params)
    (page,) = load_pages(path)
    assert page.image.mode == "RGB"
    assert np.array_equal(np.asarray(page.image), np.asarray(image))


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", "png"), ("JPEG", "jpg")])
def test_truncated_image(tmp_path: Path, fmt: str, suffix: str) -> None:
    full = save(noise(300, 300), tmp_path / f"full.{suffix}", format=fmt)
    data = full.read_bytes()
    path = write(tmp_path / f"cut.{suffix}", data[: len(data) // 2])
    with pytest.raises(CorruptInputError) as caught:
        load_pages(path)
    assert f"cut.{suffix}" in str(caught.value)
    assert "truncated" in str(caught.value)


def test_damaged_header(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    with pytest.raises(CorruptInputError, match=r"bad\.png"):
        load_pages(path)


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.png", png_header(100_000, 100_000))
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLargeError, match=r"bomb\.png"):
            load_pages(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # 10^10 RGB pixels would be 30 GB


def test_own_pixel_limit_checked_before_decoding(tmp_path: Path) -> None:
    # 5000 x 5000 is under Pillow's own limit: only InputLimits stops it, before 75 MB decode.
    path = write(tmp_path / "big.png", png_header(5000, 5000))
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLargeError, match="25000000 pixels"):
            iter_pages(path, limits=InputLimits(max_pixels=1_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_zero_size_image_in_memory() -> None:
    with pytest.raises(EmptyInputError, match="zero size"):
        load_image(Image.new("L", (0, 5)))
    with pytest.raises(EmptyInputError, match="zero size"):
        load_image(np.zeros((0, 4), dtype=np.uint8))


def test_bad_dpi_argument(tmp_path: Path) -> None:
    path = save(Image.new("L", (4, 4)), tmp_path / "a.png")
    with pytest.raises(UsageError, match="dpi"):
        iter_pages(path, dpi=0)


# --- load_image (in-memory inputs) ---------------------------------------------------------


def test_load_image_from_pil_with_alpha_and_dpi() -> None:
    image = Image.new("RGBA", (4, 3), (0, 0, 0, 0))
    image.info["dpi"] = (300, 300)
    page = load_image(image, source="upload.png")
    assert (page.image.mode, page.image.size, page.dpi) == ("RGB", (4, 3), 300.0)
    assert page.image.getpixel((0, 0)) == (255, 255, 255)
    assert page.source == "upload.png"
    assert load_image(image, dpi=150).dpi == 150.0


@pytest.mark.parametrize(
    ("array", "mode", "first"),
    [
        (np.full((2, 3), 7, dtype=np.uint8), "L", 7),
        (np.full((2, 3, 1), 9, dtype=np.uint8), "L", 9),
        (np.full((2, 3, 3), (1, 2, 3), dtype=np.uint8), "RGB", (1, 2, 3)),
        (np.full((2, 3, 4), (0, 0, 0, 0), dtype=np.uint8), "RGB", (255, 255, 255)),
        (np.full((2, 3), 0.5, dtype=np.float32), "L", 128),  # 0.5 * 255 = 127.5 -> 128
        (np.full((2, 3), 65535, dtype=np.uint16), "L", 255),
        (np.ones((2, 3), dtype=bool), "L", 255),
    ],
)
def test_load_image_from_arrays(array: np.ndarray, mode: str, first: object) -> None:
    page = load_image(array)
    assert page.image.mode == mode
    assert page.image.size == (3, 2)
    assert page.image.getpixel((0, 0)) == first
    assert page.dpi is None


def test_load_image_rejects_bad_arrays_and_types() -> None:
    with pytest.raises(UnsupportedFormatError, match="shape"):
        load_image(np.zeros((2, 3, 2), dtype=np.uint8))
    with pytest.raises(UsageError, match="str"):
        load_image("scan.png")  # type: ignore[arg-type]


def test_load_image_decodes_a_lazily_opened_file(tmp_path: Path) -> None:
    full = save(noise(200, 200), tmp_path / "full.png")
    cut = write(tmp_path / "cut.png", full.read_bytes()[:3000])
    with Image.open(cut) as lazy, pytest.raises(CorruptInputError, match="truncated"):
        load_image(lazy, source="cut.png")


def test_load_image_from_bytes(tmp_path: Path) -> None:
    path = save(Image.new("RGB", (5, 4), "red"), tmp_path / "a.png", dpi=(300, 300))
    page = load_image(path.read_bytes())
    assert (page.image.size, page.dpi, page.source) == ((5, 4), 300.0, "<memory>")
    with pytest.raises(UnsupportedFormatError, match="PDF"):
        load_image(build_pdf([PageSpec()]))
    with pytest.raises(UnsupportedFormatError, match="text"):
        load_image(b"hello")
    with pytest.raises(EmptyInputError):
        load_image(b"")
    truncated = path.read_bytes()[:60]
    with pytest.raises(CorruptInputError):
        load_image(truncated)
    with pytest.raises(InputTooLargeError):
        load_image(png_header(5000, 5000), limits=InputLimits(max_pixels=1000))


# --- PDF pages -----------------------------------------------------------------------------


def test_pdf_pages_render_at_dpi(text_pdf: Path) -> None:
    pages = load_pages(text_pdf, dpi=144)
    assert [(p.index, p.width, p.height, p.dpi) for p in pages] == [
        (0, 1224, 1584, 144.0),  # 612 x 792 pt * 2
        (1, 1224, 1584, 144.0),
    ]
    assert [p.has_text_layer for p in pages] == [True, False]
    assert all(p.image.mode == "RGB" for p in pages)
    # The rectangle (300, 100)-(400, 150) pt: x 600..800 px, y (792-150)*2 = 1284..1384 px.
    assert ink_box(pages[1].image) == (600, 1284, 800, 1384)


def test_pdf_page_selection_and_count(text_pdf: Path) -> None:
    assert count_pages(text_pdf) == 2
    assert [p.index for p in iter_pages(text_pdf, dpi=36, pages=[1])] == [1]
    with pytest.raises(UsageError, match="no page index 2"):
        iter_pages(text_pdf, pages=[2])
    with pytest.raises(InputTooLargeError, match="max_pages"):
        iter_pages(text_pdf, limits=InputLimits(max_pages=1))


def test_pdf_pages_are_rendered_lazily(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "long.pdf", build_pdf([PageSpec(width=100, height=100)] * 50))
    rendered: list[int] = []
    real_render = pdf_reader.render_page

    def counting_render(page: object, path: Path, index: int, *args: object) -> Image.Image:
        rendered.append(index)
        return real_render(page, path, index, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_reader, "render_page", counting_render)
    pages = iter_pages(path, dpi=72)
    assert rendered == []
    first = next(pages)
    assert (first.index, rendered) == (0, [0])
    pages.close()


def test_rotated_pdf_page_renders_with_swapped_sides(tmp_path: Path) -> None:
    path = write(tmp_path / "r.pdf", build_pdf([PageSpec(rotate=90, items=[Rect(0, 0, 50, 20)])]))
    (page,) = load_pages(path, dpi=72)
    assert page.image.size == (792, 612)
    # /Rotate 90 turns the page clockwise: the bottom-left rectangle ends up top-left,
    # 20 pt wide and 50 pt high.
    assert ink_box(page.image) == (0, 0, 20, 50)


def test_pdf_pixel_limit_checked_before_rendering(
    text_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2 as pdfium

    def no_render(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendered before the size check")

    monkeypatch.setattr(pdfium.PdfPage, "render", no_render)
    # 612 x 792 pt at 200 dpi = 1700 x 2200 = 3 740 000 pixels
    with pytest.raises(InputTooLargeError) as caught:
        load_pages(text_pdf, dpi=200, limits=InputLimits(max_pixels=3_000_000))
    message = str(caught.value)
    assert "page 1 at 200 dpi" in message and "1700x2200" in message
    assert "lower dpi" in message


def test_encrypted_pdf(tmp_path: Path) -> None:
    data = build_pdf([PageSpec(items=[Text(72, 700, "Secret")])], user_password="secret")
    path = write(tmp_path / "locked.pdf", data)
    for call in (iter_pages, count_pages, lambda p: read_text_layer(p, 0, dpi=72)):
        with pytest.raises(EncryptedPdfError) as caught:
            call(path)
        assert "locked.pdf" in str(caught.value)
        assert "qpdf --decrypt" in str(caught.value)


def test_encrypted_pdf_with_empty_user_password_opens(tmp_path: Path) -> None:
    # Encrypted with an owner password only: readers open it without asking (and decrypt
    # its streams, which checks the RC4 of minipdf too).
    data = build_pdf([PageSpec(items=[Text(72, 700, "Hello")])], user_password="")
    path = write(tmp_path / "owner-only.pdf", data)
    assert [w.text for w in read_text_layer(path, 0, dpi=72).words()] == ["Hello"]


def test_pdf_without_pages(tmp_path: Path) -> None:
    # Open an encrypted file first: PDFium's last-error code must not leak into this one.
    locked = write(tmp_path / "locked.pdf", build_pdf([PageSpec()], user_password="x"))
    with pytest.raises(EncryptedPdfError):
        count_pages(locked)
    path = write(tmp_path / "none.pdf", build_pdf([]))
    with pytest.raises(EmptyInputError, match=r"none\.pdf: the PDF has no pages"):
        iter_pages(path)


@pytest.mark.parametrize("keep", [9, 0.5, -30])
def test_truncated_pdf(text_pdf: Path, tmp_path: Path, keep: float) -> None:
    data = text_pdf.read_bytes()
    size = int(keep if keep >= 1 else len(data) * keep) if keep > 0 else len(data) + int(keep)
    path = write(tmp_path / "cut.pdf", data[:size])
    with pytest.raises(CorruptInputError, match=r"cut\.pdf: not a readable PDF"):
        load_pages(path)


# --- PDF text layer ------------------------------------------------------------------------


def test_text_layer_words_and_boxes(text_pdf: Path) -> None:
    page = read_text_layer(text_pdf, 0, dpi=144)
    assert (page.index, page.width, page.height, page.dpi) == (0, 1224, 1584, 144.0)
    words = list(page.words())
    assert [w.text for w in words] == ["Montant", "1", "234,56", "€"]
    assert all(w.confidence is None for w in words)
    # Expected boxes from the Helvetica AFM metrics (1/1000 em), 20 pt, baseline at
    # (72, 700) pt; pixels = points * 2 at 144 dpi, y = (792 - y_pt) * 2.
    # "Montant": M left bearing 73 -> x0 = (72 + 1.46) * 2 = 146.92; the last t starts at
    #   72 + 3335 * 0.02 = 138.70 pt, its ink ends at +257 -> x1 = 143.84 * 2 = 287.68;
    #   top = M cap 718 -> 714.36 pt -> 155.28 px; bottom = o overshoot -14 -> 184.56 px.
    assert close_to(words[0].bbox, (146.92, 155.28, 287.68, 184.56))
    # "1" starts at 72 + (3613 + 278) * 0.02 = 149.82 pt; ink 101..359, height 703.
    assert close_to(words[1].bbox, (303.68, 155.88, 314.0, 184.0))
    # "234,56" starts at 149.82 + (556 + 278) * 0.02 = 166.50 pt; "2" bearing 26 ->
    #   x0 = 334.04; "6" starts at 166.50 + 2502 * 0.02 = 216.54, ink to 518 -> 453.8;
    #   top = "3" 710 -> 155.6; bottom = comma -147 -> (792 - 697.06) * 2 = 189.88.
    assert close_to(words[2].bbox, (334.04, 155.6, 453.8, 189.88))
    assert 453.8 < words[3].bbox.x0 < words[3].bbox.x1 < 500
    # And the boxes hold the ink that PDFium draws.
    image = load_pages(text_pdf, dpi=144, pages=[0])[0].image
    assert close_to(BBox.union([w.bbox for w in words]), ink_box(image))
    (line,) = page.lines()
    assert line.text == MONTANT


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize("origin", [(0.0, 0.0), (50.0, 30.0)])
def test_text_layer_on_rotated_pages(
    tmp_path: Path, rotate: int, origin: tuple[float, float]
) -> None:
    # Text drawn turned by the page's /Rotate reads upright on screen (as in scans saved in
    # landscape); the boxes must land on the ink of the rendered, rotated page.
    ox, oy = origin
    items: list[Text | Rect] = [Text(ox + 300, oy + 400, MONTANT, angle=rotate)]
    path = write(
        tmp_path / "rot.pdf", build_pdf([PageSpec(rotate=rotate, origin=origin, items=items)])
    )
    page = read_text_layer(path, 0, dpi=144)
    image = load_pages(path, dpi=144)[0].image
    assert (page.width, page.height) == image.size
    assert [line.text for line in page.lines()] == [MONTANT]
    words = list(page.words())
    assert close_to(BBox.union([w.bbox for w in words]), ink_box(image))
    assert all(w.bbox.width > w.bbox.height for w in words if len(w.text) > 3)


def test_text_layer_lines_and_blocks(tmp_path: Path) -> None:
    items: list[Text | Rect] = [
        Text(72, 700, "Total"),  # two text objects a word space apart: one line
        Text(72 + 55, 700, "TTC"),
        Text(400, 700, "12,00"),  # far right on the same baseline: a line of its own
        Text(72, 676, "second line"),  # 24 pt leading at 20 pt: same block
        Text(72, 400, "far below"),  # a new block
    ]
    path = write(tmp_path / "lines.pdf", build_pdf([PageSpec(items=items)]))
    page = read_text_layer(path, 0, dpi=72)
    assert [[line.text for line in block.lines] for block in page.blocks] == [
        ["Total TTC", "second line"],
        ["12,00"],
        ["far below"],
    ]
    for block in page.blocks:
        assert block.bbox == BBox.union([line.bbox for line in block.lines])


def test_text_layer_splits_a_word_hyphenated_at_a_line_end(tmp_path: Path) -> None:
    # PDFium joins "Non-" + "Negligent" into one word and marks the hyphen U+0002; on the
    # page (and for OCR) they are two words on two lines.
    items: list[Text | Rect] = [Text(72, 700, "Murder / Non-"), Text(72, 678, "Negligent cases")]
    path = write(tmp_path / "hyphen.pdf", build_pdf([PageSpec(items=items)]))
    page = read_text_layer(path, 0, dpi=72)
    assert [line.text for line in page.lines()] == ["Murder / Non-", "Negligent cases"]
    hyphenated = [w for w in page.words() if w.text == "Non-"]
    assert len(hyphenated) == 1 and hyphenated[0].bbox.height < 25


def test_text_layer_drops_whitespace_and_offpage_words(tmp_path: Path) -> None:
    items: list[Text | Rect] = [Text(72, 700, "  A   B  "), Text(700, 700, "outside")]
    path = write(tmp_path / "ws.pdf", build_pdf([PageSpec(items=items)]))
    page = read_text_layer(path, 0, dpi=72)
    assert [w.text for w in page.words()] == ["A", "B"]


def test_text_layer_of_page_without_text(text_pdf: Path) -> None:
    page = read_text_layer(text_pdf, 1, dpi=72)
    assert page.blocks == []
    assert (page.width, page.height) == (612, 792)


def test_text_layer_refuses_images_and_bad_indices(tmp_path: Path, text_pdf: Path) -> None:
    image = save(Image.new("L", (4, 4)), tmp_path / "a.png")
    with pytest.raises(UnsupportedFormatError, match="no text layer"):
        read_text_layer(image, 0, dpi=72)
    with pytest.raises(UsageError, match="no page index 5"):
        read_text_layer(text_pdf, 5, dpi=72)


def test_pdf_page_size(tmp_path: Path) -> None:
    path = write(tmp_path / "r.pdf", build_pdf([PageSpec(rotate=90), PageSpec(width=200)]))
    assert pdf_page_size(path, 0) == (792.0, 612.0)
    assert pdf_page_size(path, 1) == (200.0, 792.0)


@pytest.mark.shared_data
def test_text_layer_of_a_real_born_digital_pdf(shared_datasets: Path) -> None:
    path = shared_datasets / "icdar2013-tables" / "images" / "eu-003.pdf"
    page = read_text_layer(path, 0, dpi=100)
    words = [w.text for w in page.words()]
    assert words[words.index("Appendix") : words.index("Appendix") + 4] == [
        "Appendix",
        "1",
        "–",
        "Summary",
    ]
    assert all(0 <= w.bbox.x0 < w.bbox.x1 <= page.width for w in page.words())
    assert all(0 <= w.bbox.y0 < w.bbox.y1 <= page.height for w in page.words())
