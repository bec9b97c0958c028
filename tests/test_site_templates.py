"""A site's own templates: their mistakes reported at their file and line, never as an internal error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from factpress import jsonld, render
from factpress.cli import main

REPO = Path(__file__).resolve().parent.parent
BLOCK = "{% extends 'base.html' %}\n{% block main %}\n"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command line in-process; return the exit status and everything it printed."""
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    return run_cli(["build", "--root", str(root), "--no-search", "-q"], capsys)


def with_templates(root: Path, files: dict[str, str | bytes]) -> Path:
    """The project with these templates written into its templates/."""
    folder = root / "templates"
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "where", "message"),
    [
        ({"claim.html": BLOCK + "{{ 1/0 }}\n{% endblock %}\n"}, "claim.html:3", "division by zero"),
        (
            {"claim.html": BLOCK + '{{ "x" + 1 }}\n{% endblock %}\n'},
            "claim.html:3",
            'can only concatenate str (not "int") to str',
        ),
        (
            {"claim.html": BLOCK + "{{ claim.claim.claim | date }}\n{% endblock %}\n"},
            "claim.html:3",
            "the date filter needs a date, not the text 'The bridge cost",
        ),
        (
            {"claim.html": BLOCK + "<p>{{ site.title | iso }}</p>\n{% endblock %}\n"},
            "claim.html:3",
            "the iso filter needs a date, not the text",
        ),
        (
            {"claim.html": (BLOCK + "<p>Caf\xe9</p>\n{% endblock %}\n").encode("latin-1")},
            "claim.html:3",
            "the file is not UTF-8 text (byte 0xe9 on this line): save it as UTF-8",
        ),
        (
            {
                "claim.html": BLOCK + "{% include '_a.html' %}\n{% endblock %}\n",
                "_a.html": "a\n{% include '_b.html' %}\n",
                "_b.html": "b\n{% include '_a.html' %}\n",
            },
            "_b.html:2",
            "templates extend or include one another without end",
        ),
    ],
    ids=["zero-division", "type-error", "date-filter", "iso-filter", "latin-1", "include-cycle"],
)
def test_a_python_error_in_a_site_template_is_an_error_at_its_line(
    project, capsys, files: dict[str, str | bytes], where: str, message: str
) -> None:
    root = project("minimal")
    assert build(root, capsys)[0] == 0
    before = hashes(root / "site")
    status, output = build(with_templates(root, files), capsys)
    assert status == 1
    assert f"templates/{where}:1: error: template error: {message}" in output
    assert "[template-error]" in output
    assert "internal error" not in output and "Traceback" not in output
    assert hashes(root / "site") == before


def test_a_card_template_resvg_cannot_draw_is_an_error_at_it(project, capsys) -> None:
    root = project("minimal")
    assert build(root, capsys)[0] == 0
    before = hashes(root / "site")
    card = '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">\n<rect width="10">\n</svg>\n'
    status, output = build(with_templates(root, {"card.svg": card}), capsys)
    assert status == 1
    assert "templates/card.svg: error: template error: the card it makes is SVG that cannot be drawn: " in output
    assert "expected 'rect' tag, not 'svg' at 3:1 [template-error]" in output
    assert "internal error" not in output
    assert hashes(root / "site") == before


def test_an_error_of_the_built_in_theme_alone_stays_an_internal_error(project, capsys, monkeypatch) -> None:
    """factpress's own bug, not the newsroom's: no template of theirs ran."""

    def broken(value: object) -> str:
        return str(1 / 0)

    monkeypatch.setitem(render.FILTERS, "iso", broken)
    status, output = build(project("minimal"), capsys)
    assert status == 1
    assert "build.py: internal error: ZeroDivisionError: division by zero" in output
    assert "template-error" not in output


#: The example of templates/README.md: a stylesheet added to every page by overriding one block.
NEWSROOM_BASE = (REPO / "templates" / "README.md").read_text(encoding="utf-8").split("```jinja\n")[1].split("```")[0]


