"""The model cache: cold, warm and off give the same Site and problems, and every input invalidates it."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from factpress.errors import Problem
from factpress.load import load_project
from factpress.model import Site
from factpress.validate import Validator, validate_project

SITES = Path(__file__).parent / "sites"
ALL_SITES = sorted(
    [p for p in SITES.iterdir() if (p / "content").is_dir() and p.name != "invalid"]
    + [p for p in (SITES / "invalid").iterdir() if p.is_dir()]
)


def everything(value: Any) -> Any:
    """A value with every field, those left out of == (locations, digests) included."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(everything(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, (tuple, list)):
        return tuple(everything(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, everything(v)) for k, v in value.items())
    return value


def check(root: Path) -> tuple[Any, list[Problem]]:
    """Load and validate as `build.py check` does; the Site with every field, and the problems in order."""
    site, problems = validate_project(load_project(root))
    return everything(site), problems


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(folder))
    return folder


def copy_site(name: str, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SITES / name, root, symlinks=True)
    return root


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "model").rglob("*.pickle"))


@pytest.mark.parametrize("site", ALL_SITES, ids=lambda p: p.relative_to(SITES).as_posix())
def test_cold_warm_and_off_give_the_same_site_and_problems(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    shutil.copytree(site, root, symlinks=True)
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    off = check(root)
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    cold = check(root)
    warm = check(root)
    assert cold == off
    assert warm == off


def test_a_warm_run_parses_no_claims_file(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("full", tmp_path)
    check(root)
    assert entries(cache_dir)
    raw = load_project(root)
    assert raw.claim_docs and not any(doc.parsed for doc in raw.claim_docs)
    validate_project(raw)
    assert not any(doc.parsed for doc in raw.claim_docs)


def test_related_pointing_into_another_file_is_reported_once_that_claim_is_removed(
    cache_dir: Path, tmp_path: Path
) -> None:
    root = copy_site("minimal", tmp_path)
    (root / "content/claims").mkdir()
    other = root / "content/claims/other.yaml"
    text = (root / "claims.yaml").read_text()
    other.write_text(text.replace("id: bridge-cost", "id: bridge-cost-again"))
    (root / "claims.yaml").write_text(text.replace("  published:", "  related: [bridge-cost-again]\n  published:"))
    _, problems = check(root)
    assert problems == []
    _, problems = check(root)  # warm
    assert problems == []
    other.write_text("[]\n")
    _, problems = check(root)
    assert [(p.code, p.location.path) for p in problems] == [("unknown-claim", "claims.yaml")]


def test_a_changed_snapshot_checks_excerpts_again(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("minimal", tmp_path)
    assert check(root)[1] == []
    snapshot = root / "content/snapshots/gazette.txt"
    snapshot.write_text(snapshot.read_text().replace("12 million", "20 million"))
    _, problems = check(root)
    assert [p.code for p in problems] == ["excerpt-not-found"]
    assert problems == check_off(root)


def check_off(root: Path) -> list[Problem]:
    """The problems with the cache off: what every cached run must report."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTPRESS_CACHE_DIR", "off")
        return check(root)[1]


def test_a_removed_verdict_or_person_is_reported_in_unchanged_claims_files(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("minimal", tmp_path)
    assert check(root)[1] == []
    verdicts = root / "content/verdicts.yaml"
    original = verdicts.read_text()
    verdicts.write_text(original.replace("key: true", "key: correct"))
    assert "unknown-verdict" in [p.code for p in check(root)[1]]
    verdicts.write_text(original)
    assert check(root)[1] == []
    people = root / "content/people.yaml"
    people.write_text(people.read_text().replace("id: jane-doe", "id: janet-doe"))
    _, problems = check(root)
    assert [p.code for p in problems] == ["unknown-person"]
    assert problems == check_off(root)


def test_a_duplicate_claim_id_across_two_files_is_reported_warm(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("minimal", tmp_path)
    (root / "content/claims").mkdir()
    (root / "content/claims/copy.yaml").write_text((root / "claims.yaml").read_text())
    for _ in range(2):  # cold, then warm
        _, problems = check(root)
        assert [(p.code, p.location.path, p.location.line) for p in problems] == [
            ("duplicate-id", "content/claims/copy.yaml", 1)
        ]


def test_an_edit_that_shifts_lines_reports_the_right_line_below_it(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_site("minimal", tmp_path)
    path = root / "claims.yaml"
    one = path.read_text()
    second = one.replace("id: bridge-cost", "id: bridge-toll").replace("jane-doe", "jane-do")  # an unknown claimant
    path.write_text(one + second)
    site, problems = check(root)
    (problem,) = problems
    assert problem.code == "unknown-person"
    line = problem.location.line
    path.write_text(one.replace("  summary:", "  summary: |\n    Two\n   ", 1) + second)
    validated: list[str] = []
    real_claim = Validator.claim
    monkeypatch.setattr(
        Validator, "claim", lambda self, entry, ctx: validated.append(entry["id"]) or real_claim(self, entry, ctx)
    )
    site, problems = check(root)
    assert validated == ["bridge-cost"]  # the claim below only moved: taken from the cache
    assert [(p.code, p.location.line) for p in problems] == [("unknown-person", line + 2)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTPRESS_CACHE_DIR", "off")
        assert (site, problems) == check(root)  # claims' and evidence's locations included


def test_a_corrupted_or_planted_entry_is_ignored(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("full", tmp_path)
    expected = check(root)
    files = entries(cache_dir)
    assert files
    files[0].write_bytes(files[0].read_bytes()[:100])
    assert check(root) == expected

    class Exploit:
        def __reduce__(self) -> tuple[Any, tuple[str]]:
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    for path in entries(cache_dir):
        path.write_bytes(pickle.dumps(Exploit()))
    assert check(root) == expected
    assert not (tmp_path / "pwned").exists()


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    root = copy_site("full", tmp_path)
    raw = load_project(root)
    assert raw.model_cache is None
    check(root)
    assert not list(tmp_path.rglob("*.pickle"))


def test_every_entry_of_a_site_is_a_claim_with_its_digest(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("full", tmp_path)
    check(root)
    site: Site = validate_project(load_project(root))[0]  # warm: from the cache
    assert site.claims and all(c.digest for c in site.claims)


def test_cached_sources_take_the_snapshot_text_just_read(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("full", tmp_path)
    check(root)
    raw = load_project(root)
    assert raw.docs["sources"].hit is not None and not raw.docs["sources"].parsed  # warm: sources.yaml not parsed
    snapshot = next((root / "content/snapshots").rglob("*.txt"))
    snapshot.write_text(snapshot.read_text() + "\nA new closing line.\n")
    site, problems = check(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTPRESS_CACHE_DIR", "off")
        assert (site, problems) == check(root)
    assert any("A new closing line." in str(source) for source in site[5])


def test_a_missing_snapshot_is_reported_on_every_run(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("minimal", tmp_path)
    check(root)
    (root / "content/snapshots/gazette.txt").unlink()
    for _ in range(2):
        assert [p.code for p in check(root)[1]] == ["missing-snapshot"]
