"""Writing output files so that a failure never leaves a half-written file behind.

``write_bytes_atomic`` is the one way seckb writes a file a user named. The atomic rename is only
right for a regular file (or a new path): renaming over ``/dev/null``, a FIFO or a symlink would
replace the device, the pipe or the link itself. So what is at the path decides:

| at the path             | what happens                                                 |
|-------------------------|--------------------------------------------------------------|
| nothing, regular file   | temp file beside it, then an atomic rename                   |
| symlink                 | followed deliberately: the link stays, its target is written |
| character device, FIFO  | written as a stream (``/dev/stdout``, ``/dev/null``, a pipe) |
| ``-``                   | standard output                                              |
| directory, block device | refused                                                      |
| ``/proc``, ``/sys``     | refused: kernel interfaces, not files                        |

Every ``OSError`` becomes one line naming the path.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from kb.errors import SeckbError

STDOUT = "-"
_KERNEL_DIRS = ("/proc", "/sys")


class OutputError(SeckbError):
    """An output path cannot be written."""


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    target = _output_target(path)
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _one_line(exc, path) from None
    try:
        if mode is None or stat.S_ISREG(mode):
            _replace_atomically(target, data)
        elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            _stream(target, data)
        elif stat.S_ISDIR(mode):
            raise OutputError("is a folder; name a file inside it", path=path)
        else:
            raise OutputError("is not a regular file, a character device or a FIFO; not written", path=path)
    except OSError as exc:
        raise _one_line(exc, path) from None


def write_text_atomic(path: Path | str, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def require_regular_file(path: Path | str, what: str = "input") -> None:
    """Refuse a FIFO, device or folder before opening it: reading one could hang or never end."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        reason = "symbolic link loop" if exc.errno == errno.ELOOP else (exc.strerror or type(exc).__name__)
        raise SeckbError(f"cannot read the {what}: {reason}", path=path) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "not a regular file"
        raise SeckbError(f"the {what} is {kind}; give a regular file", path=path)


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDOUT


def _output_target(path: Path | str) -> Path | None:
    """The real path to write (symlinks followed), or None for standard output."""
    text = str(path)
    if text == STDOUT:
        return None
    if not text.strip() or text == ".":  # click turns "" into Path(".")
        raise OutputError("the output path is empty; name a file, or - for standard output", field="--output")
    try:
        real = Path(os.path.realpath(text, strict=False))
    except OSError as exc:  # a symlink loop
        raise _one_line(exc, path) from None
    for kernel in _KERNEL_DIRS:
        if str(real) == kernel or str(real).startswith(kernel + "/"):
            raise OutputError(f"is inside {kernel}, a kernel interface, not a place for output files", path=path)
    return real


def _replace_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); an output file should be as readable as any other.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _stream(path: Path, data: bytes) -> None:
    # No O_CREAT, no O_TRUNC: the device or pipe must be there already and stays what it is.
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def _one_line(exc: OSError, path: Path | str) -> OutputError:
    reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "") or type(exc).__name__
    if exc.errno == errno.ELOOP:
        reason = "symbolic link loop"
    return OutputError(f"cannot write: {reason}", path=path)
