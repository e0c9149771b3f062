"""The inputs of a batch run: folders (recursive), globs, files, a list file or a manifest.

Every input becomes a :class:`Source`: its file, its path relative to the run's root (where its
outputs go under the output folder) and the metadata its manifest row carries. Folders are
walked in sorted order (the same run twice lists the same inputs in the same order); hidden
files and folders, and the output folder itself, are left out. A file found in a folder whose
type ocrxtract does not read is not dropped silently: it is listed with the reason
(:attr:`Source.skip`), unless ``--type``/``--glob`` filters asked for other files only.

A manifest is a CSV or Parquet table with a path column (``path`` by default); its other
columns are carried, as text, to the document's metadata and to its page rows. Relative paths
in a list file or a manifest are read from the list's folder.
"""

from __future__ import annotations

import csv
import fnmatch
import glob
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ocrxtract.errors import InputNotFoundError, MissingDependencyError, UsageError
from ocrxtract.io import SUPPORTED_SUFFIXES, SUPPORTED_TYPES

log = logging.getLogger(__name__)

_GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class Source:
    """One input file.

    Attributes:
        path: The file (absolute).
        metadata: Manifest columns carried to its outputs.
        skip: Why it is listed but not read (a type ocrxtract does not read), or ``None``.
    """

    path: Path
    metadata: tuple[tuple[str, str], ...] = ()
    skip: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Selection:
    """Which files of the folders walked are inputs.

    Attributes:
        patterns: Glob patterns matched against the path relative to the folder and against
            the file name (``*.pdf``, ``2024/**/*.tif``); empty: every file.
        types: File suffixes kept (``pdf``, ``.png``); empty: every type ocrxtract reads, and
            the others are listed as skipped.
    """

    patterns: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    @property
    def suffixes(self) -> frozenset[str]:
        return frozenset(
            (t if t.startswith(".") else f".{t}").lower() for t in self.types if t.strip()
        )

    @property
    def filtered(self) -> bool:
        """Whether the user chose the files (others are then left out, not listed)."""
        return bool(self.patterns or self.types)

    def wants(self, relative: PurePosixPath) -> bool:
        if self.patterns and not any(
            fnmatch.fnmatch(str(relative), p) or fnmatch.fnmatch(relative.name, p)
            for p in self.patterns
        ):
            return False
        return not self.types or relative.suffix.lower() in self.suffixes


def _unsupported(path: Path) -> str | None:
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        return None
    kind = path.suffix.lower() or "no extension"
    return (
        f"not a type ocrxtract reads ({kind}; it reads {SUPPORTED_TYPES}): rename it if its "
        "extension is wrong, or leave it out with --type"
    )


def _hidden(relative: PurePosixPath) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def walk_folder(
    folder: Path, selection: Selection, exclude: Sequence[Path] = ()
) -> Iterator[Source]:
    """The files under ``folder``, sorted, hidden ones and ``exclude`` folders left out."""
    excluded = {p.resolve() for p in exclude}
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() not in excluded
        )
        for name in sorted(files):
            path = here / name
            relative = PurePosixPath(path.relative_to(folder).as_posix())
            if _hidden(relative) or not selection.wants(relative):
                continue
            skip = None if selection.types else _unsupported(path)
            yield Source(path.resolve(), skip=skip)


def _glob(pattern: str, selection: Selection) -> list[Source]:
    found = sorted(Path(p) for p in glob.glob(pattern, recursive=True))
    return [
        Source(p.resolve())
        for p in found
        if p.is_file()
        and (not selection.types or p.suffix.lower() in selection.suffixes)
        and not _hidden(PurePosixPath(p.as_posix()))
    ]


def read_list(list_file: Path) -> list[Source]:
    """A list file: one path per line (blank lines and ``#`` comments ignored), relative paths
    read from the list's folder.

    Raises:
        InputNotFoundError: the list file cannot be read.
    """
    try:
        text = list_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputNotFoundError(list_file, f"cannot be read ({exc.strerror})") from exc
    base = list_file.parent
    sources = []
    for line in text.splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            sources.append(Source((base / entry).resolve()))
    return sources


