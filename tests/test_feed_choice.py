"""feeds.feed_claims picks its entries by date first, in C: it must pick exactly what ranking every
published claim by (modified, published, id) picks, drafts and ties included."""

from __future__ import annotations

import datetime as dt
import heapq
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from factpress.feeds import feed_claims

DAY = dt.date(2025, 1, 1)


def view(ident: int, modified: int, published: int, draft: bool) -> SimpleNamespace:
    claim = SimpleNamespace(published=DAY + dt.timedelta(days=published), draft=draft)
    return SimpleNamespace(id=f"c{ident:03}", modified=DAY + dt.timedelta(days=modified), claim=claim)


def reference(claims: list[SimpleNamespace], limit: int) -> list[SimpleNamespace]:
    published = [c for c in claims if not c.claim.draft]
    return heapq.nlargest(limit, published, key=lambda c: (c.modified, c.claim.published, c.id))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.booleans()), max_size=40),
    st.integers(1, 12),
)
def test_the_entries_chosen_are_those_ranking_every_claim_chooses(specs, limit: int) -> None:
    claims = [view(i, modified, published, draft) for i, (modified, published, draft) in enumerate(specs)]
    library = SimpleNamespace(claims=claims)
    assert feed_claims(library, limit) == reference(claims, limit)  # type: ignore[arg-type]


def test_drafts_among_the_latest_leave_room_for_older_claims() -> None:
    claims = [view(i, 10, 0, draft=True) for i in range(3)] + [view(10 + i, i, 0, draft=False) for i in range(5)]
    chosen = feed_claims(SimpleNamespace(claims=claims), 3)  # type: ignore[arg-type]
    assert [c.id for c in chosen] == ["c014", "c013", "c012"]
