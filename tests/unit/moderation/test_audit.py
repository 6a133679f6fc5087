"""The audit chain on SQLite and PostgreSQL: intact chains verify; edited, removed, reordered and
truncated records are detected and named; concurrent appends never fork the chain."""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from tests.helpers.moderation import BENIGN, CALL, send, service

import vigil.moderation.audit as audit_module
from vigil.core.labels import Label
from vigil.core.records import Action
from vigil.moderation.audit import GENESIS, AuditChain, append_one, canonical, chain_hash, verify
from vigil.store.schema import audit_head, audit_log
from vigil.store.sql import SqlStore

NOW = datetime(2024, 3, 29, 12, tzinfo=UTC)


def fill(store: SqlStore, n: int = 6) -> None:
    for i in range(n):
        append_one(store, "test", i, {"n": i, "text": f"record {i}", "nested": {"b": 1, "a": [1, 2]}}, NOW)


def test_audit_canonical_json_is_order_independent() -> None:
    assert canonical({"b": 1, "a": {"d": 2, "c": "é"}}) == '{"a":{"c":"é","d":2},"b":1}'
    assert chain_hash(GENESIS, "x") != chain_hash(GENESIS, "y")


def test_audit_canonical_json_is_the_standard_librarys_for_the_values_records_hold(monkeypatch) -> None:
    @dataclasses.dataclass
    class Span:
        start: int

    stdlib = functools.partial(json.dumps, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    fast = {"action": Action.BLOCK, "label": Label.INCITEMENT, "at": NOW, "span": Span(3), "pair": (1, "a"),
            "text": "مرحبا «quote» \u200b é", "none": None, "flag": True, "n": -12, "score": 0.0001, "zero": 0.0,
            "nested": [{"z": 1, "a": [{"y": 2.5, "b": None}]}], "big": 2**63 - 1, "ids": {3, 1}}
    # what orjson refuses goes to the standard library: lone surrogates, huge integers, non-str keys
    refused: list[dict[Any, Any]] = [{"surrogate": "\ud800 lone", "a": 1}, {"huge": 2**70}, {1: "a", 2: "b"},
                                     {Label.INCITEMENT: 0.97, "a": 1}]
    expected = [stdlib(r) for r in [fast, *refused]]
    assert [canonical(r) for r in [fast, *refused]] == expected

    def unused(*_: object, **__: object) -> str:
        raise AssertionError("the standard library encoded a record orjson takes")

    monkeypatch.setattr(audit_module.json, "dumps", unused)
    assert canonical(fast) == expected[0]  # and orjson wrote it


def test_a_sends_decision_and_audit_record_are_encoded_by_orjson(store: SqlStore, monkeypatch) -> None:
    """Label scores are keyed by plain strings: orjson refuses `Label` keys, and a decision keyed by
    them went to the standard library's encoder for every JSON column and audit record."""

    def unused(*_: object, **__: object) -> str:
        raise AssertionError("the standard library encoded a send's decision")

    svc = service(store)
    try:
        monkeypatch.setattr(json, "dumps", unused)  # the one module every encoder falls back to
        blocked, allowed = send(svc, "a1", CALL), send(svc, "a2", BENIGN)
    finally:
        svc.close()
    assert blocked.action == Action.BLOCK and allowed.action == Action.ALLOW
    monkeypatch.undo()
    report = verify(store)
    assert report.ok and report.records >= 2
    with store.begin() as conn:
        records = [json.loads(t) for t in conn.execute(select(audit_log.c.record)).scalars()]
    scores = [r["data"]["scores"] for r in records if r["kind"] == "decision"]
    assert any(s.get(Label.INCITEMENT.value, 0) > 0.5 for s in scores)


def test_audit_intact_chain_verifies(store: SqlStore) -> None:
    assert verify(store).ok and verify(store).records == 0
    fill(store)
    report = verify(store)
    assert report.ok and report.records == 6 and report.head_seq == 6


def test_audit_detects_edited_record(store: SqlStore) -> None:
    fill(store)
    with store.begin() as conn:
        text = conn.execute(select(audit_log.c.record).where(audit_log.c.seq == 3)).scalar_one()
        edited = json.loads(text)
        edited["data"]["text"] = "something else"
        conn.execute(update(audit_log).where(audit_log.c.seq == 3).values(record=canonical(edited)))
    report = verify(store)
    assert not report.ok
    assert [(p.seq, p.kind) for p in report.problems] == [(3, "edited")]


def test_audit_detects_edited_record_with_recomputed_hash(store: SqlStore) -> None:
    fill(store)
    with store.begin() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.seq == 2)).one()
        body = json.loads(row.record)
        body["data"]["n"] = 99
        text = canonical(body)
        conn.execute(update(audit_log).where(audit_log.c.seq == 2).values(record=text, hash=chain_hash(row.prev_hash, text)))
    problems = [(p.seq, p.kind) for p in verify(store).problems]
    assert (3, "reordered") in problems  # record 3 was chained to the original record 2


