"""Load test of `POST /v1/moderate` against a real `vigil serve` on loopback.

    .venv/bin/python bench/bench_api.py [--rate 500] [--duration 60] [--db FILE | --url URL --key KEY]

An open-loop generator (asyncio, raw HTTP/1.1 keep-alive connections, no client library in the hot
path): request i is due at start + i/rate, and its latency is measured from when it was *due*, so a
slow server cannot hide its queueing (no coordinated omission). The message mix is realistic for a
messenger: mostly ordinary chat, some re-posts of a call for attacks, some ambiguous messages, from
5,000 accounts. Prints p50/p90/p99/p99.9/max latency, achieved throughput, errors and the server's
resident memory over the run (flat memory means no growth per request).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import proctree  # noqa: E402

CHAT = ("see you at the match tonight", "did you get the photos from the wedding?", "running late, start without me",
        "happy birthday! have a great day", "what time does the pharmacy close", "the bus is full again",
        "can you send me the homework", "мы приедем в субботу утром", "سأتصل بك بعد الصلاة", "great goal in the second half")
CALLS = ("Lone wolves, target the Jews and the Crusaders wherever you find them, above all in America and Europe",
         "Brothers acting alone: strike the Crusaders everywhere, especially in the US and in Europe")
UNSURE = ("They will get what is coming to them soon", "Those people will pay for this, you will see")


def message(rng: random.Random) -> bytes:
    r = rng.random()
    text = rng.choice(CALLS) if r < 0.05 else rng.choice(UNSURE) if r < 0.07 else rng.choice(CHAT)
    body = {"account_id": f"user{rng.randrange(5000)}", "chat_id": f"chat{rng.randrange(800)}",
            "surface": rng.choice(("private_chat", "private_chat", "public_channel")), "text": f"{text} {rng.randrange(10**6)}"}
    return json.dumps(body).encode()


TARGET_P99_MS = 15.0  # issue 5's target for p99
KEEP_ALIVE_S = 4.0  # uvicorn closes a keep-alive connection after 5 s idle: never reuse one that old


class Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.last_used = time.perf_counter()
        self.closing = False

    async def post(self, host: str, path: str, key: str, body: bytes) -> int:
        head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("server closed an idle keep-alive connection")
        status = int(status_line.split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            lower = line.lower()
            if lower.startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif lower.startswith(b"connection:") and b"close" in lower:
                self.closing = True  # the server hands the connection back: do not reuse it (as HTTP clients do)
        await self.reader.readexactly(length)
        return status


async def run_load(host: str, port: int, key: str, rate: float, duration: float, max_conns: int,
                   seed: int = 1) -> dict[str, object]:
    rng = random.Random(seed)
    idle: list[Conn] = []
    opened = 0
    latencies: list[float] = []
    late: dict[int, float] = {}  # the slowest request due in each second of the run
    handed_back = [0]  # connections the server closed with Connection: close (vigil.api.balance)
    errors: dict[str, int] = {}
    total = int(rate * duration)
    start = time.perf_counter() + 0.2
    pending: set[asyncio.Task[None]] = set()

    async def one(due: float, body: bytes) -> None:
        nonlocal opened
        for attempt in range(2):
            conn = None
            while idle and attempt == 0:  # a retry always gets a new connection, as HTTP clients do
                conn = idle.pop()
                if time.perf_counter() - conn.last_used < KEEP_ALIVE_S:
                    break
                opened -= 1  # the server may be closing it right now
                conn.writer.close()
                conn = None
            if conn is None:
                if opened >= max_conns:
                    errors["no_connection"] = errors.get("no_connection", 0) + 1
                    return
                opened += 1
                reader, writer = await asyncio.open_connection(host, port)
                writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn = Conn(reader, writer)
            try:
                status = await conn.post(host, "/v1/moderate", key, body)
                break
            except ConnectionResetError:
                # the server timed out an idle keep-alive connection before reading this request:
                # resend on a new connection, as HTTP clients do
                opened -= 1
                conn.writer.close()
                if attempt:
                    errors["reset"] = errors.get("reset", 0) + 1
                    return
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                opened -= 1
                return
        latencies.append(time.perf_counter() - due)
        late[int(due - start)] = max(late.get(int(due - start), 0.0), latencies[-1])
        if status != 200:
            errors[str(status)] = errors.get(str(status), 0) + 1
        conn.last_used = time.perf_counter()
        if conn.closing:
            opened -= 1
            handed_back[0] += 1
            conn.writer.close()
        else:
            idle.append(conn)

    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(due, message(rng)))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.wait(pending, timeout=30)
    elapsed = time.perf_counter() - start
    for c in idle:
        c.writer.close()
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2) if latencies else float("nan")

    return {"sent": total, "completed": len(latencies), "errors": errors, "elapsed_s": round(elapsed, 2),
            "throughput_rps": round(len(latencies) / elapsed, 1), "p50_ms": pct(0.50), "p90_ms": pct(0.90),
            "p99_ms": pct(0.99), "p999_ms": pct(0.999), "max_ms": round(latencies[-1] * 1000, 2) if latencies else None,
            "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None, "connections": opened,
            # a stall shows as a few bad seconds, a slow machine as many
            "seconds_over_target": sum(1 for v in late.values() if v * 1000 > TARGET_P99_MS),
            "seconds": len(late), "connections_handed_back": handed_back[0]}


def rss_kib(pid: int) -> int:
    return proctree.rss_bytes(pid) // 1024


async def sample_rss(pid: int, every: float, out: list[tuple[float, int]], stop: asyncio.Event) -> None:
    t0 = time.perf_counter()
    while not stop.is_set():
        out.append((round(time.perf_counter() - t0, 1), rss_kib(pid)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VIGIL_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "vigil.cli.app", "serve", "--db", db, "--port", str(port),
                             "--workers", str(workers)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if b"200 OK" in s.recv(1024):
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start: " + (proc.stderr.read().decode() if proc.stderr else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rate", type=float, default=500.0, help="requests per second (open loop)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of load before measuring")
    ap.add_argument("--connections", type=int, default=64, help="most keep-alive connections")
    ap.add_argument("--db", help="database for the server (default: a new SQLite file in a temp folder)")
    ap.add_argument("--url", help="use an already running server, e.g. http://127.0.0.1:8000 (needs --key)")
    ap.add_argument("--key", help="a platform key for --url")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--server-workers", type=int, default=1, help="`vigil serve --workers N` processes")
    ap.add_argument("--client-loop", choices=("uvloop", "asyncio"), default="uvloop",
                    help="the load generator's event loop (uvloop, as the server uses: the generator shares the "
                         "machine's two vCPUs with the server, and the stdlib loop costs it about a quarter more CPU a request)")
    args = ap.parse_args()

    run: Callable[[Coroutine[Any, Any, Any]], Any] = asyncio.run
    if args.client_loop == "uvloop":
        import uvloop

        run = uvloop.run
    proc = None
    if args.url:
        host, port = args.url.split("://", 1)[-1].rstrip("/").split(":")
        key, pid = args.key, None
        port = int(port)
    else:
        tmp = tempfile.mkdtemp(prefix="vigil-bench-")
        db = args.db or str(Path(tmp) / "bench.db")
        key = subprocess.run([sys.executable, "-m", "vigil.cli.app", "keys", "create", "--role", "platform",
                              "--rate", str(args.rate * 4), "--db", db], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        host, port = "127.0.0.1", free_port()
        proc = start_server(db, port, args.server_workers)
        pid = proc.pid
    probe = proctree.speed_probe()
    try:
        if args.warmup > 0:
            run(run_load(host, port, key, args.rate, args.warmup, args.connections, seed=99))

        async def measured() -> tuple[dict[str, object], list[tuple[float, int]]]:
            series: list[tuple[float, int]] = []
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample_rss(pid, 5.0, series, stop)) if pid else None
            cpu0 = proctree.cpu_seconds(pid) if pid else float("nan")
            split0 = proctree.cpu_by_process(pid) if pid else {}
            client0 = time.process_time()
            result = await run_load(host, port, key, args.rate, args.duration, args.connections)
            if result["completed"]:
                # the load generator shares the machine's two vCPUs with the server: its cost is part
                # of what the server competes with
                result["client_cpu_ms_per_request"] = round((time.process_time() - client0) * 1000 / int(result["completed"]), 3)
            if pid and result["completed"]:
                # CPU per request does not depend on how busy the machine is: the capacity of one
                # core is about 1000 / cpu_ms_per_request requests per second
                result["server_cpu_ms_per_request"] = round((proctree.cpu_seconds(pid) - cpu0) * 1000 / int(result["completed"]), 3)
                # how the CPU fell between the processes (the supervisor and each worker): a worker
                # with most of it queues while the other idles
                split1 = proctree.cpu_by_process(pid)
                used = {p: split1[p] - split0.get(p, 0.0) for p in split1}
                whole = sum(used.values()) or 1.0
                result["server_cpu_share"] = sorted((round(v / whole, 3) for v in used.values()), reverse=True)
            stop.set()
            if sampler:
                await sampler
            return result, series

        result, series = run(measured())
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    result["rate_target"] = args.rate
    result["speed_probe_ms"] = probe
    result["client_loop"] = args.client_loop
    result["rss_mib"] = [(t, round(k / 1024, 1)) for t, k in series]
    if series:
        result["rss_growth_mib"] = round((series[-1][1] - series[0][1]) / 1024, 1)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"POST /v1/moderate, open loop at {args.rate:g} req/s for {args.duration:g} s ({result['connections']} connections "
          f"open at the end, {result['connections_handed_back']} handed back by the server)")
    print(f"  completed {result['completed']:,} of {result['sent']:,}, throughput {result['throughput_rps']} req/s, "
          f"errors {result['errors'] or 0}")
    print(f"  latency ms: p50 {result['p50_ms']}  p90 {result['p90_ms']}  p99 {result['p99_ms']}  "
          f"p99.9 {result['p999_ms']}  max {result['max_ms']}")
    print(f"  seconds with a request over {TARGET_P99_MS:g} ms: {result['seconds_over_target']} of {result['seconds']}")
    if "server_cpu_ms_per_request" in result:
        cpu = result["server_cpu_ms_per_request"]
        print(f"  server CPU per request {cpu} ms (one core saturates at about {round(1000 / cpu)} req/s); "
              f"load generator {result.get('client_cpu_ms_per_request')} ms")
        print(f"  share of the server's CPU by process (workers and supervisor): {result.get('server_cpu_share')}")
    print(f"  machine speed probe before the run: {probe} ms (`bench/proctree.py`; higher = a slower machine)")
    if series:
        print(f"  server RSS MiB every 5 s: {[m for _, m in result['rss_mib']]} (growth {result['rss_growth_mib']} MiB)")


if __name__ == "__main__":
    main()
