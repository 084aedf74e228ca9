"""Experts' discussion notes: Markdown files with YAML front matter, imported into the knowledge base.

A note reads::

    ---
    title: The two-child norm in village panchayats
    author: Sample author, Legal Cell
    organisation: State Election Commission, Maharashtra (sample)
    date: 2025-01-15
    jurisdictions: [MH]
    topics: [two-child-norm]
    agenda_item: candidate-disqualifications
    provisions: ["MH-VPA-1959 s.14(1)(j-1)"]
    sample: true
    ---
    Markdown, citing [[MH-VPA-1959 s.14(1)(j-1)]] inline.

The note's id is its file name's slug. Import is idempotent: an unchanged file (same sha256, same
place) is skipped, a changed one is updated in place. Nothing is silently lost: a note whose file
has gone from the folder is reported and kept unless ``prune=True``, and a file that fails
validation leaves its previously imported version untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.errors import CitationError, NoteError
from kb.knowledge import KnowledgeBase
from kb.refs import find_refs
from kb.resolve import ActIndex, resolve_citation
from kb.store import tables as t
from kb.yamlio import LineMap, LineSeq, load_yaml_text

FIELDS = ("title", "author", "organisation", "date", "jurisdictions", "topics", "agenda_item", "provisions", "sample")
# Words authors use for the provisions a note cites; read as ``provisions``.
FIELD_ALIASES = {"cites": "provisions", "citations": "provisions"}
_LIST_FIELDS = ("jurisdictions", "topics", "provisions")
_TEXT_FIELDS = ("title", "author", "organisation", "agenda_item")
MAX_NOTE_BYTES = 1 << 20  # a long note is 30 KB; a 50 MB one is a mistake (or an attack)
_BOUNDARY_RE = re.compile(r"^-{3,}\s*$")
INLINE_CITATION_RE = re.compile(r"\[\[([^\[\]\n]+?)\]\]")


@dataclass(frozen=True)
class NoteCitationText:
    """A citation as the note's author wrote it, with the file line it is on."""

    text: str
    line: int
    field: str  # "provisions" (front matter), "body" (inline [[...]]) or "prose" (plain text in the body)


@dataclass(frozen=True)
class ParsedNote:
    id: str
    path: Path
    sha256: str
    title: str
    author: str
    organisation: str
    date: dt.date | None
    agenda_item: str
    jurisdictions: tuple[str, ...]
    topics: tuple[str, ...]
    citations: tuple[NoteCitationText, ...]
    sample: bool
    body: str
    # "field" or "field[i]" -> file line, so validation against the database can name the line.
    lines: tuple[tuple[str, int], ...] = ()
    # Kept, not refused: front-matter fields seckb does not know, each reported once on import.
    warnings: tuple[str, ...] = ()

    def line_of(self, name: str, index: int | None = None) -> int | None:
        lines = dict(self.lines)
        if index is not None and f"{name}[{index}]" in lines:
            return lines[f"{name}[{index}]"]
        return lines.get(name)


@dataclass(frozen=True)
class NoteView:
    id: str
    title: str
    author: str
    organisation: str
    date: dt.date | None
    agenda_item: str
    jurisdictions: tuple[str, ...]
    topics: tuple[str, ...]
    sample: bool
    citations: tuple[tuple[str, int | None], ...]  # (canonical ref, line in the file)
    path: str
    body: str


