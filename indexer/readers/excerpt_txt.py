"""Reader for partial excerpts in plain text ("excerpt-txt").

A header of ``KEY: value`` lines (SOURCE or SOURCES, ACT, STATUS; indented lines continue
the previous key) is followed by free text copied from web pages. Sections start at lines
such as "Section 11 Qualification For membership:", "Section 86-" (heading on a later line),
"85. Qualification of candidates.- No person ..." or "1[5-A. Disqualification of membership".
Blocks introduced by "==== name ====" are separate renderings; where two of them give the
same heading under different numbers (the Kerala Municipality blog's "Section 8-" for s.85)
they are read as one section. Every excerpt is partial.
"""

from __future__ import annotations

import re
from pathlib import Path

from indexer.readers import sha256_file
from indexer.readers._text import (
    clean_heading,
    is_repealed_heading,
    normalise_markers,
    normalise_space,
    split_heading,
    split_inline_clauses,
)
from kb.errors import ReaderError
from kb.model import RawDocument, RawSection

FORMAT = "excerpt-txt"

_HEADER_RE = re.compile(r"^(?P<key>[A-Z][A-Z ]{1,20}):\s*(?P<value>.*)$")
_CUT = "[... excerpt ends here ...]"
_NUM = r"\d{1,3}(?:-?[A-Z]{1,2})?"
_PRE = r"(?P<pre>(?:\d{1,3}[A-Z]?\[)*)"
_SECTION_WORD_RE = re.compile(_PRE + r"Section\s+(?P<num>" + _NUM + r")\b\s*[-.:—]?\s*(?P<rest>.*)$")
_NUMBERED_RE = re.compile(_PRE + r"(?P<num>" + _NUM + r")\.\s+(?P<rest>[A-Z].*)$")
_BLOCK_RE = re.compile(r"^={3,}\s*(?P<name>.*?)\s*={3,}\s*$")
_FOOTNOTE_RE = re.compile(r"^(?P<key>\d{1,3}|\*)\s*(?P<text>(?:Added|Inserted|Ins\.|Subs\.|Substituted|Omitted)\b.*)$")
_URL_RE = re.compile(r"https?://\S+")
# An HTML ordered list copied as text: "  1. his name appears ...", "    2. (i) has been sentenced".
_LIST_ITEM_RE = re.compile(r"^\s+\d{1,2}\.\s+\S")


def read(path: Path) -> RawDocument:
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    header, start = read_header(lines)
    if not header:
        raise ReaderError("no SOURCE/ACT/STATUS header", path=path, line=1)
    source = header.get("SOURCE") or header.get("SOURCES") or ""
    url = _URL_RE.search(source)
    title = clean_heading(re.split(r"\s+--\s+|\s*,\s*Chapter\b", header.get("ACT", ""))[0]) or path.stem
    status = normalise_space(header.get("STATUS", ""))
    warnings = [f"partial excerpt: {status}" if status else "partial excerpt: the source says no more"]
    sections, more = _read_sections(lines[start:], start)
    warnings.extend(more)
    return RawDocument(
        path=path,
        format=FORMAT,
        title=title,
        sections=tuple(sections),
        sha256=sha256_file(path),
        source_url=url.group(0).rstrip(").,") if url else None,
        text_as_on=None,
        partial=True,
        warnings=tuple(warnings),
    )


def read_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """KEY: value lines up to the first blank line; indented lines continue the last key."""
    header: dict[str, str] = {}
    key = None
    for index, line in enumerate(lines):
        if not line.strip():
            return header, index + 1
        match = _HEADER_RE.match(line)
        if match and not line[0].isspace():
            key = match.group("key").strip()
            header[key] = match.group("value").strip()
        elif key and line[0].isspace():
            header[key] += " " + line.strip()
        else:
            return header, index
    return header, len(lines)


class _Draft:
    def __init__(self, number: str, heading: str, pre: str, first: str, cut: bool, line_no: int) -> None:
        self.number, self.heading, self.pre, self.line_no = number, heading, pre, line_no
        self.lines: list[str] = [first] if first else []
        self.footnotes: list[tuple[str, str]] = []
        self.cut = cut
        self.needs_heading = not heading
        self.labels_lost = False


