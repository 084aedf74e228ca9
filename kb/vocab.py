"""The one vocabulary of seckb: bodies, provision kinds, cell statuses, stages, grades, formats.

Every list of allowed words lives here and nowhere else: validation of curated data, click
choices, renderers and legends all read these enums, so a word cannot drift between the
terminal, the spreadsheet and the web page. Members are ``StrEnum``s: they compare equal to
their value, so YAML and database strings need no conversion.

This module imports nothing from the project (it is a leaf, like :mod:`kb.refs`).
"""

from __future__ import annotations

from enum import StrEnum


class Body(StrEnum):
    """The kind of elected body an Act or a rule is about."""

    PANCHAYAT = "panchayat"
    MUNICIPAL = "municipal"
    SEC = "sec"  # the State Election Commission (its Act, appointment, removal)
    CANTONMENT = "cantonment"
    CENTRAL = "central"  # central texts: the Constitution, the RPAs, rules under them
    OTHER = "other"


# Bodies a comparison is asked about (--body); the catalogue also knows "central" and "other".
COMPARE_BODIES: tuple[Body, ...] = (Body.PANCHAYAT, Body.MUNICIPAL, Body.SEC, Body.CANTONMENT)


class RuleScope(StrEnum):
    """What a curated rule's ``body`` may say: a body, every body, or the Legislative Assembly."""

    PANCHAYAT = "panchayat"
    MUNICIPAL = "municipal"
    SEC = "sec"
    CANTONMENT = "cantonment"
    ALL = "all"
    LEGISLATURE = "legislature"


class ProvisionKind(StrEnum):
    SECTION = "section"
    ARTICLE = "article"
    RULE = "rule"
    SUBSECTION = "subsection"
    CLAUSE = "clause"
    SUBCLAUSE = "subclause"
    PROVISO = "proviso"
    EXPLANATION = "explanation"
    ITEM = "item"


TOP_LEVEL_KINDS: tuple[ProvisionKind, ...] = (ProvisionKind.SECTION, ProvisionKind.ARTICLE, ProvisionKind.RULE)


class CellStatus(StrEnum):
    """What a comparison cell rests on, in the words every output and legend uses.

    Filled cells: VERIFIED (a curated rule checked against the text), REVIEWED (a finder's
    candidate accepted by a reviewer), FOUND (proposed by the rule finder, not reviewed),
    SECONDARY (from a source outside the corpus), INHERITED (a central rule that applies through
    a State clause). The rest explain an empty cell; none of them is a guess about the law.
    """

    VERIFIED = "verified"
    REVIEWED = "reviewed"
    FOUND = "found in text, not reviewed"
    SECONDARY = "secondary (not verified against text)"
    INHERITED = "inherited"
    NO_SUCH_PROVISION = "no such provision in the Act"
    NOT_REVIEWED = "Act held, not yet reviewed for this rule"
    EXCERPT_ONLY = "excerpt only (provision not in the excerpt)"
    CATALOGUED = "Act not in corpus (catalogued)"
    NO_ACT = "no Act catalogued for this body"
    NOT_IN_FORCE = "not in force"
    NOT_YET_IN_FORCE = "not yet in force"
    EARLIER_WORDING_NOT_HELD = "earlier wording not in corpus"
    DID_NOT_EXIST = "State/UT did not exist"
    NOT_KNOWN_ON_DATE = "not known for that date"

    @property
    def filled(self) -> bool:
        return self in _FILLED

    @property
    def explanation(self) -> str:
        return _EXPLANATIONS[self]


_FILLED = frozenset(
    {CellStatus.VERIFIED, CellStatus.REVIEWED, CellStatus.FOUND, CellStatus.SECONDARY, CellStatus.INHERITED}
)

_EXPLANATIONS: dict[CellStatus, str] = {
    CellStatus.VERIFIED: "a curated rule whose quote was checked against the provision's text in the corpus",
    CellStatus.REVIEWED: "proposed by the rule finder and accepted by a named reviewer on a date",
    CellStatus.FOUND: "proposed by the rule finder from the Act's text; no lawyer has reviewed it yet",
    CellStatus.SECONDARY: "from a source outside the corpus (gazette, SEC site, judgment, research, news), "
    "named with its address; not verified against a statute text",
    CellStatus.INHERITED: "a central rule that applies because the State Act adopts the Legislature's "
    "disqualifications; the chain of citations is given",
    CellStatus.NO_SUCH_PROVISION: "the Act is held, and the rule finder and a review found no such rule in it",
    CellStatus.NOT_REVIEWED: "the Act's text is held, but nobody has yet looked for this rule in it",
    CellStatus.EXCERPT_ONLY: "only an excerpt of the Act is held, and the excerpt does not contain the rule",
    CellStatus.CATALOGUED: "the Act is in India Code's catalogue, but its text is not in the corpus",
    CellStatus.NO_ACT: "no Act for this body is catalogued for the State/UT",
    CellStatus.NOT_IN_FORCE: "a rule is known, but it was not in force on the date asked",
    CellStatus.NOT_YET_IN_FORCE: "the rule had not yet commenced on the date asked",
    CellStatus.EARLIER_WORDING_NOT_HELD: "the provision was re-worded later and its wording on that date is "
    "not in the corpus",
    CellStatus.DID_NOT_EXIST: "the State/UT had not been created on the date asked",
    CellStatus.NOT_KNOWN_ON_DATE: "the rule is known to be in force only since a later date (the date of the text "
    "or source relied on); whether it applied on the date asked is not in the corpus",
}


