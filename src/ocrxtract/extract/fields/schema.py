"""Extraction schemas: the fields of a document type, their types, labels and checks.

A schema is a YAML file shipped in ``ocrxtract/extract/fields/schemas/`` (or any path)::

    name: rent_receipt
    doc_types: [quittance-de-loyer]          # the generator's type names it covers
    keywords: [quittance de loyer, loyer]    # words that tell the type (--schema auto)
    fields:
      loyer: {type: amount, labels: [loyer hors charges, loyer]}
      siret: {type: identifier, pattern: siret, labels: [siret], check: siret}
    checks:
      - {name: loyer_charges_total, rule: sum, fields: [loyer, charges, total]}

``lines`` (default 1) lets a text value run over that many lines (addresses); ``aliases``
name the field in other ground truths (``numero_facture: {..., aliases: [invoice_number]}``).
``kind: form`` names a label set rather than fields (``funsd``): the document's phrases are
labelled header / question / answer / other and each answer linked to its question
(:mod:`ocrxtract.extract.forms`); the fields are the question -> answer pairs found, named by
their question. ``dropout: red`` says that the type's documents are best read with red ink
removed (an identity card's red "SPECIMEN" merges with the text under it):
:func:`ocrxtract.pipeline.fields.extract_file` reads such a document with that engine option
(again, once its type is known, under ``auto``).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ocrxtract.errors import UsageError
from ocrxtract.extract.fields.types import TYPES
from ocrxtract.io.dropout import Dropout

log = logging.getLogger(__name__)


class FieldSpec(BaseModel):
    """One field of a schema."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = "text"
    pattern: str | None = None
    labels: tuple[str, ...] = ()
    check: str | None = None
    lines: int = Field(default=1, ge=1, le=4)
    #: Other names of the field in ground-truth files (Factur-X's ``invoice_number`` for
    #: ``numero_facture``): a reference holding one of them is scored under this field.
    aliases: tuple[str, ...] = ()
    #: Where the document prints no label for the field: ``top_company`` takes the topmost
    #: company name of the first page (a line cut after its legal form, else the first line
    #: that is no label) -- a seller's or an employer's name heads the page; ``civility`` the
    #: topmost line that starts with one (``M.``, ``Mme``, ``Madame``...): the person a
    #: payslip or a letter is addressed to; ``address_block`` the street address under a
    #: letterhead (its first line to the one before a phone or tax id); ``first_match`` the
    #: topmost match of the field's
    #: pattern, for a pattern whose shape is evidence enough (an MRZ line).
    unlabelled: Literal["top_company", "civility", "address_block", "first_match"] | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in TYPES:
            raise ValueError(f"unknown field type {value!r}; known: {', '.join(TYPES)}")
        return value


class CrossCheck(BaseModel):
    """A check between fields (``ge``: a >= b; ``sum``: a + b == c; ``mrz_td1``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    rule: str
    fields: tuple[str, ...]


class Schema(BaseModel):
    """A document type's fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str = ""
    #: ``fields``: the fields below; ``form``: any form's question -> answer pairs.
    kind: Literal["fields", "form"] = "fields"
    doc_types: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    checks: tuple[CrossCheck, ...] = ()
    #: Ink colour to remove before OCR (the engine option ``dropout``); ``none``: read as is.
    dropout: Dropout = "none"
    #: Legal forms that end a company name besides the French ones (``SDN BHD`` on a
    #: Malaysian receipt): company candidates are cut after them, the top company rule
    #: looks for them.
    legal_forms: tuple[str, ...] = ()

    def types(self) -> dict[str, str]:
        """Field name -> field type."""
        return {name: spec.type for name, spec in self.fields.items()}


def _folder() -> Path:
    return Path(str(resources.files("ocrxtract.extract.fields") / "schemas"))


def schema_names() -> list[str]:
    """The names of the shipped schemas."""
    return sorted(p.stem for p in _folder().glob("*.yml"))


def field_schema_names() -> list[str]:
    """The shipped schemas that name their fields (a form schema, ``funsd``, names none: there
    is nothing to correct field by field in a ground truth)."""
    return [name for name in schema_names() if load_schema(name).kind == "fields"]


@lru_cache(maxsize=32)
def load_schema(name_or_path: str) -> Schema:
    """A shipped schema by name, or a schema YAML file by path.

    Raises:
        UsageError: unknown name (the message lists the shipped ones) or invalid file.
    """
    path = Path(name_or_path)
    if not (path.suffix in {".yml", ".yaml"} and path.is_file()):
        path = _folder() / f"{name_or_path}.yml"
        if not path.is_file():
            known = ", ".join(schema_names())
            raise UsageError(f"unknown schema {name_or_path!r}; known: {known}, or a .yml path")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Schema.model_validate(data)
    except (yaml.YAMLError, ValidationError, OSError) as exc:
        raise UsageError(f"invalid schema file {path}: {exc}; fix the YAML") from exc


def schema_for_doc_type(doc_type: str) -> Schema | None:
    """The shipped schema that covers a generator type (``quittance-de-loyer``)."""
    for name in schema_names():
        schema = load_schema(name)
        if doc_type in schema.doc_types or doc_type == schema.name:
            return schema
    return None


def dropout_for(doc_type: str) -> Dropout:
    """The ink colour the shipped schema of ``doc_type`` (a schema name, as ``extract_fields``
    detects it, or a generator type) asks to remove before OCR; ``none`` for a type no shipped
    schema covers (``unknown``)."""
    schema = schema_for_doc_type(doc_type)
    return schema.dropout if schema is not None else "none"
