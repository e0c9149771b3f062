"""Votes between several engines' readings of one page (ROVER-style, by word).

The first reading gives the page its lines (its layout). Each other reading's words are put
on the line they lie on (:func:`assign_words`), then lined up with that line's words by their
characters (:func:`align_words`, an edit-distance alignment over words). At each place of the
line, every reading proposes a word or nothing; the proposal with the most weight wins, a word
weighing the chance that it is right (:mod:`.calibration`), nothing weighing ``null_weight``.
A reading that has no word on a line does not vote there (an engine that missed a whole line
does not erase it). Words of the other readings that lie on none of the first reading's lines
are added as lines of their own when their mean chance of being right reaches
``orphan_threshold`` (the first engine missed them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ocrxtract.document import BBox, Line, Page, Word, block_from_lines, line_from_words

#: ``probability(member, word, situation) -> chance the word is right``; the situation is
#: ``alone`` (the other readings that vote there read nothing), ``agree`` (another reading read
#: the same letters) or ``differ``.
Probability = Callable[[int, Word, str], float]

#: The situations a word is voted on in.
SITUATIONS = ("alone", "agree", "differ")

#: Cost of leaving a word unpaired in :func:`align_words` (pairing costs the words'
#: normalised edit distance, 0 to 1: two words pair when they share at least some characters).
GAP_COST = 0.5
#: Two words further apart than this (normalised edit distance) are never paired.
MAX_PAIR_DISTANCE = 0.6
#: What joining two words costs in :func:`align_words`, on top of their distance.
MERGE_COST = 0.45
#: A reading votes on a line only when at least this share of its words there pair with the
#: first reading's words (otherwise it read something else: a tilted line, a stain).
MIN_PAIRED_SHARE = 0.5


@dataclass
class VoteCounts:
    """What the vote did on a page."""

    lines: int = 0
    lines_voted: int = 0
    words_kept: int = 0
    words_replaced: int = 0
    words_removed: int = 0
    words_inserted: int = 0
    lines_added: int = 0
    lines_abstained: int = 0

    def note(self, members: Sequence[str]) -> str:
        return (
            f"ensemble of {' + '.join(members)}: {self.lines_voted} of {self.lines} lines voted "
            f"on; words kept {self.words_kept}, replaced {self.words_replaced}, removed "
            f"{self.words_removed}, inserted {self.words_inserted}; lines added "
            f"{self.lines_added}; abstentions {self.lines_abstained}"
        )


def _band(line: Line) -> Callable[[float], tuple[float, float]]:
    """The top and bottom of ``line`` at a given x: along its quadrilateral's edges when the
    engine gave one (a tilted line's box would reach into its neighbours), else its box."""
    polygon = line.polygon
    if polygon is None or len(polygon) != 4:
        box = line.bbox
        return lambda x: (box.y0, box.y1)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = polygon  # top left, top right, bottom right, left

    def at(x: float) -> tuple[float, float]:
        top = y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 != x0 else min(y0, y1)
        bottom = y3 + (y2 - y3) * (x - x3) / (x2 - x3) if x2 != x3 else max(y2, y3)
        return min(top, bottom), max(top, bottom)

    return at


def assign_words(
    lines: Sequence[Line], words: Sequence[Word]
) -> tuple[list[list[Word]], list[Word]]:
    """Each word on the line it lies on, and the words on none.

    A word lies on a line when its centre is inside the line's band (between its top and
    bottom at the word's x, the line's quadrilateral followed on tilted pages) and its
    horizontal extent, widened by one line height; among several, the line whose middle is
    nearest the word's centre (relative to the line's height). Each line's words come out
    left to right.
    """
    bands = [_band(line) for line in lines]
    on_line: list[list[Word]] = [[] for _ in lines]
    apart: list[Word] = []
    for word in words:
        cx = (word.bbox.x0 + word.bbox.x1) / 2
        cy = (word.bbox.y0 + word.bbox.y1) / 2
        best, best_offset = -1, 0.5
        for index, line in enumerate(lines):
            box = line.bbox
            margin = box.y1 - box.y0
            if not (box.x0 - margin <= cx <= box.x1 + margin and box.y0 <= cy <= box.y1):
                continue
            top, bottom = bands[index](cx)
            height = max(1.0, bottom - top)
            offset = abs(cy - (top + bottom) / 2) / height
            if offset < best_offset:
                best, best_offset = index, offset
        if best < 0:
            apart.append(word)
        else:
            on_line[best].append(word)
    for placed in on_line:
        placed.sort(key=lambda w: w.bbox.x0)
    return on_line, apart


def _pair_cost(first: str, second: str) -> float:
    distance = Levenshtein.normalized_distance(first, second)
    return distance if distance <= MAX_PAIR_DISTANCE else float("inf")


#: A step of :func:`align_words`: how many words of each sequence it takes together.
_STEPS = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (1, 3), (3, 1))


