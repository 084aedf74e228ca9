"""The only bridge between parser objects (kb.model) and ORM rows (kb.store.tables)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from kb import model
from kb.refs import KIND_PREFIX, normalise_number
from kb.store import tables as t


def provision_ref(act_id: str, kind: str, path: str) -> str:
    """Canonical citation string for a node of an Act whose top-level units are of ``kind``."""
    return f"{act_id} {KIND_PREFIX[kind]}{path}"


def save_provisions(
    session: Session, act_id: str, document_id: int, sections: list[tuple[model.RawSection, model.ParsedSection]]
) -> tuple[int, list[str]]:
    """Replace the Act's provisions with the parsed trees.

    Rows are written with ids computed here and inserted in bulk (executemany): the ORM's unit of
    work is ten times slower for the twenty thousand nodes of the corpus. Returns the row count
    and warnings (a section number that occurs twice keeps its first tree only).
    """
    session.execute(delete(t.Provision).where(t.Provision.act_id == act_id))
    next_id = (session.scalar(select(func.max(t.Provision.id))) or 0) + 1
    next_note = (session.scalar(select(func.max(t.AmendmentNote.id))) or 0) + 1
    rows: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    seen: set[str] = set()
    warnings: list[str] = []
    for raw, parsed in sections:
        root_ref = provision_ref(act_id, raw.kind, parsed.provision.path)
        if root_ref in seen:
            warnings.append(f"{root_ref}: section number occurs twice; kept the first")
            continue
        ids: dict[int, int] = {}
        for node, parent, depth in _walk(parsed.provision, None, 0):
            ref = provision_ref(act_id, raw.kind, node.path)
            if ref in seen:
                warnings.append(f"{ref}: label occurs twice among its siblings; kept the first")
                continue
            seen.add(ref)
            ids[id(node)] = next_id
            rows.append(
                {
                    "id": next_id,
                    "act_id": act_id,
                    "document_id": document_id,
                    "parent_id": ids.get(id(parent)) if parent is not None else None,
                    "ref": ref,
                    "kind": node.kind,
                    "label": node.label,
                    "path": node.path,
                    "number_key": normalise_number(raw.number),
                    "heading": node.heading,
                    "text": node.text,
                    "tail": node.tail,
                    "container": " / ".join(raw.container),
                    "anchor": raw.anchor if depth == 0 else None,
                    "ord": len(rows),
                    "depth": depth,
                    "repealed": raw.repealed,
                    "topics": [],
                }
            )
            for note in node.notes:
                notes.append(
                    {
                        "id": next_note,
                        "provision_id": next_id,
                        "marker": note.marker,
                        "action": note.action,
                        "footnote": note.footnote,
                        "affected_text": note.affected_text,
                        "summary": note.summary,
                    }
                )
                next_note += 1
            next_id += 1
    if rows:
        session.execute(insert(t.Provision), rows)
    if notes:
        session.execute(insert(t.AmendmentNote), notes)
    return len(rows), warnings


def _walk(
    node: model.Provision, parent: model.Provision | None, depth: int
) -> Iterator[tuple[model.Provision, model.Provision | None, int]]:
    yield node, parent, depth
    for child in node.children:
        yield from _walk(child, node, depth + 1)
