"""seckb command line: thin wrappers that parse options, call the library and print.

Heavy modules (Whoosh, SQLAlchemy models, pypdfium2) are imported inside the commands, so
``seckb --help`` and a search start quickly.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

TEXT_FORMATS = ("text", "json")


class _Group(click.Group):
    """Turns every seckb error into a one-line message and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from kb.errors import SeckbError

        try:
            return super().invoke(ctx)
        except SeckbError as exc:
            raise click.ClickException(exc.one_line()) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted; the previous knowledge base is unchanged") from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order they are defined: build first


def output_format(choices: tuple[str, ...] = TEXT_FORMATS, default: str = "text") -> Callable:
    """Adds --format and --output to a command (the same two options everywhere)."""

    def decorator(func: Callable) -> Callable:
        @click.option(
            "--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help="Output format."
        )
        @click.option(
            "--output",
            "--out",
            "output",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Write to this file instead of standard output.",
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


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
        return
    from kb.fileio import write_text_atomic

    write_text_atomic(output, text if text.endswith("\n") else text + "\n")
    click.echo(f"wrote {output}", err=True)


def _split(values: tuple[str, ...] | str | None) -> list[str]:
    if not values:
        return []
    items = values if isinstance(values, tuple) else (values,)
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def _open_kb(data_dir: Path | None, db_url: str | None):
    from kb.knowledge import KnowledgeBase

    return KnowledgeBase.open(data_dir, db_url)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seckb")
def cli() -> None:
    """seckb: compare the electoral laws of India's States and Union territories.

    Build the knowledge base from the statute documents, then search, cite and compare.
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
def build(data_dir: Path | None, db_url: str | None, sources: Path | None, full: bool, quiet: bool) -> None:
    """Build the knowledge base from the source documents.

    Reads every file the catalogue (corpus/acts.yaml) names, parses it into provisions, stores
    them, tags topics, loads the rules and builds the search index. Unchanged sources are not
    re-parsed. The previous knowledge base stays usable until the new one is complete.

    Example: seckb build --sources ../shared/corpus
    """
    from indexer.pipeline import BuildOptions, build_knowledge_base
    from kb import settings

    bar_state: dict[str, Any] = {}

    def progress(label: str, done: int, total: int) -> None:
        if quiet or not total:
            return
        if "bar" not in bar_state:
            bar_state["bar"] = click.progressbar(
                length=total, label="Reading sources", file=sys.stderr, item_show_func=lambda item: item
            )
            bar_state["bar"].__enter__()
        bar = bar_state["bar"]
        bar.current_item = label
        bar.update(done - bar.pos)

    options = BuildOptions(
        sources_dir=settings.sources_dir(sources),
        data_dir=settings.data_dir(data_dir),
        db_url=settings.db_url(db_url),
        full=full,
        progress=progress,
    )
    try:
        report = build_knowledge_base(options)
    finally:
        if "bar" in bar_state:
            bar_state["bar"].__exit__(None, None, None)
    from kb.render.views import render_build_report

    click.echo(render_build_report(report))


@cli.command()
@kb_options
@click.argument("query")
@click.option("--state", "states", multiple=True, help="Jurisdiction code(s), e.g. MH or MH,MN.")
@click.option("--act", "acts", multiple=True, help="Act id(s), e.g. MH-VPA-1959.")
@click.option(
    "--body",
    "bodies",
    multiple=True,
    type=click.Choice(["panchayat", "municipal", "sec", "cantonment", "central", "other", "note"]),
)
@click.option("--topic", "topics", multiple=True, help="Topic id(s) from `seckb topics`.")
@click.option(
    "--kind", "kind", type=click.Choice(["provision", "note"]), default=None, help="Only provisions, or only notes."
)
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True)
@output_format()
def search(data_dir, db_url, query, states, acts, bodies, topics, kind, limit, fmt, output) -> None:
    """Search provisions and notes.

    Words, "exact phrases", AND/OR/NOT, field filters (heading:, topics:) and citations such as
    s.14(1)(j-1), Art. 243F or RPA 1950 s 19 (the cited provision comes first).

    Example: seckb search "more than two children" --state MH
    """
    from kb.query import SearchRequest
    from kb.query import search as run_search
    from kb.render.search_view import search_json, search_plain, search_text

    request = SearchRequest(
        text=query,
        states=_split(states),
        acts=_split(acts),
        bodies=_split(bodies),
        topics=_split(topics),
        doc_types=[kind] if kind else [],
        limit=limit,
    )
    with _open_kb(data_dir, db_url) as kb:
        results = run_search(kb, request)
    if fmt == "json":
        emit(search_json(results), output)
    elif output is None and _terminal():
        # Matched words in colour on a terminal; the same lines plain when piped or written to a file.
        from rich.console import Console

        console = Console(highlight=False)
        console.print(search_text(results, console.width), soft_wrap=True)
    else:
        emit(search_plain(results, _width()), output)


@cli.command()
@kb_options
@click.argument("citation")
@click.option("--no-pager", is_flag=True, help="Print straight to the terminal even when the text is long.")
@output_format()
def show(data_dir, db_url, citation, no_pager, fmt, output) -> None:
    """Show one provision with its parents, sub-provisions, amendments, provenance and notes.

    Example: seckb show "MH VPA 1959 s.14(1)(j-1)"
    """
    from kb.render.views import render_provision
    from kb.show import show_provision

    with _open_kb(data_dir, db_url) as kb:
        view = show_provision(kb, citation)
    text = render_provision(view, fmt, width=_width() if output is None and _terminal() else 100)
    if output is None and not no_pager and _terminal() and text.count("\n") >= _height():
        click.echo_via_pager(text)  # $PAGER, else less
        return
    emit(text, output)


def _terminal() -> bool:
    return sys.stdout.isatty()


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 40)).columns


def _height() -> int:
    import shutil

    return shutil.get_terminal_size((100, 40)).lines


@cli.command()
@kb_options
@click.option("--state", "states", multiple=True, help="Only these jurisdictions.")
@click.option("--with-text", is_flag=True, help="Only Acts whose text is in the knowledge base.")
@output_format()
def acts(data_dir, db_url, states, with_text, fmt, output) -> None:
    """List the catalogue of Acts, with what the knowledge base holds of each.

    Example: seckb acts --state MH
    """
    from kb.catalogue import list_acts
    from kb.render.views import render_acts

    with _open_kb(data_dir, db_url) as kb:
        rows = list_acts(kb, states=_split(states), with_text=with_text)
    emit(render_acts(rows, fmt), output)


@cli.command()
@kb_options
@output_format()
def stats(data_dir, db_url, fmt, output) -> None:
    """Counts: jurisdictions, Acts, documents, provisions, rules, notes, index size.

    Example: seckb stats
    """
    from kb.catalogue import knowledge_stats
    from kb.render.views import render_stats

    with _open_kb(data_dir, db_url) as kb:
        data = knowledge_stats(kb)
    emit(render_stats(data, fmt), output)


@cli.command()
@kb_options
@output_format()
def topics(data_dir, db_url, fmt, output) -> None:
    """List the eligibility topics with how many provisions each State/UT has under them.

    Example: seckb topics
    """
    from kb.catalogue import topic_counts
    from kb.render.views import render_topics

    with _open_kb(data_dir, db_url) as kb:
        rows = topic_counts(kb)
    emit(render_topics(rows, fmt), output)


_TABLE_FORMATS = ("text", "md", "markdown", "html", "csv", "json", "xlsx")


@cli.command()
@kb_options
@click.option("--topic", "topics_", multiple=True, help="Topic id(s), e.g. candidate-disqualification.")
@click.option("--rule", "rules", multiple=True, help="Rule key(s), e.g. two_child_norm.")
@click.option("--states", "states", multiple=True, help="Jurisdiction codes, e.g. MH,MN,DL (default: all with data).")
@click.option("--body", type=click.Choice(["panchayat", "municipal", "sec", "cantonment"]), default=None)
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
@output_format(_TABLE_FORMATS)
def compare(data_dir, db_url, topics_, rules, states, body, as_of, diff, baseline, fmt, output) -> None:
    """Compare eligibility rules across States/UTs; every cell cites its provision.

    Example: seckb compare --topic candidate-disqualification --states MH,MN,DL --body panchayat
    """
    from kb.compare import CompareRequest, compare_states
    from kb.render import render_table

    request = CompareRequest(
        topics=_split(topics_),
        rules=_split(rules),
        states=_split(states),
        body=body,
        as_of=as_of.date() if as_of else None,
        diff=diff,
        baseline=baseline,
    )
    with _open_kb(data_dir, db_url) as kb:
        table = compare_states(kb, request)
    fmt = "markdown" if fmt == "md" else fmt
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs --output FILE")
        render_table(table, fmt, output)
        click.echo(f"wrote {output}", err=True)
        return
    emit(render_table(table, fmt), output)


# --- notes and the briefing pack ---------------------------------------------------------------


@cli.group()
def notes() -> None:
    """Experts' discussion notes (Markdown with front matter) linked to provisions."""


@notes.command("import")
@kb_options
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--prune", is_flag=True, help="Remove notes whose files are gone from FOLDER (default: keep and report).")
def notes_import(data_dir, db_url, folder, prune) -> None:
    """Import (or re-import) every *.md note in FOLDER; unchanged files are skipped.

    Each bad file is reported with its line; the others are still imported, and the command
    exits non-zero at the end.

    Example: seckb notes import corpus/notes
    """
    from kb import settings
    from kb.notes import import_notes, render_import_report

    report = import_notes(settings.data_dir(data_dir), settings.db_url(db_url), folder, prune=prune)
    click.echo(render_import_report(report))
    for error in report.errors:
        click.echo(f"error: {error.one_line()}", err=True)
    if report.errors:
        sys.exit(1)


@notes.command("list")
@kb_options
@click.option("--state", default=None, help="Only notes about this jurisdiction, e.g. MH.")
@click.option("--topic", default=None, help="Only notes on this topic (or a sub-topic).")
@click.option("--agenda-item", "agenda_item", default=None, help="Only notes filed under this agenda item id.")
@output_format()
def notes_list(data_dir, db_url, state, topic, agenda_item, fmt, output) -> None:
    """List imported notes, newest first.

    Example: seckb notes list --state MH --topic candidate-disqualification
    """
    from kb.notes import list_notes, render_notes

    with _open_kb(data_dir, db_url) as kb:
        rows = list_notes(kb, state=state, topic=topic, agenda_item=agenda_item)
    emit(render_notes(rows, fmt), output)


@notes.command("show")
@kb_options
@click.argument("note_id")
@output_format()
def notes_show(data_dir, db_url, note_id, fmt, output) -> None:
    """Show one note with its metadata, the provisions it cites and its text.

    Example: seckb notes show mh-two-child-norm
    """
    from kb.notes import get_note, render_note

    with _open_kb(data_dir, db_url) as kb:
        note = get_note(kb, note_id)
    emit(render_note(note, fmt), output)


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
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for briefing-pack.html and briefing-pack.md.",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Compare the law as it stood on this date (YYYY-MM-DD; default today).",
)
def brief(data_dir, db_url, agenda, out_dir, as_of) -> None:
    """Write the conference briefing pack: comparisons, key provisions, notes, open questions.

    Example: seckb brief --agenda corpus/agenda.yaml --out brief/ --as-of 2025-03-01
    """
    from kb.brief import make_brief

    with _open_kb(data_dir, db_url) as kb:
        files = make_brief(kb, agenda, out_dir, as_of.date() if as_of else None)
    click.echo(f"wrote {files.html}")
    click.echo(f"wrote {files.markdown}")


