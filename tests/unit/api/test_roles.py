"""Every endpoint checks the caller's role: each role outside an endpoint's list is denied (403), each
role inside it gets through, and no endpoint but /healthz and the docs answers without a key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.helpers.moderation import BENIGN, UNSURE, Api

from vigil.core.settings import Settings
from vigil.moderation.keys import ROLES
from vigil.store.sql import SqlStore

# (method, path, body, roles allowed besides admin)
ENDPOINTS = [
    ("POST", "/v1/moderate", {"account_id": "r", "chat_id": "c", "text": BENIGN}, {"platform"}),
    ("POST", "/v1/items", {"items": [{"source_id": "x1", "text": BENIGN}]}, {"platform"}),
    ("POST", "/v1/appeals", {"account_id": "nobody", "decision_id": 1}, {"platform"}),
    ("GET", "/v1/items/1", None, {"analyst", "moderator"}),
    ("GET", "/v1/search?q=match", None, {"analyst", "moderator"}),
    ("GET", "/v1/accounts/seed", None, {"analyst", "moderator"}),
    ("GET", "/v1/cases", None, {"moderator"}),
    ("GET", "/v1/cases/1", None, {"moderator"}),
    ("POST", "/v1/cases/999/decision", {"verdict": "confirm", "reason": "r"}, {"moderator"}),
    ("GET", "/v1/appeals?account_id=seed", None, {"moderator"}),
    ("GET", "/v1/crises", None, {"moderator"}),
    ("GET", "/v1/floods", None, {"moderator"}),
    ("GET", "/v1/banks", None, {"moderator"}),
    ("POST", "/v1/banks", {"name": "new-bank"}, set()),
    ("PATCH", "/v1/banks/seedbank", {"enabled": True}, set()),
    ("POST", "/v1/banks/seedbank/entries", {"signal_type": "text_exact", "value": "a known text"}, set()),
    ("POST", "/v1/banks/lookup", {"signal_type": "text_exact", "value": "a known text"}, {"analyst", "moderator"}),
    ("GET", "/v1/policy", None, set()),
    ("GET", "/v1/audit/verify", None, set()),
    ("GET", "/metrics", None, set()),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    store = SqlStore(Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('roles') / 'v.db'}"))
    a = Api(store)
    a.moderate("seed", UNSURE)  # item 1, case 1, account "seed"
    a.app.state.banks.create("seedbank", [], None, None, "", False, {})
    yield a
    a.client.close()
    store.close()


def call(api: Api, method: str, path: str, body: object, role: str | None):
    headers = api.headers(role)
    if method == "GET":
        return api.client.get(path, headers=headers)
    return api.client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
def test_roles_every_endpoint_denies_other_roles(api: Api, method: str, path: str, body: object, allowed: set[str]) -> None:
    for role in ROLES:
        r = call(api, method, path, body, role)
        if role in allowed or role == "admin":
            assert r.status_code not in (401, 403), (role, r.text)
        else:
            assert r.status_code == 403, (role, r.status_code)
            assert r.json()["error"]["code"] == "forbidden"
    assert call(api, method, path, body, None).status_code == 401


def test_roles_every_route_is_listed_here(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()["paths"]
    listed = {(m, p.split("?")[0]) for m, p, _, _ in ENDPOINTS}
    open_routes = {("GET", "/healthz")}
    for path, ops in spec.items():
        for method in ops:
            key = (method.upper(), path.replace("{item_id}", "1").replace("{case_id}", "1").replace("{account_id}", "seed")
                   .replace("{name}", "seedbank"))
            if key in open_routes:
                continue
            assert key in listed or (key[0], key[1].replace("/1/", "/999/")) in listed, f"{key} has no role test"


def test_roles_revoked_key_is_refused_after_cache(api: Api) -> None:
    from vigil.moderation.keys import create_key, revoke_key

    key, record = create_key(api.service.store, "analyst")
    headers = {"Authorization": f"Bearer {key}"}
    assert api.client.get("/v1/search?q=x", headers=headers).status_code == 200
    revoke_key(api.service.store, str(record.id))
    api.app.state.keys._cache.clear()  # what api_key_cache_s seconds do
    assert api.client.get("/v1/search?q=x", headers=headers).status_code == 401
