"""The one-pass event reader gives exactly what composing the node tree gives: values, positions, problems, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factpress import yamlio
from factpress.yamlio import YamlList, YamlMap, load_composed, load_yaml

SITES = Path(__file__).parent / "sites"
SITE_YAML = sorted(p for p in SITES.rglob("*.y*ml") if p.is_file())


def shape(value: Any) -> Any:
    """A value with every position and raw text it carries, for exact comparison."""
    if isinstance(value, YamlMap):
        return (
            "map",
            value.loc,
            [(k, value.key_locs[k], value.value_locs[k], value.raw.get(k), shape(v)) for k, v in value.items()],
        )
    if isinstance(value, YamlList):
        return ("list", value.loc, list(value.item_locs), list(value.raw), [shape(v) for v in value])
    return (type(value).__name__, value)


def same_as_composed(text: str) -> None:
    fast_value, fast_problems = load_yaml(text, "x.yaml")
    slow_value, slow_problems = load_composed(text, "x.yaml")
    assert fast_problems == slow_problems
    assert shape(fast_value) == shape(slow_value)


CASES = [
    "",
    "---\n",
    "# only a comment\n",
    "a: 1\n",
    "just text\n",
    "- a\n- b: [1, 2, {c: d}]\n- {e: f, g: [h]}\n",
    "a: false\nb: 2024\nc: 1.5\nd: null\ne: 2025-07-09\nf: '2025-07-09'\ng: 1_000\nh: 0x1F\ni: .inf\nj: ~\n",
    "verdict: no\nother: 'yes'\nn: 2025-13-45\nt: 2001-12-14t21:59:43.10-05:00\n",
    "id: a\nverdict: true\nname: n\nverdict: false\n",
    "- {id: a, id: b}\n",
    "a: {x: 1}\na: {y: !!python/object:os.system 2}\n",  # a duplicate's value is left out, its tags too
    "? [a, b]\n: value\nc: d\n",
    "? {a: !custom b}\n: !custom value\nc: d\n",
    "[a, b]: 1\n{c: d}: 2\ne: 3\n",
    "!!python/object/apply:os.system ['echo hi']\n",
    "a: !!binary aGk=\nb: !custom x\n!foo k: v\n",
    "a: !!set {x, y}\nb: !!omap [x: 1]\nc: !!str 12\nd: !!int '12'\ne: ! 12\n",
    "=: 1\nv: =\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "a: [1, 2\n",
    "a: 'never closed\n",
    'a: "never closed\n',
    "a: b: c\n",
    "a:\n\t- b\n",
    "- a\nb: c\n",
    "a: |\n  literal\n  text\nb: >\n  folded\n  text\n",
    "a: &x 1\nb: *x\n",
    "base: &base {kind: person, name: Base}\nother: {<<: *base, name: Other}\n",
    "a: {<<: {b: 1}, c: 2}\n",
    "a: <<\n",
    "a: *undefined\n",
    "'quoted key': 1\n\"other\": 2\n1: int key\ntrue: bool key\nnull: null key\n",
    "\ufeffa: 1\n",
    "a: [\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
]


@pytest.mark.parametrize("text", CASES)
def test_the_event_reader_gives_what_composing_gives(text: str) -> None:
    same_as_composed(text)


def test_only_anchors_aliases_and_merge_keys_are_left_to_the_composer() -> None:
    def composed(text: str) -> bool:
        try:
            yamlio._EventBuilder("x.yaml", False).load(text)
        except yamlio._NeedsComposer:
            return True
        return False

    assert [text for text in CASES if composed(text)] == [
        "a: &x 1\nb: *x\n",
        "base: &base {kind: person, name: Base}\nother: {<<: *base, name: Other}\n",
        "a: {<<: {b: 1}, c: 2}\n",
        "a: <<\n",
        "a: *undefined\n",
    ]


@pytest.mark.parametrize("path", SITE_YAML, ids=lambda p: p.relative_to(SITES).as_posix())
def test_every_test_site_file_reads_the_same(path: Path) -> None:
    same_as_composed(path.read_bytes().decode("utf-8", "replace"))


@pytest.mark.parametrize("depth", [99, 100, 101, 150])
@pytest.mark.parametrize("style", ["flow", "block", "flow-key", "after-error"])
def test_nesting_at_and_past_the_limit(depth: int, style: str) -> None:
    if style == "flow":
        text = "a: " + "[" * depth + "1" + "]" * depth + "\n"
    elif style == "block":
        text = "".join("  " * i + "- \n" for i in range(depth)) + "  " * depth + "x\n"
    elif style == "flow-key":
        text = "? " + "[" * depth + "1" + "]" * depth + "\n: v\n"
    else:
        text = "a: " + "[" * depth + "1" + "]" * depth + "\nb: [\n"
    same_as_composed(text)


@pytest.mark.parametrize("depth", [3_000, 6_000])
def test_text_that_could_nest_past_the_composer_is_measured_first(depth: int) -> None:
    same_as_composed("a: " + "[" * depth + "]" * depth + "\n")
    same_as_composed("a: " + "[" * depth + "]" * depth + "\nb: [\n")
    same_as_composed("a: [\nb: " + "[" * depth + "]" * depth + "\n")
    same_as_composed("a: [1, 2]\nb: [" + "{}," * depth + "]\n")


def test_too_many_values_are_refused_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_NODES", 50)
    for text in [
        "[" + ", ".join(["1"] * 60) + "]\n",
        "[" + ", ".join(["1"] * 60) + "\n",  # the syntax error wins
        "[" + ", ".join(["1"] * 40) + "]\n",
        "a: [" + ", ".join(["1"] * 60) + "]\nb: " + "[" * 120 + "]" * 120 + "\n",  # too large wins over too deep
        "a: " + "[" * 120 + "]" * 120 + "\nb: [" + ", ".join(["1"] * 60) + "]\n",
    ]:
        same_as_composed(text)


YAML_ALPHABET = st.sampled_from(
    [
        *"abc:-?[]{},'\"#&*!|>%@`~ \n\t.01",
        *["\n  ", "\n- ", ": ", "- ", "<<: ", "!!str ", "!x ", "&a ", "*a", "? ", "---\n", "...\n", "yes", "null"],
    ]
)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_ALPHABET, max_size=40).map("".join))
def test_random_text_reads_the_same(text: str) -> None:
    same_as_composed(text)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_site_files_read_the_same(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(SITE_YAML))
    text = path.read_bytes().decode("utf-8", "replace")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        text = text[:at] + data.draw(YAML_ALPHABET) + text[at + cut :]
    same_as_composed(text)