# --- user corpus: add, remove, fetch, coverage (kb/userdocs.py, kb/fetch.py, kb/coverage.py) ---


@cli.command()
@kb_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--state", required=True, help="Jurisdiction code or name, e.g. KA.")
@click.option("--act", "act_id", default=None, help="The catalogue id, when the title does not match it.")
@click.option("--title", default=None, help="The Act's title, when the document does not give it.")
@click.option("--year", type=click.IntRange(1700, 2100), default=None)
@click.option(
    "--body",
    type=click.Choice(["panchayat", "municipal", "sec", "cantonment", "central", "other"]),
    default=None,
    help="For a new Act (default: guessed from the title).",
)
@click.option(
    "--as-on",
    "as_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date the text is as on (YYYY-MM-DD), when the document does not say.",
)
@click.option("--source-url", default=None, help="Where the document was downloaded from.")
@click.option("--format", "doc_format", default=None, help="Reader name (default: detected).")
@click.option("--replace", is_flag=True, help="Make this the Act's primary text, replacing your earlier one.")
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of shipped source documents (default ../shared/corpus, or $SECKB_SOURCES).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def add(
    data_dir, db_url, file, state, act_id, title, year, body, as_on, source_url, doc_format, replace, sources, as_json
) -> None:
    """Add a State's Act from a file you downloaded, and update the knowledge base.

    The file is copied into the data folder's user-corpus/ and listed there; the shipped corpus
    is never changed. Example: seckb add kpr-act.pdf --state KA
    """
    from kb import settings
    from kb.userdocs import AddRequest, add_document, render_add_report

    request = AddRequest(
        file=file,
        state=state,
        act=act_id,
        title=title,
        year=year,
        body=body,
        as_on=as_on.date() if as_on else None,
        source_url=source_url,
        format=doc_format,
        replace=replace,
    )
    report = add_document(request, settings.data_dir(data_dir), settings.sources_dir(sources), settings.db_url(db_url))
    click.echo(render_add_report(report, "json" if as_json else "text"))


