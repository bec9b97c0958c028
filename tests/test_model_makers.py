"""The model cache's makers: made and replaced give what the constructor and dataclasses.replace give, every field."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from factpress.errors import Location
from factpress.model import Snapshot, Source
from factpress.modelcache import made, replaced


def every_field(obj: object) -> tuple[object, ...]:
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]


def test_made_is_the_constructor() -> None:
    assert every_field(made(Snapshot, "content/x.txt", "text", "ab")) == every_field(
        Snapshot("content/x.txt", "text", "ab")
    )


def test_replaced_is_dataclasses_replace_with_the_fields_left_out_of_eq() -> None:
    source = Source(
        "gazette", "Gazette", "City", dt.date(2025, 3, 1), "https://x.example", Snapshot("p", "", "d"),
        dt.date(2025, 3, 2), "https://archive.example", "fr", Location("content/sources.yaml", 3, 3), "digest",
    )  # fmt: skip
    snapshot = Snapshot("p", "the text", "d")
    new = replaced(source, "snapshot", snapshot)
    assert every_field(new) == every_field(dataclasses.replace(source, snapshot=snapshot))
    assert new.snapshot is snapshot and new.digest == "digest" and new.loc == Location("content/sources.yaml", 3, 3)
    assert every_field(source)[5] == Snapshot("p", "", "d")  # the original is untouched
    assert source.snapshot.text == "" and new.snapshot.text == "the text"


def test_made_objects_are_exactly_the_frozen_class() -> None:
    made_one = made(Snapshot, "content/x.txt", "text", "ab")
    assert type(made_one) is Snapshot
    assert made_one == Snapshot("content/x.txt", "other text", "ab") and hash(made_one) == hash(
        Snapshot("content/x.txt", "", "ab")
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        made_one.path = "elsewhere"  # type: ignore[misc]
    assert made_one.path == "content/x.txt"
