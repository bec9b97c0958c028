"""Hostile input: YAML that attacks the parser, paths that leave the project, content that tries to run.

Each test names the defence it proves (docs/security.md lists them); each fails without it.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup

from factpress import load as load_module
from factpress.cli import main
from factpress.load import MAX_FILE_BYTES, load_project
from factpress.pipeline import BuildOptions, build_site
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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_is_refused_rather_than_read_forever(project) -> None:
    root = project("minimal")
    os.mkfifo(root / "content" / "topics.yaml")
    problems = load_project(root).problems
    assert [(str(p.location), p.code) for p in problems] == [("content/topics.yaml", "unreadable-file")]


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


@pytest.mark.parametrize(
    ("file", "old"),
    [
        ("claims.yaml", b"bridge-cost"),
        ("content/people.yaml", b"jane-doe"),
        ("content/sources.yaml", b"gazette"),
        ("content/verdicts.yaml", b"unproven"),
    ],
)
def test_an_id_too_long_for_a_file_name_is_an_error_at_its_line(project, capsys, file: str, old: bytes) -> None:
    """Ids become folder names; past 255 bytes the build would die at the write, not at the editor's line."""
    root = project("minimal")
    path = root / file
    path.write_bytes(path.read_bytes().replace(b": " + old, b": " + b"x" * 300, 1))
    status, output = run_cli(["build", "--root", str(root), "--no-search"], capsys)
    assert status == 1
    assert f"{file}:" in output and "[invalid-id]" in output
    assert "internal error" not in output


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


# --- Inert content: every text field and Markdown body carries payloads ----------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CLOSE = "</script><script>alert(1)</script><!--"
JINJA = "{{ 7*191 }}{% if true %}evaluated{% endif %}"
SEPARATORS = "line\u2028separator\u2029paragraph"
LONG = "Very long " * 3_000
PAYLOAD = f"{SCRIPT} {IMG} {CLOSE} {JINJA} {SEPARATORS} javascript:alert(1) data:text/html,<b>x</b>"

MARKDOWN = f"""# Heading {SCRIPT}

{PAYLOAD.replace("<!--", "")}

[a javascript link](javascript:alert(1)) [an upper-case one](JaVaScRiPt:alert(1))
[a spaced one]( javascript:alert(1) ) [an entity one](&#106;avascript:alert(1))
[a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vbscript](vbscript:msgbox(1))
![an image](javascript:alert(1)) <https://fine.example.org/> <javascript:alert(1)>

<a href="javascript:alert(1)">raw link</a> <a href="jav&#x09;ascript:alert(1)">tab link</a>
<img src=x onerror="alert(1)"> <svg onload="alert(1)"><circle r="1"/></svg>
<iframe src="javascript:alert(1)"></iframe> <object data="x.swf"></object> <embed src="x">
<style>body {{ display: none }}</style> <link rel="stylesheet" href="https://evil.example/x.css">
<base href="https://evil.example/"> <meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<form action="https://evil.example/"><input name="q"><button formaction="javascript:alert(1)">go</button></form>
<p style="background:url(javascript:alert(1))" onclick="alert(1)" class="x">styled</p>
<details open ontoggle="alert(1)"><summary>toggle</summary></details>
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>
<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>
<a href="https://fine.example.org/" target="_blank">a fine link</a>

```html
{SCRIPT}
```

<!-- an unterminated comment swallows the rest, and nothing more
"""


def quoted(text: str) -> str:
    """A YAML double-quoted scalar holding text exactly (json is a subset of YAML's double quotes)."""
    return json.dumps(text, ensure_ascii=True)


