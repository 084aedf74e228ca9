"""Build the knowledge base: read → parse → save → tag → rules → index, then publish atomically.

``build_knowledge_base`` is the library entry point behind ``seckb build``; ``add`` / ``remove``
stage their overlay change in the same write transaction (:mod:`kb.store.writer`) and then call
``build_into``. The stages themselves (readers, structure, the Whoosh adapter) are in ``indexer``.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from indexer.readers import read_document, sha256_file
from indexer.search_index import IndexDoc, create_index, index_usable, update_index
from indexer.selfcheck import CheckReport, check_in_catalogue
from indexer.structure import parse_provisions
from kb import settings
from kb.descriptions import descriptions_digest, load_descriptions
from kb.errors import CitationError, ReferenceDataError
from kb.model import ParsedSection, RawDocument
from kb.parallel import ordered
from kb.progress import BUILD_PROGRESS, Progress
from kb.reference import Act, Reference, Source, load_reference
from kb.refs import lawyer_label
from kb.resolve import ActIndex, resolve_citation
from kb.rules import RuleRecord, load_rules
from kb.store import tables as t
from kb.store.convert import save_provisions
from kb.store.datadir import Generation
from kb.store.writer import WriteTransaction, public_url, set_meta, write_transaction
from kb.topics import Ontology, load_ontology, match_all

# Bumped when readers or the parser change what they produce: every source is then re-parsed.
PARSER_VERSION = "31"


def _phase(options: BuildOptions, name: str) -> None:
    callback = options.progress or BUILD_PROGRESS.get()
    if callback is not None:
        callback(f"phase:{name}", 0, 0)


@dataclass
class DocumentReport:
    act_id: str
    jurisdiction: str
    path: str
    format: str
    role: str
    status: str  # parsed | unchanged
    sections: int = 0
    provisions: int = 0
    warnings: list[str] = field(default_factory=list)
    partial: bool = False
    check: dict[str, Any] | None = None  # indexer.selfcheck.CheckReport.as_dict() when parsed


@dataclass
class BuildReport:
    build_id: str
    data_dir: Path
    db_url: str
    documents: list[DocumentReport]
    rules: int
    rules_secondary: int
    index_docs: int
    index_mode: str  # full | incremental | unchanged
    seconds: float

    def by_jurisdiction(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for doc in self.documents:
            row = out.setdefault(
                doc.jurisdiction,
                {"acts": 0, "documents": 0, "sections": 0, "provisions": 0, "warnings": 0, "parsed": 0},
            )
            row["documents"] += 1
            row["warnings"] += len(doc.warnings)
            row["parsed"] += doc.status == "parsed"
            if doc.role == "primary":
                row["acts"] += 1
                row["sections"] += doc.sections
                row["provisions"] += doc.provisions
        return out


@dataclass(frozen=True)
class BuildOptions:
    sources_dir: Path
    data_dir: Path
    db_url: str | None = None
    corpus_dir: Path | None = None
    full: bool = False
    progress: Progress | None = None


def build_knowledge_base(options: BuildOptions) -> BuildReport:
    """Build (or incrementally update) the knowledge base and publish it atomically.

    Everything is written into a new generation folder (SQLite) or one transaction (a server
    database); the previous knowledge base stays current until the new one is complete.
    """
    started = time.perf_counter()
    # Even a --full build starts from the previous database: notes imported into it must
    # survive; --full ignores the checksums and rewrites the index from scratch. Only a damaged
    # database is left behind (``fresh``).
    with write_transaction(options.data_dir, options.db_url, "build", require_current=False, fresh=options.full) as txn:
        report = build_into(txn, options)
        _phase(options, "publish")
        report.seconds = time.perf_counter() - started
    return report


def build_into(txn: WriteTransaction, options: BuildOptions) -> BuildReport:
    """Bring the transaction's generation up to date with the sources and its staged user corpus."""
    corpus_dir = options.corpus_dir or settings.corpus_dir()
    reference = load_reference(corpus_dir, options.sources_dir, check_files=True, user_dir=txn.user_dir)
    ontology = load_ontology(corpus_dir)
    rules = load_rules(corpus_dir / "rules", ontology, {j.code for j in reference.jurisdictions})
    build_id = uuid.uuid4().hex
    session = txn.session
    full = options.full or txn.fresh
    _sync_reference(session, reference, ontology)
    documents, changed_acts = _ingest_sources(session, reference, options, full, ontology, rules)
    removed_acts = _drop_stale_documents(session, reference)
    _phase(options, "tag")
    topics_changed = _topics_changed(session, ontology)
    # Tags, provision bodies and descriptions are in the index: when one changes, every document is
    # rewritten.
    index_inputs = {
        "provision_bodies_digest": _file_digest(corpus_dir / PROVISION_BODIES),
        "descriptions_digest": descriptions_digest(corpus_dir),
    }
    reindex = topics_changed or any(_meta_value(session, key) != value for key, value in index_inputs.items())
    if full or topics_changed:
        _tag_topics(session, ontology, reference.corpus_dir / "topic_overrides.yaml", None)
    elif changed_acts:
        # Same ontology: only the re-parsed Acts need tags (most of an incremental build's time).
        _tag_topics(session, ontology, reference.corpus_dir / "topic_overrides.yaml", changed_acts)
    _phase(options, "rules")
    rule_count, secondary = _save_rules(session, rules, reference)
    session.flush()
    _phase(options, "index")
    index_mode, index_docs = _write_index(
        session, txn.gen, txn.previous, full or reindex, bool(options.db_url), changed_acts | removed_acts, corpus_dir
    )
    built_at = dt.datetime.now().isoformat(timespec="seconds")
    set_meta(
        session,
        {
            "build_id": build_id,
            "parser_version": PARSER_VERSION,
            "topics_digest": _topics_digest(ontology),
            **index_inputs,
            "built_at": built_at,
        },
    )
    txn.inherit_manifest = False
    txn.manifest.update(
        {
            "build_id": build_id,
            "built_at": built_at,
            "db_url": public_url(txn.db_url),
            "sources_dir": str(options.sources_dir),
            "parser_version": PARSER_VERSION,
            "index_docs": index_docs,
        }
    )
    return BuildReport(
        build_id, options.data_dir, txn.db_url, documents, rule_count, secondary, index_docs, index_mode, 0.0
    )


