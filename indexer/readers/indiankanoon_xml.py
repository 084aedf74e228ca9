"""Reader for Indian Kanoon's light XML ("indiankanoon-xml").

``<act><title>…</title> <article><tid>…</tid><number>N</number> Heading.—text
<section><number>1</number> text <subsection><number>a</number> …`` — one <article> per
section, article or rule; nested <section>/<subsection>/… are sub-sections and clauses and
become body lines "(1) …", "(a) …". Amendment markers are plain ("1[", "4[***]") or
``<footcitenum>1</footcitenum>[``; they are converted to the canonical "^1[" / "^4***".
Indian Kanoon carries no footnote text per provision (the <pagenote> lists at the end are
numbered per printed page), so footnotes are empty.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from indexer.readers import parse_xml, sha256_file
from indexer.readers._text import (
    clean_heading,
    is_repealed_heading,
    move_trailing_markers,
    normalise_markers,
    normalise_space,
    split_heading,
)
from kb.errors import ReaderError
from kb.model import RawDocument, RawSection

FORMAT = "indiankanoon-xml"

_SECTION_TAGS = {"section", "subsection", "subsubsection", "subsubsubsection", "subsubsubsubsection"}
# Page furniture, schedules' forms and document-level note lists are not provision text.
_SKIP_TAGS = {"tid", "pagefootnote", "pagenote", "pagenum", "form", "article"}
_NUMBER_MARK = "\x00"
_MARKERS_RE = re.compile(r"\^?\d{1,3}[A-Z]?\[")
_PROVISO_RE = re.compile(r"(?<=[;:.,—-])\s+(?=(?:\^\d+\[)*(?:Provided\b|Explanation\s*(?:[IVX0-9]+)?\s*[.\-—:]))")
_CONTAINER_RE = re.compile(r"^(PART|CHAPTER)\s+([IVXLC]+[A-Z]{0,2}|\d+[A-Z]?)\b\.?\s*(.*)$", re.I)


def read(path: Path) -> RawDocument:
    path = Path(path)
    root = _parse(path)
    act = root if root.tag == "act" else root.find(".//act")
    articles = list(root.iter("article"))
    if act is None or not articles:
        raise ReaderError("no <act> with <article> elements: not Indian Kanoon XML", path=path)
    title = _read_title(act, path)
    kind = _detect_kind(title)
    sections: list[RawSection] = []
    warnings: list[str] = []
    dropped: list[str] = []
    containers = _containers_before(act, articles)
    for article in articles:
        section = _read_article(article, kind, sections[-1].number if sections else None)
        if section is None:
            warnings.append("an <article> without a <number> was skipped")
            continue
        section = _with_container(section, containers.get(article))
        if sections and _continues(sections[-1], section, kind):
            # Indian Kanoon cuts some provisions into several <article>s: the Constitution's
            # Art. 1 clause (3) repeats number 1; Manipur s.61(2)'s list of 22 matters comes as
            # articles numbered 1..22. They are continuations of the provision before.
            sections[-1] = _append(sections[-1], section)
            warnings.append(
                f"{kind} {sections[-1].number}: a following <article> numbered {section.number} was read as part of it"
            )
            continue
        if any(s.number == section.number for s in sections):
            dropped.append(section.number)
            continue
        sections.append(section)
    if dropped:
        warnings.append(
            f"{len(dropped)} <article>s repeat an earlier number and were dropped "
            f"(e.g. {', '.join(dropped[:5])}); in the Constitution these are schedule entries"
        )
    return RawDocument(
        path=path,
        format=FORMAT,
        title=title,
        sections=tuple(sections),
        sha256=sha256_file(path),
        source_url=None,
        text_as_on=None,
        warnings=tuple(warnings),
    )


def _continues(previous: RawSection, section: RawSection, kind: str) -> bool:
    if section.number == previous.number:
        return True
    if kind == "article":
        return False
    # A run that restarts below the previous number ("1", "2", ... after s.61) is a list
    # inside that section; the real sequence resumes with a higher number.
    return _sort_key(section.number) < _sort_key(previous.number) and section.number.isdigit()


def _append(previous: RawSection, section: RawSection) -> RawSection:
    label = "" if section.number == previous.number else f"({section.number}) "
    first = f"{label}{section.heading}".strip()
    body = "\n".join(x for x in (previous.body, first, section.body) if x)
    return RawSection(
        previous.number,
        previous.heading,
        body,
        (),
        previous.anchor,
        previous.container,
        previous.kind,
        previous.repealed,
    )


def _read_title(act: etree._Element, path: Path) -> str:
    title_el = act.find("title")
    if title_el is not None and "".join(title_el.itertext()).strip():
        text = "".join(title_el.itertext())
    else:
        # The Rules file has no <title>: its name is the first line of the act's own text.
        lines = [line for line in (act.text or "").split("\n") if line.strip()]
        text = lines[0] if lines else path.stem
    title = clean_heading(text)
    title = re.sub(r"\s*\(AS PASSED BY.*$", "", title, flags=re.I)
    # A footnote number glued to the year: "Rules, 19601" -> "Rules, 1960".
    return re.sub(r"((?:19|20)\d\d)\d{1,2}$", r"\1", title)


def _parse(path: Path) -> etree._Element:
    """Parse strictly: every Indian Kanoon file in the corpus is well-formed, so broken nesting
    means a damaged download, and guessing at its structure would store a wrong tree."""
    parser = etree.XMLParser(recover=False, huge_tree=True, resolve_entities=False, no_network=True)
    return parse_xml(path, parser)


def _detect_kind(title: str) -> str:
    if "constitution" in title.lower():
        return "article"
    if re.search(r"\bRules\b", title, re.I):
        return "rule"
    return "section"


# An amendment marker inside a heading ("1[Revision of rolls].", "Appeals from 1[***] under rule
# 26."): the heading is shown as the Act's words, so its footnote number must not be one of them.
_HEADING_OMISSION_RE = re.compile(r"(?<![0-9A-Za-z])\^?\d{1,3}\[\s*(?:\*\s*)+\]")
_HEADING_MARKER_RE = re.compile(r"(?<![0-9A-Za-z])\^?\d{1,3}\[([^\[\]]*)\]")


def _unmarked_heading(heading: str) -> str:
    return clean_heading(_HEADING_MARKER_RE.sub(r"\1", _HEADING_OMISSION_RE.sub("* * *", heading)))


def _read_article(article: etree._Element, kind: str, previous: str | None) -> RawSection | None:
    number, lines = _flatten(article)
    if number is None:
        return None
    tid = article.findtext("tid") or article.findtext("title/tid")
    first = lines[0] if lines else ""
    before, _, lead = first.partition(_NUMBER_MARK)
    pre = "".join(m if m.startswith("^") else "^" + m for m in _MARKERS_RE.findall(before))
    heading, rest = _split_lead(lead, kind)
    number, heading = fix_split_number(number, heading, previous)
    heading = _unmarked_heading(heading)
    body_lines = [pre + rest, *lines[1:]] if rest or pre else lines[1:]
    body = _finish_lines(body_lines)
    anchor = f"https://indiankanoon.org/doc/{tid.strip()}/" if tid and tid.strip() else None
    repealed = is_repealed_heading(heading) or bool(re.match(r"^\[?(?:Rep\.|Repealed\b|Omitted\b)", body))
    return RawSection(number=number, heading=heading, body=body, anchor=anchor, kind=kind, repealed=repealed)


def _flatten(element: etree._Element) -> tuple[str | None, list[str]]:
    """(number, raw lines) of an <article> or <section>; each nested section starts a line."""
    number: str | None = None
    current: list[str] = []
    lines: list[str] = []

    def flush() -> None:
        text = "".join(current)
        if text.strip():
            lines.append(text)
        current.clear()

    def visit(node: etree._Element) -> None:
        nonlocal number
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "number" and number is None:
                number = normalise_space("".join(child.itertext()))
                current.append(_NUMBER_MARK)
            elif tag == "title":
                current.append(child.text or "")
                visit(child)
            elif tag == "footcitenum":
                current.append("^" + normalise_space(child.text or "") + "")
            elif tag in _SECTION_TAGS:
                flush()
                sub_number, sub_lines = _flatten(child)
                lines.extend(_label_lines(sub_number, sub_lines))
            elif tag in _SKIP_TAGS or not tag:
                pass
            else:
                current.append("".join(child.itertext()))
            current.append(child.tail or "")

    current.append(element.text or "")
    visit(element)
    flush()
    return number, lines


def _label_lines(number: str | None, lines: list[str]) -> list[str]:
    """Put "(1)" where the sub-section's <number> stood, after any marker that opened before it."""
    if not lines:
        return [f"({number})"] if number else []
    first = lines[0]
    if _NUMBER_MARK in first:
        before, _, after = first.partition(_NUMBER_MARK)
        pre = "".join(m if m.startswith("^") else "^" + m for m in _MARKERS_RE.findall(before))
        label = f"({number}) " if number else ""
        first = pre + label + after.lstrip()
    return [first, *lines[1:]]


