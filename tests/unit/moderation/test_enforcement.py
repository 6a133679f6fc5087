"""Strikes weighted by severity, decaying with a half-life; restriction, ban, expiry and appeals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.helpers.moderation import BENIGN, CALL, Clock, send, service

from vigil.moderation import enforcement as enf
from vigil.policy.sections import EnforcementRules
from vigil.store.sql import SqlStore


def test_enforcement_decay_halves_per_half_life() -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    assert enf.decayed(4.0, t0, t0, 30) == 4.0
    assert enf.decayed(4.0, t0, datetime(2024, 1, 31, tzinfo=UTC), 30) == pytest.approx(2.0)
    assert enf.decayed(4.0, t0, datetime(2024, 3, 1, tzinfo=UTC), 30) == pytest.approx(1.0)


def test_enforcement_severity_follows_taxonomy() -> None:
    assert (enf.severity("threat"), enf.severity("incitement"), enf.severity("glorification")) == (5, 4, 2)
    assert enf.severity(None) == enf.DEFAULT_SEVERITY


def test_enforcement_two_strikes_restrict_three_ban(store: SqlStore) -> None:
    svc = service(store, Clock())
    assert send(svc, "a", CALL + " 1").account_status == "active"
    assert send(svc, "a", CALL + " 2").account_status == "restricted"
    assert send(svc, "a", CALL + " 3").account_status == "banned"
    r = send(svc, "a", BENIGN)
    assert (r.action.value, r.enforcement, r.assessment) == ("block", "banned", None)


def test_enforcement_strikes_decay_so_old_ones_do_not_ban(store: SqlStore) -> None:
    clock = Clock()
    svc = service(store, clock)
    send(svc, "slow", CALL + " 1")
    clock.advance(days=90)  # 4 points decayed to 0.5
    send(svc, "slow", CALL + " 2")
    clock.advance(days=1)
    r = send(svc, "slow", CALL + " 3")
    assert r.account_status == "restricted"  # 0.5 + ~3.9 + 4 < 11
    with store.begin() as conn:
        view = enf.account_view(conn, "slow", svc.policy.enforcement, clock.now)
    assert view["points"] == pytest.approx(0.49 + 3.91 + 4.0, abs=0.05)


def test_enforcement_restriction_expires(store: SqlStore) -> None:
    clock = Clock()
    svc = service(store, clock)
    send(svc, "r", CALL + " 1")
    send(svc, "r", CALL + " 2")
    assert send(svc, "r", BENIGN, surface="public_channel").enforcement == "restricted"
    clock.advance(hours=25)
    r = send(svc, "r", BENIGN, surface="public_channel")
    assert r.enforcement is None and r.action.value == "allow"


def test_enforcement_lifting_after_strike_removal(store: SqlStore) -> None:
    clock = Clock()
    svc = service(store, clock)
    ids = [send(svc, "l", f"{CALL} {i}").decision_id for i in range(3)]
    rules = EnforcementRules()
    with store.begin() as conn:
        enf.remove_strikes(conn, ids[1:], "test", clock.now)
        change = enf.reassess_status(conn, "l", clock.now, rules, lifting=True)
    assert change is not None and (change["from"], change["to"]) == ("banned", "active")
