"""Akoma Ntoso 3.0: FRBR URIs, eIds, the export of every Act held (schema-valid) and the round trip.

The export and the round trip run on the real corpus (``built_kb``); the schema is the OASIS
``akomantoso30.xsd`` in ../shared/standards/akomantoso, loaded once per session (xmlschema takes
a few seconds to build it and about a minute and a half to validate the whole corpus).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select

from cli import cli
from indexer.readers import detect_format, read_document
from indexer.structure import parse_provisions
from kb.akn import AKN_NS, SECKB_NS, FrbrUri, eid_for, eid_label, work_number, work_uri_for
from kb.errors import ReaderError
from kb.export import ExportReport, akn_ids, export_acts, held_act_ids, load_act
from kb.knowledge import KnowledgeBase
from kb.model import AmendmentNote, Provision
from kb.render.akn import ActExport, ExportSection, ExportSource, amendment_events, render_act
from kb.store import tables as t

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "standards" / "akomantoso" / "akomantoso30.xsd"
FIXTURES = Path(__file__).parent / "fixtures" / "akn"
NS = {"a": AKN_NS, "s": SECKB_NS}


# --- FRBR URIs -------------------------------------------------------------------------------------

# (uri, country, subdivision, date, number, language, expression_date, component, format, portion)
URI_SHAPES = [
    ("/akn/in-mh/act/1959/3", "in", "mh", "1959", "3", None, None, None, None, None),
    ("/akn/in/act/1950/43", "in", None, "1950", "43", None, None, None, None, None),
    ("/akn/in/act/1949/in-coi", "in", None, "1949", "in-coi", None, None, None, None, None),
    ("/akn/in-mh/act/1959/3/eng@2025-04-04", "in", "mh", "1959", "3", "eng", "2025-04-04", None, None, None),
    ("/akn/in-dl/act/1957/66/eng@", "in", "dl", "1957", "66", "eng", None, None, None, None),
    ("/akn/in-mh/act/1959/3/eng@2025-04-04/!main", "in", "mh", "1959", "3", "eng", "2025-04-04", "main", None, None),
    ("/akn/in-mh/act/1959/3/eng@2025-04-04.akn", "in", "mh", "1959", "3", "eng", "2025-04-04", None, "akn", None),
    (
        "/akn/in-mh/act/1959/3/eng@2025-04-04/!main.akn",
        "in",
        "mh",
        "1959",
        "3",
        "eng",
        "2025-04-04",
        "main",
        "akn",
        None,
    ),
    (
        "/akn/in-mh/act/1959/3~sec_14__subsec_1__para_j-1",
        "in",
        "mh",
        "1959",
        "3",
        None,
        None,
        None,
        None,
        "sec_14__subsec_1__para_j-1",
    ),
]


@pytest.mark.parametrize("shape", URI_SHAPES, ids=[s[0] for s in URI_SHAPES])
def test_frbr_uri_round_trips(shape):
    text, country, subdivision, when, number, language, expr_date, component, fmt, portion = shape
    uri = FrbrUri.parse(text)
    assert (uri.country, uri.subdivision, uri.doctype, uri.date, uri.number) == (
        country,
        subdivision,
        "act",
        when,
        number,
    )
    assert (uri.language, uri.expression_date, uri.component, uri.format, uri.portion) == (
        language,
        expr_date,
        component,
        fmt,
        portion,
    )
    assert str(uri) == text
    assert FrbrUri.parse(uri.work_uri()).work_uri() == uri.work_uri()


def test_frbr_uri_levels():
    uri = FrbrUri.parse("/akn/in-mh/act/1959/3")
    assert uri.work_uri() == "/akn/in-mh/act/1959/3"
    assert uri.expression_uri(expression_date="2025-04-04") == "/akn/in-mh/act/1959/3/eng@2025-04-04"
    expression = FrbrUri.parse("/akn/in-mh/act/1959/3/eng@2025-04-04")
    assert expression.manifestation_uri() == "/akn/in-mh/act/1959/3/eng@2025-04-04.akn"
    assert expression.work_uri() == "/akn/in-mh/act/1959/3"
    assert str(expression.with_portion("sec_14")) == "/akn/in-mh/act/1959/3/eng@2025-04-04~sec_14"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "/in-mh/act/1959/3",
        "/akn/in-mh/1959/3",
        "/akn/IN-MH/act/1959/3",
        "/akn/in-mh/act/59/3",
        "akn/in/act/1950/43",
    ],
)
def test_frbr_uri_rejects(text):
    with pytest.raises(ValueError, match="not an Akoma Ntoso FRBR URI"):
        FrbrUri.parse(text)


def test_work_uri_from_catalogue_facts():
    assert work_uri_for("MH", 1959, "3", "MH-VPA-1959").work_uri() == "/akn/in-mh/act/1959/3"
    assert work_uri_for("IN", 1950, "43", "IN-RPA-1950").work_uri() == "/akn/in/act/1950/43"
    # No number in the catalogue: the Act id stands in, never a guessed number.
    assert work_uri_for("IN", 1949, None, "IN-COI").work_uri() == "/akn/in/act/1949/in-coi"
    assert work_number("No. 12 ", "X") == "No-12"


# --- eIds ----------------------------------------------------------------------------------------------

EIDS = [
    ([("section", "14"), ("subsection", "1"), ("clause", "j-1")], "sec_14__subsec_1__para_j-1"),
    ([("section", "14"), ("subsection", "1"), ("clause", "a"), ("subclause", "ii")], "sec_14__subsec_1__para_a__subpara_ii"),
    ([("section", "14"), ("subsection", "1"), ("explanation", "Explanation 1A")], "sec_14__subsec_1__explanation_1A"),
    ([("section", "3"), ("explanation", "Explanation")], "sec_3__explanation"),
    ([("article", "243F"), ("subsection", "1"), ("clause", "a"), ("proviso", "proviso 1")], "art_243F__subsec_1__para_a__proviso_1"),
    ([("rule", "5")], "rule_5"),
    ([("section", "30"), ("subsection", "1-dup2"), ("item", "A")], "sec_30__subsec_1-dup2__point_A"),
    ([("section", "5"), ("proviso", "proviso 2"), ("clause", "b")], "sec_5__proviso_2__para_b"),
]  # fmt: skip


@pytest.mark.parametrize("steps, expected", EIDS, ids=[e for _, e in EIDS])
def test_eid_for(steps, expected):
    assert eid_for(steps) == expected


def test_eid_rejects_unknown_kind():
    with pytest.raises(ValueError, match="no Akoma Ntoso element"):
        eid_label("schedule", "1")
    with pytest.raises(ValueError):
        eid_for([])


# --- amendment footnotes -> lifecycle ---------------------------------------------------------------


@pytest.mark.parametrize(
    "footnote, expected",
    [
        (
            "Subs. by Act 18 of 2023, s. 2 and Schedule for sub-section (1) (w.e.f. 2-11-2023).",
            [("Act 18 of 2023", "/akn/in/act/2023/18", date(2023, 11, 2))],
        ),
        (
            "This proviso was substituted for the existing proviso by Mah. 39 of 2011, s. 2(a), w.e.f. 10th January 2011.",
            [("Mah. 39 of 2011", "/akn/in-mh/act/2011/39", date(2011, 1, 10))],
        ),
        (
            "Clause (a-1) was substituted by Mah. 21 of 1994, s. 10.",
            [("Mah. 21 of 1994", "/akn/in-mh/act/1994/21", None)],
        ),
        ("These words were inserted by Mah 16 of 2012, s. 2(6).", [("Mah 16 of 2012", "/akn/in-mh/act/2012/16", None)]),
        # Two Acts and one date: whose date it is would be a guess.
        (
            "Subs. by Act 2 of 1956, s. 2 and Act 3 of 1957 (w.e.f. 1-3-1956).",
            [("Act 2 of 1956", "/akn/in/act/1956/2", None), ("Act 3 of 1957", "/akn/in/act/1957/3", None)],
        ),
        ("Subs. by the Adaptation of Laws (No. 2) Order, 1956 (w.e.f.1-11-1956).", []),
        ("Ins. by Act 5 of 1990 (w.e.f. 31-2-1990).", [("Act 5 of 1990", "/akn/in/act/1990/5", None)]),
        (None, []),
    ],
)
def test_amendment_events(footnote, expected):
    assert [(e.act_text, e.href, e.effective) for e in amendment_events(footnote)] == expected


# --- export of the real corpus ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def akn_schema():
    xmlschema = pytest.importorskip("xmlschema")
    if not SCHEMA.is_file():
        pytest.fail(f"the Akoma Ntoso schema is expected at {SCHEMA}")
    return xmlschema.XMLSchema(str(SCHEMA))


@pytest.fixture(scope="session")
def exported(built_kb, tmp_path_factory) -> ExportReport:
    with KnowledgeBase.open(built_kb) as kb:
        return export_acts(kb, tmp_path_factory.mktemp("akn"))


def test_export_writes_one_file_per_act_held(built_kb, exported):
    with KnowledgeBase.open(built_kb) as kb, kb.session() as session:
        held = held_act_ids(session)
        count = len(session.scalars(select(t.Provision.id)).all())
    assert [act.act_id for act in exported.acts] == held
    assert len(held) >= 18
    assert exported.provisions == count  # every provision held is in some file
    assert sorted(p.name for p in exported.out_dir.iterdir()) == sorted(f"{a}.xml" for a in held)


def test_every_export_validates_against_akomantoso30(exported, akn_schema):
    started = time.perf_counter()
    invalid = {}
    for act in exported.acts:
        errors = list(akn_schema.iter_errors(str(act.path)))
        if errors:
            invalid[act.act_id] = str(errors[0])[:500]
    seconds = time.perf_counter() - started
    print(f"\nvalidated {len(exported.acts)} Akoma Ntoso files in {seconds:.1f} s")
    assert invalid == {}


def test_schema_rejects_a_broken_export(exported, akn_schema, tmp_path):
    """The validation above can fail: an export with a misplaced element does not pass."""
    tree = etree.parse(str(exported.acts[0].path))
    body = tree.find(".//a:body", NS)
    etree.SubElement(body, f"{{{AKN_NS}}}num").text = "x"  # <num> may not follow sections in <body>
    broken = tmp_path / "broken.xml"
    tree.write(str(broken))
    assert list(akn_schema.iter_errors(str(broken)))


def _mh_vpa(exported):
    path = next(a.path for a in exported.acts if a.act_id == "MH-VPA-1959")
    return etree.parse(str(path))


def test_mh_vpa_identification_and_provenance(exported, built_kb):
    tree = _mh_vpa(exported)
    ident = tree.find(".//a:meta/a:identification", NS)
    assert ident.find("a:FRBRWork/a:FRBRuri", NS).get("value") == "/akn/in-mh/act/1959/3"
    assert ident.find("a:FRBRWork/a:FRBRcountry", NS).get("value") == "in-mh"
    assert ident.find("a:FRBRWork/a:FRBRdate", NS).get("date") == "1960-05-01"  # enacted_on in acts.yaml
    assert ident.find("a:FRBRExpression/a:FRBRuri", NS).get("value") == "/akn/in-mh/act/1959/3/eng@2025-04-04"
    assert ident.find("a:FRBRManifestation/a:FRBRuri", NS).get("value") == "/akn/in-mh/act/1959/3/eng@2025-04-04.akn"
    prov = tree.find(".//a:proprietary/s:provenance", NS)
    with KnowledgeBase.open(built_kb) as kb, kb.session() as session:
        doc = session.scalars(select(t.SourceDocument).where(t.SourceDocument.act_id == "MH-VPA-1959")).first()
    assert prov.findtext("s:file", namespaces=NS) == doc.path == "maharashtra/village-panchayats-act-1959.pdf"
    assert prov.findtext("s:sha256", namespaces=NS) == doc.sha256
    assert prov.findtext("s:format", namespaces=NS) == "pdf"
    assert prov.findtext("s:textAsOn", namespaces=NS) == "2025-04-04"
    legislature = tree.find(".//a:references/a:TLCOrganization[@eId='legislature']", NS)
    assert legislature.get("showAs") == "Legislature of Maharashtra"


def test_mh_vpa_lifecycle_from_dated_footnotes(exported):
    tree = _mh_vpa(exported)
    events = {(e.get("date"), e.get("source")) for e in tree.findall(".//a:lifecycle/a:eventRef", NS)}
    assert ("2011-01-10", "#amendingAct_in-mh_act_2011_39") in events
    refs = {r.get("eId"): r for r in tree.findall(".//a:references/a:TLCReference", NS)}
    assert refs["amendingAct_in-mh_act_2011_39"].get("href") == "/akn/in-mh/act/2011/39"
    assert refs["amendingAct_in-mh_act_1994_21"].get("showAs") == "Mah. 21 of 1994"  # named, no date: no event
    assert all(source[1:] in refs for _, source in events)


def test_mh_vpa_section_14_in_the_xml(exported):
    tree = _mh_vpa(exported)
    s14 = tree.find(".//a:section[@eId='sec_14']", NS)
    assert s14.findtext("a:num", namespaces=NS) == "14."
    assert s14.findtext("a:heading", namespaces=NS) == "Disqualifications."
    assert s14.getparent().tag == f"{{{AKN_NS}}}chapter"  # Chapter II holds it
    j1 = s14.find(".//a:paragraph[@eId='sec_14__subsec_1__para_j-1']", NS)
    assert j1.findtext("a:num", namespaces=NS) == "(j-1)"
    assert j1.find("a:intro/a:p", NS).text == "has more than two children :"
    provisos = j1.findall("a:proviso", NS)
    assert [p.get("eId") for p in provisos] == [f"sec_14__subsec_1__para_j-1__proviso_{n}" for n in (1, 2)]
    assert provisos[1].find("a:content/a:p", NS).text.startswith("Provided further that, a child")
    explanation = s14.find("a:subsection/a:hcontainer[@eId='sec_14__subsec_1__explanation_1A']", NS)
    assert (
        explanation.get("name") == "explanation" and explanation.findtext("a:num", namespaces=NS) == "Explanation 1A."
    )
    notes = s14.findall(".//a:authorialNote", NS)
    assert notes and all(n.get("placement") == "bottom" for n in notes)
    assert any("Mah. 21 of 1994" in "".join(n.itertext()) for n in notes)


def test_repealed_sections_kept_with_status(exported, built_kb):
    with KnowledgeBase.open(built_kb) as kb, kb.session() as session:
        row = session.scalars(
            select(t.Provision).where(t.Provision.repealed.is_(True), t.Provision.depth == 0).order_by(t.Provision.id)
        ).first()
    assert row is not None
    path = next(a.path for a in exported.acts if a.act_id == row.act_id)
    section = etree.parse(str(path)).find(f".//a:section[@eId='sec_{row.label}']", NS)
    assert section is not None
    assert section.get("status") == "removed" and section.get("class") == "repealed"


def _same_tree(got: Provision, expected: Provision) -> str | None:
    """Where two trees differ (paths, labels, kinds, headings, text, tail, notes), or None."""
    for a, b in zip(got.walk(), expected.walk(), strict=False):
        if (a.kind, a.label, a.path, a.heading, a.text, a.tail, a.notes, len(a.children)) != (
            b.kind,
            b.label,
            b.path,
            b.heading,
            b.text,
            b.tail,
            b.notes,
            len(b.children),
        ):
            return f"{b.path}: read back as {a!r:.300}"
    return None


def test_round_trip_every_act(exported, built_kb):
    """export -> akn-xml reader -> the structural parser gives the stored tree back, Act by Act."""
    differences: list[str] = []
    compared = 0
    with KnowledgeBase.open(built_kb) as kb, kb.session() as session:
        for act in exported.acts:
            stored = load_act(session, act.act_id)
            assert detect_format(act.path) == "akn-xml"
            doc = read_document(act.path)
            assert doc.format == "akn-xml" and doc.text_as_on == stored.source.text_as_on
            assert doc.partial == stored.source.partial and doc.source_url == stored.source.source_url
            parsed = parse_provisions(doc)
            assert [p.provision.path for p in parsed] == [s.provision.path for s in stored.sections], act.act_id
            for raw, mine, theirs in zip(doc.sections, parsed, stored.sections, strict=True):
                where = _same_tree(mine.provision, theirs.provision)
                if where:
                    differences.append(f"{act.act_id} {where}")
                container = " / ".join(raw.container)
                if (container, raw.anchor, raw.repealed) != (theirs.container, theirs.anchor, theirs.repealed):
                    differences.append(f"{act.act_id} {raw.number}: container/anchor/repealed differ")
                compared += sum(1 for _ in mine.provision.walk())
    assert differences == []
    assert compared == exported.provisions


def test_round_trip_keeps_characters_xml_cannot_hold(exported, built_kb):
    """U+FFFE (pdfium's line-end hyphen) travels as a processing instruction and comes back."""
    with KnowledgeBase.open(built_kb) as kb, kb.session() as session:
        row = session.scalars(select(t.Provision).where(t.Provision.text.contains("\ufffe"))).first()
    if row is None:
        pytest.skip("no provision in this corpus holds U+FFFE")
    path = next(a.path for a in exported.acts if a.act_id == row.act_id)
    assert b"<?seckb-char fffe?>" in path.read_bytes()
    texts = {node.text for parsed in parse_provisions(read_document(path)) for node in parsed.provision.walk()}
    assert row.text in texts


# --- akn_ids and the CLI ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "citation, expected",
    [
        ("MH VPA 1959 s.14(1)(j-1)", ("sec_14__subsec_1__para_j-1", "/akn/in-mh/act/1959/3")),
        ("Art. 243F(1)(a) proviso", ("art_243F__subsec_1__para_a__proviso_1", "/akn/in/act/1949/in-coi")),
        ("IN-RER-1960 r.2(1)(a)", ("rule_2__subsec_1__para_a", "/akn/in/act/1960/in-rer-1960")),
        ("MH VPA 1959 s.14(1) Explanation 1A", ("sec_14__subsec_1__explanation_1A", "/akn/in-mh/act/1959/3")),
    ],
)
def test_akn_ids(built_kb, citation, expected):
    with KnowledgeBase.open(built_kb) as kb:
        assert akn_ids(kb, citation) == expected


