"""link: backlinks, tallies, related claims, newest first, drafts, URLs (pure; no files)."""

from __future__ import annotations

from factpress.link import Library, link_site
from factpress.validate import validate_project

SOURCES = """\
- {id: gazette, title: Gazette, snapshot: snapshots/gazette.txt}
- {id: radio, title: Radio, snapshot: snapshots/radio.txt}
"""
SNAPSHOTS = {"snapshots/gazette.txt": "alpha beta gamma\n", "snapshots/radio.txt": "delta epsilon\n"}
TOPICS = "- {id: budget, name: Budget}\n- {id: roads, name: Roads}\n- {id: zoo, name: Zoo}\n"


def claim(
    ident: str,
    published: str,
    *,
    verdict: str = "true",
    claimant: str = "jane-doe",
    sources: tuple[str, ...] = ("gazette",),
    topics: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    draft: bool = False,
    corrections: str = "",
) -> str:
    """One claim as YAML, citing each source once."""
    excerpts = {"gazette": "beta", "radio": "epsilon"}
    evidence = "".join(f"\n    - {{source: {s}, excerpt: {excerpts[s]}}}" for s in sources)
    lines = [
        f"- id: {ident}",
        f"  claim: Claim {ident}.",
        f"  claimant: {claimant}",
        "  claim_date: 2025",
        "  appearances: [{title: Somewhere}]",
        f"  verdict: {verdict}",
        "  summary: Summary.",
        "  analysis: Analysis.",
        f"  evidence:{evidence}",
        "  authors: [desk]",
        f"  published: {published}",
        f"  topics: [{', '.join(topics)}]",
        f"  related: [{', '.join(related)}]",
        f"  draft: {'true' if draft else 'false'}",
    ]
    if corrections:
        lines.append(f"  corrections:{corrections}")
    return "\n".join(lines) + "\n"


def library(raw_project, *claims: str, drafts: bool = False, base_url: str | None = None) -> Library:
    files = {"claims.yaml": "".join(claims), "content/sources.yaml": SOURCES, "content/topics.yaml": TOPICS}
    site, problems = validate_project(raw_project(files, SNAPSHOTS))
    assert problems == []
    return link_site(site, drafts=drafts, base_url=base_url)


def ids(views) -> list[str]:
    return [v.id for v in views]


def test_claims_are_newest_first(raw_project) -> None:
    lib = library(raw_project, claim("old", "2025-01-01"), claim("new", "2025-03-01"), claim("mid", "2025-02-01"))
    assert ids(lib.claims) == ["new", "mid", "old"]
    assert ids(lib.latest) == ["new", "mid", "old"]


def test_same_day_claims_have_a_stable_order(raw_project) -> None:
    lib = library(raw_project, claim("a", "2025-01-01"), claim("b", "2025-01-01"))
    again = library(raw_project, claim("b", "2025-01-01"), claim("a", "2025-01-01"))
    assert ids(lib.claims) == ids(again.claims) == ["b", "a"]


def test_a_source_lists_every_claim_citing_it(raw_project) -> None:
    lib = library(
        raw_project,
        claim("one", "2025-01-01", sources=("gazette",)),
        claim("two", "2025-02-01", sources=("gazette", "radio")),
        claim("three", "2025-03-01", sources=("radio",)),
    )
    gazette, radio = lib.sources_by_id["gazette"], lib.sources_by_id["radio"]
    assert ids(gazette.claims) == ["two", "one"]
    assert ids(radio.claims) == ["three", "two"]
    assert [(c.claim.id, c.evidence.anchor) for c in radio.citations] == [
        ("three", "excerpt-three-1"),
        ("two", "excerpt-two-2"),
    ]


def test_a_claimant_has_a_tally_by_verdict_in_scale_order(raw_project) -> None:
    lib = library(
        raw_project,
        claim("a", "2025-01-01", verdict="unproven"),
        claim("b", "2025-01-02", verdict="false"),
        claim("c", "2025-01-03", verdict="true"),
        claim("d", "2025-01-04", verdict="false"),
        claim("e", "2025-01-05", verdict="true", claimant="desk"),
    )
    jane = next(p for p in lib.people if p.id == "jane-doe")
    assert [(v.key, n) for v, n in jane.tally] == [("true", 1), ("false", 2), ("unproven", 1)]
    assert ids(jane.claims) == ["d", "c", "b", "a"]
    desk = next(p for p in lib.people if p.id == "desk")
    assert ids(desk.reviews) == ["e", "d", "c", "b", "a"]
    assert ids(lib.claimants) == ["jane-doe", "desk"]  # people who made a claim, sorted by name


