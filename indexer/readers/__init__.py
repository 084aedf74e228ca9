"""Readers: one module per source format, each exposing ``read(path) -> RawDocument``.

``READERS`` maps a format name to its module path; modules are imported only when used, so a
command that never reads a PDF never imports pypdfium2.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.errors import ReaderError
from kb.model import RawDocument

# format name -> (module, one-line description)
READERS: dict[str, tuple[str, str]] = {
    "indiacode-md": (
        "indexer.readers.indiacode_md",
        "India Code text as Markdown (front matter, '## Section N - Title', footnotes)",
    ),
    "indiankanoon-xml": ("indexer.readers.indiankanoon_xml", "Indian Kanoon light XML (<act><article><number>…)"),
    "constitution-json": (
        "indexer.readers.constitution_json",
        "Constitution of India as a JSON list of {article, title, description}",
    ),
    "indiacode-sections-json": (
        "indexer.readers.indiacode_html",
        "India Code section HTML fragments (show-data) wrapped in JSON",
    ),
    "indiacode-html": ("indexer.readers.indiacode_html", "India Code act page or section page HTML"),
    "pdf": ("indexer.readers.pdf", "Official consolidated PDF with a text layer"),
    "excerpt-txt": ("indexer.readers.excerpt_txt", "Plain-text partial excerpt with a SOURCE/ACT/STATUS header"),
    "akn-xml": ("indexer.readers.akn_xml", "Akoma Ntoso 3.0 <akomaNtoso><act> (seckb export or another system)"),
    "statute-txt": (
        "indexer.readers.statute_txt",
        "An Act or Articles as plain text copied from a PDF or web page, no header ('14. Heading.— ...')",
    ),
}


# The largest statute in the corpus is about 0.75 MB of text (2.3 MB as PDF). Far larger files are
# not one Act, and the structural parser slows down with the square of a section's length, so a
# 50 MB text would hold a build for half an hour: refuse them up front instead.
MAX_TEXT_BYTES = 10 << 20
MAX_PDF_BYTES = 200 << 20  # the same bound as `seckb fetch`


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_xml(path: Path, parser: Any) -> Any:
    """The root of ``path`` parsed with an lxml ``parser``; malformed or empty XML is a ReaderError
    naming the file and the line."""
    from lxml import etree

    try:
        root = etree.fromstring(path.read_bytes(), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        message = exc.msg.split(", line ")[0] if getattr(exc, "msg", None) else str(exc)
        raise ReaderError(f"malformed XML: {message}", path=path, line=line) from None
    if root is None:
        raise ReaderError("not XML: nothing could be parsed", path=path)
    return root


def detect_format(path: Path) -> str:
    """Guess a file's format from its name and first bytes; ReaderError if none fits."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise ReaderError(f"cannot open: {exc.strerror}", path=path) from None
    name = path.name.lower()
    stripped = head.lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if name.endswith(".excerpt.txt") or stripped.startswith(b"SOURCE:"):
        return "excerpt-txt"
    if name.endswith(".md") or stripped.startswith(b"---"):
        return "indiacode-md"
    if stripped.startswith(b"[") and b'"article"' in head:
        return "constitution-json"
    if stripped.startswith(b"{") and b'"sections"' in _read_all(path, limit=1 << 16):
        return "indiacode-sections-json"
    if b"<akomaNtoso" in head or b"docs.oasis-open.org/legaldocml/ns/akn/3.0" in head:
        return "akn-xml"  # before Indian Kanoon: an AKN file also holds "<act"
    if stripped.startswith(b"<act") or (stripped.startswith(b"<?xml") and b"<act" in head):
        return "indiankanoon-xml"
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "indiacode-html"
    if name.endswith(".txt") or _is_statute_text(path):
        return "statute-txt"  # plain text with no SOURCE header: detected when no other format fits
    raise ReaderError("unknown format; known formats: " + ", ".join(sorted(READERS)), path=path)


def _is_statute_text(path: Path) -> bool:
    from indexer.readers.statute_txt import looks_like_statute

    try:
        return looks_like_statute(_read_all(path, limit=1 << 16).decode("utf-8"))
    except UnicodeDecodeError:
        return False


def _read_all(path: Path, limit: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(limit)


def get_reader(fmt: str) -> Callable[[Path], RawDocument]:
    if fmt not in READERS:
        raise ReaderError(f"unknown format {fmt!r}; known formats: " + ", ".join(sorted(READERS)))
    module = importlib.import_module(READERS[fmt][0])
    return module.read


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> ReaderError:
    """Where the first byte that is not UTF-8 is, and what to do: a Windows editor's ANSI (cp1252)
    or Latin-1 copy is the usual cause."""
    line = exc.object[: exc.start].count(b"\n") + 1 if isinstance(exc.object, bytes) else None
    return ReaderError(
        f"not UTF-8 text (byte {exc.start} is 0x{exc.object[exc.start]:02x}): save the file as UTF-8 and add it again",
        path=path,
        line=line,
    )


def read_document(path: Path, fmt: str | None = None) -> RawDocument:
    """Read a source file with the reader for its (given or detected) format.

    Anything a reader raises that is not already a ReaderError becomes one naming the file,
    so a bad document gives a one-line message and never a traceback.
    """
    path = Path(path)
    if not path.is_file():
        raise ReaderError("no such file", path=path)
    fmt = fmt or detect_format(path)
    reader = get_reader(fmt)
    _check_size(path, fmt)
    try:
        doc = reader(path)
    except ReaderError:
        raise
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None
    except (ValueError, KeyError, IndexError, TypeError, json.JSONDecodeError, OSError) as exc:
        raise ReaderError(f"not a readable {fmt} file ({type(exc).__name__}: {exc})", path=path) from None
    except Exception as exc:  # third-party parsers raise their own classes (pdfium, lxml)
        raise ReaderError(f"not a readable {fmt} file ({type(exc).__name__}: {exc})", path=path) from None
    if not doc.sections:
        raise ReaderError(f"no sections found in this {fmt} file", path=path)
    return doc


def _check_size(path: Path, fmt: str) -> None:
    limit = MAX_PDF_BYTES if fmt == "pdf" else MAX_TEXT_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ReaderError(
            f"{size / (1 << 20):.0f} MB is too large for one Act's {fmt} text "
            f"(limit {limit >> 20} MB); is this the right file?",
            path=path,
        )
