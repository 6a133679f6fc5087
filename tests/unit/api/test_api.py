"""The HTTP API against real stores (SQLite and PostgreSQL) through FastAPI's TestClient."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import pytest
from tests.helpers.moderation import BENIGN, CALL, NEWS, UNSURE, Api
from tests.helpers.store import wal_pages

from vigil.store.sql import SqlStore


@pytest.fixture
def api(store: SqlStore) -> Iterator[Api]:
    a = Api(store)
    yield a
    a.client.close()


def test_api_moderate_blocks_a_call_with_labels_evidence_and_decision_id(api: Api) -> None:
    r = api.moderate("acct-1", CALL)
    assert r.status_code == 200
    body = r.json()
    assert body["action"] == "block"
    assert body["labels"]["incitement"] == 0.95
    assert body["evidence"][0]["text"] == "lone wolves"
    assert body["reasons"] == ["incitement 0.95 >= block threshold 0.80"]
    assert isinstance(body["decision_id"], int) and body["item_id"] is not None
    assert body["account"] == {"id": "acct-1", "status": "active"}
    assert body["strike"]["severity"] == 4
    assert body["policy"] == "default.v1"
    assert {"matches", "context", "tier", "language", "case_id"} <= body.keys()


def test_api_moderate_allows_benign_and_keeps_no_text(api: Api) -> None:
    body = api.moderate("acct-2", BENIGN).json()
    assert body["action"] == "allow" and body["item_id"] is None and body["strike"] is None
    decision = api.get("/v1/accounts/acct-2").json()["history"][0]
    assert decision["raw_id"] is None and decision["content_digest"] == hashlib.sha256(BENIGN.encode()).hexdigest()


def test_api_news_report_is_labelled_not_blocked(api: Api) -> None:
    body = api.moderate("newsroom", NEWS, surface="public_channel").json()
    assert body["action"] == "label"
    assert any("reporting" in reason for reason in body["reasons"])


def test_api_uncertain_message_opens_a_review_case(api: Api) -> None:
    body = api.moderate("acct-3", UNSURE).json()
    assert body["action"] == "review" and body["case_id"]
    cases = api.get("/v1/cases").json()["cases"]
    assert [c["id"] for c in cases] == [body["case_id"]]
    assert cases[0]["text"] == UNSURE and cases[0]["decision_action"] == "review"


def test_api_banned_account_is_blocked_at_once_without_classifier(api: Api) -> None:
    for i in range(3):
        last = api.moderate("spammer", f"{CALL} {i}").json()
    assert last["account"]["status"] == "banned"
    body = api.moderate("spammer", BENIGN).json()
    assert body["action"] == "block" and body["enforcement"] == "banned"
    assert body["labels"] == {} and body["reasons"] == ["account banned"] and body["strike"] is None
    account = api.get("/v1/accounts/spammer").json()
    assert account["status"] == "banned" and len(account["strikes"]) == 3 and account["sends_blocked"] == 4


def test_api_restricted_account_blocked_on_public_surface_only(api: Api) -> None:
    for i in range(2):
        api.moderate("hothead", f"{CALL} {i}")
    assert api.get("/v1/accounts/hothead").json()["status"] == "restricted"
    public = api.moderate("hothead", BENIGN, surface="public_channel").json()
    assert public["action"] == "block" and public["enforcement"] == "restricted"
    private = api.moderate("hothead", BENIGN, surface="private_chat").json()
    assert private["action"] == "allow"


def test_api_case_confirm_blocks_strikes_and_records_training_label(api: Api, store: SqlStore) -> None:
    from sqlalchemy import select

    from vigil.store.schema import training_labels

    case_id = api.moderate("acct-4", UNSURE).json()["case_id"]
    r = api.post(f"/v1/cases/{case_id}/decision", {"verdict": "confirm", "reason": "veiled threat"}, role="moderator")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["action"] == "block" and out["strike"]["account"] == "acct-4"
    assert api.get("/v1/cases").json()["cases"] == []
    assert api.get("/v1/cases?status=closed").json()["cases"][0]["verdict"] == "confirm"
    with store.begin() as conn:
        rows = conn.execute(select(training_labels.c.verdict, training_labels.c.labels)).all()
    assert [(r.verdict, r.labels) for r in rows] == [("confirm", ["incitement"])]
    again = api.post(f"/v1/cases/{case_id}/decision", {"verdict": "overturn", "reason": "x"}, role="moderator")
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_input"


def test_api_case_overturn_allows_and_labels_negative(api: Api, store: SqlStore) -> None:
    from sqlalchemy import select

    from vigil.store.schema import training_labels

    case_id = api.moderate("acct-5", UNSURE).json()["case_id"]
    out = api.post(f"/v1/cases/{case_id}/decision", {"verdict": "overturn", "reason": "song lyric"}, role="moderator").json()
    assert out["action"] == "allow" and "strike" not in out
    with store.begin() as conn:
        assert conn.execute(select(training_labels.c.verdict)).scalar_one() == "overturn"


def test_api_successful_appeal_removes_strike_and_restores_status(api: Api) -> None:
    ids = [api.moderate("wrongly", f"{CALL} {i}").json()["decision_id"] for i in range(3)]
    assert api.get("/v1/accounts/wrongly").json()["status"] == "banned"
    r = api.post("/v1/appeals", {"account_id": "wrongly", "decision_id": ids[2], "statement": "I was quoting a news story"})
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    queue = api.get("/v1/cases?kind=appeal").json()["cases"]
    assert [c["id"] for c in queue] == [case_id]
    out = api.post(f"/v1/cases/{case_id}/decision", {"verdict": "overturn", "reason": "quote of news"}, role="moderator").json()
    assert out["action"] == "allow" and len(out["strikes_removed"]) == 1
    assert out["account_status"]["to"] == "restricted"
    account = api.get("/v1/accounts/wrongly").json()
    assert account["status"] == "restricted"
    assert [s["removed_at"] is not None for s in account["strikes"]] == [False, False, True]
    assert account["appeals"][0]["status"] == "granted"
    assert api.get("/v1/appeals?account_id=wrongly").json()["appeals"][0]["status"] == "granted"


def test_api_appeal_rules(api: Api) -> None:
    allowed = api.moderate("a", BENIGN).json()["decision_id"]
    blocked = api.moderate("a", CALL).json()["decision_id"]
    nothing = api.post("/v1/appeals", {"account_id": "a", "decision_id": allowed})
    assert nothing.status_code == 400
    other = api.post("/v1/appeals", {"account_id": "b", "decision_id": blocked})
    assert other.status_code == 404
    assert api.post("/v1/appeals", {"account_id": "a", "decision_id": blocked}).status_code == 201
    assert api.post("/v1/appeals", {"account_id": "a", "decision_id": blocked}).status_code == 400


def test_api_items_batch_get_and_search(api: Api) -> None:
    r = api.post("/v1/items", {"source": "feed", "items": [
        {"source_id": "1", "text": CALL}, {"source_id": "2", "text": BENIGN}, {"source_id": "3", "text": UNSURE}]})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["stored"] == 3 and [i["action"] for i in out["items"]] == ["block", "allow", "review"]
    again = api.post("/v1/items", {"source": "feed", "items": [{"source_id": "1", "text": CALL}]}).json()
    assert again["stored"] == 0 and again["duplicates"] == 1
    item = api.get(f"/v1/items/{out['items'][0]['id']}", role="analyst").json()
    assert item["text"] == CALL and item["action"] == "block"
    assert [d["origin"] for d in item["decisions"]] == ["batch"]
    hits = api.get("/v1/search?q=football", role="analyst").json()["items"]
    assert [h["source_id"] for h in hits] == ["2"]
    assert api.get("/v1/search?q=wolves&action=block", role="analyst").json()["items"][0]["source_id"] == "1"


def test_api_media_hashed_from_bytes_and_urls_refused(api: Api) -> None:
    data = base64.b64encode(b"\x89PNG fake image bytes").decode()
    ok = api.moderate("m", BENIGN, media=[{"kind": "image", "data": data}, {"sha256": "a" * 64}])
    assert ok.status_code == 200, ok.text
    url = api.moderate("m", BENIGN, media=[{"kind": "image", "url": "http://127.0.0.1/evil.png"}])
    assert url.status_code == 422
    assert any(d["loc"].endswith("url") for d in url.json()["error"]["details"])
    bad_hash = api.moderate("m", BENIGN, media=[{"md5": "xyz"}])
    assert bad_hash.status_code == 422


def test_api_healthz_docs_and_metrics(api: Api) -> None:
    assert api.client.get("/healthz").json()["status"] == "ok"
    docs = api.client.get("/docs")
    assert docs.status_code == 200
    # every asset of the docs page is served by Vigil itself: no CDN, no outside origin
    assets = re.findall(r'(?:src|href)=["\']([^"\']+)', docs.text) + re.findall(r"url: ?'([^']+)'", docs.text)
    assert assets and all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert api.client.get(asset).status_code == 200, asset
    spec = api.client.get("/openapi.json").json()
    assert {"/v1/moderate", "/v1/items", "/v1/items/{item_id}", "/v1/search", "/v1/cases",
            "/v1/cases/{case_id}/decision", "/v1/appeals", "/v1/accounts/{account_id}"} <= spec["paths"].keys()
    api.moderate("x", CALL)
    text = api.get("/metrics", role="admin").text
    assert 'vigil_decisions_total{action="block",surface="private_chat"} 1.0' in text
    assert 'vigil_http_requests_total{method="POST",route="/v1/moderate",status="200"} 1.0' in text
    assert api.get("/metrics", role="platform").status_code == 403


def test_api_crisis_tightens_thresholds_for_related_content(api: Api, store: SqlStore) -> None:
    from vigil.moderation.crisis import start_crisis

    before = api.moderate("c1", "those people will get what is coming to them at the concert hall").json()
    assert before["action"] == "review"
    start_crisis(store, "concert-attack", ["concert hall"], [], [])
    api.service.crises.refresh()
    during = api.moderate("c2", "those people will get what is coming to them at the concert hall").json()
    assert during["crisis"] == "concert-attack"
    assert any("crisis 'concert-attack'" in reason for reason in during["reasons"])
    unrelated = api.moderate("c3", UNSURE).json()
    assert unrelated["crisis"] is None and unrelated["action"] == "review"


def test_api_server_checkpoints_sqlite_log_in_a_thread_while_it_runs(store: SqlStore) -> None:
    """A running server copies SQLite's log back in a thread (`SqlStore.background_checkpoints`), so
    that no request's commit does it; on PostgreSQL there is nothing to checkpoint."""
    import threading

    from fastapi.testclient import TestClient

    from vigil.api.app import create_app

    def running() -> bool:
        return any(t.name == "vigil-wal-checkpoint" for t in threading.enumerate())

    with TestClient(create_app(store.settings, store=store)) as client:
        assert client.get("/healthz").status_code == 200
        assert running() is (store.dialect == "sqlite")
        if store.dialect == "sqlite":
            assert wal_pages(store) > 1000
    assert not running()
