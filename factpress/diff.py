"""`diff OLD NEW`: what two builds change, for a pull-request comment.

First the fact-checks, read from each build's /api/claims.json (verdicts changed, fact-checks added and
removed, corrections added and removed): those are what a reviewer must see. Then every file added,
removed and changed, compared by content.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import UsageError
from .write import MARKER

#: Files that change on every build for reasons of their own (the search index) or say nothing (the marker).
IGNORED_PREFIXES = ("pagefind/", MARKER)
#: The fact-checks as data, in the shape docs/api.md documents.
CLAIMS_FILE = "api/claims.json"
#: The Markdown report stays under this many characters: GitHub refuses a comment over 65,536.
#: The margin leaves room for characters GitHub may count differently (line ends, emoji).
MARKDOWN_MAX_CHARS = 60_000
#: Files pages run or style themselves with: a pull request changing one changes code, not content.
CODE_ENDINGS = (".js", ".mjs", ".css")
#: Those factpress writes from the content itself (the verdicts' colours, checked to be hex colours).
GENERATED_CODE = ("/static/verdicts.css",)
#: How many of them the warning names.
CODE_SHOWN = 5
CODE_WARNING = (
    "Warning: {count} added or changed ({files}), which readers' browsers load with the pages: review as code."
)
#: A fact-check's page in a build: claims/<id or former id>/index.html.
_CLAIM_PAGE = re.compile(r"claims/[^/]+/index\.html")
#: Words shown on each side of a reworded claim's change.
CONTEXT_WORDS = 3
#: A correction's note is cut to this many characters in the report (the page has it in full).
NOTE_CHARS = 200
#: What removing a published fact-check breaks, said once with the counts (never cut from a report).
REMOVED_WARNING = (
    "Warning: {count} removed: {its} page, embed, oEmbed and card addresses now fail, "
    "breaking links and embeds on other sites."
)


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction as /api/claims.json gives it."""

    date: str
    note: str
    previous_verdict: str | None


@dataclass(frozen=True, slots=True)
class ClaimState:
    """What diff compares of one published fact-check: its verdict and its corrections."""

    verdict: str
    corrections: tuple[Correction, ...]
    #: The claim as the page quotes it ("" when the build does not give it).
    claim: str = ""
    #: Who made the claim, as the page names them ("" when the build does not give it).
    claimant: str = ""


@dataclass(frozen=True, slots=True)
class Published:
    """A build's fact-checks by id, and its verdicts' labels by key."""

    claims: dict[str, ClaimState]
    labels: dict[str, str]
    #: The address the build is published at ("" when the build does not give it).
    site_url: str = ""

    def label(self, key: str) -> str:
        """A verdict's label as this build shows it; its key when the scale lacks it."""
        return self.labels.get(key, key)


@dataclass(frozen=True, slots=True)
class VerdictChange:
    """A fact-check whose verdict changed (labels as each build shows them), and the added correction that
    gives a previous verdict, if any (with that verdict's label, and whether it is the old verdict)."""

    claim: str
    old: str
    new: str
    correction: Correction | None = None
    previous: str = ""
    recorded: bool = False


