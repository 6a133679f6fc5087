"""`make bench`: every benchmark at a size that finishes in minutes on a laptop, one after another.

The README's tables use the full sizes; each row there names its own command. This runner is the quick
look: same code paths, smaller inputs, so a change that makes something slower shows up before a long
run. Pass ``--full`` for the README sizes (an hour or more on two cores).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
B = str(ROOT / "bench")

QUICK: list[list[str]] = [
    [f"{B}/bench_connectors.py", "--messages", "20000"],
    [f"{B}/bench_normalize.py", "--n", "5000"],
    [f"{B}/bench_classify.py", "--n", "5000"],
    [f"{B}/bench_scan.py", "--messages", "20000", "--small", "5000", "--workers", "1", "2"],
    [f"{B}/bench_banks.py", "pdq", "--n", "200000"],
    [f"{B}/bench_banks.py", "text", "--n", "50000"],
    [f"{B}/bench_banks.py", "mix", "--n", "50000", "--seconds", "10", "--processes", "2"],
    [f"{B}/bench_api.py", "--rate", "200", "--duration", "15", "--warmup", "3"],
    [f"{B}/bench_send_phases.py", "--sends", "500", "--repeats", "3", "--warmup", "1000"],
]
FULL: list[list[str]] = [
    [f"{B}/bench_connectors.py"],
    [f"{B}/bench_normalize.py"],
    [f"{B}/bench_classify.py"],
    [f"{B}/bench_scan.py", "--messages", "100000", "--small", "20000", "--workers", "1", "2"],
    [f"{B}/bench_banks.py", "pdq", "--n", "10000000"],
    [f"{B}/bench_banks.py", "text", "--n", "1000000"],
    [f"{B}/bench_banks.py", "mix", "--processes", "2"],
    [f"{B}/bench_api.py", "--rate", "500", "--duration", "60", "--server-workers", "2"],
    [f"{B}/bench_send_phases.py"],
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="the README sizes")
    args = ap.parse_args()
    failed = []
    for cmd in FULL if args.full else QUICK:
        shown = " ".join(Path(c).name if c.startswith(B) else c for c in cmd)
        print(f"\n=== {shown}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, *cmd], cwd=ROOT)
        print(f"=== {shown}: exit {rc}, {time.perf_counter() - t0:.0f} s", flush=True)
        if rc != 0:
            failed.append(shown)
    if failed:
        raise SystemExit(f"benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
