"""The shipped catalogs (factpress/translations/*.yaml) fit the theme's messages: same ids, same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel import Locale

from factpress.i18n import TRANSLATIONS, catalog_for
from factpress.render import SEARCH_COUNTS, SEARCH_MESSAGES

PACKAGE = Path(__file__).resolve().parent.parent / "factpress"
#: `_("...")`, `ngettext("...", "...", n)` in templates and `.text("...")`, `.ngettext("...", "...", n)` in Python.
MESSAGE = re.compile(r'''(?:\b_|\.text|\.format)\(\s*"((?:[^"\\]|\\.)*)"''')
PLURAL = re.compile(r'''\bngettext\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"''')
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
CATALOGS = sorted(TRANSLATIONS.glob("*.yaml"))
#: The modules that pass the theme's words to readers (`catalog.text`, `.format`); elsewhere `.text(` reads YAML.
SPEAKING_MODULES = ("render", "embed", "feeds", "cards", "data")


def theme_messages() -> tuple[set[str], dict[str, str]]:
    """Every message id the theme uses, and each plural message's plural id."""
    singles: set[str] = set()
    plurals: dict[str, str] = {}
    sources = [*PACKAGE.glob("templates/*.html"), *(PACKAGE / f"{name}.py" for name in SPEAKING_MODULES)]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        singles.update(m.group(1) for m in MESSAGE.finditer(text))
        plurals.update((m.group(1), m.group(2)) for m in PLURAL.finditer(text))
    singles.update(SEARCH_MESSAGES)  # what the search page's script says, handed over by search.html
    plurals.update(SEARCH_COUNTS)
    return singles - set(plurals), plurals


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("path", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_a_catalog_translates_only_the_theme_messages_with_their_placeholders(path: Path) -> None:
    singles, plurals = theme_messages()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = data["messages"]
    tags = Locale.parse(path.stem.replace("-", "_")).plural_form.tags | {"other"}
    for message, translated in messages.items():
        if message in plurals:
            assert isinstance(translated, dict), message
            assert set(translated) <= tags, (message, set(translated) - tags)
            assert "other" in translated, message
            allowed = placeholders(message) | placeholders(plurals[message]) | {"num"}
            for form in translated.values():
                assert placeholders(form) <= allowed, (message, form)
        else:
            assert message in singles, f"{path.name}: not a message of the theme: {message!r}"
            assert isinstance(translated, str) and translated.strip(), message
            assert placeholders(translated) == placeholders(message), (message, translated)


@pytest.mark.parametrize("path", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_a_catalog_translates_most_of_the_theme(path: Path) -> None:
    singles, plurals = theme_messages()
    catalog = catalog_for(path.stem)
    missing = [m for m in (*singles, *plurals) if m not in catalog.messages]
    assert len(missing) <= len(singles | set(plurals)) // 10, missing


def test_catalogs_are_shipped() -> None:
    assert len(CATALOGS) >= 5
