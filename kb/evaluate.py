"""Relevance evaluation: graded judgments (YAML) in, nDCG@k / recall@k / MRR out.

The judged set (bench/queries.yaml) is data: each query as a user types it, the filters they
gave, a query type, and provision refs graded 2 (answers the question) or 1 (related). Any
engine is evaluated through a ``SearchFn`` (judged query -> ranked refs), so seckb and the
FTS5 baseline are measured on exactly the same queries and judgments.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import ReferenceDataError

DEFAULT_QUERIES = Path(__file__).resolve().parents[1] / "bench" / "queries.yaml"
QUERY_TYPES = ("citation", "citation-text", "phrase", "paraphrase", "synonym", "misspelling", "filter")


@dataclass(frozen=True)
class JudgedQuery:
    id: str
    type: str
    query: str
    relevant: Mapping[str, int]
    states: tuple[str, ...] = ()
    acts: tuple[str, ...] = ()
    body: str | None = None


SearchFn = Callable[[JudgedQuery, int], Sequence[str]]


# --- metrics ------------------------------------------------------------------------------------


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain with the exponential gain 2^g - 1 (graded judgments)."""
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([grades.get(ref, 0) for ref in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Share of the relevant provisions in the top k; the denominator is capped at k so a query
    with more than k relevant provisions can still reach 1."""
    relevant = {ref for ref, g in grades.items() if g > 0}
    if not relevant:
        return 0.0
    found = len(relevant & set(ranked[:k]))
    return found / min(len(relevant), k)


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    for rank, ref in enumerate(ranked, start=1):
        if grades.get(ref, 0) > 0:
            return 1.0 / rank
    return 0.0


def top_is_best(ranked: Sequence[str], grades: Mapping[str, int]) -> bool:
    """The first hit is a provision graded 2 (for citations: "the cited provision comes first")."""
    return bool(ranked) and grades.get(ranked[0], 0) == max(grades.values(), default=0) > 0


# --- judged set ---------------------------------------------------------------------------------


def load_queries(path: Path | None = None) -> list[JudgedQuery]:
    from kb.yamlio import Entry, line_of, load_yaml

    path = path or DEFAULT_QUERIES
    data = load_yaml(path)
    entries = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ReferenceDataError("expected a top-level 'queries:' list", path=path, line=line_of(data))
    out: list[JudgedQuery] = []
    seen: set[str] = set()
    for item in entries:
        entry = Entry(path, item, "query", _QUERY_FIELDS, line_of(item) or 0)
        query_id = str(entry.mapping.get("id") or "")
        if not query_id or not {"type", "query", "relevant"} <= set(entry.mapping):
            raise entry.error(None, "each query needs id, type, query and relevant")
        kind = entry.choice("type", QUERY_TYPES)
        if query_id in seen:
            raise entry.error("id", f"duplicate query id {query_id!r}")
        seen.add(query_id)
        relevant = entry.mapping["relevant"] or {}
        if not isinstance(relevant, dict):
            raise entry.error("relevant", "relevant must map provision refs to grades 1 or 2")
        grades = {str(ref): g for ref, g in relevant.items()}
        if not grades or any(g not in (1, 2) or isinstance(g, bool) for g in grades.values()):
            raise entry.error("relevant", f"query {query_id}: grades must be 1 or 2")
        out.append(
            JudgedQuery(
                id=query_id,
                type=kind,
                query=str(entry.mapping["query"]),
                relevant=grades,
                states=tuple(entry.mapping.get("states") or ()),
                acts=tuple(entry.mapping.get("acts") or ()),
                body=entry.text("body", required=False),
            )
        )
    return out


_QUERY_FIELDS = ("id", "type", "query", "relevant", "states", "acts", "body", "note", "comment")

DEFAULT_POOLED = DEFAULT_QUERIES.with_name("pooled.yaml")
# Development-only queries written after the test half had been scored (see the file's header):
# they guide tuning beside the development half and are never reported as the test.
TUNING_QUERIES = DEFAULT_QUERIES.with_name("queries-tune.yaml")


def pooled_path_for(queries_path: Path | None) -> Path:
    """The pooled judgments of a query file: queries-X.yaml has pooled-X.yaml beside it."""
    path = queries_path or DEFAULT_QUERIES
    if path.name.startswith("queries-"):
        return path.with_name("pooled-" + path.name.removeprefix("queries-"))
    return DEFAULT_POOLED


def with_pooled(queries: Sequence[JudgedQuery], path: Path | None = None) -> list[JudgedQuery]:
    """The queries with the pooled judgments (bench/pooled.yaml) added: provisions graded 1 or 2
    there count as relevant where the query's own judgments are silent; its own grades stand."""
    from dataclasses import replace

    from kb.yamlio import line_of, load_yaml

    path = path or DEFAULT_POOLED
    data = load_yaml(path)
    pooled = data.get("pooled") if isinstance(data, dict) else None
    if not isinstance(pooled, dict):
        raise ReferenceDataError("expected a top-level 'pooled:' mapping", path=path, line=line_of(data))
    known = {q.id for q in queries}
    for query_id, grades in pooled.items():
        line = line_of(grades)
        if query_id not in known:
            raise ReferenceDataError(f"pooled judgments for unknown query {query_id!r}", path=path, line=line)
        if not isinstance(grades, dict) or any(g not in (0, 1, 2) or isinstance(g, bool) for g in grades.values()):
            raise ReferenceDataError(f"query {query_id}: grades must be 0, 1 or 2", path=path, line=line)
    out = []
    for q in queries:
        extra = {str(ref): g for ref, g in (pooled.get(q.id) or {}).items() if g > 0 and ref not in q.relevant}
        out.append(replace(q, relevant={**q.relevant, **extra}) if extra else q)
    return out


# --- development and test halves ------------------------------------------------------------------

SPLIT_SEED = 14
HALVES = ("dev", "test", "all")


def split_queries(queries: Sequence[JudgedQuery], seed: int = SPLIT_SEED) -> dict[str, list[JudgedQuery]]:
    """A fixed development half (tune on it) and a held-back test half (report it).

    A query's half depends only on its id and ``seed`` (a hash), so adding queries to the file never
    moves an old one from one half to the other.
    """
    import hashlib

    def half(q: JudgedQuery) -> str:
        return "dev" if hashlib.sha256(f"{seed}:{q.id}".encode()).digest()[0] % 2 == 0 else "test"

    return {
        "dev": [q for q in queries if half(q) == "dev"],
        "test": [q for q in queries if half(q) == "test"],
        "all": list(queries),
    }


# --- running ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryScore:
    query: JudgedQuery
    ranked: tuple[str, ...]
    ndcg: float
    recall: float
    rr: float
    top_best: bool


@dataclass
class Summary:
    count: int
    ndcg: float
    recall: float
    mrr: float
    top_best: float

    def as_dict(self) -> dict[str, float]:
        return {
            "queries": self.count,
            "ndcg@10": round(self.ndcg, 4),
            "recall@10": round(self.recall, 4),
            "mrr": round(self.mrr, 4),
            "top_is_best": round(self.top_best, 4),
        }


@dataclass
class EvalReport:
    engine: str
    k: int
    scores: list[QueryScore]
    overall: Summary = field(init=False)
    by_type: dict[str, Summary] = field(init=False)

    def __post_init__(self) -> None:
        self.overall = _summarise(self.scores)
        types = [t for t in QUERY_TYPES if any(s.query.type == t for s in self.scores)]
        self.by_type = {t: _summarise([s for s in self.scores if s.query.type == t]) for t in types}

    def as_dict(self) -> dict:
        return {
            "engine": self.engine,
            "k": self.k,
            "overall": self.overall.as_dict(),
            "by_type": {t: s.as_dict() for t, s in self.by_type.items()},
            "queries": [
                {
                    "id": s.query.id,
                    "type": s.query.type,
                    "query": s.query.query,
                    "ndcg@10": round(s.ndcg, 4),
                    "recall@10": round(s.recall, 4),
                    "rr": round(s.rr, 4),
                    "top": list(s.ranked[:3]),
                }
                for s in self.scores
            ],
        }


def _summarise(scores: list[QueryScore]) -> Summary:
    n = len(scores) or 1
    return Summary(
        len(scores),
        sum(s.ndcg for s in scores) / n,
        sum(s.recall for s in scores) / n,
        sum(s.rr for s in scores) / n,
        sum(s.top_best for s in scores) / n,
    )


def evaluate(engine: str, search_fn: SearchFn, queries: Sequence[JudgedQuery], k: int = 10) -> EvalReport:
    scores = []
    for q in queries:
        ranked = tuple(search_fn(q, k))
        scores.append(
            QueryScore(
                q,
                ranked,
                ndcg_at_k(ranked, q.relevant, k),
                recall_at_k(ranked, q.relevant, k),
                reciprocal_rank(ranked, q.relevant),
                top_is_best(ranked, q.relevant),
            )
        )
    return EvalReport(engine, k, scores)


def seckb_search_fn(kb, facets: bool = False) -> SearchFn:
    """Judged query -> ranked refs through kb.query.search (citations, synonyms, spelling...).

    Facets are off by default: ranking is what is judged, and FTS5 computes none either.
    """
    from kb.query import SearchRequest, search

    def run(q: JudgedQuery, k: int) -> list[str]:
        request = SearchRequest(
            text=q.query, states=q.states, acts=q.acts, bodies=(q.body,) if q.body else (), limit=k, facets=facets
        )
        return [hit.ref for hit in search(kb, request).hits]

    return run