def align_words(
    first: Sequence[str], second: Sequence[str]
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The cheapest alignment of two word sequences, as pairs of index groups in order: one
    word with one (``((i,), (j,))``), a word alone (``((i,), ())``, ``((), (j,))``), or one
    word with two or three that one engine split where the other did not
    (``circonstances,rassurait`` against ``circonstances,`` ``rassurait``).

    Pairing costs the normalised edit distance of the words (the two of a group joined without
    space), at most :data:`MAX_PAIR_DISTANCE`; leaving a word alone costs :data:`GAP_COST`.
    """
    n, m = len(first), len(second)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            for di, dj in _STEPS:
                if di > i or dj > j or cost[i - di][j - dj] == inf:
                    continue
                if di == 0 or dj == 0:
                    step = GAP_COST * (di + dj)
                else:
                    step = _pair_cost("".join(first[i - di : i]), "".join(second[j - dj : j]))
                    # a join pays almost a gap: it wins only when the joined words match better
                    # than one of them does alone
                    step += MERGE_COST * (di + dj - 2)
                total = cost[i - di][j - dj] + step
                if total < cost[i][j]:
                    cost[i][j], move[i][j] = total, (di, dj)
    path: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i, j = n, m
    while i or j:
        di, dj = move[i][j]
        path.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    path.reverse()
    return path


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@dataclass(frozen=True)
class _Proposal:
    words: tuple[Word, ...]
    member: int


def _situations(proposals: Sequence[_Proposal]) -> list[str]:
    """The situation of each proposal at one place (see :data:`Probability`)."""
    if len(proposals) == 1:
        return ["alone"]
    letters = [_letters(" ".join(w.text for w in p.words)) for p in proposals]
    return ["agree" if letters.count(mine) > 1 else "differ" for mine in letters]


def _winner(
    proposals: Sequence[_Proposal], voters: int, probability: Probability, null_weight: float
) -> list[tuple[Word, float]]:
    """The words of the proposal with the most weight, each with its chance of being right;
    members that proposed nothing vote for nothing (``[]``)."""
    weight: dict[str, float] = {}
    chosen: dict[str, tuple[_Proposal, list[float]]] = {}
    for proposal, situation in zip(proposals, _situations(proposals), strict=True):
        text = " ".join(w.text for w in proposal.words)
        chances = [probability(proposal.member, w, situation) for w in proposal.words]
        weight[text] = weight.get(text, 0.0) + sum(chances) / len(chances)
        if text not in chosen or proposal.member < chosen[text][0].member:
            chosen[text] = (proposal, chances)
    empty_weight = (voters - len(proposals)) * null_weight
    best = max(weight, key=lambda t: (weight[t], -chosen[t][0].member))
    if empty_weight > weight[best]:
        return []
    first = next((t for t in chosen if chosen[t][0].member == 0), None)
    if first is not None and _letters(first) == _letters(best):
        best = first  # the words differ in punctuation or case only: the first reading's
    proposal, chances = chosen[best]
    return list(zip(proposal.words, chances, strict=True))


@dataclass
class _Places:
    """A line's places to vote on: per word of the first reading, what each reading proposes
    there (``at``; a group of words when another reading joined them, ``span`` says how many,
    0 for the words joined into the one before); what each inserts before it (``before``,
    one more slot for the end of the line); how many readings vote (``voters``)."""

    at: list[list[_Proposal]]
    span: list[int]
    before: list[list[_Proposal]]
    voters: int


def _places(line: Line, others: Sequence[tuple[int, list[Word]]], counts: VoteCounts) -> _Places:
    base = list(line.words)
    at: list[list[_Proposal]] = [[_Proposal((w,), 0)] for w in base]
    span = [1] * len(base)
    before: list[list[_Proposal]] = [[] for _ in range(len(base) + 1)]
    voters = 1
    for member, words in others:
        alignment = align_words([w.text for w in base], [w.text for w in words])
        paired = sum(len(theirs) for mine, theirs in alignment if mine and theirs)
        if paired < MIN_PAIRED_SHARE * len(words):
            counts.lines_abstained += 1
            continue  # it read something else there (a tilted line, a stain): it abstains
        voters += 1
        pending: list[Word] = []
        for mine, theirs in alignment:
            if not mine:
                pending.append(words[theirs[0]])
                continue
            if pending:
                before[mine[0]].append(_Proposal(tuple(pending), member))
                pending = []
            if not theirs:
                continue
            if len(mine) > 1 and all(span[i] == 1 and len(at[i]) == 1 for i in mine):
                # another reading joins words of the first: vote on them as one place
                at[mine[0]] = [_Proposal(tuple(base[i] for i in mine), 0)]
                span[mine[0]] = len(mine)
                for i in mine[1:]:
                    span[i] = 0
            elif span[mine[0]] != len(mine):
                continue  # readings join the first's words differently: this one abstains
            at[mine[0]].append(_Proposal(tuple(words[j] for j in theirs), member))
        if pending:
            before[len(base)].append(_Proposal(tuple(pending), member))
    return _Places(at=at, span=span, before=before, voters=voters)


def _vote_line(
    line: Line,
    others: Sequence[tuple[int, list[Word]]],
    probability: Probability,
    weights: tuple[float, float],
    counts: VoteCounts,
) -> list[tuple[Word, float]]:
    """The words of ``line`` after the vote of the readings in ``others`` (member, words), each
    with its chance of being right; ``weights``: the weight of nothing against a word of the
    first reading, and against a word it lacks."""
    places = _places(line, others, counts)
    removal_weight, insertion_weight = weights
    result: list[tuple[Word, float]] = []
    for index in range(len(line.words) + 1):
        if places.before[index]:
            inserted = _winner(places.before[index], places.voters, probability, insertion_weight)
            counts.words_inserted += len(inserted)
            result.extend(inserted)
        if index == len(line.words) or places.span[index] == 0:
            continue
        own = places.at[index][0].words
        chosen = _winner(places.at[index], places.voters, probability, removal_weight)
        if not chosen:
            counts.words_removed += len(own)
        elif [w for w, _ in chosen] == list(own):
            counts.words_kept += len(own)
        else:
            counts.words_replaced += len(own)
        result.extend(chosen)
    return result


def _placed(
    readings: Sequence[Page], lines: Sequence[Line]
) -> tuple[list[list[tuple[int, list[Word]]]], list[tuple[int, list[Word]]]]:
    """Per line of the first reading, the words each other reading has on it; and, per other
    reading, its words on none of those lines."""
    placed: list[list[tuple[int, list[Word]]]] = [[] for _ in lines]
    apart: list[tuple[int, list[Word]]] = []
    for member, reading in enumerate(readings[1:], start=1):
        on_line, off_lines = assign_words(lines, list(reading.words()))
        for index, words in enumerate(on_line):
            if words:
                placed[index].append((member, words))
        apart.append((member, off_lines))
    return placed, apart


def voted_words(readings: Sequence[Page]) -> Iterator[tuple[int, Word, str]]:
    """``(member, word, situation)`` for every word the vote of :func:`vote_page` weighs (the
    words of the places where at least two readings vote): what a calibration is fitted on."""
    lines = list(readings[0].lines())
    for line, others in zip(lines, _placed(readings, lines)[0], strict=True):
        if not others:
            continue
        places = _places(line, others, VoteCounts())
        if places.voters < 2:
            continue
        for index, proposals in enumerate(places.at):
            if places.span[index] == 0:
                continue
            for proposal, situation in zip(proposals, _situations(proposals), strict=True):
                for word in proposal.words:
                    yield proposal.member, word, situation


def _orphan_lines(
    member: int,
    reading: Page,
    apart: Sequence[Word],
    probability: Probability,
    threshold: float,
) -> list[Line]:
    """The lines of ``reading`` made of words in ``apart`` whose mean chance of being right
    reaches ``threshold``."""
    loose = {id(w) for w in apart}
    kept = []
    for line in reading.lines():
        words = [w for w in line.words if id(w) in loose]
        if not words:
            continue
        mean = sum(probability(member, w, "alone") for w in words) / len(words)
        if mean >= threshold:
            kept.append(line_from_words(words, confidence=round(mean, 4)))
    return kept


def vote_page(
    readings: Sequence[Page],
    probability: Probability,
    *,
    removal_weight: float = 0.5,
    insertion_weight: float = 1.0,
    orphan_threshold: float | None = None,
) -> tuple[Page, VoteCounts]:
    """One page from several readings of it: the first reading's lines, each voted on with the
    others (see the module docstring); ``orphan_threshold`` ``None`` adds no line."""
    first = readings[0]
    counts = VoteCounts()
    lines = list(first.lines())
    counts.lines = len(lines)
    placed, apart = _placed(readings, lines)
    added: list[Line] = []
    if orphan_threshold is not None:
        for member, words in apart:
            if words:
                reading = readings[member]
                added.extend(_orphan_lines(member, reading, words, probability, orphan_threshold))
    blocks = []
    line_index = 0
    for block in first.blocks:
        new_lines = []
        for line in block.lines:
            others = placed[line_index]
            line_index += 1
            if not others:
                new_lines.append(line)
                continue
            counts.lines_voted += 1
            voted = _vote_line(
                line, others, probability, (removal_weight, insertion_weight), counts
            )
            if not voted:
                continue
            words = [word for word, _ in voted]
            unchanged = len(words) == len(line.words) and all(
                a is b for a, b in zip(words, line.words, strict=True)
            )
            if unchanged:
                new_lines.append(line)
                continue
            new_lines.append(
                line.model_copy(
                    update={
                        "words": words,
                        "bbox": BBox.union([w.bbox for w in words]),
                        "confidence": round(sum(p for _, p in voted) / len(voted), 4),
                        "polygon": None,
                        "baseline": None,
                    }
                )
            )
        if new_lines:
            box = BBox.union([ln.bbox for ln in new_lines])
            blocks.append(block.model_copy(update={"lines": new_lines, "bbox": box}))
    counts.lines_added = len(added)
    if added:
        blocks.append(block_from_lines(added))
    return first.model_copy(update={"blocks": blocks}), counts
