"""Provenance stamped on every result file: git commit, versions, machine, time.

As Hugging Face evaluate's ``saving.py`` does: a figure without the code, the library versions
and the machine that produced it cannot be compared with another.
"""

from __future__ import annotations

import logging
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ocrxtract import __version__

log = logging.getLogger(__name__)

#: Libraries whose versions can change a benchmark's figures.
STAMPED_PACKAGES = (
    "numpy",
    "pillow",
    "pypdfium2",
    "jiwer",
    "rapidfuzz",
    "pyarrow",
    "tesserocr",
    "pytesseract",
    "rapidocr",
    "onnxruntime",
    "opencv-python",
    "opencv-python-headless",
    "easyocr",
    "python-doctr",
    "paddleocr",
    "torch",
)
#: The checkout holding the package when it is used from a source tree (src layout).
SOURCE_ROOT = Path(__file__).resolve().parents[2]


def now_iso() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(SOURCE_ROOT), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("git %s failed: %s", " ".join(args), exc)
        return None
    return done.stdout.strip() if done.returncode == 0 else None


#: At most this many changed files are named in a stamp.
MAX_CHANGED = 30


def git_state() -> dict[str, Any]:
    """Commit of the source checkout, whether tracked files differ from it, and which.

    ``commit`` is ``None`` when the package is not run from a git checkout; ``changed`` lists
    the tracked files that differ (at most :data:`MAX_CHANGED`), so a result produced from a
    modified tree says exactly what was modified.
    """
    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None, "changed": []}
    status = _git("status", "--porcelain", "--untracked-files=no")
    if status is None:
        return {"commit": commit, "dirty": None, "changed": []}
    # Each line is "XY path" (or "XY old -> new"); the first line's leading blank of a
    # worktree-only change (" M path") is gone with the output's strip: split on blanks.
    changed = sorted(
        line.split(maxsplit=1)[1].split(" -> ")[-1].strip()
        for line in status.splitlines()
        if len(line.split(maxsplit=1)) == 2
    )
    return {"commit": commit, "dirty": bool(changed), "changed": changed[:MAX_CHANGED]}


def _cpuinfo(field: str) -> str | None:
    """The first ``field`` line's value in ``/proc/cpuinfo`` (Linux; ``None`` elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith(field):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    return _cpuinfo("model name") or platform.processor() or platform.machine()


#: CPU instruction sets that decide which kernels onnxruntime runs: compare speed figures only
#: between machines that have the same ones (the speed campaign's 79 pages went 1.3x faster
#: with rapidocr's settings on an AMD EPYC with AVX-512 than on another with AVX2 alone, while
#: Tesseract went 7 % slower: the two machines may differ in more than these; wiki "Vitesse").
VECTOR_EXTENSIONS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")


def _vector_extensions() -> list[str]:
    """Those of :data:`VECTOR_EXTENSIONS` the CPU has (Linux; empty elsewhere)."""
    flags = set((_cpuinfo("flags") or "").split())
    return [name for name in VECTOR_EXTENSIONS if name in flags]


def _ram_bytes() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def usable_cores() -> int:
    """Cores this process may run on (affinity), or the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def machine() -> dict[str, Any]:
    """CPU model and vector extensions, logical and usable cores, RAM, operating system."""
    return {
        "cpu": _cpu_model(),
        "vector_extensions": _vector_extensions(),
        "cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "ram_bytes": _ram_bytes(),
        "system": f"{platform.system()} {platform.release()}",
        "architecture": platform.machine(),
    }


def versions() -> dict[str, str]:
    """ocrxtract, Python and every installed library of :data:`STAMPED_PACKAGES`."""
    found = {"ocrxtract": __version__, "python": sys.version.split()[0]}
    for package in STAMPED_PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            continue
    return found


def stamp() -> dict[str, Any]:
    """Everything above, with the time: the header of a summary file."""
    return {"time": now_iso(), "git": git_state(), "versions": versions(), "machine": machine()}
