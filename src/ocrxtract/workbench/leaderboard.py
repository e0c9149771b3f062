"""A private leaderboard: every engine on the user's own folder of documents.

The folder is benchmarked by the same machinery as ``ocrxtract bench --folder`` (the folder
dataset, :func:`ocrxtract.bench.run_campaign`, the engine-output cache), so the app's figures
are the command line's. On top of the summary this module gives what the "Classement" page
shows: the records of each engine, a one-sentence recommendation with its evidence
(:func:`recommend`), the worst documents of each engine (:func:`worst_documents`) with the
engine's reading to diff (:func:`engine_reading`), and exports that hold figures only, never a
document's name or text (:func:`export_markdown`, :func:`export_csv`).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocrxtract.bench import BenchCache, Campaign, ProgressEvent, campaign_from_names, run_campaign
from ocrxtract.bench.campaign import extractors_for_truth
from ocrxtract.bench.plan import plan_campaign
from ocrxtract.bench.results import default_results_dir
from ocrxtract.bench.worker import reading
from ocrxtract.datasets import discover, load_sample, register_dataset
from ocrxtract.datasets.user import folder_dataset_name, folder_spec
from ocrxtract.engines import PRESET_JOIN, get_engine_class
from ocrxtract.errors import UsageError
from ocrxtract.workbench.compare import engine_catalogue

log = logging.getLogger(__name__)

#: Engines never benchmarked on a folder by default: the text layer of PDFs is not OCR.
NOT_OCR = frozenset({"pdf-text"})
#: Figures of the leaderboard and of its exports, in order.
FIGURES: tuple[str, ...] = (
    "cer_exact",
    "cer_folded",
    "wer_exact",
    "wer_folded",
    "field_f1",
    "seconds_per_page",
    "peak_rss_mib",
)
#: The figures an extractor adds to its engine's record (the engine's own row: speed, memory).
EXTRACTED: tuple[str, ...] = ("field_f1", "field_precision", "field_recall")


@dataclass
class FolderBoard:
    """The leaderboard of a folder.

    Attributes:
        folder: The folder.
        dataset: Its dataset name for this run.
        campaign: The campaign that was run (to read an engine's output back from the cache).
        records: One leaderboard record per engine (``cer_exact`` ... ``seconds_per_page``,
            ``peak_rss_mib``, ``samples``, ``pages``, ``errors``).
        rows: Every result row of the engines (one per engine and document).
        extracted_rows: The rows of the extractors run on their readings (field F1...).
        skipped: Files left aside, with the reason (a sidecar without its document...).
        out_dir: Where the results were written.
        cache: The engine-output cache used.
    """

    folder: Path
    dataset: str
    campaign: Campaign
    records: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    extracted_rows: list[dict[str, Any]] = field(default_factory=list)
    out_dir: Path | None = None
    cache: BenchCache | None = None

    @property
    def documents(self) -> int:
        return len({row["sample_id"] for row in self.rows})

    @property
    def with_truth(self) -> int:
        """Documents with a reference: text, or fields."""
        texts = {r["sample_id"] for r in self.rows if (r.get("exact_char_ref") or 0) > 0}
        fields = {r["sample_id"] for r in self.extracted_rows if r.get("field_tp") is not None}
        return len(texts | fields)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row.get("status") != "ok"]


def default_engines() -> list[str]:
    """Every available OCR engine (the PDF text layer left out)."""
    return [s.name for s in engine_catalogue() if s.available and s.name not in NOT_OCR]


def available_presets() -> dict[str, str]:
    """``ENGINE:PRESET`` -> what it is for, for every preset of the available engines."""
    return {
        f"{name}{PRESET_JOIN}{preset}": why
        for name in default_engines()
        for preset, (_, why) in get_engine_class(name).presets.items()
    }


def run_folder(
    folder: Path,
    engines: Sequence[str] | None = None,
    *,
    language: str = "fra",
    out_dir: Path | None = None,
    cache: BenchCache | None = None,
    workers: int = 1,
    on_progress: Callable[[ProgressEvent], None] | None = None,
) -> FolderBoard:
    """Benchmark ``engines`` (default: every available one) on the documents of ``folder``.

    Args:
        folder: The folder (documents with ``.txt``/``.xml``... ground truth beside them).
        engines: Engine names, or ``ENGINE:PRESET`` for an engine's preset
            (:func:`available_presets`).
        language: The documents' language (ISO 639-2).
        out_dir: Results folder (default: the results folder of ``ocrxtract bench``, under the
            folder's dataset name).
        cache: Engine-output cache (default: the benchmark's).
        workers: Worker processes per engine (0: this process).
        on_progress: Called after each (engine, document).

    Raises:
        UsageError: no engine to run.
        InputNotFoundError: no such folder.
    """
    chosen = list(engines) if engines is not None else default_engines()
    if not chosen:
        raise UsageError("no OCR engine is available on this machine (ocrxtract engines)")
    name = folder_dataset_name(folder)
    spec = register_dataset(folder_spec(name, folder, language=language), replace=True)
    skipped = list(discover(spec.name).skipped)
    campaign = campaign_from_names(
        chosen, [name], name=name, workers=workers, extractors=extractors_for_truth(name)
    )
    cache = cache if cache is not None else BenchCache()
    target = out_dir if out_dir is not None else default_results_dir() / name
    result = run_campaign(campaign, target, cache=cache, resume=False, on_progress=on_progress)
    records = engine_records(result.summary["leaderboard"], name)
    skipped += [
        (skip.engine or name, skip.reason)
        for skip in result.skipped
        if skip.dataset in (None, name)
    ]
    return FolderBoard(
        folder=Path(folder).resolve(),
        dataset=name,
        campaign=campaign,
        records=records,
        rows=[r for r in result.rows if not r.get("extractor")],
        extracted_rows=[r for r in result.rows if r.get("extractor")],
        skipped=skipped,
        out_dir=target,
        cache=cache,
    )


def engine_records(leaderboard: Sequence[dict[str, Any]], dataset: str) -> list[dict[str, Any]]:
    """One record per engine on ``dataset``: the engine's own figures (text, speed, memory),
    with the field F1 (precision, recall) of the ``fields`` extractor run on its reading."""
    mine = [r for r in leaderboard if r["dataset"] == dataset]
    records = [dict(r) for r in mine if not r.get("extractor")]
    for record in records:
        for extracted in mine:
            if extracted.get("extractor") and extracted["engine_label"] == record["engine"]:
                record.update(
                    {key: extracted[key] for key in EXTRACTED if extracted.get(key) is not None}
                )
    return records


# --- the recommendation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """Which engine to use on these documents, in one sentence, with the figures behind it.

    Attributes:
        engine: The recommended engine (``None`` when nothing could be measured).
        sentence: The sentence, in the language asked.
        evidence: ``engine -> {figure: value}`` of the engines the sentence cites.
    """

    engine: str | None
    sentence: str
    evidence: dict[str, dict[str, float | None]]


_WORDS = {
    "fr": {
        "on": "Sur vos {n} documents",
        "none": "{on} : aucun moteur n'a pu lire un document.",
        "faster": "{engine} {ratio} plus rapide mais {score}",
        "also": "{engine} : {score}, {speed}",
        "no_truth": "{on}, sans vérité terrain : {engine} est le plus rapide ({speed}) ; "
        "corrigez quelques pages pour mesurer la précision.",
        "best": "{on} : {engine}, {score}, {speed}",
        "cer": "CER {value}",
        "field_f1": "F1 des champs {value}",
    },
    "en": {
        "on": "On your {n} documents",
        "none": "{on}: no engine could read a document.",
        "faster": "{engine} {ratio} faster but {score}",
        "also": "{engine}: {score}, {speed}",
        "no_truth": "{on}, without ground truth: {engine} is the fastest ({speed}); "
        "correct a few pages to measure accuracy.",
        "best": "{on}: {engine}, {score}, {speed}",
        "cer": "CER {value}",
        "field_f1": "field F1 {value}",
    },
}


def number(value: float, digits: int, lang: str) -> str:
    """``value`` with ``digits`` decimals, a decimal comma in French."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


def percent(value: float | None, lang: str = "fr") -> str:
    """A rate as a percentage with one decimal (``2,1 %`` in French, ``2.1%`` in English)."""
    if value is None:
        return "—"
    shown = number(100 * value, 1, lang)
    return f"{shown} %" if lang == "fr" else f"{shown}%"


def speed(seconds: float | None, lang: str = "fr") -> str:
    """Seconds per page: two decimals under a second, one above."""
    if seconds is None:
        return "— s/page"
    return f"{number(seconds, 2 if seconds < 1 else 1, lang)} s/page"


def recommend(records: Sequence[dict[str, Any]], lang: str = "fr") -> Recommendation:
    """The engine to use, with the evidence; the fastest engine is cited when another one is
    faster. Where the documents have reference fields, the engine whose reading gives the best
    field F1 (ties: the lower CER, then the faster): the user wants their fields right, not
    the lowest CER; otherwise the lowest exact CER (ties: the faster). Without any reference,
    the fastest engine, and a hint to correct a few pages.

    Args:
        records: Leaderboard records of one folder (:attr:`FolderBoard.records`).
        lang: ``fr`` or ``en``.
    """
    words = _WORDS["en" if lang == "en" else "fr"]
    read = [r for r in records if r.get("samples", 0) > r.get("errors", 0)]
    count = max((int(r.get("samples") or 0) for r in records), default=0)
    on = words["on"].format(n=count)
    if not read:
        return Recommendation(None, words["none"].format(on=on), {})

    def pace(record: dict[str, Any]) -> float:
        value = record.get("seconds_per_page")
        return float("inf") if value is None else float(value)

    def cer(record: dict[str, Any]) -> float:
        value = record.get("cer_exact")
        return float("inf") if value is None else float(value)

    by_fields = any(r.get("field_f1") is not None for r in read)
    figure = "field_f1" if by_fields else "cer_exact"

    def evidence(record: dict[str, Any]) -> dict[str, float | None]:
        names = ("field_f1", "cer_exact", "seconds_per_page") if by_fields else (
            "cer_exact", "seconds_per_page")  # fmt: skip
        return {name: record.get(name) for name in names}

    def rank(record: dict[str, Any]) -> tuple[float, float, float]:
        if by_fields:
            return (-float(record.get("field_f1") or 0.0), cer(record), pace(record))
        return (cer(record), pace(record), 0.0)

    def score(record: dict[str, Any]) -> str:
        value = percent(record.get(figure), lang)
        text = words["field_f1" if by_fields else "cer"].format(value=value)
        if by_fields and record.get("cer_exact") is not None:
            text += ", " + words["cer"].format(value=percent(record["cer_exact"], lang))
        return text

    scored = [r for r in read if r.get(figure) is not None]
    if not scored:
        fastest = min(read, key=pace)
        sentence = words["no_truth"].format(
            on=on, engine=fastest["engine"], speed=speed(fastest.get("seconds_per_page"), lang)
        )
        return Recommendation(fastest["engine"], sentence, {fastest["engine"]: evidence(fastest)})
    best = min(scored, key=rank)
    sentence = words["best"].format(
        on=on,
        engine=best["engine"],
        score=score(best),
        speed=speed(best.get("seconds_per_page"), lang),
    )
    cited = {best["engine"]: evidence(best)}
    others = [r for r in scored if r is not best]
    faster = [r for r in others if pace(r) < pace(best)]
    if faster:
        other = min(faster, key=pace)
        ratio = pace(best) / pace(other) if pace(other) > 0 else float("inf")
        clause = words["faster"].format(
            engine=other["engine"], ratio=f"{number(ratio, 1, lang)}×", score=score(other)
        )
    elif others:
        other = min(others, key=rank)
        clause = words["also"].format(
            engine=other["engine"],
            score=score(other),
            speed=speed(other.get("seconds_per_page"), lang),
        )
    else:
        return Recommendation(best["engine"], sentence + ".", cited)
    cited[other["engine"]] = evidence(other)
    return Recommendation(best["engine"], f"{sentence} ; {clause}." if lang != "en"
                          else f"{sentence}; {clause}.", cited)  # fmt: skip


# --- worst documents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Worst:
    """A document an engine read badly.

    Attributes:
        sample_id: The document's id in the folder (its path without suffix).
        cer: Its exact CER.
        edits: Character edits.
        reference: Reference characters.
    """

    sample_id: str
    cer: float
    edits: int
    reference: int


def worst_documents(rows: Sequence[dict[str, Any]], engine: str, count: int = 3) -> list[Worst]:
    """The ``count`` documents with the highest exact CER for ``engine`` (those with a
    reference text only), worst first."""
    found = [
        Worst(r["sample_id"], r["exact_char_edits"] / r["exact_char_ref"], r["exact_char_edits"],
              r["exact_char_ref"])
        for r in rows
        if r["engine"] == engine and r.get("status") == "ok" and (r.get("exact_char_ref") or 0) > 0
    ]  # fmt: skip
    return sorted(found, key=lambda w: (-w.cer, w.sample_id))[:count]


def engine_reading(board: FolderBoard, engine: str, sample_id: str) -> tuple[str, str]:
    """``(reference, engine's text)`` of one document, as the leaderboard scored it (the engine's
    output comes from the cache: nothing is read again when it is there)."""
    plan = plan_campaign(board.campaign, board.cache.root if board.cache is not None else None)
    for task in plan.tasks:
        if task.engine == engine and task.sample_id == sample_id:
            sample = load_sample(task.spec, sample_id)
            return sample.text, reading(task, sample, board.cache).text()
    raise UsageError(f"no result of {engine} on {sample_id} in this leaderboard")


# --- exports ------------------------------------------------------------------------------------

_HEADERS = {
    "fr": {
        "engine": "moteur",
        "samples": "documents",
        "pages": "pages",
        "errors": "erreurs",
        "cer_exact": "CER exact",
        "cer_folded": "CER replié",
        "wer_exact": "WER exact",
        "wer_folded": "WER replié",
        "field_f1": "F1 des champs",
        "seconds_per_page": "s/page",
        "peak_rss_mib": "mémoire (Mio)",
    },
    "en": {
        "engine": "engine",
        "samples": "documents",
        "pages": "pages",
        "errors": "errors",
        "cer_exact": "CER exact",
        "cer_folded": "CER folded",
        "wer_exact": "WER exact",
        "wer_folded": "WER folded",
        "field_f1": "field F1",
        "seconds_per_page": "s/page",
        "peak_rss_mib": "memory (MiB)",
    },
}
COLUMNS = ("engine", "samples", "pages", "errors", *FIGURES)


def export_csv(records: Sequence[dict[str, Any]]) -> str:
    """The figures of each engine as CSV (rates as fractions); no document name or text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(["" if record.get(c) is None else record.get(c) for c in COLUMNS])
    return buffer.getvalue()


def export_markdown(records: Sequence[dict[str, Any]], lang: str = "fr") -> str:
    """The recommendation and a table of each engine's figures, in Markdown; no document name
    or text, so it can be shared without sharing the documents."""
    lang = "en" if lang == "en" else "fr"
    headers = _HEADERS[lang]
    title = "Classement des moteurs OCR" if lang == "fr" else "OCR engine leaderboard"
    lines = [f"# {title}", "", recommend(records, lang).sentence, ""]
    lines.append("| " + " | ".join(headers[c] for c in COLUMNS) + " |")
    lines.append("|" + "|".join(" --- " if c == "engine" else " ---: " for c in COLUMNS) + "|")
    for record in records:
        cells = []
        for column in COLUMNS:
            value = record.get(column)
            if column == "engine":
                cells.append(str(value))
            elif value is None:
                cells.append("—")
            elif column.startswith(("cer", "wer", "field")):
                cells.append(percent(value, lang))
            elif column == "seconds_per_page":
                cells.append(number(value, 2, lang))
            elif column == "peak_rss_mib":
                cells.append(number(value, 0, lang))
            else:
                cells.append(str(value))
        lines.append("| " + " | ".join(cells) + " |")
    note = (
        "CER/WER au niveau du corpus (erreurs totales sur caractères ou mots de référence) ; "
        "« replié » ignore la casse et les accents ; F1 des champs : valeurs exactes après "
        "normalisation (montants, dates, identifiants), comptées sur tous les documents."
        if lang == "fr"
        else "Corpus-level CER/WER (total edits over reference characters or words); "
        "“folded” ignores case and accents; field F1: exact values after normalisation "
        "(amounts, dates, identifiers), counted over all the documents."
    )
    return "\n".join([*lines, "", note, ""])
