"""How one comparison-table cell reads, said once for every renderer and template.

:func:`view` turns a :class:`kb.model.Cell` into a :class:`CellView`: the status word (from
:mod:`kb.vocab`), the value, the citation, the statute words *or* the reviewer's summary with a
flag saying which it is (a summary is never printed as a quotation), the in-force phrase, the
pending-change mark, the source with its address and grade, the inherited chain as a list, the
judgments, the body and the baseline status. :func:`legend` gives the words and what each means,
from the same enums, so every output's legend says exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from kb.model import Cell, ComparisonTable, Judgment, Row
from kb.vocab import BaselineStatus, CellStatus, LegislativeStage, SourceGrade

# Older names kb/render/html.py imports until it renders CellView through its template. It prints
# NO_PROVISION and then empty_note() for every empty cell, so the headline is left empty and
# empty_note() says the whole thing in the vocabulary's words.
NO_PROVISION = ""
SECONDARY_MARK = CellStatus.SECONDARY.value
INHERIT_SEPARATOR = " > "

STATUS_PROVISION = CellStatus.VERIFIED.value
STATUS_SECONDARY = CellStatus.SECONDARY.value
STATUS_INHERITED = CellStatus.INHERITED.value
STATUS_EMPTY = CellStatus.NOT_REVIEWED.value

NEWS_ONLY_MARK = "news report only"
SUMMARY_LABEL = "Summary (reviewer's words, not statute text)"
TEXT_LABEL = "Text"

# C0 and C1 controls except tab and newline: PDF extraction leaves form feeds behind, which
# openpyxl refuses outright, and an ESC or CSI in a quoted text would drive the terminal.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str | None) -> str:
    """The text with Windows newlines normalised and control characters removed; None → ""."""
    if not text:
        return ""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n"))


def long_date(day: dt.date) -> str:
    """ "28 March 1989": how dates read in prose (ISO dates stay in data columns)."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


@dataclass(frozen=True)
class SourceView:
    """Where a secondary rule (or a judgment) was read, and what kind of source it is."""

    title: str
    url: str  # the full address, printed in every format (may not be a link)
    href: str | None  # the address when safe to link (http/https), else None
    grade: str  # kb.vocab.SourceGrade word
    grade_explanation: str
    news_only: bool


@dataclass(frozen=True)
class JudgmentView:
    name: str
    court: str
    date: str  # "10 July 2013"
    citation: str
    holding: str  # in our words, never a quotation
    effect: str  # kb.vocab.JudgmentEffect word
    line: str  # one line: "struck down: Lily Thomas v Union of India, (2013) 7 SCC 653, Supreme Court..."
    source: SourceView | None


@dataclass(frozen=True)
class CellView:
    """Everything a renderer or template needs to show one cell, already in words."""

    jurisdiction: str
    body: str | None
    status: str  # kb.vocab.CellStatus word
    filled: bool
    value: str | None
    citation: str | None
    text: str  # the statute words (text_is_statute) or the reviewer's summary
    text_is_statute: bool
    in_force: str  # "in force from 28 March 1989", "in force at least since 4 April 2025", ...
    pending: str  # "change pending: Bill passed on 9 March 2026; no assent or commencement recorded (...)" or ""
    source: SourceView | None
    inherited_via: tuple[str, ...]
    judgments: tuple[JudgmentView, ...]
    also: tuple[str, ...]
    note: str
    baseline_status: str | None  # kb.vocab.BaselineStatus word, with --baseline
    baseline_note: str

    @property
    def baseline_phrase(self) -> str:
        """ "departs: 21 against the Assembly's 25 (IN-COI Art.173(b))", "same as baseline", or ""."""
        if not self.baseline_status:
            return ""
        if self.baseline_note:
            return f"{self.baseline_status}: {self.baseline_note}"
        return self.baseline_status


def view(cell: Cell, jurisdiction: str = "") -> CellView:
    status = CellStatus(cell.status)
    # A found or reviewed quote is checked to stand word for word in the provision (kb/finder.py, kb/review.py).
    statute = bool(cell.quote) and status != CellStatus.SECONDARY
    text = cell.quote if statute else (cell.summary if status.filled else "")
    return CellView(
        jurisdiction=clean_text(jurisdiction),
        body=cell.body,
        status=status.value,
        filled=not cell.empty,
        value=clean_text(cell.value) if cell.value is not None else None,
        citation=clean_text(cell.citation) or None,
        text=clean_text(text),
        text_is_statute=statute,
        in_force=in_force_phrase(cell),
        pending=pending_phrase(cell),
        source=_source(cell.source_title, cell.source_url, cell.source_grade) if cell.secondary else None,
        inherited_via=tuple(clean_text(c) for c in cell.inherited_via),
        judgments=tuple(_judgment(j) for j in cell.judgments),
        also=tuple(clean_text(c) for c in cell.also),
        note=clean_text(cell.note),
        baseline_status=cell.baseline_status,
        baseline_note=clean_text(cell.baseline_note),
    )


def iter_views(table: ComparisonTable) -> Iterator[tuple[Row, CellView]]:
    for row, state, cell in iter_cells(table):
        yield row, view(cell, state)


def legend(table: ComparisonTable | None = None) -> list[tuple[str, str]]:
    """(word, meaning) for every cell status, then the baseline words when the table has a baseline,
    then the source grades. The same list in every output."""
    entries = [(status.value, status.explanation) for status in CellStatus]
    if table is None or table.baseline:
        entries += [(f"{b.value} (baseline)", b.explanation) for b in BaselineStatus]
    entries += [(f"{g.value} (source grade)", g.explanation) for g in SourceGrade]
    entries.append(
        (
            "change pending",
            "a Bill has been passed or assented but not notified or commenced; the rule shown still stands",
        )
    )
    return entries


