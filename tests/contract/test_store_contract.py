"""The store contract, run on SQLite and on PostgreSQL: one schema, one migration history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from tests.helpers.connectors import raw
from vigil.core.labels import Label
from vigil.core.records import Action, Assessment, Context, Decision, Evidence, Item, LabelScore, Quote
from vigil.store.base import ItemFilter, QuarantineEntry
from vigil.store.schema import metadata
from vigil.store.sql import SqlStore, engine_url


def assessed(r, text=None, scores=None, action=Action.ALLOW, reporting=0.0, language="en"):
    item = Item(raw=r, text=r.text, normalized=text or r.text, folded=(text or r.text).lower(), language=language)
    labels = tuple(
        LabelScore(Label(k), v, "test.v1", evidence=(Evidence("term", "kill", 0, 4, 0.5),)) for k, v in (scores or {}).items()
    )
    ctx = Context(reporting=reporting, source_type="news", quotes=(Quote("rise up", 3, 10, "al-Test", "said"),)) if reporting else None
    return Assessment(item=item, labels=labels, context=ctx, decision=Decision(action, ("because",), "default.v1"))


def test_store_migrated_schema_matches_metadata(store: SqlStore) -> None:
    engine = create_engine(engine_url(store.settings.database_url))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    engine.dispose()
    # The FTS table (SQLite) and tsvector column (PostgreSQL) are deliberately outside the metadata.
    diff = [d for d in diff if "items_fts" not in str(d) and "tsv" not in str(d)]
    assert diff == []


def test_store_upgrade_is_repeatable(store: SqlStore) -> None:

    from vigil.store.sql import MIGRATIONS

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert store.upgrade() == head
    assert store.revision() == head


def test_store_insert_raw_is_idempotent(store: SqlStore) -> None:
    batch = [raw("1", "first"), raw("2", "second"), raw("2", "second again in the same batch")]
    stored, dups = store.insert_raw(batch)
    assert [r.source_id for r in stored] == ["1", "2"]
    assert all(r.id for r in stored)
    assert dups == 1
    stored2, dups2 = store.insert_raw([raw("1", "first"), raw("3", "third")])
    assert [r.source_id for r in stored2] == ["3"] and dups2 == 1
    assert store.stats()["items"] == 3
    # the same source_id under another source is another item
    stored3, _ = store.insert_raw([raw("1", "first", source="other")])
    assert len(stored3) == 1


def test_store_insert_raw_ids_name_the_stored_rows(store: SqlStore) -> None:
    """The ids handed back are the rows' own, for an all-new batch, after the newest row was deleted,
    and for a batch with conflicts (SQLite works them out without reading back where it can)."""
    from sqlalchemy import delete

    from vigil.store.schema import raw_items

    first, _ = store.insert_raw([raw(str(i), f"text {i}") for i in range(5)])
    with store.begin() as conn:
        conn.execute(delete(raw_items).where(raw_items.c.id == first[-1].id))
    batches = [
        [raw(str(i), f"text {i}") for i in range(10, 15)],
        [raw("3", "again"), raw("20", "new"), raw("4", "again"), raw("21", "new")],
        [raw("4", "new elsewhere", source="other"), raw("30", "new")],
    ]
    for batch in batches:
        stored, _ = store.insert_raw(batch)
        assert stored
        for r in stored:
            back = store.get_raw(r.id)
            assert (back.source, back.source_id, back.text) == (r.source, r.source_id, r.text)
    assert [r.source_id for r in store.insert_raw(batches[1])[0]] == []


def test_store_raw_roundtrip_keeps_original(store: SqlStore) -> None:
    r = raw("9", "texte original \u202e with bidi", channel="Chan", author="a", published_at=datetime(2024, 3, 22, 18, tzinfo=UTC),
            meta={"views": 3})
    [stored], _ = store.insert_raw([r])
    back = store.get_raw(stored.id)
    assert back.text == r.text and back.payload == r.payload
    assert back.published_at == datetime(2024, 3, 22, 18, tzinfo=UTC)
    assert back.meta == {"views": 3} and back.channel == "Chan"


def test_store_pending_until_assessed(store: SqlStore) -> None:
    stored, _ = store.insert_raw([raw(str(i), f"text {i}") for i in range(5)])
    assert [r.source_id for r in store.pending_raw(10)] == ["0", "1", "2", "3", "4"]
    store.save_assessments([assessed(r) for r in stored[:3]], 0.5)
    assert [r.source_id for r in store.pending_raw(10)] == ["3", "4"]
    assert store.stats()["by_status"] == {"done": 3, "pending": 2}


def test_store_marks_done_only_the_assessed_items(store: SqlStore) -> None:
    """A batch of consecutive ids (one range update on SQLite) and one with a gap (its middle item
    failed a stage and stays pending)."""
    stored, _ = store.insert_raw([raw(str(i), f"text {i}") for i in range(8)])
    store.save_assessments([assessed(r) for r in stored[:3]], 0.5, fresh=True)
    store.save_assessments([assessed(r) for r in (stored[3], stored[5], stored[6])], 0.5, fresh=True)
    assert [r.source_id for r in store.pending_raw(10)] == ["4", "7"]


def test_store_labels_actions_and_filters(store: SqlStore) -> None:
    stored, _ = store.insert_raw([raw("a", "lone wolves attack"), raw("b", "weather is fine"),
                                  raw("c", "reported call", channel="News")])
    store.save_assessments([
        assessed(stored[0], scores={"incitement": 0.95}, action=Action.BLOCK),
        assessed(stored[1], scores={"incitement": 0.1}, language="fr"),
        assessed(stored[2], scores={"incitement": 0.9}, action=Action.LABEL, reporting=0.9),
    ], 0.5)
    stats = store.stats()
    assert stats["by_action"] == {"block": 1, "allow": 1, "label": 1}
    assert stats["by_label"] == {"incitement": 2, "reporting": 1}
    assert [r["source_id"] for r in store.list_items(ItemFilter(label="incitement"))] == ["a", "c"]
    assert [r["source_id"] for r in store.list_items(ItemFilter(action="block"))] == ["a"]
    assert [r["source_id"] for r in store.list_items(ItemFilter(language="fr"))] == ["b"]
    assert [r["source_id"] for r in store.list_items(ItemFilter(channel="News"))] == ["c"]
    item = store.get_item(stored[2].id)
    assert item["action"] == "label" and item["scores"] == {"incitement": 0.9}
    assert item["context"]["quotes"][0]["speaker"] == "al-Test"
    assert item["labels"][0]["evidence"][0] == {"kind": "term", "text": "kill", "start": 0, "end": 4, "weight": 0.5}


def test_store_date_filters(store: SqlStore) -> None:
    stored, _ = store.insert_raw([
        raw("old", "x", published_at=datetime(2019, 3, 18, tzinfo=UTC)),
        raw("new", "y", published_at=datetime(2024, 3, 28, tzinfo=UTC)),
    ])
    store.save_assessments([assessed(r) for r in stored], 0.5)
    since = ItemFilter(since=datetime(2024, 1, 1, tzinfo=UTC))
    assert [r["source_id"] for r in store.list_items(since)] == ["new"]
    until = ItemFilter(until=datetime(2024, 1, 1, tzinfo=UTC))
    assert [r["source_id"] for r in store.list_items(until)] == ["old"]


def test_store_full_text_search(store: SqlStore) -> None:
    texts = {
        "1": "The spokesman urged lone wolves to strike in Europe",
        "2": "Weather report: sunny in Moscow",
        "3": "Сообщение о нападении в Москве",
        "4": "بيان صادر عن مؤسسة الفرقان",
    }
    stored, _ = store.insert_raw([raw(k, v) for k, v in texts.items()])
    store.save_assessments([assessed(r) for r in stored], 0.5)
    ids = lambda q: [r["source_id"] for r in store.search(q, ItemFilter())]  # noqa: E731
    assert ids("lone wolves") == ["1"]
    assert ids('"lone wolves"') == ["1"]
    assert ids("Moscow") == ["2"]
    assert ids("Москве") == ["3"]
    assert ids("الفرقان") == ["4"]
    assert sorted(ids("Europe OR Moscow")) == ["1", "2"]
    assert ids("spokesman -Europe") == []
    # FTS syntax in user input must not break the query
    assert ids('wolves" OR "x') == ["1"]
    assert ids("NEAR(( AND *") == []
    hit = store.search("wolves", ItemFilter())[0]
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == "wolves"


def test_store_reassessing_replaces_results(store: SqlStore) -> None:
    [r], _ = store.insert_raw([raw("x", "lone wolves")])
    store.save_assessments([assessed(r, scores={"incitement": 0.9}, action=Action.BLOCK)], 0.5)
    store.save_assessments([assessed(r, scores={"incitement": 0.2})], 0.5)
    assert store.stats()["by_action"] == {"allow": 1}
    assert store.stats()["by_label"] == {}
    assert [x["source_id"] for x in store.search("wolves", ItemFilter())] == ["x"]


def test_store_quarantine_records_reason_and_resolves(store: SqlStore) -> None:
    [r], _ = store.insert_raw([raw("q", "breaks a stage")])
    entry = QuarantineEntry(source="test", stage="classify", plugin="boom.v1", code="ValueError", message="bad", raw_id=r.id)
    store.quarantine([entry, QuarantineEntry(source="test", stage="ingest", plugin="jsonl", code="invalid_record",
                                             message="line 3: not JSON", locator="f.jsonl:3", payload=b"{oops")])
    store.quarantine([replace(entry, message="bad again")])
    rows = store.list_quarantine()
    assert [(q["stage"], q["attempts"]) for q in rows] == [("classify", 2), ("ingest", 1)]
    assert rows[0]["message"] == "bad again" and rows[1]["locator"] == "f.jsonl:3"
    assert [x.source_id for x in store.pending_raw(10, status="quarantined")] == ["q"]
    store.save_assessments([assessed(r)], 0.5)
    assert [q["stage"] for q in store.list_quarantine()] == ["ingest"]
    assert len(store.list_quarantine(include_resolved=True)) == 2


def test_store_runs_resume_unfinished(store: SqlStore) -> None:
    run = store.begin_run("list.v1", "t", "fp1")
    assert not run.resumed
    store.update_run(run.id, "41", {"items": 42})
    again = store.begin_run("list.v1", "t", "fp1")
    assert again.resumed and again.id == run.id and again.checkpoint == "41"
    store.update_run(run.id, "99", {"items": 100}, finished=True)
    assert not store.begin_run("list.v1", "t", "fp1").resumed


def test_store_driver_level_rows_read_back_like_core_rows(store: SqlStore) -> None:
    """The send-time path writes decisions and accounts on the DBAPI cursor (store/bulk.py): what it
    writes must read back through SQLAlchemy Core exactly as Core's own writes do, on both backends."""
    from sqlalchemy import select

    from vigil.store.bulk import BulkWriter
    from vigil.store.schema import accounts, decisions
    from vigil.store.types import utc_from_db

    sql = BulkWriter.for_dialect(store.dialect)
    now = datetime(2026, 3, 22, 20, 15, 0, 123456, tzinfo=UTC)
    row = {"created_at": now, "origin": "moderate", "account_id": "acct-1", "chat_id": None, "surface": "public_channel",
           "raw_id": None, "content_digest": "ab" * 32, "action": "block", "top_label": "incitement", "top_score": 0.97,
           "scores": {"incitement": 0.97, "reporting": 0.0}, "reasons": ["lexicon: call to attack", "ünïcode ✓"],
           "enforcement": None, "policy": "default.v3", "versions": {"policy": "default.v3"}, "crisis": None,
           "flood_id": None, "latency_ms": 1.25, "audit_seq": 1}
    with store.begin() as conn:
        first = sql.insert_one(conn, decisions, row)
        second = sql.insert_one(conn, decisions, {**row, "action": "allow", "audit_seq": 2})
        fetched = sql.fetch(conn, "SELECT created_at, action FROM decisions WHERE id = ?", (first,))
    assert isinstance(first, int) and isinstance(second, int) and second > first
    with store.begin() as conn:
        back = conn.execute(select(decisions).where(decisions.c.id == first)).mappings().one()
    assert back["created_at"] == now and back["created_at"].tzinfo is not None
    assert back["scores"] == row["scores"] and back["reasons"] == row["reasons"]
    assert back["versions"] == row["versions"] and back["action"] == "block" and back["chat_id"] is None
    assert utc_from_db(fetched[0][0]) == now and fetched[0][1] == "block"

    account = {"id": "acct-1", "status": "active", "first_seen": now, "created_at": None, "updated_at": now, "blocked": 0}
    with store.begin() as conn:
        assert sql.insert_one(conn, accounts, account, suffix=" ON CONFLICT (id) DO NOTHING") is None
        # a second first-send of the same account changes nothing and does not raise
        sql.insert_one(conn, accounts, {**account, "status": "banned", "blocked": 7}, suffix=" ON CONFLICT (id) DO NOTHING")
        assert sql.execute(conn, "UPDATE accounts SET blocked = blocked + 1 WHERE id = ?", ("acct-1",)) == 1
    with store.begin() as conn:
        acct = conn.execute(select(accounts).where(accounts.c.id == "acct-1")).mappings().one()
    assert acct["status"] == "active" and acct["blocked"] == 1 and acct["first_seen"] == now


def test_store_account_state_read_on_the_driver(store: SqlStore) -> None:
    from vigil.moderation import enforcement as enf

    now = datetime(2026, 3, 22, 20, 15, 0, 5, tzinfo=UTC)
    born = datetime(2026, 3, 1, tzinfo=UTC)
    with store.begin() as conn:
        assert enf.read_account(conn, "nobody") is None
        enf.ensure_account(conn, "acct-2", now, born)
        enf.ensure_account(conn, "acct-2", datetime(2027, 1, 1, tzinfo=UTC), None)  # exists: a no-op
    with store.begin() as conn:
        state = enf.read_account(conn, "acct-2")
    assert state == enf.AccountState("acct-2", enf.ACTIVE, None, now, born)
    assert state.is_new(now, 30) and not state.is_new(now, 7)
