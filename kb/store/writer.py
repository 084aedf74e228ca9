"""The one write transaction: build, ``add``/``remove`` and ``notes import`` all go through here.

Under the data folder's writer lock, a new generation is seeded from the current one (database,
index and user corpus), the caller changes it through one database session, and the generation
is published by one atomic rename, or discarded on any error or signal. A ``kill -9`` at any
point leaves the previous generation current, with its overlay and database in agreement.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kb.errors import BusyError
from kb.store.datadir import DataDir, Generation
from kb.store.db import make_engine, open_session, sqlite_url
from kb.store.schema import ensure_schema


@dataclass
class WriteTransaction:
    """What a writer works on: the unpublished generation, its session and the manifest to seal it."""

    gen: Generation
    previous: Generation | None
    db_url: str
    session: Session
    fresh: bool
    manifest: dict[str, Any] = field(default_factory=dict)
    inherit_manifest: bool = True  # a change keeps the build's manifest; a build writes its own

    @property
    def user_dir(self) -> Path:
        """The staged user corpus: changes here are published with the database or not at all."""
        return self.gen.user_dir


@contextmanager
def write_transaction(
    data_dir: Path, db_url: str | None, what: str, *, require_current: bool = True, fresh: bool = False
) -> Iterator[WriteTransaction]:
    """Open a new generation for writing; publish it when the block ends without an error.

    ``fresh`` (``build --full``) starts from an empty database when the current one is damaged;
    otherwise a damaged current database is refused in one line.
    """
    datadir = DataDir(data_dir)
    with datadir.writer_lock(what):
        previous = datadir.require_current() if require_current else datadir.current()
        copy_store = True
        if previous is not None and not db_url:
            if fresh:
                try:
                    previous.check_database()
                except Exception:
                    copy_store = False  # rebuilt from the sources; the damaged copy stays behind
            else:
                previous.check_database()
        gen = datadir.new_generation(copy_from=previous, copy_store=copy_store)
        try:
            url = db_url or sqlite_url(gen.db_path)
            engine = make_engine(url)
            try:
                ensure_schema(engine)
                with open_session(engine) as session:
                    _lock_server_database(session)
                    txn = WriteTransaction(gen, previous, url, session, fresh=not copy_store)
                    yield txn
                    txn.manifest.setdefault("build_id", uuid.uuid4().hex)
                    session.merge(_meta("build_id", str(txn.manifest["build_id"])))
            finally:
                engine.dispose()
            inherit = previous is not None and copy_store and txn.inherit_manifest
            manifest = dict(previous.manifest()) if inherit and previous is not None else {}
            manifest.update(txn.manifest)
            manifest.setdefault("db_url", public_url(url))
            manifest.setdefault("written_at", dt.datetime.now().isoformat(timespec="seconds"))
            datadir.publish(gen, manifest)
        except BaseException:
            datadir.discard(gen)
            raise


def _meta(key: str, value: str) -> Any:
    from kb.store import tables as t

    return t.Meta(key=key, value=value)


def set_meta(session: Session, values: dict[str, str]) -> None:
    for key, value in values.items():
        session.merge(_meta(key, value))


def _lock_server_database(session: Session) -> None:
    """On PostgreSQL, a transaction-scoped advisory lock keeps two servers' writers apart."""
    if session.get_bind().dialect.name == "postgresql":
        got = session.scalar(select(func.pg_try_advisory_xact_lock(0x5EC4B)))
        if not got:
            raise BusyError("another seckb build is writing to this database; try again later")


def public_url(url: str) -> str:
    """A database URL without its password, for manifests and messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable URL)"
