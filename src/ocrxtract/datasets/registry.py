"""The dataset registry: ``datasets.yml`` read into :class:`DatasetSpec`, data roots, loading.

Where the files are looked for, in order:

1. ``$OCRXTRACT_DATA_DIR/<folder>`` (default: the user cache, ``~/.cache/ocrxtract/datasets``,
   or ``$XDG_CACHE_HOME/ocrxtract/datasets``): where ``ocrxtract datasets fetch`` puts them;
2. the shared evaluation data, found automatically: ``$OCRXTRACT_SHARED_DATASETS``, then
   ``../shared/datasets`` beside the repository and beside the current directory.

Each dataset names one ground-truth format; the format's module (``alto``, ``sroie``…) finds the
samples under the root (:func:`discover`) and parses one on demand (:func:`load`). Formats are
found like engines: the built-ins, then the ``ocrxtract.dataset_formats`` entry points, then
:func:`register_format`.

A :class:`DatasetSpec` is a value: it can be made in code (:func:`register_dataset`, e.g. a
user's own folder in the ``folder`` format, with ``root`` set) and it travels, pickled, to the
benchmark's worker processes, so workers never look datasets up by name.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import os
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from ocrxtract.datasets.base import DEFAULT_RENDER_DPI, Discovery, Item, Sample
from ocrxtract.errors import (
    CorruptInputError,
    DatasetNotAvailableError,
    EngineRegistrationError,
    InputNotFoundError,
    OcrxtractError,
    UnknownDatasetError,
    UsageError,
)

log = logging.getLogger(__name__)

REGISTRY_FILE = "datasets.yml"
ENV_DATA_DIR = "OCRXTRACT_DATA_DIR"
ENV_SHARED = "OCRXTRACT_SHARED_DATASETS"
ENV_REGISTRY = "OCRXTRACT_DATASETS_FILE"
#: The repository root when the package is used from a checkout (src layout).
REPO_ROOT = Path(__file__).resolve().parents[3]

#: Ground-truth format -> module holding its ``discover`` and ``load``.
FORMATS: dict[str, str] = {
    "alto": "ocrxtract.datasets.alto",
    "page-xml": "ocrxtract.datasets.page_xml",
    "funsd": "ocrxtract.datasets.funsd",
    "sroie": "ocrxtract.datasets.sroie",
    "cord": "ocrxtract.datasets.cord",
    "icdar2013": "ocrxtract.datasets.icdar2013",
    "pubtabnet": "ocrxtract.datasets.pubtabnet",
    "factur-x": "ocrxtract.datasets.facturx",
    "plain-text": "ocrxtract.datasets.plain_text",
    "generated": "ocrxtract.datasets.sample_fr",
    "synthetic": "ocrxtract.datasets.synthetic.loader",
    "folder": "ocrxtract.datasets.folder",
}
FORMAT_ENTRY_POINTS = "ocrxtract.dataset_formats"
_extra_formats: dict[str, str] = {}
#: Formats whose loader makes its samples when no folder is found (no download needed):
#: ``generated`` renders in memory, ``synthetic`` generates its default set on first use.
GENERATED_FORMATS = frozenset({"generated", "synthetic"})
Kind = Literal[
    "receipts", "forms", "typed", "handwritten", "tables", "administrative", "born-digital"
]
Task = Literal["ocr", "fields", "tables", "structure"]
#: A metric name (``cer``, ``field_f1``...): the benchmark's scorers say which they measure
#: (``ocrxtract.bench.scorers``); a dataset may declare one that no scorer measures yet.
Metric = str
Normalisation = Literal["exact", "folded"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Headline(_Spec):
    """The number a leaderboard shows for the dataset.

    ``datasets.yml`` writes the normalization as ``normalisation`` (the key it has always had);
    ``normalization`` is accepted too.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    metric: Metric = Field(pattern=r"^[a-z][a-z0-9_]*$")
    normalization: Normalisation = Field(
        default="exact", validation_alias=AliasChoices("normalization", "normalisation")
    )

    def __str__(self) -> str:
        return f"{self.metric} ({self.normalization})"


class Quirk(_Spec):
    """Something odd about a dataset's files, and what the loader does about it."""

    id: str
    text: str
    handling: str


class SourceFile(_Spec):
    """One downloadable file; ``sha256`` is ``None`` when no checksum is published."""

    url: str
    sha256: str | None = None
    filename: str | None = None
    size: int | None = Field(default=None, gt=0)
    extract: bool = False

    @field_validator("sha256")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is not None and (
            len(value) != 64 or any(c not in "0123456789abcdef" for c in value)
        ):
            raise ValueError(f"sha256 must be 64 lowercase hex digits, not {value!r}")
        return value


