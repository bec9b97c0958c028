"""render: pages parsed with BeautifulSoup, the ClaimReview JSON-LD strictly, and snapshots of the full site."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from factpress.jsonld import json_for_script
from factpress.link import Library, link_site
from factpress.load import load_project
from factpress.render import PAGE_COLOURS, OutputFile, render_site, verdicts_css
from factpress.validate import validate_project

SITES = Path(__file__).parent / "sites"
FULL = SITES / "full"


def link(raw) -> Library:
    site, problems = validate_project(raw)
    assert [p for p in problems if p.is_error] == []
    return link_site(site)


def render(library: Library, templates: Path | None = None) -> dict[str, OutputFile]:
    return {o.path: o for o in render_site(library, templates)}


@cache
def full_site() -> dict[str, OutputFile]:
    """The full test site rendered in memory (its own templates/ included), once per session."""
    return {o.path: o for o in render_site(link(load_project(FULL)), FULL / "templates", FULL / "static")}


def soup_of(outputs: dict[str, OutputFile], path: str) -> BeautifulSoup:
    return BeautifulSoup(outputs[path].content.decode("utf-8"), "html.parser")


def full_page(path: str) -> BeautifulSoup:
    return soup_of(full_site(), path)


def claim_review(soup: BeautifulSoup) -> dict:
    """The one ClaimReview on a page; fails when there are none or several."""
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@type"] == "ClaimReview"
    return data


# -- the claim page ----------------------------------------------------------------------------


def test_claim_page_shows_the_claim_and_its_verdict() -> None:
    soup = full_page("claims/bridge-cost/index.html")
    assert soup.find("h1").get_text(strip=True) == "The bridge cost 12 million euros."
    badge = soup.select_one(".verdict-box .verdict-badge")
    assert "verdict-misleading" in badge["class"]
    assert badge.get_text(" ", strip=True) == "Misleading"  # a label, not only a colour
    # labelled once, by the words a reader sees: a hidden "Verdict:" repeated them to screen readers and in search
    assert soup.select_one(".verdict-line").get_text(" ", strip=True) == "Our verdict Misleading"
    assert soup.select_one(".summary").get_text(strip=True).startswith("Construction cost 12 million euros")
    assert soup.select_one(".claimant-line a")["href"] == "/people/jane-doe/"
    assert soup.select_one(".claimant-line time")["datetime"] == "2025-03-01"


def test_claim_page_lists_each_excerpt_with_its_source() -> None:
    soup = full_page("claims/bridge-cost/index.html")
    items = soup.select(".evidence-list > li")
    assert [li["id"] for li in items] == ["evidence-1", "evidence-2"]
    assert items[0].find("blockquote").get_text(strip=True) == (
        'The mayor said the bridge cost 12 million euros, "less than we feared"'
    )
    assert items[0].find("figcaption").find("a")["href"] == "/sources/gazette-bridge/"
    links = [a["href"] for a in items[0].select(".evidence-links a")]
    assert links[0] == "/sources/gazette-bridge/#excerpt-bridge-cost-1"
    assert links[1].startswith("https://gazette.example.com/bridge#:~:text=")
    assert links[2] == "https://archive.example.org/gazette-bridge"


def test_claim_page_shows_corrections_with_the_previous_verdict() -> None:
    soup = full_page("claims/bridge-cost/index.html")
    (item,) = soup.select("#corrections li")
    assert item["id"] == "correction-1"
    assert item.find("time")["datetime"] == "2025-03-08"
    assert item.select_one(".previous").get_text(strip=True) == "(Previous verdict: True.)"


def test_analysis_citations_link_to_the_evidence() -> None:
    soup = full_page("claims/bridge-cost/index.html")
    prose = soup.select_one("section[aria-labelledby=analysis-title] .prose")
    hrefs = [a["href"] for a in prose.find_all("a")]
    assert hrefs == ["#evidence-1", "#evidence-2"]
    assert prose.find("strong").get_text() == "3 million euros"


def test_a_claim_in_another_language_carries_its_lang() -> None:
    soup = full_page("claims/pont-deux-fois-plus-cher/index.html")
    assert soup.find("html")["lang"] == "en"  # the page keeps the site's language
    quote = soup.select_one("h1 .quote")
    assert quote["lang"] == "fr"
    assert quote.get_text(strip=True) == "Le pont a coûté deux fois plus cher que prévu."


def test_every_page_with_open_graph_tags_gives_their_locale() -> None:
    tagged = 0
    for path, output in full_site().items():
        soup = BeautifulSoup(output.content, "html.parser") if path.endswith(".html") else None
        if soup is None or soup.find("meta", property="og:title") is None:
            continue
        tagged += 1
        assert [m["content"] for m in soup.find_all("meta", property="og:locale")] == ["en"], path
    assert tagged > 20 and "claims/bridge-price/index.html" in full_site()  # the moved page's preview too


def test_open_graph_gives_a_territory_as_language_underscore_territory(raw_project) -> None:
    site = (SITES / "minimal/content/site.yaml").read_text().replace("language: en", "language: pt-BR")
    outputs = render(link(raw_project({"content/site.yaml": site})))
    soup = soup_of(outputs, "claims/bridge-cost/index.html")
    assert soup.find("html")["lang"] == "pt-BR"
    assert soup.find("meta", property="og:locale")["content"] == "pt_BR"


def test_drafts_are_not_rendered() -> None:
    outputs = full_site()
    assert "claims/bridge-named-after-river/index.html" not in outputs
    home = full_page("index.html")
    assert "/claims/bridge-named-after-river/" not in {a.get("href") for a in home.find_all("a")}


def test_the_site_template_overrides_the_theme() -> None:
    soup = full_page("about/index.html")
    assert soup.select_one("article.newsroom-page h1").get_text() == "About us"
    assert soup.select_one(".newsroom-note") is not None
    assert full_page("methodology/index.html").select_one(".newsroom-note") is not None
    # other templates still come from the built-in theme
    assert full_page("index.html").select_one(".newsroom-note") is None


def test_the_corrections_log_lists_every_correction_newest_first() -> None:
    soup = full_page("corrections/index.html")
    main = soup.find("main")
    claim_links = [a["href"] for a in main.find_all("a") if a["href"].startswith("/claims/") and "#" in a["href"]]
    assert claim_links == ["/claims/bridge-cost/#correction-1", "/claims/bridge-opened-on-time/#correction-1"]


# -- ClaimReview -------------------------------------------------------------------------------


def test_claim_review_of_a_rated_verdict() -> None:
    review = claim_review(full_page("claims/bridge-cost/index.html"))
    assert review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == "The bridge cost 12 million euros."
    assert review["url"] == "https://full.example.org/claims/bridge-cost/"
    assert review["datePublished"] == "2025-03-05"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Misleading",
        "ratingValue": 2,
        "bestRating": 4,
        "worstRating": 1,
        "ratingExplanation": "Construction cost 12 million euros, but the approach roads added 3 million more.",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["datePublished"] == "2025-03-01"
    assert item["author"]["name"] == "Jane Doe"
    assert item["author"]["sameAs"] == "https://www.wikidata.org/wiki/Q4115189"
    assert item["appearance"][0]["url"] == "https://council.example.com/speech"
    assert review["author"] == review["publisher"]  # Fact Check Explorer credits author.name: the newsroom
    assert review["author"]["name"] == "Full Feature Fact Check"
    assert [a["name"] for a in review["contributor"]] == ["The Full Desk", "Sam Lee"]  # as the page credits them


def test_claim_review_of_a_verdict_outside_the_scale_has_no_numbers() -> None:
    review = claim_review(full_page("claims/pont-deux-fois-plus-cher/index.html"))
    rating = review["reviewRating"]
    assert rating["alternateName"] == "Unproven"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)
    assert rating["ratingExplanation"] == (
        "Ms Dupont gave no figures, and the council's own figures do not show a doubling."
    )
    assert review["inLanguage"] == "en"  # the review is the site's, in English
    assert review["itemReviewed"]["inLanguage"] == "fr"  # the claim was made in French
    assert review["itemReviewed"]["datePublished"] == "2025"
    assert "sameAs" not in review["itemReviewed"]["author"]


def test_claim_review_of_a_claimant_organization_with_a_url() -> None:
    review = claim_review(full_page("claims/bridge-opened-on-time/index.html"))
    author = review["itemReviewed"]["author"]
    assert author["@type"] == "Organization"
    assert author["url"] == "https://council.example.com/"
    assert review["author"]["name"] == "Full Feature Fact Check"
    assert review["contributor"]["name"] == "Sam Lee"


def test_claim_review_lists_every_appearance_and_the_earliest_as_the_first() -> None:
    """A radio interview has no address but is where the claim was first made: Google accepts a name alone."""
    from factpress.jsonld import appearance_ld, first_appearance
    from factpress.model import Appearance, PartialDate

    radio = Appearance("Radio interview", date=PartialDate(2025, 2, 20))
    speech = Appearance("Speech", "https://example.org/speech", date=PartialDate(2025, 3, 1))
    undated = Appearance("Leaflet")
    assert first_appearance([speech, radio, undated]) is radio
    assert first_appearance([undated, Appearance("Poster")]).title == "Leaflet"
    assert first_appearance([Appearance("Sometime", date=PartialDate(2025)), radio]) is radio  # (2025 may be December)
    assert first_appearance([Appearance("Last year", date=PartialDate(2024)), radio]).title == "Last year"
    assert appearance_ld(radio) == {"@type": "CreativeWork", "name": "Radio interview", "datePublished": "2025-02-20"}
    assert appearance_ld(speech)["url"] == "https://example.org/speech"


def test_only_claim_pages_carry_a_claim_review() -> None:
    for path, output in full_site().items():
        if not path.endswith(".html") or (path.startswith("claims/") and path != "claims/index.html"):
            continue
        soup = BeautifulSoup(output.content, "html.parser")
        assert soup.find("script", type="application/ld+json") is None or "ClaimReview" not in (
            soup.find("script", type="application/ld+json").string or ""
        ), path


HOSTILE = "</script><script>alert(1)</script><!-- & é"


def test_hostile_text_cannot_close_the_json_ld_script(raw_project) -> None:
    claims = (SITES / "minimal" / "claims.yaml").read_text()
    claims = claims.replace("claim: The bridge cost 12 million euros.", f"claim: '{HOSTILE}'")
    claims = claims.replace("summary: The Gazette reports the same figure.", "summary: '</SCRIPT >x'")
    people = (SITES / "minimal/content/people.yaml").read_text().replace("name: Jane Doe", "name: '<b>Jane</b>'")
    outputs = render(link(raw_project({"claims.yaml": claims, "content/people.yaml": people})))
    html = outputs["claims/bridge-cost/index.html"].content.decode()
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert not any("alert" in (s.string or "") and s.get("type") != "application/ld+json" for s in scripts)
    review = claim_review(soup)
    assert review["claimReviewed"] == HOSTILE
    assert review["reviewRating"]["ratingExplanation"] == "</SCRIPT >x"
    assert review["itemReviewed"]["author"]["name"] == "<b>Jane</b>"
    raw_script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw_script
    assert soup.find("h1").get_text().split() == HOSTILE.split()  # shown as text, escaped
    assert soup.find("b") is None


def test_json_for_script_escapes_what_could_end_or_confuse_a_script() -> None:
    value = {"a": "</script><!--<script>\u2028\u2029&"}
    text = json_for_script(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


# -- other pages -------------------------------------------------------------------------------


def test_person_page_tallies_verdicts() -> None:
    soup = full_page("people/riverton-council/index.html")
    assert soup.find("h1").get_text(strip=True) == "Riverton City Council"
    rows = [
        (row.find("th").get_text(" ", strip=True), row.find("td").get_text(strip=True))
        for row in soup.select("table.tally tbody tr")
    ]
    assert rows == [("Verdict: False", "1")]  # the draft rated True is not counted
    links = {a["href"] for a in soup.find("main").find_all("a")}
    assert "/claims/bridge-opened-on-time/" in links
    assert "/claims/bridge-named-after-river/" not in links  # a draft


def test_source_page_shows_the_archived_text_and_each_excerpt_in_context() -> None:
    soup = full_page("sources/gazette-bridge/index.html")
    assert soup.find("h1").get_text(strip=True) == "The Gazette reports the bridge opening"
    for anchor in ("excerpt-bridge-cost-1", "excerpt-bridge-opened-on-time-1"):
        assert soup.find(id=anchor) is not None, anchor
    links = {a["href"] for a in soup.find("main").find_all("a")}
    assert {"/claims/bridge-cost/", "/claims/bridge-opened-on-time/"} <= links


def test_a_site_card_template_sees_the_page_it_is_listed_on(tmp_path: Path) -> None:
    """Theme cards are rendered once per claim; a site's own card may read the page, so it is rendered each time."""
    (tmp_path / "_claim_card.html").write_text('<p class="mine" data-page="{{ page_path }}">{{ claim.id }}</p>\n')
    outputs = render(link(load_project(FULL)), tmp_path)
    for path in ("index.html", "claims/index.html", "verdicts/misleading/index.html"):
        cards = soup_of(outputs, path).select("li > p.mine")
        assert cards and {card["data-page"] for card in cards} == {"/" + path.removesuffix("index.html")}


