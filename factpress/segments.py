"""A source's archived text cut into paragraphs and segments, with every cited excerpt marked.

Pure: the source view in, a list of paragraphs out, each a list of segments. A segment covered
by an excerpt is highlighted; the segment where an excerpt starts carries its anchor id.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from .link import Citation, SourceView


@dataclass(slots=True)
class Segment:
    """A run of text; `citations` cover it, `anchors` start at it, `ends` finish with it."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    ends: list[Citation] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        return bool(self.citations)


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """Paragraphs as (start, end) offsets: split on blank lines if any, else on each newline."""
    marker = "\n\n" if "\n\n" in text else "\n"
    ranges, start = [], 0
    while start <= len(text):
        end = text.find(marker, start)
        if end == -1:
            end = len(text)
        if text[start:end].strip():
            ranges.append((start, end))
        start = end + len(marker)
    return ranges


def source_paragraphs(source: SourceView) -> list[list[Segment]]:
    """Cut the snapshot at every excerpt boundary so each excerpt can be highlighted in place."""
    text = source.source.snapshot.text
    spans: list[tuple[int, int, Citation, str]] = []
    last_end: dict[int, int] = {}
    for citation in source.citations:
        ev = citation.evidence
        for index, span in enumerate(ev.evidence.spans):
            anchor = ev.anchor if index == 0 else f"{ev.anchor}-{index + 1}"
            spans.append((span.start, span.end, citation, anchor))
        last_end[id(citation)] = ev.evidence.spans[-1].end
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    paragraphs = []
    for p_start, p_end in paragraph_ranges(text):
        points = [p_start] + [c for c in cuts if p_start < c < p_end] + [p_end]
        segments = []
        for a, b in itertools.pairwise(points):
            if a == b:
                continue
            covering = _unique([c for s, e, c, _ in spans if s <= a and b <= e])
            anchors = [anchor for s, _, _, anchor in spans if s == a]
            ends = [c for c in covering if last_end[id(c)] == b]
            segments.append(Segment(text[a:b], covering, anchors, ends))
        paragraphs.append(segments)
    return paragraphs


def _unique(items: list[Citation]) -> list[Citation]:
    seen: list[Citation] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
