"""Bank management over the API, and a moderator's confirmation feeding a bank."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.helpers.moderation import UNSURE, Api

from vigil.store.sql import SqlStore


@pytest.fixture
def api(store: SqlStore) -> Iterator[Api]:
    a = Api(store)
    yield a
    a.client.close()


def test_banks_create_add_lookup_disable(api: Api) -> None:
    r = api.post("/v1/banks", {"name": "isis-calls", "labels": ["incitement"], "source": "internal"}, role="admin")
    assert r.status_code == 201, r.text
    text = "brothers rise and strike them in their own cities tonight"
    added = api.post("/v1/banks/isis-calls/entries", {"signal_type": "text_exact", "value": text}, role="admin").json()
    assert added["added"] and added["signal_type"] == "text_exact"
    hit = api.post("/v1/banks/lookup", {"signal_type": "text_exact", "value": text.upper()}, role="analyst").json()
    assert [m["bank"] for m in hit["matches"]] == ["isis-calls"]
    listed = api.get("/v1/banks").json()["banks"]
    assert listed[0]["name"] == "isis-calls" and listed[0]["entries"] == {"text_exact": 1}
    assert api.client.patch("/v1/banks/isis-calls", json={"enabled": False}, headers=api.headers("admin")).json()["enabled"] is False
    assert api.post("/v1/banks/lookup", {"signal_type": "text_exact", "value": text}, role="analyst").json()["matches"] == []


def test_banks_file_types_take_hashes_never_paths(api: Api) -> None:
    api.post("/v1/banks", {"name": "media"}, role="admin")
    r = api.post("/v1/banks/media/entries", {"signal_type": "sha256", "value": "/etc/passwd"}, role="admin")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_signal"
    ok = api.post("/v1/banks/media/entries", {"signal_type": "sha256", "value": "ab" * 32}, role="admin")
    assert ok.status_code == 201
    assert api.post("/v1/banks/nope/entries", {"signal_type": "sha256", "value": "ab" * 32}, role="admin").status_code == 404


def test_banks_confirmed_case_feeds_the_bank(api: Api) -> None:
    api.post("/v1/banks", {"name": "confirmed"}, role="admin")
    text = f"{UNSURE}, and everyone in that street knows what I mean by it"
    case_id = api.moderate("u", text).json()["case_id"]
    out = api.post(f"/v1/cases/{case_id}/decision", {"verdict": "confirm", "reason": "veiled threat", "bank": "confirmed"},
                   role="moderator").json()
    assert out["banked"]["bank"] == "confirmed" and out["banked"]["added"]
    hit = api.post("/v1/banks/lookup", {"signal_type": "text_exact", "value": text}, role="moderator").json()
    assert hit["matches"][0]["bank"] == "confirmed"
    assert hit["matches"][0]["provenance"]["added_by"].startswith("vgl_")


def test_banks_bank_only_on_confirm(api: Api) -> None:
    api.post("/v1/banks", {"name": "confirmed"}, role="admin")
    case_id = api.moderate("u", UNSURE).json()["case_id"]
    r = api.post(f"/v1/cases/{case_id}/decision", {"verdict": "overturn", "reason": "fine", "bank": "confirmed"},
                 role="moderator")
    assert r.status_code == 400
    assert api.get("/v1/cases").json()["cases"][0]["id"] == case_id  # nothing was decided
    missing = api.post(f"/v1/cases/{case_id}/decision", {"verdict": "confirm", "reason": "x", "bank": "nope"},
                       role="moderator")
    assert missing.status_code == 404
