"""The fast JSON encoder writes what the standard library's compact form writes, and falls back to it
for what orjson refuses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.core.jsonenc import dumps_bytes, dumps_str


def stdlib(value: Any, default: Any = None) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default).encode("utf-8", "surrogatepass")


def test_a_message_record_is_byte_for_byte_the_standard_form() -> None:
    record = {"id": 7, "type": "message", "text": ["نص", {"type": "link", "text": "t.me/x"}], "edited": None,
              "ok": True, "score": 0.25, "from": "канал"}
    assert dumps_bytes(record, default=str) == stdlib(record)
    assert dumps_str(record) == stdlib(record).decode()


def test_lone_surrogates_fall_back_and_are_kept() -> None:
    record = {"text": "a\ud800b"}  # what a "\ud800" escape in attacker-written JSON decodes to
    out = dumps_bytes(record, default=str)
    assert out == stdlib(record)
    assert json.loads(out.decode("utf-8", "surrogatepass")) == record


def test_integers_beyond_64_bits_and_non_string_keys_fall_back() -> None:
    assert dumps_bytes({"id": 2**70}) == b'{"id":1180591620717411303424}'
    assert dumps_bytes({1: "a"}) == b'{"1":"a"}'


def test_datetimes_and_dataclasses_go_through_default_like_the_standard_library() -> None:
    @dataclass
    class Point:
        x: int

    record = {"at": datetime(2024, 3, 22, 12, 0, tzinfo=UTC), "p": Point(1)}
    assert dumps_bytes(record, default=str) == stdlib(record, default=str)
    with pytest.raises(TypeError):
        dumps_str({"at": datetime(2024, 3, 22, tzinfo=UTC)})  # a JSON column gets no silent format
    with pytest.raises(TypeError):
        dumps_str({"x": object()})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_any_json_value_reads_back_the_same(value: Any) -> None:
    assert json.loads(dumps_bytes(value).decode("utf-8", "surrogatepass")) == value
    assert json.loads(dumps_str(value)) == value