def test_listing_cards_take_the_heading_level_of_their_list() -> None:
    assert full_page("index.html").select("li h3.claim-card-title")
    assert not full_page("index.html").select("li h2.claim-card-title")
    assert full_page("claims/index.html").select("li h2.claim-card-title")
    assert not full_page("claims/index.html").select("li h3.claim-card-title")


def test_verdict_and_topic_pages_list_their_claims() -> None:
    verdict = full_page("verdicts/misleading/index.html")
    assert "/claims/bridge-cost/" in {a["href"] for a in verdict.find("main").find_all("a")}
    topic = full_page("topics/budget/index.html")
    hrefs = [a["href"] for a in topic.find("main").find_all("a") if a["href"].startswith("/claims/")]
    assert hrefs.index("/claims/pont-deux-fois-plus-cher/") < hrefs.index("/claims/bridge-cost/")  # newest first


def test_every_page_has_one_h1_a_title_and_a_canonical_url() -> None:
    for path, output in full_site().items():
        if not path.endswith(".html") or path.startswith("embed/"):  # embeds are cards for iframes
            continue
        soup = BeautifulSoup(output.content, "html.parser")
        assert len(soup.find_all("h1")) == 1, path
        assert soup.find("title").get_text(strip=True), path
        canonical = soup.find("link", rel="canonical")
        assert canonical["href"].startswith("https://full.example.org/"), path