def test_akn_ids_match_the_exported_eids(built_kb, exported):
    """The eId `seckb show` prints is the one in the exported file."""
    tree = _mh_vpa(exported)
    with KnowledgeBase.open(built_kb) as kb:
        eid, work = akn_ids(kb, "MH VPA 1959 s.14(1)(a)(ii)")
    assert tree.find(f".//*[@eId='{eid}']", NS) is not None
    assert tree.find(".//a:FRBRWork/a:FRBRuri", NS).get("value") == work


def test_cli_export_and_show(built_kb, tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["export", "--data", str(built_kb), "--format", "akn", "--out", str(out), "--act", "MH VPA 1959"]
    )
    assert result.exit_code == 0, result.output
    assert "/akn/in-mh/act/1959/3" in result.output and "wrote 1 Act(s)" in result.output
    assert [p.name for p in out.iterdir()] == ["MH-VPA-1959.xml"]
    shown = runner.invoke(cli, ["show", "--data", str(built_kb), "MH VPA 1959 s.14(1)(j-1)"])
    assert shown.exit_code == 0
    assert "eId: sec_14__subsec_1__para_j-1" in shown.output and "work: /akn/in-mh/act/1959/3" in shown.output


@pytest.mark.parametrize("act, message", [("NO-SUCH-1999", "no Act called"), ("AP-APMCA-1994", "catalogued only")])
def test_cli_export_refuses_acts_not_held(built_kb, tmp_path, act, message):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "--data", str(built_kb), "--out", str(out), "--act", act])
    assert result.exit_code != 0
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not out.exists()  # nothing half-written