class Source(_Spec):
    """Where a dataset comes from."""

    homepage: str | None = None
    commit: str | None = None
    files: tuple[SourceFile, ...] = ()
    manual: str | None = None
    #: In a fetched (upstream) layout, only files under a folder of this name are samples.
    include_dir: str | None = None
    generator: str | None = None
    count: int | None = Field(default=None, ge=1)
    #: Generated sets: the dataset seed, and the document types and difficulties cycled
    #: through (``None``: the generator's defaults).
    seed: int | None = None
    types: tuple[str, ...] | None = None
    difficulties: tuple[str, ...] | None = None


class DatasetSpec(_Spec):
    """One entry of ``datasets.yml``."""

    name: str
    title: str = ""
    #: The title in French, for the wiki (which falls back to ``title``).
    title_fr: str = ""
    folder: str | None = None
    kind: Kind
    language: str
    format: str
    tasks: tuple[Task, ...]
    splits: dict[str, str] = Field(default_factory=dict)
    default_split: str | None = None
    license: str
    citation: str = ""
    headline: Headline
    metrics: tuple[Metric, ...] = ()
    #: The dataset's folder itself (user datasets); ``None``: looked for by ``folder`` name.
    root: Path | None = None
    dpi: float | None = Field(default=None, gt=0)
    render_dpi: int = Field(default=DEFAULT_RENDER_DPI, gt=0)
    quirks: tuple[Quirk, ...] = ()
    source: Source = Field(default_factory=Source)
    notes: str = ""
    #: A YAML file assigning some samples to splits of their own (``datasets: {name: {split:
    #: [sample ids]}}``), e.g. the page split of a trained model; written relative to the
    #: registry file, resolved when the registry is read. Samples it does not list keep
    #: ``default_split``.
    split_file: Path | None = None

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        known = format_modules()
        if value not in known:
            raise ValueError(f"unknown format {value!r}; known formats: {', '.join(known)}")
        return value

    @field_validator("metrics")
    @classmethod
    def _metric_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not name.replace("_", "").isalnum() or name != name.lower():
                raise ValueError(f"metric names are lower_case identifiers, not {name!r}")
        return value


@lru_cache(maxsize=1)
def _entry_point_formats() -> dict[str, str]:
    found: dict[str, str] = {}
    for ep in entry_points(group=FORMAT_ENTRY_POINTS):
        if ep.name in FORMATS and FORMATS[ep.name] != ep.value:
            raise EngineRegistrationError(
                f"dataset format {ep.name!r} is claimed twice: {FORMATS[ep.name]} and {ep.value}"
            )
        found[ep.name] = ep.value.partition(":")[0]
    return found


def format_modules() -> dict[str, str]:
    """Every known ground-truth format -> the module holding its ``discover`` and ``load``."""
    return {**FORMATS, **_entry_point_formats(), **_extra_formats}


def register_format(name: str, module: str) -> None:
    """Register a ground-truth format at run time: ``module`` (an importable module name)
    provides ``discover(root, spec)`` and ``load(item, spec)``.

    Raises:
        EngineRegistrationError: the name is taken by another module.
    """
    known = format_modules().get(name)
    if known is not None and known != module:
        raise EngineRegistrationError(f"dataset format {name!r} is already registered ({known})")
    _extra_formats[name] = module


class FormatModule(Protocol):
    """What a format module provides."""

    def discover(self, root: Path | None, spec: DatasetSpec) -> Discovery: ...

    def load(self, item: Item, spec: DatasetSpec) -> Sample: ...


# --- the registry file ------------------------------------------------------------------------


def registry_path() -> Path:
    """The ``datasets.yml`` in use: ``$OCRXTRACT_DATASETS_FILE``, the repository's, or ./.

    Raises:
        InputNotFoundError: none of them exists.
    """
    candidates = []
    if os.environ.get(ENV_REGISTRY):
        candidates.append(Path(os.environ[ENV_REGISTRY]))
    candidates += [REPO_ROOT / REGISTRY_FILE, Path.cwd() / REGISTRY_FILE]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise InputNotFoundError(
        candidates[0],
        f"no {REGISTRY_FILE} found (looked at {', '.join(str(c) for c in candidates)})",
        f"set {ENV_REGISTRY} to the path of a {REGISTRY_FILE}",
    )


