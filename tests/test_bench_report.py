"""Leaderboards: corpus aggregation from counts (worked out by hand), warm speed, errors left
out, headlines, Markdown, and ``regenerate`` from a results folder."""

from __future__ import annotations

import pytest

from ocrxtract.bench.markdown import percent, render_markdown
from ocrxtract.bench.refresh import regenerate
from ocrxtract.bench.report import aggregate, headline, leaderboard
from ocrxtract.bench.results import (
    LEADERBOARD_FILE,
    ROWS_FILE,
    SUMMARY_FILE,
    new_row,
    read_rows,
    write_json,
    write_rows,
)
from ocrxtract.errors import InputNotFoundError


def row(sample: str, *, engine="e", dataset="d", status="ok", **values):
    return new_row(
        engine=engine, dataset=dataset, sample_id=sample, task="t", status=status, **values
    )


def text_row(sample, edits, ref, **values):
    return row(sample, exact_char_edits=edits, exact_char_ref=ref, pages=1, **values)


def test_cer_is_total_edits_over_total_characters():
    # 1 edit in 10 characters and 9 in 30: corpus 10/40 = 25 %, not the mean of 10 % and 30 %
    record = aggregate([text_row("a", 1, 10), text_row("b", 9, 30)])
    assert record["cer_exact"] == pytest.approx(0.25)
    assert record["cer_folded"] is None  # no row measured it
    assert (record["samples"], record["errors"], record["pages"]) == (2, 0, 2)


def test_bag_of_words_and_detection_f1_are_micro_averages():
    rows = [
        row("a", exact_bow_tp=8, exact_bow_fp=2, exact_bow_fn=0, det_tp=1, det_fp=0, det_fn=3),
        row("b", exact_bow_tp=0, exact_bow_fp=0, exact_bow_fn=10, det_tp=0, det_fp=0, det_fn=0),
    ]
    record = aggregate(rows)
    assert record["bow_f1_exact"] == pytest.approx(16 / 28)  # 2*8 / (2*8 + 2 + 10)
    assert record["word_det_f1"] == pytest.approx(2 / 5)  # 2*1 / (2*1 + 0 + 3)


def test_line_cer_sums_line_counts():
    rows = [
        row("a", lines=3, line_exact_char_edits=2, line_exact_char_ref=40),
        row("b", lines=1, line_exact_char_edits=0, line_exact_char_ref=10),
    ]
    record = aggregate(rows)
    assert record["line_cer_exact"] == pytest.approx(2 / 50)
    assert record["lines"] == 4


def test_speed_is_warm_and_memory_is_the_peak():
    rows = [
        # a worker's first page took 5 s (model loading), its next ones 1 s and 2 s
        row("a", pages=2, seconds=6.0, cold_pages=1, cold_seconds=5.0, peak_rss_bytes=300 << 20),
        row("b", pages=1, seconds=2.0, cold_pages=0, cold_seconds=0.0, peak_rss_bytes=500 << 20),
    ]
    record = aggregate(rows)
    assert record["seconds_per_page"] == pytest.approx(1.5)  # (6 + 2 - 5) / (3 - 1)
    assert record["pages_per_minute"] == pytest.approx(40.0)
    assert record["warm"] is True
    assert record["peak_rss_mib"] == pytest.approx(500.0)


def test_speed_falls_back_to_cold_pages_and_says_so():
    record = aggregate([row("a", pages=1, seconds=4.0, cold_pages=1, cold_seconds=4.0)])
    assert (record["seconds_per_page"], record["warm"]) == (4.0, False)


def test_failed_samples_are_counted_not_scored():
    rows = [text_row("a", 1, 10), row("b", status="error", error="boom", error_type="X")]
    record = aggregate(rows)
    assert (record["samples"], record["errors"]) == (2, 1)
    assert record["cer_exact"] == pytest.approx(0.1)


def test_empty_references_give_no_rate():
    assert aggregate([text_row("a", 0, 0)])["cer_exact"] is None
    assert aggregate([])["samples"] == 0


def test_headline_follows_the_dataset():
    record = {"cer_folded": 0.12, "bow_f1_exact": 0.8}
    assert (
        headline(record, {"headline": {"metric": "cer", "normalisation": "folded"}})["value"]
        == 0.12
    )
    assert (
        headline(record, {"headline": {"metric": "bow_f1", "normalisation": "exact"}})[
            "lower_is_better"
        ]
        is False
    )
    teds = headline(record, {"headline": {"metric": "teds", "normalisation": "exact"}})
    assert (teds["value"], teds["measured"]) == (None, True)  # the tables task measures it
    fields = headline(record, {"headline": {"metric": "field_f1", "normalisation": "exact"}})
    assert (fields["value"], fields["measured"]) == (None, True)  # the fields task measures it
    unknown = headline(record, {"headline": {"metric": "reading_order", "normalisation": "exact"}})
    assert (unknown["value"], unknown["measured"]) == (None, False)


def test_leaderboard_orders_datasets_then_engines():
    rows = [
        text_row("a", 1, 10, engine="rapidocr", dataset="sroie"),
        text_row("a", 2, 10, engine="tesseract", dataset="sroie"),
        text_row("a", 3, 10, engine="tesseract", dataset="funsd-test"),
    ]
    datasets = {
        "funsd-test": {},
        "sroie": {"headline": {"metric": "cer", "normalisation": "exact"}},
    }
    records = leaderboard(rows, datasets, ["tesseract", "rapidocr"])
    assert [(r["dataset"], r["engine"]) for r in records] == [
        ("funsd-test", "tesseract"),
        ("sroie", "tesseract"),
        ("sroie", "rapidocr"),
    ]
    assert records[2]["headline"]["value"] == pytest.approx(0.1)


