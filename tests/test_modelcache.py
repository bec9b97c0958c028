"""The model cache: cold, warm and off give the same Site and problems, and every input invalidates it."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factpress import modelcache, validate
from factpress.errors import Problem
from factpress.load import load_project
from factpress.model import Site, Snapshot
from factpress.validate import Validator, validate_project
from factpress.versions import version

SITES = Path(__file__).parent / "sites"
ALL_SITES = sorted(
    [p for p in SITES.iterdir() if (p / "content").is_dir() and p.name != "invalid"]
    + [p for p in (SITES / "invalid").iterdir() if p.is_dir()]
)


def everything(value: Any) -> Any:
    """A value with every field, those left out of == (locations, digests) included.

    A snapshot's content is its text, read or not: a check with a warm cache leaves it unread (a
    FileText), one without reads it, and both must compare equal.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        read = isinstance(value, Snapshot)
        fields = ("text" if read and f.name == "content" else f.name for f in dataclasses.fields(value))
        return (type(value).__name__, *(everything(getattr(value, name)) for name in fields))
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


# -- edits, one after another: every cached run reports what a run without the cache reports ----

EDITS = [
    ("summary", lambda lines, at: lines.insert(at, "  summary: Rewritten here.")),
    ("blank line", lambda lines, at: lines.insert(at, "")),
    ("comment", lambda lines, at: lines.insert(at, "# a comment")),
    ("column-0 comment inside", lambda lines, at: lines.insert(at, "# - not an item")),
    ("duplicate key", lambda lines, at: lines.insert(at, "  verdict: true")),
    ("tag", lambda lines, at: lines.insert(at, "  note: !custom tagged")),
    ("scalar item", lambda lines, at: lines.insert(at, "- just text")),
    ("empty item", lambda lines, at: lines.insert(at, "-")),
    ("anchor", lambda lines, at: lines.insert(at, "  x-anchor: &a {k: v}")),
    (
        "quoted over an item start",
        lambda lines, at: lines[at : at + 1] == ["x"] or lines.insert(at, '  claim: "opens\n- and closes"'),
    ),
    ("flow over an item start", lambda lines, at: lines.insert(at, "  topics: [budget,\n- transport]")),
    ("syntax error", lambda lines, at: lines.insert(at, "  : : [")),
    ("delete a line", lambda lines, at: lines.pop(at) if at < len(lines) else None),
    ("copy an item", lambda lines, at: lines.extend(item_at(lines, at))),
    ("document marker", lambda lines, at: lines.insert(at, "---")),
    ("indented item", lambda lines, at: lines.insert(at, "  - stray")),
    ("unknown verdict", lambda lines, at: lines.insert(at, "  verdict: nonsense")),
    ("new id", lambda lines, at: lines.insert(at, f"- id: added-{at}\n  claim: Added.")),
]


def item_at(lines: list[str], at: int) -> list[str]:
    """The lines of the top-level item around line `at` (a copy, for a duplicate id)."""
    start = max((i for i in range(min(at, len(lines) - 1) + 1) if lines[i].startswith("- ")), default=0)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    return lines[start:end]


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(range(len(EDITS))), st.integers(0, 200)), min_size=1, max_size=6))
def test_any_sequence_of_edits_reports_what_no_cache_reports(tmp_path_factory, edits) -> None:
    tmp_path = tmp_path_factory.mktemp("edits")
    root = copy_site("full", tmp_path)
    path = root / "content/claims/bridge.yaml"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
        check(root)
        for index, at in edits:
            lines = path.read_text().split("\n")
            EDITS[index][1](lines, at % (len(lines) + 1))
            path.write_text("\n".join(lines))
            cached = check(root)
            mp.setenv("FACTPRESS_CACHE_DIR", "off")
            assert cached == check(root), EDITS[index][0]
            mp.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))


