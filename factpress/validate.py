"""Stage 2: judge the raw project and build the model, collecting every problem before failing.

Raw YAML values in, frozen model objects and problems out. Each problem carries the file, line
and column of what the editor wrote, a stable code, and a hint where one helps. The only side
effect is the model cache (modelcache.py): results of claims files and sources.yaml are kept so
that an unchanged file is not judged again, and give exactly what judging it again would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from . import claimchunks, coldclaims
from .claimdeps import EMPTY_SHA256, NO_TEXT, Tables, citations, sources_with_pages, unaffected
from .digest import with_digest
from .errors import Location, Problem, lookalike_note, separator_note, suggest
from .excerpts import Folded, closest_passage, find_excerpt, fold
from .fields import (
    APPEARANCE_FIELDS,
    CLAIM_FIELDS,
    COLOUR,
    CONTACT_FIELDS,
    CORRECTION_FIELDS,
    EMAIL_ADDRESS,
    EVIDENCE_FIELDS,
    FIRST_YEAR,
    LANGUAGE,
    PAGE_FIELDS,
    PARTIAL_DATE,
    PERSON_FIELDS,
    PERSON_KINDS,
    PUBLISHER_FIELDS,
    SITE_FIELDS,
    SLUG,
    SOURCE_FIELDS,
    TOPIC_FIELDS,
    VERDICT_FIELDS,
)
from .fonts import FontError, metrics_of, missing_characters
from .i18n import (
    code_of_language_name,
    date_texts,
    fills,
    has_catalog,
    month_of_name,
    placeholders,
    plural_categories,
    template_messages,
    theme_messages,
)
from .load import LoadedDoc, RawPage, RawProject, normalised, parse_pending, snapshot_names
from .markup import (
    ANALYSIS_HEADING_BASE,
    blanked_code,
    forbidden_character,
    heading_ids,
    lookalike_hint,
    lookalike_hosts,
    mixed_script_label,
    removed_markup,
    without_forbidden,
)
from .model import (
    Appearance,
    Claim,
    Correction,
    Evidence,
    Page,
    PartialDate,
    Person,
    Publisher,
    Site,
    SiteConfig,
    Snapshot,
    Source,
    Topic,
    Verdict,
)
from .modelcache import code_version, columns, fingerprint, item_key, made_from_columns, relocate
from .sitelinks import FIXED_FILES, OWN_SECTIONS, SitePaths, published_sources, site_links, site_paths, taken_root_names
from .uris import canonical_host
from .yamlio import YamlList, YamlMap

T = TypeVar("T")

#: One claims-file entry as cached: (key, first line, the claim or None, its problems).
Item = tuple[str, int, Claim | None, list[Problem]]
#: A day as (year, month, day).
Day = tuple[int, int, int]

MAX_CLAIM_CHARS = 75
#: What the name of an image a browser shows as an icon ends with.
IMAGE_ENDINGS = (".svg", ".png", ".ico", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
#: The hint and severity of a date that cannot be in the future.
CHECK_THE_YEAR = {"hint": "check the year: it cannot have happened yet", "severity": "warning"}

#: Output folders a content page must not take over: the sections factpress writes, and names its files take.
RESERVED_SLUGS = OWN_SECTIONS | {"feed", "sitemap", "robots", "404", "index", "assets"}

#: What to write in a required file that is missing.
MISSING_FILE_HINTS = {
    "site": "write the site's title, base_url, language and publisher: {name: …, url: …}",
    "verdicts": "write the rating scale, best first: - {key: …, label: …, rating: …, colour: …, meaning: …}",
    "people": "write the claimants and fact-checkers: - {id: …, name: …, kind: person}",
    "sources": "write the evidence: - {id: …, title: …, snapshot: snapshots/….txt}",
    "topics": "write the topics: - {id: …, name: …}",
}

#: The file (kind of item) each kind of reference points into.
FILE_OF_KIND = {"verdict": "verdicts", "person": "people", "source": "sources", "topic": "topics", "claim": "claims"}

TYPE_NAMES = {dict: "a mapping", list: "a list", str: "text", bool: "true or false", int: "a number"}


def kind_name(value: Any) -> str:
    """A plain-words name for a YAML value's type, for messages to editors."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    return "text"


#: Items a list field of one entry may hold (evidence, topics, authors...): far more than any fact-check needs.
MAX_LIST_ITEMS = 200
CONTROL_HINT = "remove it (or the escape that writes it, such as \\x0b or \\0 in double quotes)"


def letters(text: str) -> int:
    """How long a text reads: its characters, less the marks written on a letter (हिंदी is 2, हिं and दी; not 5)."""
    return len(text) - sum(1 for ch in text if unicodedata.category(ch) in ("Mn", "Mc", "Me"))


#: Quotation marks that may open or close a whole claim: double ones of every script, then single ones.
_DOUBLE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u300c\u300d\u300e\u300f\u301d\u301e\uff02'
_SINGLE_MARKS = "'\u2018\u2019\u201a\u201b\u2039\u203a"
#: What may follow the closing mark of a claim written between quotation marks (`„…“.`).
_SENTENCE_END = ".!?\u3002\uff01\uff1f\u2026\u061f\u06d4"


def wrapping_quotes(text: str) -> str | None:
    """The marks around a claim written whole between quotation marks (`„Der Markt ist eingebrochen.“`), or None.

    The pages set the claim between its language's own marks, so these would show twice. A claim that
    quotes only part of itself (`„Rentenloch“ ist erfunden`) or two quotations (`"A" and "B"`) is not one.
    """
    if not text or text[0] not in _DOUBLE_MARKS + _SINGLE_MARKS:
        return None
    body = text.rstrip(_SENTENCE_END)
    marks = _DOUBLE_MARKS if text[0] in _DOUBLE_MARKS else _SINGLE_MARKS
    if len(body) < 3 or body[-1] not in marks or any(c in marks for c in body[1:-1]):
        return None
    return f"{text[0]} and {body[-1]}"


def control_character(text: str) -> str | None:
    """The first character HTML forbids in text, described ('the invisible control character U+000B'), or None.

    isprintable first: one C scan for most texts.
    """
    control = None if text.isprintable() else forbidden_character(text)
    if control is None:
        return None
    code = ord(control)
    kind = "invisible control character" if code <= 0x9F else "noncharacter"
    return f"the {kind} U+{code:04X}"


#: Bidirectional formatting characters that open a run (embeddings and overrides close with U+202C,
#: isolates with U+2069), and the overrides, which show the characters they cover in reverse order.
_BIDI_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_BIDI_ISOLATES = frozenset("\u2066\u2067\u2068")
_BIDI_OVERRIDES = frozenset("\u202d\u202e")
_BIDI_OPENERS = _BIDI_EMBEDDINGS | _BIDI_ISOLATES


def email_hint(email: str) -> str:
    """How to write a contact address: alone, since the rest of a mailto URL reaches every reader's mail."""
    address = re.split(r"[?&#,;]", email, maxsplit=1)[0]
    if address != email and EMAIL_ADDRESS.fullmatch(address):
        return f"write the address alone, '{address}': the rest would add recipients or text to every reader's mail"
    return "e.g. desk@example.org"


def bidi_name(ch: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch)}"


#: An unknown claim as Validator.reference reports it (after the label): its id, which never holds a quote.
_UNKNOWN_CLAIM = re.compile(r"unknown claim '([^']*)'")


def left_open(unclosed: str) -> tuple[str, str]:
    """What a text leaving a bidirectional run open does ('opens U+202E ... and never closes it'), and the hint."""
    closer = "\u2069" if unclosed in _BIDI_ISOLATES else "\u202c"
    return (
        f"opens {bidi_name(unclosed)} and never closes it",
        f"remove it, or close it where the passage ends with {bidi_name(closer)}",
    )


def unclosed_bidi(text: str) -> str | None:
    """The first bidirectional embedding, override or isolate the text opens and never closes, or None.

    A field goes into a page beside the site's own words (its title after the claim, the quotation marks
    around it): a run left open there turns those round too. Pairs as the Unicode bidirectional algorithm
    does: U+202C closes the latest embedding or override unless an isolate is open inside it, U+2069
    closes the latest isolate and whatever it holds.
    """
    if not any(ch in _BIDI_OPENERS for ch in text):
        return None
    open_runs: list[str] = []
    for ch in text:
        if ch in _BIDI_OPENERS:
            open_runs.append(ch)
        elif ch == "\u202c" and open_runs and open_runs[-1] in _BIDI_EMBEDDINGS:
            open_runs.pop()
        elif ch == "\u2069" and any(run in _BIDI_ISOLATES for run in open_runs):
            while open_runs.pop() not in _BIDI_ISOLATES:
                pass
    return open_runs[0] if open_runs else None


#: A line break or tab, with the spaces around it: one space in a field shown on one line. Tried only where
#: blanks start (a match takes all that follow it): 30,000 spaces before a letter were read from each (4 s).
_BREAKS = re.compile(r"(?<![ \t])[ \t]*[\r\n\t][ \t\r\n]*")

#: Printable characters that draw nothing: Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the blank
#: braille pattern, and marks that only shape their neighbour (the grapheme joiner, Khmer inherent
#: vowels, variation selectors). Within real text they are kept; a value of them alone shows a blank.
BLANK_FILLERS = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def visible(ch: str) -> bool:
    """Whether a character draws something: not a space, not a format or control character, not a filler."""
    return ch.isprintable() and not ch.isspace() and ch not in BLANK_FILLERS


def blank_text_hint(text: str) -> str:
    """Why a value of no visible character is empty, naming what it holds (a pasted U+3164 looks like a space)."""
    found = sorted({ch for ch in text if not ch.isspace() or not ch.isprintable()})
    shown = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'a format character')}" for ch in found[:3])
    more = " and more" if len(found) > 3 else ""
    held = f" ({shown}{more})" if shown else ""
    return f"it holds only invisible characters{held}: write its text"


class Fields:
    """Reads one YAML mapping's fields, reporting each mistake at the value's own position."""

    def __init__(self, data: YamlMap, label: str, problems: list[Problem]) -> None:
        self.data = data
        self.label = label
        self.problems = problems

    def error(self, key: str | None, message: str, code: str, hint: str = "", severity: str = "error") -> None:
        """Report a problem at the key's value (or at the mapping when key is None)."""
        loc = self.data.where(key) if key else self.data.loc
        self.problems.append(Problem(loc, f"{self.label}: {message}", code, severity, hint))

    def check_known(self, allowed: Iterable[str]) -> None:
        """Report each unknown field at its key, with a did-you-mean hint: a typo must not pass silently."""
        allowed = tuple(allowed)
        for key in self.data:
            if key not in allowed:
                loc = self.data.key_locs.get(key, self.data.loc)
                self.problems.append(
                    Problem(loc, f"{self.label}: unknown field '{key}'", "unknown-field", hint=suggest(key, allowed))
                )

    def present(self, key: str) -> bool:
        """True when the field is written with a non-null value."""
        return key in self.data and self.data[key] is not None

    def text(
        self, key: str, *, required: bool = True, default: str = "", ident: bool = False, lines: bool = False
    ) -> str:
        """A text field, exactly as written (numbers and booleans stay as the editor typed them).

        With `ident`, a written `null` is the id 'null' too, as the SPEC says for every id. Line
        breaks and tabs become one space unless the field has `lines` (an analysis): a claim written
        as a block (`claim: |`) went into titles, feeds and ClaimReview with its line breaks. A
        value of invisible characters alone (a pasted zero-width space, a Hangul filler) is empty.
        """
        if ident and self.data.get(key) is None and (self.data.text(key) or "").strip() not in ("", "~"):
            return (self.data.text(key) or "").strip()
        if key not in self.data or self.data[key] is None:
            if required and not self.emptied_by_comment(key):
                self.error(None, f"missing required field '{key}'", "missing-field")
            return default
        value = self.data[key]
        if isinstance(value, (dict, list)):
            self.error(key, f"field '{key}' must be text, not {kind_name(value)}", "wrong-type")
            return default
        raw = self.data.text(key)
        text = (raw if raw is not None else str(value)).strip()
        hint = ""
        printable = text.isprintable()  # (one C scan: the usual text is done here)
        if not printable and not lines:
            text = _BREAKS.sub(" ", text)
        if text and not visible(text[0]) and not any(map(visible, text)):  # (the usual text starts visibly)
            text, hint = "", blank_text_hint(text)
        if not text and required:
            self.error(key, f"field '{key}' is empty", "empty-field", hint=hint)
        control = None if printable else control_character(text)
        if control is not None:  # written as an escape in double quotes ("\x0b"): YAML refuses them raw
            self.error(
                key,
                f"field '{key}' contains {control}, which no page may hold",
                "control-character",
                hint=CONTROL_HINT,
            )
            text = without_forbidden(text, "")
        if not printable and not lines:
            self.check_bidi(key, text)
        return text

    def check_bidi(self, key: str, text: str) -> None:
        """Report bidirectional controls that show readers another text than the one written: a run left open
        (error: it reorders the site's own words after the field too) or an override (warning: the eye can
        read its letters in one order, search engines, screen readers and a copy in another)."""
        unclosed = unclosed_bidi(text)
        if unclosed is not None:
            opens, hint = left_open(unclosed)
            self.error(
                key,
                f"field '{key}' {opens}: it would also reorder the words the page puts after it (the site's name "
                "in the page title, a closing quotation mark)",
                "bidi-control",
                hint=hint,
            )
            return
        override = next((ch for ch in text if ch in _BIDI_OVERRIDES), None)
        if override is not None:
            self.error(
                key,
                f"field '{key}' holds {bidi_name(override)}, which forces the letters it covers into one direction: "
                "readers can see them in another order than search engines, screen readers and a copy get",
                "bidi-control",
                hint="remove it; to set a passage's direction use an isolate (U+2066, U+2067 or U+2068, "
                "closed by U+2069)",
                severity="warning",
            )

    def emptied_by_comment(self, key: str, what: str = "") -> bool:
        """Report a value YAML read as a comment (`colour: #1a7f37` is empty): an error at the value, saying why.

        The loader warns of every such comment; a field this value was needed for gets this error
        instead of 'missing required field', which sent editors looking for a field they had written.
        `what` names a value that always starts with '#' (the colour), which must then be quoted.
        """
        comment = self.data.cut_by_comment(key)
        if not comment:
            return False
        self.comment_error(self.data.where(key), comment, f"field '{key}' is empty", f"{key}: ", what)
        return True

    def comment_error(self, loc: Location, comment: str, empty: str, before: str, what: str = "") -> None:
        """The error for a value a '#' comment took whole: what is empty, why, and what to write (after `before`)."""
        quoted = f'{before}"{comment}"' if '"' not in comment and "\\" not in comment else ""
        self.problems.append(
            Problem(
                loc,
                f"{self.label}: {empty}: in YAML '#' starts a comment, so "
                + (f"the {what} must be quoted" if what else f"'{comment}' was left out"),
                "yaml-comment",
                "error",
                (f"write {quoted}" if what else f"quote the value to keep the '#': {quoted}") if quoted else "",
            )
        )

    def language(self, default: str, examples: str) -> str:
        """The `language` field, a language code; `default` when it is left out or is not one (reported)."""
        language = self.text("language", required=False)
        if not language:
            return default
        if not LANGUAGE.fullmatch(language):
            hyphened = language.replace("_", "-")
            hint = f"write '{hyphened}': a hyphen, not an underscore" if LANGUAGE.fullmatch(hyphened) else ""
            if not hint and (code := code_of_language_name(language)):
                hint = f"write the language's code: '{code}' for {language}"
            self.error(
                "language",
                f"'{language}' is not a language code",
                "invalid-language",
                hint=hint or f"use a code such as {examples}",
            )
            return default
        country = COUNTRY_CODES.get(language.split("-")[0].lower())
        if country is not None:
            place, code, name = country
            self.error(
                "language",
                f"'{language}' is the country code of {place}, not a language code",
                "invalid-language",
                hint=f"{name} is '{code}'",
            )
            return default
        return language

    def slug(self, key: str, *, required: bool = True) -> str:
        """An id field; an invalid one is reported with a suggested slug, but still returned."""
        value = self.text(key, required=required, ident=True)
        if value and not is_id(value):
            self.error(
                key,
                f"invalid {key} '{value}'",
                "invalid-id",
                hint=id_hint(value, "ids are lowercase letters, digits and single hyphens, e.g. "),
            )
        return value

    def url(self, key: str, *, required: bool = False) -> str:
        """An http(s) URL field; anything else is reported and read as ''."""
        value = self.text(key, required=required)
        if value and not is_web_url(value):
            self.error(key, f"'{value}' is not an http(s) URL", "invalid-url", hint=url_hint(value))
            return ""
        return value

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        """A full YYYY-MM-DD date field; None when absent or invalid (and reported)."""
        value = self.text(key, required=required)
        if not value:
            return None
        try:
            date = dt.date.fromisoformat(value) if len(value) == 10 else _raise()
        except ValueError:
            self.error(key, *not_a_date(value, "write dates as YYYY-MM-DD, e.g. 2025-07-09", days_only=True))
            return None
        return None if self.too_early(key, value, date.year, required) else date

    def partial_date(self, key: str, *, required: bool = True) -> PartialDate | None:
        """A date that may be only a year or month; None when absent or invalid (and reported)."""
        value = self.text(key, required=required)
        if not value:
            return None
        parsed = parse_partial_date(value)
        if parsed is None:
            hint = "write YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is known"
            self.error(key, *not_a_date(value, hint))
        elif self.too_early(key, value, parsed.year, required):
            return None
        return parsed

    def too_early(self, key: str, value: str, year: int, required: bool) -> bool:
        """Report a year before FIRST_YEAR: '0001' is a placeholder or a typo, and the page showed it as '1'."""
        if year >= FIRST_YEAR:
            return False
        instead = "write the real year" + ("" if required else f", or leave '{key}' out when it is not known")
        self.error(
            key,
            f"'{value}' is the year {year}: dates before the year {FIRST_YEAR} are refused",
            "invalid-date",
            hint=f"a year written with leading zeros is a placeholder or a typo: {instead}",
        )
        return True

    def boolean(self, key: str, default: bool = False) -> bool:
        """A true/false field; anything else is reported and read as the default."""
        if key not in self.data or self.data[key] is None:
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            self.error(
                key,
                f"field '{key}' must be true or false, not '{self.data.text(key) or kind_name(value)}'",
                "wrong-type",
            )
            return default
        return value

    def items(self, key: str, *, required: bool = False) -> Iterator[tuple[Any, Location, str | None]]:
        """Each item of a list field with its location and raw text; a lone scalar counts as one."""
        if key not in self.data or self.data[key] is None:
            if required and not self.emptied_by_comment(key):
                self.error(None, f"missing required field '{key}'", "missing-field")
            return
        value = self.data[key]
        if isinstance(value, YamlList):
            if not value and required:
                self.error(key, f"field '{key}' is an empty list", "empty-field")
            if len(value) > MAX_LIST_ITEMS:  # YAML aliases can repeat a list thousands of times in a few lines
                self.error(
                    key,
                    f"field '{key}' lists {len(value):,} items; an entry may list at most {MAX_LIST_ITEMS}",
                    "too-many-items",
                    hint="a list this long is usually a YAML alias (*name) repeated by mistake",
                )
                return
            for index, item in enumerate(value):
                comment = value.cut_by_comment(index) if item is None else ""
                if comment:  # (`- #desk`: say why it is empty, not that '' is an unknown person)
                    self.comment_error(value.where(index), comment, f"an item of '{key}' is empty", "- ")
                    continue
                yield item, value.where(index), value.raw[index]
        elif isinstance(value, dict):
            self.error(key, f"field '{key}' must be a list, not a mapping", "wrong-type")
        else:
            yield value, self.data.where(key), self.data.text(key)


