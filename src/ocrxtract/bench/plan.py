"""Planning a campaign: which (engine, sample) tasks run, with which scorers and extractors.

Unknown engine, extractor or dataset names and invalid options stop the run before anything is
computed; an engine that cannot run here, a dataset that is absent or in a language the engine
cannot read, a dataset none of whose metrics a scorer measures, are *skipped* with the reason
(kept in the summary). Each engine gets the execution that suits it:

* ``parallel: processes``: ``workers`` processes, each single-threaded
  (``OMP_NUM_THREADS=OMP_THREAD_LIMIT=1``, and the engine's thread option set to 1). Measured
  here: Tesseract scales linearly this way; onnxruntime already uses both cores in one process,
  so two processes only help with one thread each.
* ``parallel: threads``: one process whose engine gets ``workers`` threads.
* ``workers: 0``: everything in the calling process (debugging, tests).

Everything a worker needs travels in its :class:`~ocrxtract.bench.worker.Task` (the dataset's
spec included): workers never look a dataset up by name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocrxtract.bench.cache import key_options
from ocrxtract.bench.campaign import Campaign, DatasetEntry, EngineEntry, ExtractorEntry
from ocrxtract.bench.scorers import Scorer, measured_metrics, scorers
from ocrxtract.bench.worker import ExtractorTask, Task
from ocrxtract.datasets import DatasetSpec, discover, get_spec
from ocrxtract.engines.base import OcrEngine
from ocrxtract.engines.registry import PRESET_JOIN, get_engine_class, resolve_engine
from ocrxtract.errors import DatasetNotAvailableError, UsageError
from ocrxtract.extract import get_extractor_class
from ocrxtract.fr.lexicon import require_wordlist
from ocrxtract.pipeline import SINGLE_THREAD_ENV

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Skip:
    """An (engine, dataset) pair, or a whole engine or dataset, left out, and why."""

    reason: str
    engine: str | None = None
    dataset: str | None = None


@dataclass
class EnginePlan:
    """How one engine configuration runs.

    Attributes:
        entry: The campaign entry.
        cls: The engine class.
        version: The engine's version.
        processes: Worker processes (0: in the calling process).
        threads: Threads given to the engine (``None``: its default).
        env: Environment of its worker processes.
        parallel: ``processes`` or ``threads`` (the entry's, else the engine's).
        tasks: Its tasks, dataset by dataset.
    """

    entry: EngineEntry
    cls: type[OcrEngine]
    version: str
    processes: int
    threads: int | None
    env: dict[str, str]
    parallel: str = "processes"
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Plan:
    """What a campaign will compute, and what it leaves out."""

    campaign: Campaign
    engines: list[EnginePlan]
    datasets: dict[str, dict[str, Any]]
    skipped: list[Skip]
    extractors: list[ExtractorTask] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [task for engine in self.engines for task in engine.tasks]

    @property
    def rows(self) -> int:
        """Rows the campaign will have (one per task, plus one per task and extractor)."""
        return sum(1 + len(task.extractors) for task in self.tasks)


def _execution(
    entry: EngineEntry, cls: type[OcrEngine], workers: int
) -> tuple[int, int | None, dict[str, str], dict[str, Any], str]:
    """Processes, threads, environment, options and parallel mode for ``workers`` slots."""
    options = dict(entry.options)
    thread_option = cls.thread_option
    parallel = entry.parallel or cls.parallel
    if workers == 0:
        threads = options.get(thread_option) if thread_option else None
        return 0, threads, {}, options, parallel
    if parallel == "threads":
        if thread_option and thread_option not in options:
            options[thread_option] = workers
        threads = options.get(thread_option) if thread_option else None
        return 1, threads, {"OMP_NUM_THREADS": str(workers)}, options, parallel
    if thread_option and thread_option not in options:
        options[thread_option] = 1
    return workers, 1, dict(SINGLE_THREAD_ENV), options, parallel


def _languages(spec: DatasetSpec) -> list[str]:
    return [lang for lang in spec.language.split("+") if lang]


def _wanted(spec: DatasetSpec, campaign: Campaign) -> set[str]:
    return {m for m in spec.metrics if campaign.metrics is None or m in campaign.metrics}


def _scorers_for(
    spec: DatasetSpec, campaign: Campaign, produced: frozenset[str] | None
) -> list[Scorer]:
    """Scorers of a dataset for the engine alone (``produced`` None) or for an extractor that
    produces ``produced``."""
    wanted = _wanted(spec, campaign)
    chosen = []
    for scorer in scorers():
        if not scorer.applies(spec, wanted):
            continue
        needs = scorer.needs_extractor
        if (produced is None and not needs) or (
            produced is not None and needs and needs <= produced
        ):
            chosen.append(scorer)
    return chosen


def _plan_dataset(
    entry: DatasetEntry, campaign: Campaign, extractors: list[ExtractorTask]
) -> tuple[dict[str, Any], DatasetSpec, list[tuple[str, str | None]], Skip | None]:
    """A dataset's summary information, spec, samples (id, split) and why it is skipped."""
    spec = get_spec(entry.name)
    if entry.split is not None and entry.split not in spec.splits:
        raise UsageError(
            f"dataset {entry.name!r} has no split {entry.split!r}; "
            f"its splits: {', '.join(spec.splits) or 'none'}"
        )
    ocr = _scorers_for(spec, campaign, None)
    by_extractor = {x.label: _scorers_for(spec, campaign, x.produces) for x in extractors}
    measured_names = {m.name for s in ocr for m in s.metrics} | {
        m.name for scorers_ in by_extractor.values() for s in scorers_ for m in s.metrics
    }
    wanted = _wanted(spec, campaign)
    info: dict[str, Any] = {
        "title": spec.title,
        "kind": spec.kind,
        "language": spec.language,
        "tasks": list(spec.tasks),
        "headline": {"metric": spec.headline.metric, "normalisation": spec.headline.normalization},
        "split": entry.split,
        "limit": entry.limit,
        "why": entry.why,
        "metrics": [m for m in measured_metrics() if m in measured_names],
        "not_measured": [m for m in spec.metrics if m in wanted and m not in measured_names],
        "scorers": [s.name for s in ocr],
        "extractor_scorers": {k: [s.name for s in v] for k, v in by_extractor.items() if v},
        "samples": 0,
    }
    reason = None
    if not ocr and not any(by_extractor.values()):
        declared = ", ".join(spec.metrics) or "none declared"
        reason = f"no scorer of this campaign measures its metrics ({declared})"
    if reason is not None:
        info["skipped"] = reason
        return info, spec, [], Skip(reason, dataset=entry.name)
    try:
        found = discover(spec)
    except DatasetNotAvailableError as exc:
        info["skipped"] = str(exc)
        return info, spec, [], Skip(str(exc), dataset=entry.name)
    items = [i for i in found.items if entry.split is None or i.split == entry.split]
    if entry.limit is not None:
        items = items[: entry.limit]
    info.update(samples=len(items), available=len(found.items))
    return info, spec, [(item.sample_id, item.split) for item in items], None


