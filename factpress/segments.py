"""A source's archived text cut into paragraphs and segments, with every cited excerpt marked.

Pure: the source view in, a list of paragraphs out, each a list of segments. A segment covered
by an excerpt is highlighted; the segment where an excerpt (or one part of an elided excerpt)
starts carries its anchor id; the segment where an excerpt ends is followed by links to the
fact-checks citing it. Excerpts from different fact-checks may overlap: a segment then lists
every citation covering it. One sweep over the cut points keeps this linear in the text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .excerpts import paragraph_ranges, written_without_spaces
from .link import Citation, ClaimView, EvidenceView, SourceView
from .markup import without_controls


@dataclass(slots=True)
class Segment:
    """A run of text; `citations` cover it, `anchors` start at it, `ends` finish with it.

    Read-only sequences: most segments of a snapshot are not cited, and share one empty tuple.
    """

    text: str
    citations: Sequence[Citation] = ()
    anchors: Sequence[str] = ()
    ends: Sequence[Citation] = ()

    @property
    def marked(self) -> bool:
        """True when at least one excerpt covers this text."""
        return bool(self.citations)

    @property
    def overlap(self) -> bool:
        """More than one fact-check's excerpt covers this text."""
        return len(self.citations) > 1


def part_anchor(evidence: EvidenceView, index: int) -> str:
    """The id of one part of an excerpt: the evidence anchor, then `_2`, `_3` for later parts.

    The underscore cannot occur in an id slug, so `excerpt-a-1_2` never equals another claim's anchor.
    """
    return evidence.anchor if index == 0 else f"{evidence.anchor}_{index + 1}"


@dataclass(slots=True, eq=False)  # (not frozen: a frozen dataclass's __init__ cost more than the rest of a mark)
class _Mark:
    start: int
    end: int
    citation: Citation
    anchor: str
    last: bool


#: A line break inside a paragraph, with the blanks around it: those before it taken from where they start (a run
#: of blanks no line break ends was read again from each blank in it: a 32 KB run, 1 s; a few MB, hours).
_LINE_BREAK = re.compile(r"(?:(?<![ \t])[ \t]*)?\n[ \t]*")


def joined_line_breaks(text: str) -> list[tuple[int, int]]:
    """The line breaks between two Chinese or Japanese characters, as (start, end) offsets.

    A browser shows a line break as a space, which those scripts do not write between words: a
    Japanese snapshot saved from a PDF, broken at every line's end, read `報道発表資料 令和７年`.
    Such a break is not shown (CSS Text 3 says so; Chromium does not do it).
    """
    if "\n" not in text or text.isascii():
        return []
    return [
        (m.start(), m.end())
        for m in _LINE_BREAK.finditer(text)
        if m.start() > 0
        and m.end() < len(text)
        and written_without_spaces(text[m.start() - 1])
        and written_without_spaces(text[m.end()])
    ]


def _shown(text: str, start: int, end: int, joins: list[tuple[int, int]]) -> str:
    """text[start:end] without the line breaks in `joins` (see joined_line_breaks)."""
    first = bisect.bisect_left(joins, (start, -1))
    if first == len(joins) or joins[first][0] >= end:
        return text[start:end]
    pieces, at = [], start
    for join_start, join_end in joins[first:]:
        if join_start >= end:
            break
        pieces.append(text[at:join_start])
        at = min(join_end, end)
    pieces.append(text[at:end])
    return "".join(pieces)


def source_paragraphs(source: SourceView) -> list[list[Segment]]:
    """Cut the snapshot at every excerpt boundary so each excerpt can be highlighted in place."""
    text = without_controls(source.source.snapshot.text)
    starting: dict[int, list[_Mark]] = defaultdict(list)
    ending: dict[int, list[_Mark]] = defaultdict(list)
    for citation in source.citations:
        spans = citation.evidence.evidence.spans
        for index, span in enumerate(spans):
            mark = _Mark(span.start, span.end, citation, part_anchor(citation.evidence, index), index == len(spans) - 1)
            starting[span.start].append(mark)
            ending[span.end].append(mark)
    ranges = paragraph_ranges(text)
    joins = joined_line_breaks(text)
    bounds = sorted({*starting, *ending, *itertools.chain.from_iterable(ranges)})
    active: list[_Mark] = []
    paragraphs: list[list[Segment]] = [[] for _ in ranges]
    index, count = 0, len(ranges)  # the paragraph that the current run of text may belong to
    for a, b in itertools.pairwise(bounds):
        if a in ending:
            for mark in ending[a]:
                active.remove(mark)
        started = starting.get(a)
        if started:
            active.extend(started)
        while index < count and ranges[index][1] <= a:
            index += 1
        if index == count or a < ranges[index][0]:
            continue  # the blank lines between paragraphs
        if not active:  # most of a snapshot: text no excerpt covers
            paragraphs[index].append(Segment(_shown(text, a, b, joins) if joins else text[a:b]))
            continue
        covering = _unique([m.citation for m in active])
        anchors = [m.anchor for m in started] if started else []
        ends = _unique([m.citation for m in active if m.end == b and m.last])
        shown = _shown(text, a, b, joins) if joins else text[a:b]
        paragraphs[index].append(Segment(shown, covering, anchors, ends))
    return paragraphs


def citing_claims(source: SourceView) -> list[tuple[ClaimView, list[EvidenceView]]]:
    """Each fact-check citing the source (in the source's order), with the evidence it quotes from it."""
    grouped: dict[str, tuple[ClaimView, list[EvidenceView]]] = {}
    for citation in source.citations:
        grouped.setdefault(citation.claim.id, (citation.claim, []))[1].append(citation.evidence)
    return list(grouped.values())


def _unique(items: list[Citation]) -> list[Citation]:
    if len(items) < 2:
        return items
    seen: list[Citation] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
