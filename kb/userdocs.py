"""The user corpus: Acts a user adds (``seckb add``) or removes (``seckb remove``).

A user's download is copied into ``<data>/user-corpus/<state>/`` and listed in the overlay
``<data>/user-corpus/acts.yaml`` (see :mod:`kb.reference`); the shipped ``corpus/`` and the
shared sources folder are never written. The knowledge base is then brought up to date by the
normal build, which skips every unchanged source by checksum and publishes atomically.

If anything fails (an unreadable file, an invalid overlay, a failed build) the overlay and the
user-corpus files are put back as they were, so the previous knowledge base stays current and
consistent with the overlay.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import fcntl
import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from kb import settings
from kb.errors import BusyError, ReferenceDataError, SeckbError
from kb.reference import USER_ACTS_FILE, USER_PREFIX, Act, Reference, load_reference, normalise_act_key

__all__ = [
    "ELIGIBILITY_TOPICS",
    "AddReport",
    "AddRequest",
    "RemoveReport",
    "add_document",
    "guess_body",
    "match_act",
    "new_act_id",
    "remove_document",
]

# A provision "bears on eligibility" when its topics include one of these roots of the ontology.
ELIGIBILITY_TOPICS = ("candidate", "elector")

_OVERLAY_HEADER = (
    "# Acts added with `seckb add` (managed by seckb; `seckb remove` takes them out).\n"
    "# Same schema as corpus/acts.yaml; `extend: ID` adds sources to a catalogued Act.\n"
    "# Files are relative to this folder.\n"
)
# Title words that do not make an id's initials (as in corpus/acts.yaml).
_ID_SKIP = {"the", "of", "and", "for", "to", "in", "on", "a", "an", "by", "with", "act"}
_YEAR_RE = re.compile(r",?\s*\(?((?:17|18|19|20)\d\d)\)?\.?\s*$")
_ACT_NO_RE = re.compile(r"\bAct\s+(?:No\.?\s*)?(\d{1,4}[A-Z]?)\s+of\s+((?:17|18|19|20)\d\d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class AddRequest:
    file: Path
    state: str
    act: str | None = None
    title: str | None = None
    year: int | None = None
    body: str | None = None
    as_on: date | None = None
    source_url: str | None = None
    format: str | None = None
    replace: bool = False
    accept_partial: bool = False  # store a text that fails its self-check, marked partial


@dataclass
class AddReport:
    act_id: str
    title: str
    new_act: bool
    matched_by: str  # id | title | number and year | similar title | new
    stored_as: str  # Source.file, e.g. user-corpus/ka/kpr-act.pdf
    format: str
    role: str
    sections: int = 0
    provisions: int = 0
    eligibility_provisions: int = 0
    warnings: list[str] = field(default_factory=list)
    numbering_gaps: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    build: Any = None  # indexer.pipeline.BuildReport
    check: Any = None  # indexer.selfcheck.CheckReport of the added document
    agreement: Any = None  # kb.agreement.Agreement with the primary, for an alternate rendering


@dataclass
class RemoveReport:
    removed_files: list[str]
    removed_acts: list[str]
    build: Any = None


# ----------------------------------------------------------------------------- matching


def _strip_year(title: str) -> tuple[str, int | None]:
    match = _YEAR_RE.search(title)
    if not match:
        return title.strip(), None
    return title[: match.start()].strip(), int(match.group(1))


def _act_keys(act: Act) -> set[str]:
    names = [act.title, *act.aliases]
    return {normalise_act_key(_strip_year(n)[0]) for n in names} | {normalise_act_key(n) for n in names}


def match_act(
    ref: Reference, state: str, title: str | None, year: int | None = None, number: str | None = None
) -> tuple[Act | None, str]:
    """The catalogued Act of ``state`` that a document's title/number/year names, and how it matched.

    Order: exact title or alias (with or without the year), then Act number and year, then a
    near-identical title of the same year. A wrong match would file one Act's text under
    another, so anything looser returns (None, "new").
    """
    acts = ref.acts_for(state)
    if title:
        bare, title_year = _strip_year(title)
        year = year or title_year
        wanted = {normalise_act_key(title), normalise_act_key(bare)}
        hits = [a for a in acts if _act_keys(a) & wanted]
        if len(hits) > 1 and year:
            hits = [a for a in hits if a.year == year]
        if len(hits) == 1:
            return hits[0], "title"
    if number and year:
        hits = [a for a in acts if a.number and a.number.lstrip("0") == number.lstrip("0") and a.year == year]
        if len(hits) == 1:
            return hits[0], "number and year"
    if title:
        key = normalise_act_key(_strip_year(title)[0])
        scored = sorted(
            (
                (difflib.SequenceMatcher(None, key, normalise_act_key(_strip_year(a.title)[0])).ratio(), a)
                for a in acts
                if year is None or a.year in (None, year)
            ),
            key=lambda p: -p[0],
        )
        if scored and scored[0][0] >= 0.92 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.03):
            return scored[0][1], "similar title"
    return None, "new"


def new_act_id(ref: Reference, state: str, title: str, year: int | None) -> str:
    """JURIS-INITIALS-YEAR from the title, skipping small words and the State's own name."""
    juris = ref.jurisdiction(state)
    skip = _ID_SKIP | {w.lower() for w in re.findall(r"[A-Za-z]+", juris.name)}
    words = re.findall(r"[A-Za-z]+", _strip_year(title)[0])
    initials = "".join(w[0].upper() for w in words if w.lower() not in skip) or "ACT"
    initials += "A"  # every catalogue id ends its initials with the "Act" (MH-VPA-1959)
    taken = {a.id for a in ref.acts} | {k.upper() for k in ref._act_keys}
    suffix = f"-{year}" if year else ""
    for letter in ["", *"BCDEFGHIJKLMNOPQRSTUVWXYZ"]:
        candidate = f"{juris.code}-{initials}{letter}{suffix}"
        if candidate not in taken and normalise_act_key(candidate).upper() not in taken:
            return candidate
    raise SeckbError(f"no free id for {title!r}; give one with --act")


