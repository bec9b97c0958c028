"""validate: every rule of the SPEC's data model, on hand-written YAML, and one broken site per error code."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from promptly import promptly

from factpress import cli, validate
from factpress.claimdeps import citations
from factpress.errors import Problem
from factpress.load import RawPage
from factpress.model import PartialDate
from factpress.validate import FILE_OF_KIND, is_web_url, is_web_url_parsed, validate_project
from factpress.yamlio import load_yaml

SITES = Path(__file__).parent / "sites"
INVALID = sorted(p.name for p in (SITES / "invalid").iterdir() if p.is_dir())
ENGINE = Path(__file__).parent.parent / "factpress"

CLAIM = """\
- id: bridge-cost
  claim: The bridge cost 12 million euros.
  claimant: jane-doe
  claim_date: 2025-03
  appearances:
    - {title: Council meeting, url: https://council.example.com/minutes}
  verdict: true
  summary: The Gazette reports the same figure.
  analysis: The mayor gave the figure ([Gazette](#gazette)).
  evidence:
    - source: gazette
      excerpt: the bridge cost 12 million euros
      note: The figure as reported.
  authors: [desk]
  published: 2025-03-05
"""


def claims(**changes: str | None) -> str:
    """The minimal claim with some fields rewritten (a value of None removes the field)."""
    lines = CLAIM.splitlines()
    out: list[str] = []
    skipping = False
    for line in lines:
        match = re.match(r"^(?:- |  )(\w+):", line)
        if match and match.group(1) in changes:
            key = match.group(1)
            skipping = True
            value = changes.pop(key)
            if value is not None:
                out.append(f"{line[:2]}{key}: {value}")
            elif line.startswith("- "):
                out.append("-")
            continue
        if skipping and line.startswith("    "):
            continue
        skipping = False
        out.append(line)
    out.extend(f"  {key}: {value}" for key, value in changes.items() if value is not None)
    text = "\n".join(out) + "\n"
    return text.replace("-\n  ", "- ", 1)


def problems_of(raw_project, files=None, snapshots=None) -> list[Problem]:
    _site, problems = validate_project(raw_project(files, snapshots))
    return problems


def summary(problems: list[Problem]) -> list[tuple[str, int, str]]:
    """(code, line, path) for each problem, in report order."""
    return sorted((p.code, p.location.line, p.location.path) for p in problems)


# -- the valid baseline -------------------------------------------------------------------------


def test_the_minimal_site_has_no_problems(raw_project) -> None:
    site, problems = validate_project(raw_project())
    assert problems == []
    (claim,) = site.claims
    assert claim.verdict == "true"
    assert claim.claim_date == PartialDate(2025, 3)
    assert claim.published == dt.date(2025, 3, 5)
    assert claim.language == "en"
    assert claim.evidence[0].spans


def test_the_claims_helper_rewrites_fields() -> None:
    assert "  verdict: false\n" in claims(verdict="false")
    assert "summary" not in claims(summary=None)
    assert claims(id=None).startswith("- claim:")


# -- ids ---------------------------------------------------------------------------------------


def test_verdict_false_is_the_verdict_whose_key_is_false(raw_project) -> None:
    site, problems = validate_project(raw_project({"claims.yaml": claims(verdict="false")}))
    assert problems == []
    assert site.claims[0].verdict == "false"
    assert [v.key for v in site.verdicts] == ["true", "false", "unproven"]


@pytest.mark.parametrize("written", ["no", "null", "2024", "on"])
def test_ids_that_yaml_reads_as_other_types_stay_text(raw_project, written: str) -> None:
    verdicts = f"- {{key: {written}, label: Odd, meaning: An odd key.}}\n"
    site, problems = validate_project(
        raw_project({"content/verdicts.yaml": verdicts, "claims.yaml": claims(verdict=written)})
    )
    assert problems == []
    assert site.verdicts[0].key == written
    assert site.claims[0].verdict == written


@pytest.mark.parametrize("bad", ["Bridge-Cost", "bridge_cost", "bridge--cost", "-bridge", "brücke", "a/b", "..", ""])
def test_claim_ids_are_lowercase_slugs(raw_project, bad: str) -> None:
    problems = problems_of(raw_project, {"claims.yaml": claims(id=f"'{bad}'")})
    assert [p.code for p in problems] == (["empty-field"] if not bad else ["invalid-id"])


def test_an_invalid_id_names_the_value_and_suggests_one(raw_project) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(id="Bridge_Cost")})
    assert problem.message == "claim: invalid id 'Bridge_Cost'"
    assert "'bridge-cost'" in problem.hint
    assert (problem.location.line, problem.location.col) == (1, 7)


def test_ids_are_unique_across_claim_files(raw_project) -> None:
    problems = problems_of(raw_project, {"content/claims/more.yaml": CLAIM})
    assert [(p.code, str(p.location)) for p in problems] == [("duplicate-id", "content/claims/more.yaml:1:3")]
    assert "first defined at claims.yaml:1:3" in problems[0].message


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (
            "content/people.yaml",
            "- {id: desk, name: A, kind: person}\n- {id: jane-doe, name: B}\n- {id: desk, name: C}\n",
        ),
        ("content/sources.yaml", None),
        ("content/verdicts.yaml", None),
        ("content/topics.yaml", "- {id: t, name: T}\n- {id: t, name: U}\n"),
    ],
)
def test_duplicate_ids_in_each_file(raw_project, path: str, text: str | None) -> None:
    if text is None:
        original = (SITES / "minimal" / path).read_text()
        text = original + original
    problems = problems_of(raw_project, {path: text})
    assert "duplicate-id" in [p.code for p in problems]
    assert all(p.location.path == path for p in problems if p.code == "duplicate-id")


# -- references --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code", "line", "hint"),
    [
        ({"verdict": "ture"}, "unknown-verdict", 7, "did you mean 'true'?"),
        ({"claimant": "jane-do"}, "unknown-person", 3, "did you mean 'jane-doe'?"),
        ({"authors": "[desk, jane-do]"}, "unknown-person", 14, "did you mean 'jane-doe'?"),
        ({"related": "[bridge-costs]"}, "unknown-claim", 16, "did you mean 'bridge-cost'?"),
        ({"analysis": "See ([it](#gazete))."}, "unknown-citation", 9, "did you mean 'gazette'?"),
    ],
)
def test_every_reference_resolves(raw_project, changes: dict, code: str, line: int, hint: str) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(**changes)})
    assert (problem.code, problem.location.path, problem.location.line) == (code, "claims.yaml", line)
    assert problem.hint.startswith(hint)


def test_a_related_claim_named_by_its_former_id_is_told_its_id_now(raw_project) -> None:
    """A renamed fact-check keeps its old address in `aliases`; `related` elsewhere names its id now."""
    first = claims(aliases="[bridge-price]")
    second = claims(id="bridge-opened", related="[bridge-price]")
    (problem,) = problems_of(raw_project, {"claims.yaml": first + second})
    assert problem.code == "unknown-claim"
    assert problem.message == "claim 'bridge-opened': unknown claim 'bridge-price' in related"
    assert problem.hint == (
        "'bridge-price' is a former id of fact-check 'bridge-cost' (in its aliases): write 'bridge-cost'"
    )


def test_an_unknown_source_in_evidence_is_reported_at_its_line(raw_project) -> None:
    text = CLAIM.replace("source: gazette", "source: gazete")
    (problem,) = problems_of(raw_project, {"claims.yaml": text})
    assert (problem.code, problem.location.line, problem.location.col) == ("unknown-source", 11, 15)
    assert problem.message == "claim 'bridge-cost': unknown source 'gazete'"


def test_topics_resolve_against_topics_yaml_when_it_exists(raw_project) -> None:
    topics = "- {id: bridges, name: Bridges}\n"
    problems = problems_of(raw_project, {"content/topics.yaml": topics, "claims.yaml": claims(topics="[bridge]")})
    assert [(p.code, p.message) for p in problems] == [("unknown-topic", "claim 'bridge-cost': unknown topic 'bridge'")]
    assert problems[0].hint.startswith("did you mean 'bridges'?")


def test_topics_are_derived_from_claims_without_topics_yaml(raw_project) -> None:
    site, problems = validate_project(raw_project({"claims.yaml": claims(topics="[public-works, budget]")}))
    assert problems == []
    assert [(t.id, t.name) for t in site.topics] == [("budget", "Budget"), ("public-works", "Public works")]


def test_a_topic_must_be_a_slug(raw_project) -> None:
    problems = problems_of(raw_project, {"claims.yaml": claims(topics="[Public Works]")})
    assert [p.code for p in problems] == ["invalid-id"]


def test_previous_verdict_must_be_a_verdict(raw_project) -> None:
    corrections = "\n    - {date: 2025-03-06, note: Rating changed., previous_verdict: flase}"
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(corrections=corrections)})
    assert problem.code == "unknown-verdict"
    assert problem.message == "claim 'bridge-cost': unknown verdict 'flase' in previous_verdict"


def test_a_claim_cannot_relate_to_itself(raw_project) -> None:
    assert [p.code for p in problems_of(raw_project, {"claims.yaml": claims(related="[bridge-cost]")})] == [
        "self-related"
    ]


def test_a_broken_file_does_not_make_every_reference_to_it_unknown(raw_project) -> None:
    problems = problems_of(raw_project, {"content/people.yaml": "- id: desk\n\tname: Desk\n"})
    assert [p.code for p in problems] == ["yaml-syntax"]
    problems = problems_of(raw_project, {"content/verdicts.yaml": None})
    assert [p.code for p in problems] == ["missing-file"]


# -- required fields, types, unknown fields ----------------------------------------------------


@pytest.mark.parametrize(
    "field", ["claim", "claimant", "claim_date", "verdict", "summary", "analysis", "evidence", "authors", "published"]
)
def test_required_claim_fields(raw_project, field: str) -> None:
    problems = problems_of(raw_project, {"claims.yaml": claims(**{field: None})})
    assert [(p.code, p.message, p.location.line) for p in problems if p.code == "missing-field"] == [
        ("missing-field", f"claim 'bridge-cost': missing required field '{field}'", 1)
    ]


def test_optional_claim_fields_may_be_left_out(raw_project) -> None:
    problems = problems_of(raw_project, {"claims.yaml": claims(appearances=None)})
    assert [(p.code, p.severity) for p in problems] == [("no-appearance", "warning")]


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("content/site.yaml", "title: T\nbase_url: https://x.example/\n", "site: missing required field 'publisher'"),
        (
            "content/verdicts.yaml",
            "- {key: true, rating: 1, meaning: M}\n",
            "verdict 'true': missing required field 'label'",
        ),
        (
            "content/people.yaml",
            "- {id: desk}\n- {id: jane-doe, name: J}\n",
            "person 'desk': missing required field 'name'",
        ),
        ("content/sources.yaml", "- {id: gazette, title: T}\n", "source 'gazette': missing required field 'snapshot'"),
    ],
)
def test_required_fields_of_other_files(raw_project, path: str, text: str, message: str) -> None:
    problems = problems_of(raw_project, {path: text})
    assert message in [p.message for p in problems if p.code == "missing-field"]


def test_an_unknown_field_is_reported_at_its_key_with_a_hint(raw_project) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(topic="bridges")})
    assert (problem.code, problem.location.line, problem.location.col) == ("unknown-field", 16, 3)
    assert problem.message == "claim 'bridge-cost': unknown field 'topic'"
    assert problem.hint == "did you mean 'topics'?"


def test_draft_must_be_true_or_false(raw_project) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(draft="maybe")})
    assert (problem.code, problem.message) == (
        "wrong-type",
        "claim 'bridge-cost': field 'draft' must be true or false, not 'maybe'",
    )


def test_a_list_where_text_belongs_is_a_type_error(raw_project) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(summary="[a, b]")})
    assert (problem.code, problem.message) == (
        "wrong-type",
        "claim 'bridge-cost': field 'summary' must be text, not a list",
    )


def test_an_empty_required_field(raw_project) -> None:
    assert [p.code for p in problems_of(raw_project, {"claims.yaml": claims(summary="''")})] == ["empty-field"]


# -- dates, URLs, languages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2024", PartialDate(2024)), ("2024-06", PartialDate(2024, 6)), ("2024-06-30", PartialDate(2024, 6, 30)),
     ("'2024-06'", PartialDate(2024, 6))],
)  # fmt: skip
def test_claim_date_may_be_approximate(raw_project, written: str, expected: PartialDate) -> None:
    site, problems = validate_project(raw_project({"claims.yaml": claims(claim_date=written)}))
    assert problems == []
    assert site.claims[0].claim_date == expected


@pytest.mark.parametrize(
    "written", ["2024-13", "2024-02-30", "Juno 2024", "24-06-01", "0000", "2024-00", "2024-06-00", "2024-00-00"]
)
def test_claim_date_must_be_real(raw_project, written: str) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(claim_date=written)})
    assert (problem.code, problem.message) == ("invalid-date", f"claim 'bridge-cost': '{written}' is not a real date")


@pytest.mark.parametrize(
    ("path", "field", "written", "line"),
    [("content/sources.yaml", "published", "'0001'", 4), ("content/sources.yaml", "archived", "0999-12-31", 7),
     ("claims.yaml", "claim_date", "'0999-06'", 4), ("claims.yaml", "published", "0001-03-05", 15)],
)  # fmt: skip
def test_a_year_before_1000_is_refused_not_shown_without_its_zeros(
    raw_project, path: str, field: str, written: str, line: int
) -> None:
    """`published: '0001'` showed as '1' on the page: a year with leading zeros is a placeholder or a typo."""
    text = (SITES / "minimal" / path).read_text()
    if path == "claims.yaml":
        text = claims(**{field: written})
    elif f"  {field}:" in text:
        text = re.sub(rf"(?m)^  {field}: .*$", f"  {field}: {written}", text)
    else:
        text += f"  {field}: {written}\n"
    [problem] = [p for p in problems_of(raw_project, {path: text}) if p.is_error]
    year = int(written.strip("'")[:4])
    assert (problem.code, problem.location.path, problem.location.line) == ("invalid-date", path, line)
    assert problem.message.endswith(
        f"'{written.strip(chr(39))}' is the year {year}: dates before the year 1000 are refused"
    )
    assert "write the real year" in problem.hint


def test_the_year_1000_is_taken(raw_project) -> None:
    site, problems = validate_project(raw_project({"claims.yaml": claims(claim_date="'1000'")}))
    assert [p for p in problems if p.is_error] == []
    assert site.claims[0].claim_date == PartialDate(1000)


@pytest.mark.parametrize("written", ["2025-02-30", "2025-3-5", "2025", "5 March 2025"])
def test_published_must_be_a_full_real_date(raw_project, written: str) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(published=f"'{written}'")})
    assert problem.code == "invalid-date"
    assert problem.hint.startswith("write dates as YYYY-MM-DD")


@pytest.mark.parametrize("field", ["published", "claim_date"])
@pytest.mark.parametrize("written", ["2025-03-05T23:30:00+05:00", "'2025-03-05 10:00'", "2025-03-05t10:00:00Z"])
def test_a_date_with_a_time_is_told_to_give_the_day_alone(raw_project, field: str, written: str) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(**{field: written})})
    assert problem.code == "invalid-date"
    assert "has a time: factpress dates are days" in problem.message
    assert problem.hint == "write the day alone: 2025-03-05"


def test_quoted_and_unquoted_dates_mean_the_same(raw_project) -> None:
    quoted, _ = validate_project(raw_project({"claims.yaml": claims(published="'2025-03-05'")}))
    plain, _ = validate_project(raw_project())
    assert quoted.claims[0].published == plain.claims[0].published


def test_updated_cannot_precede_published(raw_project) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(updated="2025-03-01")})
    assert (problem.code, problem.message) == (
        "date-order",
        "claim 'bridge-cost': updated (2025-03-01) is before published (2025-03-05)",
    )


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.com/x", "/relative/path", "https://", "http://exa mple.com/", "data:x"],
)
def test_only_http_urls(raw_project, url: str) -> None:
    appearances = f"\n    - {{title: Somewhere, url: '{url}'}}"
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(appearances=appearances)})
    assert (problem.code, problem.location.line) == ("invalid-url", 6)
    assert f"'{url}' is not an http(s) URL" in problem.message


def test_the_usual_url_is_judged_without_urlsplit_as_urlsplit_judges_it() -> None:
    """is_web_url's fast path (a plain host, port and path) must agree with urlsplit on every URL."""
    rng = random.Random(3)
    alphabet = 'ab0:/.-@?#%[]9 \t\x00\x1f\x7f\x85é\u200bhtps\\{}|^`"<>'
    starts = ["http://", "https://", "HTTP://", "http:/", "", "https://a", "http://x.org", "http://x.org:"]
    starts += ["http://x.org:65535", "http://x.org:65536", "http://[::1]", "http://x.org:0", "http://.", "http://-"]
    urls = [rng.choice(starts) + "".join(rng.choices(alphabet, k=rng.randrange(10))) for _ in range(100_000)]
    assert sum(is_web_url(url) for url in urls) > 1000  # (enough of them take the fast path)
    assert [url for url in urls if is_web_url(url) != is_web_url_parsed(url)] == []


def test_same_as_must_be_http_urls(raw_project) -> None:
    people = "- {id: jane-doe, name: J, same_as: ['javascript:x', 'https://www.wikidata.org/wiki/Q1']}\n"
    people += "- {id: desk, name: D, kind: organization}\n"
    site, problems = validate_project(raw_project({"content/people.yaml": people}))
    assert [p.code for p in problems] == ["invalid-url"]
    assert site.people[0].same_as == ("https://www.wikidata.org/wiki/Q1",)


def test_a_source_url_must_be_http(raw_project) -> None:
    sources = (SITES / "minimal/content/sources.yaml").read_text().replace("https://gazette", "file://gazette")
    assert [p.code for p in problems_of(raw_project, {"content/sources.yaml": sources})] == ["invalid-url"]


def test_language_defaults_to_the_site_and_may_be_set(raw_project) -> None:
    site, problems = validate_project(raw_project({"claims.yaml": claims(language="pt-BR")}))
    assert problems == []
    assert site.claims[0].language == "pt-BR"
    bad = problems_of(raw_project, {"claims.yaml": claims(language="English")})
    assert [p.code for p in bad] == ["invalid-language"]
    [underscored] = problems_of(raw_project, {"claims.yaml": claims(language="es_ES")})
    assert (underscored.code, underscored.hint) == ("invalid-language", "write 'es-ES': a hyphen, not an underscore")


@pytest.mark.parametrize(
    ("appearance", "codes"),
    [
        ("{url: https://example.com/a}", []),
        ("{title: Radio, medium: Radio, date: 2025-03}", []),
        ("{medium: Radio}", ["missing-field"]),
        ("{title: Radio, date: March}", ["invalid-date"]),
        ("{title: Radio, channel: 4}", ["unknown-field"]),
        ("just text", ["not-a-mapping"]),
    ],
)
def test_appearances(raw_project, appearance: str, codes: list[str]) -> None:
    problems = problems_of(raw_project, {"claims.yaml": claims(appearances=f"[{appearance}]")})
    assert [p.code for p in problems] == codes
    assert all(p.location.line == 5 for p in problems)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("archive_url", "'archive.org/x'", "invalid-url"), ("archived", "yesterday", "invalid-date"),
     ("published", "2025-02-29", "invalid-date"), ("snapshot", "''", "empty-field")],
)  # fmt: skip
def test_source_fields(raw_project, field: str, value: str, code: str) -> None:
    sources = (SITES / "minimal/content/sources.yaml").read_text()
    if f"  {field}:" in sources:
        sources = re.sub(rf"(?m)^  {field}: .*$", f"  {field}: {value}", sources)
    else:
        sources += f"  {field}: {value}\n"
    assert code in [p.code for p in problems_of(raw_project, {"content/sources.yaml": sources})]


@pytest.mark.parametrize(
    ("logo", "code"), [("/static/favicon.svg", None), ("https://cdn.example/logo.png", None),
                       ("javascript:alert(1)", "invalid-url"), ("/static/../../etc/passwd", "unsafe-path"),
                       ("//evil.example/logo.svg", "invalid-url"), ("/static/nologo.svg", "dead-link"),
                       ("/static/my logo.svg", "invalid-url"), ("/claims/", "dead-link"),
                       ("/images/logo.png", "dead-link")],
)  # fmt: skip
def test_the_publisher_logo_is_a_site_path_or_a_web_url(raw_project, logo: str, code: str | None) -> None:
    site_yaml = f"title: T\nbase_url: https://x.example/\npublisher: {{name: P, logo: '{logo}'}}\n"
    assert [p.code for p in problems_of(raw_project, {"content/site.yaml": site_yaml})] == ([code] if code else [])


@pytest.mark.parametrize(
    ("email", "hint"),
    [
        ("desk@x.example", None),
        ("o'brien+desk@x.example", None),
        ("redaccion@periódico.example", None),
        ("desk@x.example?cc=spy%40evil.example", "write the address alone, 'desk@x.example': the rest would add"),
        ("desk@x.example?bcc=spy@evil.example", "write the address alone, 'desk@x.example'"),
        ("desk@x.example,spy@evil.example", "write the address alone, 'desk@x.example'"),
        ("desk@x.example&body=hi", "write the address alone, 'desk@x.example'"),
        ("desk@x.example#top", "write the address alone, 'desk@x.example'"),
        ("desk@x\u200b.example", "e.g. desk@example.org"),
    ],
)
def test_the_contact_email_is_an_address_and_nothing_more(raw_project, email: str, hint: str | None) -> None:
    """It goes into `mailto:` on every page: `?cc=spy%40evil.example` copied every reader's mail to another."""
    site_yaml = f'title: T\nbase_url: https://x.example/\npublisher: {{name: P}}\ncontact: {{email: "{email}"}}\n'
    problems = problems_of(raw_project, {"content/site.yaml": site_yaml})
    assert [p.code for p in problems] == ([] if hint is None else ["invalid-email"])
    assert hint is None or problems[0].hint.startswith(hint)


def test_a_logo_is_looked_for_in_the_projects_static_folder(raw_project, tmp_path: Path) -> None:
    """The logo is each page's icon and the ClaimReview's logo: a path naming no file is a dead link, with a hint."""
    (tmp_path / "img").mkdir()
    (tmp_path / "img/our logo.png").write_bytes(b"png")
    site_yaml = "title: T\nbase_url: https://x.example/\npublisher: {name: P, logo: '/static/img/our%20logo.png'}\n"
    project = raw_project({"content/site.yaml": site_yaml})
    project.static_dir = tmp_path
    site, problems = validate_project(project)
    assert problems == []
    assert site.config.publisher.logo == "/static/img/our%20logo.png"
    project = raw_project({"content/site.yaml": site_yaml.replace("our%20logo.png", "ourlogo.png")})
    project.static_dir = tmp_path
    site, (problem,) = validate_project(project)
    assert (problem.code, problem.severity, problem.location.line) == ("dead-link", "error", 3)
    assert "did you mean '/static/img/our%20logo.png'" in problem.hint  # as it must be written
    assert site.config.publisher.logo == ""  # no icon rather than a dead one
    project = raw_project({"content/site.yaml": site_yaml.replace("our%20logo.png", "favicon.sv")})
    project.static_dir = tmp_path
    _, (problem,) = validate_project(project)
    assert "favicon" not in problem.hint  # the theme's own icon is no newsroom's logo


def test_a_logo_put_in_static_after_a_check_that_missed_it_is_found(project, capsys) -> None:
    """site.yaml's judgement is cached by its bytes: whether its logo is published is judged on every run."""
    root = project("minimal")
    site = root / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    old = "url: https://minimal.example.org/}"
    assert old in text
    site.write_text(text.replace(old, "url: https://minimal.example.org/, logo: /static/logo.svg}"), "utf-8")
    assert cli.main(["check", "--root", str(root)]) == 1
    assert "logo '/static/logo.svg' is not a file of the site [dead-link]" in capsys.readouterr().out
    (root / "static").mkdir()
    (root / "static" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    assert cli.main(["check", "--root", str(root)]) == 0
    assert "logo" not in capsys.readouterr().out


# -- excerpts ----------------------------------------------------------------------------------


def test_an_excerpt_is_found_after_normalising_typography(raw_project) -> None:
    text = "The mayor said: \u201cIt\u2019s cheaper \u2014 12\u00a0million\u2026 than planned.\u201d\n"
    changes = {"claims.yaml": CLAIM.replace("the bridge cost 12 million euros", '"it\'s cheaper - 12 million..."')}
    site, problems = validate_project(raw_project(changes, {"snapshots/gazette.txt": text}))
    assert problems == []
    assert site.claims[0].evidence[0].spans


def test_a_missing_excerpt_is_reported_at_its_line_with_the_closest_passage(raw_project) -> None:
    text = CLAIM.replace("the bridge cost 12 million euros", "the bridge cost 15 million euros")
    (problem,) = problems_of(raw_project, {"claims.yaml": text})
    assert (problem.code, str(problem.location)) == ("excerpt-not-found", "claims.yaml:12:16")
    assert problem.message == (
        "claim 'bridge-cost': excerpt not found in content/snapshots/gazette.txt (source 'gazette')"
    )
    assert problem.detail[0] == 'closest passage: "the bridge cost 12 million euros,"'
    assert "[-15-] {+12+}" in problem.detail[1]


def test_an_unreadable_snapshot_does_not_also_fail_every_excerpt(raw_project) -> None:
    project = raw_project()
    project.snapshots.clear()
    assert validate_project(project)[1] == []  # the loader reports the missing file itself


# -- verdicts, people, site --------------------------------------------------------------------


def test_ratings_fall_from_best_to_worst(raw_project) -> None:
    verdicts = "- {key: true, label: T, rating: 1, meaning: M}\n- {key: false, label: F, rating: 2, meaning: M}\n"
    problems = problems_of(raw_project, {"content/verdicts.yaml": verdicts})
    assert [(p.code, p.location.line) for p in problems] == [("rating-order", 2)]


def test_a_verdict_outside_the_scale_has_no_rating(raw_project) -> None:
    site, _ = validate_project(raw_project())
    assert [(v.key, v.rating) for v in site.verdicts] == [("true", 2), ("false", 1), ("unproven", None)]


@pytest.mark.parametrize(
    ("field", "value", "code"), [("colour", "red", "invalid-colour"), ("rating", "high", "invalid-rating")]
)
def test_verdict_fields_are_checked(raw_project, field: str, value: str, code: str) -> None:
    verdicts = f"- {{key: true, label: T, meaning: M, {field}: {value}}}\n- {{key: false, label: F, meaning: M}}\n"
    assert [p.code for p in problems_of(raw_project, {"content/verdicts.yaml": verdicts})] == [code]


def test_person_kind_is_person_or_organization(raw_project) -> None:
    people = "- {id: jane-doe, name: J, kind: human}\n- {id: desk, name: D}\n"
    (problem,) = problems_of(raw_project, {"content/people.yaml": people})
    assert problem.code == "invalid-kind"


def test_the_site_base_url_must_be_http(raw_project) -> None:
    site_yaml = "title: T\nbase_url: ftp://x.example/\npublisher: {name: P}\n"
    assert [p.code for p in problems_of(raw_project, {"content/site.yaml": site_yaml})] == ["invalid-url"]


def test_a_base_url_gains_its_trailing_slash(raw_project) -> None:
    site_yaml = "title: T\nbase_url: https://x.example/sub\npublisher: {name: P}\n"
    site, problems = validate_project(raw_project({"content/site.yaml": site_yaml}))
    assert problems == []
    assert site.config.base_url == "https://x.example/sub/"


def test_a_file_that_is_not_a_list(raw_project) -> None:
    (problem,) = problems_of(raw_project, {"content/people.yaml": "desk: {name: D}\n"})
    assert (problem.code, problem.message) == (
        "not-a-list",
        "content/people.yaml must be a list of people, not a mapping",
    )


def test_a_claim_that_is_too_long_is_a_warning(raw_project) -> None:
    (problem,) = problems_of(raw_project, {"claims.yaml": claims(claim="A" + " very" * 20 + " long claim.")})
    assert (problem.code, problem.severity, problem.location.line) == ("claim-too-long", "warning", 2)


@pytest.mark.parametrize(
    "claim",
    [
        "„Der Wärmepumpen-Markt ist 2024 zusammengebrochen.“",
        "»Die Brücke kostet 50 Millionen«.",
        """'"The bridge cost 12 million euros."'""",
        "«Le pont a coûté 12 millions d'euros»",
        "「橋の費用は１２億円だった」",
    ],
)
def test_a_claim_written_between_quotation_marks_is_a_warning(raw_project, claim: str) -> None:
    """The pages set the claim between its language's marks: the editor's own would show twice („„…““)."""
    problems = problems_of(raw_project, {"claims.yaml": claims(claim=claim)})
    (problem,) = [p for p in problems if p.code != "card-font"]  # (the Japanese one: no font for its characters)
    assert (problem.code, problem.severity, problem.location.line) == ("quoted-claim", "warning", 2)
    assert problem.hint.startswith("leave out the ")


@pytest.mark.parametrize(
    "claim",
    [
        "„Rentenloch“ ist eine Erfindung der Opposition.",
        """'"Green" and "clean" mean the same.'""",
        """'"Green" is a word the bill never uses, says "the minister"'""",
        "The 'bridge tax' was never voted.",
        '"The bridge cost 12 million euros."',  # quoted for YAML: no marks are left in the claim
    ],
)
def test_a_claim_quoting_only_part_of_itself_is_not_warned(raw_project, claim: str) -> None:
    assert [p.code for p in problems_of(raw_project, {"claims.yaml": claims(claim=claim)})] == []


def test_corrections_are_kept_in_date_order(raw_project) -> None:
    corrections = (
        "\n    - {date: 2025-03-09, note: Second., previous_verdict: false}\n    - {date: 2025-03-07, note: First.}"
    )
    site, problems = validate_project(raw_project({"claims.yaml": claims(corrections=corrections)}))
    assert problems == []
    assert [(c.date.day, c.note, c.previous_verdict) for c in site.claims[0].corrections] == [
        (7, "First.", ""),
        (9, "Second.", "false"),
    ]


# -- pages ------------------------------------------------------------------------------------


def page(slug: str, front: str = "title: About\n") -> RawPage:
    meta, problems = load_yaml("\n" + front, f"content/pages/{slug}.md")
    assert problems == []
    return RawPage(f"content/pages/{slug}.md", slug, meta, "Body.\n", 4)


@pytest.mark.parametrize(
    ("slug", "code"), [("claims", "reserved-slug"), ("search", "reserved-slug"), ("About_Us", "invalid-id")]
)
def test_page_names_cannot_take_over_site_sections(raw_project, slug: str, code: str) -> None:
    project = raw_project()
    project.pages.append(page(slug))
    site, problems = validate_project(project)
    assert [(p.code, str(p.location)) for p in problems] == [(code, f"content/pages/{slug}.md:1:1")]
    assert site.pages == ()


def test_a_page_needs_a_title_and_known_fields(raw_project) -> None:
    project = raw_project()
    project.pages.append(page("about", "titel: About\nnav: first\n"))
    problems = validate_project(project)[1]
    assert summary(problems) == [
        ("missing-field", 2, "content/pages/about.md"),
        ("unknown-field", 2, "content/pages/about.md"),
        ("wrong-type", 3, "content/pages/about.md"),
    ]


# -- every problem in one run ------------------------------------------------------------------


def test_every_problem_is_collected_in_one_run(raw_project) -> None:
    text = claims(verdict="ture", claimant="jane-do", published="2025-02-30", topic="x")
    problems = problems_of(raw_project, {"claims.yaml": text, "content/verdicts.yaml": "- {key: true}\n"})
    assert sorted({p.code for p in problems}) == [
        "invalid-date", "missing-field", "unknown-field", "unknown-person", "unknown-verdict",
    ]  # fmt: skip


# -- one broken site per error code -----------------------------------------------------------

#: Cases whose folder name is not the code they demonstrate.
CASE_CODES = {
    "yaml-syntax-tab": "yaml-syntax",
    "yaml-syntax-quote": "yaml-syntax",
    "missing-claims": "missing-file",
    "unknown-verdict-correction": "unknown-verdict",
}
WARNING_ONLY = {
    "claim-too-long",
    "no-appearance",
    "markup-removed",
    "unknown-message",
    "untranslated-theme",
    "card-font",
    "markdown-in-text",
    "related-draft",
    "rating-scale",
    "duplicate-label",
    "full-width-markup",
    "quoted-claim",
}
LINE = re.compile(
    r"^(?P<path>[^\s:]+)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<sev>error|warning): .+ \[(?P<code>[a-z0-9-]+)\]$"
)


def run_check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    status = cli.main(["check", "--root", str(root), *extra])
    return status, capsys.readouterr().out


@pytest.mark.parametrize("case", INVALID)
def test_invalid_site_report(case: str, project, capsys, file_regression) -> None:
    status, report = run_check(project(f"invalid/{case}"), capsys)
    file_regression.check(report, extension=".txt", basename=case)
    assert status == (0 if case in WARNING_ONLY else 1)
    found = [LINE.match(line) for line in report.splitlines() if not line.startswith(("    ", "No problems"))]
    found = [m for m in found if m] or []
    assert CASE_CODES.get(case, case) in {m["code"] for m in found}
    lines = report.splitlines()
    assert re.match(r"^\d+ (error|warning)s?\.$|^\d+ errors?, \d+ warnings?\.$", lines[-1])
    assert len(found) == len([line for line in lines[:-1] if not line.startswith("    ")])


def test_every_error_code_the_engine_emits_has_an_invalid_site() -> None:
    source = "\n".join((ENGINE / name).read_text() for name in ("validate.py", "load.py", "yamlio.py"))
    emitted = set(re.findall(r'"([a-z]+(?:-[a-z0-9]+)+)",?\s*(?:\n|hint|severity|\))', source))
    emitted |= {f"unknown-{kind}" for kind in FILE_OF_KIND}
    emitted -= {"file-too-large"}  # needs a 64 MB file: test_load.py lowers the limit instead
    emitted -= {"utf-8", "my-id"}  # not codes: an encoding name and a placeholder id
    pinned = set()
    for path in (Path(__file__).parent / "test_validate").glob("*.txt"):
        pinned |= set(re.findall(r"\[([a-z0-9-]+)\]$", path.read_text(), re.M))
    assert emitted - pinned == set()


def test_the_sample_site_is_valid(capsys) -> None:
    status, report = run_check(Path(__file__).parent.parent, capsys)
    assert (status, report) == (0, "No problems found.\n")


#: Text fields made for check to read again and again, and what each once cost (a few hundred KB took minutes).
SLOW_FIELDS = {
    "blanks no line break ends": lambda: validate._BREAKS.sub(" ", "a\nb" + " " * 300_000 + "c"),  # 32 KB, 4 s
    "a base_url's last part of dots": lambda: validate.base_url_mistake("https://x.example/" + "a." * 150_000),
    "links left open": lambda: list(validate.markdown_in_text("[a](" * 75_000)),  # 32 KB, 0.6 s
    "brackets left open": lambda: list(validate.markdown_in_text("[" * 300_000 + "](")),  # 32 KB, 1.7 s
    "full-width brackets": lambda: list(validate.wide_citations("\uff3b" * 300_000)),  # 32 KB, 4 s
    "wide citations left open": lambda: list(validate.wide_citations("\uff3ba\uff3d\uff08#" * 60_000)),
    "citations left open": lambda: list(citations("](#" * 100_000)),  # 16 KB, 0.5 s
}


@pytest.mark.parametrize("read", SLOW_FIELDS.values(), ids=SLOW_FIELDS.keys())
def test_fields_made_to_be_read_again_and_again_are_read_once(read: Callable[[], object]) -> None:
    with promptly():
        read()


#: The patterns these once were: each finds what the one-pass reading now finds.
BOLD_OR_LINK = re.compile(
    r"\[[^\]\n]+\]\([^)\s]+\)|\*\*(?!\s)[^*\n]+(?<!\s)\*\*|(?<![^\W_])__(?!\s)[^_\n]+(?<!\s)__(?![^\W_])"
)
WIDE_CITATION = re.compile(r"[\[\uff3b]([^\]\uff3d\n]*)[\]\uff3d][(\uff08]\s*[#\uff03]([^)\uff09\s]*)\s*[)\uff09]")
CITATION = re.compile(r"\]\(\s*#([^)\s]*)\s*\)")
MARKDOWN_PIECES = ["[", "]", "(", ")", "](", "a", " ", "\n", "**", "*", "__", "_", "b c", '"', "#", "](#", "\uff3b"]
WIDE_PIECES = ["[", "]", "(", ")", "\uff3b", "\uff3d", "\uff08", "\uff09", "#", "\uff03", "a", " ", "\n", "(#"]


@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=24).map("".join))
def test_markdown_in_plain_text_is_found_where_the_pattern_found_it(text: str) -> None:
    found, written = [], BOLD_OR_LINK.search(text)
    while written:  # (each looked for from the end of the one before, as plain_text does)
        found.append(written.span())
        written = BOLD_OR_LINK.search(text, written.end())
    assert list(validate.markdown_in_text(text)) == found
    cited = [(m.span(), m.group(1)) for m in CITATION.finditer(text)]
    assert [(m.span(), m.group(1)) for m in citations(text)] == cited


@given(st.lists(st.sampled_from(WIDE_PIECES), max_size=24).map("".join))
def test_wide_citations_are_found_where_the_pattern_found_them(text: str) -> None:
    found = [(m.start(), m.end(), m.span(1), m.span(2)) for m in WIDE_CITATION.finditer(text)]
    assert list(validate.wide_citations(text)) == found
