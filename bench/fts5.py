"""Baseline: the SQLite FTS5 index a user would build in an afternoon, over the very same provisions.

The documents come from kb.build.provision_docs / note_docs over the built database (the
provisions and notes Whoosh indexes). The baseline is the strong plain one: the porter tokenizer,
the OR of the query's words ranked by BM25, the section heading weighted ×2 against the text. It
lacks what seckb adds (citation pinning, clause context, coverage ranking, synonyms, topics, legal
stemming, spelling correction): that difference is what is measured.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

# heading, text: the heading counts twice.
WEIGHTS = (2.0, 1.0)
_WORD = re.compile(r"\w+")


class Fts5Index:
    def __init__(self, path: str | Path = ":memory:") -> None:
        self.db = sqlite3.connect(str(path))
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(ref UNINDEXED, jurisdiction UNINDEXED, "
            "act UNINDEXED, body UNINDEXED, heading, text, tokenize='porter unicode61')"
        )

    def add(self, docs: Iterable) -> int:
        rows = ((d.ref, f",{d.jurisdiction},", d.act, d.body, d.heading, d.text) for d in docs)
        with self.db:
            cur = self.db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?)", rows)
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
        return self._run(" OR ".join(f'"{w}"' for w in dict.fromkeys(words)), states, acts, bodies, limit)

    def _run(
        self, match: str, states: Sequence[str], acts: Sequence[str], bodies: Sequence[str], limit: int
    ) -> list[str]:
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
