"""Shared fixtures. Real engines and ../shared/datasets are optional: tests that need them skip
with the reason (and the install command) when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATASETS = REPO_ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """``../shared/datasets`` beside the checkout, or a skip saying it is absent."""
    if not SHARED_DATASETS.is_dir():
        pytest.skip(f"real datasets not found at {SHARED_DATASETS} (only on developer machines/CI)")
    return SHARED_DATASETS


def require_engine(name: str) -> None:
    """Skip the calling test when engine ``name`` cannot run here, with its reason."""
    from ocrxtract.engines import get_engine_class

    availability = get_engine_class(name).availability()
    if not availability.available:
        pytest.skip(
            f"engine {name} unavailable: {availability.reason} (install: {availability.install})"
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.engine("name")``: skip, with the reason and the install command, when the
    engine cannot run here. Deselect every real-engine test with ``-m "not engine"``."""
    for marker in item.iter_markers(name="engine"):
        if marker.args:
            require_engine(str(marker.args[0]))


# --- replayed engine outputs (OCRmyPDF's tesseract_cache, for any engine) -----------------------

REPLAY_DIR = REPO_ROOT / "tests" / "data" / "engine-replay"


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch):
    """Replay real engines' outputs recorded in ``tests/data/engine-replay``.

    An engine page is looked up by (engine, version, options, pixels); a hit is returned without
    running the engine (pipeline tests stay fast and run where the engine is absent), a miss
    runs the engine when it is available and records the page (commit the new file). Yields the
    list of (engine, hit) lookups, for tests that check the replay itself.
    """
    import hashlib
    import json

    from ocrxtract.document import Page
    from ocrxtract.engines.base import OcrEngine

    lookups: list[tuple[str, bool]] = []
    real = OcrEngine.recognize

    def key(engine: OcrEngine, page) -> str:  # type: ignore[no-untyped-def]
        digest = hashlib.sha256()
        from ocrxtract.bench.cache import key_options

        # as the benchmark's cache keys: options added since a page was recorded, at their
        # default, leave its key unchanged
        options = key_options(engine.options.model_dump(mode="json"), engine.execution_options)
        digest.update(json.dumps([engine.name, engine.version(), options], sort_keys=True).encode())
        digest.update(f"{page.image.mode} {page.width}x{page.height} {page.dpi}".encode())
        digest.update(page.image.tobytes())
        return digest.hexdigest()[:24]

    def recognize(self: OcrEngine, page):  # type: ignore[no-untyped-def]
        if self.name in ("null", "pdf-text") or not type(self).__module__.startswith("ocrxtract."):
            return real(self, page)
        path = REPLAY_DIR / f"{self.name}-{key(self, page)}.json"
        if path.is_file():
            lookups.append((self.name, True))
            recorded = Page.model_validate_json(path.read_text(encoding="utf-8"))
            return recorded.model_copy(update={"index": page.index})
        require_engine(self.name)
        result = real(self, page)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.model_dump_json(), encoding="utf-8")
        lookups.append((self.name, False))
        return result

    monkeypatch.setattr(OcrEngine, "recognize", recognize)
    yield lookups
