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
