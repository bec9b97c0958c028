"""A site's own templates/: their mistakes reported at their file and line.

`template_problem` turns an exception met while rendering into the problem to report, when it is
the site's templates' doing: any Jinja error, and any other exception raised while one of the
project's own templates ran (`{{ 1/0 }}`, a filter given the wrong type). The same exception in
the built-in theme alone is factpress's own bug, and stays an internal error.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2

from .errors import ContentError, Location, Problem
from .render import THEME, THEME_PREFIX

CODE = "template-error"
#: A frame of a traceback printed by a process pool's worker (concurrent.futures' _RemoteTraceback).
_PRINTED_FRAME = re.compile(r'^  File "(.+)", line (\d+)', re.MULTILINE)


def in_words(exc: BaseException) -> str:
    """What went wrong, in words: Jinja's own message, or the Python error's, named plainly."""
    if isinstance(exc, jinja2.TemplateError):
        return exc.message or type(exc).__name__
    if isinstance(exc, RecursionError):
        return "templates extend or include one another without end"
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    return str(exc) or type(exc).__name__


def own_name_hint(name: str) -> str:
    """How to build on the built-in template of a template's own name (or that there is none)."""
    if (THEME / name).is_file():
        return f'to build on the built-in {name}, write {{% extends "{THEME_PREFIX}/{name}" %}}'
    return "a template cannot extend itself; extend another template, or none"


def hint_for(exc: BaseException, name: str) -> str:
    """What to try next, for errors whose message alone does not say."""
    if isinstance(exc, RecursionError):  # (most often a template extending its own name)
        return own_name_hint(name) if (THEME / name).is_file() else ""
    if not isinstance(exc, jinja2.TemplateError):
        return f"the expression on this line failed while rendering ({type(exc).__name__}): check the values it uses"
    return ""


def template_places(exc: BaseException) -> list[tuple[Path, int]]:
    """The files and lines an exception passed through, outermost first (Jinja puts template lines in tracebacks).

    An exception re-raised from a process pool's worker brings the worker's traceback as printed text.
    """
    places = [(Path(frame.filename), frame.lineno or 0) for frame in traceback.extract_tb(exc.__traceback__)]
    printed = getattr(exc.__cause__, "tb", None)
    if isinstance(printed, str):
        places += [(Path(file), int(line)) for file, line in _PRINTED_FRAME.findall(printed)]
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        places.append((Path(exc.filename), exc.lineno))
    return places


def template_problem(exc: BaseException, root: Path) -> Problem | None:
    """The site's template mistake, at the deepest line of its own templates it passed through; None if not one.

    Jinja's errors are the templates' wherever they are met (shown at the built-in template when
    no project template is involved); any other exception only when a project template ran.
    """
    project = root.resolve() / "templates"
    places = template_places(exc)
    own = [i for i, (path, _) in enumerate(places) if path.is_relative_to(project)]
    theme = [i for i, (path, _) in enumerate(places) if path.is_relative_to(THEME)]
    if not own and not isinstance(exc, jinja2.TemplateError):
        return None
    detail: tuple[str, ...] = ()
    if own:
        path, line = places[own[-1]]
        location = Location(f"templates/{path.relative_to(project).as_posix()}", line)
        if theme and theme[-1] > own[-1]:  # (a value the site's template gave a built-in one)
            detail = (f"met in the built-in template {theme_location(*places[theme[-1]])}",)
    elif theme:
        location = theme_location(*places[theme[-1]])
    else:
        location = Location("templates")
    name = places[own[-1]][0].relative_to(project).as_posix() if own else ""
    return Problem(location, f"template error: {in_words(exc)}", CODE, hint=hint_for(exc, name), detail=detail)


def theme_location(path: Path, line: int) -> Location:
    """Where in the built-in theme, from the repository's root (factpress/templates/...)."""
    return Location(path.relative_to(THEME.parent.parent).as_posix(), line)


@contextmanager
def template_mistakes_reported(root: Path) -> Iterator[None]:
    """Raise a site template's mistake met inside as a ContentError at its line; let anything else through."""
    try:
        yield
    except (ContentError, OSError):
        raise
    except Exception as exc:
        problem = template_problem(exc, root)
        if problem is None:
            raise
        raise ContentError([problem]) from exc
