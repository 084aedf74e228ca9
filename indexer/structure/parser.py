"""The structural parser shared by every reader: RawSection body -> Provision tree.

How it works, in three passes:

1. :func:`indexer.structure.amendments.strip_markers` takes the canonical amendment markers out
   of the body and remembers their offsets in the clean text.
2. :func:`split_segments` cuts the clean text where a provision starts: at the start of a line
   ("(a) ...", "Provided that ...", "Explanation 1.— ..."), in the middle of a line after a
   dash or colon ("... a member—(a) if he ...", "... concerned: Provided that ..."), right after
   another label ("(5) (a) If ..."), and — only when the label continues a sequence already
   open — after ";" or "." ("... of a Panchayat; (f) “population” means ...").
3. :class:`_TreeBuilder` places each segment, using the sibling sequence to resolve the
   letter/roman ambiguity: "(i)" is clause (i) when it follows clause (h) or (h-1), and a
   sub-clause otherwise (also when clause (h) itself ends with a dash introducing a list).
   Roman numerals straight under a sub-section whose first item ends with a dash before "(a)"
   group the clauses ("(i) the Sarpanch shall— (a) ...; (ii) the Upa-Sarpanch shall,— (a) ...").
   A list numbered afresh right after a lead-in ("... corrupt practices, namely:-- (1) bribery")
   is that lead-in's own, until a quoted sub-section closes ("... of the Council.”]"); a heading
   on a line of its own ("A. Bye-laws relating to taxation") groups the items under it.

Where provisos and Explanations go (the drafting conventions the heuristics follow):

* A proviso naming its scope ("disqualified under this clause", "this sub-section") attaches to
  the innermost open provision of that kind; in a Constitution article "this clause" means the
  numbered unit (kind ``subsection``) and "this sub-clause" the lettered one.
* "Provided further/also that" is a sibling of the proviso before it.
* Otherwise a proviso attaches to the deepest open provision (the last clause or sub-clause
  written before it), never to another proviso or Explanation.
* An Explanation naming its scope ("For the purposes of this section") attaches there.
  Otherwise it climbs over provisos, Explanations and sub-clauses; and when the clause before
  it closed the sentence with a full stop (the last clause of a list, "(k) ... elapsed.") it
  belongs to the sub-section (or section) owning the list, so MH VPA s.14's Explanations 1-5
  are children of s.14(1), not of clause (k).
* A new paragraph after a list item that ends with "," is the closing words of the list
  ("... (b) is ordinarily resident in a constituency, / shall be entitled to be registered ...")
  and becomes the ``tail`` of the list's owner. When that owner itself ends a list with a dash
  ("(d) ... materially affected— (i) ... (iv) ..., / the High Court shall declare ... void"),
  closing words with "shall" or "may" complete the outer list's owner instead. If the list then
  goes on, the words were the last item's own (a wrapped line).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from kb.model import AmendmentNote, ParsedSection, Provision, RawDocument, RawSection
from kb.refs import path_string

from . import patterns as P
from .amendments import MarkerSpan, build_note, footnote_mismatch, strip_markers

__all__ = ["parse_provisions", "parse_section", "split_segments"]

_LEVEL = {"subsection": 1.0, "clause": 2.0, "subclause": 3.0, "item": 4.0}
_LIST_KINDS = ("clause", "subclause", "item")
# Closing words that go on describing the item before ("and who ...", "except where ...") rather
# than complete the sentence of the list above it.
_GOES_ON = re.compile(r"(?:and|or|who|which|whose|whom|being|but|except|to|after)\b", re.IGNORECASE)
_MAIN_VERB = re.compile(r"\b(?:shall|may)\b")
_CLOSING_QUOTE = re.compile(r"[‖”\"’]\s*\]?\s*[.;]?\s*$")
# "clause (b)" of this section, not "clause (a) of section 4 of the Mumbai Municipal Corporation
# Act" or "clause (2) of article 243K" (elsewhere).
_ELSEWHERE = r"\s+(?:section|sub-section|article|rule|the)\b"
_CLAUSE_REF_RE = re.compile(r"\bclauses? \(([a-z]{1,2}(?:-\d+)?)\)(?!\s*of" + _ELSEWHERE + ")")
_NUMBERED_CLAUSE_RE = re.compile(r"\bclauses? \(\d{1,2}[A-Z]?\)(?!\s*(?:of|to|and|or)" + _ELSEWHERE + ")")


def _all_words(node: _Node) -> str:
    return " ".join([*node.text, *(_all_words(child) for child in node.children), *node.tail])


_ATTACHED = ("proviso", "explanation")
_ROMAN_UPPER = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}

# What "this <unit>" means in each kind of top-level unit.
_SCOPE_KINDS = {
    "section": {
        "subsection": "subsection",
        "sub-section": "subsection",
        "clause": "clause",
        "subclause": "subclause",
        "sub-clause": "subclause",
        "item": "item",
        "section": "root",
    },
    "article": {"clause": "subsection", "subclause": "clause", "sub-clause": "clause", "article": "root"},
    "rule": {
        "subrule": "subsection",
        "sub-rule": "subsection",
        "clause": "clause",
        "subclause": "subclause",
        "sub-clause": "subclause",
        "rule": "root",
    },
}
_KIND_NAMES = {"subsection": "Sub-section", "clause": "Clause", "subclause": "Sub-clause", "item": "Item"}


# --- pass 2: segments -------------------------------------------------------------------------


@dataclass
class Segment:
    """A run of clean text that starts one provision (or continues the previous one)."""

    kind: str  # label | group | proviso | explanation | text
    start: int  # offset where the segment begins (line start for line-initial starts)
    label_pos: int  # offset of the label, "Provided" or "Explanation"
    body_start: int  # offset of the segment's own words
    end: int
    label: str = ""
    qualifier: str = ""
    new_para: bool = False
    weak: bool = False


def has_blank_lines(text: str) -> bool:
    return bool(re.search(r"\n[ \t\xa0]*\n", text))


def split_segments(clean: str, has_blank: bool | None = None) -> list[Segment]:
    """Cut clean (marker-free) text into segments, one per provision start.

    With blank lines between paragraphs a single newline is a hard wrap; without any, each line is
    a paragraph (the readers re-join wrapped lines). ``has_blank`` says which, from the text before
    its markers were taken out: an omission marker alone on its line ("^8***") leaves a blank line
    the source does not have.
    """
    if has_blank is None:
        has_blank = has_blank_lines(clean)
    segments: list[Segment] = []
    pos, blank, prev_line, last_group = 0, False, "", ""
    lines = clean.split("\n")
    for number, line in enumerate(lines):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip():
            blank = True
            continue
        lead = line_start + len(line) - len(line.lstrip())
        if clean.startswith("[", lead) and P.LABEL_RE.match(clean, lead + 1, line_end):
            lead += 1  # "[(1) No witness shall ...": an amendment's bracket before the label (RPA 1951 s.95)
        new_para = blank or not has_blank or not segments
        after_blank, previous = blank, prev_line
        blank, prev_line = False, line.strip()
        if P.TABLE_COLUMNS_RE.fullmatch(line):
            segments.append(Segment("text", line_start, lead, lead, line_end, new_para=new_para))
            continue
        group = _group_heading(lines, number, last_group) if new_para else None
        if group is not None:
            last_group = group["label"]
            body = lead + group.start("title") - group.start()
            segments.append(Segment("group", line_start, lead, body, line_end, group["label"], new_para=True))
            continue
        start = _match_start(clean, lead, line_end)
        if start and start[0] == "label" and not after_blank and P.XREF_BEFORE_RE.search(previous):
            start = None  # "under sub-section\n(2) of section 39": a reference, not a start
        bare = None
        if start is None and new_para:
            bare = P.BARE_LABEL_RE.match(clean, lead, line_end) or P.GLUED_LABEL_RE.match(clean, lead, line_end)
        if bare is not None:
            # "c) to uphold and protect the sovereignty ..." (Art. 51A, a source that lost the
            # bracket), "(x)under entry 44" (MH VPA s.176(2)), "(jj)) the maintenance" (DMC s.42):
            # weak, so it is a label only where it continues the list.
            start = _label_start(bare)
        first = _make_segment(start, line_start, lead, line_end, new_para, weak=bare is not None)
        if bare is not None and segments and clean[lead] != "(":
            # "... proceedings; and (\nb) any legal proceedings ..." (Art. 300(2)): the bracket the
            # line break cut off is the label's, not the end of the item before.
            before = clean[segments[-1].start : line_start].rstrip()
            if before.endswith("("):
                paren = segments[-1].start + len(before) - 1
                segments[-1].end = min(segments[-1].end, paren)
                first.start = first.label_pos = paren
        segments.extend(_split_line(clean, first, line_end))
    return segments


def _group_heading(lines: list[str], number: int, last: str) -> re.Match[str] | None:
    """Whether line ``number`` is a heading grouping a list's items: in capitals, followed by a
    bracketed label, or after an earlier heading of the same series ("F. ..." then "G. Bye-laws
    relating to public safety" over a paragraph of its own)."""
    match = P.GROUP_HEADING_RE.fullmatch(lines[number].strip())
    if match is None:
        return None
    label, title = match["label"], match["title"]
    following = next((other.strip() for other in itertools.islice(lines, number + 1, None) if other.strip()), "")
    if title.upper() == title or P.LABEL_RE.match(following) or _after_in_series(last, label):
        return match
    return None


def _after_in_series(last: str, label: str) -> bool:
    if last.isdigit() and label.isdigit():
        return int(label) > int(last)
    return last.isalpha() and label.isalpha() and label > last


def _make_segment(start, seg_start: int, label_pos: int, end: int, new_para: bool, weak: bool) -> Segment:
    if start is None:
        return Segment("text", seg_start, label_pos, label_pos, end, new_para=new_para)
    kind, label, qualifier, body_start = start
    return Segment(kind, seg_start, label_pos, body_start, end, label, qualifier, new_para, weak)


def _match_start(text: str, pos: int, end: int):
    """(kind, label, qualifier, body_start) when a provision starts at ``pos``, else None."""
    proviso = P.PROVISO_RE.match(text, pos, end)
    if proviso:
        qualifier = " ".join(proviso.group("qualifier").replace(",", " ").split())
        return "proviso", "", qualifier, pos  # the words "Provided that" are part of the law's text
    explanation = P.EXPLANATION_RE.match(text, pos, end)
    if explanation:
        return "explanation", _explanation_label(explanation.group("number")), "", explanation.end()
    label = P.LABEL_RE.match(text, pos, end)
    return _label_start(label) if label else None


def _label_start(match: re.Match[str]) -> tuple[str, str, str, int]:
    """The start a matched label makes: its label without the spaces some sources put inside."""
    return "label", re.sub(r"\s+", "", match["label"]), "", match.end()


def _explanation_label(number: str | None) -> str:
    if not number:
        return "Explanation"
    if number in _ROMAN_UPPER:
        return f"Explanation {_ROMAN_UPPER[number]}"
    return f"Explanation {number}"


def _split_line(clean: str, first: Segment, line_end: int) -> list[Segment]:
    """Split one line further at inline starts; the first segment is given."""
    out = [first]
    current = first
    while True:
        nxt = _next_inline_start(clean, current, line_end)
        if nxt is None:
            break
        current.end = nxt.start
        out.append(nxt)
        current = nxt
    current.end = line_end
    return out


def _next_inline_start(clean: str, current: Segment, line_end: int) -> Segment | None:
    if current.kind in ("label", "explanation"):
        # "(5) (a) If ..." or "(b) (i) in the case ...": a label right after a label.
        gap = current.body_start
        while gap < line_end and clean[gap] in " \t\xa0":
            gap += 1
        start = _match_start(clean, gap, line_end)
        if start and start[0] == "label" and gap > current.label_pos:
            return _make_segment(start, gap, gap, line_end, False, weak=False)
    best: tuple[int, Segment] | None = None
    for regex, weak in ((P.STRONG_INLINE_RE, False), (P.WEAK_INLINE_RE, True)):
        found = _first_inline(clean, regex, weak, current.body_start, line_end)
        if found and (best is None or found.start < best[0]):
            best = (found.start, found)
    return best[1] if best else None


def _first_inline(clean: str, regex, weak: bool, pos: int, end: int) -> Segment | None:
    match = regex.search(clean, pos, end)
    while match:
        at = match.end()
        start = _match_start(clean, at, end)
        glued = P.GLUED_LABEL_RE.match(clean, at, end) if weak and start is None else None
        if glued is not None:
            start = _label_start(glued)
        if start and (not weak or start[0] == "label") and at > pos:
            return _make_segment(start, at, at, end, False, weak=weak)
        match = regex.search(clean, match.start() + 1, end)
    return None


# --- label arithmetic ---------------------------------------------------------------------------


def _label_kinds(label: str) -> list[str]:
    """Possible kinds of a bracketed label; two when it is both a letter and a roman numeral."""
    if P.NUMBER_LABEL_RE.match(label):
        return ["subsection"]
    if P.UPPER_LABEL_RE.match(label):
        return ["item"]
    roman = P.ROMAN_LABEL_RE.match(label)
    letter = P.LETTER_LABEL_RE.match(label)
    if roman and letter:
        return ["clause", "subclause"]
    return ["subclause"] if roman else ["clause"]


def _roman_value(label: str) -> int | None:
    match = P.ROMAN_LABEL_RE.match(label)
    if not match:
        return None
    total, prev = 0, 0
    for char in reversed(match["tens"] + match["units"]):
        value = _ROMAN_VALUES[char]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def _follows(prev: str, cur: str, kind: str) -> bool | None:
    """Whether ``cur`` is the next label after ``prev`` in a sequence of ``kind``; None if unknown."""
    if kind == "subsection":
        a, b = P.NUMBER_LABEL_RE.match(prev), P.NUMBER_LABEL_RE.match(cur)
        if not (a and b):
            return None
        pn, cn = int(a.group("num")), int(b.group("num"))
        return cn == pn + 1 or (cn == pn and b.group("suffix") > a.group("suffix"))
    if kind == "subclause":
        pv, cv = _roman_value(prev), _roman_value(cur)
        if pv is None or cv is None:
            return None
        if cv == pv:  # (ii) -> (ii-a) -> (ii-aa)
            return _inserted(cur) > _inserted(prev)
        return cv == pv + 1 and not _inserted(cur)
    if kind == "item":
        if not (P.UPPER_LABEL_RE.match(prev) and P.UPPER_LABEL_RE.match(cur)):
            return None
        return ord(cur[0]) == ord(prev[0]) + 1 or (cur[0] == prev[0] and "-" in cur and cur > prev)
    a, b = P.LETTER_LABEL_RE.match(prev), P.LETTER_LABEL_RE.match(cur)
    if not (a and b):
        return None
    pl, cl = a.group("letters"), b.group("letters")
    psub, csub = int(a.group("sub") or 0), int(b.group("sub") or 0)
    if pl == cl and (a["app"] or b["app"]):  # (hhh) -> (hhha) -> (hhhb)
        return (b["app"] or "") > (a["app"] or "")
    if pl == cl and (a["ins"] or b["ins"]):  # (b) -> (b-i), (i) -> (i-a)
        return csub == psub and (b["ins"] or "") > (a["ins"] or "")
    if pl == cl:  # an inserted clause: (a) -> (a-1), (j-1) -> (j-2)
        return csub == psub + 1
    if ord(cl[0]) == ord(pl[0]) + 1 and len(cl) >= len(pl):
        return csub == 0 or csub == 1  # (h) -> (i), (j-5) -> (k), (aa) -> (bb)
    if len(cl) == len(pl) + 1 and cl[0] == pl[0] and csub == 0:
        return True  # (a) -> (aa): a clause inserted after (a)
    if len(cl) == len(pl) - 1 and ord(cl[0]) == ord(pl[0]) + 1:
        return True  # (aa) -> (b)
    if len(cl) == 1 and len(set(pl)) == 1 and ord(cl) == ord(pl[0]) + 1:
        return True  # (hhh) -> (i): RPA 1950 s.28(2), where (hh) and (hhh) were inserted after (h)
    if len(cl) == len(pl) == 2 and cl[0] == pl[0] and ord(cl[1]) == ord(pl[1]) + 1:
        return True  # (ab) -> (ac)
    return bool(pl[0] == "z" and cl == "aa")


def _inserted(label: str) -> str:
    """What an inserted label adds after its dash: "a" in (ii-a), "1a" in (xii-1a), "" in (ii).
    Compared as strings, "1a" sorts before "a", as the Act places (xii-1a) before (xii-a)."""
    _, dash, rest = label.partition("-")
    return rest if dash and (rest.isalpha() or P.ROMAN_LABEL_RE.match(label)) else ""


# --- pass 3: the tree ----------------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    kind: str
    label: str
    level: float
    parent: _Node | None = None
    text: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    notes: list[AmendmentNote] = field(default_factory=list)
    tail_after: int = -1  # how many children the node had when closing words became its tail
    tail_list: bool = False  # a list has started inside the closing words
    opens: bool = False  # holds a list of its own, numbered afresh, whatever its level
    group: bool = False  # a heading grouping a list's items ("A. Bye-laws relating to taxation")

    def last_child(self, kind: str) -> _Node | None:
        for child in reversed(self.children):
            if child.kind == kind:
                return child
        return None

    def add_words(self, words: str) -> None:
        if words:
            (self.tail if self.children else self.text).append(words)


@dataclass
class _Placed:
    """Which node received a segment, for giving markers to the provision that contains them."""

    start: int
    label_pos: int
    node: _Node
    kind: str
    empty: bool


class _TreeBuilder:
    def __init__(self, raw: RawSection, clean: str) -> None:
        self.raw = raw
        self.clean = clean
        self.root_kind = raw.kind if raw.kind in _SCOPE_KINDS else "section"
        # RPA 1951 s.123 calls its numbered units "clauses" ("For the purposes of clause (7)"), as
        # an article does: "this clause" there is the numbered unit, not a lettered one.
        self.numbered_clauses = self.root_kind == "section" and bool(_NUMBERED_CLAUSE_RE.search(clean))
        self.scope_kinds = _SCOPE_KINDS[self.root_kind]
        if self.numbered_clauses:
            self.scope_kinds = {**self.scope_kinds, **_SCOPE_KINDS["article"]}
        self.root = _Node(raw.kind or "section", raw.number, 0.0)
        self.stack: list[_Node] = [self.root]
        self.placed: list[_Placed] = []
        self.last_words = ""
        self.warnings: list[str] = []
        self.closings: list[tuple[_Node, int]] = []  # closing words taken by a list's owner
        self.interrupted: list[_Node] = []  # the open list an Explanation on the whole unit left
        self.outline = False  # the tree is a structured source's own (Akoma Ntoso), not parsed text

    # segments ---------------------------------------------------------------------------------
    def add(self, seg: Segment) -> None:
        words = " ".join(self.clean[seg.body_start : seg.end].split())
        if seg.kind == "label":
            node = self._place_label(seg)
            if node is None:  # a weak start that continues nothing: ordinary words
                whole = " ".join(self.clean[seg.label_pos : seg.end].split())
                node = self._add_text(seg, whole)
            else:
                node.add_words(words)
        elif seg.kind == "proviso":
            node = self._push_attached("proviso", "", self._proviso_target(words, seg.qualifier))
            node.add_words(words)
        elif seg.kind == "explanation":
            target = self._explanation_target(words)
            interrupted = self.stack[self.stack.index(target) + 1 :] if target in self.stack else []
            node = self._push_attached("explanation", seg.label, target)
            node.add_words(words)
            self.interrupted = [n for n in interrupted if n.kind not in _ATTACHED]
        elif seg.kind == "group":
            node = self._place_group(seg, words)
        else:
            node = self._add_text(seg, words)
        self.placed.append(_Placed(seg.start, seg.label_pos, node, seg.kind, not words))
        if words:
            self.last_words = words
            if _CLOSING_QUOTE.search(words):
                # "(ii) for sub-section (6), the following sub-section shall be substituted,
                # namely :— (6) ... co-terminus with the term of the Council.‖]": the quoted
                # sub-section ends there, and the next "(7)" is the Act's own again.
                for owner in self.stack:
                    if owner.opens and not owner.group:
                        owner.opens = False

    def _add_text(self, seg: Segment, words: str) -> _Node:
        top = self.stack[-1]
        if (
            words
            and seg.new_para
            and top.kind in _LIST_KINDS
            and top.parent is not None
            and self.last_words.endswith(",")
            and not top.children
        ):
            # Closing words after a list ("..., / shall be entitled to ...") belong to its owner.
            self._pop_to(top.parent)
            top = top.parent
            self.closings.append((top, len(self.placed)))
            top.tail_after = len(top.children)
        top.add_words(words)
        return top

    def _place_group(self, seg: Segment, words: str) -> _Node:
        owner = next((node.parent for node in reversed(self.stack) if node.group and node.parent), None)
        if owner is None:
            top = self.stack[-1]
            if top.children or not P.INTRODUCER_END_RE.search(self.last_words):
                return self._add_text(seg, " ".join(self.clean[seg.label_pos : seg.end].split()))
            owner = top  # "... make bye-laws to provide for ... the following matters, namely:--"
        self._pop_to(owner)
        node = _Node("item", seg.label, owner.level + 0.25, owner, opens=True, group=True)
        owner.children.append(node)
        self.stack.append(node)
        node.add_words(words)
        return node

    def _place_label(self, seg: Segment) -> _Node | None:
        label = seg.label
        kinds = _label_kinds(label)
        top = self.stack[-1]
        if top.label == label and not top.text and not top.children and self.placed and self.placed[-1].node is top:
            return top  # "(1) ^1[(1) All streets ...": the substituted text repeats its own label
        choice = self._choose(label, kinds)
        if choice is None:
            if seg.weak and not (label == "1" and len(self.stack) == 1 and not self.root.children):
                return None
            # A list whose first items are omitted starts at "(ii)" or "(iii)" (MH VPA s.176(2):
            # "(i) * * * (ii) under sub-section (1) of section 7 ..."): roman numerals, not the
            # doubled letters that only follow "(i)" as inserted clauses.
            kind = kinds[-1] if set(label) == {"i"} else kinds[0]
            parent = self._deepest_below(_LEVEL[kind], starts_list=label in ("1", "a", "i", "A"))
            if kind == "clause" and label == "a" and top.kind == "item" and not top.children:
                # "(1) Bribery, that is to say,— (A) any gift ... of inducing—\n(a) ...": capital
                # letters group clauses here, a level between the sub-section and its clauses.
                top.level = (_LEVEL["subsection"] + _LEVEL["clause"]) / 2
                parent = top
            elif (
                label == "a"
                and top.kind == "subclause"
                and not top.children
                and top.parent is not None
                and top.parent.level < _LEVEL["clause"]
                and P.INTRODUCER_END_RE.search(self.last_words)
            ):
                # "(2) Without prejudice to ...— (i) the Sarpanch shall— (a) ...; (b) ...; (ii) the
                # Upa-Sarpanch shall,— (a) ...": roman numerals group clauses here, as capitals do.
                top.level = (top.parent.level + _LEVEL["clause"]) / 2
                parent = top
            elif top.opens and not top.children:
                parent = top  # the first item under a group heading
            elif (
                label == "1"
                and top is not parent
                and top.kind in ("clause", "subclause")
                and not top.children
                and P.INTRODUCER_END_RE.search(self.last_words)
            ):
                # "(ii) for the purposes of all matters other than-- / (1) matters referred to in
                # section 42 of that Code, and / (2) arrest of a person ..." (NDMC s.372): a list
                # numbered inside the item that introduces it, not the section's sub-sections.
                top.opens = True
                parent = top
            elif kind == "subsection" and label != "1" and not self.root.last_child("subsection"):
                # "The Council shall appoint ...: Provided that ... / (2) The appointment ..." (NDMC
                # s.33, whose source lost the "(1)"): the section's second sub-section, not an item
                # of the proviso, which would have started its own list at (1).
                parent = self.root
            elif (
                parent is not top
                and not top.children
                and any(child.label == label for child in parent.children)
                and P.INTRODUCER_END_RE.search(self.last_words)
            ):
                # "(2) The following shall be deemed to be corrupt practices ..., namely:-- (1)
                # "bribery" ...; (2) Undue influence ...": a list numbered afresh inside the
                # provision that introduces it, not a second (1) beside it.
                top.opens = True
                parent = top
        else:
            kind, parent = choice
        self._pop_to(parent)
        closed = bool(parent.tail) and parent.tail_after == len(parent.children)
        if closed and choice is None and (parent.tail_list or P.INTRODUCER_END_RE.search(parent.tail[-1])):
            # A list inside the closing words ("(n) ..., / shall be disqualified, where the convicted
            # person is sentenced to— / (i) only fine ...; (ii) imprisonment ..."): the tree has no
            # place for items after them, so they are read as the closing words' text, in order.
            parent.tail.append(f"({label})")
            parent.tail_list = True
            return parent
        if closed and choice is not None:
            # The list goes on after the "closing words": they were the last item's wrapped line
            # ("... on which the election, / or nomination is called in question; and / (c) ...").
            self._move_tail(parent, parent.children[-1])
        level = max(_LEVEL[kind], parent.level + 0.25) if parent.opens else _LEVEL[kind]
        node = _Node(kind, label, level, parent)
        parent.children.append(node)
        self.stack.append(node)
        return node

    def _choose(self, label: str, kinds: list[str]) -> tuple[str, _Node] | None:
        """The continuation this label makes, if any: (kind, parent)."""
        top = self.stack[-1]
        if top.group and not top.children:
            # The first item under a group heading, whatever it continues elsewhere ("L. Bye-laws
            # relating to miscellaneous matters / * * * / (2) the circumstances ...").
            return (kinds[-1] if label == "i" else kinds[0]), top
        if (
            len(kinds) > 1
            and label == "i"
            and top.kind == "clause"
            and not top.children
            and P.INTRODUCER_END_RE.search(self.last_words)
        ):
            return "subclause", top  # "(h) ... —" then "(i)": the first sub-clause of (h)
        best: tuple[int, str] | None = None
        for kind in kinds:
            index = self._continuation(label, kind)
            if index is not None and (best is None or index > best[0]):
                best = (index, kind)
        if best is not None:
            self.interrupted = []
            repeated = self._repeated(label, kinds) if _inserted(label) else None
            if repeated is not None and repeated[0] > best[0]:
                # MH VPA s.38(2)(i): "(i) ...; (i-a) a Sarpanch may issue ...; (i-a) in respect of
                # ... (a) ... (c) ...; (j) ...": two amendments inserted an (i-a). The second is
                # the source's repeated label among the same clauses, not an (i-a) after "(i) the
                # Sarpanch shall—" one level up, and the clauses after it are (i)'s again. Only
                # inserted labels: a plain "(iv)" after a nested "(iv)" goes on the outer list.
                return repeated[1], self.stack[repeated[0]]
            return best[1], self.stack[best[0]]
        resumed = self._resume(label, kinds)
        if resumed is not None:
            return resumed
        if len(kinds) > 1:
            in_roman_list = any(node.last_child("subclause") for node in self.stack)
            if label != "i" and in_roman_list:
                return "subclause", self._deepest_below(_LEVEL["subclause"])
        return None

    def _resume(self, label: str, kinds: list[str]) -> tuple[str, _Node] | None:
        """The list an Explanation on the whole unit interrupted, if this label continues it.

        Art. 370(1): "(b) ... (ii) ...; Explanation.—For the purposes of this article ... / (c) the
        provisions of article 1 ...": the Explanation is the article's, and (c) is clause (1)'s next
        item, not the Explanation's first."""
        for node in reversed(self.interrupted):
            for kind in kinds:
                last = node.last_child(kind)
                if last is not None and _follows(last.label, label, kind):
                    self._pop_to(self.interrupted[0].parent or self.root)
                    self.stack.extend(self.interrupted[: self.interrupted.index(node) + 1])
                    self.interrupted = []
                    return kind, node
        return None

    def _repeated(self, label: str, kinds: list[str]) -> tuple[int, str] | None:
        """The deepest open provision whose last item of a kind carries this very label."""
        for index in range(len(self.stack) - 1, -1, -1):
            for kind in kinds:
                last = self.stack[index].last_child(kind)
                if last is not None and last.label == label:
                    return index, kind
        return None

    def _continuation(self, label: str, kind: str) -> int | None:
        level = _LEVEL[kind]
        for index in range(len(self.stack) - 1, -1, -1):
            node = self.stack[index]
            if node.level >= level and node.kind not in _ATTACHED and not node.opens:
                continue
            last = node.last_child(kind)
            if last is not None and _follows(last.label, label, kind):
                return index
        return None

    def _deepest_below(self, level: float, starts_list: bool = False) -> _Node:
        # A proviso or Explanation may hold its own list whatever it is attached to
        # ("Provided that ... share or interest in--\n(a) any lease ..."), so a list that
        # starts right after one is its child.
        for node in reversed(self.stack):
            if node.level < level or (starts_list and node.kind in _ATTACHED):
                return node
        return self.root

    def _move_tail(self, source: _Node, target: _Node) -> None:
        # A node's words after its children are its tail; one without children has only text.
        if target.children:
            target.tail = target.tail + source.tail
        else:
            target.text = target.text + source.tail
        source.tail = []
        first = min((i for owner, i in self.closings if owner is source), default=len(self.placed))
        for placed in self.placed[first:]:
            if placed.node is source and placed.kind == "text":
                placed.node = target  # the markers in the words go with them
        self.closings = [(target if owner is source else owner, i) for owner, i in self.closings]

    def raise_closing_words(self) -> None:
        """Give closing words to the list they complete.

        "(1) ... if the High Court is of opinion— ... (d) ... materially affected— (i) ... (iv) ...,
        / the High Court shall declare the election ... void" completes (1), not (d): closing words
        with a main verb climb from an item that introduced the inner list, while that item ends its
        own list and nothing of its own follows them.
        """
        for owner, _ in list(self.closings):
            node = owner
            while (
                node.tail
                and node.kind in _LIST_KINDS
                and node.parent is not None
                and not node.parent.tail
                and node.parent.children[-1] is node
                and node.children
                and node.children[-1].kind not in _ATTACHED
                and P.INTRODUCER_END_RE.search(" ".join(node.text))
                and _MAIN_VERB.search(" ".join(node.tail))
                and not _GOES_ON.match(node.tail[0])
            ):
                self._move_tail(node, node.parent)
                node = node.parent

    def _pop_to(self, node: _Node) -> None:
        while len(self.stack) > 1 and self.stack[-1] is not node:
            self.stack.pop()

    def _push_attached(self, kind: str, label: str, target: _Node) -> _Node:
        self._pop_to(target)
        node = _Node(kind, label, target.level + 0.5, target)
        target.children.append(node)
        self.stack.append(node)
        return node

    # where provisos and Explanations go ------------------------------------------------------------
    def _scope_target(self, words: str, allow_root: bool) -> _Node | None:
        match = P.SCOPE_RE.search(words)
        if not match:
            return None
        unit = match.group("unit").lower()
        kind = self.scope_kinds.get(unit)
        if kind is None or (kind == "root" and not allow_root):
            return None
        if kind == "root":
            return self.root
        for node in reversed(self.stack):
            if node.kind == kind:
                return node
        return None

    def _proviso_target(self, words: str, qualifier: str) -> _Node:
        if re.search(r"\bthis Explanation\b", words):
            # "Provided that the reference in this Explanation to the last preceding census ..."
            # (Art. 55, 81, 82, 170, 330, 332): the proviso to the Explanation.
            for node in reversed(self.stack):
                if node.kind == "explanation":
                    return node
        if re.search(r"further|also|lastly", qualifier):
            # The next proviso of a series, even when it mentions "this sub-section" in passing
            # ("the officer authorised under this sub-section shall ...").
            for index in range(len(self.stack) - 1, 0, -1):
                if self.stack[index].kind == "proviso":
                    return self.stack[index - 1]
        scoped = self._scope_target(words, allow_root=False)
        if scoped is not None:
            return scoped
        index = len(self.stack) - 1
        while index > 0 and self.stack[index].kind in _ATTACHED:
            index -= 1
        # An omitted item ("(e) * * *:") has no words for a proviso to qualify: it is its list's.
        while index > 0 and self.stack[index].kind in _LIST_KINDS and _omitted(self.stack[index]):
            index -= 1
        return self.stack[index]

    def _explanation_target(self, words: str) -> _Node:
        scoped = self._scope_target(words, allow_root=True)
        if scoped is not None:
            return scoped
        index = len(self.stack) - 1
        while index > 0 and self.stack[index].kind in (*_ATTACHED, "subclause", "item"):
            index -= 1
        if index > 0 and self.stack[index].kind == "clause" and self.last_words.endswith("."):
            index -= 1
        return self.stack[index]

    # markers ------------------------------------------------------------------------------------
    def attach_notes(self, spans: list[MarkerSpan]) -> None:
        starts = [placed.start for placed in self.placed]
        has_footnotes = bool(self.raw.footnotes)
        for span in spans:
            footnote = self.raw.footnote(span.key)
            if footnote is None and has_footnotes:
                self.warnings.append(f"marker ^{span.key} has no footnote")
            mismatch = footnote_mismatch(span, footnote)
            if mismatch:
                self.warnings.append(mismatch)
            node, subject = self._note_owner(span, starts, footnote)
            node.notes.append(build_note(span, footnote, self.clean, subject))

    def _note_owner(self, span: MarkerSpan, starts: list[int], footnote: str | None) -> tuple[_Node, str]:
        clean = self.clean
        if (
            span.kind == "bracket"
            and span.closed
            and not clean[: span.start].strip()
            and clean[span.end :].strip() in ("", ".", ";")
        ):
            return self.root, self._describe(self.root)  # "^1[19. Conditions of registration ...]"
        if footnote and _alone_on_line(clean, span) and re.search(r"\bsub-sections?\b|\bsections?\b", footnote):
            return self.root, ""  # "^1[* * *]" alone on a line: whole sub-sections were omitted
        index = bisect.bisect_right(starts, span.start) - 1
        if index < 0:
            return self.root, ""
        placed = self.placed[index]
        wraps = (
            span.kind == "bracket"
            and placed.kind != "text"
            and span.start <= placed.label_pos
            and not clean[span.start : placed.label_pos].strip()
            and span.end > placed.label_pos
        )
        return placed.node, self._describe(placed.node) if wraps else ""

    def _describe(self, node: _Node) -> str:
        if node is self.root:
            return f"{(node.kind or 'section').capitalize()} {node.label}".strip()
        if node.kind == "proviso":
            return "The proviso"
        if node.kind == "explanation":
            return node.label
        if node.kind == "subsection" and (self.root_kind == "article" or self.numbered_clauses):
            return f"Clause ({node.label})"
        return f"{_KIND_NAMES.get(node.kind, 'Provision')} ({node.label})"

    # output ---------------------------------------------------------------------------------------
    def finish(self) -> Provision:
        self._lift_list_provisos(self.root)
        self._lift_section_explanations(self.root)
        return self._freeze(self.root, (self.root.label,), self.raw.heading)

    def _lift_section_explanations(self, node: _Node) -> None:
        """An Explanation with no words of its own whose first item speaks of "this section" (RPA
        1951 s.123, after clause (8): "Explanation.— (1) In this section the expression "agent"
        includes ...; (2) For the purposes of clause (7) ...") is the section's."""
        for child in list(node.children):
            self._lift_section_explanations(child)
            if (
                child.kind == "explanation"
                and node is not self.root
                and not child.text
                and child.children
                and re.match(r"(?:In|For the purposes? of) this section\b", " ".join(child.children[0].text))
            ):
                node.children.remove(child)
                _adopt(self.root, child)

    def _lift_list_provisos(self, node: _Node) -> None:
        """A proviso after a list's last item that speaks of the list's other items ("the
        disqualification in clause (b) shall cease ...; ... under clause (h) ...") qualifies the
        whole list: it goes to the list's owner, as the last item cannot own its siblings' rules."""
        for child in list(node.children):
            self._lift_list_provisos(child)
        items = [child for child in node.children if child.kind in _LIST_KINDS]
        if len(items) < 2 or node.children[-1] is not items[-1]:
            return
        last = items[-1]
        siblings = {item.label for item in items[:-1]}
        moved: list[_Node] = []
        for child in last.children:
            if child.kind != "proviso":
                if moved:
                    break
                continue
            words = _all_words(child)
            named = set(_CLAUSE_REF_RE.findall(words)) & siblings
            if moved or (named and not re.search(r"\bthis (?:sub-)?clause\b", words)):  # a series goes together
                moved.append(child)
        for child in moved:
            last.children.remove(child)
            _adopt(node, child)

    def _freeze(self, node: _Node, labels: tuple[str, ...], heading: str = "") -> Provision:
        children = []
        for child, label in zip(node.children, self._child_labels(node, labels)):
            children.append(self._freeze(child, (*labels, label)))
        self._check_sequences(node, labels)
        return Provision(
            kind=node.kind,
            label=labels[-1],
            path=path_string(labels),
            text=self._words_of(node),
            heading=heading,
            children=tuple(children),
            notes=tuple(node.notes),
            tail=" ".join(node.tail),
        )

    def _words_of(self, node: _Node) -> str:
        text = " ".join(node.text)
        if self.outline:
            return text  # a structured source's words are as it gives them
        if node.kind in _LIST_KINDS and _omitted(node):
            return ""  # "(e) * * *:" is clause (e) with no words, not the words ":"
        return _STRAY_OPENING.sub("", text)

    def _child_labels(self, node: _Node, labels: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        seen: dict[str, int] = {}
        provisos = 0
        for child in node.children:
            if child.kind == "proviso":
                provisos += 1
                label = f"proviso {provisos}"
            else:
                label = child.label
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                renamed = _dedupe_label(label, seen[label])
                while renamed in seen or renamed in out:
                    renamed += "x"
                self.warnings.append(
                    f"{path_string(labels)}: duplicate label {label!r} among siblings; "
                    f"occurrence {seen[label]} stored as {renamed!r}"
                )
                label = renamed
            out.append(label)
        return out

    def _check_sequences(self, node: _Node, labels: tuple[str, ...]) -> None:
        for kind in _LEVEL:
            siblings = [child.label for child in node.children if child.kind == kind]
            for prev, cur in itertools.pairwise(siblings):
                if prev != cur and _follows(prev, cur, kind) is False:
                    self.warnings.append(f"{path_string(labels)}: numbering gap or disorder: ({prev}) then ({cur})")


# A bracket left after an item's last stop, opening nothing: "... containing such a recital.(" then
# "(2) An order made ..." on the next line (Art. 359(1B)(b)).
_STRAY_OPENING = re.compile(r"(?<=[.;:,])\s*\($")


def _omitted(node: _Node) -> bool:
    """An item whose words were all omitted by amendment: a label and at most punctuation."""
    return not node.children and not any(ch.isalnum() for words in node.text for ch in words)


def _adopt(parent: _Node, child: _Node) -> None:
    """Make a proviso or Explanation taken from elsewhere ``parent``'s last child."""
    child.parent = parent
    child.level = parent.level + 0.5  # as _TreeBuilder._push_attached places them
    parent.children.append(child)


def _alone_on_line(clean: str, span: MarkerSpan) -> bool:
    """True when the marker wrapped nothing and its line holds no other words."""
    if span.end > span.start and clean[span.start : span.end].strip():
        return False
    line_start = clean.rfind("\n", 0, span.start) + 1
    line_end = clean.find("\n", span.start)
    return not clean[line_start : line_end if line_end >= 0 else len(clean)].strip()


def _dedupe_label(label: str, occurrence: int) -> str:
    # Keeps paths unique (they are database keys) and still readable by kb.refs.split_path.
    if label == "Explanation":
        return f"Explanation {occurrence}"
    if label.startswith(("Explanation", "proviso")):
        return f"{label}-dup{occurrence}"
    return f"{label}dup{occurrence}" if "-" in label else f"{label}-dup{occurrence}"


# --- entry points ---------------------------------------------------------------------------------


def parse_section(raw: RawSection) -> ParsedSection:
    """Parse one section's body into its provision tree. Never raises on odd text."""
    if raw.outline is not None:
        return _parse_outline(raw, raw.outline)
    try:
        return _parse(raw)
    except Exception as exc:
        text = " ".join(strip_markers(raw.body or "").text.split())
        root = Provision(
            kind=raw.kind or "section",
            label=raw.number,
            path=path_string((raw.number,)),
            text=text,
            heading=raw.heading,
        )
        return ParsedSection(root, (f"structure not parsed ({type(exc).__name__}: {exc}); whole body kept as text",))


def parse_provisions(doc: RawDocument) -> list[ParsedSection]:
    """Parse every section of a document, in order."""
    return [parse_section(section) for section in doc.sections]


def _parse(raw: RawSection) -> ParsedSection:
    keys = frozenset(key for key, _ in raw.footnotes)
    stripped = strip_markers(raw.body or "", keys)
    clean, spans = _drop_repeated_heading(stripped.text, stripped.spans, raw)
    builder = _TreeBuilder(raw, clean)
    builder.warnings.extend(stripped.warnings)
    if raw.labels_lost:
        # Kerala's KPRA s.34 as a web page printed it: "1. A person shall be disqualified ... / 1. is
        # so disqualified ... / 2. (i) has been sentenced ...". "(ii)" there is s.34(1)(b)(ii) in the
        # Act; splitting at the labels left would invent "s.34(ii)".
        builder.warnings.append("the source lost the Act's list labels: the section is kept whole, as its text")
        segments = [Segment("text", 0, 0, 0, len(clean), new_para=True)]
    else:
        segments = split_segments(clean, has_blank_lines(raw.body or ""))
    for segment in segments:
        builder.add(segment)
    builder.raise_closing_words()
    builder.attach_notes(spans)
    root = builder.finish()
    return ParsedSection(root, tuple(builder.warnings))


def _parse_outline(raw: RawSection, outline: Provision) -> ParsedSection:
    """A structured source's own nesting (Akoma Ntoso): numbered, made unique and checked as text is.

    Guessing the nesting again from the words would only lose what the source states.
    """
    builder = _TreeBuilder(raw, "")
    builder.outline = True
    builder.root = _outline_node(outline, None, 0.0)
    builder.root.kind, builder.root.label = raw.kind or "section", raw.number
    root = builder.finish()
    return ParsedSection(root, tuple(builder.warnings))


def _outline_node(given: Provision, parent: _Node | None, level: float) -> _Node:
    node = _Node(given.kind, given.label, level, parent)
    node.text = [given.text] if given.text else []
    node.tail = [given.tail] if given.tail else []
    node.notes = list(given.notes)
    for child in given.children:
        child_level = _LEVEL.get(child.kind, level + 0.5)
        node.children.append(_outline_node(child, node, child_level))
    return node


def _misspelt_heading(clean: str, number: str, words: list[str]) -> re.Match[str] | None:
    """The numbered heading repeated with a letter or two apart from the source's own heading:
    "8A. Delimitation of ... Arunachal Pradesh, ..." under the heading "... Arunachal Pardesh, ..."
    (RPA 1950 s.8A). The same words, each nearly the same, before a stop and the first label."""
    from difflib import SequenceMatcher

    match = re.match(
        rf"\s*(?:-?\[\s*)?{re.escape(number)}\s*\.\s*(?P<heading>[^\n]{{1,400}}?)[.:]*\s*(?:--|—|–)?\s*(?=\(1\)|\n)",
        clean,
    )
    if not match:
        return None
    found = match["heading"].rstrip(".:—–- ").split()
    if len(found) != len(words):
        return None
    for ours, theirs in zip(found, words, strict=True):
        if ours.lower() != theirs.lower() and SequenceMatcher(None, ours.lower(), theirs.lower()).ratio() < 0.8:
            return None
    return match


def _drop_repeated_heading(clean: str, spans: list[MarkerSpan], raw: RawSection) -> tuple[str, list[MarkerSpan]]:
    """Remove "19. Conditions of registration." that some sources repeat at the top of the body.

    India Code prints a whole substituted section inside its marker, heading included
    ("^1[19. Conditions of registration.Subject to ..."); the heading is not provision text.
    """
    words = (raw.heading or "").strip().rstrip(".:—–- ").split()
    # An amendment's bracket may be left before the number: "[7A. Total number of seats ...",
    # "^1-[8A. Delimitation of ..." (RPA 1950).
    body = re.sub(r"^\s*(?:-?\[\s*)?", "", clean, count=1)
    numbered = bool(raw.number) and body.startswith(raw.number)
    # Without its number ("^1[Fresh poll in the case of ... ballot boxes.(1) If at any election"):
    # the whole heading, closed by a stop or a dash, before a label or a sentence.
    bare = len(words) >= 3 and body[:1].lower() == words[0][:1].lower()
    if not raw.number or not words or not (numbered or bare):
        return clean, spans  # checked first: building the pattern costs more than the whole parse
    heading = r"\s*".join(re.escape(word) for word in words)
    if numbered:
        match = re.match(rf"\s*(?:-?\[\s*)?{re.escape(raw.number)}\s*\.\s*{heading}[\s.:,—–-]*", clean, re.IGNORECASE)
    else:
        match = re.match(rf"\s*{heading}\s*[.:—–-]+\s*(?=\(|[A-Z])", clean, re.IGNORECASE)
    if not match and numbered:
        match = _misspelt_heading(clean, raw.number, words)
    if not match:
        return clean, spans
    cut = match.end()
    moved = [MarkerSpan(s.key, s.kind, max(0, s.start - cut), max(0, s.end - cut), s.closed) for s in spans]
    return clean[cut:], moved
