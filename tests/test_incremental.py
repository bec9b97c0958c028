"""Incremental rebuilds: after any edit, a rebuild into the previous output gives the bytes of a clean build.

A rebuild renders only the files whose fingerprint changed and keeps or hard-links the others
(write.py, fingerprints.py). Each step below edits the project, rebuilds into the same folder,
and compares every file with a full build of the same project into an empty folder.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import generate_site
from factpress import render
from factpress.pipeline import BuildOptions, build_site
from factpress.write import SPARE_PREFIX, STAGING_PREFIX

REPO = Path(__file__).resolve().parent.parent
THEME = REPO / "factpress" / "templates"
MADE = re.compile(r"  write .*?([\d,]+) made")


@pytest.fixture(autouse=True)
def kept_cards_read_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listings read their kept cards in one go, as a large site's do (the other tests read them one by one)."""
    monkeypatch.setattr(render, "KEPT_CARDS_AT_ONCE", 1)


def hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder by relative path (the search bundle left out)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")
    }


def claims_files(root: Path) -> list[Path]:
    return [p for p in [root / "claims.yaml"] if p.exists()] + sorted((root / "content" / "claims").glob("*.yaml"))


def edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, f"the edit changed nothing in {path}"
    path.write_text(changed, encoding="utf-8")


def append_to_scalar(text: str, key: str, addition: str) -> str:
    """Add words to the end of the first `key:` value, plain, quoted or folded."""
    match = re.search(rf"^(\s*-?\s*){key}: (.*)$", text, re.M)
    assert match, key
    value = match.group(2)
    if value in (">-", ">", "|", "|-"):  # a block scalar: extend its first line
        line_end = text.index("\n", text.index("\n", match.start()) + 1)
        return text[:line_end] + addition + text[line_end:]
    end = match.end()
    if value[-1:] in ("'", '"'):
        end -= 1
    return text[:end] + addition + text[end:]


def entries(text: str) -> list[tuple[int, int, str]]:
    """(start, end, id) of each top-level `- id:` entry of a YAML list."""
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"^- id: (\S+)$", text, re.M)]
    return [(s, starts[i + 1][0] if i + 1 < len(starts) else len(text), ident) for i, (s, ident) in enumerate(starts)]


def all_claims_text(root: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in claims_files(root))


def unreferenced_claim(root: Path, skip: int = 0) -> tuple[Path, str]:
    """A claims file and the id of a claim no other claim names (safe to remove or rename)."""
    everything = all_claims_text(root)
    found = []
    for path in claims_files(root):
        for _, _, ident in entries(path.read_text(encoding="utf-8")):
            if len(re.findall(rf"\b{re.escape(ident)}\b", everything)) == 1:
                found.append((path, ident))
    return found[skip]


def add_claim(root: Path) -> None:
    path = claims_files(root)[0]
    text = path.read_text(encoding="utf-8")
    start, end, ident = entries(text)[0]
    copy = text[start:end].replace(f"- id: {ident}", f"- id: {ident}-again", 1).rstrip("\n") + "\n"
    path.write_text(text.rstrip("\n") + "\n" + copy, encoding="utf-8")


def remove_claim(root: Path) -> None:
    path, ident = unreferenced_claim(root)
    text = path.read_text(encoding="utf-8")
    start, end, _ = next(e for e in entries(text) if e[2] == ident)
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def rename_claim(root: Path) -> None:
    path, ident = unreferenced_claim(root, skip=1)
    edit(path, lambda t: t.replace(f"- id: {ident}\n", f"- id: {ident}-renamed\n", 1))


def change_verdict(root: Path) -> None:
    keys = re.findall(r"^- key: (\S+)$", (root / "content" / "verdicts.yaml").read_text(encoding="utf-8"), re.M)

    def other_verdict(text: str) -> str:
        match = re.search(r"^(\s*)verdict: (\S+)$", text, re.M)
        assert match
        new = next(k for k in keys if k != match.group(2))
        return text[: match.start(2)] + new + text[match.end(2) :]

    edit(claims_files(root)[0], other_verdict)


def change_snapshot(root: Path) -> None:
    snapshot = sorted((root / "content" / "snapshots").rglob("*.txt"))[0]
    edit(snapshot, lambda t: t.rstrip("\n") + "\n\nA paragraph added to the archived copy.\n")


