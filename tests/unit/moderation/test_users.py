from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from vigil.core.errors import InvalidInput, NotFound
from vigil.core.settings import Settings
from vigil.moderation.sessions import SessionManager, signing_secret
from vigil.moderation.users import (
    LoginThrottle,
    authenticate,
    create_user,
    disable_user,
    list_users,
    set_password,
)
from vigil.store.schema_web import users, web_sessions
from vigil.store.sql import SqlStore

PW = "correct horse battery"


@pytest.fixture
def sql(store_settings: Settings) -> Iterator[SqlStore]:
    s = SqlStore(store_settings)
    yield s
    s.close()


def test_users_password_is_stored_as_argon2id_only(sql: SqlStore) -> None:
    create_user(sql, "alice", "moderator", PW)
    with sql.begin() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PW not in stored
    assert "password_hash" not in list_users(sql)[0]


def test_users_authenticate_right_wrong_unknown_disabled(sql: SqlStore) -> None:
    create_user(sql, "alice", "analyst", PW)
    user = authenticate(sql, "alice", PW)
    assert user is not None and user.role == "analyst"
    assert authenticate(sql, "alice", PW + "x") is None
    assert authenticate(sql, "bob", PW) is None
    assert authenticate(sql, "<script>", PW) is None
    disable_user(sql, "alice")
    assert authenticate(sql, "alice", PW) is None


def test_users_refuse_bad_names_roles_passwords_and_duplicates(sql: SqlStore) -> None:
    for name, role, pw in (("a b", "admin", PW), ("ok", "root", PW), ("ok", "admin", "short")):
        with pytest.raises(InvalidInput):
            create_user(sql, name, role, pw)
    create_user(sql, "ok", "admin", PW)
    with pytest.raises(InvalidInput, match="already exists"):
        create_user(sql, "ok", "admin", PW)
    with pytest.raises(NotFound):
        set_password(sql, "nobody", PW)


def test_users_throttle_counts_failures_per_subject_in_a_window(sql: SqlStore) -> None:
    t = LoginThrottle(sql, max_failures=3, window=timedelta(minutes=10))
    now = datetime(2024, 3, 1, 12, tzinfo=UTC)
    for _ in range(2):
        t.failed(["user:a", "ip:1"], now)
    assert t.wait_s(["user:a"], now) == 0.0
    t.failed(["user:a", "ip:1"], now)
    assert 590 <= t.wait_s(["user:b", "ip:1"], now) <= 600  # the address is locked for other names too
    assert t.wait_s(["user:a"], now + timedelta(minutes=11)) == 0.0
    t.succeeded("user:a")
    assert t.failures("user:a") == 0 and t.failures("ip:1") == 3


def test_sessions_start_load_end(sql: SqlStore) -> None:
    user = create_user(sql, "alice", "moderator", PW)
    sm = SessionManager(sql, signing_secret(sql), hours=8, idle_minutes=30)
    cookie, session = sm.start(user)
    loaded = sm.load(cookie)
    assert loaded is not None and loaded.user.name == "alice" and loaded.csrf_ok(session.csrf)
    assert not loaded.csrf_ok("") and not loaded.csrf_ok(None) and not loaded.csrf_ok(session.csrf + "x")
    token = cookie.rsplit(".", 1)[0]
    with sql.begin() as conn:  # only the digest of the token is stored
        assert token not in str(conn.execute(select(web_sessions)).all())
    sm.end(session.id)
    assert sm.load(cookie) is None


def test_sessions_refuse_tampered_foreign_and_expired_cookies(sql: SqlStore) -> None:
    user = create_user(sql, "alice", "moderator", PW)
    sm = SessionManager(sql, signing_secret(sql), hours=1, idle_minutes=10)
    cookie, _ = sm.start(user)
    assert sm.load(cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")) is None
    assert SessionManager(sql, "another secret").load(cookie) is None
    assert sm.load(sm.sign("x")) is None  # a form-token cookie is not a session cookie
    now = datetime.now(UTC)
    assert sm.load(cookie, now + timedelta(minutes=11)) is None  # idle
    cookie, s = sm.start(user)
    with sql.begin() as conn:
        conn.execute(update(web_sessions).where(web_sessions.c.id == s.id).values(last_seen_at=now + timedelta(minutes=59)))
    assert sm.load(cookie, now + timedelta(minutes=61)) is None  # absolute limit despite activity


def test_sessions_end_when_the_user_is_disabled_or_changes_password(sql: SqlStore) -> None:
    user = create_user(sql, "alice", "moderator", PW)
    sm = SessionManager(sql, signing_secret(sql))
    cookie, _ = sm.start(user)
    set_password(sql, "alice", PW + " new")
    assert sm.load(cookie) is None
    cookie, _ = sm.start(user)
    disable_user(sql, "alice")
    assert sm.load(cookie) is None


def test_sessions_secret_is_kept_in_the_database_once(sql: SqlStore) -> None:
    first = signing_secret(sql)
    assert signing_secret(sql) == first and len(first) >= 40
    assert signing_secret(sql, "from-env") == "from-env"
