"""Text helpers shared by the plain-text readers (India Code Markdown, Indian Kanoon XML,
Constitution JSON, excerpts): amendment-marker normalisation, re-joining hard-wrapped lines,
putting each clause on its own line, and splitting a heading from the words after it.
"""

from __future__ import annotations

import re

# A line that opens a new clause: "(a)", "(1)", "(ii)", "(1A)", "(j-1)", a proviso or an
# Explanation, possibly behind amendment markers ("^3[(b) ...").
_LABEL = r"\((?:[0-9]{1,3}[A-Z]{0,2}|[a-z]{1,2}(?:-?\d)?|[ivxlc]{1,6}|[A-Z])(?:-\d+)?\)"
CLAUSE_START_RE = re.compile(r"^(?:\^\d+[A-Z]?\[)*\s*(?:" + _LABEL + r"|Provided\b|Explanation\b|Illustrations?\b)")

# Words that, ending a line, mean the "(a)" on the next line is a cross-reference
# ("under clause\n(a) of section 5"), not the start of a new clause.
_REFERENCE_WORDS = re.compile(
    r"(?:clauses?|sub-clauses?|sub-sections?|sections?|items?|paragraphs?|rules?|sub-rules?|"
    r"articles?|under|in|of|to|and|or|with|by)$",
    re.IGNORECASE,
)

_MARKER_OPEN_RE = re.compile(r"\^\d+[A-Z]?\[")
_TRAILING_OPENS_RE = re.compile(r"(?:\s*\^\d+[A-Z]?\[)+\s*$")


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def normalise_markers(text: str, plain: bool = False) -> str:
    """Bring amendment markers into the canonical "^N[" / "^N***" form.

    ``plain=True`` also converts the bare "3[" and "4[***]" that Indian Kanoon and web
    pages print (a number glued to an opening bracket, not preceded by a letter or digit).
    """
    if plain:
        text = re.sub(r"(?<![0-9A-Za-z^])(\d{1,3}[A-Z]?)\[", r"^\1[", text)
    # A marker the source wrapped onto the next line: "^2\n[(1)".
    text = re.sub(r"\^(\d+[A-Z]?)[ \t]*\n[ \t]*\[", r"^\1[", text)
    # Omissions: "^4* * * *", "^4[***]", "^30[.......]" all mean "words omitted here".
    text = re.sub(r"\^(\d+[A-Z]?)\[\s*(?:\*\s*){2,}\]", r"^\1***", text)
    text = re.sub(r"\^(\d+[A-Z]?)\[\s*\.{4,}\s*\]", r"^\1***", text)
    text = re.sub(r"\^(\d+[A-Z]?)[ \t]*\*(?:[ \t]*\*)+", r"^\1***", text)
    return text


def strip_markers(text: str) -> str:
    """Text without amendment markers, for comparing renderings of the same section."""
    text = re.sub(r"\^\d+[A-Z]?\*\*\*", " ", text)
    text = re.sub(r"\^\d+[A-Z]?\[", "", text)
    text = text.replace("]", "")
    return normalise_space(text)


def starts_clause(line: str) -> bool:
    return bool(CLAUSE_START_RE.match(line.strip()))


_TAIL = 32  # longer than the longest of _REFERENCE_WORDS


def join_wrapped(text: str) -> list[str]:
    """Re-join hard-wrapped lines into paragraphs.

    A paragraph ends at a blank line; a new one also starts at a line that opens a clause
    (unless the previous line ends with a word such as "clause" that makes the label a
    cross-reference). A line ending in a single hyphen ("sub-\\nsection", "1-11-\\n1956")
    is joined without a space.
    """
    # Linear in the text: a paragraph is kept as parts, and the tests that look at its end look
    # only at its last characters (a 260 KB section of wrapped lines once took minutes).
    paragraphs: list[str] = []
    parts: list[str] = []
    tail = ""  # the paragraph's last characters, enough for every end-of-paragraph test
    for raw in text.split("\n"):
        line = normalise_space(raw)
        if not line:
            if parts:
                paragraphs.append("".join(parts))
            parts, tail = [], ""
            continue
        if parts and starts_clause(line) and not _REFERENCE_WORDS.search(tail):
            paragraphs.append("".join(parts))
            parts, tail = [], ""
        hyphenated = re.search(r"[0-9A-Za-z]-$", tail) and not tail.endswith("--") and re.match(r"[0-9A-Za-z]", line)
        parts.append(line if not parts or hyphenated else " " + line)
        tail = (tail + parts[-1])[-_TAIL:]
    if parts:
        paragraphs.append("".join(parts))
    return move_trailing_markers(paragraphs)