@dataclass(frozen=True, slots=True)
class ClaimChanges:
    """What a reviewer must see first: verdicts changed, fact-checks added and removed, corrections."""

    verdicts: list[VerdictChange]
    added: list[str]
    removed: list[str]
    corrections_added: list[tuple[str, Correction]]
    corrections_removed: list[tuple[str, Correction]]
    #: Fact-checks gone under their id whose page the new build still has: renamed, the id kept in `aliases`.
    #: Each as (old id, new id); the new id is "" when the build does not show which fact-check took the address.
    renamed: list[tuple[str, str]] = field(default_factory=list)
    #: Fact-checks removed whose addresses now lead to one the old build already published (its alias now):
    #: (old id, that fact-check's id, its verdict's label now, or "" when the removed one had the same verdict).
    #: Merging duplicates does this; so does a pull request taking an address over.
    merged: list[tuple[str, str, str]] = field(default_factory=list)
    #: Fact-checks whose claim reads otherwise at the same address (or across a rename): (id, old, new).
    #: Other sites' embedded cards quote it, and ids swapped between two fact-checks show only here.
    reworded: list[tuple[str, str, str]] = field(default_factory=list)
    #: Fact-checks that now name another claimant: (id, old name, new name). A claim put in someone else's mouth.
    reattributed: list[tuple[str, str, str]] = field(default_factory=list)
    #: Former ids (aliases) whose addresses the new build no longer has: links and embeds using them fail.
    aliases_removed: list[str] = field(default_factory=list)
    #: Verdicts whose label changed: (key, old label, new label, how many published fact-checks now show it).
    relabelled: list[tuple[str, str, str, int]] = field(default_factory=list)
    #: The site's address before and after, when it changed: every canonical link and feed entry id moves.
    moved: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class SiteDiff:
    """The URLs two builds add, remove and change, how many files are the same, and the fact-check changes.

    `claims` is None when a build has no readable /api/claims.json; `claims_note` then says why.
    """

    added: list[str]
    removed: list[str]
    changed: list[str]
    unchanged: int
    claims: ClaimChanges | None = None
    claims_note: str = ""


class ClaimsUnavailable(Exception):
    """A build's /api/claims.json is missing, unreadable or not in the documented shape."""


def check_build_folder(folder: Path) -> None:
    """Refuse, as a usage error, anything but a folder that `build` wrote (it holds the marker file)."""
    try:
        if not folder.exists():
            raise UsageError(f"no such build folder: {folder}")
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder: give two folders written by `build` (site/ by default)")
        if not (folder / MARKER).is_file():
            raise UsageError(
                f"{folder} is not a factpress build (it has no {MARKER} file): "
                "give two folders written by `build` (site/ by default), not a project folder"
            )
    except OSError as exc:
        raise UsageError(f"cannot read {folder}: {exc.strerror or exc}") from None


def check_arguments(old: Path, new: Path) -> None:
    """Both arguments are builds, and not the same one: comparing a build with itself tells nothing."""
    check_build_folder(old)
    check_build_folder(new)
    if old.samefile(new):
        raise UsageError(f"{old} and {new} are the same folder: give the build before the change and the one after")


def site_files(folder: Path) -> dict[str, str]:
    """Every file of a build (search index aside) with the SHA-256 of its bytes."""
    files = {}
    try:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                name = path.relative_to(folder).as_posix()
                if not name.startswith(IGNORED_PREFIXES):
                    with path.open("rb") as handle:  # (a piece at a time: a video in root/ is not held whole)
                        files[name] = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise UsageError(f"cannot read {exc.filename or folder}: {exc.strerror or exc}") from None
    return files


def page_url(name: str) -> str:
    """A file's URL as a reader would type it: claims/x/index.html -> /claims/x/ (odd characters escaped)."""
    if name == "index.html":
        name = ""
    elif name.endswith("/index.html"):
        name = name[: -len("index.html")]
    return "/" + quote(name, safe="/-._~")


def claim_url(claim: str) -> str:
    """A fact-check page's URL, as in the file lists."""
    return page_url(f"claims/{claim}/index.html")


def read_published(folder: Path) -> Published:
    """A build's fact-checks from its /api/claims.json (never through a symbolic link, as for the files)."""
    path = folder / CLAIMS_FILE
    if path.is_symlink() or not path.is_file():
        raise ClaimsUnavailable(f"{path} is missing")
    try:
        data = json.loads(path.read_bytes())
        site = data.get("site")
        return Published(
            {str(c["id"]): claim_state(c) for c in data["claims"]},
            {str(v["key"]): str(v["label"]) for v in data["scale"]["verdicts"]},
            str(site.get("url") or "") if isinstance(site, dict) else "",
        )
    except OSError as exc:
        raise ClaimsUnavailable(f"{path} cannot be read: {exc.strerror or exc}") from None
    except ValueError:
        raise ClaimsUnavailable(f"{path} is not valid JSON") from None
    except (KeyError, TypeError, AttributeError):
        raise ClaimsUnavailable(f"{path} is not in the shape docs/api.md describes") from None


