"""Load on `seckb serve`, on loopback, run on demand: writes bench/results/load.md and .json.

Starts the real server (``seckb serve --workers N``) on a free loopback port for each worker
count, then 16 concurrent clients (lean asyncio HTTP/1.1 keep-alive connections: the generator
shares the cores with the server, so it must cost little) send a fixed mix of requests for a
fixed time (and at most a fixed number of requests): search pages, provision pages, compare pages and the JSON API. Each
kind draws from its own pool of distinct addresses (queries from bench/queries.yaml with their
filters and a second page, a seeded sample of provisions, rule/State combinations), so the
server's per-generation answer cache (kb/web/cache.py) is measured as it would be used, and the
share of cached answers is reported beside the latencies. Reported: throughput, p50/p95/max per
kind, errors, the server's peak memory (all its processes), the core count and the load average
(the load generator shares the machine with the server, and so may other work). Each worker
count is measured twice: "fresh" (just started) and "warm" (after every address was asked for
once per worker), and the CPU one uncached answer costs is measured in-process beside them.

    .venv/bin/python bench/load.py --data seckb-data [--seconds 20] [--clients 16] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx  # only for the in-process CPU measurement and the readiness check
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
MIX = {"search": 0.35, "provision": 0.35, "compare": 0.15, "api": 0.15}
TARGET_P95_MS = 150.0  # search and provision pages, 16 clients, 0 errors (issue 12)
MAX_REQUESTS = 100_000
SEED = 12


def url_pools(data: Path) -> dict[str, list[str]]:
    from sqlalchemy import select

    from kb.knowledge import KnowledgeBase
    from kb.render.templating import provision_url
    from kb.store import tables as t
    from kb.topics import load_ontology

    rng = random.Random(SEED)
    queries = yaml.safe_load((ROOT / "bench" / "queries.yaml").read_text())["queries"]
    search = []
    for q in queries:
        params = [("q", q["query"])] + [("state", s) for s in q.get("states", [])]
        search.append("/search?" + urlencode(params))
        search.append("/search?" + urlencode([*params, ("page", "2")]))
    with KnowledgeBase.open(data) as kb, kb.session() as session:
        refs = sorted(session.scalars(select(t.Provision.ref)))
    sample = rng.sample(refs, 300)
    provision = [provision_url(ref) for ref in sample]
    rules = list(load_ontology(ROOT / "corpus").rules)
    state_sets = ["MH,MN,DL", "MH,KL,KA", "IN,MH,UP,TN"]
    compare = [f"/compare?rule={rule}&states={states}" for rule in rules for states in state_sets[:2]]
    compare += [f"/compare?rule={rule}" for rule in rules[:8]]
    compare += ["/compare?topic=candidate-disqualification&states=MH,MN,DL&body=panchayat"]
    api = [f"/api/search?q={quote(q['query'])}" for q in queries[:40]]
    api += ["/api/provisions/" + quote(ref, safe="()") for ref in sample[:100]]
    api += [f"/api/compare?rule={rule}&states=MH,MN,DL" for rule in rules] + ["/api/coverage", "/api/notes"]
    return {"search": search, "provision": provision, "compare": compare, "api": api}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the uvicorn workers)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def start_server(data: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "cli.py"),
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"seckb serve exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(base + "/", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("seckb serve did not answer in 90 s")


async def warm_up(base: str, pools: dict[str, list[str]], passes: int) -> float:
    """Ask for every address once per pass (4 at a time), as a server that has been up a while has been."""
    started = time.perf_counter()
    urls = [url for kind in pools for url in pools[kind]]
    host, port = base.removeprefix("http://").split(":")

    async def worker(queue: list[str]) -> None:
        conn = Connection(host, int(port))
        while queue:
            await fetch(conn, queue.pop())
        conn.close()

    for _ in range(passes):
        queue = list(urls)
        await asyncio.gather(*(worker(queue) for _ in range(4)))
    return time.perf_counter() - started


class Connection:
    """One keep-alive HTTP/1.1 connection, as lean as a load generator on the same machine must be.

    httpx costs a few CPU milliseconds a request; on 2 shared cores that would be measured as
    server latency. The server always sends Content-Length (no streamed answers are requested).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, url: str) -> tuple[int, dict[str, str]]:
        for attempt in (1, 2):  # a keep-alive connection the server closed is opened again once
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                assert self.reader is not None
                self.writer.write(f"GET {url} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode("latin-1"))
                head = await self.reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split()[1])
                headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                await self.reader.readexactly(int(headers.get("content-length", "0")))
                if headers.get("connection", "").lower() == "close":
                    self.close()
                return status, headers
            except (OSError, asyncio.IncompleteReadError, ValueError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def fetch(conn: Connection, url: str) -> tuple[int, bool]:
    """(status, answered from the cache), following one redirect (a citation typed as a search)."""
    status, headers = await conn.get(url)
    if status in (301, 303) and "location" in headers:
        status, headers = await conn.get(headers["location"])
    return status, headers.get("x-cache") == "hit"


async def drive(base: str, pools: dict[str, list[str]], clients: int, seconds: float, pid: int) -> dict:
    rng = random.Random(SEED)
    kinds, weights = list(MIX), list(MIX.values())
    records: list[tuple[str, float, int, bool]] = []
    errors: list[str] = []
    peak = [rss_mb(pid)]
    host, port = base.removeprefix("http://").split(":")
    connections = [Connection(host, int(port)) for _ in range(clients)]
    # Warm-up (not counted): each worker opens its searcher and database on first use.
    for kind in kinds:
        for url in pools[kind][:4]:
            await fetch(connections[0], url)
    deadline = time.perf_counter() + seconds

    async def one_client(conn: Connection) -> None:
        while time.perf_counter() < deadline and len(records) < MAX_REQUESTS:
            kind = rng.choices(kinds, weights)[0]
            url = rng.choice(pools[kind])
            started = time.perf_counter()
            try:
                status, cached = await fetch(conn, url)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors.append(f"{url}: {type(exc).__name__}")
                continue
            records.append((kind, (time.perf_counter() - started) * 1000, status, cached))
            if status != 200:
                errors.append(f"{url}: HTTP {status}")

    async def sample_memory() -> None:
        while time.perf_counter() < deadline:
            peak.append(rss_mb(pid))
            await asyncio.sleep(0.25)

    started = time.perf_counter()
    await asyncio.gather(sample_memory(), *(one_client(conn) for conn in connections))
    wall = time.perf_counter() - started
    for conn in connections:
        conn.close()
    by_kind = {}
    for kind in kinds:
        times = sorted(r[1] for r in records if r[0] == kind)
        misses = sorted(r[1] for r in records if r[0] == kind and not r[3])
        if not times:
            continue
        by_kind[kind] = {
            "requests": len(times),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "max_ms": round(times[-1], 1),
            "cached_share": round(1 - len(misses) / len(times), 3),
            "uncached_p95_ms": round(misses[int(0.95 * (len(misses) - 1))], 1) if misses else None,
        }
    return {
        "seconds": round(wall, 1),
        "requests": len(records),
        "throughput_rps": round(len(records) / wall, 1),
        "errors": len(errors),
        "error_examples": errors[:5],
        "peak_rss_mb": round(max(peak), 1),
        "by_kind": by_kind,
    }


def cpu_per_request(data: Path, pools: dict[str, list[str]], n: int = 15) -> dict[str, float]:
    """CPU milliseconds one uncached answer costs, per kind, measured in-process (cache off).

    CPU time, unlike wall time, depends little on what else runs on the machine, so it tells
    what one worker could do on an idle core: about 1000 / ms answers a second. The app is
    called through httpx's ASGI transport on one thread, so nothing but the answer is counted.
    """
    from kb.web import cache, create_app

    async def measure() -> dict[str, float]:
        app = create_app(data)
        out = {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            for kind, urls in pools.items():
                await client.get(urls[0])
                sample = random.Random(SEED).sample(urls, min(n, len(urls)))
                started = time.process_time()
                for url in sample:
                    await client.get(url, follow_redirects=True)
                out[kind] = round((time.process_time() - started) * 1000 / len(sample), 1)
        return out

    saved, cache.MAX_ENTRIES = cache.MAX_ENTRIES, 0  # every answer is computed
    try:
        return asyncio.run(measure())
    finally:
        cache.MAX_ENTRIES = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "seckb-data")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    if not (args.data / "current").exists():
        raise SystemExit(f"no knowledge base in {args.data}; run `seckb build` first")
    pools = url_pools(args.data)
    cpu_ms = cpu_per_request(args.data, pools)
    print("CPU ms per uncached answer:", cpu_ms, flush=True)
    runs = []
    for workers in [int(w) for w in args.workers.split(",")]:
        proc, base = start_server(args.data, workers)
        try:
            # "fresh": just started, every address new to it; "warm": after every address was asked
            # for (each worker keeps its own answers, so one pass per worker).
            for state in ("fresh", "warm"):
                warm_seconds = asyncio.run(warm_up(base, pools, workers)) if state == "warm" else 0.0
                load_before = os.getloadavg()[0]
                result = asyncio.run(drive(base, pools, args.clients, args.seconds, proc.pid))
                result |= {
                    "workers": workers,
                    "state": state,
                    "warm_up_seconds": round(warm_seconds, 1),
                    "clients": args.clients,
                    "load_average_before": round(load_before, 2),
                }
                runs.append(result)
                print(
                    f"workers={workers} {state}: {result['throughput_rps']} req/s, errors {result['errors']}, "
                    + ", ".join(f"{k} p95 {v['p95_ms']} ms" for k, v in result["by_kind"].items()),
                    flush=True,
                )
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    report = {
        "cores": os.cpu_count(),
        "mix": MIX,
        "pool_sizes": {kind: len(urls) for kind, urls in pools.items()},
        "cpu_ms_per_uncached_answer": cpu_ms,
        "target": f"p95 <= {TARGET_P95_MS:.0f} ms for search and provision pages at 16 clients, 0 errors",
        "runs": runs,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "load.md").write_text(render_markdown(report))
    print(f"wrote {RESULTS / 'load.md'}")


def render_markdown(report: dict) -> str:
    lines = [
        "# seckb serve under load",
        "",
        f"{report['when']} · {report['cores']} cores (shared: the load generator runs on the same machine) · "
        f"mix {', '.join(f'{k} {v:.0%}' for k, v in report['mix'].items())} · distinct addresses "
        f"{', '.join(f'{k} {v}' for k, v in report['pool_sizes'].items())}",
        "",
        f"Target: {report['target']}.",
        "",
        "CPU per uncached answer (in-process, one request at a time): "
        + ", ".join(f"{k} {v} ms" for k, v in report["cpu_ms_per_uncached_answer"].items()),
        "",
        "| workers | server | clients | load avg before | req/s | errors | peak RSS MB | kind | requests | p50 ms | p95 ms | max ms | cached | uncached p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in report["runs"]:
        for index, (kind, row) in enumerate(run["by_kind"].items()):
            head = (
                f"| {run['workers']} | {run['state']} | {run['clients']} | {run['load_average_before']} | {run['throughput_rps']} | "
                f"{run['errors']} | {run['peak_rss_mb']} "
                if index == 0
                else "| | | | | | | "
            )
            lines.append(
                head + f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | "
                f"{row['cached_share']:.0%} | {row['uncached_p95_ms']} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
