"""The command line: parse arguments, call one function, map errors to exit codes (0, 1, 2)."""

from __future__ import annotations

import argparse
import gc
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from .errors import FORMATTERS, ContentError, Problem, UsageError, format_github, format_text
from .pipeline import BuildOptions, build_site, check_site
from .search import SearchIndexError
from .write import UnsafeOutputPath

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "check", "serve", "diff")


class Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and a one-line message on wrong usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print usage and exit with status 2, the code that means wrong usage."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def make_parser() -> Parser:
    """The argument parser for every command, with each option's help text."""
    parser = Parser(prog="build.py", description="factpress: build a fact-check website from YAML and Markdown.")
    parser.add_argument("--debug", action="store_true", help="show a traceback for unexpected failures")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="{build,check,serve,diff}")

    build = sub.add_parser("build", help="build the site into site/ (the default command)")
    add_root(build)
    build.add_argument("--out", type=Path, help="output folder (default: ROOT/site)")
    build.add_argument("--base-url", help="override site.yaml's base_url in every absolute URL")
    build.add_argument("--drafts", action="store_true", help="include fact-checks marked draft: true")
    build.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    build.add_argument("--quiet", "-q", action="store_true", help="print only errors and warnings, no progress")

    check = sub.add_parser("check", help="validate the content without building")
    add_root(check)
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="how to print problems")

    serve = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change")
    add_root(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    serve.add_argument("--port", type=port_number, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--out", type=Path, help="output folder (default: a temporary folder, removed on exit)")
    serve.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")

    diff = sub.add_parser("diff", help="pages added, removed and changed between two builds")
    diff.add_argument("old", type=Path, help="the earlier build folder")
    diff.add_argument("new", type=Path, help="the later build folder")
    diff.add_argument("--format", choices=("text", "markdown"), default="text")
    return parser


def add_root(parser: argparse.ArgumentParser) -> None:
    """Add the shared --root option, so every command finds the project the same way."""
    parser.add_argument("--root", type=Path, default=Path("."), help="the site project folder (default: .)")


def with_default_command(args: list[str]) -> list[str]:
    """`python build.py [--root DIR] …` means `build`: insert the command when none is named."""
    if any(a in COMMANDS for a in args if not a.startswith("-")) or {"-h", "--help"} & set(args):
        return args
    return [a for a in args if a == "--debug"] + ["build"] + [a for a in args if a != "--debug"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return 0 on success, 1 when the content has errors, 2 on wrong usage.

    Without `argv`, the command is this process's own command line, which ends with it: what the
    command built is then left to the operating system (see `leave_to_exit`).
    """
    status = run_command(list(sys.argv[1:] if argv is None else argv))
    if argv is None:
        leave_to_exit()
    return status


def leave_to_exit() -> None:
    """Keep the interpreter from freeing, object by object, what the command left behind when the process exits.

    A 10,000-claim site's linked model is millions of objects in reference cycles; the collection
    at exit freed them one by one, about 0.4 s of a 2.5 s one-claim rebuild. Frozen, they are
    skipped by it and go with the process. Only for a process about to end: a caller that goes
    on (tests, `serve`) would keep them for good.
    """
    gc.freeze()


def port_number(text: str) -> int:
    """A TCP port, 0-65535: anything else is a usage error, not an OverflowError from the socket."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def run_command(argv: list[str]) -> int:
    """Parse and run one command line, mapping errors to exit codes."""
    args = make_parser().parse_args(with_default_command(argv))
    try:
        return run(args)
    except ContentError as exc:
        if args.command == "check":
            sys.stdout.write(report(args, exc.problems))
        else:
            sys.stderr.write(format_text(exc.problems) + "Nothing was written; the previous site is unchanged.\n")
        return EXIT_CONTENT
    except (UsageError, UnsafeOutputPath) as exc:
        sys.stderr.write(f"build.py: error: {exc}\n")
        return EXIT_USAGE
    except SearchIndexError as exc:
        sys.stderr.write(f"build.py: error: {exc}\nNothing was published; the previous site is unchanged.\n")
        return EXIT_CONTENT
    except KeyboardInterrupt:
        sys.stderr.write("interrupted; the previous site is unchanged.\n")
        return 130
    except Exception as exc:  # an engine bug: say so plainly, full traceback only with --debug
        if args.debug:
            traceback.print_exc()
        else:
            sys.stderr.write(
                f"build.py: internal error: {type(exc).__name__}: {exc}\n(run with --debug for a traceback)\n"
            )
        return EXIT_CONTENT


def report(args: argparse.Namespace, problems: list[Problem]) -> str:
    """`check`'s problems in the --format asked for (GitHub's paths start at the repository's root)."""
    if args.format == "github":
        return format_github(problems, args.root)
    return FORMATTERS[args.format](problems)


def run(args: argparse.Namespace) -> int:
    """Dispatch a parsed command line to the one engine function it names."""
    if args.command == "check":
        _site, problems = check_site(args.root)
        sys.stdout.write(report(args, problems))
        return EXIT_OK
    if args.command == "diff":
        from .diff import diff_builds, format_diff

        sys.stdout.write(format_diff(diff_builds(args.old, args.new), args.format))
        return EXIT_OK
    if args.command == "serve":
        from .serve import serve

        return serve(args.root, host=args.host, port=args.port, out=args.out, search=not args.no_search)
    log = (lambda _msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    log(f"Building {args.root.resolve()}")
    options = BuildOptions(args.root, args.out, args.base_url, args.drafts, not args.no_search)
    result = build_site(options, log=log)
    if result.problems:  # warnings only (errors stop the build): same lines and hints as `check`, even with -q
        sys.stderr.write(format_text(result.problems))
    total = sum(result.timings.values())
    log(
        f"Built {result.pages} pages ({result.files} files) into {result.out} in {total:.2f} s"
        + (f"; search indexed {result.indexed} pages" if options.search else "; search skipped")
    )
    return EXIT_OK