@cli.command()
@kb_options
@click.argument("what")
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of shipped source documents (default ../shared/corpus, or $SECKB_SOURCES).",
)
def remove(data_dir, db_url, what, sources) -> None:
    """Remove an Act or a file you added with `seckb add`, and update the knowledge base.

    Example: seckb remove KA-KPRA-1993   or   seckb remove user-corpus/ka/kpr-act.pdf
    """
    from kb import settings
    from kb.userdocs import remove_document, render_remove_report

    report = remove_document(what, settings.data_dir(data_dir), settings.sources_dir(sources), settings.db_url(db_url))
    click.echo(render_remove_report(report))


@cli.command()
@kb_options
@click.argument("target")
@click.option("--state", default=None, help="Jurisdiction code (default: the Location the act page gives).")
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
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def fetch(data_dir, db_url, target, state, replace, base_url, timeout, retries, sources, as_json) -> None:
    """Download an Act from India Code (act page URL or handle) and add it.

    Example: seckb fetch 123456789/16733 --state MH
    """
    from kb import settings
    from kb.fetch import FetchOptions, fetch_act
    from kb.userdocs import render_add_report

    report = fetch_act(
        target,
        settings.data_dir(data_dir),
        settings.sources_dir(sources),
        state=state,
        db_url=settings.db_url(db_url),
        replace=replace,
        options=FetchOptions(base_url=base_url, timeout=timeout, retries=retries),
    )
    click.echo(render_add_report(report, "json" if as_json else "text"))


