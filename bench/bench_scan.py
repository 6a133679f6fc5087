"""Scan throughput and memory: a generated Telegram export through `vigil scan`, on SQLite and
PostgreSQL, as a user runs it (a real process; wall time includes start-up and model loading).

    .venv/bin/python bench/bench_scan.py [--messages 100000] [--postgres URL] [--workers 1 2]

Two configurations:
  * ``ingest+normalize+lexicon``: the issue-2 target (context stage and extraction off);
  * ``default``: every stage the default settings run (classifier, context, extraction in auto mode).
Peak memory is the scan's peak resident memory, its worker processes summed in (sampled every 0.1 s), measured at two
export sizes to show it stays flat as the file grows. "probe ms" is `proctree.speed_probe` just before the
run: fixed pure-Python work, slower when the shared host is (a run with a higher probe ran on a slower machine).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import proctree  # noqa: E402
from gen_telegram import write_export  # noqa: E402

CONFIGS = {
    "ingest+normalize+lexicon": {"VIGIL_CONTEXT": "false", "VIGIL_EXTRACT": "never", "VIGIL_CLASSIFIERS": "lexicon", "VIGIL_STORIES": "never"},
    "default": {},
}


def run_scan(export: Path, db_url: str, workers: int, env_extra: dict[str, str]) -> dict[str, float]:
    env = {**os.environ, **env_extra, "VIGIL_DATABASE_URL": db_url}
    probe = proctree.speed_probe()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vigil.cli.app", "scan", str(export), "--json", "--workers", str(workers)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:  # each run's own peak, workers summed (RUSAGE_CHILDREN would carry over runs)
        nonlocal peak
        while not stop.wait(0.1):
            peak = max(peak, proctree.rss_bytes(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"scan failed ({proc.returncode}): {err[-2000:]}")
    report = json.loads(out)
    return {"items": report["new"], "wall_s": wall, "scan_s": report["elapsed_s"],
            "msgs_per_s": report["new"] / report["elapsed_s"], "peak_rss_mb": peak / 2**20, "probe_ms": probe}


def fresh_pg(admin_url: str, name: str) -> str:
    import psycopg

    dsn = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=20_000, help="second size, to show memory is flat")
    ap.add_argument("--postgres", default=os.environ.get("VIGIL_TEST_POSTGRES_URL", ""))
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--configs", nargs="+", default=list(CONFIGS))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = write_export(Path(tmp) / "big.json", args.messages)
        small = write_export(Path(tmp) / "small.json", args.small)
        print(f"export: {args.messages:,} messages, {big.stat().st_size / 1e6:.1f} MB; cpus: {os.cpu_count()}")
        print(f"{'backend':<10} {'config':<26} {'workers':>7} {'messages':>9} {'msgs/s':>9} {'scan s':>8} {'peak MB':>8} {'probe ms':>9}")
        for backend in ("sqlite", "postgres"):
            if backend == "postgres" and not args.postgres:
                print("postgres   (skipped: pass --postgres URL or set VIGIL_TEST_POSTGRES_URL)")
                continue
            for config in args.configs:
                for workers in args.workers:
                    for export in (small, big):
                        name = f"bench_{config.split('+')[0]}_{workers}_{export.stem}"
                        url = (f"sqlite:///{Path(tmp) / (name + '.db')}" if backend == "sqlite"
                               else fresh_pg(args.postgres, name))
                        r = run_scan(export, url, workers, CONFIGS[config])
                        print(f"{backend:<10} {config:<26} {workers:>7} {r['items']:>9,} {r['msgs_per_s']:>9,.0f} "
                              f"{r['scan_s']:>8.1f} {r['peak_rss_mb']:>8.0f} {r['probe_ms']:>9}", flush=True)


if __name__ == "__main__":
    main()
