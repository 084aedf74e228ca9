"""Work shared with two forked worker processes during a build (reading sources, tagging topics).

fork, not spawn: a spawned worker imports the caller's main module again, so a script that builds
without a ``__main__`` guard would start its build a second time. A forked worker leaves by
os._exit and never touches the parent's database connection. A worker dies with its parent, even
one killed by ``kill -9``: it holds copies of the parent's descriptors, and the data folder's lock
(an flock) stays held while any process holds one.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Generator, Sequence
from typing import Any

WORKERS = 2
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a forked worker, first thing: ask Linux to kill it when ``parent`` dies (elsewhere a worker
    finishes its task and exits), and exit at once if the parent is already gone."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # no prctl: not Linux
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def ordered(
    fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]], *, start_order: Sequence[int] | None = None
) -> Generator[Any, None, None]:
    """``fn(*call)`` for each call, yielded in the order of ``calls``.

    With two calls or more and two cores, WORKERS forked processes run them, started in
    ``start_order`` (indexes into ``calls``; the longest first keeps the last one from starting
    late). A call whose worker failed is run again here, so its error is raised as one process
    raises it. Closing the generator early stops the workers.
    """
    if len(calls) < 2 or (os.cpu_count() or 1) < 2:
        for call in calls:
            yield fn(*call)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=WORKERS,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        order = start_order if start_order is not None else range(len(calls))
        futures = {i: pool.submit(fn, *calls[i]) for i in order}
        for i, call in enumerate(calls):
            try:
                result = futures[i].result()
            except Exception:
                result = fn(*call)
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
