"""Results page: benchmark leaderboards read from the results store, with charts and filters.

Each folder of the results root holding a ``summary.json`` (written by ``ocrxtract bench``) is
one run. The root is ``benchmarks/results`` of the repository, or ``$OCRXTRACT_RESULTS_DIR``.
Widget keys start with ``results.``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ocrxtract.bench import read_summary, table_data
from ocrxtract.bench.markdown import BREAKDOWN_TITLES
from ocrxtract.bench.results import default_results_dir
from ocrxtract.errors import OcrxtractError
from ocrxtract.workbench.i18n import localise_table, translator
from ocrxtract.workbench.viz import LEADERBOARD_FIGURES, dataset_kinds, leaderboard_records

KEY = "results."
ENV_RESULTS = "OCRXTRACT_RESULTS_DIR"
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "benchmarks" / "results"
SUMMARY = "summary.json"
lang = st.session_state.get("lang", "fr")
tr = translator(lang)
#: Accuracy measures offered for the chart: record column -> (label, lower is better).
MEASURES: dict[str, tuple[str, bool | None]] = {
    name: (tr(f"results.measure.{name}"), lower)
    for name, lower in (
        ("headline", None),
        ("cer_exact", True),
        ("oi_cer_exact", True),
        ("transcribed_cer_exact", True),
        ("cer_folded", True),
        ("wer_exact", True),
        ("wer_folded", True),
        ("bow_f1_folded", False),
        ("line_cer_folded", True),
    )
}
RATES = {
    name
    for name in LEADERBOARD_FIGURES
    if name.startswith(("cer", "oi_cer", "wer", "bow", "line_c"))
}
RATES.add("word_det_f1")


@st.cache_data(show_spinner=False, ttl=30)
def load_summary(path: str, mtime: float) -> dict[str, Any]:
    return read_summary(Path(path))


def results_roots() -> list[Path]:
    """``$OCRXTRACT_RESULTS_DIR`` alone when set; else your runs, then the committed ones."""
    if os.environ.get(ENV_RESULTS):
        return [Path(os.environ[ENV_RESULTS])]
    return [default_results_dir(), DEFAULT_ROOT]


def run_folders(root: Path) -> list[Path]:
    folders = sorted(p.parent for p in root.glob(f"*/{SUMMARY}"))
    return ([root] if (root / SUMMARY).is_file() else []) + folders


def label(folder: Path) -> str:
    """A run's name, marked when it is one of the repository's committed results."""
    name = folder.name or str(folder)
    return tr("results.committed", name=name) if folder.parent == DEFAULT_ROOT else name


def stamp_caption(summary: dict[str, Any]) -> str:
    stamp = summary.get("stamp", {})
    commit = (stamp.get("git") or {}).get("commit")
    machine = stamp.get("machine") or {}
    parts = [
        tr("results.stamp.run", time=stamp.get("time", "?")),
        tr("results.stamp.commit", commit=commit[:10]) if commit else tr("results.stamp.no_commit"),
        tr("results.stamp.machine", cpu=machine.get("cpu", "?"), cores=machine.get("cores", "?")),
    ]
    wall = (summary.get("run") or {}).get("wall_seconds")
    if wall is not None:
        parts.append(tr("results.stamp.wall", seconds=f"{wall:.0f}"))
    return " · ".join(parts)


def accuracy_chart(frame: pd.DataFrame, measure: str) -> alt.LayerChart | None:
    label, lower = MEASURES[measure]
    data = frame.dropna(subset=[measure, "seconds_per_page"])
    if data.empty:
        return None
    direction = (
        tr("results.direction.tooltip")
        if lower is None
        else tr("results.direction.lower" if lower else "results.direction.higher")
    )
    x = alt.X(
        "seconds_per_page:Q",
        scale=alt.Scale(type="log", padding=12),
        title=tr("results.axis.speed"),
    )
    top = float(data[measure].max()) or 1.0
    y = alt.Y(
        f"{measure}:Q",
        axis=alt.Axis(format="%"),
        scale=alt.Scale(domain=[-0.04 * top, 1.06 * top], nice=False),  # room for the marks
        title=f"{label} ({direction})",
    )
    base = alt.Chart(data)
    # A grey segment joins the engines of each dataset: the trade-off at a glance. Each dataset
    # has a colour of its own (20 before any is reused), each engine a shape.
    links = base.mark_line(color="#c8c8c8", strokeWidth=1.5).encode(x=x, y=y, detail="dataset:N")
    points = base.mark_point(size=150, filled=True, opacity=0.9).encode(
        x=x,
        y=y,
        color=alt.Color(
            "dataset:N",
            title="dataset",
            scale=alt.Scale(scheme="tableau20"),
            legend=alt.Legend(labelLimit=320),
        ),
        shape=alt.Shape("engine:N", title="engine"),
        tooltip=[
            "engine",
            "dataset",
            "kind",
            alt.Tooltip("headline_metric:N", title="metric")
            if measure == "headline"
            else alt.Tooltip(f"{measure}:Q", format=".2%", title=label),
            alt.Tooltip(f"{measure}:Q", format=".2%", title="value"),
            alt.Tooltip("seconds_per_page:Q", format=".2f", title="s/page"),
            "samples",
            "pages",
        ],
    )
    chart: alt.LayerChart = (links + points).properties(height=440).interactive()
    return chart


def show_tables(summary: dict[str, Any]) -> None:
    tables = table_data(summary)
    shown = tables[:2] + [t for t in tables if t[0] in BREAKDOWN_TITLES.values()]
    for table in shown:
        title, headers, rows = localise_table(*table, lang)
        if rows:
            st.markdown(f"**{title}**")
            st.dataframe(pd.DataFrame(rows, columns=headers), hide_index=True)


# --- page -----------------------------------------------------------------------------------


st.title(tr("results.title"))
roots = results_roots()
folders = [folder for root in roots for folder in run_folders(root)]
root = roots[0]
if not folders:
    st.info(tr("results.none", root=root, env=ENV_RESULTS))
    st.stop()

folder = st.selectbox(
    tr("results.run"),
    folders,
    format_func=label,
    key=KEY + "run",
)
summary_path = folder / SUMMARY
try:
    summary = load_summary(str(summary_path), summary_path.stat().st_mtime)
except (OcrxtractError, OSError) as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()

campaign = summary.get("campaign") or {}
if campaign.get("description"):
    st.markdown(campaign["description"])
st.caption(stamp_caption(summary))

kinds = dataset_kinds(summary)
chosen_kinds = st.multiselect(
    tr("results.kinds"),
    kinds,
    default=kinds,
    key=KEY + "kinds",
    help=tr("results.kinds.help"),
)
records = leaderboard_records(summary, chosen_kinds)
if not records:
    st.info(tr("results.no_kind"))
    st.stop()
frame = pd.DataFrame.from_records(records)

measure = st.selectbox(
    tr("results.measure"),
    list(MEASURES),
    format_func=lambda m: MEASURES[m][0],
    key=KEY + "measure",
)
chart = accuracy_chart(frame, measure)
if chart is None:
    st.info(tr("results.no_chart", measure=MEASURES[measure][0]))
else:
    st.altair_chart(chart, key=KEY + "chart")

st.subheader(tr("results.leaderboard"))
st.caption(tr("results.leaderboard.caption"))
columns: dict[str, Any] = {
    name: st.column_config.NumberColumn(name.replace("_", " "), format="percent") for name in RATES
}
columns["headline"] = st.column_config.NumberColumn("headline", format="percent")
columns["headline_metric"] = st.column_config.TextColumn("headline metric")
columns["seconds_per_page"] = st.column_config.NumberColumn("s/page", format="%.2f")
columns["pages_per_minute"] = st.column_config.NumberColumn("pages/min", format="%.1f")
columns["peak_rss_mib"] = st.column_config.NumberColumn("peak RSS (MiB)", format="%.0f")
# Figures that no dataset of this run measured are left out of the table.
table = frame.dropna(axis="columns", how="all")
st.dataframe(table, hide_index=True, column_config=columns, key=KEY + "leaderboard")
show_tables(summary)

skipped = summary.get("skipped") or []
errors = summary.get("errors") or []
if skipped or errors:
    with st.expander(tr("results.problems", skipped=len(skipped), errors=len(errors))):
        for skip in skipped:
            who = "/".join(x for x in (skip.get("engine"), skip.get("dataset")) if x)
            st.text(tr("results.skipped", who=who, reason=skip.get("reason", "")))
        for error in errors[:50]:
            st.text(
                f"{error.get('engine')} on {error.get('dataset')}/{error.get('sample_id')}: "
                f"{error.get('error_type')}: {error.get('error')}"
            )
