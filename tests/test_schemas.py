"""JSON Schemas: generated from fields.py, committed without drift, and agreeing with the validator."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from factpress import fields
from factpress.load import load_project, split_front_matter
from factpress.schemas import generate_schemas
from factpress.validate import validate_project

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
DELETE = object()

#: Where each kind lives in tests/sites/minimal (topics.yaml and a page are added by `site_data`).
FILES = {
    "site": "content/site.yaml",
    "verdicts": "content/verdicts.yaml",
    "people": "content/people.yaml",
    "topics": "content/topics.yaml",
    "sources": "content/sources.yaml",
    "claims": "claims.yaml",
    "page": "content/pages/about.md",
}


def as_json(data: Any) -> Any:
    """What an editor's YAML language server hands the schema: dates become their ISO text."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()))


def schema_errors(kind: str, data: Any) -> list[str]:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(as_json(data))]


def read_data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        front, _body, _line = split_front_matter(text)
        return yaml.safe_load(front or "")
    return yaml.safe_load(text)


def write_data(path: Path, data: Any) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if path.suffix == ".md":
        text = f"---\n{text}---\n\nA page.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def site_data(project) -> tuple[Path, dict[str, Any]]:
    """The minimal site with a topics file and a page, and every file's data by kind."""
    root = project("minimal")
    write_data(root / FILES["topics"], [{"id": "bridges", "name": "Bridges"}])
    write_data(root / FILES["page"], {"title": "About", "nav": 1})
    return root, {kind: read_data(root / path) for kind, path in FILES.items()}


def validator_errors(root: Path) -> list[str]:
    _site, problems = validate_project(load_project(root))
    return [f"{p.location}: {p.message} [{p.code}]" for p in problems if p.is_error]


def mutate(data: Any, path: list[Any], value: Any) -> Any:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


# -- generation ----------------------------------------------------------------------------------


def test_committed_schemas_match_the_field_definitions() -> None:
    expected = generate_schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert sorted(committed) == sorted(expected), "run `make schemas` and commit schemas/"
    for name, text in expected.items():
        assert committed[name] == text, f"schemas/{name} is out of date: run `make schemas` and commit it"


@pytest.mark.parametrize("name", sorted(generate_schemas()))
def test_each_schema_is_a_valid_draft_7_schema(name: str) -> None:
    Draft7Validator.check_schema(json.loads(generate_schemas()[name]))


def test_every_file_kind_has_a_schema() -> None:
    kinds = [*fields.FILE_KINDS, "messages"]
    assert sorted(generate_schemas()) == sorted(f"{kind}.schema.json" for kind in kinds)
    assert set(FILES) == set(fields.FILE_KINDS)


def test_the_messages_schema_names_every_theme_message_and_takes_what_check_takes() -> None:
    from factpress.i18n import theme_messages

    schema = json.loads(generate_schemas()["messages.schema.json"])
    validator = Draft7Validator(schema)
    known = schema["properties"]["messages"]["anyOf"][0]["properties"]
    assert set(known) == set(theme_messages())
    good = {"messages": {"Our verdict": "Notre verdict", "%(num)d source": {"one": "1", "other": "%(num)d"}}}
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({"messages": {"Our verdict": 42}}))
    assert list(validator.iter_errors({"messages": {"%(num)d source": {"one": "x"}}}))  # no other form
    assert list(validator.iter_errors({"mesages": {}}))


def test_every_field_has_a_description_editors_can_show() -> None:
    def walk(items: tuple[fields.Field, ...]) -> None:
        for field in items:
            assert field.description.strip(), field.name
            walk(field.fields)

    for kind_fields, _is_list, _title in fields.FILE_KINDS.values():
        walk(kind_fields)


def patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        return ([node["pattern"]] if isinstance(node.get("pattern"), str) else []) + [
            p for value in node.values() for p in patterns(value)
        ]
    return [p for value in node for p in patterns(value)] if isinstance(node, list) else []


