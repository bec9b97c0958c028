"""Hostile input: YAML that attacks the parser, paths that leave the project, content that tries to run.

Each test names the defence it proves (docs/security.md lists them); each fails without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from factpress import load as load_module
from factpress.cli import main
from factpress.load import MAX_FILE_BYTES, load_project
from factpress.yamlio import MAX_DEPTH, load_yaml

REPO = Path(__file__).resolve().parent.parent

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command line in-process; return the exit status and everything it printed."""
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def codes_of(root: Path) -> list[str]:
    """The problem codes that loading a project reports."""
    return [p.code for p in load_project(root).problems]


# --- YAML: safe loading, bombs, depth, encoding, size -------------------------------------------


def test_python_tags_are_an_error_and_never_run(project, tmp_path: Path, capsys) -> None:
    root = project("minimal")
    marker = tmp_path / "pwned"
    (root / "claims.yaml").write_text(
        f"- !!python/object/apply:os.system ['touch {marker}']\n"
        f"- id: !!python/object/apply:subprocess.check_output [['touch', '{marker}']]\n",
        encoding="utf-8",
    )
    status, output = run_cli(["check", "--root", str(root)], capsys)
    assert status == 1
    assert "claims.yaml:1:3: error: YAML tag '!!python/object/apply:os.system' is not allowed [yaml-tag]" in output
    assert "claims.yaml:2:7: error: YAML tag '!!python/object/apply:subprocess.check_output'" in output
    assert not marker.exists()
    assert "Traceback" not in output


def test_custom_tags_on_keys_are_an_error_too() -> None:
    _, problems = load_yaml("!!python/name:os.system key: value\n", "x.yaml")
    assert [p.code for p in problems] == ["yaml-tag"]


def test_billion_laughs_is_refused_with_a_clear_error(project, capsys) -> None:
    root = project("minimal")
    (root / "content" / "topics.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    status, output = run_cli(["check", "--root", str(root)], capsys)
    assert status == 1
    assert "content/topics.yaml:1:1: error: the document expands to more than 2,000,000 values [yaml-too-large]" in (
        output
    )


def test_composing_a_bomb_shares_alias_nodes() -> None:
    """libyaml's composer keeps one node per anchor, so the bomb costs its text, not its expansion."""
    root = yaml.compose(BILLION_LAUGHS, Loader=yaml.CSafeLoader)
    last = root.value[-1][1]
    first_use, second_use = last.value[0], last.value[1]
    assert first_use is second_use  # the same object, not a copy
    unique: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in unique:
            continue
        unique.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    assert len(unique) < 200


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "{a: " * 100_000 + "1" + "}" * 100_000,
        "- " * 100_000 + "x\n",
    ],
    ids=["flow-lists", "flow-mappings", "block-lists"],
)
def test_deep_nesting_is_refused_without_crashing_the_process(project, text: str) -> None:
    """libyaml's composer recurses in C and segfaults near 20,000 levels; the depth pre-check refuses first."""
    root = project("minimal")
    (root / "content" / "topics.yaml").write_text(text + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"more than {MAX_DEPTH} levels deep [yaml-too-deep]" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_nesting_through_aliases_is_refused_cleanly() -> None:
    """Anchors nested inside anchors reach past the text's own depth; still a clean error."""
    lines = ["a0: &a0 " + "[" * 90 + "x" + "]" * 90]
    lines += [f"a{i}: &a{i} " + "[" * 90 + f"*a{i - 1}" + "]" * 90 for i in range(1, 12)]
    value, problems = load_yaml("\n".join(lines) + "\n", "x.yaml")
    assert value is None
    assert [p.code for p in problems] == ["yaml-too-deep"]


def test_invalid_utf8_names_the_file_line_and_column(project, capsys) -> None:
    root = project("minimal")
    (root / "content" / "people.yaml").write_bytes(b"- {id: jane-doe, name: Jane Doe}\n- {id: x, name: \xff}\n")
    status, output = run_cli(["check", "--root", str(root)], capsys)
    assert status == 1
    assert "content/people.yaml:2:17: error: not valid UTF-8 (byte 0xff) [invalid-utf8]" in output


def test_tab_indentation_is_a_located_syntax_error(project, capsys) -> None:
    root = project("minimal")
    (root / "content" / "site.yaml").write_text("title: T\npublisher:\n\tname: T\n", encoding="utf-8")
    status, output = run_cli(["check", "--root", str(root)], capsys)
    assert status == 1
    assert "content/site.yaml:3:1: error: YAML syntax error:" in output
    assert "hint: indent with spaces, not tabs" in output


def test_a_file_over_the_size_limit_is_refused_unread(project, monkeypatch) -> None:
    root = project("minimal")
    big = root / "content" / "topics.yaml"
    with big.open("wb") as handle:  # sparse: the size is real, the disk use is not
        handle.truncate(MAX_FILE_BYTES + 1)
    read: list[Path] = []
    original = Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    problems = load_project(root).problems
    assert [(str(p.location), p.code) for p in problems] == [("content/topics.yaml", "file-too-large")]
    assert problems[0].message == f"file is {MAX_FILE_BYTES + 1:,} bytes; the limit is {MAX_FILE_BYTES:,}"
    assert big.resolve() not in [p.resolve() for p in read]


def test_a_huge_single_string_under_the_limit_is_read(project, monkeypatch) -> None:
    """Just under the limit is fine; the limit is lowered so the test stays quick."""
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 4 * 1024 * 1024)
    root = project("minimal")
    body = "- {id: big, name: Big}\n- id: huge\n  name: '" + "x" * (4 * 1024 * 1024 - 100) + "'\n"
    (root / "content" / "topics.yaml").write_text(body, encoding="utf-8")
    assert len(body.encode()) < 4 * 1024 * 1024
    raw = load_project(root)
    assert raw.problems == []
    assert len(raw.docs["topics"].data[1]["name"]) == 4 * 1024 * 1024 - 100


def test_environment_is_not_read_by_yaml() -> None:
    """No tag, anchor or directive reaches the environment or the file system."""
    os.environ["FACTPRESS_SECRET_PROBE"] = "leak"
    try:
        value, problems = load_yaml("%YAML 1.1\n---\na: !!python/name:os.environ\nb: ${FACTPRESS_SECRET_PROBE}\n", "x")
    finally:
        del os.environ["FACTPRESS_SECRET_PROBE"]
    assert [p.code for p in problems] == ["yaml-tag"]
    assert value["b"] == "${FACTPRESS_SECRET_PROBE}"
