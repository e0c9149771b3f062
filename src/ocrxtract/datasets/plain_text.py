"""Documents whose only ground truth is the text of the whole document (no boxes, no pages).

Used for born-digital PDFs with a reference text file (``images/<stem>.pdf`` +
``gt/<stem>.md`` or ``.txt``), e.g. the DSA systemic-risk reports, whose reference is Open Terms
Archive's automatic extraction, not a human transcription. The text is kept as written (line
ends normalised, runs of blank lines reduced to one); page boundaries are unknown, so the
reference covers the whole document and order-free metrics suit it best.

Layouts: the shared ``images/`` + ``gt/``, or the PDFs and text files anywhere under the root,
paired by folder name and stem (``<Service>/<Title>.pdf`` with ``<Service>/<Title>.md``).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import empty_page
from ocrxtract.datasets.files import GT_DIR, IMAGES_DIR, files_by_stem, read_text, require_root
from ocrxtract.datasets.geometry import pdf_page_sizes, pdf_pixel_size
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.document import Document

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".md", ".txt")
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Pair each PDF with its text file."""
    root = require_root(root, spec.name)
    if (root / IMAGES_DIR).is_dir():
        pdfs = files_by_stem(root / IMAGES_DIR, [".pdf"])
        texts = files_by_stem(root / GT_DIR, TEXT_SUFFIXES)
        layout = "images/<stem>.pdf + gt/<stem>.md|txt"
        keys = {stem: stem for stem in set(pdfs) | set(texts)}
    else:
        pdfs, texts = {}, {}
        for path in sorted(root.rglob("*")):
            if not path.is_file():
                continue
            key = f"{path.parent.name}/{path.stem}"
            if path.suffix.lower() == ".pdf":
                pdfs[key] = path
            elif path.suffix.lower() in TEXT_SUFFIXES and not path.name.upper().startswith(
                "README"
            ):
                texts[key] = path
        layout = "<folder>/<stem>.pdf paired with <folder>/<stem>.md|txt anywhere"
        keys = {key: key for key in set(pdfs) | set(texts)}
    found = Discovery(root=root, layout=layout)
    for key in sorted(keys):
        if key not in texts:
            found.skipped.append((key, "PDF without reference text"))
        elif key not in pdfs:
            found.skipped.append((key, "reference text without its PDF"))
        else:
            found.items.append(Item(key, spec.default_split, {"pdf": pdfs[key], "gt": texts[key]}))
    return found


def clean_reference(text: str) -> str:
    """Line ends as ``\\n``, trailing spaces dropped, runs of blank lines as one blank line."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Read one document's reference text and its PDF's page sizes."""
    pdf, gt = item.files["pdf"], item.files["gt"]
    dpi = float(spec.render_dpi)
    sizes = pdf_page_sizes(pdf)
    source = f"{spec.name}:plain-text"
    pages = [
        empty_page(i, *pdf_pixel_size(w, h, dpi), dpi, source) for i, (w, h) in enumerate(sizes)
    ]
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=tuple(PageRef(path=pdf, index=i) for i in range(len(sizes))),
        truth=Document(
            source=str(pdf), pages=pages, metadata={"format": "plain-text", "ground_truth": str(gt)}
        ),
        text=clean_reference(read_text(gt)),
        split=item.split,
        dpi=dpi,
        notes=("reference text of the whole document: no boxes, no page boundaries",),
    )
