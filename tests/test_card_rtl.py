"""Social cards of right-to-left sites and claims: mirrored, right-aligned, ordered by Unicode's isolates.

resvg ignores SVG's `direction` and `unicode-bidi` (checked with resvg_py 0.5.0): it lays every text
out left to right, so the cards write a right-to-left line as RLI line PDI (U+2067 ... U+2069), anchored
at its end (`text-anchor="end"` at the right margin). Left-to-right cards are the bytes they always were.
"""

from __future__ import annotations

import functools
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from syndication import PUBLISHED, outputs, text
from test_card_fonts import make_font

from factpress.cards import META_SIZE, TEXT_WIDTH, font_metrics, rasterise
from factpress.link import link_site
from factpress.load import load_project
from factpress.render import render_site
from factpress.validate import validate_project

SVG = "{http://www.w3.org/2000/svg}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RLI, FSI, PDI = "\u2067", "\u2068", "\u2069"
GOLDEN = Path(__file__).parent / "test_card_rtl"
ARABIC = 'كلف الجسر 12 مليون يورو (حسب العمدة) "تقريبا".'
HEBREW = "הגשר עלה 12 מיליון יורו (לדברי ראש העיר)."
RIGHT, LEFT = 1128, 72


def site(root: Path, language: str, title: str, claim: str, claim_language: str = "") -> Path:
    """The full test site in `language`, its bridge-cost claim replaced (in `claim_language` when given).

    Its other claim, bridge-opened-on-time, says it is in English.
    """
    config = root / "content" / "site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("language: en", f"language: {language}")
        .replace("title: Full Feature Fact Check", f"title: {title}"),
        encoding="utf-8",
    )
    claims = root / "content" / "claims" / "bridge.yaml"
    quoted = claim.replace('"', '\\"')
    replacement = f'  claim: "{quoted}"' + (f"\n  language: {claim_language}" if claim_language else "")
    content = claims.read_text(encoding="utf-8").replace("  claim: The bridge cost 12 million euros.", replacement, 1)
    english = "  claim: The bridge opened on time."
    claims.write_text(content.replace(english, f"{english}\n  language: en", 1), encoding="utf-8")
    return root


def cards_of(root: Path) -> dict[str, bytes]:
    """The site's card SVGs and PNGs, rendered in memory."""
    built, problems = validate_project(load_project(root))
    assert [p for p in problems if p.is_error] == []
    rendered = render_site(link_site(built))
    return {o.path: o.content for o in rendered if o.path.startswith("cards/") and o.content is not None}


def parsed(cards: dict[str, bytes], claim_id: str) -> ET.Element:
    return ET.fromstring(cards[f"cards/{claim_id}.svg"])


def texts(root: ET.Element) -> list[ET.Element]:
    """The card's <text> elements: badge, claim, claimant line, site name."""
    return list(root.iter(f"{SVG}text"))


def line_spans(element: ET.Element) -> list[ET.Element]:
    """The positioned lines of a <text> (not the font pieces inside an RTL line)."""
    return list(element.findall(f"{SVG}tspan"))


def full_text(span: ET.Element) -> str:
    return "".join(span.itertext())


def assert_rtl_line(element: ET.Element, x: float) -> None:
    """Anchored at its end at x, each line one isolate, and no `direction` (which browsers honour and resvg not)."""
    assert element.get("text-anchor") == "end"
    assert element.get("direction") is None and element.get("x") is None
    for span in line_spans(element):
        assert float(span.get("x")) == x
        assert full_text(span).startswith(RLI) and full_text(span).endswith(PDI)


def assert_ltr_line(element: ET.Element, x: float) -> None:
    assert element.get("text-anchor") is None
    spans = line_spans(element)
    for position in [element.get("x")] if not spans else [span.get("x") for span in spans]:
        assert float(position) == x
    assert RLI not in "".join(element.itertext())


