"""seckb command line: thin wrappers that parse options, call the library and print.

Heavy modules (Whoosh, SQLAlchemy models, pypdfium2) are imported inside the commands, so
``seckb --help`` and a search start quickly.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kb.vocab import COMPARE_BODIES, Body, choices

_EXAMPLES = """\b
Examples:
  seckb build                                   # first: build the knowledge base from ../shared/corpus
  seckb search "more than two children" --state Maharashtra
  seckb show "MH VPA 1959 s.14(1)(j-1)"
  seckb compare --topic candidate-disqualification --states MH,MN,DL --body panchayat
  seckb compare --rule two_child_norm --format md --output two-child-norm.md
  seckb brief --agenda corpus/agenda.yaml --out-dir brief/
"""


class _Group(click.Group):
    """Turns every seckb error into a one-line message and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from kb.errors import SeckbError

        try:
            return super().invoke(ctx)
        except SeckbError as exc:
            raise click.ClickException(terminal_safe(exc.one_line())) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted; the previous knowledge base is unchanged") from None
        except MemoryError:
            raise click.ClickException("ran out of memory; the input is too large (nothing was changed)") from None
        except OSError as exc:  # a file we were not told about by name: still one line
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or type(exc).__name__}") from None
        except Exception as exc:
            damaged = _damaged_database(exc)
            if damaged is None:
                raise
            raise click.ClickException(damaged) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order they are defined: build first

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        from kb import settings

        data = settings.data_dir()
        if not (data / "current").exists():
            formatter.write_paragraph()
            formatter.write_text(f"There is no knowledge base in {data} yet: run `seckb build` first.")


def _damaged_database(exc: BaseException) -> str | None:
    """One line for SQLite's "malformed"/"not a database" errors met while reading; None for others."""
    if type(exc).__name__ not in ("DatabaseError", "OperationalError"):
        return None
    text = str(getattr(exc, "orig", exc))
    if not any(word in text for word in ("malformed", "not a database", "file is encrypted")):
        return None
    return f"the knowledge base is damaged ({text}); `seckb build --full` rebuilds it from the sources"


def output_options(view: str, default: str = "text") -> Callable:
    """--format (choices from the view's renderers in kb/render/registry.py) and --output."""
    from kb.render.registry import choices as view_choices

    def decorator(func: Callable) -> Callable:
        @click.option(
            "--format",
            "fmt",
            type=click.Choice(view_choices(view)),
            default=default,
            show_default=True,
            help="Output format.",
        )
        @click.option(
            "--output",
            "output",
            type=click.Path(path_type=Path, allow_dash=True),
            default=None,
            help="Write to this file (or - for standard output; a device or FIFO is written as a stream).",
        )
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        return wrapper

    return decorator


def kb_options(func: Callable) -> Callable:
    """--data and --db: where the knowledge base lives."""

    @click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Data folder (default ./seckb-data, or $SECKB_DATA).",
    )
    @click.option(
        "--db",
        "db_url",
        default=None,
        metavar="URL",
        help="Database URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in the data folder, or $SECKB_DB).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def emit(view: str, data: Any, fmt: str, output: Path | None, **options: Any) -> None:
    """Render ``data`` as ``view`` in ``fmt`` (kb/render/registry.py) to standard output or a file.

    A file is written atomically; a device, FIFO or ``-`` is written as a stream (kb/fileio.py).
    """
    from kb.fileio import is_stdout, write_bytes_atomic, write_text_atomic
    from kb.render.registry import is_binary, render_view

    if is_binary(fmt) and (output is None or is_stdout(output)):
        raise click.UsageError(f"--format {fmt} needs --output FILE")
    rendered = render_view(view, data, fmt, **options)
    if isinstance(rendered, bytes):
        assert output is not None
        write_bytes_atomic(output, rendered)
    elif output is None or is_stdout(output):  # `--output -` may be a terminal too
        echo(rendered)
        return
    else:
        write_text_atomic(output, rendered if rendered.endswith("\n") else rendered + "\n")
    echo(f"wrote {output}", err=True)


def terminal_safe(text: str) -> str:
    """Text without terminal control codes (an OSC 52 in a statute would write the clipboard)."""
    from kb.render.cells import clean_text

    return clean_text(text)


def echo(text: str, err: bool = False) -> None:
    """Every line seckb prints to a terminal goes through here."""
    click.echo(terminal_safe(text), err=err)


def _progress(quiet: bool) -> Any:
    from kb.render.progress import BuildProgress as Bar

    return Bar(quiet)


def _states(values: tuple[str, ...] | str | None, option: str = "--state") -> list[str]:
    from kb.names import resolve_states

    return resolve_states(_split(values), option)


def _split(values: tuple[str, ...] | str | None) -> list[str]:
    if not values:
        return []
    items = values if isinstance(values, tuple) else (values,)
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def _open_kb(data_dir: Path | None, db_url: str | None):
    from kb.knowledge import KnowledgeBase

    return KnowledgeBase.open(data_dir, db_url)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=_EXAMPLES)
