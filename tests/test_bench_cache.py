"""The engine-output cache: keys, atomic entries, damaged entries, page identities."""

from __future__ import annotations

import logging
import shutil

import pytest
from PIL import Image

from ocrxtract.bench.cache import (
    BenchCache,
    CachedLines,
    CachedPage,
    default_cache_dir,
    key_options,
    lines_key,
    page_key,
)
from ocrxtract.bench.pages import PageCursor, page_identities
from ocrxtract.datasets import load_sample
from ocrxtract.document import BBox, Page, Provenance, Word, block_from_lines, line_from_words
from ocrxtract.errors import UsageError
from test_bench_kit import tiny_fixture  # noqa: F401 - the `tiny` fixture

OPTIONS = {"languages": ["fra"], "psm": 3}


def a_page() -> Page:
    word = Word(text="Qualité", bbox=BBox(x0=1, y0=2, x1=30, y1=12), confidence=0.9876)
    return Page(
        index=0,
        width=40,
        height=20,
        dpi=300.0,
        blocks=[block_from_lines([line_from_words([word])])],
        provenance=Provenance(engine="x", engine_version="1", seconds=0.5),
    )


def test_page_keys_depend_on_engine_version_options_and_page():
    key = page_key("tesseract", "5.5", OPTIONS, "page-1")
    assert key == page_key("tesseract", "5.5", dict(reversed(OPTIONS.items())), "page-1")
    assert key != page_key("rapidocr", "5.5", OPTIONS, "page-1")
    assert key != page_key("tesseract", "5.6", OPTIONS, "page-1")
    assert key != page_key("tesseract", "5.5", {**OPTIONS, "psm": 6}, "page-1")
    assert key != page_key("tesseract", "5.5", OPTIONS, "page-2")


def test_thread_counts_do_not_change_keys():
    from ocrxtract.engines import get_engine_class

    for engine, option in (("rapidocr", "threads"), ("paddleocr", "cpu_threads")):
        execution = get_engine_class(engine).execution_options
        one = key_options({**OPTIONS, option: 1}, execution)
        other = key_options({**OPTIONS, option: 2}, execution)
        assert page_key(engine, "3", one, "p") == page_key(engine, "3", other, "p")
    # Without the engine's execution options, a thread count is an option like the others.
    assert key_options({"threads": 1}) != key_options({"threads": 2})


def test_a_retrained_model_never_hits_an_older_entry():
    assert page_key("htr", "1", OPTIONS, "p", model="aaaa") != page_key(
        "htr", "1", OPTIONS, "p", model="bbbb"
    )


def test_line_keys_depend_on_recogniser_and_boxes():
    base = {"recognizer": "tesseract-psm7", "page_identity": "p", "boxes": [(0, 0, 5, 5)]}
    key = lines_key("tesseract", "5", OPTIONS, **base)
    assert key != lines_key("tesseract", "5", OPTIONS, **{**base, "recognizer": "page-on-crop"})
    assert key != lines_key("tesseract", "5", OPTIONS, **{**base, "boxes": [(0, 0, 5, 6)]})
    assert key != page_key("tesseract", "5", OPTIONS, "p")


def test_pages_round_trip_and_leave_no_temporary_file(tmp_path):
    cache = BenchCache(tmp_path)
    assert cache.get_page("ab" * 32) is None
    entry = CachedPage(page=a_page(), seconds=0.5, cold=True, rss_bytes=123)
    cache.put_page("ab" * 32, entry, about={"sample": "x"})
    assert cache.get_page("ab" * 32) == entry
    files = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert files == ["ab" * 32 + ".json"]
    assert cache.count("pages") == 1


def test_lines_round_trip(tmp_path):
    cache = BenchCache(tmp_path)
    entry = CachedLines(texts=("une ligne", ""), empty_crops=1, seconds=0.25, rss_bytes=7)
    cache.put_lines("cd" * 32, entry)
    assert cache.get_lines("cd" * 32) == entry
    assert cache.count("lines") == 1


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2]", b'{"seconds": 1}', b'{"page": {}, "seconds": 1, "cold": false}'],
)
def test_a_damaged_entry_is_a_miss(tmp_path, caplog, content):
    cache = BenchCache(tmp_path)
    cache.put_page("ef" * 32, CachedPage(page=a_page(), seconds=1, cold=False, rss_bytes=None))
    (tmp_path / "pages" / "ef" / ("ef" * 32 + ".json")).write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert cache.get_page("ef" * 32) is None
    assert "treated as missing" in caplog.text


def test_readonly_cache_writes_nothing(tmp_path):
    cache = BenchCache(tmp_path / "c", readonly=True)
    cache.put_page("ab" * 32, CachedPage(page=a_page(), seconds=1, cold=False, rss_bytes=None))
    assert not (tmp_path / "c").exists()


def test_default_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OCRXTRACT_CACHE_DIR", str(tmp_path / "caches"))
    assert default_cache_dir() == tmp_path / "caches" / "bench"
    monkeypatch.delenv("OCRXTRACT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "ocrxtract" / "bench"


def test_file_pages_are_identified_by_content_not_by_path(tiny):
    sample = load_sample("tiny", "a")
    (identity,) = page_identities(sample)
    images = tiny / "data" / "tiny" / "images"
    shutil.copy(images / "a.png", images / "copy.png")
    shutil.copy(
        tiny / "data" / "tiny" / "gt" / "a.box.csv", tiny / "data" / "tiny" / "gt" / "copy.box.csv"
    )
    assert page_identities(load_sample("tiny", "copy")) == [identity]
    Image.new("RGB", (200, 100), "black").save(images / "copy.png", dpi=(300, 300))
    assert page_identities(load_sample("tiny", "copy")) != [identity]
    assert page_identities(load_sample("tiny", "b")) != [identity]


def test_generated_pages_are_identified_by_their_pixels(monkeypatch):
    monkeypatch.delenv("OCRXTRACT_DATASETS_FILE", raising=False)
    first = page_identities(load_sample("sample-fr", "seed-0000"))
    assert first == page_identities(load_sample("sample-fr", "seed-0000"))
    assert first[0].startswith("pixels:")
    assert first != page_identities(load_sample("sample-fr", "seed-0001"))


def test_page_cursor_decodes_in_order_only_when_asked(tiny):
    cursor = PageCursor(load_sample("tiny", "a"))
    assert cursor.decoded == 0
    assert cursor.get(0).width == 200
    assert cursor.get(0).width == 200  # the same page again is not decoded twice
    assert cursor.decoded == 1
    with pytest.raises(UsageError, match="has no page 1"):
        cursor.get(1)
