"""The curated catalogue (corpus/jurisdictions.yaml, corpus/acts.yaml) and its loader."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from kb.errors import ReferenceDataError
from kb.reference import FORMATS, ReferenceLookupError, default_sources_dir, load_reference

FIXTURE = Path(__file__).parent / "fixtures" / "reference"
SOURCES = default_sources_dir()
CATALOGUE = SOURCES / "catalog" / "indiacode-local-body-acts-2025.json"

needs_corpus = pytest.mark.skipif(not CATALOGUE.is_file(), reason="shared corpus not present")


@pytest.fixture(scope="module")
def ref():
    if not CATALOGUE.is_file():
        pytest.skip("shared corpus not present")
    return load_reference()


def catalogue_entries() -> list[tuple[str, dict]]:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return [(key, entry) for key, entries in data.items() for entry in entries]


# --------------------------------------------------------------------------- real catalogue


def test_jurisdictions_cover_all_states_and_uts(ref):
    by_type = {t: [j.code for j in ref.jurisdictions if j.type == t] for t in ("state", "ut", "central")}
    assert len(by_type["state"]) == 28
    assert sorted(by_type["ut"]) == ["AN", "CH", "DH", "DL", "JK", "LA", "LD", "PY"]
    assert by_type["central"] == ["IN"]
    assert ref.jurisdiction("IN").sec_name == "Election Commission of India"
    assert ref.jurisdiction("MH").sec_name == "State Election Commission, Maharashtra"


@needs_corpus
def test_catalogue_keys_match_the_catalogue(ref):
    keys = set(json.loads(CATALOGUE.read_text(encoding="utf-8")))
    assert {j.catalogue_key for j in ref.jurisdictions} == keys


@pytest.mark.parametrize(
    "typed, code",
    [
        ("CT", "CG"),
        ("Chhattisgarh", "CG"),
        ("OR", "OD"),
        ("orissa", "OD"),
        ("TG", "TS"),
        ("UT", "UK"),
        ("Uttaranchal", "UK"),
        ("Andaman_and_Nicobar_Islands", "AN"),
        ("j&k", "JK"),
        ("Daman and Diu", "DH"),
        ("Central", "IN"),
        ("  maharashtra ", "MH"),
        ("pondicherry", "PY"),
    ],
)
def test_jurisdiction_lookup(ref, typed, code):
    assert ref.jurisdiction(typed).code == code


def test_unknown_jurisdiction_suggests(ref):
    with pytest.raises(ReferenceLookupError) as info:
        ref.jurisdiction("Maharastra")
    assert "MH" in info.value.candidates
    assert "\n" not in str(info.value)


@needs_corpus
def test_every_catalogue_entry_is_an_act_with_its_url(ref):
    by_url = {url: act for act in ref.acts for url in act.indiacode_urls}
    key_to_code = {j.catalogue_key: j.code for j in ref.jurisdictions}
    entries = catalogue_entries()
    assert len(entries) == 433
    for key, entry in entries:
        act = by_url.get(entry["indiacode_url"])
        assert act is not None, entry["title"]
        # Parliament's Acts for one territory sit with that territory; so does the Punjab
        # listing of the Chandigarh extension Act.
        if key != "Central" and act.id != "CH-PMCEA-1994":
            assert act.jurisdiction == key_to_code[key], (entry["title"], act.id)
        if act.indiacode_url == entry["indiacode_url"]:
            assert act.number == entry["act_number"], act.id
            assert act.enacted == entry["enactment_date"], act.id


@needs_corpus
def test_enacted_on_only_where_the_catalogue_date_is_clean(ref):
    clean = re.compile(r"^\d{1,2}-[A-Z][a-z]{2}-\d{4}$")
    for act in ref.acts:
        if act.enacted is None:
            continue
        if clean.match(act.enacted):
            assert act.enacted_on == datetime.strptime(act.enacted, "%d-%b-%Y").date(), act.id
        else:
            assert act.enacted_on is None, act.id
    assert ref.act("AP-APMCA-1994").enacted == "15-Jan-  22"


def test_ids_and_titles(ref):
    assert len(ref.acts) >= 414
    for act in ref.acts:
        assert act.id.startswith(act.jurisdiction + "-")
        assert not act.title.endswith("."), act.id
        if act.year is not None and act.id != "IN-COI":
            assert act.id.endswith(f"-{act.year}"), act.id


FIXED = {
    "IN-COI": ("central", "article"),
    "IN-RPA-1950": ("central", "section"),
    "IN-RPA-1951": ("central", "section"),
    "IN-RER-1960": ("central", "rule"),
    "IN-PESA-1996": ("panchayat", "section"),
    "IN-CA-2006": ("cantonment", "section"),
    "MH-VPA-1959": ("panchayat", "section"),
    "MH-MCA-1965": ("municipal", "section"),
    "MH-SECA-1994": ("sec", "section"),
    "MN-PRA-1994": ("panchayat", "section"),
    "DL-DMCA-1957": ("municipal", "section"),
    "DL-NDMCA-1994": ("municipal", "section"),
    "CH-PMCEA-1994": ("municipal", "section"),
    "KA-KPRA-1993": ("panchayat", "section"),
    "KL-KPRA-1994": ("panchayat", "section"),
    "KL-KMA-1994": ("municipal", "section"),
    "UP-PRA-1947": ("panchayat", "section"),
    "TN-TNPA-1994": ("panchayat", "section"),
    "TN-PAA-2008": ("panchayat", "section"),
}


@pytest.mark.parametrize("act_id", sorted(FIXED))
def test_fixed_ids(ref, act_id):
    act = ref.act(act_id)
    assert act.id == act_id
    assert (act.body, act.kind) == FIXED[act_id]


def test_same_act_listed_twice_is_one_act(ref):
    dmc = ref.act("DL-DMCA-1957")
    assert len(dmc.indiacode_urls) == 2
    assert len(ref.act("CH-PMCEA-1994").indiacode_urls) == 3
    assert [a.id for a in ref.acts if a.title == "The Delhi Municipal Corporation Act, 1957"] == ["DL-DMCA-1957"]


@pytest.mark.parametrize(
    "typed, act_id",
    [
        ("mh vpa 1959", "MH-VPA-1959"),
        ("MH-VPA-1959", "MH-VPA-1959"),
        ("VPA 1959", "MH-VPA-1959"),
        ("Bombay Village Panchayats Act", "MH-VPA-1959"),
        ("Maharashtra Village Panchayats Act.", "MH-VPA-1959"),
        ("RPA 1950", "IN-RPA-1950"),
        ("rp act 1951", "IN-RPA-1951"),
        ("Representation of the People Act, 1950", "IN-RPA-1950"),
        ("Const.", "IN-COI"),
        ("coi", "IN-COI"),
        ("RER 1960", "IN-RER-1960"),
        ("PESA", "IN-PESA-1996"),
        ("Cantonments Act, 2006", "IN-CA-2006"),
        ("DMC Act", "DL-DMCA-1957"),
        ("Karnataka Panchayat Raj Act, 1993", "KA-KPRA-1993"),
        ("the haryana panchayati raj act, 1994 (11 of 1994)", "HR-HPRA-1994"),
        ("Haryana Panchayati Raj Act", "HR-HPRA-1994"),
    ],
)
def test_act_lookup(ref, typed, act_id):
    assert ref.act(typed).id == act_id


def test_ambiguous_title_names_the_candidates(ref):
    with pytest.raises(ReferenceLookupError) as info:
        ref.act("The Assam Municipal (Amendment) Act, 1935")
    assert set(info.value.candidates) == {"AS-AMAA-1935", "AS-AMAAB-1935"}


def test_unknown_act_suggests(ref):
    with pytest.raises(ReferenceLookupError) as info:
        ref.act("Maharashtra Village Panchayat Act")
    assert info.value.candidates == ("MH-VPA-1959",)
    assert str(info.value).endswith("did you mean: MH-VPA-1959")
    with pytest.raises(ReferenceLookupError) as info:
        ref.act("no such act")
    assert info.value.candidates == ()


def test_acts_for(ref):
    manipur = [a.id for a in ref.acts_for("Manipur")]
    assert "MN-PRA-1994" in manipur and "MN-MMA-1994" in manipur
    assert all(a.body == "panchayat" for a in ref.acts_for("MH", body="panchayat"))
    assert "MH-VPA-1959" in [a.id for a in ref.acts_for("MH", body="panchayat")]
    assert ref.acts_for("LA") == ()


def statute_files() -> set[str]:
    files = set()
    for path in SOURCES.rglob("*"):
        rel = path.relative_to(SOURCES).as_posix()
        if not path.is_file() or rel == "README.md" or rel.startswith("catalog/") or rel.endswith("-toc.json"):
            continue
        files.add(rel)
    return files


@needs_corpus
def test_every_corpus_file_is_one_source(ref):
    listed = [s.file for _, s in ref.sources()]
    assert sorted(listed) == sorted(statute_files())
    assert len(listed) == len(set(listed))


def test_sources_roles_and_formats(ref):
    for act in ref.acts:
        if act.sources:
            assert [s.role for s in act.sources].count("primary") == 1, act.id
        for source in act.sources:
            assert source.format in FORMATS
            assert source.partial == source.file.startswith("excerpts/")
    primary = {a.id: a.primary_source.format for a in ref.acts if a.sources}
    assert primary["IN-COI"] == "constitution-json"
    assert primary["MN-PRA-1994"] == "indiacode-md"
    assert primary["MH-VPA-1959"] == primary["MH-SECA-1994"] == "pdf"
    assert (
        ref.source_for("maharashtra/state-election-commissioner-act-1994.indiacode-sections.json")[1].role
        == "alternate"
    )
    assert ref.source_for("excerpts/nothing.txt") is None


def test_formats_are_the_reader_names():
    from indexer.readers import READERS

    assert set(FORMATS) == set(READERS)


@needs_corpus
def test_source_urls_match_the_files(ref):
    for _act, source in ref.sources():
        head = source.path.read_bytes()[:4096].decode("utf-8", "replace")
        if source.format == "indiacode-md":
            assert f'source: "{source.source_url}"' in head, source.file
        elif source.format == "indiankanoon-xml":
            tid = re.search(r"<act>\s*<tid>(\d+)</tid>", head)
            expected = f"https://indiankanoon.org/doc/{tid.group(1)}/" if tid else None
            assert source.source_url == (expected or source.source_url), source.file
            assert source.source_url.startswith("https://indiankanoon.org/doc/") == bool(tid), source.file
        elif source.format == "excerpt-txt":
            assert source.source_url in head, source.file


@needs_corpus
def test_pdf_text_as_on_matches_the_document(ref):
    pdfium = pytest.importorskip("pypdfium2")
    for _act, source in ref.sources():
        if source.format != "pdf":
            continue
        document = pdfium.PdfDocument(str(source.path))
        try:
            text = document[0].get_textpage().get_text_range()
        finally:
            document.close()
        found = re.search(r"Text as on (\d+)(?:st|nd|rd|th)? (\w+),? (\d{4})", text)
        assert found, source.file
        stated = datetime.strptime(" ".join(found.groups()), "%d %B %Y").date()
        assert source.text_as_on == stated, source.file


# --------------------------------------------------------------------------- validation


@pytest.fixture
def corpus(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "corpus")
    return tmp_path / "corpus"


def load(corpus: Path, check_files: bool = True):
    return load_reference(corpus, corpus / "sources", check_files=check_files)


def test_fixture_loads(corpus):
    ref = load(corpus)
    assert [a.id for a in ref.acts] == ["IN-RPA-1950", "MH-VPA-1959", "MH-VPAA-1960"]
    assert ref.act("bombay village panchayats act").id == "MH-VPA-1959"
    vpa = ref.act("MH-VPA-1959")
    assert vpa.enacted == "15-Jan-  22" and vpa.enacted_on is None
    assert vpa.primary_source.path == corpus / "sources" / "maharashtra" / "vpa-1959.pdf"
    assert vpa.primary_source.text_as_on.isoformat() == "2025-04-04"
    assert ref.jurisdiction("maha").code == "MH"


def break_file(corpus: Path, name: str, old: str, new: str) -> int:
    """Replace the first ``old`` with ``new``; return the 1-based line where ``new`` starts."""
    path = corpus / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text[:at].count("\n") + 1 + len(re.match(r"\n*", new).group(0))


BREAKAGES = [
    # (file, old, new, words the message must contain)
    ("acts.yaml", "  number: '3'\n", "  numbre: '3'\n", "unknown field 'numbre'"),
    ("acts.yaml", "  role: metadata", "  role: primary", "more than one primary source"),
    ("acts.yaml", "    format: pdf", "    format: word", "unknown format 'word'"),
    (
        "acts.yaml",
        "  jurisdiction: MH\n  title: The Maharashtra Village",
        "  jurisdiction: XX\n  title: The Maharashtra Village",
        "unknown jurisdiction 'XX'",
    ),
    ("acts.yaml", "- id: MH-VPAA-1960", "- id: MH-VPA-1959", "duplicate id 'MH-VPA-1959'"),
    ("acts.yaml", "  aliases: []", "  aliases: [RP Act 1950]", "already names IN-RPA-1950"),
    ("acts.yaml", "  aliases: []", "  aliases: [Maharashtra Village Panchayats Act]", "is the title of MH-VPA-1959"),
    ("acts.yaml", "  enacted_on: 1950-05-12", "  enacted_on: 1950-13-12", "bad date '1950-13-12'"),
    ("acts.yaml", "  enacted_on: 1950-05-12", "  enacted_on: 12-May-1950", "bad date '12-May-1950'"),
    ("acts.yaml", "    text_as_on: 2025-04-04", "    text_as_on: 4th April 2025", "bad date '4th April 2025'"),
    ("acts.yaml", "  - file: maharashtra/vpa-1959.pdf", "  - file: maharashtra/missing.pdf", "not found"),
    (
        "acts.yaml",
        "  - file: maharashtra/vpa-1959.indiacode-actpage.html",
        "  - file: maharashtra/vpa-1959.pdf",
        "already listed",
    ),
    ("acts.yaml", "  body: central", "  body: federal", "unknown body 'federal'"),
    ("acts.yaml", "- id: MH-VPAA-1960", "- id: MH-VPAA-1961", "differs from the Act's year 1960"),
    ("acts.yaml", "- id: MH-VPAA-1960", "- id: mh vpaa 1960", "must look like JURIS-ABBR-YEAR"),
    ("acts.yaml", "  aliases: []", "  year: 1961", "given twice"),
    ("jurisdictions.yaml", "  aliases: [Union]", "  aliases: [Union, Maha]", "already names jurisdiction MH"),
    ("jurisdictions.yaml", "- code: IN", "- code: MH", "already names jurisdiction MH"),
    ("jurisdictions.yaml", "  type: central", "  type: federal", "unknown type 'federal'"),
    ("jurisdictions.yaml", "  sec_name: Election Commission of India\n", "  sec: x\n", "unknown field 'sec'"),
]


@pytest.mark.parametrize("name, old, new, words", BREAKAGES, ids=[b[3] for b in BREAKAGES])
def test_validation_error_names_file_line_and_field(corpus, name, old, new, words):
    line = break_file(corpus, name, old, new)
    with pytest.raises(ReferenceDataError) as info:
        load(corpus)
    message = str(info.value)
    assert "\n" not in message
    assert words in message
    assert f"{name}:{line}" in message, message
    assert info.value.field


def test_missing_file_not_checked_when_asked(corpus):
    (corpus / "sources" / "maharashtra" / "vpa-1959.pdf").unlink()
    with pytest.raises(ReferenceDataError, match="not found"):
        load(corpus)
    assert load(corpus, check_files=False).act("MH-VPA-1959").primary_source.file == "maharashtra/vpa-1959.pdf"


def test_yaml_syntax_error_names_line(corpus):
    line = break_file(corpus, "acts.yaml", "  aliases: []", "  aliases: [unclosed")
    with pytest.raises(ReferenceDataError) as info:
        load(corpus)
    assert "acts.yaml:" in str(info.value) and "invalid YAML" in str(info.value)
    assert info.value.line is not None and info.value.line >= line


def test_missing_required_field(corpus):
    line = break_file(corpus, "acts.yaml", "  body: panchayat\n  aliases: []", "  aliases: []")
    with pytest.raises(ReferenceDataError) as info:
        load(corpus)
    assert "missing required field 'body'" in str(info.value)
    assert info.value.line == line - 4  # the line of "- id: MH-VPAA-1960"
