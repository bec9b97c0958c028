"""YAML reading that keeps what editors wrote: positions, ids as text, duplicate keys as errors.

PyYAML's C parser composes the node tree (fast); we build the values ourselves so that every
mapping and sequence knows where each entry was written, every scalar keeps its source text
(`verdict: false` stays the id 'false'), and a duplicate key is reported instead of overwritten.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from typing import Any

import yaml

from .errors import Location, Problem
from .makers import maker

try:  # the C loader is about twelve times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Upper bound on values built from one file; alias ("billion laughs") bombs stop here.
MAX_NODES = 2_000_000

#: Characters of text aliases may repeat in one file beyond what it holds, if the file holds fewer: a 1 MB
#: analysis as an anchor, `analysis: *a` in 400 claims, made a 1 MB file a 400 MB site (and 1 GB of memory).
MAX_ALIAS_TEXT = 100_000

#: Deepest nesting of lists and mappings accepted (fact-check data needs a handful of levels).
MAX_DEPTH = 100

#: PyYAML's C composer recurses natively and kills the whole process (a segmentation fault, no
#: exception) past about 20,000 levels. A document that might nest deeper than this is measured
#: on the parser's flat event stream before the composer sees it; others go straight through.
COMPOSER_SAFE_DEPTH = 5_000

#: The only tags plain data needs. Anything else (`!!python/object/apply:…`, `!custom`) is an
#: error: nothing is ever constructed from a tag, and a tag that is silently ignored misleads.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)


class YamlMap(dict):
    """A mapping that remembers where it and each of its keys and values were written.

    Where each key and value was written is kept as the parser's mark (0-based, PyYAML's lines)
    and made a Location only when asked for: a file's values are some 60 a claim, and validation
    asks where of a few, mostly to report a mistake.
    """

    __slots__ = ("_key_locs", "_value_locs", "cut", "key_marks", "loc", "raw", "value_marks")

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.key_marks: dict[str, Any] = {}
        self.value_marks: dict[str, Any] = {}
        self._key_locs: dict[str, Location] | None = None
        self._value_locs: dict[str, Location] | None = None
        self.raw: dict[str, str] = {}
        #: The comment that took a key's whole value (`colour: #1a7f37` is null): '#1a7f37' (rarely any).
        self.cut: dict[str, str] | None = None

    @property
    def key_locs(self) -> dict[str, Location]:
        """Where each key was written."""
        if self._key_locs is None:
            self._key_locs = {key: mark_at(self.loc.path, mark) for key, mark in self.key_marks.items()}
        return self._key_locs

    @key_locs.setter
    def key_locs(self, locs: dict[str, Location]) -> None:
        self._key_locs = locs

    @property
    def value_locs(self) -> dict[str, Location]:
        """Where each value was written."""
        if self._value_locs is None:
            self._value_locs = {key: mark_at(self.loc.path, mark) for key, mark in self.value_marks.items()}
        return self._value_locs

    @value_locs.setter
    def value_locs(self, locs: dict[str, Location]) -> None:
        self._value_locs = locs

    def where(self, key: str) -> Location:
        """The value's location when present, else the mapping's own."""
        if self._value_locs is not None:
            return self._value_locs.get(key) or self.loc
        mark = self.value_marks.get(key)
        return self.loc if mark is None else mark_at(self.loc.path, mark)

    def text(self, key: str) -> str | None:
        """The scalar exactly as written (so `false`, `no`, `2024` stay text), or None."""
        return self.raw.get(key)

    def cut_by_comment(self, key: str) -> str:
        """What an unquoted '#' right after `key:` made a comment, leaving the value empty ('#1a7f37'), or ''."""
        return self.cut.get(key, "") if self.cut else ""


class YamlList(list):
    """A sequence that remembers where it and each of its items were written (as marks: see YamlMap)."""

    __slots__ = ("_item_locs", "cut", "item_marks", "loc", "raw")

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.item_marks: list[Any] = []
        self._item_locs: list[Location] | None = None
        self.raw: list[str | None] = []
        #: The comment that took an item's whole value (`- #desk` is null): '#desk' (rarely any).
        self.cut: dict[int, str] | None = None

    @property
    def item_locs(self) -> list[Location]:
        """Where each item was written."""
        if self._item_locs is None:
            self._item_locs = [mark_at(self.loc.path, mark) for mark in self.item_marks]
        return self._item_locs

    @item_locs.setter
    def item_locs(self, locs: list[Location]) -> None:
        self._item_locs = locs

    def where(self, index: int) -> Location:
        """The item's location when it exists, else the list's own."""
        if not 0 <= index < len(self.item_marks):
            return self.loc
        if self._item_locs is not None:
            return self._item_locs[index]
        return mark_at(self.loc.path, self.item_marks[index])

    def cut_by_comment(self, index: int) -> str:
        """What an unquoted '#' right after `- ` made a comment, leaving the item empty ('#desk'), or ''."""
        return self.cut.get(index, "") if self.cut else ""


def mark_at(path: str, mark: Any) -> Location:
    """A parser's mark (0-based line and column) as a Location in the file at path."""
    return new_location(path, mark.line + 1, mark.column + 1)


class YamlTooLarge(Exception):
    """Raised when a document expands beyond MAX_NODES values (an alias bomb)."""


