"""A claims file with one claim edited keeps its cache entry as the base file and a small delta beside it.

Whatever the deltas, every run gives what a run without the cache gives; a delta is applied only
to the base it was made for, and many edits write the entry whole again.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from factpress import modelcache
from factpress.load import load_project
from factpress.modelcache import CLAIMS_LAYOUT, project_cache
from factpress.validate import validate_project

SITES = Path(__file__).parent / "sites"
COUNT = 40


def everything(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(everything(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, (tuple, list)):
        return tuple(everything(v) for v in value)
    return value


def check(root: Path) -> tuple[Any, list[Any]]:
    site, problems = validate_project(load_project(root))
    return everything(site), problems


def cold(root: Path) -> tuple[Any, list[Any]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTPRESS_CACHE_DIR", "off")
        return check(root)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    shutil.copytree(SITES / "minimal", project)
    path = project / "claims.yaml"
    one = path.read_text()
    path.write_text("".join(one.replace("id: bridge-cost", f"id: bridge-cost-{n}") for n in range(COUNT)))
    return project


def edit(root: Path, n: int, words: str) -> None:
    path = root / "claims.yaml"
    chunks = path.read_text().split("- id: ")
    chunks[n + 1] = chunks[n + 1].replace("summary: ", f"summary: {words} ", 1)
    path.write_text("- id: ".join(chunks))


def files(root: Path) -> tuple[Path, Path]:
    cache = project_cache(root.resolve())
    assert cache is not None
    return cache.path("claims.yaml"), cache.delta_path("claims.yaml")


def test_an_edit_is_stored_as_a_delta_and_read_back(root: Path) -> None:
    assert check(root) == cold(root)
    base, delta = files(root)
    before = base.read_bytes()
    assert not delta.exists()
    edit(root, 7, "Edited.")
    assert check(root) == cold(root)
    assert base.read_bytes() == before and delta.exists()
    plan = modelcache.loads(delta.read_bytes())["items"]
    assert [n for n, item in enumerate(plan) if type(item) is not int] == [7]  # the others: indexes into the base
    entry = project_cache(root.resolve()).read("claims.yaml", CLAIMS_LAYOUT)  # type: ignore[union-attr]
    assert entry is not None and entry["items"][7][2].summary.startswith("Edited.")
    edit(root, 9, "Again.")
    site, problems = check(root)
    assert (site, problems) == cold(root) and base.read_bytes() == before
    assert check(root) == (site, problems)  # read back from base and delta, unchanged


def test_a_delta_is_never_applied_to_another_base(root: Path) -> None:
    check(root)
    _, delta = files(root)
    edit(root, 3, "Edited.")
    check(root)
    stale = delta.read_bytes()
    edit(root, 3, "Twice.")
    modelcache_write_whole(root)
    assert not delta.exists()
    delta.write_bytes(stale)  # a delta made for the base before
    entry = project_cache(root.resolve()).read("claims.yaml", CLAIMS_LAYOUT)  # type: ignore[union-attr]
    assert entry is not None and entry["items"][3][2].summary.startswith("Twice. Edited.")
    assert check(root) == cold(root)


def modelcache_write_whole(root: Path) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(modelcache, "DELTA_MIN", 0)
        mp.setattr(modelcache, "DELTA_SHARE", 10**9)
        check(root)


def test_many_edits_write_the_entry_whole(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modelcache, "DELTA_MIN", 3)
    check(root)
    base, delta = files(root)
    before = base.read_bytes()
    for n in range(3):
        edit(root, n, "Edited.")
        assert check(root) == cold(root)
        assert base.read_bytes() == before and delta.exists()
    edit(root, 3, "Edited.")  # a fourth new item: past DELTA_MIN
    assert check(root) == cold(root)
    assert base.read_bytes() != before and not delta.exists()
    assert check(root) == cold(root)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_damaged_delta_only_costs_a_judging_again(root: Path, damage: bytes) -> None:
    check(root)
    edit(root, 5, "Edited.")
    check(root)
    _, delta = files(root)
    delta.write_bytes(damage)
    assert check(root) == cold(root)


def test_a_removed_claims_file_takes_its_delta_with_it(root: Path) -> None:
    check(root)
    edit(root, 1, "Edited.")
    check(root)
    base, delta = files(root)
    assert delta.exists()
    (root / "content" / "claims").mkdir()
    (root / "claims.yaml").rename(root / "content" / "claims" / "all.yaml")
    check(root)
    assert not base.exists() and not delta.exists()
