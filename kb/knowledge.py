"""Opening a built knowledge base for reading: the current generation's database and index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from kb import settings
from kb.errors import SeckbError
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
        given = settings.db_url(db_url)
        built_on = str(gen.manifest().get("db_url", ""))
        if given is None and built_on and not built_on.startswith("sqlite"):
            raise SeckbError(
                f"this knowledge base was built on {built_on}; pass --db URL (or set SECKB_DB)", field="--db"
            )
        kb = cls(gen, given or sqlite_url(gen.db_path))
        if given is not None:
            kb.check_connection()
        return kb

    def check_connection(self) -> None:
        """Fail now, in one line, if a database URL the user gave cannot be reached."""
        try:
            with self.engine.connect():
                pass
        except SeckbError:
            raise
        except Exception as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SeckbError(f"cannot connect to the database: {message}", field="--db") from None

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