def write_hostile_project(root: Path) -> dict[str, str]:
    """A valid site project whose every text field carries payloads; returns the texts to find again."""
    claim = f"A claim {CLOSE} {SEPARATORS} {JINJA} {IMG}"
    summary = f"Summary {SCRIPT} {SEPARATORS}"
    excerpt = f"the excerpt {SCRIPT} stays text"
    (root / "content" / "snapshots").mkdir(parents=True)
    (root / "content" / "pages").mkdir()
    (root / "content" / "snapshots" / "source.txt").write_text(
        f"Before. {PAYLOAD}\n\nSaid: {excerpt}. After.\n\n{LONG}\n", encoding="utf-8"
    )
    (root / "content" / "site.yaml").write_text(
        f"title: {quoted('Site ' + SCRIPT + IMG)}\nbase_url: https://hostile.example.org/\nlanguage: en\n"
        f"description: {quoted(PAYLOAD)}\n"
        f"publisher: {{name: {quoted('Pub ' + IMG)}, url: 'https://hostile.example.org/'}}\n"
        f"contact: {{email: desk@hostile.example.org}}\n",
        encoding="utf-8",
    )
    (root / "content" / "verdicts.yaml").write_text(
        f"- {{key: good, label: {quoted('Good ' + IMG)}, rating: 2, colour: '#1a7f37', meaning: {quoted(JINJA)}}}\n"
        f"- {{key: bad, label: {quoted('Bad ' + SCRIPT)}, rating: 1, colour: '#cf222e', meaning: {quoted(PAYLOAD)}}}\n",
        encoding="utf-8",
    )
    (root / "content" / "people.yaml").write_text(
        f"- {{id: speaker, name: {quoted('Speaker ' + IMG + SCRIPT)}, kind: person, description: {quoted(PAYLOAD)},\n"
        f"   url: \"https://speaker.example.org/?q='x'&y=1\", same_as: ['https://www.wikidata.org/wiki/Q1']}}\n"
        f"- {{id: desk, name: {quoted('Desk ' + JINJA + LONG)}, kind: organization}}\n",
        encoding="utf-8",
    )
    (root / "content" / "topics.yaml").write_text(
        f"- {{id: topic, name: {quoted('Topic ' + SCRIPT)}, description: {quoted(PAYLOAD)}}}\n", encoding="utf-8"
    )
    (root / "content" / "sources.yaml").write_text(
        f"- id: source\n  title: {quoted('Source ' + SCRIPT + IMG)}\n  publisher: {quoted('Publisher ' + CLOSE)}\n"
        "  published: 2025-01-02\n  url: \"https://source.example.org/a?b=1&c='2'\"\n"
        "  snapshot: snapshots/source.txt\n",
        encoding="utf-8",
    )
    (root / "content" / "pages" / "about.md").write_text(
        f"---\ntitle: {quoted('About ' + SCRIPT)}\ndescription: {quoted(PAYLOAD)}\nnav: 1\n---\n{MARKDOWN}",
        encoding="utf-8",
    )
    (root / "claims.yaml").write_text(
        f"- id: hostile\n  claim: {quoted(claim)}\n  claimant: speaker\n  claim_date: 2025-01\n"
        f"  appearances:\n    - {{title: {quoted('Seen ' + SCRIPT)}, url: 'https://seen.example.org/', "
        f"medium: {quoted(IMG)}}}\n"
        f"  verdict: bad\n  summary: {quoted(summary)}\n"
        f"  analysis: {quoted(MARKDOWN + ' Cited ([source](#source)).')}\n"
        f"  evidence:\n    - {{source: source, excerpt: {quoted(excerpt)}, note: {quoted('Note ' + IMG + JINJA)}}}\n"
        f"  topics: [topic]\n  authors: [desk]\n  published: 2025-01-03\n"
        f"  corrections:\n    - {{date: 2025-01-04, note: {quoted('Fixed ' + SCRIPT)}, previous_verdict: good}}\n",
        encoding="utf-8",
    )
    return {"claim": claim, "summary": summary}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The hostile project built once (search included, so Pagefind's own files are checked too)."""
    root = tmp_path_factory.mktemp("hostile") / "project"
    root.mkdir()
    texts = write_hostile_project(root)
    problems = [p for p in load_project(root).problems]
    assert problems == []
    result = build_site(BuildOptions(root, root / "site"))
    assert [p for p in result.problems if p.is_error] == []
    return result.out, texts


THEME_SCRIPT_FOLDERS = ("/static/", "/pagefind/")
#: Script elements a browser never runs (HTML's data blocks): the JSON-LD, the search page's messages.
DATA_BLOCKS = ("application/ld+json", "application/json")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background")


def dangerous_url(value: str) -> bool:
    """True for a URL a browser would run or render as a document: javascript:, vbscript:, data:."""
    cleaned = "".join(c for c in value if c > " " and c not in "\u2028\u2029").lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:"))


def script_problems(soup: BeautifulSoup) -> list[str]:
    """Everything in a parsed page that could run script, except the theme's own scripts."""
    found = []
    for script in soup.find_all("script"):
        src = script.get("src")
        if src is not None:
            if not any(urlsplit(src).path.startswith(folder) for folder in THEME_SCRIPT_FOLDERS):
                found.append(f"script src={src}")
        elif script.get("type") not in DATA_BLOCKS:
            found.append(f"inline script: {script.string!r:.80}")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
            if name.lower() in URL_ATTRIBUTES and dangerous_url(" ".join(value) if isinstance(value, list) else value):
                found.append(f"<{tag.name} {name}={value!r:.60}>")
            if name.lower() == "style":
                found.append(f"<{tag.name} style>")
    for name in ("iframe", "object", "embed", "base", "frame", "applet", "style", "link", "meta"):
        for tag in soup.find_all(name):
            if (
                name == "link"
                and set(tag.get("rel") or ()) & {"stylesheet", "canonical", "icon", "alternate"}
                and not dangerous_url(tag.get("href", ""))
                and not tag.get("href", "").startswith("https://evil")
            ):
                continue
            if name == "meta" and tag.get("http-equiv", "").lower() != "refresh":
                continue
            if name == "style" and tag.find_parent("head") is not None:
                continue  # the theme's own (the embed card is self-contained); content never reaches <head>
            found.append(f"<{name}> {str(tag)[:80]}")
    return found


def html_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.parts)


