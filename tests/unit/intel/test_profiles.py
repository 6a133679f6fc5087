"""Profiles of actors and channels: first and last seen, volume by label over time, co-mentions,
forward and reply links."""

from __future__ import annotations

import pytest

from tests.helpers.intel import seeded
from vigil.core.errors import NotFound
from vigil.intel.profiles import period_of, profile
from vigil.store.sql import SqlStore


def test_profiles_actor_by_alias(store: SqlStore) -> None:
    seeded(store)
    p = profile(store, "abu huthaifa")
    ent = p["entity"]
    assert ent["key"] == "abu_hudhayfah_al_ansari" and ent["kind"] == "person" and ent["aliases"] == ["Abu Huthaifa"]
    assert ent["items"] == 1 and ent["first_seen"].startswith("2024-03-23")
    assert ent["volume"]["items"] == {"2024-03-23": 1} and ent["volume"]["by_label"] == {"incitement": {"2024-03-23": 1}}
    assert {c["key"] for c in ent["co_mentioned"]} == {"islamic_state", "place:moscow"}
    assert "channel" not in p
    assert profile(store, "Abu Hudhaifa al-Ansari")["entity"]["key"] == "abu_hudhayfah_al_ansari"  # another spelling
    assert profile(store, "al-Ansari")["entity"]["key"] == "abu_hudhayfah_al_ansari"  # part of the name


def test_profiles_organisation_volume_by_week(store: SqlStore) -> None:
    seeded(store)
    ent = profile(store, "islamic_state", "week")["entity"]
    assert ent["items"] == 2 and ent["last_seen"].startswith("2024-03-24")
    assert ent["volume"]["items"] == {"2024-W12": 2} and ent["volume"]["by_label"] == {"incitement": {"2024-W12": 2}}


def test_profiles_channel_links(store: SqlStore) -> None:
    seeded(store)
    ch = profile(store, "relay two")["channel"]
    assert ch["name"] == "Relay Two" and ch["items"] == 2
    assert ch["links"]["forwards_from"] == [{"channel": "Relay One", "items": 1}]
    assert ch["links"]["replies_to"] == [{"channel": "Relay One", "items": 1}]
    assert ch["volume"]["by_label"] == {"glorification": {"2024-03-24": 1}, "incitement": {"2024-03-24": 1}}
    one = profile(store, "Relay One")["channel"]
    assert one["links"]["forwarded_by"] == [{"channel": "Relay Two", "items": 1}]
    assert one["links"]["forwards_from"] == [{"channel": "Amaq Agency", "items": 1}]
    amaq = profile(store, "Amaq Agency")["channel"]  # known only as a forward source
    assert amaq["items"] == 0 and amaq["links"]["forwarded_by"] == [{"channel": "Relay One", "items": 1}]


def test_profiles_unknown_name(store: SqlStore) -> None:
    with pytest.raises(NotFound):
        profile(store, "nobody at all")


def test_profiles_periods() -> None:
    from datetime import datetime

    when = datetime(2024, 3, 22)
    assert (period_of(when, "day"), period_of(when, "week"), period_of(when, "month")) == ("2024-03-22", "2024-W12", "2024-03")
