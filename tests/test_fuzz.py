"""Property-based tests: generated input never escapes as anything but the documented error.

* every reader: ``read_document`` raises only ReaderError, whatever bytes the file holds;
* the structural parser: ``parse_section`` never falls back on an internal error, and every
  provision it makes has a path that ``split_path`` reads back and a citation that resolves to it;
* citations: ``ProvisionRef.parse`` raises only RefError and round-trips its canonical form;
  ``resolve_citation`` raises only CitationError and a resolved provision's own ref resolves to it;
* queries: ``kb.query.search`` raises only QueryError.

``INPUTS`` counts the examples each property saw; ``pytest -s`` prints the totals.
"""

from __future__ import annotations

import json
import string
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.readers import READERS, read_document
from indexer.structure import parse_section
from kb.errors import CitationError, QueryError, ReaderError
from kb.model import RawSection
from kb.refs import KIND_PREFIX, ProvisionRef, RefError, path_string, split_path

INPUTS: Counter[str] = Counter()


def fuzz(examples: int) -> settings:
    # No deadline: the first examples pay for imports and the PDF library's start-up.
    return settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )


@pytest.fixture(scope="module", autouse=True)
def report_inputs():
    yield
    print(
        f"\nfuzz inputs: {sum(INPUTS.values())} in total: " + ", ".join(f"{k} {v}" for k, v in sorted(INPUTS.items()))
    )


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# --- shared vocabulary -----------------------------------------------------------------------

WORDS = [
    "member",
    "Panchayat",
    "shall",
    "be",
    "disqualified",
    "under",
    "this",
    "clause",
    "sub-section",
    "section",
    "14",
    "or",
    "and",
    "who",
    "has",
    "more",
    "than",
    "two",
    "children",
    "the",
    "of",
    "Provided",
    "that",
    "further",
    "Explanation",
    "means",
    "Act",
    "State",
    "Government",
    "—",
    "-",
    ":",
    ";",
    ".",
    ",",
    "“",
    "”",
    "\n",
    "\n\n",
    "Art.",
    "s.",
    "(",
    ")",
    "[",
    "]",
    "*",
    "^",
]
LABELS = [
    "(1)",
    "(2)",
    "(2A)",
    "(3)",
    "(a)",
    "(b)",
    "(c)",
    "(h)",
    "(i)",
    "(j)",
    "(j-1)",
    "(ii)",
    "(iii)",
    "(iv)",
    "(v)",
    "(x)",
    "(A)",
    "(B)",
    "(I)",
    "(a-1)",
    "(1A)",
    "(10)",
    "(z)",
    "(aa)",
]
STARTS = [
    "Provided that",
    "Provided further that",
    "Provided also that",
    "Explanation.—",
    "Explanation 1.—",
    "Explanation I.—",
    "Explanation II.—",
    "For the purposes of this section",
    "this clause",
    "this sub-clause",
]
MARKERS = ["^3[", "^4[", "]", "^4***", "^12[", "^1[14. Disqualifications.", "* * *", "^"]

word = st.sampled_from(WORDS) | st.text(max_size=12)
token = st.one_of(word, st.sampled_from(LABELS), st.sampled_from(STARTS), st.sampled_from(MARKERS))


def joined(tokens, max_size: int = 60):
    seps = st.sampled_from([" ", " ", " ", "\n", "\n\n", "", "—", ": "])
    return st.lists(st.tuples(tokens, seps), max_size=max_size).map(lambda parts: "".join(t + s for t, s in parts))


body_text = joined(token)
line_text = joined(token, max_size=12).map(lambda s: s.replace("\n", " "))


# --- readers -----------------------------------------------------------------------------------


def md_doc():
    front = st.lists(
        st.sampled_from(
            [
                "title: The Test Act, 1994",
                "title: [broken",
                "source: http://x",
                "language: en",
                "parts: x",
                ": :",
                "- a",
                "title: '",
                "\tkey: v",
            ]
        ),
        max_size=5,
    )
    lines = st.lists(
        st.one_of(
            st.builds("## Section {} - {}".format, st.sampled_from(["1", "2", "14", "5A", "", "x"]), line_text),
            st.builds("[^{}]: {}".format, st.sampled_from(["1", "2", "x"]), line_text),
            st.sampled_from(["# The Test Act", "---", "> note", "Sections: 1 to 5", "* * *", "|a|b|"]),
            line_text,
        ),
        max_size=30,
    )
    return st.builds(
        lambda f, body, fenced: ("---\n" + "\n".join(f) + "\n---\n" if fenced else "") + "\n".join(body),
        front,
        lines,
        st.booleans(),
    )


