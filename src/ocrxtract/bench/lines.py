"""Line recognisers: read one cropped text line without layout analysis (for line-level CER).

Which recogniser an engine gets, in order:

1. the engine's own ``recognize_line(crop: PageImage) -> str`` when its class defines one (the
   optional capability proposed for :class:`~ocrxtract.engines.base.OcrEngine`);
2. a recogniser written here for the engines whose adapters do not offer it yet:

   * ``tesseract``: the same options with ``psm=7`` (a single text line);
   * ``rapidocr``: rapidocr's recognition model alone (``use_det=False``), configured from
     the adapter's own parameters (:meth:`RapidOcrEngine.rapidocr_params`);

3. otherwise the crop read as a page by the engine itself (layout analysis included), its
   words joined by spaces. Its name says so (``page-on-crop``).

Every recogniser has a name, part of cache keys and of results.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ocrxtract.engines.base import OcrEngine
from ocrxtract.engines.registry import create_engine, get_engine_class
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ReadLine = Callable[[PageImage], str]


@dataclass(frozen=True)
class LineReader:
    """A named line recogniser.

    Attributes:
        name: What it does (``tesseract-psm7``, ``rapidocr-rec``, ``page-on-crop`` ...).
        read: Crop (with the page's resolution) -> text.
    """

    name: str
    read: ReadLine


def _page_text(engine: OcrEngine) -> ReadLine:
    def read(crop: PageImage) -> str:
        page = engine.recognize(crop)
        return " ".join(word.text for word in page.words())

    return read


def _tesseract(options: dict[str, Any]) -> LineReader:
    engine = create_engine("tesseract", {**options, "psm": 7})
    return LineReader("tesseract-psm7", _page_text(engine))


def _rapidocr(options: dict[str, Any]) -> LineReader:
    engine = create_engine("rapidocr", options)
    params_of = getattr(engine, "rapidocr_params", None)
    if params_of is None:  # an adapter without the method: read the crop as a page
        return LineReader("page-on-crop", _page_text(engine))
    params = params_of()
    state: dict[str, Any] = {}

    def read(crop: PageImage) -> str:
        import numpy as np

        if "ocr" not in state:
            from rapidocr import RapidOCR

            state["ocr"] = RapidOCR(params=params)
        pixels = np.asarray(crop.image.convert("RGB"))[:, :, ::-1]  # BGR, as rapidocr expects
        output = state["ocr"](
            np.ascontiguousarray(pixels), use_det=False, use_cls=False, use_rec=True
        )
        return " ".join(str(text) for text in (getattr(output, "txts", None) or ()))

    return LineReader("rapidocr-rec", read)


#: Line recognisers written here for engines whose adapters lack ``recognize_line``.
BUILTIN_LINE_READERS: dict[str, Callable[[dict[str, Any]], LineReader]] = {
    "tesseract": _tesseract,
    "rapidocr": _rapidocr,
}


def line_reader(engine_name: str, options: dict[str, Any]) -> LineReader:
    """The line recogniser for engine ``engine_name`` with ``options`` (see the module doc).

    Building one is cheap: models load on the first line read.

    Raises:
        UnknownEngineError: no such engine.
        InvalidOptionsError: the options do not validate.
    """
    cls = get_engine_class(engine_name)
    if callable(getattr(cls, "recognize_line", None)):
        engine = cls(options)
        method: ReadLine = engine.recognize_line  # type: ignore[attr-defined]
        return LineReader(f"{engine_name}-recognize-line", method)
    builder = BUILTIN_LINE_READERS.get(engine_name)
    if builder is not None:
        return builder(options)
    return LineReader("page-on-crop", _page_text(cls(options)))