# --- the reader on files from elsewhere --------------------------------------------------------------


def test_reader_on_another_systems_act():
    path = FIXTURES / "other-system-act.xml"
    assert detect_format(path) == "akn-xml"
    doc = read_document(path)
    assert doc.title == "The Example Village Councils Act, 2001"
    assert doc.text_as_on == date(2020, 6, 30)
    assert [s.number for s in doc.sections] == ["1", "5"]
    assert doc.sections[0].container == ("CHAPTER I - Preliminary",)
    assert doc.sections[1].heading == "Disqualifications"
    tree = parse_provisions(doc)[1].provision
    nodes = {node.path: node for node in tree.walk()}
    assert list(nodes) == [
        "5",
        "5(1)",
        "5(1)(a)",
        "5(1)(b)",
        "5(1)(b) proviso 1",
        "5(1) Explanation 1",
        "5(2)",
    ]
    assert nodes["5(1)"].text == "No person shall be a member of a council who—"
    assert nodes["5(1)"].tail == "and shall vacate office if so disqualified."
    assert nodes["5(1)(a)"].text == "is of unsound mind;"  # inline markup keeps its words
    assert nodes["5(1)(b) proviso 1"].kind == "proviso"
    assert nodes["5(1) Explanation 1"].text == "Twins count as two children."
    (note,) = nodes["5(1)(b)"].notes
    assert note.footnote == "Ins. by Act 3 of 2005, s. 2." and note.action == "inserted"
    assert "by Act 3 of 2005" in note.summary
    assert "(a) is of unsound mind;" in doc.sections[1].body  # labels as printed, for text readers


