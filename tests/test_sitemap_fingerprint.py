"""sitemap.xml is planned from its entries: made again when an address or date changes, not on any other edit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from factpress.link import link_site
from factpress.load import load_project
from factpress.render import plan_site, sitemap_xml
from factpress.validate import validate_project

SITE = Path(__file__).parent / "sites" / "full"


def planned_sitemap(**change: object) -> tuple[str, bytes]:
    """The sitemap's fingerprint and bytes, as planned, with `change` made to the site's first claim."""
    site, _ = validate_project(load_project(SITE))
    if change:
        first = dataclasses.replace(site.claims[0], **change, digest=f"{site.claims[0].digest} {change}")
        site = dataclasses.replace(site, claims=[first, *site.claims[1:]])
    library = link_site(site)
    [planned] = [f for f in plan_site(library).files if f.path == "sitemap.xml"]
    made = planned.make().content
    assert made is not None and made == sitemap_xml(library).content  # as a sitemap made without planning
    return planned.fingerprint, made


def test_an_edit_of_a_summary_leaves_the_sitemap_planned_as_it_was() -> None:
    assert planned_sitemap(summary="Another summary.") == planned_sitemap()


def test_an_edit_of_a_date_or_id_plans_a_new_sitemap() -> None:
    """Its fingerprint follows its bytes: a stale sitemap is never kept."""
    before, old = planned_sitemap()
    for change in ({"published": dt.date(2031, 1, 2)}, {"id": "another-id"}):
        after, new = planned_sitemap(**change)
        assert new != old
        assert after != before