def _plan_extractor(entry: ExtractorEntry) -> ExtractorTask:
    cls = get_extractor_class(entry.name)
    options = cls.parse_options(entry.options).model_dump(mode="json")
    return ExtractorTask(
        label=entry.key,
        name=entry.name,
        version=cls.version(),
        options=options,
        produces=cls.produces,
    )


def _for_dataset(extractor: ExtractorTask, overrides: dict[str, dict[str, Any]]) -> ExtractorTask:
    """``extractor`` with the options a dataset entry gives it (``extractor_options``)."""
    if extractor.label not in overrides:
        return extractor
    cls = get_extractor_class(extractor.name)
    merged = {**extractor.options, **overrides[extractor.label]}
    return extractor.with_options(cls.parse_options(merged).model_dump(mode="json"))


def _overrides(
    campaign: Campaign, extractors: list[ExtractorTask]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Dataset name -> extractor label -> options, each validated by its extractor.

    Raises:
        UsageError: a label that is not one of the campaign's extractors.
        InvalidOptionsError: options the extractor refuses.
    """
    labels = {x.label: x for x in extractors}
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for entry in campaign.datasets:
        for label, options in entry.extractor_options.items():
            if label not in labels:
                raise UsageError(
                    f"dataset {entry.name!r} sets options of extractor {label!r}, which is not "
                    f"in the campaign (its extractors: {', '.join(labels) or 'none'})"
                )
            _for_dataset(labels[label], {label: options})  # validates
            found.setdefault(entry.name, {})[label] = options
    return found


def _plan_engine(  # noqa: PLR0917 - one call site, every argument named
    entry: EngineEntry,
    campaign: Campaign,
    samples: dict[str, tuple[DatasetSpec, list[tuple[str, str | None]]]],
    datasets: dict[str, dict[str, Any]],
    extractors: list[ExtractorTask],
    cache_dir: Path | None,
    overrides: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> tuple[EnginePlan | None, list[Skip]]:
    """An engine's tasks over the planned samples, and the pairs it cannot run."""
    overrides = overrides or {}
    if PRESET_JOIN in entry.name:  # tesseract:sparse -> tesseract with the preset's options
        name, _, merged = resolve_engine(entry.name, entry.options)
        entry = entry.model_copy(update={"name": name, "options": merged, "label": entry.key})
    cls = get_engine_class(entry.name)
    availability = cls.availability()
    if not availability.available:
        reason = availability.reason or "unavailable"
        if availability.install:
            reason += f" (install: {availability.install})"
        return None, [Skip(reason, engine=entry.key)]
    if entry.post_correction:
        require_wordlist()  # a missing word list stops the run before anything runs
    processes, threads, env, options, parallel = _execution(entry, cls, campaign.workers)
    plan = EnginePlan(entry, cls, cls.version(), processes, threads, env, parallel)
    readable = set(cls.languages())
    skipped = []
    listed = {d.name: d.engines for d in campaign.datasets}
    for name, (spec, sample_list) in samples.items():
        if listed.get(name) and entry.key not in (listed[name] or ()):
            reason = f"the campaign runs only {', '.join(listed[name] or ())} on {name}"
            skipped.append(Skip(reason, engine=entry.key, dataset=name))
            continue
        engine_options = dict(options)
        engine_options.setdefault("languages", _languages(spec))
        missing = [
            lang for lang in engine_options["languages"] if readable and lang not in readable
        ]
        if missing:
            reason = (
                f"{entry.name} cannot read {', '.join(missing)} here "
                f"(it reads: {', '.join(sorted(readable))})"
            )
            skipped.append(Skip(reason, engine=entry.key, dataset=name))
            continue
        engine = cls(engine_options)
        parsed = engine.options.model_dump(mode="json")
        info = datasets[name]
        own = tuple(
            _for_dataset(x, overrides.get(name, {}))
            for x in extractors
            if info["extractor_scorers"].get(x.label)
        )
        plan.tasks += [
            Task(
                engine=entry.key,
                engine_name=entry.name,
                engine_version=plan.version,
                model=engine.model_fingerprint(),
                options=engine_options,
                key_options=key_options(parsed, cls.execution_options),
                spec=spec,
                split=split,
                sample_id=sample_id,
                scorers=tuple(info["scorers"]),
                extractors=tuple(
                    x.with_scorers(tuple(info["extractor_scorers"][x.label])) for x in own
                ),
                cache_dir=str(cache_dir) if cache_dir is not None else None,
                reading_order=entry.reading_order,
                post_correction=entry.post_correction,
            )
            for sample_id, split in sample_list
        ]
    return plan, skipped


def plan_campaign(campaign: Campaign, cache_dir: Path | None = None) -> Plan:
    """Resolve a campaign into tasks; see the module doc for what is skipped and what stops.

    Args:
        campaign: The campaign.
        cache_dir: The engine-output cache given to the tasks (``None``: no cache).

    Raises:
        UnknownEngineError, UnknownExtractorError, UnknownDatasetError: a name that is not
            registered or declared.
        InvalidOptionsError: options an engine or extractor refuses.
        UsageError: an unknown split.
    """
    extractors = [_plan_extractor(entry) for entry in campaign.extractors]
    overrides = _overrides(campaign, extractors)
    skipped: list[Skip] = []
    datasets: dict[str, dict[str, Any]] = {}
    samples: dict[str, tuple[DatasetSpec, list[tuple[str, str | None]]]] = {}
    for dataset_entry in campaign.datasets:
        info, spec, found, skip = _plan_dataset(dataset_entry, campaign, extractors)
        datasets[dataset_entry.name] = info
        if skip is not None:
            skipped.append(skip)
        else:
            samples[dataset_entry.name] = (spec, found)
    engines: list[EnginePlan] = []
    for engine_entry in campaign.engines:
        plan, engine_skips = _plan_engine(
            engine_entry, campaign, samples, datasets, extractors, cache_dir, overrides
        )
        skipped += engine_skips
        if plan is not None:
            engines.append(plan)
    return Plan(campaign, engines, datasets, skipped, extractors)
