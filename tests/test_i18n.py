"""The theme's words and dates in the site's language (factpress/i18n.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from factpress.i18n import Catalog, catalog_for, og_locale
from factpress.model import PartialDate
from factpress.pipeline import BuildOptions, build_site
from factpress.render import format_date, make_environment

FRENCH = {
    "Our verdict": "Notre verdict",
    "By %(names)s": "Par %(names)s",
    "Fish & chips": "Poisson & frites <b>",
    "%(num)d source": {"one": "%(num)d source", "other": "%(num)d sources"},
}
RUSSIAN = {"%(num)d source": {"one": "%(num)d источник", "few": "%(num)d источника", "many": "%(num)d источников"}}


def render(tmp_path: Path, source: str, catalog: Catalog | None, cache: Path | None = None, **context) -> str:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "t.html").write_text(source, encoding="utf-8")
    return make_environment(templates, cache, catalog).get_template("t.html").render(**context)


def test_a_message_is_translated_and_escaped_as_text(tmp_path: Path) -> None:
    source = '{{ _("Our verdict") }} | {{ _("Fish & chips") }} | {{ _("Not translated") }}'
    assert (
        render(tmp_path, source, Catalog("fr", FRENCH))
        == "Notre verdict | Poisson &amp; frites &lt;b&gt; | Not translated"
    )


def test_values_filled_in_are_escaped_and_markup_kept(tmp_path: Path) -> None:
    source = '{% set who %}<a href="/p/">{{ name }}</a>{% endset %}{{ _("By %(names)s", names=who) }}'
    assert (
        render(tmp_path, source, Catalog("fr", FRENCH), name="Tom & Jerry") == 'Par <a href="/p/">Tom &amp; Jerry</a>'
    )
    assert render(tmp_path, '{{ _("By %(names)s", names=name) }}', Catalog("fr", FRENCH), name="<i>") == "Par &lt;i&gt;"


def test_counts_take_the_languages_plural_form(tmp_path: Path) -> None:
    source = '{% for n in [1, 3, 5, 21] %}{{ ngettext("%(num)d source", "%(num)d sources", n) }};{% endfor %}'
    assert render(tmp_path, source, Catalog("ru", RUSSIAN)) == "1 источник;3 источника;5 источников;21 источник;"
    assert render(tmp_path, source, None) == "1 source;3 sources;5 sources;21 sources;"


def test_english_stays_as_the_theme_writes_it(tmp_path: Path) -> None:
    source = '{{ _("Our verdict") }} {{ day | date }} {{ month | date }}'
    out = render(tmp_path, source, catalog_for("en-GB"), day=dt.date(2025, 7, 9), month=PartialDate(2025, 7, None))
    assert out == "Our verdict 9 July 2025 July 2025"


def test_dates_are_written_as_the_language_writes_them() -> None:
    day, month, year = dt.date(2025, 3, 1), PartialDate(2025, 3, None), PartialDate(2025, None, None)
    french, japanese = Catalog("fr"), Catalog("ja")
    assert [format_date(d, french) for d in (day, month, year)] == ["1 mars 2025", "mars 2025", "2025"]
    assert format_date(day, japanese) == "2025年3月1日"
    assert format_date(day, Catalog("xx-unknown")) == "1 March 2025"  # a language CLDR does not know: English


def test_compiled_templates_are_kept_per_language(tmp_path: Path) -> None:
    cache = tmp_path / "compiled"
    cache.mkdir()
    source = '{{ _("Our verdict") }}'
    assert render(tmp_path, source, Catalog("fr", FRENCH), cache) == "Notre verdict"
    assert render(tmp_path, source, Catalog("en"), cache) == "Our verdict"
    assert render(tmp_path, source, Catalog("fr", FRENCH), cache) == "Notre verdict"


def test_a_regional_catalog_adds_to_its_languages(tmp_path: Path, monkeypatch) -> None:
    from factpress import i18n

    (tmp_path / "fr.yaml").write_text(
        'messages:\n  "Our verdict": "Notre verdict"\n  "Search": "Rechercher"\n', "utf-8"
    )
    (tmp_path / "fr-CA.yaml").write_text('messages:\n  "Search": "Chercher"\n', "utf-8")
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    catalog = catalog_for("fr-CA")
    assert (catalog.text("Our verdict"), catalog.text("Search")) == ("Notre verdict", "Chercher")
    assert catalog_for("fr").text("Search") == "Rechercher"


def test_a_translation_with_wrong_placeholders_falls_back_to_english(tmp_path: Path) -> None:
    catalog = Catalog("fr", {"By %(names)s": "Par %(nom)s", "%(num)d source": {"one": "100% %(num)d", "other": "x"}})
    assert catalog.gettext("By %(names)s", names="Ana") == "By Ana"
    assert catalog.ngettext("%(num)d source", "%(num)d sources", 1) == "1 source"


def test_a_tag_without_its_script_reads_the_catalog_of_the_script_it_is_written_in() -> None:
    assert catalog_for("zh-TW").text("Search") == catalog_for("zh-Hant").text("Search")
    assert catalog_for("zh-TW").text("Search") != catalog_for("zh-CN").text("Search")
    assert catalog_for("zh-CN").text("Search") == catalog_for("zh").text("Search")


def test_messages_with_values_are_joined_while_compiling_not_called_per_page(tmp_path: Path) -> None:
    """`_("By %(names)s", names=x)` compiles to `"Par " ~ (x)`: a page renders it without calling gettext."""
    catalog = Catalog("fr", {**FRENCH, "%(a)s and %(b)s": "%(b)s et %(a)s", "100%% of %(x)s": "100 %% de %(x)s"})

    def refuse(*args, **kwargs):
        raise AssertionError("gettext called while rendering")

    catalog.gettext = refuse  # type: ignore[method-assign]
    source = (
        '{% set who %}<a href="/p/">{{ name }}</a>{% endset %}{{ _("By %(names)s", names=who) }}|'
        '{{ _("%(a)s and %(b)s", a=name, b=items|join("+")) }}|{{ _("100%% of %(x)s", x=1) }}'
    )
    out = render(tmp_path, source, catalog, name="Tom & Jerry", items=["<i>", "j"])
    assert out == 'Par <a href="/p/">Tom &amp; Jerry</a>|&lt;i&gt;+j et Tom &amp; Jerry|100 % de 1'


def test_a_translation_naming_a_value_not_given_is_left_to_gettext_at_render_time(tmp_path: Path) -> None:
    catalog = Catalog("fr", {"By %(names)s": "Par %(nom)s"})
    assert render(tmp_path, '{{ _("By %(names)s", names=who) }}', catalog, who="Ana") == "By Ana"


def test_open_graph_locales_give_a_territory_only_when_the_tag_names_one() -> None:
    tags = ["en-GB", "pt-BR", "zh-TW", "fr", "es", "ar", "zh-Hant"]
    assert [og_locale(tag) for tag in tags] == ["en_GB", "pt_BR", "zh_TW", "fr", "es", "ar", "zh"]


def test_the_claim_page_punctuates_its_own_joins_in_the_sites_language(tmp_path: Path) -> None:
    """The verdict and its meaning, and an appearance's medium and date, are joined by the catalog's
    punctuation: a Japanese page read '不正確. 一部は…' and '演説 (街頭), 2025年7月12日'."""
    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "sites" / "minimal", root)
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: en", "language: ja"), encoding="utf-8")
    claims = root / "claims.yaml"
    appearance = "{title: Council meeting, url: https://council.example.com/minutes}"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(appearance, "{title: 街頭演説, medium: 演説, date: 2025-03-04}"),
        encoding="utf-8",
    )
    out = build_site(BuildOptions(root, tmp_path / "site", search=False)).out
    soup = BeautifulSoup((out / "claims" / "bridge-cost" / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = [" ".join(li.get_text().split()) for li in soup.select("main li")]
    assert "判定： True。Accurate." in items  # noqa: RUF001
    assert "街頭演説（演説）、2025年3月4日" in items  # noqa: RUF001


def test_names_and_titles_beside_a_date_are_isolated_on_a_right_to_left_page(tmp_path: Path) -> None:
    """Unisolated, a French appearance title on an Arabic page took the day of the date after it into its
    own direction ('2025 يوليو Conférence de presse، 18'), and so did a Latin publisher's name."""
    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "sites" / "minimal", root)
    claims = root / "claims.yaml"
    appearance = "{title: Council meeting, url: https://council.example.com/minutes}"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(appearance, "{title: Conférence de presse, date: 2025-03-04}"),
        encoding="utf-8",
    )

    def built(language: str) -> BeautifulSoup:
        site = root / "content" / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace("language: en", f"language: {language}"))
        out = build_site(BuildOptions(root, tmp_path / language, search=False)).out
        return BeautifulSoup((out / "claims/bridge-cost/index.html").read_text(encoding="utf-8"), "html.parser")

    english = built("en")
    assert english.find("bdi") is None  # left-to-right names on a left-to-right page are left as they were
    arabic = built("ar")
    isolated = [bdi.get_text() for bdi in arabic.find("main").find_all("bdi")]
    # the claimant and where the claim was made, the evidence's publisher, the appearance
    assert isolated == ["Jane Doe", "Conférence de presse", "The Gazette", "Conférence de presse"]
