"""What the batch tests share: a scripted engine whose behaviour workers read from the
environment (so that spawned processes and Dask workers behave as told), and input folders made
in the test.

:class:`BatchTestEngine` reads a page as one word, ``<width>x<height>``, and:

* sleeps ``$OCRXTRACT_TEST_SLEEP`` seconds per page (a slow engine, to be killed mid-run);
* hangs on pages of size ``$OCRXTRACT_TEST_HANG`` (``WxH``);
* kills its process on pages of size ``$OCRXTRACT_TEST_CRASH_ONCE_SIZE`` the first time only
  (``$OCRXTRACT_TEST_CRASH_ONCE`` names a file it creates before dying): a worker lost once;
* holds ``M`` MiB for 5 s on pages of size ``$OCRXTRACT_TEST_HOG`` (``WxH:M``);
* appends each page it reads to ``$OCRXTRACT_TEST_COUNTER`` (workers counted too).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PIL import Image

from minipdf import PageSpec, Text, build_pdf
from ocrxtract.document import BBox, Page, Word, block_from_lines, line_from_words
from ocrxtract.engines.base import Availability, OcrEngine
from ocrxtract.io import PageImage

SLEEP_ENV = "OCRXTRACT_TEST_SLEEP"
HANG_ENV = "OCRXTRACT_TEST_HANG"
CRASH_ONCE_ENV = "OCRXTRACT_TEST_CRASH_ONCE"
CRASH_ONCE_SIZE_ENV = "OCRXTRACT_TEST_CRASH_ONCE_SIZE"
COUNTER_ENV = "OCRXTRACT_TEST_COUNTER"
HOG_ENV = "OCRXTRACT_TEST_HOG"


class BatchTestEngine(OcrEngine):
    """Reads ``<width>x<height>``; slow, hanging or crashing as the environment says."""

    name = "batch-test"
    description = "test engine of the batch tests"
    user_facing = False

    @classmethod
    def availability(cls) -> Availability:
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        return "1.0"

    @classmethod
    def languages(cls) -> list[str]:
        return ["fra", "eng"]

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        size = f"{page.width}x{page.height}"
        counter = os.environ.get(COUNTER_ENV)
        if counter:
            with open(counter, "a", encoding="utf-8") as handle:
                handle.write(f"{page.source}\n")
        if os.environ.get(HANG_ENV) == size:
            time.sleep(600)
        marker = os.environ.get(CRASH_ONCE_ENV)
        if marker and os.environ.get(CRASH_ONCE_SIZE_ENV) == size and not Path(marker).exists():
            Path(marker).write_text("crashed\n", encoding="utf-8")
            os._exit(9)  # a worker lost, as far as anyone can tell
        time.sleep(float(os.environ.get(SLEEP_ENV, "0") or 0))
        hog = os.environ.get(HOG_ENV, "")
        if hog.startswith(f"{size}:"):  # hold that many MiB for a while
            held = bytearray(int(hog.split(":")[1]) * 2**20)
            for offset in range(0, len(held), 4096):
                held[offset] = 1
            time.sleep(5)
            del held
        box = BBox(x0=1, y0=1, x1=page.width - 1, y1=page.height - 1)
        line = line_from_words([Word(text=size, bbox=box, confidence=0.9)])
        blocks = [block_from_lines([line])]
        return (
            Page(
                index=page.index, width=page.width, height=page.height, dpi=page.dpi, blocks=blocks
            ),
            [],
        )


def make_pages(folder: Path, count: int, *, start: int = 0, sub: str | None = None) -> list[Path]:
    """``count`` PNG pages, each of its own width (distinct content), under ``folder``."""
    target = folder / sub if sub else folder
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = target / f"page-{number:03d}.png"
        Image.new("RGB", (100 + number, 60), "white").save(path, dpi=(300, 300))
        paths.append(path)
    return paths


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """A corrupt PDF, an encrypted PDF, an empty image and a text file named like an image;
    returns file name -> the error kind each must be recorded with."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (folder / "locked.pdf").write_bytes(
        build_pdf([PageSpec(items=[Text(72, 700, "secret")])], user_password="s3cret")
    )
    (folder / "empty.png").write_bytes(b"")
    (folder / "notes.png").write_text("these are notes, not an image\n", encoding="utf-8")
    return {
        "truncated.pdf": "CorruptInputError",
        "locked.pdf": "EncryptedPdfError",
        "empty.png": "EmptyInputError",
        "notes.png": "UnsupportedFormatError",
    }
