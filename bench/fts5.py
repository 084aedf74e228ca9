"""Baseline: SQLite FTS5 with BM25 over the very same index documents seckb indexes.

The documents come from kb.build.provision_docs over the built database, so the
heading / text / context / topics fields are byte-for-byte those Whoosh receives, and the
column weights are the Whoosh field boosts. The baseline gets the porter stemmer and the same
"all words, else any word" fallback; it lacks what seckb adds on top (citation pinning,
synonyms, protected legal terms, spelling correction) — that difference is what is measured.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

# heading, text, context, topics — the Whoosh field boosts (indexer/search_index.py).
WEIGHTS = (2.0, 1.0, 0.5, 1.5)
_WORD = re.compile(r"\w+")


class Fts5Index:
    def __init__(self, path: str | Path = ":memory:") -> None:
        self.db = sqlite3.connect(str(path))
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(ref UNINDEXED, jurisdiction UNINDEXED, "
            "act UNINDEXED, body UNINDEXED, heading, text, context, topics, tokenize='porter unicode61')"
        )

    def add(self, docs: Iterable) -> int:
        rows = (
            (d.ref, f",{d.jurisdiction},", d.act, d.body, d.heading, d.text, d.context, " ".join(d.topics))
            for d in docs
        )
        with self.db:
            cur = self.db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?)", rows)
        return cur.rowcount

    def search(
        self,
        text: str,
        *,
        states: Sequence[str] = (),
        acts: Sequence[str] = (),
        bodies: Sequence[str] = (),
        limit: int = 10,
    ) -> list[str]:
        words = _WORD.findall(text.lower())
        if not words:
            return []
        for joiner in (" AND ", " OR "):
            refs = self._run(joiner.join(f'"{w}"' for w in words), states, acts, bodies, limit)
            if refs:
                return refs
        return []

    def _run(self, match: str, states, acts, bodies, limit: int) -> list[str]:
        where, args = ["docs MATCH ?"], [match]
        if states:
            where.append("(" + " OR ".join("jurisdiction LIKE ?" for _ in states) + ")")
            args += [f"%,{s.upper()},%" for s in states]
        for column, values in (("act", acts), ("body", bodies)):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                args += list(values)
        weights = ", ".join(["0", "0", "0", "0", *map(str, WEIGHTS)])
        sql = f"SELECT ref FROM docs WHERE {' AND '.join(where)} ORDER BY bm25(docs, {weights}) LIMIT ?"
        return [row[0] for row in self.db.execute(sql, [*args, limit])]

    def close(self) -> None:
        self.db.close()


def build_from_kb(kb, path: str | Path = ":memory:") -> Fts5Index:
    """An FTS5 index of the provisions and notes of an open KnowledgeBase."""
    from kb.build import note_docs, provision_docs

    index = Fts5Index(path)
    with kb.session() as session:
        index.add([*provision_docs(session, None), *note_docs(session)])
    return index


def fts5_search_fn(index: Fts5Index):
    def run(q, k: int) -> list[str]:
        return index.search(q.query, states=q.states, acts=q.acts, bodies=(q.body,) if q.body else (), limit=k)

    return run
