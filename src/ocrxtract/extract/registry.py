"""Extractor registry: built-ins, ``ocrxtract.extractors`` entry points, run-time registrations.

A third-party package adds an extractor by declaring, in its ``pyproject.toml``::

    [project.entry-points."ocrxtract.extractors"]
    myfields = "my_package.my_module:MyExtractor"
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

from ocrxtract.errors import EngineRegistrationError, UnknownExtractorError
from ocrxtract.extract.base import Extractor

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ocrxtract.extractors"
#: Extractors that ship with ocrxtract, as "module:Class" references (imported on demand).
BUILTIN_EXTRACTORS: dict[str, str] = {
    "structure": "ocrxtract.extract.structure.extractor:StructureExtractor",
    "tables": "ocrxtract.extract.tables.extractor:TablesExtractor",
    "fields": "ocrxtract.extract.fields.extractor:FieldsExtractor",
}

_extra: dict[str, type[Extractor]] = {}


@lru_cache(maxsize=1)
def _references() -> dict[str, str]:
    references = dict(BUILTIN_EXTRACTORS)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in references and references[ep.name] != ep.value:
            raise EngineRegistrationError(
                f"extractor name {ep.name!r} is claimed twice: {references[ep.name]} and {ep.value}"
            )
        references[ep.name] = ep.value
    return references


def register_extractor(cls: type[Extractor]) -> type[Extractor]:
    """Register an extractor class at run time (notebooks, tests); usable as a decorator.

    Raises:
        EngineRegistrationError: the name is taken by another extractor.
    """
    known = _references().get(cls.name)
    if (known is not None and known != f"{cls.__module__}:{cls.__qualname__}") or (
        cls.name in _extra and _extra[cls.name] is not cls
    ):
        raise EngineRegistrationError(f"extractor name {cls.name!r} is already registered")
    _extra[cls.name] = cls
    return cls


def unregister_extractor(name: str) -> None:
    """Remove an extractor registered with :func:`register_extractor`."""
    _extra.pop(name, None)


def extractor_names() -> list[str]:
    """Every registered extractor name, built-ins first."""
    return list(_references()) + sorted(set(_extra) - set(_references()))


def get_extractor_class(name: str) -> type[Extractor]:
    """The extractor class registered under ``name``.

    Raises:
        UnknownExtractorError: no such extractor; the message lists the known ones.
        EngineRegistrationError: its module does not load.
    """
    if name in _extra:
        return _extra[name]
    reference = _references().get(name)
    if reference is None:
        known = ", ".join(extractor_names()) or "none"
        raise UnknownExtractorError(f"unknown extractor {name!r}; known extractors: {known}")
    module_name, _, attribute = reference.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise EngineRegistrationError(
            f"extractor {name!r} ({reference}) does not load: {exc}"
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, Extractor)):
        raise EngineRegistrationError(f"extractor {name!r} ({reference}) is not an Extractor")
    return cls


def create_extractor(name: str, options: dict[str, Any] | None = None) -> Extractor:
    """Build extractor ``name`` with ``options`` (validated against its options class)."""
    return get_extractor_class(name)(options)