@click.version_option(package_name="seckb")
def cli() -> None:
    """seckb: compare the electoral laws of India's States and Union territories.

    Build the knowledge base from the statute documents (`seckb build`, once), then search,
    cite and compare. States/UTs are given by code or name (MH or Maharashtra).
    """


@cli.command()
@kb_options
@click.option(
    "--sources",
    "sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of source documents (default ../shared/corpus, or $SECKB_SOURCES).",
)
@click.option("--full", is_flag=True, help="Re-read every source, even those whose checksum is unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@output_options("build")
def build(
    data_dir: Path | None,
    db_url: str | None,
    sources: Path | None,
    full: bool,
    quiet: bool,
    fmt: str,
    output: Path | None,
) -> None:
    """Build the knowledge base from the source documents.

    Reads every file the catalogue (corpus/acts.yaml) names, parses it into provisions, stores
    them, tags topics, loads the rules and builds the search index. Unchanged sources are not
    re-parsed. The previous knowledge base stays usable until the new one is complete.

    Example: seckb build --sources ../shared/corpus
    """
    from kb import settings
    from kb.build import BuildOptions, build_knowledge_base

    options = BuildOptions(
        sources_dir=settings.sources_dir(sources),
        data_dir=settings.data_dir(data_dir),
        db_url=settings.db_url(db_url),
        full=full,
    )
    with _progress(quiet):
        report = build_knowledge_base(options)
    emit("build", report, fmt, output)


@cli.command()
@kb_options
@click.argument("query")
@click.option("--state", "states", multiple=True, help="State/UT code(s) or name(s), e.g. MH, MH,MN or Maharashtra.")
@click.option("--act", "acts", multiple=True, help="Act id(s) or title(s), e.g. MH-VPA-1959.")
@click.option("--body", "bodies", multiple=True, type=click.Choice([*choices(Body), "note"]))
@click.option("--topic", "topics", multiple=True, help="Topic id(s) from `seckb topics`.")
@click.option(
    "--kind", "kind", type=click.Choice(["provision", "note"]), default=None, help="Only provisions, or only notes."
)
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True)
@output_options("search")
def search(data_dir, db_url, query, states, acts, bodies, topics, kind, limit, fmt, output) -> None:
    """Search provisions and notes.

    Words, "exact phrases", AND/OR/NOT, field filters (heading:, topics:) and citations such as
    s.14(1)(j-1), Art. 243F or RPA 1950 s 19 (the cited provision comes first).

    Example: seckb search "more than two children" --state MH
    """
    from kb.names import held_act, resolve_acts, resolve_topics
    from kb.query import SearchRequest
    from kb.query import search as run_search

    with _open_kb(data_dir, db_url) as kb:
        request = SearchRequest(
            text=query,
            states=_states(states),
            acts=resolve_acts(_split(acts), held=held_act(kb)),
            bodies=_split(bodies),
            topics=resolve_topics(_split(topics)),
            doc_types=[kind] if kind else [],
            limit=limit,
        )
        results = run_search(kb, request)
    if fmt == "text" and output is None and _terminal():
        # Matched words in colour on a terminal; the same lines plain when piped or written to a file.
        from rich.console import Console

        from kb.render.search_view import search_text

        console = Console(highlight=False)
        console.print(search_text(results, console.width), soft_wrap=True)
        return
    emit("search", results, fmt, output)


