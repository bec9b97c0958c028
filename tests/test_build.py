"""build: the whole pipeline on disk. Failed builds publish nothing, output is reproducible, links resolve."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from factpress import cli
from factpress.errors import ContentError, UsageError
from factpress.pipeline import BuildOptions, build_site
from factpress.write import SPARE_PREFIX

SITES = Path(__file__).parent / "sites"
CLAIM_REVIEW_FIELDS = {"claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished", "url"}


def hashes(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under folder, by relative path (folders named in skip left out)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not rel.startswith(skip):
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def build(root: Path, out: Path, **options) -> Path:
    return build_site(BuildOptions(root, out, search=options.pop("search", False), **options)).out


def pages(folder: Path) -> dict[str, BeautifulSoup]:
    """Every HTML page of a built site (the Pagefind bundle left out), parsed, by site path."""
    found = {}
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith("pagefind/"):
            continue
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        found[url] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return found


# -- publishing only what succeeded ------------------------------------------------------------


def test_a_failed_build_leaves_the_previous_site_untouched(project) -> None:
    root = project("minimal")
    out = root / "site"
    build(root, out)
    before = hashes(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text().replace("verdict: true", "verdict: ture"))
    with pytest.raises(ContentError):
        build(root, out)
    assert hashes(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes
    left = sorted(p.name for p in root.iterdir() if not p.name.startswith(SPARE_PREFIX))  # (the previous site, kept)
    assert left == ["claims.yaml", "content", "site"]  # no staging left over


def test_a_build_failing_while_rendering_leaves_the_previous_site_untouched(project) -> None:
    root = project("minimal")
    out = root / "site"
    build(root, out)
    before = hashes(out)
    (root / "templates").mkdir()
    (root / "templates" / "claim.html").write_text("{{ claim.no_such_field }}\n")  # StrictUndefined fails
    with pytest.raises(ContentError) as raised:  # a site template's mistake is reported at its line
        build(root, out)
    assert "no_such_field" in raised.value.problems[0].message
    assert hashes(out) == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site-")]


def test_a_failed_cli_build_exits_1_and_keeps_the_site(project, capsys) -> None:
    root = project("minimal")
    out = root / "site"
    assert cli.main(["build", "--root", str(root), "--no-search", "-q"]) == 0
    before = hashes(out)
    (root / "content/verdicts.yaml").write_text("- {key: true\n")
    assert cli.main(["build", "--root", str(root), "--no-search", "-q"]) == 1
    err = capsys.readouterr().err
    assert "content/verdicts.yaml:" in err
    assert "[yaml-syntax]" in err
    assert hashes(out) == before


def test_a_rebuild_replaces_the_site_and_removes_stale_pages(project) -> None:
    root = project("minimal")
    out = root / "site"
    build(root, out)
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text().replace("bridge-cost", "bridge-price"))
    build(root, out)
    assert (out / "claims/bridge-price/index.html").is_file()
    assert not (out / "claims/bridge-cost").exists()


# -- refusing dangerous output folders ---------------------------------------------------------


def test_out_may_not_be_the_project_itself(project, capsys) -> None:
    root = project("minimal")
    before = hashes(root)
    assert cli.main(["build", "--root", str(root), "--out", str(root), "--no-search"]) == 2
    assert "would replace the site project" in capsys.readouterr().err
    assert cli.main(["build", "--root", str(root), "--out", str(root.parent), "--no-search"]) == 2
    assert hashes(root) == before


def test_out_may_not_be_a_folder_factpress_did_not_build(project, tmp_path: Path, capsys) -> None:
    root = project("minimal")
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.txt").write_text("years of work\n")
    assert cli.main(["build", "--root", str(root), "--out", str(other), "--no-search"]) == 2
    assert "was not built by factpress" in capsys.readouterr().err
    assert (other / "thesis.txt").read_text() == "years of work\n"
    with pytest.raises(UsageError):
        build(root, other)


def test_out_may_be_an_empty_folder_or_an_earlier_build(project, tmp_path: Path) -> None:
    root = project("minimal")
    empty = tmp_path / "empty"
    empty.mkdir()
    build(root, empty)
    build(root, empty)
    assert (empty / "index.html").is_file()


# -- reproducible output -----------------------------------------------------------------------


def test_two_builds_of_the_sample_are_byte_identical(sample_root: Path, tmp_path: Path) -> None:
    first = build(sample_root, tmp_path / "first", search=True)
    second = build(sample_root, tmp_path / "second", search=True)
    first_files = hashes(first, skip=("pagefind/",))
    second_files = hashes(second, skip=("pagefind/",))
    assert first_files == second_files
    assert len(first_files) > 50
    assert (second / "pagefind").is_dir()


def test_two_builds_from_different_folders_are_byte_identical(project, tmp_path: Path) -> None:
    one = build(project("full"), tmp_path / "one")
    other_root = tmp_path / "elsewhere" / "copy"
    shutil.copytree(SITES / "full", other_root)
    two = build(other_root, tmp_path / "two")
    assert hashes(one) == hashes(two)


# -- base URL ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sub_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full site built with --base-url https://example.com/sub/; its own host kept out of every other field."""
    tmp_path = tmp_path_factory.mktemp("sub")
    root = tmp_path / "full"
    shutil.copytree(SITES / "full", root)
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(
        site_yaml.read_text()
        .replace("url: https://full.example.org/, logo", "url: https://owner.example.net/, logo")
        .replace("desk@full.example.org", "desk@owner.example.net")
    )
    out = tmp_path / "sub"
    assert (
        cli.main(["build", "--root", str(root), "--out", str(out), "--base-url", "https://example.com/sub/", "-q"]) == 0
    )
    return out