#: Country codes written for the language of the country, which no language has as its code: a site
#: with `language: ua` got an English theme (no catalog), `lang="ua"` and English dates.
COUNTRY_CODES = {
    "ua": ("Ukraine", "uk", "Ukrainian"), "jp": ("Japan", "ja", "Japanese"), "gr": ("Greece", "el", "Greek"),
    "cn": ("China", "zh", "Chinese"), "kr": ("South Korea", "ko", "Korean"), "dk": ("Denmark", "da", "Danish"),
    "cz": ("Czechia", "cs", "Czech"), "rs": ("Serbia", "sr", "Serbian"), "ir": ("Iran", "fa", "Persian"),
    "il": ("Israel", "he", "Hebrew"), "gb": ("the United Kingdom", "en", "English"),
    "us": ("the United States", "en", "English"), "vn": ("Vietnam", "vi", "Vietnamese"),
    "al": ("Albania", "sq", "Albanian"), "by": ("Belarus", "be", "Belarusian"), "kz": ("Kazakhstan", "kk", "Kazakh"),
    "ge": ("Georgia", "ka", "Georgian"), "at": ("Austria", "de", "German"),
}  # fmt: skip


#: A citation typed with an input method in full-width mode, its brackets or parentheses full-width
#: (U+FF3B, U+FF3D, U+FF08, U+FF09): Markdown reads no link there, so the page shows it as typed. Its text in
#: brackets and the `(#` after it (group 2); or, in its place, text in brackets that no `(#` follows, taken whole:
#: every bracket inside it ends at the same place. Its target: wide_citations.
_WIDE_CITATION_TEXT = re.compile(r"[\[\uff3b]([^\]\uff3d\n]*+)([\]\uff3d][(\uff08]\s*+[#\uff03])?")
#: A wide citation's target, and the blanks after it, up to the `)` that must follow.
_WIDE_CITATION_TARGET = re.compile(r"([^)\uff09\s]*+)\s*+")
FULL_WIDTH_BRACKETS = frozenset("\uff3b\uff3d\uff08\uff09")


def wide_citations(text: str) -> Iterator[tuple[int, int, tuple[int, int], tuple[int, int]]]:
    """Each citation written with half- or full-width brackets and parentheses (U+FF3B, U+FF3D, U+FF08, U+FF09,
    U+FF03): its start, end, and the spans of its text and its id, in one pass.

    What the pattern of those marks, `[text](#id)` with each mark either width, finds with finditer:
    it read a target no parenthesis closes to its end again for every bracket before it (32 KB: 4 s).
    """
    target = (0, 0, 0)  # the last target read: its start, its end, and where the blanks after it end
    at = 0
    while (found := _WIDE_CITATION_TEXT.search(text, at)) is not None:
        at = found.end()
        if found.group(2) is None:
            continue
        if not target[0] <= at <= target[1]:  # (a target starting inside the last one ends where it does)
            read = _WIDE_CITATION_TARGET.match(text, at)
            target = (at, read.end(1), read.end()) if read else (at, at, at)  # (it matches anywhere)
        if text.startswith((")", "\uff09"), target[2]):
            yield found.start(), target[2] + 1, found.span(1), (at, target[1])
            at = target[2] + 1


def _raise() -> dt.date:
    raise ValueError


#: Ids become file and folder names (claims/<id>/, cards/<id>.png); file systems refuse names past
#: 255 bytes, so a longer id would fail the build at the write instead of at its own line.
MAX_ID_CHARS = 100


def is_id(value: str) -> bool:
    """A slug short enough to be a file name anywhere."""
    return len(value) <= MAX_ID_CHARS and SLUG.fullmatch(value) is not None


def slugify(text: str) -> str:
    """A suggestion for a valid id made from any text.

    Ids stay ASCII slugs (they are URL parts), so letters of any script are transliterated rather
    than dropped: 'élise-dupré' suggests 'elise-dupre', 'инфляция-2025' 'infliatsiia-2025'.
    python-slugify with text-unidecode does it (a kept table for every script; Unidecode is GPL),
    imported only here: a hint is rare, and the import costs a build 8 ms.
    """
    from slugify import slugify as transliterated

    return transliterated(text, max_length=MAX_ID_CHARS) or "my-id"


def id_hint(value: str, lead: str = "e.g. ", ending: str = "", *, listed: bool = False) -> str:
    """The hint for an invalid id: a valid one made from it, after naming any character that only looks right
    (or, for an item of a list, the full-width comma that joins two)."""
    if listed and (split := separator_note(value)):
        return split
    hint = f"{lead}'{slugify(value)}{ending}'"
    hidden = lookalike_note(value)
    return f"{hidden}; {hint}" if hidden else hint


@functools.lru_cache(maxsize=8192)
def parse_partial_date(value: str) -> PartialDate | None:
    """`2024`, `2024-06` or `2024-06-30` as a PartialDate; None unless it names a real year, month or day.

    Kept per text, so claims that give the same date share one (frozen) object: the model cache
    then stores it once per claims file and reads it back once (17,500 dates, 3,800 different, at
    10,000 claims).
    """
    match = PARTIAL_DATE.fullmatch(value)
    if not match:
        return None
    written = match.groups()
    year, month, day = (int(g) if g else 0 for g in written)
    if year < 1 or (written[1] is not None and not 1 <= month <= 12):  # '2024-00' names no month
        return None
    if written[2] is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    return PartialDate(year, month, day)


def first_day(date: PartialDate) -> dt.date:
    """The first day a partial date may mean: the claim was made no earlier (2025-03 is from 2025-03-01)."""
    return dt.date(date.year, date.month or 1, date.day or 1)


def published_in_future(claim: Claim, today: dt.date) -> bool:
    """A published claim dated after today; a draft may be scheduled ahead."""
    return not claim.draft and claim.published > today


def warned_dates(claim: Claim) -> list[dt.date]:
    """Every date of a claim that gets a future-date warning while it is still to come, one warning each.

    A draft's publication and update may be scheduled ahead; a claim, an appearance or a
    correction cannot have happened yet. dated_as_today and days_judged_alike count on this list.
    """
    dates = [first_day(claim.claim_date)]
    dates += [first_day(appearance.date) for appearance in claim.appearances if appearance.date is not None]
    dates += [correction.date for correction in claim.corrections]
    if not claim.draft:
        dates.append(claim.published)
        if claim.updated is not None:
            dates.append(claim.updated)
    return dates


#: What a linkable URL never holds: white space (re's \s is exactly str.isspace), <>"`, characters a
#: browser reads otherwise than Python (a backslash is a slash to it: `https://a.example\\@b.example/`
#: goes to a.example, while urlsplit finds b.example), ones HTML forbids in a URL ({}|^), and
#: invisible ones: controls, zero-width and bidirectional marks, which can disguise a host.
_NOT_IN_URL = re.compile(r'[\s<>"`\\{}|^\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]')


