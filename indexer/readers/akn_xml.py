"""Reader for Akoma Ntoso 3.0 acts ("akn-xml"): seckb's own export, or an Act from another system.

``<akomaNtoso><act>`` with ``meta/identification`` and a ``body`` of parts/chapters and
``section``/``article``/``rule`` elements. Each top-level unit becomes a RawSection whose
``outline`` is the nesting the file states (``subsection``, ``paragraph`` = clause,
``subparagraph`` = sub-clause, ``point`` = item, ``proviso``, ``hcontainer name="explanation"``),
with labels as the ``num`` prints them ("(j-1)" -> "j-1", "Explanation I." -> "Explanation 1") and
``authorialNote``s as amendment notes; the structural parser numbers and checks that outline as it
does parsed text. The body is also given as text, labels first, for anything that reads the words.

Parsing is strict (no recovery, no entity expansion, no network): a damaged file is reported with
its line, never half read.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from lxml import etree

from indexer.readers import parse_xml, sha256_file
from indexer.structure.amendments import authority_of, classify_action
from kb.akn import AKN_NS, CHAR_PI, SECKB_NS
from kb.errors import ReaderError
from kb.model import AmendmentNote, Provision, RawDocument, RawSection

FORMAT = "akn-xml"

_A = f"{{{AKN_NS}}}"
_S = f"{{{SECKB_NS}}}"
_UNITS = {"section": "section", "article": "article", "rule": "rule"}
# Akoma Ntoso element -> provision kind, for the elements below a top-level unit.
_KINDS = {
    "subsection": "subsection",
    "subrule": "subsection",
    "paragraph": "clause",
    "clause": "clause",
    "subparagraph": "subclause",
    "subclause": "subclause",
    "point": "item",
    "item": "item",
    "proviso": "proviso",
}
_CONTAINERS = {
    "part",
    "subpart",
    "chapter",
    "subchapter",
    "title",
    "subtitle",
    "division",
    "subdivision",
    "book",
    "tome",
    "hcontainer",
}
_ROMAN_UPPER = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_EXPLANATION_NUM_RE = re.compile(r"^Explanation(?:\s+(?P<n>[0-9A-Za-z-]+?))?[\s.:—–-]*$", re.IGNORECASE)


def read(path: Path) -> RawDocument:
    path = Path(path)
    try:
        return _read(path)
    except ReaderError as exc:
        if exc.path is None:  # raised deep in the tree, where the file's name is not at hand
            raise ReaderError(exc.message, path=path, line=exc.line) from None
        raise


def _read(path: Path) -> RawDocument:
    root = _parse(path)
    if root.tag != f"{_A}akomaNtoso":
        raise ReaderError(
            f"root element is <{etree.QName(root).localname}>, not an Akoma Ntoso 3.0 <akomaNtoso>",
            path=path,
            line=root.sourceline,
        )
    act = root.find(f"{_A}act")
    if act is None:
        raise ReaderError("no <act> in this Akoma Ntoso document", path=path, line=root.sourceline)
    body = act.find(f"{_A}body")
    if body is None:
        raise ReaderError("the <act> has no <body>", path=path, line=act.sourceline)
    provenance = _provenance(act)
    sections: list[RawSection] = []
    warnings: list[str] = []
    for unit, containers in _units(body, ()):
        sections.append(_section(unit, containers, path))
    if not sections:
        raise ReaderError("the <body> holds no section, article or rule", path=path, line=body.sourceline)
    return RawDocument(
        path=path,
        format=FORMAT,
        title=provenance.get("title") or _title(act),
        sections=tuple(sections),
        sha256=sha256_file(path),
        source_url=provenance.get("sourceUrl") or None,
        text_as_on=_text_as_on(act, path),
        partial=provenance.get("partial") == "true",
        warnings=tuple(warnings),
    )


def _parse(path: Path) -> etree._Element:
    parser = etree.XMLParser(
        recover=False, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    return parse_xml(path, parser)


# --- metadata ----------------------------------------------------------------------------------


def _provenance(act: etree._Element) -> dict[str, str]:
    """seckb's own provenance block, when the file is a seckb export."""
    block = act.find(f"{_A}meta/{_A}proprietary/{_S}provenance")
    if block is None:
        return {}
    return {etree.QName(child).localname: _text(child) for child in block if isinstance(child.tag, str)}


