"""Explicit dataset downloads: ``ocrxtract datasets fetch NAME``.

Nothing is ever downloaded implicitly. :func:`fetch_dataset` downloads the files a dataset
declares in ``datasets.yml`` into ``<data dir>/<folder>``, checks each against its sha256 (when
one is published), reports progress through a callback, and unpacks archives. Without network
it raises :class:`~ocrxtract.datasets.base.DatasetDownloadError` naming the URL and the folder
where the files can be put by hand.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tarfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

from ocrxtract.datasets.registry import DatasetSpec, SourceFile, data_dir, get_spec
from ocrxtract.errors import DatasetDownloadError, UsageError

log = logging.getLogger(__name__)

#: ``(file name, bytes done, total bytes or None)`` after each chunk.
ProgressCallback = Callable[[str, int, int | None], None]
CHUNK = 1 << 16
USER_AGENT = "ocrxtract-datasets-fetch"


@dataclass
class FetchResult:
    """What :func:`fetch_dataset` did."""

    folder: Path
    downloaded: list[Path] = field(default_factory=list)
    already_present: list[Path] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)  # URLs without a published sha256


def file_name(source: SourceFile) -> str:
    """Local name of a downloaded file: its declared ``filename`` or the URL's last part."""
    if source.filename:
        return source.filename
    name = PurePosixPath(urlparse(source.url).path).name
    return name or "download"


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manual_fix(spec: DatasetSpec, source: SourceFile, folder: Path) -> str:
    checksum = f" (sha256 {source.sha256})" if source.sha256 else ""
    hint = f"download {source.url}{checksum} by hand and put it in {folder}"
    if source.extract:
        hint += " (then unpack it there)"
    if spec.source.manual:
        hint += f"; {spec.source.manual}"
    return hint


def _download(
    source: SourceFile,
    target: Path,
    on_progress: ProgressCallback | None,
    timeout: float,
    opener: Callable[..., Any],
) -> str:
    """Stream ``source.url`` into ``target`` (via a ``.part`` file); return its sha256."""
    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    request = urllib.request.Request(source.url, headers={"User-Agent": USER_AGENT})
    with opener(request, timeout=timeout) as response, partial.open("wb") as out:
        length = response.headers.get("Content-Length") if hasattr(response, "headers") else None
        total = int(length) if length and str(length).isdigit() else source.size
        done = 0
        if on_progress:
            on_progress(target.name, 0, total)
        for chunk in iter(lambda: response.read(CHUNK), b""):
            out.write(chunk)
            digest.update(chunk)
            done += len(chunk)
            if on_progress:
                on_progress(target.name, done, total)
    partial.replace(target)
    return digest.hexdigest()


def _safe_members(names: list[str], folder: Path, archive: Path) -> None:
    root = folder.resolve()
    for name in names:
        destination = (folder / name).resolve()
        if destination != root and root not in destination.parents:
            raise DatasetDownloadError(
                f"{archive}: member {name!r} would be written outside {folder}"
            )


def extract_archive(archive: Path, folder: Path) -> None:
    """Unpack a zip or tar archive into ``folder`` (members outside it are refused).

    Raises:
        DatasetDownloadError: not a zip/tar archive, or an unsafe member path.
    """
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as bundle:
            _safe_members(bundle.namelist(), folder, archive)
            bundle.extractall(folder)
        return
    if tarfile.is_tarfile(archive):
        with tarfile.open(archive) as bundle:
            members = bundle.getmembers()
            _safe_members([m.name for m in members], folder, archive)
            bad = [m.name for m in members if m.issym() or m.islnk() or m.isdev()]
            if bad:
                raise DatasetDownloadError(f"{archive}: links or devices refused ({bad[0]}…)")
            bundle.extractall(folder)
        return
    raise DatasetDownloadError(f"{archive} is neither a zip nor a tar archive; cannot unpack it")


def fetch_dataset(
    name: str,
    *,
    dest: Path | None = None,
    on_progress: ProgressCallback | None = None,
    timeout: float = 30.0,
    opener: Callable[..., Any] = urllib.request.urlopen,
) -> FetchResult:
    """Download dataset ``name``'s declared files, check them, unpack archives.

    Args:
        name: Dataset name.
        dest: Base folder (default: the data dir, ``$OCRXTRACT_DATA_DIR``); files go to
            ``dest/<folder>``.
        on_progress: Called as ``(file name, bytes done, total or None)`` while downloading.
        timeout: Seconds to wait for the server.
        opener: ``urllib.request.urlopen`` or a replacement (tests).

    Returns:
        Which files were downloaded, which were already there (checksum verified), and which
        URLs have no published checksum.

    Raises:
        UnknownDatasetError: no such dataset.
        UsageError: the dataset is generated, or declares no downloadable file.
        DatasetDownloadError: a download failed (offline…) or a checksum does not match; the
            message names the URL and the folder where to put the file by hand.
    """
    spec = get_spec(name)
    if spec.folder is None:
        raise UsageError(f"dataset {name!r} is generated by ocrxtract: nothing to fetch")
    folder = (dest or data_dir()) / spec.folder
    if not spec.source.files:
        manual = spec.source.manual or f"see {spec.source.homepage or 'its source'}"
        raise UsageError(
            f"dataset {name!r} has no public download to fetch; {manual} "
            f"(put the files in {folder})"
        )
    folder.mkdir(parents=True, exist_ok=True)
    result = FetchResult(folder=folder)
    for source in spec.source.files:
        target = folder / file_name(source)
        if target.is_file() and (source.sha256 is None or sha256_of(target) == source.sha256):
            log.info("%s already present", target)
            result.already_present.append(target)
            if source.sha256 is None:
                result.unverified.append(source.url)
            continue
        log.info("downloading %s -> %s", source.url, target)
        try:
            digest = _download(source, target, on_progress, timeout, opener)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            target.with_name(target.name + ".part").unlink(missing_ok=True)
            raise DatasetDownloadError(
                f"cannot download {source.url}: {reason}. Offline? "
                + _manual_fix(spec, source, folder)
            ) from exc
        if source.sha256 is not None and digest != source.sha256:
            bad = target.with_name(target.name + ".bad")
            shutil.move(str(target), bad)
            raise DatasetDownloadError(
                f"{source.url}: sha256 {digest} does not match the declared {source.sha256} "
                f"(file kept as {bad}); " + _manual_fix(spec, source, folder)
            )
        if source.sha256 is None:
            log.warning("%s has no published sha256; got %s", source.url, digest)
            result.unverified.append(source.url)
        result.downloaded.append(target)
        if source.extract:
            extract_archive(target, folder)
    return result
