"""The pipeline end to end over a list connector: raw items first, per-item quarantine, idempotent
re-scans, resume of pending items and of an interrupted connector."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from tests.helpers.connectors import ListConnector, raw
from vigil.assess import Assessor
from vigil.classify.base import Classifier
from vigil.core.labels import Label
from vigil.core.records import Item, LabelScore
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.pipeline import Pipeline, ScanReport
from vigil.plugins import build_registry
from vigil.store.sql import SqlStore


class KeywordClassifier(Classifier):
    """Scores 'attack' as incitement; raises on 'EXPLODE' to exercise quarantine."""

    name = "test_keyword"

    def classify(self, items: Sequence[Item]) -> list[tuple[LabelScore, ...]]:
        out = []
        for item in items:
            if "EXPLODE" in item.text:
                raise ValueError("cannot score this item")
            score = 0.95 if "attack" in item.folded.lower() else 0.05
            out.append((LabelScore(Label.INCITEMENT, score, self.id),))
        return out


@pytest.fixture
def pipeline(store_settings: Settings) -> Iterator[Pipeline]:
    registry = build_registry()
    registry.add(Manifest(classifiers=(KeywordClassifier,)), "test")
    store = SqlStore(store_settings.replace(batch_size=3))
    assessor = Assessor(store.settings, registry=registry)
    assessor.classifiers = [KeywordClassifier(store.settings)]
    yield Pipeline(store.settings, store, assessor)
    store.close()


def records() -> list:
    return [raw("1", "go attack them"), raw("2", "hello"), "BAD{", raw("3", "EXPLODE here"), raw("4", "attack now")]


def test_pipeline_scan_counts_and_quarantines(pipeline: Pipeline) -> None:
    report = pipeline.scan(ListConnector(pipeline.settings, records()), "t")
    d = report.as_dict()
    assert (d["items"], d["new"], d["duplicates"], d["quarantined"]) == (5, 4, 0, 2)
    assert d["by_action"] == {"allow": 1, "block": 2}
    assert d["by_label"] == {"incitement": 2}
    q = pipeline.store.list_quarantine()
    assert {(e["stage"], e["code"]) for e in q} == {("ingest", "invalid_record"), ("classify", "ValueError")}
    assert any(e["locator"] == "t:3" for e in q)
    # the failing item is stored (raw first) and marked quarantined, the others done
    assert pipeline.store.stats()["by_status"] == {"done": 3, "quarantined": 1}


def test_pipeline_rescan_adds_no_duplicates(pipeline: Pipeline) -> None:
    pipeline.scan(ListConnector(pipeline.settings, records()), "t")
    again = pipeline.scan(ListConnector(pipeline.settings, records()), "t").as_dict()
    assert (again["new"], again["duplicates"]) == (0, 4)
    assert pipeline.store.stats()["items"] == 4


def test_pipeline_assesses_pending_items_left_by_a_killed_run(pipeline: Pipeline) -> None:
    # a run that stored raw items and died before assessing them
    pipeline.store.insert_raw([raw("p1", "attack"), raw("p2", "calm")])
    report = pipeline.scan(ListConnector(pipeline.settings, [raw("n1", "new")]), "t2")
    assert report.resumed == 2
    assert pipeline.store.stats()["by_status"] == {"done": 3}


def test_pipeline_resumes_connector_at_checkpoint(pipeline: Pipeline) -> None:
    connector = ListConnector(pipeline.settings, [raw(str(i), f"m {i}") for i in range(7)])
    run = pipeline.store.begin_run(connector.id, "t3", connector.fingerprint("t3"))
    pipeline.store.update_run(run.id, "2", {})  # the earlier run committed records 0..2
    report = pipeline.scan(connector, "t3")
    assert report.items == 4  # only records 3..6 were read again
    assert report.new == 4


def test_pipeline_retry_resolves_quarantine_after_fix(pipeline: Pipeline) -> None:
    pipeline.scan(ListConnector(pipeline.settings, records()), "t")
    assert pipeline.store.stats()["quarantine_open"] == 2

    class Fixed(KeywordClassifier):
        name = "test_keyword_fixed"

        def classify(self, items: Sequence[Item]) -> list[tuple[LabelScore, ...]]:
            return [(LabelScore(Label.INCITEMENT, 0.0, self.id),) for _ in items]

    pipeline.assessor.classifiers = [Fixed(pipeline.settings)]
    report = pipeline.retry_quarantined(ScanReport())
    assert report.by_action == {"allow": 1}
    assert pipeline.store.stats()["quarantine_open"] == 1  # the ingest reject needs a fixed file


PLUGIN = '''
from vigil.classify.base import Classifier
from vigil.core.labels import Label
from vigil.core.records import LabelScore
from vigil.core.registry import Manifest


class WordClassifier(Classifier):
    name = "test_word"

    def classify(self, items):
        out = []
        for item in items:
            if "EXPLODE" in item.text:
                raise ValueError("cannot score this item")
            out.append((LabelScore(Label.INCITEMENT, 0.95 if "attack" in item.folded.lower() else 0.05, self.id),))
        return out


MANIFEST = Manifest(classifiers=(WordClassifier,))
'''


def test_pipeline_parallel_workers_match_serial(tmp_path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "word.py").write_text(PLUGIN)
    recs = [raw(str(i), "attack" if i % 3 == 0 else ("EXPLODE" if i % 17 == 0 else "calm")) for i in range(200)]
    recs.insert(50, "BAD{")
    results = {}
    for workers in (1, 2):
        settings = Settings(database_url=f"sqlite:///{tmp_path / f'w{workers}.db'}", batch_size=16,
                            workers=workers, plugins_dir=str(plugins))
        store = SqlStore(settings)
        pipeline = Pipeline(settings, store)
        results[workers] = pipeline.scan(ListConnector(settings, recs), "t").as_dict()
        results[workers].pop("elapsed_s")
        assert store.stats()["by_status"] == {"done": 192, "quarantined": 8}
        store.close()
    assert results[1] == results[2]
    assert results[2]["by_action"] == {"allow": 125, "block": 67}


def test_pipeline_parallel_scan_hands_every_item_to_a_term_watch_rule(tmp_path) -> None:
    """In a parallel scan, workers return only the assessments hooks need; a term rule needs items
    that carry no label, and must still fire on them."""
    from vigil.intel.watch import make_rule
    from vigil.store import alerts_sql

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", batch_size=8, workers=2,
                        classifiers="lexicon", context=False, extract="never", stories="never")
    store = SqlStore(settings)
    alerts_sql.add_rule(store, make_rule("festival", "term", "festival"))
    recs = [raw(str(i), "see you at the festival tonight" if i % 10 == 0 else "calm day") for i in range(40)]
    Pipeline(settings, store).scan(ListConnector(settings, recs), "t")
    with store.begin() as conn:
        fired = conn.exec_driver_sql("SELECT count(*) FROM alerts").scalar()
    store.close()
    assert fired == 4


def test_pipeline_scan_runs_with_bulk_gc_and_restores_it(pipeline: Pipeline) -> None:
    import gc

    from vigil.core.gctune import BULK_THRESHOLDS

    seen: list[tuple[int, int, int]] = []

    class Recording(ListConnector):
        def fetch(self, target: str, checkpoint: str | None = None) -> Iterator:
            seen.append(gc.get_threshold())
            yield from super().fetch(target, checkpoint)

    before = gc.get_threshold()
    pipeline.scan(Recording(pipeline.settings, records()), "t")
    assert seen == [BULK_THRESHOLDS]
    assert gc.get_threshold() == before


@pytest.mark.parametrize("workers", [1, 2])
def test_pipeline_scan_checkpoints_sqlite_log_in_a_thread_started_after_the_fork(
        tmp_path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """A scan copies SQLite's log back from a thread (`SqlStore.scan_checkpoints`) while it reads its
    input; with worker processes, the thread starts only once they are forked."""
    import threading

    from vigil import parallel

    def checkpointing() -> bool:
        return any(t.name == "vigil-wal-checkpoint" for t in threading.enumerate())

    at_fork: list[bool] = []
    real_init = parallel.ParallelAssessor.__init__

    def init(self: parallel.ParallelAssessor, *args: object, **kw: object) -> None:
        at_fork.append(checkpointing())
        real_init(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel.ParallelAssessor, "__init__", init)
    while_reading: list[bool] = []

    class Recording(ListConnector):
        def fetch(self, target: str, checkpoint: str | None = None) -> Iterator:
            while_reading.append(checkpointing())
            yield from super().fetch(target, checkpoint)

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", batch_size=8, workers=workers,
                        classifiers="lexicon", context=False, extract="never", stories="never")
    store = SqlStore(settings)
    try:
        report = Pipeline(settings, store).scan(Recording(settings, [raw(str(i), "calm day") for i in range(40)]), "t")
    finally:
        store.close()
    assert report.new == 40
    assert while_reading == [True]
    assert at_fork == ([False] if workers == 2 else [])
    assert not checkpointing()
