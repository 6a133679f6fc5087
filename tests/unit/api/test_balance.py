"""`vigil.api.balance`: workers publish how busy they are on a shared board, and a worker much busier
than its least busy sibling hands connections back (``Connection: close``), a few a second at most."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.helpers.moderation import BENIGN, Api

from vigil.api import balance
from vigil.api.balance import MAX_PER_S, STALE_S, LoadBoard
from vigil.store.sql import SqlStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def board(path: Path, pid: int, clock: Clock, cpu: list[float] | None = None) -> LoadBoard:
    used = cpu if cpu is not None else [0.0]
    return LoadBoard(path, pid=pid, clock=clock, cpu=lambda: used[0])


def test_the_busier_worker_sheds_and_the_idle_one_does_not(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "load"
    busy, idle = board(path, 101, clock), board(path, 102, clock)
    assert busy.slot != idle.slot
    idle.publish(0.2)
    busy.publish(0.7)
    idle.publish(0.2)  # reads the busy one's share
    assert busy.least == pytest.approx(0.2) and idle.least == pytest.approx(0.7)
    assert busy.should_shed() and not idle.should_shed()
    # close shares, or a busy worker whose sibling is as busy: nothing to gain
    busy.publish(0.3)
    assert not busy.should_shed()
    idle.publish(0.65)
    busy.publish(0.75)
    assert not busy.should_shed()


def test_shedding_is_rate_limited(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "load"
    busy, idle = board(path, 101, clock), board(path, 102, clock)
    idle.publish(0.1)
    busy.publish(0.9)
    shed = sum(busy.should_shed() for _ in range(100))
    assert shed == int(MAX_PER_S)  # the bucket starts full
    clock.now += 1.0
    assert sum(busy.should_shed() for _ in range(100)) == int(MAX_PER_S)


def test_a_gone_or_stale_sibling_does_not_count_and_its_slot_is_reused(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "load"
    busy, other = board(path, 101, clock), board(path, 102, clock)
    other.publish(0.1)
    busy.publish(0.9)
    assert busy.least == pytest.approx(0.1)
    clock.now += STALE_S + 1  # the sibling stopped publishing (gone, or stuck)
    busy.publish(0.9)
    assert busy.least is None and not busy.should_shed()
    slot = other.slot
    other.close()
    assert board(path, 103, clock).slot == slot  # a freed slot is taken by the next worker
    alone = board(tmp_path / "alone", 104, clock)
    alone.publish(0.95)
    assert not alone.should_shed()  # a single process never sheds


def test_sample_measures_the_share_of_one_core(tmp_path: Path, clock: Clock) -> None:
    cpu = [0.0]
    b = board(tmp_path / "load", 101, clock, cpu)
    for _ in range(12):  # 0.6 s of CPU per second of wall time
        clock.now += 0.25
        cpu[0] += 0.15
        b.sample()
    assert b.busy == pytest.approx(0.6, abs=0.01)


@pytest.fixture
def api(settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(balance.ENV, str(tmp_path / "board"))
    store = SqlStore(settings)
    a = Api(store, api_balance=True)
    yield a
    a.client.close()
    store.close()


def test_a_worker_with_a_board_hands_connections_back_only_while_much_busier(api: Api, tmp_path: Path) -> None:
    with api.client:  # runs the lifespan, which opens the board named by VIGIL_WORKER_BOARD
        b = api.app.state.board
        assert isinstance(b, LoadBoard)
        assert "connection" not in api.moderate("acct1", BENIGN).headers  # no sibling yet
        sibling = LoadBoard(tmp_path / "board", pid=999_999)
        sibling.publish(0.05)
        b.publish(0.9)
        first = api.moderate("acct1", BENIGN)
        assert first.status_code == 200 and first.headers["connection"] == "close"
        sibling.publish(0.85)
        b.publish(0.9)
        assert "connection" not in api.moderate("acct1", BENIGN).headers
        metrics = api.get("/metrics", role="admin").text
        assert "vigil_connections_shed_total 1.0" in metrics
    assert api.app.state.board is None  # closed with the lifespan


def test_balancing_is_off_unless_turned_on(settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(balance.ENV, str(tmp_path / "board"))
    assert settings.api_balance is False
    store = SqlStore(settings)
    a = Api(store)
    with a.client:
        assert a.app.state.board is None
        assert "connection" not in a.moderate("acct1", BENIGN).headers
    store.close()


def test_a_board_that_cannot_be_opened_leaves_the_worker_unbalanced(tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    assert balance.from_env({}) is None
    assert balance.from_env({balance.ENV: str(tmp_path / "gone" / "load")}) is None  # its folder was removed
    assert "not balanced" in caplog.text
    assert isinstance(balance.from_env({balance.ENV: str(tmp_path / "load")}), LoadBoard)
