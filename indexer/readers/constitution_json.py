"""Reader for the Constitution of India as a JSON list ("constitution-json").

Each item is ``{"article": 243 or "243F", "title": ..., "description": ...}``; clauses in the
description are separated by blank lines holding only non-breaking spaces, and some clauses
or provisos run on after a colon ("... State concerned: Provided that ..."). Article 0 is the
Preamble; it is kept with number and heading "Preamble".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from indexer.readers import sha256_file
from indexer.readers._text import clean_heading, normalise_space, split_inline_clauses
from kb.errors import ReaderError
from kb.model import RawDocument, RawSection

FORMAT = "constitution-json"
TITLE = "The Constitution of India"
# Where this rendering comes from (corpus README): the civictech-India repository.
SOURCE_URL = "https://github.com/civictech-India/constitution-of-india"


def read(path: Path) -> RawDocument:
    path = Path(path)
    items = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise ReaderError("expected a JSON list of {article, title, description}", path=path)
    sections: list[RawSection] = []
    seen: set[str] = set()
    warnings: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "article" not in item:
            raise ReaderError(f"item {index} has no 'article' key", path=path, field=f"[{index}]")
        section = read_item(item)
        if section.number in seen:
            warnings.append(f"article {section.number} appears twice; the second was dropped")
            continue
        seen.add(section.number)
        sections.append(section)
    return RawDocument(
        path=path,
        format=FORMAT,
        title=TITLE,
        sections=tuple(sections),
        sha256=sha256_file(path),
        source_url=SOURCE_URL,
        text_as_on=None,
        warnings=tuple(warnings),
    )


def read_item(item: dict) -> RawSection:
    # The source spells one number "239 A A"; a number with spaces would make a ref that no
    # citation parses back, so the article could never be shown by its own ref.
    number = re.sub(r"\s+", "", str(item["article"]))
    heading = clean_heading(str(item.get("title") or ""))
    if number == "0":
        number, heading = "Preamble", "Preamble"
    body = format_description(str(item.get("description") or ""))
    repealed = bool(re.fullmatch(r"\[?(?:repealed|omitted)\.?\]?", heading.lower()))
    return RawSection(number=number, heading=heading, body=body, anchor=None, kind="article", repealed=repealed)


# The rendering keeps a few amendment markers as a footnote number, a space and a bracket: "not
# more than 4 [five hundred and thirty members]" (Art. 81). Left alone, the number would read as
# statute text; as a marker it becomes a note whose footnote this source does not carry.
_SPACED_MARKER_RE = re.compile(r"(?<![\w.,(])(\d{1,2}) \[")


def format_description(text: str) -> str:
    """One clause or proviso per line; no lines that held only non-breaking spaces."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _SPACED_MARKER_RE.sub(r"^\1[", normalise_space(raw))
        if not line:
            continue
        for part in split_inline_clauses(line).split("\n"):
            part = part.strip()
            if part:
                lines.append(part)
    return "\n".join(lines)
