"""Akoma Ntoso 3.0 (OASIS LegalDocML) XML for one Act held in the knowledge base.

:func:`render_act` turns an :class:`ActExport` (filled from the store by :mod:`kb.export`) into
``<akomaNtoso><act>`` bytes: FRBR identification, lifecycle events and references taken from the
amendment footnotes, seckb's provenance in ``proprietary``, and the body with one element per
provision (``section``/``article``/``rule``, ``subsection``, ``paragraph`` for clauses,
``subparagraph``, ``point`` for items, ``proviso``, ``hcontainer name="explanation"``), each with
its eId, ``num``, ``heading``, ``intro``/``content``/``wrapUp``, and its amendment notes as
``authorialNote placement="bottom"``. The files validate against ``akomantoso30.xsd``; the reader
``indexer.readers.akn_xml`` reads them back into the same provision tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from lxml import etree

from kb.akn import AKN_NS, CHAR_PI, ELEMENT, SECKB_NS, FrbrUri, eid_for, work_uri_for
from kb.errors import SeckbError
from kb.model import AmendmentNote, Provision

__all__ = [
    "ActExport",
    "AmendmentEvent",
    "ExportSection",
    "ExportSource",
    "amendment_events",
    "num_text",
    "render_act",
    "set_text",
]

_A = f"{{{AKN_NS}}}"
_S = f"{{{SECKB_NS}}}"
_NSMAP = {None: AKN_NS, "seckb": SECKB_NS}

# Containers the body groups sections under, by the first word of their heading.
_CONTAINER_ELEMENTS = {"part": ("part", "part"), "chapter": ("chapter", "chp")}

# Legislatures by jurisdiction type; the central layer is Parliament.
_LEGISLATURE = {"central": "Parliament of India"}


@dataclass(frozen=True)
class ExportSource:
    """Provenance of the document the Act's provisions were read from."""

    file: str
    format: str
    sha256: str
    source_url: str | None
    text_as_on: date | None
    partial: bool
    title: str


@dataclass(frozen=True)
class ExportSection:
    """A top-level unit with what the store keeps beside its tree."""

    provision: Provision
    container: str = ""
    anchor: str | None = None
    repealed: bool = False


@dataclass(frozen=True)
class ActExport:
    act_id: str
    title: str
    jurisdiction: str  # ISO 3166-2:IN code without "IN-", or "IN" for the central layer
    jurisdiction_name: str
    jurisdiction_type: str  # state | ut | central
    number: str | None
    year: int | None
    enacted_on: date | None
    citation: str | None
    kind: str  # section | article | rule
    source: ExportSource
    sections: tuple[ExportSection, ...]


# --- amendment footnotes -> lifecycle -----------------------------------------------------------