class BaselineStatus(StrEnum):
    """How a State cell stands against the central baseline (the Legislative Assembly's law)."""

    BASELINE = "baseline"
    SAME = "same as baseline"
    ADOPTS = "adopts baseline by reference"
    DEPARTS = "departs"
    NOT_COMPARABLE = "not comparable"

    @property
    def explanation(self) -> str:
        return _BASELINE_EXPLANATIONS[self]


_BASELINE_EXPLANATIONS: dict[BaselineStatus, str] = {
    BaselineStatus.BASELINE: "the Legislative Assembly's law (Constitution, RPA 1950 ss.14, 16, 19, 20, RPA 1951), "
    "and Art. 243K for the State Election Commission",
    BaselineStatus.SAME: "the State's rule cites the same central provision or has the same value",
    BaselineStatus.ADOPTS: "the State's law takes over the Assembly's rule (its disqualifications, its roll): "
    "conformity, not a departure",
    BaselineStatus.DEPARTS: "the State's rule differs from the baseline; the cell says how",
    BaselineStatus.NOT_COMPARABLE: "nothing to compare: the State's Act is not held, only an excerpt is held, it has "
    "not been reviewed for this rule, or the State/UT did not exist on the date",
}


class LegislativeStage(StrEnum):
    """Where a change of law stands. Only ASSENTED-and-COMMENCED changes alter the law in force."""

    BILL_PASSED = "bill passed"
    ASSENTED = "assented"
    COMMENCED = "notified/commenced"
    REPEALED = "repealed"
    STRUCK_DOWN = "struck down"
    STAYED = "stayed by a court"
    READ_DOWN = "read down"


class JudgmentEffect(StrEnum):
    """What a judgment did to the provisions it names (corpus/cases.yaml ``effect``)."""

    UPHELD = "upheld"
    STRUCK_DOWN = "struck down"
    READ_DOWN = "read down"
    STAYED = "stayed"


# Stages after which a change is the law; a passed or assented Bill only makes a change pending.
LAW_STAGES: tuple[LegislativeStage, ...] = (LegislativeStage.COMMENCED,)
PENDING_STAGES: tuple[LegislativeStage, ...] = (LegislativeStage.BILL_PASSED, LegislativeStage.ASSENTED)


class SourceGrade(StrEnum):
    """How much a secondary source is worth, strongest first."""

    GAZETTE = "gazette or SEC site"
    JUDGMENT = "judgment"
    RESEARCH = "legislative research"
    NEWS = "news"

    @property
    def explanation(self) -> str:
        return _GRADE_EXPLANATIONS[self]


_GRADE_EXPLANATIONS: dict[SourceGrade, str] = {
    SourceGrade.GAZETTE: "an official text: the gazette, India Code, a legislature's or the SEC's own site",
    SourceGrade.JUDGMENT: "a court's judgment (or a law report of it)",
    SourceGrade.RESEARCH: "legislative research or a legal database's summary",
    SourceGrade.NEWS: "a newspaper or news agency report only; treat as a lead, not as authority",
}


class CitationMiss(StrEnum):
    """Why a citation in a search query found nothing (the results say which)."""

    NO_SUCH_PROVISION = "no such provision"  # nothing held has that number
    OUTSIDE_FILTERS = "outside the filters"  # held, but not in the States or Acts searched


class OutputFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    AKN = "akn"


def choices(enum: type[StrEnum]) -> list[str]:
    """The values of ``enum`` as click choices."""
    return [member.value for member in enum]


# The self-check of a parsed document (indexer/selfcheck.py) is stored as one warning line with
# the document; a line with CHECK_FAILED means the text must not be called "full text".
CHECK_PREFIX = "self-check: "
CHECK_FAILED = "self-check failed: "
