"""The theme's words and dates in the site's language.

The theme is written in English. `factpress/translations/<language>.yaml` maps each English
message to its translation; a message with a count (`%(num)d sources`) maps to its plural forms by
CLDR category (`one`, `few`, `many`, `other`), which Babel picks for the language. A language
without a catalog, or a message a catalog lacks, stays English. Dates are written by Babel from
CLDR data ("1 mars 2025", "2025年3月1日"); English keeps factpress's own form ("1 March 2025").

In templates, `{{ _("Our verdict") }}` is a message. A message with nothing to fill in is
translated while the template is compiled (`ConstantMessages` swaps the call for its text), so
a page pays nothing for it; `{{ _("By %(names)s", names=...) }}` and
`{{ ngettext("%(num)d source", "%(num)d sources", count) }}` are filled in at render time, the
values escaped, the message itself treated as text.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup, escape

from .cachefiles import cache_root, replace_file
from .versions import version

TRANSLATIONS = Path(__file__).parent / "translations"
#: The plural categories a catalog may give, by CLDR's names.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
#: How messages.txt gives a count's plural: on the line after its singular.
PLURAL_LINE = "PLURAL: "


class Catalog:
    """One language's messages, plural rules and date formats."""

    def __init__(self, language: str, messages: Mapping[str, Any] | None = None) -> None:
        self.language = language
        self.messages: Mapping[str, Any] = messages or {}
        self.english = _primary(language) == "en" or not language

    @property
    def digest(self) -> str:
        """What compiled templates depend on: the language and its messages ('' for English without any)."""
        if self.english and not self.messages:
            return ""
        data = repr((self.language, sorted(self.messages.items(), key=lambda item: item[0])))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]

    def text(self, message: str) -> str:
        """The translation of a message without a count (the message itself when there is none)."""
        translated = self.messages.get(message)
        return translated if isinstance(translated, str) and translated else message

    def format(self, message: str, **values: Any) -> str:
        """Plain text (a title, an attribute): the translation with `%(name)s` filled; English if it will not fill."""
        try:
            return self.text(message) % values if values else self.text(message)
        except (KeyError, ValueError, TypeError):
            return message % values

    def gettext(self, message: str, **variables: Any) -> Markup:
        """A message for a template: the text escaped, then `%(name)s` filled with the escaped values."""
        text = escape(self.text(message))
        return _filled(text, variables, message) if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> Markup:
        """A message with a count: the plural form the language uses for `num`, filled like gettext."""
        english = singular if num == 1 else plural
        forms = self.messages.get(singular)
        if isinstance(forms, Mapping) and forms:
            form = forms.get(self.plural_category(num)) or forms.get("other") or english
        else:
            form = english
        return _filled(escape(form), {"num": num, **variables}, english)

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """A count's message in every plural form of the language (CLDR categories), for a script to choose from.

        The search page's script picks one with `Intl.PluralRules`, which follows the same CLDR rules.
        """
        forms = self.messages.get(singular)
        if isinstance(forms, Mapping) and forms.get("other"):
            return {str(category): str(form) for category, form in forms.items()}
        return {"one": singular, "other": plural}

    def plural_category(self, num: int) -> str:
        """CLDR's plural category of a count in this language ('one', 'few', 'many', 'other'...)."""
        locale = _locale(self.language)
        return locale.plural_form(num) if locale is not None else ("one" if num == 1 else "other")

    def date(self, year: int, month: int | None, day: int | None) -> str | None:
        """A date as the language writes it, or None to keep factpress's English form."""
        if self.english:
            return None
        locale = _locale(self.language)
        if locale is None:
            return None
        import datetime as dt

        from babel.dates import format_date, format_skeleton

        if month and day:
            return format_date(dt.date(year, month, day), "long", locale=locale)
        if month:
            return format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale)
        return format_skeleton("y", dt.date(year, 1, 1), locale=locale)


def _filled(text: Markup, variables: Mapping[str, Any], english: str) -> Markup:
    """The text with its `%(name)s` filled; the English message when a translation's placeholders are wrong."""
    try:
        return text % variables
    except (KeyError, ValueError, TypeError):
        return escape(english) % variables