def _sync_reference(session: Session, reference: Reference, ontology: Ontology) -> None:
    for juris in reference.jurisdictions:
        session.merge(t.Jurisdiction(code=juris.code, name=juris.name, type=juris.type, created_on=juris.created_on))
    session.flush()
    for act in reference.acts:
        session.merge(
            t.Act(
                id=act.id,
                jurisdiction_code=act.jurisdiction,
                title=act.title,
                number=act.number,
                year=act.year,
                body=act.body,
                indiacode_url=act.indiacode_url,
                aliases=list(act.aliases),
                user_added=act.user_added,
                commenced_on=act.commenced_on,
            )
        )
    session.execute(delete(t.Topic))
    for topic in ontology.topics.values():
        session.add(t.Topic(id=topic.id, label=topic.label, parent_id=topic.parent, description=topic.description))
    session.flush()


def _ingest_sources(
    session: Session,
    reference: Reference,
    options: BuildOptions,
    full: bool,
    ontology: Ontology | None = None,
    rules: list[RuleRecord] | None = None,
) -> tuple[list[DocumentReport], set[str]]:
    reports: list[DocumentReport] = []
    changed: set[str] = set()
    sources = list(reference.sources())
    sources = [(act, source) for act, source in sources if source.role != "metadata"]
    progress = options.progress or BUILD_PROGRESS.get()
    _phase(options, "read")
    plan = []
    for act, source in sources:
        digest = sha256_file(source.path)
        row = session.scalar(
            select(t.SourceDocument).where(t.SourceDocument.act_id == act.id, t.SourceDocument.path == source.file)
        )
        unchanged = (
            row is not None
            and row.sha256 == digest
            and row.parser_version == PARSER_VERSION
            and not full
            and row.role == source.role
        )
        plan.append((act, source, digest, row, unchanged))
    # closing: a failure while saving stops the workers reading ahead.
    with closing(
        _read_and_parse_all([(source.path, source.format) for _, source, _, _, unchanged in plan if not unchanged])
    ) as reads:
        for done, (act, source, digest, row, unchanged) in enumerate(plan):
            if progress:
                progress(source.file, done, len(sources))
            if unchanged and row is not None:
                reports.append(_report(act, source, "unchanged", row.section_count, row, list(row.warnings or [])))
                continue
            doc, parsed = next(reads)
            warnings = list(doc.warnings) + [w for p in parsed for w in p.warnings]
            check = None
            if ontology is not None:
                # A document that fails its self-check is never shown as full text (see indexer/selfcheck.py).
                check = check_in_catalogue(doc, parsed, act, ontology, rules or [], warnings)
                warnings.append(check.warning())
            if row is None:
                row = t.SourceDocument(act_id=act.id, path=source.file)
                session.add(row)
            row.format = source.format
            row.role = source.role
            row.sha256 = digest
            row.parser_version = PARSER_VERSION
            row.text_as_on = source.text_as_on or doc.text_as_on
            row.source_url = source.source_url or doc.source_url
            row.partial = bool(source.partial or doc.partial or (check is not None and not check.passed))
            row.title = doc.title
            row.section_count = len(doc.sections)
            row.outline = outline_of(parsed)
            row.ingested_at = dt.datetime.now()
            session.flush()
            count = 0
            if source.role == "primary":
                count, save_warnings = save_provisions(session, act.id, row.id, list(zip(doc.sections, parsed)))
                warnings.extend(save_warnings)
                changed.add(act.id)
            row.provision_count = count
            row.warnings = warnings
            reports.append(_report(act, source, "parsed", len(doc.sections), row, warnings, check))
    if progress:
        progress("read", len(sources), len(sources))
    return reports, changed


