"""Features of (field, candidate) pairs: label anchors around the candidate, position, shape.

The same features feed the layout rules (:func:`rule_score`, a hand-set score over them) and the
trained classifier (:mod:`.model`, which also gets the rules' score: rules as features).
Labels are matched fuzzily (OCR misspells them): rapidfuzz ratios on case- and accent-folded
text, 0-100. A label is looked for on the candidate's row and just above it, whatever the
engine's reading order. A field the page prints no label for gets the rule's score on the
candidate its schema's ``unlabelled`` picks (:func:`unlabelled_pick`). A piece of a label and
the document's title are never free-text candidates.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ocrxtract.document import BBox
from ocrxtract.extract.fields.candidates import (
    FREE_TEXT,
    Candidate,
    PageLines,
    TextLine,
    type_key,
)
from ocrxtract.extract.fields.checks import check_value
from ocrxtract.extract.fields.schema import Schema
from ocrxtract.fr.companies import LEGAL_FORM, legal_form_pattern
from ocrxtract.fr.text import casefold, strip_accents

ORIGINS = {"line": 0, "after_colon": 1, "match": 2, "join": 3, "before_form": 4}
#: The rule's score of the pick of a field the page prints no label for (a schema's
#: ``unlabelled``: :func:`unlabelled_pick`): below a label just left of the value, above the
#: rules' threshold.
UNLABELLED_SCORE = 0.8

FEATURE_NAMES = (
    "field",
    "left_tail",
    "left_partial",
    "above_ratio",
    "above_partial",
    "above_head",
    "above_head_other",
    "left_other",
    "above_other",
    "self_label",
    "left_gap",
    "above_gap",
    "has_left",
    "has_above",
    "cx",
    "cy",
    "x0",
    "y0",
    "width",
    "chars",
    "words",
    "digits",
    "upper",
    "alpha",
    "origin",
    "lines",
    "index_in_line",
    "count_in_line",
    "order_top",
    "order_bottom",
    "count",
    "value_rank",
    "check_ok",
    "line_pos",
    "confidence",
    "rule",
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case, accents and punctuation around folded away for label matching."""
    return " ".join(strip_accents(casefold(text)).replace(":", " ").split())


@lru_cache(maxsize=262144)
def _tail(label: str, text: str) -> float:
    """How well ``text`` ends with ``label`` (the label just before the value)."""
    if not text or not label:
        return 0.0
    return float(fuzz.ratio(label, text[-(len(label) + 1) :].strip()))


@lru_cache(maxsize=262144)
def _head(label: str, text: str) -> float:
    """How well ``text`` starts with ``label`` (a caption above the value, aligned with it)."""
    if not text or not label:
        return 0.0
    return float(fuzz.ratio(label, text[: len(label) + 1].strip()))


@lru_cache(maxsize=262144)
def _ratio(label: str, text: str) -> float:
    return float(fuzz.ratio(label, text)) if text and label else 0.0


@lru_cache(maxsize=262144)
def _partial(label: str, text: str) -> float:
    if not text or not label or len(text) < 2:
        return 0.0
    return float(fuzz.partial_ratio(label, text))


@dataclass
class Context:
    """What surrounds a candidate."""

    left: str
    above: str
    above_local: str
    left_gap: float
    above_gap: float
    has_left: bool
    has_above: bool


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return min(a1, b1) - max(a0, b0)


def _is_above(b: BBox, bottom: float, box: BBox, box_y: float, height: float) -> bool:
    """Whether a line (box ``b``, deskewed bottom ``bottom``) lies just above ``box``."""
    top = box_y - (box.y1 - box.y0) / 2
    if not (bottom <= top + 0.4 * height and top - bottom < 3.5 * height):
        return False
    return _overlap(b.x0, b.x1, box.x0, box.x1) > 0 or abs(b.x0 - box.x0) < 2 * height


