"""The command line leaves what a command built to the process's exit, and only then."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from factpress import cli

SITES = Path(__file__).parent / "sites"


@pytest.fixture
def frozen_count():
    """gc's permanent generation before the test; emptied again after it (the test process goes on)."""
    gc.unfreeze()
    yield gc.get_freeze_count
    gc.unfreeze()


def test_command_line_of_the_process_freezes_what_is_left(monkeypatch, capsys, frozen_count) -> None:
    monkeypatch.setattr(sys, "argv", ["build.py", "check", "--root", str(SITES / "minimal")])
    assert cli.main() == 0
    assert frozen_count() > 0


def test_a_caller_that_goes_on_keeps_a_working_collector(capsys, frozen_count) -> None:
    assert cli.main(["check", "--root", str(SITES / "minimal")]) == 0
    assert frozen_count() == 0