def test_no_page_of_a_hostile_site_can_run_script(hostile_site) -> None:
    out, _texts = hostile_site
    pages = html_pages(out)
    assert len(pages) >= 15
    report = {}
    for path in pages:
        problems = script_problems(BeautifulSoup(path.read_bytes(), "html.parser"))
        if problems:
            report[path.relative_to(out).as_posix()] = problems
    assert report == {}


def test_payloads_are_shown_as_text(hostile_site) -> None:
    """Escaped, not dropped: readers see what the editor wrote, and Jinja syntax stays literal."""
    out, _texts = hostile_site
    soup = BeautifulSoup((out / "claims" / "hostile" / "index.html").read_bytes(), "html.parser")
    assert soup.find("h1") is not None
    text = soup.get_text()
    assert SCRIPT in text
    assert "{{ 7*191 }}" in text
    for path in html_pages(out):
        page_text = path.read_text(encoding="utf-8")
        assert "1337" not in page_text, path
        assert page_text.count("evaluated") == page_text.count("%}evaluated{%"), path


def test_markdown_keeps_safe_links_and_drops_dangerous_ones(hostile_site) -> None:
    out, _texts = hostile_site
    soup = BeautifulSoup((out / "about" / "index.html").read_bytes(), "html.parser")
    main_element = soup.find("main")
    hrefs = [a.get("href") for a in main_element.find_all("a") if a.get("href")]
    assert "https://fine.example.org/" in hrefs
    assert all(not dangerous_url(href) for href in hrefs)
    assert main_element.find("img") is None
    assert main_element.find("form") is None
    assert main_element.find("input") is None


def test_json_ld_cannot_be_closed_and_round_trips(hostile_site) -> None:
    out, texts = hostile_site
    soup = BeautifulSoup((out / "claims" / "hostile" / "index.html").read_bytes(), "html.parser")
    blocks = soup.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    raw = blocks[0].string
    assert "</script" not in raw.lower() and "<!--" not in raw and "\u2028" not in raw
    data = json.loads(raw)
    assert data["@type"] == "ClaimReview"
    review = data
    assert review["claimReviewed"] == texts["claim"]
    assert review["reviewRating"]["ratingExplanation"] == texts["summary"]


