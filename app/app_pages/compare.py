"""Compare page: read one or more documents with several OCR engines, side by side.

Everything that decides or computes is in the library (``ocrxtract.workbench.compare``,
``ocrxtract.workbench.uploads``, ``ocrxtract.workbench.viz``); this page lays out widgets and
shows results. Widget keys start with ``compare.`` so the page's state never collides with
another page's.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st
from PIL import Image

from ocrxtract.datasets import discover, list_datasets, load_sample
from ocrxtract.document import Page
from ocrxtract.errors import OcrxtractError
from ocrxtract.export import FORMATS, export_document, file_extension
from ocrxtract.workbench.agreement import disagreements, page_agreement
from ocrxtract.workbench.compare import (
    EngineRun,
    EngineStatus,
    TextComparison,
    compare_text,
    default_selection,
    document_stats,
    engine_catalogue,
    language_choices,
    main_option_fields,
    prepare_engines,
    run_comparison,
)
from ocrxtract.workbench.uploads import (
    DEFAULT_DPI,
    UPLOAD_TYPES,
    AppDocument,
    SampleDocument,
    UploadedDocument,
    UploadLimits,
)
from ocrxtract.workbench.viz import (
    diff_html,
    diff_legend_html,
    draw_boxes,
    legend_html,
    markdown_escape,
)

KEY = "compare."
#: Longest side, in pixels, of the page images shown in the panels.
DISPLAY_SIDE = 1400
#: Panels per row.
PANELS_PER_ROW = 3
MIME = {"json": "application/json", "txt": "text/plain", "hocr": "text/html", "alto": "text/xml"}
SOURCES = ("Upload files", "Dataset sample")


# --- cached resources ---------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def compared(
    key: str, engines: str, force_ocr: bool, _document: AppDocument, _on_progress: Any = None
) -> dict[str, EngineRun]:
    """Every engine on one document (each page rendered once), cached per (content, engines).

    Engines are built once per process by the pipeline and reused across sessions.
    """
    return run_comparison(
        [_document], json.loads(engines), force_ocr=force_ocr, on_progress=_on_progress
    )[key]


@st.cache_data(show_spinner=False, max_entries=16)
def page_image(key: str, index: int, _document: AppDocument) -> Image.Image:
    """The page image (that page only is rendered), reduced for display."""
    image = _document.page_image(index).image.convert("RGB")
    image.thumbnail((DISPLAY_SIDE, DISPLAY_SIDE))
    return image


@st.cache_data(show_spinner=False, max_entries=64)
def comparison_of(reference: str, text: str) -> TextComparison:
    return compare_text(reference, text)


@st.cache_data(show_spinner=False, ttl=60)
def catalogue() -> list[EngineStatus]:
    return engine_catalogue()


@st.cache_data(show_spinner=False, ttl=300)
def ocr_datasets() -> dict[str, str]:
    """Datasets with an OCR task whose files are here (generated ones always are)."""
    found = {}
    for spec in list_datasets():
        if "ocr" not in spec.tasks:
            continue
        try:
            discover(spec.name)
        except OcrxtractError:
            continue
        found[spec.name] = spec.title or spec.name
    return found


@st.cache_data(show_spinner=False, ttl=300)
def sample_ids(dataset: str) -> list[str]:
    return [item.sample_id for item in discover(dataset).items[:500]]


@st.cache_resource(show_spinner=False, max_entries=32)
def sample_document(dataset: str, sample_id: str) -> SampleDocument:
    return SampleDocument(load_sample(dataset, sample_id))


@st.cache_resource(show_spinner=False, max_entries=8)
def uploaded_document(
    file_id: str, name: str, dpi: int, limits: UploadLimits, _data: bytes
) -> UploadedDocument | str:
    """The accepted upload, or its error message (checked once per upload and dpi)."""
    try:
        document = UploadedDocument(name, _data, dpi=dpi, limits=limits)
        document.page_count()
    except OcrxtractError as exc:
        return str(exc)
    return document


# --- inputs -------------------------------------------------------------------------------------


def choose_documents(limits: UploadLimits) -> tuple[list[AppDocument], str | None]:
    """The document widgets; returns the documents and the pasted reference text."""
    source = st.radio("Source", SOURCES, horizontal=True, key=KEY + "source")
    if source == SOURCES[0]:
        files = st.file_uploader(
            f"PNG, JPEG, TIFF or PDF, several pages allowed (at most {limits.max_mb} MiB and "
            f"{limits.max_pages} pages per file)",
            type=list(UPLOAD_TYPES),
            accept_multiple_files=True,
            key=KEY + "files",
            max_upload_size=limits.max_mb,
        )
        dpi = st.number_input(
            "Resolution for PDF pages (dpi)",
            min_value=72,
            max_value=600,
            value=DEFAULT_DPI,
            step=25,
            key=KEY + "dpi",
            help="PDF pages are rendered at this resolution before OCR; images keep theirs.",
        )
        documents: list[AppDocument] = []
        for upload in files or []:
            accepted = uploaded_document(
                upload.file_id, upload.name, int(dpi), limits, upload.getvalue()
            )
            if isinstance(accepted, str):
                st.error(accepted, icon=":material/error:")
            else:
                documents.append(accepted)
        reference = st.text_area(
            "Reference text (optional)",
            key=KEY + "reference",
            height=100,
            help="The exact text of the document (pages in order): each engine then gets a "
            "CER/WER and a character diff.",
        )
        return documents, reference.strip() or None
    datasets = ocr_datasets()
    if not datasets:
        st.info("No dataset with an OCR ground truth is on this machine.")
        return [], None
    dataset = st.selectbox(
        "Dataset", list(datasets), format_func=lambda n: f"{n}: {datasets[n]}", key=KEY + "dataset"
    )
    ids = sample_ids(dataset)
    if not ids:
        st.info(f"Dataset {dataset} has no samples here.")
        return [], None
    sample_id = st.selectbox("Sample", ids, key=KEY + "sample")
    try:
        document = sample_document(dataset, sample_id)
    except OcrxtractError as exc:
        st.error(str(exc), icon=":material/error:")
        return [], None
    with st.expander("Ground truth"):
        st.code(document.reference or "", language=None, wrap_lines=True)
    return [document], None


def option_widgets(engine: str) -> dict[str, Any]:
    """Widgets for an engine's languages and main options; returns the chosen values."""
    values: dict[str, Any] = {}
    prefix = f"{KEY}opt.{engine}."
    choices, defaults = language_choices(engine)
    if choices:
        values["languages"] = st.multiselect(
            "languages", choices, default=defaults, key=prefix + "languages"
        )
    for field in main_option_fields(engine):
        key = prefix + field.name
        if field.kind == "bool":
            values[field.name] = st.checkbox(
                field.label, value=field.default, help=field.help, key=key
            )
        elif field.kind == "choice":
            values[field.name] = st.selectbox(
                field.label,
                field.choices,
                index=field.choices.index(field.default),
                help=field.help,
                key=key,
            )
        elif field.kind == "int":
            values[field.name] = st.number_input(
                field.label,
                min_value=None if field.minimum is None else int(field.minimum),
                max_value=None if field.maximum is None else int(field.maximum),
                value=int(field.default),
                step=1,
                help=field.help,
                key=key,
            )
        else:
            values[field.name] = st.number_input(
                field.label,
                min_value=field.minimum,
                max_value=field.maximum,
                value=float(field.default),
                step=0.05,
                format="%.2f",
                help=field.help,
                key=key,
            )
    return values


