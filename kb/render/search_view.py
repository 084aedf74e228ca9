"""Search results for a terminal, a pipe, or a program.

The engine gives each hit a clean snippet and the offsets of the words the user typed in it
(``SearchHit.matches``); nothing here adds markup to the text. On a terminal the matched words are
bold and coloured by rich; piped, the same lines come out plain; JSON carries the spans.
"""

from __future__ import annotations

import textwrap
from typing import Any

from rich.text import Text

from kb.render.views import to_json
from kb.vocab import CitationMiss

MATCH_STYLE = "bold yellow"
_INDENT = "    "


def search_json(results: Any) -> str:
    return to_json(
        {
            "query": results.query,
            "total": results.total,
            "suggestion": results.suggestion,
            "not_found": results.not_found,
            "about_topic": results.about_topic,
            "unresolved": results.unresolved,
            "hits": results.hits,
            "facets": results.facets,
        }
    )


def search_text(results: Any, width: int = 100) -> Text:
    """The results as styled text: one heading line per hit, its snippet wrapped to ``width``."""
    out = Text()
    if results.suggestion:
        # The hits are for the corrected words: the count says so, never that they are for a word
        # no provision has.
        out.append(f"{results.total} result(s) for ")
        out.append(repr(results.suggestion), style="italic")
        missing = ", ".join(repr(w) for w in results.not_found)
        out.append(f" (searched instead of {results.query!r}: no text has {missing})\n")
    else:
        out.append(f"{results.total} result(s) for {results.query!r}")
        if results.not_found:
            out.append(f" (no text has {', '.join(repr(w) for w in results.not_found)})")
        out.append("\n")
    for miss in results.unresolved:
        out.append(unresolved_line(miss) + "\n", style="yellow")
    if results.about_topic:
        # Hits recalled by a topic tag may hold none of the words typed: say why they are here.
        out.append(
            f"Also searched: provisions on {results.about_topic}, the topic these words are about\n", style="dim"
        )
    for rank, hit in enumerate(results.hits, 1):
        out.append(f"{rank:>2}. ")
        out.append(hit.ref, style="bold cyan")
        if hit.heading:
            out.append(f" — {hit.heading}")
        if hit.pinned:
            out.append(" (cited)", style="green")
        out.append("\n")
        out.append_text(_snippet(hit, width))
        out.append("\n")
    facets = results.facets or {}
    for name in ("jurisdiction", "act"):
        if facets.get(name):
            line = f"{name}: " + ", ".join(f"{k} ({v})" for k, v in list(facets[name].items())[:12])
            out.append(textwrap.fill(line, width=max(width, 40), subsequent_indent="  ") + "\n")
    out.rstrip()
    return out


def unresolved_line(miss: Any) -> str:
    """Why a citation of the query found nothing, in one line (its words were not searched)."""
    if miss.reason == CitationMiss.OUTSIDE_FILTERS:
        return f"{miss.cited!r} is held only outside the filters: {', '.join(miss.nearest)}"
    nearest = f"; nearest held: {', '.join(miss.nearest)}" if miss.nearest else ""
    return f"No provision {miss.cited!r} is held{nearest}"


def _snippet(hit: Any, width: int) -> Text:
    """The hit's snippet wrapped under its heading, its matched words styled."""
    snippet = Text(hit.snippet)
    for span in hit.matches:
        snippet.stylize(MATCH_STYLE, span.start, span.end)
    lines = []
    for start, end in _wrap_offsets(hit.snippet, max(width - len(_INDENT), 20)):
        line = Text(_INDENT)
        line.append_text(snippet[start:end])
        lines.append(line)
    return Text("\n").join(lines)


def _wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each wrapped line of ``text``: breaks at spaces, so spans stay whole."""
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", start, end + 1)
            if space > start:
                end = space
        out.append((start, end))
        start = end
        while start < len(text) and text[start] == " ":
            start += 1
    return out


def search_plain(results: Any, width: int = 100) -> str:
    return search_text(results, width).plain
