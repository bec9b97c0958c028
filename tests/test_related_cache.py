"""Related claims kept between builds: the same lists ranking gives, ranked again only when something
deciding them changed, and a damaged file only means ranking again."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bench.generate import generate_site
from factpress import cache, link
from factpress.cache import settle_related
from factpress.link import Library, link_site
from factpress.load import load_project
from factpress.model import Claim, Site
from factpress.validate import validate_project

SITE = Path(__file__).parent / "sites" / "full"


def linked(change=None) -> Library:
    """The full test site, freshly linked; `change` edits its first claim (and so its digest)."""
    site, _ = validate_project(load_project(SITE))
    if change is not None:
        first = dataclasses.replace(site.claims[0], **change, digest=f"edited {change}")
        site = dataclasses.replace(site, claims=[first, *site.claims[1:]])
    return link_site(site)


def ranked(change=None) -> list[list[str]]:
    """What ranking gives, claim by claim (no cache)."""
    return [[other.id for other in view.related] for view in linked(change).claims]


def given(library: Library) -> list[list[str]]:
    return [[other.id for other in view._related or []] for view in library.claims]


@pytest.fixture
def rankings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The claims ranked from now on."""
    ranked_ids: list[str] = []
    real = link.RelatedRanking.related
    monkeypatch.setattr(
        link.RelatedRanking, "related", lambda self, view: ranked_ids.append(view.id) or real(self, view)
    )
    return ranked_ids


def test_related_claims_kept_are_those_ranking_gives(tmp_path: Path, rankings: list[str]) -> None:
    path = tmp_path / "related.json"
    settle_related(linked(), path, "v1")
    assert len(rankings) == len(linked().claims)
    rankings.clear()
    again = linked()
    settle_related(again, path, "v1")
    assert rankings == [] and given(again) == ranked()
    assert any(given(again))


def test_an_edit_leaving_what_decides_them_ranks_nothing(tmp_path: Path, rankings: list[str]) -> None:
    path = tmp_path / "related.json"
    settle_related(linked(), path, "v1")
    written = path.read_bytes()
    rankings.clear()
    edited = linked({"summary": "A summary edited."})
    settle_related(edited, path, "v1")
    assert rankings == [] and given(edited) == ranked()
    assert path.read_bytes() == written  # one claim's digest differs: checked each build, not written


def test_past_the_limit_the_new_digests_are_written(tmp_path: Path, monkeypatch, rankings: list[str]) -> None:
    monkeypatch.setattr(cache, "RELATED_STALE_LIMIT", 0)
    path = tmp_path / "related.json"
    settle_related(linked(), path, "v1")
    edited = linked({"summary": "A summary edited."})
    settle_related(edited, path, "v1")
    kept = json.loads(path.read_bytes())["digests"].split("\n")
    assert kept == [view.claim.digest for view in edited.claims] and "edited {" in "".join(kept)
    rankings.clear()
    settle_related(linked({"summary": "A summary edited."}), path, "v1")
    assert rankings == []


@pytest.mark.parametrize(
    "change", [{"topics": ("transport",)}, {"related": ("pont-deux-fois-plus-cher",)}, {"published": None}]
)
def test_an_edit_of_what_decides_them_ranks_again(tmp_path: Path, rankings: list[str], change: dict) -> None:
    path = tmp_path / "related.json"
    settle_related(linked(), path, "v1")
    if change.get("published", 0) is None:  # the newest claim: the order changes
        change = {"published": linked().claims[0].claim.published.__class__(2030, 1, 1)}
    rankings.clear()
    edited = linked(change)
    settle_related(edited, path, "v1")
    assert rankings and given(edited) == ranked(change)
    assert given(edited) != ranked()


def test_another_code_version_ranks_again(tmp_path: Path, rankings: list[str]) -> None:
    path = tmp_path / "related.json"
    settle_related(linked(), path, "v1")
    rankings.clear()
    settle_related(linked(), path, "v2")
    assert len(rankings) == len(linked().claims)


def test_a_damaged_file_only_means_ranking_again(tmp_path: Path, rankings: list[str]) -> None:
    path = tmp_path / "related.json"
    settle_related(linked(), path, "v1")
    good = json.loads(path.read_bytes())
    out_of_range = "ffff0000" + good["related"][8:]
    damaged = [
        b"",
        b"{",
        json.dumps({**good, "counts": good["counts"][:-8]}).encode(),
        json.dumps({**good, "related": out_of_range}).encode(),
        json.dumps({**good, "related": "xyz"}).encode(),
        json.dumps({**good, "lines": "one"}).encode(),
        json.dumps({k: v for k, v in good.items() if k != "digests"}).encode(),
    ]
    for damage in damaged:
        path.write_bytes(damage)
        rankings.clear()
        again = linked()
        settle_related(again, path, "v1")
        assert len(rankings) == len(again.claims)  # no claim was given kept ones before the damage was found
        assert given(again) == ranked()
        assert json.loads(path.read_bytes()) == good


