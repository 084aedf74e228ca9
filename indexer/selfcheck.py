"""Self-check of one parsed document against the Act's own arrangement of sections.

A reader can go wrong silently: a PDF layout it does not know may yield the contents entries as
sections and the whole body of the Act as ``-dup`` clauses of one late section. So every document
is checked, at build and at ``seckb add``, against what the Act itself says it contains:

* the **listed** sections: its contents pages (``RawDocument.listed``) or, where the document has
  none, India Code's table of contents (the act page held as the Act's metadata source);
* **numbering continuity** where nothing lists the sections: whole numbers from 1 to the highest
  found that no section carries (a gap is reported; it alone does not fail a document, since
  a consolidated text may drop a repealed section's number without a trace);
* **eligibility sections**: a listed section is one when a curated rule cites it (the catalogue's
  eligibility sections, ``eligible_numbers``) or when its listed heading matches the pattern of an
  eligibility topic of the ontology (a descendant of ``elector`` or ``candidate``);
* what the reader and parser left unplaced: ``-dup`` labels (a second "(1)" under one parent is
  almost always text that belongs to another section), pages whose text went nowhere, and
  amendment markers whose footnote was not found.

The verdict: the document fails when it holds fewer than :data:`MIN_FOUND` of the listed sections
or any listed eligibility section is missing. This module only computes; the pipeline stores the
result with the document (a warning line starting with :data:`CHECK_PREFIX`, and ``partial``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kb.errors import SeckbError
from kb.model import ParsedSection, RawDocument
from kb.reference import Act
from kb.refs import ProvisionRef, RefError
from kb.rules import RuleRecord
from kb.topics import Ontology
from kb.vocab import CHECK_FAILED, CHECK_PREFIX

__all__ = [
    "CHECK_FAILED",
    "CHECK_PREFIX",
    "MIN_FOUND",
    "CheckReport",
    "catalogue_listing",
    "check_document",
    "check_in_catalogue",
    "eligibility_numbers",
    "eligible_sections",
    "number_key",
]

MIN_FOUND = 0.95
ELIGIBILITY_ROOTS = ("elector", "candidate")

_PAGE_LOST_RE = re.compile(r"^page (\d+)(?: has no text layer|: margin note .* left out|: small print .* kept as text)")
_FOOTNOTE_LOST_RE = re.compile(r"no footnote \S+ on page|has no footnote|continues no footnote|no footnote \S+ for")


def number_key(number: str) -> str:
    """Loose form of a section number for comparing renderings: "5-A", "5 A" and "5A" are one."""
    return re.sub(r"[\s.\-]", "", number).upper()


@dataclass(frozen=True)
class CheckReport:
    """What the self-check found for one document."""

    listed_from: str  # "contents pages" | "India Code table of contents" | "" (nothing lists them)
    listed: int
    found: int
    missing: tuple[str, ...]
    unlisted: tuple[str, ...]  # sections found that the list does not name
    eligibility_missing: tuple[str, ...]
    numbering_gaps: tuple[str, ...]
    dup_labels: int
    dup_in_eligibility: tuple[str, ...]  # paths of -dup labels inside eligibility sections
    unplaced_pages: tuple[int, ...]
    unjoined_footnotes: int

    @property
    def share(self) -> float:
        return self.found / self.listed if self.listed else 1.0

    @property
    def passed(self) -> bool:
        return self.share >= MIN_FOUND and not self.eligibility_missing

    @property
    def figure(self) -> str:
        """The headline figure, e.g. "344 of 346 sections listed in the contents (99.4%)"."""
        if not self.listed:
            return "no list of sections to check against"
        where = "the contents" if self.listed_from == "contents pages" else "India Code's table of contents"
        return f"{self.found} of {self.listed} sections listed in {where} ({100 * self.share:.1f}%)"

    def sentence(self) -> str:
        """In a lawyer's words: found 344 of the 346 sections listed in the contents; not found: 12A, 15B."""
        if self.listed:
            where = "the contents" if self.listed_from == "contents pages" else "India Code's table of contents"
            text = f"found {self.found} of the {self.listed} sections listed in {where}"
            if self.missing:
                text += "; not found: " + _short(self.missing)
        else:
            text = "the document lists no sections to check against"
            if self.numbering_gaps:
                text += "; numbering jumps over " + _short(self.numbering_gaps)
        if self.eligibility_missing:
            text += "; missing eligibility sections: " + _short(self.eligibility_missing)
        return text

    def counts(self) -> str:
        pages = ", ".join(str(p) for p in self.unplaced_pages[:10]) or "none"
        return (
            f"{self.dup_labels} -dup label(s), {len(self.unplaced_pages)} unplaced page(s) ({pages}), "
            f"{self.unjoined_footnotes} unjoined footnote(s)"
        )

    def warning(self) -> str:
        """The line stored with the document; ``CHECK_FAILED`` marks a failure for `coverage`."""
        prefix = CHECK_PREFIX if self.passed else CHECK_FAILED
        return f"{prefix}{self.sentence()} ({self.counts()})"

    def as_dict(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "listed_from": self.listed_from,
            "listed": self.listed,
            "found": self.found,
            "share": round(self.share, 4),
            "missing": list(self.missing),
            "unlisted": list(self.unlisted),
            "eligibility_missing": list(self.eligibility_missing),
            "numbering_gaps": list(self.numbering_gaps),
            "dup_labels": self.dup_labels,
            "dup_in_eligibility": list(self.dup_in_eligibility),
            "unplaced_pages": list(self.unplaced_pages),
            "unjoined_footnotes": self.unjoined_footnotes,
            "sentence": self.sentence(),
        }


