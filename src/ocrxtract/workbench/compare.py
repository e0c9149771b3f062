"""The library side of comparing engines on one document (the app's Compare page).

* :func:`engine_catalogue`: every registered engine, available or not, with the reason and the
  install command when it cannot run here (the app lists them instead of hiding them).
* :func:`option_fields`: the simple fields of an engine's pydantic options class (booleans,
  choices, bounded numbers) described for a form, with help text read from the class's
  ``Attributes:`` docstring; :func:`main_option_fields` picks each engine's main knobs.
* :func:`compare_text`: CER/WER under both normalisations and the character diff of a
  recognised text against a reference; :func:`document_stats`: pages, words, confidence and
  time of a recognised document.
* :func:`prepare_engines` and :func:`run_comparison`: validate the chosen engines' options,
  then recognise every page of every document with each (each page rendered once, through the
  pipeline), recording failures and carrying on.
"""

from __future__ import annotations

import json
import logging
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic.fields import FieldInfo

from ocrxtract.document import Document
from ocrxtract.engines.base import EngineOptions
from ocrxtract.engines.registry import engine_names, get_engine_class
from ocrxtract.errors import OcrxtractError
from ocrxtract.io import PageImage
from ocrxtract.io.dropout import Dropout
from ocrxtract.metrics.text import TextScore, score_text
from ocrxtract.pipeline import EngineStep, Steps, run
from ocrxtract.workbench.viz import DiffCounts, DiffSpan, char_diff, diff_counts

if TYPE_CHECKING:
    from ocrxtract.workbench.uploads import AppDocument

log = logging.getLogger(__name__)

#: Engines pre-selected in the app when they are available.
DEFAULT_ENGINES: tuple[str, ...] = ("tesseract", "rapidocr")
#: Fields every engine has that are not per-engine knobs (languages get their own widget;
#: downloads stay off in the app: documents are personal data; the dropout gets its own widget).
COMMON_FIELDS: frozenset[str] = frozenset({"languages", "allow_download", "dropout"})


# --- engines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineStatus:
    """Whether an engine can run here; when not, why and the command that fixes it."""

    name: str
    description: str
    available: bool
    reason: str | None = None
    install: str | None = None


def engine_catalogue(hidden: Iterable[str] = ()) -> list[EngineStatus]:
    """Every registered engine offered to users (``user_facing``, not in ``hidden``), available
    or not, in registry order.

    Cheap: checks packages and model files without loading any model. An engine whose class
    does not even load is listed as unavailable with the error.
    """
    skip = set(hidden)
    statuses = []
    for name in engine_names():
        if name in skip:
            continue
        try:
            cls = get_engine_class(name)
            if not cls.user_facing:
                continue
            availability = cls.availability()
        except OcrxtractError as exc:
            statuses.append(EngineStatus(name, "", False, str(exc), None))
            continue
        statuses.append(
            EngineStatus(
                name,
                cls.description,
                availability.available,
                availability.reason,
                availability.install,
            )
        )
    return statuses


def default_selection(statuses: Iterable[EngineStatus]) -> list[str]:
    """The engines to pre-select: :data:`DEFAULT_ENGINES` that are available, else the first."""
    available = [s.name for s in statuses if s.available]
    chosen = [name for name in DEFAULT_ENGINES if name in available]
    return chosen or available[:1]


# --- options as form fields --------------------------------------------------------------------

OptionKind = Literal["bool", "choice", "int", "float"]


@dataclass(frozen=True)
class OptionField:
    """One option of an engine, described for a form widget.

    Attributes:
        name: The options-class field name.
        kind: ``bool`` (checkbox), ``choice`` (select box), ``int`` or ``float`` (number).
        default: The default value.
        help: The field's description from the options class docstring.
        choices: The allowed values of a ``choice``.
        minimum, maximum: Bounds of a number (inclusive), when declared.
    """

    name: str
    kind: OptionKind
    default: Any
    help: str = ""
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


_ATTRIBUTE = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)(?:\s*\([^)]*\))?:\s*(.*)$")