def test_verdict_and_topic_pages_list_their_claims(raw_project) -> None:
    lib = library(
        raw_project,
        claim("a", "2025-01-01", verdict="false", topics=("budget",)),
        claim("b", "2025-01-02", verdict="false", topics=("budget", "roads")),
    )
    verdicts = {v.key: v for v in lib.verdicts}
    assert ids(verdicts["false"].claims) == ["b", "a"]
    assert verdicts["true"].claims == []
    topics = {t.id: t for t in lib.topics}
    assert ids(topics["budget"].claims) == ["b", "a"]
    assert ids(topics["roads"].claims) == ["b"]


def test_related_claims_are_declared_then_derived(raw_project) -> None:
    lib = library(
        raw_project,
        claim("main", "2025-01-10", sources=("gazette",), topics=("budget",), related=("declared",)),
        claim("declared", "2025-01-01", sources=("radio",), topics=("zoo",)),
        claim("same-source", "2025-01-02", sources=("gazette",)),
        claim("same-topic", "2025-01-03", sources=("radio",), topics=("budget",)),
        claim("both", "2025-01-04", sources=("gazette",), topics=("budget",)),
        claim("unrelated", "2025-01-05", sources=("radio",), topics=("roads",)),
    )
    main = lib.claims_by_id["main"]
    # declared first; then shared source and topic (3), shared source (2), shared topic (1)
    assert ids(main.related) == ["declared", "both", "same-source", "same-topic"]
    assert ids(lib.claims_by_id["both"].related)[0] == "main"


def test_related_claims_are_limited_and_ties_go_to_the_newest(raw_project) -> None:
    claims = [claim(f"c{i}", f"2025-01-0{i}", topics=("zoo",)) for i in range(1, 8)]
    lib = library(raw_project, *claims)
    assert ids(lib.claims_by_id["c1"].related) == ["c7", "c6", "c5", "c4"]


def test_drafts_are_left_out_everywhere(raw_project) -> None:
    claims = (
        claim("public", "2025-01-01", topics=("budget",)),
        claim("secret", "2025-02-01", draft=True, topics=("budget",), verdict="false"),
    )
    lib = library(raw_project, *claims)
    assert ids(lib.claims) == ["public"]
    assert "secret" not in lib.claims_by_id
    assert ids(lib.sources_by_id["gazette"].claims) == ["public"]
    assert ids(lib.claims_by_id["public"].related) == []
    jane = next(p for p in lib.people if p.id == "jane-doe")
    assert [(v.key, n) for v, n in jane.tally] == [("true", 1)]
    assert ids(next(t for t in lib.topics if t.id == "budget").claims) == ["public"]


def test_drafts_are_included_when_asked(raw_project) -> None:
    claims = (claim("public", "2025-01-01"), claim("secret", "2025-02-01", draft=True))
    lib = library(raw_project, *claims, drafts=True)
    assert ids(lib.claims) == ["secret", "public"]
    assert ids(lib.sources_by_id["gazette"].claims) == ["secret", "public"]


def test_corrections_are_logged_newest_first(raw_project) -> None:
    first = "\n    - {date: 2025-01-05, note: First.}\n    - {date: 2025-01-20, note: Third., previous_verdict: false}"
    second = "\n    - {date: 2025-01-10, note: Second.}"
    lib = library(
        raw_project, claim("a", "2025-01-01", corrections=first), claim("b", "2025-01-02", corrections=second)
    )
    log = [(c.claim.id, c.correction.note, c.anchor) for c in lib.corrections]
    assert log == [("a", "Third.", "correction-2"), ("b", "Second.", "correction-1"), ("a", "First.", "correction-1")]
    assert lib.corrections[0].previous_verdict.label == "False"
    assert lib.claims_by_id["a"].modified.isoformat() == "2025-01-20"


def test_urls_follow_the_base_url_path(raw_project) -> None:
    lib = library(raw_project, claim("a", "2025-01-01"), base_url="https://example.com/sub/")
    view = lib.claims_by_id["a"]
    assert view.url == "/sub/claims/a/"
    assert view.abs_url == "https://example.com/sub/claims/a/"
    assert view.verdict.url == "/sub/verdicts/true/"
    assert view.claimant.url == "/sub/people/jane-doe/"
    assert view.evidence[0].context_url == "/sub/sources/gazette/#excerpt-a-1"
    assert lib.urls.file("static/style.css") == "/sub/static/style.css"