@cli.command()
@kb_options
@output_format(("text", "md", "html", "csv", "json"))
def coverage(data_dir, db_url, fmt, output) -> None:
    """Which States/UTs have full text, partial excerpts or only catalogue entries, by body.

    Example: seckb coverage --format md
    """
    from kb.coverage import coverage as build_coverage
    from kb.render.coverage import render_coverage

    with _open_kb(data_dir, db_url) as kb:
        data = build_coverage(kb)
    emit(render_coverage(data, fmt), output)


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
@output_format()
def eval_(data_dir, db_url, queries_path, misses, half, fmt, output) -> None:
    """Measure search relevance on the judged query set: nDCG@10, recall@10, MRR per query type.

    Example: seckb eval --half test (bench/eval.py adds the SQLite FTS5 baseline side by side)
    """
    from kb.evaluate import evaluate, load_queries, render_comparison, render_misses, seckb_search_fn, split_queries

    queries = split_queries(load_queries(queries_path))[half]
    with _open_kb(data_dir, db_url) as kb:
        report = evaluate("seckb", seckb_search_fn(kb), queries)
    if fmt == "json":
        emit(json.dumps(report.as_dict(), indent=1), output)
        return
    text = render_comparison([report])
    if misses:
        text += "\n\nWeakest queries:\n" + (render_misses(report, misses) or "(none below 1.0)")
    emit(text, output)


def main() -> None:
    cli(prog_name="seckb")


if __name__ == "__main__":
    main()
