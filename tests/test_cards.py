"""cards: the social card's SVG (wrapped, truncated, escaped) and its PNG (1200 x 630, same bytes everywhere)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from promptly import promptly
from syndication import HOSTILE_CLAIM, PUBLISHED, library, outputs, png_size, text

from factpress.cards import (
    CLAIM_SIZES,
    ELLIPSIS,
    FONT_REGULAR,
    PNG_END,
    PNG_SIGNATURE,
    badge_edge_colour,
    badge_text_colour,
    default_cache_dir,
    fit_text,
    font_metrics,
    rasterise,
    rasterise_all,
    relative_luminance,
    truncate_line,
    wrap_lines,
    xml_safe,
)

SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_root(claim_id: str) -> ET.Element:
    """The card's SVG parsed as XML: fails when escaping broke well-formedness."""
    return ET.fromstring(text(f"cards/{claim_id}.svg"))


def claim_lines(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG_NS}tspan")]


# -- wrapping and truncation --------------------------------------------------------------------


def test_wrap_keeps_every_line_within_the_width_and_every_word() -> None:
    sentence = "The mayor said the bridge cost twelve million euros, less than the council had planned"
    lines = wrap_lines(sentence, 500, 40)
    assert len(lines) > 1
    assert all(font_metrics(True).width(line, 40) <= 500 for line in lines)
    assert " ".join(lines) == sentence


def test_a_word_longer_than_a_line_is_broken_between_characters() -> None:
    url = "https://example.com/" + "a" * 200
    lines = wrap_lines(url, 400, 40)
    assert len(lines) > 1
    assert "".join(lines) == url
    assert all(font_metrics(True).width(line, 40) <= 400 for line in lines)


def test_truncation_cuts_at_a_word_boundary_and_adds_an_ellipsis() -> None:
    line = truncate_line("Twelve million euros, less than planned", 420, 40, force=True)
    assert line.endswith(ELLIPSIS)
    assert line[:-1] in {"Twelve million euros", "Twelve million", "Twelve"}
    assert not line[:-1].endswith((",", " "))


#: A site's title, a verdict's label or a claimant's name shortened to one line of the card: each cut was
#: measured whole, so the time grew with the square of the text (32,000 characters: 10 s).
LONG_LINES = {
    "one word": "W" * 300_000,
    "words": "W " * 150_000,
    "Arabic": "\u0628" * 200_000,
    "lam-alef and marks": "\u0644\u0627\u064e " * 50_000,
}