@cli.command()
@kb_options
@click.argument("citation")
@click.option("--no-pager", is_flag=True, help="Print straight to the terminal even when the text is long.")
@output_options("provision")
def show(data_dir, db_url, citation, no_pager, fmt, output) -> None:
    """Show one provision with its parents, sub-provisions, amendments, provenance and notes.

    Example: seckb show "MH VPA 1959 s.14(1)(j-1)"
    """
    from kb.show import show_provision

    with _open_kb(data_dir, db_url) as kb:
        view = show_provision(kb, citation)
    if fmt == "text" and output is None and not no_pager and _terminal():
        from kb.render.registry import render_view

        text = render_view("provision", view, fmt)
        if isinstance(text, str) and text.count("\n") >= _height():
            click.echo_via_pager(terminal_safe(text))  # $PAGER, else less
            return
    emit("provision", view, fmt, output)


def _terminal() -> bool:
    return sys.stdout.isatty()


def _height() -> int:
    import shutil

    return shutil.get_terminal_size((100, 40)).lines


@cli.command()
@kb_options
@click.option("--state", "states", multiple=True, help="Only these States/UTs (codes or names).")
@click.option("--with-text", is_flag=True, help="Only Acts whose text is in the knowledge base.")
@output_options("acts")
def acts(data_dir, db_url, states, with_text, fmt, output) -> None:
    """List the catalogue of Acts, with what the knowledge base holds of each.

    Example: seckb acts --state MH
    """
    from kb.catalogue import list_acts

    codes = _states(states)
    with _open_kb(data_dir, db_url) as kb:
        rows = list_acts(kb, states=codes, with_text=with_text)
    emit("acts", rows, fmt, output)


@cli.command()
@kb_options
@output_options("stats")
def stats(data_dir, db_url, fmt, output) -> None:
    """Counts: jurisdictions, Acts, documents, provisions, rules, notes, index size.

    Example: seckb stats
    """
    from kb.catalogue import knowledge_stats

    with _open_kb(data_dir, db_url) as kb:
        data = knowledge_stats(kb)
    emit("stats", data, fmt, output)


@cli.command()
@kb_options
@output_options("topics")
def topics(data_dir, db_url, fmt, output) -> None:
    """List the eligibility topics with how many provisions each State/UT has under them.

    Example: seckb topics
    """
    from kb.catalogue import topic_counts

    with _open_kb(data_dir, db_url) as kb:
        rows = topic_counts(kb)
    emit("topics", rows, fmt, output)


@cli.command()
@kb_options
@click.option("--topic", "topics_", multiple=True, help="Topic id(s), e.g. candidate-disqualification.")
@click.option("--rule", "rules", multiple=True, help="Rule key(s), e.g. two_child_norm.")
@click.option(
    "--states", "states", multiple=True, help="State/UT codes or names, e.g. MH,MN,DL (default: all with data)."
)
@click.option("--body", type=click.Choice([body.value for body in COMPARE_BODIES]), default=None)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Answer as the law stood on this date (YYYY-MM-DD; default today).",
)
@click.option("--diff", is_flag=True, help="Only rows where the states differ.")
@click.option(
    "--baseline",
    type=click.Choice(["IN"]),
    default=None,
    help="Set each state against the central rules for the Legislative Assembly.",
)
@click.option(
    "--csv-safe/--no-csv-safe",
    "csv_safe",
    default=True,
    show_default=True,
    help="In CSV, prefix fields starting with = + - @ with ' so a spreadsheet shows them as text.",
)
@output_options("table")
def compare(data_dir, db_url, topics_, rules, states, body, as_of, diff, baseline, csv_safe, fmt, output) -> None:
    """Compare eligibility rules across States/UTs; every cell cites its provision.

    Example: seckb compare --topic candidate-disqualification --states MH,MN,DL --body panchayat
    """
    from kb.compare import CompareRequest, compare_states
    from kb.names import resolve_rules, resolve_topics

    request = CompareRequest(
        topics=resolve_topics(_split(topics_)),
        rules=resolve_rules(_split(rules)),
        states=_states(states, "--states"),
        body=body,
        as_of=as_of.date() if as_of else None,
        diff=diff,
        baseline=baseline,
    )
    with _open_kb(data_dir, db_url) as kb:
        table = compare_states(kb, request)
    emit("table", table, fmt, output, **({"csv_safe": csv_safe} if fmt == "csv" else {}))


# --- rules found in the text, and their review (kb/finder.py, kb/review.py) --------------------