def _table_rows(manifest: Path) -> list[dict[str, str]]:
    if manifest.suffix.lower() == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise MissingDependencyError(
                "pyarrow", "read a Parquet manifest", "pip install 'ocrxtract[batch]'"
            ) from exc
        try:
            table = pq.read_table(manifest)
        except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
            raise InputNotFoundError(manifest, f"cannot be read as Parquet ({exc})") from exc
        return [
            {k: "" if v is None else str(v) for k, v in row.items()} for row in table.to_pylist()
        ]
    try:
        with manifest.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
            except csv.Error:
                dialect = csv.excel
            return [dict(row) for row in csv.DictReader(handle, dialect=dialect)]
    except OSError as exc:
        raise InputNotFoundError(manifest, f"cannot be read ({exc.strerror})") from exc


def read_manifest(manifest: Path, path_column: str = "path") -> list[Source]:
    """A CSV (``,``, ``;`` or tab) or Parquet table with a path column; the other columns are
    carried as metadata.

    Raises:
        InputNotFoundError: the manifest cannot be read.
        UsageError: it has no such path column.
    """
    rows = _table_rows(manifest)
    if rows and path_column not in rows[0]:
        raise UsageError(
            f"{manifest} has no column {path_column!r} (its columns: {', '.join(rows[0])}); "
            "name the column that holds the file paths with --path-column"
        )
    base = manifest.parent
    sources = []
    for row in rows:
        value = (row.get(path_column) or "").strip()
        if not value:
            continue
        metadata = tuple(
            (str(k), "" if v is None else str(v)) for k, v in row.items() if k != path_column
        )
        sources.append(Source((base / value).resolve(), metadata))
    return sources


def discover(
    inputs: Sequence[str | Path],
    *,
    selection: Selection | None = None,
    list_file: Path | None = None,
    manifest: Path | None = None,
    path_column: str = "path",
    exclude: Sequence[Path] = (),
) -> list[Source]:
    """Every input of a run, each file once, in a stable order.

    Args:
        inputs: Folders (walked recursively), files, or glob patterns (``scans/**/*.pdf``).
        selection: Which files of the folders (and globs) to keep.
        list_file: A file listing one input path per line.
        manifest: A CSV or Parquet table with a path column and metadata columns.
        path_column: The manifest's path column.
        exclude: Folders never walked (the output folder).

    Raises:
        InputNotFoundError: an input that is neither a file, a folder nor a matching glob.
        UsageError: no input at all, or a manifest without its path column.
    """
    selection = selection or Selection()
    found: list[Source] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found += walk_folder(path, selection, exclude)
        elif path.is_file():
            found.append(Source(path.resolve()))
        elif _GLOB_CHARACTERS & set(str(raw)):
            matched = _glob(str(raw), selection)
            if not matched:
                log.warning("no file matches %s", raw)
            found += matched
        else:
            raise InputNotFoundError(
                path, "is neither a file nor a folder", "check the path, or quote a glob pattern"
            )
    if list_file is not None:
        found += read_list(list_file)
    if manifest is not None:
        found += read_manifest(manifest, path_column)
    if not found and not inputs and list_file is None and manifest is None:
        raise UsageError("no input: give folders, files, globs, --list or --manifest")
    unique: dict[Path, Source] = {}
    for source in found:
        known = unique.get(source.path)
        if known is None or (source.metadata and not known.metadata):
            unique[source.path] = source
    return list(unique.values())


def common_root(paths: Sequence[Path]) -> Path:
    """The deepest folder holding every path (the run's root, under which outputs mirror)."""
    if not paths:
        return Path.cwd()
    return Path(os.path.commonpath([str(p.parent) for p in paths]))


def relative_to_root(path: Path, root: Path) -> PurePosixPath:
    """``path`` relative to ``root``; outside it, the absolute path without its anchor."""
    try:
        return PurePosixPath(path.relative_to(root).as_posix())
    except ValueError:
        return PurePosixPath(*path.parts[1:]) if path.is_absolute() else PurePosixPath(path)


def output_paths(relatives: Sequence[PurePosixPath]) -> list[str]:
    """``<folder>/<stem>.json`` for each input; inputs that would share one (``a.png`` and
    ``a.pdf``) keep their whole name (``a.png.json``, ``a.pdf.json``)."""
    stems: dict[str, int] = {}
    for relative in relatives:
        key = str(relative.with_suffix(""))
        stems[key] = stems.get(key, 0) + 1
    outputs = []
    for relative in relatives:
        key = str(relative.with_suffix(""))
        outputs.append(f"{relative}.json" if stems[key] > 1 else f"{key}.json")
    return outputs
