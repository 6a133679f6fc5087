"""Send-time assessments of concurrent requests are computed together, with the same decisions as one
at a time, and a failing item or a failing batch reaches only the requests it concerns."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from tests.helpers.moderation import BENIGN, CALL, NEWS, UNSURE, Clock, service

from vigil.core.records import RawItem
from vigil.moderation.service import ModerationRequest
from vigil.store.sql import SqlStore

TEXTS = [(CALL, "private_chat"), (BENIGN, "private_chat"), (NEWS, "public_channel"), (UNSURE, "public_channel"),
         (BENIGN, "public_channel"), (CALL + " now", "public_channel")]

EXPECTED = ["block", "allow", "label", "review", "allow", "block"]


def _requests(prefix: str) -> list[ModerationRequest]:
    return [ModerationRequest(account_id=f"{prefix}{i}", chat_id="c", surface=s, text=t) for i, (t, s) in enumerate(TEXTS)]


async def _all_at_once(svc, reqs: Sequence[ModerationRequest]):
    return await asyncio.gather(*(svc.moderate_async(r) for r in reqs))


def test_batcher_concurrent_sends_are_assessed_together_and_decided_as_alone(store: SqlStore) -> None:
    svc = service(store, Clock())
    calls: list[tuple[int, str]] = []
    assess = svc.assessor.assess

    def counting(raws: Sequence[RawItem], surface: str = "default"):
        calls.append((len(raws), surface))
        return assess(raws, surface=surface)

    svc.assessor.assess = counting  # type: ignore[method-assign]
    together = asyncio.run(_all_at_once(svc, _requests("t")))
    assert sorted(calls) == [(2, "private_chat"), (4, "public_channel")]  # one call per surface
    calls.clear()

    async def one_by_one():
        return [await svc.moderate_async(r) for r in _requests("s")]

    alone = asyncio.run(one_by_one())
    assert len(calls) == len(TEXTS)  # a lone request is a batch of one, answered at once
    assert [(r.action, r.reasons) for r in together] == [(r.action, r.reasons) for r in alone]
    assert [r.action.value for r in together] == EXPECTED
    assert len({r.decision_id for r in together}) == len(TEXTS)


def test_batcher_an_assessor_crash_fails_only_its_batch(store: SqlStore) -> None:
    svc = service(store, Clock())

    def broken(raws: Sequence[RawItem], surface: str = "default"):
        raise RuntimeError("model file truncated")

    assess = svc.assessor.assess
    svc.assessor.assess = broken  # type: ignore[method-assign]

    async def run():
        return await asyncio.gather(*(svc.moderate_async(r) for r in _requests("x")), return_exceptions=True)

    out = asyncio.run(run())
    assert all(isinstance(o, RuntimeError) and "model file truncated" in str(o) for o in out)
    svc.assessor.assess = assess  # type: ignore[method-assign]
    again = asyncio.run(_all_at_once(svc, _requests("y")))
    assert [r.action.value for r in again] == EXPECTED
