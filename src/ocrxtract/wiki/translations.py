"""French for the English text the wiki quotes from data files.

The registry (``datasets.yml``), the campaigns (``benchmarks/*.yml``) and the results they write
are in English, like the library; the wiki is in French. ``translations_fr.yml`` beside this
module holds the French of each sentence the generated pages show (dataset licences, notes,
splits, quirks; why a campaign limits a dataset), keyed by the English text itself: when the
English changes, its old translation no longer matches, :func:`french` falls back to the English
and records it, and a test (``tests/test_wiki_translations.py``) names what is missing. Reasons
the benchmark writes itself (an engine left out of a dataset) are translated by pattern
(:func:`skip_reason`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

TRANSLATIONS = Path(__file__).with_name("translations_fr.yml")

_SPACES = re.compile(r"\s+")
_missing: set[str] = set()


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@cache
def memory(path: Path = TRANSLATIONS) -> dict[str, str]:
    """English -> French, whitespace collapsed on both sides."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {_key(entry["en"]): _key(entry["fr"]) for entry in entries}


def french(text: str | None) -> str:
    """The French of ``text``, or ``text`` itself (recorded: :func:`missing`) when the memory
    has none. Whitespace is collapsed on both sides (YAML folds long lines)."""
    if not text:
        return text or ""
    found = memory().get(_key(text))
    if found is None:
        _missing.add(_key(text))
        return text
    return found


def missing() -> set[str]:
    """The English texts :func:`french` was asked for and could not translate, since the last
    :func:`forget_missing`."""
    return set(_missing)


def forget_missing() -> None:
    _missing.clear()


_SKIP_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^the campaign runs only (?P<engines>.+) on (?P<dataset>\S+)$"),
        "la campagne ne fait tourner que {engines} sur {dataset}",
    ),
    (
        re.compile(r"^(?P<engine>\S+) cannot read (?P<lang>\S+) here \(it reads: (?P<reads>.+)\)$"),
        "{engine} ne lit pas la langue {lang} ici (il lit : {reads})",
    ),
)


def skip_reason(reason: str) -> str:
    """Why the benchmark left an engine out of a dataset, in French: the benchmark's own
    reasons by pattern, others through :func:`french`."""
    for pattern, template in _SKIP_PATTERNS:
        match = pattern.match(reason.strip())
        if match:
            return template.format(**match.groupdict())
    return french(reason)