def test_the_frame_links_are_the_urls_of_sections_and_files(raw_project) -> None:
    lib = library(raw_project, claim("a", "2025-01-01"), base_url="https://example.com/sub/")
    assert lib.links["home"] == lib.urls.path() == "/sub/"
    assert lib.links["corrections"] == lib.urls.path("corrections") == "/sub/corrections/"
    assert lib.links["static/style.css"] == "/sub/static/style.css"
    assert lib.links["feed.json"] == "/sub/feed.json"


def test_a_url_part_outside_the_slug_characters_is_quoted(raw_project) -> None:
    lib = library(raw_project, claim("a", "2025-01-01"))
    assert lib.urls.path("claims", "a b/c", "é") == "/claims/a%20b%2Fc/%C3%A9/"
    assert lib.urls.path("claims", "a-b_c.d~e") == "/claims/a-b_c.d~e/"


def test_the_linked_full_site_snapshot(data_regression) -> None:
    """The full test site's links as data: what each page will list, pinned (regenerate deliberately)."""
    from pathlib import Path

    from factpress.load import load_project

    site, problems = validate_project(load_project(Path(__file__).parent / "sites" / "full"))
    assert [p for p in problems if p.is_error] == []
    lib = link_site(site)
    data_regression.check(
        {
            "claims": {
                c.id: {
                    "url": c.url,
                    "verdict": c.verdict.key,
                    "claimant": c.claimant.id,
                    "authors": ids(c.authors),
                    "topics": ids(c.topics),
                    "evidence": [e.context_url for e in c.evidence],
                    "related": ids(c.related),
                    "modified": c.modified.isoformat(),
                }
                for c in lib.claims
            },
            "tallies": {p.id: {v.key: n for v, n in p.tally} for p in lib.people if p.tally},
            "reviews": {p.id: ids(p.reviews) for p in lib.people if p.reviews},
            "sources": {s.id: ids(s.claims) for s in lib.sources},
            "topics": {t.id: ids(t.claims) for t in lib.topics},
            "verdicts": {v.key: ids(v.claims) for v in lib.verdicts},
            "corrections": [f"{c.claim.id}#{c.anchor} {c.correction.date}" for c in lib.corrections],
        }
    )


def test_names_are_listed_alphabetically_whatever_their_accents(raw_project) -> None:
    """Code-point order put Álvaro and Özdemir after Zoe; a reader looks for them among the A's and O's."""
    people = "".join(
        f"- {{id: {ident}, name: {name}}}\n"
        for ident, name in [("zoe", "Zoe Zapata"), ("alvaro", "Álvaro Núñez"), ("ozdemir", "Özdemir Ümit")]
    )
    people += "- {id: jane-doe, name: jane doe}\n- {id: desk, name: The Desk, kind: organization}\n"
    topics = "- {id: zoll, name: Zoll}\n- {id: oko, name: Ökologie}\n- {id: economy, name: économie}\n"
    files = {"claims.yaml": claim("a", "2025-01-01"), "content/people.yaml": people, "content/topics.yaml": topics}
    site, problems = validate_project(raw_project({**files, "content/sources.yaml": SOURCES}, SNAPSHOTS))
    assert problems == []
    lib = link_site(site)
    assert [p.name for p in lib.people] == ["Álvaro Núñez", "jane doe", "Özdemir Ümit", "The Desk", "Zoe Zapata"]
    assert [t.name for t in lib.topics] == ["économie", "Ökologie", "Zoll"]


def test_a_scale_with_one_rated_verdict_gives_claim_review_no_numbers(raw_project) -> None:
    """bestRating equal to worstRating rates nothing; ClaimReview then names the verdict alone."""
    verdicts = "- {key: true, label: 'True', meaning: M}\n- {key: false, label: 'False', rating: 1, meaning: M}\n"
    files = {"claims.yaml": claim("a", "2025-01-01"), "content/verdicts.yaml": verdicts}
    site, problems = validate_project(raw_project({**files, "content/sources.yaml": SOURCES}, SNAPSHOTS))
    assert [p.code for p in problems] == ["rating-scale"]
    assert link_site(site).rating_bounds is None