@cli.group()
def rules() -> None:
    """Rules the finder proposes from the Acts' text, and the review that accepts, edits or rejects them."""


def _review_options(func: Callable) -> Callable:
    """--state, --rule, --body and --reviewer: the cell a decision is about, and who made it."""

    @click.option("--state", required=True, help="Jurisdiction code, e.g. MN.")
    @click.option("--rule", "rule", required=True, help="Rule key, e.g. candidate_min_age.")
    @click.option(
        "--body",
        type=click.Choice(["panchayat", "municipal", "sec", "cantonment", "all"]),
        default=None,
        help="The body the rule is for (default: the body of the Act the candidate is in).",
    )
    @click.option("--reviewer", default=None, help="Who reviewed (default: $USER).")
    @click.option("--note", default="", help="A note kept with the decision.")
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def _decide(data_dir, db_url, state, rule, body, reviewer, note, citation, decision, fmt, output) -> None:
    import datetime as dt

    from kb import review, settings

    data = settings.data_dir(data_dir)
    with _open_kb(data_dir, db_url) as kb, kb.session() as session:
        pairs = review.candidates_for(session, state.upper(), rule, data)
    candidates = [c for c, _ in pairs if body in (None, c.body)]
    chosen = review.pick_candidate(candidates, citation)
    made = review.Decision(
        jurisdiction=chosen.jurisdiction,
        rule=chosen.key,
        body=body or chosen.body,
        decision=decision,
        reviewed_by=review.reviewer_name(reviewer),
        reviewed_on=dt.date.today(),
        value=chosen.value or "yes",
        citation=chosen.citation,
        quote=chosen.quote,
        note=note,
        found_by=chosen.found_by,
    )
    review.record(data, made)
    emit("decision", made, fmt, output)


@rules.command("review")
@kb_options
@click.option("--state", required=True, help="Jurisdiction code, e.g. MN.")
@click.option("--rule", "rule", default=None, help="Only this rule key, e.g. candidate_min_age.")
@output_options("candidates")
def rules_review(data_dir, db_url, state, rule, fmt, output) -> None:
    """List the finder's candidates for a State with their text, value, pattern and any decision.

    Example: seckb rules review --state MN --rule candidate_min_age
    """
    from kb import review, settings

    with _open_kb(data_dir, db_url) as kb, kb.session() as session:
        pairs = review.candidates_for(session, _states(state)[0], rule, settings.data_dir(data_dir))
    emit("candidates", pairs, fmt, output)


@rules.command("accept")
@kb_options
@_review_options
@click.option("--citation", default=None, help="Which candidate, when the finder proposes several.")
@output_options("decision")
def rules_accept(data_dir, db_url, state, rule, body, reviewer, note, citation, fmt, output) -> None:
    """Accept the finder's candidate as the rule: it shows as reviewed, with reviewer and date.

    Example: seckb rules accept --state MN --rule candidate_min_age --reviewer "A. Singh"
    """
    from kb.review import ACCEPTED

    _decide(data_dir, db_url, state, rule, body, reviewer, note, citation, ACCEPTED, fmt, output)


@rules.command("reject")
@kb_options
@_review_options
@click.option("--citation", default=None, help="Which candidate, when the finder proposes several.")
@output_options("decision")
def rules_reject(data_dir, db_url, state, rule, body, reviewer, note, citation, fmt, output) -> None:
    """Reject a candidate: the provision does not state the rule, and it is no longer proposed.

    Example: seckb rules reject --state MN --rule elector_min_age --citation "MN-PRA-1994 s.13(3)"
    """
    from kb.review import REJECTED

    _decide(data_dir, db_url, state, rule, body, reviewer, note, citation, REJECTED, fmt, output)