def _title(act: etree._Element) -> str:
    name = act.find(f"{_A}meta/{_A}identification/{_A}FRBRWork/{_A}FRBRname")
    if name is not None and name.get("value"):
        return name.get("value", "")
    doc_title = act.find(f".//{_A}preface//{_A}docTitle")
    return " ".join(_text(doc_title).split()) if doc_title is not None else ""


def _text_as_on(act: etree._Element, path: Path) -> date | None:
    """The expression's date: the point in time the text is as on (unless the file says it is not stated)."""
    when = act.find(f"{_A}meta/{_A}identification/{_A}FRBRExpression/{_A}FRBRdate")
    if when is None or when.get("name") == "textAsOnNotStated":
        return None
    try:
        return date.fromisoformat(when.get("date", ""))
    except ValueError:
        raise ReaderError(
            f"FRBRExpression/FRBRdate {when.get('date')!r} is not a date (YYYY-MM-DD)", path=path, line=when.sourceline
        ) from None


# --- body ----------------------------------------------------------------------------------------


def _units(parent: etree._Element, containers: tuple[str, ...]):
    """(top-level unit, its container headings) in document order."""
    for child in parent:
        if not isinstance(child.tag, str) or not child.tag.startswith(_A):
            continue
        name = etree.QName(child).localname
        if name in _UNITS:
            yield child, containers
        elif name in _CONTAINERS and not (name == "hcontainer" and child.get("name") == "explanation"):
            yield from _units(child, (*containers, _container_heading(child, name)))


def _container_heading(elem: etree._Element, name: str) -> str:
    num = _child_text(elem, "num")
    heading = _child_text(elem, "heading")
    if not num:
        return heading
    if num[0].isdigit() or re.match(r"^[IVXLC]+[A-Z]?\b", num):
        num = f"{name.upper()} {num}"  # "2" under <chapter> is "CHAPTER 2"
    return f"{num} - {heading}" if heading else num


def _section(unit: etree._Element, containers: tuple[str, ...], path: Path) -> RawSection:
    kind = _UNITS[etree.QName(unit).localname]
    number = _child_text(unit, "num").strip().rstrip(".:—–- ").strip()
    number = re.sub(r"^(?:section|article|rule|sec\.|art\.|r\.)\s*", "", number, flags=re.IGNORECASE)
    if not number:
        number = _eid_label(unit)
    if not number:
        raise ReaderError(f"a <{kind}> without <num> or eId", path=path, line=unit.sourceline)
    outline = _outline(unit, kind, number)
    return RawSection(
        number=number,
        heading=_child_text(unit, "heading"),
        body=_body_text(outline),
        anchor=unit.get(f"{_S}source"),
        container=containers,
        kind=kind,
        repealed=unit.get("status") == "removed" or "repealed" in (unit.get("class") or "").split(),
        outline=outline,
    )


def _eid_label(elem: etree._Element) -> str:
    eid = elem.get("eId") or ""
    last = eid.rsplit("__", 1)[-1]
    return last.split("_", 1)[1] if "_" in last else ""


def _outline(elem: etree._Element, kind: str, label: str) -> Provision:
    """One provision and its sub-provisions as the file nests them; paths are left to the parser."""
    text_parts: list[str] = []
    tail_parts: list[str] = []
    notes: list[AmendmentNote] = []
    children: list[Provision] = []
    heading = _child_text(elem, "heading") if kind not in _UNITS else ""
    if heading:
        text_parts.append(heading)  # only top-level units keep a heading; a sub-heading is words of the text
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name in ("intro", "content"):
            text_parts.append(_block_text(child, notes))
        elif name == "wrapUp":
            tail_parts.append(_block_text(child, notes))
        elif name == "hcontainer" and (child.get("name") or "").lower() == "explanation":
            children.append(_outline(child, "explanation", _explanation_label(child)))
        elif name in _KINDS:
            child_kind = _KINDS[name]
            child_label = "" if child_kind == "proviso" else _bracket_label(child)
            if not child_label and child_kind != "proviso":
                # Unnumbered and no eId to read a number from: its place among its kind keeps it citable.
                child_label = str(1 + sum(1 for c in children if c.kind == child_kind))
            children.append(_outline(child, child_kind, child_label))
    return Provision(
        kind=kind,
        label=label,
        path="",
        text=" ".join(p for p in text_parts if p),
        children=tuple(children),
        notes=tuple(notes),
        tail=" ".join(p for p in tail_parts if p),
    )


