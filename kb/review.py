"""Review of the rule finder's candidates: the rules overlay in the data folder, and the cells it fills.

A reviewer's decisions live in ``<data>/user-rules/<CODE>.yaml``, in the schema of
``corpus/rules/*.yaml`` plus the review fields (``decision``, ``reviewed_by``, ``reviewed_on``,
``found_by``). The shipped ``corpus/`` is never written. Decisions:

- ``accepted``: the candidate as the finder gave it is the rule;
- ``edited``: the reviewer changed the value (or chose another provision of the Act);
- ``rejected``: this candidate is not the rule (it is no longer proposed);
- ``none-found``: the Act states no such rule.

:func:`fill_cells` turns the overlay and the finder's candidates into comparison cells for
rules no curated rule covers; curated rules always win (:mod:`kb.compare` only asks for cells
that would otherwise be empty).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import settings
from kb.errors import ReferenceDataError, SeckbError
from kb.fileio import write_text_atomic
from kb.finder import Candidate, find_candidates, load_patterns
from kb.model import Cell
from kb.refs import ProvisionRef, RefError
from kb.store import tables as t
from kb.topics import Ontology, load_ontology
from kb.vocab import Body, CellStatus
from kb.yamlio import check_keys, line_of, load_yaml

OVERLAY_DIR = "user-rules"
INHERITS_KEY = "inherits_legislature_disqualifications"
ACCEPTED, EDITED, REJECTED, NONE_FOUND = "accepted", "edited", "rejected", "none-found"
DECISIONS = (ACCEPTED, EDITED, REJECTED, NONE_FOUND)
_FIELDS = (
    "rule",
    "body",
    "value",
    "summary",
    "citation",
    "quote",
    "note",
    "decision",
    "reviewed_by",
    "reviewed_on",
    "found_by",
)
_BODIES = {b.value for b in Body} | {"all"}


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision on one cell (jurisdiction, rule, body) and, but for none-found, a provision."""

    jurisdiction: str
    rule: str
    body: str
    decision: str
    reviewed_by: str
    reviewed_on: dt.date
    value: str = ""
    citation: str | None = None
    quote: str = ""
    summary: str = ""
    note: str = ""
    found_by: str = ""

    @property
    def cell_key(self) -> tuple[str, str, str]:
        return (self.jurisdiction, self.rule, self.body)

    def as_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "body": self.body,
            "value": self.value,
            "summary": self.summary,
            "citation": self.citation,
            "quote": self.quote,
            "note": self.note,
            "decision": self.decision,
            "reviewed_by": self.reviewed_by,
            "reviewed_on": self.reviewed_on.isoformat(),
            "found_by": self.found_by,
        }
        return {k: v for k, v in out.items() if v not in ("", None)}


def overlay_dir(data_dir: Path) -> Path:
    return Path(data_dir) / OVERLAY_DIR


def reviewer_name(option: str | None) -> str:
    name = option or os.environ.get("USER") or os.environ.get("USERNAME") or _login()
    if not name or not name.strip():
        raise SeckbError("name the reviewer with --reviewer (or set $USER)", field="--reviewer")
    return name.strip()


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# --- reading and writing the overlay ----------------------------------------------------------


def load_overlay(data_dir: Path, ontology: Ontology | None = None) -> list[Decision]:
    folder = overlay_dir(data_dir)
    if not folder.is_dir():
        return []
    ontology = ontology or load_ontology(settings.corpus_dir())
    out: list[Decision] = []
    for path in sorted(folder.glob("*.yaml")):
        out.extend(read_decisions(path, ontology))
    return out


def read_decisions(path: Path, ontology: Ontology, jurisdictions: set[str] | None = None) -> list[Decision]:
    """Decisions of one overlay (or export) file; a bad entry fails naming file, line and field.

    An overlay file names one jurisdiction; an export file lists several under ``overlay:``.
    """
    data = load_yaml(path)
    if isinstance(data, dict) and "overlay" in data:
        check_keys(data, {"overlay", "exported_on", "comment"}, {"overlay"}, path, "export file")
        files = data["overlay"] or []
        if not isinstance(files, list):
            raise ReferenceDataError("overlay must be a list of rules files", path=path, line=line_of(data))
    else:
        files = [data]
    out: list[Decision] = []
    for entry in files:
        out.extend(_read_rules_file(entry, path, ontology, jurisdictions))
    return out


