"""embed: a claim's EmbedInfo is made once a build, for its page, its embed page and its oEmbed."""

from __future__ import annotations

import json

import pytest
from syndication import library, outputs

from factpress import embed
from factpress.embed import EmbedMaker, embed_info
from factpress.render import make_environment


def test_the_claim_page_the_embed_page_and_the_oembed_share_one_embed_info(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = outputs()
    made: list[str] = []
    make = embed._make_embed_info

    def counted(claim, lib, env, keep):  # type: ignore[no-untyped-def]
        made.append(claim.id)
        return make(claim, lib, env, keep)

    monkeypatch.setattr(embed, "_make_embed_info", counted)
    lib, env = library(), make_environment(None)
    claim = lib.claims_by_id["hostile-bridge"]
    maker = EmbedMaker(lib, env, {"site": lib.config})
    info = embed_info(claim, lib, env)  # the claim page's
    page, oembed = maker.page(claim), maker.oembed(claim)
    assert made == ["hostile-bridge"]
    assert page.content == expected["embed/hostile-bridge/index.html"]
    assert oembed.content == expected["oembed/hostile-bridge.json"]
    assert json.loads(oembed.content or b"")["html"].endswith(info.iframe_html)
    embed_info(claim, lib, env)  # the oEmbed was its last file: a next build makes it again
    assert made == ["hostile-bridge", "hostile-bridge"]


def test_another_environment_never_gets_an_info_made_with_the_first() -> None:
    lib = library()
    claim = lib.claims_by_id["long-bridge"]
    first = make_environment(None)
    embed_info(claim, lib, first)
    second = make_environment(None)
    assert embed_info(claim, lib, second) is not embed_info(claim, lib, first)


def test_a_full_build_takes_the_embed_code_the_last_one_rendered(project, tmp_path, monkeypatch) -> None:
    """Kept between builds beside the listing cards, by claim and site digest: the same bytes, not rendered again."""
    from test_fragment_cache import build, hashes

    monkeypatch.setenv("FACTPRESS_CACHE_DIR", str(tmp_path / "cache"))
    rendered: list[bool] = []
    real = embed.embed_code

    def counted(claim, library, env, info, *, fallback):  # type: ignore[no-untyped-def]
        rendered.append(fallback)
        return real(claim, library, env, info, fallback=fallback)

    monkeypatch.setattr(embed, "embed_code", counted)
    root = project("full")
    first = build(root, tmp_path / "first")
    claims = len(json.loads((first / "api/claims.json").read_text(encoding="utf-8"))["claims"])  # (aliases aside)
    assert sorted(rendered) == [False] * claims + [True] * claims
    rendered.clear()
    second = build(root, tmp_path / "second")
    assert rendered == []
    assert hashes(second) == hashes(first)
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "_embed_code.html").write_text('<iframe title="{{ claim.id }}"></iframe>', encoding="utf-8")
    third = build(root, tmp_path / "third")
    oembeds = len(list((third / "oembed").glob("*.json")))  # (a former id's is made again too)
    assert len(rendered) == 2 * oembeds  # a site's own snippet may read anything: rendered every time
    page = next((third / "claims").glob("*/index.html")).read_text(encoding="utf-8")
    assert "&lt;iframe title=" in page  # the site's snippet, in the box to copy
