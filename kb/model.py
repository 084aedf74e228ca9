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
    # A source that is already structured (Akoma Ntoso) hands over its nesting: a Provision tree
    # whose labels are as the source printed them and whose paths are empty; the parser numbers
    # the provisos, makes duplicate labels unique and writes the paths, as for parsed text.
    outline: Provision | None = None
    # The source lost the Act's own list labels (a web page's ordered list printed as "1.", "2."):
    # the body is kept as the section's text, as no sub-provision could be cited exactly.
    labels_lost: bool = False

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
class Judgment:
    """A court's decision about provisions (corpus/cases.yaml): what it held and what it did to them."""

    id: str
    name: str
    court: str
    decided_on: date
    citation: str
    holding: str
    effect: str  # kb.vocab.JudgmentEffect: upheld | struck down | read down | stayed
    provisions: tuple[str, ...]
    source_title: str = ""
    source_url: str | None = None
    source_grade: str = "judgment"


@dataclass(frozen=True)
class PendingChange:
    """A change that has passed a stage short of commencement: the old rule still stands."""

    stage: str  # kb.vocab.LegislativeStage: bill passed | assented
    on: date | None
    value: str
    source_title: str | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class Cell:
    """One cell of a comparison table: a rule's state for one jurisdiction and body on one date.

    ``status`` (kb.vocab.CellStatus) says what the cell rests on or why it is empty; ``quote`` holds
    statute words only (verified rules), ``summary`` a reviewer's words (never shown as a quote).
    """

    value: str | None  # None: no rule stated for that date (status says why)
    citation: str | None = None  # canonical ProvisionRef string
    quote: str = ""
    in_force_from: date | None = None
    repealed_on: date | None = None
    secondary: bool = False
    source_url: str | None = None
    inherited_via: tuple[str, ...] = ()  # chain of citations for inherited rules
    note: str = ""
    status: str = "verified"  # kb.vocab.CellStatus
    body: str | None = None
    summary: str = ""
    source_title: str | None = None
    source_grade: str | None = None  # kb.vocab.SourceGrade, for secondary rules
    known_since: date | None = None  # start unknown: the date of the evidence that it was in force
    start_from_commencement: bool = False  # in_force_from is the Act's commencement (wording never amended)
    ended_by: str = ""  # kb.vocab.LegislativeStage that ended the rule (repealed, struck down, ...)
    pending: PendingChange | None = None
    judgments: tuple[Judgment, ...] = ()
    also: tuple[str, ...] = ()  # other provisions (another Act for the same body) stating the rule
    baseline_status: str | None = None  # kb.vocab.BaselineStatus, with --baseline
    baseline_note: str = ""  # how the cell departs, or what it adopts
    reviewed_by: str | None = None  # a reviewed cell (kb/review.py): who accepted it, and when
    reviewed_on: date | None = None

    @property
    def empty(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]
    body: str | None = None  # the body every cell of the row is about


@dataclass(frozen=True)
class ComparisonTable:
    """States across, rules down. Every filled cell carries its citation."""

    title: str
    as_of: date
    body: str | None
    jurisdictions: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    baseline: str | None = None  # the baseline column's code (first column), with --baseline