def guess_body(title: str) -> str:
    lowered = title.lower()
    if "election commission" in lowered:
        return "sec"
    if "cantonment" in lowered:
        return "cantonment"
    if re.search(r"panchayat|gram|zilla|village|parishad", lowered):
        return "panchayat"
    if re.search(r"municipal|nagar|corporation|town|city|urban", lowered):
        return "municipal"
    return "other"


# ----------------------------------------------------------------------------- overlay file


def _overlay_path(user_dir: Path) -> Path:
    return user_dir / USER_ACTS_FILE


def _read_overlay(user_dir: Path) -> list[dict[str, Any]]:
    path = _overlay_path(user_dir)
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data is None:
        return []
    if not isinstance(data, list):
        raise ReferenceDataError("the user overlay must be a YAML list of Acts", path=path)
    return data


def _overlay_text(entries: list[dict[str, Any]]) -> str:
    return _OVERLAY_HEADER + (
        yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=1000) if entries else "[]\n"
    )


def _entry_for(entries: list[dict[str, Any]], act_id: str) -> dict[str, Any] | None:
    return next((e for e in entries if e.get("id") == act_id or e.get("extend") == act_id), None)


@contextlib.contextmanager
def _user_lock(user_dir: Path) -> Iterator[None]:
    """Two adds at once would each rewrite the overlay from what they read: one at a time."""
    user_dir.mkdir(parents=True, exist_ok=True)
    with open(user_dir / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                "another `seckb add` or `remove` is changing the user corpus; try again", path=user_dir
            ) from None
        yield


