"""`SqlStore`: the one store implementation, on SQLite (default) and PostgreSQL through SQLAlchemy
Core. Dialect differences are confined to this module: connection set-up, upserts and full-text search.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # not on Windows: SQLite's busy handler alone serializes writers there
    fcntl = None  # type: ignore[assignment]

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.sql import Select

from vigil.core.errors import StoreUnavailable
from vigil.core.fastcopy import slot_replacer
from vigil.core.records import Assessment, RawItem
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.store import codec, facts
from vigil.store.base import ItemFilter, QuarantineEntry, RunState, SaveHook, Store
from vigil.store.bulk import BulkWriter
from vigil.store.results import EncodedResults, encode_results
from vigil.store.schema import (
    DONE,
    PENDING,
    QUARANTINED,
    assessments,
    ingest_runs,
    item_labels,
    items,
    quarantine,
    raw_items,
)
from vigil.store.schema_intel import entity_mentions
from vigil.store.walcheckpoint import BACKSTOP_WAL_PAGES, WalCheckpointer

MIGRATIONS = Path(__file__).parent / "migrations"
_SNIPPET_OPEN, _SNIPPET_CLOSE = "\x02", "\x03"


def engine_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, safe against corruption
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def sqlite_file(url: str) -> str | None:
    """The path of the SQLite database file ``url`` names; None for another database, one in memory
    or a ``file:`` URI (no plain path to put a lock file or a checkpoint connection beside)."""
    parsed = make_url(url)
    path = parsed.database if parsed.get_backend_name() == "sqlite" else None
    return path if path and path != ":memory:" and not path.startswith("file:") else None


class WriteLockBusy(Exception):
    """Another writer holds the SQLite write lock (`SqlStore.begin_write` with ``wait=False``).
    Control flow, not a failure: nothing was begun, and the caller tries again later."""


class _WriterFileLock:
    """Serializes the write transactions of Vigil processes that share one SQLite file (the API's
    worker processes) on an ``flock`` of ``DB.writelock``, before ``BEGIN IMMEDIATE``.

    Why: a second process that finds the database locked waits in SQLite's busy handler, which
    sleeps 1, 2, 5, 10, ... up to 100 ms between tries: with two API workers writing hundreds of
    decisions a second, those sleeps were the tail latency. A process blocked on ``flock`` wakes the
    moment the lock is released. Other writers (a scan, ``sqlite3``) still meet ``busy_timeout``.
    The file is opened in each process on first use: a descriptor inherited across ``fork`` would
    share the lock with the parent instead of excluding it.
    """

    def __init__(self, url: str) -> None:
        path = sqlite_file(url)
        self.path = f"{path}.writelock" if path else None
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> None:
        self.acquire()

    def acquire(self, wait: bool = True) -> bool:
        """Take the lock; with ``wait=False``, only if no other process holds it (True if taken)."""
        if self.path is None or fcntl is None:
            return True
        if self._fd is None or self._pid != os.getpid():
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                self.path = None  # a read-only folder: fall back to SQLite's own busy handler
                return True
            self._pid = os.getpid()
        if wait:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            return True
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def __exit__(self, *_: object) -> None:
        self.release()

    def release(self) -> None:
        if self._fd is not None and self.path is not None and self._pid == os.getpid():
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None


class HeldConnection:
    """One SQLite connection kept checked out for the thread that first asks for it: the API's event
    loop, which reads an account and writes a decision for every send. Going through the pool for
    each of those (checkout, the ``Connection`` wrapper, reset and check-in) cost ~60 µs of the
    ~1.1 ms of CPU a send takes in process (``bench/bench_send_phases.py``, paired runs: write
    ~370 → ~340 µs, admission ~68 → ~46 µs). Any other thread, a forked child or a closed holder
    gets None and uses the pool as before, so the connection is never used by two threads at once.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._owner: int | None = None
        self._pid = os.getpid()
        self._closed = False

    def get(self) -> Connection | None:
        """The held connection, or None when the caller must use the pool."""
        if self._closed or self._pid != os.getpid():
            return None
        me = threading.get_ident()
        if self._owner is None:
            self._owner = me
        elif self._owner != me:
            return None
        conn = self._conn
        if conn is None or conn.closed or conn.invalidated:
            conn = self._conn = self._engine.connect()
        return conn

    def close(self) -> None:
        """Give the connection back to the pool; later calls of `get` return None."""
        self._closed = True
        conn, self._conn = self._conn, None
        if conn is not None and self._pid == os.getpid():
            conn.close()


