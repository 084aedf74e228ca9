"""Structured eligibility rules (corpus/rules/*.yaml): load and validate.

Citations are checked against the knowledge base at build time (``indexer.pipeline``); this
module only checks the shape of the data so that errors name file, line and field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kb.errors import ReferenceDataError
from kb.refs import ProvisionRef, RefError
from kb.topics import Ontology
from kb.vocab import RuleScope, choices
from kb.yamlio import check_keys, line_of, load_yaml

BODIES = tuple(choices(RuleScope))
_RULE_KEYS = {
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
}


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
        check_keys(entry, _RULE_KEYS, {"rule", "body", "value"}, path, "rule")
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
            )
        )
    return records


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
