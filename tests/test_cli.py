"""The command line: exit statuses 0/1/2, the three report formats, and the ten-mistakes project."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from factpress import cli

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
PROBLEM = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+) \[(?P<code>[a-z0-9-]+)\]$")


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ...` as an editor or CI would."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


def main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- exit statuses -----------------------------------------------------------------------------


def test_check_a_valid_project_exits_0() -> None:
    result = run("check", "--root", str(SITES / "minimal"))
    assert (result.returncode, result.stdout) == (0, "No problems found.\n")


def test_check_a_broken_project_exits_1() -> None:
    result = run("check", "--root", str(SITES / "invalid" / "unknown-verdict"))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "claims.yaml:7:12: error: claim 'bridge-cost': unknown verdict 'ture' [unknown-verdict]"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_warnings_alone_do_not_fail(capsys) -> None:
    status, out, _ = main(["check", "--root", str(SITES / "invalid" / "claim-too-long")], capsys)
    assert status == 0
    assert out.endswith("1 warning.\n")


@pytest.mark.parametrize(
    "args",
    [
        ["publish"],
        ["check", "--format", "xml"],
        ["build", "--no-such-option"],
        ["check", "--root", "/no/such/folder"],
        ["diff"],
        ["serve", "--port", "eighty"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys) -> None:
    try:  # argparse exits by itself; a folder that does not exist is reported by main's return
        status = cli.main(args)
    except SystemExit as exc:
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err
    assert "error:" in err
    assert "Traceback" not in err


def test_usage_error_through_the_real_entry_point() -> None:
    result = run("check", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("build", "check", "serve", "diff"):
        assert command in result.stdout


def test_build_is_the_default_command(tmp_path: Path) -> None:
    root = tmp_path / "project"
    import shutil

    shutil.copytree(SITES / "minimal", root)
    result = run("--no-search", "-q", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "claims" / "bridge-cost" / "index.html").is_file()


def test_build_with_content_errors_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--root", str(SITES / "invalid" / "unknown-person"), "--out", str(out), "--no-search")
    assert result.returncode == 1
    assert "unknown person 'jane-do'" in result.stderr
    assert "Nothing was written" in result.stderr
    assert not out.exists()


# -- report formats ----------------------------------------------------------------------------


def test_github_format_annotates_each_line(capsys, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(SITES / "ten-mistakes"))  # the project is the repository
    status, out, _ = main(["check", "--root", str(SITES / "ten-mistakes"), "--format", "github"], capsys)
    assert status == 1
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert len(commands) == 10
    first = commands[0]
    assert first.startswith("::error file=claims.yaml,line=7,col=12,title=unknown-verdict::")
    assert "hint: known: false, true, unproven" in first.replace("%0A", "\n")
    for command in commands:
        assert re.match(r"^::error file=[^,:]+,line=\d+,col=\d+,title=[a-z-]+::\S", command), command
    assert out.splitlines()[-1] == "10 errors."


def test_github_format_escapes_newlines_and_percent(tmp_path: Path, capsys) -> None:
    import shutil

    root = tmp_path / "p"
    shutil.copytree(SITES / "invalid" / "excerpt-not-found", root)
    _, out, _ = main(["check", "--root", str(root), "--format", "github"], capsys)
    (command,) = [line for line in out.splitlines() if line.startswith("::")]
    assert "\n" not in command
    assert "%0Ahint: copy the words exactly" in command
    assert '%0Aclosest passage: "the bridge cost 12 million euros,"' in command


def test_json_format_parses(capsys) -> None:
    status, out, _ = main(["check", "--root", str(SITES / "ten-mistakes"), "--format", "json"], capsys)
    assert status == 1
    doc = json.loads(out)
    assert (doc["errors"], doc["warnings"]) == (10, 0)
    first = doc["problems"][0]
    assert first["location"] == {"path": "claims.yaml", "line": 7, "col": 12}
    assert first["code"] == "unknown-verdict"
    assert first["severity"] == "error"
    assert first["message"] == "claim 'bridge-cost': unknown verdict 'mostly-true'"


def test_json_format_of_a_valid_project(capsys) -> None:
    status, out, _ = main(["check", "--root", str(SITES / "minimal"), "--format", "json"], capsys)
    assert status == 0
    assert json.loads(out) == {"errors": 0, "warnings": 0, "problems": []}


def test_a_yaml_syntax_error_is_located() -> None:
    result = run("check", "--root", str(SITES / "invalid" / "yaml-syntax-tab"))
    assert result.returncode == 1
    match = PROBLEM.match(result.stdout.splitlines()[0])
    assert match is not None
    assert (match["path"], match["line"], match["col"], match["code"]) == (
        "content/people.yaml",
        "3",
        "1",
        "yaml-syntax",
    )


# -- ten mistakes in one run -------------------------------------------------------------------

TEN = {
    ("claims.yaml", 7, "unknown-verdict"),
    ("claims.yaml", 12, "excerpt-not-found"),
    ("content/claims/opening.yaml", 6, "invalid-url"),
    ("content/claims/opening.yaml", 12, "unknown-person"),
    ("content/claims/opening.yaml", 14, "unknown-field"),
    ("content/pages/about.md", 4, "duplicate-key"),
    ("content/people.yaml", 2, "invalid-kind"),
    ("content/sources.yaml", 9, "invalid-date"),
    ("content/sources.yaml", 10, "missing-snapshot"),
    ("content/verdicts.yaml", 3, "invalid-colour"),
}


def test_ten_mistakes_are_all_reported_in_one_run(file_regression) -> None:
    result = run("check", "--root", str(SITES / "ten-mistakes"))
    assert result.returncode == 1
    found = [PROBLEM.match(line) for line in result.stdout.splitlines()]
    reported = {(m["path"], int(m["line"]), m["code"]) for m in found if m}
    assert reported == TEN
    assert len({(path, line) for path, line, _ in reported}) == 10  # each at its own file and line
    assert result.stdout.splitlines()[-1] == "10 errors."
    file_regression.check(result.stdout, extension=".txt")


def test_github_format_marks_warnings_as_warnings(capsys, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(REPO))
    status, out, _ = main(["check", "--root", str(SITES / "invalid" / "claim-too-long"), "--format", "github"], capsys)
    assert status == 0
    (command,) = [line for line in out.splitlines() if line.startswith("::")]
    expected = "::warning file=tests/sites/invalid/claim-too-long/claims.yaml,line=2,col=10,title=claim-too-long::"
    assert command.startswith(expected + "claim 'bridge-cost': ")


def test_github_format_escapes_properties() -> None:
    from factpress.errors import Location, Problem, format_github

    problem = Problem(Location("content/claims/a,b:c.yaml", 3, 4), "bad 100%", "invalid-url")
    assert format_github([problem]).splitlines()[0] == (
        "::error file=content/claims/a%2Cb%3Ac.yaml,line=3,col=4,title=invalid-url::bad 100%25"
    )


def test_github_paths_start_at_the_repository_root(project, monkeypatch, capsys) -> None:
    root = project("minimal")
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("verdict: true", "verdict: nope"), "utf-8")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root.parent))
    assert cli.main(["check", "--root", str(root), "--format", "github"]) == 1
    (command,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::error")]
    assert command.startswith(f"::error file={root.name}/claims.yaml,line=")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root))
    assert cli.main(["check", "--root", str(root), "--format", "github"]) == 1
    assert "::error file=claims.yaml,line=" in capsys.readouterr().out


def test_github_format_escapes_what_a_message_quotes() -> None:
    from factpress.errors import Location, Problem, format_github

    problem = Problem(Location("claims.yaml", 3, 4), "unknown verdict 'ab\u202ecd\x1b[31m'", "unknown-reference")
    assert format_github([problem]).splitlines()[0].endswith("::unknown verdict 'ab\\u202ecd\\x1b[31m'")


def test_build_prints_warnings_with_their_hints(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--root", str(SITES / "invalid" / "claim-too-long"), "--out", str(out), "--no-search", "-q")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "claims.yaml:2:10: warning: claim 'bridge-cost': the claim is 89 characters; Google's guidance suggests"
        " at most 75 [claim-too-long]",
        "    hint: keep `claim` short; put detail in the summary",
        "1 warning.",
    ]
    assert (out / "claims/bridge-cost/index.html").is_file()


def test_a_message_quoting_content_cannot_start_a_line_of_its_own() -> None:
    """A snapshot path with a line break would print `::error ...` on its own line: a GitHub Actions
    command forged by a pull request. Line breaks, terminal escapes and bidi overrides print escaped."""
    from factpress.errors import Location, Problem, format_text

    problem = Problem(
        Location("content/sources.yaml", 3, 5),
        "snapshot 'x\n::error file=README.md,line=1::forged' \x1b]0;title\x07 does not exist \u202eevil",
        "missing-snapshot",
        hint="a hint\r\nwith a break",
    )
    text = format_text([problem])
    assert not any(line.startswith("::") for line in text.splitlines())
    assert "\x1b" not in text and "\u202e" not in text and "\r" not in text
    assert "x\\n::error file=README.md,line=1::forged" in text
    assert len(text.splitlines()) == 3  # the problem, its hint, the count
