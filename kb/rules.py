"""Structured eligibility rules (corpus/rules/*.yaml): load and validate.

Each entry is one *version* of a rule (jurisdiction x body x key): its value, citation, the dates
it was in force (``in_force_from`` .. ``repealed_on``), the legislative ``stage`` it has reached
(a Bill passed or assented is a pending change, not law), the ``judgment`` (a corpus/cases.yaml
id) that struck it down, stayed or read it down, and ``earlier: not held`` when the clause was
re-worded and its wording before ``in_force_from`` is not in the corpus. With no known start,
``in_force_by`` (else the source's ``date``, else the text-as-on date of the document cited) is
the date the evidence shows it in force: "in force at least since" that date. Several entries with the
same key, body and Act are the rule's timeline.

Citations are checked against the knowledge base at build time (``kb.build``); this
module only checks the shape of the data so that errors name file, line and field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kb.errors import ReferenceDataError
from kb.refs import ProvisionRef, RefError
from kb.topics import Ontology
from kb.vocab import PENDING_STAGES, LegislativeStage, RuleScope, SourceGrade, choices
from kb.yamlio import check_keys, line_of, load_yaml

BODIES = tuple(choices(RuleScope))
# The fields a rule entry may have (corpus/rules/*.yaml and the user-rules overlay).
RULE_FIELDS = {
    "rule",
    "body",
    "value",
    "summary",
    "citation",
    "quote",
    "in_force_from",
    "repealed_on",
    "inherited_via",
    "note",
    "secondary",
    "source",
    "stage",
    "stage_date",
    "judgment",
    "earlier",
    "in_force_by",
}
_SOURCE_KEYS = {"title", "url", "grade", "date"}
EARLIER = ("not held", "none")  # before this version: a wording not in the corpus | no such rule


@dataclass(frozen=True)
class RuleRecord:
    jurisdiction: str
    rule: str
    body: str
    value: str
    summary: str
    citation: str | None
    quote: str
    in_force_from: dt.date | None
    repealed_on: dt.date | None
    inherited_via: tuple[str, ...]
    note: str
    secondary: bool
    source_title: str | None
    source_url: str | None
    file: str
    line: int | None
    stage: str = LegislativeStage.COMMENCED
    stage_date: dt.date | None = None
    judgment: str | None = None
    earlier: str | None = None
    source_grade: str | None = None
    source_date: dt.date | None = None
    in_force_by: dt.date | None = None  # start unknown, but evidence shows it in force on this date

    @property
    def pending(self) -> bool:
        """A Bill passed or assented but not commenced: it does not change the law yet."""
        return self.stage in PENDING_STAGES

    def in_force(self, on: dt.date) -> bool:
        if self.in_force_from and on < self.in_force_from:
            return False
        return not (self.repealed_on and on >= self.repealed_on)


def load_rules(rules_dir: Path, ontology: Ontology, jurisdictions: set[str]) -> list[RuleRecord]:
    out: list[RuleRecord] = []
    for path in sorted(rules_dir.glob("*.yaml")):
        out.extend(_load_file(path, ontology, jurisdictions))
    return out


def _load_file(path: Path, ontology: Ontology, jurisdictions: set[str]) -> list[RuleRecord]:
    data = load_yaml(path)
    check_keys(data, {"jurisdiction", "rules", "comment"}, {"jurisdiction", "rules"}, path, "rules file")
    code = str(data["jurisdiction"])
    if code not in jurisdictions:
        raise ReferenceDataError(f"unknown jurisdiction {code!r}", path=path, line=line_of(data), field="jurisdiction")
    records = []
    for entry in data["rules"] or []:
        check_keys(entry, RULE_FIELDS, {"rule", "body", "value"}, path, "rule")
        line = line_of(entry)
        if entry["rule"] not in ontology.rules:
            raise ReferenceDataError(
                f"unknown rule key {entry['rule']!r} (see corpus/topics.yaml)", path=path, line=line, field="rule"
            )
        if entry["body"] not in BODIES:
            raise ReferenceDataError(
                f"body {entry['body']!r} is not one of {', '.join(BODIES)}", path=path, line=line, field="body"
            )
        secondary = bool(entry.get("secondary", False))
        source = entry.get("source") or {}
        citation = entry.get("citation")
        if citation:
            _check_citation(str(citation), path, line, "citation")
        for link in entry.get("inherited_via") or []:
            _check_citation(str(link), path, line, "inherited_via")
        if secondary and not (isinstance(source, dict) and source.get("url") and source.get("title")):
            raise ReferenceDataError(
                "a secondary rule must name its source (source: {title, url})", path=path, line=line, field="source"
            )
        if not secondary and not citation:
            raise ReferenceDataError(
                "a rule verified against the text needs a citation", path=path, line=line, field="citation"
            )
        stage, grade = _version_fields(entry, source, secondary, path, line)
        records.append(
            RuleRecord(
                jurisdiction=code,
                rule=str(entry["rule"]),
                body=str(entry["body"]),
                value=str(entry["value"]),
                summary=str(entry.get("summary") or ""),
                citation=str(citation) if citation else None,
                quote=" ".join(str(entry.get("quote") or "").split()),
                in_force_from=_date(entry.get("in_force_from"), path, line, "in_force_from"),
                repealed_on=_date(entry.get("repealed_on"), path, line, "repealed_on"),
                inherited_via=tuple(str(x) for x in entry.get("inherited_via") or ()),
                note=str(entry.get("note") or ""),
                secondary=secondary,
                source_title=source.get("title") if isinstance(source, dict) else None,
                source_url=source.get("url") if isinstance(source, dict) else None,
                file=path.name,
                line=line,
                stage=stage,
                stage_date=_date(entry.get("stage_date"), path, line, "stage_date"),
                judgment=str(entry["judgment"]) if entry.get("judgment") else None,
                earlier=str(entry["earlier"]) if entry.get("earlier") else None,
                source_grade=grade,
                source_date=_date(source.get("date"), path, line, "source.date") if isinstance(source, dict) else None,
                in_force_by=_date(entry.get("in_force_by"), path, line, "in_force_by"),
            )
        )
    return records


def _version_fields(
    entry: dict, source: object, secondary: bool, path: Path, line: int | None
) -> tuple[str, str | None]:
    """Check the timeline fields of one version; return its stage and its source's grade."""
    stage = str(entry.get("stage") or LegislativeStage.COMMENCED)
    if stage not in set(LegislativeStage):
        raise ReferenceDataError(
            f"stage {stage!r} is not one of {', '.join(LegislativeStage)}", path=path, line=line, field="stage"
        )
    if stage in PENDING_STAGES and not entry.get("stage_date"):
        raise ReferenceDataError(
            f"a change at stage {stage!r} needs the date it reached that stage",
            path=path,
            line=line,
            field="stage_date",
        )
    earlier = entry.get("earlier")
    if earlier is not None and earlier not in EARLIER:
        raise ReferenceDataError(
            f"earlier {earlier!r} is not one of {', '.join(EARLIER)}", path=path, line=line, field="earlier"
        )
    if earlier and not entry.get("in_force_from"):
        raise ReferenceDataError(
            "earlier says what stood before in_force_from, which is missing", path=path, line=line, field="earlier"
        )
    grade = None
    if isinstance(source, dict) and source:
        unknown = set(source) - _SOURCE_KEYS
        if unknown:
            raise ReferenceDataError(
                f"unknown source field {sorted(unknown)[0]!r} (allowed: {', '.join(sorted(_SOURCE_KEYS))})",
                path=path,
                line=line,
                field="source",
            )
        grade = source.get("grade")
        if grade not in set(SourceGrade):
            raise ReferenceDataError(
                f"source grade {grade!r} is not one of: {', '.join(SourceGrade)}", path=path, line=line, field="source"
            )
    elif secondary:
        raise ReferenceDataError("a secondary rule must grade its source", path=path, line=line, field="source")
    return stage, grade


def _check_citation(text: str, path: Path, line: int | None, field: str) -> None:
    try:
        ref = ProvisionRef.parse(text)
    except RefError as exc:
        raise ReferenceDataError(str(exc), path=path, line=line, field=field) from None
    if not ref.act:
        raise ReferenceDataError(
            f"citation {text!r} must name its Act (e.g. 'MH-VPA-1959 s.14(1)(j-1)')", path=path, line=line, field=field
        )


def _date(value: object, path: Path, line: int | None, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ReferenceDataError(
            f"{field} {value!r} is not a date (YYYY-MM-DD)", path=path, line=line, field=field
        ) from None
