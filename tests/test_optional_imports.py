"""ocrxtract imports, lists its engines and explains what is missing when every optional engine
package is absent (each blocked with ``sys.modules[name] = None`` in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

#: Every optional package an engine may import.
OPTIONAL_PACKAGES = (
    "tesserocr",
    "pytesseract",
    "rapidocr",
    "onnxruntime",
    "easyocr",
    "doctr",
    "paddleocr",
    "paddlex",
    "paddle",
    "torch",
    "torchvision",
    "cv2",
    "kraken",
    "transformers",
)
#: Engines that need one of them, and the extra their install hint must name.
OPTIONAL_ENGINES = {
    "tesseract": "tesseract",
    "rapidocr": "rapidocr",
    "easyocr": "easyocr",
    "doctr": "doctr",
    "paddleocr": "paddleocr",
    "kraken": "kraken",
    "trocr": "trocr",
}
#: Engines written in this checkout whose availability must not import their heavy library.
CHEAP_AVAILABILITY = ("easyocr", "doctr", "paddleocr")

_PROBE = textwrap.dedent(
    """
    import json, sys
    for name in sys.argv[1].split(","):
        if name:
            sys.modules[name] = None  # "import name" now raises ImportError
    import ocrxtract
    import ocrxtract.engines
    from ocrxtract.engines import engine_names, get_engine_class
    from ocrxtract.errors import EngineRegistrationError

    report = {"names": engine_names(), "engines": {}}
    for name in sys.argv[2].split(","):
        try:
            cls = get_engine_class(name)
        except EngineRegistrationError as exc:
            report["engines"][name] = {"loads": False, "error": str(exc)}
            continue
        availability = cls.availability()
        report["engines"][name] = {
            "loads": True,
            "available": availability.available,
            "reason": availability.reason,
            "install": availability.install,
            "languages": cls.languages(),
        }
    report["heavy_imported"] = sorted(
        m for m in ("torch", "paddle", "easyocr", "doctr", "paddleocr", "onnxruntime", "cv2")
        if sys.modules.get(m) is not None
    )
    print(json.dumps(report))
    """
)


def _probe(blocked: tuple[str, ...], engines: tuple[str, ...]) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, ",".join(blocked), ",".join(engines)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def blocked_report() -> dict[str, object]:
    return _probe(OPTIONAL_PACKAGES, tuple(OPTIONAL_ENGINES))


def test_package_imports_and_lists_engines_without_optional_packages(
    blocked_report: dict[str, object],
) -> None:
    names = blocked_report["names"]
    assert isinstance(names, list)
    assert set(OPTIONAL_ENGINES) | {"null"} <= set(names)
    assert blocked_report["heavy_imported"] == []


@pytest.mark.parametrize("engine", sorted(OPTIONAL_ENGINES))
def test_blocked_engine_is_unavailable_with_an_install_hint(
    blocked_report: dict[str, object], engine: str
) -> None:
    engines = blocked_report["engines"]
    assert isinstance(engines, dict)
    entry = engines[engine]
    if not entry["loads"]:
        # Only acceptable while the adapter module has not been written yet.
        if "No module named 'ocrxtract.engines." in entry["error"]:
            pytest.skip(f"adapter for {engine} not in this checkout yet: {entry['error']}")
        pytest.fail(f"engine {engine} does not load without its packages: {entry['error']}")
    assert entry["available"] is False
    assert entry["reason"]
    assert entry["install"] and f"ocrxtract[{OPTIONAL_ENGINES[engine]}]" in entry["install"]
    if engine in CHEAP_AVAILABILITY:  # "languages it can read here": none without its packages
        assert entry["languages"] == []


@pytest.mark.parametrize("blocked", ["torch", "paddle"])
def test_blocking_the_framework_alone_disables_its_engines(blocked: str) -> None:
    expected = {"torch": ("easyocr", "doctr"), "paddle": ("paddleocr",)}[blocked]
    report = _probe((blocked,), expected)
    engines = report["engines"]
    assert isinstance(engines, dict)
    for engine in expected:
        assert engines[engine]["available"] is False, engine
        assert blocked in engines[engine]["reason"], engine


def test_availability_does_not_import_heavy_libraries() -> None:
    report = _probe((), CHEAP_AVAILABILITY)
    assert report["heavy_imported"] == []