def _datasets_section(path: Path, what: str, kind: type) -> Any:
    """The ``datasets:`` section of a YAML file (the registry, a split file), of type ``kind``.

    Raises:
        CorruptInputError: unreadable YAML, or no such section of that type.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CorruptInputError(path, f"cannot read the {what} ({exc})") from exc
    section = raw.get("datasets") if isinstance(raw, dict) else None
    if not isinstance(section, kind):
        shape = "list" if kind is list else "mapping"
        raise CorruptInputError(path, f"the {what} must hold a 'datasets:' {shape}")
    return section


@lru_cache(maxsize=8)
def _read_registry(path: Path, mtime: float) -> dict[str, DatasetSpec]:
    entries = _datasets_section(path, "dataset registry", list)
    specs: dict[str, DatasetSpec] = {}
    for number, raw_entry in enumerate(entries):
        entry = raw_entry
        if isinstance(entry, dict) and entry.get("split_file"):
            entry = {**entry, "split_file": path.parent / str(entry["split_file"])}
        try:
            spec = DatasetSpec.model_validate(entry)
        except ValidationError as exc:
            name = entry.get("name", f"#{number}") if isinstance(entry, dict) else f"#{number}"
            raise CorruptInputError(path, f"dataset {name}: {exc}") from exc
        if spec.name in specs:
            raise CorruptInputError(path, f"dataset {spec.name!r} is declared twice")
        specs[spec.name] = spec
    return specs


ENV_USER_DATASETS = "OCRXTRACT_USER_DATASETS"


def user_registry_path() -> Path:
    """Your own datasets' registry (``ocrxtract datasets add``): ``$OCRXTRACT_USER_DATASETS``,
    else ``ocrxtract/datasets.yml`` in your configuration folder (it may not exist)."""
    if os.environ.get(ENV_USER_DATASETS):
        return Path(os.environ[ENV_USER_DATASETS]).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config).expanduser() / "ocrxtract" / "datasets.yml"


def read_user_registry(path: Path | None = None) -> dict[str, DatasetSpec]:
    """The datasets of the user registry, by name (empty when the file does not exist).

    Raises:
        CorruptInputError: the file is not a valid registry (named, with the fix).
    """
    path = path or user_registry_path()
    if not path.is_file():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CorruptInputError(path, f"cannot read your dataset registry ({exc})") from exc
    entries = raw.get("datasets", []) if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise CorruptInputError(path, "the registry must hold a 'datasets:' list", "fix it")
    specs = {}
    for entry in entries:
        try:
            spec = DatasetSpec.model_validate(entry)
        except ValidationError as exc:
            raise CorruptInputError(path, f"invalid entry: {exc}", "fix or remove it") from exc
        specs[spec.name] = spec
    return specs


def load_registry(path: Path | None = None, *, include_user: bool = True) -> dict[str, DatasetSpec]:
    """Every declared dataset, by name: ``datasets.yml`` in file order, then your own
    (:func:`read_user_registry`, unless ``include_user`` is off), then those registered at run
    time (:func:`register_dataset`)."""
    path = path or registry_path()
    specs = dict(_read_registry(path.resolve(), path.stat().st_mtime))
    if include_user:
        for name, spec in read_user_registry().items():
            specs.setdefault(name, spec)
    return {**specs, **_extra_specs}


_extra_specs: dict[str, DatasetSpec] = {}


def register_dataset(spec: DatasetSpec, *, replace: bool = False) -> DatasetSpec:
    """Declare a dataset in code (a user's folder, a notebook's test set) next to the file's.

    Args:
        spec: The declaration; for a folder of your own, ``format="folder"`` and ``root``.
        replace: Replace an earlier run-time registration of the same name.

    Raises:
        UsageError: the name is taken (by ``datasets.yml``, or earlier unless ``replace``).
    """
    try:
        declared = _read_registry(*_registry_key())
    except OcrxtractError:
        declared = {}
    if spec.name in declared or (spec.name in _extra_specs and not replace):
        raise UsageError(f"dataset name {spec.name!r} is already taken; choose another name")
    _extra_specs[spec.name] = spec
    return spec


def unregister_dataset(name: str) -> None:
    """Forget a dataset registered with :func:`register_dataset`."""
    _extra_specs.pop(name, None)


def _registry_key() -> tuple[Path, float]:
    path = registry_path()
    return path.resolve(), path.stat().st_mtime


def project_datasets(path: Path | None = None) -> list[DatasetSpec]:
    """The datasets ``datasets.yml`` declares, in file order: neither your own (the user
    registry) nor those registered at run time. What the project's wiki lists: a developer's
    private folders never reach it."""
    path = path or registry_path()
    return list(_read_registry(path.resolve(), path.stat().st_mtime).values())


def list_datasets() -> list[DatasetSpec]:
    """Every declared dataset, in the order of ``datasets.yml`` then of registration."""
    return list(load_registry().values())


def get_spec(name: str | DatasetSpec) -> DatasetSpec:
    """The declaration of dataset ``name`` (a spec is returned as it is).

    Raises:
        UnknownDatasetError: no such dataset; the message lists the known ones.
    """
    if isinstance(name, DatasetSpec):
        return name
    if name in _extra_specs:
        return _extra_specs[name]
    specs = load_registry()
    if name not in specs:
        raise UnknownDatasetError(f"unknown dataset {name!r}; known datasets: {', '.join(specs)}")
    return specs[name]


# --- data roots -------------------------------------------------------------------------------


def data_dir() -> Path:
    """Where fetched datasets live: ``$OCRXTRACT_DATA_DIR`` or the user cache."""
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "ocrxtract" / "datasets"


def shared_dirs() -> list[Path]:
    """Folders of shared evaluation data found on this machine (existing ones only)."""
    candidates = []
    if os.environ.get(ENV_SHARED):
        candidates.append(Path(os.environ[ENV_SHARED]).expanduser())
    candidates += [
        REPO_ROOT.parent / "shared" / "datasets",
        Path.cwd().parent / "shared" / "datasets",
    ]
    found: list[Path] = []
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_dir() and resolved not in found:
            found.append(resolved)
    return found


def search_roots() -> list[Path]:
    """Folders searched for dataset folders, in order of preference."""
    return [data_dir(), *shared_dirs()]


def find_root(spec: DatasetSpec) -> Path | None:
    """The folder holding dataset ``spec``'s files, or ``None`` (generated datasets: ``None``)."""
    if spec.root is not None:
        return spec.root if spec.root.is_dir() else None
    if spec.folder is None:
        return None
    for base in search_roots():
        candidate = base / spec.folder
        if candidate.is_dir() and any(candidate.iterdir()):
            return candidate
    return None


