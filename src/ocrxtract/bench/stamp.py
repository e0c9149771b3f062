"""Moved to :mod:`ocrxtract.stamp` (the batch runs stamp their results too); kept so that
``from ocrxtract.bench.stamp import ...`` goes on working."""

from ocrxtract.stamp import (
    MAX_CHANGED,
    SOURCE_ROOT,
    STAMPED_PACKAGES,
    git_state,
    machine,
    now_iso,
    stamp,
    usable_cores,
    versions,
)

__all__ = [
    "MAX_CHANGED",
    "SOURCE_ROOT",
    "STAMPED_PACKAGES",
    "git_state",
    "machine",
    "now_iso",
    "stamp",
    "usable_cores",
    "versions",
]
