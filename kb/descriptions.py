"""How people describe provisions (corpus/descriptions/*.yaml): searched, never shown as statute text.

Lawyers and officials search in their own words ("two-child norm", "voter list", "stand for
election") where the Acts say "has more than two children", "electoral roll", "be chosen to fill a
seat". Each file maps a provision's ref to a few short descriptions written by seckb's curators
from the provision's text. The index searches them in their own field at a low weight
(kb/query.py ``FIELD_BOOSTS["described"]``); no page, export or snippet ever shows them as the
Act's words.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import settings
from kb.errors import ReferenceDataError
from kb.store import tables as t
from kb.yamlio import line_of, load_yaml

FOLDER = "descriptions"
# A description names one provision's subject in a search's length, not a summary of it.
MAX_WORDS = 20
MAX_PER_PROVISION = 5


def description_files(corpus: Path | None = None) -> list[Path]:
    folder = (corpus or settings.corpus_dir()) / FOLDER
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_descriptions(session: Session, corpus: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Provision ref -> its descriptions, for the provisions the knowledge base holds.

    A malformed file is refused with its file and line. A ref the knowledge base does not hold is
    skipped, not refused: a user who adds a new edition of an Act must not be stopped by our notes
    on the old one (:func:`stale_refs` lists them; a test keeps the shipped files free of them)."""
    found = read_descriptions(corpus)
    if not found:
        return found
    known = set(session.scalars(select(t.Provision.ref).where(t.Provision.ref.in_(list(found)))))
    return {ref: items for ref, items in found.items() if ref in known}


def stale_refs(session: Session, corpus: Path | None = None) -> list[tuple[str, Path, int | None]]:
    """Described refs of Acts the knowledge base holds that name none of their provisions."""
    found = _read(corpus)
    held_acts = set(session.scalars(select(t.Provision.act_id).distinct()))
    known = set(session.scalars(select(t.Provision.ref).where(t.Provision.ref.in_(list(found)))))
    return [
        (ref, path, line)
        for ref, (_, path, line) in found.items()
        if ref not in known and ref.split(" ", 1)[0] in held_acts
    ]


def read_descriptions(corpus: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Every description file, checked: provision ref -> descriptions."""
    return {ref: items for ref, (items, _, _) in _read(corpus).items()}


def _read(corpus: Path | None) -> dict[str, tuple[tuple[str, ...], Path, int | None]]:
    out: dict[str, tuple[tuple[str, ...], Path, int | None]] = {}
    for path in description_files(corpus):
        data = load_yaml(path) or {}
        if not isinstance(data, dict):
            raise ReferenceDataError("expected a mapping of provision ref -> list of descriptions", path=path)
        for ref, items in data.items():
            line = line_of(items)
            if not isinstance(ref, str) or not isinstance(items, list) or not items:
                raise ReferenceDataError(f"{ref!r}: expected a list of descriptions", path=path, line=line)
            if ref in out:
                raise ReferenceDataError(f"{ref} is described twice (also in {out[ref][1].name})", path=path, line=line)
            if len(items) > MAX_PER_PROVISION:
                raise ReferenceDataError(f"{ref}: at most {MAX_PER_PROVISION} descriptions", path=path, line=line)
            for item in items:
                if not isinstance(item, str) or not item.strip() or len(item.split()) > MAX_WORDS:
                    raise ReferenceDataError(
                        f"{ref}: each description is a line of 1 to {MAX_WORDS} words", path=path, line=line
                    )
            out[ref] = (tuple(item.strip() for item in items), path, line)
    return out


def descriptions_digest(corpus: Path | None = None) -> str:
    """Changes when any description file does, so the index is rewritten with them."""
    import hashlib

    digest = hashlib.sha256()
    for path in description_files(corpus):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