def _primary(language: str) -> str:
    return language.lower().replace("_", "-").split("-")[0]


@functools.cache
def _locale(language: str) -> Any:
    """Babel's locale for a language tag, or None when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        try:
            return Locale.parse(_primary(language))
        except (UnknownLocaleError, ValueError, TypeError):
            return None


def code_of_language_name(name: str) -> str:
    """The code of a language written by its name, in English or in itself ('Ukrainian', 'Українська',
    '日本語' are 'uk', 'uk', 'ja'), '' for none: for the hint of a `language:` that is no code."""
    return _codes_by_name().get(name.strip().casefold(), "")


@functools.cache
def _codes_by_name() -> dict[str, str]:
    """Every language's code by its English and its own name, casefolded (CLDR; made once, on a mistake)."""
    from babel import localedata

    english = _locale("en").languages
    names = {shown.casefold(): code for code, shown in english.items() if "_" not in code}
    for code in sorted(set(names.values())):
        own = _locale(code).languages.get(code) if localedata.exists(code) else None
        if own:
            names.setdefault(own.casefold(), code)
    return names


#: Languages whose month names a date written in words may use (besides those with a catalog).
_MONTH_LANGUAGES = (
    *("en", "el", "ko", "cs", "sk", "sv", "da", "nb", "fi"),
    *("ro", "hu", "bg", "sr", "hr", "he", "fa", "ca"),
)


def month_of_name(word: str) -> int:
    """The month (1-12) a month's name means in any of the languages newsrooms write ('Haziran', 'июля',
    'März', 'Jul.'), 0 for none or for a name two languages give different months."""
    return _months_by_name().get(word.strip(".").casefold(), 0)


@functools.cache
def _months_by_name() -> dict[str, int]:
    """Month names (wide and abbreviated, as in a date and alone) of many languages, casefolded (CLDR; made once)."""
    languages = sorted({*_MONTH_LANGUAGES, *(p.stem for p in TRANSLATIONS.glob("*.yaml"))})
    found: dict[str, int] = {}
    for language in languages:
        locale = _locale(language)
        if locale is None:
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for month, name in locale.months[context][width].items():
                    key = name.strip(".").casefold()
                    found[key] = month if found.get(key, month) == month else 0
    return found


def _script(tag: str) -> str:
    """The script a language tag is written in, by its own subtag or CLDR's likely one ('' when none is known)."""
    for subtag in tag.split("-")[1:]:
        if len(subtag) == 4 and subtag.isalpha():
            return subtag.title()
    from babel.core import get_global

    likely = get_global("likely_subtags").get(tag.replace("-", "_")) or ""
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 and len(parts[1]) == 4 else ""


@functools.cache
def text_direction(language: str) -> str:
    """'rtl' or 'ltr' for a language tag, from CLDR (a script subtag decides: `pa-Arab` is right to left).

    Kept between builds (the cache root's directions.json, by Babel's version and this file's code):
    loading a locale's CLDR data costs 25 ms, and a rebuild that draws one card needs nothing else of it.
    """
    if not language:
        return "ltr"
    return _kept_fact("directions", language, _cldr_direction, ("rtl", "ltr"))


def isolate(text: str, language: str) -> str:
    """The text between Unicode's isolates (FSI ... PDI) when it, or the language around it, reads right to left.

    A claimant's name before ", 2 March 2025" took the day with it when either is right to left:
    "(2 ,عبد الله March 2025)"; on a right-to-left site "Jane Doe، 1 مارس 2025" put the 1 after the
    name. For text that travels (feeds, the oEmbed fallback), where <bdi> is stripped by feedparser
    and WordPress and these characters are kept. Left-to-right text in a left-to-right language is left as it is.
    """
    return f"\u2068{text}\u2069" if needs_isolation(text, language) else text


def needs_isolation(text: str, language: str) -> bool:
    """Whether text set beside other text (a name before a date) must be isolated from it: when it, or the
    language around it, reads right to left. In a page, <bdi> isolates it (`is needs_isolation` in templates)."""
    return text_direction(language) == "rtl" or any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


