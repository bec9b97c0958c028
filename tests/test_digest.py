"""Digests of model values: what page caches key on, so they must change with every shown value."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

from factpress.digest import value_digest
from factpress.errors import Location
from factpress.load import load_project
from factpress.validate import validate_project


def sample_claims(sample_root):
    site, _ = validate_project(load_project(sample_root))
    return site


def test_validation_fills_in_digests_of_claims_and_sources(sample_root):
    site = sample_claims(sample_root)
    assert all(c.digest == value_digest(c) for c in site.claims)
    assert all(s.digest == value_digest(s) for s in site.sources)
    assert len({c.digest for c in site.claims}) == len(site.claims)


def test_a_changed_value_changes_the_digest_and_a_moved_item_does_not(sample_root):
    claim = sample_claims(sample_root).claims[0]
    assert value_digest(dataclasses.replace(claim, summary=claim.summary + ".")) != claim.digest
    assert value_digest(dataclasses.replace(claim, draft=not claim.draft)) != claim.digest
    first = claim.evidence[0]
    moved = dataclasses.replace(first, loc=Location("elsewhere.yaml", 900, 3))
    assert value_digest(dataclasses.replace(claim, evidence=(moved, *claim.evidence[1:]))) == claim.digest
    assert value_digest(dataclasses.replace(claim, loc=Location("x.yaml", 1, 1))) == claim.digest


def test_types_are_told_apart():
    assert len({value_digest(v) for v in ("1", 1, None, True, ("1",), "")}) == 6


def test_digests_are_the_same_in_another_process(sample_root):
    site = sample_claims(sample_root)
    code = (
        "import sys; from pathlib import Path; from factpress.load import load_project; "
        "from factpress.validate import validate_project; "
        "site, _ = validate_project(load_project(Path(sys.argv[1]))); print(' '.join(c.digest for c in site.claims))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, str(sample_root)], env=env, capture_output=True, text=True)
    assert out.stdout.split() == [c.digest for c in site.claims]
