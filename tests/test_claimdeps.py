"""Changing the files claims are checked against judges again only the claims that refer to what changed.

Every cached run must still report exactly what a run without the cache reports: the last test
edits verdicts, people, topics, sources and snapshots at random and compares each run with one
made with the cache off.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_modelcache import check, copy_site

from factpress import claimdeps
from factpress.validate import Validator

FULL_SITE = Path(__file__).parent / "sites/full"
FULL = ["bridge-cost", "bridge-opened-on-time", "pont-deux-fois-plus-cher", "bridge-named-after-river"]
NEW_SOURCE = "- id: added-source\n  title: Added\n  snapshot: snapshots/added.txt\n"


@pytest.fixture
def judged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the claims validation judges (not taken from the cache), cleared before each check."""
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[str] = []
    real_claim = Validator.claim
    monkeypatch.setattr(
        Validator, "claim", lambda self, entry, ctx: calls.append(entry["id"]) or real_claim(self, entry, ctx)
    )
    return calls


def checked_again(root: Path, judged: list[str]) -> tuple[list[str], tuple]:
    """Check the project; which claims were judged, and what the check found."""
    judged.clear()
    found = check(root)
    return sorted(judged), found


def without_cache(root: Path) -> tuple:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTPRESS_CACHE_DIR", "off")
        return check(root)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_adding_a_source_person_topic_or_verdict_judges_no_claim_again(tmp_path: Path, judged: list[str]) -> None:
    root = copy_site("full", tmp_path)
    content = root / "content"
    assert checked_again(root, judged)[0] == sorted(FULL)
    (content / "snapshots/added.txt").write_text("Words of a new source.\n")
    append(content / "sources.yaml", NEW_SOURCE)
    append(content / "people.yaml", "- {id: new-person, name: New Person}\n")
    append(content / "topics.yaml", "- {id: housing, name: Housing}\n")
    append(content / "verdicts.yaml", '- {key: mostly-true, label: "Mostly true", rating: 3, meaning: Nearly.}\n')
    again, found = checked_again(root, judged)
    assert again == []
    assert found == without_cache(root)


def test_a_mended_snapshot_judges_only_the_claims_citing_it(tmp_path: Path, judged: list[str]) -> None:
    root = copy_site("full", tmp_path)
    checked_again(root, judged)
    append(root / "content/snapshots/radio-interview.txt", "Journaliste : Merci.\n")
    again, found = checked_again(root, judged)
    assert again == ["pont-deux-fois-plus-cher"]
    assert found == without_cache(root)
    assert checked_again(root, judged)[0] == []  # and then not again


def test_a_source_cited_only_in_an_analysis_is_a_reference_too(tmp_path: Path, judged: list[str]) -> None:
    root = copy_site("full", tmp_path)
    other = root / "content/claims/other.yaml"
    other.write_text(other.read_text().replace("none yet (", "none yet ([G](#gazette-bridge)) ("))
    checked_again(root, judged)
    sources = root / "content/sources.yaml"
    sources.write_text(sources.read_text().replace("- id: gazette-bridge", "- id: gazette-bridge-2"))
    again, found = checked_again(root, judged)
    assert again == ["bridge-cost", "bridge-opened-on-time", "pont-deux-fois-plus-cher"]
    assert "unknown-source" in [p.code for p in found[1]]
    assert found == without_cache(root)


def test_a_removed_reference_judges_its_claims_again_and_reports_it(tmp_path: Path, judged: list[str]) -> None:
    root = copy_site("full", tmp_path)
    checked_again(root, judged)
    topics = root / "content/topics.yaml"
    topics.write_text(topics.read_text().replace("{id: transport, name: Transport}", "{id: roads, name: Roads}"))
    again, found = checked_again(root, judged)
    assert again == ["bridge-cost", "bridge-opened-on-time"]
    assert [p.code for p in found[1]].count("unknown-topic") == 2
    assert found == without_cache(root)
    topics.write_text(topics.read_text().replace("{id: roads, name: Roads}", "{id: transport, name: Transport}"))
    again, found = checked_again(root, judged)
    assert again == ["bridge-cost", "bridge-opened-on-time"]  # their problems named what was missing
    assert found == without_cache(root)


