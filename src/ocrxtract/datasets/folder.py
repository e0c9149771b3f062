"""A folder is a dataset: documents with optional ground truth beside them, under the same stem.

Layout (any depth; the sample id is the document's path under the folder, without suffix)::

    payslips/2024-03.pdf           the document (image, multi-page TIFF or PDF)
    payslips/2024-03.txt           its text (pages separated by a form feed)       optional
    payslips/2024-03.xml           or ALTO / PAGE XML (found from the content)     optional
    payslips/2024-03.fields.json   expected field values {"schema": ..., "fields": {...}}
    payslips/2024-03.tables.html   expected tables (one <table> per table)         optional

What is read:

* ``.xml`` (ALTO or PAGE, one page image): the line transcription with boxes, like the
  ``alto``/``page-xml`` formats; it gives the text unless a ``.txt`` is there too;
* ``.txt``: the reference text (the ``.txt`` wins over the XML's text);
* ``.fields.json``: a mapping ``{"schema": NAME, "fields": {name: value}}`` (or the mapping of
  fields alone);
* ``.tables.html``: each ``<table>`` becomes a ground-truth table on the first page (cells,
  spans and header cells from ``<th>``).

A document without ground truth is still a sample (speed, confidence, agreement between engines
can be measured on it). A sidecar without its document is left aside with the reason; a sidecar
that does not parse fails its sample with an error naming the file and the fix.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from ocrxtract.datasets.alto import parse_alto
from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import empty_page, load_transcribed_image
from ocrxtract.datasets.files import local_name, parse_xml, read_text, require_root
from ocrxtract.datasets.geometry import image_info, pdf_page_sizes, pdf_pixel_size
from ocrxtract.datasets.page_xml import parse_page_xml
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.document import Document, Table
from ocrxtract.errors import CorruptInputError, OcrxtractError
from ocrxtract.export.tables import cells_to_html, html_to_cells
from ocrxtract.io import SUPPORTED_SUFFIXES, count_pages, detect_format, iter_pages

log = logging.getLogger(__name__)

#: Ground-truth sidecars, by role, with their suffix.
SIDECARS: dict[str, str] = {
    "fields": ".fields.json",
    "tables": ".tables.html",
    "text": ".txt",
    "xml": ".xml",
}
_TABLE = re.compile(r"<table\b.*?</table>", re.IGNORECASE | re.DOTALL)


def _split(path: Path, root: Path) -> tuple[str, str] | None:
    """``(sample id, role)`` of a file of the folder, ``None`` for a file that is neither."""
    relative = path.relative_to(root).as_posix()
    for role, suffix in SIDECARS.items():
        if relative.lower().endswith(suffix):
            return relative[: -len(suffix)], role
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        return relative[: -len(path.suffix)], "document"
    return None


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Every document under the folder, with the sidecars found beside it."""
    root = require_root(root, spec.name)
    found = Discovery(root=root, layout="documents with <stem>.txt|.xml|.fields.json|.tables.html")
    groups: dict[str, dict[str, Path]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        split = _split(path, root)
        if split is None:
            continue
        stem, role = split
        if role in groups.setdefault(stem, {}):
            found.skipped.append((path.relative_to(root).as_posix(), f"a second {role} for {stem}"))
            continue
        groups[stem][role] = path
    for stem, files in sorted(groups.items()):
        if "document" not in files:
            for role, path in files.items():
                found.skipped.append(
                    (path.relative_to(root).as_posix(), f"{role} ground truth without a document")
                )
            continue
        found.items.append(Item(stem, spec.default_split, dict(files)))
    return found


def _xml_parser(path: Path) -> tuple[str, object]:
    root = parse_xml(path)
    name = local_name(root)
    if name == "alto":
        return "alto", parse_alto
    if name == "PcGts":
        return "page-xml", parse_page_xml
    raise CorruptInputError(
        path, f"root element <{name}> is neither ALTO nor PAGE XML", "export ALTO or PAGE XML"
    )


def _fields(path: Path) -> tuple[str | None, dict[str, str]]:
    """The schema named by a ``.fields.json`` sidecar (``None``: none named) and its fields."""
    try:
        data = json.loads(read_text(path))
    except (json.JSONDecodeError, OcrxtractError) as exc:
        raise CorruptInputError(
            path, f"not valid JSON ({exc})", 'write {"schema": ..., "fields": {"name": "value"}}'
        ) from exc
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema is not None and not (isinstance(schema, str) and schema.strip()):
        raise CorruptInputError(
            path, f"the schema must be a schema name, not {schema!r}", 'e.g. "schema": "payslip"'
        )
    if isinstance(data, dict) and "fields" in data:
        fields = data["fields"]
    elif isinstance(data, dict):
        fields = {name: value for name, value in data.items() if name != "schema"}
    else:
        fields = None
    if not isinstance(fields, dict):
        raise CorruptInputError(
            path,
            "expected a mapping of field names to values",
            'e.g. {"fields": {"total": "12.50"}}',
        )
    return schema, {name: "" if value is None else str(value) for name, value in fields.items()}


def _tables(path: Path) -> tuple[Table, ...]:
    markup = read_text(path)
    tables = []
    for number, match in enumerate(_TABLE.finditer(markup)):
        try:
            cells = html_to_cells(match.group(0))
        except (ValueError, KeyError, TypeError) as exc:
            raise CorruptInputError(
                path, f"table {number + 1} cannot be read ({exc})", "write plain <table> HTML"
            ) from exc
        tables.append(Table(table_id=str(number), cells=cells, html=cells_to_html(cells)))
    if not tables:
        raise CorruptInputError(path, "no <table> element found", "write one <table> per table")
    return tuple(tables)


def _page_sizes(document: Path, dpi: float) -> list[tuple[int, int, float | None]]:
    """(width, height, dpi) of every page as the benchmark will read them, from the headers
    (no page is rendered or decoded)."""
    if detect_format(document) == "pdf":
        return [(*pdf_pixel_size(w, h, dpi), dpi) for w, h in pdf_page_sizes(document)]
    if count_pages(document) == 1:
        info = image_info(document)
        return [(info.width, info.height, info.dpi)]
    return [(page.width, page.height, page.dpi) for page in iter_pages(document)]


def load(item: Item, spec: DatasetSpec) -> Sample:
    """One document of the folder with whatever ground truth lies beside it."""
    files = item.files
    document = files["document"]
    extra: dict[str, object] = {}
    if "fields" in files:
        schema, extra["fields"] = _fields(files["fields"])
        if schema:
            extra["tags"] = {"schema": schema}
    if "tables" in files:
        extra["tables"] = _tables(files["tables"])
    if "xml" in files and count_pages(document) == 1:
        fmt, parser = _xml_parser(files["xml"])
        sample = load_transcribed_image(
            Item(item.sample_id, item.split, {"image": document, "gt": files["xml"]}),
            spec,
            parser,  # type: ignore[arg-type]
            fmt,
        )
        if "text" in files:
            extra["text"] = read_text(files["text"]).strip("\n")
        return Sample(**{**sample.__dict__, **extra})  # type: ignore[arg-type]
    notes = []
    if "xml" in files:
        notes.append("XML ground truth ignored: it describes one page, the document has several")
    dpi = float(spec.render_dpi)
    sizes = _page_sizes(document, dpi)
    source = f"{spec.name}:folder"
    pages = [empty_page(i, w, h, page_dpi, source) for i, (w, h, page_dpi) in enumerate(sizes)]
    text = read_text(files["text"]).strip("\n") if "text" in files else ""
    if "text" not in files:
        notes.append("no reference text: only speed, confidence and agreement can be measured")
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=tuple(PageRef(path=document, index=i) for i in range(len(sizes))),
        truth=Document(source=str(document), pages=pages, metadata={"format": "folder"}),
        text=text,
        split=item.split,
        dpi=sizes[0][2] if sizes else None,
        fields=extra.get("fields", {}),  # type: ignore[arg-type]
        tables=extra.get("tables", ()),  # type: ignore[arg-type]
        notes=tuple(notes),
        tags=extra.get("tags", {}),  # type: ignore[arg-type]
    )