@rules.command("edit")
@kb_options
@_review_options
@click.option("--citation", required=True, help="The provision the rule rests on (a candidate's or another).")
@click.option("--value", required=True, help="The rule's value, e.g. 21 or yes.")
@click.option("--quote", default=None, help="Words of the provision (verbatim; default: its own text).")
@output_options("decision")
def rules_edit(data_dir, db_url, state, rule, body, reviewer, note, citation, value, quote, fmt, output) -> None:
    """Record the rule as the reviewer reads it: value, citation and a verbatim quote.

    Example: seckb rules edit --state MN --rule reserved_seats --body panchayat --citation "MN-PRA-1994 s.19(1)" --value "SC, ST; one-third women"
    """
    import datetime as dt

    from kb import review, settings
    from kb.topics import load_ontology

    ontology = load_ontology(settings.corpus_dir())
    key = ontology.rule(rule).key
    with _open_kb(data_dir, db_url) as kb, kb.session() as session:
        act_body = _act_body(session, citation)
        made = review.edited_decision(
            session,
            state.upper(),
            key,
            body or ("sec" if ontology.rules[key].role == "authority" else act_body),
            citation,
            value,
            quote,
            review.reviewer_name(reviewer),
            dt.date.today(),
            note,
        )
    review.record(settings.data_dir(data_dir), made, ontology)
    emit("decision", made, fmt, output)


def _act_body(session, citation: str) -> str:
    from kb.errors import SeckbError
    from kb.refs import ProvisionRef, RefError
    from kb.store import tables as t

    try:
        act_id = ProvisionRef.parse(citation).act
    except RefError as exc:
        raise SeckbError(str(exc), field="--citation") from None
    act = session.get(t.Act, act_id) if act_id else None
    if act is None:
        raise SeckbError(f"{citation!r} does not name an Act of the knowledge base", field="--citation")
    return act.body


@rules.command("none-found")
@kb_options
@_review_options
@output_options("decision")
def rules_none_found(data_dir, db_url, state, rule, body, reviewer, note, fmt, output) -> None:
    """Record that the State's Act states no such rule; its open candidates are rejected.

    Example: seckb rules none-found --state MN --rule two_child_norm --body panchayat
    """
    import datetime as dt

    from kb import review, settings

    data = settings.data_dir(data_dir)
    name = review.reviewer_name(reviewer)
    with _open_kb(data_dir, db_url) as kb, kb.session() as session:
        pairs = review.candidates_for(session, state.upper(), rule, data)
        bodies = {c.body for c, _ in pairs} or review.held_bodies(session, state.upper())
    key = rule
    if body is None and len(bodies) != 1:
        raise click.UsageError(f"name the body with --body (the Acts held are for: {', '.join(sorted(bodies))})")
    cell_body = body or bodies.pop()
    today = dt.date.today()
    for candidate, said in pairs:
        if candidate.body == cell_body and said != review.REJECTED:
            review.record(
                data,
                review.Decision(
                    state.upper(),
                    key,
                    cell_body,
                    review.REJECTED,
                    name,
                    today,
                    value=candidate.value,
                    citation=candidate.citation,
                    quote=candidate.quote,
                    found_by=candidate.found_by,
                ),
            )
    made = review.Decision(state.upper(), key, cell_body, review.NONE_FOUND, name, today, note=note)
    review.record(data, made)
    emit("decision", made, fmt, output)


@rules.command("export")
@kb_options
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@output_options("rules-transfer")
def rules_export(data_dir, db_url, file, fmt, output) -> None:
    """Write the reviewed rules of this data folder to one YAML file, to send to another SEC.

    Example: seckb rules export mn-reviewed.yaml
    """
    from kb import review, settings

    count = review.export_overlay(settings.data_dir(data_dir), file)
    emit("rules-transfer", {"direction": "export", "file": file, "count": count}, fmt, output)


@rules.command("import")
@kb_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_options("rules-transfer")
def rules_import(data_dir, db_url, file, fmt, output) -> None:
    """Merge reviewed rules exported elsewhere into this data folder's overlay (checked first).

    Example: seckb rules import mn-reviewed.yaml
    """
    from kb import review, settings

    with _open_kb(data_dir, db_url) as kb, kb.session() as session:
        added, unchanged = review.import_overlay(session, settings.data_dir(data_dir), file)
    emit("rules-transfer", {"direction": "import", "file": file, "count": added, "unchanged": unchanged}, fmt, output)


# --- notes and the briefing pack ---------------------------------------------------------------


@cli.group()
def notes() -> None:
    """Experts' discussion notes (Markdown with front matter) linked to provisions."""