def _report(
    act: Act,
    source: Source,
    status: str,
    sections: int,
    row: t.SourceDocument,
    warnings: list[str],
    check: CheckReport | None = None,
) -> DocumentReport:
    return DocumentReport(
        act.id,
        act.jurisdiction,
        source.file,
        source.format,
        source.role,
        status,
        sections,
        row.provision_count,
        warnings,
        row.partial,
        check.as_dict() if check is not None else None,
    )


def _read_and_parse(path: Path, fmt: str) -> tuple[RawDocument, list[ParsedSection]]:
    doc = read_document(path, fmt)
    return doc, parse_provisions(doc)


def _read_and_parse_all(
    items: list[tuple[Path, str]],
) -> Generator[tuple[RawDocument, list[ParsedSection]], None, None]:
    """Each source read and parsed, in the order given; with several, two workers read ahead
    (PDF text extraction is most of a full build's reading time), the biggest files first."""
    largest_first = sorted(range(len(items)), key=lambda i: -items[i][0].stat().st_size)
    return ordered(_read_and_parse, items, start_order=largest_first)


def outline_of(parsed) -> dict[str, list[str]]:
    """Section number -> the labels of its sub-sections and clauses, for cross-rendering checks."""
    out: dict[str, list[str]] = {}
    for section in parsed:
        root = section.provision
        out.setdefault(
            root.label,
            sorted({node.path for node in root.walk() if node.kind in ("subsection", "clause", "subclause")}),
        )
    return out


def _drop_stale_documents(session: Session, reference: Reference) -> set[str]:
    """Remove documents (and their provisions) that the catalogue no longer lists."""
    wanted = {(act.id, source.file) for act, source in reference.sources() if source.role != "metadata"}
    removed: set[str] = set()
    for row in session.scalars(select(t.SourceDocument)).all():
        if (row.act_id, row.path) not in wanted:
            session.execute(delete(t.Provision).where(t.Provision.document_id == row.id))
            removed.add(row.act_id)
            session.delete(row)
    stale_acts = set(session.scalars(select(t.Act.id))) - {act.id for act in reference.acts}
    for act_id in stale_acts:
        session.execute(delete(t.Provision).where(t.Provision.act_id == act_id))
        session.execute(delete(t.SourceDocument).where(t.SourceDocument.act_id == act_id))
        session.execute(delete(t.Act).where(t.Act.id == act_id))
        removed.add(act_id)
    session.flush()
    return removed


