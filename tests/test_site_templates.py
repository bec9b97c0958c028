"""A site's own templates: their mistakes reported at their file and line, never as an internal error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from factpress import render
from factpress.cli import main

BLOCK = "{% extends 'base.html' %}\n{% block main %}\n"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command line in-process; return the exit status and everything it printed."""
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    return run_cli(["build", "--root", str(root), "--no-search", "-q"], capsys)


def with_templates(root: Path, **files: str | bytes) -> Path:
    """The project with these templates written into its templates/ (`__` in a keyword stands for '.')."""
    folder = root / "templates"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        path = folder / name.replace("__", ".")
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "where", "message"),
    [
        ({"claim__html": BLOCK + "{{ 1/0 }}\n{% endblock %}\n"}, "claim.html:3", "division by zero"),
        (
            {"claim__html": BLOCK + '{{ "x" + 1 }}\n{% endblock %}\n'},
            "claim.html:3",
            'can only concatenate str (not "int") to str',
        ),
        (
            {"claim__html": BLOCK + "{{ claim.claim.claim | date }}\n{% endblock %}\n"},
            "claim.html:3",
            "the date filter needs a date, not the text 'The bridge cost",
        ),
        (
            {"claim__html": BLOCK + "<p>{{ site.title | iso }}</p>\n{% endblock %}\n"},
            "claim.html:3",
            "the iso filter needs a date, not the text",
        ),
        (
            {"claim__html": (BLOCK + "<p>Caf\xe9</p>\n{% endblock %}\n").encode("latin-1")},
            "claim.html:3",
            "the file is not UTF-8 text (byte 0xe9 on this line): save it as UTF-8",
        ),
        (
            {
                "claim__html": BLOCK + "{% include '_a.html' %}\n{% endblock %}\n",
                "_a__html": "a\n{% include '_b.html' %}\n",
                "_b__html": "b\n{% include '_a.html' %}\n",
            },
            "_b.html:2",
            "templates extend or include one another without end",
        ),
    ],
    ids=["zero-division", "type-error", "date-filter", "iso-filter", "latin-1", "include-cycle"],
)
def test_a_python_error_in_a_site_template_is_an_error_at_its_line(
    project, capsys, files: dict[str, str | bytes], where: str, message: str
) -> None:
    root = project("minimal")
    assert build(root, capsys)[0] == 0
    before = hashes(root / "site")
    status, output = build(with_templates(root, **files), capsys)
    assert status == 1
    assert f"templates/{where}:1: error: template error: {message}" in output
    assert "[template-error]" in output
    assert "internal error" not in output and "Traceback" not in output
    assert hashes(root / "site") == before


def test_a_card_template_resvg_cannot_draw_is_an_error_at_it(project, capsys) -> None:
    root = project("minimal")
    assert build(root, capsys)[0] == 0
    before = hashes(root / "site")
    card = '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">\n<rect width="10">\n</svg>\n'
    status, output = build(with_templates(root, card__svg=card), capsys)
    assert status == 1
    assert "templates/card.svg: error: template error: the card it makes is SVG that cannot be drawn: " in output
    assert "expected 'rect' tag, not 'svg' at 3:1 [template-error]" in output
    assert "internal error" not in output
    assert hashes(root / "site") == before


def test_an_error_of_the_built_in_theme_alone_stays_an_internal_error(project, capsys, monkeypatch) -> None:
    """factpress's own bug, not the newsroom's: no template of theirs ran."""

    def broken(value: object) -> str:
        return str(1 / 0)

    monkeypatch.setitem(render.FILTERS, "iso", broken)
    status, output = build(project("minimal"), capsys)
    assert status == 1
    assert "build.py: internal error: ZeroDivisionError: division by zero" in output
    assert "template-error" not in output