def choose_engines() -> dict[str, dict[str, Any]]:
    """The engine widgets; returns engine name -> options. Lists unavailable engines."""
    statuses = catalogue()
    available = [s.name for s in statuses if s.available]
    chosen = st.multiselect(
        "Engines",
        available,
        default=default_selection(statuses),
        key=KEY + "engines",
        help="Each engine reads the document; their results are shown side by side.",
    )
    selection = {}
    for engine in chosen:
        with st.expander(f"{engine} options"):
            selection[engine] = option_widgets(engine)
    missing = [s for s in statuses if not s.available]
    if missing:
        with st.container(border=True, key=KEY + "unavailable"):
            st.markdown("**Not available on this machine**")
            for status in missing:
                st.markdown(f"**{status.name}**: {markdown_escape(status.reason or 'unavailable')}")
                if status.install:
                    st.code(status.install, language="text", wrap_lines=True)
    return selection


# --- results ------------------------------------------------------------------------------------


def run(
    documents: list[AppDocument], selection: dict[str, dict[str, Any]], force_ocr: bool
) -> None:
    ready, refused = prepare_engines(selection)
    bar = st.progress(0.0, text="Starting…")

    def progress(done: int, total: int, what: str) -> None:
        bar.progress(done / total if total else 1.0, text=f"{done}/{total} pages · {what}")

    engines = json.dumps(ready)  # in the order chosen: panels follow it
    results = {d.key: compared(d.key, engines, force_ocr, d, progress) for d in documents}
    bar.empty()
    for runs in results.values():
        for engine, reason in refused.items():
            runs[engine] = EngineRun(engine, error=reason)
    st.session_state[KEY + "results"] = results
    st.session_state[KEY + "documents"] = {d.key: d for d in documents}


