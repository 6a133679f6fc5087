"""CPU per send of `ModerationService.moderate_async`, in process, by phase: where a send's time goes
without HTTP, with the bench_api message mix (its flood of re-posted calls keeps a flood alert active).

    .venv/bin/python bench/bench_send_phases.py [--batch 1] [--sends 1000] [--repeats 5]

``--batch N`` sends N requests at once, so the assessment batcher and the group commit see batches of
N (a lone send at a time is the worst case). Prints the minimum over the repeats of each phase's
µs per send (phases nest: ``write_batch`` includes ``write_decision``; ``_decide`` includes ``holding``).
The figures are the CPU of one process on an otherwise idle machine: under load, with the other vCPU
(a hyperthread sibling here) busy, the same work takes ~40% longer.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_api import message  # noqa: E402

import vigil.moderation.enforcement as enforcement  # noqa: E402
import vigil.moderation.flood as flood  # noqa: E402
import vigil.moderation.service as service  # noqa: E402
import vigil.moderation.writer as writer  # noqa: E402
from vigil.core.settings import Settings  # noqa: E402
from vigil.store.sql import SqlStore  # noqa: E402

spent: collections.Counter[str] = collections.Counter()


def timed(owner: Any, name: str) -> None:
    real = getattr(owner, name)

    @functools.wraps(real)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started

    setattr(owner, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=1, help="sends submitted together")
    ap.add_argument("--sends", type=int, default=1000, help="sends per measured run")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=3000, help="sends before measuring (raises the flood alert)")
    args = ap.parse_args()

    for owner, name in ((writer, "write_batch"), (enforcement, "read_account"), (service, "write_decision"),
                        (flood.FloodGuard, "holding"), (service.ModerationService, "_admit"),
                        (service.ModerationService, "_decide"), (service.Assessor, "assess")):
        timed(owner, name)
    store = SqlStore(Settings(database_url=f"sqlite:///{tempfile.mkdtemp(prefix='vigil-phases-')}/b.db"))
    svc = service.ModerationService(store.settings, store)  # after timed(): the writer binds write_batch
    rng = random.Random(1)
    total = args.warmup + args.sends * args.repeats
    requests = [service.ModerationRequest(**json.loads(message(rng))) for _ in range(total)]

    async def run(part: list[service.ModerationRequest]) -> None:
        for i in range(0, len(part), args.batch):
            await asyncio.gather(*(svc.moderate_async(r) for r in part[i:i + args.batch]))

    asyncio.run(run(requests[:args.warmup]))
    best: dict[str, float] = {}
    for rep in range(args.repeats):
        spent.clear()
        cpu = time.process_time()
        lo = args.warmup + rep * args.sends
        asyncio.run(run(requests[lo:lo + args.sends]))
        spent["TOTAL (process CPU)"] = time.process_time() - cpu
        for k, v in spent.items():
            best[k] = min(best.get(k, float("inf")), v)
    svc.close()
    store.close()
    print(f"µs per send, batches of {args.batch}, min of {args.repeats} runs of {args.sends:,}")
    for k, v in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"  {k:22s} {v * 1e6 / args.sends:7.0f}")


if __name__ == "__main__":
    main()
