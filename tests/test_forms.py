"""Forms no schema describes (``--schema funsd``): entities cut from an engine's lines, their
labels (rules, a trained model), question -> answer links, key fields, training from FUNSD's
JSON, and the linker on FUNSD's test forms (../shared/datasets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocrxtract.cli.main import app
from ocrxtract.document import BBox, Block, Document, Line, Page, Word
from ocrxtract.errors import InputError, UsageError
from ocrxtract.extract.fields import extract_fields, load_schema
from ocrxtract.extract.fields.records import fields_record, records_csv
from ocrxtract.extract.forms import entities_of, extract_form, form_fields
from ocrxtract.extract.forms.annotations import read_form, read_forms
from ocrxtract.extract.forms.entities import Entity
from ocrxtract.extract.forms.labelling import (
    load_form_model,
    rule_labels,
    train_form_model,
)
from ocrxtract.extract.forms.linking import link_entities


def _line(words: list[tuple[str, int]], y: int, height: int = 20) -> Line:
    made = [
        Word(text=t, bbox=BBox(x0=x, y0=y, x1=x + 10 * len(t), y1=y + height)) for t, x in words
    ]
    return Line(words=made, bbox=BBox.union([w.bbox for w in made]))


def _form() -> Document:
    """A small form: a title, two labelled rows, a column header over two values."""
    lines = [
        _line([("APPLICATION", 300), ("FORM", 420)], 20, height=30),
        _line([("Name:", 50), ("Jean", 110), ("Dupont", 160)], 100),
        _line([("Date:", 50), ("12/03/1998", 110), ("Signed", 500)], 140),
        _line([("Amount:", 400)], 200),
        _line([("1", 400), ("250", 412)], 230),
        _line([("3", 400), ("400", 412)], 260),
    ]
    block = Block(lines=lines, bbox=BBox.union([ln.bbox for ln in lines]))
    return Document(pages=[Page(index=0, width=800, height=400, blocks=[block])])


def _entity(text: str, box: tuple[float, float, float, float], label: str = "other") -> Entity:
    return Entity(text, box, label=label)


def test_lines_are_cut_after_a_label_colon_and_at_wide_gaps() -> None:
    texts = [e.text for e in entities_of(_form())]
    assert texts == [
        "APPLICATION FORM",
        "Name:",
        "Jean Dupont",
        "Date:",
        "12/03/1998",
        "Signed",
        "Amount:",
        "1 250",
        "3 400",
    ]


def test_rules_label_questions_their_answers_and_the_title() -> None:
    entities = entities_of(_form())
    labels = {e.text: label for e, (label, _) in zip(entities, rule_labels(entities), strict=True)}
    assert labels["APPLICATION FORM"] == "header"
    assert labels["Name:"] == labels["Date:"] == labels["Amount:"] == "question"
    assert labels["Jean Dupont"] == labels["12/03/1998"] == labels["1 250"] == "answer"
    assert labels["Signed"] == "other"


def test_each_answer_is_linked_to_its_row_label_or_the_column_header_above() -> None:
    entities = [
        _entity("Name:", (50, 100, 100, 120), "question"),
        _entity("Jean", (110, 100, 150, 120), "answer"),
        _entity("Amount", (400, 200, 470, 220), "question"),
        _entity("250", (400, 230, 430, 250), "answer"),
        _entity("400", (400, 330, 430, 350), "answer"),  # far below: the column's header still
        _entity("Total:", (300, 400, 360, 420), "question"),
        _entity("650", (400, 400, 430, 420), "answer"),  # its row's label, not the header
    ]
    assert sorted(link_entities(entities)) == [(0, 1), (2, 3), (2, 4), (5, 6)]


def test_a_form_gives_its_pairs_as_fields_named_by_their_question() -> None:
    extraction = extract_fields(_form(), "funsd")
    assert extraction.doc_type == "funsd" and extraction.method == "rules"
    values = extraction.values()
    assert values["Name"] == "Jean Dupont"
    assert values["Date"] == "12/03/1998"
    assert values["Amount"] == "1 250" and values["Amount (2)"] == "3 400"
    found = next(f for f in extraction.fields if f.name == "Name")
    assert found.boxes and found.page == 0 and 0 < (found.confidence or 0) <= 1
    record = fields_record("form.png", "tesseract", extraction)
    assert {e["label"] for e in record["entities"]} >= {"header", "question", "answer"}
    assert "Amount (2)" in records_csv([record]).splitlines()[0]


def test_a_question_without_answer_is_a_field_without_value() -> None:
    lines = [_line([("Signature:", 50)], 100)]
    block = Block(lines=lines, bbox=lines[0].bbox)
    document = Document(pages=[Page(index=0, width=800, height=400, blocks=[block])])
    fields = form_fields(extract_form(document))
    assert [(f.name, f.value) for f in fields] == [("Signature", None)]
    assert (
        extract_fields(Document(pages=[Page(index=0, width=10, height=10)]), "funsd").fields == []
    )


def _write_funsd(folder: Path) -> Path:
    """Two FUNSD-style annotation files (the link written from the answer's side in one)."""
    gt = folder / "gt"
    gt.mkdir(parents=True)
    for n in range(2):
        form = [
            {
                "id": 0,
                "text": "REPORT",
                "box": [300, 20, 420, 50],
                "label": "header",
                "words": [{"text": "REPORT", "box": [300, 20, 420, 50]}],
                "linking": [],
            },
            {
                "id": 1,
                "text": "Date:",
                "box": [50, 100, 100, 120],
                "label": "question",
                "words": [{"text": "Date:", "box": [50, 100, 100, 120]}],
                "linking": [[1, 2]] if n == 0 else [],
            },
            {
                "id": 2,
                "text": "12/3/98",
                "box": [110, 100, 180, 120],
                "label": "answer",
                "words": [{"text": "12/3/98", "box": [110, 100, 180, 120]}],
                "linking": [] if n == 0 else [[2, 1]],
            },
            {"id": 3, "text": "", "box": [0, 0, 1, 1], "label": "other", "words": []},
            {
                "id": 4,
                "text": "page 1",
                "box": [50, 700, 110, 720],
                "label": "other",
                "words": [
                    {"text": "page", "box": [50, 700, 90, 720]},
                    {"text": "1", "box": [95, 700, 110, 720]},
                ],
                "linking": [],
            },
        ]
        (gt / f"form{n}.json").write_text(json.dumps({"form": form}), encoding="utf-8")
    return folder


def test_funsd_annotations_are_read_with_their_links_either_way(tmp_path: Path) -> None:
    forms = read_forms(_write_funsd(tmp_path))
    assert [f.name for f in forms] == ["form0", "form1"]
    for form in forms:
        assert [e.text for e in form.entities] == ["REPORT", "Date:", "12/3/98", "page 1"]
        assert form.links == [(1, 2)]
    broken = tmp_path / "broken.json"
    broken.write_text('{"pages": []}', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.json"):
        read_form(broken)
    with pytest.raises(UsageError, match="no FUNSD-style annotations"):
        read_forms(_empty(tmp_path / "empty"))


def _empty(folder: Path) -> Path:
    folder.mkdir()
    return folder


def test_a_trained_form_model_is_saved_loaded_and_used(tmp_path: Path) -> None:
    forms = read_forms(_write_funsd(tmp_path / "data"))
    model = train_form_model([f.entities for f in forms] * 10, {"data": "two toy forms"})
    model.save(tmp_path / "models" / "fields", "funsd")
    loaded = load_form_model(tmp_path / "models" / "fields" / "funsd.lgb.txt")
    assert [label for label, _ in loaded.predict(forms[0].entities)] == [
        e.label for e in forms[0].entities
    ]
    extraction = extract_fields(_form(), "funsd", model=loaded)
    assert extraction.method == "model"
    (tmp_path / "models" / "fields" / "funsd.json").write_text('{"features": []}', "utf-8")
    with pytest.raises(InputError, match="other features"):
        load_form_model(tmp_path / "models" / "fields" / "funsd")


def test_asking_for_a_form_model_that_is_not_installed_says_how_to_train_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ocrxtract.extract.fields import api

    monkeypatch.setattr(api, "models_dirs", lambda: [tmp_path])
    with pytest.raises(UsageError, match="train fields --schema funsd"):
        extract_fields(_form(), "funsd", method="model")


def test_the_funsd_schema_is_a_form_and_not_detected() -> None:
    schema = load_schema("funsd")
    assert schema.kind == "form" and schema.fields == {}
    assert extract_fields(_form(), "auto").doc_type == "unknown"


def test_train_fields_trains_a_form_labeller_from_funsd_json(tmp_path: Path) -> None:
    data = _write_funsd(tmp_path / "data")
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "train",
            "fields",
            "--schema",
            "funsd",
            "--dataset",
            str(data),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "out" / "funsd.json").read_text(encoding="utf-8"))
    assert card["forms"] == ["form0", "form1"] and card["entities"] == 8
    result = runner.invoke(
        app, ["train", "fields", "--schema", "funsd", "--dataset", str(tmp_path / "nowhere")]
    )
    assert result.exit_code == 2 and "not a folder" in result.output


def test_the_linker_finds_funsd_links_from_true_labels(shared_datasets: Path) -> None:
    """The linker alone (true entities and labels) on FUNSD's test forms: 0.906 F1 measured;
    a regression below 0.85 fails."""
    forms = read_forms(shared_datasets / "funsd-test")
    tp = fp = fn = 0
    for form in forms:
        found, truth = set(link_entities(form.entities)), set(form.links)
        tp, fp, fn = tp + len(found & truth), fp + len(found - truth), fn + len(truth - found)
    assert len(forms) >= 20 and tp + fn >= 400
    assert 2 * tp / (2 * tp + fp + fn) >= 0.85
