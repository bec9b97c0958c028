"""The syndication test site (tests/sites/syndication) rendered in memory, shared by the tests of
cards, embeds, feeds and data: hostile and Cyrillic claims, a correction, a draft, a base URL with a path."""

from __future__ import annotations

import json
import struct
from functools import cache
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from factpress.link import Library, link_site
from factpress.load import load_project
from factpress.render import render_site
from factpress.validate import validate_project

SITE = Path(__file__).parent / "sites" / "syndication"
BASE = "https://checks.example.net/news/"
PUBLISHED = ["hostile-bridge", "long-bridge", "ivanova-bridge"]
HOSTILE_CLAIM = 'The bridge cost </script><img src=x onerror=alert(1)> & ]]> "12" <b>million</b>'


@cache
def library(base_url: str | None = None, drafts: bool = False) -> Library:
    """The linked syndication site; fails the test on any content error."""
    site, problems = validate_project(load_project(SITE))
    assert [p for p in problems if p.is_error] == []
    return link_site(site, base_url=base_url, drafts=drafts)


@cache
def outputs(base_url: str | None = None, drafts: bool = False) -> dict[str, bytes]:
    """Every rendered file's bytes by path (static assets copied from disk are left out)."""
    return {o.path: o.content for o in render_site(library(base_url, drafts)) if o.content is not None}


def text(path: str, **options: Any) -> str:
    return outputs(**options)[path].decode("utf-8")


def soup(path: str, **options: Any) -> BeautifulSoup:
    return BeautifulSoup(text(path, **options), "html.parser")


def json_of(path: str, **options: Any) -> Any:
    return json.loads(outputs(**options)[path])


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])