def test_every_data_file_still_parses(hostile_site) -> None:
    """Feeds, sitemaps, SVG cards and JSON files stay well-formed, and none carries a script."""
    out, _texts = hostile_site
    checked = 0
    for path in sorted(out.rglob("*")):
        if "pagefind" in path.parts or not path.is_file():
            continue
        if path.suffix in (".xml", ".svg"):
            root = ElementTree.fromstring(path.read_bytes())
            for element in root.iter():
                assert not element.tag.endswith("script"), path
                assert not any(name.lower().startswith("on") for name in element.attrib), path
            checked += 1
        elif path.suffix == ".json":
            data = json.loads(path.read_bytes())
            if path.parts[-2] == "oembed":
                snippet = BeautifulSoup(data["html"], "html.parser")
                for iframe in snippet.find_all("iframe"):  # the card itself, styled for the embedder's page
                    assert iframe["src"].startswith("https://hostile.example.org/embed/"), path
                    iframe.decompose()
                assert script_problems(snippet) == [], path
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("claims.yaml", "https://council.example.com/minutes", "javascript:alert(1)"),
        ("claims.yaml", "https://council.example.com/minutes", "data:text/html,<script>alert(1)</script>"),
        ("claims.yaml", "https://council.example.com/minutes", "JAVASCRIPT:alert(1)"),
        ("claims.yaml", "https://council.example.com/minutes", "//evil.example/x"),
        ("content/sources.yaml", "https://gazette.example.com/bridge", "vbscript:msgbox(1)"),
        ("content/sources.yaml", "https://gazette.example.com/bridge", 'https://x.example/"onmouseover=alert(1)'),
        ("content/site.yaml", "url: https://minimal.example.org/}", "url: 'javascript:alert(1)'}"),
        ("content/site.yaml", "https://minimal.example.org/}", "https://minimal.example.org/, logo: 'javascript:x'}"),
    ],
)
def test_url_fields_accept_only_http_and_https(project, capsys, file: str, old: str, new: str) -> None:
    root = project("minimal")
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    status, output = run_cli(["check", "--root", str(root)], capsys)
    assert status == 1
    assert "[invalid-url]" in output


# --- In a real browser: nothing fires, and the Content-Security-Policy blocks what slips through ----


@pytest.fixture(scope="module")
def hostile_url(hostile_site) -> Iterator[str]:
    """The hostile site served on loopback."""
    out, _texts = hostile_site
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


def csp_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    """The page's Content-Security-Policy meta element as {directive: [sources]}."""
    metas = soup.find_all("meta", attrs={"http-equiv": lambda v: (v or "").lower() == "content-security-policy"})
    assert len(metas) == 1
    policy = {}
    for part in metas[0]["content"].split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def test_every_page_carries_a_strict_content_security_policy(hostile_site) -> None:
    out, _texts = hostile_site
    for path in html_pages(out):
        policy = csp_of(BeautifulSoup(path.read_bytes(), "html.parser"))
        if path.parts[-3] == "embed":  # the card: nothing runs, nothing loads, its own inline style applies
            assert policy["default-src"] == ["'none'"], path
            assert "script-src" not in policy, path
            assert policy["base-uri"] == ["'none'"], path
            continue
        assert policy["default-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"], path
        assert policy["base-uri"] == ["'self'"], path
        assert policy["form-action"] == ["'self'"], path
        assert set(policy["script-src"]) <= {"'self'", "'wasm-unsafe-eval'"}, path
        assert policy["style-src"] == ["'self'"], path


@pytest.mark.browser
def test_no_payload_runs_in_chromium(hostile_site, hostile_url: str, browser) -> None:
    out, _texts = hostile_site
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    for path in html_pages(out):
        page.goto(f"{hostile_url}/{path.relative_to(out).as_posix()}", wait_until="load")
        for details in page.query_selector_all("details"):
            details.evaluate("d => d.open = !d.open")
    page.goto(f"{hostile_url}/search/?q=alert", wait_until="load")  # search results come from the index
    page.wait_for_selector("#search-results > *", timeout=20_000)
    results = page.inner_html("#search-results")
    page.wait_for_timeout(300)  # let any late onerror or ontoggle handler run
    context.close()
    assert dialogs == []
    assert errors == []
    assert script_problems(BeautifulSoup(results, "html.parser")) == []


