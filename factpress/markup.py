"""Markdown to safe HTML: markdown-it-py for parsing, nh3 (ammonia) as the allow-list sanitiser.

Editors may write raw HTML in Markdown; whatever they write, only the allow-listed tags and
attributes survive and only http(s), mailto and relative links are kept. Inline citations
`[text](#source-id)` become numbered references to the fact-check's evidence list.

markdown-it is imported on the first Markdown rendered, not with this module: a build whose
analyses all come from the Markdown cache never needs it (its import costs some 50 ms).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import nh3

from .excerpts import written_without_spaces

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

#: ruby, rt and rp: readings written over Chinese or Japanese characters (furigana), ordinary in Japanese.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
    "small", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "td": {"align"}, "th": {"align", "scope"},
    "ol": {"start"},
}  # fmt: skip
#: Classes only as factpress itself sets them: raw HTML cannot borrow the theme's look (a
#: `verdict-badge verdict-true` inside an analysis would pass for the fact-check's own verdict).
CLASS_VALUES = {"a": {"class": {"cite"}}, "sup": {"class": {"ref"}}}
URL_SCHEMES = {"http", "https", "mailto"}
#: Every id written in Markdown (heading anchors, raw HTML) gets this prefix, so a heading named
#: "Corrections" or "Evidence 1" cannot take an id the theme uses (`corrections`, `evidence-1`).
ID_PREFIX = "sec-"

#: Characters HTML does not allow in text (PDF-to-text output and pasted text carry them): controls (tab
#: and line breaks aside) and Unicode's noncharacters (U+FDD0-U+FDEF, and the last two of every plane,
#: U+FFFE... U+10FFFF). Those past the first plane are found by one range and told apart by is_forbidden:
#: a class listing all 32 made every search of a snapshot 16 times slower.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]")


def _is_forbidden(char: str) -> bool:
    """True for what _FORBIDDEN finds that HTML forbids: all but characters past U+1FFFE not ending in FFFE/FFFF."""
    code = ord(char)
    return code < 0x1FFFE or code & 0xFFFE == 0xFFFE


def forbidden_character(text: str) -> str | None:
    """The first character of text HTML forbids, or None.

    Every such character is unprintable: text that is printable once its line breaks and tabs are
    left out has none (two C scans, a third of the search's time over an analysis of 10,000).
    """
    if text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
        return None
    for match in _FORBIDDEN.finditer(text):
        if _is_forbidden(match.group()):
            return match.group()
    return None


def without_forbidden(text: str, replacement: str) -> str:
    """The text with each character HTML forbids replaced (the same text when there is none)."""
    if forbidden_character(text) is None:
        return text
    return _FORBIDDEN.sub(lambda m: replacement if _is_forbidden(m.group()) else m.group(), text)


def without_controls(text: str) -> str:
    """The text with each character HTML forbids (controls other than tab and line breaks) a space, one for one."""
    return without_forbidden(text, " ")


#: Maps a cited source id to (evidence number, href) for the claim being rendered.
CitationMap = dict[str, tuple[int, str]]
#: The level an analysis's first headings take: it sits under the claim page's "Analysis" h2.
ANALYSIS_HEADING_BASE = 3


def _heading_shift(state: StateCore) -> None:
    """Headings start at the level the page gives the text and never skip one, so the page's outline holds.

    A page's body sits under its h1 (base 2), an analysis under the "Analysis" h2 (base 3): the
    levels an editor used, in order, become base, base + 1... (`#` and `###` in an analysis are h3
    and h4; a lone `####` is h3), up to h6.
    """
    base = state.env.get("heading_base") or 2
    used = sorted({int(t.tag[1]) for t in state.tokens if t.type == "heading_open"})
    if not used or used == list(range(base, base + len(used))):
        return
    level = {old: f"h{min(base + rank, 6)}" for rank, old in enumerate(used)}
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = level[int(token.tag[1])]


def _text_beside(children: list[Token], at: int, step: int) -> str:
    """The character of text next to the line break children[at], on one side (step -1 or 1), or ''."""
    at += step
    while 0 <= at < len(children):
        child = children[at]
        if child.type in ("softbreak", "hardbreak"):
            return ""
        if child.content and child.type in ("text", "code_inline"):
            return child.content[-1 if step < 0 else 0]
        at += step
    return ""


#: Where the characters written without spaces can be (excerpts.written_without_spaces): five before U+2E80
#: (tests/test_markup.py checks it), so a text in other scripts, curly quotes and dashes included, is passed by.
WIDE_SCRIPT = re.compile("[\u20a9\u2329\u232a\u25fd\u25fe\u2e80-\U0010ffff]")


def _cjk_line_joins(state: StateCore) -> None:
    """Drop a line break inside a paragraph between two Chinese or Japanese characters.

    A browser shows such a break as a space (Chromium does not apply CSS Text 3's rule that removes
    it), so a Japanese paragraph written over several lines read `によると、 米類は`: a space no
    Japanese text has. Korean, written with spaces, keeps its break.
    """
    if WIDE_SCRIPT.search(state.src) is None:
        return  # (most texts: looked for in C)
    for block in state.tokens:
        children = block.children
        if block.type != "inline" or not children or "\n" not in block.content:
            continue
        kept = [
            child
            for at, child in enumerate(children)
            if child.type != "softbreak"
            or not (
                written_without_spaces(_text_beside(children, at, -1) or "a")
                and written_without_spaces(_text_beside(children, at, 1) or "a")
            )
        ]
        if len(kept) != len(children):
            block.children = kept


def _citations(state: StateCore) -> None:
    """Turn `[text](#source-id)` into a link to the evidence item, followed by its number.

    A source the analysis cites but the evidence list does not quote links to its source page.
    """
    citations: CitationMap = state.env.get("citations") or {}
    source_urls: Mapping[str, str] = state.env.get("source_urls") or {}
    if not citations and not source_urls:
        return
    from markdown_it.token import Token  # (imported already, with the parser)

    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        pending: list[int] = []
        for token in block.children:
            if token.type == "link_open":
                pending.append(_cite(token, citations, source_urls))
            children.append(token)
            if token.type == "link_close" and pending:
                number = pending.pop()
                if number:
                    sup = Token("html_inline", "", 0)
                    sup.content = f'<sup class="ref">[{number}]</sup>'
                    children.append(sup)
        block.children = children


def _cite(token: Token, citations: CitationMap, source_urls: Mapping[str, str]) -> int:
    """Point a `#source-id` link at its evidence item (returning its number) or its source page (0)."""
    href = str(token.attrGet("href") or "")
    source_id = href[1:] if href.startswith("#") else ""
    if source_id in citations:
        number, target = citations[source_id]
        token.attrSet("href", target)
        token.attrSet("class", "cite")
        return number
    if source_id in source_urls:
        token.attrSet("href", source_urls[source_id])
        token.attrSet("class", "cite")
    return 0


def _site_paths(state: StateCore) -> None:
    """Root-relative links (`/about/`) point under the site's base path (`/factcheck/about/`)."""
    base = state.env.get("base_path") or "/"
    if base == "/":
        return
    for block in state.tokens:
        for token in block.children or []:
            href = token.attrGet("href") if token.type == "link_open" else None
            if isinstance(href, str) and href.startswith("/") and not href.startswith("//"):
                token.attrSet("href", base + href.lstrip("/"))


#: Heading levels that take an id (before ID_PREFIX), as mdit_py_plugins' anchors plugin gave them.
ANCHORED_LEVELS = ("h2", "h3", "h4")


def _heading_anchors(state: StateCore) -> None:
    """Each heading of ANCHORED_LEVELS gets an id from its text, GitHub's way: `## Funding` is `funding`, a
    second one `funding-1`. What mdit_py_plugins' anchors plugin gives, but for how a repeat is numbered:
    that plugin counted from 1 again for every repeat, so 20,000 headings alike took 27 s, growing with
    the square of their number; here each title's count goes on from where it stopped.
    """
    taken = {str(t.attrGet("id")) for t in state.tokens if t.type == "heading_open" and t.attrGet("id")}
    repeats: dict[str, int] = {}  # for each slug, the last number a heading of it took (0: the slug alone)
    for at, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag not in ANCHORED_LEVELS or token.attrGet("id"):
            continue
        children = state.tokens[at + 1].children or []
        slug = heading_slug("".join(c.content for c in children if c.type in ("text", "code_inline")))
        number = repeats.get(slug, -1) + 1  # (every id up to the last one taken is taken still)
        anchor = f"{slug}-{number}" if number else slug
        while anchor in taken:
            number += 1
            anchor = f"{slug}-{number}"
        repeats[slug] = number
        taken.add(anchor)
        token.attrSet("id", anchor)


def heading_slug(title: str) -> str:
    """A heading's id from its text, as GitHub makes it: lower case, spaces as hyphens, punctuation dropped."""
    return re.sub(r"[^\w\u4e00-\u9fff\- ]", "", title.lower().replace(" ", "-"))


def _heading_links(state: StateCore) -> None:
    """Links to a heading of the same text (`[see](#funding)`) follow its prefixed id."""
    ids = {str(t.attrGet("id")) for t in state.tokens if t.type == "heading_open" and t.attrGet("id")}
    if not ids:
        return
    for block in state.tokens:
        for token in block.children or []:
            href = token.attrGet("href") if token.type == "link_open" else None
            if isinstance(href, str) and href.startswith("#") and href[1:] in ids:
                token.attrSet("href", f"#{ID_PREFIX}{href[1:]}")


#: Rules markdown-it tries again and again: each block rule here on every line of every paragraph (each
#: could end it), each inline rule at every character that could start its syntax (`-`, `:`, `!`...).
#: A text that gives one of them no chance to match is parsed without it, to the same tokens: the rule
#: could only say no (without them, an analysis of plain paragraphs parses in two thirds of the time).
PRUNABLE_RULES = (
    "fence", "blockquote", "html_block", "heading", "table", "list", "hr", "lheading", "reference",
    "escape", "backticks", "strikethrough", "image", "autolink", "html_inline", "entity",
)  # fmt: skip
#: A list item's first line: its marker first, after blanks and a quote's `>` (or its outer list's marker first).
_LIST_ITEM_START = re.compile(r"[ \t>]*(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)")
#: A thematic break: three of one marker, with only blanks between.
_THEMATIC_BREAK = re.compile(r"([*_-])[ \t]*\1[ \t]*\1")


def rules_unneeded(text: str) -> frozenset[str]:
    """The PRUNABLE_RULES this text gives no chance to match, each by a test true of any text the rule matches.

    A fence needs three backticks or tildes in a row; a quote `>`; HTML and autolinks `<`; a heading
    `#` first on its line (after blanks or `>`); a table `|`; a list item its marker first on a line;
    a thematic break three of one marker with only blanks between; a setext underline a line ending in
    `=` or `-` (blanks aside); a link reference definition `]:`; an escape a backslash, a code span a
    backtick, strikethrough `~`, an image `![`, an entity `&`. splitlines breaks lines wherever
    markdown-it does (and at a few more places, which only keeps a rule).
    """
    lines = text.splitlines()
    could_match = {
        "fence": "```" in text or "~~~" in text,
        "blockquote": ">" in text,
        "html_block": "<" in text,
        "heading": _could_start_heading(text),
        "table": "|" in text,
        "list": any(map(_LIST_ITEM_START.match, lines)),
        "hr": _THEMATIC_BREAK.search(text) is not None,
        "lheading": ("-" in text or "=" in text) and any(line.rstrip(" \t")[-1:] in ("-", "=") for line in lines),
        "reference": "]:" in text,
        "escape": "\\" in text,
        "backticks": "`" in text,
        "strikethrough": "~" in text,
        "image": "![" in text,
        "autolink": "<" in text,
        "html_inline": "<" in text,
        "entity": "&" in text,
    }
    return frozenset(rule for rule, could in could_match.items() if not could)


def _could_start_heading(text: str) -> bool:
    """Whether a `#` stands first on a line, after blanks or `>` (a citation's `(#source-id)` does not)."""
    at = text.find("#")
    while at >= 0:
        if at == 0 or text[at - 1] == ">" or text[at - 1].isspace():
            return True
        at = text.find("#", at + 1)
    return False


def heading_ids(text: str, heading_base: int = 2) -> frozenset[str]:
    """The ids the text's own headings take (before ID_PREFIX): a link `[see](#method)` to one of them works.

    A parse, for the rare text that links `#something` no source is called: `check` asks before
    calling such a link an unknown citation.
    """
    if not _could_start_heading(text) and "\n" not in text:
        return frozenset()
    text = without_controls(text)
    tokens = _parser_for(text).parse(text, {"heading_base": heading_base})
    return frozenset(str(t.attrGet("id")) for t in tokens if t.type == "heading_open" and t.attrGet("id"))


def _parser_for(text: str) -> MarkdownIt:
    """The parser for this text: without the rules it gives no chance to match."""
    return _parser(rules_unneeded(text))


@functools.lru_cache(maxsize=256)  # (a few sets of rules a site; a hostile one cannot make thousands stay)
def _parser(left_out: frozenset[str] = frozenset()) -> MarkdownIt:
    """The Markdown parser with factpress's rules, less the rules left out; each made on first use (a third of a ms)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(["table", "strikethrough"])
    md.core.ruler.push("heading_shift", _heading_shift)
    md.core.ruler.push("site_paths", _site_paths)
    md.core.ruler.push("citations", _citations)  # after site_paths: its targets are final URLs already
    md.core.ruler.push("anchor", _heading_anchors)
    md.core.ruler.push("heading_links", _heading_links)  # after the anchors exist
    md.core.ruler.push("cjk_line_joins", _cjk_line_joins)
    if left_out:
        md.disable(sorted(left_out))  # (strikethrough: its inline rule and its pairing step)
    return md


#: Code in Markdown: a fenced block (``` or ~~~, to its closing fence or the end). Its fence and first line
#: are taken whole (a last line of 30,000 backticks was tried again from each shorter fence: 5 s).
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}+|~{3,}+)[^\n]*+\n.*?(?:^[ ]{0,3}\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)
#: A run of backticks: a code span's marks (see _code_spans).
_BACKTICKS = re.compile(r"`+")
#: An image, `![alt](`; or, in its place, an `![` whose alt text ends without `](` (group 1 unset), taken whole:
#: every `![` inside it ends at the same `]`, so none is tried again (`![![![…` once cost a pass each).
_IMAGE = re.compile(r"!\[[^\]]*+(\]\()?")
#: An HTML comment, which the sanitiser removes whole (an editor's note to self). Looked for only up to the last
#: `-->` (see blanked_code): an unclosed `<!--` read to the text's end, 10,000 of them took 1.8 s, 40,000 took 22 s.
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
#: Where an HTML start tag may be: '<' and a name ending at a space, '/' or '>' (an autolink `<https://…>` or
#: `<desk@x.org>` is no tag). It is one only as _is_html says: `a < b` and `x<y holds` are maths, shown as typed.
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>]|\Z)")
#: A whole start tag as CommonMark reads one in running text: name, attributes, then '>'; blanks within it
#: hold at most one line break (a blank line ends the paragraph), and are taken whole (no backtracking).
_BLANKS = r"[ \t]*+(?:\n[ \t]*+)?+"
_START_TAG = re.compile(
    rf"<[a-zA-Z][a-zA-Z0-9-]*"
    rf"(?:(?=\s){_BLANKS}[a-zA-Z_:][a-zA-Z0-9_.:-]*(?:{_BLANKS}={_BLANKS}(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    rf"{_BLANKS}/?>"
)
#: Tags that start an HTML block first on a line without waiting for their '>' (CommonMark's kinds 1 and 6).
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col", "colgroup",
    "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li",
    "link", "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "pre", "script",
    "search", "section", "style", "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title",
    "tr", "track", "ul",
})  # fmt: skip
#: What may come before a block first on its line: a few blanks, a quote's '>', a list item's marker.
_BLOCK_LEAD = re.compile(r"[ \t>]*(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+[ \t>]*)*")
#: A footnote mark `[^1]` (its name in group 1); or, in its place, a `[^` whose name ends at a blank or the text's
#: end (group 1 unset), taken whole: every `[^` inside it ends there too (`[^[^[^…` once cost a pass each).
_FOOTNOTE = re.compile(r"\[\^(?:([^\]\s]++)\]|[^\]\s]*+)")
#: A footnote's text, first on its line: `[^1]: Said on radio.`
_FOOTNOTE_TEXT = re.compile(r"^[ ]{0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)
#: A link whose target the sanitiser drops: another scheme than URL_SCHEMES (tel:, javascript:), or `//host`.
#: Written inline `[text](tel:…)`, as a reference `[desk]: tel:…`, or as an autolink `<tel:…>`.
_LINK_TARGET = re.compile(
    r"(?:\]\(\s*<?\s*|^[ ]{0,3}\[(?!\^)[^\]\n]+\]:\s*<?|<(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>))"
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):|(?P<hostless>//))",
    re.MULTILINE,
)


#: Scripts whose look-alike letters (Latin a, Cyrillic a U+0430, Greek omicron) make a host pass for another's.
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def letter_script(ch: str) -> str:
    """'LATIN', 'CYRILLIC' or 'GREEK' for a letter of those scripts, else ''."""
    name = unicodedata.name(ch, "") if ch.isalpha() else ""
    return next((script for script in _CONFUSABLE_SCRIPTS if name.startswith(script)), "")


def mixed_script_label(host: str) -> tuple[str, str] | None:
    """A part of a host name that mixes Latin, Cyrillic or Greek letters ('example' with a Cyrillic a), and the first
    letter of the script its other letters are not in; None when there is none.

    Such a name looks like another site's address in the YAML and on the page (browsers show it as
    xn--...), and no real one needs the mix.
    """
    if host.isascii():
        return None
    for label in host.split("."):
        scripts = [script for script in map(letter_script, label) if script]
        if len(set(scripts)) > 1:
            odd = min(set(scripts), key=scripts.count)
            return label, next(ch for ch in label if letter_script(ch) == odd)
    return None


def lookalike_hint(label: str, odd: str) -> str:
    """Why a host mixing alphabets is refused, naming the letter that does not belong."""
    return (
        f"its host mixes alphabets: '{label}' holds U+{ord(odd):04X} {unicodedata.name(odd)}, so it looks like "
        "another site's address; retype the address from the site itself"
    )


#: The host of an http(s) address written anywhere in Markdown: a link's target, a reference, an autolink, href.
_WEB_HOST = re.compile(r"https?://(?:[^\s/?#<>()\[\]\"'`@]*@)?([^\s/?#<>()\[\]\"'`:]+)", re.IGNORECASE)
#: What comes just before an address the page links: an inline link's `](`, a reference's `]:`, an
#: autolink's `<`, raw HTML's `href=` (blanks, and the `<` or quote around a target, allowed between).
_LINKED_AFTER = re.compile(r"(?:\]\(\s*<?|\]:\s*<?|<|\bhref\s*=\s*[\"']?)\Z", re.IGNORECASE)


def lookalike_hosts(text: str) -> list[tuple[int, str, str, str]]:
    """Each address Markdown links whose host mixes alphabets (a homograph, see mixed_script_label), as
    (offset of the host, the host, message, hint): a link reading as one site in review leads to another.

    An address only written as text or code is not linked, so it passes: a fact-check of a phishing
    message quotes the address the message showed.
    """
    if text.isascii():
        return []
    found = []
    code_free = None
    for match in _WEB_HOST.finditer(text):
        mixed = mixed_script_label(match.group(1))
        if mixed is None:
            continue
        code_free = blanked_code(text) if code_free is None else code_free  # (only for a rare mixed host)
        start = match.start()
        if code_free[start] != text[start] or not _LINKED_AFTER.search(text, max(0, start - 200), start):
            continue
        message = f"the address '{match.group(0)}' only looks like the site it names"
        found.append((match.start(1), match.group(1), message, lookalike_hint(*mixed)))
    return found


def blanked_code(text: str) -> str:
    """The text with code and HTML comments blanked out, same length: markup or a link shown as code is
    neither, nor is one in a comment (`<!-- to do: link [x](/claims/y/) -->`), which the page leaves out."""
    code = "`" in text or "~~~" in text
    indented = "\n    " in text or "\n\t" in text or text.startswith(("    ", "\t"))
    if not code and not indented and "<!--" not in text:
        return text
    blank = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    if code:
        text = _FENCE.sub(blank, text)
        text = _blanked(text, _code_spans(text)) if "`" in text else text
    if indented:
        text = _blanked_indented_code(text)
    if "<!--" not in text:
        return text
    end = text.rfind("-->") + 3  # (no comment ends after the last `-->`: an unclosed `<!--` is not read to the end)
    return _COMMENT.sub(blank, text[:end]) + text[end:]


def _code_spans(text: str) -> list[tuple[int, int]]:
    """The code spans of a text, as (start, end): a run of backticks to the next run at least as long.

    What `(`+)(?!`).*?(?<!`)\\1` finds, in one pass: that pattern read a run of backticks with no
    closing run to the text's end once for each backtick in it (30,000 backticks: 5 s; a few hundred
    KB: minutes). A run longer than any after it opens with its last backticks, as that pattern did
    by starting later in the run; what is left of a closing run longer than its opening one opens the next.
    """
    runs = [m.span() for m in _BACKTICKS.finditer(text)]
    longest = [0] * (len(runs) + 1)  # the longest run from each one on
    for i in range(len(runs) - 1, -1, -1):
        longest[i] = max(longest[i + 1], runs[i][1] - runs[i][0])
    spans: list[tuple[int, int]] = []
    i, opening = 0, runs[0] if runs else None
    while opening is not None:
        width = min(opening[1] - opening[0], longest[i + 1])
        if width == 0:  # no backticks after: nothing closes
            break
        j = i + 1
        while runs[j][1] - runs[j][0] < width:
            j += 1
        close = runs[j][0] + width
        spans.append((opening[1] - width, close))
        if close < runs[j][1]:
            i, opening = j, (close, runs[j][1])
        else:
            i = j + 1
            opening = runs[i] if i < len(runs) else None
    return spans


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these (start, end) spans blanked, line breaks kept: the same length."""
    if not spans:
        return text
    pieces, at = [], 0
    for start, end in spans:
        pieces += [text[at:start], re.sub(r"[^\n]", " ", text[start:end])]
        at = end
    return "".join([*pieces, text[at:]])


#: A list item's first line, its marker indented less than a code block is.
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)


def _blanked_indented_code(text: str) -> str:
    """The text with its indented code blocks blanked (lines indented four spaces or a tab after a blank line:
    a page showing the embed code as `    <iframe src=…>`).

    Not in a text with a list, where an indented line may be an item's next paragraph: there it stays
    read, as before.
    """
    if _LIST_ITEM.search(text):
        return text
    lines = text.split("\n")
    in_code, after_blank = False, True
    for number, line in enumerate(lines):
        if not line.strip(" \t"):
            after_blank = True
            continue
        in_code = line.startswith(("    ", "\t")) and (in_code or after_blank)
        if in_code:
            lines[number] = " " * len(line)
        after_blank = False
    return "\n".join(lines)


def removed_markup(text: str) -> list[tuple[int, str, str]]:
    """What will not show as written, for `check` to say so: images and HTML tags the sanitiser drops, footnotes.

    Each as (offset of its first use, the text there, message). A regular expression's reading (code
    spans aside), not a parse: enough to warn an editor whose chart or embedded video would otherwise
    vanish without a word.
    """
    links = ("](" in text or "]:" in text or "<" in text) and (":" in text or "//" in text)
    if not links and "<" not in text and "![" not in text and "[^" not in text:  # (most: no regular expression run)
        return []
    text = blanked_code(text)  # (not cut out: offsets stay those of the text)
    found = [dropped for dropped in map(_dropped_link, _LINK_TARGET.finditer(text) if links else ()) if dropped]
    found = found[:1]  # (the first: one warning a text, as for images)
    image = next((m for m in _IMAGE.finditer(text) if m.group(1)), None) if "![" in text else None
    if image:
        found.append((image.start(), "![", "images (![...](...)) are not shown: link to the image instead"))
    footnote = _footnote(text) if "[^" in text else None
    if footnote:
        message = "footnotes ([^1]) are not supported: they show as typed; cite a source as [text](#source-id)"
        found.append((footnote.start(), "[^", message))
    removed: dict[str, int] = {}
    words: tuple[int, str, str] | None = None
    for match in _TAG.finditer(text):
        name = match.group(1).lower()
        if name in ALLOWED_TAGS:
            words = words or _words_in_tag(text, match.start(), name)
        elif name not in removed and _is_html(text, match):
            removed[name] = match.start()
    tags = sorted(removed)
    if tags:
        first = min(removed[tag] for tag in tags)
        message = "HTML " + ", ".join(f"<{t}>" for t in tags) + " is removed (only simple text markup is kept)"
        found.append((first, text[first : first + 1 + len(_TAG.match(text, first).group(1))], message))
    if words:
        found.append(words)
    return found


#: An attribute of a start tag: its name, and '=' and its value if it has one. Tried only where blanks start
#: (`<b` and 20,000 spaces before its `>` was read from each of them: 4 s).
_ATTRIBUTE = re.compile(r"""(?<!\s)\s+([a-zA-Z_:][a-zA-Z0-9_.:-]*)(\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?""")


def _words_in_tag(text: str, at: int, name: str) -> tuple[int, str, str] | None:
    """The warning for a tag the page keeps that holds words it drops: `a<b and c>d` is `a`, then `d` in bold.

    A word with no '=' that the tag does not take is text Markdown read as HTML (maths written without
    spaces), not an attribute an editor meant.
    """
    tag = _START_TAG.match(text, at)
    if tag is None:
        return None
    allowed = ALLOWED_ATTRIBUTES.get(name, set())
    if all(value or word.lower() in allowed for word, value in _ATTRIBUTE.findall(tag.group(), 1 + len(name))):
        return None
    written = " ".join(tag.group().split())
    message = (
        f"'{written}' is read as an HTML tag, so the words in it are not shown: "
        "to mean less than, write a space after '<' (a < b)"
    )
    return at, tag.group()[: 1 + len(name)], message


def _is_html(text: str, tag: re.Match[str]) -> bool:
    """Whether Markdown reads a _TAG as HTML: a whole start tag, or a block's tag first on its line."""
    at, end = tag.start(), tag.end()
    if _START_TAG.match(text, at):
        return True
    if tag.group(1).lower() not in _BLOCK_TAGS or (text.startswith("/", end) and not text.startswith("/>", end)):
        return False
    return _BLOCK_LEAD.fullmatch(text, text.rfind("\n", 0, at) + 1, at) is not None


def _footnote(text: str) -> re.Match[str] | None:
    """The first footnote mark: one whose text is given (`[^1]: …`), or numbered (`[^1]`).

    Not a regular expression's `[^0-9]` or `[^abc]`, which a fact-check about code may show as typed.
    """
    given = {match.group(1) for match in _FOOTNOTE_TEXT.finditer(text)}
    marks = (m for m in _FOOTNOTE.finditer(text) if m.group(1) is not None)
    return next((m for m in marks if m.group(1) in given or m.group(1).isdecimal()), None)


def _dropped_link(match: re.Match[str]) -> tuple[int, str, str] | None:
    """The warning for a link the sanitiser publishes without its target, or None for one it keeps."""
    scheme = match.group("scheme")
    if scheme is not None and scheme.lower() in URL_SCHEMES:
        return None
    start = match.start("hostless" if scheme is None else "scheme")
    if scheme is None:
        return start, "//", "a link starting with // is published without its target: write https:// before the host"
    message = f"a link to '{scheme}:' is published without its target (only http, https and mailto links are kept)"
    return start, f"{scheme}:", message


def render_markdown(
    text: str,
    citations: CitationMap | None = None,
    base_path: str = "/",
    source_urls: Mapping[str, str] | None = None,
    *,
    heading_base: int = 2,
) -> str:
    """Render Markdown to sanitised HTML; `citations` turns `#source-id` links into references.

    `source_urls` (source id to its page) catches citations of sources outside the evidence list;
    `heading_base` is the level of the text's first headings (3 under a page's h2).
    """
    env = {"citations": citations or {}, "base_path": base_path, "source_urls": source_urls or {}}
    env["heading_base"] = heading_base
    text = without_controls(text)
    return sanitise(_parser_for(text).render(text, env))


def sanitise(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; drop scripts and styles whole."""
    return _cleaner()(html)


