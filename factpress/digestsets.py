"""Claims known to have some property of their own text, kept between builds as a set of claim digests.

A few checks read every claim's analysis on every build although only an edited claim's text is
new: whether it may link one of the site's own pages (validate.dead_links) and whether it links a
source outside its evidence (fingerprints.claim_page). Each costs a few microseconds a claim, tens
of milliseconds at 10,000 claims. A claim's digest (`Claim.digest`) covers its whole text, so a
digest once seen with the property keeps it: each such check keeps the digests of the claims that
have it, one file per site project and check, tagged with the code that judges it (a change of
that code forgets them all). The file holds only the digests of the last build's claims.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from pathlib import Path

from .cachefiles import cache_root, replace_file

#: The file's first line starts so; the rest of it is the code version, then a digest a line.
HEADER = "factpress digest set "


def digest_set_path(check: str, project: str) -> Path | None:
    """The file of one check for one site project (its base URL and title); None when caching is off."""
    root = cache_root()
    if root is None:
        return None
    return root / "digest-sets" / f"{check}-{hashlib.sha256(project.encode()).hexdigest()[:32]}.txt"


def version_of(*modules: Path) -> str:
    """A digest of the source files whose code judges the property."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.read_bytes())
    return digest.hexdigest()


class DigestSet:
    """The claim digests kept for one check; `note` the claims of this build that have it, then `save`."""

    def __init__(self, path: Path | None, version: str) -> None:
        self.path, self.version = path, version
        self.kept: frozenset[str] = frozenset()
        self.noted: set[str] = set()
        self.new = False
        if path is not None:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                header, _, body = path.read_text(encoding="utf-8").partition("\n")
                if header == HEADER + version:
                    self.kept = frozenset(body.split("\n")) if body else frozenset()

    def __contains__(self, digest: str) -> bool:
        return digest in self.kept

    def note(self, digest: str) -> None:
        """A claim of this build has the property (its digest kept or not)."""
        self.noted.add(digest)
        if digest not in self.kept:
            self.new = True

    def keep(self, digests: Iterable[str]) -> None:
        """Claims of this build whose check was skipped (its result taken from the last build): kept if kept."""
        self.noted.update(self.kept.intersection(digests))

    def save(self) -> None:
        """Write the digests noted this build when one was not kept before (a file that cannot be written: skipped)."""
        if self.path is None or not self.new:
            return
        replace_file(self.path, (HEADER + self.version + "\n" + "\n".join(sorted(self.noted))).encode("utf-8"))
