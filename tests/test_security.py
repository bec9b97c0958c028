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


# --- Paths: nothing read from outside the project, nothing written outside --out ------------------


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A private file outside the site project that no link may publish."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text("- {id: secret, name: TOP SECRET CONTENT}\n", encoding="utf-8")
    return path


def unsafe(root: Path) -> list[tuple[str, str]]:
    """(path, message) of every unsafe-path problem that loading the project reports."""
    return [(str(p.location), p.message) for p in load_project(root).problems if p.code == "unsafe-path"]


@pytest.mark.parametrize("name", ["../../secret.txt", "/etc/passwd", "snapshots/../../claims.yaml", "\\etc\\passwd"])
def test_a_snapshot_path_must_stay_inside_content(project, name: str) -> None:
    root = project("minimal")
    sources = root / "content" / "sources.yaml"
    sources.write_text(sources.read_text().replace("snapshots/gazette.txt", f"'{name}'"), encoding="utf-8")
    assert unsafe(root) == [("content/sources.yaml:6:13", f"snapshot '{name}' must be a path inside content/")]


def test_a_symlinked_snapshot_leading_out_is_refused(project, secret: Path) -> None:
    root = project("minimal")
    snapshot = root / "content" / "snapshots" / "gazette.txt"
    snapshot.unlink()
    snapshot.symlink_to(secret)
    raw = load_project(root)
    assert [p.code for p in raw.problems] == ["unsafe-path"]
    assert raw.snapshots == {}


def test_a_symlink_that_stays_inside_the_project_is_fine(project) -> None:
    root = project("minimal")
    snapshot = root / "content" / "snapshots" / "gazette.txt"
    snapshot.rename(root / "content" / "gazette-copy.txt")
    snapshot.symlink_to(Path("..") / "gazette-copy.txt")
    assert load_project(root).problems == []


@pytest.mark.parametrize(
    ("relative", "what"),
    [
        ("claims.yaml", "claims file"),
        ("content/claims/more.yaml", "claims file"),
        ("content/site.yaml", "content file"),
        ("content/people.yaml", "content file"),
        ("content/pages/about.md", "page"),
    ],
)
def test_a_symlinked_content_file_leading_out_is_refused(project, secret: Path, relative: str, what: str) -> None:
    root = project("minimal")
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.symlink_to(secret)
    assert (relative, f"{what} links outside the project") in unsafe(root)


def test_etc_passwd_as_claims_is_refused_and_not_echoed(project, capsys) -> None:
    root = project("minimal")
    (root / "claims.yaml").unlink()
    (root / "claims.yaml").symlink_to("/etc/passwd")
    status, output = run_cli(["build", "--root", str(root), "--no-search"], capsys)
    assert status == 1
    assert "claims.yaml: error: claims file links outside the project [unsafe-path]" in output
    assert "root:" not in output
    assert not (root / "site").exists()


@pytest.mark.parametrize("folder", ["templates", "static"])
def test_a_theme_folder_linked_out_of_the_project_is_refused(project, tmp_path: Path, folder: str) -> None:
    """Decision: templates/ and static/ are read and published as they are, so links out are refused."""
    root = project("minimal")
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "id_rsa").write_text("PRIVATE KEY", encoding="utf-8")
    (outside / "base.html").write_text("PRIVATE TEMPLATE", encoding="utf-8")
    (root / folder).symlink_to(outside, target_is_directory=True)
    what = "template" if folder == "templates" else "static file"
    assert unsafe(root) == [(folder, f"{what} links outside the project")]


@pytest.mark.parametrize("folder", ["templates", "static"])
def test_a_file_in_the_theme_linked_out_of_the_project_is_refused(project, secret: Path, capsys, folder: str) -> None:
    root = project("minimal")
    (root / folder / "sub").mkdir(parents=True)
    name = "base.html" if folder == "templates" else "sub/leak.txt"
    (root / folder / name).symlink_to(secret)
    (root / folder / "sub" / "dir-link").symlink_to(secret.parent, target_is_directory=True)
    status, output = run_cli(["build", "--root", str(root), "--no-search"], capsys)
    assert status == 1
    assert f"{folder}/{name}: error:" in output
    assert f"{folder}/sub/dir-link: error:" in output
    assert "TOP SECRET" not in output
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("field", "hostile"),
    [
        ("id", "../../../escaped"),
        ("id", "/tmp/escaped"),
        ("id", "a/../../escaped"),
        ("id", ".."),
        ("id", "x\\..\\..\\escaped"),
        ("id", "%2e%2e"),
    ],
)
def test_hostile_ids_are_rejected_before_anything_is_written(
    project, tmp_path: Path, capsys, field: str, hostile: str
) -> None:
    root = project("minimal")
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text().replace("id: bridge-cost", f"{field}: '{hostile}'"), encoding="utf-8")
    out = tmp_path / "out"
    status, output = run_cli(["build", "--root", str(root), "--out", str(out), "--no-search"], capsys)
    assert status == 1
    assert "[invalid-id]" in output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal"]


@pytest.mark.parametrize("name", ["../x", "/abs", "a/../../x", "", ".", "..", "a\\b"])
def test_the_writer_refuses_any_path_leaving_the_output_folder(tmp_path: Path, name: str) -> None:
    from factpress.render import OutputFile
    from factpress.write import UnsafeOutputPath, write_files

    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(UnsafeOutputPath):
        write_files([OutputFile(name, b"x")], staging)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["staging"]


@pytest.mark.parametrize("where", ["root", "ancestor", "foreign"])
def test_out_may_not_swallow_the_project_or_a_foreign_folder(project, capsys, where: str) -> None:
    root = project("minimal")
    foreign = root.parent / "documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("irreplaceable", encoding="utf-8")
    out = {"root": root, "ancestor": root.parent, "foreign": foreign}[where]
    before = sorted(str(p) for p in root.parent.rglob("*"))
    status, output = run_cli(["build", "--root", str(root), "--out", str(out), "--no-search"], capsys)
    assert status == 2
    assert "build.py: error: --out" in output
    assert sorted(str(p) for p in root.parent.rglob("*")) == before