# "Act 18 of 2023", "Mah. 21 of 1994", "Bom. III of 1959", "Manipur Act 5 of 2000".
_AMENDING_ACT_RE = re.compile(
    r"\b(?P<who>Act|Mah\.?|Bom\.?|(?:Maharashtra|Bombay|Manipur|Delhi|Punjab|Kerala|Karnataka) Act)\s+"
    r"(?:No\.\s*)?(?P<number>\d+|[IVXLC]+)\s+of\s+(?P<year>\d{4})\b"
)
_WHO_PLACE = {
    "act": "in",
    "mah.": "in-mh",
    "mah": "in-mh",
    "bom.": "in-mh",
    "bom": "in-mh",
    "maharashtra act": "in-mh",
    "bombay act": "in-mh",
}
_STATE_WORD = {"manipur": "in-mn", "delhi": "in-dl", "punjab": "in-pb", "kerala": "in-kl", "karnataka": "in-ka"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        1,
    )
}
# "(w.e.f. 2-11-2023)", "w.e.f.1-11-1956", "with effect from the 23rd April, 1994".
_WEF_NUMERIC_RE = re.compile(r"(?:w\.\s*e\.\s*f\.?|with effect from)\s*(?:the\s+)?(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
_WEF_WORDS_RE = re.compile(
    r"(?:w\.\s*e\.\s*f\.?|with effect from)\s*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]+),?\s+(\d{4})"
)


@dataclass(frozen=True)
class AmendmentEvent:
    """An amending Act a footnote names, and the date it took effect where the footnote says."""

    act_text: str  # as the footnote writes it: "Mah. 21 of 1994"
    href: str  # its work URI: "/akn/in-mh/act/1994/21"
    effective: date | None


def amendment_events(footnote: str | None) -> list[AmendmentEvent]:
    """Amending Acts named in a footnote, each with the w.e.f. date when the footnote gives one.

    Footnotes that name no Act (Adaptation Orders, notifications) give nothing; a date is taken
    only as written, never guessed from the year.
    """
    if not footnote:
        return []
    text = " ".join(footnote.split())
    # One date for two Acts would be a guess about which it belongs to: then neither gets it.
    effective = _effective_date(text) if len(_AMENDING_ACT_RE.findall(text)) == 1 else None
    events = []
    for match in _AMENDING_ACT_RE.finditer(text):
        who = match.group("who").lower()
        place = _WHO_PLACE.get(who) or _STATE_WORD.get(who.split()[0])
        if place is None:
            continue
        number = match.group("number")
        href = f"/akn/{place}/act/{match.group('year')}/{number}"
        events.append(AmendmentEvent(match.group(0), href, effective))
    return events


def _effective_date(text: str) -> date | None:
    numeric = _WEF_NUMERIC_RE.search(text)
    try:
        if numeric:
            return date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        words = _WEF_WORDS_RE.search(text)
        if words and words.group(2)[:3].lower() in _MONTHS:
            return date(int(words.group(3)), _MONTHS[words.group(2)[:3].lower()], int(words.group(1)))
    except ValueError:  # "31-2-1994": a misprint is not a date
        return None
    return None


# --- the document ---------------------------------------------------------------------------------


def render_act(act: ActExport) -> bytes:
    """The Act as an Akoma Ntoso 3.0 document (UTF-8 bytes with an XML declaration)."""
    root = etree.Element(f"{_A}akomaNtoso", nsmap=_NSMAP)
    doc = etree.SubElement(root, f"{_A}act", name="act", contains="singleVersion")
    work = work_uri_for(act.jurisdiction, act.year, act.number, act.act_id)
    notes = [note for section in act.sections for node in section.provision.walk() for note in node.notes]
    events, references = _lifecycle(notes)
    _meta(doc, act, work, events, references)
    _preface(doc, act)
    body = etree.SubElement(doc, f"{_A}body")
    _body(body, act)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _lifecycle(notes: list[AmendmentNote]) -> tuple[list[tuple[date, str]], dict[str, tuple[str, str]]]:
    """(dated events as (date, reference eId), amending Acts as eId -> (href, showAs))."""
    references: dict[str, tuple[str, str]] = {}
    events: set[tuple[date, str]] = set()
    for note in notes:
        for event in amendment_events(note.footnote):
            eid = "amendingAct_" + event.href.removeprefix("/akn/").replace("/", "_")
            references.setdefault(eid, (event.href, event.act_text))
            if event.effective is not None:
                events.add((event.effective, eid))
    return sorted(events), references


def _meta(
    doc: etree._Element,
    act: ActExport,
    work: FrbrUri,
    events: list[tuple[date, str]],
    references: dict[str, tuple[str, str]],
) -> None:
    meta = etree.SubElement(doc, f"{_A}meta")
    ident = etree.SubElement(meta, f"{_A}identification", source="#seckb")
    as_on = act.source.text_as_on
    expression = replace(work, language="eng", expression_date=as_on.isoformat() if as_on else "")
    # FRBRdate needs a full date: the enactment date where the catalogue has one, else 1 January
    # of the Act's year, named "year" so nobody reads it as a day the Act was made.
    work_date, work_date_name = (act.enacted_on, "enactment") if act.enacted_on else (_year_start(act.year), "year")
    frbr_work = etree.SubElement(ident, f"{_A}FRBRWork")
    _empty(frbr_work, "FRBRthis", value=f"{work.work_uri()}/!main")
    _empty(frbr_work, "FRBRuri", value=work.work_uri())
    _empty(frbr_work, "FRBRalias", value=act.act_id, name="seckb")
    if act.citation:
        _empty(frbr_work, "FRBRalias", value=act.citation, name="citation")
    _empty(frbr_work, "FRBRdate", date=work_date.isoformat(), name=work_date_name)
    _empty(frbr_work, "FRBRauthor", href="#legislature")
    _empty(frbr_work, "FRBRcountry", value=work.place)
    _empty(frbr_work, "FRBRnumber", value=work.number)
    _empty(frbr_work, "FRBRname", value=act.title)
    _empty(frbr_work, "FRBRprescriptive", value="true")
    frbr_expr = etree.SubElement(ident, f"{_A}FRBRExpression")
    _empty(frbr_expr, "FRBRthis", value=f"{expression.expression_uri()}/!main")
    _empty(frbr_expr, "FRBRuri", value=expression.expression_uri())
    # Without a "text as on" date the expression carries the work's date, named so.
    expr_date, expr_name = (as_on, "textAsOn") if as_on else (work_date, "textAsOnNotStated")
    _empty(frbr_expr, "FRBRdate", date=expr_date.isoformat(), name=expr_name)
    _empty(frbr_expr, "FRBRauthor", href="#seckb")
    _empty(frbr_expr, "FRBRlanguage", language="eng")
    frbr_man = etree.SubElement(ident, f"{_A}FRBRManifestation")
    _empty(frbr_man, "FRBRthis", value=f"{expression.expression_uri()}/!main.akn")
    _empty(frbr_man, "FRBRuri", value=expression.manifestation_uri("akn"))
    _empty(frbr_man, "FRBRdate", date=expr_date.isoformat(), name="seckbExport")
    _empty(frbr_man, "FRBRauthor", href="#seckb")
    _empty(frbr_man, "FRBRformat", value="application/akn+xml")
    if events:
        lifecycle = etree.SubElement(meta, f"{_A}lifecycle", source="#seckb")
        for index, (when, ref_eid) in enumerate(events, 1):
            _empty(
                lifecycle, "eventRef", eId=f"amendment_{index}", date=when.isoformat(), source=f"#{ref_eid}",
                type="amendment",
            )  # fmt: skip
    refs = etree.SubElement(meta, f"{_A}references", source="#seckb")
    _empty(refs, "TLCOrganization", eId="seckb", href="/ontology/organization/seckb", showAs="seckb")
    legislature = _LEGISLATURE.get(act.jurisdiction_type, f"Legislature of {act.jurisdiction_name}")
    place = work.place
    _empty(refs, "TLCOrganization", eId="legislature", href=f"/ontology/organization/{place}/legislature",
           showAs=legislature)  # fmt: skip
    for eid, (href, show_as) in references.items():
        _empty(refs, "TLCReference", eId=eid, href=href, showAs=show_as, name="amendingAct")
    proprietary = etree.SubElement(meta, f"{_A}proprietary", source="#seckb")
    prov = etree.SubElement(proprietary, f"{_S}provenance")
    src = act.source
    fields = {
        "act": act.act_id,
        "file": src.file,
        "format": src.format,
        "sha256": src.sha256,
        "sourceUrl": src.source_url or "",
        "textAsOn": src.text_as_on.isoformat() if src.text_as_on else "",
        "partial": "true" if src.partial else "false",
        "title": src.title,
        "kind": act.kind,
    }
    for name, value in fields.items():
        set_text(etree.SubElement(prov, f"{_S}{name}"), value)


def _year_start(year: int | None) -> date:
    return date(year or 1, 1, 1)


def _preface(doc: etree._Element, act: ActExport) -> None:
    preface = etree.SubElement(doc, f"{_A}preface")
    p = etree.SubElement(preface, f"{_A}p")
    set_text(etree.SubElement(p, f"{_A}docTitle"), act.title)
    if act.citation:
        p = etree.SubElement(preface, f"{_A}p")
        etree.SubElement(p, f"{_A}docNumber").text = act.citation


def _empty(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{_A}{tag}", **attrs)


# --- the body ---------------------------------------------------------------------------------------


def _body(body: etree._Element, act: ActExport) -> None:
    """Sections in order, grouped under their Part/Chapter where the source has one."""
    used: set[str] = set()
    current_key: str | None = None
    holders: list[etree._Element] = []
    for section in act.sections:
        if section.container != current_key:
            current_key = section.container
            holders = _containers(body, section.container, used)
        parent = holders[-1] if holders else body
        _provision(parent, section.provision, [], section, used)
    if len(body) == 0:  # the schema wants one element at least; an Act with no sections is not exported
        raise SeckbError(f"{act.act_id}: no provisions to export", field="--act")


def _containers(body: etree._Element, container: str, used: set[str]) -> list[etree._Element]:
    """The Part/Chapter elements for a "CHAPTER II - GRAM SABHAS ..." container (nested on " / ")."""
    if not container:
        return []
    out: list[etree._Element] = []
    parent = body
    for level, heading in enumerate(container.split(" / ")):
        words = heading.split()
        first = words[0].lower() if words else ""
        element, prefix = _CONTAINER_ELEMENTS.get(first, ("hcontainer", "hcontainer"))
        number = words[1].strip(".:-—–") if len(words) > 1 and element != "hcontainer" else str(level + 1)
        eid = _unique(f"{prefix}_{re.sub(r'[^0-9A-Za-z-]+', '-', number) or level + 1}", used)
        attrs = {"eId": eid}
        if element == "hcontainer":
            attrs["name"] = "container"
        holder = etree.SubElement(parent, f"{_A}{element}", **attrs)
        # The heading is kept whole, as the source printed it, so the reader gives it back unchanged.
        set_text(etree.SubElement(holder, f"{_A}heading"), heading)
        out.append(holder)
        parent = holder
    return out


def _unique(eid: str, used: set[str]) -> str:
    candidate, n = eid, 1
    while candidate in used:
        n += 1
        candidate = f"{eid}-{n}"
    used.add(candidate)
    return candidate


def num_text(kind: str, label: str) -> str:
    """The number as a reader sees it printed: "14.", "(1)", "(j-1)", "Explanation 1."; "" for a proviso."""
    if kind == "proviso":
        return ""
    if kind == "explanation":
        return f"{_undup(label)}."
    if kind in ("section", "article", "rule"):
        return f"{label}."
    return f"({_undup(label)})"


def _undup(label: str) -> str:
    # The parser's "-dup2" keeps a second "(1)" among siblings citable; the source printed "(1)".
    return re.sub(r"-?dup\d+x*$", "", label)


def _provision(
    parent: etree._Element,
    node: Provision,
    steps: list[tuple[str, str]],
    section: ExportSection,
    used: set[str],
) -> None:
    steps = [*steps, (node.kind, node.label)]
    eid = eid_for(steps)
    used.add(eid)
    element = ELEMENT[node.kind]
    attrs = {"eId": eid}
    if node.kind == "explanation":
        attrs["name"] = "explanation"
    if not steps[:-1]:  # the top-level unit carries what the store keeps per section
        if section.repealed:
            attrs["status"] = "removed"  # AKN has no "repealed" status; "removed" with class says it
            attrs["class"] = "repealed"
        if section.anchor:
            attrs[f"{_S}source"] = section.anchor
    elem = etree.SubElement(parent, f"{_A}{element}", **attrs)
    number = num_text(node.kind, node.label)
    if number:
        set_text(etree.SubElement(elem, f"{_A}num"), number)
    if node.heading:
        set_text(etree.SubElement(elem, f"{_A}heading"), node.heading)
    if node.children:
        if node.text or node.notes:
            _block(elem, "intro", node.text, node.notes, eid)
        for child in node.children:
            _provision(elem, child, steps, section, used)
        if node.tail:
            _block(elem, "wrapUp", node.tail, (), eid)
    else:
        _block(elem, "content", node.text, node.notes, eid)
        if node.tail:  # the parser gives a tail only to a node with children; keep one anyway
            elem[-1].append(_p(node.tail, cls="tail"))


def _block(parent: etree._Element, tag: str, text: str, notes, eid: str) -> None:
    block = etree.SubElement(parent, f"{_A}{tag}")
    p = _p(text)
    block.append(p)
    for index, note in enumerate(notes, 1):
        p.append(_note(note, f"{eid}__authorialNote_{index}"))


def _p(text: str, cls: str | None = None) -> etree._Element:
    p = etree.Element(f"{_A}p", **({"class": cls} if cls else {}))
    set_text(p, text)
    return p


# Characters XML 1.0 cannot carry even as references. The PDF reader leaves U+FFFE where pdfium
# marks a line-end hyphen; such a character travels as <?seckb-char fffe?>, which schema
# validation ignores and the reader turns back into the character.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def set_text(elem: etree._Element, text: str) -> None:
    """Give ``elem`` the text ``text``, carrying characters XML cannot hold as processing instructions."""
    pieces = _NOT_XML_RE.split(text)
    if len(pieces) == 1:
        elem.text = text
        return
    elem.text = pieces[0]
    for char, piece in zip(_NOT_XML_RE.findall(text), pieces[1:], strict=True):
        pi = etree.ProcessingInstruction(CHAR_PI, f"{ord(char):04x}")
        pi.tail = piece
        elem.append(pi)


def _note(note: AmendmentNote, eid: str) -> etree._Element:
    """An amendment note: the footnote as the source printed it, and seckb's reading of it."""
    attrs = {"eId": eid, "marker": note.marker, "placement": "bottom", "class": note.action}
    elem = etree.Element(f"{_A}authorialNote", **attrs)
    if note.footnote is not None:
        elem.append(_p(note.footnote, cls="footnote"))
    elem.append(_p(note.summary, cls="summary"))
    if note.affected_text:
        elem.append(_p(note.affected_text, cls="affected"))
    return elem
