"""Ground truth made in the app: an engine's draft of a document, corrected line by line.

The "Mes documents" page works on a local folder chosen by the user (a folder dataset,
:mod:`ocrxtract.datasets.folder`). For a document of that folder:

1. :func:`make_draft` reads it with one engine (pages in reading order, like the pipeline) and
   keeps each line's text and box: a :class:`Draft`;
2. the user corrects the lines one by one beside each line's crop (:func:`line_crop`); every
   change is written at once to a hidden draft file beside the document
   (``.NAME.ocrxtract-draft.json``, :func:`save_draft`, atomic), so work in progress survives a
   browser reload or a restart (:func:`load_draft`);
3. the key fields, optionally: :func:`propose_fields` runs the ``fields`` extraction on the
   corrected lines (the schema detected, or the one chosen) and the user corrects the values
   (:meth:`Draft.set_field`), kept in the same draft file;
4. :func:`save_ground_truth` writes the sidecars the folder dataset reads: ``STEM.txt`` (the
   corrected text, pages separated by a form feed), for a one-page document whose lines all
   have boxes ``STEM.xml`` in ALTO (the lines with their boxes, for line-level scores), and
   ``STEM.fields.json`` when a schema was chosen (``{"schema": ..., "fields": {...}}``; a field
   left empty is absent from the document).

A line emptied by the user is left out of the ground truth (a line the engine invented). Files
are written atomically (:mod:`ocrxtract.io.atomic`); nothing leaves the folder. Draft files
start with a dot, so the folder dataset never takes them for documents or ground truth.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocrxtract.datasets.base import DEFAULT_RENDER_DPI
from ocrxtract.document import BBox, Document, Line, Page, Word, block_from_lines
from ocrxtract.errors import CorruptInputError, InputNotFoundError, UsageError
from ocrxtract.export.alto import to_alto
from ocrxtract.io import SUPPORTED_SUFFIXES, detect_format, iter_pages
from ocrxtract.io.atomic import atomic_path, write_text_atomically
from ocrxtract.pipeline import engine_for, read_page

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

DRAFT_SUFFIX = ".ocrxtract-draft.json"
DRAFT_FORMAT = 1
#: Marks the ALTO files written here (an XML sidecar without it is the user's: never replaced).
ALTO_MARK = "ocrxtract ground truth"
_SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


@dataclass
class DraftLine:
    """One line of a draft.

    Attributes:
        page: 0-based page index.
        bbox: The line's box in the page image's pixels ``(x0, y0, x1, y1)``, or ``None``.
        read: What the engine read.
        text: The text as corrected (the engine's reading until the user changes it).
    """

    page: int
    bbox: tuple[int, int, int, int] | None
    read: str
    text: str

    @property
    def corrected(self) -> bool:
        return self.text != self.read


@dataclass
class Draft:
    """An engine's reading of a document, being corrected into its ground truth.

    Attributes:
        document: The document file.
        engine: The engine that made the draft (``pdf-text`` for a PDF's text layer).
        pages: Number of pages.
        sizes: ``(width, height)`` of each page image, in pixels.
        dpi: Resolution PDF pages were rendered at.
        lines: The lines, page by page, in reading order.
        made: A token of this draft (a new draft of the same document gets another one): the
            app keys its line widgets with it.
        schema: The extraction schema of the document's key fields (``None``: no fields).
        fields: Field name -> value as corrected (normalised form or as printed: the scorer
            normalises both sides); an empty value means the document has no such field.
        fields_read: What the extraction proposed, to tell corrected fields apart.
    """

    document: Path
    engine: str
    pages: int
    sizes: list[tuple[int, int]]
    dpi: int = DEFAULT_RENDER_DPI
    lines: list[DraftLine] = field(default_factory=list)
    made: str = field(default_factory=lambda: secrets.token_hex(6))
    schema: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    fields_read: dict[str, str] = field(default_factory=dict)

    def page_lines(self, page: int) -> list[tuple[int, DraftLine]]:
        """``(index in lines, line)`` of every line of ``page``."""
        return [(i, line) for i, line in enumerate(self.lines) if line.page == page]

    def set_text(self, index: int, text: str) -> bool:
        """Correct line ``index``; returns whether the text changed."""
        line = self.lines[index]
        text = text.replace("\n", " ").replace("\f", " ")
        if line.text == text:
            return False
        line.text = text
        return True

    @property
    def corrected(self) -> int:
        """How many lines the user changed."""
        return sum(line.corrected for line in self.lines)

    def page_text(self, page: int) -> str:
        return "\n".join(line.text for _, line in self.page_lines(page) if line.text.strip())

    def text(self) -> str:
        """The ground-truth text: non-empty lines, pages separated by a form feed."""
        return "\f".join(self.page_text(page) for page in range(self.pages))

    def set_field(self, name: str, value: str) -> bool:
        """Correct field ``name``; returns whether the value changed.

        Raises:
            UsageError: no schema chosen, or ``name`` is not one of its fields.
        """
        if self.schema is None or name not in self.fields:
            raise UsageError(f"{name!r} is not a field of this draft's schema ({self.schema})")
        value = " ".join(value.split())
        if self.fields[name] == value:
            return False
        self.fields[name] = value
        return True

    @property
    def fields_corrected(self) -> int:
        """How many field values the user changed."""
        return sum(value != self.fields_read.get(name, "") for name, value in self.fields.items())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["document"] = self.document.name
        return {"format": DRAFT_FORMAT, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any], document: Path) -> Draft:
        lines = [
            DraftLine(
                page=int(line["page"]),
                bbox=None if line["bbox"] is None else tuple(int(v) for v in line["bbox"]),  # type: ignore[arg-type]
                read=str(line["read"]),
                text=str(line["text"]),
            )
            for line in data["lines"]
        ]
        return cls(
            document=document,
            engine=str(data["engine"]),
            pages=int(data["pages"]),
            sizes=[(int(w), int(h)) for w, h in data["sizes"]],
            dpi=int(data.get("dpi", DEFAULT_RENDER_DPI)),
            lines=lines,
            made=str(data.get("made") or secrets.token_hex(6)),
            schema=data.get("schema"),
            fields={str(k): str(v) for k, v in (data.get("fields") or {}).items()},
            fields_read={str(k): str(v) for k, v in (data.get("fields_read") or {}).items()},
        )


# --- the folder -----------------------------------------------------------------------------


def open_folder(folder: str | Path) -> Path:
    """The folder the user typed, resolved.

    Raises:
        InputNotFoundError: it does not exist or is not a folder.
    """
    text = str(folder).strip()
    if not text:
        raise UsageError("give the path of a folder on this machine")
    path = Path(text).expanduser().resolve()
    if not path.is_dir():
        raise InputNotFoundError(path, "no such folder", "create it, or type the path of a folder")
    return path


def folder_documents(folder: Path) -> list[Path]:
    """The documents of ``folder`` (any depth, hidden files left out), as the folder dataset
    sees them."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def add_document(folder: Path, name: str, data: bytes) -> Path:
    """Write an uploaded document into ``folder`` (atomically) and return its path.

    The same file given twice is written once; another file under a name already taken is
    refused rather than replaced.

    Raises:
        UsageError: a name without a supported extension, or already taken by another file.
        InputError: the content is not a readable image or PDF (the file is not kept).
    """
    clean = _SAFE_NAME.sub("_", Path(name).name).lstrip(".").strip()
    if not clean or Path(clean).suffix.lower() not in SUPPORTED_SUFFIXES:
        known = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UsageError(f"{name}: not a document file name (use one of {known})")
    target = folder / clean
    if target.exists():
        if target.read_bytes() == data:
            return target
        raise UsageError(f"{target}: a different file of that name is already in the folder")
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
        detect_format(tmp)  # a bad file never reaches the folder
    return target


# --- drafts ---------------------------------------------------------------------------------


def draft_path(document: Path) -> Path:
    """The hidden draft file beside ``document``."""
    return document.with_name(f".{document.name}{DRAFT_SUFFIX}")


def sidecar(document: Path, suffix: str) -> Path:
    """``STEM.txt``/``STEM.xml`` beside ``document``."""
    return document.with_name(document.stem + suffix)


def make_draft(
    document: Path,
    engine: str,
    options: dict[str, Any] | None = None,
    *,
    dpi: int = DEFAULT_RENDER_DPI,
) -> Draft:
    """Read ``document`` with ``engine`` into a draft (not yet written).

    PDF pages are rendered at ``dpi`` (the folder dataset's resolution, so that the boxes match
    what the benchmark reads); a born-digital PDF page is read from its text layer.

    Raises:
        UnknownEngineError, InvalidOptionsError, EngineUnavailableError: the engine.
        InputError: the document cannot be read.
        RecognitionError: the engine failed on a page.
    """
    reader = engine_for(engine, options)
    draft = Draft(document=document, engine=engine, pages=0, sizes=[], dpi=dpi)
    used: set[str] = set()
    for image in iter_pages(document, dpi=dpi):
        page = read_page(reader, image)
        if page.provenance is not None:
            used.add(page.provenance.engine)
        draft.sizes.append((image.width, image.height))
        draft.lines += [
            DraftLine(page=image.index, bbox=_box(line), read=line.text, text=line.text)
            for line in page.lines()
        ]
    draft.pages = len(draft.sizes)
    if used and used != {engine}:
        draft.engine = "+".join(sorted(used))
    return draft


def _box(line: Line) -> tuple[int, int, int, int] | None:
    box = line.bbox
    if box is None:
        return None
    return (int(box.x0), int(box.y0), round(box.x1), round(box.y1))


def save_draft(draft: Draft) -> Path:
    """Write the draft beside its document, atomically."""
    return write_text_atomically(
        draft_path(draft.document), json.dumps(draft.to_dict(), ensure_ascii=False, indent=1)
    )


def load_draft(document: Path) -> Draft | None:
    """The draft saved beside ``document``, or ``None``.

    Raises:
        CorruptInputError: the draft file cannot be read (it names the file; delete it to start
            again).
    """
    path = draft_path(document)
    if not path.is_file():
        return None
    try:
        return Draft.from_dict(json.loads(path.read_text(encoding="utf-8")), document)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CorruptInputError(
            path, f"the draft cannot be read ({exc})", "delete it and make a new draft"
        ) from exc


def discard_draft(document: Path) -> None:
    draft_path(document).unlink(missing_ok=True)


# --- line crops -----------------------------------------------------------------------------


def page_image(document: Path, page: int, dpi: int = DEFAULT_RENDER_DPI) -> Image.Image:
    """Page ``page`` of ``document`` as the draft saw it (RGB)."""
    pages = iter_pages(document, dpi=dpi, pages=[page])
    try:
        return next(pages).image.convert("RGB")
    finally:
        pages.close()


def line_crop(image: Image.Image, bbox: tuple[int, int, int, int], margin: int = 6) -> Image.Image:
    """The line's box cut out of its page image, with ``margin`` pixels around it (clipped)."""
    x0, y0, x1, y1 = bbox
    box = (
        max(0, x0 - margin),
        max(0, y0 - margin),
        min(image.width, x1 + margin),
        min(image.height, y1 + margin),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        raise UsageError(f"line box {bbox} is outside the {image.width}x{image.height} page")
    return image.crop(box)


# --- key fields -----------------------------------------------------------------------------


def propose_fields(draft: Draft, schema: str = "auto") -> Draft:
    """Fill the draft's fields with what the ``fields`` extraction finds in its corrected lines.

    Args:
        schema: A schema name (``payslip``...) or ``auto`` (detected from the text). An
            undetected type leaves the draft without schema.

    Raises:
        UsageError: unknown schema name (the message lists the known ones), or a form schema
            (it names no fields to correct).
    """
    from ocrxtract.extract.fields import load_schema
    from ocrxtract.extract.fields.api import extract_fields
    from ocrxtract.extract.fields.schema import field_schema_names

    # load_schema raises for an unknown name, naming the known ones.
    if schema != "auto" and schema not in field_schema_names() and load_schema(schema):
        raise UsageError(
            f"schema {schema!r} labels a form and names no fields to correct; choose one of "
            f"{', '.join(field_schema_names())}"
        )
    result = extract_fields(ground_truth_document(draft), schema)
    if result.doc_type not in field_schema_names():
        draft.schema, draft.fields, draft.fields_read = None, {}, {}
        return draft
    found = {f.name: f.value or f.text for f in result.fields}
    draft.schema = result.doc_type
    names = load_schema(result.doc_type).fields
    draft.fields_read = {name: " ".join((found.get(name) or "").split()) for name in names}
    draft.fields = dict(draft.fields_read)
    return draft


def choose_schema(draft: Draft, schema: str | None) -> Draft:
    """Use ``schema`` for the draft's fields (``None``: no fields), keeping the values of the
    fields both schemas have.

    Raises:
        UsageError: unknown schema name.
    """
    from ocrxtract.extract.fields import load_schema

    if schema is None:
        draft.schema, draft.fields, draft.fields_read = None, {}, {}
        return draft
    names = load_schema(schema).fields
    draft.fields = {name: draft.fields.get(name, "") for name in names}
    draft.fields_read = {name: draft.fields_read.get(name, "") for name in names}
    draft.schema = schema
    return draft


# --- ground truth ---------------------------------------------------------------------------


def save_ground_truth(draft: Draft) -> list[Path]:
    """Write the corrected text beside the document: ``STEM.txt``, and ``STEM.xml`` (ALTO) for
    a one-page document whose lines all have boxes, unless an XML sidecar that this function
    did not write is there (it is the user's and is kept); ``STEM.fields.json`` when the draft
    has a schema (its non-empty fields). Returns the files written.
    """
    written = [write_text_atomically(sidecar(draft.document, ".txt"), draft.text() + "\n")]
    xml = sidecar(draft.document, ".xml")
    boxed = all(line.bbox is not None for line in draft.lines)
    theirs = xml.is_file() and ALTO_MARK not in xml.read_text(encoding="utf-8", errors="replace")
    if draft.pages == 1 and boxed and not theirs:
        written.append(write_text_atomically(xml, to_alto(ground_truth_document(draft))))
    elif draft.pages == 1 and theirs:
        log.info("%s: kept (not written by ocrxtract)", xml)
    if draft.schema is not None:
        values = {name: value for name, value in draft.fields.items() if value.strip()}
        data = {"schema": draft.schema, "fields": values}
        written.append(
            write_text_atomically(
                sidecar(draft.document, ".fields.json"),
                json.dumps(data, ensure_ascii=False, indent=1) + "\n",
            )
        )
    return written


def ground_truth_document(draft: Draft) -> Document:
    """The corrected lines as a document (one block per page; word boxes share the line's box
    in proportion to their length)."""
    pages = []
    for number, (width, height) in enumerate(draft.sizes):
        lines = [
            _line(line.text, line.bbox)
            for _, line in draft.page_lines(number)
            if line.text.strip() and line.bbox is not None
        ]
        blocks = [block_from_lines(lines)] if lines else []
        pages.append(Page(index=number, width=width, height=height, blocks=blocks))
    return Document(
        source=draft.document.name,
        pages=pages,
        metadata={"producer": ALTO_MARK, "draft_engine": draft.engine},
    )


def _line(text: str, bbox: tuple[int, int, int, int] | None) -> Line:
    assert bbox is not None
    x0, y0, x1, y1 = bbox
    tokens = text.split()
    total = max(1, sum(len(token) for token in tokens) + len(tokens) - 1)
    words, position = [], 0
    for token in tokens:
        left = x0 + (x1 - x0) * position // total
        position += len(token)
        right = x0 + (x1 - x0) * position // total
        position += 1
        words.append(Word(text=token, bbox=BBox(x0=left, y0=y0, x1=max(right, left + 1), y1=y1)))
    return Line(words=words, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1))


__all__ = [
    "DRAFT_SUFFIX",
    "Draft",
    "DraftLine",
    "add_document",
    "choose_schema",
    "discard_draft",
    "draft_path",
    "folder_documents",
    "ground_truth_document",
    "line_crop",
    "load_draft",
    "make_draft",
    "open_folder",
    "page_image",
    "propose_fields",
    "save_draft",
    "save_ground_truth",
    "sidecar",
]