def show_downloads(run_: EngineRun, name: str) -> None:
    assert run_.document is not None
    stem = name.rsplit(".", 1)[0].replace("/", "_")
    columns = st.columns(len(FORMATS))
    for column, fmt in zip(columns, FORMATS, strict=True):
        try:
            data = export_document(run_.document, fmt)
        except OcrxtractError as exc:
            column.caption(f"{fmt}: {exc}")
            continue
        column.download_button(
            fmt.upper(),
            data=data,
            file_name=f"{stem}.{run_.engine}{file_extension(fmt)}",
            mime=MIME.get(fmt, "text/plain"),
            key=f"{KEY}download.{run_.engine}.{fmt}",
            on_click="ignore",
            width="stretch",
        )


def show_panel(
    document: AppDocument,
    run_: EngineRun,
    index: int,
    level: str,
    reference: str | None,
    *,
    others: dict[str, Page],
) -> None:
    st.subheader(run_.engine)
    if not run_.ok:
        st.error(run_.error, icon=":material/error:")
        return
    assert run_.document is not None
    stats = document_stats(run_.document)
    page = run_.document.pages[index]
    st.caption(stats.engine_version or "")
    metrics = st.columns(3)
    seconds = page.provenance.seconds if page.provenance else 0.0
    metrics[0].metric("s/page", f"{seconds:.2f}", help="Engine time for this page")
    if reference is not None:
        comparison = comparison_of(reference, run_.document.text())
        metrics[1].metric("CER", f"{comparison.exact.cer:.1%}", help="Characters, exact")
        metrics[2].metric("WER", f"{comparison.exact.wer:.1%}", help="Words, exact")
    else:
        confidences = [w.confidence for w in page.words() if w.confidence is not None]
        confidence = sum(confidences) / len(confidences) if confidences else None
        metrics[1].metric(
            "confidence",
            "—" if confidence is None else f"{confidence:.0%}",
            help="The engine's own estimate for this page (mean word confidence): it can be "
            "high on a misread line.",
        )
        agreement = page_agreement(page, others)
        metrics[2].metric(
            "agreement",
            "—" if agreement is None else f"{agreement:.0%}",
            help="How much the other engines read the same text at the same place (characters, "
            "case and accents folded): without a reference, where engines disagree is where to "
            "look.",
        )
    image = draw_boxes(page_image(document.key, index, document), page, level=level)  # type: ignore[arg-type]
    st.image(image, width="stretch")
    st.code(page.text() or "(no text recognised)", language=None, wrap_lines=True)
    if page.provenance and page.provenance.notes:
        st.caption(" · ".join(page.provenance.notes))
    if reference is None and others:
        disputed = disagreements(page, others)
        with st.expander(f"Lines the other engines read differently: {len(disputed)}"):
            for line, engine in disputed[:200]:
                confidence = "—" if line.confidence is None else f"{line.confidence:.0%}"
                st.markdown(
                    f":orange-background[{markdown_escape(line.text)}] · {engine}: "
                    f"{markdown_escape(line.other or '(nothing)')} · agreement "
                    f"{line.agreement:.0%}, confidence {confidence}"
                )
    if reference is not None:
        with st.expander(
            f"Differences with the reference: {comparison.counts.substitutions} substituted, "
            f"{comparison.counts.deletions} missing, {comparison.counts.insertions} added"
        ):
            st.html(diff_legend_html() + diff_html(comparison.spans, max_chars=20_000))
    show_downloads(run_, document.name)


