"""A small rebuild takes unchanged analyses from the Markdown cache: markdown-it is never imported, and the
cache entries of the pages it did not render are kept for the next build.

Each build runs in a fresh interpreter (a clean sys.modules), with its own cache folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate_site
from factpress.cache import code_version
from factpress.piececache import PieceFile

REPO = Path(__file__).resolve().parent.parent
BUILD = """
import json, sys
from pathlib import Path
from factpress.pipeline import BuildOptions, build_site
build_site(BuildOptions(Path(sys.argv[1]), Path(sys.argv[2]), search=False))
print(json.dumps({"markdown_it": "markdown_it" in sys.modules}))
"""


def build(root: Path, out: Path, cache: Path) -> dict[str, bool]:
    """Build in a fresh interpreter; whether it imported markdown-it."""
    env = {**os.environ, "FACTPRESS_CACHE_DIR": str(cache), "FACTPRESS_WORKERS": "0"}
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(root), str(out)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def kept_entries(cache: Path) -> int:
    """How many rendered Markdown entries the cache file holds under this code version."""
    (path,) = (cache / "markdown").glob("*.pieces")
    return len(PieceFile(path, code_version()).index)


def edit_first(root: Path, key: str) -> None:
    """Add words to the first claim's `key:` value: a one-line scalar's end, a block scalar's first line."""
    path = sorted((root / "content" / "claims").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    match = re.search(rf"^\s*-?\s*{key}: (.*)$", text, re.M)
    assert match, key
    if match.group(1) in ("|", "|-", ">", ">-"):
        end = text.index("\n", match.end() + 1)
    else:
        end = match.end() - (1 if match.group(1)[-1:] in "'\"" else 0)
    path.write_text(text[:end] + " Edited." + text[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A generated project built once: its root, output folder and cache folder."""
    folder = tmp_path_factory.mktemp("mdrebuild")
    root, out, cache = generate_site(folder / "project", 30), folder / "out", folder / "cache"
    assert build(root, out, cache)["markdown_it"]  # a first build renders every analysis
    return root, out, cache


def test_a_rebuild_with_unchanged_analyses_never_imports_markdown_it(site: tuple[Path, Path, Path]) -> None:
    root, out, cache = site
    before = kept_entries(cache)
    edit_first(root, "summary")
    assert build(root, out, cache) == {"markdown_it": False}
    assert kept_entries(cache) == before  # the unrendered pages' entries are all still there


def test_a_rebuild_with_an_edited_analysis_renders_it_and_keeps_the_others(site: tuple[Path, Path, Path]) -> None:
    root, out, cache = site
    before = kept_entries(cache)
    edit_first(root, "analysis")
    assert build(root, out, cache) == {"markdown_it": True}
    assert kept_entries(cache) == before + 1
