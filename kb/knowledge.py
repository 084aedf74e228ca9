"""Opening a built knowledge base for reading: the current generation's database and index."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from kb import settings
from kb.store.datadir import DataDir, Generation
from kb.store.db import make_engine, sqlite_url


class KnowledgeBase:
    """A read handle: one engine, one warm searcher, both pinned to one generation.

    Pinning matters: a rebuild publishing a new generation meanwhile does not change what an
    open handle answers, so a long-running process sees one consistent version.
    """

    def __init__(self, generation: Generation, db_url: str) -> None:
        self.generation = generation
        self.db_url = db_url
        self._engine: Engine | None = None
        self._searcher = None

    @classmethod
    def open(cls, data_dir: Path | str | None = None, db_url: str | None = None) -> KnowledgeBase:
        datadir = DataDir(settings.data_dir(data_dir))
        gen = datadir.require_current()
        url = settings.db_url(db_url) or sqlite_url(gen.db_path)
        return cls(gen, url)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.db_url)
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        session = sessionmaker(self.engine, expire_on_commit=False)()
        try:
            yield session
        finally:
            session.close()

    def searcher(self):
        if self._searcher is None:
            from indexer.search_index import Searcher

            self._searcher = Searcher(self.generation.index_dir)
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
