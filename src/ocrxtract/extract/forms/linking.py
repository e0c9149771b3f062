"""Question -> answer links of a labelled form (FUNSD's ``linking``).

Each answer is linked to the question that introduces it: the nearest question on its left on
the same row, else the nearest one above it that overlaps it horizontally (a label over its
box), within :data:`MAX_ROWS_ABOVE` text lines -- or further down, when the question heads a
column (no other question stands between them in that column). A question may have several
answers (a column header over its values); an answer has one question at most.
"""

from __future__ import annotations

from ocrxtract.extract.forms.entities import Entity
from ocrxtract.extract.forms.labelling import line_height, same_row

#: How many text lines above an answer its question may stand.
MAX_ROWS_ABOVE = 3.0
#: A question beside its answer is preferred to one above it at the same distance: the
#: vertical gap counts this many times.
ABOVE_WEIGHT = 2.0


def _over(question: Entity, answer: Entity) -> bool:
    """Whether ``question`` stands above ``answer`` and overlaps it horizontally."""
    overlap = min(question.box[2], answer.box[2]) - max(question.box[0], answer.box[0])
    return question.box[3] <= answer.box[1] + 2 and overlap > 0


def link_entities(entities: list[Entity]) -> list[tuple[int, int]]:
    """``(question index, answer index)`` pairs of labelled entities (indexes in ``entities``)."""
    links: list[tuple[int, int]] = []
    for page in sorted({e.page for e in entities}):
        on_page = [i for i, e in enumerate(entities) if e.page == page]
        unit = line_height([entities[i] for i in on_page])
        questions = [i for i in on_page if entities[i].label == "question"]
        for a in (i for i in on_page if entities[i].label == "answer"):
            answer = entities[a]
            best, distance = None, float("inf")
            above = [q for q in questions if _over(entities[q], answer)]
            for q in questions:
                question = entities[q]
                if same_row(question, answer) and question.box[2] <= answer.box[0] + 2:
                    d = answer.box[0] - question.box[2]
                elif q in above and (
                    answer.box[1] - question.box[3] <= MAX_ROWS_ABOVE * unit
                    or not any(entities[o].box[1] > question.box[3] - 2 for o in above if o != q)
                ):
                    d = ABOVE_WEIGHT * (answer.box[1] - question.box[3])
                else:
                    continue
                if d < distance:
                    best, distance = q, d
            if best is not None:
                links.append((best, a))
    return links
