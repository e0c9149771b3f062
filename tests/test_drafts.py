"""Ground truth made in the app (``ocrxtract.workbench.drafts``): documents added to a folder, an
engine's draft, line-by-line corrections kept in a draft file, sidecars written atomically and
read back by the folder dataset."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from appdata import EchoEngine, png_bytes, two_page_pdf
from ocrxtract.datasets import discover, load_sample, register_dataset, unregister_dataset
from ocrxtract.datasets.user import folder_spec
from ocrxtract.engines import register, unregister
from ocrxtract.errors import CorruptInputError, InputError, InputNotFoundError, UsageError
from ocrxtract.workbench.drafts import (
    ALTO_MARK,
    DraftLine,
    add_document,
    choose_schema,
    draft_path,
    folder_documents,
    line_crop,
    load_draft,
    make_draft,
    open_folder,
    page_image,
    propose_fields,
    save_draft,
    save_ground_truth,
    sidecar,
)


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    register(EchoEngine)
    target = tmp_path / "mes documents"
    target.mkdir()
    yield target
    unregister(EchoEngine.name)


def test_documents_are_added_once_and_never_replaced(folder: Path) -> None:
    data = png_bytes(0)
    path = add_document(folder, "../quittance.png", data)  # no way out of the folder
    assert path == folder / "quittance.png" and path.read_bytes() == data
    assert add_document(folder, "quittance.png", data) == path  # the same file again: kept
    with pytest.raises(UsageError, match="different file of that name"):
        add_document(folder, "quittance.png", png_bytes(1))
    assert path.read_bytes() == data
    with pytest.raises(UsageError, match="not a document file name"):
        add_document(folder, "notes.docx", b"PK")
    with pytest.raises(InputError):
        add_document(folder, "faux.png", b"not an image")
    assert sorted(p.name for p in folder.iterdir()) == ["quittance.png"]  # nothing half-written
    assert add_document(folder, ".cache.png", data).name == "cache.png"  # never a hidden file
    assert [p.name for p in folder_documents(folder)] == ["cache.png", "quittance.png"]


def test_a_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="no such folder"):
        open_folder(tmp_path / "absent")
    with pytest.raises(UsageError):
        open_folder("  ")
    assert open_folder(f" {tmp_path} ") == tmp_path.resolve()


def test_a_draft_has_the_engine_lines_with_their_boxes_page_by_page(folder: Path) -> None:
    document = add_document(folder, "deux-pages.pdf", two_page_pdf())
    draft = make_draft(document, "test-echo", dpi=150)
    assert (draft.pages, draft.engine, draft.dpi) == (2, "test-echo", 150)
    # test-echo reads one line per page; words at x = 10 + 60 i, 50 wide, y 10..30.
    assert [(line.page, line.read) for line in draft.lines] == [
        (0, "Quitance de loyer"),
        (1, "page deux"),
    ]
    assert draft.lines[0].bbox == (10, 10, 180, 30)
    assert draft.sizes[0] == page_image(document, 0, 150).size  # the page rendered at 150 dpi
    assert draft.text() == "Quitance de loyer\fpage deux"
    assert draft.corrected == 0


def test_corrections_survive_a_reload_through_the_hidden_draft_file(folder: Path) -> None:
    document = add_document(folder, "quittance.png", png_bytes(0))
    draft = make_draft(document, "test-echo")
    assert load_draft(document) is None
    assert draft.set_text(0, "Quittance de loyer")
    assert not draft.set_text(0, "Quittance de loyer")  # no change
    save_draft(draft)
    path = draft_path(document)
    assert path.name == ".quittance.png.ocrxtract-draft.json"
    again = load_draft(document)
    assert again is not None
    assert again.lines == draft.lines and again.made == draft.made
    assert again.corrected == 1 and again.text() == "Quittance de loyer"
    # The draft file is neither a document nor ground truth for the folder dataset.
    spec = register_dataset(folder_spec("drafts-test", folder), replace=True)
    try:
        found = discover(spec.name)
        assert [item.sample_id for item in found.items] == ["quittance"]
        assert found.skipped == []
    finally:
        unregister_dataset(spec.name)


def test_a_damaged_draft_is_named_with_the_fix(folder: Path) -> None:
    document = add_document(folder, "quittance.png", png_bytes(0))
    draft_path(document).write_text("{half a dra", encoding="utf-8")
    with pytest.raises(CorruptInputError, match=r"ocrxtract-draft\.json.*delete it"):
        load_draft(document)


def test_saved_ground_truth_is_what_the_folder_dataset_reads(folder: Path) -> None:
    document = add_document(folder, "quittance.png", png_bytes(0))
    draft = make_draft(document, "test-echo")
    draft.set_text(0, "Quittance  de loyer")
    written = save_ground_truth(draft)
    assert written == [sidecar(document, ".txt"), sidecar(document, ".xml")]
    assert sidecar(document, ".txt").read_text(encoding="utf-8") == "Quittance  de loyer\n"
    assert ALTO_MARK in sidecar(document, ".xml").read_text(encoding="utf-8")
    spec = register_dataset(folder_spec("drafts-gt", folder), replace=True)
    try:
        sample = load_sample(spec, "quittance")
    finally:
        unregister_dataset(spec.name)
    assert sample.text == "Quittance  de loyer"  # the .txt wins, as typed
    (line,) = sample.scorable_lines  # the ALTO line, with the draft's box
    assert line.text == "Quittance de loyer"
    assert line.bbox.as_tuple() == (10, 10, 180, 30)


def test_an_emptied_line_is_left_out(folder: Path) -> None:
    document = add_document(folder, "deux-pages.pdf", two_page_pdf())
    draft = make_draft(document, "test-echo", dpi=150)
    draft.set_text(1, "   ")
    # Several pages: the text only (an ALTO sidecar describes one page image).
    assert save_ground_truth(draft) == [sidecar(document, ".txt")]
    assert sidecar(document, ".txt").read_text(encoding="utf-8") == "Quitance de loyer\f\n"


def test_an_xml_sidecar_of_the_user_is_never_replaced(folder: Path) -> None:
    document = add_document(folder, "quittance.png", png_bytes(0))
    theirs = '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"/>'
    sidecar(document, ".xml").write_text(theirs, encoding="utf-8")
    assert save_ground_truth(make_draft(document, "test-echo")) == [sidecar(document, ".txt")]
    assert sidecar(document, ".xml").read_text(encoding="utf-8") == theirs


def test_line_crops_have_a_margin_and_stay_on_the_page(folder: Path) -> None:
    document = add_document(folder, "quittance.png", png_bytes(0))
    image = page_image(document, 0)
    assert image.size == (1240, 720) and image.mode == "RGB"
    assert line_crop(image, (100, 100, 300, 140), margin=6).size == (212, 52)
    assert line_crop(image, (0, 0, 50, 20), margin=6).size == (56, 26)  # clipped at the edge
    with pytest.raises(UsageError, match="outside"):
        line_crop(image, (2000, 10, 2100, 40))


def test_the_draft_file_is_plain_json(folder: Path) -> None:
    document = add_document(folder, "quittance.png", png_bytes(0))
    save_draft(make_draft(document, "test-echo"))
    data = json.loads(draft_path(document).read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["document"] == "quittance.png"
    assert data["lines"][0] == {
        "page": 0,
        "bbox": [10, 10, 180, 30],
        "read": "Quitance de loyer",
        "text": "Quitance de loyer",
    }


def _rent_receipt(folder: Path):  # type: ignore[no-untyped-def]
    document = add_document(folder, "quittance.png", png_bytes(0))
    draft = make_draft(document, "test-echo")
    draft.set_text(0, "QUITTANCE DE LOYER")
    for row, text in enumerate(("Loyer : 650,00 €", "Charges : 50,00 €", "Total : 700,00 €")):
        box = (10, 50 + 40 * row, 300, 70 + 40 * row)
        draft.lines.append(DraftLine(page=0, bbox=box, read=text, text=text))
    return document, draft


def test_fields_are_proposed_from_the_corrected_lines_then_corrected(folder: Path) -> None:
    document, draft = _rent_receipt(folder)
    propose_fields(draft)  # the type is detected from the corrected text
    assert draft.schema == "rent_receipt"
    assert (draft.fields["loyer"], draft.fields["charges"], draft.fields["total"]) == (
        "650.00", "50.00", "700.00",
    )  # fmt: skip
    assert draft.fields["locataire"] == ""  # a schema field not found: empty, to fill in
    assert draft.fields_corrected == 0
    assert draft.set_field("loyer", " 640,00  € ")
    assert not draft.set_field("loyer", "640,00 €")
    assert draft.fields_corrected == 1
    with pytest.raises(UsageError, match="not a field"):
        draft.set_field("net_a_payer", "1")
    save_draft(draft)
    again = load_draft(document)
    assert again is not None and again.schema == "rent_receipt"
    assert again.fields == draft.fields and again.fields_corrected == 1


def test_saved_fields_are_what_the_folder_dataset_scores(folder: Path) -> None:
    document, draft = _rent_receipt(folder)
    propose_fields(draft, "rent_receipt")
    draft.set_field("loyer", "640,00 €")
    written = save_ground_truth(draft)
    assert sidecar(document, ".fields.json") in written
    data = json.loads(sidecar(document, ".fields.json").read_text(encoding="utf-8"))
    assert data["schema"] == "rent_receipt"
    assert data["fields"]["loyer"] == "640,00 €" and "locataire" not in data["fields"]
    spec = register_dataset(folder_spec("drafts-fields", folder), replace=True)
    try:
        sample = load_sample(spec, "quittance")
    finally:
        unregister_dataset(spec.name)
    assert sample.tags["schema"] == "rent_receipt"
    assert sample.fields == data["fields"]


def test_a_schema_can_be_chosen_or_dropped(folder: Path) -> None:
    document, draft = _rent_receipt(folder)
    with pytest.raises(UsageError, match="unknown schema"):
        propose_fields(draft, "passeport")
    propose_fields(draft)
    choose_schema(draft, "invoice")  # the fields both schemas have keep their values
    assert draft.schema == "invoice" and "loyer" not in draft.fields
    choose_schema(draft, None)
    assert (draft.schema, draft.fields) == (None, {})
    assert sidecar(document, ".fields.json") not in save_ground_truth(draft)