def attribute_docs(cls: type) -> dict[str, str]:
    """Descriptions of the ``Attributes:`` section of a Google-style class docstring, merged
    along the class's bases (a subclass's description wins); RST double backquotes dropped."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        docs.update(_parse_attributes(klass.__doc__ or ""))
    return docs


def _parse_attributes(docstring: str) -> dict[str, str]:
    docs: dict[str, str] = {}
    in_section = False
    indent: int | None = None
    current: str | None = None
    for line in docstring.expandtabs().splitlines():
        stripped = line.strip()
        if stripped == "Attributes:":
            in_section, indent, current = True, None, None
            continue
        if not in_section:
            continue
        if not stripped:
            current = None
            continue
        match = _ATTRIBUTE.match(line)
        depth = len(line) - len(line.lstrip())
        if match and (indent is None or depth == indent):
            indent = depth
            current = match.group(2)
            docs[current] = match.group(3).strip()
        elif current is not None and indent is not None and depth > indent:
            docs[current] = f"{docs[current]} {stripped}"
        else:
            in_section = False
    return {name: text.replace("``", "`") for name, text in docs.items()}


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    minimum = maximum = None
    for meta in info.metadata:
        if getattr(meta, "ge", None) is not None:
            minimum = meta.ge
        if getattr(meta, "gt", None) is not None:
            minimum = meta.gt
        if getattr(meta, "le", None) is not None:
            maximum = meta.le
        if getattr(meta, "lt", None) is not None:
            maximum = meta.lt
    return minimum, maximum


def _field(name: str, info: FieldInfo, help_text: str) -> OptionField | None:
    annotation = info.annotation
    default = info.get_default(call_default_factory=True)
    if annotation is bool:
        return OptionField(name, "bool", bool(default), help_text)
    if typing.get_origin(annotation) is Literal:
        choices = typing.get_args(annotation)
        return OptionField(name, "choice", default, help_text, choices=choices)
    if annotation in (int, float) and default is not None:
        minimum, maximum = _bounds(info)
        kind: OptionKind = "int" if annotation is int else "float"
        return OptionField(name, kind, default, help_text, minimum=minimum, maximum=maximum)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return None  # optional paths, counts that default to "the library's choice" ...
    return None


def option_fields(
    options_class: type[EngineOptions], names: Iterable[str] | None = None
) -> list[OptionField]:
    """Form descriptions of the simple fields of ``options_class``.

    Booleans, ``Literal`` choices and ``int``/``float`` fields with a default are described;
    paths, mappings, optional values and the fields common to every engine
    (:data:`COMMON_FIELDS`) are left out (they keep their defaults).

    Args:
        options_class: An engine's options class.
        names: Describe only these fields, in this order (unknown or unsupported names are
            skipped); ``None``: every simple field in declaration order.
    """
    docs = attribute_docs(options_class)
    fields = options_class.model_fields
    wanted = [n for n in fields if n not in COMMON_FIELDS] if names is None else list(names)
    described = []
    for name in wanted:
        info = fields.get(name)
        if info is None or name in COMMON_FIELDS:
            continue
        described_field = _field(name, info, docs.get(name, ""))
        if described_field is not None:
            described.append(described_field)
    return described


def main_option_fields(engine: str) -> list[OptionField]:
    """The options the app shows for ``engine`` (its class's ``main_options``).

    Raises:
        UnknownEngineError: no such engine.
    """
    cls = get_engine_class(engine)
    return option_fields(cls.options_class, cls.main_options)


def dropout_choices(engine: str) -> tuple[str, ...]:
    """The ink colours ``engine`` can be told to drop (engine option ``dropout``), ``none``
    first; empty for an engine that reads no pixels (``pdf-text``)."""
    cls = get_engine_class(engine)
    if not cls.reads_images:
        return ()
    return tuple(get_args(Dropout))


def language_choices(engine: str) -> tuple[list[str], list[str]]:
    """(choices, defaults) for an engine's languages: what it reads here plus its defaults.

    Engines that read no language (``pdf-text``) get two empty lists.
    """
    cls = get_engine_class(engine)
    readable = cls.languages()
    if not readable:
        return [], []
    defaults = list(cls.options_class.model_fields["languages"].get_default() or ())
    return sorted(set(readable) | set(defaults)), defaults


# --- comparing a result with a reference --------------------------------------------------------


@dataclass(frozen=True)
class TextComparison:
    """A recognised text against its reference.

    Attributes:
        exact: CER/WER counts after the ``exact`` normalisation (case and accents count).
        folded: The same after ``folded`` (case, accents, quotes, dashes folded).
        spans: Character diff of the ``exact``-normalised texts; its edits add up to
            ``exact.char_edits``.
        counts: Hits, substitutions, deletions and insertions of the diff.
    """

    exact: TextScore
    folded: TextScore
    spans: list[DiffSpan] = field(default_factory=list)
    counts: DiffCounts = field(default_factory=DiffCounts)


def compare_text(reference: str, hypothesis: str) -> TextComparison:
    """CER/WER (exact and folded) and the character diff of ``hypothesis`` against
    ``reference``, both taken as whole texts (pages joined)."""
    spans = char_diff(reference, hypothesis, "exact")
    return TextComparison(
        exact=score_text(reference, hypothesis, "exact"),
        folded=score_text(reference, hypothesis, "folded"),
        spans=spans,
        counts=diff_counts(spans),
    )


@dataclass(frozen=True)
class DocumentStats:
    """What a panel shows about a recognised document.

    Attributes:
        pages: Number of pages.
        words: Number of words.
        lines: Number of lines.
        mean_confidence: Mean word confidence, ``None`` when the engine gives none.
        seconds: Engine seconds over every page (from the pages' provenance).
        engine_version: Version of the engine that read the first page.
    """

    pages: int
    words: int
    lines: int
    mean_confidence: float | None
    seconds: float
    engine_version: str | None

    @property
    def seconds_per_page(self) -> float | None:
        return self.seconds / self.pages if self.pages else None


def document_stats(document: Document) -> DocumentStats:
    """Counts, mean confidence and engine time of a recognised document."""
    words = [w for page in document.pages for w in page.words()]
    confidences = [w.confidence for w in words if w.confidence is not None]
    provenances = [p.provenance for p in document.pages if p.provenance is not None]
    return DocumentStats(
        pages=len(document.pages),
        words=len(words),
        lines=sum(1 for page in document.pages for _ in page.lines()),
        mean_confidence=sum(confidences) / len(confidences) if confidences else None,
        seconds=sum(p.seconds for p in provenances),
        engine_version=provenances[0].engine_version if provenances else None,
    )


# --- running engines on documents ---------------------------------------------------------------


@dataclass
class EngineRun:
    """The outcome of one engine on one document: its pages, or the error that stopped it.

    Attributes:
        engine: Engine name.
        options: JSON of the validated options it ran with.
        document: The recognised document (every page), ``None`` after an error.
        error: What went wrong (names the file or engine and the fix), ``None`` on success.
    """

    engine: str
    options: str = "{}"
    document: Document | None = None
    error: str | None = None
    #: What the user should be told about the document (its text layer was used...).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.document is not None


def prepare_engines(
    selection: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, str], dict[str, str]]:
    """Validate each selected engine's options and check that it can run with them.

    Args:
        selection: Engine name -> options as given by a form.

    Returns:
        ``(ready, refused)``: engine name -> JSON of its validated options (a stable cache key),
        and engine name -> why it cannot run (invalid option, missing model or language, with
        the install command when there is one).
    """
    ready: dict[str, str] = {}
    refused: dict[str, str] = {}
    for name, options in selection.items():
        try:
            engine = get_engine_class(name)(dict(options))
            status = engine.check()
        except OcrxtractError as exc:
            refused[name] = str(exc)
            continue
        if not status.available:
            message = f"engine {name!r} cannot run with these options: {status.reason}"
            if status.install:
                message += f"; install: {status.install}"
            refused[name] = message
            continue
        ready[name] = engine.options.model_dump_json()
    return ready, refused


ProgressCallback = Callable[[int, int, str], None]


def run_comparison(
    documents: Sequence[AppDocument],
    engines: Mapping[str, str],
    *,
    force_ocr: bool = False,
    on_progress: ProgressCallback | None = None,
) -> dict[str, dict[str, EngineRun]]:
    """Recognise every page of every document with every engine; failures are recorded.

    Each page is rendered once and read by every engine (:func:`ocrxtract.pipeline.run`;
    engines are built once per process and reused). An engine that fails on a page stops on
    that document (its error is kept, the other engines carry on); a document that cannot be
    read fails for every engine.

    Args:
        documents: The documents.
        engines: Engine name -> validated options JSON (from :func:`prepare_engines`).
        force_ocr: OCR PDF pages that have a text layer too (off: such pages are read from
            it, exactly; a PDF read entirely so gives one ``pdf-text`` run, with a note).
        on_progress: Called with (pages done, pages in all, what is next).

    Returns:
        Document key -> engine name (``pdf-text`` for a text-layer PDF) -> :class:`EngineRun`.
    """
    counts: dict[str, int] = {}
    for document in documents:
        try:
            counts[document.key] = document.page_count()
        except OcrxtractError:
            counts[document.key] = 0  # its error is reported by the run
    total = sum(counts.values())
    steps = Steps(
        tuple(EngineStep(name, json.loads(options)) for name, options in engines.items()),
        force_ocr=force_ocr,
    )
    done = 0
    results: dict[str, dict[str, EngineRun]] = {}
    for document in documents:
        count, before = counts[document.key], done
        if on_progress is not None:
            on_progress(done, total, f"{document.name}: page 1/{max(count, 1)}")

        def advance(page: PageImage, name: str = document.name, count: int = count) -> None:
            nonlocal done
            done += 1
            if on_progress is not None:
                on_progress(done, total, f"{name}: page {page.index + 1}/{count} read")

        (item,) = run([document.as_input()], steps, on_page=advance)
        runs = results.setdefault(document.key, {})
        for name, outcome in item.outcomes.items():
            options = engines.get(name, "{}")
            if outcome.ok and outcome.document is not None:
                read = document.to_document(outcome.document.pages, outcome.step.name)
                runs[name] = EngineRun(name, options, read, notes=item.notes)
            else:
                runs[name] = EngineRun(name, options, error=str(outcome.error or item.error))
        done = before + count
    if on_progress is not None:
        on_progress(done, total, "done")
    return results