@functools.cache
def og_locale(language: str) -> str:
    """A language tag in Open Graph's form: `en_GB`, `pt_BR`; only the language when the tag names no territory (`fr`).

    Kept between builds beside the directions, for the same reason: each page's head gives it.
    """
    if not language:
        return ""
    return _kept_fact("og_locales", language, _cldr_og_locale)


def _kept_fact(kind: str, language: str, find: Callable[[str], str], allowed: tuple[str, ...] = ()) -> str:
    """What CLDR says of a language, kept in directions.json under `kind` (found by `find` when not kept yet)."""
    path, code = _directions_file(), _directions_version()
    facts = _kept_facts(path, code)
    kept = facts.get(kind, {})
    value = kept.get(language)
    if not isinstance(value, str) or not value or (allowed and value not in allowed):
        value = find(language)
        if path is not None:
            facts[kind] = {**kept, language: value}
            replace_file(path, json.dumps({"version": code, **facts}).encode())
    return value


def _cldr_direction(language: str) -> str:
    locale = _locale(language)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def _cldr_og_locale(language: str) -> str:
    locale = _locale(language)
    if locale is None:
        return _primary(language)
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def _directions_file() -> Path | None:
    root = cache_root()
    return None if root is None else root / "directions.json"


def _directions_version() -> str:
    """Babel's version and this module's code: what decides a language's direction besides its tag."""
    return hashlib.sha256(f"{version('babel')}\0".encode() + Path(__file__).read_bytes()).hexdigest()


def _kept_facts(path: Path | None, code: str) -> dict[str, dict[str, Any]]:
    """The facts kept for this version, by kind (none from a damaged file or another version)."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != code:
        return {}
    return {kind: kept for kind, kept in data.items() if kind != "version" and isinstance(kept, dict)}


def catalog_for(language: str, site_messages: Mapping[str, Any] | None = None) -> Catalog:
    """The catalog of a language tag: `fr-CA.yaml` over `fr.yaml` (none for English), the site's own messages over both.

    A tag without its script takes the one CLDR says it is written in: `zh-TW` reads `zh-Hant.yaml`.
    `site_messages` are content/messages.yaml's, validated: a newsroom's own words for the theme's
    messages, or a whole catalog for a language factpress does not ship.
    """
    shipped = _catalog_in(TRANSLATIONS, language)
    if not site_messages:
        return shipped
    return Catalog(language, {**shipped.messages, **site_messages})


def has_catalog(language: str) -> bool:
    """True when factpress ships a catalog for the language (English needs none)."""
    catalog = _catalog_in(TRANSLATIONS, language)
    return catalog.english or bool(catalog.messages)


@functools.cache
def theme_messages() -> dict[str, str | None]:
    """Every message of the theme, from messages.txt: each with its plural (for a message with a count) or None."""
    found: dict[str, str | None] = {}
    last = None
    for line in (TRANSLATIONS / "messages.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("# "):
            continue
        if line.startswith(PLURAL_LINE) and last is not None:
            found[last] = line[len(PLURAL_LINE) :]
        else:
            found[line] = None
            last = line
    return found


#: `_("...")` and `ngettext("...", "...", n)` in a template (the theme's own are listed in messages.txt).
_STRING = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_TEMPLATE_MESSAGE = re.compile(rf"\b_\(\s*{_STRING}|\bngettext\(\s*{_STRING},\s*{_STRING}")


def _literal(written: str | None) -> str | None:
    """A Jinja string literal's value, in either quotes and with its escapes (None when unreadable)."""
    if written is None:
        return None
    try:
        value = ast.literal_eval(written)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def template_messages(folder: Path | None) -> dict[str, str | None]:
    """The messages a site's own templates use (as theme_messages gives them): its messages.yaml may translate them."""
    found: dict[str, str | None] = {}
    if folder is None:
        return found
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".html", ".svg", ".xml", ".txt") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):  # (a template that cannot be read fails the build where it is used)
            continue
        for match in _TEMPLATE_MESSAGE.finditer(text):
            single, plural, plurals = (_literal(group) for group in match.groups())
            if single is not None:
                found.setdefault(single, None)
            elif plural is not None:
                found[plural] = plurals
    return found


