"""Structural and textual checks of the hand-made reference data.

* corpus/topics.yaml: topic tree, patterns compile, rule keys point at topics;
* corpus/topic_overrides.yaml: citations parse, topics exist;
* corpus/rules/<CODE>.yaml: every rule uses a known key, body, value type, citation form, dates;
  secondary rules carry a source, verified rules carry a quote;
* verification: each non-secondary rule's ``quote`` occurs in the source document of its Act (read
  straight from the shared corpus -- Markdown, XML, JSON, PDF via pypdfium2 -- without the project's
  readers, so a reader bug cannot hide a wrong quote). Where the document is split into sections
  (India Code Markdown, Constitution JSON) the quote must occur inside the cited section.

The shared corpus lives at ../shared/corpus beside the project (or $SECKB_SOURCES); the
verification tests are skipped when it is absent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml

from kb.refs import ProvisionRef
from kb.rules import BODIES, RULE_FIELDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
RULES_DIR = CORPUS / "rules"
SOURCES = Path(os.environ.get("SECKB_SOURCES", ROOT.parent / "shared" / "corpus"))

ACT_IDS = {
    "IN-COI",
    "IN-RPA-1950",
    "IN-RPA-1951",
    "IN-RER-1960",
    "IN-PESA-1996",
    "IN-CA-2006",
    "MH-VPA-1959",
    "MH-MCA-1965",
    "MH-SECA-1994",
    "MH-MLAMDA-1986",
    "MN-PRA-1994",
    "DL-DMCA-1957",
    "DL-NDMCA-1994",
    "CH-PMCEA-1994",
    "KA-KPRA-1993",
    "KL-KPRA-1994",
    "KL-KMA-1994",
    "UP-PRA-1947",
    "TN-TNPA-1994",
    "TN-PAA-2008",
}
# Where each Act's text is in the shared corpus (several renderings: a quote must be in one of them).
ACT_SOURCES: dict[str, list[str]] = {
    "IN-COI": ["central/constitution-of-india.civictech.json", "central/constitution-of-india.indiankanoon.xml"],
    "IN-RPA-1950": [
        "central/representation-of-the-people-act-1950.indiacode.md",
        "central/representation-of-the-people-act-1950.indiankanoon.xml",
    ],
    "IN-RPA-1951": [
        "central/representation-of-the-people-act-1951.indiacode.md",
        "central/representation-of-the-people-act-1951.indiankanoon.xml",
    ],
    "IN-RER-1960": ["central/registration-of-electors-rules-1960.indiankanoon.xml"],
    "IN-PESA-1996": ["central/pesa-act-1996.indiacode.md"],
    "IN-CA-2006": ["central/cantonments-act-2006.indiacode.md"],
    "MH-VPA-1959": ["maharashtra/village-panchayats-act-1959.pdf"],
    "MH-MCA-1965": ["maharashtra/municipal-councils-nagar-panchayats-industrial-townships-act-1965.pdf"],
    "MH-SECA-1994": ["maharashtra/state-election-commissioner-act-1994.pdf"],
    "MH-MLAMDA-1986": ["maharashtra/local-authority-members-disqualification-act-1986.pdf"],
    "MN-PRA-1994": ["manipur/panchayati-raj-act-1994.indiacode.md", "manipur/panchayati-raj-act-1994.indiankanoon.xml"],
    "DL-DMCA-1957": ["delhi/delhi-municipal-corporation-act-1957.indiacode.md"],
    "DL-NDMCA-1994": [
        "delhi/new-delhi-municipal-council-act-1994.indiacode.md",
        "delhi/new-delhi-municipal-council-act-1994.indiankanoon.xml",
    ],
    "CH-PMCEA-1994": ["chandigarh/punjab-municipal-corporation-law-extension-act-1994.indiacode.md"],
    "KA-KPRA-1993": ["excerpts/karnataka__karnataka-panchayat-raj-act-1993__s11-12.excerpt.txt"],
    "KL-KPRA-1994": ["excerpts/kerala__kerala-panchayat-raj-act-1994__s29-34-35.excerpt.txt"],
    "KL-KMA-1994": ["excerpts/kerala__kerala-municipality-act-1994__s85-86.excerpt.txt"],
    "UP-PRA-1947": ["excerpts/uttar-pradesh__up-panchayat-raj-act-1947__s5A.excerpt.txt"],
    "TN-PAA-2008": ["excerpts/tamil-nadu__tn-panchayats-seventh-amendment-act-2008__s2-4.excerpt.txt"],
}
MAX_QUOTE = 300
GRADES = {"gazette or SEC site", "judgment", "legislative research", "news"}
STAGES = {"bill passed", "assented", "notified/commenced", "repealed", "struck down", "stayed by a court", "read down"}


# ----------------------------------------------------------------------------- loading


def _load(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def ontology() -> dict:
    return _load(CORPUS / "topics.yaml")


def rule_files() -> list[Path]:
    return sorted(RULES_DIR.glob("*.yaml"))


def all_rules() -> list[tuple[str, int, dict]]:
    out = []
    for path in rule_files():
        data = _load(path)
        for index, rule in enumerate(data.get("rules") or []):
            out.append((path.name, index, rule))
    return out


def _rule_id(item) -> str:
    name, index, rule = item
    return f"{name}#{index}:{rule.get('rule')}"


def verified_rules() -> list[tuple[str, int, dict]]:
    return [item for item in all_rules() if not item[2].get("secondary")]


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# ----------------------------------------------------------------------------- ontology


def test_topics_tree_and_patterns():
    data = ontology()
    assert set(data) == {"topics", "rules"}
    topics = {t["id"]: t for t in data["topics"]}
    assert len(topics) == len(data["topics"]), "duplicate topic id"
    for topic in data["topics"]:
        assert re.fullmatch(r"[a-z][a-z0-9-]*", topic["id"]), topic["id"]
        assert topic["label"] and topic.get("description"), topic["id"]
        assert topic["parent"] is None or topic["parent"] in topics, topic["id"]
        for pattern in topic.get("patterns") or []:
            re.compile(pattern, re.IGNORECASE)
        # every topic is reachable from a root without cycles
        seen, cur = set(), topic["id"]
        while cur is not None:
            assert cur not in seen, f"cycle at {cur}"
            seen.add(cur)
            cur = topics[cur]["parent"]
    required = {
        "elector",
        "elector-minimum-age",
        "elector-qualifying-date",
        "elector-ordinary-residence",
        "elector-roll-used",
        "elector-registration-disqualification",
        "candidate",
        "candidate-minimum-age",
        "candidate-must-be-elector",
        "candidate-reserved-seats",
        "candidate-disqualification",
        "two-child-norm",
        "education",
        "toilet",
        "arrears-of-dues",
        "charges-framed",
        "conviction",
        "government-service",
        "encroachment",
        "citizenship",
        "unsound-mind",
        "insolvency",
        "corrupt-practice",
        "election-expenses",
        "defection",
        "contract-with-body",
        "caste-validity-certificate",
        "election-authority",
        "sec-appointment",
        "sec-removal",
        "sec-qualifications",
    }
    assert required <= set(topics)


def test_rule_keys():
    data = ontology()
    topics = {t["id"] for t in data["topics"]}
    keys = [r["key"] for r in data["rules"]]
    assert len(keys) == len(set(keys))
    for rule in data["rules"]:
        assert rule["topic"] in topics, rule["key"]
        assert rule["role"] in {"elector", "candidate", "authority"}
        assert rule["type"] in {"yes_no", "number", "level", "text", "date"}
    required = {
        "elector_min_age",
        "elector_qualifying_date",
        "elector_ordinary_residence",
        "elector_roll_source",
        "elector_registration_disqualification",
        "candidate_min_age",
        "candidate_must_be_elector",
        "reserved_seats",
        "two_child_norm",
        "education_qualification",
        "toilet_requirement",
        "arrears_disqualification",
        "charges_framed",
        "conviction_disqualification",
        "government_service",
        "encroachment",
        "citizenship",
        "unsound_mind",
        "insolvency",
        "corrupt_practice",
        "election_expenses",
        "defection",
        "contract_with_body",
        "caste_validity_certificate",
        "inherits_legislature_disqualifications",
        "sec_appointment",
        "sec_removal",
        "sec_qualifications",
    }
    assert required <= set(keys)


def test_ontology_loads_with_project_loader():
    from kb.topics import load_ontology

    onto = load_ontology(CORPUS)
    assert "two-child-norm" in onto.topics
    assert "candidate-disqualification" in onto.ancestors("two-child-norm")
    assert "more than two children" in onto.synonyms()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("(j-1) has more than two children :", "two-child-norm"),
        ("(j-5) fails to submit a certificate ... has a toilet in such house", "toilet"),
        ("(b) has been adjudged by a Competent Court to be of unsound mind ;", "unsound-mind"),
        ("(c) is an undischarged insolvent; or", "insolvency"),
        ("(a) has failed to lodge an account of election expenses within the time", "election-expenses"),
        ("(j-3) has encroached upon the Government land or public property ; or", "encroachment"),
        ("is not less than eighteen years of age on the qualifying date", "elector-minimum-age"),
        ("is ordinarily resident in a constituency", "elector-ordinary-residence"),
        (
            "Caste Certificate issued by the Competent Authority and the Validity Certificate",
            "caste-validity-certificate",
        ),
        ("(g) if he holds any office of profit under the Government", "government-service"),
        (
            "if he is so disqualified by or under any law for the time being in force for the purposes of elections "
            "to the Legislature of the State concerned",
            "inherited-legislature-disqualification",
        ),
        ("shall not be removed from his office except in like manner", "sec-removal"),
    ],
)
def test_patterns_hit(text, expected):
    from kb.topics import load_ontology

    # The clauses' lead-in, where a topic with a context (toilet, conviction, arrears) finds it.
    lead_in = "Disqualifications.\nNo person shall be a member of a panchayat, or continue as such, who—"
    assert expected in load_ontology(CORPUS).tag("", text, lead_in)


@pytest.mark.parametrize(
    "text, unexpected",
    [
        # generic election words must not pull in eligibility topics
        (
            "The election of members of panchayat shall be held on such date as the State Election Commission may appoint.",
            {"elector", "candidate", "candidate-disqualification", "election-authority"},
        ),
        ("The voting at an election shall be by ballot or by electronic voting machine.", {"elector", "candidate"}),
        (
            "No person shall, on the date of poll, canvass for votes within a hundred yards of the polling station.",
            {"elector", "candidate", "candidate-disqualification"},
        ),
    ],
)
def test_patterns_do_not_overreach(text, unexpected):
    from kb.topics import load_ontology

    assert not (load_ontology(CORPUS).tag("", text) & unexpected)


@pytest.mark.parametrize(
    ("text", "around", "topic", "tagged"),
    [
        # A topic with a context counts its pattern only beside the words of eligibility ...
        ("Such duties of excise on medicinal and toilet preparations as are mentioned", "", "toilet", False),
        ("he resides in a house owned by him and has a toilet in such house", "", "toilet", False),
        # ... in the provision itself or in its lead-in and section heading.
        (
            "he resides in a house owned by him and has a toilet in such house",
            "Disqualification for becoming councillor.\nNo person shall be qualified to become a Councillor who,—",
            "toilet",
            True,
        ),
        (
            "any licence granted may be revoked if its holder has been convicted of a breach of it",
            "",
            "conviction",
            False,
        ),
        (
            "If any person fails to pay any tax or fee due from him to a panchayat",
            "Recovery of taxes",
            "arrears-of-dues",
            False,
        ),
        ("fails to pay any tax or fee due to the panchayat", "Disqualifications.", "arrears-of-dues", True),
        # The RPA 1951 s.8 formula, which the TN amendment copies without the word "disqualified".
        ('"(1) A person convicted of an offence punishable under— (a) Section 153-A', "", "conviction", True),
    ],
)
def test_a_topics_context_must_stand_beside_its_pattern(text, around, topic, tagged):
    from kb.topics import load_ontology

    assert (topic in load_ontology(CORPUS).tag("", text, around)) is tagged


def test_a_bad_context_is_refused_with_its_line(tmp_path):
    from kb.errors import ReferenceDataError
    from kb.topics import load_ontology

    (tmp_path / "topics.yaml").write_text(
        "topics:\n  - id: toilet\n    label: Toilet\n    context: '(unclosed'\n    patterns: ['toilet']\nrules: []\n"
    )
    with pytest.raises(ReferenceDataError) as err:
        load_ontology(tmp_path)
    assert "bad context '(unclosed' in topic toilet" in err.value.one_line() and "topics.yaml" in err.value.one_line()


def test_overrides():
    path = CORPUS / "topic_overrides.yaml"
    data = _load(path) or []
    if isinstance(data, dict):
        data = data.get("overrides") or []
    topics = {t["id"] for t in ontology()["topics"]}
    assert data, "expected a few overrides"
    for entry in data:
        ref = ProvisionRef.parse(entry["citation"])
        assert ref.act in ACT_IDS and str(ref) == entry["citation"], entry["citation"]
        assert entry.get("reason")
        assert entry.get("add") or entry.get("remove")
        for topic in [*(entry.get("add") or []), *(entry.get("remove") or [])]:
            assert topic in topics, topic


# ----------------------------------------------------------------------------- rule files


def test_rule_files_exist():
    codes = {p.stem for p in rule_files()}
    assert {"IN", "MH", "MN", "DL", "CH", "KA", "KL", "UP", "TN"} <= codes


@pytest.mark.parametrize("path", rule_files(), ids=lambda p: p.name)
def test_rule_file_shape(path):
    data = _load(path)
    assert set(data) <= {"jurisdiction", "rules"}
    assert data["jurisdiction"] == path.stem
    assert isinstance(data.get("rules") or [], list)


@pytest.mark.parametrize("item", all_rules(), ids=_rule_id)
def test_rule_entry(item):
    _, _, rule = item
    keys = {r["key"]: r for r in ontology()["rules"]}
    assert set(rule) <= RULE_FIELDS, set(rule) - RULE_FIELDS
    assert rule["rule"] in keys
    assert rule["body"] in BODIES
    value = str(rule["value"])
    assert value.strip()
    rtype = keys[rule["rule"]]["type"]
    if rtype == "yes_no":
        assert value in {"yes", "no"}, value
    elif rtype == "number":
        assert re.fullmatch(r"\d+", value), value
    assert rule.get("summary")
    start, end = _as_date(rule.get("in_force_from")), _as_date(rule.get("repealed_on"))
    if start and end:
        assert start < end
    for link in rule.get("inherited_via") or []:
        ref = ProvisionRef.parse(link)
        assert ref.act in ACT_IDS and str(ref) == link, link
    assert rule.get("stage", "notified/commenced") in STAGES
    if rule.get("stage") in ("bill passed", "assented"):
        assert rule.get("stage_date"), "a pending change needs the date of its stage"
    if rule.get("judgment"):
        assert rule["judgment"] in {c["id"] for c in _load(CORPUS / "cases.yaml")}, rule["judgment"]
    if rule.get("secondary"):
        source = rule.get("source") or {}
        assert source.get("title") and re.match(r"https?://", source.get("url") or ""), source
        assert source.get("grade") in GRADES, source
        if rule.get("citation"):
            ProvisionRef.parse(rule["citation"])  # must at least be shaped like a reference
    else:
        assert rule.get("citation"), "a verified rule needs a citation"
        ref = ProvisionRef.parse(rule["citation"])
        assert ref.act in ACT_IDS, ref.act
        assert str(ref) == rule["citation"], f"not canonical: {rule['citation']!r} -> {ref}"
        quote = rule.get("quote") or ""
        assert quote.strip() and len(quote) <= MAX_QUOTE, len(quote)
        assert not rule.get("source")


def test_one_cell_per_rule_and_body():
    """A jurisdiction has one rule in force per (key, body) and Act at any date: versions of one
    rule (its timeline) do not overlap, and a pending Bill is not a version in force."""
    periods: dict[tuple, list[tuple]] = {}
    for name, index, rule in all_rules():
        if rule.get("stage") in ("bill passed", "assented"):
            continue
        act = (rule.get("citation") or "").split(" ")[0] if not rule.get("secondary") else ""
        start = _as_date(rule.get("in_force_from")) or dt.date.min
        end = _as_date(rule.get("repealed_on")) or dt.date.max
        key = (name, rule["rule"], rule["body"], act)
        for other_start, other_end, other in periods.get(key, []):
            assert end <= other_start or start >= other_end, (key, index, other)
        periods.setdefault(key, []).append((start, end, index))


# ----------------------------------------------------------------------------- quote verification

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2015": '"',
        "\u2016": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\xa0": " ",
        "\ufffe": "-",
        "\u00ad": "",
    }
)


def normalise(text: str) -> str:
    """Comparable form: unify quotes and dashes, drop amendment markers, footnote numbers glued to
    brackets, omission stars and dots, collapse whitespace, ignore case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\^\d+[A-Z]?", " ", text)  # India Code "^3[" / "^2***"
    text = re.sub(r"(?<![A-Za-z0-9])\d{1,3}[A-Z]?\s*\[", " ", text)  # PDF/Kanoon "3\n[" / "3["
    text = re.sub(r"<[^>]+>", " ", text)  # XML tags
    text = text.replace("[", " ").replace("]", " ").replace("*", " ")
    text = re.sub(r"\.{3,}", " ", text)
    text = re.sub(r"\s*-{2,}\s*", " - ", text)  # "--" used as an em dash
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,;:.)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return text.strip().lower()


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