def test_an_edited_claims_file_is_read_chunk_by_chunk(cache_dir: Path, tmp_path: Path, monkeypatch) -> None:
    root = copy_site("full", tmp_path)
    check(root)
    path = root / "content/claims/bridge.yaml"
    path.write_text(path.read_text().replace("two weeks late.", "two weeks late, said the Gazette."))
    raw = load_project(root)
    (doc,) = [d for d in raw.claim_docs if d.path.endswith("bridge.yaml")]
    assert doc.chunks is not None and not doc.parsed
    assert [c.reused for c in doc.chunks[1]] == [0, None]  # the first claim is taken as it was
    validated: list[str] = []
    real_claim = Validator.claim
    monkeypatch.setattr(
        Validator, "claim", lambda self, entry, ctx: validated.append(entry["id"]) or real_claim(self, entry, ctx)
    )
    site, problems = validate_project(raw)
    assert validated == ["bridge-opened-on-time"]
    assert not doc.parsed
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    assert (everything(site), problems) == check(root)


def test_problems_reading_found_in_an_unchanged_item_move_with_it(cache_dir: Path, tmp_path: Path) -> None:
    root = copy_site("full", tmp_path)
    path = root / "content/claims/bridge.yaml"
    text = path.read_text()
    second = text.index("- id: bridge-opened-on-time")
    path.write_text(
        text[:second] + "- id: bridge-opened-on-time\n  verdict: !custom false\n  verdict: true\n" + text[second + 28 :]
    )

    def reading(problems: list[Problem]) -> list[tuple[str, int, str]]:
        return [(p.code, p.location.line, p.message) for p in problems if p.code in ("yaml-tag", "duplicate-key")]

    before = reading(check(root)[1])
    assert [code for code, _, _ in before] == ["yaml-tag", "duplicate-key", "duplicate-key"]
    path.write_text("# one more line above\n" + path.read_text())
    raw = load_project(root)
    assert any(c.reused is not None for c in raw.claim_docs[0].chunks[1])
    _, problems = check(root)
    first = before[0][1]  # where the first 'verdict' is written
    assert reading(problems) == [
        (code, line + 1, message.replace(f"line {first})", f"line {first + 1})")) for code, line, message in before
    ]
    assert problems == check_off(root)


def test_adding_a_claim_judges_only_it_and_claims_whose_related_it_could_change(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_site("full", tmp_path)
    other = root / "content/claims/other.yaml"
    other.write_text(other.read_text() + "  related: [bridge-costs]\n")  # unknown: its hint lists close ids
    check(root)
    new = root / "content/claims/new.yaml"
    new.write_text((root / "content/claims/bridge.yaml").read_text().replace("id: bridge-", "id: new-bridge-"))
    validated: list[str] = []
    real_claim = Validator.claim
    monkeypatch.setattr(
        Validator, "claim", lambda self, entry, ctx: validated.append(entry["id"]) or real_claim(self, entry, ctx)
    )
    site, problems = check(root)
    last = other.read_text().split("\n- id: ")[-1].split("\n")[0]
    assert sorted(validated) == sorted(["new-bridge-cost", "new-bridge-opened-on-time", last])
    monkeypatch.setattr(Validator, "claim", real_claim)
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    assert (site, problems) == check(root)


def test_a_new_i18n_or_babel_words_the_kept_hints_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim's problems are kept with their hints, and i18n.py words some from Babel's CLDR data (a language
    given by its name): after an upgrade of either, `check` must give the new hint, not the one it kept."""
    root = copy_site("minimal", tmp_path)
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text().replace("  published:", "  language: French\n  published:"))
    assert [p.hint for p in check(root)[1]] == ["write the language's code: 'fr' for French"]

    def upgraded(name: str) -> str | None:  # what the newer code says
        return "fra" if name == "French" else None

    monkeypatch.setattr(validate, "code_of_language_name", upgraded)
    monkeypatch.setattr(modelcache, "_CODE_VERSION", None)
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read_bytes(path) + (b"#" if path.name == "i18n.py" else b""))
    assert [p.hint for p in check(root)[1]] == ["write the language's code: 'fra' for French"]

    monkeypatch.setattr(modelcache, "_CODE_VERSION", None)
    monkeypatch.setattr(validate, "code_of_language_name", lambda name: "fr-x" if name == "French" else None)
    monkeypatch.setattr(modelcache, "version", lambda package: "99" if package == "babel" else version(package))
    assert [p.hint for p in check(root)[1]] == ["write the language's code: 'fr-x' for French"]