@notes.command("import")
@kb_options
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--prune", is_flag=True, help="Remove notes whose files are gone from FOLDER (default: keep and report).")
@output_options("notes-import")
def notes_import(data_dir, db_url, folder, prune, fmt, output) -> None:
    """Import (or re-import) every *.md note in FOLDER; unchanged files are skipped.

    Each bad file is reported with its line; the others are still imported, and the command
    exits non-zero at the end.

    Example: seckb notes import corpus/notes
    """
    from kb import settings
    from kb.notes import import_notes

    with _progress(quiet=False):
        report = import_notes(settings.data_dir(data_dir), settings.db_url(db_url), folder, prune=prune)
    emit("notes-import", report, fmt, output)
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)
    for error in report.errors:
        echo(f"error: {error.one_line()}", err=True)
    if report.errors:
        sys.exit(1)


@notes.command("list")
@kb_options
@click.option("--state", default=None, help="Only notes about this jurisdiction, e.g. MH.")
@click.option("--topic", default=None, help="Only notes on this topic (or a sub-topic).")
@click.option("--agenda-item", "agenda_item", default=None, help="Only notes filed under this agenda item id.")
@output_options("notes")
def notes_list(data_dir, db_url, state, topic, agenda_item, fmt, output) -> None:
    """List imported notes, newest first.

    Example: seckb notes list --state MH --topic candidate-disqualification
    """
    from kb.names import resolve_topics
    from kb.notes import list_notes

    code = _states(state)[0] if state else None
    resolve_topics([topic] if topic else [])
    with _open_kb(data_dir, db_url) as kb:
        rows = list_notes(kb, state=code, topic=topic, agenda_item=agenda_item)
    emit("notes", rows, fmt, output)


@notes.command("show")
@kb_options
@click.argument("note_id")
@output_options("note")
def notes_show(data_dir, db_url, note_id, fmt, output) -> None:
    """Show one note with its metadata, the provisions it cites and its text.

    Example: seckb notes show mh-two-child-norm
    """
    from kb.notes import get_note

    with _open_kb(data_dir, db_url) as kb:
        note = get_note(kb, note_id)
    emit("note", note, fmt, output)


@cli.command()
@kb_options
@click.option(
    "--agenda",
    "agenda",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Agenda YAML (see corpus/agenda.yaml).",
)
@click.option(
    "--out-dir",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for briefing-pack.html and briefing-pack.md.",
)
@click.option("--out", "out_dir_alias", type=click.Path(file_okay=False, path_type=Path), default=None, hidden=True)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Compare the law as it stood on this date (YYYY-MM-DD; default today).",
)
@output_options("brief")
def brief(data_dir, db_url, agenda, out_dir, out_dir_alias, as_of, fmt, output) -> None:
    """Write the conference briefing pack: comparisons, key provisions, notes, open questions.

    Prints what it wrote: the two files, and the items, filled cells, provisions and notes in them.

    Example: seckb brief --agenda corpus/agenda.yaml --out-dir brief/ --as-of 2025-03-01
    """
    from kb.brief import make_brief
    from kb.render.brief_pack import write_brief

    out_dir = out_dir or out_dir_alias
    if out_dir is None:
        raise click.UsageError("give the folder to write the pack in: --out-dir DIR")
    with _open_kb(data_dir, db_url) as kb:
        pack = make_brief(kb, agenda, as_of.date() if as_of else None)
    emit("brief", write_brief(pack, out_dir), fmt, output)


# --- user corpus: add, remove, fetch, coverage (kb/userdocs.py, kb/fetch.py, kb/coverage.py) ---