@functools.cache
def date_texts(language: str) -> tuple[str, ...]:
    """Dates of every month as the language writes them (CLDR's: 2025년 3월 1일), or none for English (the theme's)."""
    catalog = Catalog(language)
    if catalog.english:
        return ()
    dates = [catalog.date(2025, month, day) for month in range(1, 13) for day in (28, None)]
    return tuple(date for date in (*dates, catalog.date(2025, None, None)) if date)


def fills(translation: str, message: str) -> bool:
    """True when `%` fills the translation with the values the message takes (a count for `%(x)d`, else text)."""
    if "%" in _PLACEHOLDER.sub("", translation):  # `%(num)i`, `%(date)r`, `%5d`: not filled in by the theme
        return False
    values: dict[str, Any] = {name: "x" for name in placeholders(message)}
    values.update((name, 1) for name in re.findall(r"%\((\w+)\)d", message))
    try:
        translation % values
    except (KeyError, ValueError, TypeError):
        return False
    return True


def placeholders(message: str) -> set[str]:
    """The values a message fills in: `{'date'}` for "Checked %(date)s"."""
    return {name for name in _PLACEHOLDER.findall(message) if name}


def plural_categories(language: str) -> set[str]:
    """The plural categories (CLDR) a count's message may give in this language; `other` always."""
    locale = _locale(language) if language else None
    tags = set(locale.plural_form.tags) if locale is not None else {"one"}
    return tags | {"other"}


@functools.cache
def _catalog_in(folder: Path, language: str) -> Catalog:
    """catalog_for, made once a process per folder and language (each social card asks)."""
    messages: dict[str, Any] = {}
    tag = language.replace("_", "-")
    names = [_primary(tag)]
    script = _script(tag)
    if script:
        names.append(f"{_primary(tag)}-{script}")
    if tag.lower() not in (name.lower() for name in names):
        names.append(tag)
    for name in names:
        path = folder / f"{name}.yaml"
        if path.is_file():
            messages.update(_read_catalog(path))
    return Catalog(language, messages)


