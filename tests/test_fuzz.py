"""Never a traceback: random and mutated site projects end in success or a clean error, exit 0 or 1.

Hypothesis starts from the minimal site project and mutates its files the way careless and
hostile hands do: lines deleted, duplicated or swapped, random bytes, values of the wrong type,
ids swapped, huge numbers, odd unicode, files emptied, removed or replaced by folders. Each
mutated project goes through `check` and `build` via the command line's own entry point.
The examples are derandomised, so CI and `make test` are reproducible: a red run is red again
on any machine. To explore new ground: FACTPRESS_FUZZ_EXPLORE=1 FACTPRESS_FUZZ_EXAMPLES=2000.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factpress.cli import main
from factpress.yamlio import could_nest_deeper

SITES = Path(__file__).resolve().parent / "sites"
EXPLORE = os.environ.get("FACTPRESS_FUZZ_EXPLORE", "") not in ("", "0")
EXAMPLES = int(os.environ.get("FACTPRESS_FUZZ_EXAMPLES", "80"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not EXPLORE,
    database=None if not EXPLORE else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def base_project() -> dict[str, bytes]:
    """The minimal project's files, plus a content page, as {relative path: bytes}."""
    root = SITES / "minimal"
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    files["content/pages/about.md"] = b"---\ntitle: About\nnav: 1\n---\n# About us\n\nWe check [claims](/claims/).\n"
    files["content/topics.yaml"] = b"- {id: money, name: Money, description: Public spending.}\n"
    files["claims.yaml"] = files["claims.yaml"].replace(
        b"  authors: [desk]\n", b"  authors: [desk]\n  topics: [money]\n"
    )
    return files


BASE = base_project()
EDITABLE = sorted(name for name in BASE if name.endswith((".yaml", ".md")))

#: Values a careless or hostile editor might put where a scalar was.
ODD_VALUES = [
    "[]", "{}", "null", "~", "''", "-", "?", ":", "|", ">", "&anchor", "*nowhere", "!!binary aGk=",
    "!!python/object/apply:os.system ['true']", "!custom x", "true", "no", "0", "-1", "0x1F", "0o17",
    "1e999", "-.inf", ".nan", "123456789012345678901234567890", "2025-02-30", "2025-13-01", "0000-00-00",
    "9999-12-31", "1900", "12:30:00", "2025-01-01T10:00:00Z", "'unterminated", '"\\ud800"', '"\\x00"',
    '"\\u2028"', "Ünïcødé ✓ 😀 \u202e", "x" * 5000, "[a, [b, [c]]]", "{a: {b: {c: d}}}", "'<script>'",
    "javascript:alert(1)", "../../etc/passwd", "/etc/passwd", "C:\\\\x", "'#zzz'", "'%'", "'\t'",
]  # fmt: skip


@st.composite
def mutation(draw: st.DrawFn, text: str) -> str:
    """One careless or hostile edit of a YAML or Markdown file's text."""
    lines = text.split("\n")
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "bytes", "value", "indent", "truncate", "text"]))
    index = draw(st.integers(0, max(len(lines) - 1, 0)))
    if kind == "delete" and lines:
        del lines[index]
    elif kind == "duplicate" and lines:
        lines.insert(index, lines[index])
    elif kind == "swap" and len(lines) > 1:
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "value" and lines and ":" in lines[index]:
        head = lines[index].rsplit(":", 1)[0]
        lines[index] = f"{head}: {draw(st.sampled_from(ODD_VALUES))}"
    elif kind == "indent" and lines:
        lines[index] = draw(st.sampled_from(["", " ", "  ", "\t", "    "])) + lines[index].lstrip()
    elif kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    elif kind == "text":
        position = draw(st.integers(0, len(text)))
        return text[:position] + draw(st.text(max_size=20)) + text[position:]
    return "\n".join(lines)


@st.composite
def mutated_project(draw: st.DrawFn) -> dict[str, bytes | None]:
    """The base project after one to four edits; None marks a file replaced by a folder."""
    files: dict[str, bytes | None] = dict(BASE)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(EDITABLE))
        current = files.get(name)
        action = draw(st.sampled_from(["edit", "edit", "edit", "edit", "bytes", "ids", "empty", "remove", "folder"]))
        if action == "remove":
            files.pop(name, None)
        elif action == "folder":
            files[name] = None
        elif action == "empty":
            files[name] = b""
        elif current is None:
            continue
        elif action == "bytes":
            position = draw(st.integers(0, len(current)))
            files[name] = current[:position] + draw(st.binary(min_size=1, max_size=8)) + current[position:]
        elif action == "ids":
            ids = [b"bridge-cost", b"jane-doe", b"desk", b"gazette", b"money", b"true", b"false", b"unproven"]
            old, new = draw(st.sampled_from(ids)), draw(st.sampled_from([*ids, b"Bad Id", b"", b"..", b"a/b"]))
            files[name] = current.replace(old, new)
        else:
            text = current.decode("utf-8", errors="replace")
            files[name] = draw(mutation(text)).encode("utf-8", errors="surrogatepass")
    return files


def write_project(files: dict[str, bytes | None], root: Path) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            path.mkdir(exist_ok=True)
        else:
            path.write_bytes(data)


