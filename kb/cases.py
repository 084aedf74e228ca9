"""Judgments as data (corpus/cases.yaml): what a court held about which provisions, and its effect.

Loaded from the corpus folder when a comparison or `seckb show` needs them, like the ontology;
bad entries fail with one line naming the file, line and field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kb.errors import ReferenceDataError
from kb.model import Judgment
from kb.refs import ProvisionRef, RefError
from kb.vocab import JudgmentEffect, SourceGrade
from kb.yamlio import check_keys, line_of, load_yaml

CASES_FILE = "cases.yaml"
_FIELDS = {"id", "name", "court", "date", "citation", "holding", "provisions", "effect", "source", "comment"}
_REQUIRED = {"id", "name", "court", "date", "citation", "holding", "provisions", "effect", "source"}


def load_cases(corpus_dir: Path) -> dict[str, Judgment]:
    """Every judgment of corpus/cases.yaml by id; {} when the corpus has no such file."""
    path = corpus_dir / CASES_FILE
    if not path.exists():
        return {}
    data = load_yaml(path) or []
    if not isinstance(data, list):
        raise ReferenceDataError("expected a list of judgments", path=path, line=1, field="cases")
    out: dict[str, Judgment] = {}
    for entry in data:
        check_keys(entry, _FIELDS, _REQUIRED, path, "judgment")
        line = line_of(entry)
        case_id = str(entry["id"])
        if case_id in out:
            raise ReferenceDataError(f"duplicate judgment id {case_id!r}", path=path, line=line, field="id")
        effect = str(entry["effect"])
        if effect not in set(JudgmentEffect):
            raise ReferenceDataError(
                f"effect {effect!r} is not one of {', '.join(JudgmentEffect)}", path=path, line=line, field="effect"
            )
        for citation in entry["provisions"] or []:
            try:
                ProvisionRef.parse(str(citation))
            except RefError as exc:
                raise ReferenceDataError(str(exc), path=path, line=line, field="provisions") from None
        source = entry["source"] or {}
        if not (isinstance(source, dict) and source.get("url") and source.get("title")):
            raise ReferenceDataError(
                "a judgment must name its source (title, url)", path=path, line=line, field="source"
            )
        grade = str(source.get("grade") or "")
        if grade not in set(SourceGrade):
            raise ReferenceDataError(
                f"source grade {grade!r} is not one of: {', '.join(SourceGrade)}", path=path, line=line, field="source"
            )
        decided = entry["date"]
        if not isinstance(decided, dt.date):
            try:
                decided = dt.date.fromisoformat(str(decided))
            except ValueError:
                raise ReferenceDataError(
                    f"date {decided!r} is not a date (YYYY-MM-DD)", path=path, line=line, field="date"
                ) from None
        out[case_id] = Judgment(
            id=case_id,
            name=str(entry["name"]),
            court=str(entry["court"]),
            decided_on=decided,
            citation=str(entry["citation"]),
            holding=" ".join(str(entry["holding"]).split()),
            effect=effect,
            provisions=tuple(str(p) for p in entry["provisions"] or ()),
            source_title=str(source["title"]),
            source_url=str(source["url"]),
            source_grade=grade,
        )
    return out


def judgments_on(cases: dict[str, Judgment], citation: str | None) -> tuple[Judgment, ...]:
    """The judgments naming ``citation`` (or a provision inside it) among the provisions they affect."""
    if not citation:
        return ()
    return tuple(
        case for case in cases.values() if any(p == citation or p.startswith(citation + "(") for p in case.provisions)
    )


def describe(case: Judgment) -> str:
    """ "Lily Thomas v Union of India, (2013) 7 SCC 653, Supreme Court of India, 10 July 2013" """
    return f"{case.name}, {case.citation}, {case.court}, {long_date(case.decided_on)}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"