def claim_state(claim: dict[str, Any]) -> ClaimState:
    """One entry of claims[] reduced to what diff compares."""
    corrections = tuple(correction(c) for c in claim["corrections"])
    claimant = claim.get("claimant")
    name = str(claimant.get("name") or claimant.get("id") or "") if isinstance(claimant, dict) else ""
    return ClaimState(str(claim["verdict"]["key"]), corrections, str(claim.get("claim") or ""), name)


def correction(entry: dict[str, Any]) -> Correction:
    """One entry of claims[].corrections[]."""
    previous = entry["previous_verdict"]
    return Correction(str(entry["date"]), str(entry["note"]), None if previous is None else str(previous))


def multiset_minus(items: tuple[Correction, ...], other: tuple[Correction, ...]) -> list[Correction]:
    """The corrections in `items` and not in `other`, counting repeats, in `items`' order."""
    left = Counter(other)
    kept = []
    for item in items:
        if left[item]:
            left[item] -= 1
        else:
            kept.append(item)
    return kept


def verdict_change(was: str, claim: str, before: Published, after: Published, added: list[Correction]) -> VerdictChange:
    """The change of verdict (of `was` before, `claim` now), with the latest added correction giving a previous one."""
    old, new = before.claims[was].verdict, after.claims[claim].verdict
    change = VerdictChange(claim, before.label(old), after.label(new))
    recording = [c for c in added if c.previous_verdict is not None]
    if not recording:
        return change
    corr = recording[-1]
    previous = corr.previous_verdict or ""
    return replace(change, correction=corr, previous=before.label(previous), recorded=previous == old)


def compare_claims(before: Published, after: Published, renamed: dict[str, str] | None = None) -> ClaimChanges:
    """Per fact-check: verdicts changed, fact-checks added and removed, corrections added and removed.

    `renamed` maps an old id to the id the fact-check has now: its verdict and corrections are compared across
    the rename (a rename must not hide a verdict change), and it is no added fact-check.
    """
    renamed = {old: new for old, new in (renamed or {}).items() if new in after.claims and old in before.claims}
    pairs = [(claim, claim) for claim in before.claims.keys() & after.claims.keys()] + list(renamed.items())
    verdicts, corrections_added, corrections_removed, reworded, reattributed = [], [], [], [], []
    for was, claim in sorted(pairs, key=lambda pair: pair[1]):
        old, new = before.claims[was], after.claims[claim]
        if old.claim and new.claim and old.claim != new.claim:
            reworded.append((claim, old.claim, new.claim))
        if old.claimant and new.claimant and old.claimant != new.claimant:
            reattributed.append((claim, old.claimant, new.claimant))
        added = multiset_minus(new.corrections, old.corrections)
        corrections_added += [(claim, c) for c in added]
        corrections_removed += [(claim, c) for c in multiset_minus(old.corrections, new.corrections)]
        if old.verdict != new.verdict:
            verdicts.append(verdict_change(was, claim, before, after, added))
    return ClaimChanges(
        verdicts,
        sorted(after.claims.keys() - before.claims.keys() - set(renamed.values())),
        sorted(before.claims.keys() - after.claims.keys()),
        corrections_added,
        corrections_removed,
        reworded=reworded,
        reattributed=reattributed,
    )


def successor(old: str, files: dict[str, str], published: Published) -> str:
    """The fact-check a renamed one is now: the one whose oEmbed file its old address copies byte for byte.

    "" when none is (an address taken over by a fact-check the new build does not publish).
    """
    digest = files.get(f"oembed/{old}.json")
    if digest is None:
        return ""
    return next((c for c in sorted(published.claims) if c != old and files.get(f"oembed/{c}.json") == digest), "")


