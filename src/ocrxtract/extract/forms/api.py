"""Key-value pairs of any form: :func:`extract_form`.

An engine's lines are cut into entities (:mod:`.entities`), each labelled header, question,
answer or other (:mod:`.labelling`: rules, or a model trained on labelled forms), and each
answer linked to its question (:mod:`.linking`). :func:`form_fields` turns the pairs into key
fields named by their question (``Date`` -> ``12/3/98``): what ``extract_fields(document,
"funsd")`` and ``ocrxtract extract --schema funsd`` return for a form no schema describes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocrxtract.document import Document, KeyField
from ocrxtract.extract.forms.entities import Entity, entities_of
from ocrxtract.extract.forms.labelling import FormModel, label_entities
from ocrxtract.extract.forms.linking import link_entities
from ocrxtract.fr.text import collapse_whitespace


@dataclass
class FormExtraction:
    """A form's labelled entities and its question -> answer links (entity indexes)."""

    entities: list[Entity]
    links: list[tuple[int, int]]
    method: str

    def pairs(self) -> list[tuple[str, str]]:
        """``(question, answer)`` texts of the links, whitespace collapsed, the question's
        final colon removed."""
        return [
            (key_name(self.entities[q].text), collapse_whitespace(self.entities[a].text))
            for q, a in self.links
        ]


def key_name(question: str) -> str:
    """A question's text as a field name: whitespace collapsed, its final colon removed."""
    return collapse_whitespace(question).rstrip(" :")


def extract_form(document: Document, model: FormModel | None = None) -> FormExtraction:
    """Entities, labels and links of an engine's reading of a form (``model``: the trained
    labeller, else the rules)."""
    entities = label_entities(entities_of(document), model)
    return FormExtraction(entities, link_entities(entities), "model" if model else "rules")


def form_fields(found: FormExtraction) -> list[KeyField]:
    """One key field per link, named by its question (a name met again gets `` (2)``, `` (3)``...),
    the answer's text as value; a question with no answer gives a field without value."""
    answered = {q for q, _ in found.links}
    seen: dict[str, int] = {}
    fields: list[KeyField] = []

    def name_of(question: Entity) -> str:
        base = key_name(question.text) or "?"
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base} ({seen[base]})"

    for q, a in found.links:
        question, answer = found.entities[q], found.entities[a]
        confidence = (question.confidence or 0.0) * (answer.confidence or 0.0)
        fields.append(
            KeyField(
                name=name_of(question),
                value=collapse_whitespace(answer.text),
                text=answer.text,
                page=answer.page,
                boxes=answer.boxes,
                confidence=round(confidence, 4),
            )
        )
    for i, question in enumerate(found.entities):
        if question.label == "question" and i not in answered:
            fields.append(
                KeyField(name=name_of(question), page=question.page, confidence=question.confidence)
            )
    return fields