@cli.command()
@kb_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--state", required=True, help="State/UT code or name, e.g. KA or Karnataka.")
@click.option("--act", "act_id", default=None, help="The catalogue id, when the title does not match it.")
@click.option("--title", default=None, help="The Act's title, when the document does not give it.")
@click.option("--year", type=click.IntRange(1700, 2100), default=None)
@click.option(
    "--body", type=click.Choice(choices(Body)), default=None, help="For a new Act (default: guessed from the title)."
)
@click.option(
    "--as-on",
    "as_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date the text is as on (YYYY-MM-DD), when the document does not say.",
)
@click.option("--source-url", default=None, help="Where the document was downloaded from.")
@click.option("--source-format", "doc_format", default=None, help="The document's reader name (default: detected).")
@click.option("--replace", is_flag=True, help="Make this the Act's primary text, replacing your earlier one.")
@click.option(
    "--accept-partial",
    is_flag=True,
    help="Store a text that fails its self-check (too few of its listed sections found) as partial.",
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of shipped source documents (default ../shared/corpus, or $SECKB_SOURCES).",
)
@click.option("--json", "as_json", is_flag=True, hidden=True, help="Same as --format json.")
@output_options("add")
def add(
    data_dir,
    db_url,
    file,
    state,
    act_id,
    title,
    year,
    body,
    as_on,
    source_url,
    doc_format,
    replace,
    accept_partial,
    sources,
    as_json,
    fmt,
    output,
) -> None:
    """Add a State's Act from a file you downloaded, and update the knowledge base.

    The file is copied into the data folder's user-corpus/ and listed there; the shipped corpus
    is never changed. Example: seckb add kpr-act.pdf --state KA
    """
    from kb import settings
    from kb.userdocs import AddRequest, add_document

    request = AddRequest(
        file=file,
        state=_states(state)[0],
        act=act_id,
        title=title,
        year=year,
        body=body,
        as_on=as_on.date() if as_on else None,
        source_url=source_url,
        format=doc_format,
        replace=replace,
        accept_partial=accept_partial,
    )
    with _progress(quiet=False):
        report = add_document(
            request, settings.data_dir(data_dir), settings.sources_dir(sources), settings.db_url(db_url)
        )
    emit("add", report, "json" if as_json else fmt, output)


@cli.command()
@kb_options
@click.argument("what")
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of shipped source documents (default ../shared/corpus, or $SECKB_SOURCES).",
)
@output_options("remove")
def remove(data_dir, db_url, what, sources, fmt, output) -> None:
    """Remove an Act or a file you added with `seckb add`, and update the knowledge base.

    Example: seckb remove KA-KPRA-1993   or   seckb remove user-corpus/ka/kpr-act.pdf
    """
    from kb import settings
    from kb.userdocs import remove_document

    with _progress(quiet=False):
        report = remove_document(
            what, settings.data_dir(data_dir), settings.sources_dir(sources), settings.db_url(db_url)
        )
    emit("remove", report, fmt, output)


@cli.command()
@kb_options
@click.argument("target")
@click.option("--state", default=None, help="State/UT code or name (default: the Location the act page gives).")
@click.option("--replace", is_flag=True, help="Make the download the Act's primary text.")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="India Code server (default https://www.indiacode.nic.in, or $SECKB_INDIACODE_BASE).",
)
@click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True, help="Seconds per request.")
@click.option(
    "--retries",
    type=click.IntRange(0, 5),
    default=3,
    show_default=True,
    help="Retries (with backoff) when the server does not answer.",
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of shipped source documents (default ../shared/corpus, or $SECKB_SOURCES).",
)
@click.option("--json", "as_json", is_flag=True, hidden=True, help="Same as --format json.")
@output_options("add")
def fetch(data_dir, db_url, target, state, replace, base_url, timeout, retries, sources, as_json, fmt, output) -> None:
    """Download an Act from India Code (act page URL or handle) and add it.

    Example: seckb fetch 123456789/16733 --state MH
    """
    from kb import settings
    from kb.fetch import FetchOptions, fetch_act

    with _progress(quiet=False):
        report = fetch_act(
            target,
            settings.data_dir(data_dir),
            settings.sources_dir(sources),
            state=_states(state)[0] if state else None,
            db_url=settings.db_url(db_url),
            replace=replace,
            options=FetchOptions(base_url=base_url, timeout=timeout, retries=retries),
        )
    emit("add", report, "json" if as_json else fmt, output)


@cli.command()
@kb_options
@output_options("coverage")
def coverage(data_dir, db_url, fmt, output) -> None:
    """Which States/UTs have full text, partial excerpts or only catalogue entries, by body.

    Example: seckb coverage --format md
    """
    from kb.coverage import coverage as build_coverage

    with _open_kb(data_dir, db_url) as kb:
        data = build_coverage(kb)
    emit("coverage", data, fmt, output)