def run(args: list[str]) -> tuple[int, str]:
    """The command line in-process: its exit status and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue() + err.getvalue()


def assert_clean(status: int, output: str) -> None:
    assert status in (0, 1), output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in output, output[-3000:]


def check_then_build(files: dict[str, bytes | None], root: Path) -> int:
    """Write the project, run check and build; both end cleanly and judge the content alike."""
    write_project(files, root)
    status, output = run(["check", "--root", str(root)])
    assert_clean(status, output)
    built, output = run(["build", "--root", str(root), "--no-search", "--quiet"])
    assert_clean(built, output)
    assert built == status, output[-3000:]  # build judges the content exactly as check does
    return built


@FUZZ
@given(files=mutated_project())
@example(files={**BASE, "claims.yaml": b'- id: "\\ud800"\n'})
@example(files={**BASE, "content/site.yaml": b"[" * 50_000})
@example(files={**BASE, "claims.yaml": BASE["claims.yaml"].replace(b"claim_date: 2025-03", b"claim_date: 1e999")})
@example(files={**BASE, "claims.yaml": BASE["claims.yaml"].replace(b"id: bridge-cost", b"id: " + b"a" * 300)})
@example(files={**BASE, "content/sources.yaml": BASE["content/sources.yaml"].replace(b"gazette.txt", b"g" * 5000)})
def test_check_and_build_end_cleanly(files: dict[str, bytes | None]) -> None:
    with tempfile.TemporaryDirectory(prefix="factpress-fuzz-") as folder:
        root = Path(folder) / "project"
        if check_then_build(files, root) == 1:
            assert not (root / "site").exists()


@FUZZ
@given(text=st.text(max_size=400), name=st.sampled_from(EDITABLE))
def test_any_text_in_any_file_ends_cleanly(text: str, name: str) -> None:
    with tempfile.TemporaryDirectory(prefix="factpress-fuzz-") as folder:
        root = Path(folder) / "project"
        write_project({**BASE, name: text.encode("utf-8", errors="surrogatepass")}, root)
        assert_clean(*run(["check", "--root", str(root)]))


#: Any value YAML can hold, nested a few levels: what a field may receive instead of what it expects.
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.dates()
    | st.text(max_size=30)
    | st.sampled_from(["true", "false", "2025-02-30", "https://x.example/", "javascript:x", "bridge-cost", "desk"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@st.composite
def retyped_project(draw: st.DrawFn) -> dict[str, bytes | None]:
    """The base project with one field, anywhere in one YAML file, given a value of any type."""
    name = draw(st.sampled_from([n for n in EDITABLE if n.endswith(".yaml")]))
    data = yaml.safe_load(BASE[name])
    node = data
    for _ in range(draw(st.integers(0, 3))):  # walk down a few levels, then replace one entry
        if isinstance(node, list) and node:
            child = draw(st.integers(0, len(node) - 1))
        elif isinstance(node, dict) and node:
            child = draw(st.sampled_from(sorted(node, key=str)))
        else:
            break
        if not isinstance(node[child], (list, dict)) or not node[child]:
            break
        node = node[child]
    value = draw(ANY_VALUE)
    if isinstance(node, list) and node:
        node[draw(st.integers(0, len(node) - 1))] = value
    elif isinstance(node, dict):
        node[draw(st.sampled_from([*sorted(node, key=str), "extra"]))] = value
    else:
        data = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return {**BASE, name: text.encode("utf-8", errors="surrogatepass")}


@FUZZ
@given(files=retyped_project())
def test_a_value_of_any_type_in_any_field_ends_cleanly(files: dict[str, bytes | None]) -> None:
    with tempfile.TemporaryDirectory(prefix="factpress-fuzz-") as folder:
        check_then_build(files, Path(folder) / "project")


def event_depth(text: str) -> int:
    """How deep lists and mappings really nest, read from the parser's events."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return deepest


NESTED = st.recursive(
    st.none() | st.integers() | st.text(alphabet="ab[]{}-? :,\n", max_size=6),
    lambda children: (
        st.lists(children, min_size=1, max_size=2)
        | st.dictionaries(st.text(alphabet="ab-?[", min_size=1, max_size=3), children, min_size=1, max_size=2)
    ),
    max_leaves=40,
)


@FUZZ
@given(
    data=NESTED,
    flow=st.sampled_from([False, True, None]),
    indent=st.integers(2, 6),
    limit=st.integers(2, 40),
)
@example(data=None, flow=False, indent=2, limit=8)  # the compact forms below, written by hand
def test_the_cheap_depth_bound_never_underestimates(data: object, flow: bool | None, indent: int, limit: int) -> None:
    """Documents the bound lets past the composer unmeasured really are no deeper than the bound."""
    texts = [yaml.safe_dump(data, default_flow_style=flow, indent=indent, allow_unicode=True)]
    texts += ["- " * (limit + 1) + "x\n", "? - ? - ? - x\n: y\n", "a:\n- b:\n  - c:\n    - d\n"]
    for text in texts:
        if not could_nest_deeper(text, limit):
            assert event_depth(text) <= limit, text
