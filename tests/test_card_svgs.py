"""cards.KeptSvgs: card SVGs kept between builds are the bytes a fresh layout gives, and damage only costs time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import orjson
import pytest
from syndication import PUBLISHED, library, outputs

from factpress import cards
from factpress.cards import CardMaker, kept_svgs_path, svg_key
from factpress.render import make_environment

SVG_PATHS = {f"cards/{claim_id}.svg" for claim_id in PUBLISHED}


@pytest.fixture(autouse=True)
def _keep_even_a_few(monkeypatch: pytest.MonkeyPatch) -> None:
    """The syndication site has three cards: keep them (a real build keeps from KEPT_SVGS_MIN cards)."""
    monkeypatch.setattr(cards, "KEPT_SVGS_MIN", 1)


def made_svgs(cache_dir: Path, templates_dir: Path | None = None) -> dict[str, bytes]:
    """Each published card's SVG as a build makes it with this card cache folder."""
    maker = CardMaker(library(), make_environment(templates_dir), cache_dir)
    maker.prepare(SVG_PATHS)
    return {claim_id: maker.svg(library().claims_by_id[claim_id]).content or b"" for claim_id in PUBLISHED}


def expected() -> dict[str, bytes]:
    return {claim_id: outputs()[f"cards/{claim_id}.svg"] for claim_id in PUBLISHED}


def kept_file(cache_dir: Path) -> Path:
    path = kept_svgs_path(cache_dir, library())
    assert path is not None
    return path


def forbid_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> str:
        raise AssertionError("a kept card was laid out again")

    monkeypatch.setattr(cards, "render_card_svg", fail)


def test_a_second_build_takes_every_svg_from_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cards"
    assert made_svgs(cache_dir) == expected()
    assert len(orjson.loads(kept_file(cache_dir).read_bytes())["cards"]) == len(PUBLISHED)
    forbid_layout(monkeypatch)
    assert made_svgs(cache_dir) == expected()


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"code": 1, "cards": []}', b"[1, 2]"])
def test_a_damaged_file_only_means_laying_out_again(tmp_path: Path, damage: bytes) -> None:
    cache_dir = tmp_path / "cards"
    made_svgs(cache_dir)
    kept_file(cache_dir).write_bytes(damage)
    assert made_svgs(cache_dir) == expected()
    assert made_svgs(cache_dir) == expected()  # and the file written again is good


def test_an_entry_whose_svg_was_altered_is_laid_out_again(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cards"
    made_svgs(cache_dir)
    data = orjson.loads(kept_file(cache_dir).read_bytes())
    for entry in data["cards"].values():
        entry[0] = entry[0][: len(entry[0]) // 2]  # cut short, as a bad disk might
    kept_file(cache_dir).write_bytes(orjson.dumps(data))
    assert made_svgs(cache_dir) == expected()


def test_kept_svgs_of_other_code_are_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cards"
    made_svgs(cache_dir)
    data = orjson.loads(kept_file(cache_dir).read_bytes())
    kept_file(cache_dir).write_bytes(orjson.dumps({**data, "code": "an older cards.py"}))
    forbid_layout(monkeypatch)
    with pytest.raises(AssertionError, match="laid out again"):
        made_svgs(cache_dir)


def test_a_site_card_template_is_always_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cards"
    made_svgs(cache_dir)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "card.svg").write_text("<svg>{{ card.verdict_label }}</svg>")
    assert made_svgs(cache_dir, templates)["hostile-bridge"] == b"<svg>False</svg>"


def _with(value: object, **changes: object) -> object:
    return dataclasses.replace(value, **changes)  # type: ignore[type-var]


def test_the_key_changes_with_every_value_the_card_shows() -> None:
    lib = library()
    claim = lib.claims_by_id["ivanova-bridge"]
    base = svg_key(claim, lib)
    model, verdict, config, person = claim.claim, claim.verdict, lib.config, claim.claimant.person
    variants = [
        dataclasses.replace(claim, claim=dataclasses.replace(model, claim=model.claim + "!")),
        dataclasses.replace(claim, claim=dataclasses.replace(model, language="en")),
        dataclasses.replace(claim, claim=dataclasses.replace(model, claim_date=_with(model.claim_date, day=3))),
        dataclasses.replace(
            claim, verdict=dataclasses.replace(verdict, verdict=_with(verdict.verdict, label="Mostly"))
        ),
        dataclasses.replace(claim, verdict=dataclasses.replace(verdict, verdict=_with(verdict.verdict, colour="#000"))),
        dataclasses.replace(claim, claimant=dataclasses.replace(claim.claimant, person=_with(person, name="Anna"))),
    ]
    keys = {svg_key(variant, lib) for variant in variants}
    keys |= {svg_key(claim, dataclasses.replace(lib, config=dataclasses.replace(config, title="Other")))}
    keys |= {svg_key(claim, dataclasses.replace(lib, config=dataclasses.replace(config, language="de")))}
    assert base not in keys
    assert len(keys) == len(variants) + 2


def test_a_build_making_few_cards_neither_reads_nor_writes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cards, "KEPT_SVGS_MIN", 2)
    cache_dir = tmp_path / "cards"
    CardMaker(library(), make_environment(None), cache_dir).prepare({"cards/long-bridge.svg"})
    assert not kept_file(cache_dir).exists()
    CardMaker(library(), make_environment(None), cache_dir).prepare(
        {"cards/long-bridge.svg", "cards/ivanova-bridge.svg"}
    )
    assert len(orjson.loads(kept_file(cache_dir).read_bytes())["cards"]) == 2


def test_a_cached_png_that_is_not_a_png_is_drawn_again(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cards"
    claim = library().claims_by_id["long-bridge"]
    maker = CardMaker(library(), make_environment(None), cache_dir)
    maker.prepare({"cards/long-bridge.png"})
    made = maker.png(claim)
    assert made.source is not None and made.source.read_bytes() == outputs()["cards/long-bridge.png"]
    made.source.write_bytes(b"cut short")
    again = CardMaker(library(), make_environment(None), cache_dir)
    again.prepare({"cards/long-bridge.png"})
    remade = again.png(claim)
    assert remade.source is not None and remade.source.read_bytes() == outputs()["cards/long-bridge.png"]


@pytest.mark.parametrize("upgraded", ["i18n.py", "babel"])
def test_kept_svgs_are_laid_out_again_after_an_upgrade_of_i18n_or_babel(
    upgraded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A card's layout follows its languages' direction, which i18n.py reads from Babel's CLDR data."""
    cache_dir = tmp_path / "cards"
    made_svgs(cache_dir)
    monkeypatch.setattr(cards, "text_direction", lambda language: "rtl")  # what the newer code says
    if upgraded == "babel":
        real = cards.version
        monkeypatch.setattr(cards, "version", lambda package: "99" if package == "babel" else real(package))
    else:
        read_bytes = Path.read_bytes
        monkeypatch.setattr(
            Path, "read_bytes", lambda path: read_bytes(path) + (b"#" if path.name == "i18n.py" else b"")
        )
    cards.svg_code_version.cache_clear()
    try:
        assert made_svgs(cache_dir) == made_svgs(tmp_path / "fresh" / "cards")
    finally:
        cards.svg_code_version.cache_clear()