def xml_doc():
    tags = st.sampled_from(
        [
            "<act>",
            "</act>",
            "<article>",
            "</article>",
            "<number>",
            "</number>",
            "<title>",
            "</title>",
            "<heading>",
            "</heading>",
            "<section>",
            "</section>",
            "<year>",
            "</year>",
            "<tid>1</tid>",
            "&amp;",
            "&bogus;",
            "<![CDATA[x]]>",
            "<b>",
            "</b>",
            "<",
            ">",
            "<!--",
        ]
    )
    body = st.lists(st.one_of(tags, line_text), max_size=40).map("".join)
    return st.builds(
        lambda head, b: ('<?xml version="1.0" encoding="UTF-8"?>\n' if head else "") + b, st.booleans(), body
    )


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | line_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def constitution_doc():
    article = st.fixed_dictionaries(
        {},
        optional={
            "article": st.one_of(st.integers(-3, 400), line_text, json_value),
            "title": st.one_of(line_text, json_value),
            "description": st.one_of(body_text, json_value),
        },
    )
    return st.one_of(st.lists(article, max_size=8), json_value).map(lambda v: json.dumps(v, allow_nan=True))


def html_fragment():
    tags = st.sampled_from(
        [
            "<p>",
            "</p>",
            "<span>",
            "</span>",
            '<div class="akn-section">',
            "</div>",
            "<br>",
            "<sup>1</sup>",
            '<a href="#x">Section 1.</a>',
            "<table><tr><td>",
            "</td></tr>",
            "<b>",
            "&nbsp;",
            "&#x2014;",
            "<script>x</script>",
            "<!--",
            "-->",
        ]
    )
    return st.lists(st.one_of(tags, line_text), max_size=30).map("".join)


def sections_json_doc():
    section = st.fixed_dictionaries(
        {},
        optional={
            "number": st.one_of(st.sampled_from(["Section 1.", "Section 14.", "1", "", "Section x."]), json_value),
            "title": st.one_of(line_text, json_value),
            "url": line_text,
            "raw": st.one_of(
                st.fixed_dictionaries({}, optional={"content": html_fragment(), "footnote": html_fragment()}),
                json_value,
            ),
        },
    )
    doc = st.fixed_dictionaries(
        {"sections": st.one_of(st.lists(section, max_size=6), json_value)},
        optional={"url": line_text, "chapters": json_value},
    )
    return doc.map(json.dumps)


def html_doc():
    return st.builds(
        lambda head, body: head + body,
        st.sampled_from(["<!DOCTYPE html><html>", "<html><body>", "<html>", ""]),
        html_fragment(),
    )


def excerpt_doc():
    header = st.lists(
        st.sampled_from(
            ["SOURCE: http://x", "ACT: The Test Act, 1993", "STATUS: PARTIAL EXCERPT", "SOURCE:", "ACT:", "NOTE: x"]
        ),
        max_size=4,
    )
    return st.builds(lambda h, b: "\n".join(h) + "\n\n" + b, header, body_text)


def pdf_doc(folder: Path):
    from usercorpus_helpers import write_pdf

    item = st.tuples(st.floats(0, 580), st.floats(0, 830), st.sampled_from([6, 8, 9, 11, 14]), line_text)
    pages = st.lists(st.one_of(st.none(), st.lists(item, max_size=12)), min_size=1, max_size=3)

    def render(spec):
        pages_, flips, cut = spec
        path = folder / "gen.pdf"
        write_pdf(
            path,
            [[(x, y, s, t.replace("\0", "")) for x, y, s, t in page] if page is not None else None for page in pages_],
        )
        data = bytearray(path.read_bytes())
        for position, value in flips:  # damage: flipped bytes, then perhaps a cut-off tail
            if data:
                data[position % len(data)] = value
        return bytes(data[:cut]) if cut else bytes(data)

    return st.tuples(
        pages,
        st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=3),
        st.one_of(st.none(), st.integers(0, 4000)),
    ).map(render)


def akn_doc():
    tags = st.sampled_from(
        [
            '<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">',
            "</akomaNtoso>",
            "<act>",
            "</act>",
            "<body>",
            "</body>",
            "<chapter>",
            "</chapter>",
            '<section eId="sec_1">',
            "<section>",
            "</section>",
            "<num>",
            "</num>",
            "<heading>",
            "</heading>",
            "<subsection>",
            "</subsection>",
            "<paragraph>",
            "</paragraph>",
            "<proviso>",
            "</proviso>",
            '<hcontainer name="explanation">',
            "</hcontainer>",
            "<content><p>",
            "</p></content>",
            '<authorialNote marker="1">',
            "</authorialNote>",
            "<?seckb-char zz?>",
            "<?seckb-char 110000?>",
            "&bogus;",
            "<",
            ">",
        ]
    )
    body = st.lists(st.one_of(tags, line_text), max_size=40).map("".join)
    return st.builds(lambda head, b: ('<?xml version="1.0"?>\n' if head else "") + b, st.booleans(), body)


