"""The data folder: generations of (database, index) swapped in atomically, and a writer lock.

Layout::

    seckb-data/
      current -> gen-20261125T063000-1a2b   (symlink, replaced atomically with os.replace)
      gen-…/seckb.sqlite                    (absent when the database is a server URL)
      gen-…/index/                          (Whoosh)
      gen-…/user-corpus/                    (the user's overlay and files, `seckb add`)
      gen-…/BUILD.json                      (written last: a generation without it is unfinished)
      gen-…/.lease                          (shared flock held by every open reader)
      .lock                                 (flock held by build, add, remove, notes import)

A writer prepares a new generation beside the current one and publishes it by replacing the
symlink, so ``kill -9`` at any moment leaves ``current`` pointing at a whole generation, and a
search that opened the old generation keeps reading it.

The user corpus lives inside the generation, so an ``add`` or ``remove`` changes the overlay and
the database together: a killed writer leaves an unpublished folder, never an overlay that
disagrees with the current database. A reader holds a shared lock on its generation's ``.lease``
for as long as it is open; a writer never deletes a leased generation.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import BusyError, DamagedError, SeckbError

CURRENT = "current"
LOCK = ".lock"
MANIFEST = "BUILD.json"
DB_NAME = "seckb.sqlite"
INDEX_NAME = "index"
USER_CORPUS = "user-corpus"
LEASE = ".lease"
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Generation:
    path: Path

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def index_dir(self) -> Path:
        return self.path / INDEX_NAME

    @property
    def user_dir(self) -> Path:
        return self.path / USER_CORPUS

    def lease(self) -> Lease:
        """A shared lock that keeps writers from deleting this generation while a reader uses it."""
        return Lease(self.path / LEASE)

    def check_database(self) -> None:
        """Refuse, in one line, a SQLite file that is not a whole database any more."""
        if not self.db_path.exists():
            return
        problem = sqlite_problem(self.db_path)
        if problem:
            raise DamagedError(
                f"the knowledge base at {self.path} is damaged ({problem}); "
                "`seckb build --full` rebuilds it from the sources",
                path=self.db_path,
            )

    def manifest(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / MANIFEST).read_text())
        except (OSError, ValueError):
            return {}


class DataDir:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def current(self) -> Generation | None:
        link = self.root / CURRENT
        if not link.exists():
            return None
        gen = Generation(link.resolve())
        return gen if (gen.path / MANIFEST).exists() else None

    def require_current(self) -> Generation:
        gen = self.current()
        if gen is None:
            raise SeckbError(f"no knowledge base in {self.root}; run `seckb build` first", path=self.root)
        return gen

    @contextmanager
    def writer_lock(self, what: str) -> Iterator[None]:
        """Hold the data folder's writer lock, or refuse at once if another writer holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.root / LOCK, "a+")  # noqa: SIM115 - held for the lock's lifetime
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another seckb process"
                raise BusyError(
                    f"the knowledge base is busy ({holder}); try again when it has finished", path=self.root
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"{what} by pid {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.close()  # closing releases the flock, also when the process is killed

    def new_generation(self, copy_from: Generation | None, *, copy_store: bool = True) -> Generation:
        """A fresh generation folder, seeded with a consistent copy of the previous one.

        ``copy_store=False`` copies only the user corpus (a damaged database is not carried on).
        """
        stamp = time.strftime("%Y%m%dT%H%M%S")
        gen = Generation(self.root / f"gen-{stamp}-{uuid.uuid4().hex[:6]}")
        gen.path.mkdir(parents=True)
        if copy_from is not None and copy_store:
            if copy_from.db_path.exists():
                _copy_sqlite(copy_from.db_path, gen.db_path)
            if copy_from.index_dir.exists():
                shutil.copytree(copy_from.index_dir, gen.index_dir)
        user_source = copy_from.user_dir if copy_from is not None and copy_from.user_dir.is_dir() else None
        legacy = self.root / USER_CORPUS  # the overlay's home before it moved into the generations
        if user_source is None and legacy.is_dir():
            user_source = legacy
        if user_source is not None:
            # Hard links: a user's PDFs are not duplicated per generation. Writers replace files
            # (never write into them), so the previous generation's copy stays intact.
            shutil.copytree(user_source, gen.user_dir, copy_function=_link_or_copy, ignore=_ignore_locks)
        return gen

    def publish(self, gen: Generation, manifest: dict[str, Any]) -> None:
        """Seal the generation and make it current in one atomic rename."""
        tmp_manifest = gen.path / (MANIFEST + ".tmp")
        tmp_manifest.write_text(json.dumps(manifest, indent=2, default=str))
        _fsync_file(tmp_manifest)
        os.replace(tmp_manifest, gen.path / MANIFEST)
        previous = self.current()
        tmp_link = self.root / f".current-{uuid.uuid4().hex[:6]}"
        os.symlink(gen.path.name, tmp_link)
        os.replace(tmp_link, self.root / CURRENT)
        _fsync_dir(self.root)
        # The previous generation stays one more round: a search that resolved `current` a moment
        # ago may still be opening its files.
        keep = {gen.path.name} | ({previous.path.name} if previous else set())
        self._remove_stale(keep)

    def discard(self, gen: Generation) -> None:
        shutil.rmtree(gen.path, ignore_errors=True)

    def _remove_stale(self, keep: set[str]) -> None:
        """Remove other generations no reader holds, and leftovers of killed writers (we hold the lock)."""
        for child in self.root.iterdir():
            if child.name.startswith("gen-") and child.name not in keep:
                _remove_unless_leased(child)
            elif child.name.startswith(".current-"):
                child.unlink(missing_ok=True)


class Lease:
    """A reader's shared flock on its generation; released by ``release`` or by the process dying."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: Any = None
        try:
            self._handle = open(path, "a+")  # noqa: SIM115 - held for the lease's lifetime
            fcntl.flock(self._handle, fcntl.LOCK_SH)
        except OSError:
            # A read-only data folder (or a generation just removed): nothing to protect here.
            self.release()

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _remove_unless_leased(path: Path) -> None:
    lease = path / LEASE
    if not lease.exists():
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        with open(lease, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(path, ignore_errors=True)  # still holding the lock: no reader slips in
    except BlockingIOError:
        return  # an open reader still uses it; a later writer removes it
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


def sqlite_problem(path: Path, *, quick: bool = False) -> str | None:
    """Why a SQLite file is not a usable database, or None when it is (``quick``: the header only)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        return exc.strerror or "unreadable"
    if header != _SQLITE_HEADER:
        return "not a SQLite database"
    if quick:
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if row and row[0] == "ok" else f"integrity check: {row[0] if row else 'no answer'}"


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _ignore_locks(_folder: str, names: list[str]) -> set[str]:
    return {name for name in names if name == ".lock"}


def _copy_sqlite(src: Path, dst: Path) -> None:
    # The backup API gives a consistent copy even if a reader has the file open.
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
