"""The wiki's generated pages quote the registries and results in French
(``ocrxtract.wiki.translations``): every English sentence they show has its translation, and a
translation whose English is gone from the sources is flagged too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from ocrxtract.wiki import translations, write_generated_pages
from ocrxtract.wiki.translations import french, skip_reason


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    wiki = tmp_path / "wiki"
    shutil.copytree(REPO_ROOT / "wiki", wiki)
    translations.forget_missing()
    write_generated_pages(wiki)  # the committed results of benchmarks/results
    return wiki


def test_every_sentence_the_generated_pages_quote_is_translated(generated: Path) -> None:
    missing = translations.missing()
    assert not missing, (
        f"{len(missing)} text(s) of datasets.yml, the engines' docstrings or the results have no "
        f"French in {translations.TRANSLATIONS.name}; add them (en: ..., fr: ...):\n"
        + "\n".join(sorted(missing))
    )


def test_no_translation_is_left_over(generated: Path) -> None:
    """Each entry is still used: an English text that changed leaves its old entry behind."""
    pages = "\n".join(p.read_text(encoding="utf-8") for p in generated.rglob("*.md"))
    flat = " ".join(pages.split())
    unused = [
        english
        for english, french_text in translations.memory().items()
        if french_text.replace("<", "&lt;").replace(">", "&gt;") not in flat
        and french_text not in flat
    ]
    assert not unused, "entries no page shows any more (remove them):\n" + "\n".join(unused)


def test_unknown_text_falls_back_to_english_and_is_recorded() -> None:
    translations.forget_missing()
    assert french("A sentence nobody translated.") == "A sentence nobody translated."
    assert translations.missing() == {"A sentence nobody translated."}
    assert french("") == ""
    translations.forget_missing()


def test_whitespace_of_folded_yaml_does_not_matter() -> None:
    english, french_text = next(iter(translations.memory().items()))
    assert french(english.replace(" ", "\n   ", 1)) == french_text


def test_the_benchmarks_own_skip_reasons_are_translated_by_pattern() -> None:
    assert (
        skip_reason("the campaign runs only rapidocr, tesseract on sroie")
        == "la campagne ne fait tourner que rapidocr, tesseract sur sroie"
    )
    assert (
        skip_reason("easyocr cannot read fra here (it reads: eng)")
        == "easyocr ne lit pas la langue fra ici (il lit : eng)"
    )
