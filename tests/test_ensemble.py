"""The ensemble engine: calibration, word alignment, the vote, and the engine around them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ocrxtract import __version__
from ocrxtract.document import BBox, Line, Page, Word, block_from_lines, line_from_words
from ocrxtract.engines.base import EngineOptions
from ocrxtract.engines.ensemble.calibration import (
    DEFAULT_CALIBRATION,
    Calibration,
    confidence_bin,
    fit_calibration,
    load_calibration,
    word_class,
)
from ocrxtract.engines.ensemble.vote import (
    SITUATIONS,
    align_words,
    assign_words,
    vote_page,
    voted_words,
)
from ocrxtract.engines.null_engine import NullEngine
from ocrxtract.engines.registry import create_engine, register, unregister
from ocrxtract.errors import InputError, InvalidOptionsError
from ocrxtract.fr.lexicon import Lexicon
from ocrxtract.io import PageImage

LEXICON = Lexicon.from_words(["le", "chocolat", "de", "haute", "qualité", "rue", "l"])


def _word(text: str, x0: int, y0: int = 100, height: int = 30, conf: float = 0.9) -> Word:
    return Word(
        text=text,
        bbox=BBox(x0=x0, y0=y0, x1=x0 + 20 * len(text), y1=y0 + height),
        confidence=conf,
    )


def _line(*words: Word, polygon: list[tuple[int, int]] | None = None) -> Line:
    line = line_from_words(words, confidence=words[0].confidence)
    return line.model_copy(update={"polygon": polygon}) if polygon else line


def _page(*lines: Line) -> Page:
    return Page(index=0, width=2000, height=1000, blocks=[block_from_lines(lines)])


# --- calibration -----------------------------------------------------------------------


def test_word_classes() -> None:
    assert word_class("chocolat,", LEXICON) == "known"
    assert word_class("chocolats", LEXICON) == "known"  # the word list's plurals
    assert word_class("chooolat", LEXICON) == "unknown"
    assert word_class("Ruelle", LEXICON) == "name"
    assert word_class("12,50", LEXICON) == "number"
    assert word_class("—", LEXICON) == "other"
    assert word_class("l'haute", LEXICON) == "known"
    assert word_class("chooolat", None) == "alpha"


def test_fit_gives_each_bin_its_share_of_right_words(tmp_path: Path) -> None:
    observations = [("a", "agree:known", 0.99, True)] * 96
    observations += [("a", "agree:known", 0.99, False)] * 4
    observations += [("a", "agree:known", 0.4, False)] * 50
    calibration = fit_calibration(observations, source="test")
    high = calibration.probability("a", 0.99, "known", "agree")
    low = calibration.probability("a", 0.4, "known", "agree")
    assert 0.9 < high < 0.97 and low < 0.1
    # an engine, a class or a situation the table does not know: the raw confidence
    assert calibration.probability("b", 0.7, "known", "agree") == 0.7
    assert calibration.probability("a", 0.7, "number", "agree") == 0.7
    assert calibration.probability("a", 0.7, "known", "alone") == 0.7
    path = tmp_path / "calibration.json"
    calibration.save(path)
    again = load_calibration(path)
    assert again.probability("a", 0.99, "known", "agree") == high
    assert again.source == "test"


def test_a_broken_table_is_named_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"bin_edges": [1.0], "rates": {}, "counts": {}}))
    with pytest.raises(InputError, match=r"bad\.json.*benchmarks/ensemble_calibration\.py"):
        load_calibration(path)
    with pytest.raises(InputError, match=r"none\.json: no calibration table"):
        load_calibration(tmp_path / "none.json")


def test_a_table_refitted_in_place_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    fit_calibration([("a", "agree:known", 0.99, True)] * 10).save(path)
    before = load_calibration(path).probability("a", 0.99, "known", "agree")
    fit_calibration([("a", "agree:known", 0.99, False)] * 10).save(path)
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 1_000_000))
    assert load_calibration(path).probability("a", 0.99, "known", "agree") < before


def test_the_shipped_table_calibrates_the_default_members() -> None:
    calibration = load_calibration(DEFAULT_CALIBRATION)
    assert {"rapidocr", "tesseract"} <= set(calibration.engines())
    assert "fitted on" in calibration.source
    # Tesseract's confident dictionary words are right more often than its unsure ones
    sure = calibration.probability("tesseract", 0.97, "known", "differ")
    unsure = calibration.probability("tesseract", 0.2, "known", "differ")
    assert sure > unsure
    assert confidence_bin(None) == confidence_bin(0.5)


# --- alignment and assignment ---------------------------------------------------------------


def test_align_pairs_similar_words_and_joins_split_ones() -> None:
    first = ["le", "chooolat", "de", "haute,qualité"]
    second = ["le", "chocolat", "haute,", "qualité"]
    assert align_words(first, second) == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2,), ()),
        ((3,), (2, 3)),
    ]
    # a short extra word is not swallowed into its neighbour
    assert align_words(["1,10", "A"], ["1,10", "À", "A"]) == [
        ((0,), (0,)),
        ((), (1,)),
        ((1,), (2,)),
    ]
    # words with nothing in common are never paired
    assert sorted(align_words(["4.7.62"], ["à"])) == [((), (0,)), ((0,), ())]


def _tilted(text: str, polygon: list[tuple[int, int]]) -> Line:
    xs, ys = [x for x, _ in polygon], [y for _, y in polygon]
    box = BBox(x0=min(xs), y0=min(ys), x1=max(xs), y1=max(ys))
    word = Word(text=text, bbox=box, confidence=0.9)
    return Line(words=[word], bbox=box, polygon=polygon)


def test_words_go_to_the_tilted_line_they_lie_on() -> None:
    # two lines rising to the right: their boxes overlap, their bands do not
    low = _tilted("bas", [(100, 200), (1000, 120), (1000, 150), (100, 230)])
    high = _tilted("haut", [(100, 150), (1000, 70), (1000, 100), (100, 180)])
    # at x = 910 the low line's band is y 128-158; the word's centre (y 135) is inside both
    # boxes, nearer the high box's middle
    on_band = _word("x", 900, y0=125, height=20)
    on_line, apart = assign_words([low, high], [on_band, _word("loin", 1800, y0=900)])
    assert [w.text for w in on_line[0]] == ["x"] and on_line[1] == []
    assert [w.text for w in apart] == ["loin"]


# --- the vote ---------------------------------------------------------------------------


def _probability(table: dict[tuple[int, str], float]) -> Any:
    return lambda member, word, situation: table.get((member, word.text), 0.9)


def test_a_better_word_replaces_and_a_stray_mark_goes() -> None:
    first = _page(_line(_word("le", 0), _word("chooolat", 60), _word("#", 240), _word("de", 300)))
    second = _page(_line(_word("le", 0), _word("chocolat", 60), _word("de", 300)))
    chances = {(0, "chooolat"): 0.3, (1, "chocolat"): 0.95, (0, "#"): 0.2}
    voted, counts = vote_page([first, second], _probability(chances))
    assert voted.text() == "le chocolat de"
    assert (counts.words_replaced, counts.words_removed) == (1, 1)
    assert "replaced 1, removed 1" in counts.note(["a", "b"])


def test_the_words_weighed_come_with_their_situation() -> None:
    first = _page(_line(_word("le", 0), _word("chooolat", 60), _word("#", 240)))
    second = _page(_line(_word("le", 0), _word("chocolat", 60)))
    seen = {
        (member, word.text, situation) for member, word, situation in voted_words([first, second])
    }
    assert seen == {
        (0, "le", "agree"),
        (1, "le", "agree"),
        (0, "chooolat", "differ"),
        (1, "chocolat", "differ"),
        (0, "#", "alone"),
    }


def test_the_first_reading_keeps_its_punctuation_and_case() -> None:
    first = _page(_line(_word("sommeil.", 0)))
    second = _page(_line(_word("Sommeil", 0)))
    voted, _ = vote_page([first, second], _probability({(0, "sommeil."): 0.5}))
    assert voted.text() == "sommeil."


def test_a_reading_that_read_something_else_abstains() -> None:
    first = _page(_line(_word("Saint-Étienne", 0), _word("Château,", 300)))
    second = _page(_line(_word("J", 0), _word(")", 100), _word("my", 300)))
    chances = {(0, "Saint-Étienne"): 0.1, (0, "Château,"): 0.1}
    voted, counts = vote_page([first, second], _probability(chances))
    assert voted.text() == "Saint-Étienne Château,"
    assert counts.lines_abstained == 1 and counts.words_removed == 0


def test_a_line_no_other_reading_saw_is_kept_as_read() -> None:
    first = _page(_line(_word("seul", 0, y0=500)), _line(_word("ici", 0)))
    second = _page(_line(_word("ici", 0)))
    voted, counts = vote_page([first, second], _probability({(0, "seul"): 0.01}))
    assert "seul" in voted.text() and counts.lines_voted == 1


def test_lines_only_others_read_are_added_on_request() -> None:
    first = _page(_line(_word("haut", 0)))
    second = _page(_line(_word("haut", 0)), _line(_word("bas", 0, y0=600)))
    chances = {(1, "bas"): 0.95}
    assert "bas" not in vote_page([first, second], _probability(chances))[0].text()
    voted, counts = vote_page([first, second], _probability(chances), orphan_threshold=0.9)
    assert "bas" in voted.text() and counts.lines_added == 1


# --- the engine ---------------------------------------------------------------------------


class _Fixed(NullEngine):
    """A test engine that returns a fixed reading."""

    words: ClassVar[tuple[tuple[str, int, float], ...]] = ()

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        words = [_word(text, x, conf=conf) for text, x, conf in self.words]
        return _page(_line(*words)), [f"{self.name} read it"]


class _FixedA(_Fixed):
    name = "fixed-a"
    words = (("le", 0, 0.9), ("chooolat", 60, 0.6))


class _FixedB(_Fixed):
    name = "fixed-b"
    words = (("le", 0, 0.9), ("chocolat", 60, 0.99))


@pytest.fixture()
def fixed_engines() -> Any:
    register(_FixedA)
    register(_FixedB)
    yield
    unregister("fixed-a")
    unregister("fixed-b")


def _calibration(tmp_path: Path) -> Path:
    path = tmp_path / "calibration.json"
    Calibration(
        rates={
            name: {
                f"{situation}:{kind}": (rate,) * 10
                for situation in SITUATIONS
                for kind, rate in (("unknown", 0.2), ("known", 0.9), ("alpha", 0.5))
            }
            for name in ("fixed-a", "fixed-b")
        },
        counts={"fixed-a": {}, "fixed-b": {}},
        source="test",
    ).save(path)
    return path


def test_the_engine_votes_and_says_what_it_did(fixed_engines: Any, tmp_path: Path) -> None:
    from PIL import Image

    engine = create_engine(
        "ensemble",
        {"members": "fixed-a,fixed-b", "calibration": str(_calibration(tmp_path))},
    )
    image = PageImage(image=Image.new("RGB", (2000, 1000), "white"), index=0, source="blank.png")
    page = engine.recognize(image)
    assert page.provenance is not None
    assert page.provenance.engine == "ensemble"
    assert "fixed-a + fixed-b" in page.provenance.notes[0]
    assert "fixed-a: fixed-a read it" in page.provenance.notes
    assert f"fixed-a {__version__}" in engine.engine_version()
    assert f"fixed-b {__version__}" in engine.engine_version()
    assert engine.check().available


def test_members_are_checked(fixed_engines: Any) -> None:
    with pytest.raises(InvalidOptionsError, match="cannot be a member"):
        create_engine("ensemble", {"members": ["rapidocr", "ensemble"]})
    with pytest.raises(InvalidOptionsError, match="at least 2"):
        create_engine("ensemble", {"members": ["rapidocr"]})
    engine = create_engine(
        "ensemble", {"members": ["fixed-a", "fixed-b"], "member_options": {"tesseract": {}}}
    )
    with pytest.raises(InvalidOptionsError, match="member_options names tesseract"):
        engine.members()
    assert isinstance(engine.options, EngineOptions)