def in_force_phrase(cell: Cell) -> str:
    """When the version shown was (or will be) in force, in words; "" for a cell with no rule."""
    status = CellStatus(cell.status)
    parts: list[str] = []
    if cell.in_force_from and cell.start_from_commencement:
        parts.append(f"in force since {long_date(cell.in_force_from)} (the Act's commencement)")
    elif cell.in_force_from:
        parts.append(f"in force from {long_date(cell.in_force_from)}")
    elif cell.known_since:
        parts.append(f"in force at least since {long_date(cell.known_since)}")
    elif status.filled:
        parts.append("start date not known")
    if cell.repealed_on:
        ended = cell.ended_by or LegislativeStage.REPEALED.value
        parts.append(f"{ended} on {long_date(cell.repealed_on)}")
    return "; ".join(parts)


def pending_phrase(cell: Cell) -> str:
    if cell.pending is None:
        return ""
    change = cell.pending
    passed = change.stage == LegislativeStage.BILL_PASSED
    stage, missing = ("Bill passed", "assent or commencement") if passed else ("Bill assented", "commencement")
    on = f" on {long_date(change.on)}" if change.on else ""
    return f"change pending: {stage}{on}; no {missing} recorded (would make it: {clean_text(change.value)})"


def inherited_chain(cell: Cell) -> str:
    return INHERIT_SEPARATOR.join(clean_text(c) for c in cell.inherited_via)


def cell_status(cell: Cell) -> str:
    """The status word of a cell (kb.vocab.CellStatus)."""
    return CellStatus(cell.status).value


def empty_note(cell: Cell) -> str:
    """An empty cell in one line: its status word, the provision it is about, when, and the note."""
    v = view(cell)
    parts = [v.status, v.citation or "", v.in_force, v.note]
    return " — ".join(p for p in parts if p)


def source_line(source: SourceView) -> str:
    """ "Source (news; news report only): Title — https://..." """
    grade = source.grade + (f"; {NEWS_ONLY_MARK}" if source.news_only else "")
    where = " — ".join(part for part in (source.title, source.url) if part)
    return f"Source ({grade}): {where}"


def _source(title: str | None, url: str | None, grade: str | None) -> SourceView:
    grade_word = SourceGrade(grade) if grade in set(SourceGrade) else None
    return SourceView(
        title=clean_text(title),
        url=clean_text(url),
        href=safe_url(url),
        grade=grade_word.value if grade_word else "ungraded",
        grade_explanation=grade_word.explanation if grade_word else "",
        news_only=grade_word == SourceGrade.NEWS,
    )


def _judgment(case: Judgment) -> JudgmentView:
    date = long_date(case.decided_on)
    on = f" ({', '.join(case.provisions)})" if case.provisions else ""
    return JudgmentView(
        name=clean_text(case.name),
        court=clean_text(case.court),
        date=date,
        citation=clean_text(case.citation),
        holding=clean_text(case.holding),
        effect=case.effect,
        line=f"{case.effect}{on}: {clean_text(case.name)}, {clean_text(case.citation)}, {clean_text(case.court)}, {date}",
        source=_source(case.source_title, case.source_url, case.source_grade) if case.source_url else None,
    )


def iter_cells(table: ComparisonTable) -> Iterator[tuple[Row, str, Cell]]:
    """Yield (row, jurisdiction, cell) in reading order, refusing a misaligned row.

    zip() would silently drop a state's cell, and a missing cell in a legal comparison reads
    as "no such rule" — so a mismatch is an error, not a shorter row.
    """
    check_alignment(table)
    for row in table.rows:
        yield from ((row, state, cell) for state, cell in zip(table.jurisdictions, row.cells))


def check_alignment(table: ComparisonTable) -> None:
    width = len(table.jurisdictions)
    for row in table.rows:
        if len(row.cells) != width:
            raise ValueError(f"row {row.key!r} has {len(row.cells)} cells for {width} jurisdictions")


def row_label(row: Row) -> str:
    """ "Minimum voting age — panchayat": the body is part of what the row is about."""
    return f"{clean_text(row.label)} — {clean_text(row.body)}" if row.body else clean_text(row.label)


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) and so safe to put in an href; otherwise None.

    Escaping does not neutralise "javascript:" in an href, so other schemes are shown as text.
    """
    if not url:
        return None
    url = clean_text(url).strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def cell_lines(v: CellView) -> list[str]:
    """The cell as lines of plain words, in reading order; text, Markdown and xlsx all print these.

    The statute's words are in quotation marks; a summary never is, and says whose words it is.
    """
    head = v.value if v.filled and v.value is not None else f"({v.status})"
    lines = [head]
    marks = [v.status] if v.filled else []
    if v.baseline_status:
        marks.append(v.baseline_phrase)
    if marks:
        lines.append(" · ".join(marks))
    if v.citation:
        lines.append(v.citation)
    if v.text:
        lines.append(f'{TEXT_LABEL}: "{v.text}"' if v.text_is_statute else f"{SUMMARY_LABEL}: {v.text}")
    if v.in_force:
        lines.append(v.in_force)
    if v.pending:
        lines.append(v.pending)
    if v.source:
        lines.append(source_line(v.source))
    if v.inherited_via:
        lines.append("inherited via " + INHERIT_SEPARATOR.join(v.inherited_via))
    lines += [j.line for j in v.judgments]
    if v.also:
        lines.append("also stated in " + "; ".join(v.also))
    if v.note:
        lines.append(f"note: {v.note}")
    return lines
