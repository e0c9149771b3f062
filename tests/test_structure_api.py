"""Structure through the pipeline, from any engine, across documents, and on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("fpdf")

from minipdf import PageSpec, Rect, build_pdf
from ocrxtract.cli.main import app
from ocrxtract.datasets.synthetic.structured_pdf import DEVELOPMENT_STYLES, make_structured_pdf
from ocrxtract.document import (
    BBox,
    Document,
    Line,
    Page,
    Table,
    TableCell,
    Word,
    block_from_lines,
)
from ocrxtract.extract import extractor_names
from ocrxtract.extract.structure import (
    StructureDocument,
    TableBlock,
    compare_documents,
    compare_rows,
    rows_to_csv,
    structure_from_metadata,
    structure_of_document,
    structure_of_pdf,
)
from ocrxtract.pipeline import EngineStep, ExtractStep, Steps, as_input, run

runner = CliRunner()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data, _ = make_structured_pdf(DEVELOPMENT_STYLES[0], 0)
    path = tmp_path_factory.mktemp("structure") / "rapport.pdf"
    path.write_bytes(data)
    return path


def _line(text: str, x: int, y: int, height: int = 20) -> Line:
    words, cursor = [], x
    for token in text.split():
        width = 9 * len(token)
        words.append(Word(text=token, bbox=BBox(x0=cursor, y0=y, x1=cursor + width, y1=y + height)))
        cursor += width + 9
    return Line(words=words, bbox=BBox.union([w.bbox for w in words]))


def test_the_extractor_is_registered_and_runs_in_the_pipeline(report: Path) -> None:
    assert "structure" in extractor_names()
    steps = Steps(engines=(EngineStep("pdf-text"),), extractors=(ExtractStep("structure"),))
    (result,) = run([as_input(report)], steps)
    assert result.status == "success", result
    document = result.outcomes["pdf-text"].document
    assert document is not None
    structure = structure_from_metadata(document)
    assert structure is not None and structure.headings()
    roles = {region.role for page in document.pages for region in page.regions}
    assert {"title", "header", "page_number"} <= roles


def test_any_engine_lines_give_the_tree() -> None:
    # an OCR-like page: taller numbered titles (a line without descenders is shorter for the
    # same type: 28 px without, 34 px with), body lines, a list, a key-value
    lines = [
        _line("1. Présentation", 100, 100, height=28),
        _line("Le service publie ses", 100, 150),
        _line("résultats chaque année.", 100, 175),
        _line("Intitulé du poste : Chargé de mission", 100, 230),
        _line("• premier point", 100, 280),
        _line("• second point", 100, 305),
        _line("2. Organisation", 100, 360, height=34),
        _line("Les équipes sont réparties", 100, 410),
    ]
    page = Page(index=0, width=1240, height=1754, dpi=150.0, blocks=[block_from_lines(lines)])
    structure = structure_of_document(Document(source="scan", pages=[page]))
    assert structure.headings() == [("1. Présentation", 1), ("2. Organisation", 1)]
    first = structure.sections[0]
    kinds = [child.type for child in first.children]
    assert kinds == ["paragraph", "key_value", "list"]
    assert first.children[0].text == "Le service publie ses résultats chaque année."  # type: ignore[union-attr]


def test_tables_of_the_tables_brick_are_used_as_they_are() -> None:
    lines = [_line("Titre du rapport", 100, 100, height=34), _line("a b", 100, 200)]
    table = Table(
        bbox=BBox(x0=90, y0=190, x1=400, y1=230),
        cells=[TableCell(row=0, col=0, text="a"), TableCell(row=0, col=1, text="b")],
    )
    page = Page(index=0, width=1240, height=1754, dpi=150.0, blocks=[block_from_lines(lines)])
    page.tables = [table]
    structure = structure_of_document(Document(pages=[page]))
    tables = [b for b in structure.sections[0].children if isinstance(b, TableBlock)]
    assert len(tables) == 1 and tables[0].source == "tables" and tables[0].rows == [["a", "b"]]


def test_compare_keys_and_sections_across_documents() -> None:
    documents = []
    for seed, style in enumerate(DEVELOPMENT_STYLES[:2]):
        data, _ = make_structured_pdf(style, seed)
        documents.append(structure_of_pdf(data, source=style.name))
    rows = compare_rows(
        documents,
        keys=["intitule du poste", "Absent"],
        sections=["Conclusions"],
        pattern=r"\w+ment",
    )
    assert [row["document"] for row in rows] == [s.name for s in DEVELOPMENT_STYLES[:2]]
    assert all(row["intitule du poste"] == "Chargé de mission transparence" for row in rows)
    assert all(row["Absent"] is None for row in rows)
    assert "document,intitule du poste,Absent,Conclusions" in rows_to_csv(rows)
    pytest.importorskip("pandas")
    frame = compare_documents(documents, keys=["Direction"])
    assert list(frame.index) == [s.name for s in DEVELOPMENT_STYLES[:2]]
    assert set(frame["Direction"]) == {"Direction générale des entreprises"}


def test_cli_writes_the_three_outputs(report: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["structure", str(report.parent), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "rapport.kv.csv", "rapport.md", "rapport.structure.json",
    ]  # fmt: skip
    assert (out / "rapport.md").read_text(encoding="utf-8").startswith("# 1. ")
    StructureDocument.from_json((out / "rapport.structure.json").read_text(encoding="utf-8"))
    compare = runner.invoke(
        app,
        ["structure-compare", str(out), "--key", "Lieu de travail", "-o", str(tmp_path / "c.csv")],
    )
    assert compare.exit_code == 0, compare.output
    assert "Paris" in (tmp_path / "c.csv").read_text(encoding="utf-8")


def test_cli_refuses_unknown_formats(report: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["structure", str(report), "--format", "docx", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "known formats: md, json, csv" in result.output


def test_cli_says_when_a_scan_cannot_be_read(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(build_pdf([PageSpec(items=[Rect(100, 100, 200, 50)])]))
    result = runner.invoke(
        app, ["structure", str(scan), "--engine", "none", "-o", str(tmp_path / "o")],
        env={"COLUMNS": "300"},
    )  # fmt: skip
    assert result.exit_code == 3
    assert "no text layer" in result.output or "has a text layer" in result.output
    assert "OCR" in result.output


@pytest.mark.engine("tesseract")
@pytest.mark.slow
def test_a_scanned_page_reaches_the_tree_through_ocr(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from ocrxtract.datasets.synthetic.structured_pdf import TUNED_STYLES

    data, truth = make_structured_pdf(TUNED_STYLES[1], 0)  # two columns, capitals, roman
    pdf = pdfium.PdfDocument(data)
    image = pdf[0].render(scale=200 / 72).to_pil()
    pdf.close()
    scan = tmp_path / "fiche.png"
    image.save(scan, dpi=(200, 200))
    out = tmp_path / "out"
    result = runner.invoke(app, ["structure", str(scan), "--out", str(out), "--lang", "fra"])
    assert result.exit_code == 0, result.output
    document = StructureDocument.from_json(
        (out / "fiche.structure.json").read_text(encoding="utf-8")
    )
    titles = [title for title, _ in document.headings()]
    assert truth.headings[0][0] in titles  # "I. COOPÉRATION AVEC LES AUTORITÉS"
    pairs = {kv.key: kv.value for _, kv in document.key_values()}
    assert pairs.get("Intitulé du poste") == "Chargé de mission transparence"