def test_percent():
    assert percent(0.05612) == "5.61 %"
    assert percent(0.9, 1) == "90.0 %"
    assert percent(None) == "—"


def summary_for(rows):
    datasets = {
        "sroie": {
            "headline": {"metric": "cer", "normalisation": "folded"},
            "samples": 2,
            "limit": 2,
            "available": 74,
            "why": "a quick look",
            "not_measured": ["field_f1"],
        }
    }
    return {
        "campaign": {"name": "demo", "description": "A demo.", "file": "benchmarks/demo.yml"},
        "stamp": {
            "time": "2025-01-01T00:00:00+00:00",
            "git": {"commit": "0123456789abcdef", "dirty": True},
            "versions": {"ocrxtract": "0.1.0", "python": "3.11.7", "tesserocr": "2.13.0"},
            "machine": {
                "cpu": "a CPU",
                "vector_extensions": ["avx2", "avx512f"],
                "cores": 2,
                "usable_cores": 2,
                "ram_bytes": 8 << 30,
            },
        },
        "run": {"wall_seconds": 12.0, "pages_recognized": 2, "pages_cached": 0},
        "engines": {
            "tesseract": {"name": "tesseract", "version": "5.5", "processes": 2, "threads": 1}
        },
        "datasets": datasets,
        "skipped": [{"engine": None, "dataset": "icdar2013-tables", "reason": "no OCR task"}],
        "leaderboard": leaderboard(rows, datasets, ["tesseract"]),
        "errors": [],
    }


def test_markdown_page():
    rows = [
        row(
            "a",
            engine="tesseract",
            dataset="sroie",
            pages=1,
            folded_char_edits=3,
            folded_char_ref=100,
        ),
        row(
            "b",
            engine="tesseract",
            dataset="sroie",
            pages=1,
            folded_char_edits=1,
            folded_char_ref=100,
        ),
    ]
    text = render_markdown(summary_for(rows))
    assert text.startswith("# Benchmark `demo`\n\n> A demo.\n")
    assert "commit `0123456789` (with uncommitted changes)" in text
    assert "a CPU (AVX2, AVX512F), 2 cores (2 usable), 8.0 GiB RAM" in text
    assert "| sroie | 2 | CER folded ↓ | 2.00 % |" in text  # (3 + 1) / 200
    assert "|---|---|---|---:|" in text
    assert "field F1 (sroie)" in text
    assert "- `sroie`: limit 2 of 74 samples: a quick look." in text
    assert "- Skipped `icdar2013-tables`: no OCR task" in text


def test_regenerate_recomputes_from_rows(tmp_path):
    rows = [
        row(
            "a",
            engine="tesseract",
            dataset="sroie",
            pages=1,
            folded_char_edits=3,
            folded_char_ref=100,
        )
    ]
    summary = summary_for(rows)
    summary["leaderboard"] = []  # stale: regenerate recomputes it from the rows
    write_json(tmp_path / SUMMARY_FILE, summary)
    write_rows(tmp_path / ROWS_FILE, rows)
    regenerated, path = regenerate(tmp_path)
    assert path == tmp_path / LEADERBOARD_FILE
    assert regenerated["leaderboard"][0]["cer_folded"] == pytest.approx(0.03)
    assert "| sroie | 2 | CER folded ↓ | 3.00 % |" in path.read_text(encoding="utf-8")
    assert read_rows(tmp_path / ROWS_FILE) == rows


def test_regenerate_without_results_names_the_missing_file(tmp_path):
    with pytest.raises(InputNotFoundError, match=r"summary\.json: no summary file"):
        regenerate(tmp_path)


def test_results_are_broken_down_by_document_type_and_difficulty():
    from ocrxtract.bench.markdown import breakdown_tables
    from ocrxtract.bench.report import breakdown

    rows = [
        text_row("p1", 1, 10, doc_type="payslip", difficulty="clean"),
        text_row("p2", 3, 10, doc_type="payslip", difficulty="scan"),
        text_row("r1", 0, 20, doc_type="receipt", difficulty="scan"),
        text_row("x", 5, 10),  # a sample that says nothing: in no breakdown
    ]
    datasets = {"d": {"headline": {"metric": "cer", "normalisation": "exact"}}}
    records = {(r["by"], r["value"]): r for r in breakdown(rows, datasets, ["e"])}
    assert set(records) == {
        ("doc_type", "payslip"),
        ("doc_type", "receipt"),
        ("difficulty", "clean"),
        ("difficulty", "scan"),
    }
    assert records[("doc_type", "payslip")]["cer_exact"] == pytest.approx(4 / 20)
    assert records[("difficulty", "scan")]["cer_exact"] == pytest.approx(3 / 30)
    assert records[("difficulty", "scan")]["samples"] == 2
    tables = {
        title: rows
        for title, _, rows in breakdown_tables(
            {"breakdown": list(records.values()), "datasets": datasets}
        )
    }
    assert tables["By document type"][0] == ["d", "payslip", "2", "CER exact", "20.00 %"]
    assert [r[1] for r in tables["By difficulty"]] == ["clean", "scan"]
