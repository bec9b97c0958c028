"""A site's own templates/: checked before a build, and their mistakes reported at their file and line.

`check_templates` compiles each template of the project's folder (the built-in ones are tested
with factpress), so that `check` finds every syntax slip and missing `{% include %}` in one run.
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
from jinja2 import nodes

from .errors import ContentError, Location, Problem
from .render import THEME, THEME_PREFIX, ProjectLoader, make_environment

#: The files of templates/ compiled by `check` (a README or an image there is not a template).
TEMPLATE_SUFFIXES = (".html", ".svg", ".xml", ".txt")
CODE = "template-error"
#: A frame of a traceback printed by a process pool's worker (concurrent.futures' _RemoteTraceback).
_PRINTED_FRAME = re.compile(r'^  File "(.+)", line (\d+)', re.MULTILINE)


def in_words(exc: BaseException) -> str:
    """What went wrong, in words: Jinja's own message, or the Python error's, named plainly."""
    if isinstance(exc, jinja2.TemplatesNotFound):
        return f"none of the templates {', '.join(repr(str(name)) for name in exc.templates)} found"
    if isinstance(exc, jinja2.TemplateNotFound):
        return not_found(str(exc.name))
    if isinstance(exc, jinja2.TemplateError):
        return exc.message or type(exc).__name__
    if isinstance(exc, RecursionError):
        return "templates extend or include one another without end"
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    return str(exc) or type(exc).__name__


def check_templates(folder: Path | None) -> list[Problem]:
    """Every syntax error and missing template named by the project's own templates, each at its file and line."""
    if folder is None:
        return []
    folder = folder.resolve()
    env = make_environment(folder)
    loader = ProjectLoader(folder)
    problems: list[Problem] = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
            problems += template_mistakes(env, loader, path.relative_to(folder).as_posix())
    return problems


def template_mistakes(env: jinja2.Environment, loader: ProjectLoader, name: str) -> list[Problem]:
    """One template's syntax error, or the templates it names that do not exist (or itself, extended)."""
    try:
        source, filename, _ = loader.get_source(env, name)
        tree = env.parse(source, name, filename)
        env.compile(tree, name, filename, raw=True)  # (the Python code generated, not compiled: faster)
    except jinja2.TemplateSyntaxError as exc:  # (an unknown filter too: TemplateAssertionError)
        return [Problem(Location(f"templates/{name}", exc.lineno), f"template error: {in_words(exc)}", CODE)]
    problems = []
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = node.template
        if not isinstance(target, nodes.Const) or not isinstance(target.value, str):
            continue  # a name computed while rendering: checked then
        if isinstance(node, nodes.Include) and node.ignore_missing:
            continue
        where = Location(f"templates/{name}", node.lineno)
        if isinstance(node, nodes.Extends) and target.value == name:
            problems.append(Problem(where, f"template error: '{name}' extends itself", CODE, hint=own_name_hint(name)))
        elif not exists(env, target.value):
            problems.append(Problem(where, f"template error: {not_found(target.value)}", CODE, hint=LOOKUP_HINT))
    return problems


LOOKUP_HINT = (
    f"templates are looked up in templates/, then among the built-in ones (factpress/templates/), "
    f"which '{THEME_PREFIX}/<name>' always names"
)


def exists(env: jinja2.Environment, name: str) -> bool:
    """Whether a template of that name is found (a project template that cannot be read is reported on its own)."""
    assert env.loader is not None
    try:
        env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return False
    except jinja2.TemplateError:
        return True
    return True


def not_found(name: str) -> str:
    """The words for a template that is not there."""
    return f"template '{name}' not found"


def own_name_hint(name: str) -> str:
    """How to build on the built-in template of a template's own name (or that there is none)."""
    if (THEME / name).is_file():
        return f'to build on the built-in {name}, write {{% extends "{THEME_PREFIX}/{name}" %}}'
    return "a template cannot extend itself; extend another template, or none"


def hint_for(exc: BaseException, name: str) -> str:
    """What to try next, for errors whose message alone does not say."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return LOOKUP_HINT
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
    if isinstance(exc, OSError) and not isinstance(exc, jinja2.TemplateError):  # (TemplateNotFound is an OSError)
        return None  # the disk's: reported as such
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
    except ContentError:
        raise
    except Exception as exc:
        problem = template_problem(exc, root)
        if problem is None:
            raise
        raise ContentError([problem]) from exc
