"""Every command through click's CliRunner, on the knowledge base built from the real corpus."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import cli


@pytest.fixture
def run(built_kb):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [args[0], "--data", str(built_kb), *args[1:]], catch_exceptions=False)

    return invoke


def test_search_ranks_two_child_clause(run):
    result = run("search", "more than two children", "--state", "MH", "--limit", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    refs = [hit["ref"] for hit in json.loads(result.output)["hits"]]
    assert "MH-VPA-1959 s.14(1)(j-1)" in refs[:3]


def test_search_ordinarily_resident(run):
    result = run("search", "ordinarily resident", "--format", "json")
    refs = [hit["ref"] for hit in json.loads(result.output)["hits"]]
    assert any(ref.startswith("IN-RPA-1950 s.20") for ref in refs[:5]), refs


def test_search_piped_output_is_plain_and_json_gives_match_spans(run):
    result = run("search", "ordinarily resident", "--limit", "2")
    assert result.exit_code == 0
    assert "ordinarily" in result.output and "jurisdiction:" in result.output
    assert "**" not in result.output and "\x1b[" not in result.output
    hits = json.loads(run("search", "ordinarily resident", "--format", "json").output)["hits"]
    spans = [(hit["snippet"], m) for hit in hits for m in hit["matches"]]
    assert spans and all(s[m["start"] : m["end"]].lower().startswith(("ordinar", "resid")) for s, m in spans)


@pytest.mark.parametrize(
    "typed, ref",
    [
        ("MH VPA 1959 s.14(1)(j-1)", "MH-VPA-1959 s.14(1)(j-1)"),
        ("s.14(1)(j-1)", "MH-VPA-1959 s.14(1)(j-1)"),
        ("section 14 (1) (j-1)", "MH-VPA-1959 s.14(1)(j-1)"),
        ("Art. 243F(1)(a)", "IN-COI Art.243F(1)(a)"),
        ("243-K", "IN-COI Art.243K"),
        ("RPA 1950 s 19", "IN-RPA-1950 s.19"),
    ],
)
def test_show_resolves_what_lawyers_type(run, typed, ref):
    # A bare s.14(1)(j-1) exists only in the MH VPA among the corpus Acts.
    result = run("show", typed, "--format", "json")
    assert result.exit_code == 0, result.output
    view = json.loads(result.output)
    assert view["ref"] == ref
    assert view["provenance"]["sha256"] and view["provenance"]["file"]


def test_show_text_has_parents_amendments_provenance(run):
    result = run("show", "MH-VPA-1959 s.14(1)(j-1)")
    out = result.output
    assert "within MH-VPA-1959 s.14(1)" in out
    assert "has more than two children" in out
    assert "Mah. 44 of 2000" in out  # the amendment note joined to its footnote
    assert "text as on: 2025-04-04" in out


def test_show_unknown_provision_names_nearest(built_kb):
    result = CliRunner().invoke(cli, ["show", "--data", str(built_kb), "MH-VPA-1959 s.14(1)(j-9)"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "no such provision" in lines[0] and "MH-VPA-1959 s.14(1)" in lines[0]


def test_acts_and_stats(run):
    acts = run("acts", "--state", "MH", "--format", "json")
    rows = {row["id"]: row for row in json.loads(acts.output)}
    assert rows["MH-VPA-1959"]["coverage"] == "full text"
    assert rows["MH-MZPPSA-1961"]["coverage"] == "catalogued only"
    stats = json.loads(run("stats", "--format", "json").output)
    assert stats["totals"]["jurisdictions"] == 37
    assert stats["totals"]["provisions"] == stats["totals"]["index_documents"] - stats["totals"]["notes"]


def test_topics_lists_counts(run):
    result = run("topics", "--format", "json")
    topics = {row["id"]: row for row in json.loads(result.output)}
    assert topics["two-child-norm"]["by_jurisdiction"].get("MH", 0) >= 2


def test_no_knowledge_base_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["search", "--data", str(tmp_path / "none"), "x"])
    assert result.exit_code == 1
    assert "run `seckb build` first" in result.output
