"""FUNSD forms: entity labelling, question -> answer linking, and key-value pairs end to end.

Three figures, each for the two labellers of :mod:`ocrxtract.extract.forms` (layout rules, no
training; a LightGBM layout classifier):

1. **Entity labelling** from ground-truth entities (their words and boxes given): each is
   labelled header, question, answer or other; micro F1 over header, question and answer (an
   entity labelled "other" is no entity, as in the B-/I-/O tagging of the published systems).
   LayoutLMv3 (base) reports 90.29 F1 after pre-training on 11 million pages and fine-tuning on
   FUNSD's 149 training forms.
2. **Linking** (question -> answer) from ground-truth entities: with their true labels (the
   linker alone), then with the labeller's; F1 over FUNSD's question -> answer links.
3. **Key-value pairs end to end** (``--ocr``): an engine's reading of the images as Documents
   (``<stem>.json``, or ``<stem>.<engine>.json`` as ``ocrxtract ocr IMAGES -f json`` writes
   them), cut into entities, labelled and linked; a pair is right when its question and
   answer texts equal a true pair's (case, spaces and a final colon ignored: FUNSD's texts put
   spaces between tokens, ``3/ 31/ 00``), or, in a second
   figure, are each at least 80 % alike (normalised Levenshtein similarity: OCR slips forgiven);
   F1 over FUNSD's question -> answer pairs.

The shared folder holds FUNSD's *test* forms only, so the model's scores are a k-fold
cross-validation split by form (``--folds``; a form's entities are all in one fold): each fold
is labelled by a model trained on the ground-truth entities of the other folds. The rules learn
nothing. FUNSD's licence is non-commercial, research and education: no model trained on it ships.

    python benchmarks/fields_funsd.py --root ../shared/datasets/funsd-test [--ocr OCR_DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from ocrxtract.document import Document
from ocrxtract.extract.forms import entities_of, extract_form
from ocrxtract.extract.forms.annotations import AnnotatedForm, read_forms
from ocrxtract.extract.forms.api import key_name
from ocrxtract.extract.forms.entities import Entity
from ocrxtract.extract.forms.labelling import (
    SCORED,
    FormModel,
    rule_labels,
    train_form_model,
)
from ocrxtract.extract.forms.linking import link_entities

#: How alike (normalised Levenshtein similarity) a pair's texts must be to count as "close".
SIMILAR = 0.8


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / max(2 * tp + fp + fn, 1)


def relabelled(
    form: AnnotatedForm, labeller: Callable[[list[Entity]], list[tuple[str, float]]]
) -> list[Entity]:
    """The form's entities with the labeller's labels (copies: the truth is kept)."""
    copies = [dataclasses.replace(e) for e in form.entities]
    for entity, (label, confidence) in zip(copies, labeller(copies), strict=True):
        entity.label, entity.confidence = label, confidence
    return copies


def labelling_counts(form: AnnotatedForm, guessed: list[Entity]) -> dict[str, list[int]]:
    counts = {label: [0, 0, 0] for label in SCORED}
    for truth, guess in zip(form.entities, guessed, strict=True):
        if guess.label == truth.label and truth.label in counts:
            counts[truth.label][0] += 1
            continue
        if guess.label in counts:
            counts[guess.label][1] += 1
        if truth.label in counts:
            counts[truth.label][2] += 1
    return counts


def _bare(text: str) -> str:
    """Text without case or spaces: FUNSD's entity texts join their words' tokens with spaces
    (``3/ 31/ 00``, ``b & w``) where the page prints none."""
    return "".join(text.split()).casefold()


def _pair_key(question: str, answer: str) -> tuple[str, str]:
    return _bare(key_name(question)), _bare(answer)


def pair_counts(
    truth: set[tuple[str, str]], found: list[tuple[str, str]], similarity: float = 1.0
) -> list[int]:
    """tp, fp, fn of found pairs against true ones; a found pair matches an unmatched true pair
    whose question and answer texts are each at least ``similarity`` alike (rapidfuzz's
    normalised Levenshtein similarity; 1.0: equal)."""
    remaining = list(truth)
    tp = 0
    for question, answer in found:
        for pair in remaining:
            if (
                Levenshtein.normalized_similarity(question, pair[0]) >= similarity
                and Levenshtein.normalized_similarity(answer, pair[1]) >= similarity
            ):
                remaining.remove(pair)
                tp += 1
                break
    return [tp, len(found) - tp, len(remaining)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--ocr",
        type=Path,
        help="Folder of <stem>.json Documents (an engine's "
        "reading of the forms' images) for the end-to-end pairs.",
    )
    args = parser.parse_args()

    forms = read_forms(args.root)
    fold_of = {f.name: zlib.crc32(f.name.encode()) % args.folds for f in forms}
    start = time.perf_counter()
    models: dict[int, FormModel] = {}
    for fold in range(args.folds):
        train = [f.entities for f in forms if fold_of[f.name] != fold]
        models[fold] = train_form_model(train, {"fold": fold})
    print(
        f"{len(forms)} forms, {sum(len(f.entities) for f in forms)} entities, "
        f"{sum(len(f.links) for f in forms)} question -> answer links; {args.folds}-fold "
        f"cross-validation by form for the model ({time.perf_counter() - start:.1f} s to "
        f"train)"
    )

    labellers: dict[str, Callable[[AnnotatedForm], Callable[[list[Entity]], list]]] = {
        "rules": lambda form: rule_labels,
        "model": lambda form: models[fold_of[form.name]].predict,
    }
    print("\n1. entity labelling, ground-truth entities (micro F1 over header/question/answer)")
    guessed_by: dict[str, dict[str, list[Entity]]] = {}
    for name, labeller_of in labellers.items():
        totals = {label: [0, 0, 0] for label in SCORED}
        guessed_by[name] = {}
        for form in forms:
            guessed = relabelled(form, labeller_of(form))
            guessed_by[name][form.name] = guessed
            for label, counts in labelling_counts(form, guessed).items():
                totals[label] = [a + b for a, b in zip(totals[label], counts, strict=True)]
        micro = f1(*(sum(c[i] for c in totals.values()) for i in range(3)))
        detail = ", ".join(f"{label} {f1(*c):.3f}" for label, c in totals.items())
        print(f"  {name:6} micro F1 {micro:.3f} ({detail})")
    print("  LayoutLMv3 base, published: 0.903")

    print("\n2. question -> answer linking, ground-truth entities (F1 over FUNSD's links)")
    for name, source in [("true labels", None), *((f"{n} labels", n) for n in labellers)]:
        counts = [0, 0, 0]
        for form in forms:
            entities = form.entities if source is None else guessed_by[source][form.name]
            found = set(link_entities(entities))
            truth = set(form.links)
            counts = [
                counts[0] + len(found & truth),
                counts[1] + len(found - truth),
                counts[2] + len(truth - found),
            ]
        print(f"  {name:12} F1 {f1(*counts):.3f} (tp {counts[0]}, fp {counts[1]}, fn {counts[2]})")

    if args.ocr is None:
        return
    print(f"\n3. key-value pairs end to end, the reading of {args.ocr} (F1 over FUNSD's pairs)")
    truth_pairs = {
        f.name: {_pair_key(f.entities[q].text, f.entities[a].text) for q, a in f.links}
        for f in forms
    }
    readings = {
        f.name: next(iter(sorted(args.ocr.glob(f"{f.name}.*json"))), args.ocr / "-") for f in forms
    }
    missing = [n for n, p in readings.items() if not p.is_file()]
    if missing:
        print(f"  {len(missing)} forms have no reading in {args.ocr} (left out): {missing[:3]}")
    documents = {
        f.name: Document.model_validate_json(readings[f.name].read_text("utf-8"))
        for f in forms
        if f.name not in missing
    }
    for name in labellers:
        exact, close, seconds = [0, 0, 0], [0, 0, 0], 0.0
        for form in forms:
            if form.name not in documents:
                continue
            model = models[fold_of[form.name]] if name == "model" else None
            tick = time.perf_counter()
            found = extract_form(documents[form.name], model)
            seconds += time.perf_counter() - tick
            pairs = [_pair_key(q, a) for q, a in found.pairs()]
            truth = truth_pairs[form.name]
            exact = [a + b for a, b in zip(exact, pair_counts(truth, pairs), strict=True)]
            close = [a + b for a, b in zip(close, pair_counts(truth, pairs, SIMILAR), strict=True)]
        print(
            f"  {name:6} F1 {f1(*exact):.3f} exact (tp {exact[0]}, fp {exact[1]}, fn {exact[2]}), "
            f"{f1(*close):.3f} with texts {SIMILAR:.0%} alike (tp {close[0]}, fp {close[1]}, "
            f"fn {close[2]}); {1000 * seconds / max(len(documents), 1):.1f} ms per form on top "
            "of OCR"
        )
    readable = total = 0
    for form_name, document in documents.items():
        texts = [line.text for p in document.pages for line in p.lines()]
        texts += [e.text for e in entities_of(document)]
        questions = {_bare(key_name(t)) for t in texts}
        answers = {_bare(t) for t in texts}
        readable += sum(q in questions and a in answers for q, a in truth_pairs[form_name])
        total += len(truth_pairs[form_name])
    print(
        f"  pairs whose question and answer are both read as one entity or line: "
        f"{readable} of {total}"
    )


if __name__ == "__main__":
    main()
