"""link makes some views on first read (evidence, citations, anchors): they must be what eager linking made."""

from __future__ import annotations

from test_link import claim, library

from factpress.link import ClaimView, SourceView, computed_once, newest_first, newest_first_claims


def test_evidence_and_citations_are_made_on_first_read_as_linking_made_them(raw_project) -> None:
    lib = library(
        raw_project,
        claim("one", "2025-01-01", sources=("gazette", "radio")),
        claim("two", "2025-02-01", sources=("radio", "gazette", "radio")),
        claim("three", "2025-03-01", sources=("gazette",)),
    )
    assert not any("evidence" in vars(view) for view in lib.claims)  # link_site made none
    radio = lib.sources_by_id["radio"]
    assert [(c.claim.id, c.evidence.number) for c in radio.citations] == [("two", 1), ("two", 3), ("one", 2)]
    # a source's citations are made from its claims' evidence views: the very same objects
    two = lib.claims_by_id["two"]
    assert [c.evidence for c in radio.citations[:2]] == [two.evidence[0], two.evidence[2]]
    assert "evidence" not in vars(lib.claims_by_id["three"])  # not citing radio: left alone
    assert [ev.anchor for ev in two.evidence] == ["excerpt-two-1", "excerpt-two-2", "excerpt-two-3"]
    assert two.evidence[1].context_url == "/sources/gazette/#excerpt-two-2"
    assert [ev.source.id for ev in two.evidence] == ["radio", "gazette", "radio"]
    assert all(ev.claim is two for ev in two.evidence)
    assert ids(radio.claims) == ["two", "one"]
    gazette = lib.sources_by_id["gazette"]
    assert [(c.claim.id, c.evidence.number) for c in gazette.citations] == [("three", 1), ("two", 2), ("one", 1)]


def ids(views) -> list[str]:
    return [v.id for v in views]


def test_a_claims_evidence_read_first_is_what_its_sources_cite(raw_project) -> None:
    lib = library(raw_project, claim("one", "2025-01-01", sources=("gazette",)))
    one = lib.claims_by_id["one"]
    first = one.evidence[0]
    assert lib.sources_by_id["gazette"].citations[0].evidence is first
    assert one.evidence[0] is first  # kept
    assert "radio" not in lib.sources_by_id  # cited by none: no page (see claimdeps.sources_with_pages)


def test_views_made_outside_link_site_have_no_evidence(raw_project) -> None:
    lib = library(raw_project, claim("one", "2025-01-01"))
    one = lib.claims_by_id["one"]
    alone = ClaimView(one.claim, one.url, one.abs_url, one.verdict, one.claimant)
    assert alone.evidence == [] and alone.related == []
    assert alone.modified == one.modified
    assert SourceView(lib.sources_by_id["gazette"].source, "/x/").citations == []


def test_modified_is_the_latest_of_published_updated_and_corrections(raw_project) -> None:
    fix = "\n    - {date: 2025-03-05, note: Fixed.}"
    lib = library(raw_project, claim("a", "2025-01-01", corrections=fix), claim("b", "2025-02-01"))
    assert lib.claims_by_id["a"].modified.isoformat() == "2025-03-05"
    assert lib.claims_by_id["b"].modified.isoformat() == "2025-02-01"


def test_the_two_sorts_order_claims_as_one_sort_by_date_then_id(raw_project) -> None:
    lib = library(
        raw_project,
        *(claim(f"c{n}", f"2025-01-0{n % 3 + 1}") for n in range(9)),
    )
    assert (
        ids(newest_first(lib.claims))
        == ids(lib.claims)
        == [view.id for view in sorted(lib.claims, key=lambda c: (c.claim.published, c.id), reverse=True)]
    )
    assert [c.id for c in newest_first_claims([v.claim for v in reversed(lib.claims)])] == ids(lib.claims)


def test_computed_once_computes_on_first_read_and_keeps_what_is_assigned() -> None:
    calls = []

    class Thing:
        @computed_once
        def value(self) -> int:
            calls.append(1)
            return 42

    thing = Thing()
    assert (thing.value, thing.value, len(calls)) == (42, 42, 1)
    other = Thing()
    other.value = 7
    assert (other.value, len(calls)) == (7, 1)