@dataclass
class ImportReport:
    folder: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # file gone from the folder; note kept
    removed: list[str] = field(default_factory=list)  # file gone and prune=True
    errors: list[NoteError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one line each; the note is still imported

    @property
    def ok(self) -> bool:
        return not self.errors


# --- parsing ---------------------------------------------------------------------------------


def slugify_stem(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def parse_note(path: Path) -> ParsedNote:
    """Read one note file; raise NoteError naming the file and line of the first problem.

    Checks only what the file itself can tell (shape, types, title); jurisdictions, topics and
    citations are checked against the knowledge base on import.
    """
    from kb.errors import ReferenceDataError
    from kb.yamlio import read_bounded

    path = Path(path)
    try:
        raw = read_bounded(path, MAX_NOTE_BYTES, "note")
        text = raw.decode("utf-8-sig")
    except ReferenceDataError as exc:
        raise NoteError(exc.message, path=path) from None
    except UnicodeDecodeError as exc:
        raise NoteError(f"cannot read note: not UTF-8 ({exc.reason})", path=path) from None
    note_id = slugify_stem(path.stem)
    if not note_id:
        raise NoteError("the file name gives no usable note id (use letters and digits)", path=path)
    lines = text.splitlines()
    if not lines or not _BOUNDARY_RE.match(lines[0]):
        raise NoteError("no front matter: a note starts with a '---' line, then YAML, then '---'", path=path, line=1)
    end = next((i for i in range(1, len(lines)) if _BOUNDARY_RE.match(lines[i])), None)
    if end is None:
        raise NoteError("front matter is not closed by a '---' line", path=path, line=1)
    fm_text = "\n".join(lines[1:end])
    data, field_lines = _load_front_matter(fm_text, path, first_line=2)
    body_first_line = end + 2
    body_lines = lines[end + 1 :]
    meta, warnings = _check_fields(data, field_lines, path)
    citations = [
        NoteCitationText(text, field_lines.get(f"provisions[{i}]", field_lines.get("provisions", 1)), "provisions")
        for i, text in enumerate(meta["provisions"])
    ]
    for offset, line in enumerate(body_lines):
        for match in INLINE_CITATION_RE.finditer(line):
            citations.append(NoteCitationText(match.group(1).strip(), body_first_line + offset, "body"))
        # Plain citations in the prose (outside [[...]]) are linked too, when they resolve.
        # A bare "section 10" in prose could be any Act's: only named Acts and articles count.
        for ref, words, _at in find_refs(INLINE_CITATION_RE.sub(" ", line)):
            if ref.act or ref.kind == "article":
                citations.append(NoteCitationText(words, body_first_line + offset, "prose"))
    return ParsedNote(
        id=note_id,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=meta["title"],
        author=meta["author"],
        organisation=meta["organisation"],
        date=meta["date"],
        agenda_item=meta["agenda_item"],
        jurisdictions=tuple(meta["jurisdictions"]),
        topics=tuple(meta["topics"]),
        citations=tuple(citations),
        sample=meta["sample"],
        body="\n".join(body_lines).strip(),
        lines=tuple(sorted(field_lines.items())),
        warnings=tuple(warnings),
    )


def _load_front_matter(fm_text: str, path: Path, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """The front matter as a mapping, and the file line of every field and list item."""
    data = load_yaml_text(fm_text, path, first_line=first_line, error=NoteError, what="front matter YAML")
    if data is None:
        return {}, {}
    if not isinstance(data, LineMap):
        raise NoteError("front matter must be a YAML mapping (key: value lines)", path=path, line=first_line)
    field_lines: dict[str, int] = {}
    for key, value in data.items():
        name = FIELD_ALIASES.get(key, key)
        if name in field_lines:
            raise NoteError(f"field {key!r} repeats {name!r}", path=path, line=data.key_lines[key], field=key)
        field_lines[name] = data.key_lines[key]
        if isinstance(value, LineSeq):
            field_lines.update({f"{name}[{i}]": line for i, line in enumerate(value.item_lines)})
    return {FIELD_ALIASES.get(k, k): v for k, v in data.items()}, field_lines


def _check_fields(data: dict[str, Any], lines: dict[str, int], path: Path) -> tuple[dict[str, Any], list[str]]:
    def fail(message: str, name: str) -> NoteError:
        return NoteError(message, path=path, line=lines.get(name, 2), field=name)

    warnings = [
        NoteError(
            f"unknown field {name!r} kept but not used; seckb reads: {', '.join(FIELDS)}",
            path=path,
            line=lines.get(name, 2),
            field=name,
        ).one_line()
        for name in sorted(str(k) for k in data if k not in FIELDS)
    ]
    out: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, (str, int, float)):
            raise fail(f"{name} must be text", name)
        out[name] = " ".join(str(value).split()) if value is not None else ""
    if not out["title"]:
        raise NoteError(
            "missing title: every note needs a 'title:' in its front matter",
            path=path,
            line=lines.get("title", 1),
            field="title",
        )
    for name in _LIST_FIELDS:
        value = data.get(name)
        if value is None:
            value = []
        elif isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise fail(f"{name} must be a list of text items", name)
        out[name] = [str(v).strip() for v in value if str(v).strip()]
    out["jurisdictions"] = [code.upper() for code in out["jurisdictions"]]
    out["date"] = _check_date(data.get("date"), fail)
    sample = data.get("sample", False)
    if not isinstance(sample, bool):
        raise fail("sample must be true or false", "sample")
    out["sample"] = sample
    return out, warnings


def _check_date(value: Any, fail) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise fail(f"date {value!r} is not a date (write YYYY-MM-DD)", "date") from None


# --- importing -------------------------------------------------------------------------------


class _NothingChanged(Exception):
    """Raised inside the change so that no new generation is published for a no-op import."""


def import_notes(kb_data_dir: Path, db_url: str | None, folder: Path, *, prune: bool = False) -> ImportReport:
    """Import every ``*.md`` note directly in ``folder`` into the knowledge base.

    Each file is checked on its own: a bad file is reported in ``errors`` and the others are
    imported. Symbolic links are resolved and one pointing outside the folder is not followed.
    """
    from kb.build import Change, change_knowledge_base

    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise NoteError("not a folder", path=folder)
    report = ImportReport(folder)
    parsed, present_ids = _read_folder(folder, report)

    def apply(session: Session) -> Change:
        changed = _apply_notes(session, folder, parsed, present_ids, prune, report)
        if not changed:
            raise _NothingChanged
        return Change(notes_changed=True)

    with contextlib.suppress(_NothingChanged):
        change_knowledge_base(Path(kb_data_dir), db_url, "notes import", apply)
    return report


def _read_folder(folder: Path, report: ImportReport) -> tuple[list[ParsedNote], set[str]]:
    parsed: list[ParsedNote] = []
    present: set[str] = set()  # ids whose file is still there, even when it fails to parse
    seen_files: dict[str, Path] = {}
    seen_targets: dict[Path, Path] = {}
    # Real files before links, so a note is imported under its own name, not a link's.
    for entry in sorted(folder.iterdir(), key=lambda p: (p.is_symlink(), p.name)):
        if entry.suffix.lower() != ".md":
            continue
        note_id = slugify_stem(entry.stem)
        present.add(note_id)
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # a dangling link, or a loop of links
            reason = "a loop of symbolic links" if "loop" in str(exc).lower() else "cannot be opened"
            report.errors.append(NoteError(f"{reason}; not imported", path=entry))
            continue
        if target in seen_targets:
            # Two names for one file would import the same note twice under two ids.
            report.errors.append(
                NoteError(f"is a link to {seen_targets[target].name}, imported once under that name", path=entry)
            )
            continue
        seen_targets[target] = entry
        if not target.is_relative_to(folder.resolve()):
            report.errors.append(
                NoteError(f"symbolic link points outside the folder ({target}); not followed", path=entry)
            )
            continue
        if not target.is_file():
            continue
        if note_id in seen_files:
            report.errors.append(
                NoteError(
                    f"note id {note_id!r} is already taken by {seen_files[note_id].name}; rename one of the files",
                    path=entry,
                )
            )
            continue
        seen_files[note_id] = entry
        try:
            note = parse_note(entry)
        except NoteError as exc:
            report.errors.append(exc)
            continue
        parsed.append(note)
        report.warnings.extend(note.warnings)
    return parsed, present


def _apply_notes(
    session: Session, folder: Path, parsed: list[ParsedNote], present_ids: set[str], prune: bool, report: ImportReport
) -> bool:
    known_codes = set(session.scalars(select(t.Jurisdiction.code)))
    known_topics = set(session.scalars(select(t.Topic.id)))
    acts = ActIndex.from_session(session)
    existing = {row.id: row for row in session.scalars(select(t.Note))}
    changed = False
    for note in parsed:
        row = existing.get(note.id)
        if row is not None and row.sha256 == note.sha256 and row.path == str(note.path):
            report.unchanged.append(note.id)
            continue
        refs, errors = _check_note(session, note, known_codes, known_topics, acts)
        if errors:
            report.errors.extend(errors)
            continue
        if row is None:
            row = t.Note(id=note.id)
            session.add(row)
            report.added.append(note.id)
        else:
            report.updated.append(note.id)
        _fill_row(row, note, refs)
        changed = True
    for row in existing.values():
        if Path(row.path).parent != folder or row.id in present_ids:
            continue
        if prune:
            session.delete(row)
            report.removed.append(row.id)
            changed = True
        else:
            report.missing.append(row.id)
    return changed


def _check_note(
    session: Session, note: ParsedNote, known_codes: set[str], known_topics: set[str], acts: ActIndex
) -> tuple[list[tuple[str, int]], list[NoteError]]:
    """Every problem with ``note`` against the knowledge base, and its resolved (ref, line) pairs."""
    errors: list[NoteError] = []
    for index, code in enumerate(note.jurisdictions):
        if code not in known_codes:
            errors.append(
                NoteError(
                    f"unknown jurisdiction code {code!r}{_nearest(code, known_codes)}",
                    path=note.path,
                    line=note.line_of("jurisdictions", index),
                    field="jurisdictions",
                )
            )
    for index, topic in enumerate(note.topics):
        if topic not in known_topics:
            errors.append(
                NoteError(
                    f"unknown topic {topic!r}{_nearest(topic, known_topics)}; see `seckb topics`",
                    path=note.path,
                    line=note.line_of("topics", index),
                    field="topics",
                )
            )
    refs: list[tuple[str, int]] = []
    for citation in note.citations:
        try:
            refs.append((resolve_citation(session, citation.text, acts=acts).ref, citation.line))
        except CitationError as exc:
            if citation.field == "prose":
                continue  # words that look like a citation in prose are linked only when they resolve
            nearest = f"; nearest: {', '.join(exc.candidates[:5])}" if exc.candidates else ""
            shown = citation.text if citation.field == "provisions" else f"[[{citation.text}]]"
            errors.append(
                NoteError(
                    f"citation {shown} does not resolve: {exc.message}{nearest}",
                    path=note.path,
                    line=citation.line,
                    field=citation.field,
                )
            )
    return list(dict.fromkeys(refs)), errors


def _nearest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _fill_row(row: t.Note, note: ParsedNote, refs: list[tuple[str, int]]) -> None:
    row.path = str(note.path)
    row.sha256 = note.sha256
    row.title = note.title
    row.author = note.author
    row.organisation = note.organisation
    row.date = note.date
    row.agenda_item = note.agenda_item
    row.jurisdictions = list(note.jurisdictions)
    row.topics = list(note.topics)
    row.sample = note.sample
    row.body = note.body
    row.imported_at = dt.datetime.now()
    row.citations = [t.NoteCitation(ref=ref, line=line) for ref, line in refs]


# --- reading ---------------------------------------------------------------------------------


def list_notes(
    kb: KnowledgeBase, state: str | None = None, topic: str | None = None, agenda_item: str | None = None
) -> list[NoteView]:
    """Notes, newest first; ``topic`` also matches notes tagged with one of its sub-topics."""
    with kb.session() as session:
        wanted_topics = _topic_and_descendants(session, topic) if topic else None
        rows = session.scalars(select(t.Note).order_by(t.Note.date.desc().nulls_last(), t.Note.id)).all()
        out = []
        for row in rows:
            # JSON list columns are filtered here, not in SQL, to stay portable across databases.
            if state and state.upper() not in (row.jurisdictions or []):
                continue
            if wanted_topics is not None and not wanted_topics & set(row.topics or []):
                continue
            if agenda_item and row.agenda_item != agenda_item:
                continue
            out.append(_view(row))
        return out


def get_note(kb: KnowledgeBase, note_id: str) -> NoteView:
    with kb.session() as session:
        row = session.get(t.Note, note_id) or session.get(t.Note, slugify_stem(note_id))
        if row is None:
            known = list(session.scalars(select(t.Note.id)))
            raise NoteError(f"no note {note_id!r}{_nearest(note_id, known)}", field="id")
        return _view(row)


def _topic_and_descendants(session: Session, topic: str) -> set[str]:
    parents = {row[0]: row[1] for row in session.execute(select(t.Topic.id, t.Topic.parent_id))}
    if topic not in parents:
        raise NoteError(f"unknown topic {topic!r}{_nearest(topic, parents)}", field="--topic")
    found = {topic}
    while True:
        more = {child for child, parent in parents.items() if parent in found} - found
        if not more:
            return found
        found |= more


def _view(row: t.Note) -> NoteView:
    return NoteView(
        id=row.id,
        title=row.title,
        author=row.author,
        organisation=row.organisation,
        date=row.date,
        agenda_item=row.agenda_item,
        jurisdictions=tuple(row.jurisdictions or ()),
        topics=tuple(row.topics or ()),
        sample=row.sample,
        citations=tuple((c.ref, c.line) for c in row.citations),
        path=row.path,
        body=row.body,
    )