@pytest.mark.parametrize("line", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_a_line_of_any_length_is_shortened_to_the_card_in_one_pass(line: str) -> None:
    with promptly():
        shortened = truncate_line(line, 1000, 22, force=True)
    assert shortened.endswith(ELLIPSIS) and font_metrics(True).width(shortened, 22) <= 1000
    assert line.startswith(shortened[:-1])


ARABIC_PIECES = ["a", "W", " ", ",", "-", "\u2014", "\u0644", "\u0627", "\u0628", "\u0645", "\u064e", "\u0640"]
ARABIC_PIECES += ["\u200d", "\u200b", "\u0623", "\u06cc", "\u0301", "\u05d0", "\u2026"]


@given(st.lists(st.sampled_from(ARABIC_PIECES), max_size=30).map("".join))
def test_every_cut_of_a_line_is_measured_as_it_is_drawn(text: str) -> None:
    """Each cut's Arabic letters are measured in the forms they take in it (the last one no longer joins)."""
    metrics = font_metrics(True)
    assert metrics.cut_units(text, ELLIPSIS) == [metrics.units(text[:end] + ELLIPSIS) for end in range(len(text) + 1)]


def test_short_text_keeps_the_largest_size_and_long_text_is_truncated() -> None:
    size, lines = fit_text("The bridge cost 12 million euros.", 1056, 272)
    assert size == CLAIM_SIZES[0]
    assert " ".join(lines) == "The bridge cost 12 million euros."
    long_text = " ".join(["word"] * 400)
    size, lines = fit_text(long_text, 1056, 272)
    assert size == CLAIM_SIZES[-1]
    assert lines[-1].endswith(ELLIPSIS)
    assert len(lines) * size * 1.22 <= 272


def test_the_shipped_font_covers_cyrillic_so_it_is_measured_not_guessed() -> None:
    metrics = font_metrics(False)
    assert all(ord(ch) in metrics.advances for ch in "Мост обошёлся в евро")


def test_badge_text_contrasts_with_the_verdict_colour() -> None:
    assert badge_text_colour("#cf222e") == "#ffffff"
    assert badge_text_colour("#ffd33d") == "#1f2328"
    assert badge_text_colour("#fff") == "#1f2328"


def contrast(a: str, b: str) -> float:
    first, second = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (first + 0.05) / (second + 0.05)


@pytest.mark.parametrize("colour", ["#ff0000", "#777", "#777777", "#0a84ff", "#e66100", "#808080", "#21a366"])
def test_badge_text_reads_at_aa_contrast_on_mid_tones(colour: str) -> None:
    assert contrast(badge_text_colour(colour), colour) >= 4.5


def test_a_badge_close_to_the_page_gets_an_edge_that_shows_on_it() -> None:
    assert badge_edge_colour("#fff", "#ffffff") == "#1f2328"
    assert badge_edge_colour("#ffd33d", "#ffffff") == "#1f2328"
    assert badge_edge_colour("#111111", "#0d1117") == "#ffffff"
    assert [badge_edge_colour(c, "#ffffff") for c in ("#1a7f37", "#cf222e", "#57606a", "#111111")] == [""] * 4
    for page in ("#ffffff", "#0d1117"):  # every grey: an edge wherever the badge is under 3:1, and it is over 3:1
        for colour in (f"#{v:02x}{v:02x}{v:02x}" for v in range(256)):
            edge = badge_edge_colour(colour, page)
            assert bool(edge) == (contrast(colour, page) < 3), (colour, page)
            assert not edge or contrast(edge, page) >= 3, (colour, page)


def test_badge_text_reads_at_aa_contrast_on_every_grey_and_primary() -> None:
    colours = [f"#{v:02x}{v:02x}{v:02x}" for v in range(256)] + [f"#{v:02x}0000" for v in range(256)]
    colours += [f"#00{v:02x}00" for v in range(256)] + [f"#0000{v:02x}" for v in range(256)]
    assert [c for c in colours if contrast(badge_text_colour(c), c) < 4.5] == []


def test_xml_safe_drops_characters_xml_cannot_carry() -> None:
    assert xml_safe("a\x00b\x0bc\x1fd\ufffee\tf\ng") == "abcde\tf\ng"


# -- the SVG ------------------------------------------------------------------------------------


def test_hostile_claim_text_stays_text_in_the_svg() -> None:
    root = svg_root("hostile-bridge")
    assert " ".join(claim_lines(root)) == HOSTILE_CLAIM
    tags = {element.tag for element in root.iter()}
    assert tags <= {f"{SVG_NS}{name}" for name in ("svg", "title", "rect", "g", "text", "tspan")}
    assert root.find(f"{SVG_NS}title").text == f"False: {HOSTILE_CLAIM}"


def test_card_shows_verdict_claimant_date_and_site() -> None:
    texts = [t.text for t in svg_root("ivanova-bridge").iter(f"{SVG_NS}text") if t.text]
    assert texts == ["True", "Анна Иванова · 2 March 2025", "Fact & <Check> Desk"]


def test_a_long_claim_is_truncated_with_an_ellipsis_at_a_word_boundary() -> None:
    lines = claim_lines(svg_root("long-bridge"))
    claim = library().claims_by_id["long-bridge"].claim.claim
    assert lines[-1].endswith(ELLIPSIS)
    shown = " ".join(lines)[:-1]
    assert claim.startswith(shown)
    assert claim[len(shown)] == " "


def test_claim_text_carries_its_language() -> None:
    root = svg_root("ivanova-bridge")
    claim_text = next(t for t in root.iter(f"{SVG_NS}text") if t.find(f"{SVG_NS}tspan") is not None)
    assert claim_text.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"


# -- the PNG ------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_id", PUBLISHED)
def test_every_card_png_is_1200_by_630(claim_id: str) -> None:
    assert png_size(outputs()[f"cards/{claim_id}.png"]) == (1200, 630)


def test_png_is_the_same_bytes_for_the_same_svg() -> None:
    svg = text("cards/hostile-bridge.svg")
    assert rasterise(svg) == rasterise(svg) == outputs()["cards/hostile-bridge.png"]
    assert outputs()["cards/hostile-bridge.png"] != outputs()["cards/long-bridge.png"]


def _one_line(line: str, family: str = "DejaVu Sans") -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">'
        f'<text x="40" y="300" font-size="60" font-family="{family}">{line}</text></svg>'
    )


def test_cyrillic_is_drawn_with_the_shipped_font() -> None:
    blank = rasterise(_one_line(""))
    assert rasterise(_one_line("Мост обошёлся")) != blank


def test_system_fonts_are_never_used() -> None:
    """A family that is not shipped falls back to the shipped font, even where the system has it."""
    assert rasterise(_one_line("Bridge", "DejaVu Serif")) == rasterise(_one_line("Bridge"))


def test_the_cache_returns_the_same_png_without_drawing_again(tmp_path: Path) -> None:
    svg = text("cards/long-bridge.svg")
    first = rasterise_all([svg, svg], tmp_path)
    assert first[0] == first[1] == rasterise(svg)
    cached = list(tmp_path.rglob("*.png"))
    assert len(cached) == 1
    cached[0].write_bytes(PNG_SIGNATURE + b"from the cache" + PNG_END)
    assert rasterise_all([svg], tmp_path) == [PNG_SIGNATURE + b"from the cache" + PNG_END]
    for damaged in (b"not a png", rasterise(svg)[:100]):  # not a PNG; a PNG cut short (no IEND)
        cached[0].write_bytes(damaged)
        assert rasterise_all([svg], tmp_path) == [rasterise(svg)]
        assert cached[0].read_bytes() == rasterise(svg)


def test_the_cache_can_be_moved_or_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path / "cards"
    monkeypatch.setenv("FACTPRESS_CACHE_DIR", "off")
    assert default_cache_dir() is None
    monkeypatch.delenv("FACTPRESS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "factpress" / "cards"


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    svg = text("cards/long-bridge.svg")
    assert rasterise_all([svg], blocker) == [rasterise(svg)]


def test_the_font_and_its_licence_ship_with_the_package() -> None:
    assert FONT_REGULAR.stat().st_size > 100_000
    licence = (FONT_REGULAR.parent / "LICENSE").read_text()
    assert "Bitstream Vera Fonts Copyright" in licence
    assert "Arev Fonts Copyright" in licence
