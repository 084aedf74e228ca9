"""The conference briefing pack: agenda checks, the HTML pack's structure and safety, the Markdown
twin, and the sample agenda shipped in corpus/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from cli import cli
from kb.brief import load_agenda
from kb.errors import ReferenceDataError
from kb.notes import import_notes
from kb.render.brief_html import note_body_html
from kb.render.brief_markdown import note_body_markdown

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "notes"
AGENDA = FIXTURES / "agenda.yaml"
ITEM_IDS = ["electors", "disq", "evms"]


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def kb_with_notes(built_kb, tmp_path_factory) -> Path:
    """A copy of the built knowledge base with the test notes, the hostile one included."""
    data = tmp_path_factory.mktemp("brief") / "data"
    shutil.copytree(built_kb, data, symlinks=True)
    for folder in ("good", "hostile"):
        report = import_notes(data, None, FIXTURES / folder)
        assert report.ok, [e.one_line() for e in report.errors]
    return data


@pytest.fixture(scope="module")
def pack(kb_with_notes, tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("pack")
    result = run_cli(
        "brief", "--data", str(kb_with_notes), "--agenda", str(AGENDA), "--out-dir", str(out), "--as-of", "2025-03-01"
    )
    assert result.exit_code == 0, result.output
    # It says what it wrote: the files, then the items, cells and notes in them.
    assert f"wrote {out / 'briefing-pack.html'}" in result.output
    assert re.search(r"\d+ agenda items, \d+ comparisons with [1-9]\d* filled cells", result.output)
    assert re.search(r"[1-9]\d* notes", result.output)
    return out / "briefing-pack.html", out / "briefing-pack.md"


def test_brief_summary_as_json_and_the_old_out_alias(kb_with_notes, tmp_path):
    result = run_cli(
        "brief", "--data", str(kb_with_notes), "--agenda", str(AGENDA), "--out", str(tmp_path), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["items"] >= 1 and summary["cells"] >= 1 and summary["html"].endswith("briefing-pack.html")
    assert (tmp_path / "briefing-pack.md").is_file()
    missing = run_cli("brief", "--data", str(kb_with_notes), "--agenda", str(AGENDA))
    assert missing.exit_code != 0 and "--out-dir" in missing.output


@pytest.fixture(scope="module")
def soup(pack) -> BeautifulSoup:
    return BeautifulSoup(pack[0].read_text(encoding="utf-8"), "lxml")


def section(soup: BeautifulSoup, item_id: str):
    found = soup.find("section", id=f"item-{item_id}")
    assert found is not None, f"no section for {item_id}"
    return found


# --- HTML -----------------------------------------------------------------------------------------


def test_toc_links_to_every_item(soup):
    links = [a["href"] for a in soup.select("nav.toc a")]
    assert links == [f"#item-{i}" for i in ITEM_IDS]
    for item_id in ITEM_IDS:
        section(soup, item_id)


def test_each_comparing_item_has_a_table_with_citations(soup):
    for item_id in ("electors", "disq"):
        table = section(soup, item_id).find("table", class_="seckb-compare")
        assert table is not None
        assert table.find("cite") is not None, f"{item_id}: no citation in the table"
    disq = section(soup, "disq").find("table", class_="seckb-compare")
    assert [th.get_text() for th in disq.select("thead th")] == ["Rule", "MH", "MN"]
    assert "MH-VPA-1959 s.14(1)(j-1)" in [c.get_text() for c in disq.find_all("cite")]


def test_key_provisions_are_quoted_with_citation_and_text_date(soup):
    disq = section(soup, "disq")
    provision = disq.find("article", class_="provision")
    assert provision.find("cite").get_text() == "MH-VPA-1959 s.14(1)(j-1)"
    assert "has more than two children" in provision.blockquote.get_text()
    # The lead-in of the parent sub-section is quoted too, so the clause reads as a sentence.
    assert "No person shall be a member of a panchayat" in provision.get_text()
    assert "Text as on 2025-04-04" in provision.find(class_="provenance").get_text()


def test_item_without_rules_shows_questions_and_notes_only(soup):
    evms = section(soup, "evms")
    assert evms.find("table") is None
    assert "No eligibility rules are recorded" in evms.get_text()
    assert [li.get_text() for li in evms.select("ol li")] == ["Question about machines?"]


def test_notes_are_linked_by_agenda_item_or_by_topic_and_state(soup):
    disq_notes = [h.get_text() for h in section(soup, "disq").select("article.note h4")]
    assert any("Counting children at scrutiny" in t for t in disq_notes)
    assert any("Hostile" in t for t in disq_notes)
    # rolls.md has no agenda item: it belongs to "electors" by topic (elector) and State (IN, MN).
    elector_notes = [h.get_text() for h in section(soup, "electors").select("article.note h4")]
    assert elector_notes == ["Registration conditions and Manipur"]
    marks = {
        h.get_text().startswith("SAMPLE")
        for h in section(soup, "disq").select("article.note h4")
        if "Counting children" in h.get_text() or "Hostile" in h.get_text()
    }
    assert marks == {True, False}  # the sample note is marked, the hostile (sample: false) one is not


def test_hostile_note_comes_out_inert(soup, pack):
    assert soup.find_all("script") == []
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), f"<{tag.name} {attribute}=...>"
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert "javascript:" not in text.lower()
    assert soup.find("img") is None
    raw = pack[0].read_text(encoding="utf-8")
    assert "<script" not in raw.lower()
    assert not re.search(r"\son\w+\s*=", raw, re.IGNORECASE)
    hostile = next(a for a in section(soup, "disq").select("article.note") if "Hostile" in a.h4.get_text())
    # Harmless content survives; the markup in the title is shown as text.
    assert "hover" in hostile.get_text() and "click me" in hostile.get_text()
    assert '<script>alert("title")</script>' in hostile.h4.get_text()
    # The note's own heading sits below the note title, and its citation is marked up.
    assert hostile.find(["h1", "h2", "h3"]) is None
    assert hostile.find("cite", class_="ref").get_text() == "MH-VPA-1959 s.14(1)(j-1)"


def test_page_is_self_contained_and_prints_on_a4(soup):
    css = soup.find("style").get_text()
    assert "@page { size: A4; margin: 15mm; }" in css
    assert "break-before: page" in css
    assert soup.find("link") is None
    for tag in soup.find_all(src=True):
        pytest.fail(f"external asset {tag}")


def test_as_of_date_reaches_the_comparison(kb_with_notes, tmp_path):
    result = run_cli(
        "brief", "--data", str(kb_with_notes), "--agenda", str(AGENDA), "--out", str(tmp_path), "--as-of", "1999-01-01"
    )
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup((tmp_path / "briefing-pack.html").read_text(encoding="utf-8"), "lxml")
    mh_cell = section(soup, "disq").select("table.seckb-compare tbody tr")[0].find_all("td")[0]
    assert mh_cell.get_text().startswith("not yet in force")  # the two-child clause came in 2000
    assert "Law as on 1999-01-01" in soup.get_text()


def test_written_atomically_without_leftovers(pack):
    html_path, _md_path = pack
    assert sorted(p.name for p in html_path.parent.iterdir()) == ["briefing-pack.html", "briefing-pack.md"]


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_has_the_same_items(pack, soup):
    markdown = pack[1].read_text(encoding="utf-8")
    html_titles = [re.sub(r"^\d+\. ", "", h.get_text()) for h in soup.select("section.item > h2")]
    md_titles = re.findall(r"^## \d+\. (.+)$", markdown, re.MULTILINE)
    assert md_titles == html_titles == ["Elector eligibility (test)", "Two-child norm (test)", "Voting machines (test)"]
    for item_id in ITEM_IDS:
        assert f"](#item-{item_id})" in markdown and f'<a id="item-{item_id}"></a>' in markdown
    assert "MH-VPA-1959 s.14(1)(j-1)" in markdown
    assert "Question about machines?" in markdown


def test_markdown_neutralises_the_hostile_note(pack):
    markdown = pack[1].read_text(encoding="utf-8")
    assert "<script" not in markdown.lower() and "<img" not in markdown.lower()
    assert "](javascript:" not in markdown


def test_note_body_renderers_directly():
    hostile = (
        '<p onclick="x">hi</p><script>alert(1)</script><img src=x onerror="alert(2)">'
        "\n\n[a](javascript:alert(3)) [[IN-RPA-1950 s.19]]"
    )
    html = note_body_html(hostile)
    assert "script" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript" not in html and '<cite class="ref">IN-RPA-1950 s.19</cite>' in html
    md = note_body_markdown("# Title\n" + hostile + "\n```\n<kept in code>\n```")
    assert md.startswith("##### Title")
    assert "<script" not in md and "javascript" not in md and "`IN-RPA-1950 s.19`" in md
    assert "<kept in code>" in md  # code blocks stay as written: they are shown, never run


# --- the agenda --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, field, words",
    [
        ("title: T\nitems:\n  - id: a\n    title: A\n    rules: [no_such_rule]\n", 3, "rules", "unknown rule"),
        (
            "title: T\nitems:\n  - id: a\n    title: A\n  - id: b\n    title: B\n    topics: [nope]\n",
            5,
            "topics",
            "unknown topic",
        ),
        ("title: T\nitems:\n  - id: a\n    title: A\n  - id: a\n    title: B\n", 5, "id", "duplicate item id"),
        ("title: T\nitems:\n  - id: a\n    titel: A\n", 3, "titel", "unknown key"),
        ("title: T\nitems:\n  - id: a\n    title: A\n    body: parliament\n", 3, "body", "body"),
        ("items:\n  - id: a\n    title: A\n", 1, "title", "lacks 'title'"),
        ("title: T\nitems: [\n", 3, None, "invalid YAML"),
    ],
)
def test_bad_agenda_is_one_line_naming_file_line_field(tmp_path, text, line, field, words):
    path = tmp_path / "agenda.yaml"
    path.write_text(text)
    with pytest.raises(ReferenceDataError) as info:
        load_agenda(path)
    error = info.value
    assert (error.line, error.field) == (line, field), error.one_line()
    assert words in error.one_line() and "agenda.yaml" in error.one_line()


def test_unknown_state_in_agenda_is_reported_by_the_cli(built_kb, tmp_path):
    agenda = tmp_path / "agenda.yaml"
    agenda.write_text("title: T\nitems:\n  - id: a\n    title: A\n    rules: [two_child_norm]\n    states: [MH, QQ]\n")
    result = run_cli("brief", "--data", str(built_kb), "--agenda", str(agenda), "--out", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert "agenda.yaml:3 [states]: unknown jurisdiction 'QQ'" in result.output
    assert not (tmp_path / "out").exists()


def test_shipped_agenda_and_sample_notes_make_a_pack(built_kb_copy, tmp_path):
    report = import_notes(built_kb_copy, None, ROOT / "corpus" / "notes")
    assert report.ok, [e.one_line() for e in report.errors]
    result = run_cli(
        "brief", "--data", str(built_kb_copy), "--agenda", str(ROOT / "corpus" / "agenda.yaml"), "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup((tmp_path / "briefing-pack.html").read_text(encoding="utf-8"), "lxml")
    items = soup.select("section.item")
    assert len(items) == 4
    evm = soup.find("section", id="item-technology-evms")
    assert evm.find("table") is None and evm.select("article.note")
    for item_id in ("elector-eligibility", "candidate-disqualifications", "electoral-rolls"):
        found = soup.find("section", id=f"item-{item_id}")
        assert found.find("table", class_="seckb-compare").find("cite"), item_id
        assert found.select("article.provision"), item_id
        assert found.select("article.note"), item_id
