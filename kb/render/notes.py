"""Notes: the import report, the list of notes and one note, as text and JSON."""

from __future__ import annotations

from kb.notes import ImportReport, NoteView
from kb.render.views import to_json


def import_json(report: ImportReport) -> str:
    return to_json(
        {
            "folder": report.folder,
            "added": report.added,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "missing": report.missing,
            "removed": report.removed,
            "warnings": report.warnings,
            "errors": [error.one_line() for error in report.errors],
        }
    )


def import_text(report: ImportReport) -> str:
    lines = [
        f"Notes in {report.folder}: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, {len(report.errors)} failed"
    ]
    for label, ids in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        if ids:
            lines.append(f"  {label}: {', '.join(ids)}")
    if report.missing:
        lines.append(f"  kept, file gone from the folder (use --prune to remove): {', '.join(report.missing)}")
    return "\n".join(lines)


def notes_json(notes: list[NoteView]) -> str:
    return to_json([{k: v for k, v in vars(n).items() if k != "body"} for n in notes])


def notes_text(notes: list[NoteView]) -> str:
    if not notes:
        return "no notes"
    lines = []
    for note in notes:
        mark = " [sample]" if note.sample else ""
        where = ",".join(note.jurisdictions) or "-"
        when = note.date.isoformat() if note.date else ""
        lines.append(f"{note.id:<40} {when:<10} {where:<10} {note.title}{mark}")
    return "\n".join(lines)


def note_text(note: NoteView) -> str:
    lines = [
        note.title + (" [sample]" if note.sample else ""),
        f"by {note.author or 'unknown'}"
        + (f", {note.organisation}" if note.organisation else "")
        + (f" — {note.date}" if note.date else ""),
    ]
    for label, value in (
        ("jurisdictions", ", ".join(note.jurisdictions)),
        ("topics", ", ".join(note.topics)),
        ("agenda item", note.agenda_item),
        ("file", note.path),
    ):
        if value:
            lines.append(f"{label}: {value}")
    if note.citations:
        lines.append("cites: " + ", ".join(dict.fromkeys(ref for ref, _ in note.citations)))
    lines += ["", note.body]
    return "\n".join(lines)
