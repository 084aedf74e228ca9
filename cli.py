"""seckb command line: thin wrappers that parse options, call the library and print.

Heavy modules (Whoosh, SQLAlchemy models, pypdfium2) are imported inside the commands, so
``seckb --help`` and a search start quickly.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable

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
        @click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                      help="Output format.")
        @click.option("--output", "--out", "output", type=click.Path(dir_okay=False, path_type=Path),
                      default=None, help="Write to this file instead of standard output.")
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        return wrapper

    return decorator


def kb_options(func: Callable) -> Callable:
    """--data and --db: where the knowledge base lives."""

    @click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Data folder (default ./seckb-data, or $SECKB_DATA).")
    @click.option("--db", "db_url", default=None, metavar="URL",
                  help="Database URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in the data "
                       "folder, or $SECKB_DB).")
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
@click.option("--sources", "sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of source documents (default ../shared/corpus, or $SECKB_SOURCES).")
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
            bar_state["bar"] = click.progressbar(length=total, label="Reading sources", file=sys.stderr,
                                                 item_show_func=lambda item: item)
            bar_state["bar"].__enter__()
        bar = bar_state["bar"]
        bar.current_item = label
        bar.update(done - bar.pos)

    options = BuildOptions(sources_dir=settings.sources_dir(sources), data_dir=settings.data_dir(data_dir),
                           db_url=settings.db_url(db_url), full=full, progress=progress)
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
@click.option("--body", "bodies", multiple=True, type=click.Choice(["panchayat", "municipal", "sec", "cantonment",
                                                                    "central", "other", "note"]))
@click.option("--topic", "topics", multiple=True, help="Topic id(s) from `seckb topics`.")
@click.option("--kind", "kind", type=click.Choice(["provision", "note"]), default=None,
              help="Only provisions, or only notes.")
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True)
@output_format()
def search(data_dir, db_url, query, states, acts, bodies, topics, kind, limit, fmt, output) -> None:
    """Search provisions and notes.

    Words, "exact phrases", AND/OR/NOT, field filters (heading:, topics:) and citations such as
    s.14(1)(j-1), Art. 243F or RPA 1950 s 19 (the cited provision comes first).

    Example: seckb search "more than two children" --state MH
    """
    from kb.query import SearchRequest, search as run_search
    from kb.render.views import render_search

    request = SearchRequest(text=query, states=_split(states), acts=_split(acts), bodies=_split(bodies),
                            topics=_split(topics), doc_types=[kind] if kind else [], limit=limit)
    with _open_kb(data_dir, db_url) as kb:
        results = run_search(kb, request)
    emit(render_search(results, fmt), output)


@cli.command()
@kb_options
@click.argument("citation")
@output_format()
def show(data_dir, db_url, citation, fmt, output) -> None:
    """Show one provision with its parents, sub-provisions, amendments, provenance and notes.

    Example: seckb show "MH VPA 1959 s.14(1)(j-1)"
    """
    from kb.render.views import render_provision
    from kb.show import show_provision

    with _open_kb(data_dir, db_url) as kb:
        view = show_provision(kb, citation)
    emit(render_provision(view, fmt), output)


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
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Answer as the law stood on this date (YYYY-MM-DD; default today).")
@click.option("--diff", is_flag=True, help="Only rows where the states differ.")
@click.option("--baseline", type=click.Choice(["IN"]), default=None,
              help="Set each state against the central rules for the Legislative Assembly.")
@output_format(_TABLE_FORMATS)
def compare(data_dir, db_url, topics_, rules, states, body, as_of, diff, baseline, fmt, output) -> None:
    """Compare eligibility rules across States/UTs; every cell cites its provision.

    Example: seckb compare --topic candidate-disqualification --states MH,MN,DL --body panchayat
    """
    from kb.compare import CompareRequest, compare_states
    from kb.render import render_table

    request = CompareRequest(topics=_split(topics_), rules=_split(rules), states=_split(states), body=body,
                             as_of=as_of.date() if as_of else None, diff=diff, baseline=baseline)
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


def main() -> None:
    cli(prog_name="seckb")


if __name__ == "__main__":
    main()
