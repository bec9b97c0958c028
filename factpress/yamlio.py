"""YAML reading that keeps what editors wrote: positions, ids as text, duplicate keys as errors.

PyYAML's C parser composes the node tree (fast); we build the values ourselves so that every
mapping and sequence knows where each entry was written, every scalar keeps its source text
(`verdict: false` stays the id 'false'), and a duplicate key is reported instead of overwritten.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import yaml

from .errors import Location, Problem

try:  # the C loader is about twelve times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Upper bound on values built from one file; alias ("billion laughs") bombs stop here.
MAX_NODES = 2_000_000

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
    """A mapping that remembers where it and each of its keys and values were written."""

    __slots__ = ("key_locs", "loc", "raw", "value_locs")

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.key_locs: dict[str, Location] = {}
        self.value_locs: dict[str, Location] = {}
        self.raw: dict[str, str] = {}

    def where(self, key: str) -> Location:
        """The value's location when present, else the mapping's own."""
        return self.value_locs.get(key) or self.loc

    def text(self, key: str) -> str | None:
        """The scalar exactly as written (so `false`, `no`, `2024` stay text), or None."""
        return self.raw.get(key)


class YamlList(list):
    """A sequence that remembers where it and each of its items were written."""

    __slots__ = ("item_locs", "loc", "raw")

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.item_locs: list[Location] = []
        self.raw: list[str | None] = []

    def where(self, index: int) -> Location:
        """The item's location when it exists, else the list's own."""
        return self.item_locs[index] if 0 <= index < len(self.item_locs) else self.loc


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
    """Convert a scalar by its resolved tag; dates stay date objects, anything odd stays text."""
    tag = node.tag
    value = node.value
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
        return Location(self.path, mark.line + 1, mark.column + 1)

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
                value.item_locs.append(self.loc(item))
                value.raw.append(item.value if isinstance(item, yaml.ScalarNode) else None)
        elif isinstance(node, yaml.MappingNode):
            value = self.build_mapping(node)
        self.depth -= 1
        return value

    def check_tag(self, node: yaml.Node) -> None:
        """Report an explicit tag outside plain data (the value is still read as plain data)."""
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                Problem(
                    self.loc(node),
                    f"YAML tag '{tag}' is not allowed",
                    "yaml-tag",
                    hint="factpress reads plain YAML only; remove the tag",
                )
            )

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
            if key in mapping.key_locs:
                first = mapping.key_locs[key]
                self.problems.append(
                    Problem(
                        self.loc(key_node),
                        f"duplicate key '{key}' (first written at line {first.line})",
                        "duplicate-key",
                        hint="remove one of them; YAML would silently keep only the last",
                    )
                )
                continue
            mapping[key] = self.build(value_node)
            mapping.key_locs[key] = self.loc(key_node)
            mapping.value_locs[key] = self.loc(value_node)
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


def load_yaml(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return its value (None when unusable) and the problems found."""
    try:
        if could_nest_deeper(text, COMPOSER_SAFE_DEPTH):
            check_depth(text)
        node = yaml.compose(text, Loader=_Loader)
    except YamlTooDeep as exc:
        return None, [too_deep(path, exc.mark)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "not valid YAML"
        hint = ""
        if exc.context_mark is not None and "end of stream" in message and "quoted" in (exc.context or ""):
            # the file ended inside quotes: the mistake is where the quote opened, not at the end
            mark = exc.context_mark
            message = "quoted text is never closed"
            hint = "end it with the quote mark it starts with, or leave the quotes out"
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
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
                hint += f" that starts at line {start.line + 1}, column {start.column + 1}"
        return None, [Problem(loc, f"YAML syntax error: {message}", "yaml-syntax", hint=hint)]
    except yaml.YAMLError as exc:
        return None, [Problem(Location(path), f"YAML error: {exc}", "yaml-syntax")]
    if node is None:
        return None, []
    builder = _Builder(path)
    try:
        if expanded_size(node) > MAX_NODES:
            raise YamlTooLarge
        value = builder.build(node)
    except YamlTooLarge:
        return None, [
            Problem(
                Location(path, 1, 1),
                f"the document expands to more than {MAX_NODES:,} values",
                "yaml-too-large",
                hint="aliases (*name) that repeat anchors many times are refused; write the data out",
            )
        ]
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
    """How many values the node tree expands to, aliases counted every time they are used.

    Sizes are memoised per node, so an alias bomb is measured in the time it takes to read it,
    not the time it would take to expand it.
    """
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = _children(node)
        if children_done:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
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