def test_a_site_template_builds_on_the_built_in_one_of_its_name(project, capsys) -> None:
    """One block overridden adds a stylesheet to every page, claim and search pages included (they fill `head`)."""
    root = with_templates(project("minimal"), {"base.html": NEWSROOM_BASE})
    (root / "static").mkdir()
    (root / "static" / "newsroom.css").write_text("body { color: black; }\n", encoding="utf-8")
    assert build(root, capsys) == (0, "")
    pages = [page for page in sorted((root / "site").rglob("index.html")) if "embed" not in page.parts]  # (own frame)
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count('<link rel="stylesheet" href="/static/newsroom.css">') == 1, page
        assert html.count("/static/style.css") == 1, page  # the built-in page around it, once
    claim = (root / "site" / "claims" / "bridge-cost" / "index.html").read_text(encoding="utf-8")
    assert 'type="application/ld+json"' in claim  # claim.html's own head block is still there


def test_compiled_templates_of_the_same_name_are_kept_apart(project, capsys) -> None:
    """The compiled-template cache is shared by every project: a site's base.html and the theme's must not mix."""
    own = with_templates(project("minimal"), {"base.html": NEWSROOM_BASE})
    plain = project("full")
    for root, expected in ((own, 1), (plain, 0), (own, 1)):
        assert build(root, capsys)[0] == 0
        home = (root / "site" / "index.html").read_text(encoding="utf-8")
        assert home.count("/static/newsroom.css") == expected


def test_a_template_extending_its_own_name_is_told_to_extend_the_built_in_one(project, capsys) -> None:
    root = with_templates(
        project("minimal"), {"base.html": '{% extends "base.html" %}\n{% block head %}x{% endblock %}\n'}
    )
    status, output = build(root, capsys)
    assert status == 1
    assert "templates/base.html:1:1: error: template error: " in output
    assert 'hint: to build on the built-in base.html, write {% extends "theme/base.html" %}' in output
    assert "internal error" not in output


def test_check_reports_every_broken_template_at_its_line_in_one_run(project, capsys) -> None:
    root = with_templates(
        project("minimal"),
        {
            "_claim_list.html": "<ul>\n{% for claim in claims %}\n<li>{{ claim.id }}\n{% else\n</ul>\n",
            "claim.html": BLOCK + "{{ claim | nofilter }}\n{% endblock %}\n",
            "page.html": "{% extends 'layout.html' %}\n",
            "home.html": BLOCK + "<p>a</p>\n{% include '_promo.html' %}\n{% include '_maybe.html' ignore missing %}\n"
            "{% endblock %}\n",
            "partials/x.html": "{% from 'partials/macros.html' import badge %}\n{% import 'theme/nope.html' as n %}\n",
            "partials/macros.html": "{% macro badge() %}b{% endmacro %}\n",
            "search.html": b"{% extends 'base.html' %}\n\n<p>Caf\xe9</p>\n",
            "notes.md": "{% not a template %}\n",
        },
    )
    expected = [
        "templates/_claim_list.html:5:1: error: template error: expected token 'end of statement block', got '<'",
        "templates/claim.html:3:1: error: template error: No filter named 'nofilter'.",
        "templates/home.html:4:1: error: template error: template '_promo.html' not found",
        "templates/page.html:1:1: error: template error: template 'layout.html' not found",
        "templates/partials/x.html:2:1: error: template error: template 'theme/nope.html' not found",
        "templates/search.html:3:1: error: template error: the file is not UTF-8 text (byte 0xe9 on this line)",
    ]
    for command in ("check", "build"):
        status, output = run_cli(
            [command, "--root", str(root)] + (["--no-search"] if command == "build" else []), capsys
        )
        assert status == 1
        lines = [line for line in output.splitlines() if line.startswith("templates/")]
        assert len(lines) == len(expected), output
        for line, start in zip(lines, expected, strict=True):
            assert line.startswith(start) and line.endswith("[template-error]"), (line, start)
        assert "6 errors." in output


def test_check_finds_no_problem_in_good_templates(project, capsys) -> None:
    root = with_templates(project("full"), {"base.html": NEWSROOM_BASE, "card.svg": "<svg>{{ card.claim }}</svg>\n"})
    assert run_cli(["check", "--root", str(root)], capsys) == (0, "No problems found.\n")