def _topics_digest(ontology: Ontology) -> str:
    import hashlib

    parts = [
        f"{t.id}:{[p.pattern for p in t.patterns]}:{t.parent}:{t.context.pattern if t.context else ''}"
        for t in ontology.topics.values()
    ]
    parts += [f"{o.citation}:{o.add}:{o.remove}" for o in ontology.overrides]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _meta_value(session: Session, key: str) -> str | None:
    row = session.get(t.Meta, key)
    return None if row is None else row.value


def _file_digest(path: Path) -> str:
    return sha256_file(path) if path.exists() else "none"


def _topics_changed(session: Session, ontology: Ontology) -> bool:
    return _meta_value(session, "topics_digest") != _topics_digest(ontology)


# Below this many provisions, tagging in one process is quicker than starting two.
_PARALLEL_TAGGING = 2000


def _tag_topics(session: Session, ontology: Ontology, overrides_file: Path, acts: set[str] | None) -> None:
    """Tag every provision with the topics its own heading and text match, plus the overrides.

    Overrides act on the matched topics before their ancestors are added, so removing a topic
    also removes the parents it alone implied.
    """
    query = select(t.Provision.id, t.Provision.parent_id, t.Provision.heading, t.Provision.text, t.Provision.ref)
    if acts is not None:
        query = query.where(t.Provision.act_id.in_(sorted(acts)))
    rows = session.execute(query).all()
    # A provision's surroundings: its section heading and its ancestors' words (a clause's lead-in).
    by_id = {row.id: row for row in rows}
    around: dict[int, str] = {}
    for row in rows:
        words: list[str] = []
        parent = row.parent_id
        while parent is not None and parent in by_id:
            above = by_id[parent]
            words.append(f"{above.heading}\n{above.text[:600]}")
            parent = above.parent_id
        around[row.id] = "\n".join(words)
    texts = [(row.heading, row.text, around[row.id]) for row in rows]
    if len(texts) >= _PARALLEL_TAGGING:
        half = len(texts) // 2
        parts = ordered(match_all, [(ontology, texts[:half]), (ontology, texts[half:])])
        matched = [found for part in parts for found in part]
    else:
        matched = match_all(ontology, texts)
    tags: dict[int, set[str]] = {}
    by_ref: dict[str, int] = {}
    for row, found in zip(rows, matched, strict=True):
        tags[row.id] = found
        by_ref[row.ref] = row.id
    for override in ontology.overrides:
        row_id = by_ref.get(override.citation)
        if row_id is None and acts is not None:
            continue  # an override of an Act that was not re-parsed keeps its earlier effect
        if row_id is None:
            try:
                row_id = resolve_citation(session, override.citation).id
            except CitationError as exc:
                raise ReferenceDataError(
                    f"topic override does not resolve: {exc.one_line()}", path=overrides_file
                ) from None
        tags[row_id] = (tags[row_id] | set(override.add)) - set(override.remove)
    if tags:
        session.execute(
            update(t.Provision),
            [{"id": row_id, "topics": sorted(ontology.with_ancestors(value))} for row_id, value in tags.items()],
        )


