"""Train the fields classifier on labelled documents (words with boxes + reference values).

Every candidate of a labelled document becomes one row per field of its type, labelled 1 when
its normalised value equals the field's normalised reference value (text compared folded). The
rows of generated documents use their ground-truth words; :func:`perturb` makes them look like
an engine's reading (neighbouring segments of a row merged, characters misread), so that the
model does not learn a perfect reading.
"""

from __future__ import annotations

import logging
import platform
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ocrxtract.document import BBox, Document, Line
from ocrxtract.extract.fields.candidates import FREE_TEXT, candidates, read_lines
from ocrxtract.extract.fields.features import featurize
from ocrxtract.extract.fields.model import FieldModel, train_model
from ocrxtract.extract.fields.schema import Schema
from ocrxtract.extract.fields.scoring import reference_values
from ocrxtract.extract.fields.types import normalize
from ocrxtract.fr.text import normalize_text_field

log = logging.getLogger(__name__)


@dataclass
class Labelled:
    """A document with its reference field values."""

    document: Document
    values: dict[str, str]
    template: str = ""
    seed: int | None = None


def iter_synthetic(folder: Path, doc_types: Iterable[str]) -> Iterator[Labelled]:
    """Generated pages of ``folder`` (``truth/*.json`` or ``*.json``) of the given types."""
    from ocrxtract.datasets.synthetic import read_truth

    wanted = set(doc_types)
    files = sorted((folder / "truth").glob("*.json")) or sorted(folder.glob("*.json"))
    for path in files:
        truth = read_truth(path)
        if truth.doc_type in wanted:
            yield Labelled(
                truth.document,
                {k: v.value for k, v in truth.fields.items()},
                truth.template,
                truth.seed,
            )


def generated_documents(
    doc_types: Iterable[str], n: int, seed: int, *, advance: Callable[[], None] | None = None
) -> list[Labelled]:
    """``n`` clean generated pages of each type (seeds ``seed`` to ``seed + n - 1``, 100 dpi):
    their ground-truth words and fields (``advance`` is called after each page)."""
    from ocrxtract.datasets.synthetic import render_clean

    docs = []
    for doc_type in doc_types:
        for i in range(n):
            truth = render_clean(doc_type, seed=seed + i, dpi=100).truth
            docs.append(
                Labelled(
                    truth.document,
                    {k: v.value for k, v in truth.fields.items()},
                    truth.template,
                    truth.seed,
                )
            )
            if advance is not None:
                advance()
    return docs


_CONFUSIONS = {
    ",": ".",
    ".": ",",
    "O": "0",
    "0": "O",
    "l": "1",
    "é": "e",
    "è": "e",
    "à": "a",
    "I": "l",
}


def perturb(document: Document, rng: random.Random, rate: float = 0.02) -> Document:
    """A copy that reads like an OCR engine's: row neighbours merged, a few characters swapped."""
    doc = document.model_copy(deep=True)
    for page in doc.pages:
        for block in page.blocks:
            merged: list[Line] = []
            for line in block.lines:
                previous = merged[-1] if merged else None
                if (
                    previous is not None
                    and previous.words
                    and line.words
                    and abs(previous.bbox.y0 - line.bbox.y0) < 0.5 * (line.bbox.y1 - line.bbox.y0)
                    and 0 <= line.bbox.x0 - previous.bbox.x1 < 3 * (line.bbox.y1 - line.bbox.y0)
                    and rng.random() < 0.5
                ):
                    words = previous.words + line.words
                    merged[-1] = Line(
                        bbox=BBox.union([previous.bbox, line.bbox]),
                        words=words,
                    )
                    continue
                merged.append(line)
            block.lines = merged
            for line in block.lines:
                for word in line.words:
                    if rng.random() < rate * len(word.text):
                        chars = list(word.text)
                        i = rng.randrange(len(chars))
                        chars[i] = _CONFUSIONS.get(chars[i], chars[i])
                        word.text = "".join(chars)
    return doc


def _key(kind: str, value: str) -> str:
    return normalize_text_field(value) if kind in FREE_TEXT else value


def rows_of(schema: Schema, item: Labelled) -> tuple[list[list[float]], list[int]]:
    """Feature rows and labels of one labelled document."""
    reference = reference_values(schema, item.values)
    page_lines = read_lines(item.document)
    rows, labels = [], []
    for name, candidate, features in featurize(page_lines, candidates(page_lines, schema), schema):
        kind = schema.fields[name].type
        truth = reference.get(name)
        value = candidate.value or ""
        hit = truth is not None and _key(kind, value) == _key(kind, normalize(kind, truth) or truth)
        rows.append(features)
        labels.append(int(hit))
    return rows, labels


def train_fields(
    schema: Schema,
    documents: Iterable[Labelled],
    *,
    augment: int = 1,
    seed: int = 0,
    about: dict[str, object] | None = None,
) -> FieldModel:
    """Train the classifier of ``schema`` on labelled documents.

    Args:
        schema: The schema whose fields are learnt.
        documents: Labelled documents.
        augment: Perturbed copies of each document added to it (0: none).
        seed: Seed of the perturbations.
        about: What the model card should say about the data (name, seeds, split).
    """
    rng = random.Random(seed)
    rows: list[list[float]] = []
    labels: list[int] = []
    n = 0
    templates: set[str] = set()
    for item in documents:
        n += 1
        templates.add(item.template)
        for copy in range(1 + augment):
            doc = item.document if copy == 0 else perturb(item.document, rng)
            r, lab = rows_of(schema, Labelled(doc, item.values, item.template, item.seed))
            rows += r
            labels += lab
    if not rows:
        from ocrxtract.errors import UsageError

        raise UsageError(
            f"no candidate rows to train schema {schema.name!r}: no labelled documents"
        )
    card = {
        "schema": schema.name,
        "trained": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''} {platform.system()}".strip(),
        "documents": n,
        "templates": sorted(t for t in templates if t),
        "rows": len(rows),
        "positives": sum(labels),
        "augment": augment,
        "seed": seed,
        **(about or {}),
    }
    log.info("training %s on %d documents (%d rows)", schema.name, n, len(rows))
    return train_model(rows, labels, len(schema.fields), card)


__all__ = ["Labelled", "iter_synthetic", "perturb", "rows_of", "train_fields"]