def test_a_template_not_found_while_rendering_is_named_as_not_found(project, capsys) -> None:
    """A name computed while rendering escapes `check`: the build says what is missing, not just its name."""
    page = BLOCK + "{% set promo = '_promo' ~ '.html' %}\n{% include promo %}\n{% endblock %}\n"
    status, output = build(with_templates(project("minimal"), {"claim.html": page}), capsys)
    assert status == 1
    assert (
        "templates/claim.html:4:1: error: template error: template '_promo.html' not found [template-error]" in output
    )
    assert "hint: templates are looked up in templates/, then among the built-in ones" in output


def test_a_byte_order_mark_before_a_template_is_not_published(project, capsys) -> None:
    root = with_templates(project("minimal"), {"base.html": "\ufeff" + NEWSROOM_BASE})
    assert run_cli(["check", "--root", str(root)], capsys) == (0, "No problems found.\n")
    assert build(root, capsys) == (0, "")
    for page in (root / "site").rglob("index.html"):
        assert page.read_bytes().startswith(b"<!DOCTYPE html>"), page


CARD = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="1200" height="630">\n'
    '<rect width="1200" height="630" fill="{{ card.colour }}"/>\n'
    "{}\n"
    "</svg>\n"
)


@pytest.mark.parametrize(
    ("image", "why"),
    [
        ('<image x="10" y="10" width="90" height="90" href="static/logo.svg"/>', "would read from the folder"),
        ('<image width="90" height="90" xlink:href="/srv/newsroom/logo.png"/>', "would read from the folder"),
        ('<image width="90" height="90" href="https://example.org/logo.png"/>', "does not fetch"),
    ],
    ids=["relative", "absolute", "address"],
)
def test_a_card_that_links_an_image_is_refused(
    project, tmp_path: Path, capsys, monkeypatch, image: str, why: str
) -> None:
    """resvg reads a linked image from the working folder: the PNG would depend on where the build runs."""
    root = with_templates(project("minimal"), {"card.svg": CARD.replace("{}", image)})
    (root / "static").mkdir()
    (root / "static" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    monkeypatch.chdir(root)  # (where a relative link would have been found)
    status, output = build(root, capsys)
    assert status == 1
    assert "templates/card.svg: error: template error: the card links '" in output and why in output
    assert "hint: put the image inside card.svg" in output
    assert not (root / "site").exists()


def test_a_card_with_its_logo_inside_is_drawn(project, capsys) -> None:
    logo = '<svg x="1000" y="40" width="150" height="150"><circle cx="75" cy="75" r="70" fill="#123456"/></svg>\n'
    dot = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="
    card = CARD.replace("{}", f'{{% include "_logo.svg" %}}\n<image width="9" height="9" href="{dot}"/>')
    root = with_templates(project("minimal"), {"card.svg": card, "_logo.svg": logo})
    assert build(root, capsys) == (0, "")
    svg = (root / "site" / "cards" / "bridge-cost.svg").read_text(encoding="utf-8")
    assert '<circle cx="75" cy="75" r="70" fill="#123456"/>' in svg and dot in svg
    assert (root / "site" / "cards" / "bridge-cost.png").read_bytes().startswith(b"\x89PNG")


#: The built-in claim page's head block, as a site that rewrites it might.
REVIEW = '<script type="application/ld+json">\n{{ claim_review }}\n</script>'


def claim_head(block: str) -> dict[str, str]:
    """A site's claim.html: the built-in one with its head block rewritten."""
    return {"claim.html": "{% extends 'theme/claim.html' %}{% block head %}" + block + "{% endblock %}"}


@pytest.mark.parametrize(
    ("files", "where", "says"),
    [
        (claim_head(""), "claim.html", "no ClaimReview"),
        (
            claim_head("<pre>{{ claim_review }}</pre>"),
            "claim.html",
            "its ClaimReview outside a <script",
        ),
        (
            claim_head("<meta>{{ claim_review }}"),
            "claim.html",
            "its ClaimReview outside a <script",
        ),
        (
            claim_head(REVIEW * 2),
            "claim.html",
            "2 ClaimReviews, not one",
        ),
        (
            {"base.html": "<!DOCTYPE html><html lang=en><title>x</title>{% block main %}{% endblock %}</html>"},
            "base.html",
            "no ClaimReview",
        ),
        (claim_head("<!-- " + REVIEW + " -->"), "claim.html", "its ClaimReview inside <!--"),
        (claim_head("<template>" + REVIEW + "</template>"), "claim.html", "its ClaimReview inside <template"),
        (
            claim_head(REVIEW + '<script type="application/ld+json">{"@type": ["ClaimReview"]}</script>'),
            "claim.html",
            "2 ClaimReviews, not one",
        ),
        (
            claim_head(REVIEW + '<div itemscope itemtype="https://schema.org/ClaimReview"></div>'),
            "claim.html",
            "2 ClaimReviews, not one",
        ),
        (
            claim_head(
                REVIEW + "<div itemscope itemtype='https://schema.org/Review http://schema.org/ClaimReview'></div>"
            ),
            "claim.html",
            "2 ClaimReviews, not one",
        ),
    ],
    ids=[
        "dropped",
        "shown-as-text",
        "outside-script",
        "twice",
        "base-without-head",
        "in-a-comment",
        "in-a-template",
        "a-list-type",
        "microdata",
        "microdata-of-two-types",
    ],
)
def test_a_claim_page_without_exactly_one_claim_review_fails_the_build(
    project, capsys, files: dict[str, str], where: str, says: str
) -> None:
    """SPEC: every claim page carries exactly one ClaimReview; a site's template that loses it is told where."""
    root = with_templates(project("minimal"), files)
    status, out = build(root, capsys)
    assert status == 1
    assert f"templates/{where}: error: the page of fact-check 'bridge-cost' has {says}" in out
    assert "[claim-review]" in out
    assert not (root / "site").exists()


def test_a_fact_check_that_names_claim_review_in_its_text_builds(project, capsys) -> None:
    """Text is not markup: a fact-check about fact-check markup quotes "ClaimReview" and links schema.org's page.

    It had failed the build as a page with two or three ClaimReviews, blamed on the theme.
    """
    root = project("minimal")
    claims = root / "claims.yaml"
    text = claims.read_text(encoding="utf-8").replace(
        "  summary: The Gazette reports the same figure.",
        "  summary: 'The Gazette reports it; search engines read schema.org/ClaimReview, not \"ClaimReview\" in text.'",
    )
    text = text.replace(
        "  analysis: The mayor gave the figure ([Gazette](#gazette)).",
        "  analysis: |\n    The mayor gave the figure ([Gazette](#gazette)). See"
        ' [the type](https://schema.org/ClaimReview "itemtype=schema.org/ClaimReview") and "ClaimReview".\n'
        '    <span title=\'"@type": "ClaimReview"\'>"@type": "ClaimReview"</span>',
    )
    text = text.replace("  claim: The bridge cost 12 million euros.", "  claim: ClaimReview")
    claims.write_text(text, encoding="utf-8")
    assert build(root, capsys)[0] == 0
    page = (root / "site" / "claims" / "bridge-cost" / "index.html").read_text(encoding="utf-8")
    assert page.count("schema.org/ClaimReview") >= 3 and '"@type": "ClaimReview"' in page
    assert jsonld.claim_reviews_declared(page) == 1


def test_a_claim_review_in_a_site_template_of_its_own_shape_builds(project, capsys) -> None:
    """Single quotes, other attributes and another JSON-LD block (a breadcrumb) are the site's to choose."""
    head = (
        "<script type='application/ld+json' id=review>{{ claim_review }}</script>"
        '<script type="application/ld+json">{"@type": "BreadcrumbList"}</script>'
    )
    root = with_templates(project("minimal"), claim_head(head))
    assert build(root, capsys) == (0, "")
    assert "BreadcrumbList" in (root / "site" / "claims" / "bridge-cost" / "index.html").read_text(encoding="utf-8")