def _save_rules(session: Session, rules: list[RuleRecord], reference: Reference) -> tuple[int, int]:
    """Replace the rules table; a citation into an Act that is in the corpus must resolve."""
    session.execute(delete(t.Rule))
    acts = ActIndex.from_session(session)
    in_corpus = {act.id for act, _ in reference.sources()}
    rules_dir = reference.corpus_dir / "rules"  # SECKB_CORPUS may name another corpus folder
    secondary = 0
    for rule in rules:
        provision_id = None
        if rule.citation:
            provision_id = _resolve_rule_citation(session, rule, rule.citation, acts, in_corpus, rules_dir)
        for link in rule.inherited_via:
            _resolve_rule_citation(session, rule, link, acts, in_corpus, rules_dir)
        secondary += rule.secondary
        session.add(
            t.Rule(
                jurisdiction_code=rule.jurisdiction,
                rule_key=rule.rule,
                body=rule.body,
                value=rule.value,
                summary=rule.summary,
                citation=rule.citation,
                provision_id=provision_id,
                quote=rule.quote,
                in_force_from=rule.in_force_from,
                repealed_on=rule.repealed_on,
                secondary=rule.secondary,
                source_title=rule.source_title,
                source_url=rule.source_url,
                inherited_via=list(rule.inherited_via),
                note=rule.note,
                data_file=f"{rule.file}:{rule.line}",
                stage=rule.stage,
                stage_date=rule.stage_date,
                judgment=rule.judgment,
                earlier=rule.earlier,
                source_grade=rule.source_grade,
                evidence_on=rule.in_force_by
                or (rule.source_date if rule.secondary else _text_as_on(session, provision_id)),
            )
        )
    session.flush()
    return len(rules), secondary


def _text_as_on(session: Session, provision_id: int | None) -> dt.date | None:
    """The text-as-on date of the document a verified rule was read in: the date of its evidence."""
    if provision_id is None:
        return None
    return session.scalar(
        select(t.SourceDocument.text_as_on)
        .join(t.Provision, t.Provision.document_id == t.SourceDocument.id)
        .where(t.Provision.id == provision_id)
    )


def _resolve_rule_citation(
    session: Session, rule: RuleRecord, citation: str, acts: ActIndex, in_corpus: set[str], rules_dir: Path
) -> int | None:
    path, line = rules_dir / rule.file, rule.line
    act_id = acts.find(citation.rsplit(" ", 1)[0]) if " " in citation else None
    if act_id is not None and act_id not in in_corpus:
        if not rule.secondary:
            raise ReferenceDataError(
                f"{citation} cites an Act that is not in the corpus: mark the rule secondary and name its source",
                field="citation",
                path=path,
                line=line,
            )
        return None
    try:
        return resolve_citation(session, citation, acts=acts).id
    except CitationError as exc:
        if rule.secondary and act_id is None:
            return None
        raise ReferenceDataError(
            f"citation does not resolve: {exc.one_line()}", field="citation", path=path, line=line
        ) from None


# --- index -----------------------------------------------------------------------------------


def _write_index(
    session: Session,
    gen: Generation,
    previous: Generation | None,
    full: bool,
    server_db: bool,
    changed_acts: set[str],
    corpus: Path | None = None,
) -> tuple[str, int]:
    copied = previous is not None and not full and index_usable(gen.index_dir)
    if copied and not changed_acts and not server_db:
        return "unchanged", 0
    if copied:
        count = update_index(
            gen.index_dir,
            sorted(changed_acts),
            ["note"],
            [*provision_docs(session, sorted(changed_acts), corpus), *note_docs(session)],
        )
        return "incremental", count
    return "full", rebuild_index(session, gen.index_dir, corpus)


PROVISION_BODIES = "provision_bodies.yaml"


