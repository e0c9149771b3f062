"""Key-field extraction from a recognised document: ``extract_fields``.

Two methods behind one call, each giving per field the normalised value, the text read, a
confidence, the page and word boxes, the checks and the runners-up:

* ``rules``: label anchors found fuzzily in the words, the value to their right or below under
  the field type's pattern (:func:`~.features.rule_score`); no training data.
* ``model``: the trained LightGBM classifier (:mod:`.model`), which takes the rules' score as
  one of its features. A field found by the shape of its pattern alone (``unlabelled:
  first_match``, an MRZ line) is the rules' to take. ``auto`` uses the model when one is
  found for the schema, else rules.

Either way, a TD1 MRZ is then repaired where its check digits prove it
(:func:`~.select.repair_mrz`). A schema of kind ``form`` (``funsd``) names no fields: any
form's question -> answer pairs are returned, named by their question
(:mod:`ocrxtract.extract.forms`; its entities come with the extraction).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ocrxtract.document import Document, KeyField
from ocrxtract.errors import UsageError
from ocrxtract.extract.fields.candidates import candidates, read_lines
from ocrxtract.extract.fields.detect import UNKNOWN, detect
from ocrxtract.extract.fields.features import featurize
from ocrxtract.extract.fields.model import FieldModel, load_model
from ocrxtract.extract.fields.schema import Schema, load_schema
from ocrxtract.extract.fields.select import repair_mrz, select_fields
from ocrxtract.extract.forms import FormModel, extract_form, form_fields, load_form_model

log = logging.getLogger(__name__)

METHODS = ("auto", "rules", "model")
RULES_THRESHOLD = 0.75


@dataclass
class Extraction:
    """What was extracted from one document."""

    doc_type: str
    method: str
    fields: list[KeyField]
    type_scores: dict[str, float] = field(default_factory=dict)
    #: A form's labelled phrases (``kind: form`` schemas): ``{"text", "label", "confidence",
    #: "page", "box"}`` each, in reading order.
    entities: list[dict[str, Any]] = field(default_factory=list)

    def values(self) -> dict[str, str | None]:
        """Field name -> normalised value."""
        return {f.name: f.value for f in self.fields}


def models_dirs() -> list[Path]:
    """Where trained field models are looked for: ``$OCRXTRACT_MODELS_DIR/fields``, then the
    repository's ``models/fields``."""
    found = []
    if os.environ.get("OCRXTRACT_MODELS_DIR"):
        found.append(Path(os.environ["OCRXTRACT_MODELS_DIR"]) / "fields")
    found.append(Path(__file__).resolve().parents[4] / "models" / "fields")
    return found


#: How each kind of schema's model is loaded, and the command that trains one.
_MODEL_KINDS: dict[str, tuple[Callable[[str | Path], Any], str]] = {
    "fields": (load_model, "ocrxtract train fields --schema {schema}"),
    "form": (load_form_model, "ocrxtract train fields --schema {schema} --dataset FOLDER"),
}


def shipped_model(schema: str, kind: str = "fields") -> Any:
    """The trained model of ``schema`` if one is installed (``None`` otherwise): a
    :class:`FieldModel`, or a :class:`FormModel` for ``kind="form"`` (none ships for ``funsd``:
    FUNSD's licence forbids it). Loaded once per process and file version: the files' times are
    looked at on each call, so a retrained model is read again."""
    for folder in models_dirs():
        path = folder / f"{schema}.lgb.txt"
        if path.is_file():
            card = folder / f"{schema}.json"
            stamps = tuple(f.stat().st_mtime_ns if f.is_file() else 0 for f in (path, card))
            return _loaded(str(folder / schema), stamps, kind)
    return None


@lru_cache(maxsize=32)
def _loaded(stem: str, stamps: tuple[int, ...], kind: str) -> Any:
    """The model loader of ``kind``, cached by path and file times (``stamps``)."""
    return _MODEL_KINDS[kind][0](stem)


def _trained_model(spec: Schema, method: str, given: Any) -> Any:
    """The model to use: ``given`` (a model or its path), else the installed one unless
    ``method`` is ``rules``; ``None``: rules.

    Raises:
        UsageError: ``method`` is ``model`` and no model is installed.
    """
    load, command = _MODEL_KINDS[spec.kind]
    trained = load(given) if isinstance(given, str | Path) else given
    if trained is None and method != "rules":
        trained = shipped_model(spec.name, spec.kind)
        if trained is None and method == "model":
            raise UsageError(
                f"no trained {spec.kind} model for schema {spec.name!r}; train one with "
                f"`{command.format(schema=spec.name)}` or use --method rules"
            )
    return trained


def _form_extraction(
    document: Document, spec: Schema, trained: FormModel | None, scores: dict[str, float]
) -> Extraction:
    found = extract_form(document, trained)
    entities = [
        {"text": e.text, "label": e.label, "confidence": e.confidence, "page": e.page,
         "box": [round(v) for v in e.box]}
        for e in found.entities
    ]  # fmt: skip
    return Extraction(spec.name, found.method, form_fields(found), scores, entities)


def document_text(document: Document) -> str:
    """The document's text, line by line."""
    return "\n".join(line.text for page in document.pages for line in page.lines())


def extract_fields(
    document: Document,
    schema: str | Schema = "auto",
    method: str = "auto",
    model: FieldModel | FormModel | str | Path | None = None,
) -> Extraction:
    """Extract the key fields of ``schema`` from ``document`` (an engine's reading).

    Args:
        document: Recognised pages (words with boxes).
        schema: A schema name, a schema, or ``auto`` (detect the type; ``unknown`` gives none).
        method: ``rules``, ``model`` or ``auto`` (the model when there is one).
        model: A trained model (or its path) to use instead of the installed one (a form
            labeller for a ``kind: form`` schema).

    Raises:
        UsageError: unknown schema or method, or ``model`` asked for with no model.
    """
    if method not in METHODS:
        raise UsageError(f"unknown extraction method {method!r}; known: {', '.join(METHODS)}")
    scores: dict[str, float] = {}
    if isinstance(schema, str) and schema == "auto":
        detection = detect(document_text(document))
        scores = detection.scores
        if detection.doc_type == UNKNOWN:
            return Extraction(UNKNOWN, method, [], scores)
        schema = detection.doc_type
    spec = load_schema(schema) if isinstance(schema, str) else schema
    if isinstance(model, FieldModel | FormModel) and (spec.kind == "form") != isinstance(
        model, FormModel
    ):
        raise UsageError(
            f"schema {spec.name!r} is of kind {spec.kind!r}: give it a {spec.kind} model"
        )
    trained = _trained_model(spec, method, model)
    if spec.kind == "form":
        return _form_extraction(document, spec, trained, scores)
    page_lines = read_lines(document)
    rows = featurize(page_lines, candidates(page_lines, spec), spec)
    if trained is not None:
        probabilities = trained.predict([r[2] for r in rows])
        # A field found by the shape of its pattern alone (an MRZ line) is the rules' to take.
        scored = [
            (name, c, max(p, f[-1]) if spec.fields[name].unlabelled == "first_match" else p)
            for (name, c, f), p in zip(rows, probabilities, strict=True)
        ]
        chosen = select_fields(spec, scored, trained.threshold)
        used = "model"
    else:
        scored = [(name, c, features[-1]) for name, c, features in rows]
        chosen = select_fields(spec, scored, RULES_THRESHOLD)
        used = "rules"
    return Extraction(spec.name, used, repair_mrz(spec, chosen), scores)
