"""The ``fields`` benchmark task: per-sample counts and corpus figures, computed by hand."""

from __future__ import annotations

import pytest

from ocrxtract.bench.scorers import Prediction, get_scorer
from ocrxtract.datasets import Sample
from ocrxtract.document import Document, KeyField, Page


def _sample(reference: dict[str, str], /, **tags: str) -> Sample:
    page = Page(index=0, width=100, height=100)
    return Sample(
        dataset="d", sample_id="s", pages=(), truth=Document(source="s", pages=[page]), text="",
        fields=reference, tags=tags,
    )  # fmt: skip


def _prediction(values: dict[str, str | None]) -> Prediction:
    document = Document(
        source="s",
        pages=[Page(index=0, width=100, height=100)],
        fields=[KeyField(name=name, value=value) for name, value in values.items()],
    )
    return Prediction(document=document, extractor="fields")


def test_a_schema_scores_its_fields_and_only_them() -> None:
    scorer = get_scorer("fields")
    # A generated payslip: adresse_salarie is in the truth but not in the payslip schema.
    sample = _sample(
        {"net_a_payer": "1 740,58 €", "periode_fin": "31/03/2024", "adresse_salarie": "1 rue"},
        doc_type="bulletin-de-salaire",
    )
    row = scorer.score(
        sample,
        _prediction(
            {
                "net_a_payer": "1740.58",  # right (amounts compared by value)
                "periode_fin": "2024-03-30",  # wrong: one FP and one FN
                "siret": "73282932000074",  # a schema field the reference lacks: FP
                "colour": "blue",  # not a schema field: not counted
            }
        ),
    )
    assert (row["field_tp"], row["field_fp"], row["field_fn"]) == (1, 2, 1)
    assert row["field_schema"] == "payslip"
    assert row["fields_wrong"] == "periode_fin"
    assert row["sample_field_f1"] == pytest.approx(2 / (2 + 2 + 1))


def test_a_named_schema_wins_over_the_document_type() -> None:
    row = get_scorer("fields").score(
        _sample({"total": "12.50", "date": "01/02/2019"}, schema="sroie", doc_type="facture"),
        _prediction({"total": "12.5", "date": "2019-02-01", "company": "ACME"}),
    )
    assert row["field_schema"] == "sroie"
    assert (row["field_tp"], row["field_fp"], row["field_fn"]) == (2, 1, 0)


def test_without_a_schema_the_reference_names_are_the_label_set() -> None:
    row = get_scorer("fields").score(
        _sample({"Name:": "Jane Doe", "Date:": "1998"}),
        _prediction({"Name:": "jane  DOE", "net_a_payer": "12.00"}),
    )
    assert row["field_schema"] is None
    # "Name:" matches after folding; "Date:" is missed; net_a_payer is outside the label set.
    assert (row["field_tp"], row["field_fp"], row["field_fn"]) == (1, 0, 1)
    assert row["fields_wrong"] == "Date:"


def test_a_form_schema_scores_the_pairs_under_the_reference_names() -> None:
    """``funsd`` names no fields: its pairs (named by their question) meet the reference's."""
    row = get_scorer("fields").score(
        _sample({"Name": "Jane Doe", "Date": "1998"}, schema="funsd"),
        _prediction({"Name": "Jane Doe", "Fax": "555"}),
    )
    assert row["field_schema"] is None
    assert (row["field_tp"], row["field_fp"], row["field_fn"]) == (1, 0, 1)


def test_a_sample_without_reference_fields_is_not_scored() -> None:
    assert get_scorer("fields").score(_sample({}), _prediction({"total": "1"})) == {}
    assert get_scorer("fields").score(_sample({"total": " "}), _prediction({"total": "1"})) == {}


def test_corpus_figures_sum_the_counts() -> None:
    scorer = get_scorer("fields")
    rows = [
        {"field_tp": 9, "field_fp": 1, "field_fn": 1},
        {"field_tp": 1, "field_fp": 3, "field_fn": 9},
        {"field_tp": None, "field_fp": None, "field_fn": None},  # a row not scored
    ]
    figures = scorer.aggregate(rows)
    assert figures["field_precision"] == pytest.approx(10 / 14)
    assert figures["field_recall"] == pytest.approx(10 / 20)
    assert figures["field_f1"] == pytest.approx(20 / (20 + 4 + 10))
    assert scorer.aggregate([]) == {
        "field_f1": None,
        "field_precision": None,
        "field_recall": None,
    }