# -- snapshots ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("claim", "claims/bridge-cost/index.html"),
        ("source", "sources/gazette-bridge/index.html"),
        ("person", "people/jane-doe/index.html"),
        ("home", "index.html"),
    ],
)
def test_page_snapshot(name: str, path: str, file_regression) -> None:
    main = full_page(path).find("main")
    file_regression.check(main.prettify(), extension=".html", basename=f"full-{name}")


def test_output_paths_snapshot(data_regression) -> None:
    data_regression.check(sorted(full_site()))


# -- verdict colours -------------------------------------------------------------------------------

STYLE = Path(__file__).parent.parent / "factpress/static/style.css"


def verdicts_css_of(raw_project, *colours: str) -> str:
    keys = ["true", "false", "unproven"]
    lines = [f'- {{key: "{k}", label: "{k}", colour: "{c}", meaning: M.}}' for k, c in zip(keys, colours, strict=False)]
    library = link(raw_project({"content/verdicts.yaml": "\n".join(lines) + "\n"}))
    return verdicts_css(library).content.decode()


def test_ordinary_verdict_colours_get_no_edge(raw_project) -> None:
    assert verdicts_css_of(raw_project, "#1a7f37", "#cf222e", "#8a5a00") == (
        ".verdict-true { --verdict: #1a7f37; --verdict-ink: #ffffff; }\n"
        ".verdict-false { --verdict: #cf222e; --verdict-ink: #ffffff; }\n"
        ".verdict-unproven { --verdict: #8a5a00; --verdict-ink: #ffffff; }\n"
    )


