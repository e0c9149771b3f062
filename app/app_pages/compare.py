"""Compare page: read one or more documents with several OCR engines, side by side.

Everything that decides or computes is in the library (``ocrxtract.workbench.compare``,
``ocrxtract.workbench.uploads``, ``ocrxtract.workbench.viz``, ``ocrxtract.workbench.fields_view``,
``ocrxtract.workbench.tables_view``); this page lays out widgets and shows results. Widget keys
start with ``compare.`` so the page's state never collides with another page's.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st
from PIL import Image

from ocrxtract.datasets import discover, list_datasets, load_sample
from ocrxtract.document import ROLES, Page
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
    dropout_choices,
    engine_catalogue,
    language_choices,
    main_option_fields,
    prepare_engines,
    run_comparison,
)
from ocrxtract.workbench.fields_view import (
    EngineFields,
    dropout_advice,
    extract_each,
    field_boxes,
    fields_csv,
    fields_grid,
    fields_json,
)
from ocrxtract.workbench.i18n import translator
from ocrxtract.workbench.tables_view import FoundTable, document_tables, tables_xlsx
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
    draw_field_boxes,
    draw_layout,
    draw_table_boxes,
    layout_legend_html,
    legend_html,
    markdown_escape,
)

KEY = "compare."
#: Longest side, in pixels, of the page images shown in the panels.
DISPLAY_SIDE = 1400
#: Panels per row.
PANELS_PER_ROW = 3
MIME = {"json": "application/json", "txt": "text/plain", "hocr": "text/html", "alto": "text/xml"}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SOURCES = ("upload", "sample")
tr = translator(st.session_state.get("lang", "fr"))


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
    source = st.radio(
        tr("compare.source"),
        SOURCES,
        format_func=lambda s: tr(f"compare.source.{s}"),
        horizontal=True,
        key=KEY + "source",
    )
    if source == SOURCES[0]:
        files = st.file_uploader(
            tr("compare.upload", max_mb=limits.max_mb, max_pages=limits.max_pages),
            type=list(UPLOAD_TYPES),
            accept_multiple_files=True,
            key=KEY + "files",
            max_upload_size=limits.max_mb,
        )
        dpi = st.number_input(
            tr("compare.dpi"),
            min_value=72,
            max_value=600,
            value=DEFAULT_DPI,
            step=25,
            key=KEY + "dpi",
            help=tr("compare.dpi.help"),
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
            tr("compare.reference"),
            key=KEY + "reference",
            height=100,
            help=tr("compare.reference.help"),
        )
        return documents, reference.strip() or None
    datasets = ocr_datasets()
    if not datasets:
        st.info(tr("compare.no_dataset"))
        return [], None
    dataset = st.selectbox(
        tr("compare.dataset"),
        list(datasets),
        format_func=lambda n: f"{n}: {datasets[n]}",
        key=KEY + "dataset",
    )
    ids = sample_ids(dataset)
    if not ids:
        st.info(tr("compare.no_samples", dataset=dataset))
        return [], None
    sample_id = st.selectbox(tr("compare.sample"), ids, key=KEY + "sample")
    try:
        document = sample_document(dataset, sample_id)
    except OcrxtractError as exc:
        st.error(str(exc), icon=":material/error:")
        return [], None
    with st.expander(tr("compare.truth")):
        st.code(document.reference or "", language=None, wrap_lines=True)
    return [document], None


def option_widgets(engine: str) -> dict[str, Any]:
    """Widgets for an engine's languages and main options; returns the chosen values."""
    values: dict[str, Any] = {}
    prefix = f"{KEY}opt.{engine}."
    choices, defaults = language_choices(engine)
    if choices:
        values["languages"] = st.multiselect(
            tr("compare.languages"), choices, default=defaults, key=prefix + "languages"
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
    dropouts = dropout_choices(engine)
    if dropouts:
        values["dropout"] = st.selectbox(
            tr("compare.dropout"),
            dropouts,
            format_func=lambda colour: tr(f"dropout.{colour}"),
            help=tr("compare.dropout.help"),
            key=prefix + "dropout",
        )
    return values


def choose_engines() -> dict[str, dict[str, Any]]:
    """The engine widgets; returns engine name -> options. Lists unavailable engines."""
    statuses = catalogue()
    available = [s.name for s in statuses if s.available]
    chosen = st.multiselect(
        tr("compare.engines"),
        available,
        default=default_selection(statuses),
        key=KEY + "engines",
        help=tr("compare.engines.help"),
    )
    selection = {}
    for engine in chosen:
        with st.expander(tr("compare.options", engine=engine)):
            selection[engine] = option_widgets(engine)
    missing = [s for s in statuses if not s.available]
    if missing:
        with st.container(border=True, key=KEY + "unavailable"):
            st.markdown(tr("compare.unavailable"))
            for status in missing:
                reason = status.reason or tr("compare.unavailable.reason")
                st.markdown(f"**{status.name}**: {markdown_escape(reason)}")
                if status.install:
                    st.code(status.install, language="text", wrap_lines=True)
    return selection


# --- results ------------------------------------------------------------------------------------


def run(
    documents: list[AppDocument], selection: dict[str, dict[str, Any]], force_ocr: bool
) -> None:
    ready, refused = prepare_engines(selection)
    bar = st.progress(0.0, text=tr("compare.starting"))

    def progress(done: int, total: int, what: str) -> None:
        bar.progress(
            done / total if total else 1.0,
            text=tr("compare.progress", done=done, total=total, what=what),
        )

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
    metrics[0].metric("s/page", f"{seconds:.2f}", help=tr("compare.spp.help"))
    if reference is not None:
        comparison = comparison_of(reference, run_.document.text())
        metrics[1].metric("CER", f"{comparison.exact.cer:.1%}", help=tr("compare.cer.help"))
        metrics[2].metric("WER", f"{comparison.exact.wer:.1%}", help=tr("compare.wer.help"))
    else:
        confidences = [w.confidence for w in page.words() if w.confidence is not None]
        confidence = sum(confidences) / len(confidences) if confidences else None
        metrics[1].metric(
            tr("compare.confidence"),
            "—" if confidence is None else f"{confidence:.0%}",
            help=tr("compare.confidence.help"),
        )
        agreement = page_agreement(page, others)
        metrics[2].metric(
            tr("compare.agreement"),
            "—" if agreement is None else f"{agreement:.0%}",
            help=tr("compare.agreement.help"),
        )
    if level == "layout":
        st.image(draw_layout(page_image(document.key, index, document), page), width="stretch")
        labels = {role: tr(f"role.{role}") for role in ROLES}
        st.html(layout_legend_html(page, labels))
    else:
        image = draw_boxes(page_image(document.key, index, document), page, level=level)  # type: ignore[arg-type]
        st.image(image, width="stretch")
    st.code(page.text() or tr("compare.no_text"), language=None, wrap_lines=True)
    if page.provenance and page.provenance.notes:
        st.caption(" · ".join(page.provenance.notes))
    if reference is None and others:
        disputed = disagreements(page, others)
        with st.expander(tr("compare.disputed", count=len(disputed))):
            for line, engine in disputed[:200]:
                confidence = "—" if line.confidence is None else f"{line.confidence:.0%}"
                st.markdown(
                    f":orange-background[{markdown_escape(line.text)}] · {engine}: "
                    f"{markdown_escape(line.other or tr('compare.nothing'))} · "
                    + tr(
                        "compare.disputed.line",
                        agreement=f"{line.agreement:.0%}",
                        confidence=confidence,
                    )
                )
    if reference is not None:
        with st.expander(
            tr(
                "compare.differences",
                substituted=comparison.counts.substitutions,
                missing=comparison.counts.deletions,
                added=comparison.counts.insertions,
            )
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
        labels: dict[str, Any] = {
            name: st.column_config.NumberColumn(name, format="percent")
            for name in ("CER exact", "CER folded", "WER exact")
        }
        labels["confidence"] = st.column_config.NumberColumn(
            tr("compare.col.confidence"), format="percent"
        )
        for name in ("engine", "pages", "words"):
            labels[name] = st.column_config.Column(tr(f"compare.col.{name}"))
        st.dataframe(rows, hide_index=True, column_config=labels, key=KEY + "summary")


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
            tr("compare.view"), keys, format_func=lambda k: documents[k].name, key=KEY + "view"
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
                tr("compare.page"),
                list(range(1, count + 1)),
                format_func=lambda n: tr("compare.page.of", n=n, count=count),
                key=KEY + "page",
            )
            - 1
        )
    level = top[1].radio(
        tr("compare.boxes"),
        ("word", "line", "block", "layout"),
        format_func=lambda level: tr(f"compare.level.{level}"),
        horizontal=True,
        key=KEY + "level",
    )
    if level == "layout":
        top[2].caption(tr("compare.layout.help"))
    else:
        top[2].html(legend_html())
    st.markdown(f"**{document.name}**" + (tr("compare.with_reference") if reference else ""))
    for note in dict.fromkeys(n for r in runs.values() for n in r.notes):
        st.info(
            note.replace("--force-ocr", f"« {tr('compare.force_ocr')} »"),
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
    show_fields(document, runs, index)
    show_tables(document, runs, index)


@st.cache_data(show_spinner=False)
def schema_choices() -> dict[str, str]:
    from ocrxtract.extract.fields import load_schema, schema_names

    return {"auto": tr("compare.fields.auto"),
            **{n: load_schema(n).title or n for n in schema_names()}}  # fmt: skip


def show_fields(document: AppDocument, runs: dict[str, EngineRun], index: int) -> None:
    """The key fields each engine's reading gives, side by side, boxes on the page."""
    read = {n: r.document for n, r in runs.items() if r.ok and r.document is not None}
    if not read:
        return
    with st.expander(tr("compare.fields"), icon=":material/data_object:"):
        st.caption(tr("compare.fields.intro"))
        choices = schema_choices()
        left, right = st.columns([2, 3], vertical_alignment="bottom")
        schema = left.selectbox(
            tr("compare.fields.schema"), list(choices), format_func=choices.get,
            key=KEY + "fields.schema",
        )  # fmt: skip
        token = (document.key, schema, tuple(sorted(read)))
        if right.button(tr("compare.fields.run"), key=KEY + "fields.run", icon=":material/bolt:"):
            with st.spinner(tr("compare.fields.running")):
                st.session_state[KEY + "fields"] = (token, extract_each(read, schema))
        stored = st.session_state.get(KEY + "fields")
        if stored is None or stored[0] != token:
            return
        results: dict[str, EngineFields] = stored[1]
        for name, result in results.items():
            if result.error is not None:
                st.error(f"{name} : {result.error}", icon=":material/error:")
        advice = dropout_advice(results, read)
        for doc_type, colour in sorted(set(advice.values())):
            engines = [name for name, found in advice.items() if found == (doc_type, colour)]
            st.info(
                tr(
                    "compare.fields.dropout",
                    engines=", ".join(engines),
                    doc_type=doc_type,
                    colour=tr(f"dropout.{colour}"),
                ),
                icon=":material/format_color_reset:",
            )
        st.dataframe(fields_grid(results), hide_index=True, key=KEY + "fields.grid")
        st.caption(tr("compare.fields.legend"))
        shown = [n for n, r in results.items() if r.extraction is not None]
        if not shown:
            return
        engine = st.selectbox(tr("compare.fields.boxes"), shown, key=KEY + "fields.engine")
        extraction = results[engine].extraction
        page = read[engine].pages[index] if index < len(read[engine].pages) else None
        if extraction is not None and page is not None:
            picture = page_image(document.key, index, document)
            st.image(draw_field_boxes(picture, page, field_boxes(extraction, index)))
        left, right = st.columns(2)
        left.download_button(
            "JSON", data=fields_json(document.name, results),
            file_name="champs.json", mime="application/json", key=KEY + "fields.json",
            on_click="ignore", width="stretch",
        )  # fmt: skip
        right.download_button(
            "CSV", data=fields_csv(document.name, results),
            file_name="champs.csv", mime="text/csv", key=KEY + "fields.csv",
            on_click="ignore", width="stretch",
        )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=16)
