"""validate: what careless editors (and editors of other languages) write, found by the sweeps.

One broken sources.yaml must not bury its own error under one per citation; a claim id is read
as every other id is; base_url is the folder a site is published at; implausible dates are
warned about, against a day tests choose; id hints transliterate; an empty snapshot says so.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_validate import claims

from factpress import cli
from factpress.errors import Problem
from factpress.load import load_project
from factpress.validate import days_judged_alike, slugify, validate_project, within

TODAY = dt.date(2026, 6, 15)


def problems_of(raw_project, files=None, snapshots=None) -> list[Problem]:
    _site, problems = validate_project(raw_project(files, snapshots))
    return problems


def problems_on(raw_project, files: dict[str, str], today: dt.date = TODAY) -> list[Problem]:
    """The problems of a project judged on a given day."""
    _site, problems = validate_project(raw_project(files), today=today)
    return problems


def codes(problems: list[Problem]) -> list[str]:
    return sorted(p.code for p in problems)


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = cli.main(["check", "--root", str(root)])
    return status, capsys.readouterr().out


# -- careless 4: a broken sources.yaml ------------------------------------------------------------


@pytest.mark.parametrize(
    "sources",
    [
        "- id: gazette\n  title: Interview: Radio\n  snapshot: snapshots/gazette.txt\n",  # a syntax error
        "# the sources, one day\n",  # only a comment: an empty file
        None,  # missing
    ],
)
def test_an_unusable_sources_file_gives_its_own_error_alone(raw_project, sources: str | None) -> None:
    analysis = "|\n    The mayor ([Gazette](#gazette)), again ([it](#gazette)) and ([x](#council))."
    problems = problems_of(raw_project, {"content/sources.yaml": sources, "claims.yaml": claims(analysis=analysis)})
    assert "unknown-citation" not in codes(problems)
    assert "unknown-source" not in codes(problems)
    assert len([p for p in problems if p.is_error]) == 1


def test_a_citation_of_an_unknown_source_is_reported_at_its_own_place(project, capsys) -> None:
    root = project("minimal")
    analysis = (
        "|\n    The mayor gave the figure ([Gazette](#gazette)).\n"
        "    The council ([minutes]( #minutes )) and ([again](#minutes)) agree.\n"
    )
    (root / "claims.yaml").write_text(claims(analysis=analysis))
    status, report = check(root, capsys)
    assert status == 1
    lines = (root / "claims.yaml").read_text().splitlines()
    places = [tuple(map(int, m)) for m in re.findall(r"^claims\.yaml:(\d+):(\d+): error: .*'#minutes'", report, re.M)]
    assert len(places) == 2
    for line, col in places:
        assert lines[line - 1][col - 1 :].startswith("#minutes")
    assert places[0] != places[1]


def test_a_citation_in_a_one_line_analysis_points_at_its_target(project, capsys) -> None:
    root = project("minimal")
    (root / "claims.yaml").write_text(claims(analysis="'The mayor gave it ([Gazette](#gazete)).'"))
    _status, report = check(root, capsys)
    (line,) = (root / "claims.yaml").read_text().splitlines()[8:9]
    assert f"claims.yaml:9:{line.index('#gazete') + 1}: error:" in report


# -- careless 11: a claim id with spaces around it -----------------------------------------------


def test_a_claim_id_with_a_trailing_space_is_the_id_related_claims_name(raw_project) -> None:
    second = claims(id="bridge-again", related="[bridge-cost]")
    files = {"claims.yaml": claims(id='"bridge-cost "'), "content/claims/more.yaml": second}
    site, problems = validate_project(raw_project(files))
    assert problems == []
    assert {c.id for c in site.claims} == {"bridge-cost", "bridge-again"}
    assert next(c for c in site.claims if c.id == "bridge-again").related == ("bridge-cost",)


# -- careless 13: base_url -----------------------------------------------------------------------


def site_yaml(base_url: str) -> str:
    return (
        f"title: Minimal Fact Check\nbase_url: '{base_url}'\nlanguage: en\n"
        "publisher: {name: Minimal Fact Check, url: https://minimal.example.org/}\n"
    )


@pytest.mark.parametrize(
    ("base_url", "says", "hint"),
    [
        ("https://example.org/index.html", "names a page ('index.html')", "'https://example.org/'"),
        ("https://example.org/checks/home.htm", "names a page ('home.htm')", "'https://example.org/checks/'"),
        ("https://user:pw@example.org/", "user name or password", "'https://example.org/'"),
        ("https://example.org:99999/", "port '99999'", "'https://example.org/'"),
        ("https://example.org/?utm=1", "query ('?utm=1')", "'https://example.org/'"),
        ("https://example.org/#top", "fragment ('#top')", "'https://example.org/'"),
        ("https://example.org//", "empty or dot folder in its path ('//')", "'https://example.org/'"),
        ("https://example.org//checks/", "empty or dot folder", "'https://example.org/checks/'"),
        ("https://example.org/a/../checks/", "empty or dot folder", "'https://example.org/checks/'"),
        ("https://example.org/./", "empty or dot folder", "'https://example.org/'"),
    ],
)
def test_a_base_url_that_is_not_a_site_folder_is_an_error(raw_project, base_url: str, says: str, hint: str) -> None:
    site, problems = validate_project(raw_project({"content/site.yaml": site_yaml(base_url)}))
    (problem,) = problems
    assert (problem.code, problem.location.line) == ("invalid-url", 2)
    assert says in problem.message
    assert hint in problem.hint
    assert site.config.base_url == "https://example.org/"


@pytest.mark.parametrize("base_url", ["https://example.org:8443/checks/", "https://example.org/v1.2/", "http://x.org"])
def test_a_site_folder_with_a_port_or_dots_is_a_base_url(raw_project, base_url: str) -> None:
    assert problems_of(raw_project, {"content/site.yaml": site_yaml(base_url)}) == []


@pytest.mark.parametrize(
    ("base_url", "published_as"),
    [
        ("https://example.org/checks", "https://example.org/checks/"),
        ("https://example.org/تحقق/", "https://example.org/%D8%AA%D8%AD%D9%82%D9%82/"),
        ("https://Bücher.example:8443/a%20c/", "https://xn--bcher-kva.example:8443/a%20c/"),
    ],
)
def test_a_base_url_is_published_as_a_folder_uri(raw_project, base_url: str, published_as: str) -> None:
    site, _problems = validate_project(raw_project({"content/site.yaml": site_yaml(base_url)}))
    assert site.config.base_url == published_as  # sitemaps and feeds need URIs: percent-encoded, the host in ASCII


# -- careless 14: implausible dates --------------------------------------------------------------


def warnings(problems: list[Problem]) -> list[tuple[str, int]]:
    assert not [p for p in problems if p.is_error]
    return sorted((p.code, p.location.line) for p in problems)


def test_a_claim_date_in_the_future_is_a_warning(raw_project) -> None:
    problems = problems_on(raw_project, {"claims.yaml": claims(claim_date="2026-07", published="2026-07-02")})
    assert warnings(problems) == [("future-date", 4), ("future-date", 15)]
    assert "claim_date 2026-07 is in the future" in problems[0].message


def test_dates_up_to_today_are_not_in_the_future(raw_project) -> None:
    files = {"claims.yaml": claims(claim_date="2026-06", published="2026-06-15")}
    assert problems_on(raw_project, files) == []


def test_a_draft_may_be_scheduled_to_publish_later(raw_project) -> None:
    files = {"claims.yaml": claims(published="2026-09-01", draft="true")}
    assert problems_on(raw_project, files) == []


def test_an_update_a_correction_or_an_appearance_in_the_future_is_a_warning(raw_project) -> None:
    appearances = "\n    - {title: Council meeting, date: 2026-06-20}"
    corrections = "\n    - {date: 2025-03-06, note: Typo.}\n    - {date: 2027-03-06, note: A year too late.}"
    files = {"claims.yaml": claims(appearances=appearances, corrections=corrections, updated="2026-12-01")}
    problems = problems_on(raw_project, files)
    assert warnings(problems) == [("future-date", 6), ("future-date", 18), ("future-date", 19)]
    messages = sorted(p.message for p in problems)
    assert "appearance dated 2026-06-20, in the future" in messages[0]
    assert "dated 2027-03-06, in the future" in messages[1]
    assert "updated 2026-12-01 is in the future" in messages[2]


def test_a_drafts_update_may_be_scheduled_but_not_its_corrections(raw_project) -> None:
    corrections = "\n    - {date: 2026-07-01, note: Planned.}"
    files = {"claims.yaml": claims(updated="2026-07-01", corrections=corrections, draft="true")}
    assert warnings(problems_on(raw_project, files)) == [("future-date", 18)]


def test_a_source_dated_in_the_future_or_archived_before_it_was_published_is_a_warning(raw_project) -> None:
    sources = (
        "- {id: gazette, title: G, published: 2026-07-01, archived: 2026-08-01, snapshot: snapshots/gazette.txt}\n"
        "- {id: radio, title: R, published: 2025-03-01, archived: 2025-02-01, snapshot: snapshots/gazette.txt}\n"
    )
    problems = problems_on(raw_project, {"content/sources.yaml": sources})
    assert warnings(problems) == [("future-date", 1), ("future-date", 1), ("implausible-date", 2)]
    assert "archived 2025-02-01, before it was published (2025-03-01)" in problems[-1].message


def test_a_source_published_in_a_month_or_year_is_judged_from_its_first_day(raw_project) -> None:
    """Old reports often give only a month or a year: accepted, and compared from the first day it may mean."""
    sources = (
        "- {id: gazette, title: G, published: 2025-03, archived: 2025-03-02, snapshot: snapshots/gazette.txt}\n"
        "- {id: radio, title: R, published: '2019', snapshot: snapshots/gazette.txt}\n"
        "- {id: tv, title: T, published: 2025-03, archived: 2025-02-27, snapshot: snapshots/gazette.txt}\n"
        "- {id: later, title: L, published: 2026-07, snapshot: snapshots/gazette.txt}\n"
        "- {id: typo, title: X, published: 2025-13, snapshot: snapshots/gazette.txt}\n"
    )
    problems = problems_on(raw_project, {"content/sources.yaml": sources})
    assert [(p.code, p.location.line) for p in problems] == [
        ("implausible-date", 3),
        ("future-date", 4),
        ("invalid-date", 5),
    ]
    assert "archived 2025-02-27, before it was published (2025-03)" in problems[0].message
    site, _ = validate_project(raw_project({"content/sources.yaml": sources}), today=TODAY)
    assert [str(s.published) for s in site.sources] == ["2025-03", "2019", "2025-03", "2026-07", "None"]


def test_published_before_the_claim_was_made_is_a_warning(raw_project) -> None:
    problems = problems_on(raw_project, {"claims.yaml": claims(claim_date="2025-03-06")})
    assert warnings(problems) == [("implausible-date", 15)]
    assert "published 2025-03-05 is before the claim was made (claim_date 2025-03-06)" in problems[0].message


def test_published_in_the_month_the_claim_was_made_is_plausible(raw_project) -> None:
    assert problems_on(raw_project, {"claims.yaml": claims(claim_date="2025-03", published="2025-03-01")}) == []


def test_a_correction_dated_before_publication_is_a_warning(raw_project) -> None:
    corrections = "\n    - {date: 2025-03-04, note: The figure was wrong.}\n    - {date: 2025-03-06, note: Typo.}"
    problems = problems_on(raw_project, {"claims.yaml": claims(corrections=corrections)})
    assert warnings(problems) == [("implausible-date", 17)]
    assert "dated 2025-03-04, before the fact-check was published (2025-03-05)" in problems[0].message


def test_a_previous_verdict_equal_to_the_verdict_is_a_warning(raw_project) -> None:
    corrections = "\n    - {date: 2025-03-06, note: Rated again., previous_verdict: true}"
    problems = problems_on(raw_project, {"claims.yaml": claims(corrections=corrections)})
    assert warnings(problems) == [("same-verdict", 17)]


def test_only_the_latest_verdict_change_is_compared_with_the_verdict(raw_project) -> None:
    corrections = (
        "\n    - {date: 2025-03-06, note: Rated down., previous_verdict: true}"
        "\n    - {date: 2025-03-08, note: Rated up again., previous_verdict: false}"
    )
    assert problems_on(raw_project, {"claims.yaml": claims(corrections=corrections)}) == []


def test_warnings_alone_do_not_fail_check(project, capsys) -> None:
    root = project("minimal")
    (root / "claims.yaml").write_text(claims(claim_date="2999-01", published="2999-02-01"))
    status, report = check(root, capsys)
    assert status == 0
    assert report.endswith("2 warnings.\n")


def codes_on(root: Path, day: dt.date) -> list[str]:
    """The codes of the problems a project has, judged on a given day (through the model cache, if set)."""
    _site, problems = validate_project(load_project(root), today=day)
    return [p.code for p in problems]


@pytest.mark.parametrize(
    "dated",
    [
        {"published": "2026-07-01"},
        {"updated": "2026-07-01"},
        {"corrections": "\n    - {date: 2026-07-01, note: Too soon.}"},
        {"appearances": "\n    - {title: Council meeting, date: 2026-07-01}"},
    ],
    ids=["published", "updated", "correction", "appearance"],
)
def test_the_model_cache_judges_every_warned_date_against_each_day(tmp_path: Path, monkeypatch, project, dated) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    root = project("minimal")
    (root / "claims.yaml").write_text(claims(**dated))
    assert codes_on(root, dt.date(2026, 6, 30)) == ["future-date"]
    assert codes_on(root, dt.date(2026, 6, 30)) == ["future-date"]  # from the cache
    assert codes_on(root, dt.date(2026, 7, 1)) == []
    assert codes_on(root, dt.date(2026, 7, 1)) == []
    assert codes_on(root, dt.date(2026, 6, 1)) == ["future-date"]


def test_sources_are_judged_against_each_day(tmp_path: Path, monkeypatch, project) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    root = project("minimal")
    sources = root / "content/sources.yaml"
    sources.write_text(sources.read_text().replace("published: 2025-03-01", "published: 2026-07-01"))
    for day, expected in [(dt.date(2026, 6, 30), ["future-date"]), (dt.date(2026, 7, 1), [])] * 2:
        assert codes_on(root, day) == expected


def test_a_cached_claims_file_holds_from_its_latest_past_date_to_its_next_future_one(raw_project) -> None:
    files = {"claims.yaml": claims(claim_date="2026-05", published="2026-07-01")}
    site, _problems = validate_project(raw_project(files), today=TODAY)
    items = [("", 1, site.claims[0], [])]
    days = days_judged_alike(items, TODAY)
    assert days == ((2026, 5, 1), (2026, 7, 1))
    assert within(days, dt.date(2026, 5, 1))
    assert within(days, dt.date(2026, 6, 30))
    assert not within(days, dt.date(2026, 7, 1))
    assert not within(days, dt.date(2026, 4, 30))
    assert not within(None, TODAY)


# -- languages 9: id hints transliterate ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("élise-dupré", "elise-dupre"),
        ("économie", "economie"),
        ("invérifiable", "inverifiable"),
        ("renten-größte", "renten-grosste"),
        ("инфляция-2025", "infliatsiia-2025"),
        ("Bridge_Cost", "bridge-cost"),
        ("--", "my-id"),
    ],
)
def test_an_id_hint_transliterates_letters_instead_of_dropping_them(written: str, suggested: str) -> None:
    assert slugify(written) == suggested


def test_an_invalid_accented_id_suggests_its_ascii_slug(raw_project) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(id="élise-dupré")})
    assert problem.code == "invalid-id"
    assert "e.g. 'elise-dupre'" in problem.hint


# -- careless 16: an empty snapshot --------------------------------------------------------------


def test_an_empty_snapshot_is_reported_at_its_source_and_excerpts_are_not(raw_project) -> None:
    problems = problems_of(raw_project, snapshots={"snapshots/gazette.txt": ""})
    (problem,) = problems
    assert (problem.code, problem.location.path, problem.location.line) == ("empty-file", "content/sources.yaml", 6)
    assert "'content/snapshots/gazette.txt' is empty" in problem.message


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("https://x.example\\@evil.example/", "U+005C"),  # a browser goes to x.example, Python reads evil.example
        ("https://user:pass@x.example/", "user name and password"),
        ("https://x\u202e.example/", "U+202E"),
        ("https://x.example/{{7*7}}", "U+007B"),
        ("https://x.example/a b", "a space"),
        ("https://x.example:99999/", "port"),
        ("//x.example/", "https://"),
        ("https://gazette.ex\u0430mple.com/", "'ex\u0430mple' holds U+0430 CYRILLIC SMALL LETTER A"),  # a homograph
        ("https://\u0440\u0430ypal.example/", "U+0440 CYRILLIC SMALL LETTER ER"),  # the fewer named
        ("https://g\u03bfv.example/", "U+03BF GREEK SMALL LETTER OMICRON"),
    ],
)
def test_a_url_a_browser_would_read_otherwise_is_refused_with_why(url: str, hint: str) -> None:
    from factpress.validate import is_web_url, url_hint

    assert not is_web_url(url)
    assert hint in url_hint(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://ok.example/a?b=1#c",
        "https://x.example:8443/p",
        "http://[::1]:80/",
        "https://пример.рф/путь",
        "https://bücher.example/",
        "https://ελληνικά.example/",
        "https://ソニー.jp/",
        "https://news.пример.com/",  # each part in one alphabet
    ],
)
def test_ordinary_urls_are_still_links(url: str) -> None:
    from factpress.validate import is_web_url

    assert is_web_url(url)


def test_a_homograph_link_in_an_analysis_is_an_error_at_its_host(project, capsys) -> None:
    from factpress import cli

    root = project("minimal")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("(#gazette))", "(#gazette), [web](https://gazette.ex\u0430mple.com/))"), "utf-8")
    assert cli.main(["check", "--root", str(root)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "claims.yaml:9:75: error: claim 'bridge-cost': analysis: the address 'https://gazette.ex\u0430mple.com' "
        "only looks like the site it names [invalid-url]"
    )


def test_a_claims_length_counts_letters_not_the_marks_on_them() -> None:
    from factpress.validate import MAX_CLAIM_CHARS, letters

    hindi = "सरकार ने कहा कि नए पुल की लागत बारह करोड़ रुपये थी और वह समय पर बना"
    assert letters("हिंदी") == 2  # हिं and दी: what a reader counts
    assert letters(hindi) < len(hindi)
    assert letters("x" * (MAX_CLAIM_CHARS + 1)) == MAX_CLAIM_CHARS + 1


def test_a_reference_written_as_what_the_page_shows_is_told_its_id(raw_project) -> None:
    text = (Path(__file__).parent / "sites" / "minimal" / "claims.yaml").read_text(encoding="utf-8")
    text = text.replace("  claimant: jane-doe\n", "  claimant: jane DOE\n").replace(
        "  verdict: true\n", "  verdict: 'True'\n"
    )
    problems = problems_of(raw_project, {"claims.yaml": text})
    hints = sorted(p.hint for p in problems)
    assert hints == [
        "'True' is what verdict 'true' is called: write its key, 'true'",
        "'jane DOE' is what person 'jane-doe' is called: write its id, 'jane-doe'",
    ]


def test_two_verdict_changes_from_the_same_verdict_are_a_warning(raw_project) -> None:
    corrections = (
        "\n    - {date: 2025-03-08, note: Rated down again., previous_verdict: true}"
        "\n    - {date: 2025-03-06, note: Rated down., previous_verdict: true}"
    )
    problems = problems_on(raw_project, {"claims.yaml": claims(verdict="false", corrections=corrections)})
    assert warnings(problems) == [("same-verdict", 17)]
    assert "2025-03-06 and 2025-03-08 both give previous_verdict 'true'" in problems[0].message


@pytest.mark.parametrize("verdicts", ["[]\n", "- key: true\n  colour: #1a7f37\n- {key: false, colour: #cf222e}\n"])
def test_an_empty_or_broken_scale_gives_one_error_not_one_per_claim(raw_project, verdicts: str) -> None:
    problems = problems_of(raw_project, {"content/verdicts.yaml": verdicts})
    assert [(p.code, p.severity) for p in problems if p.severity == "error"] == [
        ("empty-file" if verdicts == "[]\n" else "yaml-syntax", "error")
    ]


def test_a_claim_or_summary_written_over_lines_is_one_line(raw_project) -> None:
    """A block (`claim: |`) kept its line breaks in titles, feeds and the ClaimReview; a pasted tab too."""
    changes = {"claim": "|\n    The bridge opened\n    on   time.", "summary": '"Built\\tlate,\\r\\n  opened late."'}
    site, problems = validate_project(raw_project({"claims.yaml": claims(**changes)}), today=TODAY)
    assert problems == []
    assert (site.claims[0].claim, site.claims[0].summary) == (
        "The bridge opened on   time.",
        "Built late, opened late.",
    )


@pytest.mark.parametrize(
    "invisible",
    ['"\\u200b"', '"\\u2060 \\ufeff"', '"\\u200b\\u3000"', '"\\u3164"', '"\\u2800 \\u3164"', '"\\u115f\\u1160\\uffa0"',
     '"\\u00ad"', '"\\u200d\\ufe0f"'],
)  # fmt: skip
def test_a_field_of_invisible_characters_alone_is_empty(raw_project, invisible: str) -> None:
    [problem] = problems_of(raw_project, {"claims.yaml": claims(claim=invisible)})
    assert (problem.code, problem.location.line) == ("empty-field", 2)
    assert "invisible characters" in problem.hint


MINIMAL = Path(__file__).parent / "sites" / "minimal"


@pytest.mark.parametrize(
    ("path", "written", "field"),
    [
        ("claims.yaml", "summary: The Gazette reports the same figure.", "summary"),
        ("content/verdicts.yaml", "label: Unproven", "label"),
        ("content/sources.yaml", "title: The Gazette reports the bridge opening", "title"),
        ("content/people.yaml", "name: Jane Doe", "name"),
    ],
)
def test_a_hangul_filler_or_blank_braille_alone_is_an_empty_field_in_every_file(
    raw_project, path: str, written: str, field: str
) -> None:
    """U+3164 and U+2800 are printable letters and symbols to Python, yet draw nothing: the page showed a blank."""
    text = (MINIMAL / path).read_text(encoding="utf-8")
    assert written in text
    blanked = text.replace(written, f'{field}: "\\u3164 \\u2800"')
    [problem] = problems_of(raw_project, {path: blanked})
    assert (problem.code, problem.location.path) == ("empty-field", path)
    assert problem.message.endswith(f"field '{field}' is empty")
    assert "U+3164 HANGUL FILLER" in problem.hint


def test_fillers_and_joiners_within_real_text_are_kept(raw_project) -> None:
    """Korean may hold U+3164, an emoji sequence holds U+200D: only a value of nothing visible is blank."""
    site, problems = validate_project(
        raw_project({"claims.yaml": claims(claim='"\\u3164\\ud55c\\uae00 \\U0001f469\\u200d\\U0001f52c said so."')})
    )
    assert [p.code for p in problems if p.severity == "error"] == []  # (the cards lack a Hangul font: a warning)
    assert site.claims[0].claim == "\u3164\ud55c\uae00 \U0001f469\u200d\U0001f52c said so."


# -- a value an unquoted '#' made a comment -----------------------------------------------------------


def test_an_unquoted_colour_is_an_error_saying_it_is_empty_and_must_be_quoted(raw_project) -> None:
    """`colour: #1a7f37` is a YAML comment: the verdict was silently grey, under a warning alone."""
    verdicts = (MINIMAL / "content/verdicts.yaml").read_text(encoding="utf-8")
    verdicts = "- key: true\n  label: 'True'\n  rating: 2\n  colour: #1a7f37\n  meaning: Accurate.\n" + "\n".join(
        verdicts.splitlines()[1:]
    )
    [problem] = problems_of(raw_project, {"content/verdicts.yaml": verdicts})  # (and no repeated warning)
    assert (problem.code, problem.is_error) == ("yaml-comment", True)
    assert (problem.location.path, problem.location.line) == ("content/verdicts.yaml", 4)
    assert problem.message == (
        "verdict 'true': field 'colour' is empty: in YAML '#' starts a comment, so the colour must be quoted"
    )
    assert problem.hint == 'write colour: "#1a7f37"'


@pytest.mark.parametrize(
    ("field", "written", "line"),
    [("claim", "#1 cause of delays is the bridge", 2), ("summary", "#MeToo, again.", 8), ("verdict", "#true", 7),
     ("authors", "#desk", 14)],
)  # fmt: skip
def test_a_needed_field_a_comment_emptied_says_so_not_that_it_is_missing(
    raw_project, field: str, written: str, line: int
) -> None:
    """'missing required field' sent editors looking for a field they had written."""
    problems = problems_of(raw_project, {"claims.yaml": claims(**{field: written})})
    assert [(p.code, p.severity, p.location.line) for p in problems] == [("yaml-comment", "error", line)]
    assert problems[0].message.endswith(
        f"field '{field}' is empty: in YAML '#' starts a comment, so '{written}' was left out"
    )
    assert problems[0].hint == f"quote the value to keep the '#': {field}: \"{written}\""


def test_an_optional_field_a_comment_emptied_stays_a_warning(raw_project) -> None:
    """A person's description of '#1 in the polls' is lost, but nothing needs it: the loader's warning says so."""
    people = "- {id: jane-doe, name: Jane Doe}\n- id: desk\n  name: The Minimal Desk\n  description: #1 desk\n"
    problems = problems_of(raw_project, {"content/people.yaml": people})
    assert [(p.code, p.severity, p.location.line) for p in problems] == [("yaml-comment", "warning", 4)]


