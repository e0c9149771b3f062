"""Speed and memory helpers: arithmetic only (nothing here is timed)."""

from __future__ import annotations

import math

import pytest

from ocrxtract.metrics import SpeedStats, maxrss_to_bytes, peak_rss_bytes, peak_rss_mib, speed


def test_warm_speed_drops_the_first_call() -> None:
    # 4.0 s cold start, then 1.0 + 2.0 + 3.0 s: 6 s over 3 pages = 2 s/page = 30 pages/min
    stats = speed([4.0, 1.0, 2.0, 3.0])
    assert stats == SpeedStats(pages=3, seconds=6.0, warm=True)
    assert stats.seconds_per_page == pytest.approx(2.0)
    assert stats.pages_per_minute == pytest.approx(30.0)


def test_calls_of_several_pages() -> None:
    # warm calls: 2 pages in 1.0 s and 4 pages in 2.0 s -> 6 pages / 3 s = 0.5 s/page = 120/min
    stats = speed([10.0, 1.0, 2.0], pages=[1, 2, 4])
    assert (stats.pages, stats.seconds) == (6, 3.0)
    assert stats.seconds_per_page == pytest.approx(0.5)
    assert stats.pages_per_minute == pytest.approx(120.0)
    assert speed([3.0, 1.0], warmup=0).seconds_per_page == pytest.approx(2.0)


def test_too_few_calls_fall_back_to_cold_and_say_so() -> None:
    stats = speed([5.0])
    assert stats == SpeedStats(pages=1, seconds=5.0, warm=False)
    assert stats.pages_per_minute == pytest.approx(12.0)


def test_empty_and_degenerate_series() -> None:
    empty = speed([])
    assert empty.pages == 0
    assert math.isnan(empty.seconds_per_page)
    assert math.isnan(empty.pages_per_minute)
    assert speed([1.0, 0.0]).pages_per_minute == math.inf  # a page in no measurable time


def test_speed_stats_add_up() -> None:
    # dataset 1: 3 pages in 6 s; dataset 2 (cold): 1 page in 2 s -> 4 pages in 8 s, not warm
    total = SpeedStats(3, 6.0) + SpeedStats(1, 2.0, warm=False)
    assert total == SpeedStats(4, 8.0, warm=False)
    assert total.seconds_per_page == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"durations": [1.0], "warmup": -1}, "warmup"),
        ({"durations": [1.0, 2.0], "pages": [1]}, "2 durations but 1 page counts"),
        ({"durations": [-1.0]}, "negative"),
        ({"durations": [1.0], "pages": [-1]}, "negative"),
    ],
)
def test_invalid_series(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        speed(**kwargs)  # type: ignore[arg-type]


def test_maxrss_units() -> None:
    assert maxrss_to_bytes(2048, "linux") == 2 * 1024 * 1024  # Linux: KiB
    assert maxrss_to_bytes(2048, "darwin") == 2048  # macOS: bytes


def test_peak_rss_of_this_process() -> None:
    value = peak_rss_bytes()
    assert value is not None and value > 1024 * 1024  # a Python process holds more than 1 MiB
    mib = peak_rss_mib()
    assert mib is not None and mib >= value / 2**20  # the peak only grows
