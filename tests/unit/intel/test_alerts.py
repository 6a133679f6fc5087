"""Watch rules evaluated as items are saved: stored alerts, spikes over a baseline, and delivery to a
real webhook server after the commit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.intel import assessed, mention, message
from tests.helpers.webhook import Script, webhook_server
from vigil.core.errors import InvalidInput
from vigil.core.records import Action
from vigil.intel.alerts import AlertHook
from vigil.intel.watch import make_rule, matches
from vigil.intel.webhook import WebhookNotifier
from vigil.store import alerts_sql
from vigil.store.sql import SqlStore


def _rules(store: SqlStore, *rules) -> None:
    for rule in rules:
        alerts_sql.add_rule(store, rule)


def test_alerts_rule_validation() -> None:
    with pytest.raises(InvalidInput):
        make_rule("r", "entity")
    with pytest.raises(InvalidInput):
        make_rule("r", "telepathy", "x")
    with pytest.raises(InvalidInput):
        make_rule("r", "label", label="incitement", threshold=1.5)
    spike = make_rule("s", "spike", label="incitement")
    assert (spike.window_hours, spike.baseline_days, spike.factor, spike.min_count) == (24, 7, 3.0, 5)


def test_alerts_per_item_rules_match(store: SqlStore) -> None:
    r = message("1", "Supporters of d@esh: the Dawla calls", "Amaq Relay", "2024-03-22T10:00:00", forwarded_from="Nashir News")
    a = assessed(r, {"incitement": 0.93}, [mention("person", "Abu Hudhayfah al-Ansari", "Abu Huthaifa", 0, "abu_hudhayfah_al_ansari")])
    assert matches(make_rule("e", "entity", "Abu Huthaifa"), a) == {"entity": "Abu Hudhayfah al-Ansari"}
    assert matches(make_rule("e2", "entity", "abu_hudhayfah_al_ansari"), a)
    assert matches(make_rule("t", "term", "dawla"), a) == {"term": "dawla", "at": 25}
    assert matches(make_rule("t2", "term", "daw"), a) is None  # whole words only
    assert matches(make_rule("l", "label", label="incitement", threshold=0.9), a)["score"] == 0.93
    assert matches(make_rule("l2", "label", label="recruitment"), a) is None
    assert matches(make_rule("c", "channel", "@nashir news"), a) == {"forwarded_from": "Nashir News"}
    assert matches(make_rule("s", "score", threshold=0.95), a) is None


def test_alerts_stored_in_the_batch_transaction(store: SqlStore) -> None:
    _rules(store, make_rule("ansari", "entity", "abu_hudhayfah_al_ansari"), make_rule("calls", "label", label="incitement"))
    hook = AlertHook(store.settings, store=store)  # no webhook configured: alerts are stored, delivery off
    raws, _ = store.insert_raw([message(str(i), f"post {i}", "Chan", "2024-03-22T10:00:00") for i in range(3)])
    batch = [
        assessed(raws[0], {"incitement": 0.9}, [mention("person", "Abu Hudhayfah al-Ansari", entity_id="abu_hudhayfah_al_ansari")]),
        assessed(raws[1], {"incitement": 0.2}),
        assessed(raws[2], {"incitement": 0.7}, action=Action.BLOCK),
    ]
    store.save_assessments(batch, 0.5, [hook])
    alerts = alerts_sql.list_alerts(store)
    assert sorted((a["rule_name"], a["source_id"]) for a in alerts) == [("ansari", "0"), ("calls", "0"), ("calls", "2")]
    assert {a["delivery"] for a in alerts} == {"off"}
    blocked = next(a for a in alerts if a["source_id"] == "2")
    assert blocked["details"]["action"] == "block" and "Chan/2" in blocked["summary"]
    assert all(r.last_fired_at for r in alerts_sql.list_rules(store))


def test_alerts_volume_spike_over_baseline(store: SqlStore) -> None:
    _rules(store, make_rule("surge", "spike", label="incitement", window_hours=24, baseline_days=7, factor=3, min_count=4))
    hook = AlertHook(store.settings, store=store)
    t0 = datetime(2024, 3, 1, tzinfo=UTC)
    # baseline: one flagged item a day for a week
    base, _ = store.insert_raw([message(f"b{i}", "x", "C", (t0 + timedelta(days=i)).isoformat()) for i in range(7)])
    store.save_assessments([assessed(r, {"incitement": 0.9}) for r in base], 0.5, [hook])
    assert alerts_sql.list_alerts(store) == []
    # then six in a few hours: 6 >= 3 x 1 per day, and >= 4
    burst, _ = store.insert_raw([message(f"s{i}", "x", "C", (t0 + timedelta(days=8, hours=i)).isoformat()) for i in range(6)])
    store.save_assessments([assessed(r, {"incitement": 0.9}) for r in burst], 0.5, [hook])
    (alert,) = alerts_sql.list_alerts(store)
    assert alert["kind"] == "spike" and alert["details"]["count"] == 6 and alert["details"]["baseline_per_window"] == round(6 / 7, 3)
    # fires at most once per window
    more, _ = store.insert_raw([message("s9", "x", "C", (t0 + timedelta(days=8, hours=7)).isoformat())])
    store.save_assessments([assessed(r, {"incitement": 0.9}) for r in more], 0.5, [hook])
    assert len(alerts_sql.list_alerts(store)) == 1


def test_alerts_sent_to_webhook_after_commit_and_failures_kept(store: SqlStore) -> None:
    _rules(store, make_rule("words", "term", "lone wolves"), make_rule("quiet", "term", "wolves", notify=False))
    script = Script([(500, {}, 0.0), (500, {}, 0.0), (200, {}, 0.0)])
    with webhook_server(script) as base:
        notifier = WebhookNotifier(base + "/alerts", retries=0, sleep=lambda s: None)
        hook = AlertHook(store.settings, notifier=notifier, store=store)
        raws, _ = store.insert_raw([message(str(i), "lone wolves, strike", "C", "2024-03-22T10:00:00") for i in range(2)])
        store.save_assessments([assessed(r, {"incitement": 0.9}) for r in raws], 0.5, [hook])
        by = {(a["rule_name"], a["source_id"]): a for a in alerts_sql.list_alerts(store)}
        assert by[("quiet", "0")]["delivery"] == "off"
        assert sorted(a["delivery"] for k, a in by.items() if k[0] == "words") == ["failed", "failed"]
        from vigil.intel.alerts import deliver

        assert deliver(store, notifier) == {"sent": 2, "failed": 0}  # `vigil alerts send`, once the receiver is back
    sent = [a for a in alerts_sql.list_alerts(store) if a["delivery"] == "sent"]
    assert len(sent) == 2 and all(a["attempts"] == 2 and a["delivered_at"] for a in sent)
    body = json.loads(script.requests[-1].body)["alert"]
    assert body["rule_name"] == "words" and body["source_id"] in ("0", "1")


def test_alerts_pending_without_environment_for_later_delivery(store: SqlStore) -> None:
    _rules(store, make_rule("words", "term", "wolves"))
    settings = store.settings.replace(alert_webhook_env="HOOK_URL")
    hook = AlertHook(settings, store=store)  # a caller without the process environment
    [r], _ = store.insert_raw([message("1", "wolves", "C", "2024-03-22T10:00:00")])
    store.save_assessments([assessed(r)], 0.5, [hook])
    assert [a["delivery"] for a in alerts_sql.list_alerts(store)] == ["pending"]
