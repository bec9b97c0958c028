"""A guard for the tests of inputs whose cost once grew faster than their size (docs/security.md).

Such an input is fed at a size the old code took minutes over and the new one reads in
milliseconds; were the old cost back, the test fails after a while instead of hanging the suite.
Not a measure of speed: the margin is a thousandfold.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

#: Seconds before such a test gives up: its input once took minutes, and now takes milliseconds.
GUARD_SECONDS = 10


@contextlib.contextmanager
def promptly(seconds: int = GUARD_SECONDS) -> Iterator[None]:
    """Fail with TimeoutError, rather than hang, when the code inside takes longer than `seconds`."""

    def give_up(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"not done after {seconds} s: its cost grows faster than its input again")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