def _short(numbers: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


def eligibility_numbers(
    listed: Iterable[tuple[str, str]], eligible_topics: set[str], match: object, cited: Iterable[str] = ()
) -> set[str]:
    """Listed sections that are eligibility ones: cited by a curated rule, or whose heading matches.

    ``match`` is the ontology's ``match(heading, text) -> set[str]``; ``eligible_topics`` the
    topic ids under :data:`ELIGIBILITY_ROOTS`; ``cited`` the section numbers curated rules cite.
    """
    out = {number_key(n) for n in cited}
    for number, heading in listed:
        if heading and heading != "[Deleted]" and match(heading, "") & eligible_topics:  # type: ignore[operator]
            out.add(number_key(number))
    return out


def check_document(
    doc: RawDocument,
    parsed: Sequence[ParsedSection],
    listed: Sequence[tuple[str, str]] = (),
    listed_from: str = "",
    eligible: set[str] | frozenset[str] = frozenset(),
    warnings: Iterable[str] = (),
) -> CheckReport:
    """Check one document's sections against the listed arrangement (the document's own by default).

    ``eligible`` holds :func:`number_key` forms of the eligibility sections; ``warnings`` are the
    reader's and parser's warnings for this document (they name lost pages and footnotes).
    """
    if not listed and doc.listed:
        listed, listed_from = doc.listed, "contents pages"
    found_keys = {number_key(s.number) for s in doc.sections}
    listed_keys = [number_key(n) for n, _ in listed]
    missing = tuple(n for n, _ in listed if number_key(n) not in found_keys)
    unlisted = tuple(s.number for s in doc.sections if number_key(s.number) not in set(listed_keys))
    eligibility_missing = tuple(n for n in missing if number_key(n) in eligible)
    gaps: tuple[str, ...] = ()
    if not listed and not doc.partial:  # an excerpt skips numbers by design
        whole = {int(m.group(0)) for s in doc.sections if (m := re.match(r"\d+", s.number))}
        gaps = tuple(str(n) for n in range(1, max(whole, default=0)) if n not in whole)
    dup_paths = [
        (section.provision.label, node.path)
        for section in parsed
        for node in section.provision.walk()
        if "dup" in node.label
    ]
    dup_in_eligibility = tuple(path for label, path in dup_paths if number_key(label) in eligible)
    all_warnings = list(doc.warnings) + list(warnings)
    pages = sorted({int(m.group(1)) for w in all_warnings if (m := _PAGE_LOST_RE.match(w))})
    footnotes = sum(1 for w in all_warnings if _FOOTNOTE_LOST_RE.search(w))
    return CheckReport(
        listed_from=listed_from if listed else "",
        listed=len(listed),
        found=len(listed) - len(missing),
        missing=missing,
        unlisted=unlisted,
        eligibility_missing=eligibility_missing,
        numbering_gaps=gaps,
        dup_labels=len(dup_paths),
        dup_in_eligibility=dup_in_eligibility,
        unplaced_pages=tuple(pages),
        unjoined_footnotes=footnotes,
    )


# ----------------------------------------------------------------------------- with the catalogue


def catalogue_listing(act: Act, own: tuple[tuple[str, str], ...]) -> tuple[tuple[tuple[str, str], ...], str]:
    """The list to check against: the document's contents, else India Code's act page held for the Act."""
    if own:
        return own, "contents pages"
    from indexer.readers import read_document

    for source in act.sources:
        if source.role == "metadata" and source.format == "indiacode-html" and source.path.is_file():
            try:
                page = read_document(source.path, source.format)
            except SeckbError:
                continue
            return tuple((s.number, s.heading) for s in page.sections), "India Code table of contents"
    return (), ""


def eligible_sections(
    act_id: str, listed: Iterable[tuple[str, str]], ontology: Ontology, rules: Iterable[RuleRecord]
) -> set[str]:
    """Eligibility sections of an Act: those its curated rules cite, and listed headings that match a topic."""
    topics: set[str] = set()
    for root in ELIGIBILITY_ROOTS:
        if root in ontology.topics:
            topics |= ontology.descendants(root)
    cited: list[str] = []
    for rule in rules:
        for citation in (rule.citation, *rule.inherited_via):
            if not citation:
                continue
            try:
                ref = ProvisionRef.parse(citation)
            except RefError:
                continue
            if ref.act == act_id and ref.labels:
                cited.append(ref.labels[0])
    # A contents heading is short ("Disqualifications."): the topics' synonyms catch what their
    # sentence patterns need a body for. The roots' synonyms ("sarpanch", "councillor") are too broad.
    synonyms = [syn for topic in topics - set(ELIGIBILITY_ROOTS) for syn in ontology.topics[topic].synonyms]
    by_synonym = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in synonyms) + ")", re.IGNORECASE)

    def match(heading: str, text: str) -> set[str]:
        found = ontology.match(heading, text)
        return found | {"candidate"} if synonyms and by_synonym.search(heading) else found

    return eligibility_numbers(listed, topics, match, cited)


def check_in_catalogue(
    doc: RawDocument,
    parsed: Sequence[ParsedSection],
    act: Act,
    ontology: Ontology,
    rules: Iterable[RuleRecord],
    warnings: Iterable[str] = (),
) -> CheckReport:
    """:func:`check_document` with the listing and eligibility sections the catalogue knows for ``act``."""
    listed, listed_from = catalogue_listing(act, doc.listed)
    eligible = eligible_sections(act.id, listed, ontology, rules)
    return check_document(doc, parsed, listed, listed_from, eligible, warnings)