def _not_available(spec: DatasetSpec) -> DatasetNotAvailableError:
    if spec.root is not None:
        return DatasetNotAvailableError(
            spec.root,
            f"dataset {spec.name!r}: its folder is not there",
            "check the path, or register the dataset again with its new folder",
        )
    target = data_dir() / (spec.folder or spec.name)
    urls = ", ".join(f.url for f in spec.source.files) or spec.source.homepage or "its source"
    looked = ", ".join(str(base / (spec.folder or "")) for base in search_roots())
    return DatasetNotAvailableError(
        target,
        f"dataset {spec.name!r} is not on this machine (looked in {looked})",
        f"run `ocrxtract datasets fetch {spec.name}`, or download {urls} by hand and put the "
        f"files in {target}",
    )


def _module(spec: DatasetSpec) -> FormatModule:
    module: Any = importlib.import_module(format_modules()[spec.format])
    return module  # type: ignore[no-any-return]


def discover(name: str | DatasetSpec) -> Discovery:
    """Find the samples of dataset ``name`` (or of a spec; cheap: files are listed, not parsed).

    Raises:
        UnknownDatasetError: no such dataset.
        DatasetNotAvailableError: its files are nowhere on this machine.
    """
    spec = get_spec(name)
    root = find_root(spec)
    if root is None and spec.format not in GENERATED_FORMATS:
        raise _not_available(spec)
    found = _module(spec).discover(root, spec)
    if spec.split_file is not None:
        assigned = read_split_file(spec.split_file).get(spec.name, {})
        found.items = [
            dataclasses.replace(item, split=assigned[item.sample_id])
            if item.sample_id in assigned
            else item
            for item in found.items
        ]
    return found


@lru_cache(maxsize=8)
def _split_file(path: Path, mtime: float) -> dict[str, dict[str, str]]:
    datasets = _datasets_section(path, "split file", dict)
    assigned: dict[str, dict[str, str]] = {}
    for dataset, splits in datasets.items():
        if not isinstance(splits, dict):
            raise CorruptInputError(path, f"{dataset}: expected split names -> sample ids")
        by_id = assigned.setdefault(str(dataset), {})
        for split, ids in splits.items():
            for sample_id in ids or ():
                if str(sample_id) in by_id:
                    raise CorruptInputError(path, f"{dataset}/{sample_id} is in two splits")
                by_id[str(sample_id)] = str(split)
    return assigned


def read_split_file(path: Path) -> dict[str, dict[str, str]]:
    """A split file read: dataset name -> sample id -> split name.

    Raises:
        InputNotFoundError: the file does not exist.
        CorruptInputError: it is not a split file, or lists a sample twice.
    """
    if not path.is_file():
        raise InputNotFoundError(path, "split file not found", "check split_file in datasets.yml")
    return _split_file(path.resolve(), path.stat().st_mtime)