def test_a_list_item_a_comment_emptied_says_so_not_that_it_is_unknown(raw_project) -> None:
    """`- #desk` is an empty item: it was reported as the unknown person ''."""
    problems = problems_of(raw_project, {"claims.yaml": claims(authors="\n    - desk\n    - #desk")})
    assert [(p.code, p.severity, p.location.line) for p in problems] == [("yaml-comment", "error", 16)]
    assert problems[0].message == (
        "claim 'bridge-cost': an item of 'authors' is empty: in YAML '#' starts a comment, so '#desk' was left out"
    )
    assert problems[0].hint == "quote the value to keep the '#': - \"#desk\""


# -- qa3: a date written the way a newsroom writes it ----------------------------------------------

#: '2025-03-05' in full-width digits and hyphens, as a Japanese input method types it.
FULL_WIDTH_DATE = "'" + "2025-03-05".translate({c: c + 0xFEE0 for c in range(0x2D, 0x3A)}) + "'"


@pytest.mark.parametrize(
    ("written", "field", "hint"),
    [
        ("2025年3月1日", "claim_date", ": 2025-03-01"),  # Japanese, Chinese
        ("2025년 3월 1일", "claim_date", ": 2025-03-01"),  # Korean
        ("2025年3月", "claim_date", ", or YYYY-MM for a month: 2025-03"),
        (FULL_WIDTH_DATE, "published", ": 2025-03-05"),
        ("05.03.2025", "published", ": 2025-03-05"),  # day first with dots: de, pl, ru, tr, uk
        ("2025/3/5", "published", ": 2025-03-05"),
        ("23/03/2025", "published", ": 2025-03-23"),
        ("3/23/2025", "published", ": 2025-03-23"),
        ("05/03/2025", "published", ": 2025-03-05 or 2025-05-03, whichever is meant"),
        ("22 Mart 2025", "published", ": 2025-03-22"),  # Turkish
        ("'5. M\u00e4rz 2025'", "published", ": 2025-03-05"),
        ("5 \u043c\u0430\u0440\u0442\u0430 2025 \u0433.", "published", ": 2025-03-05"),  # Russian, with the year's mark
        ("'March 5, 2025'", "published", ": 2025-03-05"),
        ("June 2024", "claim_date", ", or YYYY-MM for a month: 2024-06"),
    ],
)
def test_a_date_written_another_common_way_is_given_back_as_yyyy_mm_dd(raw_project, written, field, hint) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(**{field: written})})
    assert problem.code == "invalid-date"
    assert problem.message.endswith("is not written YYYY-MM-DD")
    assert problem.hint == f"write dates as YYYY-MM-DD{hint}"


