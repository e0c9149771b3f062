"""The app's strings: both languages for every key, the same placeholders, no key missing."""

from __future__ import annotations

import re
import string

import pytest

from conftest import REPO_ROOT
from ocrxtract.workbench.i18n import LANGUAGES, STRINGS, t, translator

APP = REPO_ROOT / "app"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_with_the_same_placeholders(key: str) -> None:
    french, english = STRINGS[key]
    assert french.strip() and english.strip(), key
    assert placeholders(french) == placeholders(english), key


def test_t_fills_placeholders_and_defaults_to_french() -> None:
    assert t("compare.page.of", n=1, count=2) == "page 1 sur 2"
    assert t("compare.page.of", "en", n=1, count=2) == "page 1 of 2"
    assert t("compare.title", "de") == t("compare.title", "fr")  # unknown language: French
    assert translator("en")("nav.leaderboard") == "Leaderboard"
    assert set(LANGUAGES) == {"fr", "en"}


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        t("compare.no-such-string")


def test_every_key_the_app_asks_for_exists() -> None:
    """Literal keys (tr("...")) and the f-string families (tr(f"compare.level.{x}"))."""
    used: set[str] = set()
    prefixes: set[str] = set()
    for path in sorted(APP.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\btr\(\s*"([a-z_.]+)"', source))
        prefixes |= set(re.findall(r'\btr\(\s*f"([a-z_.]+)\{', source))
    assert len(used) > 50  # the pages really go through the table
    assert sorted(used - set(STRINGS)) == []
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in STRINGS), prefix


def test_benchmark_tables_are_shown_in_french() -> None:
    from ocrxtract.workbench.i18n import localise_cell, localise_table

    title, headers, rows = localise_table(
        "Headline (each dataset's own metric)",
        ["dataset", "samples", "metric", "rapidocr"],
        [
            ["sroie", "74", "order-free CER folded ↓", "12.34%"],
            ["funsd", "50", "field F1 ↑", "not measured"],
        ],
    )
    assert title == "Chiffre clé (la mesure propre à chaque jeu)"
    assert headers == ["jeu de données", "échantillons", "mesure", "rapidocr"]
    assert rows == [
        ["sroie", "74", "CER sans ordre replié ↓", "12,34 %"],
        ["funsd", "50", "F1 des champs ↑", "non mesuré"],
    ]
    assert localise_cell("3.50") == "3,50"
    assert localise_cell("1 × 2") == "1 × 2"
    assert localise_cell("12.34%", "en") == "12.34%"


def test_reasons_a_file_is_left_aside_are_said_in_french() -> None:
    from ocrxtract.workbench.i18n import localise_reason

    assert localise_reason("text ground truth without a document") == (
        "vérité terrain (texte) sans document"
    )
    assert localise_reason("a second xml for a/b") == "un second fichier XML pour a/b"
    assert localise_reason("something else") == "something else"
    assert localise_reason("text ground truth without a document", "en").startswith("text")


def test_every_scorer_table_has_a_french_title() -> None:
    """The leaderboards' tables of key fields, tables... get French titles in the app and the
    wiki (a scorer added later needs its title in both)."""
    from ocrxtract.bench.scorers import OCR_SCORERS, scorers
    from ocrxtract.wiki.results_page import TABLE_TITLES
    from ocrxtract.workbench.i18n import TABLE_WORDS

    titles = [s.title for s in scorers() if s.name not in OCR_SCORERS]
    assert titles
    assert [t for t in titles if t not in TABLE_TITLES or t not in TABLE_WORDS] == []
