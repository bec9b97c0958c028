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

    def counted(claim, lib, env):  # type: ignore[no-untyped-def]
        made.append(claim.id)
        return make(claim, lib, env)

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