TEXT_FORMATS = {
    "akn-xml": akn_doc,
    "indiacode-md": md_doc,
    "indiankanoon-xml": xml_doc,
    "constitution-json": constitution_doc,
    "indiacode-sections-json": sections_json_doc,
    "indiacode-html": html_doc,
    "excerpt-txt": excerpt_doc,
}
ENCODINGS = ["utf-8", "utf-8", "utf-8", "latin-1", "utf-16", "cp1252"]


def _read_only_reader_errors(path: Path, fmt: str | None) -> None:
    try:
        doc = read_document(path, fmt)
    except ReaderError as exc:
        assert "\n" not in exc.one_line()  # a one-line message, as the CLI prints it
        return
    assert doc.sections, "read_document returned a document without sections"


def test_every_format_has_a_fuzzer():
    assert set(TEXT_FORMATS) | {"pdf"} == set(READERS)


@pytest.mark.parametrize("fmt", sorted(TEXT_FORMATS))
def test_text_reader_raises_only_reader_error(fmt, scratch):
    path = scratch / f"doc-{fmt}"

    @fuzz(450)
    @given(
        text=TEXT_FORMATS[fmt](), encoding=st.sampled_from(ENCODINGS), raw=st.one_of(st.none(), st.binary(max_size=300))
    )
    def check(text: str, encoding: str, raw: bytes | None) -> None:
        INPUTS[f"reader {fmt}"] += 1
        path.write_bytes(raw if raw is not None else text.encode(encoding, errors="replace"))
        _read_only_reader_errors(path, fmt)

    check()


def test_detected_format_raises_only_reader_error(scratch):
    """Without a format the file is sniffed first; odd names and first bytes must not crash it."""

    @fuzz(300)
    @given(
        name=st.sampled_from(["a.md", "a.txt", "a.excerpt.txt", "a.xml", "a.json", "a.html", "a.pdf", "a"]),
        data=st.one_of(
            st.binary(max_size=400),
            st.sampled_from(list(TEXT_FORMATS)).flatmap(lambda f: TEXT_FORMATS[f]()).map(str.encode),
        ),
    )
    def check(name: str, data: bytes) -> None:
        INPUTS["reader detect"] += 1
        path = scratch / "detect" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        _read_only_reader_errors(path, None)

    check()


def test_pdf_reader_raises_only_reader_error(scratch):
    path = scratch / "doc.pdf"

    @fuzz(400)
    @given(data=st.one_of(pdf_doc(scratch), st.binary(max_size=600).map(lambda b: b"%PDF-1.7\n" + b)))
    def check(data: bytes) -> None:
        INPUTS["reader pdf"] += 1
        path.write_bytes(data)
        _read_only_reader_errors(path, "pdf")

    check()


# --- the structural parser ------------------------------------------------------------------------


def raw_sections():
    number = st.sampled_from(["1", "2", "14", "5A", "5-A", "243F", "10-1A", "30A-1A", "99"])
    footnotes = st.lists(st.tuples(st.sampled_from(["1", "2", "3", "4", "12"]), line_text), max_size=3)
    return st.builds(
        lambda n, h, b, f, k: RawSection(number=n, heading=h, body=b, footnotes=tuple(f), kind=k),
        number,
        line_text,
        body_text,
        footnotes,
        st.sampled_from(["section", "article", "rule"]),
    )


def _key(labels) -> tuple[str, ...]:
    from kb.resolve import _labels_key

    return _labels_key(labels)


@fuzz(3000)
@given(raw=raw_sections())
def test_parser_never_fails_and_every_path_is_citable(raw: RawSection) -> None:
    INPUTS["parser"] += 1
    parsed = parse_section(raw)
    assert not [w for w in parsed.warnings if w.startswith("structure not parsed")], parsed.warnings
    root = parsed.provision
    assert root.label == raw.number
    for node in root.walk():
        labels = split_path(node.path)
        # split_path lower-cases letter labels ("(A)" reads as "a"), as citations are matched.
        assert path_string(labels).lower() == node.path.lower()
        assert labels[-1].lower() == node.label.lower() or node is root
        # What `seckb show` gets when a user copies the canonical ref: it must reach this node.
        cited = ProvisionRef.parse(f"{KIND_PREFIX[raw.kind]}{node.path}")
        assert _key(cited.labels) == _key(labels), (node.path, cited.labels)


# --- citations ------------------------------------------------------------------------------------


