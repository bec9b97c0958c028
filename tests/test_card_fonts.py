"""A site's own fonts for its social cards (fonts/): what DejaVu lacks is drawn, measured and keyed with them.

The test font is made here from the shipped DejaVu Sans: its Ж and Ш drawn for 過 and 去, which
DejaVu itself has no glyph for, and renamed; so no font file is downloaded or committed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from factpress import cards, cli
from factpress.cards import card_key, rasterise
from factpress.fonts import FONT_REGULAR, FontMetrics, font_metrics, metrics_of, missing_characters
from factpress.pipeline import BuildOptions, build_site

CLAIM = "過去 bridge"


def make_font(path: Path) -> Path:
    """DejaVu Sans cut down to Ж and Ш, which it maps to 過 and 去, named 'Test Fallback'."""
    font = TTFont(str(FONT_REGULAR))
    options = subset.Options()
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord("Ж"), ord("Ш")])
    subsetter.subset(font)
    glyphs = font.getBestCmap()
    for table in font["cmap"].tables:
        table.cmap = {ord("過"): glyphs[ord("Ж")], ord("去"): glyphs[ord("Ш")]}
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Test Fallback"
        elif record.nameID == 6:
            record.string = "TestFallback"
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(path))
    return path


def one_line(text: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" '
        f'fill="#fff"/><text x="40" y="300" font-family="DejaVu Sans" font-size="90">{text}</text></svg>'
    )


def with_claim(root: Path, claim: str) -> Path:
    claims = root / "claims.yaml"
    lines = claims.read_text(encoding="utf-8").splitlines()
    lines = [f"  claim: {claim}" if line.startswith("  claim: ") else line for line in lines]
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_a_character_dejavu_lacks_is_drawn_with_the_sites_font(tmp_path: Path) -> None:
    font = make_font(tmp_path / "fonts" / "fallback.ttf")
    boxes, drawn = rasterise(one_line("過去")), rasterise(one_line("過去"), (font,))
    assert drawn != boxes
    assert drawn == rasterise(one_line("ЖШ"))  # the test font's glyphs, in place of DejaVu's empty boxes


def test_the_cards_measure_it_with_that_fonts_advance(tmp_path: Path) -> None:
    font = make_font(tmp_path / "fonts" / "fallback.ttf")
    shipped, site = font_metrics(True), font_metrics(True, (font,))
    assert "過" not in shipped.by_char
    assert site.units("過去") == font_metrics(False).units("ЖШ")  # (same units per em as DejaVu)
    assert site.units("bridge") == shipped.units("bridge")  # DejaVu's own characters keep DejaVu's advance
    assert missing_characters(["過去 ok"], ()) == ["去", "過"]
    assert missing_characters(["過去 ok"], (font,)) == []


def test_a_cards_key_is_its_fonts_too(tmp_path: Path) -> None:
    font = make_font(tmp_path / "fonts" / "fallback.ttf")
    svg = one_line("過去")
    assert card_key(svg, (font,)) != card_key(svg)
    assert card_key(svg, ()) == card_key(svg)  # sites without fonts keep their cached cards


def test_check_names_the_characters_no_font_has_until_the_site_gives_one(project, capsys) -> None:
    root = with_claim(project("minimal"), CLAIM)
    assert cli.main(["check", "--root", str(root)]) == 0
    report = capsys.readouterr().out
    assert "claims.yaml:2:10: warning: the social cards cannot draw 2 characters (去, 過)" in report
    assert "[card-font]" in report
    make_font(root / "fonts" / "fallback.ttf")
    (root / "fonts" / "OFL.txt").write_text("the font's licence travels with it\n", encoding="utf-8")
    assert cli.main(["check", "--root", str(root)]) == 0
    assert capsys.readouterr().out.strip() == "No problems found."


def test_a_file_in_fonts_that_is_not_a_font_is_an_error_at_its_name(project, capsys) -> None:
    root = project("minimal")
    (root / "fonts").mkdir()
    (root / "fonts" / "broken.ttf").write_bytes(b"<html>not a font</html>")
    assert cli.main(["check", "--root", str(root)]) == 1
    report = capsys.readouterr().out
    assert "fonts/broken.ttf: error: this file cannot be read as a font" in report
    assert "[unreadable-file]" in report


def test_adding_a_font_remakes_the_cards(project, tmp_path: Path) -> None:
    root = with_claim(project("minimal"), CLAIM)
    out = tmp_path / "site"
    build_site(BuildOptions(root, out, search=False))
    png = next((out / "cards").glob("*.png"))
    before = png.read_bytes()
    make_font(root / "fonts" / "fallback.ttf")
    build_site(BuildOptions(root, out, search=False))
    assert png.read_bytes() != before


@pytest.mark.parametrize("name", ["font.TTF", "font.otf"])
def test_font_files_are_found_by_their_ending_in_any_case(project, tmp_path: Path, name: str, capsys) -> None:
    root = with_claim(project("minimal"), CLAIM)
    make_font(root / "fonts" / name)
    assert cli.main(["check", "--root", str(root)]) == 0
    assert "[card-font]" not in capsys.readouterr().out


def test_a_character_no_font_has_is_left_out_of_the_card_not_drawn_as_a_box(project, tmp_path: Path) -> None:
    """resvg draws it as a box and then stops looking in the other fonts for the rest of the line."""
    root = with_claim(project("minimal"), "過去🙂 bridge")
    make_font(root / "fonts" / "fallback.ttf")
    out = tmp_path / "site"
    build_site(BuildOptions(root, out, search=False))
    svg = next((out / "cards").glob("*.svg")).read_text(encoding="utf-8")
    assert "🙂" not in svg.split("</title>")[1]  # (the title, read aloud, keeps it)
    assert 'font-family="Test Fallback">過去 </tspan>' in svg and ">bridge</tspan>" in svg  # each piece, its font


def test_a_line_mixing_scripts_names_the_sites_font_for_its_own_pieces_only(tmp_path: Path) -> None:
    """One run for resvg drew the Latin in the fallback font too, measured as DejaVu, and misplaced marks."""
    from factpress.fonts import font_runs

    font = make_font(tmp_path / "fonts" / "fallback.ttf")
    assert font_runs("GDP 2024: 過去 up", (font,)) == (("GDP 2024: ", ""), ("過去 ", "Test Fallback"), ("up", ""))
    assert font_runs("GDP 過去", ()) == (("GDP 過去", ""),)  # no site font: one run, as before
    assert font_runs("plain text", (font,)) == (("plain text", ""),)


def test_a_collection_is_measured_face_after_face(tmp_path: Path) -> None:
    from fontTools.ttLib import TTCollection

    first = TTFont(str(make_font(tmp_path / "a.ttf")))
    second = TTFont(str(FONT_REGULAR))
    collection = TTCollection()
    collection.fonts = [first, second]
    path = tmp_path / "both.ttc"
    collection.save(str(path))
    metrics = metrics_of(path)
    assert {"過", "去", "A"} <= metrics.by_char.keys()  # the first face's, then what only the second has


def test_a_web_font_is_not_taken_for_a_font(project, capsys) -> None:
    root = project("minimal")
    font = TTFont(str(make_font(root / "fonts" / "plain.ttf")))
    (root / "fonts" / "plain.ttf").unlink()
    font.flavor = "woff"
    font.save(str(root / "fonts" / "renamed.ttf"))  # a WOFF file named .ttf: fontTools reads it, resvg does not
    font.save(str(root / "fonts" / "site.woff"))
    assert cli.main(["check", "--root", str(root)]) == 1
    report = capsys.readouterr().out
    assert "fonts/renamed.ttf: error: this file cannot be read as a font: a WOFF web font" in report
    assert "fonts/site.woff: warning: a web font is not used for the social cards" in report


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("あいうえお、かきくけ", ["あいうえ", "お、かきく", "け"]),  # no line starts with 、
        ("あいうえ「かきくけこ", ["あいうえ", "「かきくけ", "こ"]),  # no line ends with 「
        ("あいうえおかきくけこ", ["あいうえお", "かきくけこ"]),
    ],
)
def test_a_line_broken_between_characters_follows_kinsoku(text: str, lines: list[str]) -> None:
    metrics = FontMetrics(1000, {ord(ch): 100 for ch in "あいうえおかきくけこ、「"}, 100)
    pieces = cards._split_word(text, 1000, metrics, lambda units: units <= 500)
    assert [piece for piece, _ in pieces] == lines
    assert all(units == 100 * len(piece) for piece, units in pieces)


def test_a_woff2_named_ttf_a_bad_units_per_em_and_upper_case_web_fonts_are_each_reported(project, capsys) -> None:
    root = project("minimal")
    fonts = root / "fonts"
    fonts.mkdir()
    (fonts / "z.ttf").write_bytes(b"wOF2" + bytes(60))  # a WOFF2's first bytes: fontTools would need brotli
    font = TTFont(str(make_font(tmp := fonts / "zero.ttf")))
    font["head"].unitsPerEm = 0
    font.save(str(tmp))
    (fonts / "Site.WOFF2").write_bytes(b"wOF2")
    assert cli.main(["check", "--root", str(root)]) == 1
    report = capsys.readouterr().out
    assert "fonts/z.ttf: error: this file cannot be read as a font: a WOFF2 web font" in report
    assert "fonts/zero.ttf: error: this file cannot be read as a font: its units per em, 0, are outside" in report
    assert "fonts/Site.WOFF2: warning: a web font is not used for the social cards" in report
