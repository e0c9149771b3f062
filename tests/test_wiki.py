"""The wiki: generated pages (datasets, engine reference, results, charts, snippets), the strict
MkDocs build with its link checks, and the worked examples of the metrics page."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from ocrxtract.datasets import list_datasets
from ocrxtract.datasets.registry import project_datasets
from ocrxtract.engines import engine_names
from ocrxtract.engines.doctr_engine import DoctrOptions
from ocrxtract.engines.tesseract_engine import TesseractOptions
from ocrxtract.wiki import (
    DATASETS_PAGE,
    ENGINES_PAGE,
    RESULTS_PAGE,
    md_table,
    md_text,
    option_docs,
    write_generated_pages,
)
from ocrxtract.wiki.charts import Point, bar_chart, scatter_chart

WIKI = REPO_ROOT / "wiki"


@pytest.fixture
def wiki_copy(tmp_path: Path) -> Path:
    """A copy of the repository's wiki folder and mkdocs.yml, with no generated file."""
    shutil.copytree(WIKI, tmp_path / "wiki", ignore=shutil.ignore_patterns("_generated"))
    shutil.copy(REPO_ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path / "wiki"


@pytest.fixture(scope="module")
def null_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results folder from a real run: the ``null`` engine on two generated pages."""
    pytest.importorskip("pyarrow", reason="results need pyarrow: pip install 'ocrxtract[datasets]'")
    from ocrxtract.bench import campaign_from_names, run_campaign

    root = tmp_path_factory.mktemp("results")
    campaign = campaign_from_names(["null"], ["sample-fr"], name="nulle", limit=2, workers=0)
    run_campaign(campaign, root / "nulle", cache=None)
    return root


# --- Markdown helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell", "expected"),
    [
        ("a <table> b", False, "a &lt;table&gt; b"),
        ("keep `<td>` as code", False, "keep `<td>` as code"),
        ("x | y", True, "x \\| y"),
        ("two\nlines", True, "two lines"),
        ("", False, ""),
    ],
)
def test_md_text(text: str, cell: bool, expected: str) -> None:
    assert md_text(text, cell=cell) == expected


def test_md_table_aligns_numeric_columns() -> None:
    table = md_table(["name", "value"], [["a", "1"]], numeric_from=1)
    assert table.splitlines() == ["| name | value |", "|---|---:|", "| a | 1 |"]


def test_option_docs_reads_attributes_and_splits_two_names_on_a_line() -> None:
    tesseract = option_docs(TesseractOptions)
    assert tesseract["psm"].startswith("Page segmentation mode (3: automatic")
    assert "OpenMP" not in tesseract["psm"]
    assert tesseract["languages"].startswith("ISO 639-2 codes")  # from EngineOptions
    doctr = option_docs(DoctrOptions)  # "det_arch: Detection architecture. reco_arch: ..."
    assert doctr["det_arch"] == "Detection architecture."
    assert doctr["reco_arch"] == "Recognition architecture."


# --- charts -------------------------------------------------------------------------------------


def test_bar_chart_is_valid_svg_with_one_bar_per_value() -> None:
    svg = bar_chart(
        "t", ["g1", "g2"], ["a", "b"], {("g1", "a"): 0.5, ("g2", "b"): 1.0}, x_label="F1"
    )
    root = ET.fromstring(svg)
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.find("*") is not None]
    assert len(bars) == 2
    lengths = sorted(float(r.get("width", 0)) for r in bars)
    assert lengths[1] == pytest.approx(2 * lengths[0], abs=0.2)  # 1.0 is twice 0.5
    assert svg.count("n/a") == 2  # the two missing (group, series) pairs


def test_scatter_chart_leaves_out_unusable_points() -> None:
    svg = scatter_chart(
        "t",
        [Point("a", "p", 0.5, 0.9), Point("a", "q", 0.0, 0.5), Point("b", "r", 5.0, 0.2)],
        x_label="s",
        y_label="F1",
    )
    circles = list(ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}circle"))
    assert len(circles) == 2  # x = 0 has no place on a logarithmic axis
    assert float(circles[0].get("cx", 0)) < float(circles[1].get("cx", 0))
    assert float(circles[0].get("cy", 0)) < float(circles[1].get("cy", 0))  # 0.9 above 0.2


def test_scatter_chart_writes_its_key() -> None:
    svg = scatter_chart("t", [Point("a", "1", 1.0, 0.5)], x_label="s", y_label="F1",
                        key=["1 sroie", "2 funsd-test"])  # fmt: skip
    assert ">1 sroie · 2 funsd-test</text>" in svg


# --- generated pages ----------------------------------------------------------------------------


def test_without_results_the_results_page_says_which_command_fills_it(
    wiki_copy: Path, tmp_path: Path
) -> None:
    write_generated_pages(wiki_copy, tmp_path / "no-results")
    page = (wiki_copy / RESULTS_PAGE).read_text(encoding="utf-8")
    assert "Pas encore de résultats" in page
    assert "ocrxtract bench benchmarks/real.yml" in page
    assert "%" not in page.split("Pas encore de résultats", 1)[1]  # no figure at all
    for name in engine_names():
        snippet = (wiki_copy / "_generated" / f"resultats-{name}.md").read_text(encoding="utf-8")
        assert "Pas encore mesuré" in snippet and f"--engines {name}" in snippet


def test_datasets_page_has_every_registry_entry(wiki_copy: Path, tmp_path: Path) -> None:
    write_generated_pages(wiki_copy, tmp_path / "no-results")
    page = (wiki_copy / DATASETS_PAGE).read_text(encoding="utf-8")
    specs = project_datasets()
    for spec in specs:
        assert f"## `{spec.name}` {{ #jeu-" in page
        assert f"[`{spec.name}`](#jeu-" in page
        for quirk in spec.quirks:
            assert f"| `{quirk.id}` |" in page
    assert page.count("\n## `") == len(specs)


def test_private_datasets_never_reach_the_wiki(
    wiki_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither a folder registered at run time nor one of the user registry (``datasets add``)
    is listed: a developer who regenerates the wiki must not publish their own folders."""
    from ocrxtract.datasets import register_dataset, unregister_dataset
    from ocrxtract.datasets.user import add_user_dataset, folder_spec

    monkeypatch.setenv("OCRXTRACT_USER_DATASETS", str(tmp_path / "user-datasets.yml"))
    (tmp_path / "payslips").mkdir()
    (tmp_path / "notes").mkdir()
    add_user_dataset(folder_spec("my-payslips", tmp_path / "payslips"))
    register_dataset(folder_spec("my-notes", tmp_path / "notes"), replace=True)
    try:
        assert {"my-payslips", "my-notes"} <= {s.name for s in list_datasets()}
        write_generated_pages(wiki_copy, tmp_path / "no-results")
    finally:
        unregister_dataset("my-notes")
    page = (wiki_copy / DATASETS_PAGE).read_text(encoding="utf-8")
    assert "my-payslips" not in page and "my-notes" not in page
    assert "payslips" not in page and str(tmp_path) not in page


def test_engines_reference_has_every_engine_and_option(wiki_copy: Path, tmp_path: Path) -> None:
    write_generated_pages(wiki_copy, tmp_path / "no-results")
    page = (wiki_copy / ENGINES_PAGE).read_text(encoding="utf-8")
    for name in engine_names():
        assert f"## `{name}` {{ #moteur-" in page
    for option in TesseractOptions.model_fields:
        assert f"| `{option}` |" in page
    assert "| `thresholding` | `Literal[" in page and '| `"auto"` |' in page


def test_results_page_from_a_real_run(wiki_copy: Path, null_results: Path) -> None:
    written = write_generated_pages(wiki_copy, null_results)
    page = (wiki_copy / RESULTS_PAGE).read_text(encoding="utf-8")
    assert "## Campagne `nulle`" in page
    assert "ocrxtract bench --engines null --datasets sample-fr" in page
    # The null engine reads nothing: every reference character is an edit, CER = 100 %.
    headline = page.split("### Chiffre principal", 1)[1].split("###", 1)[0]
    # French decimal comma, the metric in words linked to the glossary
    assert "| sample-fr | 2 | [CER](../metriques.md#cer-et-wer) exact ↓ | 100,00 % |" in headline
    charts = [p for p in written if p.suffix == ".svg"]
    assert sorted(p.name for p in charts) == [
        "nulle-precision-par-jeu.svg",
        "nulle-precision-vitesse.svg",
    ]
    for chart in charts:
        ET.fromstring(chart.read_text(encoding="utf-8"))
        assert f"](../img/generated/{chart.name})" in page
    snippet = (wiki_copy / "_generated" / "resultats-null.md").read_text(encoding="utf-8")
    assert "| [`nulle`](../resultats/index.md#campagne-nulle) | `sample-fr` | 2 |" in snippet
    assert "100,00 %" in snippet
    tesseract = (wiki_copy / "_generated" / "resultats-tesseract.md").read_text(encoding="utf-8")
    assert "Pas encore mesuré" in tesseract


def test_generation_is_stable_and_removes_stale_charts(
    wiki_copy: Path, null_results: Path, tmp_path: Path
) -> None:
    first = {p: p.read_bytes() for p in write_generated_pages(wiki_copy, null_results)}
    second = {p: p.read_bytes() for p in write_generated_pages(wiki_copy, null_results)}
    assert first == second
    write_generated_pages(wiki_copy, tmp_path / "no-results")
    assert not list((wiki_copy / "img" / "generated").glob("*.svg"))


def test_the_library_does_not_import_mkdocs() -> None:
    code = "import sys, ocrxtract.wiki; print('mkdocs' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False", result.stderr


def test_command_line_entry(wiki_copy: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ocrxtract.wiki", str(wiki_copy), "--results", str(tmp_path)]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (wiki_copy / DATASETS_PAGE).is_file()
    missing = subprocess.run(
        [sys.executable, "-m", "ocrxtract.wiki", str(tmp_path / "nowhere")],
        check=False,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 3 and "nowhere" in missing.stderr


# --- the strict build ---------------------------------------------------------------------------


def _build(site_root: Path) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        pytest.skip("mkdocs or mkdocs-material is not installed: pip install 'ocrxtract[docs]'")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"]
    return subprocess.run(
        command, check=False, cwd=site_root, capture_output=True, text=True, env=env
    )


@pytest.mark.slow
def test_mkdocs_build_strict_passes(wiki_copy: Path) -> None:
    """The wiki as the repository would publish it: its own results, every link checked."""
    write_generated_pages(wiki_copy, REPO_ROOT / "benchmarks" / "results")
    result = _build(wiki_copy.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    site = wiki_copy.parent / "site"
    for page in ("index.html", "resultats/index.html", "jeux-de-donnees/index.html",
                 "moteurs/tesseract/index.html", "metriques/index.html"):  # fmt: skip
        assert (site / page).is_file(), page
    tesseract = (site / "moteurs/tesseract/index.html").read_text(encoding="utf-8")
    assert "--8&lt;--" not in tesseract and "--8<--" not in tesseract  # snippets were included


@pytest.mark.slow
@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("[perdu](page-absente.md)", "page-absente.md"),
        ("[ancre](metriques.md#pas-d-ancre)", "pas-d-ancre"),
    ],
)
def test_a_broken_internal_link_fails_the_build(
    wiki_copy: Path, tmp_path: Path, broken: str, message: str
) -> None:
    write_generated_pages(wiki_copy, tmp_path / "no-results")
    index = wiki_copy / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\n{broken}\n", encoding="utf-8")
    result = _build(wiki_copy.parent)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


# --- the worked examples of the metrics page ----------------------------------------------------


def test_metrics_page_examples_are_what_the_library_computes() -> None:
    from ocrxtract.metrics import (
        bag_of_words,
        normalize,
        score_boxes,
        score_fields,
        score_text,
        teds,
        teds_structure,
    )

    page = (WIKI / "metriques.md").read_text(encoding="utf-8")
    exact = score_text("Total réglé : 512,40 €", "Total regle : 512.40 €", "exact")
    folded = score_text("Total réglé : 512,40 €", "Total regle : 512.40 €", "folded")
    assert (exact.char_edits, exact.char_reference, exact.word_edits) == (3, 22, 2)
    assert (folded.char_edits, folded.word_edits) == (1, 1)
    assert "CER = 3/22 = 13,6 %" in page and "CER = 1/22 = 4,5 %" in page
    assert "WER = 2/5 = 40 %" in page and "WER = 1/5 = 20 %" in page

    swapped = ("Loyer 450,00 € Charges 50,00 €", "Charges 50,00 € Loyer 450,00 €")
    order = score_text(*swapped)
    assert (order.char_edits, order.char_reference, order.word_edits) == (14, 30, 4)
    assert bag_of_words(*swapped).f1 == 1.0
    assert "CER = 14/30 = 46,7 %" in page and "F1 du sac de mots vaut 100 %" in page

    assert normalize("« Œuvre » – l’État", "folded") == '" oeuvre " - l\'etat'

    boxes = score_boxes([(0, 0, 100, 20), (120, 0, 200, 20)], [(10, 0, 110, 20), (300, 0, 350, 20)])
    assert (boxes.true_positives, boxes.false_positives, boxes.false_negatives) == (1, 1, 1)
    assert "IoU = 0,82" in page and "F1 = 2/4 = 50 %" in page

    fields = score_fields(
        {"total": "1 234,56 €", "date": "12/03/2024"},
        {"total": "1234.56", "date": "2024-03-13"},
        types={"total": "amount", "date": "date"},
    ).micro
    assert (fields.precision, fields.recall, fields.f1) == (0.5, 0.5, 0.5)

    reference = "<table><tr><td>Loyer</td><td>450,00</td></tr><tr><td>Charges</td><td>50,00</td></tr></table>"  # noqa: E501
    misread = reference.replace(">50,00<", ">5O,00<")
    merged = "<table><tr><td>Loyer 450,00</td></tr><tr><td>Charges 50,00</td></tr></table>"
    assert teds(reference, misread) == pytest.approx(1 - 0.2 / 6)
    assert teds_structure(reference, misread) == 1.0
    assert teds(reference, merged) == pytest.approx(1 - (2 + 6 / 12 + 6 / 13) / 6)
    assert teds_structure(reference, merged) == pytest.approx(1 - 2 / 6)
    assert "TEDS = 1 − 0,2/6 = 96,7 %" in page and "TEDS = 1 − 2,96/6 = 50,6 %" in page

    corpus = score_text("a" * 100, "b" * 10 + "a" * 90) + score_text("c" * 900, "c" * 900)
    assert corpus.cer == 0.01 and "10/1 000 = 1 %" in page


def test_wiki_tables_write_decimal_numbers_the_french_way() -> None:
    from ocrxtract.wiki.common import french_number, md_table, percent

    assert french_number("5.19 %") == "5,19 %" and french_number("4.44") == "4,44"
    for kept in ("rapidocr 3.10.0", "2 × 1", "1531", "`0.5`", "2026-12-07", "v1.2 beta"):
        assert french_number(kept) == kept
    assert percent(0.0519, 2) == "5,19 %"
    assert md_table(["a", "b"], [["x 1.5", "1.5"]]).splitlines()[-1] == "| x 1.5 | 1,5 |"


def test_metric_names_are_french_words_linked_to_the_glossary() -> None:
    from ocrxtract.wiki.results_page import metric_in_words

    assert metric_in_words("order-free CER folded ↓") == (
        "[CER sans ordre](../metriques.md#cer-sans-ordre-oi_cer) replié ↓"
    )
    assert metric_in_words("field F1 ↑") == "[F1 des champs](../metriques.md#champs) ↑"
    assert metric_in_words("rapidocr") == "rapidocr"  # not a metric
    glossary = (REPO_ROOT / "wiki" / "metriques.md").read_text(encoding="utf-8")
    from ocrxtract.wiki.results_page import METRIC_NAMES

    for _, anchor in METRIC_NAMES.values():
        assert f"{{ #{anchor} }}" in glossary  # every link lands on a heading


def test_the_datasets_page_shows_french_titles() -> None:
    from ocrxtract.datasets.registry import get_spec
    from ocrxtract.wiki.datasets_page import datasets_page

    spec = get_spec("sroie")
    assert spec.title_fr.startswith("Tickets de caisse")
    page = datasets_page([spec])
    assert f"**{spec.title_fr}**" in page and spec.title not in page