def test_an_unknown_schema_name_says_which_ones_exist() -> None:
    from ocrxtract.errors import UsageError

    with pytest.raises(UsageError, match=r"known: .*payslip"):
        get_scorer("fields").score(_sample({"a": "1"}, schema="nope"), _prediction({}))


def test_a_partial_reference_scores_only_its_fields_under_the_schema_aliases() -> None:
    # A Factur-X XML: names of its own, mapped by the invoice schema's aliases; no due date.
    sample = _sample(
        {"invoice_number": "F-2024-0012", "total_ttc": "120.00", "currency": "EUR"},
        schema="invoice",
        fields="partial",
    )
    row = get_scorer("fields").score(
        sample,
        _prediction(
            {"numero_facture": "F-2024-0012", "total_ttc": "120", "date_echeance": "2024-05-01"}
        ),
    )
    # the due date is printed but not in the XML: not counted; currency is no schema field.
    assert (row["field_tp"], row["field_fp"], row["field_fn"]) == (2, 0, 0)


def test_a_dataset_entry_can_set_the_extractor_options(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from appdata import png_bytes
    from ocrxtract.bench.campaign import Campaign
    from ocrxtract.bench.plan import plan_campaign
    from ocrxtract.datasets import register_dataset, unregister_dataset
    from ocrxtract.datasets.user import folder_spec
    from ocrxtract.errors import InvalidOptionsError, UsageError

    folder = tmp_path / "tickets"
    folder.mkdir()
    (folder / "a.png").write_bytes(png_bytes(0))
    (folder / "a.fields.json").write_text('{"schema": "sroie", "fields": {"total": "9.00"}}')
    spec = register_dataset(folder_spec("tickets-test", folder), replace=True)

    def campaign(**options: object) -> Campaign:
        return Campaign.model_validate(
            {
                "name": "t",
                "engines": ["null"],
                "extractors": ["fields"],
                "datasets": [{"name": spec.name, "extractor_options": options}],
            }
        )

    try:
        plan = plan_campaign(campaign(fields={"schema_name": "sroie"}), tmp_path)
        (task,) = plan.tasks
        (extractor,) = task.extractors
        assert extractor.options["schema_name"] == "sroie"
        assert extractor.options["method"] == "auto"  # the rest: the extractor's own
        with pytest.raises(UsageError, match="not in the campaign"):
            plan_campaign(campaign(tables={}), tmp_path)
        with pytest.raises((InvalidOptionsError, UsageError)):
            plan_campaign(campaign(fields={"colour": "blue"}), tmp_path)
    finally:
        unregister_dataset(spec.name)


def test_a_dataset_entry_can_name_the_engines_that_read_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """pdf-text on born-digital PDFs only: the other engine/dataset pairs are skipped, said."""
    from appdata import png_bytes
    from ocrxtract.bench.campaign import Campaign
    from ocrxtract.bench.plan import plan_campaign
    from ocrxtract.datasets import register_dataset, unregister_dataset
    from ocrxtract.datasets.user import folder_spec

    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "a.png").write_bytes(png_bytes(0))
    spec = register_dataset(folder_spec("scans-test", folder), replace=True)

    def campaign(engines: list[str] | None) -> Campaign:
        return Campaign.model_validate(
            {
                "name": "t",
                "engines": ["null", "pdf-text"],
                "datasets": [{"name": spec.name, "engines": engines}],
            }
        )

    try:
        everything = plan_campaign(campaign(None), tmp_path)
        assert {t.engine_name for t in everything.tasks} == {"null", "pdf-text"}
        plan = plan_campaign(campaign(["null"]), tmp_path)
        assert {t.engine_name for t in plan.tasks} == {"null"}
        (skip,) = plan.skipped
        assert (skip.engine, skip.dataset) == ("pdf-text", spec.name)
        assert "only null" in skip.reason
        assert campaign(None).fingerprint() != campaign(["null"]).fingerprint()
        with pytest.raises(ValueError, match="does not run"):
            campaign(["tesseract"])
    finally:
        unregister_dataset(spec.name)
