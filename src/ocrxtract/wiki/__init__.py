"""The wiki's generated pages, written as plain Markdown before ``mkdocs build --strict``.

:func:`write_generated_pages` reads the registries and the results store and writes, under the
wiki folder (``docs_dir`` of ``mkdocs.yml``):

* ``jeux-de-donnees.md``: every dataset of ``datasets.yml`` (content, license, tasks, size,
  quirks and what the loaders do about them) — :mod:`.datasets_page`;
* ``moteurs/reference.md``: every registered engine and its options — :mod:`.engines_page`;
* ``resultats/index.md``: the leaderboards of ``benchmarks/results/<campaign>/summary.json``
  with two charts per campaign, or a placeholder naming the command that fills it when there
  are no results — :mod:`.results_page`, charts by :mod:`.charts` in ``img/generated/*.svg``;
* ``_generated/*.md``: snippets that hand-written pages include (``pymdownx.snippets``): each
  engine's figures, and the screenshots when their files exist — :mod:`.images`.

Nothing is recognised or scored here, and the output depends only on the registries and the
result files (no date, no machine state), so regenerating changes nothing unless they changed.
The package never imports mkdocs.

Command line: ``python -m ocrxtract.wiki wiki/ [--results benchmarks/results]``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ocrxtract.datasets.registry import REPO_ROOT, project_datasets, registry_path
from ocrxtract.engines import engine_names
from ocrxtract.errors import InputNotFoundError
from ocrxtract.wiki.common import md_table, md_text, repo_relative, slug, write_if_changed
from ocrxtract.wiki.datasets_page import datasets_page
from ocrxtract.wiki.engines_page import engines_page, option_docs
from ocrxtract.wiki.images import DATASET_IMAGES, SCREENSHOTS, screenshot_snippet
from ocrxtract.wiki.results_page import (
    CHARTS_DIR,
    CampaignResults,
    accuracy_chart,
    engine_results_snippet,
    find_results,
    results_page,
    speed_chart,
)

log = logging.getLogger(__name__)

DATASETS_PAGE = "jeux-de-donnees.md"
ENGINES_PAGE = "moteurs/reference.md"
RESULTS_PAGE = "resultats/index.md"
SNIPPETS_DIR = "_generated"
DEFAULT_RESULTS = REPO_ROOT / "benchmarks" / "results"

__all__ = [
    "CHARTS_DIR",
    "DATASETS_PAGE",
    "DEFAULT_RESULTS",
    "ENGINES_PAGE",
    "RESULTS_PAGE",
    "SNIPPETS_DIR",
    "CampaignResults",
    "datasets_page",
    "engines_page",
    "find_results",
    "md_table",
    "md_text",
    "option_docs",
    "results_page",
    "write_generated_pages",
]


def write_generated_pages(
    wiki_dir: str | Path, results_dir: str | Path | None = None
) -> list[Path]:
    """Write every generated page, chart and snippet of the wiki.

    Args:
        wiki_dir: The wiki folder (``docs_dir`` of ``mkdocs.yml``).
        results_dir: Benchmark results (``<results_dir>/<campaign>/summary.json``); default
            ``benchmarks/results`` of the repository.

    Returns:
        The files written or already up to date, in a stable order.

    Raises:
        InputNotFoundError: ``wiki_dir`` is not a folder, or no ``datasets.yml`` is found.
        CorruptInputError: the dataset registry cannot be read.
    """
    wiki = Path(wiki_dir)
    if not wiki.is_dir():
        raise InputNotFoundError(wiki, "not a folder", "give the wiki folder, e.g. wiki/")
    results = find_results(Path(results_dir) if results_dir is not None else DEFAULT_RESULTS)
    registry = repo_relative(registry_path())
    images = {name: screenshot_snippet(0, shots, wiki) for name, shots in DATASET_IMAGES.items()}
    written = [
        write_if_changed(wiki / DATASETS_PAGE, datasets_page(project_datasets(), registry, images)),
        write_if_changed(wiki / ENGINES_PAGE, engines_page()),
    ]
    charts: dict[str, dict[str, str]] = {}
    chart_dir = wiki / CHARTS_DIR
    for result in results:
        charts[result.name] = {}
        for suffix, caption, maker in (
            ("precision-par-jeu", "Précision par jeu de données", accuracy_chart),
            ("precision-vitesse", "Précision et vitesse", speed_chart),
        ):
            svg = maker(result)
            if svg is not None:
                file = f"{slug(result.name)}-{suffix}.svg"
                written.append(write_if_changed(chart_dir / file, svg))
                charts[result.name][f"{caption} ({result.name})"] = file
    if chart_dir.is_dir():  # charts of campaigns that are gone would be orphan files
        wanted = {p.name for p in written if p.parent == chart_dir}
        for stale in sorted(chart_dir.glob("*.svg")):
            if stale.name not in wanted:
                stale.unlink()
                log.info("removed %s (its campaign has no results any more)", stale)
    written.append(write_if_changed(wiki / RESULTS_PAGE, results_page(results, charts)))
    snippets = wiki / SNIPPETS_DIR
    for name in engine_names():
        snippet = engine_results_snippet(name, results)
        written.append(write_if_changed(snippets / f"resultats-{slug(name)}.md", snippet))
    for snippet_name, (depth, shots) in SCREENSHOTS.items():
        text = screenshot_snippet(depth, shots, wiki)
        written.append(write_if_changed(snippets / snippet_name, text))
    return written