@cli.command()
@kb_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
def serve(data_dir, db_url, host, port, workers) -> None:
    """Serve the knowledge base in a browser: search, provisions, compare, coverage, notes, API.

    Read-only; each worker holds one knowledge base and picks up a rebuild on its next request.

    Example: seckb serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    import os

    import uvicorn

    from kb.knowledge import KnowledgeBase

    # Fail now, in one line, if there is nothing to serve (each worker opens its own handle).
    KnowledgeBase.open(data_dir, db_url).close()
    if data_dir is not None:
        os.environ["SECKB_DATA"] = str(Path(data_dir).resolve())
    if db_url is not None:
        os.environ["SECKB_DB"] = db_url
    echo(f"seckb: serving on http://{host}:{port}/ ({workers} worker{'s' if workers > 1 else ''}); Ctrl-C stops")
    uvicorn.run(
        "kb.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@cli.command("check")
@kb_options
@click.argument("act")
@output_options("check")
def check_command(data_dir, db_url, act, fmt, output) -> None:
    """How an Act's alternate renderings agree with its primary text: sections and clause labels.

    Example: seckb check MH-SECA-1994
    """
    from kb.agreement import compare_renderings
    from kb.errors import SeckbError
    from kb.resolve import ActIndex

    with _open_kb(data_dir, db_url) as kb:
        with kb.session() as session:
            act_id = ActIndex.from_session(session).find(act)
        if act_id is None:
            raise SeckbError(f"no Act {act!r} in the knowledge base", field="ACT")
        agreements = compare_renderings(kb, act_id)
    emit("check", {"act_id": act_id, "agreements": agreements}, fmt, output)


@cli.command("warnings")
@kb_options
@click.option("--act", "act_id", default=None, help="Only this Act (catalogue id, alias or title).")
@output_options("warnings")
@click.option("--json", "as_json", is_flag=True, hidden=True, help="The same as --format json (kept for old scripts).")
def warnings_command(data_dir, db_url, act_id, fmt, output, as_json) -> None:
    """The build and add warnings of every document, grouped by kind and explained.

    Example: seckb warnings --act MH-MCA-1965
    """
    from kb.buildwarnings import collect_warnings

    with _open_kb(data_dir, db_url) as kb:
        if act_id:
            from kb.resolve import ActIndex

            with kb.session() as session:
                act_id = ActIndex.from_session(session).find(act_id) or act_id
        docs = collect_warnings(kb, act_id)
    emit("warnings", docs, "json" if as_json else fmt, output)


@cli.command("eval")
@kb_options
@click.option(
    "--queries",
    "queries_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Judged query set (default bench/queries.yaml).",
)
@click.option(
    "--misses",
    type=click.IntRange(0, 100),
    default=10,
    show_default=True,
    help="List this many of the weakest queries.",
)
@click.option(
    "--half",
    type=click.Choice(["dev", "test", "all"]),
    default="all",
    show_default=True,
    help="The development half (tune on it), the held-back test half (report it), or all queries.",
)
@output_options("eval")
def eval_(data_dir, db_url, queries_path, misses, half, fmt, output) -> None:
    """Measure search relevance on the judged query set: nDCG@10, recall@10, MRR per query type.

    Example: seckb eval --half test (bench/eval.py adds the SQLite FTS5 baseline side by side)
    """
    from kb.evaluate import evaluate, load_queries, seckb_search_fn, split_queries
    from kb.render.evaluation import EvalResult

    queries = split_queries(load_queries(queries_path))[half]
    with _open_kb(data_dir, db_url) as kb:
        report = evaluate("seckb", seckb_search_fn(kb), queries)
    emit("eval", EvalResult(report, misses), fmt, output)


@cli.command()
@kb_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["akn"]),
    default="akn",
    show_default=True,
    help="Export format (Akoma Ntoso 3.0).",
)
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write into."
)
@click.option("--act", "acts", multiple=True, help="Act id(s), e.g. MH-VPA-1959 (default: every Act held).")
def export(data_dir, db_url, fmt, out_dir, acts) -> None:
    """Export the Acts held as Akoma Ntoso 3.0 XML, one file per Act.

    Example: seckb export --format akn --out akn/ --act MH-VPA-1959
    """
    from kb.export import export_acts

    with _open_kb(data_dir, db_url) as kb:
        report = export_acts(kb, out_dir, _split(acts))
    for act in report.acts:
        echo(f"{act.path}  {act.work_uri}  {act.sections} sections, {act.provisions} provisions")
    echo(f"wrote {len(report.acts)} Act(s), {report.provisions} provisions, to {report.out_dir}")


def main() -> None:
    cli(prog_name="seckb")


if __name__ == "__main__":
    main()
