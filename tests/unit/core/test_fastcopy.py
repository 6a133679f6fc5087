"""`slot_replacer` builds what ``dataclasses.replace`` builds, for the classes it accepts."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from vigil.core.fastcopy import slot_replacer
from vigil.core.records import ContentKind, MediaRef, RawItem


def raw(**changes: object) -> RawItem:
    base = RawItem(source="telegram:1", source_id="7", kind=ContentKind.MESSAGE, text="hello", payload=b"{}",
                   connector="telegram.v1", received_at=datetime(2024, 1, 1, tzinfo=UTC))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_copies_every_field_and_applies_changes_like_dataclasses_replace() -> None:
    replace = slot_replacer(RawItem)
    item = raw(author="a", media=(MediaRef(kind="photo", path="p.jpg"),), meta={"k": 1})
    assert replace(item, id=5) == dataclasses.replace(item, id=5)
    assert replace(item, id=5).id == 5 and item.id is None
    changes = {f.name: getattr(raw(source="x", source_id="9", id=3), f.name) for f in dataclasses.fields(RawItem)}
    assert replace(item, **changes) == raw(source="x", source_id="9", id=3)
    with pytest.raises(TypeError, match="RawItem has no field 'nope'"):
        replace(item, nope=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        replace(item).id = 1  # type: ignore[misc]  # the copy is as frozen as the original


def test_refuses_classes_it_would_copy_wrongly() -> None:
    @dataclasses.dataclass
    class Mutable:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            if self.x < 0:
                raise ValueError

    for cls in (Mutable, Checked, dict):
        with pytest.raises(TypeError, match="frozen, slotted dataclass"):
            slot_replacer(cls)
