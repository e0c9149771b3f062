"""Leaderboard page ("Classement"): every available engine on the folder of your documents.

The folder is benchmarked by ``ocrxtract.workbench.leaderboard.run_folder`` (the benchmark's own
machinery and cache: the figures are those of ``ocrxtract bench --folder``); the page shows the
recommendation, the figures of every engine, the worst-read documents with their diffs, and
exports that hold figures only. Widget keys start with ``board.``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from app_pages.folder import choose_folder

from ocrxtract.bench import ProgressEvent
from ocrxtract.errors import OcrxtractError
from ocrxtract.workbench.compare import compare_text
from ocrxtract.workbench.i18n import localise_reason, t_or, translator
from ocrxtract.workbench.leaderboard import (
    FIGURES,
    FolderBoard,
    available_presets,
    default_engines,
    engine_reading,
    export_csv,
    export_markdown,
    percent,
    recommend,
    run_folder,
    worst_documents,
)
from ocrxtract.workbench.viz import diff_html, diff_legend_html

KEY = "board."
#: Worker processes per engine (0: the app's process; 1, the default: each engine in a process
#: of its own, so that its peak memory is its own).
ENV_WORKERS = "OCRXTRACT_APP_BENCH_WORKERS"
lang = st.session_state.get("lang", "fr")
tr = translator(lang)


@st.cache_data(show_spinner=False, ttl=60)
def engines_here() -> list[str]:
    return default_engines()


@st.cache_data(show_spinner=False, ttl=60)
def presets_here() -> dict[str, str]:
    return available_presets()


def build(folder: Path, engines: list[str]) -> None:
    bar = st.progress(0.0, text=tr("compare.starting"))

    def progress(event: ProgressEvent) -> None:
        row = event.row or {}
        what = f"{row.get('engine', '')} {row.get('sample_id', '')}".strip()
        done = event.done / event.total if event.total else 1.0
        bar.progress(done, text=tr("board.running", done=event.done, total=event.total, what=what))

    try:
        board = run_folder(
            folder, engines, workers=int(os.environ.get(ENV_WORKERS, "1")), on_progress=progress
        )
    except OcrxtractError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    finally:
        bar.empty()
    st.session_state[KEY + "result"] = board


def show_table(board: FolderBoard) -> None:
    shown = [
        name for name in FIGURES if any(r.get(name) is not None for r in board.records)
    ] or list(FIGURES)
    columns = ["engine", "samples", "errors", *shown]
    frame = pd.DataFrame.from_records(
        [{name: record.get(name) for name in columns} for record in board.records]
    )
    config: dict[str, Any] = {
        name: st.column_config.Column(tr(f"board.col.{name}"))
        for name in ("engine", "samples", "errors")
    }
    for name in shown:
        label = tr(f"board.col.{name}")
        if name.startswith(("cer", "wer", "field")):
            config[name] = st.column_config.NumberColumn(label, format="percent")
        elif name == "seconds_per_page":
            config[name] = st.column_config.NumberColumn(label, format="%.2f")
        else:
            config[name] = st.column_config.NumberColumn(label, format="%.0f")
    st.dataframe(frame, hide_index=True, column_config=config, key=KEY + "table")
    st.caption(tr("board.caption", documents=board.documents, truth=board.with_truth))


def show_worst(board: FolderBoard) -> None:
    st.subheader(tr("board.worst"))
    engines = [r["engine"] for r in board.records]
    engine = st.selectbox(tr("board.worst.engine"), engines, key=KEY + "worst_engine")
    worst = worst_documents(board.rows, engine)
    if not worst:
        st.info(tr("board.worst.none"))
        return
    for item in worst:
        title = tr(
            "board.worst.item",
            name=item.sample_id,
            cer=percent(item.cer, lang),
            edits=item.edits,
            reference=item.reference,
        )
        with st.expander(title):
            try:
                reference, text = engine_reading(board, engine, item.sample_id)
            except OcrxtractError as exc:
                st.error(str(exc), icon=":material/error:")
                continue
            st.html(diff_legend_html() + diff_html(compare_text(reference, text).spans))


def show_exports(board: FolderBoard) -> None:
    st.markdown(f"**{tr('board.export')}**")
    left, right = st.columns(2)
    left.download_button(
        "Markdown",
        data=export_markdown(board.records, lang),
        file_name="classement-ocr.md",
        mime="text/markdown",
        key=KEY + "export_md",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        "CSV",
        data=export_csv(board.records),
        file_name="classement-ocr.csv",
        mime="text/csv",
        key=KEY + "export_csv",
        on_click="ignore",
        width="stretch",
    )


def show_problems(board: FolderBoard) -> None:
    problems = [f"{name} : {localise_reason(reason, lang)}" for name, reason in board.skipped]
    problems += [
        tr("board.error", engine=row["engine"], name=row["sample_id"], error=row["error"])
        for row in board.errors
    ]
    if problems:
        with st.expander(tr("board.problems", count=len(problems))):
            for problem in problems:
                st.text(problem)


# --- page -----------------------------------------------------------------------------------

st.title(tr("board.title"))
st.caption(tr("board.intro"))
chosen_folder = choose_folder(tr, KEY + "folder")
if chosen_folder is None:
    st.stop()
available = engines_here()
presets = presets_here()
chosen = st.multiselect(
    tr("board.engines"),
    [*available, *presets],
    default=available,
    key=KEY + "engines",
    help=tr(
        "board.presets.help",
        presets="; ".join(f"{k} : {t_or(f'preset.{k}', v, lang)}" for k, v in presets.items()),
    ),
)
if st.button(
    tr("board.run"),
    type="primary",
    disabled=not chosen,
    key=KEY + "run",
    icon=":material/trophy:",
):
    build(chosen_folder, chosen)
result: FolderBoard | None = st.session_state.get(KEY + "result")
if result is None or result.folder != chosen_folder:
    st.stop()
if not result.with_truth:
    st.warning(tr("board.no_truth"), icon=":material/info:")
advice = recommend(result.records, lang)
st.subheader(tr("board.recommendation"))
st.success(advice.sentence, icon=":material/recommend:")
st.subheader(tr("board.table"))
show_table(result)
show_exports(result)
show_worst(result)
show_problems(result)