@pytest.mark.browser
def test_the_policy_blocks_an_inline_script_that_slipped_through(hostile_url: str, browser) -> None:
    """Defence in depth: were escaping ever to fail, the browser would still refuse to run it."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{hostile_url}/claims/hostile/", wait_until="load")
    outcome = page.evaluate(
        """() => new Promise(resolve => {
            const seen = [];
            document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
            const script = document.createElement('script');
            script.textContent = 'window.__ran = true';
            document.body.appendChild(script);
            const styled = document.createElement('p');
            styled.setAttribute('style', 'color: red');
            document.body.appendChild(styled);
            setTimeout(() => resolve({ran: window.__ran === true, seen}), 200);
        })"""
    )
    context.close()
    assert outcome["ran"] is False
    assert any(d.startswith("script-src") for d in outcome["seen"])


@pytest.mark.browser
def test_the_preview_poller_and_banner_pass_the_policy_and_nothing_else_does(project, tmp_path: Path, browser) -> None:
    """serve injects an inline poller and a styled banner; the page's policy admits exactly those, by hash."""
    from factpress.serve import BANNER_ID, RELOAD_PATH, Preview

    root = project("minimal")
    server = Preview(root, port=0, out=tmp_path / "out", search=False, log=lambda _line: None)
    server.start()
    try:
        server.state.record("claims.yaml:1:1: error: <b>broken</b> [x]")
        context = browser.new_context()
        page = context.new_page()
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        with page.expect_request(lambda request: RELOAD_PATH in request.url, timeout=10_000):
            page.goto(server.url + "claims/bridge-cost/", wait_until="load")
        position = page.eval_on_selector(f"#{BANNER_ID}", "e => getComputedStyle(e).position")
        ran = page.evaluate(
            """() => new Promise(resolve => {
                const script = document.createElement('script');
                script.textContent = 'window.__ran = true';
                document.body.appendChild(script);
                setTimeout(() => resolve(window.__ran === true), 200);
            })"""
        )
        context.close()
    finally:
        server.stop()
    assert position == "fixed"
    assert ran is False
    assert len(violations) == 1  # the script the test itself tried to inject, and only that


# --- Command-line arguments ------------------------------------------------------------------------


@pytest.mark.parametrize("base_url", ["javascript:alert(1)//", "data:text/html,x", "not a url", "//evil.example/"])
def test_base_url_override_must_be_http(project, tmp_path: Path, capsys, base_url: str) -> None:
    root = project("minimal")
    out = tmp_path / "out"
    status, output = run_cli(["build", "--root", str(root), "--out", str(out), "--base-url", base_url], capsys)
    assert status == 2
    assert f"build.py: error: --base-url {base_url!r} must be an http(s) address" in output
    assert not out.exists()


def test_serve_listens_on_loopback_unless_told_otherwise() -> None:
    from factpress.cli import make_parser

    assert make_parser().parse_args(["serve"]).host == "127.0.0.1"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% extends 'base.html' %}\n{% block main %}\n{{ claim.nope }}\n{% endblock %}\n", "has no attribute 'nope'"),
        ("{% extends 'base.html' %}\n{% block main %}\n{{ claim | nofilter }}\n{% endblock %}\n", "No filter named"),
        ("{% extends 'base.html' %}\n{% block main %}\n{{ claim }\n{% endblock %}\n", "unexpected '}'"),
    ],
    ids=["undefined", "unknown-filter", "syntax"],
)
def test_a_mistake_in_a_site_template_is_an_error_at_its_line(project, capsys, template: str, message: str) -> None:
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates" / "claim.html").write_text(template, encoding="utf-8")
    status, output = run_cli(["build", "--root", str(root), "--no-search"], capsys)
    assert status == 1
    assert "templates/claim.html:3:1: error: template error: " in output
    assert message in output and "[template-error]" in output
    assert "internal error" not in output
    assert not (root / "site").exists()


def test_an_out_folder_that_cannot_be_made_is_a_clean_error(project, tmp_path: Path, capsys) -> None:
    root = project("minimal")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    status, output = run_cli(["build", "--root", str(root), "--out", str(blocker / "site"), "--no-search"], capsys)
    assert status == 2
    assert f"build.py: error: cannot write the site beside {blocker / 'site'}:" in output
    assert "internal error" not in output


def test_markdown_cannot_borrow_the_themes_look() -> None:
    """Raw HTML dressed as a verdict badge would pass for the fact-check's own verdict."""
    from factpress.markup import render_markdown

    html = render_markdown(
        'See [the report](#gazette). <a class="verdict-badge verdict-true" href="/x">True</a> '
        '<sup class="verdict-badge">z</sup> <strong class="skip-link">s</strong>',
        {"gazette": (1, "#evidence-1")},
    )
    soup = BeautifulSoup(html, "html.parser")
    classes = sorted(" ".join(tag["class"]) for tag in soup.find_all(class_=True))
    assert classes == ["cite", "ref"]  # only what factpress itself set for the citation


def test_raw_html_cannot_take_the_evidence_anchors() -> None:
    """An `<a id="evidence-1">` in the analysis would catch the citation's jump before the real evidence."""
    from factpress.markup import render_markdown

    html = render_markdown('<a id="evidence-1" href="/x">fake</a> <sup id="evidence-2">2</sup>', {})
    assert BeautifulSoup(html, "html.parser").find(id=True) is None
