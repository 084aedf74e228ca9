"""A synthetic corpus at scale, made from the real provisions.

Copy k of every real provision becomes a provision of a synthetic Act in a synthetic
jurisdiction (``S07``, Act ``S07-MH-VPA-1959``), its text perturbed so copies are not identical:
a few words per provision are swapped for other corpus words, and numbers shift. The documents
are inserted into an SQLite database (table ``docs``), then read back from it to build the Whoosh
index (indexer.search_index.create_index) and the FTS5 baseline — the same data for both.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from indexer.search_index import IndexDoc

_FIELDS = (
    "ref",
    "doc_type",
    "jurisdiction",
    "act",
    "body",
    "kind",
    "path",
    "heading",
    "text",
    "context",
    "topics",
    "ord",
    "below",
    "described",
)


def perturb(text: str, rng: random.Random, vocabulary: Sequence[str], rate: float = 0.08) -> str:
    words = text.split(" ")
    for i in range(len(words)):
        if rng.random() < rate and words[i].isalpha():
            words[i] = rng.choice(vocabulary)
    return re.sub(r"\b(\d{1,2})\b", lambda m: str(int(m.group(1)) + rng.randint(0, 3)), " ".join(words))


def synthetic_docs(real: Sequence[IndexDoc], factor: int, seed: int = 7) -> Iterator[IndexDoc]:
    """The real documents, then ``factor - 1`` perturbed copies of them."""
    rng = random.Random(seed)
    vocabulary = sorted({w for d in real[:3000] for w in d.text.split() if w.isalpha() and len(w) > 3})
    yield from real
    for copy in range(1, factor):
        juris = f"S{copy:02d}"
        for doc in real:
            if doc.doc_type != "provision":
                continue
            act = f"{juris}-{doc.act}"
            yield IndexDoc(
                ref=f"{act} {doc.ref.split(' ', 1)[1]}",
                doc_type="provision",
                jurisdiction=juris,
                act=act,
                body=doc.body,
                kind=doc.kind,
                path=doc.path,
                heading=doc.heading,
                text=perturb(doc.text, rng, vocabulary),
                context=doc.context,
                topics=doc.topics,
                ord=doc.ord,
                below=doc.below,
                described=doc.described,
            )


def write_db(path: Path, docs: Iterator[IndexDoc]) -> int:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(str(path))
    db.execute(f"CREATE TABLE docs ({', '.join(_FIELDS)})")
    with db:
        cur = db.executemany(
            f"INSERT INTO docs VALUES ({','.join('?' * len(_FIELDS))})",
            (
                (
                    d.ref,
                    d.doc_type,
                    d.jurisdiction,
                    d.act,
                    d.body,
                    d.kind,
                    d.path,
                    d.heading,
                    d.text,
                    d.context,
                    ",".join(d.topics),
                    d.ord,
                    d.below,
                    d.described,
                )
                for d in docs
            ),
        )
    count = db.execute("SELECT count(*) FROM docs").fetchone()[0]
    db.close()
    del cur
    return count


def read_db(path: Path) -> Iterator[IndexDoc]:
    db = sqlite3.connect(str(path))
    try:
        for row in db.execute(f"SELECT {', '.join(_FIELDS)} FROM docs ORDER BY rowid"):
            values = dict(zip(_FIELDS, row))
            values["topics"] = tuple(t for t in values["topics"].split(",") if t)
            yield IndexDoc(**values)
    finally:
        db.close()


def real_docs(data_dir: Path | None) -> list[IndexDoc]:
    from kb.build import note_docs, provision_docs
    from kb.knowledge import KnowledgeBase

    with KnowledgeBase.open(data_dir) as kb, kb.session() as session:
        return [*provision_docs(session, None), *note_docs(session)]