def test_claim_digests_are_worked_out_once_for_a_library_and_again_for_another() -> None:
    library = linked()
    digests = cache.claim_digests(library)
    assert digests == [view.claim.digest for view in library.claims] and all(digests)
    assert cache.claim_digests(library) is digests
    edited = linked({"summary": "A summary edited."})
    assert cache.claim_digests(edited) != digests
    reordered = dataclasses.replace(library, claims=list(reversed(library.claims)))
    assert cache.claim_digests(reordered) == list(reversed(digests))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A generated archive of 120 claims, validated once (edits below make new Sites from it)."""
    root = generate_site(tmp_path_factory.mktemp("related") / "site", 120)
    site, problems = validate_project(load_project(root))
    assert not [p for p in problems if p.is_error]
    return site


def edited_claim(claim: Claim, **change: object) -> Claim:
    """The claim changed, with a digest of its own (validation gives every edited claim a new one)."""
    return dataclasses.replace(claim, **change, digest=f"{claim.digest} {change}")


def with_claims(site: Site, claims: list[Claim]) -> Site:
    return dataclasses.replace(site, claims=claims)


def fresh_ranking(site: Site) -> list[list[str]]:
    return [[other.id for other in view.related] for view in link_site(site).claims]


#: Edits made one after the other, each of what decides related claims (and one of nothing that does).
def archive_edits(site: Site) -> list[tuple[str, Site]]:
    claims = list(site.claims)
    steps = []
    added = edited_claim(claims[10], id="an-added-claim")
    claims.insert(11, added)
    steps.append(("a claim added", claims[:]))
    claims.pop(40)
    steps.append(("a claim removed", claims[:]))
    claims[20] = edited_claim(claims[20], topics=claims[80].topics)
    steps.append(("a claim's topics", claims[:]))
    claims[30] = edited_claim(claims[30], published=claims[30].published.replace(year=2031))
    steps.append(("a claim's date", claims[:]))
    first_source = claims[50].evidence[0]
    claims[60] = edited_claim(
        claims[60], evidence=(dataclasses.replace(claims[60].evidence[0], source=first_source.source),)
    )
    steps.append(("a claim's sources", claims[:]))
    claims[70] = edited_claim(claims[70], related=("a-claim-to-come",))
    steps.append(("a claim naming one not there yet", claims[:]))
    claims.append(edited_claim(claims[5], id="a-claim-to-come", topics=(), evidence=()))  # (sharing nothing)
    steps.append(("the claim named, added", claims[:]))
    claims[90] = edited_claim(claims[90], summary="Only the summary.")
    steps.append(("a summary", claims[:]))
    lonely = {"topics": ("a-lonely-topic",), "evidence": ()}
    claims[100] = edited_claim(claims[100], **lonely)
    claims[101] = edited_claim(claims[101], **lonely, published=claims[101].published.replace(year=2032))
    steps.append(("two claims alone under a topic", claims[:]))  # each lists only the other
    claims[102] = edited_claim(claims[102], **lonely)  # older than both: it makes their lists for the room left
    steps.append(("a third under it", claims[:]))
    claims[:3] = [edited_claim(claim, topics=()) for claim in claims[:3]]
    steps.append(("three claims' topics", claims[:]))
    return [(name, with_claims(site, edited)) for name, edited in steps]


def test_an_archive_edited_step_by_step_keeps_the_related_claims_ranking_gives(
    archive: Site, tmp_path: Path, rankings: list[str]
) -> None:
    path = tmp_path / "related.json"
    settle_related(link_site(archive), path, "v1")
    for name, site in archive_edits(archive):
        rankings.clear()
        library = link_site(site)
        settle_related(library, path, "v1")
        ranked_now, claims = len(rankings), len(library.claims)
        assert ranked_now < claims / 2, name  # only the claims the edit may reach were ranked
        kept, ranked_afresh = given(library), fresh_ranking(site)  # (lists of ids: a view's repr is the site's)
        assert kept == ranked_afresh, name
        rankings.clear()
        again = link_site(site)
        settle_related(again, path, "v1")
        kept_again = given(again)
        assert rankings == [] and kept_again == kept, name  # and kept as they are now


def test_past_the_limit_every_claim_is_ranked_again(
    archive: Site, tmp_path: Path, rankings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RERANK_LIMIT", 2)
    path = tmp_path / "related.json"
    settle_related(link_site(archive), path, "v1")
    _, site = archive_edits(archive)[-1]  # three claims' topics
    rankings.clear()
    library = link_site(site)
    settle_related(library, path, "v1")
    ranked_now, claims = len(rankings), len(library.claims)
    kept, ranked_afresh = given(library), fresh_ranking(site)
    assert ranked_now == claims and kept == ranked_afresh
