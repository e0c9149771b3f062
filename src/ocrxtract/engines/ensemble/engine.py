"""The ``ensemble`` engine: several engines read the page, their words are voted on.

A normal engine (benchmarkable, usable in the CLI and the app): ``ocrxtract ocr page.png -e
ensemble`` runs RapidOCR then Tesseract on the page and keeps, word by word, what the vote
decides (:mod:`.vote`), with calibrated confidences (:mod:`.calibration`). The first member
gives the lines; on ground-truth line crops (the benchmark's line CER) it reads alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from ocrxtract.document import BBox, Page, Word
from ocrxtract.engines.base import Availability, EngineOptions, OcrEngine, files_fingerprint
from ocrxtract.engines.ensemble.calibration import (
    DEFAULT_CALIBRATION,
    Calibration,
    load_calibration,
    word_class,
)
from ocrxtract.engines.ensemble.vote import VoteCounts, vote_page
from ocrxtract.errors import InvalidOptionsError, MissingDependencyError
from ocrxtract.fr.lexicon import Lexicon, french_lexicon
from ocrxtract.io import PageImage

#: The members by default: the most accurate printed-text engine first (it gives the lines),
#: then the one that errs most differently.
DEFAULT_MEMBERS = ("rapidocr", "tesseract")

#: With ``add_lines``: the mean chance of being right a line only other members read needs.
ADDED_LINE_CHANCE = 0.9


class EnsembleOptions(EngineOptions):
    """Options of the ``ensemble`` engine.

    Attributes:
        members: The engines that read the page (``NAME`` or ``NAME:PRESET``), at least two;
            the first gives the lines, the others vote on their words. A comma-separated
            string is accepted (``-O members=rapidocr,tesseract``).
        member_options: Options per member, by its name as in ``members``
            (``{"tesseract": {"psm": 6}}``); the ensemble's ``languages`` and ``threads`` are
            passed to every member that does not set them.
        removal_weight: Weight of "no word here" from a member that read nothing where the
            first member read a word: a word of the first member whose calibrated chance of
            being right is below it is removed (stray marks another engine did not see).
        insertion_weight: Weight of "no word here" from the first member, where another read
            a word: such a word is added when its chance of being right is above it.
        add_lines: Add the lines another member read where the first read nothing, when their
            mean chance of being right is at least 0.9.
        calibration: A calibration table (JSON) fitted by ``benchmarks/ensemble_calibration.py``;
            default: the one shipped with ocrxtract.
        threads: Threads per member (``-1``: each member's own default).
    """

    members: tuple[str, ...] = Field(default=DEFAULT_MEMBERS, min_length=2)
    member_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    removal_weight: float = Field(default=0.5, ge=0.0, le=2.0)
    insertion_weight: float = Field(default=1.0, ge=0.0, le=2.0)
    add_lines: bool = False
    calibration: Path | None = None
    threads: int = Field(default=-1, ge=-1, le=256)

    @field_validator("members", mode="before")
    @classmethod
    def _split_members(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @field_validator("members")
    @classmethod
    def _no_nesting(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(name.partition(":")[0] == "ensemble" for name in value):
            raise ValueError("an ensemble cannot be a member of an ensemble")
        return value


class EnsembleEngine(OcrEngine):
    """Several engines vote on each word of the page (ROVER-style, calibrated confidences)."""

    name = "ensemble"
    description = "Vote of several engines (RapidOCR + Tesseract by default), word by word"
    options_class = EnsembleOptions
    main_options = ("removal_weight", "insertion_weight", "add_lines")
    thread_option = "threads"
    execution_options = frozenset({"threads"})
    line_recognizer = "ensemble-first-member"

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._members: list[OcrEngine] | None = None

    @classmethod
    def availability(cls) -> Availability:
        from ocrxtract.engines.registry import get_engine_class

        return _all_available((n, get_engine_class(n).availability()) for n in DEFAULT_MEMBERS)

    def check(self) -> Availability:
        return _all_available((m.name, m.check()) for m in self.members())

    @classmethod
    def version(cls) -> str:
        from ocrxtract import __version__

        return f"ocrxtract ensemble {__version__}"

    def engine_version(self) -> str:
        inner = "; ".join(f"{m.name} {m.engine_version()}" for m in self.members())
        return f"{self.version()} ({inner})"

    @classmethod
    def languages(cls) -> list[str]:
        from ocrxtract.engines.registry import get_engine_class

        return get_engine_class(DEFAULT_MEMBERS[0]).languages()

    def _options(self) -> EnsembleOptions:
        assert isinstance(self.options, EnsembleOptions)
        return self.options

    def members(self) -> list[OcrEngine]:
        """The member engines, built once.

        Raises:
            InvalidOptionsError: a member's name or options are not valid.
        """
        if self._members is None:
            from ocrxtract.engines.registry import create_engine, get_engine_class

            options = self._options()
            unknown = set(options.member_options) - set(options.members)
            if unknown:
                raise InvalidOptionsError(
                    f"member_options names {', '.join(sorted(unknown))}, not among the "
                    f"ensemble's members ({', '.join(options.members)})"
                )
            built = []
            for name in options.members:
                cls = get_engine_class(name.partition(":")[0])
                own = dict(options.member_options.get(name, {}))
                own.setdefault("languages", list(options.languages))
                if cls.thread_option and options.threads != -1:
                    own.setdefault(cls.thread_option, options.threads)
                built.append(create_engine(name, own))
            self._members = built
        return self._members

    def calibration(self) -> Calibration:
        return load_calibration(self._options().calibration or DEFAULT_CALIBRATION)

    def model_fingerprint(self) -> str:
        path = self._options().calibration or DEFAULT_CALIBRATION
        parts = [files_fingerprint([path]), *(m.model_fingerprint() for m in self.members())]
        return "-".join(parts)

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        options = self._options()
        lexicon = french_lexicon_or_none()
        readings = [member.recognize(page) for member in self.members()]
        voted, counts = vote_readings(readings, options, self.calibration(), lexicon)
        notes = [counts.note(list(options.members))]
        for name, reading in zip(options.members, readings, strict=True):
            if reading.provenance:
                notes.extend(f"{name}: {note}" for note in reading.provenance.notes)
        if lexicon is None:
            notes.append("no French word list (wfrench): words calibrated without it")
        return voted, notes

    def recognize_lines(self, page: PageImage, boxes: Sequence[BBox]) -> list[str]:
        """The first member's reading of each line crop (no vote on crops)."""
        return self.members()[0].recognize_lines(page, boxes)

    def close(self) -> None:
        for member in self._members or []:
            member.close()
        self._members = None


def _all_available(found: Iterable[tuple[str, Availability]]) -> Availability:
    """Available when every member is; else the first member that is not, and why."""
    for name, availability in found:
        if not availability.available:
            return Availability(
                available=False,
                reason=f"member {name}: {availability.reason}",
                install=availability.install,
            )
    return Availability(available=True)


def french_lexicon_or_none() -> Lexicon | None:
    """The French word list, ``None`` when it is not installed (words are then calibrated
    without it)."""
    try:
        return french_lexicon()
    except MissingDependencyError:
        return None


def vote_readings(
    readings: Sequence[Page],
    options: EnsembleOptions,
    calibration: Calibration,
    lexicon: Lexicon | None,
) -> tuple[Page, VoteCounts]:
    """The vote of the members' ``readings`` of one page (in the order of
    ``options.members``), weighted by ``calibration``, with ``options``' weights."""
    engines = [name.partition(":")[0] for name in options.members]

    def probability(member: int, word: Word, situation: str) -> float:
        kind = word_class(word.text, lexicon)
        return calibration.probability(engines[member], word.confidence, kind, situation)

    return vote_page(
        readings,
        probability,
        removal_weight=options.removal_weight,
        insertion_weight=options.insertion_weight,
        orphan_threshold=ADDED_LINE_CHANCE if options.add_lines else None,
    )
