"""`seckb add` / `remove`: a user's own download joins the knowledge base, the shipped corpus stays as is."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from usercorpus_helpers import SOURCES, karnataka_pdf, mini_corpus

from kb.errors import ReaderError, SeckbError

CH = SOURCES / "chandigarh"
CH_MD = CH / "punjab-municipal-corporation-law-extension-act-1994.indiacode.md"
CH_XML = CH / "punjab-municipal-corporation-law-extension-act-1994.indiankanoon.xml"


@pytest.fixture
def kb(tmp_path, monkeypatch):
    """(data folder, corpus folder) of a freshly built knowledge base on the small catalogue."""
    from kb.build import BuildOptions, build_knowledge_base

    corpus = mini_corpus(tmp_path / "corpus")
    monkeypatch.setenv("SECKB_CORPUS", str(corpus))
    data = tmp_path / "data"
    build_knowledge_base(BuildOptions(sources_dir=SOURCES, data_dir=data))
    return data, corpus


def _add(data, **kw):
    from kb.userdocs import AddRequest, add_document

    return add_document(AddRequest(**kw), data, SOURCES)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _current(data: Path) -> str:
    return (data / "current").resolve().name


def _search(data, text, act):
    from kb.knowledge import KnowledgeBase
    from kb.query import SearchRequest, search

    with KnowledgeBase.open(data) as handle:
        return [r.ref for r in search(handle, SearchRequest(text=text, acts=[act], limit=20)).hits]


def test_karnataka_pdf_matches_the_catalogue_and_supersedes_the_excerpt(kb, tmp_path):
    data, corpus = kb
    shipped = _digest(corpus), _digest(SOURCES)
    report = _add(data, file=karnataka_pdf(tmp_path / "download" / "kpr.pdf"), state="KA")
    assert (report.act_id, report.matched_by, report.new_act, report.role) == (
        "KA-KPRA-1993",
        "title",
        False,
        "primary",
    )
    assert report.stored_as == "user-corpus/ka/kpr.pdf"
    assert (data / "current" / "user-corpus" / "ka" / "kpr.pdf").read_bytes() == (
        tmp_path / "download" / "kpr.pdf"
    ).read_bytes()
    assert report.sections == 4 and report.provisions >= 8
    assert report.eligibility_provisions >= 2  # s.11 and s.12 bear on who may stand
    assert report.numbering_gaps == ["3-10"]
    assert (_digest(corpus), _digest(SOURCES)) == shipped  # the shipped corpus is never written
    # The shipped excerpt is kept as an alternate; the knowledge base now cites the full text.
    from kb import settings
    from kb.reference import load_reference

    act = load_reference(corpus, SOURCES, user_dir=settings.user_corpus_dir(data)).act("KA-KPRA-1993")
    assert [(s.file.split("/")[0], s.role) for s in act.sources] == [
        ("excerpts", "alternate"),
        ("user-corpus", "primary"),
    ]
    assert "KA-KPRA-1993 s.12(1)(b)" in _search(data, "more than two children", "KA-KPRA-1993")


def test_new_act_from_two_renderings_is_searched_and_compared_at_once(kb):
    from kb.compare import CompareRequest, compare_states
    from kb.knowledge import KnowledgeBase

    data, _ = kb

    def ch_note() -> str:
        with KnowledgeBase.open(data) as handle:
            table = compare_states(
                handle, CompareRequest(topics=["candidate-disqualification"], states=["CH"], body="municipal")
            )
        return table.rows[0].cells[0].status

    def plain_columns() -> tuple[str, ...]:  # no --states: every State with rules or a held Act
        with KnowledgeBase.open(data) as handle:
            return compare_states(handle, CompareRequest(topics=["candidate-disqualification"])).jurisdictions

    assert ch_note() == "Act not in corpus (catalogued)"
    assert "CH" not in plain_columns()
    first = _add(data, file=CH_MD, state="CH", title="The Chandigarh Municipal Corporation Act, 1994")
    assert (first.act_id, first.new_act, first.role) == ("CH-MCA-1994", True, "primary")
    second = _add(data, file=CH_XML, state="CH", act="CH-MCA-1994")
    assert (second.act_id, second.role, second.sections) == ("CH-MCA-1994", "alternate", 5)
    assert "CH-MCA-1994 s.2(1)" in _search(data, "Punjab Municipal Corporation Act 1976 extended", "CH-MCA-1994")
    assert ch_note() == "Act held, not yet reviewed for this rule"  # compare sees the text at once
    assert "CH" in plain_columns()


def test_remove_by_file_then_by_id(kb):
    data, _ = kb
    from kb.userdocs import remove_document

    _add(data, file=CH_MD, state="CH", title="The Chandigarh Municipal Corporation Act, 1994")
    _add(data, file=CH_XML, state="CH", act="CH-MCA-1994")
    report = remove_document(CH_XML.name, data, SOURCES)
    assert report.removed_files == [f"user-corpus/ch/{CH_XML.name}"] and report.removed_acts == []
    assert not (data / "current" / "user-corpus" / "ch" / CH_XML.name).exists()
    assert _search(data, "municipal corporation", "CH-MCA-1994")
    remove_document("CH-MCA-1994", data, SOURCES)
    assert not (data / "current" / "user-corpus" / "ch" / CH_MD.name).exists()
    from kb.errors import QueryError

    with pytest.raises(QueryError, match="unknown Act id 'CH-MCA-1994'"):  # gone from the catalogue too
        _search(data, "municipal corporation", "CH-MCA-1994")
    with pytest.raises(SeckbError, match="neither an Act nor a file added") as info:
        remove_document("MH-VPA-1959", data, SOURCES)
    assert "gen-" not in info.value.one_line()


def test_same_file_again_needs_replace_and_changes_nothing_without_it(kb):
    data, _ = kb
    _add(data, file=CH_MD, state="CH", title="The Chandigarh Municipal Corporation Act, 1994")
    before = _current(data), _digest(data / "current" / "user-corpus")
    with pytest.raises(SeckbError, match="use --replace") as info:
        _add(data, file=CH_MD, state="CH", act="CH-MCA-1994")
    # The error names the file given, not the discarded generation's copy of it.
    assert info.value.one_line().startswith(f"{CH_MD}: ") and "gen-" not in info.value.one_line()
    assert (_current(data), _digest(data / "current" / "user-corpus")) == before
    again = _add(data, file=CH_MD, state="CH", act="CH-MCA-1994", replace=True)
    assert again.role == "primary" and _current(data) != before[0]


def test_a_year_or_text_date_still_to_come_is_refused_and_changes_nothing(kb):
    import datetime as dt

    data, _ = kb
    before = _current(data)
    with pytest.raises(SeckbError, match="after this year") as info:
        _add(data, file=CH_MD, state="CH", title="The Chandigarh Future Act", year=2099)
    assert "[--year]" in info.value.one_line()
    later = dt.date.today() + dt.timedelta(days=400)
    with pytest.raises(SeckbError, match="after today") as info:
        _add(data, file=CH_MD, state="CH", title="The Chandigarh Municipal Corporation Act, 1994", as_on=later)
    assert "[--as-on]" in info.value.one_line()
    assert _current(data) == before


def test_unreadable_file_or_failed_build_leaves_everything_as_it_was(kb, tmp_path, monkeypatch):
    data, _ = kb
    before = _current(data)
    junk = tmp_path / "junk.txt"
    junk.write_text("not an Act at all\n")
    with pytest.raises(ReaderError):
        _add(data, file=junk, state="KA")
    assert not (data / "current" / "user-corpus" / "acts.yaml").exists()

    import kb.build

    def broken_build(txn, options):
        raise RuntimeError("disk full")

    monkeypatch.setattr(kb.build, "build_into", broken_build)
    with pytest.raises(RuntimeError):
        _add(data, file=CH_MD, state="CH", title="The Chandigarh Municipal Corporation Act, 1994")
    assert not (data / "current" / "user-corpus" / "acts.yaml").exists()
    assert not (data / "current" / "user-corpus" / "ch" / CH_MD.name).exists()
    assert _current(data) == before


def test_cli_add_reports_in_one_command(kb, tmp_path):
    from cli import cli

    data, _ = kb
    result = CliRunner().invoke(
        cli,
        [
            "add",
            str(karnataka_pdf(tmp_path / "kpr.pdf")),
            "--state",
            "KA",
            "--data",
            str(data),
            "--sources",
            str(SOURCES),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "KA-KPRA-1993" in result.output and "matched by title" in result.output
    assert "under the eligibility topics" in result.output and "numbering gaps): sections 3-10" in result.output
    removed = CliRunner().invoke(cli, ["remove", "KA-KPRA-1993", "--data", str(data), "--format", "json"])
    assert removed.exit_code == 0, removed.output
    assert json.loads(removed.stdout)["removed_files"]
    bad = CliRunner().invoke(cli, ["add", str(CH_MD), "--state", "ZZ", "--data", str(data)])
    assert bad.exit_code != 0 and "unknown jurisdiction 'ZZ'" in bad.output and "Traceback" not in bad.output


def test_add_and_fetch_options():
    from cli import cli

    for command in ("add", "fetch"):
        help_text = CliRunner().invoke(cli, [command, "--help"]).output
        assert "--format [text|json]" in help_text and "--output" in help_text
        assert "--json" not in help_text  # a hidden alias of --format json, kept for old scripts
    assert "--source-format" in CliRunner().invoke(cli, ["add", "--help"]).output


def test_matching_and_new_ids():
    from kb.reference import load_reference
    from kb.userdocs import match_act, new_act_id, numbering_gaps

    ref = load_reference()
    assert match_act(ref, "KA", "The Karnataka Gram Swaraj and Panchayat Raj Act, 1993")[0].id == "KA-KPRA-1993"
    assert match_act(ref, "KA", "KARNATAKA PANCHAYAT RAJ ACT")[0].id == "KA-KPRA-1993"  # an alias
    assert match_act(ref, "KA", "Some Other Title", 1993, "14") == (ref.act("KA-KPRA-1993"), "number and year")
    assert match_act(ref, "MH", "The Karnataka Gram Swaraj and Panchayat Raj Act, 1993") == (None, "new")
    assert new_act_id(ref, "CH", "The Chandigarh Municipal Corporation Act, 1994", 1994) == "CH-MCA-1994"
    assert new_act_id(ref, "MN", "The Manipur Panchayati Raj Act, 1994", 1994) == "MN-PRAB-1994"  # PRA is taken
    assert numbering_gaps(["1", "2", "2A", "5", "6", "9"]) == ["3-4", "7-8"]