@pytest.mark.parametrize("written", ["2025年3月", "'2025/03'"])
def test_a_month_alone_is_not_offered_for_a_field_that_needs_a_day(raw_project, written: str) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(published=written)})
    assert problem.message.endswith("is not a real date")
    assert "2025-03" not in problem.hint


@pytest.mark.parametrize("written", ["31.02.2025", "13/13/2025", "2025年13月1日"])
def test_a_date_that_does_not_exist_in_any_order_is_not_rewritten(raw_project, written: str) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(published=written)})
    assert problem.message.endswith("is not a real date")


# -- qa3: what an excerpt-not-found report says when the words are all there ------------------------


def excerpt_details(raw_project, excerpt: str, snapshot: str) -> tuple[str, ...]:
    files = {"claims.yaml": claims(evidence=f"\n    - source: gazette\n      excerpt: {excerpt}")}
    (problem,) = problems_of(raw_project, files, {"snapshots/gazette.txt": snapshot})
    assert problem.code == "excerpt-not-found"
    return problem.detail


def test_an_excerpt_whose_parts_are_out_of_order_says_so(raw_project) -> None:
    """The docs promise `differs` says so; the line was dropped as one that marked no difference."""
    details = excerpt_details(
        raw_project, "12 million euros … the mayor said", "The mayor said it cost 12 million euros."
    )
    assert "differs: every part is in the snapshot, but not in this order" in details


