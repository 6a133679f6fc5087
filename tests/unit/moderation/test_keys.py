"""API keys: high entropy, stored only as digests, roles checked, revocation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from vigil.core.errors import InvalidInput, NotFound
from vigil.moderation.keys import PREFIX, KeyRing, create_key, digest, list_keys, revoke_key
from vigil.store.schema import api_keys
from vigil.store.sql import SqlStore


def test_keys_are_random_and_stored_only_as_digest(store: SqlStore) -> None:
    key1, rec1 = create_key(store, "platform", "bot")
    key2, _ = create_key(store, "platform")
    assert key1 != key2 and key1.startswith(PREFIX) and len(key1) >= 40
    with store.begin() as conn:
        rows = conn.execute(select(api_keys)).mappings().all()
    stored = " ".join(str(v) for r in rows for v in r.values())
    assert key1 not in stored and key1[len(PREFIX):] not in stored
    assert rows[0]["digest"] == digest(key1) and rows[0]["prefix"] == key1[:12] == rec1.prefix


def test_keys_authenticate_and_revoke(store: SqlStore) -> None:
    key, rec = create_key(store, "moderator")
    ring = KeyRing(store, cache_s=0.0)
    assert ring.authenticate(key).role == "moderator"
    assert ring.authenticate(key + "x") is None
    assert ring.authenticate("Bearer " + key) is None
    assert ring.authenticate("vgl_" + "a" * 500) is None
    revoke_key(store, rec.prefix)
    assert ring.authenticate(key) is None
    assert list_keys(store) == [] and len(list_keys(store, include_revoked=True)) == 1
    with pytest.raises(NotFound):
        revoke_key(store, str(rec.id))


def test_keys_unknown_role_refused(store: SqlStore) -> None:
    with pytest.raises(InvalidInput, match="unknown role"):
        create_key(store, "root")