class YamlRecursive(Exception):
    """Raised when an alias refers to the list or mapping that contains it (`&a [*a]`)."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__()
        self.mark = mark


class YamlTooDeep(Exception):
    """Raised when lists and mappings nest deeper than MAX_DEPTH; carries where the limit was passed."""

    def __init__(self, mark: yaml.Mark | None = None) -> None:
        super().__init__()
        self.mark = mark


_SCALAR_TAGS = {
    "tag:yaml.org,2002:null": lambda s: None,
    "tag:yaml.org,2002:bool": lambda s: s.lower() in ("true", "yes", "on", "y"),
}


def _scalar(node: yaml.ScalarNode) -> Any:
    """Convert a scalar node by its resolved tag (see _convert)."""
    return _convert(node.tag, node.value)


def _convert(tag: str, value: str) -> Any:
    """Convert a scalar by its resolved tag; dates stay date objects, anything odd stays text."""
    if tag == "tag:yaml.org,2002:str":
        return value
    if tag in _SCALAR_TAGS:
        return _SCALAR_TAGS[tag](value)
    if tag == "tag:yaml.org,2002:int":
        try:
            return (
                int(value.replace("_", ""), 0)
                if value.lower().startswith(("0x", "0o", "0b"))
                else int(value.replace("_", ""))
            )
        except ValueError:
            return value
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    if tag == "tag:yaml.org,2002:timestamp":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class _Builder:
    """Turns a composed node tree into YamlMap/YamlList values, collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0
        self.depth = 0
        self.problems: list[Problem] = []

    def loc(self, node: yaml.Node) -> Location:
        """A node's 1-based location in the file, for problems."""
        mark = node.start_mark
        return new_location(self.path, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node) -> Any:
        """A node as plain data, guarding against alias bombs and deep nesting."""
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlTooLarge
        self.check_tag(node)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        self.depth += 1
        if self.depth > MAX_DEPTH:  # counted on built values, so anchors reused inside anchors count too
            raise YamlTooDeep(node.start_mark)
        value = None
        if isinstance(node, yaml.SequenceNode):
            value = YamlList(self.loc(node))
            for item in node.value:
                value.append(self.build(item))
                value.item_marks.append(item.start_mark)
                value.raw.append(item.value if isinstance(item, yaml.ScalarNode) else None)
        elif isinstance(node, yaml.MappingNode):
            value = self.build_mapping(node)
        self.depth -= 1
        return value

    def check_tag(self, node: yaml.Node) -> None:
        """Report an explicit tag outside plain data (the value is still read as plain data)."""
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(tag_problem(self.loc(node), node.tag))

    def build_mapping(self, node: yaml.MappingNode) -> YamlMap:
        """A mapping with its locations; keys that are not text, or duplicated, are reported and skipped."""
        mapping = YamlMap(self.loc(node))
        for key_node, value_node in self.flatten_merges(node):
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        self.loc(key_node),
                        "a key must be plain text, not a list or a mapping",
                        "yaml-key",
                        hint="write field names such as 'title:'; quote a key that starts with [ or {",
                    )
                )
                continue
            self.check_tag(key_node)
            key = key_node.value
            if key in mapping.key_marks:
                first = mapping.key_marks[key]
                self.problems.append(
                    Problem(
                        self.loc(key_node),
                        f"duplicate key '{key}' (first written at line {first.line + 1})",
                        "duplicate-key",
                        hint="remove one of them; YAML would silently keep only the last",
                    )
                )
                continue
            mapping[key] = self.build(value_node)
            mapping.key_marks[key] = key_node.start_mark
            mapping.value_marks[key] = value_node.start_mark
            if isinstance(value_node, yaml.ScalarNode):
                mapping.raw[key] = value_node.value
        return mapping

    def flatten_merges(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """Expand `<<: *anchor` merge keys; explicit keys win over merged ones, as YAML says."""
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    if isinstance(src, yaml.MappingNode):
                        merged.extend(self.flatten_merges(src))
                    else:
                        self.problems.append(
                            Problem(
                                self.loc(key_node),  # where the merge is written, not the anchor
                                "'<<' must merge a mapping",
                                "yaml-merge",
                                hint="write '<<: *name' where '&name' marks a mapping of fields",
                            )
                        )
            else:
                pairs.append((key_node, value_node))
        explicit = {k.value for k, _ in pairs if isinstance(k, yaml.ScalarNode)}
        seen: set[str] = set()
        result = list(pairs)
        for key_node, value_node in merged:
            name = getattr(key_node, "value", None)
            if name in explicit or name in seen:
                continue
            seen.add(name)
            result.append((key_node, value_node))
        return result


#: Location(path, line, col) in a third of the time: one is made for every value of every file.
new_location = maker(Location)


class _NeedsComposer(Exception):
    """Raised on an anchor, an alias or a merge key: the composed node tree handles those."""


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_IMPLICIT = _Loader.yaml_implicit_resolvers
_WILDCARD = _IMPLICIT.get(None, [])
_RESOLVED: dict[str, str] = {}
#: First characters some implicit resolver claims; a plain scalar starting otherwise is text.
_IMPLICIT_STARTS = frozenset(k for k in _IMPLICIT if k is not None)

# The states of a mapping being read: expecting a key, its value, or a value (or key) to leave out.
_KEY, _VALUE, _SKIP_VALUE, _SKIP_KEY = range(4)


def _resolve(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (what the composer would set), memoised for short ones."""
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _STR
        for candidate, regexp in _IMPLICIT.get(value[:1], []) + _WILDCARD:
            if regexp.match(value):
                tag = candidate
                break
        if len(value) <= 32 and len(_RESOLVED) < 10_000:
            _RESOLVED[value] = tag
    return tag


class _EventBuilder:
    """Builds YamlMap/YamlList values in one pass over libyaml's events, as _Builder does from nodes.

    Composing the node tree, measuring it and building from it read every file four times; this
    reads the event stream once and gives the same values, positions, problems and errors, in
    the same order. Anchors, aliases and merge keys raise _NeedsComposer: the composer path
    resolves and measures those. Without them a document expands to exactly its nodes, so
    MAX_NODES is a count; a value nests exactly as deep as its text, so MAX_DEPTH is the depth
    of the events, refused where it is met (as check_depth does) when the text could nest past
    what the composer survives, and otherwise after a syntax error anywhere, as composing first does.
    """

    def __init__(self, path: str, depth_first: bool) -> None:
        self.path = path
        self.depth_first = depth_first
        self.problems: list[Problem] = []
        #: How many nodes had been read when each item of the top-level list or mapping ended.
        self.item_ends: list[int] = []

    def load(self, text: str) -> tuple[Any, list[Problem]]:
        """The document's value and problems (see load_yaml)."""
        loader = _Loader(text)
        try:
            value, too_large, deep = self.document(loader.get_event)
        except YamlTooDeep as exc:
            return None, [too_deep(self.path, exc.mark)]
        except yaml.MarkedYAMLError as exc:
            return None, [syntax_problem(exc, text, self.path)]
        except yaml.YAMLError as exc:
            return None, [other_error(exc, text, self.path)]
        finally:
            loader.dispose()
        if too_large:
            return None, [too_large_problem(self.path)]
        if deep is not None:
            return None, [too_deep(self.path, deep)]
        return value, self.problems

    def document(self, get: Any) -> tuple[Any, bool, yaml.Mark | None]:
        """Read the stream's one document: (value, too large, where it first nests too deep)."""
        get()  # the stream's start
        event = get()
        if type(event) is yaml.StreamEndEvent:
            return None, False, None
        first = get()
        result = self.node_tree(first, get)
        get()  # the document's end
        event = get()
        if type(event) is not yaml.StreamEndEvent:
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                first.start_mark,
                "but found another document",
                event.start_mark,
            )
        return result

    def node_tree(self, event: Any, get: Any) -> tuple[Any, bool, yaml.Mark | None]:
        """Every event of one node tree, starting with its first; one loop, no recursion, for speed and depth."""
        path = self.path
        problems = self.problems
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        sequence_start, mapping_start = yaml.SequenceStartEvent, yaml.MappingStartEvent
        plain_tags = _PLAIN_TAGS
        starts = _IMPLICIT_STARTS
        item_ends = self.item_ends
        count = depth = skip = 0
        building = True
        too_large = False
        deep: yaml.Mark | None = None
        stack: list[list[Any]] = []  # [container, is mapping, state, key, key's mark]
        top: list[Any] | None = None
        root: Any = None
        while True:
            kind = type(event)
            if kind is scalar_event or kind is sequence_start or kind is mapping_start:
                if event.anchor is not None:
                    raise _NeedsComposer
                count += 1
                if count > MAX_NODES and not too_large:
                    too_large, building = True, False
                scalar = kind is scalar_event
                if scalar:
                    tag = event.tag
                    if tag is None or tag == "!":
                        text = event.value
                        tag = _resolve(text) if event.implicit[0] and (text[:1] in starts or _WILDCARD) else _STR
                    if tag == _MERGE:
                        raise _NeedsComposer
                else:
                    depth += 1
                    if depth > MAX_DEPTH and self.depth_first:
                        raise YamlTooDeep(event.start_mark)
                if not building:
                    pass
                elif skip:
                    if not scalar:
                        skip += 1
                elif top is not None and top[1] and top[2] >= _SKIP_VALUE:  # a value left out
                    if not scalar:
                        skip = 1
                    else:
                        top[2] = _KEY
                elif top is not None and top[1] and top[2] == _KEY and not scalar:  # a list or mapping as a key
                    mark = event.start_mark
                    problems.append(
                        Problem(
                            Location(path, mark.line + 1, mark.column + 1),
                            "a key must be plain text, not a list or a mapping",
                            "yaml-key",
                            hint="write field names such as 'title:'; quote a key that starts with [ or {",
                        )
                    )
                    skip = 1
                    top[2] = _SKIP_KEY
                elif not scalar and depth > MAX_DEPTH:
                    deep, building = event.start_mark, False
                else:
                    mark = event.start_mark  # (a Location is made of it only when asked for: see YamlMap)
                    if not scalar:
                        tag = event.tag
                        if tag is None or tag == "!":
                            tag = _SEQ if kind is sequence_start else _MAP
                    if tag not in plain_tags:
                        problems.append(tag_problem(mark_at(path, mark), tag))
                    if scalar:
                        text = event.value
                        value = _convert(tag, text) if tag != _STR else text
                    else:
                        text = None
                        loc = new_location(path, mark.line + 1, mark.column + 1)
                        value = YamlList(loc) if kind is sequence_start else YamlMap(loc)
                    if top is None:
                        root = value
                    elif not top[1]:
                        items = top[0]
                        items.append(value)
                        items.item_marks.append(mark)
                        items.raw.append(text)
                    elif top[2] == _KEY:  # a scalar key
                        mapping = top[0]
                        if text in mapping.key_marks:
                            first = mapping.key_marks[text]
                            problems.append(
                                Problem(
                                    mark_at(path, mark),
                                    f"duplicate key '{text}' (first written at line {first.line + 1})",
                                    "duplicate-key",
                                    hint="remove one of them; YAML would silently keep only the last",
                                )
                            )
                            top[2] = _SKIP_VALUE
                        else:
                            top[2], top[3], top[4] = _VALUE, text, mark
                    else:
                        mapping = top[0]
                        key = top[3]
                        mapping[key] = value
                        mapping.key_marks[key] = top[4]
                        mapping.value_marks[key] = mark
                        if scalar:
                            mapping.raw[key] = text
                        top[2] = _KEY
                    if not scalar:
                        top = [value, kind is mapping_start, _KEY, None, None]
                        stack.append(top)
                if scalar and depth <= 1:
                    if not depth:
                        break
                    item_ends.append(count)
            elif kind is alias_event:
                raise _NeedsComposer
            else:  # the end of a list or mapping
                depth -= 1
                if not building:
                    pass
                elif skip:
                    skip -= 1
                    if not skip and top is not None:
                        top[2] = _SKIP_VALUE if top[2] == _SKIP_KEY else _KEY
                else:
                    stack.pop()
                    top = stack[-1] if stack else None
                if depth <= 1:
                    if not depth:
                        break
                    item_ends.append(count)
            event = get()
        return root, too_large, deep


def tag_problem(loc: Location, tag: str) -> Problem:
    """The problem for an explicit tag outside plain data."""
    return Problem(
        loc,
        f"YAML tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
        "yaml-tag",
        hint="factpress reads plain YAML only; remove the tag",
    )


def load_yaml(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return its value (None when unusable) and the problems found.

    One pass over libyaml's events builds the values (see _EventBuilder); a document with
    anchors, aliases or merge keys is composed into a node tree first, where those are resolved
    and measured, as before.
    """
    value, problems, _ = load_yaml_items(text, path)
    return value, problems


def load_yaml_items(text: str, path: str) -> tuple[Any, list[Problem], list[int] | None]:
    """load_yaml, with how many YAML nodes each item of a top-level list holds (None when composed)."""
    builder = _EventBuilder(path, could_nest_deeper(text, COMPOSER_SAFE_DEPTH))
    try:
        value, problems = builder.load(text)
    except _NeedsComposer:
        value, problems = load_composed(text, path)
        return value, problems, None
    ends = builder.item_ends
    value, problems = finished(text, path, value, problems)
    return value, problems, [end - start for start, end in zip([1, *ends], ends, strict=False)]


def finished(text: str, path: str, value: Any, problems: list[Problem]) -> tuple[Any, list[Problem]]:
    """What either reader found, with warnings for comments that cut values short, at the file's own lines.

    Both steps are skipped at the cost of a few scans when the text has no ' #x' and none of the
    characters PyYAML alone takes for line ends.
    """
    if "#" in text and not any(p.code == "yaml-syntax" for p in problems):
        problems, emptied = with_comment_warnings(text, path, problems)
        if emptied:
            mark_cut_values(value, emptied)
    if has_yaml_only_breaks(text):
        value, problems = _FileLines(text).fixed(value, problems)
    return value, problems


def load_composed(text: str, path: str) -> tuple[Any, list[Problem]]:
    """load_yaml by composing the node tree first: what anchors, aliases and merge keys need."""
    value, problems = _composed(text, path)
    return finished(text, path, value, problems)


def _composed(text: str, path: str) -> tuple[Any, list[Problem]]:
    try:
        if could_nest_deeper(text, COMPOSER_SAFE_DEPTH):
            check_depth(text)
        node = yaml.compose(text, Loader=_Loader)
    except YamlTooDeep as exc:
        return None, [too_deep(path, exc.mark)]
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(exc, text, path)]
    except yaml.YAMLError as exc:
        return None, [other_error(exc, text, path)]
    if node is None:
        return None, []
    builder = _Builder(path)
    try:
        values, characters = expansion(node)
        if values > MAX_NODES:
            raise YamlTooLarge
        if characters - len(text) > max(len(text), MAX_ALIAS_TEXT):  # (values hold no more text than the file)
            return None, [too_much_text_problem(path, len(text), characters)]
        value = builder.build(node)
    except YamlTooLarge:
        return None, [too_large_problem(path)]
    except YamlRecursive as exc:
        return None, [
            Problem(
                Location(path, exc.mark.line + 1, exc.mark.column + 1),
                "an alias (*name) refers to the list or mapping that contains it",
                "yaml-recursive",
                hint="data cannot contain itself; write the values out",
            )
        ]
    except YamlTooDeep as exc:  # aliases can nest anchors inside anchors deeper than the text itself
        return None, [too_deep(path, exc.mark)]
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the builder far from Python's limit
        return None, [too_deep(path, None)]
    return value, builder.problems


def too_large_problem(path: str) -> Problem:
    """The problem for a document that expands past MAX_NODES values (an alias bomb, or sheer size)."""
    return Problem(
        Location(path, 1, 1),
        f"the document expands to more than {MAX_NODES:,} values",
        "yaml-too-large",
        hint="aliases (*name) that repeat anchors many times are refused; write the data out",
    )


def too_much_text_problem(path: str, written: int, characters: int) -> Problem:
    """The problem for a document whose aliases repeat more text than it holds (and than MAX_ALIAS_TEXT)."""
    return Problem(
        Location(path, 1, 1),
        f"its aliases (*name) repeat text: the {written:,} characters of the file expand to {characters:,}",
        "yaml-too-large",
        hint="an alias may repeat a short value (a list of authors, a note); write longer text out where it is needed",
    )


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """libyaml's syntax error as a problem at the mistake, with a hint for the common ones."""
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "not valid YAML"
    hint = ""
    if exc.context_mark is not None and "end of stream" in message and "quoted" in (exc.context or ""):
        # the file ended inside quotes: the mistake is where the quote opened, not at the end
        mark = exc.context_mark
        message = "quoted text is never closed"
        hint = "end it with the quote mark it starts with, or leave the quotes out"
    loc = mark_location(path, text, mark)
    if hint:
        pass
    elif message in _SYNTAX_HINTS:
        hint = _SYNTAX_HINTS[message]
    elif ("\t" in text and "tab" in str(exc).lower()) or (mark and _tab_at(text, mark.line)):
        hint = "indent with spaces, not tabs"
    elif exc.context:
        hint = exc.context if exc.context.startswith("while") else f"while {exc.context}"
        start = exc.context_mark
        if start is not None and exc.problem_mark is not None and start.line != exc.problem_mark.line:
            begun = mark_location(path, text, start)
            hint += f" that starts at line {begun.line}, column {begun.col}"
    plain = plain_words(exc, text, path)
    if plain is not None:
        loc, hint = plain
    if message in _SPLIT_VALUE and loc.line:
        hint = typographic_quotes_hint(_line_text(text, loc.line)) or hint
    if message == "did not find expected key" and loc.line and _DOUBLED_QUOTES.search(_line_text(text, loc.line)):
        hint = (
            '"" inside "…" is how a spreadsheet writes a quote mark, and YAML ends the text there: '
            'write \\" for each quote mark inside "…", or put the value between \' and \''
        )
    if mark is not None and has_yaml_only_breaks(text):
        hint = yaml_only_break_hint(text, loc.line) or hint
    cut = comment_before(text, mark.index) if mark is not None and message != "quoted text is never closed" else None
    if cut is not None:
        loc = Location(path, *real_position(text, cut))
        hint = "everything after ' #' is a YAML comment, so the rest of the line was left out: put the value in quotes"
    return Problem(loc, f"YAML syntax error: {message}", "yaml-syntax", hint=hint)


#: A double-quoted value holding "" (a spreadsheet's escaped quote mark): `summary: "He said ""no"""`.
_DOUBLED_QUOTES = re.compile(r':\s+"[^"]*""')
#: A value that opens with a typographic quote mark (a word processor's or a spreadsheet's): after a
#: field's name, a list's dash, or inside { } and [ ].
_TYPOGRAPHIC_QUOTED = re.compile(r"(?:^|[:{\[,-])\s*([\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb])")
#: What libyaml says when a ': ' or ',' inside such a value is read as YAML.
_SPLIT_VALUE = ("mapping values are not allowed in this context", "did not find expected ',' or '}'")


#: A block field's value as written on its line: after the list dashes and the field's name (`- title: x`).
_BLOCK_VALUE = re.compile(r"""[ \t]*(?:-[ \t]+)*(?:(?:"[^"]*"|'[^']*'|[^\s:"'{\[][^:]*?):[ \t]+)?(.*)""")


def typographic_quotes_hint(line: str) -> str:
    """A hint for a value put between “ ” or « » to protect its ': ': YAML quotes only with " and '.

    Only for a value that opens with such a mark (or one inside { } or [ ]): in `summary: He said: »yes«`
    the mark opens no value, and the ': ' after "said" is the editor's own.
    """
    value = _BLOCK_VALUE.match(line).group(1)  # type: ignore[union-attr]  (it matches every line)
    opened = _TYPOGRAPHIC_QUOTED.match(value) if value[:1] not in "{[" else _TYPOGRAPHIC_QUOTED.search(value)
    if opened is None:
        return ""
    return (
        f"{opened.group(1)} is a typographic quote mark, which YAML reads as text, so the value is not quoted "
        "and its ': ' or ',' is read as YAML: put the value between straight quotes (\"…\")"
    )


#: White space that is not a space or a tab, which YAML does not take for an indentation: a
#: non-breaking space pasted from the web, a Japanese or Chinese input method's ideographic space.
_ODD_SPACE = re.compile(r"[^\S \t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")  # (line ends are named elsewhere)
#: A field's name followed by a full-width colon, as a Japanese or Chinese input method types it (names are
#: lower-case words: a line of text such as "Q" and a full-width colon in a block is no field).
_FULL_WIDTH_COLON = re.compile(r"\s*(?:-\s+)?([a-z][a-z0-9_]+)\s*\uff1a")


def full_width_colon(text: str, number: int, path: str) -> tuple[Location, str] | None:
    """(where, hint) when the error's line, or one of the two before it, names a field with a full-width colon."""
    for at in range(number, max(number - 3, 0), -1):
        wide = _FULL_WIDTH_COLON.match(_line_text(text, at))
        if wide is not None:
            return (
                Location(path, at, wide.end()),
                f"the colon after '{wide.group(1)}' is a full-width \uff1a (U+FF1A), which YAML does not read: "
                f"type a plain ':' and a space ({wide.group(1)}: …), with the input method in half-width mode",
            )
    return None


def _space_name(char: str) -> str:
    """`a non-breaking space (U+00A0)`, `an ideographic space (U+3000)`: what an odd space is."""
    name = unicodedata.name(char, "space").lower()
    name = "non-breaking space" if name == "no-break space" else name
    article = "an" if name[0] in "aeiou" else "a"
    return f"{article} {name} (U+{ord(char):04X})"


#: A line read as one long key: 'name:value' (no space after the colon) or 'name = value'.
_NO_SPACE_AFTER_COLON = re.compile(r"\s*(?:-\s+)?([\w-]+):(?=[^\s:])")
_EQUALS = re.compile(r"\s*(?:-\s+)?([\w-]+)\s*=\s*(\S.*)")


def plain_words(exc: yaml.MarkedYAMLError, text: str, path: str) -> tuple[Location, str] | None:
    """(where, hint) in plain words for the slips libyaml describes in its own terms, else None.

    'could not find expected ':'' while scanning a simple key is reported on the line after the
    one the key starts on, which is where the mistake is: `claim_date:2025-03-01`, `verdict = x`,
    or text wrapped onto a line of its own. A non-breaking or ideographic space in an indentation is
    named, and a field's name followed by a full-width colon.
    """
    start, problem = exc.context_mark, exc.problem_mark
    if problem is not None and _ODD_SPACE.search(text):
        for number in (real_position(text, problem.index)[0], real_position(text, problem.index)[0] - 1):
            line = _line_text(text, number)
            odd = _ODD_SPACE.search(line[: len(line) - len(line.lstrip())])
            if odd is not None:
                return (
                    Location(path, number, odd.start() + 1),
                    f"line {number} is indented with {_space_name(odd.group())}: indent with ordinary spaces",
                )
    if problem is not None and "\uff1a" in text:
        wide = full_width_colon(text, real_position(text, problem.index)[0], path)
        if wide is not None:
            return wide
    if exc.problem != "could not find expected ':'" or start is None or exc.context != "while scanning a simple key":
        return None
    where = mark_location(path, text, start)
    line = _line_text(text, where.line)
    colon = _NO_SPACE_AFTER_COLON.match(line)
    if colon is not None:
        name = colon.group(1)
        return (
            Location(path, where.line, colon.end()),
            f"put a space after the ':' ({name}: {line[colon.end() :].strip()}): without one, YAML reads "
            "the whole line as text",
        )
    equals = _EQUALS.match(line)
    if equals is not None:
        return (
            where,
            f"write '{equals.group(1)}: {equals.group(2).strip()}': a field is its name, ':' and a space, "
            "then the value, never '='",
        )
    return (
        where,
        "this line is not 'field: value': a value that goes on onto the next line must be indented more "
        "than its field's name, or be put in quotes",
    )


def _line_text(text: str, number: int) -> str:
    """The 1-based line number of text, lines ending only at \\n (text has Unix line ends)."""
    at = 0
    for _ in range(number - 1):
        at = text.find("\n", at) + 1
        if not at:
            return ""
    end = text.find("\n", at)
    return text[at : len(text) if end == -1 else end]


def comment_before(text: str, index: int) -> int | None:
    """Where the '#' is of a comment right after text, on the error's line or the one before, if any.

    `{colour: #1a7f37}` and `[a, b #c]` lose their closing bracket to the comment: libyaml
    reports the next line, the mistake is the ' #'.
    """
    if "#" not in text:
        return None
    start = text.rfind("\n", 0, max(text.rfind("\n", 0, index), 0)) + 1  # the line before the error's
    places = _comment_places(text[start:index])
    return text.index("#", start + max(places)) if places else None


#: Hints for the YAML mistakes editors make most, keyed by libyaml's own wording.
_SYNTAX_HINTS = {
    "mapping values are not allowed in this context": (
        "a ': ' inside a value starts a new field: put the value in quotes (claim: \"He said: no\"), "
        "or check the indentation"
    ),
    "did not find expected key": (
        "a quote mark inside quoted text ends it early (write '' inside '…', or use \"…\"), "
        "or this line is indented differently from the one above"
    ),
    "did not find expected '-' indicator": "every item of this list must start with '- ' at the same indentation",
    "but found another document": (
        "a line '---' starts a second YAML document, and a file holds one: remove the '---' line"
    ),
}


def could_nest_deeper(text: str, depth: int) -> bool:
    """False when text certainly nests lists and mappings no deeper than depth; cheap, conservative.

    Each flow level needs a bracket; each block level needs a deeper column, or a '- ' or '? '
    at the start of a line, so block depth is at most twice the longest such line prefix.
    """
    return text.count("[") + text.count("{") > depth // 2 or _line_prefix(max(depth // 4, 1)).search(text) is not None


@functools.cache
def _line_prefix(width: int) -> re.Pattern[str]:
    """A line starting with width spaces, '-' or '?': where block nesting could reach 2 * width levels."""
    return re.compile(rf"^[ ?-]{{{width}}}", re.MULTILINE)


def check_depth(text: str) -> None:
    """Raise YamlTooDeep when lists and mappings nest deeper than MAX_DEPTH.

    Reads libyaml's flat event stream (no recursion anywhere), about half the cost of composing;
    a syntax error met on the way is raised as composing would raise it.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlTooDeep(event.start_mark)
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            depth -= 1


def too_deep(path: str, mark: yaml.Mark | None) -> Problem:
    """The problem for a document nested past MAX_DEPTH, at the list or mapping that passed it."""
    loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
    return Problem(
        loc,
        f"the document nests lists and mappings more than {MAX_DEPTH} levels deep",
        "yaml-too-deep",
        hint="fact-check data needs a few levels; look for unclosed brackets or runaway indentation",
    )


def expanded_size(root: yaml.Node) -> int:
    """How many values the node tree expands to, aliases counted every time they are used."""
    return expansion(root)[0]


def expansion(root: yaml.Node) -> tuple[int, int]:
    """How many values the node tree expands to, and how many characters its keys and text values then hold,
    aliases counted every time they are used.

    Sizes are memoised per node, so an alias bomb is measured in the time it takes to read it,
    not the time it would take to expand it.
    """
    sizes: dict[int, tuple[int, int]] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = (1, len(node.value))
            continue
        children = _children(node)
        if children_done:
            counted = [sizes[id(child)] for child in children]
            sizes[id(node)] = (1 + sum(values for values, _ in counted), sum(chars for _, chars in counted))
            continue
        if id(node) in entered:  # met again before it was finished: it contains itself
            raise YamlRecursive(node.start_mark)
        entered.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _tab_at(text: str, line: int) -> bool:
    lines = text.splitlines()
    return 0 <= line < len(lines) and lines[line][: len(lines[line]) - len(lines[line].lstrip())].count("\t") > 0


#: Characters PyYAML counts as line ends which are not line ends in the file: editors, git and
#: GitHub annotations end lines only at \n, \r\n or \r.
YAML_ONLY_BREAKS = {"\u2028": "line separator", "\u2029": "paragraph separator", "\x85": "next line"}


def has_yaml_only_breaks(text: str) -> bool:
    """True when PyYAML's line numbers differ from the file's (cheap: three scans in C)."""
    return "\u2028" in text or "\u2029" in text or "\x85" in text


def real_position(text: str, index: int) -> tuple[int, int]:
    """The 1-based (line, column) of text[index], with lines ending only at \n, \r\n or \r."""
    before = text[:index]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    return line, index - max(before.rfind("\n"), before.rfind("\r"))


def mark_location(path: str, text: str, mark: yaml.Mark | None) -> Location:
    """Where a PyYAML mark is in the file; its own line and column unless PyYAML counted extra line ends."""
    if mark is None:
        return Location(path)
    if has_yaml_only_breaks(text) and 0 <= mark.index <= len(text):
        return Location(path, *real_position(text, mark.index))
    return Location(path, mark.line + 1, mark.column + 1)


def yaml_only_break_hint(text: str, line: int) -> str:
    """A hint naming the invisible line end on or just before the error's line, if there is one."""
    lines = re.split(r"\r\n|[\r\n]", text)
    for number in (line, line - 1):
        found = [c for c in YAML_ONLY_BREAKS if 0 < number <= len(lines) and c in lines[number - 1]]
        if found:
            char = found[0]
            return (
                f"line {number} holds the invisible character U+{ord(char):04X} ({YAML_ONLY_BREAKS[char]}), "
                "which YAML reads as a line break: remove it"
            )
    return ""


class _FileLines:
    """Turns PyYAML's lines (which also end at U+2028, U+2029 and U+0085) into the file's lines."""

    _DUPLICATE = re.compile(r"first written at line (\d+)")

    def __init__(self, text: str) -> None:
        self.yaml_starts = [0, *(m.end() for m in re.finditer(r"\r\n|[\r\n\x85\u2028\u2029]", text))]
        self.real_starts = [0, *(m.end() for m in re.finditer(r"\r\n|[\r\n]", text))]

    def line_of(self, yaml_line: int) -> tuple[int, int]:
        """(the file's 1-based line, the index where it starts) of PyYAML's 1-based line yaml_line.

        A YAML line lies wholly inside one line of the file: the file's line ends are YAML's too.
        """
        start = self.yaml_starts[min(yaml_line, len(self.yaml_starts)) - 1]
        real = bisect.bisect_right(self.real_starts, start) - 1
        return real + 1, start - self.real_starts[real]

    def location(self, loc: Location) -> Location:
        """A location of PyYAML's as the file's."""
        if loc.line <= 0:
            return loc
        line, shift = self.line_of(loc.line)
        return Location(loc.path, line, (loc.col or 1) + shift)

    def fixed(self, value: Any, problems: list[Problem]) -> tuple[Any, list[Problem]]:
        """The value with every location the file's, and the problems likewise (syntax errors already are)."""
        seen: set[int] = set()
        stack = [value]
        while stack:
            item = stack.pop()
            if not isinstance(item, (YamlMap, YamlList)) or id(item) in seen:
                continue
            seen.add(id(item))
            item.loc = self.location(item.loc)
            if isinstance(item, YamlMap):
                item.key_locs = {k: self.location(v) for k, v in item.key_locs.items()}
                item.value_locs = {k: self.location(v) for k, v in item.value_locs.items()}
                stack.extend(item.values())
            else:
                item.item_locs = [self.location(v) for v in item.item_locs]
                stack.extend(item)
        return value, [self.problem(p) for p in problems]

    def problem(self, problem: Problem) -> Problem:
        if problem.code == "yaml-syntax":  # made from the error's index, already the file's
            return problem
        message = self._DUPLICATE.sub(lambda m: f"first written at line {self.line_of(int(m[1]))[0]}", problem.message)
        return dataclasses.replace(problem, location=self.location(problem.location), message=message)


#: What YAML refuses to read anywhere in a file: control characters other than tab and line ends,
#: and the non-characters U+FFFE and U+FFFF.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_CONTROL_NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1b": "escape",
    "\x7f": "delete",
}


def other_error(exc: yaml.YAMLError, text: str, path: str) -> Problem:
    """A YAML error without a mark: a character YAML refuses is reported where it is, and named."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return Problem(Location(path), "YAML error: " + " ".join(str(exc).split()), "yaml-syntax")
    char = found.group()
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "control character").lower()
    what = f"U+{ord(char):04X} ({name})"
    return Problem(
        Location(path, *real_position(text, found.start())),
        f"YAML error: the invisible character {what} is not allowed",
        "yaml-syntax",
        hint=f"remove the invisible character {what} at this place; text pasted from Word or a PDF often brings it",
    )


#: Where a value a comment took whole was written, (line, column) as its Location says: the comment.
Emptied = dict[tuple[int, int], str]


def with_comment_warnings(text: str, path: str, problems: list[Problem]) -> tuple[list[Problem], Emptied]:
    """problems, with a warning wherever ' #' right after a plain value (or a bare 'key:') cuts it short.

    `colour: #1a7f37` reads as empty and `claim: … euros #bridge` loses '#bridge': YAML reads a
    ' #' as the start of a comment. A comment whose '#' is followed by a blank (`value  # note`,
    as the editors' guide writes them) is taken as meant. The file is read again, as events,
    only when some line has such a '#' after text that is not itself a comment. Also returned:
    the values a comment left empty, so the validator can say why a field it needs is empty.
    """
    places = _comment_places(text)
    if not places:
        return problems, {}
    warnings = []
    emptied: Emptied = {}
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if type(event) is yaml.ScalarEvent and event.end_mark.index in places and event.style in ("", None):
                warnings.append(_comment_warning(text, path, event))
                if not event.value:
                    start = event.start_mark
                    emptied[(start.line + 1, start.column + 1)] = _comment_after(text, event.end_mark.index)
    except yaml.YAMLError:  # pragma: no cover - the file read cleanly a moment ago
        return problems, {}
    if not warnings:
        return problems, emptied
    return sorted([*problems, *warnings], key=lambda p: p.location.line), emptied


def mark_cut_values(value: Any, emptied: Emptied) -> None:
    """Note in each mapping and list which of its values a comment left empty (YamlMap/YamlList.cut_by_comment)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, YamlMap):
            for key, loc in item.value_locs.items():
                comment = emptied.get((loc.line, loc.col))
                if comment and item[key] is None:
                    item.cut = {**(item.cut or {}), key: comment}
            stack.extend(v for v in item.values() if isinstance(v, (YamlMap, YamlList)))
        elif isinstance(item, YamlList):
            for index, loc in enumerate(item.item_locs):
                comment = emptied.get((loc.line, loc.col))
                if comment and item[index] is None:
                    item.cut = {**(item.cut or {}), index: comment}
            stack.extend(v for v in item if isinstance(v, (YamlMap, YamlList)))


def _comment_after(text: str, index: int) -> str:
    """The comment that starts at the first '#' from index, to the end of its line."""
    sharp = text.index("#", index)
    line_end = text.find("\n", sharp)
    return text[sharp : len(text) if line_end == -1 else line_end].strip()


def _comment_warning(text: str, path: str, event: yaml.ScalarEvent) -> Problem:
    """The warning for the comment right after this plain scalar, at its '#'."""
    end = event.end_mark
    sharp = text.index("#", end.index)
    whole = f"{event.value} {_comment_after(text, end.index)}".strip()
    return Problem(
        Location(path, end.line + 1, end.column + 1 + sharp - end.index),
        "everything after ' #' is a YAML comment, not part of the value: put the value in quotes",
        "yaml-comment",
        severity="warning",
        hint=f'write it as "{whole}"' if '"' not in whole and "\\" not in whole else "",
    )


def _comment_places(text: str) -> set[int]:
    """Where a blank run starts that is followed by '#x', on a line with text before it that is not a comment.

    Found from each '#' by str.find: a regex trying every blank, or finding ' #', costs more than ten times as much.
    """
    found: set[int] = set()
    at = text.find("#", 1)
    while at != -1:
        if text[at - 1] in " \t" and text[at + 1 : at + 2] not in ("", " ", "\t", "\n", "\r"):
            start = at - 1
            while start and text[start - 1] in " \t":
                start -= 1
            line_start = text.rfind("\n", 0, start) + 1
            line_start = text.rfind("\r", line_start, start) + 1 or line_start
            before = text[line_start:start].lstrip()
            if before and not before.startswith("#"):
                found.add(start)
        at = text.find("#", at + 1)
    return found