def diff_builds(old: Path, new: Path) -> SiteDiff:
    """Compare two build folders: their fact-checks, then file by file, by content."""
    check_arguments(old, new)
    before, after = site_files(old), site_files(new)
    added = sorted(page_url(n) for n in after.keys() - before.keys())
    removed = sorted(page_url(n) for n in before.keys() - after.keys())
    common = before.keys() & after.keys()
    changed = sorted(page_url(n) for n in common if before[n] != after[n])
    try:
        claims, note = compare_published(read_published(old), read_published(new), after, before), ""
    except ClaimsUnavailable as exc:
        claims, note = None, f"Fact-checks not compared: {exc}."
    return SiteDiff(added, removed, changed, len(common) - len(changed), claims, note)


def compare_published(
    before: Published, after: Published, files: dict[str, str], old_files: dict[str, str] | None = None
) -> ClaimChanges:
    """The fact-check changes, a fact-check gone under its id but whose page the new build keeps being renamed;
    and the former addresses (aliases' pages in `old_files`) the new build drops."""
    gone = before.claims.keys() - after.claims.keys()
    kept = {claim: successor(claim, files, after) for claim in gone if f"claims/{claim}/index.html" in files}
    renamed: dict[str, str] = {}
    merged: dict[str, str] = {}
    for old, new in sorted(kept.items()):  # a fact-check published before, or renamed from another, is merged into
        (merged if new in before.claims or new in renamed.values() else renamed)[old] = new
    claims = compare_claims(before, after, renamed)
    removed = [claim for claim in claims.removed if claim not in kept]
    merges = [(old, new, merged_verdict(old, new, before, after)) for old, new in sorted(merged.items())]
    pages = {name.split("/")[1] for name in (old_files or {}).keys() - files.keys() if _CLAIM_PAGE.fullmatch(name)}
    aliases_removed = sorted(pages - before.claims.keys())
    return replace(
        claims,
        removed=removed,
        renamed=sorted(renamed.items()),
        merged=merges,
        aliases_removed=aliases_removed,
        relabelled=relabelled(before, after),
        moved=(before.site_url, after.site_url) if before.site_url and before.site_url != after.site_url else None,
    )


def relabelled(before: Published, after: Published) -> list[tuple[str, str, str, int]]:
    """Verdicts the scale names otherwise now, with how many published fact-checks show the new name: relabelling
    'false' as 'True' turns every such page round with no verdict changed."""
    shown = Counter(state.verdict for state in after.claims.values())
    return [
        (key, before.labels[key], after.labels[key], shown[key])
        for key in sorted(before.labels.keys() & after.labels.keys())
        if before.labels[key] != after.labels[key]
    ]


def moved_warning(diff: SiteDiff) -> list[str]:
    """The warning that the site's address changed, which every page and feed names."""
    if diff.claims is None or diff.claims.moved is None:
        return []
    old, new = diff.claims.moved
    return [
        f"Warning: the site's address changed from {old} to {new or 'none'}: every page's canonical link, "
        "the feeds' entry ids and the embed codes now name it."
    ]


def relabel_warning(diff: SiteDiff) -> list[str]:
    """The warning that a verdict's label changed on every fact-check that has it."""
    if diff.claims is None:
        return []
    return [
        f'Warning: the verdict \'{key}\' is now labelled "{new}" (it was "{old}"), '
        f"on {plural(count, 'published fact-check')}."
        for key, old, new, count in diff.claims.relabelled
    ]


def merged_verdict(old: str, new: str, before: Published, after: Published) -> str:
    """What a merge changes for readers of the removed fact-check's embedded card: the verdict it now shows, if
    it differs from the removed one's ("" when it does not)."""
    was, now = before.label(before.claims[old].verdict), after.label(after.claims[new].verdict)
    return f"{now} (it was {was})" if was != now else ""