def test_quote_marks_typed_as_two_commas_or_two_apostrophes_are_shown_as_the_difference(raw_project) -> None:
    """Polish typists write ,,tak'' for „tak”: the words match, so the report showed no difference at all."""
    snapshot = "Minister powiedział: „Inflacja spadnie do 2,5%”. Potem wyszedł."
    details = excerpt_details(raw_project, "\"Minister powiedział: ,,Inflacja spadnie do 2,5%''\"", snapshot)
    assert details[-1] == (
        "differs: in punctuation only: Minister powiedział: [-,,Inflacja-] {+„Inflacja+} spadnie do "
        "[-2,5%''-] {+2,5%”.+}"
    )


# -- qa3: a topic written by its name ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ident"), [("Енергетика", "energetyka"), ("Ula\u015f\u0131m", "ulasim"), ("交通", "kotsu")]
)
def test_a_topic_written_by_its_name_is_told_its_id(raw_project, name: str, ident: str) -> None:
    """The id made from the name ('energetika') was suggested, which is not the declared one."""
    files = {"content/topics.yaml": f"- {{id: {ident}, name: {name}}}\n", "claims.yaml": claims(topics=f"[{name}]")}
    (problem,) = problems_of(raw_project, files)
    assert problem.code == "unknown-topic"
    assert problem.hint == f"'{name}' is what topic '{ident}' is called: write its id, '{ident}'"