def test_the_base_url_is_in_every_absolute_url(sub_site: Path) -> None:
    for path in sub_site.rglob("*"):
        rel = path.relative_to(sub_site).as_posix()
        if (
            path.is_file()
            and path.suffix in (".html", ".xml", ".json", ".txt", ".svg", ".css")
            and "pagefind" not in rel
        ):
            assert "full.example.org" not in path.read_text(encoding="utf-8"), path
    for url, soup in pages(sub_site).items():
        canonical = soup.find("link", rel="canonical")
        if canonical is not None:
            assert canonical["href"].startswith("https://example.com/sub/"), url
        for meta in soup.find_all("meta", property="og:url"):
            assert meta["content"].startswith("https://example.com/sub/"), url
    sitemap = ElementTree.parse(sub_site / "sitemap.xml").getroot()
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs
    assert all(loc.startswith("https://example.com/sub/") for loc in locs)
    assert "Sitemap: https://example.com/sub/sitemap.xml" in (sub_site / "robots.txt").read_text()


def test_the_base_url_is_in_the_claim_review(sub_site: Path) -> None:
    soup = pages(sub_site)["/claims/bridge-cost/"]
    review = json.loads(soup.find("script", type="application/ld+json").string)
    assert review["url"] == "https://example.com/sub/claims/bridge-cost/"
    assert review["publisher"]["logo"]["url"] == "https://example.com/sub/static/logo.svg"
    assert review["itemReviewed"]["author"]["url"] == "https://example.com/sub/people/jane-doe/"


def test_internal_links_get_the_base_path(sub_site: Path) -> None:
    for url, soup in pages(sub_site).items():
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            target = tag.get("href") or tag.get("src")
            if target.startswith("/"):
                assert target.startswith("/sub/"), (url, target)
    assert_links_resolve(sub_site, prefix="/sub/")


def test_a_base_url_option_without_its_final_slash_is_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    argv = ["build", "--root", str(SITES / "minimal"), "--out", str(out), "--no-search", "-q"]
    assert cli.main([*argv, "--base-url", "https://staging.example.net/preview"]) == 0
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.find("link", rel="canonical")["href"] == "https://staging.example.net/preview/"
    assert home.find("link", rel="stylesheet")["href"].startswith("/preview/static/")
    assert_links_resolve(out, prefix="/preview/")


@pytest.mark.parametrize(
    ("written", "option", "canonical"),
    [
        ("HTTPS://Minimal.Example.ORG:443/", None, "https://minimal.example.org/"),
        (
            "https://minimal.example.org/",
            "http://Staging.Example.NET:80/Preview",
            "http://staging.example.net/Preview/",
        ),
        ("https://minimal.example.org/", "https://staging.example.net:8443/", "https://staging.example.net:8443/"),
    ],
)
def test_a_base_url_is_published_with_its_host_in_lower_case_and_no_default_port(
    tmp_path: Path, project, written: str, option: str | None, canonical: str
) -> None:
    """`https://Example.ORG:443/` and `https://example.org/` are one address: links must name it one way."""
    root = project("minimal")
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("base_url: https://minimal.example.org/", f"base_url: {written}")
    )
    out = tmp_path / "out"
    argv = ["build", "--root", str(root), "--out", str(out), "--no-search", "-q"]
    assert cli.main([*argv, *(["--base-url", option] if option else [])]) == 0
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.find("link", rel="canonical")["href"] == canonical
    assert f"<loc>{canonical}claims/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("base_url", "says"),
    [
        ("https://example.org/?utm=1", "has a query"),
        ("https://example.org/index.html", "names a page"),
        ("ftp://x/", ""),
        ("", "--base-url is empty"),  # (an unset variable in a script: not site.yaml's address, silently)
        ("  ", "--base-url is empty"),
        ("https://example.org//", "empty or dot folder"),
    ],
)
def test_a_base_url_option_that_is_not_a_site_folder_is_a_usage_error(tmp_path: Path, capsys, base_url, says) -> None:
    argv = ["build", "--root", str(SITES / "minimal"), "--out", str(tmp_path / "out"), "--no-search", "-q"]
    assert cli.main([*argv, "--base-url", base_url]) == 2
    assert says in capsys.readouterr().err and not (tmp_path / "out").exists()


# -- links and ClaimReview of the sample site --------------------------------------------------