def citation_text():
    act = st.sampled_from(
        [
            "",
            "MH-VPA-1959 ",
            "MH VPA 1959 ",
            "RPA 1950 ",
            "IN-COI ",
            "the ",
            "Bombay Act ",
            "XX-YY-2000 ",
            "MVPA, ",
            "-",
            "1959 ",
        ]
    )
    kind = st.sampled_from(
        ["", "s.", "s ", "sec. ", "section ", "Art.", "Art ", "article ", "r.", "rule ", "§", "ss. ", "arts "]
    )
    number = st.sampled_from(["14", "243F", "243-K", "5A", "5-A", "10-1A", "0", "999", "12", "1", "x", ""])
    label = st.sampled_from(
        ["(1)", "(j-1)", "(a)", "( 2 )", "(ii)", "(A)", "(1A)", "((", ")", "(-)", "(a-)", "(999)", "(j - 1)"]
    )
    tail = st.sampled_from(
        [
            "",
            ", proviso",
            " first proviso",
            ", second proviso (a)",
            " Explanation",
            " Explanation I",
            " Explanation 2",
            " expl.",
            " proviso 3",
            " proviso x",
            " tenth proviso",
            " Explanation XI",
            ", Explanation (a)",
        ]
    )
    grammar = st.builds(
        lambda a, k, n, ls, t: f"{a}{k}{n}{''.join(ls)}{t}", act, kind, number, st.lists(label, max_size=4), tail
    )
    return st.one_of(grammar, st.text(max_size=30), st.text(alphabet=string.printable, max_size=30))


@fuzz(3500)
@given(text=citation_text())
def test_citation_parser_raises_only_ref_error_and_round_trips(text: str) -> None:
    INPUTS["citation parse"] += 1
    try:
        ref = ProvisionRef.parse(text)
    except RefError:
        return
    again = ProvisionRef.parse(str(ref))
    assert (again.kind, again.labels) == (ref.kind, ref.labels), (text, str(ref))


@pytest.fixture(scope="module")
def real_kb(built_kb):
    from kb.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(built_kb)
    yield kb
    kb.close()


def test_resolver_raises_only_citation_error(real_kb):
    from kb.resolve import ActIndex, resolve_citation

    with real_kb.session() as session:
        acts = ActIndex.from_session(session)

        @fuzz(3000)
        @given(text=citation_text())
        def check(text: str) -> None:
            INPUTS["citation resolve"] += 1
            try:
                row = resolve_citation(session, text, acts=acts)
            except CitationError as exc:
                assert "\n" not in exc.one_line()
                return
            assert resolve_citation(session, row.ref, acts=acts).id == row.id

        check()


# --- queries --------------------------------------------------------------------------------------


def query_text():
    syntax = st.sampled_from(
        [
            "AND",
            "OR",
            "NOT",
            "ANDNOT",
            "ANDMAYBE",
            "(",
            ")",
            '"',
            "'",
            "*",
            "?",
            "~",
            "~2",
            "^",
            "^2",
            "[",
            "]",
            "{",
            "}",
            "TO",
            ":",
            "heading:",
            "topics:",
            "text:",
            "nosuchfield:",
            "act:",
            "jurisdiction:",
            "ref:",
            "ord:",
            "\\",
            "/",
            "-",
            "+",
            "&&",
            "||",
            "<",
            ">",
            "s.14(1)(j-1)",
            "Art. 243F",
            "RPA 1950 s 19",
            "two-child-norm",
        ]
    )
    words = st.sampled_from(
        [
            "more",
            "than",
            "two",
            "children",
            "disqualified",
            "member",
            "election",
            "panchayat",
            "voter",
            "age",
            "the",
            "of",
            "what",
            "is",
        ]
    )
    return st.one_of(joined(st.one_of(syntax, words, st.text(max_size=6)), max_size=10), st.text(max_size=40))


def test_search_raises_only_query_error(real_kb):
    from kb.query import SearchRequest, search

    @fuzz(400)  # each search costs tens of milliseconds: fewer, but every syntax token is drawn
    @given(
        text=query_text(),
        states=st.lists(st.sampled_from(["MH", "MN", "DL", "XX", "in", ""]), max_size=2),
        topics=st.lists(st.sampled_from(["two-child-norm", "nosuch", ""]), max_size=1),
        limit=st.integers(1, 30),
    )
    def check(text: str, states: list[str], topics: list[str], limit: int) -> None:
        INPUTS["search"] += 1
        try:
            results = search(real_kb, SearchRequest(text=text, states=states, topics=topics, limit=limit))
        except QueryError as exc:
            assert "\n" not in exc.one_line()
            return
        assert len(results.hits) <= limit

    check()
