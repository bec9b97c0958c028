"""Cache keys: fingerprint gives equal digests for equal values, however they are shared, and differs by type."""

from __future__ import annotations

from factpress.modelcache import fingerprint


def test_equal_values_give_equal_digests_whether_shared_or_copied() -> None:
    word = "snapshots/report.txt"
    copy = "".join(list(word))
    assert copy is not word
    assert fingerprint([(word, word), word]) == fingerprint([(copy, "".join(list(word))), copy])


def test_values_of_other_types_or_order_differ() -> None:
    digests = {
        fingerprint(value)
        for value in ([1], ["1"], [1.0], [True], [None], [""], [("a", "b")], [("b", "a")], ["a\0b"], ["a", "b"])
    }
    assert len(digests) == 10
