"""Campaigns: which engines (with which options) run on which datasets, scored with which metrics.

A campaign is a YAML file (``benchmarks/<name>.yml``)::

    name: real
    description: Every offline engine on every shared dataset that has an OCR task.
    workers: 2                      # worker processes (0: run in this process)
    engines:
      - tesseract                   # short form: the engine's defaults
      - name: rapidocr
        label: rapidocr-1t          # the name shown in results (default: the engine name)
        options: {use_cls: false}   # validated against the engine's options class
        parallel: processes         # processes or threads (default: the engine's own choice)
    extractors:                     # optional: run on each engine's reading, scored apart
      - name: fields
        label: fields-rules
        options: {method: rules}
    datasets:
      - sroie                       # short form: every sample
      - name: dsa-systemic-risk-reports
        limit: 1                    # at most this many samples
        why: 162 pages for 4 reports; one report keeps the run under an hour
    metrics: [cer, wer, bow_f1, line_cer, word_detection_f1]   # optional filter

Unknown keys are refused (``extra="forbid"``), so a typo never silently changes a run. The
engines' languages default to each dataset's language (``fra+eng`` -> ``["fra", "eng"]``)
unless the engine's options set ``languages``. A dataset may be a spec registered in code
(:func:`ocrxtract.datasets.register_dataset`, e.g. a folder of your own) as well as a name of
``datasets.yml``. Metrics are those of the registered scorers (:mod:`ocrxtract.bench.scorers`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ocrxtract.errors import (
    CorruptInputError,
    DatasetNotAvailableError,
    InputNotFoundError,
    UsageError,
)

log = logging.getLogger(__name__)

Metric = str
Parallel = Literal["processes", "threads"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EngineEntry(_Spec):
    """One engine configuration of a campaign.

    Attributes:
        name: Registered engine name (``ocrxtract engines``), or ``NAME:PRESET`` for one of its
            presets (``tesseract:sparse``: the preset's options under ``options``).
        label: Name of this configuration in results; lets one engine run twice with different
            options. Defaults to ``name``.
        options: Engine options (validated against the engine's options class when planned).
        parallel: ``processes``: one single-threaded worker process per worker slot (Tesseract
            scales linearly so); ``threads``: one process whose engine uses every worker slot
            as a thread (onnxruntime, torch). Default: the engine's own choice
            (``OcrEngine.parallel``).
        reading_order: ``False`` scores the lines in the order the engine returned them instead
            of ocrxtract's reading order (:mod:`ocrxtract.layout`): run the engine twice, under
            two labels, to see what the reading order changes on your documents (the engine's
            pages are cached, so the second run only re-scores).
        post_correction: ``True`` fixes French words against a word list before scoring (pages
            and line crops; :func:`ocrxtract.pipeline.steps.post_correct`), to measure what the
            optional post-correction stage changes.
    """

    name: str = Field(min_length=1)
    label: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    parallel: Parallel | None = None
    reading_order: bool = True
    post_correction: bool = False

    @property
    def key(self) -> str:
        """The name results are filed under."""
        return self.label or self.name


#: Engine-entry fields added after campaigns were first fingerprinted: left out of the
#: fingerprint at their default value, so that older results keep matching their campaign.
_ADDED_ENGINE_OPTIONS = ("reading_order", "post_correction")


class ExtractorEntry(_Spec):
    """An extractor run on every engine's reading; its findings are scored in rows of their own.

    Attributes:
        name: Registered extractor name.
        label: Name of this configuration in results (default: the extractor name).
        options: Extractor options (validated against its options class when planned).
    """

    name: str = Field(min_length=1)
    label: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.label or self.name


class DatasetEntry(_Spec):
    """One dataset of a campaign.

    Attributes:
        name: Dataset name (``ocrxtract datasets list``).
        split: Only this split (``None``: every sample available).
        limit: At most this many samples (``None``: all).
        why: Why a limit or split was set (shown in the summary).
        extractor_options: Options of the campaign's extractors on this dataset only, by
            extractor label, over the extractor's own (``{fields: {schema_name: sroie}}``: SROIE's
            Malaysian receipts are none of the French types the schema detection knows).
        engines: Only these of the campaign's engines (by label) run on this dataset
            (``None``: all): ``pdf-text`` on born-digital PDFs, not on scans.
    """

    name: str = Field(min_length=1)
    split: str | None = None
    limit: int | None = Field(default=None, ge=0)
    why: str = ""
    extractor_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    engines: tuple[str, ...] | None = None


def _entry(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class Campaign(_Spec):
    """Engines with options x datasets x metrics.

    Attributes:
        name: Campaign name (results go to ``benchmarks/results/<name>`` by default).
        description: One sentence on what the campaign measures.
        engines: Engine configurations, run one after another (each in fresh worker processes).
        extractors: Extractors run on each engine's reading (none: OCR only).
        datasets: Datasets, in order.
        metrics: Keep only these metrics (``None``: every metric each dataset declares that a
            registered scorer measures).
        workers: Worker processes (0: everything in the calling process).
        run: The command that reproduces the campaign, when ``ocrxtract bench FILE`` in the
            main environment is not enough (another environment, a model named by an
            environment variable); shown with its results. Not part of the fingerprint.
        description_fr: The description in French, for the wiki's results page (which falls
            back to ``description``). Not part of the fingerprint.
    """

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    description: str = ""
    description_fr: str = ""
    engines: tuple[EngineEntry, ...] = Field(min_length=1)
    extractors: tuple[ExtractorEntry, ...] = ()
    datasets: tuple[DatasetEntry, ...] = Field(min_length=1)
    metrics: tuple[Metric, ...] | None = None
    workers: int = Field(default=1, ge=0, le=256)
    run: str = ""

    @field_validator("engines", "extractors", "datasets", mode="before")
    @classmethod
    def _short_forms(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [_entry(item) for item in value]
        return value

    @field_validator("metrics")
    @classmethod
    def _measured(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        from ocrxtract.bench.scorers import measured_metrics

        known = measured_metrics()
        unknown = [name for name in value or () if name not in known]
        if unknown:
            raise ValueError(
                f"no scorer measures {', '.join(unknown)}; metrics measured: {', '.join(known)}"
            )
        return value

    @model_validator(mode="after")
    def _unique(self) -> Campaign:
        for what, keys in (
            ("engine label", [e.key for e in self.engines]),
            ("extractor label", [e.key for e in self.extractors]),
            ("dataset", [d.name for d in self.datasets]),
        ):
            doubles = sorted({k for k in keys if keys.count(k) > 1})
            if doubles:
                raise ValueError(
                    f"{what} {', '.join(doubles)} listed twice (give each engine configuration "
                    "its own label)"
                )
        labels = [e.key for e in self.engines]
        for dataset in self.datasets:
            unknown = [e for e in dataset.engines or () if e not in labels]
            if unknown:
                raise ValueError(
                    f"dataset {dataset.name} lists engine(s) {', '.join(unknown)} that the "
                    f"campaign does not run; its engines: {', '.join(labels)}"
                )
        return self

    def fingerprint(self) -> str:
        """Short hash of the campaign's content (stamped on its results)."""
        data = self.model_dump(mode="json", exclude={"run", "description_fr"})
        for dataset in data["datasets"]:  # unset: as before the option existed
            if dataset.get("engines") is None:
                dataset.pop("engines", None)
        for engine in data["engines"]:  # at their default: as before the options existed
            for name in _ADDED_ENGINE_OPTIONS:
                if engine.get(name) == EngineEntry.model_fields[name].default:
                    engine.pop(name)
        raw = json.dumps(data, sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def with_overrides(
        self,
        *,
        limit: int | None = None,
        workers: int | None = None,
        engines: list[str] | None = None,
        datasets: list[str] | None = None,
    ) -> Campaign:
        """A copy narrowed or changed from the command line.

        Args:
            limit: Cap every dataset at this many samples (the smaller of this and its own).
            workers: Replace the worker count.
            engines: Keep only these engine labels (in the campaign's order).
            datasets: Keep only these datasets.

        Raises:
            UsageError: a name that the campaign does not hold (the message lists its names).
        """
        kept_engines = list(self.engines)
        if engines:
            known = [e.key for e in self.engines]
            _check_subset("engine", engines, known, self.name)
            kept_engines = [e for e in self.engines if e.key in engines]
        kept_datasets = list(self.datasets)
        if datasets:
            _check_subset("dataset", datasets, [d.name for d in self.datasets], self.name)
            kept_datasets = [d for d in self.datasets if d.name in datasets]
        if limit is not None:
            kept_datasets = [
                d.model_copy(update={"limit": limit if d.limit is None else min(limit, d.limit)})
                for d in kept_datasets
            ]
        update: dict[str, Any] = {"engines": tuple(kept_engines), "datasets": tuple(kept_datasets)}
        if workers is not None:
            update["workers"] = workers
        return self.model_copy(update=update)


def _check_subset(what: str, asked: list[str], known: list[str], campaign: str) -> None:
    unknown = [name for name in asked if name not in known]
    if unknown:
        raise UsageError(
            f"campaign {campaign!r} has no {what} {', '.join(unknown)}; "
            f"its {what}s: {', '.join(known)}"
        )


#: The embedded default (``benchmarks/sample.yml`` holds the same): generated French documents,
#: which need no download (the synthetic set is generated on first use), with the two offline
#: engines.
DEFAULT_CAMPAIGN = Campaign(
    name="sample",
    description=(
        "Generated French documents (sample page; payslips, rent receipts, ID cards, receipts, "
        "invoices, tables, letters at five difficulty levels) with the offline engines."
    ),
    description_fr=(
        "Documents français générés (page d'exemple ; bulletins de salaire, quittances, cartes "
        "d'identité, tickets, factures, tableaux, courriers à cinq niveaux de difficulté) avec "
        "les moteurs hors ligne."
    ),
    engines=(EngineEntry(name="tesseract"), EngineEntry(name="rapidocr")),
    datasets=(DatasetEntry(name="sample-fr"), DatasetEntry(name="synthetic-fr")),
    workers=2,
)


def load_campaign(path: str | Path) -> Campaign:
    """Read and validate a campaign YAML file.

    Raises:
        InputNotFoundError: the file does not exist.
        CorruptInputError: not YAML, or not a valid campaign (pydantic's explanation, with the
            file named).
    """
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(
            path, "no such campaign file", "see benchmarks/real.yml for an example"
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorruptInputError(path, f"cannot read the campaign ({exc})") from exc
    if not isinstance(raw, dict):
        raise CorruptInputError(path, "a campaign is a mapping with name, engines and datasets")
    raw.setdefault("name", path.stem)
    try:
        return Campaign.model_validate(raw)
    except ValidationError as exc:
        raise CorruptInputError(path, f"invalid campaign: {exc}", "fix the keys named") from exc


def campaign_from_names(
    engines: list[str],
    datasets: list[str],
    *,
    name: str = "adhoc",
    limit: int | None = None,
    workers: int = 1,
    extractors: list[str] | tuple[str, ...] = (),
) -> Campaign:
    """A campaign built from command-line names (``--engines a,b --datasets x,y``), with
    ``extractors`` run on each engine's reading.

    Raises:
        UsageError: no engine or no dataset given.
    """
    if not engines or not datasets:
        raise UsageError("give at least one engine and one dataset (or a campaign file)")
    try:
        return Campaign(
            name=name,
            engines=tuple(EngineEntry(name=e) for e in engines),
            extractors=tuple(ExtractorEntry(name=x) for x in extractors),
            datasets=tuple(DatasetEntry(name=d, limit=limit) for d in datasets),
            workers=workers,
        )
    except ValidationError as exc:
        raise UsageError(f"invalid benchmark request: {exc}") from exc


#: The extractor that produces what each kind of ground truth scores.
EXTRACTOR_FOR_TRUTH: dict[str, str] = {"fields": "fields", "tables": "tables"}


def extractors_for_truth(dataset: str) -> list[str]:
    """The extractors a dataset's ground truth can score: ``fields`` when a document has
    reference fields (a folder's ``.fields.json``), ``tables`` when one has reference tables.

    Only the files found are looked at (no document is opened); a dataset that is not
    available gives none.
    """
    from ocrxtract.datasets import discover

    try:
        found = discover(dataset)
    except DatasetNotAvailableError:
        return []
    roles = {role for item in found.items for role in item.files}
    return [extractor for role, extractor in EXTRACTOR_FOR_TRUTH.items() if role in roles]