def _bracket_label(elem: etree._Element) -> str:
    num = _child_text(elem, "num").strip()
    label = re.sub(r"^\((.*)\)$", r"\1", num.rstrip(".")).strip() if num else _eid_label(elem)
    return re.sub(r"\s+", "", label)


def _explanation_label(elem: etree._Element) -> str:
    num = " ".join(_child_text(elem, "num").split())
    match = _EXPLANATION_NUM_RE.match(num) if num else None
    if match is None:
        return "Explanation"
    number = match.group("n")
    if not number:
        return "Explanation"
    return f"Explanation {_ROMAN_UPPER.get(number, number)}"


def _block_text(block: etree._Element, notes: list[AmendmentNote]) -> str:
    """The words of an intro/content/wrapUp; its authorial notes go to ``notes``."""
    for note in block.iter(f"{_A}authorialNote"):
        notes.append(_note(note))
    words = [_text(p, skip_notes=True) for p in block if isinstance(p.tag, str)]
    return " ".join(" ".join(w for w in words if w).split())


def _note(elem: etree._Element) -> AmendmentNote:
    parts = {p.get("class"): p for p in elem if isinstance(p.tag, str) and p.tag == f"{_A}p"}
    if "summary" in parts:  # seckb's own export: the footnote as printed and seckb's reading of it
        footnote_p = parts.get("footnote")
        affected_p = parts.get("affected")
        return AmendmentNote(
            marker=elem.get("marker") or "",
            action=elem.get("class") or "amended",
            footnote=_text(footnote_p) if footnote_p is not None else None,
            affected_text=_text(affected_p) if affected_p is not None else "",
            summary=_text(parts["summary"]),
        )
    footnote = " ".join(_text(elem).split())
    action, verb = classify_action(footnote)
    authority = authority_of(footnote)
    summary = f"Amended: {verb} {authority}".strip() if authority else f"Footnote: {footnote}"
    return AmendmentNote(marker=elem.get("marker") or "", action=action, footnote=footnote, summary=summary)


def _text(elem: etree._Element, skip_notes: bool = False) -> str:
    """All text under ``elem``, with characters carried as <?seckb-char?> put back."""
    out = [elem.text or ""]
    for child in elem:
        if isinstance(child, etree._ProcessingInstruction):
            if child.target == CHAR_PI:
                out.append(_carried_char(child))
        elif isinstance(child.tag, str) and not (skip_notes and child.tag == f"{_A}authorialNote"):
            out.append(_text(child, skip_notes))
        out.append(child.tail or "")
    return "".join(out)


def _carried_char(pi: etree._ProcessingInstruction) -> str:
    try:
        return chr(int(pi.text or "", 16))
    except (ValueError, OverflowError):
        raise ReaderError(f"<?{CHAR_PI} {pi.text}?> does not name a character in hex", line=pi.sourceline) from None


def _child_text(elem: etree._Element, name: str) -> str:
    child = elem.find(f"{_A}{name}")
    return " ".join(_text(child).split()) if child is not None else ""


def _body_text(outline: Provision) -> str:
    """The section's words with labels as printed, one provision a line, for readers of the text."""
    lines: list[str] = []

    def walk(node: Provision, top: bool) -> None:
        if top or node.kind == "proviso":
            label = ""
        elif node.kind == "explanation":
            label = f"{node.label}.—"
        else:
            label = f"({node.label})"
        line = " ".join(part for part in (label, node.text) if part)
        if line:
            lines.append(line)
        for child in node.children:
            walk(child, False)
        if node.tail:
            lines.append(node.tail)

    walk(outline, True)
    return "\n".join(lines)