def test_audit_detects_removed_record(store: SqlStore) -> None:
    fill(store)
    with store.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq == 4))
    problems = [(p.seq, p.kind) for p in verify(store).problems]
    assert problems[0] == (4, "removed")


def test_audit_detects_reordered_records(store: SqlStore) -> None:
    fill(store)
    with store.begin() as conn:
        rows = {r.seq: r for r in conn.execute(select(audit_log).where(audit_log.c.seq.in_([2, 5])))}
        for a, b in ((2, 5), (5, 2)):
            src = rows[b]
            conn.execute(update(audit_log).where(audit_log.c.seq == a).values(
                record=src.record, prev_hash=src.prev_hash, hash=src.hash, kind=src.kind, ref=src.ref))
    problems = [(p.seq, p.kind) for p in verify(store).problems]
    assert (2, "reordered") in problems and (5, "reordered") in problems


def test_audit_detects_truncated_tail(store: SqlStore) -> None:
    fill(store)
    with store.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq >= 5))
    problems = [(p.seq, p.kind) for p in verify(store).problems]
    assert problems == [(6, "removed")]


def test_audit_appends_in_one_transaction_chain(store: SqlStore) -> None:
    with store.begin_write() as conn, AuditChain(conn) as chain:
        first = chain.append("a", 1, {}, NOW)
        second = chain.append("b", 2, {}, NOW)
    assert (first, second) == (1, 2)
    with store.begin() as conn:
        assert conn.execute(select(audit_head.c.seq)).scalar_one() == 2
    assert verify(store).ok


def test_audit_rolled_back_transaction_leaves_no_trace(store: SqlStore) -> None:
    fill(store, 2)
    try:
        with store.begin_write() as conn, AuditChain(conn) as chain:
            chain.append("a", 1, {}, NOW)
            chain.flush()
            raise RuntimeError("stage failed after the append")
    except RuntimeError:
        pass
    report = verify(store)
    assert report.ok and report.records == 2


def test_audit_concurrent_appends_never_fork(store: SqlStore) -> None:
    # Several threads, each with its own engine (as separate API worker processes would have).
    errors: list[BaseException] = []

    def worker(w: int) -> None:
        s = SqlStore(store.settings, migrate=False)
        try:
            for i in range(15):
                append_one(s, "concurrent", f"{w}-{i}", {"w": w, "i": i}, NOW)
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify(store)
    assert report.ok, report.as_dict()
    assert report.records == 60


def test_audit_every_moderation_decision_is_chained(store: SqlStore) -> None:
    svc = service(store)
    send(svc, "u1", BENIGN)
    blocked = send(svc, "u2", CALL)
    with store.begin() as conn:
        kinds = [r.kind for r in conn.execute(select(audit_log.c.kind).order_by(audit_log.c.seq))]
        record = json.loads(conn.execute(select(audit_log.c.record).where(audit_log.c.kind == "decision",
                                                                           audit_log.c.ref == str(blocked.decision_id))).scalar_one())
    assert kinds == ["decision", "decision", "strike"]
    data = record["data"]
    assert data["action"] == "block" and data["policy"] == "default.v1"
    assert data["versions"]["classify"] == "test_phrase.v1" and "policy" in data["versions"]
    assert data["evidence"][0]["text"] == "lone wolves" and data["scores"]["incitement"] == 0.95
    assert verify(store).ok


def test_audit_detects_edited_decision_row(store: SqlStore) -> None:
    from vigil.store.schema import decisions

    svc = service(store)
    blocked = send(svc, "u2", CALL)
    assert verify(store).ok
    with store.begin() as conn:
        conn.execute(update(decisions).where(decisions.c.id == blocked.decision_id).values(action="allow"))
    problems = [(p.kind, p.detail) for p in verify(store).problems]
    assert problems == [("edited", f"decision {blocked.decision_id}: action in the decisions table differs from its audit record")]