@pytest.fixture
def arabic(project) -> dict[str, bytes]:
    return cards_of(site(project("full"), "ar", "مدقق الحقائق", ARABIC))


def test_an_arabic_card_is_mirrored_and_each_line_ends_at_the_right_margin(arabic: dict[str, bytes]) -> None:
    root = parsed(arabic, "bridge-cost")
    stripe, badge = root.findall(f"{SVG}rect")[1], root.find(f"{SVG}g/{SVG}rect")
    assert stripe.get("x") == "1184" and stripe.get("width") == "16"  # the verdict's stripe on the right edge
    assert float(badge.get("x")) + float(badge.get("width")) == pytest.approx(RIGHT, abs=0.1)
    label, claim, meta, name = texts(root)
    assert_rtl_line(label, RIGHT - 28)
    for element in (claim, meta, name):
        assert_rtl_line(element, RIGHT)
    assert claim.get(LANG) == "ar"
    assert " ".join(full_text(span)[1:-1] for span in line_spans(claim)) == ARABIC
    assert full_text(name) == f"{RLI}مدقق الحقائق{PDI}"


def test_the_claimants_name_is_isolated_so_the_date_keeps_its_order(arabic: dict[str, bytes]) -> None:
    """As one right-to-left run, "Jane Doe · 1 مارس 2025" showed the 1 beside the name, away from مارس."""
    meta = texts(parsed(arabic, "bridge-cost"))[2]
    assert full_text(meta) == f"{RLI}{FSI}Jane Doe{PDI} \u00b7 1 مارس 2025{PDI}"


def test_an_english_claim_on_an_arabic_site_is_laid_out_left_to_right(arabic: dict[str, bytes]) -> None:
    root = parsed(arabic, "bridge-opened-on-time")
    label, claim, meta, name = texts(root)
    assert_ltr_line(claim, LEFT)
    assert claim.get(LANG) == "en"
    assert [span.text for span in line_spans(claim)] == ["The bridge opened on time."]
    assert_rtl_line(label, RIGHT - 28)
    assert_rtl_line(meta, RIGHT)  # the card around it is the site's, mirrored
    assert_rtl_line(name, RIGHT)


def test_an_arabic_claim_on_an_english_site_is_right_aligned_on_a_card_left_as_it_was(project) -> None:
    cards = cards_of(site(project("full"), "en", "Full Feature Fact Check", ARABIC, "ar"))
    root = parsed(cards, "bridge-cost")
    label, claim, meta, name = texts(root)
    assert_rtl_line(claim, RIGHT)
    assert claim.get(LANG) == "ar"
    assert_ltr_line(label, LEFT + 28)
    assert_ltr_line(meta, LEFT)
    assert_ltr_line(name, LEFT)
    assert root.findall(f"{SVG}rect")[1].get("x") is None


def test_a_hebrew_card_is_right_to_left_too(project) -> None:
    cards = cards_of(site(project("full"), "he", "בודק העובדות", HEBREW))
    label, claim, meta, name = texts(parsed(cards, "bridge-cost"))
    for element, x in ((label, RIGHT - 28), (claim, RIGHT), (meta, RIGHT), (name, RIGHT)):
        assert_rtl_line(element, x)


def test_pieces_in_a_sites_font_are_spans_of_one_right_to_left_line(project) -> None:
    """Placed by measured advances, they were out of order and Arabic's joined forms left gaps: resvg places them."""
    root = site(project("full"), "ar", "مدقق الحقائق", "قال 過去 إن الجسر كلف")
    make_font(root / "fonts" / "fallback.ttf")
    claim = texts(parsed(cards_of(root), "bridge-cost"))[1]
    assert_rtl_line(claim, RIGHT)
    (line,) = line_spans(claim)
    (piece,) = line.findall(f"{SVG}tspan")
    assert piece.get("font-family") == "Test Fallback" and piece.text == "過去 "
    assert piece.get("x") is None  # (no position of its own)
    assert full_text(line) == f"{RLI}قال 過去 إن الجسر كلف{PDI}"