def all_tables_xlsx(key: str, engine: str, _tables: list[FoundTable]) -> bytes:
    return tables_xlsx([found.table for found in _tables])


def show_tables(document: AppDocument, runs: dict[str, EngineRun], index: int) -> None:
    """The tables of one engine's reading: their boxes on the page, each table as a data frame,
    CSV and XLSX downloads."""
    read = {n: r for n, r in runs.items() if r.ok and r.document is not None}
    if not read:
        return
    with st.expander(tr("compare.tables"), icon=":material/table:"):
        st.caption(tr("compare.tables.intro"))
        left, right = st.columns([2, 3], vertical_alignment="bottom")
        engine = left.selectbox(tr("compare.tables.engine"), list(read), key=KEY + "tables.engine")
        reading = read[engine].document
        assert reading is not None
        token = (document.key, engine, read[engine].options)
        if right.button(
            tr("compare.tables.run"), key=KEY + "tables.run", icon=":material/table_view:"
        ):
            with st.spinner(tr("compare.tables.running")):
                try:
                    found: list[FoundTable] | str = document_tables(
                        reading, document.as_input().iter_pages()
                    )
                except OcrxtractError as exc:
                    found = str(exc)
            st.session_state[KEY + "tables"] = (token, found)
        stored = st.session_state.get(KEY + "tables")
        if stored is None or stored[0] != token:
            return
        if isinstance(stored[1], str):
            st.error(stored[1], icon=":material/error:")
            return
        tables: list[FoundTable] = stored[1]
        here = [t for t in tables if t.page == index]
        st.caption(tr("compare.tables.count", count=len(tables), here=len(here)))
        stem = document.name.rsplit(".", 1)[0].replace("/", "_")
        if tables:
            st.download_button(
                tr("compare.tables.all"), data=all_tables_xlsx(document.key, engine, tables),
                file_name=f"{stem}.{engine}.tables.xlsx", mime=XLSX_MIME,
                key=KEY + "tables.xlsx", on_click="ignore", icon=":material/download:",
            )  # fmt: skip
        if not here or index >= len(reading.pages):
            return
        labels = [(tr("compare.tables.label", number=t.number), t.table) for t in here]
        picture = page_image(document.key, index, document)
        st.image(draw_table_boxes(picture, reading.pages[index], labels))
        for found_table in here:
            table, name = found_table.table, f"{KEY}tables.p{index + 1}.t{found_table.number}"
            st.markdown("**" + tr(
                "compare.tables.table", number=found_table.number, rows=table.n_rows,
                cols=table.n_cols, method=table.method or "—",
            ) + "**")  # fmt: skip
            st.dataframe(found_table.frame, hide_index=True, key=name)
            left, right = st.columns(2)
            left.download_button(
                "CSV", data=found_table.csv, file_name=found_table.file_name(stem, ".csv"),
                mime="text/csv", key=name + ".csv", on_click="ignore", width="stretch",
            )  # fmt: skip
            right.download_button(
                "XLSX", data=found_table.xlsx, file_name=found_table.file_name(stem, ".xlsx"),
                mime=XLSX_MIME, key=name + ".xlsx", on_click="ignore", width="stretch",
            )  # fmt: skip


# --- page -----------------------------------------------------------------------------------


st.title(tr("compare.title"))
st.caption(tr("compare.local"))
try:
    limits = UploadLimits.from_env()
except OcrxtractError as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(tr("compare.document"))
    chosen_documents, pasted = choose_documents(limits)
with right:
    st.subheader(tr("compare.engines_header"))
    chosen_engines = choose_engines()

force_ocr = st.checkbox(
    tr("compare.force_ocr"),
    key=KEY + "force_ocr",
    help=tr("compare.force_ocr.help"),
)
if st.button(
    tr("compare.run"),
    type="primary",
    disabled=not (chosen_documents and chosen_engines),
    key=KEY + "run",
    icon=":material/play_arrow:",
):
    run(chosen_documents, chosen_engines, force_ocr)
show_results(pasted)