def _read_sections(lines: list[str], offset: int) -> tuple[list[RawSection], list[str]]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        if _BLOCK_RE.match(line):
            current = None  # a new rendering: nothing carries over
            continue
        head = _match_heading(line)
        if head:
            current = _Draft(*head, line_no=offset + index + 1)
            drafts.append(current)
            continue
        if current is None or not line.strip():
            continue
        if current.needs_heading:
            current.heading, rest = split_heading(normalise_space(line))
            current.needs_heading = False
            if rest:
                current.lines.append(rest)
            continue
        note = _FOOTNOTE_RE.match(line.strip())
        if note:
            current.footnotes.append((note.group("key"), note.group("text")))
        elif not current.cut:
            current.labels_lost = current.labels_lost or bool(_LIST_ITEM_RE.match(line))
            text = line.strip()
            if _CUT in text:
                text = text.replace(_CUT, "").rstrip()
                current.cut = True
            if text:
                current.lines.append(text)
    return _merge(drafts)


def _match_heading(line: str) -> tuple[str, str, str, str, bool] | None:
    """(number, heading, markers before the number, text after the heading, cut here?)."""
    if not line or line[0].isspace():
        return None  # indented "1. his name appears ..." is a list item
    match = _SECTION_WORD_RE.match(line) or _NUMBERED_RE.match(line)
    if not match:
        return None
    rest = normalise_space(match.group("rest").replace(_CUT, ""))
    heading, after = split_heading(rest) if rest else ("", "")
    return match.group("num"), heading, match.group("pre"), after, _CUT in line


def _merge(drafts: list[_Draft]) -> tuple[list[RawSection], list[str]]:
    sections: list[RawSection] = []
    warnings: list[str] = []
    by_heading: dict[str, int] = {}
    by_number: dict[str, int] = {}
    for draft in drafts:
        section = _finish(draft)
        if draft.cut:
            tail = section.body[-40:].replace("\n", " ")
            warnings.append(f"section {section.number} (from line {draft.line_no}) is cut off at: ...{tail}")
        key = re.sub(r"\W+", " ", section.heading.lower()).strip()
        earlier = by_number.get(section.number)
        if earlier is None and key:
            earlier = by_heading.get(key)
            if earlier is not None:
                warnings.append(
                    f"'Section {section.number}' at line {draft.line_no} has the heading of "
                    f"section {sections[earlier].number}; read as another rendering of it"
                )
        if earlier is not None:
            # Two renderings of one section: keep the fuller text.
            if len(section.body) > len(sections[earlier].body):
                keep = sections[earlier]
                sections[earlier] = RawSection(
                    keep.number,
                    keep.heading,
                    section.body,
                    keep.footnotes + section.footnotes,
                    keep.anchor,
                    labels_lost=section.labels_lost,
                )
            continue
        by_number[section.number] = len(sections)
        if key:
            by_heading[key] = len(sections)
        sections.append(section)
    return sections, warnings


def _finish(draft: _Draft) -> RawSection:
    # Markers printed before the number ("1[5-A. ...") open at the start of the body.
    text = draft.pre + "\n".join(draft.lines)
    # A footnote's number glued to the words it added: "his twenty-first year of age 25(on the date
    # of filing of nomination)" with "25Added by Act 7 of 1995" below. Left alone it reads as an age.
    keys = [key for key, _ in draft.footnotes if key.isdigit()]
    glued = re.compile(rf"(?<![0-9A-Za-z^])({'|'.join(keys)})(\([^()]*\))") if keys else None
    body_lines: list[str] = []
    for line in text.split("\n"):
        line = normalise_markers(normalise_space(line), plain=True)
        if glued is not None:
            line = glued.sub(r"^\1[\2]", line)
        body_lines.extend(p.strip() for p in split_inline_clauses(line).split("\n") if p.strip())
    return RawSection(
        number=draft.number,
        heading=draft.heading,
        body="\n".join(body_lines),
        footnotes=tuple(draft.footnotes),
        anchor=None,
        kind="section",
        repealed=is_repealed_heading(draft.heading),
        labels_lost=draft.labels_lost,
    )
