"""Speed and memory figures: seconds per page (warm), pages per minute, peak resident memory.

These are pure helpers over durations the benchmark measured (with ``time.perf_counter``); they
time nothing themselves.

* **Warm** speed drops the first ``warmup`` calls: the first call of an engine loads models,
  compiles kernels and fills caches, which a user pays once, not per page. When there are no
  more calls than ``warmup``, the cold durations are used and :attr:`SpeedStats.warm` says so.
* **Peak RSS** is the largest resident set size the process has had since it started
  (``getrusage().ru_maxrss``): it never goes down, so the peak of one engine is only its own
  when that engine runs in a fresh process (a benchmark worker per engine). Linux reports it in
  kibibytes, macOS in bytes; :func:`peak_rss_bytes` always returns bytes.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

MIB = 1024 * 1024


@dataclass(frozen=True)
class SpeedStats:
    """Pages and the seconds they took, after the warm-up calls were dropped.

    Attributes:
        pages: Number of pages counted.
        seconds: Total seconds spent on them.
        warm: False when too few calls were made to drop the warm-up ones.
    """

    pages: int = 0
    seconds: float = 0.0
    warm: bool = True

    def __add__(self, other: SpeedStats) -> SpeedStats:
        return SpeedStats(
            self.pages + other.pages, self.seconds + other.seconds, self.warm and other.warm
        )

    @property
    def seconds_per_page(self) -> float:
        """Mean seconds per page (NaN when no page was timed)."""
        return self.seconds / self.pages if self.pages else math.nan

    @property
    def pages_per_minute(self) -> float:
        """Throughput: ``60 / seconds_per_page`` (NaN without pages, inf for zero seconds)."""
        if not self.pages:
            return math.nan
        return 60.0 * self.pages / self.seconds if self.seconds > 0 else math.inf


def speed(
    durations: Sequence[float], pages: Sequence[int] | None = None, warmup: int = 1
) -> SpeedStats:
    """Warm speed of a series of calls.

    Args:
        durations: Seconds of each call, in the order they were made.
        pages: Pages processed by each call (same length as ``durations``); one page per call
            when omitted.
        warmup: Number of first calls to leave out.

    Returns:
        The pages and seconds of the calls after the first ``warmup`` ones, or of all calls
        (``warm=False``) when there are not more calls than ``warmup``.

    Raises:
        ValueError: negative ``warmup``, negative durations or page counts, or ``pages`` of
            another length than ``durations``.
    """
    counts = [1] * len(durations) if pages is None else list(pages)
    if warmup < 0:
        raise ValueError(f"warmup must be >= 0, got {warmup}")
    if len(counts) != len(durations):
        raise ValueError(f"{len(durations)} durations but {len(counts)} page counts")
    if any(d < 0 for d in durations) or any(c < 0 for c in counts):
        raise ValueError("durations and page counts must not be negative")
    warm = len(durations) > warmup
    start = warmup if warm else 0
    return SpeedStats(sum(counts[start:]), float(sum(durations[start:])), warm)


def maxrss_to_bytes(maxrss: int, platform: str = sys.platform) -> int:
    """Convert a ``ru_maxrss`` value to bytes: kibibytes on Linux and BSDs, bytes on macOS."""
    return maxrss if platform == "darwin" else maxrss * 1024


def peak_rss_bytes(children: bool = False) -> int | None:
    """Peak resident set size of this process (or of its finished children), in bytes.

    Args:
        children: Report the largest peak among the terminated, waited-for child processes
            (``RUSAGE_CHILDREN``) instead of this process's.

    Returns:
        Bytes, or ``None`` where the ``resource`` module does not exist (Windows).
    """
    try:
        import resource
    except ImportError:
        log.debug("no resource module on %s: peak RSS unknown", sys.platform)
        return None
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return maxrss_to_bytes(resource.getrusage(who).ru_maxrss)


def peak_rss_mib(children: bool = False) -> float | None:
    """:func:`peak_rss_bytes` in mebibytes (MiB, 2**20 bytes)."""
    value = peak_rss_bytes(children)
    return None if value is None else value / MIB
