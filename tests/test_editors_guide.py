"""docs/editors-guide.md stays true: its YAML examples are valid and its error examples are what check prints."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from factpress.cli import main

REPO = Path(__file__).resolve().parent.parent
GUIDE = (REPO / "docs" / "editors-guide.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)

#: The mistakes the guide shows, each put into a copy of the sample site: (file, text, replacement).
MISTAKES = {
    "unknown-verdict": [("claims.yaml", "  verdict: mostly-true\n", "  verdict: mostly-ture\n")],
    "excerpt-not-found": [
        (
            "claims.yaml",
            "      excerpt: at the time the recording was made, Trump was not serving as president",
            "      excerpt: when the recording was made, Trump was not the president",
        )
    ],
    "missing-field": [  # a misspelt field: both the unknown one and the missing one are reported
        ("claims.yaml", "  summary: >-\n    The only authority", "  sumary: >-\n    The only authority"),
    ],
    "yaml-syntax": [("claims.yaml", "  topics: [russia, united-states]\n", "  topics: [russia, united-states\n")],
    "previous_verdict": [
        ("claims.yaml", "      previous_verdict: mostly-false\n", "      previous_verdict: mostly-flase\n")
    ],
    "missing-snapshot": [
        ("content/sources.yaml", "snapshot: snapshots/004_312616a72c94fdae.txt", "snapshot: snapshots/004.txt")
    ],
    "claim-too-long": [
        (
            "claims.yaml",
            "  claim: Trump was not serving as president when the audio was recorded.",
            "  claim: Trump was not serving as president of the United States when the audio of the donor events"
            " was recorded.",
        )
    ],
}


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(GUIDE) if lang == language]


def error_blocks() -> dict[str, str]:
    """The guide's blocks of `check` output, keyed by the first problem's code (or field)."""
    found = {}
    for body in blocks(""):
        first = body.splitlines()[0] if body.strip() else ""
        match = re.search(r"\[([a-z-]+)\]$", first)
        if match and (": error: " in first or ": warning: " in first):
            found.setdefault("previous_verdict" if "previous_verdict" in first else match.group(1), body)
    return found


def normalise(text: str) -> list[str]:
    """Lines with line and column numbers blanked: the guide is about the messages, not the sample's layout."""
    text = re.sub(r"^([\w./-]+):\d+:\d+:", r"\1:L:C:", text, flags=re.M)
    text = re.sub(r"line \d+, column \d+", "line L, column C", text)
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("language", ["yaml"])
def test_yaml_examples_parse(language: str) -> None:
    for body in blocks(language):
        yaml.safe_load(body)


def test_every_error_example_is_covered() -> None:
    assert sorted(error_blocks()) == sorted(MISTAKES)


@pytest.mark.parametrize("code", sorted(MISTAKES))
def test_error_examples_are_what_check_prints(code: str, tmp_path: Path, capsys) -> None:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "static", root / "static")  # (the publisher's logo)
    shutil.copy(REPO / "claims.yaml", root / "claims.yaml")
    for name, old, new in MISTAKES[code]:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, f"the sample site no longer has {old!r}: update the guide's example"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    status = main(["check", "--root", str(root)])
    printed = normalise(capsys.readouterr().out)
    expected = normalise(error_blocks()[code])
    missing = [line for line in expected if line not in printed]
    assert missing == [], f"docs/editors-guide.md shows lines check no longer prints:\n{printed}"
    assert status == (0 if code == "claim-too-long" else 1)