def load_provision_bodies(session: Session, corpus: Path | None = None) -> dict[str, str]:
    """Top-level provision ref -> the kind of local body it concerns, where that is not its Act's
    (corpus/provision_bodies.yaml: the Constitution's Parts IX and IXA). A listed provision of an Act
    the knowledge base holds but whose text lacks it is refused with its line, so a typo cannot
    silently do nothing."""
    from kb.reference import BODIES
    from kb.yamlio import Entry, line_of, load_yaml

    path = (corpus or settings.corpus_dir()) / PROVISION_BODIES
    if not path.exists():
        return {}
    data = load_yaml(path) or []
    if not isinstance(data, list):
        raise ReferenceDataError("expected a YAML list of {act, body, provisions}", path=path, line=line_of(data))
    out: dict[str, str] = {}
    for item in data:
        entry = Entry(path, item, "entry", ("act", "body", "provisions", "comment"), line_of(item) or 0)
        act_id = entry.text("act")
        body = entry.choice("body", BODIES)
        if session.get(t.Act, act_id) is None:
            continue  # a knowledge base built from another catalogue (a test's, a user's) lacks it
        refs = [(f"{act_id} {label}", line) for label, line in entry.texts("provisions")]
        known = set(session.scalars(select(t.Provision.ref).where(t.Provision.ref.in_([r for r, _ in refs]))))
        held = bool(session.scalar(select(t.Provision.id).where(t.Provision.act_id == act_id).limit(1)))
        for ref, line in refs:
            if held and ref not in known:
                raise entry.error("provisions", f"{ref} is not a provision of the knowledge base", line)
            out[ref] = body
    return out


def provision_docs(session: Session, act_ids: list[str] | None, corpus: Path | None = None) -> Iterator[IndexDoc]:
    """Index documents for provisions (all, or of the given Acts), with their context.

    ``context`` carries the section heading and the lead-in words of every ancestor, so a clause
    "(j-1) has more than two children" is found by "disqualified member panchayat".
    """
    acts = {a.id: a for a in session.scalars(select(t.Act))}
    # A provision's body: its Act's, or (provision_bodies.yaml) its top-level provision's.
    part_bodies = load_provision_bodies(session, corpus)
    described = load_descriptions(session, corpus)
    body_of: dict[int, str] = {}
    query = select(
        t.Provision.id,
        t.Provision.parent_id,
        t.Provision.act_id,
        t.Provision.ref,
        t.Provision.kind,
        t.Provision.label,
        t.Provision.path,
        t.Provision.heading,
        t.Provision.text,
        t.Provision.tail,
        t.Provision.topics,
        t.Provision.ord,
        t.Provision.depth,
    ).order_by(t.Provision.act_id, t.Provision.ord)
    if act_ids is not None:
        if not act_ids:
            return
        query = query.where(t.Provision.act_id.in_(act_ids))
    rows = list(session.execute(query))
    # The first words of each provision's sub-provisions: a clause "certifying that,—" is found by
    # the "toilet" of its items.
    below: dict[int, list[str]] = {}
    children: dict[int, list[Any]] = {}
    for row in rows:
        if row.parent_id:
            below.setdefault(row.parent_id, []).append(row.text[:200])
            children.setdefault(row.parent_id, []).append(row)
    lead: dict[int, str] = {}
    heading: dict[int, str] = {}
    for row in rows:
        act = acts[row.act_id]
        parent_context = lead.get(row.parent_id, "") if row.parent_id else ""
        section_heading = row.heading if row.depth == 0 else heading.get(row.parent_id, "")
        heading[row.id] = section_heading
        lead[row.id] = f"{parent_context} {row.text[:300]}".strip()[-600:]
        body = body_of.get(row.parent_id, act.body) if row.parent_id else part_bodies.get(row.ref, act.body)
        body_of[row.id] = body
        yield IndexDoc(
            ref=row.ref,
            doc_type="provision",
            jurisdiction=act.jurisdiction_code,
            act=row.act_id,
            body=body,
            kind=row.kind,
            path=row.path,
            heading=section_heading,
            text=" ".join(p for p in (row.text, row.tail) if p),
            context=f"{act.title} {parent_context}",
            topics=tuple(row.topics or ()),
            ord=row.ord,
            below=" ".join(below.get(row.id, ()))[:600],
            quoted=quoted_text(row, children),
            described=" ".join(described.get(row.ref, ())),
        )


QUOTED_CHARS = 720  # three snippets' worth: the snippet is the window holding most words searched
# A provision's words that lead into a list of its sub-provisions ("No person shall be a member ...
# who—", "the question shall be referred—"): shown alone, they break off mid-sentence.
_LEAD_IN_END = ("—", "–", "-", ":")