class _Transaction:
    """Changes to the overlay and the user-corpus files that can all be undone until commit."""

    def __init__(self, user_dir: Path) -> None:
        self.user_dir = user_dir
        self.overlay = _overlay_path(user_dir)
        self.old_overlay = self.overlay.read_bytes() if self.overlay.is_file() else None
        self.backups: list[tuple[Path, bytes | None]] = []  # file, previous content (None: was absent)
        self.to_delete: list[Path] = []  # deleted only once everything succeeded

    def write_file(self, target: Path, source: Path) -> None:
        self.backups.append((target, target.read_bytes() if target.is_file() else None))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)

    def write_overlay(self, entries: list[dict[str, Any]]) -> None:
        from kb.fileio import write_text_atomic

        write_text_atomic(self.overlay, _overlay_text(entries))

    def rollback(self) -> None:
        from kb.fileio import write_bytes_atomic

        for target, content in reversed(self.backups):
            if content is None:
                target.unlink(missing_ok=True)
            else:
                write_bytes_atomic(target, content)
        if self.old_overlay is None:
            self.overlay.unlink(missing_ok=True)
        else:
            write_bytes_atomic(self.overlay, self.old_overlay)

    def commit(self) -> None:
        for path in self.to_delete:
            path.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- add


def add_document(
    request: AddRequest, data_dir: Path, sources_dir: Path, db_url: str | None = None, corpus_dir: Path | None = None
) -> AddReport:
    """Copy ``request.file`` into the user corpus, list it in the overlay and rebuild incrementally."""
    from indexer.readers import detect_format, read_document

    source = Path(request.file)
    fmt = request.format or detect_format(source)
    doc = read_document(source, fmt)  # unreadable: ReaderError before anything is touched
    corpus_dir = corpus_dir or settings.corpus_dir()
    user_dir = settings.user_corpus_dir(data_dir)
    with _user_lock(user_dir):
        ref = load_reference(corpus_dir, sources_dir, user_dir=user_dir)
        juris = ref.jurisdiction(request.state)
        act, how, title, year = _choose_act(ref, juris.code, request, doc)
        check = _self_check(source, doc, act, corpus_dir, ref, request.accept_partial)
        if not check.passed:
            doc = dataclasses.replace(doc, partial=True)  # accepted as partial: stored and shown so
        entries = _read_overlay(user_dir)
        rel = f"{juris.code.lower()}/{_safe_name(source.name)}"
        target = user_dir / rel
        txn = _Transaction(user_dir)
        report = AddReport(
            act_id=act.id if act else "",
            title=title,
            new_act=act is None,
            matched_by=how,
            stored_as=USER_PREFIX + rel,
            format=fmt,
            role="primary",
            check=check,
        )
        try:
            if act is None:
                act_id = new_act_id(ref, juris.code, title, year)
                report.act_id = act_id
                entries.append(_new_act_entry(act_id, juris.code, title, year, request, doc, rel, fmt))
            else:
                report.role = _place_source(ref, act, entries, rel, fmt, request, doc, user_dir, txn, report)
            _check_target(ref, target, rel, report.act_id, request.replace)
            txn.write_file(target, source)
            txn.write_overlay(entries)
            load_reference(corpus_dir, sources_dir, user_dir=user_dir)  # the overlay must stay valid
            report.build = _run_build(data_dir, sources_dir, db_url, corpus_dir)
        except BaseException:
            txn.rollback()
            raise
        txn.commit()
    _fill_report(report, data_dir, db_url)
    return report


