"""The dashboard over a TestClient with a real store: roles, sign-in, CSRF, headers, and each page's
actions going through the services (cases, escalation, saved searches, banks, policy dry run, media)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.helpers.moderation import CALL, UNSURE
from tests.helpers.web import PASSWORD, Web
from vigil.core.settings import Settings
from vigil.store.base import ItemFilter
from vigil.store.schema import bank_entries, cases, training_labels
from vigil.store.schema_intel import watch_rules
from vigil.store.schema_web import case_escalations, web_sessions
from vigil.store.sql import SqlStore

PAGES = {"/ui/": ("analyst", "moderator"), "/ui/search": ("analyst", "moderator"), "/ui/queue": ("moderator",),
         "/ui/stories": ("analyst", "moderator"), "/ui/entities": ("analyst", "moderator"),
         "/ui/events": ("analyst", "moderator"), "/ui/network": ("analyst", "moderator"), "/ui/searches": ("analyst", "moderator"),
         "/ui/admin/banks": (), "/ui/admin/policy": ()}


@pytest.fixture
def web(settings: Settings) -> Web:
    return Web(SqlStore(settings), web_login_max_failures=3)


def _open_cases(web: Web) -> list[int]:
    for i, text in enumerate((UNSURE, UNSURE + " again", UNSURE + " <b>soon</b>")):
        web.moderate(f"acct{i}", text, surface="public_channel")
    with web.service.store.begin() as conn:
        return [r.id for r in conn.execute(select(cases.c.id).where(cases.c.status == "open").order_by(cases.c.id))]


def test_pages_need_sign_in(web: Web) -> None:
    client = web.anonymous()
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/ui/login?next=")


def test_pages_check_the_role_of_every_page(web: Web) -> None:
    for role in ("platform", "analyst", "moderator", "admin"):
        client = web.as_role(role)
        for path, roles in PAGES.items():
            r = client.get(path)
            allowed = role == "admin" or role in roles
            assert r.status_code == (200 if allowed else 403), (role, path, r.status_code)
            if not allowed:
                assert "Not allowed" in r.text and "text/html" in r.headers["content-type"]


def test_pages_sign_in_refuses_wrong_passwords_and_rate_limits(web: Web) -> None:
    client = web.anonymous()
    for _ in range(3):
        r = client.post("/ui/login", data={"csrf_token": web.login_form(client), "name": "analyst1", "password": "nope nope nope"})
        assert r.status_code == 401
    r = client.post("/ui/login", data={"csrf_token": web.login_form(client), "name": "analyst1", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0  # even the right password, until the window passes


def test_pages_sign_in_needs_its_form_token_and_sets_a_strict_cookie(web: Web) -> None:
    client = web.anonymous()
    web.login_form(client)
    r = client.post("/ui/login", data={"csrf_token": "forged", "name": "analyst1", "password": PASSWORD})
    assert r.status_code == 403
    r = client.post("/ui/login", data={"csrf_token": web.login_form(client), "name": "analyst1", "password": PASSWORD,
                                       "next": "//evil.invalid/x"})
    assert r.status_code == 303 and r.headers["location"] == "/ui/"  # no open redirect
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/ui" in cookie


def test_pages_posts_refuse_missing_or_wrong_csrf_and_foreign_origin(web: Web) -> None:
    [case_id, *_] = _open_cases(web)
    client = web.as_role("admin")
    posts = [f"/ui/queue/{case_id}", "/ui/search/save", "/ui/searches/1/watch", "/ui/searches/1/delete", "/ui/admin/banks",
             "/ui/admin/banks/x/state", "/ui/admin/banks/x/entries", "/ui/admin/banks/x/import", "/ui/admin/policy", "/ui/logout"]
    token = web.csrf(client)
    for path in posts:
        assert client.post(path, data={"verdict": "confirm", "reason": "r", "name": "n"}).status_code == 403, path
        assert client.post(path, data={"csrf_token": token + "x", "verdict": "confirm", "reason": "r"}).status_code == 403, path
        assert client.post(path, data={"csrf_token": token, "verdict": "confirm", "reason": "r"},
                           headers={"Origin": "https://evil.invalid"}).status_code == 403, path
    with web.service.store.begin() as conn:
        assert conn.execute(select(cases.c.status).where(cases.c.id == case_id)).scalar_one() == "open"


def test_pages_security_headers_on_the_dashboard_only(web: Web) -> None:
    r = web.as_role("analyst").get("/ui/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin"
    assert r.headers["cache-control"] == "no-store"
    assert not re.search(r"<script(?![^>]*\bsrc=)", r.text) and " style=" not in r.text  # no inline script or style
    assert "content-security-policy" not in web.get("/v1/cases", role="moderator").headers
    assert web.anonymous().get("/ui/static/vigil.js").headers["content-type"].startswith("text/javascript")


def test_pages_errors_are_html_on_the_dashboard_and_json_on_the_api(web: Web) -> None:
    client = web.as_role("admin")
    r = client.get("/ui/items/999999")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert web.get("/v1/items/999999", role="analyst").json()["error"]["code"] == "not_found"


def test_pages_sign_out_ends_the_session_server_side(web: Web) -> None:
    client = web.sign_in("analyst")
    cookie = client.cookies.get("vigil_session")
    r = client.post("/ui/logout", data={"csrf_token": web.csrf(client)})
    assert r.status_code == 303
    replay = web.anonymous()
    replay.cookies.set("vigil_session", cookie, path="/ui")
    assert replay.get("/ui/").status_code == 303
    with web.service.store.begin() as conn:
        assert conn.execute(select(web_sessions.c.ended_at)).scalar_one() is not None


def test_pages_idle_sessions_expire(web: Web) -> None:
    client = web.sign_in("analyst")
    from datetime import UTC, datetime, timedelta

    with web.service.store.begin() as conn:
        conn.execute(update(web_sessions).values(last_seen_at=datetime.now(UTC) - timedelta(hours=2)))
    assert client.get("/ui/").status_code == 303


def test_pages_queue_confirm_banks_and_labels_the_item(web: Web) -> None:
    [first, second, third] = _open_cases(web)
    web.post("/v1/banks", {"name": "confirmed", "labels": ["incitement"]}, role="admin")
    r = web.as_role("moderator").get(f"/ui/queue/{first}")
    assert r.status_code == 200 and "coming to them" in r.text and 'name="verdict" value="escalate"' in r.text
    r = web.post_form("moderator", f"/ui/queue/{first}", {"verdict": "confirm", "reason": "a call to attack", "bank": "confirmed"},
                      token_from=f"/ui/queue/{first}")
    assert r.status_code == 303 and r.headers["location"] == f"/ui/queue/next?done={first}"
    store = web.service.store
    with store.begin() as conn:
        assert conn.execute(select(cases.c.verdict, cases.c.moderator).where(cases.c.id == first)).one() == ("confirm", "user:moderator1")
        assert conn.execute(select(training_labels.c.verdict)).scalar_one() == "confirm"
        assert conn.execute(select(bank_entries.c.id)).first() is not None
    r = web.post_form("moderator", f"/ui/queue/{second}", {"verdict": "escalate", "reason": "needs a senior look"},
                      token_from=f"/ui/queue/{second}")
    with store.begin() as conn:
        assert conn.execute(select(case_escalations.c.reason)).scalar_one() == "needs a senior look"
        assert conn.execute(select(cases.c.priority).where(cases.c.id == second)).scalar_one() > 10
    nxt = web.as_role("moderator").get("/ui/queue/next")
    assert nxt.headers["location"] == f"/ui/queue/{third}"  # one's own escalation is handed on
    assert web.as_role("admin").get("/ui/queue/next").headers["location"] == f"/ui/queue/{second}"  # others see it first
    assert web.post_form("moderator", f"/ui/queue/{third}", {"verdict": "overturn", "reason": ""},
                         token_from=f"/ui/queue/{third}").status_code == 400


def test_pages_saved_search_becomes_a_watch_rule(web: Web) -> None:
    web.moderate("a", CALL, surface="public_channel")
    r = web.as_role("analyst").get("/ui/search", params={"q": "wolves", "action": "block"})
    assert r.status_code == 200 and "<mark" in r.text
    assert "not a date" in web.as_role("analyst").get("/ui/search", params={"since": "yesterday"}).text
    r = web.post_form("analyst", "/ui/search/save", {"name": "wolves", "q": "wolves", "label": "incitement"})
    assert r.headers["location"] == "/ui/searches?saved=1"
    page = web.as_role("analyst").get("/ui/searches").text
    search_id = re.search(r'/ui/searches/(\d+)/watch', page).group(1)
    web.post_form("analyst", f"/ui/searches/{search_id}/watch", {})
    with web.service.store.begin() as conn:
        assert conn.execute(select(watch_rules.c.kind, watch_rules.c.value)).one() == ("term", "wolves")
    assert "already watch rule" in web.post_form("analyst", f"/ui/searches/{search_id}/watch", {}).text
    assert web.as_role("moderator").get("/ui/searches").text.count("wolves") == 0  # saved searches are per user


def test_pages_admin_banks_toggle_add_import(web: Web) -> None:
    web.post_form("admin", "/ui/admin/banks", {"name": "b1", "labels": "incitement"})
    web.post_form("admin", "/ui/admin/banks/b1/entries", {"signal_type": "text_exact", "value": CALL, "labels": ""})
    client = web.as_role("admin")
    files = {"file": ("list.csv", b"signal_type,signal_str\nmd5," + b"ab" * 16 + b"\nmd5,not-a-hash\n", "text/csv")}
    r = client.post("/ui/admin/banks/b1/import", data={"csrf_token": web.csrf(client), "format": "auto"}, files=files)
    assert r.status_code == 200 and "1 added" in r.text and "1 rejected" in r.text
    web.post_form("admin", "/ui/admin/banks/b1/state", {"enabled": "0"})
    assert web.get("/v1/banks", role="admin").json()["banks"][0]["enabled"] is False
    assert "not-a-hash" not in client.get("/ui/admin/banks/b1").text


def test_pages_policy_dry_run(web: Web) -> None:
    web.post("/v1/items", {"source": "t", "items": [{"source_id": "1", "text": UNSURE}, {"source_id": "2", "text": CALL}]})
    default = (Path(__file__).resolve().parents[3] / "src/vigil/policy/policies/default.yaml").read_text()
    strict = default.replace("name: default", "name: strict").replace("incitement:          {label: 0.4,  review: 0.5, block: 0.8}",
                                                                    "incitement:          {label: 0.2,  review: 0.3, block: 0.5}")
    r = web.post_form("admin", "/ui/admin/policy", {"candidate": strict, "surface": "default"})
    assert r.status_code == 200 and "strict.v1" in r.text and "review-&gt;block" in r.text
    r = web.post_form("admin", "/ui/admin/policy", {"candidate": "name: [unclosed", "surface": "default"})
    assert r.status_code == 400 and "not valid YAML" in r.text


def test_pages_media_only_from_configured_folders_with_the_scanned_digest(tmp_path: Path, settings: Settings) -> None:
    from tests.helpers.hostile import PNG, write_hostile_export
    from vigil.cli.scan import pick_connector
    from vigil.pipeline import Pipeline
    from vigil.plugins import default_registry

    folder = write_hostile_export(tmp_path / "export")
    store = SqlStore(settings)
    pipe = Pipeline(settings, store)
    cls = pick_connector(str(folder / "result.json"), "auto", default_registry())
    pipe.scan(cls(settings, {}), str(folder / "result.json"))
    item = next(i for i in store.list_items(ItemFilter(limit=50)) if i["excerpt"].startswith("<img"))
    web = Web(store, web_media_dirs=str(tmp_path))
    roots, web.app.state.web.media_roots = web.app.state.web.media_roots, []
    assert web.as_role("analyst").get(f"/ui/media/{item['id']}/0").status_code == 404  # no media folder configured
    web.app.state.web.media_roots = roots
    r = web.as_role("analyst").get(f"/ui/media/{item['id']}/0")
    assert r.status_code == 200 and r.content == PNG and r.headers["content-type"] == "image/png"
    (folder / "photos" / "p1.png").write_bytes(PNG + b"changed")
    assert web.as_role("analyst").get(f"/ui/media/{item['id']}/0").status_code == 404  # not the scanned file
    assert web.as_role("analyst").get(f"/ui/media/{item['id']}/7").status_code == 404