def load_dataset(
    name: str | DatasetSpec,
    split: str | None = None,
    limit: int | None = None,
    *,
    strict: bool = True,
) -> Iterator[Sample]:
    """The samples of dataset ``name``, parsed one at a time, in a stable order.

    Args:
        name: Dataset name (``ocrxtract datasets list``).
        split: Only this split (``None``: every sample available).
        limit: At most this many samples.
        strict: Raise on a sample whose files cannot be read; otherwise log it and go on.

    Raises:
        UnknownDatasetError, DatasetNotAvailableError: see :func:`discover`.
        UsageError: unknown split or negative limit.
        InputError: a ground-truth file cannot be read (when ``strict``).
    """
    spec = get_spec(name)
    if split is not None and split not in spec.splits:
        known = ", ".join(spec.splits) or "none declared"
        raise UsageError(f"dataset {spec.name!r} has no split {split!r}; its splits: {known}")
    if limit is not None and limit < 0:
        raise UsageError(f"limit must be >= 0, not {limit}")
    found = discover(spec)
    for item in found.skipped:
        log.info("%s: %s left aside: %s", spec.name, *item)
    module = _module(spec)
    return _iterate(module, spec, found, split=split, limit=limit, strict=strict)


def _iterate(
    module: FormatModule,
    spec: DatasetSpec,
    found: Discovery,
    *,
    split: str | None,
    limit: int | None,
    strict: bool,
) -> Iterator[Sample]:
    produced = 0
    for item in found.items:
        if limit is not None and produced >= limit:
            return
        if split is not None and item.split != split:
            continue
        try:
            sample = module.load(item, spec)
        except OcrxtractError as exc:
            if strict:
                raise
            log.warning("%s/%s skipped: %s", spec.name, item.sample_id, exc)
            continue
        produced += 1
        yield sample


def load_sample(name: str | DatasetSpec, sample_id: str) -> Sample:
    """One sample of dataset ``name`` (or of a spec) by its id.

    Raises:
        UnknownDatasetError, DatasetNotAvailableError: see :func:`discover`.
        UsageError: no sample with that id (the message shows a few known ids).
        InputError: its files cannot be read.
    """
    spec = get_spec(name)
    found = discover(spec)
    for item in found.items:
        if item.sample_id == sample_id:
            return _module(spec).load(item, spec)
    known = ", ".join(item.sample_id for item in found.items[:5])
    raise UsageError(f"dataset {spec.name!r} has no sample {sample_id!r} (e.g. {known})")


def dataset_info(name: str | DatasetSpec) -> dict[str, Any]:
    """Everything known about dataset ``name``: declaration, where it is, counts per split.

    Never raises because the files are absent: ``available`` is then ``False``.
    """
    spec = get_spec(name)
    info: dict[str, Any] = {
        "name": spec.name,
        "title": spec.title,
        "kind": spec.kind,
        "language": spec.language,
        "format": spec.format,
        "tasks": list(spec.tasks),
        "license": spec.license,
        "citation": spec.citation,
        "homepage": spec.source.homepage,
        "headline": str(spec.headline),
        "metrics": list(spec.metrics),
        "dpi": spec.dpi,
        "quirks": [q.model_dump() for q in spec.quirks],
        "urls": [f.url for f in spec.source.files],
        "manual": spec.source.manual,
        "data_dir": str(data_dir()),
        "fetch_to": str(data_dir() / (spec.folder or spec.name)),
        "notes": spec.notes,
    }
    if spec.format == "synthetic" and find_root(spec) is None:
        # describing the dataset must not generate it: that is for its first real use
        info.update(
            available=True,
            root=None,
            count=spec.source.count or 0,
            skipped=[],
            layout=f"generated on first use into {info['fetch_to']}",
            splits={k: {"description": d, "count": 0} for k, d in spec.splits.items()},
        )
        return info
    try:
        found = discover(spec)
    except DatasetNotAvailableError as exc:
        info.update(available=False, root=None, count=0, skipped=[], layout="", problem=str(exc))
        counts: Counter[str | None] = Counter()
    else:
        counts = Counter(item.split for item in found.items)
        info.update(
            available=True,
            root=str(found.root) if found.root else None,
            count=len(found.items),
            skipped=list(found.skipped),
            layout=found.layout,
        )
    splits = {
        split: {"description": description, "count": counts.get(split, 0)}
        for split, description in spec.splits.items()
    }
    for split, count in counts.items():
        if split not in splits:
            splits[str(split)] = {"description": "(not declared)", "count": count}
    info["splits"] = splits
    return info
