"""jsontext.dumps writes the very bytes json.dumps(ensure_ascii=False, indent=n) writes, and fails as it does."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from factpress import jsontext

SCALARS = ["", "héllo \u2028 </script> & <b>", "\ud800", '\n\t"\\\x00', 0, -5, 10**30, 1.5, 1e300, -0.0]
SCALARS += [float("nan"), float("inf"), float("-inf"), True, False, None]
KEYS = ["a", "é\u2029", 'x"y', 1, 2.5, True, False, None, "\x00"]


def random_value(rng: random.Random, depth: int = 0) -> Any:
    """A random JSON-able value: nested dicts (odd keys included), lists, tuples and awkward scalars."""
    roll = rng.random()
    if depth < 4 and roll < 0.25:
        return {
            rng.choice(KEYS) if rng.random() < 0.3 else f"k{i}": random_value(rng, depth + 1)
            for i in range(rng.randint(0, 4))
        }
    if depth < 4 and roll < 0.4:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if depth < 4 and roll < 0.45:
        return tuple(random_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    return rng.choice(SCALARS)


@pytest.mark.parametrize("indent", [1, 2, 4])
def test_the_same_bytes_as_json_dumps(indent: int) -> None:
    rng = random.Random(indent)
    for _ in range(2000):
        value = random_value(rng)
        assert jsontext.dumps(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_what_json_cannot_encode_fails_as_json_fails() -> None:
    with pytest.raises(TypeError, match="set"):
        jsontext.dumps({"a": [{1, 2}]}, 2)
    with pytest.raises(TypeError, match="keys must be"):
        jsontext.dumps({(1, 2): "tuple key"}, 2)
