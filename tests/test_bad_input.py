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

from tests.factories import note_markdown

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


@pytest.mark.parametrize(
    "name, says",
    [
        ("truncated.pdf", "not a readable PDF"),
        ("garbage.pdf", "not a readable PDF"),
        ("broken_nesting.html", "not an India Code act page"),
        ("broken_nesting.xml", "malformed XML"),
        ("latin1.md", "not UTF-8 text (byte "),
        ("utf16.md", "save the file as UTF-8"),
    ],
)
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
    assert not [p for p in unchanged.data.iterdir() if p.name.startswith("gen-") and not (p / "BUILD.json").exists()], (
        "the failed generation was not discarded"
    )


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
        "    citation: MH-VPA-1959 s.999(9)\n    quote: ''\n"
    )
    error_line(_build_with(unchanged, corpus), str(corpus / "rules" / "MH.yaml"), "citation", "s.999(9)")


def test_rules_file_that_is_not_yaml(unchanged, tmp_path):
    corpus = _broken_corpus(unchanged, tmp_path)
    (corpus / "rules" / "MH.yaml").write_text("jurisdiction: MH\nrules:\n  - rule: [\n")
    error_line(_build_with(unchanged, corpus), "MH.yaml")


# --- query syntax ----------------------------------------------------------------------------------

ODD_QUERIES = [
    '"more than two',
    "two (children",
    "children) two",
    "NOT",
    "NOT NOT",
    "AND",
    "OR OR",
    "nosuchfield:foo",
    "heading:",
    "topics:(",
    "(",
    ")",
    '"',
    "*",
    "?",
    "a~",
    "a^",
    "[a TO",
    "{",
    "a:b:c",
    "\\",
    "s.",
    "s.14(",
    "Art. 243F((1)",
    "",
    "   ",
]


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


@pytest.mark.parametrize(
    "citation, says",
    [
        ("s.999(9)", "no such provision: s.999(9)"),
        ("MH-VPA-1959 s.14(1)(zz)", "nearest: MH-VPA-1959 s.14(1)"),
        ("hello", "not a provision reference: 'hello'"),
        ("", "empty provision reference"),
        ("XX-YY-2000 s.1", "no Act called 'XX-YY-2000'"),
        ("(((", "not a provision reference"),
    ],
)
def test_citation_that_does_not_resolve(unchanged, citation, says):
    error_line(unchanged.invoke(["show", citation]), says)


# --- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, names",
    [
        (["search", "children", "--limit", "0"], ["--limit", "0"]),
        (["search", "children", "--limit", "abc"], ["--limit"]),
        (["compare", "--as-of", "2020-13-45"], ["--as-of", "2020-13-45"]),
        (["compare", "--states", "XX"], ["--states", "XX"]),
        (["compare", "--topic", "no-such-topic"], ["--topic", "no-such-topic"]),
        (["compare", "--rule", "no_such_rule"], ["--rule", "no_such_rule"]),
        (["compare", "--format", "pdf"], ["--format"]),
        (["show", "s.14(1)", "--db", "nosuchdriver://x"], ["--db"]),
    ],
)
def test_bad_option(unchanged, args, names):
    error_line(unchanged.invoke(args), *names)


def test_data_folder_without_a_knowledge_base(small_kb, tmp_path):
    result = small_kb.invoke(["search", "children", "--data", str(tmp_path / "empty")])
    error_line(result, str(tmp_path / "empty"), "seckb build")


# --- safety ---------------------------------------------------------------------------------------


def test_notes_import_does_not_follow_links_out_of_the_folder(small_kb, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(
        note_markdown("Secret note from outside", "Clause [[MH-VPA-1959 s.14(1)(j-1)]].")
    )
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "inside.md").write_text(note_markdown("Inside note", "Clause [[MH-VPA-1959 s.14(1)(j-1)]]."))
    (folder / "escape.md").symlink_to(outside / "secret.md")
    (folder / "alias.md").symlink_to(folder / "inside.md")  # a link that stays inside is fine
    result = small_kb.invoke(["notes", "import", str(folder)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "escape.md" in result.output and "outside the folder" in result.output
    listed = small_kb.answer(["notes", "list"])
    assert "Inside note" in listed
    assert "Secret note from outside" not in listed


HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:x" onclick=y>'


def test_compare_html_escapes_statute_text(small_kb, tmp_path):
    """Statute text, headings and rule quotes are data: in HTML they must arrive escaped."""
    root = tmp_path / "hostile"
    shutil.copytree(small_kb.corpus, root / "corpus")
    shutil.copytree(small_kb.sources, root / "sources")
    md = root / "sources" / "central" / "pesa-act-1996.indiacode.md"
    md.chmod(0o644)
    md.write_text(
        md.read_text() + f"\n## Section 6 - Hostile {HOSTILE}.\n\n(1) A member {HOSTILE} shall be "
        "disqualified if he has more than two children.\n"
    )
    (root / "corpus" / "rules" / "IN.yaml").write_text(
        yaml.safe_dump(
            {
                "jurisdiction": "IN",
                "rules": [
                    {
                        "rule": "two_child_norm",
                        "body": "panchayat",
                        "value": "yes",
                        "summary": f"Summary {HOSTILE}",
                        "citation": "IN-PESA-1996 s.6(1)",
                        "quote": f"A member {HOSTILE} shall be disqualified",
                        "note": HOSTILE,
                    }
                ],
            }
        )
    )
    from click.testing import CliRunner

    from cli import cli

    env = {
        "SECKB_CORPUS": str(root / "corpus"),
        "SECKB_SOURCES": str(root / "sources"),
        "SECKB_DATA": str(root / "data"),
    }
    built = CliRunner().invoke(cli, ["build", "-q"], env=env)
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(
        cli, ["compare", "--rule", "two_child_norm", "--states", "IN", "--format", "html"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "alert(1)" in result.output, "the hostile text should be in the table, escaped"
    _assert_inert_html(result.output)


def _assert_inert_html(page: str) -> None:
    import re

    assert "<script" not in page.lower()
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)
    assert not [t for t in tags if re.search(r"\son\w+\s*=", t, re.IGNORECASE)], "an on* attribute got through"
    assert "javascript:" not in " ".join(tags).lower()
