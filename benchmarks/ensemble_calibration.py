"""Fit the ensemble engine's calibration and measure the vote, cross-fitted by document.

Each member engine reads every page of the development sets once (readings kept in
``--readings``, reused on the next run). Each engine word is labelled right or wrong against
the reference line it lies on; :func:`fit_calibration` turns those labels into the table the
ensemble votes with. Figures are **cross-fitted**: the documents are dealt into ``--folds``
folds by their position in each dataset, and each fold is voted on with a calibration fitted
on the other folds only, so no page is voted on with a table that saw it. ``--write`` then fits
on every page and writes the table shipped with ocrxtract.

    .venv/bin/python benchmarks/ensemble_calibration.py --readings /tmp/ensemble-readings \\
        --write src/ocrxtract/engines/ensemble/calibration.json

Prints, per dataset: page CER (exact; folded too) of each member alone and of the vote, what
the vote changed, and the vote's own time against the members' reading time.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from ocrxtract.datasets.registry import load_dataset
from ocrxtract.document import Document, Page
from ocrxtract.engines.ensemble.calibration import Calibration, fit_calibration, word_class
from ocrxtract.engines.ensemble.engine import (
    DEFAULT_MEMBERS,
    EnsembleOptions,
    french_lexicon_or_none,
    vote_readings,
)
from ocrxtract.engines.ensemble.vote import assign_words, voted_words
from ocrxtract.engines.registry import get_engine_class, recognize_page
from ocrxtract.fr.lexicon import Lexicon
from ocrxtract.io import PageImage
from ocrxtract.layout import mark_furniture
from ocrxtract.metrics.text import score_documents
from ocrxtract.pipeline import finish_page

DATASETS = ("fr-typed-tapuscorpus", "funsd-test", "sroie", "synthetic-fr")
#: A word alone is a real (if misread) word of the page when a word of its reference line is
#: at most this far from it (normalised edit distance).
REAL_DISTANCE = 0.5


@dataclass
class Doc:
    dataset: str
    sample_id: str
    text: str
    truth: Document
    readings: list[list[Page]]  # per page, one reading per member


def _read(job: tuple[str, PageImage]) -> str:
    member, page = job
    cls = get_engine_class(member.partition(":")[0])
    options = {cls.thread_option: 1} if cls.thread_option else {}
    return recognize_page(member, options, page).model_dump_json()


def load_docs(datasets: list[str], members: list[str], folder: Path, workers: int) -> list[Doc]:
    """Every document of ``datasets`` with each member's reading of each page (read now, one
    single-threaded process per worker, when ``folder`` does not hold it yet)."""
    docs: list[Doc] = []
    missing: list[tuple[list[Page | None], int, Path, tuple[str, PageImage]]] = []
    for name in datasets:
        for sample in load_dataset(name):
            per_page: list[list[Page | None]] = []
            for k, image in enumerate(sample.iter_pages()):
                row: list[Page | None] = []
                for member in members:
                    path = folder / name / member / f"{sample.sample_id}.p{k}.json"
                    if path.is_file():
                        row.append(Page.model_validate_json(path.read_text()))
                    else:
                        missing.append((row, len(row), path, (member, image)))
                        row.append(None)
                per_page.append(row)
            docs.append(Doc(name, sample.sample_id, sample.text, sample.truth, per_page))  # type: ignore[arg-type]
    if missing:
        print(f"reading {len(missing)} page(s) with the members ...", file=sys.stderr)
        with ProcessPoolExecutor(workers) as pool:
            jobs = [job for *_, job in missing]
            for done, ((row, slot, path, _), raw) in enumerate(
                zip(missing, pool.map(_read, jobs), strict=True), 1
            ):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(raw)
                row[slot] = Page.model_validate_json(raw)
                if done % 20 == 0:
                    print(f"  {done}/{len(missing)}", file=sys.stderr)
    return docs


def observations(
    docs: list[Doc], members: list[str], lexicon: Lexicon | None
) -> Iterator[tuple[str, str, float | None, bool]]:
    """``(engine, "situation:word class", confidence, right)`` for every word the vote weighs
    (:func:`voted_words`): right when the reference line it lies on holds that word (each
    reference word counted once)."""
    for doc in docs:
        for k, readings in enumerate(doc.readings):
            if k >= len(doc.truth.pages):
                continue
            reference = list(doc.truth.pages[k].lines())
            right: dict[int, bool] = {}
            real: dict[int, bool] = {}
            for reading in readings:
                on_line, _ = assign_words(reference, list(reading.words()))
                for line, words in zip(reference, on_line, strict=True):
                    left = collections.Counter(w.text for w in line.words)
                    for word in words:
                        right[id(word)] = left[word.text] > 0
                        left[word.text] -= right[id(word)]
                        real[id(word)] = any(
                            Levenshtein.normalized_distance(word.text, w.text) <= REAL_DISTANCE
                            for w in line.words
                        )
            for member, word, situation in voted_words(readings):
                engine = members[member].partition(":")[0]
                kind = f"{situation}:{word_class(word.text, lexicon)}"
                # alone, the question is whether to keep the word at all: is it a misread word
                # of the page (kept, it costs a few characters) or a stray mark (kept, it costs
                # all of them)? Elsewhere, which reading is right.
                label = real if situation == "alone" else right
                yield engine, kind, word.confidence, label.get(id(word), False)


def _finished(pages: list[Page]) -> Document:
    return Document(pages=mark_furniture([finish_page(p) for p in pages]))


def evaluate(
    docs: list[Doc],
    members: list[str],
    calibration: Calibration,
    lexicon: Lexicon | None,
    options: EnsembleOptions,
    totals: dict[str, collections.Counter[str]],
) -> None:
    """Vote on each page of ``docs`` and add the edit counts to ``totals`` (per dataset)."""
    for doc in docs:
        tally = totals[doc.dataset]
        voted_pages = []
        for readings in doc.readings:
            start = time.perf_counter()
            voted, counts = vote_readings(readings, options, calibration, lexicon)
            tally["vote_seconds"] += time.perf_counter() - start
            tally["members_seconds"] += sum(
                r.provenance.seconds for r in readings if r.provenance is not None
            )
            tally["pages"] += 1
            for key in ("words_replaced", "words_removed", "words_inserted", "lines_added"):
                tally[key] += getattr(counts, key)
            voted_pages.append(voted)
        if not doc.text.strip():
            continue
        candidates = {m: [r[i] for r in doc.readings] for i, m in enumerate(members)}
        candidates["ensemble"] = voted_pages
        for name, pages in candidates.items():
            document = _finished(pages)
            for norm in ("exact", "folded"):
                score = score_documents(doc.text, document, norm).text
                tally[f"{name}:{norm}:edits"] += score.char_edits
                tally[f"{name}:{norm}:ref"] += score.char_reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--members", default=",".join(DEFAULT_MEMBERS))
    parser.add_argument("--readings", type=Path, required=True, help="folder of member readings")
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--removal-weight", type=float, default=None)
    parser.add_argument("--write", type=Path, default=None, help="write the table fitted on all")
    args = parser.parse_args()
    members = args.members.split(",")
    datasets = args.datasets.split(",")
    options = EnsembleOptions(members=tuple(members))
    if args.removal_weight is not None:
        options = options.model_copy(update={"removal_weight": args.removal_weight})
    lexicon = french_lexicon_or_none()
    docs = load_docs(datasets, members, args.readings, args.workers)
    position = collections.Counter[str]()
    fold_of = []
    for doc in docs:
        fold_of.append(position[doc.dataset] % args.folds)
        position[doc.dataset] += 1
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for fold in range(args.folds):
        fit_on = [d for d, f in zip(docs, fold_of, strict=True) if f != fold]
        vote_on = [d for d, f in zip(docs, fold_of, strict=True) if f == fold]
        calibration = fit_calibration(observations(fit_on, members, lexicon))
        evaluate(vote_on, members, calibration, lexicon, options, totals)
    names = [*members, "ensemble"]
    print(
        f"Page CER, {args.folds}-fold cross-fitted by document (exact / folded), "
        f"removal weight {options.removal_weight}:\n"
    )
    print(
        "| dataset | pages | " + " | ".join(names) + " | words replaced / removed | "
        "vote s/page (members) |"
    )
    print("|---|---:|" + "---:|" * len(names) + "---:|---:|")
    for dataset in datasets:
        tally = totals[dataset]
        cells = []
        for name in names:
            rates = []
            for norm in ("exact", "folded"):
                ref = tally[f"{name}:{norm}:ref"]
                rates.append(f"{100 * tally[f'{name}:{norm}:edits'] / ref:.2f} %" if ref else "—")
            cells.append(" / ".join(rates))
        pages = tally["pages"]
        print(
            f"| {dataset} | {pages} | "
            + " | ".join(cells)
            + f" | {tally['words_replaced']} / {tally['words_removed']} | "
            f"{tally['vote_seconds'] / pages:.3f} ({tally['members_seconds'] / pages:.2f}) |"
        )
    if args.write is not None:
        calibration = fit_calibration(
            observations(docs, members, lexicon),
            source=(
                f"fitted on {len(docs)} documents of {', '.join(datasets)} "
                f"(members {', '.join(members)}; word list: {'wfrench' if lexicon else 'none'}) "
                f"by benchmarks/ensemble_calibration.py on {time.strftime('%Y-%m-%d')}"
            ),
        )
        calibration.save(args.write)
        print(f"\nwrote {args.write}")


if __name__ == "__main__":
    main()
