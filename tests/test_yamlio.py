"""yamlio: positions, ids kept as written, duplicate keys, merge keys and hostile YAML refused."""

from __future__ import annotations

import datetime as dt

import pytest

from factpress.errors import Location
from factpress.yamlio import MAX_NODES, YamlList, YamlMap, expanded_size, load_yaml


def load_ok(text: str) -> object:
    """Parse text that must be valid, failing the test with the problems otherwise."""
    value, problems = load_yaml(text, "x.yaml")
    assert problems == []
    return value


def codes(text: str) -> list[str]:
    return [p.code for p in load_yaml(text, "x.yaml")[1]]


def test_positions_are_one_based_line_and_column() -> None:
    data = load_ok("title: Hello\nitems:\n  - first\n  - {key: value}\n")
    assert isinstance(data, YamlMap)
    assert data.loc == Location("x.yaml", 1, 1)
    assert data.key_locs["title"] == Location("x.yaml", 1, 1)
    assert data.where("title") == Location("x.yaml", 1, 8)
    items = data["items"]
    assert isinstance(items, YamlList)
    assert items.where(0) == Location("x.yaml", 3, 5)
    assert items.where(1) == Location("x.yaml", 4, 5)
    assert items[1].where("key") == Location("x.yaml", 4, 11)


def test_where_falls_back_to_the_mapping_for_a_missing_key() -> None:
    data = load_ok("\n\n  a: 1\n")
    assert data.where("missing") == Location("x.yaml", 3, 3)


@pytest.mark.parametrize("written", ["false", "no", "on", "off", "yes", "null", "2024", "1.0", "True", "~", "0x1F"])
def test_scalars_keep_the_text_the_editor_wrote(written: str) -> None:
    data = load_ok(f"verdict: {written}\n")
    assert data.text("verdict") == written


def test_values_are_still_typed_for_fields_that_want_them() -> None:
    data = load_ok("a: false\nb: 2024\nc: 1.5\nd: null\ne: 2025-07-09\nf: '2025-07-09'\ng: 1_000\n")
    assert data["a"] is False
    assert data["b"] == 2024
    assert data["c"] == 1.5
    assert data["d"] is None
    assert data["e"] == dt.date(2025, 7, 9)
    assert data["f"] == "2025-07-09"
    assert data["g"] == 1000
    assert data.text("e") == data.text("f") == "2025-07-09"


def test_sequence_items_keep_their_text() -> None:
    data = load_ok("related: [no, 'yes', 2024, {a: b}]\n")
    assert data["related"].raw == ["no", "yes", "2024", None]


def test_a_duplicate_key_is_reported_at_the_second_key() -> None:
    value, problems = load_yaml("id: a\nverdict: true\nname: n\nverdict: false\n", "claims.yaml")
    assert [(p.code, p.location) for p in problems] == [("duplicate-key", Location("claims.yaml", 4, 1))]
    assert "first written at line 2" in problems[0].message
    assert value.text("verdict") == "true"  # the first one is kept, never silently the last


def test_a_duplicate_key_in_a_nested_flow_mapping_is_found() -> None:
    _, problems = load_yaml("- {id: a, id: b}\n", "p.yaml")
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [("duplicate-key", 1, 11)]


def test_merge_keys_copy_fields_and_explicit_keys_win() -> None:
    data = load_ok("base: &base {kind: person, name: Base}\nother: {<<: *base, name: Other}\n")
    assert dict(data["other"]) == {"name": "Other", "kind": "person"}
    assert data["other"].text("kind") == "person"


def test_merge_of_a_list_of_mappings() -> None:
    data = load_ok("a: &a {x: 1}\nb: &b {y: 2, x: 3}\nc: {<<: [*a, *b]}\n")
    assert dict(data["c"]) == {"x": 1, "y": 2}


def test_merging_a_scalar_is_an_error() -> None:
    _, problems = load_yaml("a: &a text\nb: {<<: *a}\n", "x.yaml")
    assert [(p.code, str(p.location)) for p in problems] == [("yaml-merge", "x.yaml:2:5")]
    assert problems[0].hint.startswith("write '<<: *name'")


def test_a_key_that_is_not_text_is_an_error() -> None:
    assert codes("? [a, b]\n: c\n") == ["yaml-key"]


def test_an_alias_bomb_is_refused_before_it_is_expanded() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 12):  # 10**12 values once expanded
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    value, problems = load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert value is None
    assert [(p.code, str(p.location)) for p in problems] == [("yaml-too-large", "bomb.yaml:1:1")]
    assert f"{MAX_NODES:,}" in problems[0].message