# -- left to right: the bytes they were ---------------------------------------------------------


@pytest.mark.parametrize("claim_id", PUBLISHED)
def test_left_to_right_cards_are_unchanged(claim_id: str) -> None:
    assert text(f"cards/{claim_id}.svg") == (GOLDEN / f"ltr-{claim_id}.svg").read_text(encoding="utf-8")


def test_left_to_right_pieces_are_placed_as_before(project) -> None:
    root = project("full")
    claims = root / "content" / "claims" / "bridge.yaml"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(
            "claim: The bridge cost 12 million euros.", 'claim: "過去 bridge cost 12 million euros, 過去 said."'
        ),
        encoding="utf-8",
    )
    make_font(root / "fonts" / "fallback.ttf")
    svg = cards_of(root)["cards/bridge-cost.svg"].decode("utf-8")
    assert svg == (GOLDEN / "ltr-pieces.svg").read_text(encoding="utf-8")


# -- the PNG --------------------------------------------------------------------------------------


@functools.cache
def pixels(png: bytes) -> tuple[int, list[bytes]]:
    """A resvg PNG's width and rows of RGBA bytes (8-bit, not interlaced), unfiltered."""
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (depth, colour) == (8, 6)
    data, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    raw, stride, rows = zlib.decompress(data), width * 4, []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - 4] if i >= 4 else 0
            up, corner = previous[i], previous[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, rows


def inked_columns(png: bytes, top: int, bottom: int, left: int = 16, right: int = 1184) -> tuple[int, int]:
    """The first and last column (inside the stripes' edges) with a dark pixel between two rows."""
    _, rows = pixels(png)
    columns = [x for x in range(left, right) if any(min(rows[y][x * 4 : x * 4 + 3]) < 200 for y in range(top, bottom))]
    return columns[0], columns[-1]


def test_the_arabic_png_is_drawn_from_the_right_margin(arabic: dict[str, bytes]) -> None:
    first, last = inked_columns(arabic["cards/bridge-cost.png"], 200, 470)  # the claim's block, wrapped to fill it
    assert RIGHT - 8 <= last <= RIGHT and first >= LEFT
    first, last = inked_columns(arabic["cards/bridge-cost.png"], 520, 600)  # claimant and site name
    assert RIGHT - 8 <= last <= RIGHT and first > LEFT + 100
    _, rows = pixels(arabic["cards/bridge-cost.png"])
    assert rows[300][1199 * 4 : 1200 * 4 - 1] == bytes.fromhex("8a5a00")  # the verdict's stripe, on the right
    assert rows[300][:3] == b"\xff\xff\xff"


def test_a_left_to_right_png_is_still_drawn_from_the_left_margin() -> None:
    first, _ = inked_columns(outputs()["cards/ivanova-bridge.png"], 200, 470)
    assert LEFT <= first <= LEFT + 8


@pytest.mark.parametrize(
    "line",
    [
        "خفضنا التضخم إلى النصف",
        "لا إله إلا الله والحمد لله",  # lam-alef, one glyph
        "وزارة الصحة حققت التغطية",  # letters that join only backward (alef, dal, reh, waw, teh marbuta)
        "مِنْ أَيْنَ جِئْتَ؟",  # vowel signs between joined letters
        "هزینه\u200cها کمتر از آنچه بود",  # noqa: RUF001 (Persian, a zero-width non-joiner)
        "Bridge cost twelve million",
    ],
)
def test_a_line_is_measured_as_wide_as_resvg_draws_it(line: str) -> None:
    """Arabic letters join, each drawn narrower than alone: measured letter by letter, an Arabic claim
    wrapped some way short of the margin and its badge had room to spare (a third too wide)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630"'
        f' fill="#fff"/><text x="100" y="300" font-size="60" font-weight="bold" font-family="DejaVu Sans">'
        f"{RLI}{line}{PDI}</text></svg>"
    )
    first, last = inked_columns(rasterise(svg), 230, 330)
    measured = font_metrics(True).width(line, 60)
    assert last - first - 16 <= measured <= last - first + 24  # the side bearings, as for Latin text


def test_resvg_orders_a_line_by_the_isolates_and_gives_them_no_width() -> None:
    """What the cards rely on: if a resvg update dropped either, right-to-left cards would break."""

    def one_line(line: str) -> str:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="1128" y="300" '
            f'font-size="60" font-family="DejaVu Sans" text-anchor="end">{line}</text></svg>'
        )

    assert rasterise(one_line(f"{RLI}(حسب العمدة).{PDI}")) != rasterise(one_line("(حسب العمدة)."))
    assert rasterise(one_line(f"{RLI}Bridge{PDI}")) == rasterise(one_line("Bridge"))


def test_a_right_to_left_name_on_a_left_to_right_card_is_isolated_from_the_date(project) -> None:
    """As part of a left-to-right line, "عبد الله · 2 March 2025" put the 2 before the name."""
    root = project("full")
    people = root / "content" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Jane Doe", "name: عبد الله", 1), "utf-8")
    root_svg = parsed(cards_of(root), "bridge-cost")
    meta = texts(root_svg)[2]
    assert_ltr_line(meta, LEFT)
    assert full_text(meta).startswith(f"{FSI}عبد الله{PDI} \u00b7 ")


LONG_NAME = (
    "Her Excellency the Honourable Minister for Infrastructure, Transport, Regional Development and Communications"
)
LONG_ARABIC_NAME = "عبد الرحمن بن محمد بن عبد الله بن إبراهيم آل " * 3 + "الطويل"


@pytest.mark.parametrize(
    ("language", "name", "date"),
    [("en", LONG_NAME, "1 March 2025"), ("ar", LONG_NAME, "1 مارس 2025"), ("en", LONG_ARABIC_NAME, "1 March 2025")],
)
def test_a_claimant_too_long_for_the_line_is_cut_and_the_date_kept(
    project, language: str, name: str, date: str
) -> None:
    """Cut as one line, a long name took the date with it: the card said who, never when."""
    root = site(project("full"), language, "Fact Check", "The bridge cost 12 million euros.", "en")
    people = root / "content" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Jane Doe", f"name: {name}", 1), "utf-8")
    meta = full_text(texts(parsed(cards_of(root), "bridge-cost"))[2])
    plain = meta.replace(RLI, "").replace(FSI, "").replace(PDI, "")
    assert plain.endswith(f"\u2026 \u00b7 {date}")
    shown = plain.removesuffix(f"\u2026 \u00b7 {date}")
    assert name.startswith(shown) and len(shown) > 20
    assert font_metrics(False, ()).width(plain, META_SIZE) <= TEXT_WIDTH
    if language == "ar" or name == LONG_ARABIC_NAME:  # the name, cut, still isolated from the date
        assert f"{FSI}{shown}\u2026{PDI} \u00b7 {date}" in meta


@pytest.mark.parametrize(("language", "shown"), [("zh", "2025-03-01"), ("ja", "2025-03-01"), ("ar", "1 مارس 2025")])
def test_a_date_the_fonts_cannot_draw_whole_is_written_as_numbers(project, language: str, shown: str) -> None:
    """Without a CJK font, "2025年3月1日" lost its 年, 月 and 日 and the card read "202531": a wrong number."""
    root = site(project("full"), language, "Fact Check", "The bridge cost 12 million euros.", "en")
    meta = full_text(texts(parsed(cards_of(root), "bridge-cost"))[2])
    assert meta.replace(RLI, "").replace(FSI, "").replace(PDI, "") == f"Jane Doe \u00b7 {shown}"
