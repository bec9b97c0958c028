"""Links in an analysis or a page to the site's own pages: `check` says which lead nowhere, at their line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factpress import cli
from factpress.pipeline import BuildOptions, build_site
from factpress.sitelinks import site_links
from factpress.validate import validate_project

BRIDGE_ANALYSIS = "    The mayor's figure matches the Gazette ([Gazette](#gazette-bridge)).\n"


def checked(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = cli.main(["check", "--root", str(root)])
    return status, [line for line in capsys.readouterr().out.splitlines() if "[dead-link]" in line]


def with_analysis_line(root: Path, line: str) -> Path:
    claims = root / "content" / "claims" / "bridge.yaml"
    text = claims.read_text(encoding="utf-8")
    assert BRIDGE_ANALYSIS in text
    claims.write_text(text.replace(BRIDGE_ANALYSIS, BRIDGE_ANALYSIS + f"    {line}\n"), "utf-8")
    return root


def with_people_known_from_drafts(root: Path) -> Path:
    """The full site with 'only-drafted', the claimant of its draft alone, and 'nobody-yet', named by no claim."""
    with (root / "content" / "people.yaml").open("a", encoding="utf-8") as people:
        people.write("- {id: only-drafted, name: Only Drafted}\n- {id: nobody-yet, name: Nobody Yet}\n")
    claims = root / "content" / "claims" / "other.yaml"
    text = claims.read_text(encoding="utf-8")
    assert text.count("  claimant: riverton-council\n") == 1  # (the draft's)
    claims.write_text(text.replace("  claimant: riverton-council\n", "  claimant: only-drafted\n"), encoding="utf-8")
    return root


def test_a_link_to_a_claim_that_does_not_exist_is_an_error_at_its_line(project, capsys) -> None:
    root = with_analysis_line(project("full"), "See [the opening](/claims/bridge-opened-late/).")
    status, lines = checked(root, capsys)
    assert status == 1
    assert lines == [
        "content/claims/bridge.yaml:12:23: error: claim 'bridge-cost': analysis links to '/claims/bridge-opened-late/',"
        " which is not a page of this site [dead-link]"
    ]


def test_a_link_to_a_person_known_only_from_drafts_is_a_warning(project, capsys) -> None:
    """Their page is published with their first published fact-check; one known from nothing is not a page."""
    root = with_analysis_line(project("full"), "[a](/people/only-drafted/) [b](/people/nobody-yet/)")
    with_people_known_from_drafts(root)
    status, lines = checked(root, capsys)
    assert status == 1
    assert lines == [
        "content/claims/bridge.yaml:12:9: warning: claim 'bridge-cost': analysis links to '/people/only-drafted/',"
        " whose page is published with the first fact-check that uses it [dead-link]",
        "content/claims/bridge.yaml:12:36: error: claim 'bridge-cost': analysis links to '/people/nobody-yet/',"
        " which is not a page of this site [dead-link]",
    ]


def test_links_to_pages_the_build_publishes_pass(project, capsys) -> None:
    links = (
        "[a](/claims/bridge-opened-on-time/) [b](/claims/bridge-opened-on-time) [c](/topics/transport/)"
        " [d](/methodology/) [e](/feed.xml) [f](/static/logo.svg) [g](/sources/gazette-bridge/#excerpt-1)"
        " [h](https://full.example.org/people/jane-doe/) [i](/verdicts/misleading/) [j](/embed/bridge-cost/)"
        " [k](/cards/bridge-cost.png) [l](/) [m](/search/?q=bridge) `[n](/claims/nope/)` [o](/claims/../about/)"
        " [p](/claims/./bridge-cost/index.html) [q](/about/../)"
    )
    root = with_analysis_line(project("full"), links)
    assert checked(root, capsys) == (0, [])


def test_relative_links_are_resolved_from_the_page_they_are_shown_on(project, capsys) -> None:
    """An analysis is shown at /claims/<id>/, a page at /<slug>/: a relative link leads where a browser takes it."""
    links = (
        "[fine](../bridge-opened-on-time/) [fine](../../topics/transport/) [fine](#corrections)"
        " [dead](claims/bridge-opened-on-time/) [dead](../bridge-opened-late/)"
        " [mail](mailto:desk@example.org) [web](https://example.com/claims/nope/)"
    )
    root = with_analysis_line(project("full"), links)
    about = root / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[fine](../claims/bridge-cost/) [dead](../claims/nope/)\n")
    status, lines = checked(root, capsys)
    assert status == 1
    assert [line.split("links to ")[1].split(",")[0] for line in lines] == [
        "'claims/bridge-opened-on-time/'",
        "'../bridge-opened-late/'",
        "'../claims/nope/'",
    ]


@pytest.mark.parametrize("written", ["http://full.example.org/claims/nope/", "https://FULL.example.org/claims/nope/"])
def test_the_sites_own_address_in_another_scheme_or_case_is_checked_too(project, capsys, written: str) -> None:
    root = with_analysis_line(project("full"), f"See [this]({written}).")
    status, lines = checked(root, capsys)
    assert (status, len(lines)) == (1, 1)
    assert f"links to '{written}'" in lines[0]


def test_a_link_to_a_draft_or_outside_factpress_is_a_warning(project, capsys) -> None:
    root = with_analysis_line(project("full"), "[draft](/claims/bridge-named-after-river/) and [shop](/shop/).")
    status, lines = checked(root, capsys)
    assert status == 0
    assert [line.split(": ", 2)[1] for line in lines] == ["warning", "warning"]
    assert "a draft: the link leads nowhere until it is published" in lines[0]
    assert "'/shop/', which this site does not publish" in lines[1]


def test_a_dead_link_in_a_page_is_found_at_its_line_and_column(project, capsys) -> None:
    root = project("full")
    about = root / "content" / "pages" / "about.md"
    text = about.read_text(encoding="utf-8")
    body_lines = text.split("---\n", 2)[2].count("\n")
    total = text.count("\n")
    about.write_text(text + '\nRead <a href="/people/jane-do/">Jane</a>.\n\n[ref]: /topics/bugdet/\n', "utf-8")
    status, lines = checked(root, capsys)
    assert status == 1 and body_lines
    about_md = "content/pages/about.md"
    assert lines[0].startswith(f"{about_md}:{total + 2}:15: error: page 'about' links to '/people/jane-do/'")
    assert lines[1].startswith(f"{about_md}:{total + 4}:8: error: page 'about' links to '/topics/bugdet/'")


def test_a_target_markdown_may_read_as_a_scheme_is_not_taken_for_a_relative_link() -> None:
    text = "[a](&#106;avascript:alert(1)) [b](jav&#x09;ascript:x) [c](mailto:x@y.z) [d](data:text/html,x) [e](../ok/)"
    assert [path for _, _, path in site_links(text, "https://e.org/", "claims/a/")] == ["claims/ok/"]


def test_a_footnote_or_a_paragraph_like_a_reference_is_not_a_link() -> None:
    """`[^1]: The note.` was read as a reference to 'The', and warned of as a link to a page not published."""
    text = "[^1]: The note.\n\n[a]: two words\n\n[b]: /claims/x/\n[c]: </claims/y/> 'T'\n[d]: /claims/z/ (T)\n"
    assert [path for _, _, path in site_links(text, "https://e.org/", "about/")] == [
        "claims/x/",
        "claims/y/",
        "claims/z/",
    ]


def test_code_is_not_a_link() -> None:
    text = "`[a](/x/)` and\n\n```\n[b](/y/)\n```\n\n[c](/z/) ![img](/i.png) [a [nested] link\nover lines](/n/)"
    assert [path for _, _, path in site_links(text, "https://e.org/")] == ["z/", "n/"]


BACKSLASHED = [
    r"\[x\](/claims/old/)",  # an escaped bracket: the words are text, no link
    r"[x\](/claims/d/)",  # the closing bracket escaped: no link
    r"\\[x](/claims/a/)",  # an escaped backslash, then a link
    r"!\\[x](/claims/b/)",  # the same after '!': a link, not an image
    r"\\\[x](/claims/f/)",  # an escaped backslash, then an escaped bracket
    r"[a \[b\] c](/claims/e/)",
    r"[a\\](/claims/i/)",
    r"![x](/claims/c/)",
]


@pytest.mark.parametrize("text", BACKSLASHED)
def test_links_are_found_as_markdown_reads_backslashes(text: str) -> None:
    """`\\[x\\](/claims/old/)` shows brackets and a path as text: it was reported as a dead link to /claims/old/."""
    from factpress.markup import render_markdown

    linked = re.findall(r'<a href="/([^"]*)"', render_markdown(text))
    assert [path for _, _, path in site_links(text, "https://e.org/")] == linked


def test_every_page_the_build_publishes_is_a_known_path(project, tmp_path: Path) -> None:
    """The paths sitelinks knows are what a build writes: each page and file, and nothing it does not write."""
    from factpress.claimdeps import sources_with_pages
    from factpress.load import load_project
    from factpress.sitelinks import site_paths
    from factpress.validate import people_with_pages

    root = with_analysis_line(with_people_known_from_drafts(project("full")), "And [a memo](#analysed-memo).")
    with (root / "content" / "sources.yaml").open("a", encoding="utf-8") as sources:  # (the snapshot is any file)
        for ident in ("analysed-memo", "drafted-memo", "unused-memo"):
            sources.write(f"- {{id: {ident}, title: Memo, snapshot: snapshots/gazette-bridge.txt}}\n")
    claims_file = root / "content" / "claims" / "other.yaml"
    text = claims_file.read_text(encoding="utf-8")
    claims_file.write_text(text.replace("([minutes](#council-minutes))", "([memo](#drafted-memo))"), encoding="utf-8")
    for name in ("root/CNAME", "root/.well-known/security.txt", "root/help/index.html"):  # (published as they are)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n", encoding="utf-8")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    raw = load_project(root)
    site, problems = validate_project(raw)
    assert [p for p in problems if p.is_error] == []
    people, waiting = people_with_pages(site.claims)
    assert waiting == {"only-drafted"}
    sources, sources_waiting = sources_with_pages(site.claims, {s.id for s in site.sources})
    assert sources_waiting == {"drafted-memo"}  # (council-minutes is quoted by published claims too)
    sections = {"sources": sources, "people": people}
    sections |= {"topics": [t.id for t in site.topics], "verdicts": [v.key for v in site.verdicts]}
    claims = [(c.id, c.draft, c.aliases) for c in site.claims]
    paths = site_paths(
        claims,
        sections,
        [p.slug for p in site.pages],
        raw.static_dir,
        waiting,
        sources_waiting,
        root_dir=raw.root_dir,
    )
    assert paths.judge("people/only-drafted/") == "draft"
    assert paths.judge("people/nobody-yet/") == "missing"
    assert [paths.judge(f"sources/{s}-memo/") for s in ("analysed", "drafted", "unused")] == ["ok", "draft", "missing"]
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/people/jane-doe/" in sitemap
    assert "only-drafted" not in sitemap
    assert "/sources/analysed-memo/" in sitemap
    assert "drafted-memo" not in sitemap and "unused-memo" not in sitemap
    assert "drafted-memo" not in (out / "sources" / "index.html").read_text(encoding="utf-8")
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".factpress" not in p.parts}
    folders = {name[: -len("index.html")] for name in written if name.endswith("index.html")}
    files = {name for name in written if not name.endswith("index.html")}
    assert folders == paths.folders
    assert files == paths.files


def test_thousands_of_dead_links_are_reported_with_a_hint_for_the_first_few(project, capsys) -> None:
    from factpress.validate import HINTED_LINKS

    root = with_analysis_line(project("full"), " ".join(f"[x](/claims/gone-{n}/)" for n in range(2000)))
    assert cli.main(["check", "--root", str(root)]) == 1
    report = capsys.readouterr().out.splitlines()
    assert sum("[dead-link]" in line for line in report) == 2000
    assert sum("did you mean" in line for line in report) == HINTED_LINKS


def test_on_a_site_under_a_path_links_that_repeat_it_are_errors_and_others_say_where_they_lead(project, capsys) -> None:
    """A root-relative link is put under the base path: written with it, it is doubled; without, it cannot leave."""
    root = with_analysis_line(
        project("full"), "[a](/news/claims/) [b](/newsletter/) [c](/claims/bridge-opened-on-time/)"
    )
    site = root / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(re.sub(r"base_url: .*", "base_url: https://full.example.org/news/", text), encoding="utf-8")
    cli.main(["check", "--root", str(root)])
    report = capsys.readouterr().out
    assert (
        "content/claims/bridge.yaml:12:9: error: claim 'bridge-cost': analysis links to '/news/claims/', published as"
        " '/news/news/claims/' (a link starting with / is put under the site's path) [dead-link]\n"
        "    hint: write '/claims/'\n"
    ) in report
    assert (
        "content/claims/bridge.yaml:12:28: warning: claim 'bridge-cost': analysis links to '/newsletter/', which this"
        " site does not publish (it is published as '/news/newsletter/') [dead-link]\n"
        "    hint: to link to another part of your website, write https://full.example.org/newsletter/\n"
    ) in report
    assert report.count("[dead-link]") == 2


def test_build_base_url_under_a_path_judges_links_as_it_publishes_them(project, tmp_path: Path, capsys) -> None:
    """A GitHub Pages project site is built with --base-url https://user.github.io/repo/: links are judged there."""
    root = with_analysis_line(project("full"), "[a](/news/claims/)")
    out = tmp_path / "out"
    argv = ["build", "--root", str(root), "--out", str(out), "--no-search", "-q"]
    assert cli.main([*argv, "--base-url", "https://full.example.org/news/"]) == 1
    report = "".join(capsys.readouterr())
    assert "analysis links to '/news/claims/', published as '/news/news/claims/'" in report
    assert "hint: write '/claims/'" in report
    assert cli.main(argv) == 0  # at site.yaml's address (the host's root), /news/claims/ is elsewhere on the host