def _split_lead(lead: str, kind: str) -> tuple[str, str]:
    """Heading and the words after it, from the text that follows an article's <number>."""
    flat = normalise_space(lead)
    if re.search(r"—|–|-{2,}|\.\s*-(?!\w)", flat[:400]):
        return split_heading(flat)
    raw_lines = [line for line in lead.split("\n") if line.strip()]
    if kind == "article" and len(raw_lines) > 1:
        # The Constitution rendering puts the heading alone on the first line.
        first = normalise_space(raw_lines[0])
        rest = normalise_space(" ".join(raw_lines[1:]))
        colon = re.match(r"^(.{3,}?):\s+(?=[A-Z])(.*)$", first)
        if colon:
            return clean_heading(colon.group(1)), normalise_space(colon.group(2) + " " + rest)
        return clean_heading(first), rest
    if kind == "article" and len(raw_lines) == 1:
        colon = re.match(r"^(.{3,}?):\s+(?=[A-Z])(.*)$", flat)
        if colon:
            return clean_heading(colon.group(1)), colon.group(2)
        return clean_heading(flat), ""
    return split_heading(flat, max_len=250)


def _finish_lines(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        line = normalise_markers(normalise_space(line.replace(_NUMBER_MARK, " ")), plain=True)
        out.extend(part.strip() for part in _PROVISO_RE.split(line) if part.strip())
    return "\n".join(move_trailing_markers(out))


_NUMBER_SPLIT_RE = re.compile(r"^(\d+)([A-Z]+)$")
_HEADING_LETTER_RE = re.compile(r"^([A-Z])\s+(?=[A-Z][a-z])")


def fix_split_number(number: str, heading: str, previous: str | None) -> tuple[str, str]:
    """Rejoin a letter that Indian Kanoon moved from the number into the heading.

    The Constitution's Art. 243ZA comes as ``<number>243Z</number>`` + "A Elections to the
    Municipalities". The letter is moved back when (1) the number already ends in letters,
    (2) the heading starts with one capital letter, a space and a capitalised word (a
    heading never starts "A Elections"), and (3) the joined number sorts after the previous
    article's number, so that the result continues the sequence (243Z → 243ZA → 243ZB).
    "243Z" + "Audit of accounts ..." and "243A" + "Gram Sabha" are left alone.
    """
    match = _NUMBER_SPLIT_RE.match(number)
    letter = _HEADING_LETTER_RE.match(heading)
    if not match or not letter:
        return number, heading
    joined = number + letter.group(1)
    if previous is not None and _sort_key(joined) <= _sort_key(previous):
        return number, heading
    return joined, heading[letter.end() :]


def _sort_key(number: str) -> tuple[int, str]:
    match = re.match(r"^(\d+)(.*)$", number)
    return (int(match.group(1)), match.group(2)) if match else (0, number)


def _containers_before(act: etree._Element, articles: list[etree._Element]) -> dict:
    """Map each article to the PART/CHAPTER headings printed in the act-level text before it."""
    found: dict = {}
    part: str | None = None
    chapter: str | None = None
    for article in articles:
        prev = article.getprevious()
        text = prev.tail if prev is not None else article.getparent().text
        for heading in _container_headings(text or ""):
            if heading.upper().startswith("PART"):
                part, chapter = heading, None
            else:
                chapter = heading
        found[article] = tuple(h for h in (part, chapter) if h)
    return found


def _container_headings(text: str) -> list[str]:
    lines = [normalise_space(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    out = []
    for i, line in enumerate(lines):
        # "PART" and its numeral can be split over two lines ("PART \nI").
        candidate = line
        if re.fullmatch(r"(?i)part|chapter", line) and i + 1 < len(lines):
            candidate = f"{line} {lines[i + 1]}"
        match = _CONTAINER_RE.match(candidate)
        if not match:
            continue
        name = f"{match.group(1).upper()} {match.group(2)}"
        title = match.group(3).strip(" .—-")
        if not title:
            rest = lines[i + 2 : i + 3] if candidate != line else lines[i + 1 : i + 2]
            title = rest[0] if rest and not _CONTAINER_RE.match(rest[0]) else ""
        out.append(normalise_space(f"{name} {title}") if len(title) < 150 else name)
    return out


def _with_container(section: RawSection, container: tuple[str, ...] | None) -> RawSection:
    if not container:
        return section
    return RawSection(
        section.number,
        section.heading,
        section.body,
        section.footnotes,
        section.anchor,
        container,
        section.kind,
        section.repealed,
    )
