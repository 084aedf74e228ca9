"""The index's analyser (indexer/search_index.py LegalAnalyzer) gives exactly the tokens of the
chain of Whoosh filters it replaced, on every provision of the real corpus and on hostile text."""

from __future__ import annotations

import re
import sqlite3

import pytest

from indexer import search_index


def _split_compounds(tokens):
    """The compound filter of the former chain, kept here as the reference."""
    shift = 0
    for token in tokens:
        if token.positions:
            token.pos += shift
        if "-" not in token.text or not search_index._COMPOUND.match(token.text):
            yield token
            continue
        text, base_pos = token.text, token.pos if token.positions else 0
        start = token.startchar if token.chars else 0
        offset = 0
        for i, part in enumerate(text.split("-")):
            token.text = part
            if token.positions:
                token.pos = base_pos + i
            if token.chars:
                token.startchar = start + offset
                token.endchar = token.startchar + len(part)
            offset += len(part) + 1
            yield token
        shift += text.count("-")


class _Compounds:
    is_morph = False

    def __call__(self, tokens):
        return _split_compounds(tokens)


def _reference():
    from whoosh.analysis import (
        CharsetFilter,
        CompositeAnalyzer,
        LowercaseFilter,
        RegexTokenizer,
        StemFilter,
        StopFilter,
    )
    from whoosh.support.charset import accent_map

    return CompositeAnalyzer(
        RegexTokenizer(r"\w+(?:-\w+)*"),
        LowercaseFilter(),
        _Compounds(),
        CharsetFilter(accent_map),
        StopFilter(),
        StemFilter(stemfn=search_index.legal_stem, cachesize=-1),
    )


MODES = [
    {},
    {"positions": True, "chars": True},
    {"positions": True, "no_morph": True},
    {"positions": True, "chars": True, "removestops": False},
    {"positions": True, "chars": True, "start_pos": 7, "start_char": 100, "mode": "index"},
]

HOSTILE = [
    "",
    "   ",
    "Upa-Sarpanch of the Gram Panchayat, a two-child norm; clause (j-1) and s.30A-1A",
    "a-an-the of-to Résumé NAÏVE café İstanbul ǅemal straße ﬁnance",
    "e-mail x-ray well-being to-and-fro --- -leading trailing- 14b 3.141 under_score",
    "Provided that—(i) in the case of a person who is a member of the Scheduled Castes",
]


def _tokens(analyzer, text, kwargs):
    out = []
    for t in analyzer(text, **kwargs):
        out.append(
            (
                t.text,
                t.stopped,
                t.boost,
                getattr(t, "pos", None) if kwargs.get("positions") else None,
                (t.startchar, t.endchar) if kwargs.get("chars") else None,
            )
        )
    return out


@pytest.mark.parametrize("kwargs", MODES, ids=lambda k: ",".join(k) or "default")
def test_the_analyser_gives_the_former_chain_s_tokens_on_every_provision(built_kb, kwargs):
    ours, theirs = search_index.analyzer(), _reference()
    db = next(built_kb.glob("**/seckb.sqlite"))
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select coalesce(heading, ''), text, coalesce(tail, '') from provisions").fetchall()
    assert len(rows) > 10000
    texts = [piece for row in rows for piece in row if piece] + HOSTILE
    for text in texts:
        assert _tokens(ours, text, kwargs) == _tokens(theirs, text, kwargs), text[:80]


def test_it_splits_plain_compounds_and_keeps_clause_labels():
    spans = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in search_index.analyzer()("the Upa-Sarpanch (j-1)", positions=True, chars=True)
    ]
    assert spans == [("upa", 1, 4, 7), ("sarpanch", 2, 8, 16), ("j-1", 3, 18, 21)]
    assert search_index.analyzer().has_morph()
    with pytest.raises(ValueError, match="tokenize=False"):
        list(search_index.analyzer()("x", tokenize=False))


def test_the_schema_pickles_with_the_analyser(tmp_path):
    from whoosh import index

    search_index.create_index(tmp_path, [], parts=1)
    reopened = index.open_dir(str(tmp_path)).schema["text"].analyzer
    assert type(reopened).__name__ == "LegalAnalyzer"
    assert [t.text for t in reopened("Disqualifications of members")] == ["disqualif", "member"]
    assert re.fullmatch(r"\d+", search_index.INDEX_VERSION)
