"""Reader for an Act (or the Constitution's Articles) as plain text copied out of a PDF or a web page
("statute-txt"), with no header.

Sections start at lines such as ``Article 243. Definitions``, ``Section 14 Disqualifications``,
``243C. Composition of Panchayats.—(1) Subject to ...`` or ``14. (1) No person shall ...``
(no heading: the text starts at once). A number only opens a section when it does not fall
back below the previous one, so "1." to "3." of a list inside a section, or footnote lines
at the end, stay where they are. Footnote lines ("1. Subs. by Act 21 of 1994, s. 3", "2 Ins. by
...") are taken out of the text and kept on their section, joined to the markers ("1[", "2***")
the text carries. Clause labels at line starts open paragraphs; wrapped lines are re-joined.

The file names no Act: ``seckb add`` takes ``--state``, ``--act``, ``--title``, ``--year`` and
``--as-on``. A first line that reads like a title ("THE ... ACT, 1994") is taken as the title,
and "Text as on <date>" / "As modified up to <date>" near the top as the text-as-on date.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from indexer.readers._text import (
    is_repealed_heading,
    normalise_markers,
    normalise_space,
    split_heading,
)
from kb.errors import ReaderError
from kb.model import RawDocument, RawSection

FORMAT = "statute-txt"

_NUM = r"\d{1,4}(?:[A-Z]{1,3}|-[A-Z0-9]{1,3})?"
_WORD_RE = re.compile(
    r"^(?P<pre>(?:\d{1,3}\[)*)(?P<word>Article|Art\.|Section|Sec\.)\s*(?P<num>"
    + _NUM
    + r")\b\s*[.:\-—–]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_NUMBERED_RE = re.compile(r"^(?P<pre>(?:\d{1,3}\[)*)(?P<num>" + _NUM + r")\.\s*(?P<rest>(?:[A-Z(\[\"“]|\d{1,3}\[).*)$")
# A footnote line: its key, then words only an amendment note starts with ...
_FOOTNOTE_RE = re.compile(
    r"^(?P<key>\d{1,3}|\*{1,3})\s*\.?\s+(?P<text>(?:(?:Subs|Ins|Rep|w\.e\.f)\.|(?:Added|Inserted|Substituted|"
    r"Omitted|Repealed|Renumbered|The words|The word|The figures|Clause|Section|Sub-section|This|These|Vide|"
    r"Came into force)\b).*)$"
)
# ... of which these also start sections ("5. This Act shall not apply to cantonments."): such a
# line is a footnote only where the text before it carries its marker ("2[" or "2***").
_SECTION_LIKE_NOTE_RE = re.compile(r"(?:The words|The word|The figures|Clause|Section|Sub-section|This|These|Vide)\b")
_MARKER_KEY_RE = re.compile(r"(?<![0-9A-Za-z^])(\d{1,3})(?:\[|\s*\*)")
# A sentence of the Act, not a heading: headings name a subject and hold no such verb.
_SENTENCE_RE = re.compile(r"\b(?:shall|may|means|includes)\b")
# A chapter or part heading printed between sections ("CHAPTER II", then "ELECTIONS"): it groups
# the sections after it and is no words of the section before it.
_CHAPTER_RE = re.compile(r"^(?:CHAPTER|PART)\s+(?:[IVXLCDM]+|\d+)[A-Z]?\b[^a-z]*$")
# Where the sections end: a schedule or form printed after the last one is not a run of sections.
_SCHEDULE_RE = re.compile(r"^(?:THE\s+)?(?:(?:FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH)\s+)?(?:SCHEDULES?|FORMS?)\b")
_TITLE_RE = re.compile(r"^(?:THE\s+)?[A-Z][A-Za-z ,'’()&.-]*\bACT\b[,\s]*(?:\d{4})?\.?$", re.IGNORECASE)
_AS_ON_RE = re.compile(
    r"(?:Text\s+as\s+on|As\s+modified\s+up\s*to|as\s+on)\s+(?:the\s+)?(\d{1,2})\s*(?:st|nd|rd|th)?\s+([A-Za-z]+),?\s+(\d{4})",
    re.IGNORECASE,
)
# English month names; calendar's list is locale-independent in the C locale Python starts in.
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
# "Article 243" keeps its heading without a dash: "Article 243. Definitions" then the text.
_ARTICLE_WORDS = {"article", "art."}


@dataclass
class _Draft:
    number: str
    heading: str
    kind: str
    line_no: int
    pre: str = ""
    container: tuple[str, ...] = ()
    lines: list[str] = field(default_factory=list)
    footnotes: list[tuple[str, str]] = field(default_factory=list)


def read(path: Path) -> RawDocument:
    from indexer.readers import sha256_file

    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")  # read_document says where a byte is not UTF-8
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = _title(lines)
    drafts, warnings = _read_sections(lines)
    if not drafts:
        raise ReaderError(
            "no sections found: expected lines such as '14. Disqualifications.— ...' or 'Article 243. Definitions'",
            path=path,
        )
    first_line: dict[str, int] = {}
    for draft in drafts:
        if draft.number in first_line:
            # Keeping either alone would drop the other's text while the Act reads as complete.
            raise ReaderError(
                f"section {draft.number} is printed twice (lines {first_line[draft.number]} and {draft.line_no}): "
                "correct the number in the file and add it again",
                path=path,
                line=draft.line_no,
            )
        first_line[draft.number] = draft.line_no
    if any(d.kind == "article" for d in drafts):
        for draft in drafts:
            draft.kind = "article"  # "243C. ..." among "Article 243 ..." lines is an article too
    return RawDocument(
        path=path,
        format=FORMAT,
        title=title,
        sections=tuple(_finish(d) for d in drafts),
        sha256=sha256_file(path),
        text_as_on=_as_on(lines[:15]),
        warnings=tuple(warnings),
    )


def looks_like_statute(text: str) -> bool:
    """True when plain text has at least two section or article starts (used to detect the format)."""
    drafts, _ = _read_sections(text.splitlines()[:400])
    return len(drafts) >= 2


def _title(lines: list[str]) -> str:
    for line in lines[:5]:
        line = normalise_space(line)
        if not line:
            continue
        if _TITLE_RE.match(line) and not _NUMBERED_RE.match(line) and not _WORD_RE.match(line):
            return line.rstrip(".").title().replace("'S ", "'s ").replace("’S ", "’s ")
        return ""
    return ""


def _as_on(lines: list[str]) -> date | None:
    for line in lines:
        match = _AS_ON_RE.search(line)
        if match and match.group(2).lower() in _MONTHS:
            try:
                return date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
            except ValueError:
                return None
    return None


def _value(number: str) -> int:
    return int(re.match(r"\d+", number).group(0))  # type: ignore[union-attr]


def _read_sections(lines: list[str]) -> tuple[list[_Draft], list[str]]:
    warnings: list[str] = []
    cleaned = [normalise_space(raw) for raw in lines]
    end = next((i for i, line in enumerate(cleaned) if _SCHEDULE_RE.match(line)), len(cleaned))
    starts = _section_starts(cleaned[:end])
    drafts: list[_Draft] = []
    container: tuple[str, ...] = ()
    chapter: list[str] | None = None  # a CHAPTER/PART line and its title lines, being read
    for index, line in enumerate(cleaned[:end]):
        if _CHAPTER_RE.match(line):
            chapter = [line]
            continue
        if chapter is not None:
            if not line:
                continue
            if not re.search(r"[a-z]", line) and index not in starts:
                chapter.append(line)  # "ELECTIONS": the chapter's title, in capitals
                continue
            container = (" - ".join([chapter[0], " ".join(chapter[1:])]) if len(chapter) > 1 else chapter[0],)
            chapter = None
        if not line:
            if drafts:
                drafts[-1].lines.append("")
            continue
        note = _FOOTNOTE_RE.match(line)
        owner = _footnote_owner(note, drafts) if note else None
        if note and owner is not None:
            owner.footnotes.append((note.group("key"), note.group("text")))
            continue
        start = starts.get(index)
        if start is not None:
            number = start.group("num").upper()
            word = (start.groupdict().get("word") or "").lower()
            rest = start.group("rest").strip()
            kind = "article" if word in _ARTICLE_WORDS else "section"
            if rest.startswith("("):
                heading, body = "", rest  # "14. (1) No person shall ...": a section with no heading
            elif word and not re.search(r"[—–]|\.-|--", rest):
                heading, body = rest.rstrip(" :"), ""  # "Article 243. Definitions"
            elif not re.search(r"[—–]|\.-|--", rest) and _SENTENCE_RE.search(rest):
                heading, body = "", rest  # "5. This Act shall not apply to ...": text, no heading printed
            else:
                heading, body = split_heading(rest) if rest else ("", "")
            draft = _Draft(number, heading, kind, index + 1, pre=start.group("pre"), container=container)
            if body:
                draft.lines.append(body)
            drafts.append(draft)
            continue
        if drafts:  # before the first section: title, date, preamble (not text of any section)
            drafts[-1].lines.append(line)
    if drafts and end < len(cleaned) and any(cleaned[end:]):
        warnings.append(
            f"line {end + 1} onwards ({cleaned[end][:40]!r}, after s.{drafts[-1].number}) is not read: "
            "schedules and forms are not sections"
        )
    return drafts, warnings


def _section_starts(lines: list[str]) -> dict[int, re.Match[str]]:
    """The lines that open sections: of the lines shaped like a section start, the longest run whose
    numbers never fall back. A number misread or a year at the start of a wrapped line ("1999. The
    Government may ...") then stays text, instead of taking in every section after it.
    """
    found: list[tuple[int, re.Match[str]]] = []
    markers: set[str] = set()
    for index, line in enumerate(lines):
        note = _FOOTNOTE_RE.match(line)
        is_note = bool(note) and (
            not _SECTION_LIKE_NOTE_RE.match(note.group("text")) or note.group("key") in markers  # type: ignore[union-attr]
        )
        start = None if is_note else _WORD_RE.match(line) or _NUMBERED_RE.match(line)
        if start and not (found and _is_list_item(start)):
            found.append((index, start))
        markers.update(_MARKER_KEY_RE.findall(line))
    # Longest non-decreasing subsequence of the numbers (patience sorting, O(n log n)).
    values = [_value(start.group("num")) for _, start in found]
    tails: list[int] = []  # tails[k]: index into found of the smallest last value of a run of length k+1
    tail_values: list[int] = []
    previous: list[int] = [-1] * len(found)
    for i, value in enumerate(values):
        k = bisect.bisect_right(tail_values, value)
        previous[i] = tails[k - 1] if k else -1
        if k == len(tails):
            tails.append(i)
            tail_values.append(value)
        else:
            tails[k], tail_values[k] = i, value
    chosen: dict[int, re.Match[str]] = {}
    i = tails[-1] if tails else -1
    while i >= 0:
        chosen[found[i][0]] = found[i][1]
        i = previous[i]
    return chosen


def _footnote_owner(note: re.Match[str], drafts: list[_Draft]) -> _Draft | None:
    """The section a footnote line belongs to: the latest one whose text carries its marker and has
    no note for it yet; for a line only an amendment note starts with ("Ins. by ..."), the last
    section if none does. None: the line is text (or a section), not a footnote."""
    if not drafts:
        return None
    key = note.group("key")
    for draft in reversed(drafts):
        if key in _MARKER_KEY_RE.findall(draft.pre + "\n".join(draft.lines)) and key not in dict(draft.footnotes):
            return draft
    return None if _SECTION_LIKE_NOTE_RE.match(note.group("text")) else drafts[-1]


def _is_list_item(start: re.Match[str]) -> bool:
    """ "2. the Collector ..." inside a section: a numbered list item (it starts in lower case), not section 2."""
    if start.groupdict().get("word"):
        return False
    rest = start.group("rest")
    return bool(re.match(r"^[a-z]", rest))


_LABEL_START_RE = re.compile(
    r"^(?:\^\d+[A-Z]?\[)*\s*(?:\((?:\d{1,3}[A-Z]{0,2}|[a-z]{1,3}(?:-\d+)?|[ivxl]{1,6}|[A-Z])\)|Provided\b|Explanation\b)"
)
# "under clause\n(a) of section 5": the label is a cross-reference, not a new clause.
_REFERENCE_END_RE = re.compile(
    r"\b(?:clauses?|sub-clauses?|sub-sections?|sections?|articles?|items?|paragraphs?|rules?|under|in|of|to|with|by)$",
    re.IGNORECASE,
)


def _join_lines(lines: list[str]) -> list[str]:
    """Wrapped lines joined; a clause label, proviso or Explanation at a line start opens a paragraph.

    Unlike the India Code Markdown, copied text ends a clause with "; or" / "; and" before the
    next label, so those words do not make the label a cross-reference here.
    """
    paragraphs: list[str] = []
    for raw in lines:
        line = normalise_space(raw)
        if not line:
            continue
        opens = bool(_LABEL_START_RE.match(line))
        # Only a paragraph's end is looked at: searching all of it for each line was quadratic.
        if paragraphs and not (opens and not _ends_with_reference(paragraphs[-1])):
            last = paragraphs[-1]
            hyphen = last.endswith("-") and last[-2:-1].isalpha()
            joined = last + line if hyphen and line[:1].islower() else f"{last} {line}"
            paragraphs[-1] = joined
        else:
            paragraphs.append(line)
    return paragraphs


def _ends_with_reference(paragraph: str) -> bool:
    """Its last words are "under clause", "of section" …; only its last whole words are looked at."""
    tail = paragraph[-40:]
    if len(paragraph) > 40:
        tail = tail.partition(" ")[2]  # never a word cut in two ("intersections" is not "sections")
    return bool(_REFERENCE_END_RE.search(tail))


def _finish(draft: _Draft) -> RawSection:
    text = normalise_markers(draft.pre + "\n".join(draft.lines), plain=True)
    body = "\n".join(_join_lines(text.split("\n")))
    footnotes = tuple(dict(draft.footnotes).items())  # a key given twice: the later line wins
    heading = draft.heading
    return RawSection(
        number=draft.number,
        heading=heading,
        body=body.strip(),
        footnotes=footnotes,
        container=draft.container,
        kind=draft.kind,
        repealed=bool(heading) and is_repealed_heading(heading),
    )
