"""Opening a built knowledge base for reading: the current generation's database and index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kb import settings
from kb.errors import SeckbError
from kb.store.datadir import DataDir, Generation, Lease
from kb.store.db import make_engine, sqlite_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session


class KnowledgeBase:
    """A read handle: one engine, one warm searcher, both pinned to one generation.

    Pinning matters: a rebuild publishing a new generation meanwhile does not change what an
    open handle answers, so a long-running process sees one consistent version. The handle holds
    a lease on its generation, so no number of rebuilds deletes it while the handle is open; a
    long-lived process calls :meth:`refresh` between requests to move to the newest one.
    """

    def __init__(self, generation: Generation, db_url: str, datadir: DataDir | None = None) -> None:
        self.generation = generation
        self.db_url = db_url
        self._datadir = datadir
        self._given_url: str | None = None
        self._engine: Engine | None = None
        self._searcher = None
        self._lease: Lease | None = None

    @classmethod
    def open(cls, data_dir: Path | str | None = None, db_url: str | None = None) -> KnowledgeBase:
        datadir = DataDir(settings.data_dir(data_dir))
        gen, lease = _lease_current(datadir)
        given = settings.db_url(db_url)
        built_on = str(gen.manifest().get("db_url", ""))
        if given is None and built_on and not built_on.startswith("sqlite"):
            lease.release()
            raise SeckbError(
                f"this knowledge base was built on {built_on}; pass --db URL (or set SECKB_DB)", field="--db"
            )
        if given is None:
            _check_sqlite_header(gen)
        kb = cls(gen, given or sqlite_url(gen.db_path), datadir)
        kb._lease = lease
        kb._given_url = given
        if given is not None:
            kb.check_connection()
        return kb

    def refresh(self) -> bool:
        """Move to the current generation if a writer published a newer one; True when it moved.

        Call between requests, never during one: the engine and searcher are replaced.
        """
        if self._datadir is None:
            return False
        current = self._datadir.current()
        if current is None or current.path == self.generation.path:
            return False
        gen, lease = _lease_current(self._datadir)
        self.close()
        self.generation = gen
        self.db_url = self._given_url or sqlite_url(gen.db_path)
        self._lease = lease
        return True

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
        from sqlalchemy.orm import sessionmaker

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
        if self._lease is not None:
            self._lease.release()
            self._lease = None

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _lease_current(datadir: DataDir) -> tuple[Generation, Lease]:
    """The current generation with a reader's lease on it.

    A writer may remove the generation between resolving ``current`` and taking the lease, so
    the lease is checked against a generation that is still whole, and retried otherwise.
    """
    for _ in range(5):
        gen = datadir.require_current()
        lease = gen.lease()
        if gen.manifest():
            return gen, lease
        lease.release()
    return datadir.require_current(), Lease(datadir.require_current().path / ".lease")


def _check_sqlite_header(gen: Generation) -> None:
    """A file that is not SQLite at all is refused here, in one line; deeper damage shows on first read."""
    from kb.store.datadir import sqlite_problem

    if gen.db_path.exists():
        problem = sqlite_problem(gen.db_path, quick=True)
        if problem:
            gen.check_database()
