"""A claims file's items are stored column by column: made again, every field of every item is what it was."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from factpress import modelcache
from factpress.load import load_project
from factpress.modelcache import CLAIMS_LAYOUT, packed_items, project_cache, unpacked_items
from factpress.validate import validate_project

SITES = Path(__file__).parent / "sites"
CLAIM_SITES = sorted(
    p
    for p in [*SITES.iterdir(), *(SITES / "invalid").iterdir()]
    if (p / "claims.yaml").is_file() or (p / "content" / "claims").is_dir()
)


def everything(value: Any) -> Any:
    """A value with every field and its exact type: tuples and lists differ, fields left out of == count."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(everything(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, (tuple, list, dict)):
        items = value.items() if isinstance(value, dict) else value
        return (type(value).__name__, *(everything(v) for v in items))
    return (type(value).__name__, value)


@pytest.mark.parametrize("site", CLAIM_SITES, ids=lambda p: p.name)
def test_items_are_made_again_exactly(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "project"
    shutil.copytree(site, root, symlinks=True)
    raw = load_project(root)
    validate_project(raw)
    cache = project_cache(root.resolve())
    assert cache is not None
    for doc in raw.claim_docs:
        entry = cache.read(doc.path, CLAIMS_LAYOUT)
        if entry is None:
            continue
        items = entry["items"]
        assert everything(unpacked_items(packed_items(items))) == everything(items)
        fresh = fresh_entry(root, doc.path)
        assert everything(items) == everything(fresh["items"])
        assert everything(entry["shape"]) == everything(fresh["shape"])  # the index and valid first ids too
        assert "ids" in entry["shape"]


def fresh_entry(root: Path, path: str) -> dict[str, Any]:
    """The entry (items, shape) a run that judges every file afresh stores for one claims file."""
    with pytest.MonkeyPatch.context() as mp:
        seen: list[Any] = []
        real = modelcache.ModelCache.write

        def keep(self: Any, name: str, entry: dict[str, Any], previous: Any = None) -> None:
            if name == path:
                seen.append({"items": list(entry["items"]), "shape": dict(entry["shape"])})
            real(self, name, entry, previous)

        mp.setattr(modelcache.ModelCache, "write", keep)
        mp.setattr(modelcache, "code_version", lambda: "another code")  # every entry missed: judged afresh
        validate_project(load_project(root))
    return seen[-1]


def test_items_without_a_claim_and_with_problems_keep_their_places(tmp_path: Path) -> None:
    site = SITES / "full"
    raw = load_project(site)
    site_model, _ = validate_project(raw)
    claims = site_model.claims[:3]
    problem = modelcache.Problem(modelcache.Location("claims.yaml", 4, 1), "a problem", "a-code")
    items = [("k0", 1, None, [problem]), ("k1", 5, claims[0], []), ("", 9, None, []), ("k3", 12, claims[1], [problem])]
    assert everything(unpacked_items(packed_items(items))) == everything(items)
    assert unpacked_items(packed_items([])) == []


def test_damaged_columns_only_mean_the_file_is_judged_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "project"
    shutil.copytree(SITES / "minimal", root)
    first = validate_project(load_project(root))
    cache = project_cache(root.resolve())
    assert cache is not None
    entry = modelcache.loads(cache.path("claims.yaml").read_bytes())
    entry["items"]["keys"] = ()  # fewer keys than claims
    cache.path("claims.yaml").write_bytes(modelcache.dumps(entry))
    assert cache.read("claims.yaml", CLAIMS_LAYOUT) is None
    assert validate_project(load_project(root)) == first


def test_equal_short_texts_and_tuples_of_texts_are_read_back_as_one_object() -> None:
    claim = validate_project(load_project(SITES / "full"))[0].claims[0]
    first = dataclasses.replace(claim, topics=("".join(["heal", "th"]), "budget"), verdict="".join(["fal", "se"]))
    second = dataclasses.replace(claim, topics=("".join(["hea", "lth"]), "budget"), verdict="".join(["fa", "lse"]))
    assert first.topics is not second.topics and first.verdict is not second.verdict
    stored = [("a", 1, first, []), ("b", 9, second, [])]
    items = unpacked_items(modelcache.loads(modelcache.dumps(packed_items(stored))))
    assert items[0][2].topics is items[1][2].topics and items[0][2].verdict is items[1][2].verdict
    assert everything(items) == everything(stored)