def quoted_text(row: Any, children: dict[int, list[Any]], size: int = QUOTED_CHARS) -> str:
    """What a hit for this provision quotes when its own words do not stand alone: none of its own
    (a section whose words are all in its sub-sections), or a lead-in into a list of clauses. Its
    words, then its sub-provisions' words each after its label ("(1) An election to fill ... (2)
    ..."), then its closing words, in the Act's order, the sub-provisions up to about ``size``
    characters; empty when its own words are the snippet."""
    kids = children.get(row.id, ())
    own = row.text.strip()
    if not kids or (own and (not own.endswith(_LEAD_IN_END) or kids[0].kind in ("proviso", "explanation"))):
        return ""
    pieces: list[str] = [own] if own else []
    length = 0

    def walk(parent_id: int) -> None:
        nonlocal length
        for child in children.get(parent_id, ()):
            if length >= size:
                return
            piece = " ".join(f"{lawyer_label(child.kind, child.label) if child.label else ''} {child.text}".split())
            if piece:
                pieces.append(piece)
                length += len(piece) + 1
            walk(child.id)
            if child.tail.strip() and length < size:
                pieces.append(" ".join(child.tail.split()))
                length += len(pieces[-1]) + 1

    walk(row.id)
    if row.tail.strip():
        pieces.append(row.tail)
    return " ".join(" ".join(pieces).split())


def note_text(body: str) -> str:
    """A note's Markdown as the words a reader sees: no "##", "**" or table pipes in a snippet.

    Its [[citations]] are kept as typed (a snippet shows their words; search finds their refs).
    """
    import markdown
    from bs4 import BeautifulSoup

    html = markdown.markdown(body, extensions=["tables", "sane_lists"], output_format="html")
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def note_docs(session: Session) -> Iterator[IndexDoc]:
    for note in session.scalars(select(t.Note)):
        jurisdictions = note.jurisdictions or ["IN"]
        yield IndexDoc(
            ref=f"note:{note.id}",
            doc_type="note",
            jurisdiction=",".join(jurisdictions),
            act="",
            body="note",
            kind="note",
            path=note.id,
            heading=note.title,
            text=note_text(note.body),
            context=" ".join([note.agenda_item, note.organisation, *jurisdictions]),
            topics=tuple(note.topics or ()),
            ord=0,
        )


def rebuild_index(session: Session, index_dir: Path, corpus: Path | None = None) -> int:
    import shutil

    shutil.rmtree(index_dir, ignore_errors=True)
    return create_index(index_dir, [*provision_docs(session, None, corpus), *note_docs(session)])


@dataclass
class Change:
    """What a change to the knowledge base touched, so the index is updated just there."""

    changed_acts: set[str] = field(default_factory=set)
    notes_changed: bool = False


def change_knowledge_base(data_dir: Path, db_url: str | None, what: str, change: Callable[[Session], Change]) -> Change:
    """Apply ``change`` to a copy of the current knowledge base and publish it atomically.

    Used by `notes import`: the same write transaction and index update as a build, so a failed
    or killed change leaves the previous knowledge base current.
    """
    with write_transaction(data_dir, db_url, what) as txn:
        result = change(txn.session)
        txn.session.flush()
        update_changed_index(txn, result)
        txn.manifest.update({"changed_by": what, "changed_at": dt.datetime.now().isoformat(timespec="seconds")})
    return result


def update_changed_index(txn: WriteTransaction, result: Change) -> None:
    """Re-index just what a change touched (or everything, if the copied index is unusable)."""
    session = txn.session
    if not index_usable(txn.gen.index_dir):
        rebuild_index(session, txn.gen.index_dir)
    elif result.changed_acts or result.notes_changed:
        update_index(
            txn.gen.index_dir,
            sorted(result.changed_acts),
            ["note"] if result.notes_changed else [],
            [
                *provision_docs(session, sorted(result.changed_acts)),
                *(note_docs(session) if result.notes_changed else []),
            ],
        )