@functools.cache
def _read_catalog(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    return dict(messages) if isinstance(messages, dict) else {}


#: A placeholder in a message (`%(name)s`, `%(num)d`), or a written percent sign.
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")
_OPENING, _CLOSING = {"lparen", "lbracket", "lbrace"}, {"rparen", "rbracket", "rbrace"}


class ConstantMessages(Extension):
    """Translates `_("...")` calls while a template is compiled, so a page pays nothing for them.

    `_("Our verdict")` becomes its translation, a constant. `_("By %(names)s", names=who)` becomes
    the translation cut at its placeholders and joined with `~` to the values' expressions
    (`"Par " ~ (who)`): Jinja's autoescaping joins them as gettext would (text escaped, markup
    kept), without a call and a formatting per page. A translation naming a value the call does
    not give, or anything but keyword values, is left to the runtime `_`, which falls back to English.
    The environment's `factpress_catalog` decides; compiled templates are cached per catalog
    (render.make_environment), so a French and an English build never share one.
    """

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        catalog: Catalog | None = getattr(self.environment, "factpress_catalog", None)
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if (
                catalog is not None
                and token.type == "name"
                and token.value == "_"
                and i + 2 < len(tokens)
                and tokens[i + 1].type == "lparen"
                and tokens[i + 2].type == "string"
            ):
                end, values = _keyword_values(tokens, i + 3)
                text = catalog.text(tokens[i + 2].value)
                if values == {}:  # nothing to fill in: the text as it is (`%%` stays, as gettext leaves it)
                    yield Token(token.lineno, "string", text)
                    i = end
                    continue
                whole = i > 0 and tokens[i - 1].type == "variable_begin" and end < len(tokens)
                if values is not None and whole and tokens[end].type == "variable_end":
                    spliced = _spliced(token.lineno, text, values)  # `{{ _(...) }}`: text and `{{ value }}`s
                    if spliced is not None:
                        yield from spliced
                        i = end  # (the variable_end closes the last value, or an empty expression)
                        continue
                joined = None if values is None else _joined(token.lineno, text, values)
                if joined is not None:
                    yield from joined
                    i = end
                    continue
            yield token
            i += 1


def _keyword_values(tokens: list[Token], at: int) -> tuple[int, dict[str, list[Token]] | None]:
    """After a message's string: `, name=expression ...)` as each name's expression tokens, and where the call ends.

    None when the call is anything else (positional values, `**values`, the stream ending).
    """
    values: dict[str, list[Token]] = {}
    while at < len(tokens) and tokens[at].type == "comma":
        if at + 2 >= len(tokens) or tokens[at + 1].type != "name" or tokens[at + 2].type != "assign":
            return at, None
        name, at, depth, expression = tokens[at + 1].value, at + 3, 0, []
        while at < len(tokens):
            kind = tokens[at].type
            if depth == 0 and kind in ("comma", "rparen"):
                break
            depth += (kind in _OPENING) - (kind in _CLOSING)
            expression.append(tokens[at])
            at += 1
        if not expression:
            return at, None
        values[name] = expression
    if at >= len(tokens) or tokens[at].type != "rparen":
        return at, None
    return at + 1, values


def _spliced(lineno: int, text: str, values: dict[str, list[Token]]) -> list[Token] | None:
    """`{{ _("By %(names)s", names=x) }}` as template text and outputs: `By {{ (x) }}`.

    The `{{` before the call is already out: this closes it at once (an empty output would not
    parse, so the first piece is an empty string), then each literal is template data, escaped
    here as autoescaping would, and each value a `{{ (expression) }}` of its own, escaped as usual.
    """
    pieces = _pieces(text, values)
    if pieces is None:
        return None
    out = [Token(lineno, "string", ""), Token(lineno, "variable_end", "}}")]
    for literal, expression in pieces:
        if literal:
            out.append(Token(lineno, "data", str(escape(literal))))
        if expression is not None:
            out += [Token(lineno, "variable_begin", "{{"), Token(lineno, "lparen", "("), *expression]
            out += [Token(lineno, "rparen", ")"), Token(lineno, "variable_end", "}}")]
    out += [Token(lineno, "variable_begin", "{{")]  # closed by the call's own `}}`, after an empty string
    out.append(Token(lineno, "string", ""))
    return out


def _pieces(text: str, values: dict[str, list[Token]]) -> list[tuple[str, list[Token] | None]] | None:
    """The translation as (literal, value expression) pairs; None when a placeholder has no value."""
    pieces: list[tuple[str, list[Token] | None]] = []
    at, literal = 0, ""
    for match in _PLACEHOLDER.finditer(text):
        literal += text[at : match.start()]
        at = match.end()
        if match.group(1) is None:  # %%
            literal += "%"
            continue
        expression = values.get(match.group(1))
        if expression is None:
            return None
        pieces.append((literal, expression))
        literal = ""
    pieces.append((literal + text[at:], None))
    return pieces


def _joined(lineno: int, text: str, values: dict[str, list[Token]]) -> list[Token] | None:
    """`("part" ~ (value) ~ "part")` for a translation and its values' expressions; None if a placeholder has none."""
    pieces: list[list[Token]] = []
    at = 0
    for match in _PLACEHOLDER.finditer(text):
        literal = text[at : match.start()] + ("%" if match.group() == "%%" else "")
        if literal:
            pieces.append([Token(lineno, "string", literal)])
        if match.group(1) is not None:
            expression = values.get(match.group(1))
            if expression is None:
                return None
            pieces.append([Token(lineno, "lparen", "("), *expression, Token(lineno, "rparen", ")")])
        at = match.end()
    if text[at:] or not pieces:
        pieces.append([Token(lineno, "string", text[at:])])
    joined = [Token(lineno, "lparen", "(")]
    for index, piece in enumerate(pieces):
        if index:
            joined.append(Token(lineno, "tilde", "~"))
        joined.extend(piece)
    return [*joined, Token(lineno, "rparen", ")")]