@pytest.mark.parametrize(
    "text, line, message",
    [
        (f'<akomaNtoso xmlns="{AKN_NS}">\n<act>\n<body>\n<section>\n</act>', 5, "malformed XML"),
        ('<?xml version="1.0"?>\n<act><body/></act>', 2, "not an Akoma Ntoso 3.0"),
        (f'<akomaNtoso xmlns="{AKN_NS}">\n  <doc name="x"/>\n</akomaNtoso>', 1, "no <act>"),
        (f'<akomaNtoso xmlns="{AKN_NS}"><act>\n<body>\n<section><heading>x</heading></section></body></act></akomaNtoso>', 3,
         "without <num> or eId"),
        (f'<akomaNtoso xmlns="{AKN_NS}"><act><body>\n<section eId="sec_1"><content><p>a<?seckb-char zz?></p></content>'
         "</section></body></act></akomaNtoso>", 2, "does not name a character"),
    ],
)  # fmt: skip
def test_bad_akn_is_one_line_naming_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "bad.akn.xml"
    path.write_text(text)
    with pytest.raises(ReaderError) as caught:
        read_document(path, "akn-xml")
    one_line = caught.value.one_line()
    assert "\n" not in one_line and message in one_line
    assert one_line.startswith(f"{path}:{line}:")


