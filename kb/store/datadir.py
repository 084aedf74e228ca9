"""The data folder: generations of (database, index) swapped in atomically, and a writer lock.

Layout::

    seckb-data/
      current -> gen-20261125T063000-1a2b   (symlink, replaced atomically with os.replace)
      gen-…/seckb.sqlite                    (absent when the database is a server URL)
      gen-…/index/                          (Whoosh)
      gen-…/BUILD.json                      (written last: a generation without it is unfinished)
      .lock                                 (flock held by build, add, remove, notes import)

A writer prepares a new generation beside the current one and publishes it by replacing the
symlink, so ``kill -9`` at any moment leaves ``current`` pointing at a whole generation, and a
search that opened the old generation keeps reading it.
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

from kb.errors import BusyError, SeckbError

CURRENT = "current"
LOCK = ".lock"
MANIFEST = "BUILD.json"
DB_NAME = "seckb.sqlite"
INDEX_NAME = "index"


@dataclass(frozen=True)
class Generation:
    path: Path

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def index_dir(self) -> Path:
        return self.path / INDEX_NAME

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

    def new_generation(self, copy_from: Generation | None) -> Generation:
        """A fresh generation folder, seeded with a consistent copy of the previous one."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        gen = Generation(self.root / f"gen-{stamp}-{uuid.uuid4().hex[:6]}")
        gen.path.mkdir(parents=True)
        if copy_from is not None:
            if copy_from.db_path.exists():
                _copy_sqlite(copy_from.db_path, gen.db_path)
            if copy_from.index_dir.exists():
                shutil.copytree(copy_from.index_dir, gen.index_dir)
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
        """Remove other generations, and leftovers of killed writers (we hold the lock)."""
        for child in self.root.iterdir():
            if child.name.startswith("gen-") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
            elif child.name.startswith(".current-"):
                child.unlink(missing_ok=True)


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