def show_summary(runs: dict[str, EngineRun], reference: str | None) -> None:
    rows: dict[str, list[Any]] = {
        "engine": [],
        "pages": [],
        "words": [],
        "s/page": [],
        "confidence": [],
    }
    if reference is not None:
        rows.update({"CER exact": [], "CER folded": [], "WER exact": []})
    for name, run_ in runs.items():
        if not run_.ok or run_.document is None:
            continue
        stats = document_stats(run_.document)
        rows["engine"].append(name)
        rows["pages"].append(stats.pages)
        rows["words"].append(stats.words)
        rows["s/page"].append(round(stats.seconds_per_page or 0.0, 2))
        rows["confidence"].append(
            None if stats.mean_confidence is None else round(stats.mean_confidence, 3)
        )
        if reference is not None:
            comparison = comparison_of(reference, run_.document.text())
            rows["CER exact"].append(round(comparison.exact.cer, 4))
            rows["CER folded"].append(round(comparison.folded.cer, 4))
            rows["WER exact"].append(round(comparison.exact.wer, 4))
    if rows["engine"]:
        percent = {
            name: st.column_config.NumberColumn(name, format="percent")
            for name in ("confidence", "CER exact", "CER folded", "WER exact")
        }
        st.dataframe(rows, hide_index=True, column_config=percent, key=KEY + "summary")


def show_results(pasted_reference: str | None) -> None:
    results: dict[str, dict[str, EngineRun]] | None = st.session_state.get(KEY + "results")
    documents: dict[str, AppDocument] = st.session_state.get(KEY + "documents", {})
    if not results:
        return
    st.divider()
    keys = list(results)
    key = keys[0]
    if len(keys) > 1:
        key = st.selectbox(
            "Document", keys, format_func=lambda k: documents[k].name, key=KEY + "view"
        )
    document = documents[key]
    runs = results[key]
    reference = document.reference or pasted_reference
    count = max(
        (len(r.document.pages) for r in runs.values() if r.ok and r.document is not None),
        default=0,
    )
    top = st.columns([2, 2, 3])
    index = 0
    if count > 1:
        index = (
            top[0].selectbox(
                "Page",
                list(range(1, count + 1)),
                format_func=lambda n: f"page {n} of {count}",
                key=KEY + "page",
            )
            - 1
        )
    level = top[1].radio("Boxes", ("word", "line", "block"), horizontal=True, key=KEY + "level")
    top[2].html(legend_html())
    st.markdown(f"**{document.name}**" + (" · compared with the reference" if reference else ""))
    for note in dict.fromkeys(n for r in runs.values() for n in r.notes):
        st.info(
            note.replace("--force-ocr", "tick “OCR pages that have a text layer”"),
            icon=":material/info:",
        )
    show_summary(runs, reference)
    names = list(runs)
    for start in range(0, len(names), PANELS_PER_ROW):
        row = names[start : start + PANELS_PER_ROW]
        for column, name in zip(st.columns(len(row)), row, strict=True):
            with column.container(border=True, key=f"{KEY}panel.{name}"):
                others = {
                    other: run.document.pages[index]
                    for other, run in runs.items()
                    if other != name
                    and run.ok
                    and run.document is not None
                    and index < len(run.document.pages)
                }
                show_panel(document, runs[name], index, str(level), reference, others=others)


# --- page -----------------------------------------------------------------------------------


st.title("Compare OCR engines")
st.caption(
    "Your documents stay on this machine: files are read in memory, and nothing is sent anywhere."
)
try:
    limits = UploadLimits.from_env()
except OcrxtractError as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Document")
    chosen_documents, pasted = choose_documents(limits)
with right:
    st.subheader("Engines")
    chosen_engines = choose_engines()

force_ocr = st.checkbox(
    "OCR pages that have a text layer",
    key=KEY + "force_ocr",
    help="A born-digital PDF holds its exact text: it is read from there (labelled pdf-text) "
    "unless you tick this to compare the engines on it.",
)
if st.button(
    "Run",
    type="primary",
    disabled=not (chosen_documents and chosen_engines),
    key=KEY + "run",
    icon=":material/play_arrow:",
):
    run(chosen_documents, chosen_engines, force_ocr)
show_results(pasted)