def test_a_topic_that_is_no_slug_nor_a_name_still_gets_a_slug(raw_project) -> None:
    files = {"content/topics.yaml": "- {id: energetyka, name: Енергетика}\n", "claims.yaml": claims(topics="[Енергія]")}
    (problem,) = problems_of(raw_project, files)
    assert (problem.code, problem.hint) == ("invalid-id", "e.g. 'energiia'")


# -- qa3: a country code for a language ------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "hint"), [("ua", "Ukrainian is 'uk'"), ("JP", "Japanese is 'ja'"), ("gr", "Greek is 'el'")]
)
def test_a_country_code_written_for_the_sites_language_is_an_error_naming_the_language(raw_project, written, hint):
    """`language: ua` built an English-themed site marked lang="ua", with only an untranslated-theme warning."""
    site = f"title: T\nbase_url: https://example.org/\nlanguage: {written}\npublisher: {{name: T}}\n"
    (problem,) = problems_of(raw_project, {"content/site.yaml": site})
    assert (problem.code, problem.location.line, problem.hint) == ("invalid-language", 3, hint)
    assert "is the country code of" in problem.message


@pytest.mark.parametrize("written", ["uk", "uk-UA", "se", "br", "zh-Hant"])
def test_a_language_code_like_a_country_code_is_a_language(raw_project, written: str) -> None:
    site = f"title: T\nbase_url: https://example.org/\nlanguage: {written}\npublisher: {{name: T}}\n"
    assert "invalid-language" not in codes(problems_of(raw_project, {"content/site.yaml": site}))


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Ukrainian", "uk"),
        ("\u0423\u043a\u0440\u0430\u0457\u043d\u0441\u044c\u043a\u0430", "uk"),
        ("日本語", "ja"),
        ("T\u00fcrk\u00e7e", "tr"),
    ],
)
def test_a_language_written_by_its_name_is_told_its_code(raw_project, written: str, code: str) -> None:
    site = f"title: T\nbase_url: https://example.org/\nlanguage: {written}\npublisher: {{name: T}}\n"
    (problem,) = problems_of(raw_project, {"content/site.yaml": site})
    assert (problem.code, problem.hint) == ("invalid-language", f"write the language's code: '{code}' for {written}")


