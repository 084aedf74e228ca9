"""The Jinja2 templates behind every HTML seckb makes: the web pages and the files the CLI writes.

One environment, autoescape on, one stylesheet (``templates/seckb.css``). A page served by
``seckb serve`` links the stylesheet; a file written by ``compare --format html``, ``coverage
--format html`` or ``brief`` inlines it (``standalone=True``), so the file opens anywhere alone.
Words about a comparison cell come from :mod:`kb.render.cells`, exposed to the templates as
globals: the templates arrange them, they never phrase them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kb.refs import lawyer_label
from kb.render import cells
from kb.vocab import CitationMiss

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = TEMPLATES / "seckb.css"


@functools.cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def stylesheet_hash() -> str:
    """The CSP source that allows exactly the inlined stylesheet ('sha256-…')."""
    digest = hashlib.sha256(stylesheet().encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def provision_url(ref: str) -> str:
    """The page of a provision: /p/<canonical citation>, e.g. /p/MH-VPA-1959%20s.14(1)(j-1)."""
    return "/p/" + quote(ref, safe="()")


def marked(hit: Any) -> list[tuple[str, bool]]:
    """A hit's snippet as (text, matched) pieces, from its match offsets (kb/query.py), so the
    template wraps matches in <mark> and escapes all. The snippet itself carries no markup."""
    snippet, pieces, at = hit.snippet, [], 0
    for span in sorted(hit.matches, key=lambda m: m.start):
        if span.start < at:
            continue
        pieces += [(snippet[at : span.start], False), (snippet[span.start : span.end], True)]
        at = span.end
    pieces.append((snippet[at:], False))
    return [(text, matched) for text, matched in pieces if text]


def node_label(kind: str, label: str, depth: int) -> str:
    """How a sub-provision's label reads before its text ("(j-1)", "Explanation", "proviso 1"), as
    the terminal and the search snippets print it; nothing for the provision shown itself."""
    return lawyer_label(kind, label) if label and depth else ""


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals.update(
        cell_view=cells.view,
        legend=cells.legend,
        row_label=cells.row_label,
        clean_text=cells.clean_text,
        safe_url=cells.safe_url,
        SUMMARY_LABEL=cells.SUMMARY_LABEL,
        NEWS_ONLY_MARK=cells.NEWS_ONLY_MARK,
        INHERIT_SEPARATOR=cells.INHERIT_SEPARATOR,
        provision_url=provision_url,
        node_label=node_label,
        CitationMiss=CitationMiss,
    )
    env.filters["marked"] = marked
    return env


def render_template(name: str, **context: Any) -> str:
    """A template as text; ``standalone`` (default False) inlines the stylesheet for a file."""
    context.setdefault("standalone", False)
    context.setdefault("link_citations", not context["standalone"])
    context.setdefault("json_url", None)
    if context["standalone"]:
        context.setdefault("css", stylesheet())
    return environment().get_template(name).render(**context).strip() + "\n"


def render_file(name: str, **context: Any) -> str:
    """A self-contained HTML file: inline stylesheet, no script, no external asset."""
    return render_template(name, standalone=True, **context)