def _self_check(source: Path, doc, act: Act | None, corpus_dir: Path, ref: Reference, accept: bool):
    """Check the parse against the Act's own list of sections before anything is written.

    Refused in one line (file and figure) unless ``accept``; see indexer/selfcheck.py.
    """
    from indexer.selfcheck import MIN_FOUND, check_document, check_in_catalogue, eligible_sections
    from indexer.structure import parse_provisions
    from kb.errors import SelfCheckError
    from kb.rules import load_rules
    from kb.topics import load_ontology

    parsed = parse_provisions(doc)
    ontology = load_ontology(corpus_dir)
    rules = load_rules(corpus_dir / "rules", ontology, {j.code for j in ref.jurisdictions})
    warnings = [w for p in parsed for w in p.warnings]
    if act is not None:
        check = check_in_catalogue(doc, parsed, act, ontology, rules, warnings)
    else:
        check = check_document(doc, parsed, eligible=eligible_sections("", doc.listed, ontology, ()), warnings=warnings)
    if not check.passed and not accept:
        raise SelfCheckError(
            f"refused: {check.sentence()} ({100 * check.share:.1f}%; {100 * MIN_FOUND:.0f}% and every "
            "eligibility section are needed); nothing was changed (--accept-partial stores it as a partial text)",
            path=source,
        )
    return check


def _choose_act(ref: Reference, state: str, request: AddRequest, doc) -> tuple[Act | None, str, str, int | None]:
    """(catalogued Act or None for a new one, how it matched, title, year)."""
    if request.act:
        try:
            act = ref.act(request.act)
        except SeckbError:
            if request.title:  # an id the user chooses for a new Act
                raise SeckbError(
                    f"--act {request.act!r} is not in the catalogue; leave --act out and give "
                    f"--title/--year to add a new Act (its id is made from the title)"
                ) from None
            raise
        if act.jurisdiction != state:
            raise SeckbError(f"{act.id} is an Act of {act.jurisdiction}, not of {state}", field="--state")
        return act, "id", act.title, act.year
    title = (request.title or doc.title or "").strip()
    number, number_year = _act_number(doc)
    bare, title_year = _strip_year(title)
    year = request.year or title_year or number_year
    act, how = match_act(ref, state, title, year, number)
    if act is not None:
        return act, how, act.title, act.year
    if not title:
        raise SeckbError("the document names no title; give --title and --year (or --act ID)")
    if year and not title_year:
        title = f"{bare}, {year}"
    return None, "new", title, year


def _act_number(doc) -> tuple[str | None, int | None]:
    """'Act No. 14 of 1993' near the start of a document: the catalogue's number and year."""
    head = f"{doc.title}\n" + "\n".join(f"{s.heading} {s.body}" for s in doc.sections[:2])
    match = _ACT_NO_RE.search(head[:4000])
    return (match.group(1), int(match.group(2))) if match else (None, None)


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "document"


def _source_entry(rel: str, fmt: str, role: str, request: AddRequest, doc) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": rel, "format": fmt, "role": role}
    as_on = request.as_on or doc.text_as_on
    if as_on:
        entry["text_as_on"] = as_on
    url = request.source_url or doc.source_url
    if url:
        entry["source_url"] = url
    if doc.partial:
        entry["partial"] = True
    entry["comment"] = f"added with seckb add from {Path(request.file).name} on {date.today().isoformat()}"
    return entry


