"""Bad input anywhere gives one "Error:" line naming the file or field, a non-zero exit, never a
traceback, and leaves the knowledge base answering exactly as before.

Everything goes through the real command line (click's CliRunner) against a small knowledge base
(tests/small_corpus.py); the broken files are in tests/fixtures/bad/ or written into tmp_path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from small_corpus import SmallKb

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
SEARCH = ["search", "more than two children", "--state", "MH"]
SHOW = ["show", "MH-VPA-1959 s.14(1)(j-1)"]
PDF = "maharashtra/village-panchayats-act-1959.pdf"


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory) -> SmallKb:
    kb = SmallKb(tmp_path_factory.mktemp("badkb"))
    done = kb.invoke(["build", "-q"])
    assert done.exit_code == 0, done.output
    kb.expected = (kb.answer(SEARCH), kb.answer(SHOW))
    return kb


@pytest.fixture
def unchanged(small_kb):
    """After the test, the knowledge base still gives the same answers from the same build."""
    build_id = (small_kb.data / "current").resolve().name
    yield small_kb
    assert (small_kb.data / "current").resolve().name == build_id
    assert (small_kb.answer(SEARCH), small_kb.answer(SHOW)) == small_kb.expected


def error_line(result, *names: str) -> str:
    """The single Error: line of a refused command; checks it is a clean refusal."""
    assert result.exit_code not in (0, None), result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    for name in names:
        assert name in errors[0], f"{name!r} not named in {errors[0]!r}"
    return errors[0]


# --- readers (through `seckb add`, which reads the file before touching anything) -----------------

@pytest.mark.parametrize("name, says", [
    ("truncated.pdf", "not a readable PDF"),
    ("garbage.pdf", "not a readable PDF"),
    ("broken_nesting.html", "not an India Code act page"),
    ("broken_nesting.xml", "malformed XML"),
    ("latin1.md", "UnicodeDecodeError"),
    ("utf16.md", "UnicodeDecodeError"),
])
def test_unreadable_document_is_refused_by_add(unchanged, name, says):
    result = unchanged.invoke(["add", str(BAD / name), "--state", "MH"])
    error_line(result, name, says)


def test_huge_file_is_refused_without_reading_it(unchanged, tmp_path):
    huge = tmp_path / "huge-act.md"
    line = "(1) No person shall be a member of a panchayat who has more than two children.\n"
    with open(huge, "w") as handle:
        handle.write("---\ntitle: Huge Act\n---\n## Section 1 - Everything\n")
        handle.write(line * (50 * (1 << 20) // len(line)))
    result = unchanged.invoke(["add", str(huge), "--state", "MH"])
    error_line(result, "huge-act.md", "too large")


def test_empty_and_unknown_files_are_refused(unchanged, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    error_line(unchanged.invoke(["add", str(empty), "--state", "MH"]), "empty.txt")
    odd = tmp_path / "act.bin"
    odd.write_bytes(bytes(range(256)) * 4)
    error_line(unchanged.invoke(["add", str(odd), "--state", "MH"]), "act.bin", "unknown format")


def test_failed_build_leaves_the_previous_knowledge_base(unchanged, tmp_path):
    """One source truncated (a broken download): the build fails, naming it; nothing is lost."""
    sources = tmp_path / "sources"
    shutil.copytree(unchanged.sources, sources)
    data = (sources / PDF).read_bytes()
    (sources / PDF).chmod(0o644)
    (sources / PDF).write_bytes(data[: len(data) // 2])
    result = unchanged.invoke(["build", "-q", "--sources", str(sources)])
    error_line(result, "village-panchayats-act-1959.pdf", "not a readable PDF")
    assert not [p for p in unchanged.data.iterdir() if p.name.startswith("gen-")
                and not (p / "BUILD.json").exists()], "the failed generation was not discarded"


# --- corpus data (SECKB_CORPUS pointing at a broken copy) ------------------------------------------

def _broken_corpus(kb: SmallKb, tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(kb.corpus, corpus)
    return corpus


def _build_with(kb: SmallKb, corpus: Path):
    from click.testing import CliRunner

    from cli import cli

    env = {k: v for k, v in kb.env.items() if k.startswith("SECKB_")} | {"SECKB_CORPUS": str(corpus)}
    return CliRunner().invoke(cli, ["build", "-q"], env=env)


def test_catalogue_naming_a_missing_file(unchanged, tmp_path):
    corpus = _broken_corpus(unchanged, tmp_path)
    entries = yaml.safe_load((corpus / "acts.yaml").read_text())
    entries[0]["sources"][0]["file"] = "maharashtra/no-such-act.pdf"
    (corpus / "acts.yaml").write_text(yaml.safe_dump(entries, sort_keys=False))
    error_line(_build_with(unchanged, corpus), "acts.yaml", "no-such-act.pdf")


def test_catalogue_that_is_not_yaml(unchanged, tmp_path):
    corpus = _broken_corpus(unchanged, tmp_path)
    (corpus / "acts.yaml").write_text("- id: MH-VPA-1959\n  title: [unclosed\n")
    error_line(_build_with(unchanged, corpus), "acts.yaml")


def test_topic_with_a_bad_regular_expression(unchanged, tmp_path):
    corpus = _broken_corpus(unchanged, tmp_path)
    text = (corpus / "topics.yaml").read_text()
    first = text.index("    patterns:\n") + len("    patterns:\n")
    (corpus / "topics.yaml").write_text(text[:first] + "      - '(unclosed group'\n" + text[first:])
    line = error_line(_build_with(unchanged, corpus), "topics.yaml")
    assert "(unclosed group" in line or "pattern" in line


def test_rule_citing_a_provision_that_does_not_exist(unchanged, tmp_path):
    corpus = _broken_corpus(unchanged, tmp_path)
    (corpus / "rules" / "MH.yaml").write_text(
        "jurisdiction: MH\nrules:\n"
        "  - rule: two_child_norm\n    body: panchayat\n    value: 'yes'\n"
        "    summary: More than two children disqualifies.\n"
        "    citation: MH-VPA-1959 s.999(9)\n    quote: ''\n")
    error_line(_build_with(unchanged, corpus), str(corpus / "rules" / "MH.yaml"), "citation", "s.999(9)")


def test_rules_file_that_is_not_yaml(unchanged, tmp_path):
    corpus = _broken_corpus(unchanged, tmp_path)
    (corpus / "rules" / "MH.yaml").write_text("jurisdiction: MH\nrules:\n  - rule: [\n")
    error_line(_build_with(unchanged, corpus), "MH.yaml")


# --- query syntax ----------------------------------------------------------------------------------

ODD_QUERIES = ['"more than two', "two (children", "children) two", "NOT", "NOT NOT", "AND", "OR OR",
               "nosuchfield:foo", "heading:", "topics:(", "(", ")", '"', "*", "?", "a~", "a^", "[a TO",
               "{", "a:b:c", "\\", "s.", "s.14(", "Art. 243F((1)", "", "   "]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_query_answers_or_refuses_in_one_line(unchanged, query):
    """kb.query sanitises most syntax slips into words; what it cannot, it must refuse cleanly."""
    result = unchanged.invoke(["search", query, "--limit", "3"])
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert "result(s) for" in result.output
    else:
        error_line(result)


# --- citations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("citation, says", [
    ("s.999(9)", "no such provision: s.999(9)"),
    ("MH-VPA-1959 s.14(1)(zz)", "nearest: MH-VPA-1959 s.14(1)"),
    ("hello", "not a provision reference: 'hello'"),
    ("", "empty provision reference"),
    ("XX-YY-2000 s.1", "no Act called 'XX-YY-2000'"),
    ("(((", "not a provision reference"),
])
def test_citation_that_does_not_resolve(unchanged, citation, says):
    error_line(unchanged.invoke(["show", citation]), says)


# --- options ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, names", [
    (["search", "children", "--limit", "0"], ["--limit", "0"]),
    (["search", "children", "--limit", "abc"], ["--limit"]),
    (["compare", "--as-of", "2020-13-45"], ["--as-of", "2020-13-45"]),
    (["compare", "--states", "XX"], ["--states", "XX"]),
    (["compare", "--topic", "no-such-topic"], ["--topic", "no-such-topic"]),
    (["compare", "--rule", "no_such_rule"], ["--rule", "no_such_rule"]),
    (["compare", "--format", "pdf"], ["--format"]),
    (["show", "s.14(1)", "--db", "nosuchdriver://x"], ["--db"]),
])
def test_bad_option(unchanged, args, names):
    error_line(unchanged.invoke(args), *names)


def test_data_folder_without_a_knowledge_base(small_kb, tmp_path):
    result = small_kb.invoke(["search", "children", "--data", str(tmp_path / "empty")])
    error_line(result, str(tmp_path / "empty"), "seckb build")