#: The usual http(s) URL, told apart without urlsplit (a third of judging an appearance): a host of
#: ASCII letters, digits, dots and hyphens, a port of at most five digits, no '@' anywhere (so no
#: user name), and nothing _NOT_IN_URL refuses. Anything else is judged by urlsplit.
_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::([0-9]{1,5}))?(?:[/?#][^@\s<>\"`\\{}|^\x00-\x1f\x7f]*)?")


def is_web_url(value: str) -> bool:
    """Only http(s) URLs with a host, no user name or password, a possible port and nothing hidden are linked."""
    plain = _PLAIN_WEB_URL.fullmatch(value)
    if plain is not None and value.isascii():
        return plain[1] is None or int(plain[1]) <= 65535
    return is_web_url_parsed(value)


def is_web_url_parsed(value: str) -> bool:
    """is_web_url, judged by urlsplit whatever the URL."""
    if _NOT_IN_URL.search(value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a port outside 0-65535)
    except ValueError:
        return False
    has_user = parts.username is not None or "@" in parts.netloc
    if parts.scheme not in ("http", "https") or not parts.hostname or has_user:
        return False
    return mixed_script_label(parts.hostname) is None


def url_hint(value: str) -> str:
    """How to mend a URL is_web_url refuses."""
    found = _NOT_IN_URL.search(value)
    if found is not None:
        char = found.group()
        what = "a space" if char == " " else f"the character U+{ord(char):04X} ({char!r})"
        return f"it holds {what}, which a link may not: percent-encode it (a space is %20) or remove it"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018
    except ValueError:
        return "its port is not a number from 1 to 65535"
    if parts.scheme in ("http", "https") and (parts.username is not None or "@" in parts.netloc):
        return "remove the user name and password (the part before '@'): every reader would see them"
    mixed = mixed_script_label(parts.hostname or "")
    if mixed is not None:
        return lookalike_hint(*mixed)
    return "write a full address starting with https://"


#: The last part of a base_url that names a page, not the folder the site is published in. Tried only where a
#: part starts: a part of 32,000 characters was read from each one back to every '.' in it (15 s).
_PAGE_NAME = re.compile(r"(?<![^/])[^/]+\.(?:s?html?|xhtml|php\d?|aspx?|jsp|cgi|xml|json)$", re.I)


def base_url_mistake(url: str) -> tuple[str, str] | None:
    """What is wrong with an http(s) URL as the address a site is published at: (message, hint), or None.

    Every page's address is base_url + its path, so a page name, a query or a fragment would end
    up inside every canonical URL (https://example.org/index.html/claims/…), and a password in
    every page; an impossible port makes every link dead.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    folder = f"{parts.scheme}://{host}{parts.path}"
    if parts.username is not None or parts.password is not None:
        return (
            "holds a user name or password, which every page would publish",
            f"write the public address alone, e.g. '{folder}'",
        )
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        written = parts.netloc.rpartition(":")[2]
        return f"has port '{written}', which no address can have (1 to 65535)", f"write e.g. '{folder}'"
    if port is not None:
        folder = f"{parts.scheme}://{host}:{port}{parts.path}"
    if parts.query or url.endswith("?"):
        return (
            f"has a query ('?{parts.query}'), which would be dropped from every link",
            f"remove it: '{folder}'",
        )
    if parts.fragment or url.endswith("#"):
        return (
            f"has a fragment ('#{parts.fragment}'), which would be dropped from every link",
            f"remove it: '{folder}'",
        )
    page = _PAGE_NAME.search(parts.path)
    if page is not None:
        return (
            f"names a page ('{page.group(0)}'), not the folder the site is published in",
            f"write the folder: '{folder[: len(folder) - len(page.group(0))]}'",
        )
    segments = parts.path.split("/")[1:-1] if parts.path.endswith("/") else parts.path.split("/")[1:]
    if any(segment in ("", ".", "..") for segment in segments):
        plain = "/".join(s for s in posixpath.normpath(parts.path or "/").split("/") if s)
        wrong = f"has an empty or dot folder in its path ('{parts.path}')"
        return (
            f"{wrong}: links would lead elsewhere (//static/ is a host)",
            f"write '{parts.scheme}://{parts.netloc}/{plain + '/' if plain else ''}'",
        )
    return None


#: What a URL path may hold as written; anything else (Arabic, spaces already refused) is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def site_address(url: str) -> str:
    """A site's address as every link writes it: ending in '/', the host canonical, the path percent-encoded.

    Sitemaps and feeds require URIs: `https://example.org/تحقق/` is published as
    `https://example.org/%D8%AA%D8%AD%D9%82%D9%82/`, which browsers show as written. The host is
    in lower case and ASCII (IDNA), without the scheme's default port (uris.canonical_host).
    """
    parts = urlsplit(url)
    netloc = canonical_host(url)
    path = quote(parts.path, safe=_PATH_SAFE)
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, netloc, path, parts.query, parts.fragment))


def shown_names(known: dict[str, Any]) -> dict[str, str]:
    """The ids of known verdicts, people, topics or sources by what the page shows (label, name or title), casefolded.

    An editor writes what the page shows (`verdict: לא נכון`, `claimant: City Council`), not the id.
    """
    names: dict[str, str] = {}
    for ident, item in known.items():
        shown = getattr(item, "label", None) or getattr(item, "name", None) or getattr(item, "title", None)
        if isinstance(shown, str):
            names.setdefault(shown.casefold(), ident)
    return names


def people_with_pages(claims: Iterable[Claim]) -> tuple[set[str], set[str]]:
    """Who gets a page (a published claim or review: see Library.people_with_pages), and who will once a draft is."""
    published: set[str] = set()
    drafted: set[str] = set()
    for claim in claims:
        (drafted if claim.draft else published).update((claim.claimant, *claim.authors))
    return published, drafted - published


def topics_with_pages(claims: Iterable[Claim], topics: Iterable[Topic]) -> tuple[set[str], set[str]]:
    """Which topics get a page (declared in topics.yaml, or named by a published claim), and which will once a draft is.

    Without topics.yaml, topics are taken from the claims, drafts' too: one only drafts name gets
    no page yet (link_site leaves it out), as a person known only from drafts.
    """
    published = {t for c in claims if not c.draft for t in c.topics}
    published |= {t.id for t in topics if t.declared}
    return published, {t.id for t in topics} - published


def body_location(loc: Location, body: str, offset: int) -> Location:
    """Where offset of a page's Markdown body, which starts at loc, is in its file."""
    line_start = body.rfind("\n", 0, offset) + 1
    return Location(loc.path, loc.line + body.count("\n", 0, offset), offset - line_start + 1)


#: Dead links given a did-you-mean: each compares the path with every page of its section (10,000 claims),
#: so a file of thousands of dead links must not take minutes to report.
HINTED_LINKS = 50


#: Quotation marks an editor may put around an excerpt (straight, curly, guillemets, CJK corner brackets).
QUOTE_MARKS = "\"'\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f "


#: Punctuation a source may set between quoted words and the closing mark (`pays. »`, `said,"`).
_INSIDE_CLOSING = ".,;:!?\u2026\u3002\u3001\uff0c\uff01\uff1f\u060c\u061f"


def quoted_in(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands between quotation marks, blanks and sentence punctuation aside."""
    before = text[max(0, start - 20) : start].rstrip()
    after = text[end : end + 20].lstrip().lstrip(_INSIDE_CLOSING).lstrip()
    return bool(before) and bool(after) and before[-1] in QUOTE_MARKS.strip() and after[0] in QUOTE_MARKS.strip()


def dead_link_problem(
    label: str,
    target: str,
    path: str,
    verdict: str,
    paths: SitePaths,
    *,
    with_hint: bool = True,
    base_url: str = "/",
) -> tuple[str, str, str, str]:
    """(message, code, hint, severity) for a link to `path` that sitelinks judged `verdict`.

    On a site published under a path (https://example.org/verificacion/), a root-relative link is
    put under that path: one that starts with it already is doubled, and one to another part of
    the host (`/newsletter/`) cannot reach it.
    """
    base_path = urlsplit(base_url).path or "/"
    under_base = base_path != "/" and target.startswith("/") and not target.startswith("//")
    if under_base and f"/{path}".startswith(base_path):
        meant = f"/{path}"[len(base_path) - 1 :]
        put_under = "(a link starting with / is put under the site's path)"
        message = f"{label} links to '{target}', published as '{base_path}{path}' {put_under}"
        return message, "dead-link", f"write '{meant}'", "error"
    if verdict == "draft":
        message = f"{label} links to '{target}', a draft: the link leads nowhere until it is published"
        if path.startswith(("people/", "sources/", "topics/")):  # (known only from drafts)
            message = f"{label} links to '{target}', whose page is published with the first fact-check that uses it"
        return message, "dead-link", "publish it first, or link to it later", "warning"
    hint = suggest(f"/{path}", [f"/{known}" for known in paths.nearest_candidates(path)]) if with_hint else ""
    if verdict == "missing":
        return f"{label} links to '{target}', which is not a page of this site", "dead-link", hint, "error"
    message = f"{label} links to '{target}', which this site does not publish"
    if under_base:
        message += f" (it is published as '{base_path}{path}')"
        address = f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}{target}"
        return message, "dead-link", hint or f"to link to another part of your website, write {address}", "warning"
    return message, "dead-link", hint or "if another part of your website serves it, all is well", "warning"


#: Bold that a plain-text field shows as typed, written with ** or __ as Markdown reads it (no blank inside the
#: marks: `2 ** 3 and 4 ** 5` is no bold; __ not inside a word: `a__b__c` is none either). Links: markdown_links.
_BOLD_IN_TEXT = re.compile(r"\*\*(?!\s)[^*\n]+(?<!\s)\*\*|(?<![^\W_])__(?!\s)[^_\n]+(?<!\s)__(?![^\W_])")
#: A link's text and the `](` after it (group 1); or, in its place, text in brackets that no `](` follows, taken
#: whole: every `[` inside it ends at the same `]`, so none of them starts a link.
_LINK_TEXT = re.compile(r"\[[^\]\n]++(\]\()?")
#: A link's target: up to a `)` (which must follow) or a blank.
_LINK_TARGET = re.compile(r"[^)\s]+")
#: Quotation marks around Markdown a plain-text field quotes on purpose (a viral post's own link): opening, closing.
_QUOTED = {
    '"': '"',
    "'": "'",
    "\u201c": "\u201d",
    "\u201e": "\u201c",
    "\u00ab": "\u00bb",
    "\u2018": "\u2019",
    "\u300c": "\u300d",
}


def plain_text(f: Fields, key: str, *, required: bool = True) -> str:
    """A field shown as written (a summary, a note): Markdown in it is warned of, as readers would see it typed.

    Not Markdown between quotation marks: a fact-check quoting a post's `[Claim your refund](…)` means it typed.
    """
    text = f.text(key, required=required)
    quoted = (
        (start, end)
        for start, end in markdown_in_text(text)
        if _QUOTED.get(text[start - 1 : start]) != text[end : end + 1]
    )
    written = next(quoted, None) if "*" in text or "_" in text or "](" in text else None
    if written:
        f.error(
            key,
            f"{key} is plain text: '{text[written[0] : written[1]]}' shows as typed",
            "markdown-in-text",
            hint="write it without Markdown; links and emphasis belong in the analysis",
            severity="warning",
        )
    return text


def markdown_in_text(text: str) -> Iterator[tuple[int, int]]:
    """Markdown in a plain-text field (a link, bold), as (start, end): the first, then the first after its end, ...

    What one pattern of both once found, searching again from each one's end; the next of each kind
    is kept until the search passes its start, so that neither is looked for again over text already read.
    """
    at = 0
    bold: tuple[int, int] | None = (-1, -1)  # the next bold from `at` ((-1, -1): to look for; None: there is none)
    link: tuple[int, int] | None = (-1, -1)
    while True:
        if bold is not None and bold[0] < at:
            found = _BOLD_IN_TEXT.search(text, at) if "*" in text or "_" in text else None
            bold = found.span() if found else None
        if link is not None and link[0] < at:
            link = next(markdown_links(text, at), None) if "](" in text else None
        first = min((span for span in (bold, link) if span is not None), default=None)
        if first is None:
            return
        yield first
        at = first[1]


def markdown_links(text: str, at: int = 0) -> Iterator[tuple[int, int]]:
    """Each `[text](target)` from `at`, as (start, end): where `\\[[^\\]\\n]+\\]\\([^)\\s]+\\)` matches, in one pass.

    That pattern read a target left open to its end again for every `[` before it (`[a](` 8,000
    times: 6 s). A target is read once: every `(` inside it has a target that ends where it ends.
    """
    target = (0, 0)  # the last target read, to its end
    while (found := _LINK_TEXT.search(text, at)) is not None:
        at = found.end()
        if found.group(1) is None:
            continue
        if not target[0] <= at < target[1]:
            run = _LINK_TARGET.match(text, at)
            if run is None:  # `[text]()`
                continue
            target = run.span()
        if text.startswith(")", target[1]):
            yield found.start(), target[1] + 1
            at = target[1] + 1


#: A day followed by a time (`2025-03-05T23:30:00+05:00`, `2025-03-05 10:00`).
_DAY_AND_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt ]\d")


def not_a_date(value: str, hint: str, *, days_only: bool = False) -> tuple[str, str, str]:
    """(message, code, hint) for a value that is no date: one with a time is told to give the day alone,
    one written another common way (`2025年7月20日`, `05.07.2025`, full-width digits) how to write it."""
    timed = _DAY_AND_TIME.match(value)
    if timed:
        day = timed.group(1)
        return f"'{value}' has a time: factpress dates are days", "invalid-date", f"write the day alone: {day}"
    readings = [iso for iso in iso_readings(value) if len(iso) == 10 or not days_only]
    if readings:
        form = "YYYY-MM-DD" if all(len(iso) == 10 for iso in readings) else "YYYY-MM-DD, or YYYY-MM for a month"
        meant = " or ".join(readings) + (", whichever is meant" if len(readings) > 1 else "")
        return f"'{value}' is not written YYYY-MM-DD", "invalid-date", f"write dates as {form}: {meant}"
    return f"'{value}' is not a real date", "invalid-date", hint


#: A date written year first with other separators: 2025/7/20, 2025.07.20, 2025年7月20日, 2025년 7월 20일.
_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/.年년]\s*(\d{1,2})\s*(?:[-/.月월]\s*(\d{1,2})\s*[日일]?|[月월])?")
#: A date written day first: 05.07.2025 (day.month everywhere dots are used), 20/06/2025 or 6/20/2025.
_DAY_FIRST = re.compile(r"(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4})")


#: A date written in words: `22 Haziran 2025`, `15. März 2025`, `15 июля 2025` (and the mark for 'year' after it),
#: `July 15, 2025`, `June 2025`.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+\.?)\s+(\d{4})(?:\s+[^\W\d_]{1,4}\.)?")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+\.?)\s+(\d{1,2}),?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([^\W\d_]+\.?)\s+(\d{4})(?:\s+[^\W\d_]{1,4}\.)?")


def iso_readings(value: str) -> list[str]:
    """The YYYY-MM-DD (or YYYY-MM) dates a value written another common way may mean: none, one, or two
    when a day and a month written with slashes could be either (`05/06/2025`)."""
    value = unicodedata.normalize("NFKC", value).strip()  # full-width digits and signs, as a Japanese IME types
    if in_words := _in_words(value):
        return in_words
    year_first = _YEAR_FIRST.fullmatch(value)
    if year_first:
        year, month, day = year_first.groups()
        return _real(int(year), int(month), int(day) if day else None)
    day_first = _DAY_FIRST.fullmatch(value)
    if day_first is None:
        return []
    first, sign, second, year = day_first.groups()
    a, b, y = int(first), int(second), int(year)
    if sign == "." or a > 12:  # dots: day first (de, pl, ru, tr, uk...)
        return _real(y, b, a)
    if b > 12:  # month first (en-US)
        return _real(y, a, b)
    return _real(y, b, a) + ([] if a == b else _real(y, a, b))


def _in_words(value: str) -> list[str]:
    """[the ISO form] of a date written with its month's name, in any language CLDR names months in, else []."""
    if found := _DAY_MONTH_YEAR.fullmatch(value):
        day, name, year = found.groups()
    elif found := _MONTH_DAY_YEAR.fullmatch(value):
        name, day, year = found.groups()
    elif found := _MONTH_YEAR.fullmatch(value):
        (name, year), day = found.groups(), None
    else:
        return []
    month = month_of_name(name)
    return _real(int(year), month, None if day is None else int(day)) if month else []


def _real(year: int, month: int, day: int | None) -> list[str]:
    """[the ISO form] of a real year, month and day (None: a month alone), else []."""
    try:
        dt.date(year, month, 1 if day is None else day)
    except ValueError:
        return []
    return [f"{year:04d}-{month:02d}" + ("" if day is None else f"-{day:02d}")]


def item_text(item: Any, raw: str | None) -> str:
    """A list item as the editor wrote it, stripped."""
    return (raw if raw is not None else str(item)).strip()


class Validator:
    """Validates a RawProject into a Site; call `run()`, then read `problems`."""

    def __init__(self, raw: RawProject, today: dt.date | None = None) -> None:
        self.raw = raw
        #: The day dates are judged against ('in the future'); given by tests, else the clock's.
        self.today = today or dt.date.today()
        #: `build --base-url`'s address, when it overrides site.yaml's (see validate_project).
        self.published_at: str | None = None
        self.problems: list[Problem] = list(raw.problems)
        self.files_with_syntax_errors = {p.location.path for p in raw.problems}
        #: Kinds of item ('people', 'claims', ...) whose file is missing or unusable as a whole:
        #: references to them are not reported again, one by one, as unknown.
        self.unusable: set[str] = set()

    # -- helpers -----------------------------------------------------------------------------

    def problem(self, loc: Location, message: str, code: str, hint: str = "", severity: str = "error") -> None:
        """Record a problem; validation goes on so every problem is reported at once."""
        self.problems.append(Problem(loc, message, code, severity, hint))

    def entries(self, kind: str, *, required: bool = True) -> Iterator[YamlMap]:
        """The mappings of a list-of-items file such as verdicts.yaml."""
        doc = self.raw.docs.get(kind)
        path = f"content/{kind}.yaml"
        if doc is None:
            if required:
                self.problem(Location(path), "the file is missing", "missing-file", hint=MISSING_FILE_HINTS[kind])
                self.unusable.add(kind)
            return
        yield from self.list_entries(doc.data, doc.path, kind)

    def list_entries(self, data: Any, path: str, kind: str) -> Iterator[YamlMap]:
        """The mapping entries of a file's list, reporting a file or entry of the wrong shape."""
        if data is None:
            self.unusable.add(kind)
            if path not in self.files_with_syntax_errors:
                self.problem(
                    Location(path, 1, 1),
                    f"{path} is empty",
                    "empty-file",
                    hint=f"write a list of {kind}, one '- ' entry each",
                )
            return
        if isinstance(data, YamlMap) and kind == "claims" and "id" in data:
            yield data
            return
        if not isinstance(data, YamlList):
            self.unusable.add(kind)
            self.problem(
                getattr(data, "loc", Location(path, 1, 1)),
                f"{path} must be a list of {kind}, not {kind_name(data)}",
                "not-a-list",
                hint="write one entry per item, each starting with '- '",
            )
            return
        for index, entry in enumerate(data):
            if isinstance(entry, YamlMap):
                yield entry
            else:
                written = f" '{data.raw[index]}'" if data.raw[index] is not None else ""
                self.problem(
                    data.where(index),
                    f"each entry of {path} must be a mapping of fields, not {kind_name(entry)}{written}",
                    "not-a-mapping",
                    hint="write each entry as fields, e.g. - {id: …, name: …}",
                )

    def item_fields(self, entry: YamlMap, kind: str, id_key: str, allowed: Iterable[str]) -> tuple[Fields, str]:
        """Start reading one entry: its id, a label naming it in messages, unknown fields reported."""
        f = Fields(entry, kind, self.problems)
        ident = f.slug(id_key)
        f.label = f"{kind} '{ident}'" if ident else kind
        f.check_known(allowed)
        return f, ident

    def unique(self, seen: dict[str, Location], ident: str, loc: Location, kind: str) -> bool:
        """True for an id not seen before; a duplicate is reported with where the first was defined."""
        if not ident:
            return False
        if ident in seen:
            first = seen[ident]
            self.problem(
                loc,
                f"duplicate {kind} id '{ident}' (first defined at {first})",
                "duplicate-id",
                hint="every id must be unique",
            )
            return False
        seen[ident] = loc
        return True

    def reference(
        self, value: str, loc: Location, known: dict[str, Any], kind: str, label: str, field: str = ""
    ) -> bool:
        """True when value names a known item; else report it, with a did-you-mean hint."""
        if value in known:
            return True
        if FILE_OF_KIND[kind] not in self.unusable:
            where = f" in {field}" if field else ""
            ident = self.ids_by_shown_name(known).get(value.casefold(), "")
            term = "key" if kind == "verdict" else "id"
            hint = f"'{value}' is what {kind} '{ident}' is called: write its {term}, '{ident}'" if ident else ""
            hint = hint or (separator_note(value) if field and field != "previous_verdict" else "")  # (a list's item)
            self.problem(
                loc, f"{label}: unknown {kind} '{value}'{where}", f"unknown-{kind}", hint=hint or suggest(value, known)
            )
        return False

    def ids_by_shown_name(self, known: dict[str, Any]) -> dict[str, str]:
        """Each known item's id by what the page shows of it, casefolded (see shown_names), worked out once per dict."""
        kept: dict[int, tuple[dict[str, Any], dict[str, str]]] = self.__dict__.setdefault("_shown_names", {})
        if id(known) not in kept:
            kept[id(known)] = (known, shown_names(known))  # (the dict kept too: its id is not reused meanwhile)
        return kept[id(known)][1]

    # -- files -------------------------------------------------------------------------------

    def site_config(self) -> SiteConfig:
        """content/site.yaml as a SiteConfig; a usable fallback when it is missing or wrong, so checks go on."""
        doc = self.raw.docs.get("site")
        fallback = SiteConfig("Untitled", "https://example.org/", "en", "", Publisher("Untitled"))
        if doc is None:
            self.problem(
                Location("content/site.yaml"), "the file is missing", "missing-file", hint=MISSING_FILE_HINTS["site"]
            )
            return fallback
        if not isinstance(doc.data, YamlMap):
            if doc.path not in self.files_with_syntax_errors:
                self.problem(Location(doc.path, 1, 1), "content/site.yaml must be a mapping of fields", "not-a-mapping")
            return fallback
        f = Fields(doc.data, "site", self.problems)
        f.check_known(SITE_FIELDS)
        title = f.text("title") or "Untitled"
        base_url = f.text("base_url")
        try:  # what is wrong with it as a site's address first: that says more than "not a URL"
            wrong = base_url_mistake(base_url) if base_url.startswith(("http://", "https://")) else None
        except ValueError:
            wrong = None
        if wrong is not None:
            f.error("base_url", f"base_url '{base_url}' {wrong[0]}", "invalid-url", hint=wrong[1])
            base_url = ""
        elif base_url and not is_web_url(base_url):
            f.error("base_url", f"'{base_url}' is not an http(s) URL", "invalid-url", hint=url_hint(base_url))
            base_url = ""
        base_url = site_address(base_url or "https://example.org/")
        language = f.language("en", "en, fr, pt-BR")
        publisher = Publisher(title)
        pub = doc.data.get("publisher")
        if isinstance(pub, YamlMap):
            pf = Fields(pub, "site publisher", self.problems)
            pf.check_known(PUBLISHER_FIELDS)
            logo = pf.text("logo", required=False)
            if logo and not ((logo.startswith("/") and not logo.startswith("//")) or is_web_url(logo)):
                pf.error(
                    "logo", f"'{logo}' must be a path on the site (starting with /) or an http(s) URL", "invalid-url"
                )
                logo = ""
            if logo and ".." in logo.split("/"):
                pf.error("logo", f"'{logo}' must not contain '..'", "unsafe-path")
                logo = ""
            publisher = Publisher(pf.text("name") or title, pf.url("url"), logo)
        elif pub is not None:
            f.error("publisher", "field 'publisher' must be a mapping with name, url and logo", "wrong-type")
        else:
            f.error(
                None,
                "missing required field 'publisher'",
                "missing-field",
                hint="publisher: {name: …, url: …, logo: …}",
            )
        email = ""
        contact = doc.data.get("contact")
        if isinstance(contact, YamlMap):
            cf = Fields(contact, "site contact", self.problems)
            cf.check_known(CONTACT_FIELDS)
            email = cf.text("email", required=False)
            if email and not EMAIL_ADDRESS.fullmatch(email):
                cf.error("email", f"'{email}' is not an email address", "invalid-email", hint=email_hint(email))
                email = ""
        elif contact is not None:
            f.error("contact", "field 'contact' must be a mapping such as {email: …}", "wrong-type")
        return SiteConfig(
            title, base_url, language, f.text("description", required=False), publisher, email, doc.data.loc
        )

    def verdicts(self) -> tuple[Verdict, ...]:
        """The rating scale, in file order; rated verdicts must be listed with falling ratings."""
        verdicts: list[Verdict] = []
        seen: dict[str, Location] = {}
        written_ratings = 0
        for entry in self.entries("verdicts"):
            f, key = self.item_fields(entry, "verdict", "key", VERDICT_FIELDS)
            label = f.text("label")
            meaning = f.text("meaning")
            colour = f.text("colour", required=False, default="#57606a")
            if f.emptied_by_comment("colour", "colour"):  # (an unquoted colour: the badge would silently be grey)
                colour = "#57606a"
            elif not COLOUR.fullmatch(colour):
                f.error(
                    "colour",
                    f"'{colour}' is not a colour",
                    "invalid-colour",
                    hint="write a hex colour such as '#1a7f37' (quoted)",
                )
                colour = "#57606a"
            rating = None
            written_ratings += f.present("rating")
            if f.present("rating"):
                value = entry["rating"]
                if isinstance(value, bool) or not isinstance(value, int):
                    f.error(
                        "rating",
                        f"rating must be a whole number, not '{entry.text('rating') or kind_name(value)}'",
                        "invalid-rating",
                    )
                else:
                    rating = value
            if self.unique(seen, key, entry.loc, "verdict"):
                verdicts.append(Verdict(key, label, meaning, colour, rating, len(verdicts), entry.loc))
        rated = [v for v in verdicts if v.rating is not None]
        if len(rated) == 1 and written_ratings == 1:  # (a rating written wrong is reported as such)
            self.problem(
                rated[0].loc,
                f"verdict '{rated[0].key}' is the only one with a rating: a scale needs a best and a worst",
                "rating-scale",
                hint="give the other verdicts of the scale a rating too (higher is more accurate), or none a rating",
                severity="warning",
            )
        self.check_labels_differ(verdicts)
        for before, after in itertools.pairwise(rated):
            if after.rating >= before.rating:  # type: ignore[operator]
                self.problem(
                    after.loc,
                    f"verdict '{after.key}': rating {after.rating} is not below '{before.key}' ({before.rating})",
                    "rating-order",
                    hint="list verdicts best first, with falling ratings",
                )
        doc = self.raw.docs.get("verdicts")
        if doc is not None and isinstance(doc.data, YamlList) and not doc.data:  # `[]`: no entry to blame
            self.unusable.add("verdicts")  # so no claim's verdict is called unknown as well
            self.problem(doc.data.loc, "the verdict scale is empty", "empty-file", hint=MISSING_FILE_HINTS["verdicts"])
        return tuple(verdicts)

    def check_labels_differ(self, verdicts: list[Verdict]) -> None:
        """Two verdicts the page names alike cannot be told apart by readers: `label: "True"` on the key false read
        as True on every page rated False, with check silent."""
        first: dict[str, Verdict] = {}
        for verdict in verdicts:
            shown = " ".join(verdict.label.casefold().split())
            if not shown:
                continue
            if shown in first:
                self.problem(
                    verdict.loc,
                    f"verdicts '{first[shown].key}' and '{verdict.key}' are both labelled '{verdict.label}': "
                    "readers cannot tell them apart",
                    "duplicate-label",
                    hint="give each verdict its own label",
                    severity="warning",
                )
            else:
                first[shown] = verdict

    def people(self) -> tuple[Person, ...]:
        """Claimants and fact-checkers from people.yaml."""
        people: list[Person] = []
        seen: dict[str, Location] = {}
        for entry in self.entries("people"):
            f, ident = self.item_fields(entry, "person", "id", PERSON_FIELDS)
            kind = f.text("kind", required=False, default="person")
            if kind not in PERSON_KINDS:
                f.error(
                    "kind",
                    f"kind must be 'person' or 'organization', not '{kind}'",
                    "invalid-kind",
                    hint=suggest(kind, PERSON_KINDS),
                )
                kind = "person"
            same_as = []
            for item, loc, raw in f.items("same_as"):
                text = item_text(item, raw)
                if is_web_url(text):
                    same_as.append(text)
                else:
                    self.problem(loc, f"{f.label}: same_as '{text}' is not an http(s) URL", "invalid-url")
            person = Person(
                ident,
                f.text("name"),
                kind,
                f.text("description", required=False),
                f.url("url"),
                tuple(same_as),
                entry.loc,
            )
            if self.unique(seen, ident, entry.loc, "person"):
                people.append(person)
        return tuple(people)

    def topics(self) -> tuple[Topic, ...] | None:
        """Declared topics; None when topics.yaml is absent, so claims' topics are accepted as written."""
        if "topics" not in self.raw.docs:
            return None
        topics: list[Topic] = []
        seen: dict[str, Location] = {}
        for entry in self.entries("topics"):
            f, ident = self.item_fields(entry, "topic", "id", TOPIC_FIELDS)
            topic = Topic(ident, f.text("name"), f.text("description", required=False), entry.loc)
            if self.unique(seen, ident, entry.loc, "topic"):
                topics.append(topic)
        return tuple(topics)

    def sources(self) -> tuple[Source, ...]:
        """Sources with their snapshots; from the model cache when sources.yaml and every snapshot are unchanged.

        2,500 sources cost more to parse and judge than every unchanged claims file costs to read
        back; their problems are reported again from the cache, and each source takes its snapshot
        as loaded now (its text read on first use; the key holds every snapshot's digest).
        """
        doc = self.raw.docs.get("sources")
        cache = self.raw.model_cache
        if doc is None or cache is None or not doc.sha256:
            return tuple(source for _, source in self.validated_sources())
        context = fingerprint(
            (
                code_version(),
                self.today,  # (a future date's warning expires: judged again once a day, 0.1 s for 2,500 sources)
                doc.path in self.files_with_syntax_errors,
                sorted((name, s.path, s.sha256) for name, s in self.raw.snapshots.items()),
            )
        )
        hit = doc.hit
        if hit is not None and hit["context"] == context:
            self.problems.extend(hit["problems"])
            if hit["unusable"]:
                self.unusable.add("sources")
            return self.cached_sources(hit["sources"])
        start = len(self.problems)
        validated = self.validated_sources()
        stored = {
            "names": tuple(name for name, _ in validated),
            "columns": columns([s for _, s in validated], Source, ("snapshot",)),
            # only a snapshot that could not be read is kept: the others are taken as loaded, by name
            "snapshots": tuple(None if name in self.raw.snapshots else s.snapshot for name, s in validated),
        }
        entry = {
            "bytes": doc.sha256,
            "found": doc.found,
            "snapshots": snapshot_names(doc),
            "context": context,
            "sources": stored,
            "problems": self.problems[start:],
            "unusable": "sources" in self.unusable,
        }
        cache.write(doc.path, entry)
        return tuple(source for _, source in validated)

    def cached_sources(self, stored: dict[str, Any]) -> tuple[Source, ...]:
        """The sources kept column by column, each with its snapshot as loaded now (every other field as kept)."""
        loaded = self.raw.snapshots
        snapshots = [loaded.get(name) or kept for name, kept in zip(stored["names"], stored["snapshots"], strict=True)]
        return tuple(made_from_columns(Source, {**stored["columns"], "snapshot": snapshots}))

    def validated_sources(self) -> list[tuple[str, Source]]:
        """Each valid source with its snapshot name; a missing snapshot gives an empty one (already reported)."""
        sources: list[tuple[str, Source]] = []
        seen: dict[str, Location] = {}
        for entry in self.entries("sources"):
            f, ident = self.item_fields(entry, "source", "id", SOURCE_FIELDS)
            path = f.text("snapshot")
            snapshot = self.raw.snapshots.get(path) or Snapshot(f"content/{path}", "", "")
            if snapshot.sha256 == EMPTY_SHA256:
                f.error(
                    "snapshot",
                    f"snapshot file '{snapshot.path}' is empty",
                    "empty-file",
                    hint="save the source's text in it (as UTF-8): excerpts are checked against it",
                )
            source = Source(
                id=ident,
                title=f.text("title"),
                publisher=f.text("publisher", required=False),
                published=f.partial_date("published", required=False),
                url=f.url("url"),
                snapshot=snapshot,
                archived=f.date("archived", required=False),
                archive_url=f.url("archive_url"),
                language=f.language("", "en, ru, pt-BR"),  # ('': the site's)
                loc=entry.loc,
            )
            self.check_source_dates(f, source)
            if self.unique(seen, ident, entry.loc, "source"):
                sources.append((path, with_digest(source)))
        return sources

    def check_source_dates(self, f: Fields, source: Source) -> None:
        """Warn of a source published or archived in the future, or archived before it was published: a typo."""
        published = first_day(source.published) if source.published else None
        for key, date, first in (("published", source.published, published), ("archived", source.archived, None)):
            if date is not None and (first or date) > self.today:
                f.error(key, f"{key} {date} is in the future", "future-date", **CHECK_THE_YEAR)
        if published and source.archived and source.archived < published:
            f.error(
                "archived",
                f"archived {source.archived}, before it was published ({source.published})",
                "implausible-date",
                hint="check both dates: a copy is archived on or after the day the source was published",
                severity="warning",
            )

    def published_logo(self, config: SiteConfig) -> SiteConfig:
        """The config, its publisher's logo dropped when it is a path to a file the site does not publish.

        Judged apart from the rest of site.yaml: whether the file is published depends on static/
        and root/, which the cache of site.yaml's judgement (kept by the file's bytes) does not see.
        """
        logo = config.publisher.logo
        if not logo.startswith("/") or self.logo_published(self.publisher_fields, logo):
            return config
        return replace(config, publisher=replace(config.publisher, logo=""))

    def publisher_fields(self) -> Fields:
        """site.yaml's publisher, to place a problem of its logo (a cached site.yaml is parsed only then)."""
        publisher = self.raw.docs["site"].data["publisher"]  # (where the logo was read from)
        return Fields(publisher, "site publisher", self.problems)

    def logo_published(self, fields: Callable[[], Fields], logo: str) -> bool:
        """Whether a logo given as a path is a file the site publishes: each page's icon, the ClaimReview's logo.

        A path in a section factpress writes (/static/...) that names no file is an error, as a dead
        link there is; elsewhere on the host it is a warning, as another part of the website may serve it.
        """
        if _NOT_IN_URL.search(logo):
            hint = "write a space as %20, or rename the file" if " " in logo else ""
            fields().error("logo", f"'{logo}' has a character a URL cannot hold", "invalid-url", hint=hint)
            return False
        path = unquote(urlsplit(logo).path).lstrip("/")
        static = site_paths([], {}, [], self.raw.static_dir, root_dir=self.raw.root_dir)
        if path in static.files:
            return True
        if path.split("/", 1)[0] not in OWN_SECTIONS:
            message = f"logo '{logo}' is not a file this site publishes"
            hint = "if another part of your website serves it, all is well"
            fields().error("logo", message, "dead-link", hint=hint, severity="warning")
            return True
        # (the project's own images: the theme's icons are no newsroom's logo)
        own = published_sources(self.raw.static_dir, "static/") if self.raw.static_dir else {}
        images = sorted(quote(f"/{p}") for p in own if p.endswith(IMAGE_ENDINGS))
        hint = suggest(logo, images) or "put the image in the project's static/ folder and write /static/<its name>"
        fields().error("logo", f"logo '{logo}' is not a file of the site", "dead-link", hint=hint)
        return False

    def check_static_names(self) -> None:
        """A file of the project's static/ may replace a theme file, but not one the build writes from the content."""
        folder = self.raw.static_dir
        if folder is None:
            return
        for written in FIXED_FILES:
            if written.startswith("static/") and (folder / written.removeprefix("static/")).is_file():
                self.problem(
                    Location(written),
                    f"{written} is written by factpress (the verdicts' colours): this file would replace it",
                    "reserved-name",
                    hint="rename it; the colours are set in content/verdicts.yaml (`colour`)",
                )

    def check_root_names(self, pages: tuple[Page, ...]) -> None:
        """A file of root/ is published at its own path: not at one the build writes a file or folder of its own."""
        folder = self.raw.root_dir
        if folder is None:
            return
        taken = taken_root_names(published_sources(folder), [p.slug for p in pages])
        for name, in_folder, written, what, written_folder in taken:
            where = f"under /{written}/" if written_folder else f"at /{written}"
            mine = "a folder" if in_folder else "a file"
            self.problem(
                Location(f"root/{name}"),
                f"factpress publishes {what} {where}: root/ cannot publish {mine} there",
                "reserved-name",
                hint="rename or remove it; root/ is for files no build writes, such as CNAME or .well-known/",
            )

    def pages(self) -> tuple[Page, ...]:
        """The content pages that are valid."""
        pages = []
        for raw in self.raw.pages:
            page = self.page(raw)
            if page is not None:
                pages.append(page)
        return tuple(pages)

    def page(self, raw: RawPage) -> Page | None:
        """One content page; None when its file name or front matter makes it unusable."""
        loc = Location(raw.path, 1, 1)
        ok = True
        if not is_id(raw.slug):
            self.problem(
                loc,
                f"page file name '{raw.slug}' is not a valid id",
                "invalid-id",
                hint=id_hint(raw.slug, "rename it to ", ".md"),
            )
            ok = False
        elif raw.slug in RESERVED_SLUGS:
            self.problem(
                loc,
                f"page '{raw.slug}' would replace the site's own /{raw.slug}/ section",
                "reserved-slug",
                hint="choose another file name",
            )
            ok = False
        if raw.meta is None:
            return None
        f = Fields(raw.meta, f"page '{raw.slug}'", self.problems)
        f.check_known(PAGE_FIELDS)
        title = f.text("title")
        nav = None
        if f.present("nav"):
            value = raw.meta["nav"]
            if isinstance(value, bool) or not isinstance(value, int):
                f.error("nav", "nav must be a whole number (the page's place in the footer)", "wrong-type")
            else:
                nav = value
        for offset, _text, removed in removed_markup(raw.body):
            where = body_location(Location(raw.path, raw.body_line, 1), raw.body, offset)
            self.problem(where, removed, "markup-removed", severity="warning")
        for offset, _host, message, hint in lookalike_hosts(raw.body):
            where = body_location(Location(raw.path, raw.body_line, 1), raw.body, offset)
            self.problem(where, f"page '{raw.slug}': {message}", "invalid-url", hint=hint)
        if not ok or not title:
            return None
        return Page(
            raw.slug, title, f.text("description", required=False), raw.body, nav, Location(raw.path, raw.body_line, 1)
        )

    # -- claims ------------------------------------------------------------------------------

    def claims(self, ctx: dict[str, Any]) -> tuple[Claim, ...]:
        """Every fact-check from claims.yaml and content/claims/; ids first, so `related` may point ahead.

        Each file's claims come from the model cache when neither the file nor anything its claims
        are checked against changed, so an unchanged file is neither parsed nor judged again.
        """
        if not self.raw.claim_docs:
            self.problem(
                Location("claims.yaml"),
                "no fact-checks: claims.yaml is missing",
                "missing-file",
                hint="write claims.yaml or content/claims/*.yaml",
            )
        tables = Tables(ctx, self.raw.model_cache)
        self.settle_pending(ctx, tables)
        shapes = [self.claims_file_shape(doc) for doc in self.raw.claim_docs]
        ids: dict[str, Location] = {}
        for shape in shapes:
            first = first_ids(shape)
            if ids.keys() & first.keys():  # an id given in two files: the first file's place is kept
                first = {raw_id: loc for raw_id, loc in first.items() if raw_id not in ids}
            ids.update(first)
        ctx["claims"] = ids
        context = self.claims_context(ctx)
        ids_digest = fingerprint(sorted(ids))
        seen: dict[str, Location] = {}
        claims: list[Claim] = []
        append, extend = claims.append, self.problems.extend
        for doc, shape in zip(self.raw.claim_docs, shapes, strict=True):
            results = self.validated_file(doc, shape, ctx, (context, ids_digest), tables)
            for (_raw_id, loc), (_key, _line, claim, problems) in zip(shape["index"], results, strict=True):
                if problems:
                    extend(problems)
                if claim is None:
                    continue
                ident = claim.id
                if ident and ident not in seen:  # self.unique, without a call for each of 10,000 claims
                    seen[ident] = loc
                    append(claim)
                else:
                    self.unique(seen, ident, loc, "claim")  # reports a duplicate
        tables.save()
        self.check_related_drafts(claims)
        self.check_aliases(claims)
        self.explain_former_ids(claims)
        return tuple(claims)

    def settle_pending(self, ctx: dict[str, Any], tables: Tables) -> None:
        """Parse the claims files loading left pending, judging them ahead on every core when that pays (coldclaims).

        Judged ahead, a file's claims are judged against these reference tables with every claim
        id taken as known; validated_file then takes its entry as a cache hit, checking each claim
        against the real ids.
        """
        context = self.claims_context(ctx)
        cache = self.raw.model_cache

        def judge(doc: LoadedDoc) -> dict[str, Any]:
            return self.judged_ahead(doc, ctx, context, tables.digest)

        found = coldclaims.settle(self.raw.claim_docs, judge, cache)
        self.problems.extend(found)
        self.files_with_syntax_errors.update(p.location.path for p in found)

    def judged_ahead(self, doc: LoadedDoc, ctx: dict[str, Any], context: str, tables: str) -> dict[str, Any]:
        """A pending claims file parsed and judged with every claim id taken as known: its model cache entry."""
        cached = doc.cached
        found = parse_pending(doc)
        shape = self.read_shape(doc.data, doc.path)
        items: list[Item] = []
        if shape["kind"] != "none":
            known: dict[str, Item] = {}  # an edited file that cannot be cut finds its unchanged entries by value
            if cached is not None and cached["context"] == context and cached["tables"] == tables:
                known = {item[0]: item for item in cached["items"] if item[0] and dated_as_today(item, self.today)}
            entries, _, _ = self.entries_quietly(doc.data, doc.path)
            ahead = {**ctx, "claims": coldclaims.AnyId()}
            keyed = doc.chunks is None
            items = [self.validated_entry(entry, doc.path, known, ahead, keyed) for entry in entries]
        return {
            "bytes": doc.sha256,
            "found": found,
            "shape": shape,
            "context": context,
            "ids": coldclaims.JUDGED_AHEAD,
            "tables": tables,
            "days": days_judged_alike(items, self.today),
            "items": items,
            "chunks": claimchunks.stored(doc.chunks[1]) if doc.chunks is not None else None,
        }

    def check_aliases(self, claims: list[Claim]) -> None:
        """A former id leads to one fact-check: it must be no other's id, nor another's former id."""
        if not any(claim.aliases for claim in claims):
            return
        ids = {claim.id: claim for claim in claims}
        taken: dict[str, Claim] = {}
        for claim in claims:
            for alias in claim.aliases:
                other = ids.get(alias) or taken.get(alias)
                if other is not None:
                    what = "the id of" if alias in ids else "also an alias of"
                    self.problem(
                        self.alias_location(claim, alias),
                        f"claim '{claim.id}': alias '{alias}' is {what} fact-check '{other.id}'",
                        "duplicate-id",
                        hint="an old address can lead to one fact-check only",
                    )
                else:
                    taken[alias] = claim

    def explain_former_ids(self, claims: list[Claim]) -> None:
        """Tell an unknown claim that is another's former id (in its `aliases`) whose it is, and its id now.

        A renamed fact-check keeps its old address, but `related` names ids: the did-you-mean found
        by spelling pointed elsewhere, or nowhere. Done when every claim is known, on the problems
        reported (from the cache too), so a cached file is told the same.
        """
        former = {alias: claim.id for claim in claims for alias in claim.aliases}
        if not former:
            return
        for index, problem in enumerate(self.problems):
            if problem.code != "unknown-claim":
                continue
            named = _UNKNOWN_CLAIM.match(problem.message.partition(": ")[2])
            now = former.get(named[1]) if named else None
            if named and now:
                hint = f"'{named[1]}' is a former id of fact-check '{now}' (in its aliases): write '{now}'"
                self.problems[index] = dataclasses.replace(problem, hint=hint)

    def alias_location(self, claim: Claim, alias: str) -> Location:
        """Where an alias is written in its claim's entry (the model keeps the entry's place only); else the entry."""
        lines = self.file_lines(claim.loc.path)
        start = claim.loc.line or 1
        after_key = False
        for number in range(start, min(len(lines), start + 200) + 1):
            line = lines[number - 1]
            if number > start and line.startswith("- "):
                break  # (the next entry)
            after_key = after_key or "aliases" in line
            column = re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", line) if after_key else None
            if column:
                return Location(claim.loc.path, number, column.start() + 1)
        return claim.loc

    def check_related_drafts(self, claims: list[Claim]) -> None:
        """A published claim's `related` naming a draft: the link is left out until the draft is published."""
        drafts = {claim.id for claim in claims if claim.draft}
        for claim in claims if drafts else ():
            for related in claim.related if not claim.draft else ():
                if related in drafts:
                    self.problem(
                        claim.loc,
                        f"claim '{claim.id}': related claim '{related}' is a draft: it is not shown until published",
                        "related-draft",
                        hint="keep it: the link appears once the draft is published",
                        severity="warning",
                    )

    def claims_file_shape(self, doc: LoadedDoc) -> dict[str, Any]:
        """What a claims file holds as a list: its shape problems, and each entry's raw id and place.

        Reports those problems (and an unusable file) now, so they come before any claim's, and
        reads them from the cache when the file's bytes are unchanged.
        """
        hit = doc.hit
        if hit is not None:
            shape = hit["shape"]
        elif doc.chunks is not None and not doc.parsed:  # an edited file: its chunks say
            chunks = doc.chunks[1]
            problems = [p for chunk in chunks for p in chunk.shape]
            index = [chunk.entry for chunk in chunks if chunk.entry is not None]
            shape = {"kind": "entries", "problems": problems, "unusable": False, "index": index}
        else:
            shape = self.read_shape(doc.data, doc.path)
        if shape["kind"] == "none":  # an empty or unparsable file: reported live, as it depends on the loader
            for _ in self.list_entries(None, doc.path, "claims"):
                pass
        else:
            self.problems.extend(shape["problems"])
            if shape["unusable"]:
                self.unusable.add("claims")
        return shape

    def read_shape(self, data: Any, path: str) -> dict[str, Any]:
        """The shape of a parsed claims file (see claims_file_shape), found without reporting anything."""
        if data is None:
            return {"kind": "none", "problems": [], "unusable": True, "index": []}
        entries, problems, unusable = self.entries_quietly(data, path)
        index = [(entry.text("id"), entry.loc) for entry in entries]
        return {"kind": "entries", "problems": problems, "unusable": unusable, "index": index}

    def entries_quietly(self, data: Any, path: str) -> tuple[list[YamlMap], list[Problem], bool]:
        """list_entries' entries, the problems it reports and whether it finds the file unusable, kept aside."""
        saved_problems, saved_unusable = self.problems, self.unusable
        self.problems, self.unusable = [], set()
        try:
            entries = list(self.list_entries(data, path, "claims"))
            return entries, self.problems, "claims" in self.unusable
        finally:
            self.problems, self.unusable = saved_problems, saved_unusable

    def claims_context(self, ctx: dict[str, Any]) -> str:
        """A digest of what every claim's judgement reads besides its own entry, the claim ids and the reference tables.

        Claim ids are read by `related` alone, and adding a fact-check must not judge every other
        again: see still_valid. Nor must adding a source or a person: see claimdeps.
        """
        return fingerprint((code_version(), ctx["language"], ctx["topics"] is None, sorted(self.unusable)))

    def validated_file(
        self, doc: LoadedDoc, shape: dict[str, Any], ctx: dict[str, Any], keys: tuple[str, str], tables: Tables
    ) -> list[Item]:
        """(key, first line, claim, problems) for each entry of a claims file, from the cache where it can.

        keys are the digests of the context (claims_context) and of the set of claim ids; tables,
        the references claims are checked against (claimdeps). The whole file comes from the cache
        when its bytes and context are unchanged (its entries whose `related` the new ids change,
        or whose references the new tables change, are judged again); otherwise each entry does
        when its text (an unchanged chunk of an edited file) or its value was validated in the
        same context, moved to where it is now. The file's entry is then stored.
        """
        context, ids_digest = keys
        ids = ctx["claims"]
        today = self.today
        cache = self.raw.model_cache if self.raw.model_cache is not None and doc.sha256 else None
        cached = doc.cached if cache is not None else None
        same_context = cached is not None and cached["context"] == context
        same_ids = same_context and cached["ids"] == ids_digest
        same_tables = same_context and cached["tables"] == tables.digest
        changed = tables.changes(cached["tables"]) if same_context and not same_tables else None
        tables.new |= not same_tables or (cached is not None and cached["ids"] == coldclaims.JUDGED_AHEAD)

        def reusable(item: Item, same_day: bool = False) -> bool:
            """Whether an item judged in this context is judged alike by these ids and tables, today."""
            return (
                (same_ids or still_valid(item, ids))
                and (same_day or dated_as_today(item, today))
                and (same_tables or (changed is not None and unaffected(item[2], item[3], changed)))
            )

        if same_context and cached["bytes"] == doc.sha256:
            items = cached["items"]
            same_day = within(cached.get("days"), today)
            unchanged = same_ids and same_day and same_tables
            stale = [] if unchanged else [i for i, item in enumerate(items) if not reusable(item, same_day)]
            if not stale and same_day and same_tables and cached["ids"] != coldclaims.JUDGED_AHEAD:
                return items  # kept as stored: still_valid is checked again next time
            items = list(items)
            if stale:
                entries = self.entries_at(doc, cached, stale)
                for index in stale:
                    _, line, claim, problems = self.validated_entry(entries[index], doc.path, {}, ctx, False)
                    items[index] = (items[index][0], line, claim, problems)
            days = days_judged_alike(items, today)
            entry = {**cached, "ids": ids_digest, "tables": tables.digest, "items": items, "days": days}
            cache.write(doc.path, entry, previous=cached)
            return items
        known: dict[str, Item] = {}
        if same_context:
            known = {item[0]: item for item in cached["items"] if item[0] and reusable(item)}
        chunks_stored = claimchunks.stored(doc.chunks[1]) if doc.chunks is not None else None
        if chunks_stored is None and cached is not None and cached["bytes"] == doc.sha256:
            chunks_stored = cached["chunks"]
        items = []
        if doc.chunks is not None and not doc.parsed:  # an edited file, read chunk by chunk
            text, chunks = doc.chunks
            old_items = self.items_by_chunk(cached) if same_context else {}
            for chunk in chunks:
                if chunk.entry is None:
                    continue
                old = old_items.get(chunk.reused) if chunk.reused is not None else None
                if old is not None and reusable(old):
                    key, line, claim, problems = old
                    delta = chunk.entry[1].line - line
                    claim, problems = relocate(claim, problems, doc.path, delta)
                    items.append((key, line + delta, claim, problems))
                else:
                    entry = claimchunks.item_of(text, chunk, doc.path)
                    items.append(self.validated_entry(entry, doc.path, known, ctx, cache is not None))
        elif shape["kind"] != "none":
            entries, _, _ = self.entries_quietly(doc.data, doc.path)
            keyed = cache is not None and chunks_stored is None  # a file cut in chunks finds its items by their text
            items = [self.validated_entry(entry, doc.path, known, ctx, keyed) for entry in entries]
        if cache is not None:
            entry = {"bytes": doc.sha256, "found": doc.found, "shape": shape, "context": context, "ids": ids_digest}
            entry["tables"] = tables.digest
            entry["days"] = days_judged_alike(items, today)
            cache.write(doc.path, {**entry, "items": items, "chunks": chunks_stored}, previous=cached)
        return items

    def entries_at(self, doc: LoadedDoc, cached: dict[str, Any], indexes: list[int]) -> dict[int, YamlMap]:
        """Some entries of a claims file, by index: of a file judged on another core, each read alone from its chunk.

        That file is not parsed here (coldclaims), and the claims judged again (a `related` naming a
        missing claim) are few; otherwise, or when its chunks are not known, the file is parsed whole.
        """
        if doc.pending is not None:
            text = doc.pending
            old = claimchunks.restored(cached.get("chunks"))
            chunks = claimchunks.from_edit(text, doc.path, old) if old else None
            mapped = [chunk for chunk in chunks or () if chunk.entry is not None]
            if chunks is not None and len(mapped) == len(cached["items"]):
                return {index: claimchunks.item_of(text, mapped[index], doc.path) for index in indexes}
        entries, _, _ = self.entries_quietly(doc.data, doc.path)
        return {index: entries[index] for index in indexes}

    @staticmethod
    def items_by_chunk(cached: dict[str, Any] | None) -> dict[int, Item]:
        """The cached items by the index of the stored chunk each was read from."""
        chunks = claimchunks.restored(cached["chunks"]) if cached is not None else None
        if chunks is None:
            return {}
        indexes = [index for index, chunk in enumerate(chunks) if chunk.entry is not None]
        if len(indexes) != len(cached["items"]):
            return {}
        return dict(zip(indexes, cached["items"], strict=True))

    def validated_entry(
        self,
        entry: YamlMap,
        path: str,
        known: dict[str, Item],
        ctx: dict[str, Any],
        keyed: bool,
    ) -> Item:
        """One entry's (key, line, claim, problems): from `known` when an entry of the same value was validated."""
        key = item_key(entry) if keyed else ""
        found = known.get(key) if key else None
        if found is not None:
            claim, problems = relocate(found[2], found[3], path, entry.loc.line - found[1])
        else:
            claim, problems = self.claim_alone(entry, ctx)
        return key, entry.loc.line, claim, problems

    def claim_alone(self, entry: YamlMap, ctx: dict[str, Any]) -> tuple[Claim | None, list[Problem]]:
        """One claim and the problems found in it alone (duplicate ids are judged across files later)."""
        saved = self.problems
        self.problems = []
        try:
            return self.claim(entry, ctx), self.problems
        finally:
            self.problems = saved

    def claim(self, entry: YamlMap, ctx: dict[str, Any]) -> Claim | None:
        """One fact-check with every field and reference checked; None without a usable id."""
        f, ident = self.item_fields(entry, "claim", "id", CLAIM_FIELDS)
        label = f.label
        text = f.text("claim")
        if len(text) > MAX_CLAIM_CHARS and (length := letters(text)) > MAX_CLAIM_CHARS:
            f.error(
                "claim",
                f"the claim is {length} characters; Google's guidance suggests at most {MAX_CLAIM_CHARS}",
                "claim-too-long",
                hint="keep `claim` short; put detail in the summary",
                severity="warning",
            )
        if text[:1] in _DOUBLE_MARKS + _SINGLE_MARKS and (marks := wrapping_quotes(text)):
            f.error(
                "claim",
                f"the claim is written between quotation marks ({marks}); the pages put it between"
                " the marks of its language, so readers would see them twice",
                "quoted-claim",
                hint=f"leave out the {marks} around the claim",
                severity="warning",
            )
        claimant = f.text("claimant", ident=True)
        if claimant:
            self.reference(claimant, entry.where("claimant"), ctx["people"], "person", label)
        verdict = f.text("verdict", ident=True)
        if verdict:
            self.reference(verdict, entry.where("verdict"), ctx["verdicts"], "verdict", label)
        language = f.language(ctx["language"], "en, ru, pt-BR")
        authors = self.id_list(f, "authors", ctx["people"], "person", required=True)
        topics = self.topic_list(f, ctx)
        related = self.id_list(f, "related", ctx["claims"], "claim")
        if ident in related:
            f.error("related", "a claim cannot be related to itself", "self-related")
            related = tuple(r for r in related if r != ident)
        published = f.date("published")
        updated = f.date("updated", required=False)
        if published and updated and updated < published:
            f.error("updated", f"updated ({updated}) is before published ({published})", "date-order")
        analysis = f.text("analysis", lines=True)
        self.check_citations(analysis, entry, label, ctx["sources"])
        for offset, written, removed in removed_markup(analysis):
            where = self.value_location(entry.where("analysis"), analysis, offset, written)
            self.problem(where, f"{label}: analysis: {removed}", "markup-removed", severity="warning")
        for offset, host, message, hint in lookalike_hosts(analysis):
            where = self.value_location(entry.where("analysis"), analysis, offset, host)
            self.problem(where, f"{label}: analysis: {message}", "invalid-url", hint=hint)
        claim = Claim(
            id=ident,
            claim=text,
            claimant=claimant,
            claim_date=f.partial_date("claim_date") or PartialDate(1),
            appearances=self.appearances(f, label),
            verdict=verdict,
            summary=plain_text(f, "summary"),
            analysis=analysis,
            evidence=self.evidence(f, label, ctx["sources"]),
            topics=topics,
            authors=authors,
            published=published or dt.date(1970, 1, 1),
            updated=updated,
            corrections=self.corrections(f, label, ctx["verdicts"], published, verdict),
            related=related,
            language=language,
            draft=f.boolean("draft"),
            aliases=self.aliases(f, ident),
            loc=entry.loc,
        )
        self.check_claim_dates(f, claim, published)
        return with_digest(claim) if ident else None

    def aliases(self, f: Fields, ident: str) -> tuple[str, ...]:
        """The ids a fact-check was published under before: valid ids, not its own (check_aliases compares claims)."""
        found: list[str] = []
        for item, loc, raw in f.items("aliases"):
            value = item_text(item, raw) if not isinstance(item, (dict, list)) else ""
            if not is_id(value):
                self.problem(
                    loc, f"{f.label}: alias '{value}' is not a valid id", "invalid-id", hint=id_hint(value, listed=True)
                )
            elif value == ident:
                message = f"{f.label}: alias '{value}' is its own id"
                self.problem(loc, message, "duplicate-id", hint="list only former ids", severity="warning")
            elif value not in found:
                found.append(value)
        return tuple(found)

    def check_claim_dates(self, f: Fields, claim: Claim, published: dt.date | None) -> None:
        """Warn about dates no fact-check can have: a typo in a year is otherwise published as written.

        Warnings, not errors: an odd date may be right (a claim dated to its year, a scheduled
        draft), and a build must not fail on a guess. Which are in the future depends on the day:
        see dated_as_today for keeping the model cache right from one day to the next.
        """
        if first_day(claim.claim_date) > self.today:
            f.error(
                "claim_date",
                f"claim_date {claim.claim_date} is in the future",
                "future-date",
                hint="check the year: a claim is checked after it was made",
                severity="warning",
            )
        if claim.updated is not None and not claim.draft and claim.updated > self.today:
            f.error(
                "updated",
                f"updated {claim.updated} is in the future",
                "future-date",
                hint="check the year: write the day the fact-check was last changed",
                severity="warning",
            )
        if published is None:
            return
        if published_in_future(claim, self.today):
            f.error(
                "published",
                f"published {published} is in the future",
                "future-date",
                hint="check the year, or keep it a draft (draft: true) until it is published",
                severity="warning",
            )
        if claim.claim_date.year > 1 and published < first_day(claim.claim_date):
            f.error(
                "published",
                f"published {published} is before the claim was made (claim_date {claim.claim_date})",
                "implausible-date",
                hint="check both dates: a fact-check is published after the claim it checks",
                severity="warning",
            )

    def id_list(
        self, f: Fields, key: str, known: dict[str, Any], kind: str, *, required: bool = False
    ) -> tuple[str, ...]:
        """A list of references to known items, deduplicated; unknown ones are reported and dropped."""
        ids: list[str] = []
        for item, loc, raw in f.items(key, required=required):
            if isinstance(item, (dict, list)):
                self.problem(loc, f"{f.label}: each of '{key}' must be an id, not {kind_name(item)}", "wrong-type")
                continue
            value = item_text(item, raw)
            if self.reference(value, loc, known, kind, f.label, key) and value not in ids:
                ids.append(value)
        return tuple(ids)

    def topic_list(self, f: Fields, ctx: dict[str, Any]) -> tuple[str, ...]:
        """A claim's topics, deduplicated; checked against topics.yaml only when it exists."""
        topics: list[str] = []
        declared = ctx["topics"]
        for item, loc, raw in f.items("topics"):
            value = item_text(item, raw) if not isinstance(item, (dict, list)) else ""
            if not is_id(value):
                named = declared is not None and value.casefold() in self.ids_by_shown_name(declared)
                if not named:  # a topic written by its name ('Енергетика') is told its id by reference()
                    message = f"{f.label}: topic '{value}' is not a valid slug"
                    self.problem(loc, message, "invalid-id", hint=id_hint(value, listed=True))
                    continue
            if declared is not None and not self.reference(value, loc, declared, "topic", f.label):
                continue
            if value not in topics:
                topics.append(value)
        return tuple(topics)

    def appearances(self, f: Fields, label: str) -> tuple[Appearance, ...]:
        """Where the claim was made; none at all is a warning, since readers should see the original."""
        found = []
        for item, loc, _raw in f.items("appearances"):
            if not isinstance(item, YamlMap):
                self.problem(
                    loc, f"{label}: each appearance must be a mapping with url, title, medium, date", "not-a-mapping"
                )
                continue
            af = Fields(item, f"{label} appearance", self.problems)
            af.check_known(APPEARANCE_FIELDS)
            url = af.url("url")
            title = af.text("title", required=not url)
            medium = af.text("medium", required=False)
            date = af.partial_date("date", required=False)
            if date is not None and first_day(date) > self.today:
                af.error("date", f"appearance dated {date}, in the future", "future-date", **CHECK_THE_YEAR)
            found.append(Appearance(title or url, url, medium, date))
        if not f.data.get("appearances"):  # absent or empty; unusable items were reported above
            f.error(
                None,
                "no appearances: where was the claim made?",
                "no-appearance",
                hint="add appearances: [{title: …, url: …}]",
                severity="warning",
            )
        return tuple(found)

    def evidence(self, f: Fields, label: str, sources: dict[str, Source]) -> tuple[Evidence, ...]:
        """A claim's evidence; each excerpt must be found in its source's snapshot."""
        found = []
        for item, loc, _raw in f.items("evidence", required=True):
            if not isinstance(item, YamlMap):
                self.problem(
                    loc, f"{label}: each evidence item must be a mapping with source, excerpt, note", "not-a-mapping"
                )
                continue
            ef = Fields(item, label, self.problems)
            ef.check_known(EVIDENCE_FIELDS)
            source_id = ef.text("source", ident=True)
            excerpt = ef.text("excerpt", lines=True)
            note = plain_text(ef, "note", required=False)
            if not source_id or not self.reference(source_id, item.where("source"), sources, "source", label):
                continue
            if not excerpt:
                continue
            spans = self.locate_excerpt(excerpt, sources[source_id], item.where("excerpt"), label)
            if spans is not None:
                found.append(Evidence(source_id, excerpt, note, spans, item.loc))
        return tuple(found)

    def locate_excerpt(self, excerpt: str, source: Source, loc: Location, label: str) -> tuple | None:
        """The excerpt's spans in the snapshot, or None after reporting the closest passage to help fix it."""
        if source.snapshot.sha256 in NO_TEXT:  # unreadable or empty: reported once, at the source
            return None
        folded = self.folded(source)
        spans = find_excerpt(excerpt, folded)
        if spans is not None:
            return spans
        detail: list[str] = []
        hint = "copy the words exactly from the snapshot; '…' may stand for skipped words"
        bare = excerpt.strip(QUOTE_MARKS).strip()
        if bare != excerpt and bare and (found := find_excerpt(bare, folded)) is not None:
            hint = "remove the quotation marks around the excerpt: the source has none there"
            if quoted_in(source.snapshot.text, found[0].start, found[-1].end):
                hint = (
                    "the source quotes these words, with other punctuation by its quotation marks"
                    " (see the closest passage): copy them with it, or leave the marks out"
                )
        near = closest_passage(excerpt, folded)
        if near is not None:
            detail.append(f'closest passage: "{near.passage}"')
            if near.difference and not hint.startswith("remove the quotation marks"):
                detail.append(f"differs: {near.difference}")
        self.problems.append(
            Problem(
                loc,
                f"{label}: excerpt not found in {source.snapshot.path} (source '{source.id}')",
                "excerpt-not-found",
                hint=hint,
                detail=tuple(detail),
            )
        )
        return None

    def folded(self, source: Source) -> Folded:
        """A source's snapshot folded for matching, once per snapshot: many claims cite the same source."""
        cache = self.__dict__.setdefault("_folded", {})
        if source.snapshot.path not in cache:
            cache[source.snapshot.path] = fold(source.snapshot.text)
        return cache[source.snapshot.path]

    def corrections(
        self, f: Fields, label: str, verdicts: dict[str, Verdict], published: dt.date | None, verdict: str
    ) -> tuple[Correction, ...]:
        """A claim's corrections, oldest first; previous_verdict must be a known verdict.

        A correction dated before the fact-check was published, or whose verdict change left the
        verdict as it was, is most likely a typo: a warning says so.
        """
        found = []
        changes: list[tuple[dt.date, str, Location]] = []
        for item, loc, _raw in f.items("corrections"):
            if not isinstance(item, YamlMap):
                self.problem(
                    loc,
                    f"{label}: each correction must be a mapping with date, note, previous_verdict",
                    "not-a-mapping",
                )
                continue
            cf = Fields(item, f"{label} correction", self.problems)
            cf.check_known(CORRECTION_FIELDS)
            date = cf.date("date")
            note = plain_text(cf, "note")
            previous = cf.text("previous_verdict", required=False, ident=True)
            where = item.where("previous_verdict")
            if previous and not self.reference(previous, where, verdicts, "verdict", label, "previous_verdict"):
                previous = ""
            if date and published and date < published:
                cf.error(
                    "date",
                    f"dated {date}, before the fact-check was published ({published})",
                    "implausible-date",
                    hint="check the date: a correction comes after publication",
                    severity="warning",
                )
            if date and previous:
                changes.append((date, previous, where))
            if date and note:
                if date > self.today:
                    cf.error("date", f"dated {date}, in the future", "future-date", **CHECK_THE_YEAR)
                found.append(Correction(date, note, previous))
        if changes and verdict:
            _, previous, where = max(changes, key=lambda change: change[0])  # the latest change; on a tie, the first
            if previous == verdict:
                self.problem(
                    where,
                    f"{label}: the latest correction's previous_verdict '{previous}' is the current verdict",
                    "same-verdict",
                    hint="previous_verdict is the verdict before the correction; leave it out when it did not change",
                    severity="warning",
                )
        in_order = sorted(changes, key=lambda change: change[0])
        for (day, before, _), (later, again, where) in itertools.pairwise(in_order):
            if again == before:
                self.problem(
                    where,
                    f"{label}: the corrections of {day} and {later} both give previous_verdict '{again}'",
                    "same-verdict",
                    hint=f"after the correction of {day} the verdict was no longer '{before}': "
                    "give the verdict each correction changed",
                    severity="warning",
                )
        return tuple(sorted(found, key=lambda c: c.date))

    def check_citations(self, analysis: str, entry: YamlMap, label: str, sources: dict[str, Source]) -> None:
        """Inline citations `[text](#source-id)` in the analysis must name a known source (or one of its headings).

        Not when sources.yaml is unusable (missing, empty, broken): its one error says it all, and
        every citation of every claim reported again as unknown would bury it.
        """
        if "sources" in self.unusable:
            return
        loc = entry.where("analysis")
        code_free = blanked_code(analysis)  # (same offsets: `[text](#source-id)` shown as code cites nothing)
        typed_wide = any(mark in code_free for mark in FULL_WIDTH_BRACKETS)  # (a search in C: most analyses have none)
        for start, end, text, ident in wide_citations(code_free) if typed_wide else ():
            marks = analysis[start : text[0]] + analysis[text[1] : ident[0]] + analysis[ident[1] : end]
            target = unicodedata.normalize("NFKC", code_free[ident[0] : ident[1]])  # (letters typed in full-width mode)
            if not is_id(target):  # (a bracketed label and a hashtag, as a quoted Japanese post writes them)
                continue
            if set(marks) & FULL_WIDTH_BRACKETS:  # (a full-width # alone makes a link: dead-link says so)
                written = analysis[start:end]
                typed = f"[{analysis[text[0] : text[1]]}](#{target})"
                self.problem(
                    self.value_location(loc, analysis, start, written),
                    f"{label}: analysis: '{written}' is written with full-width brackets, so it is no citation",
                    "full-width-markup",
                    hint=f"type it in half-width: {typed}",
                    severity="warning",
                )
        headings: frozenset[str] | None = None
        for match in citations(code_free):
            target = match.group(1)
            if target in sources:
                continue
            if headings is None:  # (parsed only for a link no source is called: to a heading, or a mistake)
                headings = heading_ids(analysis, ANALYSIS_HEADING_BASE)
            if target not in headings:
                self.problem(
                    self.value_location(loc, analysis, match.start(1) - 1, f"#{target}"),
                    f"{label}: analysis cites unknown source '#{target}'",
                    "unknown-citation",
                    hint=suggest(target, sources),
                )

    def file_lines(self, path: str) -> list[str]:
        """A content file's lines as the loader numbers them ([] when it cannot be read), read once per run."""
        cache: dict[str, list[str]] = self.__dict__.setdefault("_file_lines", {})
        if path not in cache:
            try:
                text = normalised((self.raw.root / path).read_bytes().decode("utf-8", "replace"))
            except (OSError, ValueError):
                text = ""
            cache[path] = text.split("\n") if text else []
        return cache[path]

    # -- all ---------------------------------------------------------------------------------

    def run(self) -> Site:
        """Validate every file in dependency order and build the Site; read `problems` afterwards."""
        config = self.published_logo(self.judged_alone("site", self.site_config))
        verdicts = self.judged_alone("verdicts", self.verdicts)
        people = self.judged_alone("people", self.people)
        topics = self.judged_alone("topics", self.topics)
        sources = self.sources()
        pages = self.pages()
        self.check_unique_pages(pages)
        self.check_static_names()
        self.check_root_names(pages)
        ctx: dict[str, Any] = {
            "language": config.language,
            "verdicts": {v.key: v for v in verdicts},
            "people": {p.id: p for p in people},
            "topics": {t.id: t for t in topics} if topics is not None else None,
            "sources": {s.id: s for s in sources},
        }
        claims = self.claims(ctx)
        if topics is None:
            names = sorted({t for c in claims for t in c.topics})
            topics = tuple(Topic(t, t.replace("-", " ").capitalize()) for t in names)
        messages = self.site_messages(config.language)
        fonts = self.card_fonts(config, verdicts, people, claims)
        site = Site(config, verdicts, people, topics, sources, claims, pages, messages, fonts)
        self.dead_links(site)
        return site

    # -- links in Markdown to the site's own pages ---------------------------------------------------

    def dead_links(self, site: Site) -> None:
        """Each link in an analysis or a page to a path of this site that no build publishes (sitelinks.py).

        In a section factpress writes (/claims/, /sources/...) it is an error: the link is dead. Elsewhere
        on the host it is a warning, as another part of the newsroom's website may serve it. A draft's
        page is a warning: the link works once the draft is published.
        """
        base_url = self.published_at or site.config.base_url
        texts = [(c.analysis, c.loc, f"claim '{c.id}': analysis", f"claims/{c.id}/", True) for c in self.linking(site)]
        texts += [(p.body, p.loc, f"page '{p.slug}'", f"{p.slug}/", False) for p in site.pages]
        paths: SitePaths | None = None
        dead = 0
        for text, loc, label, page, in_yaml in texts:  # (page: the folder the text is shown in)
            for offset, target, path in site_links(text, base_url, page):
                if paths is None:
                    paths = self.published_paths(site)
                verdict = paths.judge(path)
                if verdict == "ok":
                    continue
                where = self.value_location(loc, text, offset, target) if in_yaml else body_location(loc, text, offset)
                dead += 1
                self.problem(
                    where,
                    *dead_link_problem(
                        label, target, path, verdict, paths, with_hint=dead <= HINTED_LINKS, base_url=base_url
                    ),
                )

    def linking(self, site: Site) -> list[Claim]:
        """The claims whose analysis may link one of the site's pages: not those kept as linking none (digestsets.py).

        Looking for such links costs 5 microseconds an analysis, and most analyses only cite sources.
        """
        from . import sitelinks
        from .digestsets import DigestSet, digest_set_path, version_of

        project = f"{site.config.base_url}\0{site.config.title}"
        linkless = DigestSet(digest_set_path("linkless", project), version_of(Path(sitelinks.__file__)))
        linking = []
        for claim in site.claims:
            digest = claim.digest
            if digest and (digest in linkless or sitelinks.links_no_page(claim.analysis)):
                linkless.note(digest)
            else:
                linking.append(claim)
        linkless.save()
        return linking

    def published_paths(self, site: Site) -> SitePaths:
        """The paths a build of this site publishes (and those its drafts will), for the dead-link check."""
        people, people_waiting = people_with_pages(site.claims)
        sources, sources_waiting = sources_with_pages(site.claims, {s.id for s in site.sources})
        topics, topics_waiting = topics_with_pages(site.claims, site.topics)
        sections = {"sources": sources, "people": people}
        sections |= {"topics": topics, "verdicts": [v.key for v in site.verdicts]}
        claims = [(c.id, c.draft, c.aliases) for c in site.claims]
        pages = [p.slug for p in site.pages]
        return site_paths(
            claims,
            sections,
            pages,
            self.raw.static_dir,
            people_waiting,
            sources_waiting,
            topics_waiting,
            root_dir=self.raw.root_dir,
        )

    def value_location(self, loc: Location, text: str, offset: int, needle: str) -> Location:
        """Where the words at offset of a YAML value written at loc are in the file: the same occurrence of needle.

        The parsed text says only which line of a block scalar it is on (folding and quotes move
        it), so the file's own lines are searched from the value on; a file that cannot be read
        again gives the line the parsed text says, at column 1.
        """
        if not loc.line:
            return loc
        nth = text.count(needle, 0, offset) + 1
        lines = self.file_lines(loc.path)
        for number in range(loc.line, len(lines) + 1):
            column = lines[number - 1].find(needle, loc.col - 1 if number == loc.line and loc.col else 0)
            while column != -1:
                nth -= 1
                if not nth:
                    return Location(loc.path, number, column + 1)
                column = lines[number - 1].find(needle, column + 1)
        return Location(loc.path, loc.line + text.count("\n", 0, offset) + (1 if "\n" in text else 0), 1)

    # -- the site's own words for the theme (content/messages.yaml) and fonts for its cards (fonts/) --------

    def card_fonts(
        self, config: SiteConfig, verdicts: tuple[Verdict, ...], people: tuple[Person, ...], claims: tuple[Claim, ...]
    ) -> tuple[Path, ...]:
        """The project's fonts for the social cards, each readable; and a warning when a card has characters none has.

        DejaVu has no Chinese, Japanese, Korean, Devanagari or Thai: without a font of the site's
        own, those characters are drawn as empty boxes on every card.
        """
        fonts = []
        for path in self.raw.fonts:
            try:
                metrics_of(path)
            except (FontError, OSError) as exc:
                self.problem(
                    Location(f"fonts/{path.name}"),
                    f"this file cannot be read as a font: {exc}",
                    "unreadable-file",
                    hint="fonts/ holds the cards' fonts (.ttf, .otf or .ttc); replace or remove this file",
                )
            else:
                fonts.append(path)
        shown = self.card_texts(config, verdicts, people, claims)
        unusual = [text for _, text in shown if not text.isascii()]  # (DejaVu has every printable ASCII character)
        missing = set(missing_characters(unusual, tuple(fonts))) if unusual else set()
        if missing:
            drawn = [(where, text) for where, text in shown if not missing.isdisjoint(text)]
            places = list(dict.fromkeys(where for where, _ in drawn))
            first = self.missing_character_location(*drawn[0], missing)
            listed = sorted(missing)
            many = len(listed) > 1
            said = "they are left out of the cards" if many else "it is left out of the cards"
            self.problem(
                first,
                f"the social cards cannot draw {len(listed)} character{'s' if many else ''} "
                f"({', '.join(listed[:8])}{'…' if len(listed) > 8 else ''}): no font has "
                f"{'them' if many else 'it'}, so {said}"
                + (
                    f" (here and in {len(places) - 1} other place{'s' if len(places) > 2 else ''})"
                    if len(places) > 1
                    else ""
                ),
                "card-font",
                hint=f"put a font that has {'them' if many else 'it'} (.ttf or .otf, such as Noto Sans CJK or "
                "Noto Sans Devanagari) in the project's fonts/ folder (docs/languages.md)",
                severity="warning",
            )
        return tuple(fonts)

    def missing_character_location(self, where: Location | str, text: str, missing: set[str]) -> Location:
        """Where the first character no font has is written: a site.yaml field, or in an entry (on its own line)."""
        if isinstance(where, str):
            return self.site_field(where)
        offset, char = next((i, ch) for i, ch in enumerate(text) if ch in missing)
        return self.value_location(where, text, offset, char)

    def card_texts(
        self, config: SiteConfig, verdicts: tuple[Verdict, ...], people: tuple[Person, ...], claims: tuple[Claim, ...]
    ) -> list[tuple[Location | str, str]]:
        """Every text a social card draws, where it is written: claims, claimants, verdicts, and site.yaml's fields.

        A field of site.yaml is named, not placed: finding its place parses the file, which an
        unchanged one is not (validation reads it from the model cache).
        """
        cited = {c.claimant for c in claims}
        shown: list[tuple[Location | str, str]] = [(c.loc, c.claim) for c in claims]
        shown += [(p.loc, p.name) for p in people if p.id in cited]
        shown += [(v.loc, v.label) for v in verdicts]
        shown.append(("title", config.title))
        shown += [("language", date) for date in date_texts(config.language)]
        return shown

    def site_messages(self, language: str) -> dict[str, str | dict[str, str]]:
        """content/messages.yaml: the site's own words for the theme's messages, each checked against the theme's.

        Judged on every run (a short file; which plural forms it may give depends on the site's language).
        """
        doc = self.raw.docs.get("messages")
        if doc is None and not has_catalog(language):
            self.problem(
                self.site_field("language"),
                f"factpress has no catalog for '{language}': the theme's own words (menus, headings) stay in English",
                "untranslated-theme",
                hint="write them in content/messages.yaml (docs/languages.md); an empty 'messages: {}' keeps English",
                severity="warning",
            )
        if doc is None or doc.data is None:  # absent, empty, or a syntax error (reported already)
            return {}
        data = doc.data
        messages = data.get("messages") if isinstance(data, YamlMap) else None
        if not isinstance(messages, YamlMap):
            where = (
                data.where("messages") if isinstance(data, YamlMap) and "messages" in data else Location(doc.path, 1, 1)
            )
            self.problem(
                where,
                f"{doc.path} must hold a mapping 'messages:' of the theme's messages to the site's words",
                "not-a-mapping",
                hint='under messages:, one "English message": "your words" a line (as in factpress/translations/)',
            )
            return {}
        if isinstance(data, YamlMap):
            for key in data:
                if key != "messages":
                    self.problem(
                        data.key_locs.get(key, data.loc),
                        f"unknown field '{key}'",
                        "unknown-field",
                        hint="only 'messages:' is read",
                    )
        known = {**theme_messages(), **template_messages(self.raw.templates_dir)}
        categories = plural_categories(language)
        found: dict[str, str | dict[str, str]] = {}
        for message, value in messages.items():
            checked = self.site_message(messages, str(message), value, known, categories, language)
            if checked is not None:
                found[str(message)] = checked
        left = [m for m in theme_messages() if m not in found]
        if messages and left and not has_catalog(language):  # (an empty file says English is meant)
            self.problem(
                messages.loc,
                f"{len(left)} of the theme's {len(theme_messages())} messages stay in English, "
                f"such as '{printable_message(left[0])}'",
                "untranslated-theme",
                hint="factpress/translations/messages.txt lists them all, by the template that shows each",
                severity="warning",
            )
        return found

    def site_message(
        self,
        messages: YamlMap,
        message: str,
        value: Any,
        known: dict[str, str | None],
        categories: set[str],
        language: str,
    ) -> str | dict[str, str] | None:
        """One message of content/messages.yaml as the catalog takes it, or None when it cannot be used."""
        at = messages.key_locs.get(message, messages.loc)
        where = messages.where(message)
        if message not in known:
            self.problem(
                at,
                f"'{printable_message(message)}' is not a message of the theme, so it changes nothing",
                "unknown-message",
                hint=suggest(message, known) or "factpress/translations/messages.txt lists every message",
                severity="warning",
            )
            return None
        plural = known[message]
        if plural is None:
            text = messages.text(message) if isinstance(value, str) else None
            if not text or not any(map(visible, text)):
                self.problem(
                    where,
                    f"the message '{printable_message(message)}' must be text",
                    "wrong-type",
                    hint=f'"{message}": "…"',
                )
                return None
            if self.has_control(where, text):
                return None
            wanted, given = placeholders(message), placeholders(text)
            if wanted and UNNAMED_VALUE.search(text.replace("%%", "")):  # (filled in: `% s` is a value there)
                self.unfillable_problem(where, text)
                return None
            if not wanted and "%%" in text:
                self.problem(
                    where,
                    f"'{printable_message(text)}' fills in no value, so its %% is shown as it is",
                    "message-placeholders",
                    hint="write % once: only a message with values such as %(date)s needs %% for a percent sign",
                    severity="warning",
                )
            if not given <= wanted:
                self.placeholder_problem(where, message, wanted, text)
                return None
            if wanted and not fills(text, message):
                self.unfillable_problem(where, text)
                return None
            if given != wanted:
                self.placeholder_problem(where, message, wanted, text, severity="warning")
            return text
        if not isinstance(value, YamlMap):
            self.problem(
                where,
                f"'{printable_message(message)}' has a count: give its forms by plural category",
                "wrong-type",
                hint=f"{language} uses "
                + ", ".join(sorted(categories))
                + f': "{message}": '
                + "{"
                + ", ".join(f'{c}: "…"' for c in sorted(categories))
                + "}",
            )
            return None
        allowed = placeholders(message) | placeholders(plural) | {"num"}
        forms: dict[str, str] = {}
        for category, form in value.items():
            form_at = value.where(category)
            text = value.text(category) if isinstance(form, str) else None
            if str(category) not in categories:
                self.problem(
                    value.key_locs.get(category, value.loc),
                    f"'{category}' is not a plural form of {language}, so it is never shown",
                    "plural-forms",
                    hint=f"{language} uses " + ", ".join(sorted(categories)),
                    severity="warning",
                )
            elif not text or not any(map(visible, text)):
                self.problem(form_at, f"the form '{category}' needs text", "wrong-type")
            elif self.has_control(form_at, text):
                pass
            elif not placeholders(text) <= allowed:
                self.placeholder_problem(form_at, message, allowed, text)
            elif UNNAMED_VALUE.search(text.replace("%%", "")) or not fills(text, f"{message} {plural} %(num)d"):
                self.unfillable_problem(form_at, text)
            else:
                forms[str(category)] = text
        lacking = sorted(categories - set(forms) - {"other"} - {str(c) for c in value})
        if "other" in forms and lacking:
            self.problem(
                where,
                f"'{printable_message(message)}' has no {', '.join(lacking)} form: counts that take "
                f"{'it' if len(lacking) == 1 else 'them'} show the 'other' form",
                "plural-forms",
                hint=f"{language} uses " + ", ".join(sorted(categories)),
                severity="warning",
            )
        if "other" not in forms:
            if "other" in value:  # given, and reported above
                return None
            self.problem(
                where,
                f"'{printable_message(message)}' needs its 'other' form",
                "plural-forms",
                hint="other: is the form most counts take",
            )
            return None
        return forms

    def site_field(self, key: str) -> Location:
        """Where content/site.yaml gives a field (the file itself when it does not)."""
        site = self.raw.docs.get("site")
        data = site.data if site is not None else None
        return data.where(key) if isinstance(data, YamlMap) else Location("content/site.yaml")

    def has_control(self, where: Location, text: str) -> bool:
        """Report a message holding a control character, which no page may hold, or leaving a bidirectional run
        open, which turns round the words the page puts after it (as Fields.text does a field)."""
        control = control_character(text)
        if control is not None:
            self.problem(
                where,
                f"'{printable_message(text)}' contains {control}",
                "control-character",
                hint=CONTROL_HINT,
            )
            return True
        unclosed = unclosed_bidi(text)
        if unclosed is not None:
            opens, hint = left_open(unclosed)
            self.problem(
                where,
                f"'{printable_message(text)}' {opens}: it would also reorder the words the page puts after it on "
                "the same line",
                "bidi-control",
                hint=hint,
            )
            return True
        return False

    def unfillable_problem(self, where: Location, text: str) -> None:
        """A translation Python's % cannot fill in (a lone %, `%(date)d` for text): the page would show the English."""
        self.problem(
            where,
            f"'{printable_message(text)}' cannot be filled in: write %% for a percent sign, and each value as "
            "the message writes it (%(name)s, or %(num)d for a count)",
            "message-placeholders",
        )

    def placeholder_problem(
        self, where: Location, message: str, wanted: set[str], text: str, severity: str = "error"
    ) -> None:
        """A translation naming a value its message does not fill in (it would show in English), or leaving one out."""
        extra, left_out = sorted(placeholders(text) - wanted), sorted(wanted - placeholders(text))
        names = ", ".join(f"%({name})s" for name in (extra or left_out))
        said = (
            f"names {names}, which the message does not fill in"
            if extra
            else f"leaves out {names}: pages will not show it"
        )
        self.problem(
            where,
            f"'{printable_message(text)}' {said}",
            "message-placeholders",
            hint=f"the message is '{printable_message(message)}'; keep each %(name)s, where the sentence needs it",
            severity=severity,
        )

    def judged_alone(self, kind: str, judge: Callable[[], T]) -> T:
        """What judging a file that reads no other gives (site.yaml, verdicts.yaml, ...), from the cache when unchanged.

        Its value, problems and whether it is unusable depend only on its bytes (and whether
        loading found syntax errors in it) and this code; people.yaml alone cost 20 ms to parse
        and judge at 10,000 claims.
        """
        doc = self.raw.docs.get(kind)
        cache = self.raw.model_cache
        if doc is None or cache is None or not doc.sha256:
            return judge()
        broken = doc.path in self.files_with_syntax_errors
        hit = doc.hit
        if hit is not None and hit["broken"] == broken:
            self.problems.extend(hit["problems"])
            if hit["unusable"]:
                self.unusable.add(kind)
            return hit["value"]  # type: ignore[no-any-return]
        start = len(self.problems)
        value = judge()
        entry = {"bytes": doc.sha256, "found": doc.found, "broken": broken, "value": value}
        cache.write(doc.path, {**entry, "problems": self.problems[start:], "unusable": kind in self.unusable})
        return value

    def check_unique_pages(self, pages: tuple[Page, ...]) -> None:
        """Report two pages with the same slug: they would write the same folder."""
        seen: dict[str, Location] = {}
        for page in pages:
            self.unique(seen, page.slug, page.loc, "page")


#: A value written without its name (`%s`, `%d`): a message fills in only named ones, %(name)s.
UNNAMED_VALUE = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def printable_message(text: str, most: int = 60) -> str:
    """A message as a report quotes it: long ones cut short."""
    return text if len(text) <= most else text[: most - 1] + "…"


def first_ids(shape: dict[str, Any]) -> dict[str, Location]:
    """Each valid claim id of a claims file, at its first place in the file; kept in the shape and its cache entry.

    Ids are read stripped, as every other id is (Fields.text): the claim `id: "bridge-cost "`
    builds /claims/bridge-cost/, so `related: [bridge-cost]` must find it.
    """
    first = shape.get("ids")
    if first is None:
        first = {}
        for raw_id, loc in shape["index"]:
            ident = raw_id.strip() if raw_id else ""  # as Fields.text reads it: "bridge-cost " is bridge-cost
            if ident and ident not in first and is_id(ident):
                first[ident] = loc
        shape["ids"] = first
    return first


def still_valid(item: Item, ids: dict[str, Any]) -> bool:
    """Whether a claim validated against other claim ids is judged the same against these.

    Only `related` reads the claim ids: a reference that was found is found again while its id
    exists, and nothing else about it depends on the others; an unknown one's hint lists the ids
    close to it, so a claim with one (or without an id, whose references are not kept) is judged again.
    """
    _, _, claim, problems = item
    if claim is None or any(p.code == "unknown-claim" for p in problems):
        return False
    return all(related in ids for related in claim.related)


def dated_as_today(item: Item, today: dt.date) -> bool:
    """Whether a claim judged on another day has the future-date warnings it would have today."""
    _, _, claim, problems = item
    warned = sum(p.code == "future-date" for p in problems)
    if claim is None:  # its dates are not kept: judged again only if a warning may have expired
        return not warned
    return warned == sum(date > today for date in warned_dates(claim))


def days_judged_alike(items: list[Item], today: dt.date) -> tuple[Day, Day]:
    """The days (from, and before) on which a claims file's items, judged today, are judged the same.

    Only future-date warnings depend on the day: the judgement holds from the latest of the
    claims' dates that are past until the earliest that is still to come. A whole file then
    comes from the cache on another day with one comparison, not one per claim. Days are
    (year, month, day) tuples: cheaper to make and compare than dates, for 10,000 claims.
    """
    now = (today.year, today.month, today.day)
    since, until = (1, 1, 1), (10_000, 1, 1)
    for _, _, claim, problems in items:
        if claim is None:
            if any(p.code == "future-date" for p in problems):  # its dates are not kept: checked again tomorrow
                tomorrow = today + dt.timedelta(days=1)
                until = min(until, (tomorrow.year, tomorrow.month, tomorrow.day))
            continue
        for date in warned_dates(claim):
            day = (date.year, date.month, date.day)
            if day > now:
                until = min(until, day)
            elif day > since:
                since = day
    return since, until


def within(days: tuple[Day, Day] | None, today: dt.date) -> bool:
    """Whether today is among the days a file's cached judgement holds for (see days_judged_alike)."""
    return days is not None and days[0] <= (today.year, today.month, today.day) < days[1]


def validate_project(
    raw: RawProject, today: dt.date | None = None, *, base_url: str | None = None
) -> tuple[Site, list[Problem]]:
    """Judge every file of the project; return the model and every problem (results kept in the model cache).

    today: the day dates are judged against (the clock's by default; tests pass one). base_url: the
    address a build publishes at when `--base-url` overrides site.yaml's (links are judged against it).
    """
    validator = Validator(raw, today)
    validator.published_at = base_url
    site = validator.run()
    return site, without_repeated_comment_warnings(validator.problems)


def without_repeated_comment_warnings(problems: list[Problem]) -> list[Problem]:
    """The problems less the loader's comment warning on a line where a field's error says the same (see Fields)."""
    said = {(p.location.path, p.location.line) for p in problems if p.code == "yaml-comment" and p.is_error}
    if not said:
        return problems
    return [
        p for p in problems if p.code != "yaml-comment" or p.is_error or (p.location.path, p.location.line) not in said
    ]
