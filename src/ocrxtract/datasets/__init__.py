"""Evaluation datasets: the registry (``datasets.yml``), one loader per ground-truth format, and
explicit downloads.

>>> from ocrxtract.datasets import load_dataset
>>> for sample in load_dataset("sroie", limit=2):  # doctest: +SKIP
...     pages = sample.load_pages()
...     print(sample.sample_id, sample.fields["total"], len(sample.scorable_lines))
"""

from __future__ import annotations

from ocrxtract.datasets.base import PageRef, Sample, ScorableLine, UntranscribedZone
from ocrxtract.datasets.fetch import FetchResult, ProgressCallback, fetch_dataset
from ocrxtract.datasets.registry import (
    DatasetSpec,
    data_dir,
    dataset_info,
    discover,
    find_root,
    get_spec,
    list_datasets,
    load_dataset,
    load_sample,
    register_dataset,
    register_format,
    shared_dirs,
    unregister_dataset,
)
from ocrxtract.document import Table, TableCell
from ocrxtract.errors import (
    DatasetDownloadError,
    DatasetNotAvailableError,
    MissingDependencyError,
    UnknownDatasetError,
)

__all__ = [
    "DatasetDownloadError",
    "DatasetNotAvailableError",
    "DatasetSpec",
    "FetchResult",
    "MissingDependencyError",
    "PageRef",
    "ProgressCallback",
    "Sample",
    "ScorableLine",
    "Table",
    "TableCell",
    "UnknownDatasetError",
    "UntranscribedZone",
    "data_dir",
    "dataset_info",
    "discover",
    "fetch_dataset",
    "find_root",
    "get_spec",
    "list_datasets",
    "load_dataset",
    "load_sample",
    "register_dataset",
    "register_format",
    "shared_dirs",
    "unregister_dataset",
]
