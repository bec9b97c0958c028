"""Build progress: each stage says what it did, with counts and its time; `--quiet` silences it."""

from __future__ import annotations

import re
from pathlib import Path

from factpress.cli import main

STAGE_LINE = re.compile(r"^  (?P<stage>[a-z]+) +\d+ ms(?:  (?P<notes>.+))?$")


def stage_notes(stderr: str) -> dict[str, str]:
    found = {}
    for line in stderr.splitlines():
        match = STAGE_LINE.match(line)
        if match:
            found[match["stage"]] = match["notes"] or ""
    return found


def test_build_reports_each_stage_with_counts(project, tmp_path: Path, capsys) -> None:
    root, out = project("minimal"), tmp_path / "out"
    assert main(["build", "--root", str(root), "--out", str(out), "--no-search"]) == 0
    err = capsys.readouterr().err
    notes = stage_notes(err)
    assert list(notes) == ["load", "validate", "link", "render", "write", "publish"]
    pages = sum(1 for _ in out.rglob("*.html"))
    files = sum(1 for p in out.rglob("*") if p.is_file() and p.name != ".factpress")
    assert notes["validate"].startswith("1 claim, 1 source, 0 errors, 0 warnings")
    assert notes["link"] == "1 published claim"
    assert notes["render"] == f"{pages} pages, {files} files"
    assert notes["write"].startswith(f"{files} files, ")
    last = err.splitlines()[-1]
    assert last.startswith(f"Built {pages} pages ({files} files) into {out.resolve()} in ")
    assert last.endswith("; search skipped")


def test_quiet_build_prints_nothing(project, tmp_path: Path, capsys) -> None:
    root, out = project("minimal"), tmp_path / "out"
    assert main(["build", "--root", str(root), "--out", str(out), "--no-search", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert (out / "index.html").is_file()


def test_quiet_build_still_prints_errors(project, tmp_path: Path, capsys) -> None:
    root = project("minimal")
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("verdict: true", "verdict: ture"), encoding="utf-8")
    assert main(["build", "--root", str(root), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "unknown verdict 'ture'" in err
    assert not stage_notes(err)