# -- qa3: a citation typed in full-width mode ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("\uff3bGazette\uff3d\uff08\uff03gazette\uff09", "[Gazette](#gazette)"),
        ("\uff3b\u65b0\u805e\uff3d(#gazette)", "[\u65b0\u805e](#gazette)"),
    ],
)
def test_a_citation_typed_in_full_width_is_a_warning_saying_how_to_type_it(raw_project, written, typed) -> None:
    """A Japanese or Chinese input method left in full-width mode: the citation showed as typed, unreported."""
    analysis = f"'The mayor gave the figure ({written}).'"
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)})
    assert (problem.code, problem.severity, problem.hint) == (
        "full-width-markup",
        "warning",
        f"type it in half-width: {typed}",
    )


def test_a_half_width_citation_of_chinese_words_is_a_citation(raw_project) -> None:
    analysis = "'The mayor gave the figure ([\u65b0\u805e](#gazette)).'"
    assert problems_of(raw_project, {"claims.yaml": claims(analysis=analysis)}) == []


def test_a_did_you_mean_among_thousands_asks_difflib_about_a_few(monkeypatch) -> None:
    """Ten thousand claims each relating one unknown claim compared every pair with difflib: 50 s at 10,000
    claims, growing with their square. RapidFuzz scores them all in C; difflib still chooses, as before."""
    import difflib

    from factpress import errors

    asked: list[str] = []
    set_seq1 = difflib.SequenceMatcher.set_seq1

    def counted(self: difflib.SequenceMatcher[str], name: str) -> None:
        asked.append(name)
        set_seq1(self, name)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counted)
    claims = {f"bridge-cost-{n}": None for n in range(5_000)}
    assert errors.suggest("bridge-cots-17", claims) == "did you mean 'bridge-cost-17'?"
    assert errors.suggest("ferry-fares", claims) == ""
    assert len(asked) < 100  # (not 10,000)


@given(
    st.text(alphabet="abcde-", max_size=14), st.lists(st.text(alphabet="abcde-", min_size=1, max_size=12), max_size=40)
)
def test_a_did_you_mean_is_difflibs_choice(value: str, known: list[str]) -> None:
    import difflib

    from factpress import errors

    chosen = difflib.get_close_matches(value, sorted(set(known)), n=1, cutoff=0.6)
    assert errors.closest(value, set(known)) == (chosen[0] if chosen else None)
