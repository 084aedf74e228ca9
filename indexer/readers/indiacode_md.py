"""Reader for India Code text as Markdown ("indiacode-md").

The files carry YAML front matter (title, source, part/parts), then ``## Section N - Title``
blocks whose bodies are hard-wrapped at about 100 columns, with inline amendment markers
(``^1[...]``, ``^2***``) and a ``### Footnotes`` list per section. Long Acts come as several
parts concatenated, each with its own front matter and "Part N of M" header; they are merged.
"""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter

from indexer.readers import sha256_file
from indexer.readers._text import clean_heading, is_repealed_heading, join_wrapped, normalise_markers, normalise_space
from indexer.structure.amendments import strip_markers
from kb.errors import ReaderError
from kb.model import RawDocument, RawSection

FORMAT = "indiacode-md"

_FRONT_MATTER_SPLIT_RE = re.compile(r"^---[ \t]*\n(?=(?:[A-Za-z_][\w-]*:.*\n)+---[ \t]*\n)", re.M)
_SECTION_RE = re.compile(r"^## Section\s+(?P<num>\S+)\s*(?:-\s*(?P<head>.*))?$", re.M)
_CONTAINER_RE = re.compile(r"^#{2,3}\s+(?P<text>(?:PART|Part|CHAPTER|Chapter)\s+[0-9IVXLCDMA-Z]+\b.*)$", re.M)
_FOOTNOTES_RE = re.compile(r"^### Footnotes\s*$", re.M)
_FOOTNOTE_START_RE = re.compile(r"^(\d+)\.\s+(.*)$")


def read(path: Path) -> RawDocument:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    parts = _split_parts(text)
    if not parts:
        raise ReaderError("no India Code Markdown part (front matter + text) found", path=path)
    title = ""
    source_url: str | None = None
    sections: list[RawSection] = []
    seen: dict[str, RawSection] = {}
    warnings: list[str] = []
    for meta, content in parts:
        title = title or clean_heading(str(meta.get("title") or ""))
        source_url = source_url or (str(meta["source"]) if meta.get("source") else None)
        for section in _read_sections(content, source_url, warnings):
            earlier = seen.get(section.number)
            if earlier is not None:
                # DMC 1957 prints ss.271 and 282 twice, word for word; a differing repeat is kept
                # out too but reported, since one number can key only one provision.
                same = earlier.body == section.body and earlier.heading == section.heading
                warnings.append(
                    f"section {section.number} appears twice"
                    + ("; identical copy dropped" if same else "; second text dropped")
                )
                continue
            seen[section.number] = section
            sections.append(section)
    if not title:
        match = re.search(r"^# (.+)$", text, re.M)
        title = clean_heading(match.group(1)) if match else path.stem
    declared = [int(m["parts"]) for m, _ in parts if str(m.get("parts", "")).isdigit()]
    if declared and len(parts) != max(declared):
        warnings.append(f"file holds {len(parts)} of {max(declared)} parts")
    return RawDocument(
        path=path,
        format=FORMAT,
        title=title,
        sections=tuple(sections),
        sha256=sha256_file(path),
        source_url=source_url,
        text_as_on=None,
        partial=bool(declared) and len(parts) < max(declared),
        warnings=tuple(warnings),
    )


def _split_parts(text: str) -> list[tuple[dict, str]]:
    """Cut a concatenation of front-matter documents into (metadata, content) pairs."""
    starts = [m.start() for m in _FRONT_MATTER_SPLIT_RE.finditer(text)]
    if not starts:
        return [({}, text)] if _SECTION_RE.search(text) else []
    parts = []
    for i, start in enumerate(starts):
        chunk = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)]
        post = frontmatter.loads(chunk)
        parts.append((dict(post.metadata), post.content))
    return parts


def _read_sections(content: str, source_url: str | None, warnings: list[str]) -> list[RawSection]:
    matches = list(_SECTION_RE.finditer(content))
    containers = [(m.start(), normalise_space(m.group("text"))) for m in _CONTAINER_RE.finditer(content)]
    sections = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(content)
        block = content[match.end() : end]
        number = match.group("num").strip().rstrip(".")
        heading = clean_heading(match.group("head") or "")
        container = tuple(text for pos, text in containers if pos < match.start())[-1:]
        sections.append(_read_section(number, heading, block, source_url, container, warnings))
    return sections


def _read_section(
    number: str, heading: str, block: str, source_url: str | None, container: tuple[str, ...], warnings: list[str]
) -> RawSection:
    notes_match = _FOOTNOTES_RE.search(block)
    body_text = block[: notes_match.start()] if notes_match else block
    footnotes = _read_footnotes(block[notes_match.end() :]) if notes_match else ()
    # Keep an unrelated container heading ("## CHAPTER III") out of the previous body.
    body_text = _CONTAINER_RE.split(body_text)[0] if _CONTAINER_RE.search(body_text) else body_text
    paragraphs = join_wrapped(normalise_markers(_TAG_RESIDUE_RE.sub("", body_text)))
    wrapped = bool(paragraphs) and _wraps_number(paragraphs[0], number)
    if paragraphs:
        paragraphs[0] = strip_repeated_heading(paragraphs[0], number, heading)
    body = "\n".join(p for p in paragraphs if p)
    if wrapped and _only_lead_unclosed(body):
        # India Code prints a wholly inserted or substituted section inside its marker, number
        # included; when the closing "]" is lost (RPA 1951 s.126A) the marker can only end with
        # the section, so its note is the section's, not its first sub-section's.
        body += "]"
        warnings.append(f"section {number}: the marker around the whole section is not closed; closed at its end")
    anchor = f"{source_url}#section-{number}" if source_url else None
    return RawSection(
        number=number,
        heading=heading,
        body=body,
        footnotes=footnotes,
        anchor=anchor,
        container=container,
        kind="section",
        repealed=is_repealed_heading(heading),
    )


