"""The leaderboard as text: plain tables for the command line and the app, Markdown for the wiki.

:func:`table_data` gives (title, headers, rows) tables of strings (headline, engines, page text,
lines/detection/speed); :func:`render_markdown` writes the page ``leaderboard.md`` holds, with
the run's stamp and notes on how to read the figures.
"""

from __future__ import annotations

import logging
from typing import Any

from ocrxtract.bench.report import ordered
from ocrxtract.bench.scorers import OCR_SCORERS, metric_info, metric_labels, scorers
from ocrxtract.metrics import METRIC_LABELS

log = logging.getLogger(__name__)


def percent(value: float | None, digits: int = 2) -> str:
    """``0.0561`` -> ``5.61 %``; ``None`` -> ``—``."""
    return "—" if value is None else f"{value * 100:.{digits}f} %"


def _seconds(value: float | None, warm: bool = True) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" + ("" if warm else " (cold)")


def _mib(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def metric_label(metric: str, normalization: str | None = None) -> str:
    """``cer``, ``folded`` -> ``CER folded``."""
    info = metric_info(metric)
    label = info.label if info is not None else METRIC_LABELS.get(metric, metric)
    normalised = info.normalised if info is not None else False
    return f"{label} {normalization}" if normalization and normalised else label


Table = tuple[str, list[str], list[list[str]]]


def _engine_labels(summary: dict[str, Any]) -> list[str]:
    seen = [r["engine"] for r in summary.get("leaderboard", [])]
    return ordered(seen, list(summary.get("engines", {})))


def headline_table(summary: dict[str, Any]) -> Table:
    """Datasets x engines, each cell the dataset's headline metric."""
    engines = _engine_labels(summary)
    by_pair = {(r["engine"], r["dataset"]): r for r in summary.get("leaderboard", [])}
    rows = []
    for name, info in summary.get("datasets", {}).items():
        if not any((e, name) in by_pair for e in engines):
            continue
        spec = info.get("headline", {})
        metric, norm = spec.get("metric", "cer"), spec.get("normalisation", "exact")
        described = metric_info(metric)
        arrow = "" if described is None else (" ↓" if described.lower_is_better else " ↑")
        cells = []
        for engine in engines:
            record = by_pair.get((engine, name))
            if record is None:
                cells.append("")
            elif not record["headline"].get("measured"):
                cells.append("not measured")
            elif record["headline"]["value"] is None:
                cells.append("")
            else:
                cells.append(percent(record["headline"]["value"]))
        rows.append(
            [name, str(info.get("samples", "")), metric_label(metric, norm) + arrow, *cells]
        )
    return (
        "Headline (each dataset's own metric)",
        ["dataset", "samples", "metric", *engines],
        rows,
    )


def engines_table(summary: dict[str, Any]) -> Table:
    """Per engine: version, processes x threads, pages, warm speed, peak memory."""
    rows = []
    for label, info in summary.get("engines", {}).items():
        if "pages" not in info:
            continue
        processes = info.get("processes")
        threads = info.get("threads") or "default"
        layout = f"in-process × {threads}" if processes == 0 else f"{processes} × {threads}"
        rows.append(
            [
                label,
                ", ".join(info.get("versions") or [info.get("version", "")]),
                layout,
                str(info.get("pages", 0)),
                _seconds(info.get("seconds_per_page"), info.get("warm", True)),
                "—" if not info.get("pages_per_minute") else f"{info['pages_per_minute']:.1f}",
                _mib(info.get("peak_rss_mib")),
            ]
        )
    headers = [
        "engine",
        "version",
        "processes × threads",
        "pages",
        "s/page (warm)",
        "pages/min",
        "peak RSS (MiB)",
    ]
    return ("Engines", headers, rows)


TEXT_HEADERS = [
    "dataset",
    "engine",
    "samples",
    "errors",
    "pages",
    "CER exact",
    "CER folded",
    "WER exact",
    "WER folded",
    "BoW F1 exact",
    "BoW F1 folded",
]
MORE_HEADERS = [
    "dataset",
    "engine",
    "lines",
    "line CER exact",
    "line CER folded",
    "word det. F1",
    "line det. F1",
    "s/page (warm)",
    "pages/min",
    "peak RSS (MiB)",
]


def _ocr_records(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Leaderboard records of engines alone (not of an engine followed by an extractor)."""
    return [r for r in summary.get("leaderboard", []) if not r.get("extractor")]


def text_table(summary: dict[str, Any]) -> Table:
    """Page-text figures of every (dataset, engine) pair."""
    rows = [
        [
            r["dataset"],
            r["engine"],
            str(r["samples"]),
            str(r["errors"]),
            str(r["pages"]),
            percent(r.get("cer_exact")),
            percent(r.get("cer_folded")),
            percent(r.get("wer_exact")),
            percent(r.get("wer_folded")),
            percent(r.get("bow_f1_exact"), 1),
            percent(r.get("bow_f1_folded"), 1),
        ]
        for r in _ocr_records(summary)
    ]
    return ("Page text (corpus level)", list(TEXT_HEADERS), rows)


def more_table(summary: dict[str, Any]) -> Table:
    """Line CER, word detection, speed and memory of every (dataset, engine) pair."""
    rows = [
        [
            r["dataset"],
            r["engine"],
            "—" if r.get("lines") is None else str(r["lines"]),
            percent(r.get("line_cer_exact")),
            percent(r.get("line_cer_folded")),
            percent(r.get("word_det_f1"), 1),
            percent(r.get("line_det_f1"), 1),
            _seconds(r["seconds_per_page"], r.get("warm", True)),
            "—" if not r.get("pages_per_minute") else f"{r['pages_per_minute']:.1f}",
            _mib(r.get("peak_rss_mib")),
        ]
        for r in _ocr_records(summary)
    ]
    return ("Line recognition, word detection, speed and memory", list(MORE_HEADERS), rows)


#: Titles of the breakdown tables.
BREAKDOWN_TITLES = {"doc_type": "By document type", "difficulty": "By difficulty"}


def breakdown_tables(summary: dict[str, Any]) -> list[Table]:
    """Each dataset's headline figure per document type, then per difficulty: one row per
    (dataset, value), one column per system."""
    records = summary.get("breakdown", [])
    tables = []
    for by, title in BREAKDOWN_TITLES.items():
        own = [r for r in records if r["by"] == by and r["headline"].get("value") is not None]
        if not own:
            continue
        systems = ordered((r["engine"] for r in own), _engine_labels(summary))
        cells = {(r["dataset"], r["value"], r["engine"]): r for r in own}
        rows = []
        for dataset, value in dict.fromkeys((r["dataset"], r["value"]) for r in own):
            info = summary.get("datasets", {}).get(dataset, {}).get("headline", {})
            label = metric_label(info.get("metric", "cer"), info.get("normalisation", "exact"))
            any_record = next(r for r in own if r["dataset"] == dataset and r["value"] == value)
            row = [dataset, value, str(any_record["samples"]), label]
            for system in systems:
                record = cells.get((dataset, value, system))
                row.append("" if record is None else percent(record["headline"]["value"]))
            rows.append(row)
        headers = ["dataset", by.replace("_", " "), "samples", "metric", *systems]
        tables.append((title, headers, rows))
    return tables


def scorer_tables(summary: dict[str, Any]) -> list[Table]:
    """One table per scorer beyond OCR text (field F1, TEDS...), for the systems it scored."""
    tables = []
    for scorer in scorers():
        if scorer.name in OCR_SCORERS:
            continue
        columns = scorer.report_columns()
        records = [
            r
            for r in summary.get("leaderboard", [])
            if any(r.get(key) is not None for _, key, _ in columns)
        ]
        if not records:
            continue
        rows = [
            [
                r["dataset"],
                r["engine"],
                str(r["samples"]),
                str(r["errors"]),
                *(percent(r.get(key), digits) for _, key, digits in columns),
            ]
            for r in records
        ]
        headers = ["dataset", "system", "samples", "errors", *(h for h, _, _ in columns)]
        tables.append((scorer.title or scorer.name, headers, rows))
    return tables


def table_data(summary: dict[str, Any]) -> list[Table]:
    """The leaderboard as plain tables: headline, engines, every OCR figure in two tables, then
    one table per other scorer (fields, tables...)."""
    return [
        headline_table(summary),
        engines_table(summary),
        text_table(summary),
        more_table(summary),
        *scorer_tables(summary),
        *breakdown_tables(summary),
    ]


def _markdown_table(headers: list[str], rows: list[list[str]], numeric_from: int) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    align = ["---" if i < numeric_from else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def _stamp_lines(summary: dict[str, Any]) -> list[str]:
    stamp = summary.get("stamp", {})
    git = stamp.get("git", {})
    versions = stamp.get("versions", {})
    machine = stamp.get("machine", {})
    commit = git.get("commit")
    commit_text = f"commit `{commit[:10]}`" if commit else "no git commit"
    if git.get("dirty"):
        changed = git.get("changed") or []
        commit_text += (
            f" (with uncommitted changes to {', '.join(f'`{c}`' for c in changed)})"
            if changed
            else " (with uncommitted changes)"
        )
    ram = machine.get("ram_bytes")
    ram_text = f", {ram / 1024**3:.1f} GiB RAM" if ram else ""
    names = machine.get("vector_extensions")
    extensions = f" ({', '.join(str(name).upper() for name in names)})" if names else ""
    run = summary.get("run", {})
    lines = [
        f"Run {stamp.get('time', '?')} · {commit_text} · ocrxtract {versions.get('ocrxtract', '?')}"
        f" · Python {versions.get('python', '?')}  ",
        f"Machine: {machine.get('cpu', '?')}{extensions}, {machine.get('cores', '?')} cores "
        f"({machine.get('usable_cores', '?')} usable){ram_text} · {machine.get('system', '')}  ",
        f"Wall time {run.get('wall_seconds', 0):.0f} s; pages recognized "
        f"{run.get('pages_recognized', run.get('pages_recognised', 0))}, from the cache "
        f"{run.get('pages_cached', 0)}.",
    ]
    baseline = run.get("baseline")
    if baseline and run.get("speedup"):
        lines[-1] = (
            f"Wall time {run.get('wall_seconds', 0):.1f} s: every engine output came from the "
            f"cache ({run.get('pages_cached', 0)} pages); the run of {baseline.get('time')} that "
            f"recognised them took {baseline.get('wall_seconds', 0):.0f} s, "
            f"{run['speedup']:.0f}x longer."
        )
    libraries = [
        f"{name} {versions[name]}"
        for name in ("tesserocr", "rapidocr", "onnxruntime", "jiwer", "pillow", "pypdfium2")
        if name in versions
    ]
    if libraries:
        lines.append("")
        lines.append("Libraries: " + ", ".join(libraries) + ".")
    return lines


def render_markdown(summary: dict[str, Any]) -> str:
    """The leaderboard page (Markdown) of a summary."""
    campaign = summary.get("campaign", {})
    out = [f"# Benchmark `{campaign.get('name', '?')}`", ""]
    if campaign.get("description"):
        out += [f"> {campaign['description']}", ""]
    out += [*_stamp_lines(summary), ""]
    if campaign.get("file"):
        out += [
            f"Campaign: `{campaign['file']}` (fingerprint `{campaign.get('fingerprint')}`).",
            "",
        ]
    title, headers, rows = headline_table(summary)
    out += [f"## {title}", "", "↓ lower is better, ↑ higher is better.", ""]
    out += [*_markdown_table(headers, rows, 3), ""]
    title, headers, rows = engines_table(summary)
    out += [f"## {title}", "", *_markdown_table(headers, rows, 3), ""]
    for title, headers, rows in (text_table(summary), more_table(summary)):
        out += [f"## {title}", "", *_markdown_table(headers, rows, 2), ""]
    for title, headers, rows in scorer_tables(summary):
        out += [f"## {title}", "", *_markdown_table(headers, rows, 2), ""]
    for title, headers, rows in breakdown_tables(summary):
        out += [f"## {title}", "", "Each dataset's headline metric.", ""]
        out += [*_markdown_table(headers, rows, 4), ""]
    out += ["## How to read it", "", *_notes(summary), ""]
    return "\n".join(out)


def _notes(summary: dict[str, Any]) -> list[str]:
    notes = [
        "- Rates are corpus-level: total edits over total reference characters or words, summed "
        "over the samples (not a mean of per-page rates). `exact` keeps case, accents and "
        "punctuation; `folded` folds case, accents, quotes, dashes and ligatures.",
        "- Page CER/WER compare the engine's text, in geometric reading order, with the ground "
        "truth's order; the bag-of-words F1 ignores order. Line CER reads each ground-truth line "
        "crop with the engine's recogniser alone (no layout analysis).",
        "- s/page is warm: the first page of each worker process (model loading) is left out. "
        "Peak RSS is the peak of the engine's worker processes (engine, models, decoded "
        "pages); a process's peak never goes down, so a dataset's figure includes the "
        "datasets read before it in the same process.",
        "- A sample whose run failed is counted in `errors` and left out of the scores.",
    ]
    unmeasured: dict[str, list[str]] = {}
    for name, info in summary.get("datasets", {}).items():
        for metric in info.get("not_measured", []):
            unmeasured.setdefault(metric, []).append(name)
    if unmeasured:
        labels = {**METRIC_LABELS, **metric_labels()}
        parts = [f"{labels.get(m, m)} ({', '.join(d)})" for m, d in unmeasured.items()]
        notes.append(
            "- Not measured by this campaign (no scorer for it, or no extractor that produces "
            "what it scores): " + "; ".join(parts) + "."
        )
    for name, info in summary.get("datasets", {}).items():
        if info.get("limit") is not None or info.get("split"):
            scope = []
            if info.get("split"):
                scope.append(f"split `{info['split']}`")
            if info.get("limit") is not None:
                scope.append(f"limit {info['limit']} of {info.get('available', '?')} samples")
            why = f": {info['why']}" if info.get("why") else ""
            notes.append(f"- `{name}`: {', '.join(scope)}{why}.")
    for skip in summary.get("skipped", []):
        who = "/".join(x for x in (skip.get("engine"), skip.get("dataset")) if x)
        notes.append(f"- Skipped `{who}`: {skip['reason']}")
    errors = summary.get("errors", [])
    for error in errors[:20]:
        notes.append(
            f"- Error: `{error['engine']}` on `{error['dataset']}/{error['sample_id']}`: "
            f"{error['error_type']}: {error['error']}"
        )
    if len(errors) > 20:
        notes.append(f"- … and {len(errors) - 20} more errors (see `rows.parquet`).")
    return notes
