"""Amendment markers: take them out of the text, and turn each into an AmendmentNote.

Readers hand over markers in one canonical form (see :mod:`kb.model`): ``^3[words]`` for words
inserted or substituted, ``^4***`` for an omission, and a bare ``^5`` for a plain footnote
reference. :func:`strip_markers` removes them and remembers where each one sat in the clean
text, so the parser can give the note to the provision that contains it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.model import AmendmentNote

from . import patterns as P

__all__ = [
    "MarkerSpan",
    "StrippedText",
    "authority_of",
    "build_note",
    "classify_action",
    "footnote_mismatch",
    "strip_markers",
]


@dataclass
class MarkerSpan:
    """Where one marker sat in the clean text: ``start``..``end`` are the words it wraps."""

    key: str
    kind: str  # bracket | omission | reference
    start: int
    end: int
    closed: bool = True


@dataclass
class StrippedText:
    text: str
    spans: list[MarkerSpan]
    warnings: list[str]


def strip_markers(body: str, footnote_keys: frozenset[str] | set[str] = frozenset()) -> StrippedText:
    """Remove every marker from ``body``; nested brackets are matched by depth.

    Plain square brackets in the text (not opened by a marker) are kept and counted, so the
    "]" that closes a marker is the one at the marker's own depth.
    """
    out: list[str] = []
    spans: list[MarkerSpan] = []
    warnings: list[str] = []
    stack: list[int] = []  # -1 for a plain "[", else the index of the marker span it opened
    i, n = 0, len(body)
    while i < n:
        char = body[i]
        if char == "^":
            i = _read_marker(body, i, out, spans, stack, warnings, footnote_keys)
            continue
        if char == "[":
            stack.append(-1)
            out.append(char)
        elif char == "]":
            top = stack.pop() if stack else -1
            if top >= 0:
                spans[top].end = len(out)
            else:
                out.append(char)
        else:
            out.append(char)
        i += 1
    for index in stack:
        if index >= 0:
            spans[index].end = len(out)
            spans[index].closed = False
            warnings.append(f"unmatched '[' of amendment marker ^{spans[index].key}")
    return StrippedText("".join(out), spans, warnings)


def _read_marker(
    body: str,
    i: int,
    out: list[str],
    spans: list[MarkerSpan],
    stack: list[int],
    warnings: list[str],
    keys: frozenset[str] | set[str],
) -> int:
    """Consume the marker starting at body[i] == "^"; return the index after it."""
    match = P.MARKER_KEY_RE.match(body, i + 1)
    if not match:
        # A lone caret is never statute text; dropping it keeps "^" out of every provision.
        warnings.append("stray '^' with no footnote key")
        return i + 1
    key, end = _resolve_key(body, match, keys)
    if body.startswith("-[", end):
        end += 1  # "^1-[8A. Delimitation of ...]" (RPA 1950): a dash printed between key and bracket
    if body.startswith("[", end):
        omitted = P.OMISSION_BRACKET_RE.match(body, end)
        if omitted:
            return _emit_omission(body, omitted.end(), key, out, spans)
        spans.append(MarkerSpan(key, "bracket", len(out), len(out)))
        stack.append(len(spans) - 1)
        return end + 1
    stars = P.OMISSION_STARS_RE.match(body, end)
    if stars:
        return _emit_omission(body, stars.end(), key, out, spans)
    spans.append(MarkerSpan(key, "reference", len(out), len(out)))
    return end


def _resolve_key(body: str, match, keys) -> tuple[str, int]:
    """Split a key glued to the next word ("^3by the President") using the known footnote keys."""
    key = match.group("key")
    end = match.end()
    following = body[end : end + 1]
    if key in keys or following in ("[", "*", ""):
        return key, end
    for cut in range(len(key) - 1, 0, -1):
        if key[:cut] in keys:
            return key[:cut], match.start() + cut
    digits = len(key) - len(key.lstrip("0123456789"))
    if 0 < digits < len(key) and key[digits:].isalpha() and len(key) - digits > 1:
        return key[:digits], match.start() + digits
    return key, end


def _emit_omission(body: str, end: int, key: str, out: list[str], spans: list[MarkerSpan]) -> int:
    """Record an omission and leave exactly one space (or none before punctuation) in its place."""
    while out and out[-1] in " \t":
        out.pop()
    for span in spans:  # trimming may have pulled the text end behind a recorded offset
        span.start = min(span.start, len(out))
        span.end = min(span.end, len(out))
    while end < len(body) and body[end] in " \t":
        end += 1
    nxt = body[end : end + 1]
    if out and nxt and nxt not in "\n.,;:)]" and out[-1] not in "\n([":
        out.append(" ")
    elif nxt in (":", ";") and P.OMITTED_LABEL_RE.search("".join(out[-12:])):
        # "(e) ^6***:" (MH MCA s.105(1)): the omitted clause keeps its label apart from the colon,
        # so it is read as the clause it was, and the provisos after it are not glued to (d).
        out.append(" ")
    spans.append(MarkerSpan(key, "omission", len(out), len(out)))
    return end


def classify_action(footnote: str | None, kind: str = "bracket") -> tuple[str, str]:
    """(action, verb) from a footnote's wording; the earliest action word wins.

    ``action`` is one of substituted, inserted, omitted, amended; ``verb`` is what the
    footnote says (e.g. "renumbered"), for summaries.
    """
    if footnote:
        text = P.QUOTED_RE.sub(" ", footnote)
        match = P.ACTION_WORDS_RE.search(text)
        if match:
            group = match.lastgroup or "amended"
            if group == "renumbered":
                return "amended", "renumbered"
            return group, group
    if kind == "omission":
        return "omitted", "omitted"
    return "amended", "amended"


def authority_of(footnote: str | None) -> str:
    """The "by …" part of a footnote: "Subs. by Act 21 of 1989, s. 4, for ..." -> "by Act 21 of 1989, s. 4"."""
    if not footnote:
        return ""
    text = " ".join(P.QUOTED_RE.sub("“…”", footnote).split())
    match = P.BY_RE.search(text)
    if not match:
        return ""
    by = match.group("by")
    cut = P.FOR_CUT_RE.search(by)
    wef = P.WEF_RE.search(by)
    if cut:
        by = by[: cut.start()]
        if wef and wef.start() >= cut.start():
            by = f"{by} {wef.group(0)}"
    return "by " + by.strip().rstrip(".;, ")


def build_note(span: MarkerSpan, footnote: str | None, clean_text: str, subject: str = "") -> AmendmentNote:
    """Join a marker to its footnote. ``subject`` names the wrapped provision ("Clause (a-1)"), if any."""
    action, verb = classify_action(footnote, span.kind)
    if span.kind == "omission":
        action = "omitted"  # "***" can only mean words left out, whatever a misnumbered footnote says
    affected = " ".join(clean_text[span.start : span.end].split()) if span.kind == "bracket" else ""
    if footnote is None:
        summary = "Amended (footnote not available in this source)"
        if span.kind == "omission":
            summary = "Words omitted (footnote not available in this source)"
    elif span.kind == "reference" and not P.ACTION_WORDS_RE.search(P.QUOTED_RE.sub(" ", footnote)):
        # A bare footnote reference ("declared^3 by the President") carries information only.
        text = " ".join(footnote.split())
        summary = "Footnote: " + (text if len(text) <= 200 else text[:197].rstrip() + "…")
    elif span.kind == "omission" and not subject:
        # An omission leaves no words to name; the footnote says best what went ("These
        # sub-sections (2) and (3) were deleted by Mah. 37 of 2006, s. 3").
        summary = " ".join(footnote.split()).rstrip(".")
    else:
        what = subject or _words_subject(affected, span.kind)
        plural = not subject
        summary = f"{what} {'were' if plural else 'was'} {verb}"
        authority = authority_of(footnote)
        if authority:
            summary += f" {authority}"
    return AmendmentNote(marker=span.key, action=action, footnote=footnote, affected_text=affected, summary=summary)


def _words_subject(affected: str, kind: str) -> str:
    if kind == "omission" or not affected:
        return "Words"
    short = affected if len(affected) <= 60 else affected[:57].rstrip() + "…"
    return f"The words “{short}”"


def footnote_mismatch(span: MarkerSpan, footnote: str | None) -> str | None:
    """A warning when the marker's shape contradicts its footnote (a sign of misnumbered footnotes)."""
    if not footnote:
        return None
    action = classify_action(footnote, span.kind)[0]
    if span.kind == "omission" and action in ("inserted", "substituted"):
        return f"marker ^{span.key} marks an omission but its footnote says {action}"
    if span.kind == "bracket" and action == "omitted":
        return f"marker ^{span.key} wraps words but its footnote says omitted"
    return None
