"""How a build reports progress: file by file while reading, then phase by phase until it ends.

A leaf module, so the build (indexer/pipeline.py today, kb/ later) and the terminal display
(kb/render/progress.py) share the words without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

Progress = Callable[[str, int, int], None]  # (label, done, total); label "phase:NAME" starts a phase

# Phases of a build, in order ("read" reads and stores each document in turn). Shown so that the
# bar does not sit at 100% while topics are tagged and the index is written.
PHASES = ("read", "tag", "rules", "index", "publish")

# The progress callback of builds started deep inside a command (`seckb add`, `fetch`, notes).
BUILD_PROGRESS: ContextVar[Progress | None] = ContextVar("seckb_build_progress", default=None)