@dataclass(frozen=True, slots=True)
class PendingSave:
    """A batch's results with its hooks prepared (`SqlStore.prepare_save`)."""

    store: SqlStore
    batch: Sequence[Assessment]
    encoded: EncodedResults
    hooks: tuple[SaveHook, ...]
    prepared: list[Any]
    fresh: bool

    def write(self, conn: Connection) -> None:
        self.store.write_encoded(conn, self.encoded, self.batch, fresh=self.fresh)
        for hook, state in zip(self.hooks, self.prepared, strict=True):
            hook.apply(conn, self.batch, state)

    def committed(self) -> None:
        for hook in self.hooks:
            hook.committed()


DEFAULT_WAL_PAGES = 1000  # SQLite's own default: a checkpoint after ~4 MB of log
BULK_WAL_PAGES = 16384  # during a scan: ~64 MB of log between checkpoints
BULK_CHECKPOINT_S = 1.0  # during a scan: a background checkpoint round every second


class SqlStore(Store):
    name = "sql"
    schemes = ("sqlite", "postgresql", "postgres", "postgresql+psycopg")

    def __init__(self, settings: Settings, *, migrate: bool = True) -> None:
        super().__init__(settings)
        self.url = engine_url(settings.database_url)
        self.engine = self._make_engine(self.url)
        self.dialect = self.engine.dialect.name
        self.bulk = BulkWriter.for_dialect(self.dialect)  # statements rendered once per process
        self._write_lock = threading.Lock()
        self._file_lock = _WriterFileLock(self.url)
        self._holders: weakref.WeakSet[HeldConnection] = weakref.WeakSet()
        self.wal_pages = DEFAULT_WAL_PAGES
        if self.dialect == "sqlite":
            event.listen(self.engine, "checkout", self._apply_wal_pages)
        if migrate:
            self.upgrade()

    # ---- connection and migrations ---------------------------------------------------------------

    def _apply_wal_pages(self, dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        self._sync_wal_pages(dbapi_conn, record.info)

    def _sync_wal_pages(self, dbapi_conn: Any, info: dict[Any, Any]) -> None:
        """Give the connection the current ``wal_autocheckpoint`` (``info``: its pool record's)."""
        if info.get("wal_pages") != self.wal_pages:
            dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={int(self.wal_pages)}")
            info["wal_pages"] = self.wal_pages

    def hold(self) -> HeldConnection | None:
        """A `HeldConnection` for one thread's sends (None on PostgreSQL, where a write waits on the
        network and runs on a writer thread); close it when that thread is done."""
        if self.dialect != "sqlite":
            return None
        held = HeldConnection(self.engine)
        self._holders.add(held)
        return held

    @contextmanager
    def reading(self, held: HeldConnection | None = None) -> Iterator[Connection]:
        """A connection for reads on the driver (no transaction is begun): ``held``'s when it gives
        one to this thread, else one from the pool."""
        conn = held.get() if held is not None else None
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """For a scan: on SQLite, checkpoint the write-ahead log every `BULK_WAL_PAGES` pages instead
        of SQLite's 1,000. A checkpoint copies each page once however often it changed since the
        last one, and a scan changes the same table and index pages batch after batch (measured:
        ~5-15% less CPU a message on a 20,000-message scan, ``bench/bench_scan.py``). The service
        keeps the small default: a checkpoint runs inside a commit, and a short one is a short stall.
        The scan also runs `scan_checkpoints` once its worker processes are forked."""
        if self.dialect != "sqlite":
            yield
            return
        previous, self.wal_pages = self.wal_pages, BULK_WAL_PAGES
        try:
            yield
        finally:
            self.wal_pages = previous
            # leave the log as a normal run would: copied back now, not by whoever writes next
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    @staticmethod
    def _make_engine(url: str) -> Engine:
        try:
            if url.startswith("sqlite"):
                path = url.split("///", 1)[-1]
                if path and path != ":memory:":
                    parent = Path(path).parent
                    if not parent.exists():
                        raise StoreUnavailable(
                            f"cannot create the database {path!r}: folder {str(parent)!r} does not exist",
                            hint="create the folder or pass another --db path",
                        )
                # A pool as large as the API's threads: a connection opened per request would run the
                # PRAGMAs below each time, and they contend with writers.
                engine = create_engine(url, pool_size=10, max_overflow=10)
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
        except SQLAlchemyError as exc:
            raise StoreUnavailable(f"cannot open database {url!r}: {exc}", hint="check --db / VIGIL_DATABASE_URL") from exc
        return engine

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreUnavailable(
                f"database {self._safe_url()} failed: {exc.orig}",
                hint="check that the database server is running and reachable, and the file writable",
            ) from exc

    @contextmanager
    def begin_write(self, held: HeldConnection | None = None, wait: bool = True) -> Iterator[Connection]:
        """A transaction that takes the write lock before its first read.

        SQLite: ``BEGIN IMMEDIATE`` (pysqlite would otherwise start the transaction only at the first
        write, after our reads, so two writers could read the same audit head), on ``held``'s
        connection when it gives one to this thread. PostgreSQL: a plain transaction; callers
        serialize on a row with ``SELECT ... FOR UPDATE``. ``wait=False`` (SQLite): raise
        `WriteLockBusy`, before anything is begun, when another writer holds the lock, so that an
        event loop can go on with other work instead of blocking (`vigil.moderation.writer.LoopWriter`).
        """
        if self.dialect != "sqlite":
            with self.begin() as conn:
                yield conn
            return
        # Writers of this process queue on a lock instead of in SQLite's busy handler, which sleeps in
        # steps of up to 100 ms: under concurrent API requests that sleep would be the tail latency.
        try:
            with self._locked(wait), self.reading(held) as conn:
                # BEGIN and COMMIT on the driver: every send-time decision is one of these transactions,
                # and exec_driver_sql costs ~50 µs of Python for a statement SQLite runs in ~2. A Core
                # statement inside makes SQLAlchemy begin its own (no-op on pysqlite) transaction,
                # which conn.commit() ends before the driver's commit; both commits are then no-ops.
                driver = conn.connection.driver_connection
                if held is not None:  # a held connection was checked out before the last change
                    self._sync_wal_pages(driver, conn.info)
                driver.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
                try:
                    yield conn
                except BaseException:
                    conn.rollback()
                    driver.rollback()  # type: ignore[union-attr]
                    raise
                conn.commit()
                driver.commit()  # type: ignore[union-attr]
        except (OperationalError, sqlite3.OperationalError) as exc:
            raise StoreUnavailable(
                f"database {self._safe_url()} failed: {getattr(exc, 'orig', exc)}",
                hint="check that the database file is writable and not locked by another program for long",
            ) from exc

    @contextmanager
    def _locked(self, wait: bool = True) -> Iterator[None]:
        """The write lock of SQLite writers: this process's threads, then the other Vigil processes.
        ``wait=False``: raise `WriteLockBusy` at once instead of waiting for another writer."""
        if wait:
            with self._write_lock, self._file_lock:
                yield
            return
        if not self._write_lock.acquire(blocking=False):
            raise WriteLockBusy("another thread of this process is writing")
        try:
            if not self._file_lock.acquire(wait=False):
                raise WriteLockBusy("another Vigil process is writing")
            try:
                yield
            finally:
                self._file_lock.release()
        finally:
            self._write_lock.release()

    @contextmanager
    def background_checkpoints(self, interval_s: float = 0.25,
                               backstop: int = BACKSTOP_WAL_PAGES) -> Iterator[WalCheckpointer | None]:
        """For a server: on a SQLite file, the write-ahead log is checkpointed by a background thread
        (`vigil.store.walcheckpoint`) instead of inside the commit of whichever request crosses
        ``wal_autocheckpoint``, which writers keep at ``backstop`` pages in case the thread falls behind;
        yields the checkpointer (None on PostgreSQL or in memory)."""
        path = sqlite_file(self.url)
        if path is None:
            yield None
            return
        previous, self.wal_pages = self.wal_pages, backstop
        checkpointer = WalCheckpointer(path, self._locked, interval_s).start()
        try:
            yield checkpointer
        finally:
            checkpointer.close()
            self.wal_pages = previous

    def scan_checkpoints(self) -> AbstractContextManager[WalCheckpointer | None]:
        """Inside `bulk_load`: a thread copies the log every `BULK_CHECKPOINT_S`, on the other core and
        with the GIL released, so the commit that crosses the bulk step finds little left to copy
        and sync: with ``--workers 2``, 100k scans alternating with checkpoints in commits gave +2-5%
        (14 pairs; none with a round every 3 s), and against stop 13's code +1.5-3% in 7 of 8 pairs. Start it after forking worker processes: a fork while the thread is inside
        SQLite would copy SQLite's locked mutexes into the children, which read banks with SQLite."""
        return self.background_checkpoints(BULK_CHECKPOINT_S, backstop=BULK_WAL_PAGES)

    def _safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def _alembic_config(self, conn: Connection) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    def upgrade(self, revision: str = "head") -> str:
        with self.begin() as conn:
            command.upgrade(self._alembic_config(conn), revision)
        return self.revision() or ""

    def revision(self) -> str | None:
        with self.begin() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        for held in list(self._holders):
            held.close()
        self.engine.dispose()
        self._file_lock.close()

    # ---- writes ----------------------------------------------------------------------------------

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert(table) if self.dialect == "postgresql" else sqlite.insert(table))

    def insert_raw(self, raws: Sequence[RawItem]) -> tuple[list[RawItem], int]:
        if not raws:
            return [], 0
        with self.begin() as conn:
            return self.write_raw(conn, raws)

    def write_raw(self, conn: Connection, raws: Sequence[RawItem]) -> tuple[list[RawItem], int]:
        """`insert_raw` inside the caller's transaction."""
        unique: dict[tuple[str, str], RawItem] = {}
        for raw in raws:
            unique.setdefault((raw.source, raw.source_id), raw)
        encode = self.bulk.encode_datetime
        rows = self.bulk.insert_values_returning_keys(
            conn, raw_items, codec.RAW_COLUMNS, [codec.raw_values(r, encode) for r in unique.values()],
            ("source", "source_id"),
        )
        ids = {(source, source_id): raw_id for raw_id, source, source_id in rows}
        stored = [replace_id(unique[key], ids[key]) for key in unique if key in ids]
        return stored, len(raws) - len(stored)

    def save_assessments(
        self, batch: Sequence[Assessment], label_threshold: float = 0.5, hooks: Sequence[SaveHook] = (),
        encoded: EncodedResults | None = None, fresh: bool = False,
    ) -> None:
        """Write a batch's stage results and mark its raw items done, in one transaction, with the
        save hooks (stories, alerts). ``encoded``: the rows, already prepared by `encode_results`
        (a scan worker does that beside the classifiers); then ``batch`` may hold only the items the
        hooks need (`SaveHook.needs_every_item`). ``fresh``: the raw items were inserted by this scan,
        so they have no earlier results and no quarantine entries to replace or resolve."""
        pending = self.prepare_save(batch, label_threshold, hooks, encoded, fresh)
        if pending is None:
            return
        with self.begin() as conn:
            pending.write(conn)
        pending.committed()

    def prepare_save(
        self, batch: Sequence[Assessment], label_threshold: float = 0.5, hooks: Sequence[SaveHook] = (),
        encoded: EncodedResults | None = None, fresh: bool = False,
    ) -> PendingSave | None:
        """`save_assessments` in three steps, for a caller that writes other things in the same
        transaction: the hooks' slow work now, `PendingSave.write` inside the transaction,
        `PendingSave.committed` after it. None when there is nothing to save."""
        if not batch and encoded is None:
            return None
        prepared = [hook.prepare(batch) for hook in hooks]  # slow work outside the write transaction
        encoded = encoded or encode_results(self.bulk, batch, label_threshold)
        return PendingSave(self, batch, encoded, tuple(hooks), prepared, fresh)

    def write_assessments(self, conn: Connection, batch: Sequence[Assessment], label_threshold: float = 0.5,
                          fresh: bool = False) -> None:
        """`save_assessments` inside the caller's transaction (the moderation service writes an item's
        results together with its decision and audit record). ``fresh``: the items were stored in
        this transaction, so there are no earlier results to replace and no quarantine to resolve."""
        if batch:
            self.write_encoded(conn, encode_results(self.bulk, batch, label_threshold), batch, fresh=fresh)

    def write_encoded(self, conn: Connection, enc: EncodedResults, batch: Sequence[Assessment],
                      fresh: bool = False) -> None:
        if not fresh:
            self._clear_results(conn, enc.ids)
        self.bulk.insert_encoded(conn, items, *enc.items)
        self.bulk.insert_encoded(conn, assessments, *enc.assessments)
        if enc.labels:
            self.bulk.insert_encoded(conn, item_labels, *enc.labels)
        facts.write_facts(conn, batch)
        if enc.fts:
            conn.exec_driver_sql("INSERT INTO items_fts(rowid, title, normalized) VALUES (?, ?, ?)", enc.fts)
        # On the driver: a Core IN over a batch's ids spends ~1 ms expanding 1,000 parameters. SQLite:
        # one C loop of single-row updates; PostgreSQL: one statement over an array (an executemany
        # plans each row's statement: 12 ms against 5 ms for 1,000 ids, measured on scripts/pg-start's server).
        if self.dialect == "postgresql":
            self.bulk.execute(conn, "UPDATE raw_items SET status = ? WHERE id = ANY(?)", (DONE, list(enc.ids)))
        elif enc.ids and max(enc.ids) - min(enc.ids) + 1 == len(set(enc.ids)) == len(enc.ids):
            # a scan's batch is a run of consecutive ids: one range update (2-3 µs a row against 3-5
            # for a statement a row, median of paired 1,000-row batches on a 100k-message database)
            self.bulk.execute(conn, "UPDATE raw_items SET status = ? WHERE id BETWEEN ? AND ?",
                              (DONE, min(enc.ids), max(enc.ids)))
        else:
            self.bulk.execute_many(conn, "UPDATE raw_items SET status = ? WHERE id = ?", [(DONE, i) for i in enc.ids])
        if not fresh:  # a retried item's open quarantine entry is resolved by its results
            conn.execute(
                update(quarantine)
                .where(quarantine.c.raw_id.in_(enc.ids), quarantine.c.resolved_at.is_(None))
                .values(resolved_at=enc.now)
            )

    def _clear_results(self, conn: Connection, ids: Sequence[int | None]) -> None:
        """Re-assessing an item replaces its earlier results (quarantine retry, policy re-runs)."""
        old = conn.execute(select(items.c.raw_id, items.c.title, items.c.normalized).where(items.c.raw_id.in_(ids))).all()
        if not old:
            return
        old_ids = [row.raw_id for row in old]
        if self.dialect == "sqlite":
            conn.execute(
                text("INSERT INTO items_fts(items_fts, rowid, title, normalized) VALUES ('delete', :raw_id, :title, :normalized)"),
                [row._asdict() for row in old],
            )
        for table in (item_labels, assessments, items):
            conn.execute(delete(table).where(table.c.raw_id.in_(old_ids)))
        facts.clear_facts(conn, old_ids)

    def quarantine(self, entries: Sequence[QuarantineEntry]) -> None:
        if entries:
            with self.begin() as conn:
                self.write_quarantine(conn, entries)

    def write_quarantine(self, conn: Connection, entries: Sequence[QuarantineEntry]) -> None:
        """`quarantine` inside the caller's transaction."""
        now = datetime.now(UTC)
        for e in entries:
            if e.raw_id is not None:
                bumped = conn.execute(
                    update(quarantine)
                    .where(quarantine.c.raw_id == e.raw_id, quarantine.c.stage == e.stage, quarantine.c.resolved_at.is_(None))
                    .values(attempts=quarantine.c.attempts + 1, message=e.message, code=e.code, created_at=now)
                ).rowcount
                conn.execute(update(raw_items).where(raw_items.c.id == e.raw_id).values(status=QUARANTINED))
                if bumped:
                    continue
            conn.execute(
                quarantine.insert().values(
                    raw_id=e.raw_id,
                    source=e.source,
                    locator=e.locator,
                    stage=e.stage,
                    plugin=e.plugin,
                    code=e.code,
                    message=e.message,
                    payload=e.payload,
                    created_at=now,
                )
            )

    # ---- ingest runs (resume) --------------------------------------------------------------------

    def begin_run(self, connector: str, target: str, fingerprint: str) -> RunState:
        """Start a run, or resume the newest unfinished run of the same input (same fingerprint)."""
        with self.begin() as conn:
            row = conn.execute(
                select(ingest_runs.c.id, ingest_runs.c.checkpoint)
                .where(
                    ingest_runs.c.connector == connector,
                    ingest_runs.c.fingerprint == fingerprint,
                    ingest_runs.c.finished_at.is_(None),
                )
                .order_by(ingest_runs.c.id.desc())
                .limit(1)
            ).first()
            if row is not None:
                return RunState(id=row.id, checkpoint=row.checkpoint, resumed=True)
            run_id = codec.inserted_id(conn.execute(
                ingest_runs.insert().values(
                    connector=connector, target=target, fingerprint=fingerprint, started_at=datetime.now(UTC)
                )
            ))
        return RunState(id=int(run_id), checkpoint=None, resumed=False)

    def update_run(self, run_id: int, checkpoint: str | None, counts: Mapping[str, Any], finished: bool = False) -> None:
        with self.begin() as conn:
            self.write_run(conn, run_id, checkpoint, counts, finished)

    def write_run(self, conn: Connection, run_id: int, checkpoint: str | None, counts: Mapping[str, Any],
                  finished: bool = False) -> None:
        """`update_run` inside the caller's transaction."""
        values: dict[str, Any] = {"checkpoint": checkpoint, "counts": dict(counts)}
        if finished:
            values["finished_at"] = datetime.now(UTC)
        conn.execute(update(ingest_runs).where(ingest_runs.c.id == run_id).values(**values))

    # ---- reads -----------------------------------------------------------------------------------

    def pending_raw(self, limit: int, after_id: int = 0, status: str = PENDING) -> list[RawItem]:
        with self.begin() as conn:
            rows = conn.execute(
                select(raw_items)
                .where(raw_items.c.status == status, raw_items.c.id > after_id)
                .order_by(raw_items.c.id)
                .limit(limit)
            ).mappings().all()
        return [codec.raw_from_row(row) for row in rows]

    def get_raw(self, raw_id: int) -> RawItem | None:
        with self.begin() as conn:
            row = conn.execute(select(raw_items).where(raw_items.c.id == raw_id)).mappings().first()
        return codec.raw_from_row(row) if row else None

    def decisions_for(self, keys: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        """Stored decisions of items by (source, source_id): re-emitted for redelivered messages."""
        if not keys:
            return []
        stmt = (
            select(raw_items.c.id, raw_items.c.source, raw_items.c.source_id, raw_items.c.status,
                   assessments.c.action, assessments.c.scores, assessments.c.reasons, assessments.c.policy)
            .select_from(raw_items.outerjoin(assessments, assessments.c.raw_id == raw_items.c.id))
            .where(tuple_(raw_items.c.source, raw_items.c.source_id).in_(list(keys)))
        )
        with self.begin() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def get_item(self, raw_id: int) -> dict[str, Any] | None:
        cols = [c for c in raw_items.c if c.name != "payload"]
        stmt = (
            select(*cols, *[c for c in items.c if c.name not in ("raw_id", "title", "tsv")],
                   *[c for c in assessments.c if c.name != "raw_id"])
            .select_from(raw_items.outerjoin(items, items.c.raw_id == raw_items.c.id)
                         .outerjoin(assessments, assessments.c.raw_id == raw_items.c.id))
            .where(raw_items.c.id == raw_id)
        )
        with self.begin() as conn:
            row = conn.execute(stmt).mappings().first()
            if row is None:
                return None
            q = conn.execute(
                select(quarantine.c.stage, quarantine.c.plugin, quarantine.c.code, quarantine.c.message,
                       quarantine.c.attempts, quarantine.c.created_at, quarantine.c.resolved_at)
                .where(quarantine.c.raw_id == raw_id)
            ).mappings().all()
        out = _jsonable(dict(row))
        out["quarantine"] = [_jsonable(dict(r)) for r in q]
        return out

    def _summary_select(self) -> Select[Any]:
        return select(
            raw_items.c.id,
            raw_items.c.source,
            raw_items.c.source_id,
            raw_items.c.kind,
            raw_items.c.channel,
            raw_items.c.author,
            raw_items.c.published_at,
            raw_items.c.status,
            items.c.language,
            func.substr(items.c.normalized, 1, 200).label("excerpt"),
            assessments.c.action,
            assessments.c.top_label,
            assessments.c.top_score,
            assessments.c.reporting,
        ).select_from(
            raw_items.outerjoin(items, items.c.raw_id == raw_items.c.id).outerjoin(
                assessments, assessments.c.raw_id == raw_items.c.id
            )
        )

    def _filtered(self, stmt: Select[Any], flt: ItemFilter) -> Select[Any]:
        if flt.label:
            stmt = stmt.where(
                raw_items.c.id.in_(
                    select(item_labels.c.raw_id).where(item_labels.c.label == flt.label, item_labels.c.score >= flt.min_score)
                )
            )
        if flt.action:
            stmt = stmt.where(assessments.c.action == flt.action)
        if flt.source:
            stmt = stmt.where(raw_items.c.source == flt.source)
        if flt.channel:
            stmt = stmt.where(raw_items.c.channel == flt.channel)
        if flt.language:
            stmt = stmt.where(items.c.language == flt.language)
        if flt.entity:
            m = entity_mentions
            want = flt.entity.strip().casefold()
            stmt = stmt.where(raw_items.c.id.in_(select(m.c.raw_id).where(
                (func.lower(m.c.entity_key) == want) | (func.lower(m.c.canonical) == want) | (func.lower(m.c.text) == want))))
        when = func.coalesce(raw_items.c.published_at, raw_items.c.received_at)
        if flt.since:
            stmt = stmt.where(when >= flt.since)
        if flt.until:
            stmt = stmt.where(when < flt.until)
        return stmt

    def list_items(self, flt: ItemFilter) -> list[dict[str, Any]]:
        stmt = self._filtered(self._summary_select(), flt).order_by(raw_items.c.id).limit(flt.limit).offset(flt.offset)
        with self.begin() as conn:
            return [_jsonable(dict(r)) for r in conn.execute(stmt).mappings()]

    def search(self, query: str, flt: ItemFilter) -> list[dict[str, Any]]:
        stmt = self._summary_select()
        if self.dialect == "sqlite":
            match = fts5_query(query)
            if not match:
                return []
            hits = text(
                "SELECT rowid AS raw_id, bm25(items_fts) AS rank, "
                f"snippet(items_fts, 1, '{_SNIPPET_OPEN}', '{_SNIPPET_CLOSE}', '…', 16) AS snippet "
                "FROM items_fts WHERE items_fts MATCH :q"
            ).columns(raw_id=raw_items.c.id.type, rank=Float(), snippet=Text()).subquery("hits")
            stmt = stmt.add_columns(hits.c.snippet).join(hits, hits.c.raw_id == raw_items.c.id).order_by(hits.c.rank)
            params: dict[str, Any] = {"q": match}
        else:
            expr = tsquery(query)
            if not expr:
                return []
            tsq = func.to_tsquery("simple", expr)
            stmt = stmt.add_columns(
                func.ts_headline(
                    "simple", items.c.normalized, tsq,
                    f"StartSel={_SNIPPET_OPEN}, StopSel={_SNIPPET_CLOSE}, MaxWords=30, MinWords=10",
                ).label("snippet")
            ).where(text("items.tsv @@ to_tsquery('simple', :q)")).order_by(
                func.ts_rank(text("items.tsv"), tsq).desc()
            )
            params = {"q": expr}
        stmt = self._filtered(stmt, flt).limit(flt.limit).offset(flt.offset)
        with self.begin() as conn:
            rows = conn.execute(stmt, params).mappings().all()
        return [_with_highlights(_jsonable(dict(r))) for r in rows]

    def list_quarantine(self, include_resolved: bool = False, limit: int = 100) -> list[dict[str, Any]]:
        stmt = select(*[c for c in quarantine.c if c.name != "payload"]).order_by(quarantine.c.id).limit(limit)
        if not include_resolved:
            stmt = stmt.where(quarantine.c.resolved_at.is_(None))
        with self.begin() as conn:
            return [_jsonable(dict(r)) for r in conn.execute(stmt).mappings()]

    def stats(self) -> dict[str, Any]:
        with self.begin() as conn:
            total = conn.execute(select(func.count()).select_from(raw_items)).scalar_one()
            by_status: dict[str, int] = dict(conn.execute(select(raw_items.c.status, func.count()).group_by(raw_items.c.status)).all())
            by_action: dict[str, int] = dict(conn.execute(select(assessments.c.action, func.count()).group_by(assessments.c.action)).all())
            by_label: dict[str, int] = dict(conn.execute(select(item_labels.c.label, func.count()).group_by(item_labels.c.label)).all())
            open_q = conn.execute(
                select(func.count()).select_from(quarantine).where(quarantine.c.resolved_at.is_(None))
            ).scalar_one()
        return {
            "items": total,
            "by_status": by_status,
            "by_action": by_action,
            "by_label": by_label,
            "quarantine_open": open_q,
        }


_replace_raw = slot_replacer(RawItem)


def replace_id(raw: RawItem, raw_id: int) -> RawItem:
    return _replace_raw(raw, id=raw_id)


_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def parse_query(query: str) -> list[tuple[str, list[str], bool]]:
    """A user query as clauses (operator, words, negated): words and "quoted phrases", ``OR`` between
    clauses, a leading ``-`` to exclude. Only word characters survive, so no search syntax of either
    backend can be smuggled in; both backends then get the same meaning."""
    clauses: list[tuple[str, list[str], bool]] = []
    pending_or = False
    for phrase, word in _TOKEN.findall(query):
        if word == "OR":
            pending_or = bool(clauses)
            continue
        term = phrase if phrase else word
        negate = bool(word) and term.startswith("-")
        words = _WORD.findall(term)
        if not words or (negate and not clauses):
            continue
        clauses.append(("OR" if pending_or else "AND", words, negate))
        pending_or = False
    return clauses


def fts5_query(query: str) -> str:
    """SQLite FTS5 syntax for `parse_query`."""
    parts: list[str] = []
    for op, words, negate in parse_query(query):
        phrase = '"' + " ".join(words) + '"'
        if parts:
            parts.append("NOT" if negate else op)
        parts.append(phrase)
    return " ".join(parts)


def tsquery(query: str) -> str:
    """PostgreSQL ``to_tsquery`` syntax for `parse_query` (words quoted as lexemes)."""
    parts: list[str] = []
    for op, words, negate in parse_query(query):
        phrase = " <-> ".join("'" + w.lower() + "'" for w in words)
        if parts:
            parts.append("&" if op == "AND" or negate else "|")
        parts.append(("!" if negate else "") + "(" + phrase + ")")
    return " ".join(parts)


def _with_highlights(row: dict[str, Any]) -> dict[str, Any]:
    """Turn snippet markers into plain text plus highlight offsets (presenters escape and mark up)."""
    snippet = row.get("snippet") or ""
    plain: list[str] = []
    marks: list[list[int]] = []
    start: int | None = None
    for ch in snippet:
        if ch == _SNIPPET_OPEN:
            start = sum(len(p) for p in plain)
        elif ch == _SNIPPET_CLOSE and start is not None:
            marks.append([start, sum(len(p) for p in plain)])
            start = None
        else:
            plain.append(ch)
    row["snippet"] = "".join(plain)
    row["highlights"] = marks
    return row


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


MANIFEST = Manifest(stores=(SqlStore,))