@cache
def document_text(relative: str) -> str:
    path = SOURCES / relative
    if path.suffix == ".pdf":
        return _pdf_text(path)
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return "\n".join(f"{a['article']} {a['title']}\n{a['description']}" for a in json.loads(raw))
    return raw


@cache
def normalised_document(relative: str) -> str:
    return normalise(document_text(relative))


@cache
def section_blocks(relative: str) -> dict[str, str] | None:
    """Top-level unit -> its normalised text, for formats that mark units unambiguously."""
    raw = document_text(relative) if relative.endswith(".md") else None
    if relative.endswith(".json"):
        data = json.loads((SOURCES / relative).read_text(encoding="utf-8"))
        return {str(a["article"]).upper(): normalise(f"{a['title']}\n{a['description']}") for a in data}
    if raw is None:
        return None
    blocks: dict[str, str] = {}
    for match in re.finditer(r"^## Section (\S+) - (.*?)$(.*?)(?=^## Section |\Z)", raw, re.M | re.S):
        key = re.sub(r"[\s\-.]", "", match.group(1)).upper()
        blocks[key] = blocks.get(key, "") + " " + normalise(match.group(2) + "\n" + match.group(3))
    return blocks


def locate_quote(rule: dict) -> tuple[bool, str]:
    """(found, where): the quote in the cited section if the format has sections, else anywhere."""
    ref = ProvisionRef.parse(rule["citation"])
    files = ACT_SOURCES.get(ref.act or "")
    if not files:
        return False, f"no source document in the corpus for {ref.act}"
    quote = normalise(rule["quote"])
    number = re.sub(r"[\s\-.]", "", ref.number).upper()
    for relative in files:
        if not (SOURCES / relative).exists():
            continue
        blocks = section_blocks(relative)
        if blocks is not None:
            if quote in blocks.get(number, ""):
                return True, f"{relative} (section {ref.number})"
            continue
        if quote in normalised_document(relative):
            return True, relative
    return False, f"quote not found in {files} (section {ref.number})"


needs_sources = pytest.mark.skipif(not SOURCES.exists(), reason=f"shared corpus not found at {SOURCES}")


@needs_sources
@pytest.mark.parametrize("item", verified_rules(), ids=_rule_id)
def test_quote_occurs_in_source(item):
    _, _, rule = item
    found, where = locate_quote(rule)
    assert found, where


@needs_sources
def test_verification_rate(capsys):
    rules = verified_rules()
    found = sum(1 for _, _, rule in rules if locate_quote(rule)[0])
    secondary = len(all_rules()) - len(rules)
    with capsys.disabled():
        print(
            f"\nrules data: {found}/{len(rules)} verified quotes found in the source text "
            f"({100.0 * found / max(len(rules), 1):.1f}%); {secondary} secondary rules"
        )
    assert found == len(rules)
