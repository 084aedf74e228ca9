"""Akoma Ntoso names: FRBR URIs for Acts and eIds for provisions.

``FrbrUri.parse("/akn/in-mh/act/1959/3/eng@2025-04-04")`` reads a work, expression or
manifestation URI and ``str(uri)`` prints it back unchanged; ``work_uri()``,
``expression_uri()`` and ``manifestation_uri()`` give the three FRBR levels. :func:`eid_for`
turns a provision's kinds and labels into its eId by the Akoma Ntoso naming convention
(``sec_14__subsec_1__para_j-1``). This module imports nothing from the project.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

__all__ = [
    "AKN_NS",
    "CHAR_PI",
    "EID_PREFIX",
    "ELEMENT",
    "SECKB_NS",
    "FrbrUri",
    "eid_for",
    "eid_label",
    "work_number",
    "work_uri_for",
]

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
# seckb's own attributes and proprietary block live in a namespace of their own, as the schema
# allows (anyAttribute / proprietary any ##other); a URN, so nothing suggests an address to fetch.
SECKB_NS = "urn:x-seckb:akn:1"
# Processing instruction carrying a character XML 1.0 cannot hold: <?seckb-char fffe?>.
CHAR_PI = "seckb-char"

# Provision kind -> the Akoma Ntoso element that holds it.
ELEMENT: dict[str, str] = {
    "section": "section",
    "article": "article",
    "rule": "rule",
    "subsection": "subsection",
    "clause": "paragraph",
    "subclause": "subparagraph",
    "item": "point",
    "proviso": "proviso",
    "explanation": "hcontainer",
}

# Provision kind -> eId prefix, as the naming convention abbreviates the element names.
EID_PREFIX: dict[str, str] = {
    "section": "sec",
    "article": "art",
    "rule": "rule",
    "subsection": "subsec",
    "clause": "para",
    "subclause": "subpara",
    "item": "point",
    "proviso": "proviso",
    "explanation": "explanation",  # hcontainer name="explanation": the convention uses the name
}

_FRBR_RE = re.compile(
    r"""
    ^/akn
    /(?P<country>[a-z]{2})                      # ISO 3166-1 country: "in"
    (?:-(?P<subdivision>[a-z0-9]{1,3}))?        # ISO 3166-2 subdivision, lower case: "mh"
    /(?P<doctype>[a-zA-Z]+)                     # document type: "act"
    (?:/(?P<subtype>[a-zA-Z][^/]*))?            # optional subtype (never starts with a digit)
    /(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)      # the work's date: its year, as Indian Acts are cited
    /(?P<number>[^/@.!~]+)                      # the Act's number (or seckb's id where none is known)
    (?:/(?P<language>[a-z]{3})                  # expression: ISO 639-2 language, "eng"
        @(?P<expression_date>\d{4}-\d{2}-\d{2})?   # ... and the "text as on" date (may be empty)
    )?
    (?:/!(?P<component>[a-zA-Z0-9_]+))?         # component, "!main"
    (?:\.(?P<format>[a-z0-9]+))?                # manifestation format, ".akn"
    (?:~(?P<portion>[^\s/]+))?                  # portion: an eId, "~sec_14__subsec_1"
    $
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class FrbrUri:
    """An Akoma Ntoso FRBR URI such as ``/akn/in-mh/act/1959/3/eng@2025-04-04``.

    ``subdivision`` is the ISO 3166-2:IN code in lower case, None for a central Act;
    ``language`` and ``expression_date`` make it an expression; ``format`` a manifestation.
    """

    country: str
    subdivision: str | None
    doctype: str
    date: str
    number: str
    subtype: str | None = None
    language: str | None = None
    expression_date: str | None = None
    component: str | None = None
    format: str | None = None
    portion: str | None = None

    @classmethod
    def parse(cls, text: str) -> FrbrUri:
        """Read a work, expression or manifestation URI; ValueError when it is not one."""
        match = _FRBR_RE.match((text or "").strip())
        if not match:
            raise ValueError(f"not an Akoma Ntoso FRBR URI: {text!r}")
        return cls(**match.groupdict())

    @property
    def place(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def work_uri(self) -> str:
        subtype = f"/{self.subtype}" if self.subtype else ""
        return f"/akn/{self.place}/{self.doctype}{subtype}/{self.date}/{self.number}"

    def expression_uri(self, language: str | None = None, expression_date: str | None = None) -> str:
        lang = language or self.language or "eng"
        when = expression_date if expression_date is not None else (self.expression_date or "")
        return f"{self.work_uri()}/{lang}@{when}"

    def manifestation_uri(self, fmt: str | None = None) -> str:
        return f"{self.expression_uri()}.{fmt or self.format or 'akn'}"

    def with_portion(self, eid: str | None) -> FrbrUri:
        return replace(self, portion=eid)

    def __str__(self) -> str:
        text = self.work_uri()
        if self.language is not None:
            text += f"/{self.language}@{self.expression_date or ''}"
        if self.component is not None:
            text += f"/!{self.component}"
        if self.format is not None:
            text += f".{self.format}"
        if self.portion is not None:
            text += f"~{self.portion}"
        return text


def work_number(number: str | None, act_id: str) -> str:
    """The number part of a work URI: the catalogue's Act number, else seckb's Act id in lower case.

    Some Acts have no number in the catalogue (the Constitution, a few older State Acts); the
    Act id is stable and unique, so it stands in rather than a guessed number.
    """
    cleaned = re.sub(r"[^0-9A-Za-z-]+", "-", (number or "").strip()).strip("-")
    return cleaned or act_id.lower()


def eid_label(kind: str, label: str) -> str:
    """One eId component: ("clause", "j-1") -> "para_j-1"; ("proviso", "proviso 2") -> "proviso_2"."""
    prefix = EID_PREFIX.get(kind)
    if prefix is None:
        raise ValueError(f"no Akoma Ntoso element for provision kind {kind!r}")
    # The parser's word labels carry the word ("proviso 1", "Explanation 1A"); the eId keeps the number.
    words = label.split()
    if words and words[0].lower() in ("proviso", "explanation"):
        words = words[1:]
    number = "-".join(words)
    return f"{prefix}_{number}" if number else prefix


def eid_for(steps: Sequence[tuple[str, str]]) -> str:
    """The eId of a provision from its (kind, label) steps, top-level unit first.

    ``eid_for([("section", "14"), ("subsection", "1"), ("clause", "j-1")])`` is
    ``sec_14__subsec_1__para_j-1``. Parts and Chapters are not part of a section's eId, as in the
    naming convention, so an eId stays the same when a section moves between Chapters.
    """
    if not steps:
        raise ValueError("an eId needs at least the top-level unit")
    return "__".join(eid_label(kind, label) for kind, label in steps)


def work_uri_for(jurisdiction: str, year: int | None, number: str | None, act_id: str) -> FrbrUri:
    """The Act's work URI: ``/akn/in-mh/act/1959/3``; the Act id stands in for an unknown number."""
    code = jurisdiction.lower()
    return FrbrUri(
        country="in",
        subdivision=None if code == "in" else code,
        doctype="act",
        date=str(year) if year else "0000",
        number=work_number(number, act_id),
    )
