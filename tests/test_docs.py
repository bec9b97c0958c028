"""The docs are part of the product: every command and every YAML field is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from factpress import validate
from factpress.cli import COMMANDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")

#: The README's reference section heading for each kind of file, with the validator's fields.
FIELD_SETS = {
    "content/site.yaml": validate.SITE_FIELDS,
    "content/verdicts.yaml": validate.VERDICT_FIELDS,
    "content/people.yaml": validate.PERSON_FIELDS,
    "content/topics.yaml": validate.TOPIC_FIELDS,
    "content/sources.yaml": validate.SOURCE_FIELDS,
    "claims.yaml": validate.CLAIM_FIELDS,
}


def reference_section(heading: str) -> str:
    """The README text from a '### `heading`' line to the next heading."""
    match = re.search(r"^### `" + re.escape(heading) + r"`.*?$(.*?)(?=^#)", README, re.S | re.M)
    assert match, f"README has no reference section for {heading}"
    return match.group(1)


def documented_fields(section: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))


@pytest.mark.parametrize("heading", sorted(FIELD_SETS))
def test_every_yaml_field_is_documented(heading: str) -> None:
    assert documented_fields(reference_section(heading)) == set(FIELD_SETS[heading])


def test_page_front_matter_fields_are_documented() -> None:
    section = reference_section("content/pages/*.md")
    for field in validate.PAGE_FIELDS:
        assert f"`{field}`" in section


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "build.py", command, "--help"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: build.py " + command)
    assert f"python build.py {command}" in README


def test_readme_gives_the_two_commands() -> None:
    assert "make site" in README and "make test" in README


def test_every_build_option_is_in_the_readme() -> None:
    result = subprocess.run(
        [sys.executable, "build.py", "build", "--help"], cwd=REPO, capture_output=True, text=True, check=True
    )
    options = set(re.findall(r"(--[a-z][a-z-]+)", result.stdout)) - {"--help"}
    missing = sorted(o for o in options if o not in README)
    assert not missing, f"options not in the README: {missing}"


def test_every_message_the_docs_show_translated_is_a_theme_message() -> None:
    """A catalog or messages.yaml copied from the docs must change the site, not warn [unknown-message]."""
    import yaml

    from factpress.i18n import theme_messages

    known = theme_messages()
    shown = []
    for doc in ("docs/languages.md", "docs/editors-guide.md", "README.md"):
        for block in re.findall(r"```yaml\n(.*?)```", (REPO / doc).read_text(encoding="utf-8"), re.S):
            data = yaml.safe_load(block)
            if isinstance(data, dict) and isinstance(data.get("messages"), dict):
                shown += [(doc, message) for message in data["messages"]]
    assert shown  # (the docs do show some)
    assert [(doc, message) for doc, message in shown if message not in known] == []
