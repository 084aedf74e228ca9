"""Typed objects passed between the stages: reader → parser → store → compare → render.

Frozen dataclasses only; this module imports nothing from the project but :mod:`kb.refs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# Amendment markers travel inside RawSection.body in one canonical form, whatever the source
# wrote: "^3[inserted or substituted words]" and "^4***" for an omission. Readers convert their
# own notation (India Code "^3[", Indian Kanoon "3[", PDF superscripts) into this form; the
# structural parser removes them from the searchable text and turns them into AmendmentNotes.
MARKER_OPEN = "^"


@dataclass(frozen=True)
class RawSection:
    """One top-level unit (section, article or rule) as a reader found it.

    Example: ``RawSection(number="14", heading="Disqualifications.", body="(1) No person shall ...",
    footnotes=(("1", "Ins. by Mah. 21 of 1994, s. 10."),), anchor="https://www.indiacode.nic.in/...",
    container=("CHAPTER II - GRAM SABHAS ...",))``
    """

    number: str
    heading: str
    body: str
    footnotes: tuple[tuple[str, str], ...] = ()
    anchor: str | None = None
    container: tuple[str, ...] = ()
    kind: str = "section"  # section | article | rule
    repealed: bool = False

    def footnote(self, marker: str) -> str | None:
        for key, text in self.footnotes:
            if key == marker:
                return text
        return None


@dataclass(frozen=True)
class RawDocument:
    """What a reader returns for one source file."""

    path: Path
    format: str
    title: str
    sections: tuple[RawSection, ...]
    sha256: str
    source_url: str | None = None
    text_as_on: date | None = None
    partial: bool = False
    warnings: tuple[str, ...] = ()
    # The Act's own arrangement of sections as the document lists it (contents pages): (number,
    # heading) in order, "[Deleted]" entries included. Empty when the document has no contents.
    listed: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(f"{s.number}. {s.heading}\n{s.body}" for s in self.sections)


@dataclass(frozen=True)
class AmendmentNote:
    """An amendment marker found in a provision, joined to its footnote where there is one.

    ``action`` is one of substituted, inserted, omitted, amended (unknown wording) and
    ``summary`` is a readable line such as "Clause (a-1) was substituted by Mah. 21 of 1994, s. 10".
    """

    marker: str
    action: str
    footnote: str | None
    affected_text: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Provision:
    """A node of the provision tree.

    ``label`` is the node's own label ("14", "1", "j-1", "proviso 1", "Explanation 2"); ``path``
    is the whole path as :func:`kb.refs.path_string` prints it ("14(1)(j-1)"). ``text`` is the
    node's own clean text: the words before its first child (a "lead-in"), with markers removed.
    ``tail`` is text after the children that belongs to this node (e.g. the closing words of
    a sub-section after its clauses).
    """

    kind: str  # section | article | rule | subsection | clause | subclause | proviso | explanation | item
    label: str
    path: str
    text: str
    heading: str = ""
    children: tuple[Provision, ...] = ()
    notes: tuple[AmendmentNote, ...] = ()
    tail: str = ""

    def walk(self):
        """Yield this node and every descendant, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self) -> str:
        """The node's text with all its descendants, as one would quote it."""
        parts = [self.text] + [c.full_text() for c in self.children] + ([self.tail] if self.tail else [])
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class ParsedSection:
    """The parser's answer for one RawSection: its provision tree and what it could not place."""

    provision: Provision
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One cell of a comparison table: a rule's value for one jurisdiction, with its authority."""

    value: str | None  # None: no provision in corpus
    citation: str | None = None  # canonical ProvisionRef string
    quote: str = ""
    in_force_from: date | None = None
    repealed_on: date | None = None
    secondary: bool = False
    source_url: str | None = None
    inherited_via: tuple[str, ...] = ()  # chain of citations for inherited rules
    note: str = ""

    @property
    def empty(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ComparisonTable:
    """States across, rules down. Every filled cell carries its citation."""

    title: str
    as_of: date
    body: str | None
    jurisdictions: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
