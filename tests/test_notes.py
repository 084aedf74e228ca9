"""Discussion notes: parsing with line numbers, idempotent import, validation against the knowledge
base, listing, and the links from `seckb show` and `seckb search --kind note`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from kb.errors import NoteError
from kb.knowledge import KnowledgeBase
from kb.notes import get_note, import_notes, list_notes, parse_note

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "notes"
SAMPLE_NOTES = ROOT / "corpus" / "notes"


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_note(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- parsing, no knowledge base needed ----------------------------------------------------------


def test_parse_note_reads_front_matter_and_inline_citation_lines():
    note = parse_note(FIXTURES / "good" / "two-child.md")
    assert note.id == "two-child"
    assert note.title == "Counting children at scrutiny"
    assert note.jurisdictions == ("MH",)
    assert note.topics == ("two-child-norm",)
    assert note.agenda_item == "disq"
    assert note.sample is True
    assert note.date.isoformat() == "2025-01-15"
    assert [(c.text, c.line, c.field) for c in note.citations] == [
        ("MH VPA 1959 s 14(1)(j-1)", 10, "provisions"),
        ("MH-VPA-1959 s.14(1)(j-1)", 16, "body"),
        ("IN-COI Art.243F(1)(a)", 16, "body"),
    ]
    assert note.body.startswith("SAMPLE NOTE")


def test_parse_note_is_frozen():
    note = parse_note(FIXTURES / "good" / "rolls.md")
    with pytest.raises(AttributeError):
        note.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("broken-yaml.md", 4, "invalid front matter YAML"),
        ("no-title.md", 1, "missing title"),
    ],
)
def test_parse_errors_name_file_and_line(name, line, words):
    with pytest.raises(NoteError) as info:
        parse_note(FIXTURES / "bad" / name)
    message = info.value.one_line()
    assert f"{name}:{line}" in message
    assert words in message


def test_yaml_error_also_names_where_the_bracket_opened():
    with pytest.raises(NoteError) as info:
        parse_note(FIXTURES / "bad" / "broken-yaml.md")
    assert "on line 3" in info.value.one_line()


@pytest.mark.parametrize(
    "front, line, field",
    [
        ("title: T\ndate: next tuesday\n", 3, "date"),
        ("title: T\nsample: perhaps\n", 3, "sample"),
        ("title: T\ntopics: {a: 1}\n", 3, "topics"),
        ("title: T\ntitle: again\n", 3, "title"),
    ],
)
def test_bad_fields_name_their_line(tmp_path, front, line, field):
    path = write_note(tmp_path, "n.md", f"---\n{front}---\nbody\n")
    with pytest.raises(NoteError) as info:
        parse_note(path)
    assert info.value.line == line
    assert info.value.field == field


def test_unknown_field_is_kept_as_a_warning_not_a_refusal(tmp_path):
    path = write_note(tmp_path, "n.md", "---\ntitle: T\ntittle: typo\n---\nbody\n")
    note = parse_note(path)
    assert note.title == "T"
    (warning,) = note.warnings
    assert "n.md:3 [tittle]" in warning and "unknown field 'tittle'" in warning


@pytest.mark.parametrize("alias", ["cites", "citations"])
def test_cites_and_citations_are_aliases_of_provisions(tmp_path, alias):
    path = write_note(tmp_path, "n.md", f"---\ntitle: T\n{alias}:\n  - MH-VPA-1959 s.14(1)(j-1)\n---\nbody\n")
    note = parse_note(path)
    assert [(c.text, c.line, c.field) for c in note.citations] == [("MH-VPA-1959 s.14(1)(j-1)", 4, "provisions")]
    assert note.warnings == ()


def test_alias_and_provisions_together_are_refused(tmp_path):
    path = write_note(tmp_path, "n.md", "---\ntitle: T\nprovisions: [a]\ncites: [b]\n---\nbody\n")
    with pytest.raises(NoteError) as info:
        parse_note(path)
    assert info.value.line == 4 and info.value.field == "cites"


def test_plain_citations_in_the_body_are_found(tmp_path):
    body = "See MH-VPA-1959 s.14(1)(j-1) and Art. 243F(1)(a); section 10 alone is ambiguous.\n[[IN-RPA-1950 s.19]]\n"
    path = write_note(tmp_path, "n.md", f"---\ntitle: T\n---\n{body}")
    note = parse_note(path)
    assert [(c.text, c.line, c.field) for c in note.citations] == [
        ("MH-VPA-1959 s.14(1)(j-1)", 4, "prose"),
        ("Art. 243F(1)(a)", 4, "prose"),
        ("IN-RPA-1950 s.19", 5, "body"),
    ]


def test_note_with_unknown_field_and_plain_citations_imports_and_shows(built_kb_copy, tmp_path):
    folder = tmp_path / "notes"
    write_note(
        folder,
        "people.md",
        "---\ntitle: As people write them\ncites: [MN-PRA-1994 s.101]\nreviewed_by: A. Lawyer\n---\n"
        "The norm is in MH-VPA-1959 s.14(1)(j-1); Art. 243F(1)(a) applies. MH-VPA-1959 s.999 is a slip.\n",
    )
    report = import_notes(built_kb_copy, None, folder)
    assert report.added == ["people"] and not report.errors
    assert any("reviewed_by" in w for w in report.warnings)
    with KnowledgeBase.open(built_kb_copy) as kb:
        cited = {ref for ref, _ in get_note(kb, "people").citations}
    assert cited == {"MN-PRA-1994 s.101", "MH-VPA-1959 s.14(1)(j-1)", "IN-COI Art.243F(1)(a)"}
    for ref in sorted(cited):
        shown = run_cli("show", ref, "--data", str(built_kb_copy))
        assert shown.exit_code == 0, shown.output
        assert "people: As people write them" in shown.output, ref
    # A section's page lists the notes that cite its sub-provisions too.
    assert "people:" in run_cli("show", "MH-VPA-1959 s.14", "--data", str(built_kb_copy)).output
    result = run_cli("notes", "import", str(folder), "--data", str(built_kb_copy))
    assert "warning:" in result.output


def test_file_without_front_matter_is_refused(tmp_path):
    path = write_note(tmp_path, "plain.md", "# Just Markdown\n")
    with pytest.raises(NoteError, match="no front matter"):
        parse_note(path)


def test_note_id_is_the_file_stem_slug(tmp_path):
    path = write_note(tmp_path, "SEC Kerala — Rolls 2025.md", "---\ntitle: T\n---\n")
    assert parse_note(path).id == "sec-kerala-rolls-2025"


# --- import into a built knowledge base ----------------------------------------------------------


def test_sample_notes_import_and_resolve(built_kb_copy):
    report = import_notes(built_kb_copy, None, SAMPLE_NOTES)
    assert report.ok, [e.one_line() for e in report.errors]
    assert len(report.added) == len(list(SAMPLE_NOTES.glob("*.md"))) >= 4
    with KnowledgeBase.open(built_kb_copy) as kb:
        notes = list_notes(kb)
    assert {n.id for n in notes} == set(report.added)
    for note in notes:
        assert note.sample
        assert note.body.startswith(
            "SAMPLE NOTE — written as an example for the seckb demo; not the position of any Commission."
        )
        assert note.citations, f"{note.id} cites nothing"
    cited = {ref for n in notes for ref, _ in n.citations}
    assert {"MH-VPA-1959 s.14(1)(j-1)", "IN-COI Art.243F(1)(a)", "IN-RPA-1950 s.19", "MN-PRA-1994 s.101"} <= cited


def test_reimport_is_idempotent_and_reports_changes(built_kb_copy, tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(FIXTURES / "good", folder)
    first = import_notes(built_kb_copy, None, folder)
    assert sorted(first.added) == ["rolls", "two-child"] and first.ok

    again = import_notes(built_kb_copy, None, folder)
    assert sorted(again.unchanged) == ["rolls", "two-child"]
    assert not again.added and not again.updated

    path = folder / "rolls.md"
    path.write_text(path.read_text().replace("Registration conditions and Manipur", "Registration, revised"))
    changed = import_notes(built_kb_copy, None, folder)
    assert changed.updated == ["rolls"] and changed.unchanged == ["two-child"]
    with KnowledgeBase.open(built_kb_copy) as kb:
        assert get_note(kb, "rolls").title == "Registration, revised"

    (folder / "two-child.md").unlink()
    gone = import_notes(built_kb_copy, None, folder)
    assert gone.missing == ["two-child"] and not gone.removed
    with KnowledgeBase.open(built_kb_copy) as kb:
        assert get_note(kb, "two-child").title  # kept: nothing is lost without --prune

    pruned = import_notes(built_kb_copy, None, folder, prune=True)
    assert pruned.removed == ["two-child"]
    with KnowledgeBase.open(built_kb_copy) as kb:
        with pytest.raises(NoteError, match="no note"):
            get_note(kb, "two-child")
        assert [n.id for n in list_notes(kb)] == ["rolls"]


def test_noop_import_publishes_no_new_generation(built_kb_copy, tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(FIXTURES / "good", folder)
    import_notes(built_kb_copy, None, folder)
    with KnowledgeBase.open(built_kb_copy) as kb:
        before = kb.generation.path
    import_notes(built_kb_copy, None, folder)
    with KnowledgeBase.open(built_kb_copy) as kb:
        assert kb.generation.path == before


def test_bad_notes_report_file_and_line_while_good_ones_import(built_kb_copy):
    report = import_notes(built_kb_copy, None, FIXTURES / "bad")
    assert report.added == ["good-one"]
    by_file = {Path(e.path).name: e for e in report.errors}
    expected = {
        "broken-yaml.md": (4, "invalid front matter YAML"),
        "no-title.md": (1, "missing title"),
        "unknown-state.md": (5, "unknown jurisdiction code 'XQ'"),
        "unknown-topic.md": (5, "unknown topic 'two-child-norms'"),
        "bad-inline-citation.md": (9, "[[MH-VPA-1959 s.14(1)(zz)]] does not resolve"),
        "bad-provisions-citation.md": (6, "NO-SUCH-ACT-2001 s.5 does not resolve"),
    }
    assert set(by_file) == set(expected)
    for name, (line, words) in expected.items():
        error = by_file[name]
        assert error.line == line, error.one_line()
        assert words in error.one_line()
        assert "\n" not in error.one_line()
    assert "did you mean two-child-norm" in by_file["unknown-topic.md"].one_line()
    # The nearest stored provisions come from the resolver.
    assert "nearest: MH-VPA-1959 s.14(1)" in by_file["bad-inline-citation.md"].one_line()


def test_failed_file_keeps_its_previous_version(built_kb_copy, tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(FIXTURES / "good", folder)
    import_notes(built_kb_copy, None, folder)
    path = folder / "rolls.md"
    path.write_text(path.read_text().replace("[IN, MN]", "[IN, ZZ]"))
    report = import_notes(built_kb_copy, None, folder)
    assert not report.updated and len(report.errors) == 1
    with KnowledgeBase.open(built_kb_copy) as kb:
        assert get_note(kb, "rolls").jurisdictions == ("IN", "MN")


def test_symlink_out_of_the_folder_is_not_followed(built_kb_copy, tmp_path):
    outside = write_note(tmp_path / "elsewhere", "secret.md", "---\ntitle: Outside\n---\nbody\n")
    folder = tmp_path / "notes"
    shutil.copytree(FIXTURES / "good", folder)
    (folder / "link.md").symlink_to(outside)
    report = import_notes(built_kb_copy, None, folder)
    assert sorted(report.added) == ["rolls", "two-child"]
    assert len(report.errors) == 1
    assert "link.md" in report.errors[0].one_line() and "outside the folder" in report.errors[0].one_line()
    with KnowledgeBase.open(built_kb_copy) as kb:
        assert "link" not in {n.id for n in list_notes(kb)}


def test_list_notes_filters(built_kb_copy):
    import_notes(built_kb_copy, None, FIXTURES / "good")
    with KnowledgeBase.open(built_kb_copy) as kb:
        assert [n.id for n in list_notes(kb, state="mn")] == ["rolls"]
        # A parent topic finds a note tagged with its sub-topic.
        assert [n.id for n in list_notes(kb, topic="candidate-disqualification")] == ["two-child"]
        assert [n.id for n in list_notes(kb, agenda_item="disq")] == ["two-child"]
        assert list_notes(kb, state="DL") == []
        with pytest.raises(NoteError, match="unknown topic"):
            list_notes(kb, topic="no-such-topic")


# --- through the command line ---------------------------------------------------------------------


def test_cli_notes_import_exits_nonzero_after_importing_the_good_file(built_kb_copy):
    result = run_cli("notes", "import", "--data", str(built_kb_copy), str(FIXTURES / "bad"))
    assert result.exit_code == 1
    assert "1 added" in result.stdout and "6 failed" in result.stdout
    assert "unknown-state.md:5 [jurisdictions]" in result.stderr
    assert "bad-inline-citation.md:9 [body]" in result.stderr
    listed = run_cli("notes", "list", "--data", str(built_kb_copy), "--format", "json")
    assert [n["id"] for n in json.loads(listed.stdout)] == ["good-one"]


def test_cli_notes_list_show_search_and_provision_link(built_kb_copy):
    data = str(built_kb_copy)
    imported = run_cli("notes", "import", "--data", data, str(FIXTURES / "good"))
    assert imported.exit_code == 0, imported.output

    listed = run_cli("notes", "list", "--data", data, "--state", "MH")
    assert "two-child" in listed.stdout and "rolls" not in listed.stdout

    shown = run_cli("notes", "show", "--data", data, "two-child", "--format", "json")
    note = json.loads(shown.stdout)
    assert note["title"] == "Counting children at scrutiny"
    assert ["MH-VPA-1959 s.14(1)(j-1)", 10] in note["citations"]

    found = run_cli("search", "--data", data, "Satara", "--kind", "note", "--format", "json")
    hits = json.loads(found.stdout)["hits"]
    assert [h["ref"] for h in hits] == ["note:two-child"]
    provisions_only = run_cli("search", "--data", data, "Satara", "--kind", "provision", "--format", "json")
    assert all(h["doc_type"] == "provision" for h in json.loads(provisions_only.stdout)["hits"])

    # The canonical ref is stored, so the note shows up under the provision it cites.
    shown = run_cli("show", "--data", data, "MH-VPA-1959 s.14(1)(j-1)")
    assert "Notes citing this provision:" in shown.stdout
    assert "two-child: Counting children at scrutiny" in shown.stdout
    other = run_cli("show", "--data", data, "MH-VPA-1959 s.14(1)(h)")
    assert "two-child" not in other.stdout


def test_a_notes_snippet_is_its_words_not_its_markdown(built_kb_copy):
    from kb.build import note_text
    from kb.query import SearchRequest, search

    assert note_text("## Points\n\n**Question:** see [[MH VPA s.14]]\n\n| a | b |\n|---|---|\n| 1 | 2 |") == (
        "Points Question: see [[MH VPA s.14]] a b 1 2"
    )
    import_notes(built_kb_copy, None, SAMPLE_NOTES)
    with KnowledgeBase.open(built_kb_copy) as kb:
        results = search(kb, SearchRequest(text="points for discussion", doc_types=["note"], limit=20))
    assert results.hits
    for hit in results.hits:
        assert not any(mark in hit.snippet for mark in ("**", "## ", "|---", "[[")), hit.snippet


def test_cli_notes_show_unknown_id_is_one_line_error(built_kb_copy):
    run_cli("notes", "import", "--data", str(built_kb_copy), str(FIXTURES / "good"))
    result = run_cli("notes", "show", "--data", str(built_kb_copy), "two-chlid")
    assert result.exit_code != 0
    assert "no note 'two-chlid' (did you mean two-child?)" in result.output
    assert "Traceback" not in result.output
