"""The user corpus: Acts a user adds (``seckb add``) or removes (``seckb remove``).

A user's download is copied into ``<data>/user-corpus/<state>/`` and listed in the overlay
``<data>/user-corpus/acts.yaml`` (see :mod:`kb.reference`); the shipped ``corpus/`` and the
shared sources folder are never written. The knowledge base is then brought up to date by the
normal build, which skips every unchanged source by checksum and publishes atomically.

The overlay and the files live inside each generation of the data folder (see
:mod:`kb.store.datadir`) and are changed in the same write transaction as the database, so a
failure, or a ``kill -9`` at any moment, leaves the previous overlay and database current together.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import itertools
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from kb import settings
from kb.errors import ReferenceDataError, SeckbError
from kb.reference import USER_ACTS_FILE, USER_PREFIX, Act, Reference, load_reference, normalise_act_key
from kb.store.writer import WriteTransaction, write_transaction
from kb.yamlio import line_of, load_yaml, plain

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
    build: Any = None  # kb.build.BuildReport
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
    data = load_yaml(path)  # bounded (size, aliases), with a line on every error
    if data is None:
        return []
    if not isinstance(data, list):
        raise ReferenceDataError("the user overlay must be a YAML list of Acts", path=path, line=line_of(data))
    # Plain dicts and lists: the overlay is edited and written back with yaml.safe_dump.
    return plain(data)


def _overlay_text(entries: list[dict[str, Any]]) -> str:
    return _OVERLAY_HEADER + (
        yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=1000) if entries else "[]\n"
    )


def _entry_for(entries: list[dict[str, Any]], act_id: str) -> dict[str, Any] | None:
    return next((e for e in entries if e.get("id") == act_id or e.get("extend") == act_id), None)


class _Staging:
    """Changes to the staged user corpus of an unpublished generation.

    Nothing here needs undoing: the generation is published with the database or discarded.
    Files are replaced, never written into, because the previous generation shares them by hard link.
    """

    def __init__(self, user_dir: Path) -> None:
        self.user_dir = user_dir
        self.overlay = _overlay_path(user_dir)
        self.to_delete: list[Path] = []

    def write_file(self, target: Path, source: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)

    def write_overlay(self, entries: list[dict[str, Any]]) -> None:
        from kb.fileio import write_text_atomic

        write_text_atomic(self.overlay, _overlay_text(entries))

    def apply_deletions(self) -> None:
        for path in self.to_delete:
            path.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- add


def add_document(
    request: AddRequest, data_dir: Path, sources_dir: Path, db_url: str | None = None, corpus_dir: Path | None = None
) -> AddReport:
    """Copy ``request.file`` into the user corpus, list it in the overlay and rebuild incrementally.

    The copy and the overlay are staged inside the new generation, so they are published together
    with the database, or not at all.
    """
    from indexer.readers import detect_format, read_document
    from kb.fileio import require_regular_file

    source = Path(request.file)
    require_regular_file(source)  # a FIFO or device would hang or never end
    fmt = request.format or detect_format(source)
    doc = read_document(source, fmt)  # unreadable: ReaderError before anything is touched
    _check_dates(source, request, doc)
    corpus_dir = corpus_dir or settings.corpus_dir()
    started = time.perf_counter()
    with write_transaction(data_dir, db_url, "add", require_current=False) as txn:
        user_dir = txn.user_dir
        ref = load_reference(corpus_dir, sources_dir, user_dir=user_dir)
        juris = ref.jurisdiction(request.state)
        act, how, title, year = _choose_act(ref, juris.code, request, doc)
        check = _self_check(source, doc, act, corpus_dir, ref, request.accept_partial)
        if not check.passed:
            doc = dataclasses.replace(doc, partial=True)  # accepted as partial: stored and shown so
        entries = _read_overlay(user_dir)
        rel = f"{juris.code.lower()}/{_safe_name(source.name)}"
        target = user_dir / rel
        staging = _Staging(user_dir)
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
        if act is None:
            act_id = new_act_id(ref, juris.code, title, year)
            report.act_id = act_id
            entries.append(_new_act_entry(act_id, juris.code, title, year, request, doc, rel, fmt))
        else:
            report.role = _place_source(ref, act, entries, rel, fmt, request, doc, user_dir, staging, report)
        _check_target(ref, target, rel, report.act_id, request.replace, source)
        staging.write_file(target, source)
        staging.write_overlay(entries)
        staging.apply_deletions()
        load_reference(corpus_dir, sources_dir, user_dir=user_dir)  # the overlay must stay valid
        report.build = _run_build(txn, data_dir, sources_dir, db_url, corpus_dir)
        report.build.seconds = time.perf_counter() - started
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
    matched, how = match_act(ref, state, title, year, number)
    if matched is not None:
        return matched, how, matched.title, matched.year
    if not title:
        raise SeckbError("the document names no title; give --title and --year (or --act ID)")
    if year and year > date.today().year:
        where = "--year" if request.year else "--title" if request.title and title_year else "the document's title"
        raise SeckbError(f"the Act's year {year} is after this year: give the year it was enacted", field=where)
    if year and not title_year:
        title = f"{bare}, {year}"
    return None, "new", title, year


def _check_dates(source: Path, request: AddRequest, doc) -> None:
    """A text cannot be as on a day still to come: a typo there would date every rule taken from it."""
    as_on = request.as_on or doc.text_as_on
    if as_on and as_on > date.today():
        where = "--as-on" if request.as_on else "the document's 'text as on' line"
        raise SeckbError(
            f"the text is said to be as on {as_on}, after today ({date.today()})", path=source, field=where
        )


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
    txn: _Staging,
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


def _check_target(ref: Reference, target: Path, rel: str, act_id: str, replace: bool, source: Path) -> None:
    # The error names the file the user gave: ``target`` is inside a generation that is discarded.
    if not target.exists():
        return
    owner = ref.source_for(USER_PREFIX + rel)
    if owner is not None and owner[0].id != act_id:
        raise SeckbError(f"the user corpus already holds {rel} for {owner[0].id}; rename the file", path=source)
    if not replace:
        raise SeckbError(f"{rel} is already in the user corpus; use --replace to update it", path=source)


def _run_build(txn: WriteTransaction, data_dir: Path, sources_dir: Path, db_url: str | None, corpus_dir: Path):
    from kb.build import BuildOptions, build_into

    return build_into(
        txn, BuildOptions(sources_dir=sources_dir, data_dir=data_dir, db_url=db_url, corpus_dir=corpus_dir)
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

    Only what ``seckb add`` put in is removable: the shipped catalogue is not changed here. The
    overlay change is staged in the new generation, like ``add``'s.
    """
    corpus_dir = corpus_dir or settings.corpus_dir()
    started = time.perf_counter()
    with write_transaction(data_dir, db_url, "remove", require_current=False) as txn:
        user_dir = txn.user_dir
        entries = _read_overlay(user_dir)
        shipped = load_reference(corpus_dir, sources_dir)
        removed_files, removed_acts = _drop_from_overlay(entries, what, user_dir, shipped)
        staging = _Staging(user_dir)
        staging.to_delete = [user_dir / f for f in removed_files]
        staging.write_overlay(entries)
        staging.apply_deletions()
        load_reference(corpus_dir, sources_dir, user_dir=user_dir)
        build = _run_build(txn, data_dir, sources_dir, db_url, corpus_dir)
        build.seconds = time.perf_counter() - started
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
    matches = [(entry, s) for entry in entries for s in entry.get("sources") or [] if s.get("file") == rel]
    if not matches:
        matches = [
            (entry, s)
            for entry in entries
            for s in entry.get("sources") or []
            if PurePosixPath(s.get("file", "")).name == rel
        ]
    if len(matches) > 1:
        listed = ", ".join(USER_PREFIX + s["file"] for _, s in matches)
        raise SeckbError(f"{what!r} names {len(matches)} files in the user corpus ({listed}); give the full path")
    for entry, hit in matches:
        sources = entry["sources"]
        sources.remove(hit)
        if not sources:
            entries.remove(entry)  # a user Act without a text, or an empty extension, is nothing
            act_id = entry.get("id") or entry.get("extend") or ""
            return [hit["file"]], [act_id] if act_id else []
        if hit.get("role") == "primary" and _needs_user_primary(entry, shipped):
            sources[0]["role"] = "primary"  # the user's other rendering carries the Act on
        return [hit["file"]], []
    raise SeckbError(
        f"{what!r} is neither an Act nor a file added with `seckb add` "
        "(`seckb acts` lists them); the shipped catalogue is not changed by remove"
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
        if "user-corpus" in path.parts:  # a path into the current generation's user corpus
            parts = path.parts
            return PurePosixPath(*parts[len(parts) - parts[::-1].index("user-corpus") :]).as_posix()
        return path.name
    return PurePosixPath(text).as_posix()
