"""`POST /v1/moderate` in order is served by `vigil.api.fastpath`; everything else by the FastAPI route,
and both answer the same."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from tests.helpers.moderation import BENIGN, CALL, Api

import vigil.api.fastpath as fastpath
from vigil.core.settings import Settings
from vigil.store.sql import SqlStore


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    store = SqlStore(settings)
    a = Api(store, api_rate_per_s=3.0, api_rate_burst=3.0)
    yield a
    a.client.close()
    store.close()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The account ids of the sends the fast path decided on (the route's own calls are not counted)."""
    seen: list[str] = []
    real = fastpath.moderate_json

    async def spy(state, body):  # type: ignore[no-untyped-def]
        seen.append(body.account_id)
        return await real(state, body)

    monkeypatch.setattr(fastpath, "moderate_json", spy)
    return seen


def test_fastpath_serves_sends_in_order_and_answers_like_the_route(api: Api, served: list[str]) -> None:
    fast = api.moderate("acct-fast", BENIGN)
    assert fast.status_code == 200 and served == ["acct-fast"]
    # the same send without Content-Length (streamed) is handed to the route, which decides it
    body = json.dumps({"account_id": "acct-route", "chat_id": "chat-1", "surface": "private_chat", "text": BENIGN})
    routed = api.client.post("/v1/moderate", content=iter([body.encode()]),
                             headers={**api.headers("platform"), "content-type": "application/json"})
    assert routed.status_code == 200 and served == ["acct-fast"]
    a, b = fast.json(), routed.json()
    assert list(a) == list(b)  # same fields, same order
    for k in ("action", "labels", "matches", "context", "tier", "policy", "enforcement", "strike", "case_id"):
        assert a[k] == b[k], k
    assert a["account"] == {"id": "acct-fast", "status": "active"} and b["account"]["id"] == "acct-route"
    assert fast.headers["content-type"] == routed.headers["content-type"] == "application/json"
    # a blocked call too, from the admin key (admin may call everything)
    blocked = api.post("/v1/moderate", {"account_id": "acct-admin", "chat_id": "c", "text": CALL}, role="admin")
    assert blocked.status_code == 200 and blocked.json()["action"] == "block" and served[-1] == "acct-admin"
    metrics = api.get("/metrics", role="admin").text
    assert 'vigil_http_requests_total{method="POST",route="/v1/moderate",status="200"} 3.0' in metrics


@pytest.mark.parametrize(("role", "body", "headers", "status"), [
    (None, {"account_id": "a", "chat_id": "c", "text": "x"}, {}, 401),
    ("analyst", {"account_id": "a", "chat_id": "c", "text": "x"}, {}, 403),
    ("platform", {"account_id": "a", "chat_id": "c", "text": "x", "url": "http://x.test/p.png"}, {}, 422),
    ("platform", {"account_id": "", "chat_id": "c", "text": "x"}, {}, 422),
    ("platform", {"account_id": "a", "chat_id": "c", "text": "x"}, {"content-type": "text/plain"}, 422),
])
def test_fastpath_hands_refusals_to_the_route(api: Api, served: list[str], role, body, headers, status) -> None:  # type: ignore[no-untyped-def]
    r = api.client.post("/v1/moderate", content=json.dumps(body).encode(),
                        headers={**api.headers(role), "content-type": "application/json", **headers})
    assert r.status_code == status, r.text
    assert r.json()["error"]["status"] == status
    assert served == []


def test_fastpath_rate_limit_takes_one_token_per_send(api: Api, served: list[str]) -> None:
    codes = [api.moderate(f"acct-{i}", BENIGN).status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]  # a burst of 3: no send is charged twice
    assert served == ["acct-0", "acct-1", "acct-2"]
    r = api.moderate("acct-9", BENIGN)
    assert r.status_code == 429 and "Retry-After" in r.headers and r.json()["error"]["code"] == "rate_limited"
