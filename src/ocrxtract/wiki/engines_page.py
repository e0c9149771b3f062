"""The engine reference page: every registered engine and its options, read from the code."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, metadata
from typing import Any

from ocrxtract.engines import engine_names, get_engine_class
from ocrxtract.engines.base import EngineOptions, OcrEngine
from ocrxtract.errors import OcrxtractError
from ocrxtract.wiki.common import banner, md_table, slug
from ocrxtract.wiki.translations import french

log = logging.getLogger(__name__)

_ATTRIBUTE = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*): ?(.*)$")


def option_docs(options_class: type[EngineOptions]) -> dict[str, str]:
    """Descriptions of options, read from the ``Attributes:`` sections of the class docstrings.

    The classes of the MRO are read from the base up, so a subclass's text wins. Two names on
    one line (``det_arch: ... reco_arch: ...``) are split.
    """
    docs: dict[str, str] = {}
    fields = set(options_class.model_fields)
    for cls in reversed(options_class.__mro__):
        doc = cls.__dict__.get("__doc__") or ""
        lines = doc.expandtabs().splitlines()
        try:
            start = next(i for i, line in enumerate(lines) if line.strip() == "Attributes:")
        except StopIteration:
            continue
        current: str | None = None
        indent: int | None = None
        for line in lines[start + 1 :]:
            if not line.strip():
                continue
            match = _ATTRIBUTE.match(line)
            width = len(line) - len(line.lstrip())
            if indent is None:
                indent = width
            if width < indent:
                break
            if match and width == indent and match.group(2) in fields:
                current = match.group(2)
                docs[current] = match.group(3).strip()
            elif current is not None:
                docs[current] += " " + line.strip()
        for name, text in list(docs.items()):
            pieces = re.split(r"\s+(" + "|".join(sorted(fields)) + r"):\s", " " + text)
            if len(pieces) > 1:
                docs[name] = pieces[0].strip()
                for other, other_text in zip(pieces[1::2], pieces[2::2], strict=True):
                    docs.setdefault(other, other_text.strip())
    return docs


def _type_name(annotation: Any) -> str:
    text = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    for prefix in ("typing.", "pathlib.", "collections.abc."):
        text = text.replace(prefix, "")
    return text.replace("NoneType", "None")


def _default(field: Any) -> str:
    value = field.default_factory() if field.default_factory is not None else field.default
    if isinstance(value, tuple):
        value = list(value)
    return "None" if value is None else repr(value).replace("'", '"')


def _extras() -> set[str]:
    try:
        return set(metadata("ocrxtract").get_all("Provides-Extra") or [])
    except PackageNotFoundError:  # running from a source tree that is not installed
        return set()


def _install(cls: type[OcrEngine], extras: set[str]) -> str:
    if cls.extra is None:
        return "inclus"
    if cls.extra in extras:
        return f"`pip install 'ocrxtract[{cls.extra}]'`"
    return "voir sa page"


def engines_page(names: Sequence[str] | None = None) -> str:
    """The engines reference: one row per registered engine, then each one's options."""
    names = list(names) if names is not None else engine_names()
    classes: dict[str, type[OcrEngine]] = {}
    for name in names:
        try:
            classes[name] = get_engine_class(name)
        except OcrxtractError as exc:
            log.warning("engine %s left out of the reference: %s", name, exc)
    extras = _extras()
    out = [
        "# Référence des moteurs",
        "",
        banner("le registre des moteurs (`ocrxtract.engines.registry`)"),
        "",
        "Tous les moteurs enregistrés, avec leurs options telles que leurs classes d'options les "
        "déclarent (type, valeur par défaut, description traduite de la docstring). "
        'Les options inconnues sont refusées (`extra="forbid"`). En Python : '
        '`create_engine("tesseract", {"psm": 6})` ; en ligne de commande : '
        "`ocrxtract ocr scan.png -e tesseract -O tesseract.psm=6`. La revue de chaque moteur "
        "(licences, pièges, quand le choisir) est dans [Moteurs](index.md).",
        "",
        md_table(
            ["moteur", "description", "classe", "installation"],
            (
                [
                    f"[`{name}`](#{_engine_anchor(name)})",
                    french(cls.description) or "—",
                    f"`{cls.__module__}:{cls.__qualname__}`",
                    _install(cls, extras),
                ]
                for name, cls in classes.items()
            ),
        ),
        "",
    ]
    for name, cls in classes.items():
        options = cls.options_class
        docs = option_docs(options)
        out += [
            f"## `{name}` {{ #{_engine_anchor(name)} }}",
            "",
            f"Options : `{options.__name__}`.",
            "",
            md_table(
                ["option", "type", "défaut", "description"],
                (
                    [
                        f"`{field_name}`",
                        f"`{_type_name(field.annotation)}`",
                        f"`{_default(field)}`",
                        french(docs.get(field_name)) or "—",
                    ]
                    for field_name, field in options.model_fields.items()
                ),
            ),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _engine_anchor(name: str) -> str:
    return "moteur-" + slug(name)
