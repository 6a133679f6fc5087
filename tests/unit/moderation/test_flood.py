"""Flood quarantine: near-identical blocked sends from many accounts raise a stored alert, and later
near-duplicates are held even when the classifier alone would let them through."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from tests.helpers.moderation import CALL, Clock, send, service

from vigil.moderation.audit import verify
from vigil.moderation.fingerprint import fingerprint, similarity
from vigil.moderation.flood import list_alerts
from vigil.store.schema import audit_log
from vigil.store.sql import SqlStore

VARIANTS = [
    "lone wolves, rise and strike the crusaders in europe and america {n}",
    "brothers and lone wolves rise and strike the crusaders in europe and america now {n}",
    "lone wolves rise up, strike the crusaders in europe and in america {n}",
]
# Below the classifier's thresholds, but a near-duplicate of the flood's text.
SOFTENED = "lone wolfs, rise and strike at the crusaders in europe and america"


def test_fingerprint_near_duplicates_are_similar_unrelated_are_not() -> None:
    a, b = fingerprint(VARIANTS[0].format(n=1)), fingerprint(VARIANTS[1].format(n=2))
    c = fingerprint("the football match tomorrow evening starts at eight in the city stadium")
    assert a and b and c
    assert similarity(a, b) >= 0.5 > similarity(a, c)
    assert fingerprint("too short") is None


def test_flood_alert_raised_by_many_new_accounts_and_holds_near_duplicates(store: SqlStore) -> None:
    clock = Clock()
    svc = service(store, clock)
    results = [send(svc, f"new{i}", VARIANTS[i % 3].format(n=i)) for i in range(5)]
    assert all(r.action.value == "block" for r in results)
    # 5 new accounts x weight 2 = 10 = min_score: the fifth send raises the alert
    assert "flood_alert" in results[4].extra and "flood_alert" not in results[3].extra
    alert = results[4].extra["flood_alert"]
    assert alert["accounts"] == 5 and alert["new_accounts"] == 5
    held = send(svc, "other", SOFTENED)
    assert held.action.value == "block" and held.flood_id == alert["flood"]
    assert any("flood alert" in r for r in held.reasons)
    rows = list_alerts(store, active_only=True, now=clock.now)
    assert rows[0]["held"] == 1 and rows[0]["active"]
    with store.begin() as conn:
        assert conn.execute(select(audit_log.c.kind).where(audit_log.c.kind == "flood_alert")).scalar_one() == "flood_alert"
    assert verify(store).ok
    # the quarantine ends with the alert
    clock.advance(hours=2)
    svc.flood.refresh(clock.now)
    assert send(svc, "later", SOFTENED).flood_id is None


def test_flood_established_accounts_weigh_less(store: SqlStore) -> None:
    from datetime import timedelta

    from vigil.moderation.service import ModerationRequest

    clock = Clock()
    svc = service(store, clock)
    old = clock.now - timedelta(days=365)
    results = [svc.moderate(ModerationRequest(f"old{i}", "c", "private_chat", VARIANTS[i % 3].format(n=i),
                                              account_created_at=old)) for i in range(9)]
    assert not any("flood_alert" in r.extra for r in results)
    tenth = svc.moderate(ModerationRequest("old9", "c", "private_chat", VARIANTS[0].format(n=9), account_created_at=old))
    assert "flood_alert" in tenth.extra


def test_flood_one_account_repeating_is_not_a_flood(store: SqlStore) -> None:
    svc = service(store, Clock())
    results = [send(svc, "same", f"{CALL} {i}") for i in range(8)]
    assert not any("flood_alert" in r.extra for r in results)


def test_an_alert_that_expired_since_the_last_refresh_holds_nothing(store: SqlStore) -> None:
    """Between refreshes the alerts are kept as arrays in memory; expiry is still checked per send."""
    from dataclasses import replace

    from vigil.moderation.flood import Cluster, FloodGuard
    from vigil.policy.sections import FloodRules

    now = Clock().now
    exact = fingerprint(SOFTENED)
    near = fingerprint(VARIANTS[0].format(n=1))
    assert exact and near
    short = FloodGuard(store, replace(FloodRules(), duration_s=600), refresh_s=1e9)
    long = FloodGuard(store, replace(FloodRules(), duration_s=3600), refresh_s=1e9)
    with store.begin() as conn:
        first = short.store_alert(conn, Cluster(exact, now, now, "incitement"), 1, now)["flood"]
        second = long.store_alert(conn, Cluster(near, now, now, "incitement"), 2, now)["flood"]
    guard = FloodGuard(store, FloodRules(), refresh_s=1e9)
    guard.refresh(now)
    got = guard.holding(SOFTENED, now)
    assert got is not None and got.id == first  # the exact match is the nearest
    later = now + timedelta(minutes=20)  # the first has expired; no refresh since
    got = guard.holding(SOFTENED, later)
    assert got is not None and got.id == second
    assert guard.holding(SOFTENED, now + timedelta(hours=2)) is None
    assert guard.holding("the football match tomorrow evening starts at eight", later) is None


def test_a_text_is_fingerprinted_once_for_the_alert_check_and_the_burst_count() -> None:
    a = fingerprint(VARIANTS[0].format(n=7))
    assert a is not None and fingerprint(VARIANTS[0].format(n=7)) is a
    assert not a.signature.flags.writeable  # shared: nobody may change it
    b = fingerprint(VARIANTS[1].format(n=7))
    assert b is not None and b is not a
    again = fingerprint(VARIANTS[0].format(n=7))  # computed anew, the same
    assert again is not None and again is not a and (again.signature == a.signature).all()