def _new_act_entry(
    act_id: str, state: str, title: str, year: int | None, request: AddRequest, doc, rel: str, fmt: str
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": act_id, "jurisdiction": state, "title": title}
    if year:
        entry["year"] = year
    entry["body"] = request.body or guess_body(title)
    entry["sources"] = [_source_entry(rel, fmt, "primary", request, doc)]
    entry["comment"] = "not in the shipped catalogue; added by the user"
    return entry


def _place_source(
    ref: Reference,
    act: Act,
    entries: list[dict[str, Any]],
    rel: str,
    fmt: str,
    request: AddRequest,
    doc,
    user_dir: Path,
    txn: _Transaction,
    report: AddReport,
) -> str:
    """Record the file for a catalogued (or earlier user-added) Act; return the role it gets.

    The new file is the primary text when the Act has none, when its primary is only an
    excerpt, or with --replace; otherwise it is an alternate rendering (cross-checked only).
    """
    entry = _entry_for(entries, act.id)
    if entry is None:
        entry = {"extend": act.id, "sources": []}
        entries.append(entry)
    sources: list[dict[str, Any]] = entry.setdefault("sources", [])
    primary = act.primary_source
    new_is_full = not doc.partial
    if request.replace:
        role = "primary"
        for old in [s for s in sources if s.get("role") == "primary" and s.get("file") != rel]:
            sources.remove(old)
            txn.to_delete.append(user_dir / old["file"])
            report.replaced.append(USER_PREFIX + old["file"])
    elif primary is None or (primary.partial and new_is_full):
        role = "primary"
    else:
        role = "alternate"
    if role == "primary":
        for other in sources:
            if other.get("role") == "primary":
                other["role"] = "alternate"  # a user's earlier excerpt stays as a cross-check
    sources[:] = [s for s in sources if s.get("file") != rel]
    sources.append(_source_entry(rel, fmt, role, request, doc))
    return role


def _check_target(ref: Reference, target: Path, rel: str, act_id: str, replace: bool) -> None:
    if not target.exists():
        return
    owner = ref.source_for(USER_PREFIX + rel)
    if owner is not None and owner[0].id != act_id:
        raise SeckbError(f"the user corpus already holds {rel} for {owner[0].id}; rename the file", path=target)
    if not replace:
        raise SeckbError(f"{rel} is already in the user corpus; use --replace to update it", path=target)


def _run_build(data_dir: Path, sources_dir: Path, db_url: str | None, corpus_dir: Path):
    from indexer.pipeline import BuildOptions, build_knowledge_base

    return build_knowledge_base(
        BuildOptions(sources_dir=sources_dir, data_dir=data_dir, db_url=db_url, corpus_dir=corpus_dir)
    )


def _fill_report(report: AddReport, data_dir: Path, db_url: str | None) -> None:
    """Counts from the build report and the new knowledge base: what was parsed, what bears on eligibility."""
    from sqlalchemy import select

    from kb.knowledge import KnowledgeBase
    from kb.store import tables as t

    doc = next((d for d in report.build.documents if d.path == report.stored_as), None) if report.build else None
    if doc is not None:
        report.sections, report.warnings = doc.sections, list(doc.warnings)
    kb = KnowledgeBase.open(data_dir, db_url)
    try:
        with kb.session() as session:
            rows = session.execute(
                select(t.Provision.topics, t.Provision.depth, t.Provision.number_key, t.SourceDocument.path)
                .join(t.SourceDocument, t.Provision.document_id == t.SourceDocument.id)
                .where(t.Provision.act_id == report.act_id)
                .order_by(t.Provision.ord)
            ).all()
    finally:
        kb.close()
    mine = [r for r in rows if r.path == report.stored_as]
    if report.role == "alternate":
        from kb.agreement import compare_renderings

        kb = KnowledgeBase.open(data_dir, db_url)
        try:
            mine_first = [a for a in compare_renderings(kb, report.act_id) if a.alternate == report.stored_as]
        finally:
            kb.close()
        report.agreement = mine_first[0] if mine_first else None
    report.provisions = len(mine)
    report.eligibility_provisions = sum(1 for r in mine if set(r.topics or ()) & set(ELIGIBILITY_TOPICS))
    report.numbering_gaps = numbering_gaps([r.number_key for r in mine if r.depth == 0])


def numbering_gaps(numbers: list[str]) -> list[str]:
    """Whole section numbers missing between the first and the last one found ('4', '7-9')."""
    values = sorted({int(m.group(0)) for n in numbers if (m := re.match(r"\d+", n or ""))})
    gaps: list[str] = []
    for low, high in itertools.pairwise(values):
        if high - low == 2:
            gaps.append(str(low + 1))
        elif high - low > 2:
            gaps.append(f"{low + 1}-{high - 1}")
    return gaps


# ----------------------------------------------------------------------------- remove


def remove_document(
    what: str, data_dir: Path, sources_dir: Path, db_url: str | None = None, corpus_dir: Path | None = None
) -> RemoveReport:
    """Take a user-added Act (by id) or one user-added file out of the overlay, then rebuild.

    Only what ``seckb add`` put in is removable: the shipped catalogue is not changed here.
    """
    corpus_dir = corpus_dir or settings.corpus_dir()
    user_dir = settings.user_corpus_dir(data_dir)
    with _user_lock(user_dir):
        entries = _read_overlay(user_dir)
        shipped = load_reference(corpus_dir, sources_dir)
        removed_files, removed_acts = _drop_from_overlay(entries, what, user_dir, shipped)
        txn = _Transaction(user_dir)
        txn.to_delete = [user_dir / f for f in removed_files]
        try:
            txn.write_overlay(entries)
            load_reference(corpus_dir, sources_dir, user_dir=user_dir)
            build = _run_build(data_dir, sources_dir, db_url, corpus_dir)
        except BaseException:
            txn.rollback()
            raise
        txn.commit()
    return RemoveReport([USER_PREFIX + f for f in removed_files], removed_acts, build)


def _drop_from_overlay(
    entries: list[dict[str, Any]], what: str, user_dir: Path, shipped: Reference
) -> tuple[list[str], list[str]]:
    key = normalise_act_key(what)
    for entry in list(entries):
        act_id = entry.get("id") or entry.get("extend") or ""
        if normalise_act_key(act_id) == key:
            entries.remove(entry)
            return [s["file"] for s in entry.get("sources") or []], [act_id]
    rel = _as_user_file(what, user_dir)
    for entry in list(entries):
        sources = entry.get("sources") or []
        hit = next((s for s in sources if s.get("file") == rel or PurePosixPath(s.get("file", "")).name == rel), None)
        if hit is None:
            continue
        sources.remove(hit)
        act_id = entry.get("id") or entry.get("extend")
        if not sources:
            entries.remove(entry)  # a user Act without a text, or an empty extension, is nothing
            return [hit["file"]], [act_id]
        if hit.get("role") == "primary" and _needs_user_primary(entry, shipped):
            sources[0]["role"] = "primary"  # the user's other rendering carries the Act on
        return [hit["file"]], []
    raise SeckbError(
        f"{what!r} is neither an Act nor a file added with `seckb add` "
        f"(see {_overlay_path(user_dir)}); the shipped catalogue is not changed by remove"
    )


def _needs_user_primary(entry: dict[str, Any], shipped: Reference) -> bool:
    """A user Act, or a catalogued one whose shipped sources have no full text, needs a user primary."""
    if "id" in entry:
        return True
    try:
        primary = shipped.act(entry["extend"]).primary_source
    except SeckbError:
        return True
    return primary is None


def _as_user_file(what: str, user_dir: Path) -> str:
    text = what[len(USER_PREFIX) :] if what.startswith(USER_PREFIX) else what
    path = Path(text)
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            return path.resolve().relative_to(user_dir.resolve()).as_posix()
        return path.name
    return PurePosixPath(text).as_posix()


# ----------------------------------------------------------------------------- reports


def _warning_groups(warnings: list[str]) -> dict[str, list[str]]:
    """The warnings a user acts on, by kind: what could not be placed, joined or numbered."""
    from kb.buildwarnings import kind_of

    groups: dict[str, list[str]] = {"pages": [], "footnotes": [], "other": []}
    for text in warnings:
        kind = kind_of(text)
        if kind in ("check", "check-failed"):
            continue  # the self-check has its own lines in the report
        if kind == "not-read":
            groups["other"].append(text)
        elif re.search(r"\bpages?\b", text) and not re.search(r"\bfootnote", text):
            groups["pages"].append(text)
        elif re.search(r"footnote|marker", text):
            groups["footnotes"].append(text)
        else:
            groups["other"].append(text)
    return groups


def add_report_dict(report: AddReport) -> dict[str, Any]:
    return {
        "act_id": report.act_id,
        "title": report.title,
        "new_act": report.new_act,
        "matched_by": report.matched_by,
        "stored_as": report.stored_as,
        "format": report.format,
        "role": report.role,
        "sections": report.sections,
        "provisions": report.provisions,
        "eligibility_provisions": report.eligibility_provisions,
        "numbering_gaps": report.numbering_gaps,
        "self_check": report.check.as_dict() if report.check is not None else None,
        "agreement": _agreement_dict(report.agreement),
        "replaced": report.replaced,
        "warnings": _warning_groups(report.warnings),
        "build_seconds": round(report.build.seconds, 1) if report.build else None,
        "documents_parsed": sum(d.status == "parsed" for d in report.build.documents) if report.build else 0,
    }


def _agreement_dict(agreement: Any) -> dict[str, Any] | None:
    if agreement is None:
        return None
    return {
        "primary": agreement.primary,
        "section_agreement": round(agreement.section_agreement, 4),
        "label_agreement": round(agreement.label_agreement, 4),
        "only_primary": list(agreement.only_primary),
        "only_alternate": list(agreement.only_alternate),
        "label_mismatches": list(agreement.label_mismatches),
    }


def render_add_report(report: AddReport, fmt: str = "text") -> str:
    data = add_report_dict(report)
    if fmt == "json":
        import json

        return json.dumps(data, indent=2, ensure_ascii=False)
    how = "new Act (not in the catalogue)" if report.new_act else f"catalogued Act, matched by {report.matched_by}"
    lines = [
        f"{report.act_id}  {report.title}",
        f"  {how}",
        f"  stored as {report.stored_as} ({report.format}, {report.role} text)",
    ]
    if report.role == "alternate":
        lines.append(
            "  the Act already has a full primary text: this rendering is kept to cross-check "
            "numbering (use --replace to make it the primary)"
        )
    lines.append(
        f"  parsed: {report.sections} sections, {report.provisions} provisions, "
        f"{report.eligibility_provisions} under the eligibility topics (candidate, elector)"
    )
    if report.check is not None:
        verdict = "" if report.check.passed else " — FAILED, stored as a partial text (--accept-partial)"
        lines.append(f"  self-check: {report.check.sentence()}{verdict}")
        lines.append(f"  self-check counts: {report.check.counts()}")
    if report.agreement is not None:
        from kb.agreement import agreement_lines

        lines += ["  " + line for line in agreement_lines(report.agreement, limit=10)]
    if report.replaced:
        lines.append("  replaced: " + ", ".join(report.replaced))
    groups = data["warnings"]
    labels = {"pages": "pages not placed", "footnotes": "footnotes not joined", "other": "other warnings"}
    for key, label in labels.items():
        for text in groups[key][:10]:
            lines.append(f"  warning ({label}): {text}")
        if len(groups[key]) > 10:
            lines.append(f"  … {len(groups[key]) - 10} more {label}")
    if report.numbering_gaps:
        lines.append(
            "  warning (numbering gaps): sections "
            + ", ".join(report.numbering_gaps[:20])
            + (" …" if len(report.numbering_gaps) > 20 else "")
            + " not found"
        )
    if report.build:
        lines.append(
            f"  knowledge base updated in {report.build.seconds:.1f} s "
            f"({data['documents_parsed']} document(s) parsed, the rest unchanged)"
        )
    return "\n".join(lines)


def render_remove_report(report: RemoveReport) -> str:
    lines = [f"removed {f}" for f in report.removed_files]
    lines += [f"{a}: the user's entry is gone from the overlay" for a in report.removed_acts]
    if report.build:
        lines.append(f"knowledge base updated in {report.build.seconds:.1f} s")
    return "\n".join(lines)