def test_a_verdict_colour_close_to_the_page_gets_an_edge_in_that_colour_scheme_only(raw_project) -> None:
    assert verdicts_css_of(raw_project, "#fff", "#111111", "#cf222e") == (
        ".verdict-true { --verdict: #fff; --verdict-ink: #1f2328; --verdict-edge: #1f2328; }\n"
        ".verdict-false { --verdict: #111111; --verdict-ink: #ffffff; }\n"
        ".verdict-unproven { --verdict: #cf222e; --verdict-ink: #ffffff; }\n"
        "@media (prefers-color-scheme: dark) {\n"
        "  .verdict-true { --verdict-edge: initial; }\n"  # white shows on the dark page
        "  .verdict-false { --verdict-edge: #ffffff; }\n"
        "}\n"
    )


def test_the_theme_draws_the_edge_around_badges_and_the_verdict_panel() -> None:
    css = STYLE.read_text(encoding="utf-8")
    badge = css[css.index(".verdict-badge {") : css.index("}", css.index(".verdict-badge {"))]
    assert "box-shadow: inset 0 0 0 1px var(--verdict-edge)" in badge
    assert ".verdict-box { border: 2px solid var(--verdict-edge, var(--verdict, var(--line)))" in css
    schemes = css.split("prefers-color-scheme: dark")[:2]
    light, dark = (scheme.split("--paper:")[1].split(";")[0].strip() for scheme in schemes)
    assert {"light": light, "dark": dark} == PAGE_COLOURS  # what verdicts.css measures against is the theme's page
