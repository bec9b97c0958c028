"""link.related_claims ranks in C for speed: it must choose exactly what the plain Python ranking chose."""

from __future__ import annotations

from collections import Counter, defaultdict
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from factpress.link import RELATED_LIMIT, related_claims, related_keys


def related_by_python(view, claims, rank, index) -> list:
    """The reference: weigh every shared source 2 and topic 1, sort by (-score, rank), as link did before."""
    chosen = [claims[r] for r in view.claim.related if r in claims]
    scores: Counter[str] = Counter()
    for key in related_keys(view):
        weight = 2 if key.startswith("s:") else 1
        for other in index[key]:
            scores[other] += weight
    scores.pop(view.id, None)
    for other in chosen:
        scores.pop(other.id, None)
    best = sorted(scores.items(), key=lambda item: (-item[1], rank[item[0]]))
    chosen.extend(claims[i] for i, _ in best[: max(0, RELATED_LIMIT - len(chosen))])
    return chosen


def make_view(ident: str, sources: list[str], topics: list[str], related: list[str]) -> SimpleNamespace:
    evidence = tuple(SimpleNamespace(source=s) for s in sources)  # the model's: related_keys reads the claim's
    return SimpleNamespace(id=ident, claim=SimpleNamespace(evidence=evidence, topics=tuple(topics), related=related))


claim_specs = st.lists(
    st.tuples(
        st.lists(st.sampled_from("abcde"), max_size=3),
        st.lists(st.sampled_from("tuvwxyz"), max_size=4, unique=True),
        st.lists(st.integers(0, 30), max_size=5),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(claim_specs)
def test_related_claims_match_the_plain_ranking(specs) -> None:
    ids = [f"claim-{n}" for n in range(len(specs))]
    claims = {
        ident: make_view(ident, sources, topics, [ids[r] for r in related if r < len(ids)])
        for ident, (sources, topics, related) in zip(ids, specs, strict=True)
    }
    ordered = list(claims.values())
    rank = {view.id: i for i, view in enumerate(ordered)}
    index: dict[str, list[str]] = defaultdict(list)
    for view in ordered:
        for key in related_keys(view):
            index[key].append(view.id)
    memo: dict = {}  # pairs and sets of topics, kept from claim to claim as link keeps them for a build
    for view in ordered:
        fast = related_claims(view, claims, rank, index)
        kept = related_claims(view, claims, rank, index, None, memo)
        plain = related_by_python(view, claims, rank, index)
        assert [c.id for c in fast] == [c.id for c in kept] == [c.id for c in plain]
