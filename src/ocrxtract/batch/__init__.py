"""Batch runs: thousands to millions of documents, resumable, on a local pool or a Dask cluster.

>>> from ocrxtract.batch import BatchSettings, discover, run_batch
>>> sources = discover(["scans/"])  # doctest: +SKIP
>>> summary = run_batch(sources, Path("out"), BatchSettings(engine="tesseract", workers=2))
... # doctest: +SKIP
>>> summary.counts, summary.pages_per_minute  # doctest: +SKIP

=====================  ==========================================================
module                 job
=====================  ==========================================================
:mod:`.sources`        inputs: folders, globs, files, list files, CSV/Parquet manifests
:mod:`.work`           what a worker does with one input (read, export, page rows)
:mod:`.manifest`       the run manifest (SQLite): every input's status, error, timings
:mod:`.store`          the output store: documents, Parquet page parts, summary
:mod:`.settings`       settings, the engine's threads and processes, the executor
:mod:`.runner`         :func:`run_batch`: planning, resume, results, progress, summary
=====================  ==========================================================

The executors are the pipeline's (:class:`~ocrxtract.pipeline.ProcessExecutor`,
:class:`~ocrxtract.pipeline.dask_executor.DaskExecutor`); ``pyarrow`` (the page dataset) and
``dask.distributed`` (clusters) come with ``pip install 'ocrxtract[batch]'``.
"""

from ocrxtract.batch.manifest import RunManifest
from ocrxtract.batch.runner import (
    EXIT_ABORTED,
    EXIT_ALL_DONE,
    EXIT_WITH_FAILURES,
    BatchEvent,
    BatchSummary,
    run_batch,
)
from ocrxtract.batch.settings import BatchSettings, execution_for
from ocrxtract.batch.sources import Selection, Source, discover, read_list, read_manifest
from ocrxtract.batch.store import (
    MANIFEST_FILE,
    PAGE_COLUMNS,
    PAGES_FOLDER,
    RUN_FOLDER,
    SUMMARY_FILE,
    OutputStore,
)
from ocrxtract.batch.work import BatchItem, Outcome, process_item

__all__ = [
    "EXIT_ABORTED",
    "EXIT_ALL_DONE",
    "EXIT_WITH_FAILURES",
    "MANIFEST_FILE",
    "PAGES_FOLDER",
    "PAGE_COLUMNS",
    "RUN_FOLDER",
    "SUMMARY_FILE",
    "BatchEvent",
    "BatchItem",
    "BatchSettings",
    "BatchSummary",
    "Outcome",
    "OutputStore",
    "RunManifest",
    "Selection",
    "Source",
    "discover",
    "execution_for",
    "process_item",
    "read_list",
    "read_manifest",
    "run_batch",
]