def _read_footnotes(text: str) -> tuple[tuple[str, str], ...]:
    notes: list[list[str]] = []
    for raw in text.split("\n"):
        line = normalise_space(raw)
        if not line:
            continue
        match = _FOOTNOTE_START_RE.match(line)
        # A wrapped footnote line can begin "1956)." — only the next number opens a new note.
        if match and (not notes or int(match.group(1)) == int(notes[-1][0]) + 1 or int(match.group(1)) == 1):
            notes.append([match.group(1), match.group(2)])
        elif notes:
            joiner = "" if re.search(r"[0-9A-Za-z]-$", notes[-1][1]) else " "
            notes[-1][1] += joiner + line
    return tuple((key, value) for key, value in notes)


_LEAD_MARKERS_RE = re.compile(r"^((?:\^\d+[A-Z]?\[)*)\s*")
# A caret glued to a repeated number is conversion residue (RPA 1951 "^1[@b^126A. Restriction"):
# read as footnote 1, "^126A" would leave "26A." as the section's first words.
_NUMBER_RESIDUE = r"\^?"
# Formatting tags India Code's conversion left in the text: "@b^126A", "Explanation@/ib@.—".
# Only these shapes: a tag closed by "@" or glued to a marker, never an address's "@".
_TAG_RESIDUE_RE = re.compile(r"@/?[a-z]{1,2}@|@[a-z]{1,2}(?=\^)")
# Where the repeated heading stops: a dash separator, ".]" closing a heading-only marker,
# a full stop glued to the text ("People.The allocation", "wards.(1)", "Sikkim.^2[(1)]"),
# or a marker that opens the first clause ("High Court ^2[(1)").
_REPEAT_DASH_RE = re.compile(r"\.?\s*(?:—|–|-{2,})\s*|\.\s*-\s*(?=\()")
_REPEAT_END_RE = re.compile(
    r"\.?\s*(?:—|–|-{2,})\s*"
    r"|\.\s*-\s*(?=\()"
    r"|\.\](?=\s)"
    r"|\.(?=\s*(?:[A-Z\"“(]|\^\d))"
    r"|\s+(?=\^\d+\[\()"
)


def strip_repeated_heading(first: str, number: str, heading: str) -> str:
    """Drop "3. Allocation of seats ..." repeated at the start of a body, keeping its markers.

    ``^1[3. Allocation of seats in the House of the People.The allocation ...]`` becomes
    ``^1[The allocation ...]``. Repealed and omitted sections ("6. [Delimitation ...] Omitted by
    ...") lose only the number, since the words after it are the old heading the note refers to.
    """
    markers, rest, num_match = _repeated_number(first, number)
    if not num_match:
        return first
    rest = rest[num_match.end() :]
    if rest.startswith("[") or is_repealed_heading(heading):
        # What follows the number is the old heading the repeal note refers to: keep it.
        return markers + rest
    window = len(heading) + 80 + rest[: len(heading) + 80].count("^") * 4
    # A dash near where the heading should end wins over an earlier full stop, because the
    # repeated heading may itself hold a marker ("Decision of the High Court.^1[the High Court].--").
    near = len(heading) + 25 + rest[: len(heading) + 80].count("^") * 4
    dash = _REPEAT_DASH_RE.search(rest[:near])
    if dash and dash.start() >= min(8, len(heading) // 2):
        return (markers + rest[dash.end() :].lstrip()).strip()
    for end in _REPEAT_END_RE.finditer(rest[:window]):
        if end.start() < min(8, len(heading) // 2):
            continue
        if end.group(0).startswith(".]"):
            # The marker wrapped only the heading ("^1[3. Qualification ... .] A person"): the
            # innermost opening closes here, so it goes with the heading.
            markers = _MARKER_OPEN_RE_LAST.sub("", markers)
        return (markers + rest[end.end() :].lstrip()).strip()
    return first


_MARKER_OPEN_RE_LAST = re.compile(r"\^\d+[A-Z]?\[$")


def _only_lead_unclosed(body: str) -> bool:
    """Whether the marker opening the body is never closed, and no other marker is left open
    (then the lost "]" could be any of them, and the parser warns instead)."""
    spans = strip_markers(body).spans
    unclosed = [span for span in spans if span.kind == "bracket" and not span.closed]
    return bool(spans) and spans[0].start == 0 and unclosed == [spans[0]]


def _repeated_number(first: str, number: str) -> tuple[str, str, re.Match[str] | None]:
    """(the markers opening a body's first line, the words after them, the match of the section's
    own number repeated there, if it is)."""
    lead = _LEAD_MARKERS_RE.match(first)
    assert lead is not None  # the pattern also matches an empty lead
    rest = first[lead.end() :]
    return lead.group(1), rest, re.match(_NUMBER_RESIDUE + re.escape(number) + r"\s*\.\s*", rest)


def _wraps_number(first: str, number: str) -> bool:
    """Whether a marker opens before the section's own repeated number ("^1[126A. Restriction")."""
    markers, _, num_match = _repeated_number(first, number)
    return bool(markers) and num_match is not None
