"""Scoring extracted fields against a reference, both sides normalised by the schema's types.

Exact match after normalisation (amounts by value, dates and periods in ISO, identifiers
without spaces, text folded: case, accents, quotes, whitespace), counted as in
:func:`ocrxtract.metrics.fields.score_fields`: a wrong value is one false positive and one
false negative. Only the schema's fields are scored.
"""

from __future__ import annotations

from collections.abc import Mapping

from ocrxtract.extract.fields.schema import Schema
from ocrxtract.extract.fields.types import normalize
from ocrxtract.metrics.fields import FieldScores, score_fields


def reference_values(schema: Schema, reference: Mapping[str, str | None]) -> dict[str, str]:
    """The schema's fields of ``reference`` (or of a prediction), normalised (raw text when not
    of the type); blank values left out."""
    values: dict[str, str] = {}
    for name, spec in schema.fields.items():
        raw = reference.get(name)
        for alias in spec.aliases:
            if raw is None or not str(raw).strip():
                raw = reference.get(alias)
        if raw is None or not str(raw).strip():
            continue
        values[name] = normalize(spec.type, str(raw)) or str(raw)
    return values


def score_extraction(
    schema: Schema,
    reference: Mapping[str, str | None],
    prediction: Mapping[str, str | None],
    *,
    complete: bool = True,
) -> FieldScores:
    """Field counts of one document's extraction against its reference.

    Args:
        complete: The reference holds every field the document has (generated truth, a
            hand-made sidecar): a predicted field it lacks is a false positive. ``False`` (an
            e-invoice's XML, which may leave printed fields out): only the reference's fields
            are scored.
    """
    ref = reference_values(schema, reference)
    # The extractor's values are normalised already; a prediction from elsewhere (a hand
    # correction, another tool) is put through the same normalisers.
    hyp = reference_values(schema, prediction)
    if not complete:
        hyp = {name: value for name, value in hyp.items() if name in ref}
    return score_fields(ref, hyp, default_type="text")