@pytest.mark.parametrize("text", ["&a [*a]\n", "a: &a {b: [1, *a]}\n", "- &x {id: x, same_as: [*x]}\n"])
def test_an_alias_inside_its_own_anchor_is_refused(text: str) -> None:
    value, problems = load_yaml(text, "x.yaml")
    assert value is None
    assert [p.code for p in problems] == ["yaml-recursive"]


def test_an_alias_used_many_times_is_not_recursive() -> None:
    data = load_ok("a: &a [1]\nb: [*a, *a, {c: *a}]\n")
    assert data["b"] == [[1], [1], {"c": [1]}]


def test_expanded_size_counts_each_alias_use() -> None:
    import yaml

    node = yaml.compose("a: &x [1, 2]\nb: *x\nc: *x\n")
    # the mapping, three keys, three uses of a two-item list
    assert expanded_size(node) == 1 + 3 + 3 * 3


def test_aliases_that_repeat_long_text_are_refused() -> None:
    """A 1 MB analysis as an anchor and `analysis: *a` in 400 claims made a 1 MB claims file a 400 MB site,
    and 1 GB of memory: aliases may repeat no more text than the file holds (or MAX_ALIAS_TEXT, if more)."""
    analysis = "The mayor gave the figure. " * 8_000  # 216,000 characters
    claims = f"- {{id: a, analysis: &a '{analysis}'}}\n" + "".join(
        f"- {{id: c{n}, analysis: *a}}\n" for n in range(400)
    )
    value, problems = load_yaml(claims, "claims.yaml")
    assert value is None
    assert [(p.code, str(p.location)) for p in problems] == [("yaml-too-large", "claims.yaml:1:1")]
    assert (
        problems[0].message
        == f"its aliases (*name) repeat text: the {len(claims):,} characters of the file expand to 86,621,501"
    )
    few = f"- {{id: a, note: &n '{'x' * 1_000}'}}\n" + "".join(f"- {{id: c{n}, note: *n}}\n" for n in range(90))
    assert len(load_ok(few)) == 91  # (90,000 characters repeated: under MAX_ALIAS_TEXT)
    shared = f"- {{id: a, note: &n '{'x' * 100_000}'}}\n- {{id: b, note: *n}}\n"
    assert len(load_ok(shared)) == 2  # (as much again as the file holds)


def test_deep_nesting_is_refused() -> None:
    assert codes("a: " + "[" * 3000 + "]" * 3000 + "\n") == ["yaml-too-deep"]


def test_tab_indentation_is_a_located_syntax_error() -> None:
    _, problems = load_yaml("- id: a\n\tname: b\n", "people.yaml")
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.code, problem.location) == ("yaml-syntax", Location("people.yaml", 2, 1))
    assert problem.hint == "indent with spaces, not tabs"


def test_an_unclosed_quote_points_back_to_where_it_opened() -> None:
    _, problems = load_yaml("a: ok\nb: 'never closed\nc: 3\n", "x.yaml")
    assert [p.code for p in problems] == ["yaml-syntax"]
    assert (problems[0].message, str(problems[0].location)) == (
        "YAML syntax error: quoted text is never closed",
        "x.yaml:2:4",
    )


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("- id: a\n  claim: 'The mayor's plan'\n", 2, "a quote mark inside quoted text ends it early"),
        ("- id: a\n  claim: He said: no\n", 2, "a ': ' inside a value starts a new field"),
        ("- id: a\n- id: b\n x: y\n", 3, "every item of this list must start with '- '"),
    ],
)
def test_common_syntax_mistakes_get_a_hint(text: str, line: int, hint: str) -> None:
    (problem,) = load_yaml(text, "x.yaml")[1]
    assert (problem.code, problem.location.line) == ("yaml-syntax", line)
    assert problem.hint.startswith(hint)


def test_bad_indentation_is_located() -> None:
    _, problems = load_yaml("a:\n  b: 1\n c: 2\n", "x.yaml")
    assert [(p.code, p.location.line) for p in problems] == [("yaml-syntax", 3)]


def test_an_empty_document_is_none_without_problems() -> None:
    assert load_yaml("# only a comment\n", "x.yaml") == (None, [])


def test_an_impossible_date_stays_text_for_validation_to_report() -> None:
    data = load_ok("published: 2025-02-30\n")
    assert data["published"] == "2025-02-30"
