"""feeds: Atom and JSON Feed read by real clients, corrections, drafts, escaping, reproducibility.

feedparser reads the Atom feed. feedparser 6.0 (the latest release) has no JSON Feed support, so the
JSON Feed is read by jsonfeed-util, a JSON Feed parser that rejects a feed missing required fields,
and its JSON Feed 1.1 fields are checked here as well.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import feedparser
import jsonfeed
import pytest
from bs4 import BeautifulSoup
from syndication import BASE, HOSTILE_CLAIM, SITE, json_of, library, outputs, text

from factpress.feeds import atom_feed, json_feed
from factpress.link import link_site
from factpress.load import load_project
from factpress.render import make_environment
from factpress.validate import validate_project

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")
NEWEST_FIRST = ["hostile-bridge", "long-bridge", "ivanova-bridge"]  # by last change: correction 9 March, update 8 March


@dataclasses.dataclass
class Entry:
    """One entry as a feed client saw it, whichever the format."""

    link: str
    title: str
    published: str
    updated: str
    html: str


def read_feed(data: bytes, name: str) -> list[Entry]:
    """The entries of feed.xml (through feedparser) or feed.json (through jsonfeed-util), in feed order."""
    if name == "feed.xml":
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert parsed.feed.title == "Fact & <Check> Desk"
        return [Entry(e.link, e.title, e.published, e.updated, e.content[0].value) for e in parsed.entries]
    feed = jsonfeed.Feed.parse_string(data.decode("utf-8"))
    assert feed.title == "Fact & <Check> Desk"
    return [Entry(i.url, i.title, i.date_published, i.date_modified, i.content_html) for i in feed.items]


def entries(name: str, **options) -> list[Entry]:
    return read_feed(outputs(**options)[name], name)


FEEDS = pytest.mark.parametrize("name", ["feed.xml", "feed.json"])


@FEEDS
def test_entries_are_newest_first_and_drafts_never_appear(name: str) -> None:
    assert [entry.link for entry in entries(name)] == [f"{BASE}claims/{i}/" for i in NEWEST_FIRST]
    assert b"draft" not in outputs()[name]


@FEEDS
def test_drafts_stay_out_even_in_a_drafts_preview(name: str) -> None:
    assert [entry.link for entry in entries(name, drafts=True)] == [f"{BASE}claims/{i}/" for i in NEWEST_FIRST]


@FEEDS
def test_hostile_text_comes_back_exactly_as_written(name: str) -> None:
    entry = entries(name)[0]
    assert entry.title == f"False: {HOSTILE_CLAIM}"
    content = BeautifulSoup(entry.html, "html.parser")
    assert content.find_all(["script", "img", "b", "textarea"]) == []
    assert content.blockquote.get_text() == HOSTILE_CLAIM


@FEEDS
def test_a_correction_updates_the_entry_and_appears_in_its_text(name: str) -> None:
    entry = entries(name)[0]
    assert entry.published.startswith("2025-03-05")
    assert entry.updated.startswith("2025-03-09")
    body = BeautifulSoup(entry.html, "html.parser").get_text(" ", strip=True)
    assert "Correction, 9 March 2025: Corrected the <cost> & the date. (Previous verdict: Half true.)" in body


def test_atom_feed_carries_authors_categories_and_the_card() -> None:
    parsed = feedparser.parse(outputs()["feed.xml"])
    entry = parsed.entries[0]
    assert [a.name for a in entry.authors] == ["The Desk", "Rita Reporter"]
    assert [(t.term, t.label) for t in entry.tags] == [("false", "False"), ("bridges", "Bridges")]
    enclosures = [link.href for link in entry.links if link.rel == "enclosure"]
    assert enclosures == [f"{BASE}cards/hostile-bridge.png"]
    assert parsed.feed.updated.startswith("2025-03-09")
    self_link = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_link == [f"{BASE}feed.xml"]


def test_atom_feed_is_well_formed_xml_in_the_atom_namespace() -> None:
    root = ET.fromstring(outputs()["feed.xml"])
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_json_feed_has_every_field_json_feed_1_1_requires() -> None:
    feed = json_of("feed.json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Fact & <Check> Desk"
    assert feed["home_page_url"] == BASE
    assert feed["feed_url"] == f"{BASE}feed.json"
    assert feed["language"] == "en"
    assert feed["authors"] == [{"name": "Fact & Check Ltd", "url": "https://checks.example.net/"}]
    for item in feed["items"]:
        assert isinstance(item["id"], str)
        assert item["id"]
        assert item.get("content_html") or item.get("content_text")
        assert RFC3339.match(item["date_published"])
        assert RFC3339.match(item["date_modified"])
        assert item["url"].startswith(BASE)
        assert item["image"].endswith(".png")
        assert all(set(a) <= {"name", "url", "avatar"} for a in item.get("authors", []))
    assert {item["language"] for item in feed["items"]} == {"en"}  # the review's language, though a claim is Russian
    assert any(item["title"].startswith("True: Мост") for item in feed["items"])


def test_feeds_are_byte_identical_across_builds() -> None:
    again = {o.path: o.content for o in atom_and_json(library())}
    assert again == {"feed.xml": outputs()["feed.xml"], "feed.json": outputs()["feed.json"]}


def atom_and_json(lib):
    env = make_environment(None)
    return [atom_feed(lib, env), json_feed(lib, env)]


def test_characters_xml_cannot_carry_are_dropped_not_written() -> None:
    site, _ = validate_project(load_project(SITE))
    claims = tuple(dataclasses.replace(c, claim=c.claim + " \x01bell\x0b", summary="Form\x0cfeed") for c in site.claims)
    lib = link_site(dataclasses.replace(site, claims=claims))
    atom, feed = atom_and_json(lib)
    root = ET.fromstring(atom.content)
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in root.iter("{http://www.w3.org/2005/Atom}entry")]
    assert all(t.endswith(" bell") for t in titles)
    assert len(read_feed(atom.content, "feed.xml")) == 3
    assert len(read_feed(feed.content, "feed.json")) == 3  # JSON escapes them (\u0001): nothing to drop


def test_a_site_without_fact_checks_still_has_valid_feeds() -> None:
    site, _ = validate_project(load_project(SITE))
    lib = link_site(dataclasses.replace(site, claims=()))
    atom, feed = atom_and_json(lib)
    assert read_feed(atom.content, "feed.xml") == []
    assert read_feed(feed.content, "feed.json") == []


def test_feed_text_is_the_feeds_files() -> None:
    assert text("feed.xml").startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed')