def context(page_lines: PageLines, candidate: Candidate) -> Context:
    """The text to the left of the candidate on its row, and the line just above it."""
    lines = page_lines.lines
    height = page_lines.line_height
    line = lines[candidate.line]
    prefix = line.text[: candidate.start] if candidate.origin in {"match", "after_colon"} else ""
    box = candidate.box
    left: TextLine | None = None
    above: TextLine | None = None
    line_y = page_lines.row_y(line.page, line.box)
    box_y = page_lines.row_y(line.page, box)
    for other in page_lines.near_rows(line.page, box_y - 5 * height, box_y + 2 * height):
        if other.index == line.index:
            continue
        b = other.box
        other_y = page_lines.row_y(other.page, b)
        half = (min(b.y1 - b.y0, line.box.y1 - line.box.y0)) * 0.6
        bottom = other_y + (b.y1 - b.y0) / 2
        if abs(other_y - line_y) < half and b.x1 <= box.x0 + 0.5 * height:
            if left is None or b.x1 > left.box.x1:
                left = other
        elif _is_above(b, bottom, box, box_y, height):
            above_bottom = (
                page_lines.row_y(above.page, above.box) + (above.box.y1 - above.box.y0) / 2
                if above is not None
                else None
            )
            if (
                above is None
                or above_bottom is None
                or bottom > above_bottom
                or (b.y1 == above.box.y1 and abs(b.x0 - box.x0) < abs(above.box.x0 - box.x0))
            ):
                above = other
    left_text = fold(((left.text + " ") if left else "") + prefix)
    local = ""
    if above is not None:
        nearest = min(range(len(above.words)), key=lambda i: abs(above.words[i][2].x0 - box.x0))
        local = above.text[above.words[nearest][0] :]
    return Context(
        left=left_text,
        above=fold(above.text) if above else "",
        above_local=fold(local),
        left_gap=(box.x0 - left.box.x1) / height if left else -1.0,
        above_gap=(box_y - page_lines.row_y(above.page, above.box)) / height if above else -1.0,
        has_left=bool(left_text),
        has_above=above is not None,
    )


@lru_cache(maxsize=262144)
def _best(labels: tuple[str, ...], text: str, how: str) -> float:
    """The best match of any of ``labels`` (folded) in ``text`` (folded)."""
    if not text or not labels:
        return 0.0
    function = {"tail": _tail, "ratio": _ratio, "partial": _partial, "head": _head}[how]
    return max(function(label, text) for label in labels)


def _shape(text: str) -> tuple[float, float, float]:
    n = max(len(text), 1)
    letters = [c for c in text if c.isalpha()]
    digits = sum(c.isdigit() for c in text) / n
    upper = sum(c.isupper() for c in letters) / max(len(letters), 1)
    return digits, upper, len(letters) / n


def rule_score(
    spec_labels: tuple[str, ...], left_tail: float, above_ratio: float, above_head: float
) -> float:
    """The layout rule: a label just left of the value, or a label line (or the caption
    aligned with the value) just above it. 0-1."""
    if not spec_labels:
        return 0.0
    left = left_tail / 100 if left_tail >= 75 else 0.0
    best_above = max(above_ratio, above_head)
    above = 0.9 * best_above / 100 if best_above >= 80 else 0.0
    return max(left, above)


CIVILITY = re.compile(r"^(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle)\s+\w")