def test_an_empty_snapshot_given_words_judges_every_claim_again(tmp_path: Path, judged: list[str]) -> None:
    """An excerpt of a snapshot without text is dropped without a problem of the claim's: who cites it is unknown."""
    root = copy_site("full", tmp_path)
    snapshot = root / "content/snapshots/radio-interview.txt"
    words = snapshot.read_text()
    snapshot.write_text("")
    checked_again(root, judged)
    snapshot.write_text(words)
    again, found = checked_again(root, judged)
    assert again == sorted(FULL)
    assert found == without_cache(root)


def test_tables_older_than_those_kept_judge_the_file_again(tmp_path: Path, judged: list[str]) -> None:
    root = copy_site("full", tmp_path)
    checked_again(root, judged)
    people = root / "content/people.yaml"
    for n in range(claimdeps.KEPT + 1):  # each run keeps its tables, and judges nothing again
        append(people, f"- {{id: person-{n}, name: Person {n}}}\n")
        assert checked_again(root, judged)[0] == []
    cache = tmp_path / "cache"
    shutil.rmtree(cache / "model")  # the tables and the entries gone: everything is judged again, alike
    again, found = checked_again(root, judged)
    assert again == sorted(FULL)
    assert found == without_cache(root)


def _replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        file = root / path
        file.write_text(file.read_text().replace(old, new, 1))

    return edit


def _append(path: str, text: str) -> Callable[[Path], None]:
    return lambda root: append(root / path, text)


TABLE_EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("add a source", _append("content/sources.yaml", NEW_SOURCE)),
    ("rename a source", _replace("content/sources.yaml", "id: council-minutes", "id: minutes")),
    ("name it back", _replace("content/sources.yaml", "id: minutes\n", "id: council-minutes\n")),
    ("point a source elsewhere", _replace("content/sources.yaml", "snapshots/radio-interview", "snapshots/added")),
    ("point it back", _replace("content/sources.yaml", "snapshots/added.txt", "snapshots/radio-interview.txt")),
    ("write the new snapshot", lambda root: (root / "content/snapshots/added.txt").write_text("Pas encore.\n")),
    ("empty a snapshot", lambda root: (root / "content/snapshots/gazette-bridge.txt").write_text("")),
    (
        "fill it again",
        lambda root: shutil.copy(FULL_SITE / "content/snapshots/gazette-bridge.txt", root / "content/snapshots"),
    ),
    ("mend a snapshot", _replace("content/snapshots/council-minutes.txt", "12 million", "twelve million")),
    ("unmend it", _replace("content/snapshots/council-minutes.txt", "twelve million", "12 million")),
    ("remove a person", _replace("content/people.yaml", "id: sam-lee", "id: sam-lee-2")),
    ("add her back", _replace("content/people.yaml", "id: sam-lee-2", "id: sam-lee")),
    ("add a person", _append("content/people.yaml", "- {id: jo, name: Jo}\n")),
    ("rename a verdict", _replace("content/verdicts.yaml", "key: true", "key: correct")),
    ("name it back", _replace("content/verdicts.yaml", "key: correct", "key: true")),
    ("rename a topic", _replace("content/topics.yaml", "id: budget", "id: money")),
    ("name it back", _replace("content/topics.yaml", "id: money", "id: budget")),
    ("break people.yaml", _replace("content/people.yaml", "- id: jane-doe", "- id: [jane-doe")),
    ("mend it", _replace("content/people.yaml", "- id: [jane-doe", "- id: jane-doe")),
]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(range(len(TABLE_EDITS))), min_size=1, max_size=8))
def test_any_sequence_of_edits_to_what_claims_refer_to_reports_what_no_cache_reports(tmp_path_factory, edits) -> None:
    tmp_path = tmp_path_factory.mktemp("tables")
    root = copy_site("full", tmp_path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
        check(root)
        for index in edits:
            TABLE_EDITS[index][1](root)
            cached = check(root)
            assert cached == without_cache(root), [TABLE_EDITS[i][0] for i in edits]
