"""Resident memory and CPU time of a process and all its descendants (a server and its `--workers`,
a scan and its worker processes), for the benchmarks. Resident memory is summed over the processes, so
pages they share after a fork are counted once per process: an upper bound."""

from __future__ import annotations

import psutil


def tree(pid: int) -> list[psutil.Process]:
    """The process and its descendants that are alive now (none when the process is gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def rss_bytes(pid: int) -> int:
    total = 0
    for p in tree(pid):
        try:
            total += p.memory_info().rss
        except psutil.Error:  # exited between the listing and the read
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far (every thread); NaN when a process cannot be read."""
    total = 0.0
    for p in tree(pid):
        try:
            t = p.cpu_times()
        except psutil.Error:
            return float("nan")
        total += t.user + t.system
    return total


def cpu_by_process(pid: int) -> dict[int, float]:
    """User + system CPU seconds of each live process of the tree, by pid (how a server's load falls
    between its workers)."""
    out: dict[int, float] = {}
    for p in tree(pid):
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        out[p.pid] = t.user + t.system
    return out


def speed_probe(rounds: int = 7) -> float:
    """Milliseconds a fixed piece of pure-Python work takes on this machine now (the median of
    ``rounds``): a yardstick for the figures of a run. The host of a shared virtual machine can be
    ~a third slower for minutes (its other guests, the sibling hyperthread) without any CPU time
    reported as stolen, and a run's latency or throughput moves with it; a run with a higher probe
    ran on a slower machine."""
    import statistics
    import time

    def work() -> int:
        total = 0
        for i in range(200_000):
            total += (i * 7) % 13
        return total

    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        work()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)