def _read_rules_file(data: Any, path: Path, ontology: Ontology, jurisdictions: set[str] | None) -> list[Decision]:
    check_keys(data, {"jurisdiction", "rules", "comment"}, {"jurisdiction", "rules"}, path, "rules file")
    code = str(data["jurisdiction"]).upper()
    if jurisdictions is not None and code not in jurisdictions:
        raise ReferenceDataError(f"unknown jurisdiction {code!r}", path=path, line=line_of(data), field="jurisdiction")
    rules = data["rules"] or []
    if not isinstance(rules, list):
        raise ReferenceDataError("rules must be a list", path=path, line=line_of(data), field="rules")
    out = []
    for entry in rules:
        check_keys(entry, set(_FIELDS), {"rule", "body", "decision", "reviewed_by", "reviewed_on"}, path, "rule")
        line = line_of(entry)
        rule = str(entry["rule"])
        if rule not in ontology.rules:
            raise ReferenceDataError(
                f"unknown rule key {rule!r} (see corpus/topics.yaml)", path=path, line=line, field="rule"
            )
        body = str(entry["body"])
        if body not in _BODIES:
            raise ReferenceDataError(
                f"body {body!r} is not one of {', '.join(sorted(_BODIES))}", path=path, line=line, field="body"
            )
        decision = str(entry["decision"])
        if decision not in DECISIONS:
            raise ReferenceDataError(
                f"decision {decision!r} is not one of {', '.join(DECISIONS)}", path=path, line=line, field="decision"
            )
        citation = str(entry["citation"]) if entry.get("citation") else None
        if citation:
            try:
                ref = ProvisionRef.parse(citation)
            except RefError as exc:
                raise ReferenceDataError(str(exc), path=path, line=line, field="citation") from None
            if not ref.act:
                raise ReferenceDataError(
                    f"citation {citation!r} must name its Act", path=path, line=line, field="citation"
                )
            citation = str(ref)
        elif decision != NONE_FOUND:
            raise ReferenceDataError(f"a {decision} rule needs a citation", path=path, line=line, field="citation")
        if decision in (ACCEPTED, EDITED) and not str(entry.get("value") or "").strip():
            raise ReferenceDataError(f"an {decision} rule needs a value", path=path, line=line, field="value")
        reviewer = str(entry["reviewed_by"] or "").strip()
        if not reviewer:
            raise ReferenceDataError("reviewed_by is empty", path=path, line=line, field="reviewed_by")
        out.append(
            Decision(
                jurisdiction=code,
                rule=rule,
                body=body,
                decision=decision,
                reviewed_by=reviewer,
                reviewed_on=_date(entry["reviewed_on"], path, line),
                value=str(entry.get("value") or ""),
                citation=citation,
                quote=" ".join(str(entry.get("quote") or "").split()),
                summary=str(entry.get("summary") or ""),
                note=str(entry.get("note") or ""),
                found_by=str(entry.get("found_by") or ""),
            )
        )
    return out


