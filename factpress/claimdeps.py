"""What judging a claim read of the project's other files, so that a change there judges again only its readers.

A claim is checked against the keys of verdicts.yaml, the ids of people.yaml and topics.yaml, and
the sources it cites: their ids, and the snapshot each excerpt must be found in. The model cache
used to trust a claims file's entry only in the very context it was judged in, so adding a source
for a new fact-check, or mending one snapshot, judged all 10,000 claims of an archive again
(6.8 s). Now each entry records the digest of the reference tables it was judged against, and one
more cache entry keeps the last few tables; a claim judged against other tables stands when
nothing it referred to was added, removed or changed since.

Two kinds of claim are judged again whenever the tables change, because what they read is not all
in the claim: one with any problem (an unknown id's hint lists the ids close to it; a dropped
evidence item no longer names its source), and, should a snapshot that was empty or unreadable
change, every claim (an excerpt of such a snapshot is left out without a problem of its own).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Set
from typing import Any

from .model import Claim
from .modelcache import ModelCache, fingerprint

#: The cache entry holding recent tables by digest (a name no project file can have).
NAME = "\0claims tables"
LAYOUT: dict[str, Any] = {"tables": dict}
#: How many tables are kept: a claims file judged longer ago than that is judged again whole.
KEPT = 4
#: The digest of an empty file: a snapshot saved empty is reported without reading it.
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#: Digests of a snapshot that gives no text: unreadable ('') or empty.
NO_TEXT = ("", EMPTY_SHA256)
#: An inline citation `[text](#source-id)` in an analysis, its target in group 1; or, in its place, a `](#`
#: whose target no `)` closes (group 1 unset), taken whole: every `](#` inside it ends at the same place, but a
#: last `](` that blanks follow (`](#x](  #y)`), where the next is tried (`](#](#](#…` was read to its end once
#: for each: 16 KB, 0.5 s; a few hundred KB, minutes).
_CITATION_OR_NOT = re.compile(r"\]\(\s*#(?:([^)\s]*+)\s*\)|(?:(?!\]\(\s)[^)\s])*+)")


def citations(analysis: str) -> Iterator[re.Match[str]]:
    """Each inline citation `[text](#source-id)` of an analysis, in one pass (as `](#id)` with blanks allowed)."""
    return (match for match in _CITATION_OR_NOT.finditer(analysis) if match.group(1) is not None)


Ref = tuple[str, str]


def reference_tables(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """What claims are checked against: verdict keys, person and topic ids, each source's snapshot (path, digest)."""
    topics = ctx["topics"]
    return {
        "verdict": tuple(sorted(ctx["verdicts"])),
        "person": tuple(sorted(ctx["people"])),
        "topic": () if topics is None else tuple(sorted(topics)),
        "source": {s.id: (s.snapshot.path, s.snapshot.sha256) for s in ctx["sources"].values()},
    }


class Tables:
    """This run's reference tables and their digest, and what changed since tables an entry was judged against."""

    def __init__(self, ctx: Mapping[str, Any], cache: ModelCache | None) -> None:
        self.tables = reference_tables(ctx)
        self.digest = fingerprint(
            [self.tables[kind] for kind in ("verdict", "person", "topic")] + [sorted(self.tables["source"].items())]
        )
        self.cache = cache
        self._kept: dict[str, Any] | None = None
        self._changes: dict[str, set[Ref] | None] = {}
        #: Whether some entry was not judged against these tables before: then they are kept for the next run.
        self.new = False

    def kept(self) -> dict[str, Any]:
        """Earlier runs' tables by digest, read from the cache on first use."""
        if self._kept is None:
            entry = self.cache.read(NAME, LAYOUT) if self.cache is not None else None
            self._kept = dict(entry["tables"]) if entry is not None else {}
        return self._kept

    def changes(self, digest: str) -> set[Ref] | None:
        """The references added, removed or changed since the tables of that digest; None when they are not known."""
        if digest not in self._changes:
            old = self.kept().get(digest)
            self._changes[digest] = None if not isinstance(old, dict) else changed_refs(old, self.tables)
        return self._changes[digest]

    def save(self) -> None:
        """Keep these tables (and the few before them) for the next run, when some entry was not judged against them."""
        if self.cache is None or not self.new:
            return
        kept = self.kept()
        if next(iter(kept), None) == self.digest:
            return
        others = [(digest, tables) for digest, tables in kept.items() if digest != self.digest]
        self.cache.write(NAME, {"tables": dict([(self.digest, self.tables), *others[: KEPT - 1]])})


def changed_refs(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[Ref] | None:
    """Each (kind, id) in one table only, or with another snapshot; None when a snapshot without text changed."""
    try:
        changed = {(kind, key) for kind in ("verdict", "person", "topic") for key in set(old[kind]) ^ set(new[kind])}
        before, after = old["source"], new["source"]
        for key in before.keys() | after.keys():
            was = before.get(key)
            if was != after.get(key):
                if was is not None and was[1] in NO_TEXT:
                    return None
                changed.add(("source", key))
    except (KeyError, TypeError, IndexError, AttributeError):  # a damaged entry: judge everything again
        return None
    return changed


def unaffected(claim: Claim | None, problems: list[Any], changed: set[Ref]) -> bool:
    """Whether a claim judged against other tables is judged alike against these (see the module's docstring)."""
    if claim is None or problems:
        return False
    if not changed:
        return True
    refs: set[Ref] = {("person", claim.claimant), ("verdict", claim.verdict)}
    refs.update(("person", author) for author in claim.authors)
    refs.update(("topic", topic) for topic in claim.topics)
    refs.update(("verdict", c.previous_verdict) for c in claim.corrections if c.previous_verdict)
    refs.update(("source", e.source) for e in claim.evidence)
    if not refs.isdisjoint(changed):
        return False
    if any(kind == "source" for kind, _ in changed):
        return not any(("source", m.group(1)) in changed for m in citations(claim.analysis))
    return True


def sources_with_pages(claims: Iterable[Claim], known: Set[str]) -> tuple[set[str], set[str]]:
    """The sources whose pages a build publishes, and those it will once a draft is published.

    A source's page is published when a published fact-check quotes it or cites it in its
    analysis; one used only by drafts would show what an unpublished fact-check rests on. The
    analyses are read only for sources no published evidence names (usually none).
    """
    claims = list(claims)
    published = {piece.source for claim in claims if not claim.draft for piece in claim.evidence}
    drafted = {piece.source for claim in claims if claim.draft for piece in claim.evidence}
    unquoted = set(known) - published
    needles = [f"#{ident}" for ident in unquoted] if len(unquoted) <= _FEW else []  # (what a citation of one holds)
    for claim in claims if unquoted else ():
        analysis = claim.analysis
        if needles and not any(needle in analysis for needle in needles):
            continue  # (one uncited source must not make every rebuild read 10,000 analyses: 0.04 s)
        for match in citations(analysis):
            if match.group(1) in unquoted:
                (drafted if claim.draft else published).add(match.group(1))
    return published, drafted - published


#: Up to this many sources quoted by no published evidence are looked for by name in each analysis.
_FEW = 16
