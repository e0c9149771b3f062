"""Engine presets (``ENGINE:PRESET``): named option sets usable wherever an engine name is."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocrxtract.bench import campaign_from_names
from ocrxtract.bench.plan import plan_campaign
from ocrxtract.engines import engine_names, engine_presets, get_engine_class, resolve_engine
from ocrxtract.errors import OcrxtractError, UnknownEngineError
from ocrxtract.workbench.i18n import STRINGS


def test_a_preset_gives_its_options_under_those_given() -> None:
    assert resolve_engine("tesseract") == ("tesseract", None, {})
    assert resolve_engine("tesseract:sparse") == ("tesseract", "sparse", {"psm": 11})
    # options given win over the preset's
    assert resolve_engine("tesseract:sparse", {"psm": 4, "oem": 1}) == (
        "tesseract", "sparse", {"psm": 4, "oem": 1},
    )  # fmt: skip
    assert engine_presets("tesseract") == ["tesseract:single-block", "tesseract:sparse"]


def test_an_unknown_preset_lists_the_engine_presets() -> None:
    with pytest.raises(UnknownEngineError, match=r"no preset 'fast'.*tesseract:sparse"):
        resolve_engine("tesseract:fast")
    with pytest.raises(UnknownEngineError, match="unknown engine 'tesserac'"):
        resolve_engine("tesserac:sparse")


@pytest.mark.parametrize("name", engine_names())
def test_every_preset_validates_and_is_explained_in_both_languages(name: str) -> None:
    try:
        cls = get_engine_class(name)
    except OcrxtractError:
        pytest.skip(f"{name} does not load here")
    for preset, (options, why) in cls.presets.items():
        cls.parse_options(options)  # raises when an option is wrong
        assert why
        french, english = STRINGS[f"preset.{name}:{preset}"]
        assert french and english == why


def test_a_campaign_runs_a_preset_under_its_own_label(tmp_path: Path) -> None:
    campaign = campaign_from_names(["tesseract", "tesseract:sparse"], ["sample-fr"], limit=1)
    plan = plan_campaign(campaign, tmp_path)
    if not plan.engines:
        pytest.skip("tesseract is not available here")
    by_label = {task.engine: task for task in plan.tasks}
    assert set(by_label) == {"tesseract", "tesseract:sparse"}
    sparse = by_label["tesseract:sparse"]
    assert sparse.engine_name == "tesseract"
    assert sparse.options["psm"] == 11 and "psm" not in by_label["tesseract"].options
