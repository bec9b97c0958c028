"""site.yaml, verdicts.yaml, people.yaml and topics.yaml are judged alone: unchanged, they come from the model cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factpress.load import load_project
from factpress.validate import validate_project

SITES = Path(__file__).parent / "sites"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    shutil.copytree(SITES / "full", project)
    return project


def cold(root: Path) -> tuple[object, list[object]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTPRESS_CACHE_DIR", "off")
        return validate_project(load_project(root))


def test_unchanged_content_files_are_neither_parsed_nor_judged(root: Path) -> None:
    first = validate_project(load_project(root))
    raw = load_project(root)
    assert first == validate_project(raw) == cold(root)
    for kind in ("site", "verdicts", "people", "topics"):
        assert raw.docs[kind].hit is not None and not raw.docs[kind].parsed, kind


@pytest.mark.parametrize(
    ("kind", "old", "new", "code"),
    [
        ("people", "kind: person", "kind: robot", "invalid-kind"),
        ("verdicts", "colour:", "color:", "unknown-field"),
        ("site", "language: en", "language: '??'", "invalid-language"),
        ("topics", "name:", "title:", "unknown-field"),
    ],
)
def test_an_edited_content_file_is_judged_again(root: Path, kind: str, old: str, new: str, code: str) -> None:
    validate_project(load_project(root))
    path = root / "content" / f"{kind}.yaml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    site, problems = validate_project(load_project(root))
    assert code in {p.code for p in problems}
    assert (site, problems) == cold(root)
    assert validate_project(load_project(root)) == (site, problems)  # and from the cache, alike