def test_patterns_are_valid_javascript_regular_expressions() -> None:
    """Editors' YAML language servers compile patterns as JavaScript (unicode) regular expressions."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not found: JavaScript pattern check skipped")
    found = sorted({p for text in generate_schemas().values() for p in patterns(json.loads(text))})
    assert len(found) >= 8
    script = (
        "const bad = JSON.parse(process.argv[1]).filter(p => { try { new RegExp(p, 'u'); return false }"
        " catch (e) { return true } }); console.log(JSON.stringify(bad))"
    )
    result = subprocess.run([node, "-e", script, json.dumps(found)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


# -- the sample site -----------------------------------------------------------------------------


def sample_files() -> list[tuple[str, Path]]:
    found = [("claims", REPO / "claims.yaml")]
    found += [("claims", p) for p in sorted((REPO / "content" / "claims").glob("*.yaml"))]
    found += [(p.stem, p) for p in sorted((REPO / "content").glob("*.yaml"))]
    found += [("page", p) for p in sorted((REPO / "content" / "pages").glob("*.md"))]
    return found


@pytest.mark.parametrize(("kind", "path"), sample_files(), ids=lambda v: getattr(v, "name", v))
def test_the_sample_site_passes_its_schemas(kind: str, path: Path) -> None:
    assert schema_errors(kind, read_data(path)) == []


@pytest.mark.parametrize(
    ("kind", "path"), [s for s in sample_files() if s[0] != "page"], ids=lambda v: getattr(v, "name", v)
)
def test_sample_yaml_files_name_their_schema_with_a_working_relative_path(kind: str, path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first_line)
    assert match, f"{path.name} should start with '# yaml-language-server: $schema=…'"
    target = (path.parent / match.group(1)).resolve()
    assert target == (SCHEMAS / f"{kind}.schema.json").resolve()
    assert target.is_file()


def test_the_minimal_site_passes_both_the_schemas_and_the_validator(site_data) -> None:
    root, data = site_data
    assert validator_errors(root) == []
    for kind, value in data.items():
        assert schema_errors(kind, value) == [], kind


# -- the schema and the validator agree ----------------------------------------------------------

ACCEPTED = [
    ("claims", [0, "verdict"], False),  # `verdict: false` is the verdict whose key is 'false'
    ("claims", [0, "claim_date"], 2024),
    ("claims", [0, "claim_date"], "2024-06"),
    ("claims", [0, "claim_date"], dt.date(2024, 6, 3)),
    ("claims", [0, "claim_date"], "1000"),  # the first year taken
    ("claims", [0, "published"], "2025-03-05"),  # a quoted date
    ("claims", [0, "updated"], dt.date(2025, 3, 6)),
    ("claims", [0, "topics"], "bridges"),  # a single id for a list
    ("claims", [0, "topics"], ["bridges"]),
    ("claims", [0, "draft"], True),
    ("claims", [0, "aliases"], ["bridge-price", "the-bridge-cost"]),
    ("claims", [0, "language"], "pt-BR"),
    ("claims", [0, "appearances"], [{"url": "https://example.org/a"}]),
    ("claims", [0, "appearances"], [{"title": "Radio interview", "medium": "radio", "date": 2025}]),
    ("claims", [0, "corrections"], [{"date": dt.date(2025, 3, 7), "note": "Fixed.", "previous_verdict": False}]),
    ("claims", [0, "summary"], 42),  # YAML reads it as a number; the validator takes the text
    ("verdicts", [1, "rating"], DELETE),
    ("verdicts", [0, "colour"], "#abc"),
    ("people", [0, "same_as"], "https://www.wikidata.org/wiki/Q42"),
    ("people", [0, "kind"], DELETE),
    ("people", [1, "description"], None),
    ("sources", [0, "archived"], dt.date(2025, 3, 2)),
    ("sources", [0, "url"], DELETE),
    ("site", ["contact"], {"email": "desk@example.org"}),
    ("site", ["publisher", "logo"], "/static/favicon.svg"),  # (a file the site publishes: the theme's)
    ("site", ["language"], "fr"),
    ("topics", [0, "description"], "Bridges and tunnels."),
    ("page", ["nav"], DELETE),
]

REJECTED = [
    ("claims", [0, "aliases"], ["Bridge Price"]),
    ("site", ["title"], ["a", "list"]),  # wrong type
    ("site", ["title"], DELETE),  # missing required
    ("site", ["publisher"], DELETE),
    ("site", ["base_url"], "ftp://minimal.example.org/"),
    ("site", ["language"], "english!"),
    ("site", ["titel"], "x"),  # unknown field
    ("site", ["publisher", "logo"], "javascript:alert(1)"),
    ("site", ["publisher", "slogan"], "x"),
    ("site", ["contact"], {"email": "not an address"}),
    ("verdicts", [0, "key"], "Mostly True"),  # bad id pattern
    ("verdicts", [0, "rating"], "high"),
    ("verdicts", [0, "rating"], True),
    ("verdicts", [0, "colour"], "green"),
    ("verdicts", [0, "lable"], "x"),
    ("verdicts", [0, "meaning"], DELETE),
    ("people", [0, "id"], "Jane Doe"),
    ("people", [0, "kind"], "robot"),
    ("people", [0, "same_as"], ["not a url"]),
    ("people", [0, "name"], DELETE),
    ("people", [0, "twitter"], "@jane"),
    ("people", [0, "name"], ["Jane", "Doe"]),
    ("topics", [0, "id"], "Bridges!"),
    ("topics", [0, "name"], DELETE),
    ("topics", [0, "colour"], "#fff"),
    ("topics", [0, "name"], {"en": "Bridges"}),
    ("sources", [0, "snapshot"], "../../etc/passwd"),
    ("sources", [0, "snapshot"], DELETE),
    ("sources", [0, "published"], "09/03/2025"),
    ("sources", [0, "published"], "0001"),  # a placeholder year: the page showed '1'
    ("sources", [0, "archived"], "0999-12-31"),
    ("sources", [0, "url"], "javascript:alert(1)"),
    ("sources", [0, "title"], DELETE),
    ("sources", [0, "author"], "x"),
    ("sources", [0, "title"], ["x"]),
    ("sources", [0, "id"], "Gazette_2025"),
    ("claims", [0, "claim_date"], "June 2024"),
    ("claims", [0, "claim_date"], "2024-13"),
    ("claims", [0, "claim_date"], 999),
    ("claims", [0, "published"], "2025-02-30"),
    ("claims", [0, "evidence"], []),
    ("claims", [0, "evidence", 0, "excerpt"], DELETE),
    ("claims", [0, "evidence", 0, "quote"], "x"),
    ("claims", [0, "authors"], DELETE),
    ("claims", [0, "authors"], []),
    ("claims", [0, "verdict"], DELETE),
    ("claims", [0, "draft"], "yes please"),
    ("claims", [0, "appearances"], [{"medium": "TV"}]),
    ("claims", [0, "corrections"], [{"note": "Fixed."}]),
    ("claims", [0, "corrections"], [{"date": "yesterday", "note": "Fixed."}]),
    ("claims", [0, "verdcit"], "true"),
    ("claims", [0, "topics"], {"a": "b"}),
    ("claims", [0, "summary"], ["a", "list"]),
    ("claims", [0, "summary"], "  "),
    ("claims", [0, "id"], "Bridge Cost"),
    ("page", ["title"], DELETE),
    ("page", ["nav"], "first"),
    ("page", ["tags"], ["x"]),
]


def case_id(case: tuple[str, list[Any], Any]) -> str:
    kind, path, value = case
    shown = "DELETE" if value is DELETE else repr(value)
    return f"{kind}.{'.'.join(map(str, path))}={shown}"[:80]


@pytest.mark.parametrize("case", ACCEPTED, ids=case_id)
def test_schema_and_validator_both_accept(site_data, case) -> None:
    root, data = site_data
    kind, path, value = case
    changed = mutate(data[kind], path, value)
    write_data(root / FILES[kind], changed)
    assert validator_errors(root) == []
    assert schema_errors(kind, changed) == []


@pytest.mark.parametrize("case", REJECTED, ids=case_id)
def test_schema_and_validator_both_reject(site_data, case) -> None:
    root, data = site_data
    kind, path, value = case
    changed = mutate(data[kind], path, value)
    write_data(root / FILES[kind], changed)
    assert validator_errors(root) != []
    assert schema_errors(kind, changed) != []


CLAIM_YAML = (
    "{id: a, claim: C, claimant: no, claim_date: 2024, verdict: null, summary: S, analysis: A,"
    " evidence: [{source: off, excerpt: e}], authors: [yes, 2024], topics: on, published: 2025-01-02}"
)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("claims", f"- {CLAIM_YAML}"),
        ("claims", CLAIM_YAML),
        ("verdicts", "- {key: false, label: 'False', meaning: Wrong., rating: 1}\n- {key: null, label: N, meaning: M}"),
        ("people", "- {id: 2024, name: A number}\n- {id: yes, name: Yes, kind: organization}"),
        ("site", "{title: T, base_url: 'https://x.org/', language: no, publisher: {name: P}}"),
    ],
    ids=["claims-list", "one-claim-mapping", "verdict-keys-false-and-null", "people-ids-number-and-yes", "language-no"],
)
def test_ids_yaml_would_read_as_something_else_are_accepted(kind: str, text: str) -> None:
    """`verdict: false` or `claimant: no` is the id the editor wrote, so the schema accepts it."""
    assert schema_errors(kind, yaml.safe_load(text)) == []


def test_required_fields_agree_with_the_validator(site_data) -> None:
    """Every field the schema requires is one the validator reports as missing, and no other."""
    root, data = site_data
    containers = {
        "site": ([], fields.SITE),
        "verdicts": ([0], fields.VERDICT),
        "people": ([0], fields.PERSON),
        "topics": ([0], fields.TOPIC),
        "sources": ([0], fields.SOURCE),
        "claims": ([0], fields.CLAIM),
        "page": ([], fields.PAGE),
    }
    for kind, (prefix, kind_fields) in containers.items():
        for field in kind_fields:
            target = data[kind]
            for key in prefix:
                target = target[key]
            if field.name not in target:
                continue
            write_data(root / FILES[kind], mutate(data[kind], [*prefix, field.name], DELETE))
            missing = [e for e in validator_errors(root) if f"missing required field '{field.name}'" in e]
            assert bool(missing) == field.required, (kind, field.name)
            write_data(root / FILES[kind], data[kind])


def test_the_schema_is_where_the_field_names_come_from(site_data) -> None:
    """An unknown field in the schema is an unknown field to the validator: both read fields.py."""
    from factpress import validate

    assert validate.CLAIM_FIELDS is fields.CLAIM_FIELDS
    assert validate.SOURCE_FIELDS is fields.SOURCE_FIELDS
    schema = json.loads((SCHEMAS / "claims.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["anyOf"][0]["items"]["properties"]) == fields.CLAIM_FIELDS


def test_schemas_folder_can_be_regenerated_elsewhere(tmp_path: Path) -> None:
    from factpress.schemas import main

    assert main([str(tmp_path / "out")]) == 0
    for name, text in generate_schemas().items():
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == text
    shutil.rmtree(tmp_path / "out")
