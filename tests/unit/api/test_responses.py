"""`vigil.api.responses.Json`: the send-time answer encoded by orjson, in the standard library's compact
form, with the standard library taking what orjson refuses."""

from __future__ import annotations

import json

from vigil.api.responses import Json


def test_json_is_compact_utf8_and_reads_back_the_same() -> None:
    content = {"action": "block", "labels": {"incitement": 0.953}, "reasons": ["«ü» \u202e"], "case_id": None,
               "matches": [], "strike": {"weight": 3, "banned": False}}
    body = Json(content).body
    assert body == json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    assert json.loads(body) == content
    assert Json(content).headers["content-type"] == "application/json"


def test_values_orjson_refuses_are_encoded_by_the_standard_library() -> None:
    assert json.loads(Json({1: "x", "big": 2**70}).body) == {"1": "x", "big": 2**70}
