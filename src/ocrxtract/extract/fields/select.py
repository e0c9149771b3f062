"""From scored (field, candidate) pairs to key fields: the best candidate, runners-up, checks."""

from __future__ import annotations

from collections.abc import Sequence

from ocrxtract.document import Alternative, KeyField
from ocrxtract.extract.fields.candidates import Candidate
from ocrxtract.extract.fields.checks import check_value, cross_checks
from ocrxtract.extract.fields.schema import Schema
from ocrxtract.fr.identifiers import repair_mrz_td1

ALTERNATIVES = 3


def _round(x: float) -> float:
    return round(min(max(x, 0.0), 1.0), 4)


def select_fields(
    schema: Schema,
    scored: Sequence[tuple[str, Candidate, float]],
    threshold: float,
) -> list[KeyField]:
    """The best candidate of each field scoring at least ``threshold``, checked.

    A candidate (a span of words) gives at most one field: fields are filled best score first,
    and a field whose best candidate is taken falls back to its next one.
    """
    by_field: dict[str, list[tuple[float, Candidate]]] = {}
    for name, candidate, score in scored:
        by_field.setdefault(name, []).append((score, candidate))
    for options in by_field.values():
        options.sort(key=lambda item: -item[0])
    taken: set[tuple[int, int, int, int]] = set()
    chosen: dict[str, tuple[float, Candidate, list[tuple[float, Candidate]]]] = {}
    queue = sorted(
        ((options[0][0], name) for name, options in by_field.items() if options), reverse=True
    )
    for _, name in queue:
        for rank, (score, candidate) in enumerate(by_field[name]):
            if score < threshold:
                break
            span = (candidate.line, candidate.start, candidate.end, candidate.lines)
            if span in taken:
                continue
            taken.add(span)
            chosen[name] = (score, candidate, by_field[name][rank + 1 :])
            break
    values = {name: c.value for name, (_, c, _) in chosen.items()}
    crossed = cross_checks(schema, values)
    fields: list[KeyField] = []
    for name in schema.fields:
        if name not in chosen:
            continue
        score, candidate, rest = chosen[name]
        checks = {
            **check_value(schema.fields[name].check, candidate.value),
            **crossed.get(name, {}),
        }
        alternatives: list[Alternative] = []
        for other_score, other in rest:
            if len(alternatives) >= ALTERNATIVES:
                break
            if other.value == candidate.value or any(a.value == other.value for a in alternatives):
                continue
            alternatives.append(
                Alternative(value=other.value, text=other.text, confidence=_round(other_score))
            )
        fields.append(
            KeyField(
                name=name,
                value=candidate.value,
                text=candidate.text,
                page=candidate.page,
                boxes=candidate.boxes,
                confidence=_round(score),
                valid=all(checks.values()) if checks else None,
                checks=checks,
                alternatives=alternatives,
            )
        )
    return fields


def repair_mrz(schema: Schema, fields: list[KeyField]) -> list[KeyField]:
    """The fields of a schema with a TD1 MRZ (a ``mrz_td1`` check) after
    :func:`~ocrxtract.fr.identifiers.repair_mrz_td1`: a line whose misread characters its
    check digits prove is given the repaired value (its ``text`` stays as read), and the
    checks are run again on the repaired values."""
    names = next((c.fields for c in schema.checks if c.rule == "mrz_td1"), None)
    by_name = {f.name: f for f in fields}
    if names is None or any(by_name.get(n) is None or by_name[n].value is None for n in names):
        return fields
    lines = [str(by_name[n].value) for n in names]
    repaired = repair_mrz_td1(lines)
    if repaired == lines:
        return fields
    values = {f.name: f.value for f in fields}
    values.update(zip(names, repaired, strict=True))
    crossed = cross_checks(schema, values)
    out = []
    for f in fields:
        if f.name not in names:
            out.append(f)
            continue
        value = values[f.name]
        checks = {**check_value(schema.fields[f.name].check, value), **crossed.get(f.name, {})}
        valid = all(checks.values()) if checks else None
        out.append(f.model_copy(update={"value": value, "checks": checks, "valid": valid}))
    return out
