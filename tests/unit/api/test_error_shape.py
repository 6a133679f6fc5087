"""Every error the API returns has one JSON shape (pinned here), and none leaks internals or secrets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.helpers.moderation import BENIGN, Api

from vigil.core.settings import Settings
from vigil.store.sql import SqlStore

SHAPE_KEYS = {"code", "message", "status"}
OPTIONAL = {"hint", "details"}


def assert_error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert list(body) == ["error"]
    err = body["error"]
    assert SHAPE_KEYS <= err.keys() <= SHAPE_KEYS | OPTIONAL
    assert err["status"] == status and err["code"] == code and isinstance(err["message"], str) and err["message"]
    for d in err.get("details", []):
        assert set(d) == {"loc", "problem", "type"}
    return err


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    store = SqlStore(settings)
    a = Api(store, api_max_body_bytes=4096, api_rate_per_s=5.0, api_rate_burst=5.0)
    yield a
    a.client.close()
    store.close()


def test_error_shape_401_missing_and_invalid_key(api: Api) -> None:
    r = api.post("/v1/moderate", {"account_id": "a", "chat_id": "c", "text": "x"}, role=None)
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    bad = api.client.post("/v1/moderate", json={}, headers={"Authorization": "Bearer vgl_not-a-real-key"})
    err = assert_error(bad, 401, "unauthorized")
    assert "vgl_not-a-real-key" not in bad.text and "hint" in err


def test_error_shape_403_wrong_role(api: Api) -> None:
    r = api.post("/v1/moderate", {"account_id": "a", "chat_id": "c", "text": "x"}, role="analyst")
    err = assert_error(r, 403, "forbidden")
    assert "platform" in err["hint"]


def test_error_shape_404_unknown_item_case_and_route(api: Api) -> None:
    assert_error(api.get("/v1/items/999", role="analyst"), 404, "not_found")
    assert_error(api.get("/v1/cases/999"), 404, "not_found")
    assert_error(api.get("/v1/accounts/nobody"), 404, "not_found")
    assert_error(api.client.get("/no/such/route"), 404, "not_found")


def test_error_shape_405_method(api: Api) -> None:
    assert_error(api.client.delete("/v1/moderate"), 405, "method_not_allowed")


def test_error_shape_413_body_too_large(api: Api) -> None:
    r = api.moderate("a", "x" * 5000)
    err = assert_error(r, 413, "payload_too_large")
    assert "4,096" in err["message"]
    # a body streamed without a Content-Length is counted too
    def chunks():
        for _ in range(10):
            yield b"x" * 1000

    r2 = api.client.post("/v1/moderate", content=chunks(), headers={**api.headers("platform"), "content-type": "application/json"})
    assert_error(r2, 413, "payload_too_large")


def test_error_shape_422_validation_without_echoing_input(api: Api) -> None:
    secret = "SECRET-VALUE-123"
    r = api.post("/v1/moderate", {"account_id": "a", "chat_id": "c", "text": "x", "surface": secret})
    err = assert_error(r, 422, "invalid_request")
    assert secret not in r.text
    assert err["details"][0]["loc"] == "body.surface"
    assert_error(api.client.post("/v1/moderate", content=b"{not json", headers={**api.headers("platform"),
                                                                               "content-type": "application/json"}),
                 422, "invalid_request")


def test_error_shape_429_rate_limit(api: Api) -> None:
    codes = [api.moderate("r", BENIGN).status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and 429 in codes
    r = api.moderate("r", BENIGN)
    assert_error(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1
    # other keys have their own bucket
    assert api.get("/v1/cases").status_code == 200


def test_error_shape_400_vigil_input_error(api: Api) -> None:
    allowed = api.moderate("v", BENIGN).json()["decision_id"]
    err = assert_error(api.post("/v1/appeals", {"account_id": "v", "decision_id": allowed}), 400, "invalid_input")
    assert "nothing to appeal" in err["message"]


def test_error_shape_500_hides_the_exception(api: Api) -> None:
    async def explode(_req):
        raise RuntimeError("password=hunter2 at /srv/secret/path")

    api.service.moderate_async = explode
    r = api.moderate("e", BENIGN)
    err = assert_error(r, 500, "internal_error")
    assert "hunter2" not in r.text and "/srv" not in r.text and "request id" in err["message"]


def test_error_shape_500_store_failure_hides_url(api: Api) -> None:
    from vigil.core.errors import StoreUnavailable

    async def down(_req):
        raise StoreUnavailable("database postgresql://vigil:pw@db/vigil failed")

    api.service.moderate_async = down
    r = api.moderate("e", BENIGN)
    assert_error(r, 503, "store_unavailable")
    assert "pw@db" not in r.text