def assert_links_resolve(folder: Path, prefix: str = "/") -> None:
    """Every internal href and src resolves to a file, and every #fragment to an id on that page."""
    site = pages(folder)
    broken = []
    for url, soup in site.items():
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            target = tag.get("href") if tag.has_attr("href") else tag.get("src")
            parts = urlsplit(urljoin(prefix + url.lstrip("/"), target))
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "data:")):
                continue
            assert parts.path.startswith(prefix), (url, target)
            rel = unquote(parts.path[len(prefix) :])
            file = folder / rel
            if rel == "" or rel.endswith("/") or file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append((url, target))
                continue
            fragment = unquote(parts.fragment)
            if fragment and not fragment.startswith(":~:") and file.suffix == ".html":
                page_url = "/" + file.relative_to(folder).as_posix().removesuffix("index.html")
                if site[page_url].find(id=fragment) is None:
                    broken.append((url, target))
    assert broken == []


def test_every_internal_link_of_the_sample_resolves(built_site: Path) -> None:
    assert_links_resolve(built_site)


def test_every_asset_a_stylesheet_names_resolves(built_site: Path) -> None:
    for css in built_site.rglob("*.css"):
        if css.relative_to(built_site).as_posix().startswith("pagefind/"):
            continue
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if target.startswith(("data:", "#", "http:", "https:")):
                continue
            path = urlsplit(target).path
            file = built_site / path.lstrip("/") if path.startswith("/") else css.parent / path
            assert file.resolve().is_file(), (css.name, target)


def test_the_link_checker_finds_a_broken_link(tmp_path: Path, project) -> None:
    out = build(project("minimal"), tmp_path / "out")
    page = out / "claims/bridge-cost/index.html"
    page.write_text(page.read_text().replace('href="#corrections"', 'href="#nowhere"').replace(
        "</main>", '<a href="/no/such/page/">x</a><a href="#missing-id">y</a></main>'))  # fmt: skip
    with pytest.raises(AssertionError, match="no/such/page"):
        assert_links_resolve(out)


def claim_reviews(folder: Path) -> dict[str, dict]:
    """The one ClaimReview of each claim page, by claim id."""
    found = {}
    for url, soup in pages(folder).items():
        if not url.startswith("/claims/") or url == "/claims/":
            continue
        scripts = soup.find_all("script", type="application/ld+json")
        reviews = [json.loads(s.string) for s in scripts]
        reviews = [r for r in reviews if r.get("@type") == "ClaimReview"]
        assert len(reviews) == 1, url
        found[url.split("/")[2]] = reviews[0]
    return found


def test_every_claim_page_of_the_sample_has_a_complete_claim_review(built_site: Path, data_regression) -> None:
    reviews = claim_reviews(built_site)
    assert len(reviews) >= 8
    for claim_id, review in reviews.items():
        assert set(review) >= CLAIM_REVIEW_FIELDS, claim_id
        assert review["url"] == f"https://factcheck.example.org/claims/{claim_id}/"
        rating = review["reviewRating"]
        assert rating["alternateName"]
        assert rating["ratingExplanation"]
        numbers = {"ratingValue", "bestRating", "worstRating"} & set(rating)
        assert numbers in (set(), {"ratingValue", "bestRating", "worstRating"}), claim_id
        if numbers:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"]
        assert item["datePublished"]
        assert item.get("appearance"), claim_id
        assert review["author"]
    data_regression.check(reviews)


def test_the_corrections_log_does_not_say_verdict_twice_to_a_screen_reader(built_site: Path) -> None:
    """'Verdict now: False' there: the badge's own hidden 'Verdict:' label is left out; elsewhere it stays."""
    from bs4 import BeautifulSoup

    log = BeautifulSoup((built_site / "corrections" / "index.html").read_text(encoding="utf-8"), "html.parser")
    badges = log.select(".verdict-badge")
    assert badges and not any(b.select(".visually-hidden") for b in badges)
    assert "Verdict now: " in log.get_text()
    claim = next((built_site / "claims").glob("*/index.html"))
    page = BeautifulSoup(claim.read_text(encoding="utf-8"), "html.parser")
    assert page.select(".verdict-badge .visually-hidden")


def test_a_static_file_taking_the_name_of_one_the_build_writes_is_an_error(project, tmp_path, capsys) -> None:
    root = project("full")
    (root / "static/verdicts.css").write_text(".verdict-true { background: pink }\n")
    (root / "static/extra.css").write_text("body {}\n")  # a name of its own is fine
    out = tmp_path / "out"
    assert cli.main(["build", "--root", str(root), "--out", str(out), "--no-search"]) == 1
    captured = capsys.readouterr()
    report = captured.out + captured.err
    assert "static/verdicts.css: error: static/verdicts.css is written by factpress" in report
    assert "[reserved-name]" in report
    assert not out.exists()
    (root / "static/verdicts.css").unlink()
    assert cli.main(["build", "--root", str(root), "--out", str(out), "--no-search"]) == 0
    assert (out / "static/extra.css").is_file()