def override_template(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    card = (THEME / "_claim_card.html").read_text(encoding="utf-8")
    (root / "templates" / "_claim_card.html").write_text(card + "<!-- the newsroom's own card -->\n", "utf-8")


def set_a_draft(root: Path) -> None:
    path, ident = unreferenced_claim(root, skip=2)
    text = path.read_text(encoding="utf-8")
    start, end, _ = next(e for e in entries(text) if e[2] == ident)
    if "draft:" in text[start:end]:
        path, ident = unreferenced_claim(root, skip=3)
    edit(path, lambda t: t.replace(f"- id: {ident}\n", f"- id: {ident}\n  draft: true\n", 1))


def appending(where: Callable[[Path], Path], key: str, addition: str) -> Callable[[Path], None]:
    """An edit adding words to the first `key:` value of a file."""
    return lambda root: edit(where(root), lambda text: append_to_scalar(text, key, addition))


def nothing(root: Path) -> None:
    """No edit at all."""


Step = tuple[str, Callable[[Path], None], dict[str, object]]
STEPS: list[Step] = [
    ("nothing", nothing, {}),
    ("a claim's summary", appending(lambda root: claims_files(root)[-1], "summary", " Edited."), {}),
    ("a claim's verdict", change_verdict, {}),
    ("a claim added", add_claim, {}),
    ("a claim removed", remove_claim, {}),
    ("a claim renamed", rename_claim, {}),
    ("a source's title", appending(lambda root: root / "content/sources.yaml", "title", " (2)"), {}),
    ("a source's snapshot", change_snapshot, {}),
    ("a person's name", appending(lambda root: root / "content/people.yaml", "name", " Jr"), {}),
    ("a topic", appending(lambda root: root / "content/topics.yaml", "name", " Affairs"), {}),
    ("the site's title", appending(lambda root: root / "content/site.yaml", "title", " Desk"), {}),
    ("the base URL", nothing, {"base_url": "https://example.net/checks/"}),
    ("the base URL back", nothing, {}),
    ("a draft", set_a_draft, {}),
    ("drafts on", nothing, {"drafts": True}),
    ("drafts off", nothing, {}),
    ("a template override", override_template, {}),
    ("a summary under the override", appending(lambda root: claims_files(root)[0], "summary", " Again."), {}),
]


@pytest.fixture(params=["sample", "generated"])
def project_root(request, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    if request.param == "generated":
        return generate_site(root, 36)
    root.mkdir()
    for name in ("content", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "claims.yaml", root / "claims.yaml")
    return root


def test_every_rebuild_equals_a_clean_build(project_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(BuildOptions(project_root, out, search=False))
    for number, (name, change, options) in enumerate(STEPS):
        change(project_root)
        log: list[str] = []
        build_site(BuildOptions(project_root, out, search=False, **options), log=log.append)  # type: ignore[arg-type]
        clean = tmp_path / f"clean-{number}"
        build_site(BuildOptions(project_root, clean, search=False, **options))  # type: ignore[arg-type]
        assert hashes(out) == hashes(clean), f"after {name}"
        made = MADE.search("\n".join(log))
        if name == "a claim's summary":  # it did skip: far fewer files made than the site has
            assert made and int(made.group(1).replace(",", "")) < len(hashes(clean)) / 3, log
        shutil.rmtree(clean)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert (tmp_path / f"{SPARE_PREFIX}out").is_dir()


def test_a_rebuild_with_nothing_changed_writes_nothing(project, tmp_path: Path) -> None:
    root = project("minimal")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("same figure.", "same figure (2)."), "utf-8")
    build_site(BuildOptions(root, out, search=False))  # now there is a spare beside the output too
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")}
    log: list[str] = []
    build_site(BuildOptions(root, out, search=False), log=log.append)
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")} == before
    assert any("none changed" in line for line in log), log


def test_a_file_changed_by_hand_in_the_spare_never_reaches_the_site(project, tmp_path: Path) -> None:
    """The spare shares files with the published site by hard links: it is written by replacing, never in place."""
    root = project("minimal")
    out = tmp_path / "out"
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    build_site(BuildOptions(root, out, search=False))
    claims.write_text(text.replace("same figure.", "same figure (2)."), "utf-8")
    build_site(BuildOptions(root, out, search=False))
    published = hashes(out)
    claims.write_text(text.replace("same figure.", "same figure (3)."), "utf-8")
    build_site(BuildOptions(root, out, search=False))  # writes into the spare, which shares files with the site
    assert hashes(tmp_path / f"{SPARE_PREFIX}out") == published  # the previous site, intact