def test_a_drafts_preview_marks_the_pages_only_drafts_make_noindex(project, tmp_path: Path) -> None:
    """A --drafts preview shows the draft's claimant and source; should it go online, no search engine keeps them."""
    from bs4 import BeautifulSoup

    root = with_people_known_from_drafts(project("full"))
    with (root / "content" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write("- {id: drafted-memo, title: Memo, snapshot: snapshots/gazette-bridge.txt}\n")
    claims_file = root / "content" / "claims" / "other.yaml"
    text = claims_file.read_text(encoding="utf-8")
    claims_file.write_text(text.replace("([minutes](#council-minutes))", "([memo](#drafted-memo))"), encoding="utf-8")
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False, drafts=True))

    def robots(page: str) -> str | None:
        soup = BeautifulSoup((out / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        meta = soup.find("meta", attrs={"name": "robots"})
        return meta["content"] if meta else None

    assert [robots(p) for p in ("people/only-drafted", "sources/drafted-memo")] == ["noindex", "noindex"]
    assert [robots(p) for p in ("people/jane-doe", "sources/council-minutes")] == [None, None]


def with_a_draft_under_its_own_topic(root: Path) -> Path:
    """The minimal site (no topics.yaml: topics are the claims') with a draft by its own claimant, under a topic."""
    with (root / "content" / "people.yaml").open("a", encoding="utf-8") as people:
        people.write("- {id: john-roe, name: John Roe}\n")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    draft = text.replace("id: bridge-cost", "id: secret-draft").replace("claimant: jane-doe", "claimant: john-roe")
    claims.write_text(text + draft + "  topics: [secret-plan]\n  draft: true\n", encoding="utf-8")
    return root


def test_a_topic_or_claimant_only_drafts_name_is_not_published(project, tmp_path: Path) -> None:
    """Without topics.yaml a topic is known from the claims: one only a draft names would announce it."""
    root = with_a_draft_under_its_own_topic(project("minimal"))
    out = tmp_path / "out"
    build_site(BuildOptions(root, out, search=False))
    published = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")]
    leaks = sorted(
        p.relative_to(out).as_posix()
        for p in published
        if re.search("secret|john-roe|John Roe", p.read_text(encoding="utf-8"), re.IGNORECASE)
    )
    assert leaks == []
    assert not (out / "topics" / "secret-plan").exists() and not (out / "people" / "john-roe").exists()
    preview = tmp_path / "preview"
    build_site(BuildOptions(root, preview, search=False, drafts=True))
    page = (preview / "topics" / "secret-plan" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page  # (a preview that goes online keeps it out of search)
    assert "secret-plan" not in (preview / "sitemap.xml").read_text(encoding="utf-8")


def test_a_link_to_a_topic_only_drafts_name_is_a_warning(project, capsys) -> None:
    """As a person's: the topic's page is published with the first published fact-check under it."""
    root = with_a_draft_under_its_own_topic(project("minimal"))
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("(#gazette)).", "(#gazette)), [plan](/topics/secret-plan/).", 1), encoding="utf-8")
    status, lines = checked(root, capsys)
    assert (status, lines) == (
        0,
        [
            "claims.yaml:9:69: warning: claim 'bridge-cost': analysis links to '/topics/secret-plan/',"
            " whose page is published with the first fact-check that uses it [dead-link]"
        ],
    )
