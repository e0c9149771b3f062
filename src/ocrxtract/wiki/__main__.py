"""``python -m ocrxtract.wiki WIKI_DIR [--results DIR]``: write the wiki's generated pages."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ocrxtract.errors import OcrxtractError
from ocrxtract.wiki import write_generated_pages

log = logging.getLogger("ocrxtract.wiki")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, write the pages; a typed error becomes its exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m ocrxtract.wiki", description="Write the wiki's generated pages."
    )
    parser.add_argument("wiki_dir", type=Path, help="the wiki folder (docs_dir of mkdocs.yml)")
    parser.add_argument(
        "--results", type=Path, default=None, help="benchmark results (default: benchmarks/results)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        written = write_generated_pages(args.wiki_dir, args.results)
    except OcrxtractError as exc:
        log.error("error: %s", exc)
        return exc.exit_code
    log.info("%d generated file(s) up to date in %s", len(written), args.wiki_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
