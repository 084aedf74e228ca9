"""One KnowledgeBase per worker process, reopened when a rebuild publishes a new generation.

A request asks for the handle once, at its start, and uses that handle to the end, so it never
sees half of one generation and half of another. Handlers run one at a time on the worker's one
library thread (kb/web/respond.py), so when the generation changes no other request is using
the old handle and it can be closed at once. Reopening on change also keeps a
long-running server working after any number of rebuilds, although a rebuild removes the
generation before the previous one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb import settings
from kb.knowledge import KnowledgeBase
from kb.store.datadir import DataDir


class KnowledgeBaseHolder:
    def __init__(self, data_dir: Path | str | None, db_url: str | None) -> None:
        self.datadir = DataDir(settings.data_dir(data_dir))
        self.db_url = db_url
        self._kb: KnowledgeBase | None = None
        # Per-generation memo of things every page shows (jurisdiction names, counts).
        self.memo: dict[str, Any] = {}

    def current_path(self) -> Path | None:
        """Where ``current`` points now (no handle opened): cheap enough to ask on every request."""
        current = self.datadir.current()
        return current.path if current is not None else None

    def get(self) -> KnowledgeBase:
        """The handle for this request: the current generation's, opened (again) if it changed."""
        current = self.datadir.current()
        kb = self._kb
        if kb is not None and (current is None or current.path == kb.generation.path):
            # current is None for a moment only if the folder is being replaced by hand: keep serving.
            return kb
        fresh = KnowledgeBase.open(self.datadir.root, self.db_url)
        self._kb, self.memo = fresh, {}
        if kb is not None:
            kb.close()
        return fresh

    def close(self) -> None:
        if self._kb is not None:
            self._kb.close()
            self._kb = None