def _date(value: Any, path: Path, line: int | None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ReferenceDataError(
            f"reviewed_on {value!r} is not a date (YYYY-MM-DD)", path=path, line=line, field="reviewed_on"
        ) from None


def _dump(code: str, decisions: Sequence[Decision]) -> dict[str, Any]:
    return {"jurisdiction": code, "rules": [d.as_yaml() for d in decisions]}


def save_overlay(data_dir: Path, decisions: Sequence[Decision]) -> list[Path]:
    """Write one file per jurisdiction, each atomically; a jurisdiction left with none loses its file."""
    folder = overlay_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    by_code: dict[str, list[Decision]] = {}
    for decision in decisions:
        by_code.setdefault(decision.jurisdiction, []).append(decision)
    written = []
    for code, items in sorted(by_code.items()):
        path = folder / f"{code}.yaml"
        header = "# Rules reviewed with `seckb rules accept|reject|edit|none-found` (schema of corpus/rules).\n"
        write_text_atomic(path, header + yaml.safe_dump(_dump(code, items), sort_keys=False, allow_unicode=True))
        written.append(path)
    for path in folder.glob("*.yaml"):
        if path.stem not in by_code:
            path.unlink()
    return written


def record(data_dir: Path, decision: Decision, ontology: Ontology | None = None) -> Decision:
    """Add a decision to the overlay, replacing the ones it supersedes for the same cell."""
    current = load_overlay(data_dir, ontology)
    kept = [d for d in current if not _supersedes(decision, d)]
    save_overlay(data_dir, [*kept, decision])
    return decision


def _supersedes(new: Decision, old: Decision) -> bool:
    if new.cell_key != old.cell_key:
        return False
    if new.decision == NONE_FOUND:
        return old.decision in (ACCEPTED, EDITED, NONE_FOUND)  # rejections stand: they are why none was found
    if old.decision == NONE_FOUND:
        return new.decision in (ACCEPTED, EDITED)
    if new.decision in (ACCEPTED, EDITED) and old.decision in (ACCEPTED, EDITED):
        return True  # one reviewed rule per cell: the newest
    return new.citation == old.citation


def export_overlay(data_dir: Path, target: Path, ontology: Ontology | None = None) -> int:
    decisions = load_overlay(data_dir, ontology)
    by_code: dict[str, list[Decision]] = {}
    for decision in decisions:
        by_code.setdefault(decision.jurisdiction, []).append(decision)
    payload = {
        "exported_on": dt.date.today().isoformat(),
        "overlay": [_dump(code, items) for code, items in sorted(by_code.items())],
    }
    write_text_atomic(target, yaml.safe_dump(payload, sort_keys=False, allow_unicode=True))
    return len(decisions)


def import_overlay(session: Session, data_dir: Path, source: Path, ontology: Ontology | None = None) -> tuple[int, int]:
    """Merge an exported overlay into this data folder's; returns (added or replaced, unchanged).

    Every entry is checked (file, line, field) and every citation must resolve in this knowledge
    base before anything is written.
    """
    ontology = ontology or load_ontology(settings.corpus_dir())
    codes = set(session.scalars(select(t.Jurisdiction.code)))
    incoming = read_decisions(Path(source), ontology, codes)
    for decision in incoming:
        if decision.citation and not _provision(session, decision.citation):
            raise ReferenceDataError(
                f"citation {decision.citation!r} ({decision.jurisdiction} {decision.rule}) is not a provision "
                "of this knowledge base",
                path=source,
                field="citation",
            )
    current = load_overlay(data_dir, ontology)
    added = unchanged = 0
    for decision in incoming:
        if decision in current:
            unchanged += 1
            continue
        current = [d for d in current if not _supersedes(decision, d)] + [decision]
        added += 1
    save_overlay(data_dir, current)
    return added, unchanged


def _provision(session: Session, citation: str) -> t.Provision | None:
    return session.scalar(select(t.Provision).where(t.Provision.ref == citation))


# --- decisions from the command line ------------------------------------------------------------


def pick_candidate(candidates: Sequence[Candidate], citation: str | None) -> Candidate:
    if not candidates:
        raise SeckbError("the finder proposes nothing for this rule; use `seckb rules edit` with --citation")
    if citation is None:
        if len(candidates) > 1:
            listed = ", ".join(c.citation for c in candidates)
            raise SeckbError(f"several candidates ({listed}); choose one with --citation", field="--citation")
        return candidates[0]
    wanted = _canonical(citation)
    for candidate in candidates:
        if candidate.citation == wanted:
            return candidate
    raise SeckbError(
        f"{wanted} is not a candidate here; candidates: {', '.join(c.citation for c in candidates)}",
        field="--citation",
    )


def _canonical(citation: str) -> str:
    try:
        return str(ProvisionRef.parse(citation))
    except RefError as exc:
        raise SeckbError(str(exc), field="--citation") from None


def edited_decision(
    session: Session,
    code: str,
    rule: str,
    body: str,
    citation: str,
    value: str,
    quote: str | None,
    reviewer: str,
    on: dt.date,
    note: str = "",
) -> Decision:
    """A reviewer's own cell: the citation must be a provision of the jurisdiction's Acts and the
    quote (default: the provision's own words) must be verbatim from its text."""
    wanted = _canonical(citation)
    provision = _provision(session, wanted)
    if provision is None:
        raise SeckbError(f"no such provision: {wanted}", field="--citation")
    act = session.get(t.Act, provision.act_id)
    if act is None or act.jurisdiction_code != code:
        raise SeckbError(f"{wanted} is not a provision of a {code} Act", field="--citation")
    words = " ".join(_full_text(session, provision).split())
    chosen = " ".join((quote or provision.text or provision.heading).split())
    if chosen not in words:
        raise SeckbError(f"the quote is not in the text of {wanted}", field="--quote")
    if not value.strip():
        raise SeckbError("the value is empty", field="--value")
    return Decision(
        code, rule, body, EDITED, reviewer, on, value=value.strip(), citation=wanted, quote=chosen, note=note
    )


def _full_text(session: Session, provision: t.Provision) -> str:
    parts = [provision.heading, provision.text]
    for child in session.scalars(select(t.Provision).where(t.Provision.parent_id == provision.id)):
        parts.append(_full_text(session, child))
    parts.append(provision.tail)
    return "\n".join(p for p in parts if p)


# --- cells for the comparison -------------------------------------------------------------------


class TextCells:
    """Cells for rules the curated rules leave empty, in States whose Act text is held.

    Built once per comparison; the finder runs once per State, and only for a State with an empty cell.
    """

    def __init__(
        self,
        session: Session,
        data_dir: Path | None,
        states: Sequence[str],
        keys: Sequence[str],
        ontology: Ontology | None = None,
    ) -> None:
        self.session = session
        self.keys = list(dict.fromkeys([*keys, INHERITS_KEY]))
        self.ontology = ontology or load_ontology(settings.corpus_dir())
        decisions = load_overlay(data_dir, self.ontology) if data_dir else []
        self.decisions = [d for d in decisions if d.jurisdiction in states and d.rule in self.keys]
        self.rejected = {(d.jurisdiction, d.rule, d.citation) for d in self.decisions if d.decision == REJECTED}
        self.patterns = load_patterns(settings.corpus_dir(), self.ontology)
        self._found: dict[str, list[Candidate]] = {}

    def candidates(self, state: str) -> list[Candidate]:
        """The finder runs for a State only when one of its cells is empty, once per comparison."""
        if state not in self._found:
            self._found[state] = [
                c
                for c in find_candidates(
                    self.session, [state], self.keys, ontology=self.ontology, patterns=self.patterns
                )
                if (c.jurisdiction, c.key, c.citation) not in self.rejected
            ]
        return self._found[state]

    def fill(
        self, state: str, key: str, body: str, cell: Cell, inherit: Callable[[list[t.Rule]], Cell] | None = None
    ) -> Cell:
        """The cell to show instead of the empty ``cell`` of a State whose Act text (or an excerpt) is held.

        ``inherit`` (for rules a State takes in by disqualifying anyone disqualified for the
        Legislature) turns a link rule into the central rule's cell; the link here is the State's
        reviewed or found "disqualified ... for the purposes of elections to the Legislature" clause.
        """
        mine = [d for d in self.decisions if d.jurisdiction == state and d.rule == key and d.body in (body, "all")]
        reviewed = [d for d in mine if d.decision in (ACCEPTED, EDITED)]
        if reviewed:
            return replace(_reviewed_cell(reviewed[-1]), body=body)
        found = [c for c in self.candidates(state) if c.key == key and c.body in (body, "all")]
        if found:
            return replace(_found_cell(found), body=body)
        if inherit is not None:
            derived = self._inherited(state, body, inherit)
            if derived is not None:
                return derived
        if any(d.decision == NONE_FOUND for d in mine):
            last = [d for d in mine if d.decision == NONE_FOUND][-1]
            return replace(
                cell,
                status=CellStatus.NO_SUCH_PROVISION,
                reviewed_by=last.reviewed_by,
                reviewed_on=last.reviewed_on,
                note=f"reviewed by {last.reviewed_by} on {last.reviewed_on.isoformat()}"
                + (f". {last.note}" if last.note else ""),
            )
        return cell

    def _inherited(self, state: str, body: str, inherit: Callable[[list[t.Rule]], Cell]) -> Cell | None:
        links = [
            d
            for d in self.decisions
            if d.jurisdiction == state
            and d.rule == INHERITS_KEY
            and d.decision in (ACCEPTED, EDITED)
            and d.body in (body, "all")
        ]
        if links and links[-1].value.strip().lower() == "yes":
            link, status = links[-1].citation, CellStatus.REVIEWED
            why = f"reviewed by {links[-1].reviewed_by} on {links[-1].reviewed_on.isoformat()}"
        else:
            found = [c for c in self.candidates(state) if c.key == INHERITS_KEY and c.body in (body, "all")]
            if not found:
                return None
            link, status, why = found[0].citation, CellStatus.FOUND, f"found by {found[0].found_by}"
        # A transient rule (never added to the session) in the shape compare's inheritance reads.
        rule = t.Rule(
            jurisdiction_code=state, rule_key=INHERITS_KEY, value="yes", citation=link, secondary=False, body=body
        )
        rule.inherited_via, rule.in_force_from, rule.repealed_on = [], None, None
        cell = inherit([rule])
        if cell.empty:
            return None
        return replace(cell, status=status, note=f"{status.value} (the link {link}: {why}). {cell.note}".strip())


def _reviewed_cell(decision: Decision) -> Cell:
    by = f"reviewed by {decision.reviewed_by} on {decision.reviewed_on.isoformat()}"
    note = f"{CellStatus.REVIEWED.value}: {by}"
    if decision.decision == EDITED:
        note += " (edited)"
    if decision.note:
        note += f". {decision.note}"
    return Cell(
        value=decision.value,
        citation=decision.citation,
        quote=decision.quote or decision.summary,
        status=CellStatus.REVIEWED,
        reviewed_by=decision.reviewed_by,
        reviewed_on=decision.reviewed_on,
        note=note,
    )


def _found_cell(found: list[Candidate]) -> Cell:
    first = found[0]
    note = f"{CellStatus.FOUND.value} (found by {first.found_by})"
    others = [c.citation for c in found[1:] if c.citation != first.citation]
    if others:
        note += "; also proposed: " + "; ".join(others)
    return Cell(value=first.value, citation=first.citation, quote=first.quote, status=CellStatus.FOUND, note=note)


def candidates_for(session: Session, state: str, key: str | None, data_dir: Path) -> list[tuple[Candidate, str]]:
    """The finder's candidates for a State (and rule), each with the overlay's decision on it ('' if none)."""
    ontology = load_ontology(settings.corpus_dir())
    keys = [ontology.rule(key).key] if key else None
    if session.get(t.Jurisdiction, state) is None:
        raise SeckbError(f"unknown jurisdiction {state!r}", field="--state")
    decisions = load_overlay(data_dir, ontology)
    out = []
    for candidate in find_candidates(session, [state], keys, ontology=ontology):
        said = [
            d.decision
            for d in decisions
            if d.jurisdiction == candidate.jurisdiction and d.rule == candidate.key and d.citation == candidate.citation
        ]
        out.append((candidate, said[-1] if said else ""))
    return out


def held_bodies(session: Session, state: str) -> set[str]:
    """The bodies of the State's Acts whose text is held."""
    query = (
        select(t.Act.body)
        .join(t.SourceDocument, t.SourceDocument.act_id == t.Act.id)
        .where(t.SourceDocument.role == "primary", t.Act.jurisdiction_code == state)
    )
    return set(session.scalars(query))