#: `//host/x`, `/\\host/x`, `\\host`: written like paths on this site, taken by browsers to another host.
_OFF_SITE_PATH = re.compile(r"\s*[/\\]{2}|\s*\\")


def _same_site_or_absolute(tag: str, attribute: str, value: str) -> str | None:
    """Drop a link target that only looks like a path on this site; a link elsewhere is written with its scheme."""
    if attribute == "href" and _OFF_SITE_PATH.match(value):
        return None
    return value


@functools.cache
def _cleaner() -> Callable[[str], str]:
    """The sanitiser, configured once: `nh3.clean` builds its allow-lists anew on every call (half its time).

    `nh3.Cleaner` (recent nh3) keeps them; with an older nh3, `nh3.clean` it is.
    """
    options: dict[str, Any] = {
        "tags": ALLOWED_TAGS,
        "attributes": ALLOWED_ATTRIBUTES,
        "tag_attribute_values": CLASS_VALUES,
        "url_schemes": URL_SCHEMES,
        "link_rel": "noopener noreferrer",
        "strip_comments": True,
        "id_prefix": ID_PREFIX,
        "attribute_filter": _same_site_or_absolute,
    }
    cleaner = getattr(nh3, "Cleaner", None)
    return functools.partial(nh3.clean, **options) if cleaner is None else cleaner(**options).clean