def test_reader_expands_no_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE akomaNtoso [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        f'<akomaNtoso xmlns="{AKN_NS}"><act><body><section><num>1.</num>'
        "<content><p>before &x; after</p></content></section></body></act></akomaNtoso>"
    )
    doc = read_document(path, "akn-xml")
    text = parse_provisions(doc)[0].provision.text
    assert "TOP SECRET" not in text and text.startswith("before")


# --- any text survives the trip --------------------------------------------------------------------

_any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def _words(text: str) -> str:
    return " ".join(text.split())  # the store keeps provision text with single spaces


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    heading=_any_text,
    lead=_any_text,
    clause=_any_text,
    proviso=_any_text,
    explanation=_any_text,
    tail=_any_text,
    footnote=st.one_of(st.none(), _any_text),
    summary=_any_text,
    marker=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=6),
    repealed=st.booleans(),
)
def test_any_text_round_trips(tmp_path, heading, lead, clause, proviso, explanation, tail, footnote, summary, marker,
                              repealed):  # fmt: skip
    """Markup characters, control characters, U+FFFE and stray whitespace in footnotes all come back."""
    note = AmendmentNote(marker, "substituted", footnote, affected_text=summary[::-1], summary=summary)
    tree = Provision(
        "section",
        "7",
        "7",
        "",
        heading=_words(heading),
        children=(
            Provision(
                "subsection",
                "1",
                "7(1)",
                _words(lead),
                children=(
                    Provision("clause", "a", "7(1)(a)", _words(clause), notes=(note,)),
                    Provision("proviso", "proviso 1", "7(1) proviso 1", _words(proviso)),
                    Provision("explanation", "Explanation 2", "7(1) Explanation 2", _words(explanation)),
                ),
                tail=_words(tail),
            ),
        ),
        notes=(note,),
    )
    act = ActExport(
        act_id="XX-TA-2001",
        title="Test Act",
        jurisdiction="MH",
        jurisdiction_name="Maharashtra",
        jurisdiction_type="state",
        number=None,
        year=2001,
        enacted_on=None,
        citation=None,
        kind="section",
        source=ExportSource("x/test.md", "indiacode-md", "0" * 64, None, None, False, "Test Act"),
        sections=(ExportSection(tree, container="CHAPTER I - <&> TEST", anchor="https://x.test/a?b=1&c=2",
                                repealed=repealed),),
    )  # fmt: skip
    path = tmp_path / "t.xml"
    path.write_bytes(render_act(act))
    doc = read_document(path)
    (section,) = doc.sections
    assert (section.container, section.anchor, section.repealed) == (("CHAPTER I - <&> TEST",), act.sections[0].anchor,
                                                                     repealed)  # fmt: skip
    assert _same_tree(parse_provisions(doc)[0].provision, tree) is None


def test_reader_numbers_unnumbered_provisions_by_place(tmp_path):
    path = tmp_path / "plain.xml"
    path.write_text(
        f'<akomaNtoso xmlns="{AKN_NS}"><act><body><section><num>Section 9</num><heading>Lists</heading>'
        "<intro><p>Each of the following:</p></intro>"
        "<paragraph><content><p>first;</p></content></paragraph>"
        "<paragraph><content><p>second.</p></content></paragraph>"
        "</section></body></act></akomaNtoso>"
    )
    (parsed,) = parse_provisions(read_document(path))
    assert [(n.path, n.text) for n in parsed.provision.walk()] == [
        ("9", "Each of the following:"),
        ("9(1)", "first;"),
        ("9(2)", "second."),
    ]
