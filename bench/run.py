"""Performance harness, run on demand (`make bench`); writes bench/results/latest.md and .json.

Measures, in child processes so each figure has its own clock and peak memory:
- full build of the real corpus (median of 3 builds from empty; provisions/s, peak RSS), and a
  one-file incremental rebuild (one source in a temporary copy of the sources is changed, then `build` runs again);
- index writer options on the real documents (one or two processes, limitmb) — measured, not assumed;
- warm in-process query latency p50/p95 per query type, seckb against FTS5, on the judged set;
- `seckb search` wall time as a cold process (p50 of ~10 runs);
- the same build / latency / memory at ×10 and ×20 on a synthetic corpus (bench/synthetic.py).
Relevance (bench/eval.py) is run too, so one file holds every figure.

    .venv/bin/python bench/run.py [--scales 10,20] [--work /tmp/seckb-bench] [--scale-from DIR]

--scale-from DIR measures the scaled latency against an index built earlier instead of building
it again (8-14 minutes at ×20): DIR holds what the scale child left in its work folder
(index-xN/ and synthetic-xN.sqlite, from `bench/run.py --child scale --data KB --work DIR
--factor N --parts 1 --limitmb 128`), and, if saved there as scale-xN.json, the JSON line that
child printed (its build time and memory are reported from it; without it they show as n/a).
DIR is left as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
SECKB = str(Path(PY).with_name("seckb"))
LATENCY_ROUNDS = 5
LATENCY_ROUNDS_AT_SCALE = 2  # a x20 round of every query costs minutes on shared cores

TARGETS = {
    "ndcg": 0.85,
    "ndcg_over_fts5": 0.15,
    "paraphrase": 0.70,
    "build_s": 20.0,
    "incremental_s": 2.0,
    "p95_ratio": 2.0,
    "p95_ms_x20": 150.0,
    "cli_p50_s": 0.5,
    "build_rss_mb_x20": 1024.0,
}


# Full builds of the real corpus timed per bench run (median reported).
BUILD_RUNS = 3


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- child jobs: each prints one JSON object --------------------------------------------------


def child_build(args) -> dict:
    from kb.build import BuildOptions, build_knowledge_base

    started = time.perf_counter()
    report = build_knowledge_base(
        BuildOptions(sources_dir=Path(args.sources), data_dir=Path(args.data), full=args.full)
    )
    seconds = time.perf_counter() - started
    provisions = sum(d.provisions for d in report.documents if d.role == "primary")
    return {
        "seconds": seconds,
        "report_seconds": report.seconds,
        "provisions": provisions,
        "index_docs": report.index_docs,
        "index_mode": report.index_mode,
        "peak_mb": _peak_mb(),
    }


def child_writer(args) -> dict:
    """Index-only time of the real documents under one set of Whoosh writer options."""
    from synthetic import real_docs

    from indexer.search_index import create_index

    docs = real_docs(Path(args.data))
    target = Path(args.work) / "writer-test"
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    create_index(target, docs, parts=args.parts, limitmb=args.limitmb)
    seconds = time.perf_counter() - started
    shutil.rmtree(target, ignore_errors=True)
    return {"docs": len(docs), "seconds": seconds, "peak_mb": _peak_mb()}


def child_scale(args) -> dict:
    """Synthetic ×N: insert into a database, then build the index from it."""
    from synthetic import read_db, real_docs, synthetic_docs, write_db

    from indexer.search_index import create_index

    work = Path(args.work)
    db = work / f"synthetic-x{args.factor}.sqlite"
    real = real_docs(Path(args.data))
    started = time.perf_counter()
    count = write_db(db, synthetic_docs(real, args.factor))
    db_seconds = time.perf_counter() - started
    del real
    index_dir = work / f"index-x{args.factor}"
    shutil.rmtree(index_dir, ignore_errors=True)
    started = time.perf_counter()
    create_index(index_dir, read_db(db), parts=args.parts, limitmb=args.limitmb)
    return {
        "docs": count,
        "db_seconds": db_seconds,
        "index_seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(),
    }


def child_latency(args) -> dict:
    """Warm latency per query type: seckb (full query path, or the index alone at scale) vs FTS5."""
    from fts5 import Fts5Index, build_from_kb, fts5_search_fn

    from kb.evaluate import load_queries, seckb_search_fn

    queries = load_queries()
    if args.factor:
        from synthetic import read_db

        from indexer.search_index import Searcher
        from kb.query import SearchRequest, run_query

        searcher = Searcher(Path(args.work) / f"index-x{args.factor}")

        def seckb_fn(q, k):
            # The ranking path (analysis, plan, engine, snippets) on the scaled index; citations need
            # the database and are measured at real scale.
            request = SearchRequest(
                text=q.query, states=q.states, acts=q.acts, bodies=(q.body,) if q.body else (), limit=k, facets=False
            )
            filters = {
                name: tuple(values)
                for name, values in {
                    "jurisdiction": [s.upper() for s in q.states],
                    "act": list(q.acts),
                    "body": [q.body] if q.body else [],
                }.items()
                if values
            }
            return [h.ref for h in run_query(searcher, request, q.query, (), filters).hits]

        fts = Fts5Index()
        fts.add(read_db(Path(args.work) / f"synthetic-x{args.factor}.sqlite"))
    else:
        from kb.knowledge import KnowledgeBase

        kb = KnowledgeBase.open(Path(args.data))
        seckb_fn = seckb_search_fn(kb)
        fts = build_from_kb(kb)
    engines = [("seckb", seckb_fn), ("fts5", fts5_search_fn(fts))]
    if not args.factor:
        # What `seckb search` does for a person: the same ranking plus facet counts and an exact
        # total. The searcher keeps a faceted ranking for the next page; it is forgotten before each
        # query here, so every query is ranked afresh.
        faceted = seckb_search_fn(kb, facets=True)

        def seckb_facets_fn(q, k):
            kb.searcher()._rankings.clear()
            return faceted(q, k)

        engines.append(("seckb+facets", seckb_facets_fn))
    out = {}
    for name, fn in engines:
        first = []
        for q in queries:  # warm-up: searchers, caches, the synonym tables
            started = time.perf_counter()
            fn(q, 10)
            first.append((time.perf_counter() - started) * 1000)
        # The first time each query is seen by a fresh searcher (posting lists not yet decoded).
        out[f"{name}-first"] = {"all": {"p50": _percentile(first, 50), "p95": _percentile(first, 95)}}
        times: dict[str, list[float]] = {}
        for _ in range(LATENCY_ROUNDS_AT_SCALE if args.factor else LATENCY_ROUNDS):
            for q in queries:
                started = time.perf_counter()
                fn(q, 10)
                times.setdefault(q.type, []).append((time.perf_counter() - started) * 1000)
        every = [t for values in times.values() for t in values]
        out[name] = {
            "all": {"p50": _percentile(every, 50), "p95": _percentile(every, 95)},
            **{t: {"p50": _percentile(v, 50), "p95": _percentile(v, 95)} for t, v in times.items()},
        }
    return out


CHILDREN = {"build": child_build, "writer": child_writer, "scale": child_scale, "latency": child_latency}


def _child(job: str, **options) -> dict:
    argv = [PY, __file__, "--child", job]
    for key, value in options.items():
        if value is True:
            argv.append(f"--{key}")
        elif value not in (None, False):
            argv += [f"--{key}", str(value)]
    done = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if done.returncode:
        raise SystemExit(f"bench child {job} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the run --------------------------------------------------------------------------------


def _incremental(sources: Path, data: Path, work: Path) -> dict:
    """Change one source file in a temporary copy of the sources and rebuild."""
    copy = work / "sources"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(sources, copy)
    _child("build", data=data, sources=copy)  # same sources, new path: checksums decide
    target = sorted((copy / "excerpts").glob("*.txt"))[0]
    target.write_text(target.read_text() + "\n")
    result = _child("build", data=data, sources=copy)
    started = time.perf_counter()
    subprocess.run([SECKB, "build", "--data", str(data), "--sources", str(copy), "-q"], check=True, capture_output=True)
    result["cli_unchanged_wall_s"] = time.perf_counter() - started
    result["changed_file"] = str(target.relative_to(copy))
    return result


def _cli_search(data: Path, runs: int = 10) -> dict:
    argv = [SECKB, "search", "more than two children", "--state", "MH", "--limit", "3", "--data", str(data)]
    # An installed program has its bytecode compiled; PYTHONDONTWRITEBYTECODE (set on some machines)
    # would make every timed run compile the project's modules again. One untimed run writes it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(argv, check=True, capture_output=True, env=env)
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - started)
    return {"runs": runs, "p50_s": statistics.median(walls), "max_s": max(walls)}


def _host_loop() -> float:
    """Seconds for a fixed pure-Python loop (3 million additions): how fast the shared host runs
    now, so that timings of runs on different days can be compared (they moved 1.5-4x)."""
    started = time.perf_counter()
    total = 0
    for number in range(3_000_000):
        total += number
    return time.perf_counter() - started


def _import_time() -> float:
    done = subprocess.run([PY, "-X", "importtime", "-c", "import cli"], capture_output=True, text=True, cwd=ROOT)
    last = [line for line in done.stderr.splitlines() if line.rstrip().endswith("| cli")]
    return int(last[-1].split("|")[1]) / 1000 if last else float("nan")


def _reused_scale(folder: Path, factor: int) -> dict:
    """The build figures of a scaled index built earlier (see --scale-from)."""
    if not (folder / f"index-x{factor}").is_dir() or not (folder / f"synthetic-x{factor}.sqlite").is_file():
        raise SystemExit(f"--scale-from {folder}: no index-x{factor}/ and synthetic-x{factor}.sqlite there")
    saved = folder / f"scale-x{factor}.json"
    if saved.is_file():
        return {**json.loads(saved.read_text()), "reused": str(folder)}
    import sqlite3

    with sqlite3.connect(str(folder / f"synthetic-x{factor}.sqlite")) as db:
        docs = db.execute("SELECT count(*) FROM docs").fetchone()[0]
    return {"docs": docs, "index_seconds": float("nan"), "peak_mb": float("nan"), "reused": str(folder)}


def run(args) -> dict:
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sources = Path(args.sources)
    data = work / "data"
    out: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_before": os.getloadavg(),
            "loop_before_s": _host_loop(),
        }
    }
    # The cores are shared, so one build's time moves by seconds with the neighbours' load: the
    # median of BUILD_RUNS full builds (each from empty) is reported, with every run beside it.
    builds = []
    for run in range(BUILD_RUNS):
        print(f"full build {run + 1}/{BUILD_RUNS} ...", file=sys.stderr)
        shutil.rmtree(data, ignore_errors=True)
        builds.append(_child("build", data=data, sources=sources, full=True))
    out["build"] = {
        **sorted(builds, key=lambda b: b["seconds"])[len(builds) // 2],
        "runs_s": [b["seconds"] for b in builds],
    }
    out["build"]["provisions_per_s"] = out["build"]["provisions"] / out["build"]["seconds"]
    print("incremental ...", file=sys.stderr)
    out["incremental"] = _incremental(sources, work / "data-inc", work)
    if args.writer:
        print("writer options ...", file=sys.stderr)
    out["writer"] = {
        name: _child("writer", data=data, work=work, **opts)
        for name, opts in {
            "one process, limitmb=128": {"parts": 1, "limitmb": 128},
            "one process, limitmb=512": {"parts": 1, "limitmb": 512},
            "two processes, limitmb=128": {"parts": 2, "limitmb": 128},
            "two processes, limitmb=512": {"parts": 2, "limitmb": 512},
        }.items()
        if args.writer
    }
    print("latency ...", file=sys.stderr)
    out["latency"] = _child("latency", data=data)
    out["cli_search"] = _cli_search(data)
    out["cli_import_ms"] = _import_time()
    print("relevance ...", file=sys.stderr)
    from eval import run_eval

    from kb.evaluate import TUNING_QUERIES

    out["relevance"] = {}
    for half in ("test", "dev"):
        seckb, fts5 = run_eval(data, half=half)
        out["relevance"][half] = {"seckb": seckb.as_dict(), "fts5": fts5.as_dict()}
    out["pooled"] = {}
    for half in ("test", "dev"):
        seckb, fts5 = run_eval(data, half=half, pooled=True)
        out["pooled"][half] = {"seckb": seckb.as_dict(), "fts5": fts5.as_dict()}
    out["tuning"] = {}
    for pooled in (False, True):
        seckb, fts5 = run_eval(data, TUNING_QUERIES, pooled=pooled)
        out["tuning"]["pooled" if pooled else "judged"] = {"seckb": seckb.as_dict(), "fts5": fts5.as_dict()}
    out["scale"] = {}
    for factor in [int(f) for f in args.scales.split(",") if f]:
        print(f"scale x{factor} ...", file=sys.stderr)
        if args.scale_from:
            built = _reused_scale(Path(args.scale_from), factor)
            built["latency"] = _child("latency", data=data, work=args.scale_from, factor=factor)
            out["scale"][f"x{factor}"] = built
            continue
        built = _child("scale", data=data, work=work, factor=factor, parts=args.parts, limitmb=128)
        built["latency"] = _child("latency", data=data, work=work, factor=factor)
        out["scale"][f"x{factor}"] = built
        shutil.rmtree(work / f"index-x{factor}", ignore_errors=True)
        (work / f"synthetic-x{factor}.sqlite").unlink(missing_ok=True)
    out["machine"]["load_after"] = os.getloadavg()
    out["machine"]["loop_after_s"] = _host_loop()
    return out


def render(out: dict) -> str:
    m = out["machine"]
    lines = [
        f"# seckb bench — {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"Machine: {m['cpus']} CPUs, Python {m['python']}, {m['platform']}; load average "
        f"{m['load_before'][0]:.1f} before, {m['load_after'][0]:.1f} after (the cores are shared); "
        f"host speed: a 3-million-addition Python loop took {m.get('loop_before_s', float('nan')):.2f} s "
        f"before, {m.get('loop_after_s', float('nan')):.2f} s after",
    ]
    for half, title in (("test", "held-back test half"), ("dev", "development half (tuned on)")):
        rel = out["relevance"][half]
        lines += [
            "",
            f"## Relevance — {title}",
            "",
            "| query type | n | seckb nDCG@10 | R@10 | MRR | FTS5 nDCG@10 | R@10 | MRR |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, s, f in [
            ("**overall**", rel["seckb"]["overall"], rel["fts5"]["overall"]),
            *[(t, rel["seckb"]["by_type"][t], rel["fts5"]["by_type"][t]) for t in rel["seckb"]["by_type"]],
        ]:
            lines.append(
                f"| {label} | {s['queries']} | {s['ndcg@10']:.3f} | {s['recall@10']:.3f} | {s['mrr']:.3f} | "
                f"{f['ndcg@10']:.3f} | {f['recall@10']:.3f} | {f['mrr']:.3f} |"
            )
    if "pooled" in out:
        lines += [
            "",
            "## Relevance with the pooled judgments added (bench/pooled.yaml; the targets use queries.yaml alone)",
            "",
            "| half | seckb nDCG@10 | paraphrase | FTS5 nDCG@10 | paraphrase |",
            "|---|---:|---:|---:|---:|",
        ]
        for half in ("test", "dev"):
            p_ = out["pooled"][half]
            s_, f_ = p_["seckb"], p_["fts5"]
            lines.append(
                f"| {half} | {s_['overall']['ndcg@10']:.3f} | {s_['by_type']['paraphrase']['ndcg@10']:.3f} | "
                f"{f_['overall']['ndcg@10']:.3f} | {f_['by_type']['paraphrase']['ndcg@10']:.3f} |"
            )
    if "tuning" in out:
        lines += [
            "",
            "## Relevance on the tuning set (bench/queries-tune.yaml: development only, written after the test half was scored)",
            "",
            "| judgments | n | seckb nDCG@10 | paraphrase | FTS5 nDCG@10 | paraphrase |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, label in (("judged", "queries-tune.yaml"), ("pooled", "with pooled-tune.yaml")):
            s_, f_ = out["tuning"][name]["seckb"], out["tuning"][name]["fts5"]
            lines.append(
                f"| {label} | {s_['overall']['queries']} | {s_['overall']['ndcg@10']:.3f} | "
                f"{s_['by_type']['paraphrase']['ndcg@10']:.3f} | {f_['overall']['ndcg@10']:.3f} | "
                f"{f_['by_type']['paraphrase']['ndcg@10']:.3f} |"
            )
    rel = out["relevance"]["test"]
    cit = rel["seckb"]["by_type"].get("citation", {})
    b, inc, lat, cli = out["build"], out["incremental"], out["latency"], out["cli_search"]
    lines += [
        "",
        f"Citation queries with the cited provision first: {cit.get('top_is_best', 0):.0%}",
        "",
        "## Build (real corpus)",
        "",
        f"- full build: {b['seconds']:.1f} s (median of {len(b.get('runs_s', [0]))} builds from empty: "
        f"{', '.join(f'{x:.1f}' for x in b.get('runs_s', [b['seconds']]))} s), {b['provisions']} provisions, {b['provisions_per_s']:.0f} provisions/s, "
        f"peak RSS {b['peak_mb']:.0f} MB",
        f"- one-file incremental ({inc['changed_file']}): {inc['seconds']:.2f} s in-process "
        f"(index {inc['index_mode']}), unchanged rebuild as CLI {inc['cli_unchanged_wall_s']:.2f} s wall",
    ]
    if out["writer"]:  # measured with --writer only
        lines.append("- Whoosh writer options (index only, real documents):")
        lines += [f"  - {name}: {v['seconds']:.1f} s, peak {v['peak_mb']:.0f} MB" for name, v in out["writer"].items()]
    lines += [
        "",
        "## Queries (warm, in-process, ms)",
        "",
        "| query type | seckb p50 | seckb p95 | FTS5 p50 | FTS5 p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for t in lat["seckb"]:
        lines.append(
            f"| {t} | {lat['seckb'][t]['p50']:.1f} | {lat['seckb'][t]['p95']:.1f} | "
            f"{lat['fts5'][t]['p50']:.1f} | {lat['fts5'][t]['p95']:.1f} |"
        )
    if "seckb+facets" in lat:
        lines += [
            "",
            f"With facet counts and an exact total (what `seckb search` prints): p50 "
            f"{lat['seckb+facets']['all']['p50']:.1f} ms, p95 {lat['seckb+facets']['all']['p95']:.1f} ms",
        ]
    if "seckb-first" in lat:
        lines += [
            "",
            f"First time each query is seen by a freshly opened searcher (posting lists read and decoded): "
            f"seckb p50 {lat['seckb-first']['all']['p50']:.1f} ms, p95 {lat['seckb-first']['all']['p95']:.1f} ms; "
            f"FTS5 p50 {lat['fts5-first']['all']['p50']:.1f} ms, p95 {lat['fts5-first']['all']['p95']:.1f} ms",
        ]
    lines += [
        "",
        f"CLI `seckb search` cold process: p50 {cli['p50_s']:.2f} s over {cli['runs']} runs "
        f"(max {cli['max_s']:.2f} s); `import cli` {out['cli_import_ms']:.0f} ms",
        "",
        "## Scale (synthetic)",
        "",
        "| scale | docs | index build s | peak MB | seckb p50 | seckb p95 | FTS5 p95 | p95 ratio "
        "| seckb first-seen p95 | FTS5 first-seen p95 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in out["scale"].items():
        l_ = s["latency"]
        ratio = l_["seckb"]["all"]["p95"] / max(l_["fts5"]["all"]["p95"], 1e-9)
        lines.append(
            f"| {name} | {s['docs']} | {s['index_seconds']:.1f} | {s['peak_mb']:.0f} | "
            f"{l_['seckb']['all']['p50']:.1f} | {l_['seckb']['all']['p95']:.1f} | "
            f"{l_['fts5']['all']['p95']:.1f} | {ratio:.2f} | "
            f"{l_.get('seckb-first', {}).get('all', {}).get('p95', float('nan')):.1f} | "
            f"{l_.get('fts5-first', {}).get('all', {}).get('p95', float('nan')):.1f} |"
        )
    lines += ["", "## Targets", ""] + [f"- {line}" for line in targets(out)]
    return "\n".join(lines) + "\n"


def targets(out: dict) -> list[str]:
    rel = out["relevance"]["test"]
    ndcg, fts = rel["seckb"]["overall"]["ndcg@10"], rel["fts5"]["overall"]["ndcg@10"]
    para = rel["seckb"]["by_type"].get("paraphrase", {}).get("ndcg@10", 0.0)
    lat = out["latency"]
    ratio = lat["seckb"]["all"]["p95"] / max(lat["fts5"]["all"]["p95"], 1e-9)
    cites = [out["relevance"][h]["seckb"]["by_type"]["citation"]["top_is_best"] for h in ("test", "dev")]
    rows = [
        ("test half nDCG@10 >= 0.85", ndcg >= TARGETS["ndcg"], f"{ndcg:.3f}"),
        ("test half paraphrase nDCG@10 >= 0.70", para >= TARGETS["paraphrase"], f"{para:.3f}"),
        (
            "test half nDCG@10 >= FTS5 + 0.15",
            ndcg - fts >= TARGETS["ndcg_over_fts5"],
            f"{ndcg - fts:+.3f} over {fts:.3f}",
        ),
        ("citation queries: cited provision first (both halves)", min(cites) == 1, f"{min(cites):.0%}"),
        ("real build <= 20 s", out["build"]["seconds"] <= TARGETS["build_s"], f"{out['build']['seconds']:.1f} s"),
        (
            "one-file incremental <= 2 s",
            out["incremental"]["seconds"] <= TARGETS["incremental_s"],
            f"{out['incremental']['seconds']:.2f} s",
        ),
        ("warm p95 <= 2x FTS5 (real)", ratio <= TARGETS["p95_ratio"], f"{ratio:.2f}x"),
        (
            "CLI search p50 <= 0.5 s",
            out["cli_search"]["p50_s"] <= TARGETS["cli_p50_s"],
            f"{out['cli_search']['p50_s']:.2f} s",
        ),
    ]
    x20 = out["scale"].get("x20")
    if x20:
        l_ = x20["latency"]
        r20 = l_["seckb"]["all"]["p95"] / max(l_["fts5"]["all"]["p95"], 1e-9)
        rows += [
            (
                "x20 warm p95 <= 150 ms (ranking path)",
                l_["seckb"]["all"]["p95"] <= TARGETS["p95_ms_x20"],
                f"{l_['seckb']['all']['p95']:.1f} ms",
            ),
            ("x20 warm p95 <= 2x FTS5", r20 <= TARGETS["p95_ratio"], f"{r20:.2f}x"),
            (
                "x20 build peak memory <= 1 GB",
                x20["peak_mb"] <= TARGETS["build_rss_mb_x20"],
                f"{x20['peak_mb']:.0f} MB",
            ),
        ]
    return [f"{'MET ' if ok else 'MISSED'} {name}: {value}" for name, ok, value in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument("--data")
    parser.add_argument("--sources", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--work", default="/tmp/seckb-bench")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--factor", type=int, default=0)
    # The x20 index is written by one process unless told otherwise, so its peak memory is one
    # process's; a real build chooses two parts itself (indexer/search_index.create_index).
    parser.add_argument("--parts", type=int, default=1)
    parser.add_argument("--limitmb", type=int, default=512)
    parser.add_argument("--scales", default="20")
    parser.add_argument("--writer", action="store_true", help="also compare Whoosh writer options")
    parser.add_argument("--scale-from", help="measure the scaled latency on an index built earlier in this folder")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)))
        return
    out = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(out, indent=1))
    text = render(out)
    (RESULTS / "latest.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
