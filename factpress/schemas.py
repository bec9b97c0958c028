"""JSON Schemas of the YAML files, generated from the field definitions the validator reads (fields.py).

Editors with a YAML language server (VS Code, Neovim, JetBrains) read `schemas/*.schema.json`
through the `# yaml-language-server: $schema=…` line at the top of each file: they complete field
names, show each field's meaning and flag mistakes while typing. A schema accepts everything the
validator accepts (ids YAML reads as true/false/null or numbers included); `check` stays the judge
of what a schema cannot see (references between files, excerpts in snapshots).

Regenerate with `make schemas` (or `python -m factpress.schemas`); a test fails when they drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from . import fields as F
from .i18n import PLURAL_CATEGORIES, theme_messages

DRAFT = "http://json-schema.org/draft-07/schema#"

#: An id YAML would read as something else (`false`, `null`, `2024`) is still the id the editor wrote.
ID_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": F.SLUG.pattern},
        {"type": "boolean"},
        {"type": "null"},
        {"type": "integer", "minimum": 0},
    ]
}
NOT_BLANK = r"\S"
#: A year from fields.FIRST_YEAR (1000) on: '0001' is a placeholder or a typo.
YEAR, MONTH, DAY = r"[1-9]\d{3}", r"(0[1-9]|1[0-2])", r"(0[1-9]|[12]\d|3[01])"
#: Stricter than fields.PARTIAL_DATE, so editors flag month 13 while typing (the validator checks the calendar).
DATE_PATTERN = rf"^{YEAR}-{MONTH}-{DAY}$"
PARTIAL_DATE_PATTERN = rf"^{YEAR}(-{MONTH}(-{DAY})?)?$"


def scalar_text(required: bool) -> dict[str, Any]:
    """Text as written: YAML may read it as a number or true/false, and the validator takes it as written."""
    text: dict[str, Any] = {"type": "string", "pattern": NOT_BLANK} if required else {"type": "string"}
    return {"anyOf": [text, {"type": ["number", "boolean"]}]}


def one_or_many(item: dict[str, Any], non_empty: bool) -> dict[str, Any]:
    """A list of items; a single item written on its own is accepted as a list of one."""
    array: dict[str, Any] = {"type": "array", "items": item}
    if non_empty:
        array["minItems"] = 1
    return {"anyOf": [array, item]}


def value_schema(field: F.Field) -> dict[str, Any]:
    """The schema of one field's value, from its kind."""
    kind = field.kind
    if kind in (F.TEXT, F.MARKDOWN):
        return scalar_text(field.required)
    if kind in (F.ID, F.REF):
        return ID_SCHEMA
    if kind == F.REFS:
        return one_or_many(ID_SCHEMA, field.non_empty)
    if kind == F.URL:
        return {"type": "string", "format": "uri", "pattern": r'^[hH][tT][tT][pP][sS]?://[^\s<>"`]+$'}
    if kind == F.URLS:
        return one_or_many(value_schema(F.Field(field.name, F.URL, "")), field.non_empty)
    if kind == F.SITE_PATH:
        return {"type": "string", "pattern": r'^(/(?!/)|[hH][tT][tT][pP][sS]?://)[^\s<>"`]*$'}
    if kind == F.FILE:
        return {"type": "string", "pattern": r"^(?![/\\])(?!.*(^|[/\\])\.\.([/\\]|$)).+$"}
    if kind == F.DATE:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if kind == F.PARTIAL_DATE_KIND:
        return {
            "anyOf": [{"type": "string", "pattern": PARTIAL_DATE_PATTERN}, {"type": "integer", "minimum": F.FIRST_YEAR}]
        }
    if kind == F.INTEGER:
        return {"type": "integer"}
    if kind == F.BOOLEAN:
        return {"type": "boolean"}
    if kind == F.LANGUAGE_KIND:  # `language: no` (Norwegian) is read by YAML 1.1 as false
        return {"anyOf": [{"type": "string", "pattern": F.LANGUAGE.pattern}, {"type": "boolean"}]}
    if kind == F.COLOUR_KIND:
        return {"type": "string", "pattern": F.COLOUR.pattern}
    if kind == F.EMAIL:
        return {"type": "string", "pattern": F.EMAIL_ADDRESS.pattern}
    if kind == F.CHOICE:
        return {"enum": list(field.choices)}
    if kind == F.MAPPING:
        return mapping_schema(field.fields)
    if kind == F.MAPPINGS:
        array: dict[str, Any] = {"type": "array", "items": mapping_schema(field.fields)}
        if field.non_empty:
            array["minItems"] = 1
        return array
    raise ValueError(f"no schema for field kind {kind!r}")


def field_schema(field: F.Field) -> dict[str, Any]:
    """A field's schema with its description; an optional field may be left empty (null)."""
    schema = {"description": field.description, **value_schema(field)}
    if not field.required and field.kind not in (F.ID, F.REF, F.REFS):
        schema = {"description": field.description, "anyOf": [value_schema(field), {"type": "null"}]}
    return schema


def mapping_schema(fields: tuple[F.Field, ...]) -> dict[str, Any]:
    """A mapping of known fields only (a misspelt field is flagged), with its required ones."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in fields},
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    if fields is F.APPEARANCE:  # an appearance needs a url or a title
        schema["anyOf"] = [{"required": ["url"]}, {"required": ["title"]}]
    return schema


def file_schema(kind: str) -> dict[str, Any]:
    """The schema of one YAML file kind: a mapping, or a list of mappings."""
    fields, is_list, title = F.FILE_KINDS[kind]
    item = mapping_schema(fields)
    body: dict[str, Any] = {"type": "array", "items": item} if is_list else item
    if kind == "claims":  # a file holding a single fact-check may be written as one mapping
        body = {"anyOf": [body, item]}
    return {"$schema": DRAFT, "title": title, **body}


def messages_schema() -> dict[str, Any]:
    """content/messages.yaml: the theme's messages by name (so an editor completes them), each the site's words.

    A message with a count takes its forms by CLDR plural category; which categories the site's
    language has, and whether the placeholders are kept, is `check`'s to say. Other names are
    accepted: a site's own templates may add messages.
    """
    words = {"type": "string", "pattern": NOT_BLANK}
    forms = {
        "type": "object",
        "properties": {category: words for category in PLURAL_CATEGORIES},
        "additionalProperties": False,
        "required": ["other"],
    }
    known = {
        message: {"description": f"plural: {plural}", **forms} if plural else {"description": message, **words}
        for message, plural in theme_messages().items()
    }
    messages = {"type": "object", "properties": known, "additionalProperties": {"anyOf": [words, forms]}}
    return {
        "$schema": DRAFT,
        "title": "content/messages.yaml: the site's own words for the theme's messages",
        "type": "object",
        "properties": {"messages": {"anyOf": [messages, {"type": "null"}]}},
        "additionalProperties": False,
    }


def generate_schemas() -> dict[str, str]:
    """Every schema file's name and its text, stable from run to run."""
    schemas = {f"{kind}.schema.json": file_schema(kind) for kind in F.FILE_KINDS}
    schemas["messages.schema.json"] = messages_schema()
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas.items()}


def write_schemas(folder: Path) -> list[Path]:
    """Write the schemas into folder (schemas/ in this repository); return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """`python -m factpress.schemas [FOLDER]`: regenerate the schemas (default: ./schemas)."""
    args = sys.argv[1:] if argv is None else argv
    for path in write_schemas(Path(args[0] if args else "schemas")):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