def move_trailing_markers(lines: list[str]) -> list[str]:
    """Move marker openings left dangling at a line's end to the start of the next line.

    Indian Kanoon writes "...—2[" then "<section><number>1</number>] text", so the
    marker belongs with "(1)" on the next line: "^2[(1)] text".
    """
    out: list[str] = []
    carry = ""
    for line in lines:
        line = carry + line if carry else line
        carry = ""
        # Only the end can hold dangling openings; searching the whole line is quadratic in it.
        offset = max(0, len(line) - 200)
        match = _TRAILING_OPENS_RE.search(line, offset)
        if match:  # a line of nothing but openings moves whole
            carry = re.sub(r"\s+", "", match.group(0))
            line = line[: match.start()].rstrip()
        if line:
            out.append(line)
    if carry:
        out.append(carry)
    return out


def split_inline_clauses(text: str) -> str:
    """Put clauses and provisos that the source ran on into the same line on lines of their own.

    Only after punctuation that ends a clause (";", ":", "—", "-") so that cross-references
    such as "clause (1), the question" stay where they are.
    """
    text = re.sub(r"([;:—]|[^-]-)\s*(?=(?:\^\d+\[)*" + _LABEL + r"\s*\S)", r"\1\n", text)
    text = re.sub(r"([;:])\s+(?=Provided\b)", r"\1\n", text)
    return text


# Where a heading ends and the text starts: ".—", ".--", ".-", "—", "--", " — ".
_HEAD_DASH_RE = re.compile(r"\.?\s*(?:—|–|-{2,})\s*|\.\s*-(?!\w)\s*|\.-\s*(?=\()")
_HEAD_STOP_RE = re.compile(r"\.(?=\s*(?:[A-Z\"“(]|\^\d|$))")


def split_heading(text: str, max_len: int = 400) -> tuple[str, str]:
    """Split "Definitions.—In this Act ..." into ("Definitions.", "In this Act ...").

    Takes the first dash separator; failing that the first full stop followed by a capital,
    a quote, "(" or a marker; failing that the whole text is the heading.
    """
    text = text.strip()
    dash = _HEAD_DASH_RE.search(text[:max_len])
    stop = _HEAD_STOP_RE.search(text[:max_len])
    if (
        stop
        and stop.start() > 0
        and (not dash or (re.match(r"\.\s+[A-Z]", text[stop.start() :]) and stop.start() < dash.start()))
    ):
        # "Definitions. In this Act, unless the context otherwise requires,--": the full stop
        # comes first and the dash belongs to the text.
        dash = None
    if dash and dash.start() > 0:
        head = text[: dash.start()].rstrip()
        if text[dash.start()] == ".":
            head += "."
        return clean_heading(head), text[dash.end() :].strip()
    if stop and stop.start() > 0:
        return clean_heading(text[: stop.end()]), text[stop.end() :].strip()
    return clean_heading(text), ""


def clean_heading(heading: str) -> str:
    """One space between words, no doubled full stop, no trailing colon or dash."""
    heading = normalise_space(heading)
    heading = re.sub(r"\.{2,}$", ".", heading)
    heading = re.sub(r"\s*[:\-—–]+$", "", heading)
    return heading.strip()


def is_repealed_heading(heading: str) -> bool:
    """ "Repealed.", "[Omitted.].", "Omitted.." and the like: the whole section is gone."""
    core = re.sub(r"[\[\]().\s]", " ", heading).strip().lower()
    return bool(re.fullmatch(r"(?:repealed|omitted|rep|deleted)(?:\s+.*)?", core)) and len(core) < 40