def is_label_piece(labels: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` is a label or a piece of one (``g authority`` of ``issuing
    authority``, the rest of a label an engine cut): never a free-text value."""
    folded = fold(text)
    return bool(folded) and any(
        len(folded) <= len(label) and _partial(folded, label) >= 95 for label in labels
    )


def is_title(page_lines: PageLines, candidate: Candidate, keywords: tuple[str, ...]) -> bool:
    """Whether ``candidate`` is the document's title: a whole line in the top quarter of the
    first page that is one of its type's keywords (``QUITTANCE DE LOYER``), never a party's
    name. Lower down, a keyword may be a value (``Carte bancaire`` paid a receipt)."""
    if candidate.page != 0 or candidate.origin != "line" or not keywords:
        return False
    height = page_lines.sizes.get(0, (1, 1))[1] or 1
    if page_lines.row_y(0, candidate.box) > 0.25 * height:
        return False
    return _best(keywords, fold(candidate.text), "ratio") >= 90


#: How many rows at the top of a page a company name with its legal form is looked for in.
HEADING_ROWS = 4
#: What may follow a legal form at the end of a company's line: punctuation, or its
#: registration number (``(126926-H)``).
_AFTER_FORM = re.compile(r"[\s.,]*(?:\(?[A-Z]{0,3}\d{5,}-?[A-Z]?\)?[\s.,]*)?")


def top_company(
    page_lines: PageLines,
    cands: list[Candidate],
    not_names: tuple[str, ...],
    forms: re.Pattern[str] = LEGAL_FORM,
) -> Candidate | None:
    """The topmost company name of the first page: a span ending in a legal form (``forms``;
    or a line and the next one that holds nothing but the form: ``PASARAYA BORONG PINTAR`` /
    ``SDN BHD``), else the first short line of letters that is none of ``not_names`` (labels,
    the type's keywords) and names no person (``M. Sébastien BRUNET``)."""
    first = [c for c in cands if c.page == 0 and c.lines == 1]

    def y(c: Candidate) -> float:
        return page_lines.row_y(c.page, c.box)

    def ends_in_form(text: str) -> bool:
        """A name, then its form (not a form alone), perhaps its registration number after
        (``AEON CO. (M) BHD (126926-H)``)."""
        return any(
            m.start() > 0 and _AFTER_FORM.fullmatch(text[m.end() :]) is not None
            for m in forms.finditer(text)
        )

    formed = [
        c
        for c in first
        if c.origin == "before_form" or (c.origin == "line" and ends_in_form(c.text))
    ]
    for join in (c for c in cands if c.page == 0 and c.origin == "join" and c.lines == 2):
        second = join.text[len(page_lines.lines[join.line].text) :]
        if forms.fullmatch(second.strip(" .,")):
            formed.append(join)
    # the heading's first rows: a name with a legal form further down is a customer's or a
    # supplier's (a cashier's or owner's name may come first)
    rows = sorted(y(c) for c in first if c.origin == "line")
    formed = [c for c in formed if bisect_left(rows, y(c) - 1) < HEADING_ROWS]
    if formed:
        return min(formed, key=y)
    plain = [
        c
        for c in first
        if c.origin == "line"
        and ":" not in c.text
        and len(c.text.split()) <= 6
        and sum(ch.isalpha() for ch in c.text) >= 3
        and sum(ch.isdigit() for ch in c.text) <= 2
        and not CIVILITY.match(c.text)  # a person, not a company
        and (not not_names or _best(not_names, fold(c.text), "ratio") < 80)
    ]
    return min(plain, key=y) if plain else None


def top_civility(page_lines: PageLines, cands: list[Candidate]) -> Candidate | None:
    """The topmost line of the first page that starts with a civility (``Mme Chantal
    RICHARD``)."""
    people = [c for c in cands if c.page == 0 and c.origin == "line" and CIVILITY.match(c.text)]
    return min(people, key=lambda c: page_lines.row_y(c.page, c.box)) if people else None


#: The first line of a street address: a number, or a word that opens one.
ADDRESS_START = re.compile(
    r"^(?:\d|[A-Z]{1,2}\d+-\d|(?:NO|LOT|JALAN|JLN|BLOCK|BLK|UNIT|LEVEL|LOT)\b)", re.I
)
#: A line that ends an address block: contact numbers, tax ids, a title, a time.
ADDRESS_STOP = re.compile(
    r"\b(?:TEL|TELEPHONE|FAX|GST|TAX|INVOICE|RECEIPT|DATE|PHONE|H/P|EMAIL|WWW|SIRET|TVA|"
    r"T[ÉE]L)\s*[:.]|(?:^|\s)[TF]\s*[:.]\s*[+\d(]|\b(?:GST|TAX|INVOICE|RECEIPT)\b|^\(|\d{1,2}:\d{2}"
    r"|(?<!\d)0\d{1,2}[- ]\d{3,4}[ -]?\d{3,4}(?!\d)|\+\d{2,3}[- ]?\d",
    re.I,
)


#: A company registration number on a line of its own (``789417-W``, ``(JM0352019-K)``).
REGISTRATION = re.compile(r"^\(?[A-Z]{0,3}\d{5,}-?[A-Z]\)?$")


def address_block(
    page_lines: PageLines,
    cands: list[Candidate],
    not_names: tuple[str, ...],
    forms: re.Pattern[str] = LEGAL_FORM,
) -> Candidate | None:
    """The address under a letterhead: from the first line below the top company name, in the
    first page's top third, that opens a street address (``NO.53 ...``, ``12 rue ...``; not a
    registration number), joined with the lines below it up to one that ends an address block
    (a phone, a tax id, a title, a time)."""
    height = page_lines.sizes.get(0, (1, 1))[1] or 1
    company = top_company(page_lines, cands, not_names, forms)
    below = page_lines.row_y(0, company.box) if company is not None else -1.0
    starts = [
        c
        for c in cands
        if c.page == 0
        and c.origin == "line"
        and below < page_lines.row_y(0, c.box) < height / 3
        and ADDRESS_START.match(c.text)
        and not ADDRESS_STOP.search(c.text)
        and not REGISTRATION.match(c.text.strip())
    ]
    if not starts:
        return None
    start = min(starts, key=lambda c: page_lines.row_y(0, c.box))
    best = start
    runs = sorted(
        (c for c in cands if c.origin == "join" and c.line == start.line), key=lambda c: c.lines
    )
    for run in runs:
        added = run.text[len(best.text) :]
        if ADDRESS_STOP.search(added):
            break
        best = run
    return best


def unlabelled_pick(
    how: str,
    page_lines: PageLines,
    cands: list[Candidate],
    not_names: tuple[str, ...],
    forms: re.Pattern[str] = LEGAL_FORM,
) -> Candidate | None:
    """The candidate a field without a label takes (a schema's ``unlabelled``):
    ``top_company``, ``civility``, ``address_block`` or ``first_match`` (the topmost of its
    pattern's matches)."""
    if how == "top_company":
        return top_company(page_lines, cands, not_names, forms)
    if how == "civility":
        return top_civility(page_lines, cands)
    if how == "address_block":
        return address_block(page_lines, cands, not_names, forms)
    return min(cands, key=lambda c: (c.page, page_lines.row_y(c.page, c.box)), default=None)


def featurize(
    page_lines: PageLines, found: dict[str, list[Candidate]], schema: Schema
) -> list[tuple[str, Candidate, list[float]]]:
    """One feature row per (field, candidate of the field's type)."""
    names = list(schema.fields)
    all_labels = {
        name: tuple(fold(lb) for lb in spec.labels) for name, spec in schema.fields.items()
    }
    every_label = tuple(label for labels in all_labels.values() for label in labels)
    other_labels = {
        name: tuple(lb for other, lbs in all_labels.items() if other != name for lb in lbs)
        for name in names
    }
    n_lines = max(len(page_lines.lines), 1)
    keywords = tuple(fold(k) for k in schema.keywords)
    not_names = every_label + keywords
    forms = legal_form_pattern(schema.legal_forms)
    wanted = {(s.unlabelled, type_key(s.type, s.pattern)) for s in schema.fields.values()}
    tops = {
        (how, key): unlabelled_pick(how, page_lines, found[key], not_names, forms)
        for how, key in wanted
        if how is not None and key in found
    }
    # by span: the free-text and company candidates of a line share their surroundings
    contexts: dict[tuple[int, int, int, int, str], Context] = {}
    per_line: dict[tuple[str, int], list[Candidate]] = {}
    ranks: dict[str, dict[int, int]] = {}
    for key, cands in found.items():
        for c in cands:
            per_line.setdefault((key, c.line), []).append(c)
        if key.startswith("amount"):
            by_value = sorted(range(len(cands)), key=lambda i: -float(cands[i].value or 0))
            ranks[key] = {i: r for r, i in enumerate(by_value)}
    rows: list[tuple[str, Candidate, list[float]]] = []
    for key, cands in found.items():
        for order, c in enumerate(cands):
            if key in FREE_TEXT and (
                is_label_piece(every_label, c.text) or is_title(page_lines, c, keywords)
            ):
                continue
            span = (c.line, c.start, c.end, c.lines, c.origin)
            ctx = contexts.get(span)
            if ctx is None:
                ctx = contexts[span] = context(page_lines, c)
            width, height = page_lines.sizes.get(c.page, (1, 1))
            same_line = per_line.get((key, c.line), [c])
            digits, upper, alpha = _shape(c.text)
            self_label = _best(every_label, fold(c.text), "ratio") if every_label else 0.0
            shared = [
                ctx.left_gap,
                ctx.above_gap,
                float(ctx.has_left),
                float(ctx.has_above),
                (c.box.x0 + c.box.x1) / 2 / width,
                (c.box.y0 + c.box.y1) / 2 / height,
                c.box.x0 / width,
                c.box.y0 / height,
                (c.box.x1 - c.box.x0) / width,
                float(len(c.text)),
                float(len(c.text.split())),
                digits,
                upper,
                alpha,
                float(ORIGINS[c.origin]),
                float(c.lines),
                float(same_line.index(c)) if c in same_line else 0.0,
                float(len(same_line)),
                order / max(len(cands), 1),
                (len(cands) - 1 - order) / max(len(cands), 1),
                float(len(cands)),
                float(ranks.get(key, {}).get(order, -1)),
            ]
            for field_id, name in enumerate(names):
                spec = schema.fields[name]
                if type_key(spec.type, spec.pattern) != key:
                    continue
                labels = all_labels[name]
                others = other_labels[name]
                left_tail = _best(labels, ctx.left, "tail")
                above_ratio = _best(labels, ctx.above, "ratio")
                above_partial = _best(labels, ctx.above, "partial")
                above_head = _best(labels, ctx.above_local, "head")
                checks = check_value(spec.check, c.value)
                check_ok = -1.0 if not checks else float(all(checks.values()))
                rule = rule_score(labels, left_tail, above_ratio, above_head)
                if spec.unlabelled and tops.get((spec.unlabelled, key)) is c:
                    rule = max(rule, UNLABELLED_SCORE)
                rows.append(
                    (
                        name,
                        c,
                        [
                            float(field_id),
                            left_tail,
                            _best(labels, ctx.left, "partial"),
                            above_ratio,
                            above_partial,
                            above_head,
                            _best(others, ctx.above_local, "head"),
                            _best(others, ctx.left, "tail"),
                            _best(others, ctx.above, "ratio"),
                            self_label,
                            *shared,
                            check_ok,
                            c.line / n_lines,
                            c.confidence if c.confidence is not None else -1.0,
                            rule,
                        ],
                    )
                )
    return rows