def plural(count: int, word: str) -> str:
    """'1 verdict', '2 verdicts'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def claims_summary(diff: SiteDiff) -> str:
    """The fact-check counts, or why there are none."""
    c = diff.claims
    if c is None:
        return diff.claims_note
    unrecorded = sum(v.correction is None for v in c.verdicts)
    parts = [
        f"{plural(len(c.verdicts), 'verdict')} changed" + (f" ({unrecorded} with no correction)" if unrecorded else ""),
        f"{len(c.added)} added",
        f"{len(c.removed)} removed",
        *([f"{len(c.renamed)} renamed"] if c.renamed else []),
        *([f"{len(c.merged)} merged into another"] if c.merged else []),
        *([f"{plural(len(c.reworded), 'claim')} reworded"] if c.reworded else []),
        *([f"{len(c.reattributed)} with another claimant"] if c.reattributed else []),
        *([f"{plural(len(c.aliases_removed), 'former address')} removed"] if c.aliases_removed else []),
        f"{plural(len(c.corrections_added), 'correction')} added",
    ]
    if c.corrections_removed:
        parts.append(f"{plural(len(c.corrections_removed), 'correction')} removed")
    return "Fact-checks: " + ", ".join(parts)


def removed_warning(diff: SiteDiff) -> list[str]:
    """The warning that published addresses go, when a fact-check is removed."""
    if diff.claims is None or not diff.claims.removed:
        return []
    count = len(diff.claims.removed)
    return [REMOVED_WARNING.format(count=plural(count, "published fact-check"), its="its" if count == 1 else "their")]


def code_warning(diff: SiteDiff) -> list[str]:
    """The warning that scripts or stylesheets pages load are added or changed (a project's static/ replaces the
    theme's): they run in every reader's browser or restyle the verdicts, so they are reviewed as code."""
    code = [url for url in diff.added + diff.changed if url.endswith(CODE_ENDINGS) and url not in GENERATED_CODE]
    if not code:
        return []
    shown = ", ".join(code[:CODE_SHOWN]) + (f" and {len(code) - CODE_SHOWN} more" if len(code) > CODE_SHOWN else "")
    count = "1 script or stylesheet" if len(code) == 1 else f"{len(code)} scripts or stylesheets"
    return [CODE_WARNING.format(count=count, files=shown)]


def files_summary(diff: SiteDiff) -> str:
    """The file counts."""
    return (
        f"Files: {len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed, "
        f"{diff.unchanged} unchanged"
    )


def one_line(text: str, limit: int = NOTE_CHARS) -> str:
    """Editors' text on one line, cut with an ellipsis past `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def verdict_line(change: VerdictChange) -> str:
    """'verdict changed from False to Unproven', and which added correction records it, if any."""
    line = f"verdict changed from {change.old} to {change.new}"
    corr = change.correction
    if corr is None:
        return line + ", with no correction saying so"
    if change.recorded:
        return line + f", recorded by the correction of {corr.date}"
    return line + f", but the correction of {corr.date} gives the previous verdict as {change.previous}"


def word_change(old: str, new: str, context: int = CONTEXT_WORDS) -> str:
    """The words that differ between two texts, in a few words of context: '… cost [-12-] {+21+} million …'."""
    before, after = old.split(), new.split()
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    lead = before[max(0, start - context) : start]
    tail = before[len(before) - end : len(before) - end + context]
    removed, added = " ".join(before[start : len(before) - end]), " ".join(after[start : len(after) - end])
    parts = ["…"] * (start > context) + lead + [f"[-{removed}-]"] * bool(removed) + [f"{{+{added}+}}"] * bool(added)
    return one_line(" ".join(parts + tail + ["…"] * (end > context)), 2 * NOTE_CHARS)


def renamed_what(new: str) -> str:
    """What a rename did: the id the fact-check has now, when the build shows it."""
    return f"renamed{f' to {new}' if new else ''}: its old addresses lead to the new ones (aliases)"


def merged_what(new: str, verdict: str) -> str:
    """What removing a fact-check whose id another now lists in `aliases` did, and the verdict its card now shows."""
    shows = f", which shows the verdict {verdict}" if verdict else ""
    return f"fact-check removed: its addresses now lead to {new} (an alias of it){shows}"


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One fact-check change: a mark for the terminal, the fact-check's id, its page URL or "", what happened."""

    mark: str
    claim: str
    url: str
    what: str


def claim_lines(changes: ClaimChanges) -> list[ClaimLine]:
    """Verdicts changed first, then fact-checks removed and added, then corrections; each by id."""
    lines = [ClaimLine("~", v.claim, "", verdict_line(v)) for v in changes.verdicts]
    lines += [ClaimLine("~", c, "", f"claim reworded: {word_change(old, new)}") for c, old, new in changes.reworded]
    lines += [
        ClaimLine("~", c, "", f"claimant changed from {one_line(old)} to {one_line(new)}")
        for c, old, new in changes.reattributed
    ]
    lines += [ClaimLine("-", c, claim_url(c), "fact-check removed") for c in changes.removed]
    gone = "former address (alias) removed: links and embeds that use it now fail"
    lines += [ClaimLine("-", alias, claim_url(alias), gone) for alias in changes.aliases_removed]
    lines += [ClaimLine("~", old, claim_url(old), renamed_what(new)) for old, new in changes.renamed]
    lines += [ClaimLine("-", old, claim_url(old), merged_what(new, verdict)) for old, new, verdict in changes.merged]
    lines += [ClaimLine("+", c, "", "fact-check added") for c in changes.added]
    lines += [
        ClaimLine("+", c, "", f"correction of {corr.date} added: {one_line(corr.note)}")
        for c, corr in changes.corrections_added
    ]
    lines += [
        ClaimLine("-", c, "", f"correction of {corr.date} removed: {one_line(corr.note)}")
        for c, corr in changes.corrections_removed
    ]
    return lines


def has_changes(diff: SiteDiff) -> bool:
    """Whether the builds differ in any file (a fact-check change always changes files too)."""
    return bool(diff.added or diff.removed or diff.changed)


MARKS = {"Added": "+", "Removed": "-", "Changed": "~"}


def file_sections(diff: SiteDiff) -> tuple[tuple[str, list[str]], ...]:
    """The file lists, titled."""
    return (("Added", diff.added), ("Removed", diff.removed), ("Changed", diff.changed))


def format_text(diff: SiteDiff) -> str:
    """Plain text for a terminal: every fact-check change, every file, then the counts."""
    lines = []
    for c in claim_lines(diff.claims) if diff.claims else []:
        lines.append(f"{c.mark} {c.claim}" + (f" ({c.url})" if c.url else "") + f": {c.what}")
    if lines:
        lines.append("")  # the fact-checks apart from the files
    for title, items in file_sections(diff):
        lines += [f"{MARKS[title]} {item}" for item in items]
    warnings = [*removed_warning(diff), *moved_warning(diff), *relabel_warning(diff), *code_warning(diff)]
    lines += [claims_summary(diff), *warnings, files_summary(diff)]
    return "\n".join(lines) + "\n"


#: What Markdown or HTML could read as markup inside a line; a backslash makes each one literal.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&~|])")


#: What GitHub reads as a mention (@user, @org/team; not an email address) or a reference to an issue or
#: pull request (#123, org/repo#123, GH-123), or links by itself (https://..., www.example.org): a zero-width
#: space after the '@', '#', 'GH', scheme or 'www' keeps it text, as bots' comments do.
GITHUB_REFERENCE = re.compile(
    r"(?<![\w@])@(?=[A-Za-z0-9])|#(?=[0-9])|\bGH(?=-[0-9])|\b(?:https?|ftp)(?=://)|\bwww(?=\.)", re.IGNORECASE
)


def markdown_text(text: str) -> str:
    """Editors' text shown literally in Markdown: no link, emphasis, code or HTML comes through.

    Nor a mention, a reference or a bare address: a claim quoting '@everyone' or a note naming '#12'
    in the pull request's comment must not notify a stranger, nor link an issue; a correction note
    quoting a phishing message's address (a Cyrillic letter in 'paypal') must not become a link a reviewer clicks.
    """
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return GITHUB_REFERENCE.sub(lambda match: f"{match[0]}\u200b", escaped)


def markdown_claim_line(line: ClaimLine) -> str:
    """One fact-check change as a Markdown list item (no mark: "- -" would start a list inside the list)."""
    url = f" (`{line.url}`)" if line.url else ""
    return f"- **{markdown_text(line.claim)}**{url}: {markdown_text(line.what)}"


@dataclass(frozen=True, slots=True)
class Section:
    """A list in the Markdown report: the lines before it, its items, the lines after it."""

    head: list[str]
    items: list[str]
    tail: list[str]


def markdown_sections(diff: SiteDiff) -> list[Section]:
    """The fact-check changes in the open, then each file list folded away."""
    sections = []
    if diff.claims and (lines := claim_lines(diff.claims)):
        sections.append(Section(["#### Fact-checks", ""], [markdown_claim_line(c) for c in lines], [""]))
    for title, items in file_sections(diff):
        if items:
            head = [f"<details><summary>{title} ({len(items)})</summary>", ""]
            sections.append(Section(head, [f"- `{item}`" for item in items], ["", "</details>", ""]))
    return sections


def more_line(count: int) -> str:
    """What stands for the items a list leaves out."""
    return f"- … and {count} more"


def left_out_note(count: int) -> str:
    """Says how many lines were left out, and where to see them all."""
    return (
        f"_{plural(count, 'line')} left out to stay within GitHub's comment limit; "
        "`python build.py diff` on the two builds lists them all._"
    )


def lines_length(lines: list[str]) -> int:
    """The characters these lines take, each with its line end."""
    return sum(len(line) + 1 for line in lines)


def fit_sections(head: list[str], sections: list[Section], limit: int) -> list[str]:
    """The report within `limit` characters: the head and every section's frame always, items in order while
    they fit; each cut list says how many it leaves out, and a last line how many in all."""
    room = limit - lines_length(head) - lines_length([left_out_note(10**9)])
    room -= sum(lines_length([*s.head, *s.tail, more_line(len(s.items))]) for s in sections)
    lines, left_out = list(head), 0
    for section in sections:
        lines += section.head
        for index, item in enumerate(section.items):
            if left_out or len(item) + 1 > room:
                left_out += len(section.items) - index
                lines.append(more_line(len(section.items) - index))
                break
            room -= len(item) + 1
            lines.append(item)
        lines += section.tail
    if left_out:
        lines.append(left_out_note(left_out))
    return lines


def format_markdown(diff: SiteDiff, limit: int = MARKDOWN_MAX_CHARS) -> str:
    """Markdown for a pull-request comment: the counts always, then as many lines as `limit` allows."""
    summary = claims_summary(diff) if diff.claims else markdown_text(diff.claims_note)
    head = ["### Site changes", ""] + ([] if has_changes(diff) else ["No changes.", ""])
    head += [summary, ""]
    flagged = moved_warning(diff) + relabel_warning(diff) + code_warning(diff)
    warnings = removed_warning(diff) + [markdown_text(warning) for warning in flagged]
    head += [line for warning in warnings for line in (f"**{warning}**", "")]
    head += [files_summary(diff), ""]
    return "\n".join(fit_sections(head, markdown_sections(diff), limit)).rstrip("\n") + "\n"


def format_diff(diff: SiteDiff, fmt: str = "text") -> str:
    """Plain text for a terminal, or Markdown for a pull-request comment."""
    return format_markdown(diff) if fmt == "markdown" else format_text(diff)
