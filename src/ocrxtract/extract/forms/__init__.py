"""Forms no schema describes: entities labelled header / question / answer / other (FUNSD's label
set) and the question -> answer links, as key fields named by their question.

===================  ==========================================================
module               job
===================  ==========================================================
:mod:`.entities`     an engine's lines cut into entities (phrases)
:mod:`.labelling`    each entity's label: layout rules or a trained LightGBM model
:mod:`.linking`      each answer's question
:mod:`.annotations`  labelled forms in FUNSD's JSON (training and scoring)
:mod:`.api`          :func:`extract_form`, :func:`form_fields`
===================  ==========================================================
"""

from ocrxtract.extract.forms.api import FormExtraction, extract_form, form_fields
from ocrxtract.extract.forms.entities import Entity, entities_of
from ocrxtract.extract.forms.labelling import FormModel, label_entities, load_form_model

__all__ = [
    "Entity",
    "FormExtraction",
    "FormModel",
    "entities_of",
    "extract_form",
    "form_fields",
    "label_entities",
    "load_form_model",
]
