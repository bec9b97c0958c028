"""CPU time of the link stage and of what pages read from it first, in one process (medians of several runs).

A build's stage times are wall clock and include other helpers' load; this times, with the
collector paused as the build pauses it: link_site; every claim's `modified` (the sitemap reads
them all); every claim's evidence views; and every evidence's text-fragment URL (what a full
build's claim pages read). To compare with another commit, extract its package and pass it:

    git archive <commit> factpress | tar -x -C /tmp/old
    FACTPRESS_CACHE_DIR=/dev/shm/fpcache python -m bench.link_stage /dev/shm/c10k --package /tmp/old
    FACTPRESS_CACHE_DIR=/dev/shm/fpcache python -m bench.link_stage /dev/shm/c10k
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cpu(step: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of one call, the collector paused as in the build."""
    gc.disable()
    start = time.process_time()
    result = step()
    seconds = time.process_time() - start
    gc.enable()
    return seconds, result


def one_run(link_site: Callable[..., Any], site: Any) -> dict[str, float]:
    """CPU seconds of linking, then of reading what pages read first from the linked views."""
    seconds, library = cpu(lambda: link_site(site))
    return {
        "link_site": seconds,
        "modified": cpu(lambda: [c.modified for c in library.claims])[0],
        "evidence": cpu(lambda: [c.evidence for c in library.claims])[0],
        "fragments": cpu(lambda: [e.text_fragment_url for c in library.claims for e in c.evidence])[0],
    }


def main(argv: list[str] | None = None) -> None:
    """Print the median (and least) CPU milliseconds of each step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a site project, such as /dev/shm/c10k")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--package", type=Path, help="a folder holding another factpress package to time instead")
    args = parser.parse_args(argv)
    if args.package:
        sys.path.insert(0, str(args.package))
    from factpress.link import link_site
    from factpress.pipeline import check_site

    site, _ = check_site(args.root)
    gc.freeze()
    times: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for step, seconds in one_run(link_site, site).items():
            times.setdefault(step, []).append(seconds)
    print("  ".join(f"{k} {statistics.median(v) * 1000:.1f} ms (least {min(v) * 1000:.1f})" for k, v in times.items()))


if __name__ == "__main__":
    main()
