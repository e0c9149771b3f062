"""Cold start of an engine: the wall time of ``ocrxtract ocr PAGE -e ENGINE`` and its parts.

Each configuration is run ``--repeats`` times in a fresh process (median reported):

* ``cli wall``: ``ocrxtract ocr PAGE -e ENGINE [-O ...] -o TMP``, as a user types it;
* then, in one fresh Python process per repeat: ``imports`` (ocrxtract's pipeline and the
  engine's packages), ``models`` (for rapidocr: RapidOCR built, its recognition and
  detection ONNX Runtime sessions created; other engines load on their first page),
  ``first page`` and ``second page`` (the same page again: the warm time).

Usage::

    .venv/bin/python benchmarks/cold_start.py [PAGE] [--repeats 3]
        [--config LABEL=ENGINE[:PRESET][,KEY=VALUE,...] ...]

PAGE defaults to a generated rent receipt (A4, 300 dpi). The default configurations are
``rapidocr:accurate`` (rapidocr's own settings, the default until December 2026), ``rapidocr``
(its default) and ``rapidocr:fast`` (the preset).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROBE = r"""
import json, sys, time
began = time.perf_counter()
from ocrxtract.io import iter_pages
from ocrxtract.pipeline import engine_for, read_page
from ocrxtract.engines import create_engine
engine = create_engine(sys.argv[1], json.loads(sys.argv[3]))
engine.availability()
imported = time.perf_counter()
built = getattr(engine, "_engine", None)  # rapidocr: RapidOCR and its recogniser
if built is not None:
    getattr(built(), "_load_det_model", lambda: None)()  # and the detection session
loaded = time.perf_counter()
page = next(iter(iter_pages(sys.argv[2])))
read_page(engine, page)
first = time.perf_counter()
read_page(engine, page)
second = time.perf_counter()
print(json.dumps({"imports": imported - began, "models": loaded - imported,
                  "first page": first - loaded, "second page": second - first}))
"""

DEFAULT_CONFIGS = ["accurate=rapidocr:accurate", "default=rapidocr", "fast=rapidocr:fast"]


def parse_config(text: str) -> tuple[str, str, dict[str, object]]:
    """``LABEL=ENGINE[:PRESET][,KEY=VALUE,...]`` -> label, engine, options."""
    label, _, rest = text.partition("=")
    engine, *pairs = rest.split(",")
    options: dict[str, object] = {}
    for pair in filter(None, pairs):
        key, _, value = pair.partition("=")
        options[key] = json.loads(value) if value[:1] in '0123456789-tf[{"' else value
    return label, engine, options


def cli_wall(page: Path, engine: str, options: dict[str, object]) -> float:
    command = [str(Path(sys.executable).with_name("ocrxtract")), "ocr", str(page), "-e", engine]
    for key, value in options.items():
        command += ["-O", f"{key}={json.dumps(value) if not isinstance(value, str) else value}"]
    with tempfile.TemporaryDirectory() as out:
        began = time.perf_counter()
        subprocess.run([*command, "-o", out], check=True, capture_output=True)
        return time.perf_counter() - began


def parts(page: Path, engine: str, options: dict[str, object]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, engine, str(page), json.dumps(options)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", nargs="?", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--config", action="append", default=[])
    args = parser.parse_args(argv)
    page = args.page
    if page is None:
        from ocrxtract.sample import render_sample_page

        page = Path(tempfile.mkdtemp()) / "rent-receipt.png"
        sample = render_sample_page(seed=0, dpi=300)
        sample.page.image.save(page, dpi=(300, 300))
    configs = [parse_config(c) for c in args.config or DEFAULT_CONFIGS]
    print(
        f"page: {page}; {args.repeats} fresh processes each; {os.cpu_count()} cores; median seconds"
    )
    print(
        f"{'configuration':<14} {'cli wall':>9} {'imports':>8} {'models':>7} "
        f"{'1st page':>9} {'2nd page':>9}"
    )
    for label, engine, options in configs:
        walls = [cli_wall(page, engine, options) for _ in range(args.repeats)]
        runs = [parts(page, engine, options) for _ in range(args.repeats)]
        median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"{label:<14} {statistics.median(walls):9.2f} {median['imports']:8.2f} "
            f"{median['models']:7.2f} {median['first page']:9.2f} {median['second page']:9.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
