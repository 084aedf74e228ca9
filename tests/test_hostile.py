"""Issue 16, the adversarial probe as tests: hostile paths, notes, databases, citations and bombs.

Each class of defect has its test here (kill -9 during add/remove is in test_kill.py, hostile
HTTP servers in test_fetch.py). Nothing measures wall-clock time against a fixed budget: a
pathological input either completes (the test finishes) or is refused in one line; growth is
checked against the same code on a smaller input.
"""

from __future__ import annotations

import os
import random
import resource
import stat
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest
from small_corpus import SmallKb

from kb.errors import ReaderError, SeckbError
from kb.refs import MAX_REF_LENGTH, ProvisionRef, RefError
from tests.factories import note_markdown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory) -> SmallKb:
    kb = SmallKb(tmp_path_factory.mktemp("hostile"))
    done = kb.invoke(["build", "-q"])
    assert done.exit_code == 0, done.output
    return kb


def _one_line(result) -> str:
    """The command failed with exactly one line and no traceback."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


# --- 1. --output: devices, FIFOs, symlinks, folders, kernel interfaces --------------------------


def test_output_to_dev_null_leaves_the_device(small_kb):
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode)
    result = small_kb.invoke(["stats", "--output", "/dev/null"])
    assert result.exit_code == 0, result.output
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def test_output_to_a_fifo_is_streamed_and_the_fifo_stays(small_kb, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = small_kb.invoke(["stats", "--format", "json", "--output", str(fifo)])
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b'"provisions"' in received[0] or b"provisions" in received[0]


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(small_kb, tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = small_kb.invoke(["stats", "--format", "json", "--output", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() != "old" and "{" in target.read_text()


def test_output_to_stdout_dash(small_kb):
    result = small_kb.invoke(["stats", "--format", "json", "--output", "-"])
    assert result.exit_code == 0 and "{" in result.output and "wrote" not in result.output


@pytest.mark.parametrize(
    "where, words",
    [
        ("FOLDER", "folder"),
        ("", "empty"),
        ("/proc/self/comm", "kernel interface"),
        ("/sys/kernel/profiling", "kernel interface"),
        ("FILE/inside", "cannot write"),
        ("LOOP", "loop"),
    ],
)
def test_unwritable_outputs_get_one_line(small_kb, tmp_path, where, words):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    loop = tmp_path / "loop-a"
    loop.symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(loop)
    path = {"FOLDER": str(folder), "FILE/inside": f"{plain}/inside", "LOOP": str(loop)}.get(where, where)
    line = _one_line(small_kb.invoke(["stats", "--output", path]))
    assert words in line.lower()
    assert plain.read_text() == "x" and folder.is_dir()


def test_brief_into_an_unwritable_place_is_one_line(small_kb, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    agenda = tmp_path / "agenda.yaml"
    agenda.write_text("title: T\nitems:\n  - id: a\n    title: A\n    topics: [candidate]\n")
    line = _one_line(small_kb.invoke(["brief", "--agenda", str(agenda), "--out", f"{plain}/brief"]))
    assert "cannot write" in line


# --- 2. the Markdown briefing pack through a real CommonMark parser -----------------------------

HOSTILE_NOTES = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3))",
    "[click](&#106;avascript:alert(4))",
    "[click](\njavascript:alert(5))",
    "[x][r]\n\n[r]: javascript:alert(6)",
    "[x]\n\n[x]: <javascript:alert(7)>",
    "<javascript:alert(8)>",
    "   ```\n<script>alert(9)</script>",
    "```\n<script>alert(10)</script>\n~~~",
    "~~~\nstill open",
    "````\n```\n<script>alert(11)</script>",
    "    <script>alert(12)</script>",
    "<div>\n<script>alert(13)</script>\n</div>",
    "<!-- <script>alert(14)</script>",
    "<details open ontoggle=alert(15)>",
    "[a](data:text/html;base64,PHNjcmlwdD4=)",
    "[a](vbscript:msgbox(16))",
    "![i](javascript:alert(17))",
    "<a href='javascript:alert(18)'>x</a>",
    "- item\n\n      <script>alert(19)</script>",
    "> ```\n> <script>alert(20)</script>",
    "`` ` ``<script>alert(21)</script>",
    "\x1b]52;c;ZXZpbA==\x07 clipboard",
    "[ok](https://example.org/a?b=c) [mail](mailto:a@b.org)",
]


def _notes_pack(bodies: list[str]) -> str:
    import datetime as dt

    from kb.notes import NoteView
    from kb.render.brief_markdown import _note

    lines: list[str] = []
    for index, body in enumerate(bodies):
        note = NoteView(
            id=f"n{index}",
            title=f"Note {index}",
            author="A",
            organisation="O",
            date=dt.date(2026, 1, 1),
            agenda_item="a",
            jurisdictions=("MH",),
            topics=(),
            sample=False,
            citations=(),
            path=f"n{index}.md",
            body=body,
        )
        lines += _note(note)
        lines += [f"## SENTINEL {index}", ""]
    return "\n".join(lines)


def test_hostile_notes_stay_inert_through_commonmark():
    from markdown_it import MarkdownIt

    pack = _notes_pack(HOSTILE_NOTES)
    parser = MarkdownIt("commonmark")
    html = parser.render(pack).lower()
    assert "<script" not in html and "<img" not in html and "<details" not in html and "<div" not in html
    for bad in ("javascript:", "vbscript:", "data:text", "onerror=", "ontoggle=", "\x1b", "\x07"):
        assert bad not in html, bad
    tokens = parser.parse(pack)
    assert not [t for t in tokens if t.type == "html_block"]
    inline_html = [c for t in tokens if t.children for c in t.children if c.type == "html_inline"]
    assert not inline_html
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                assert child.attrGet("href").startswith(("http://", "https://", "mailto:")), child.attrGet("href")
    # No note swallowed what follows it: every sentinel is still a heading.
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings == [f"SENTINEL {i}" for i in range(len(HOSTILE_NOTES))]
    assert 'href="https://example.org/a?b=c"' in html
    assert 'href="mailto:a@b.org"' in html


def test_random_hostile_note_mixtures_never_swallow_the_pack():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    rng = random.Random(16)
    pieces = [*HOSTILE_NOTES, "text", "# h", "1. x", "    code", "```", "~~~", "<", "&amp;", "|a|b|\n|-|-|"]
    tried = 0
    for _ in range(60):
        bodies = ["\n".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(4)]
        tokens = parser.parse(_notes_pack(bodies))
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
        assert headings == [f"SENTINEL {i}" for i in range(4)], bodies
        assert "<script" not in parser.render(_notes_pack(bodies)).lower()
        tried += 1
    assert tried == 60


# --- 3. a damaged current database -------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_database_is_named_and_build_full_rebuilds(tmp_path, damage):
    kb = SmallKb(tmp_path)
    assert kb.invoke(["build", "-q"]).exit_code == 0
    db = kb.data / "current" / "seckb.sqlite"
    raw = db.read_bytes()
    db.chmod(0o644)
    if damage == "garbage":
        db.write_bytes(b"this is not a database at all" * 1000)
    else:
        db.write_bytes(raw[:100] + b"\0" * 4096 + raw[len(raw) // 2 :])
    line = _one_line(kb.invoke(["stats"]))
    assert "damaged" in line and "seckb build --full" in line
    line = _one_line(kb.invoke(["build", "-q"]))
    assert "damaged" in line and "build --full" in line
    result = kb.invoke(["build", "--full", "-q"])
    assert result.exit_code == 0, result.output
    assert "provisions" in kb.answer(["stats"])
    assert "MH-VPA-1959 s.14(1)(j-1)" in kb.answer(["show", "MH-VPA-1959 s.14(1)(j-1)"])


# --- 5. remove with an ambiguous file name ------------------------------------------------------


def test_remove_an_ambiguous_name_refuses_and_lists_the_matches(tmp_path):
    kb = SmallKb(tmp_path)
    src = kb.sources / "central" / "pesa-act-1996.indiacode.md"
    for state, title in (("MH", "Some Panchayat Act, 2001"), ("MN", "Other Panchayat Act, 2002")):
        result = kb.invoke(["add", str(src), "--state", state, "--title", title])
        assert result.exit_code == 0, result.output
    line = _one_line(kb.invoke(["remove", src.name]))
    assert f"user-corpus/mh/{src.name}" in line and f"user-corpus/mn/{src.name}" in line
    overlay = (kb.data / "current" / "user-corpus" / "acts.yaml").read_text()
    assert f"file: mh/{src.name}" in overlay and f"file: mn/{src.name}" in overlay
    assert kb.invoke(["remove", f"mh/{src.name}"]).exit_code == 0


# --- 6. citations: adversarial shapes complete; parsing does not grow with digits --------------


def _adversarial_citations(count: int, seed: int = 6) -> list[str]:
    rng = random.Random(seed)
    shapes = [
        lambda n: "s." + "9" * n + "()",
        lambda n: "s." + "9" * n + "(",
        lambda n: "s.1" + "A1" * n + "()",
        lambda n: "s.1" + "-1" * n + "-",
        lambda n: "MH VPA " * (n // 7 + 1) + "s.1(",
        lambda n: "s.14" + "(1)" * n + " x",
        lambda n: "s.14(1), " + "first proviso " * (n // 14 + 1) + "(",
        lambda n: "Art. 243" + "Z" * n + "()",
        lambda n: " " * n + "s." + "1" * n + "((",
        lambda n: "".join(rng.choice("s.()-, 1aAZproviso") for _ in range(n)),
    ]
    return [rng.choice(shapes)(rng.randint(1, 250)) for _ in range(count)]


def test_ten_thousand_adversarial_citations_complete():
    parsed = refused = 0
    for text in _adversarial_citations(10_000):
        try:
            ProvisionRef.parse(text)
            parsed += 1
        except RefError:
            refused += 1
    assert parsed + refused == 10_000 and refused > 0


def test_a_citation_longer_than_the_bound_is_refused_in_one_line():
    with pytest.raises(RefError, match=f"at most {MAX_REF_LENGTH}"):
        ProvisionRef.parse("s." + "9" * 100_000)


def test_parsing_does_not_grow_with_the_digits():
    """The cost of the probe's worst shape, measured against the same shape with few digits."""

    def cost(digits: int) -> float:
        text = "s." + "9" * digits + "()"
        started = time.process_time()
        for _ in range(200):
            with pytest.raises(RefError):
                ProvisionRef.parse(text)
        return time.process_time() - started

    cost(20)  # warm up
    small, large = min(cost(20) for _ in range(3)), min(cost(200) for _ in range(3))
    # Exponential backtracking made 30 digits take minutes; linear work at 10x the digits is a
    # small multiple of the cost at 20 (mostly fixed overhead).
    assert large < max(small, 1e-3) * 20


def test_query_citation_patterns_complete_on_the_same_shapes():
    from kb import query

    for text in _adversarial_citations(2_000, seed=7):
        list(query._citation_spans(query.normalise_query(text)))
        query._BARE.match(text)


def test_show_with_the_probe_citation_is_quick_and_one_line(small_kb):
    line = _one_line(small_kb.invoke(["show", "s.99999999999999999999999999()"]))
    assert len(line) < 600


def test_errors_cut_a_huge_input(small_kb):
    line = _one_line(small_kb.invoke(["show", "MH-VPA-1959 s." + "x" * 100_000]))
    assert len(line) < 1000


# --- 8. resource bounds ------------------------------------------------------------------------


def _inflate_bomb(path: Path, inflated: int) -> Path:
    """A small PDF whose one content stream inflates to ``inflated`` bytes of zeros."""
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    body = b"".join(compressor.compress(chunk) for _ in range(inflated >> 20)) + compressor.flush()
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
        b"4 0 obj<</Length "
        + str(len(body)).encode()
        + b"/Filter/FlateDecode>>stream\n"
        + body
        + b"\nendstream\nendobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    path.write_bytes(pdf)
    return path


_MEASURE = """
import resource, sys, time
from indexer.readers import read_document
from kb.errors import SeckbError
started = time.perf_counter()
try:
    read_document(sys.argv[1], "pdf")
    outcome = "read"
except SeckbError as exc:
    outcome = exc.one_line()
print(outcome)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_pdf_inflate_bomb_is_refused_with_bounded_memory(tmp_path):
    bomb = _inflate_bomb(tmp_path / "bomb.pdf", 1 << 30)  # 1 GB of zeros in about 1 MB
    assert bomb.stat().st_size < 2 << 20
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(bomb)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    outcome, figures = done.stdout.strip().splitlines()[-2:]
    seconds, max_rss_kb = figures.split()
    assert "decompression bomb" in outcome, done.stdout + done.stderr
    print(f"inflate bomb refused in {float(seconds):.2f} s, peak RSS {int(max_rss_kb) // 1024} MB")
    assert int(max_rss_kb) < 1 << 20  # under 1 GB: the stream was never inflated whole


def test_join_wrapped_is_linear():
    from indexer.readers._text import join_wrapped

    def cost(lines: int) -> float:
        text = "\n".join(["the returning officer shall under"] * lines)
        started = time.process_time()
        join_wrapped(text)
        return time.process_time() - started

    small, large = min(cost(1000) for _ in range(3)), min(cost(8000) for _ in range(3))
    assert large < max(small, 1e-3) * 8 * 4  # 8x the text; quadratic would be 64x


@pytest.mark.parametrize("special", ["/dev/zero", "FIFO"])
def test_agenda_from_a_device_or_fifo_is_one_line(small_kb, tmp_path, special):
    path = special
    if special == "FIFO":
        path = str(tmp_path / "agenda.yaml")
        os.mkfifo(path)
    done = subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", "brief", "--agenda", path, "--out", str(tmp_path / "b")],
        cwd=ROOT,
        env=small_kb.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "not a regular file" in done.stderr


def test_add_from_a_fifo_is_one_line(small_kb, tmp_path):
    fifo = tmp_path / "act.pdf"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", "add", str(fifo), "--state", "MH", "--title", "X Act, 2001"],
        cwd=ROOT,
        env=small_kb.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "FIFO" in done.stderr and "Traceback" not in done.stderr


def test_a_yaml_alias_bomb_is_refused(tmp_path):
    from kb.yamlio import load_yaml

    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    assert bomb.stat().st_size < 2048
    with pytest.raises(SeckbError, match="aliases"):
        load_yaml(bomb)


def test_a_note_alias_bomb_and_a_huge_note_are_refused(tmp_path):
    from kb.errors import NoteError
    from kb.notes import MAX_NOTE_BYTES, parse_note

    aliases = "x: &x [1,2,3]\n" + "".join(f"y{i}: [*x,*x,*x,*x,*x,*x,*x,*x]\n" for i in range(20))
    bomb = tmp_path / "bomb.md"
    bomb.write_text(f"---\ntitle: T\n{aliases}---\nbody\n")
    with pytest.raises(NoteError, match="aliases"):
        parse_note(bomb)
    huge = tmp_path / "huge.md"
    huge.write_text(note_markdown("Huge", "x" * (MAX_NOTE_BYTES + 10)))
    with pytest.raises(NoteError, match="larger than"):
        parse_note(huge)


def test_a_huge_yaml_file_is_refused(tmp_path):
    from kb.yamlio import MAX_YAML_BYTES, load_yaml

    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_YAML_BYTES + "\n")
    with pytest.raises(SeckbError, match="larger than"):
        load_yaml(big)


def test_too_many_pages_and_overfull_pages_are_refused(tmp_path, monkeypatch):
    import indexer.readers.pdf as pdf_reader
    from tests.usercorpus_helpers import karnataka_pdf, write_pdf

    sample = karnataka_pdf(tmp_path / "ka.pdf")
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 0)
    with pytest.raises(ReaderError, match="pages"):
        pdf_reader.read(sample)
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3000)
    dense = write_pdf(tmp_path / "dense.pdf", [[(10, 800 - i, 1, "x" * 400) for i in range(300)]])
    with pytest.raises(ReaderError, match="characters"):
        pdf_reader.read(dense)


# --- 11. tracebacks become one line -------------------------------------------------------------


def test_memory_error_is_one_line(small_kb, monkeypatch):
    import kb.coverage

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(kb.coverage, "coverage_report", exhausted, raising=False)
    monkeypatch.setattr("kb.knowledge.KnowledgeBase.open", exhausted)
    line = _one_line(small_kb.invoke(["stats"]))
    assert "out of memory" in line


def test_symlinks_among_notes_import_each_note_once(small_kb, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "real.md").write_text(note_markdown("Real note"))
    (folder / "alias.md").symlink_to(folder / "real.md")
    (folder / "loop-a.md").symlink_to(folder / "loop-b.md")
    (folder / "loop-b.md").symlink_to(folder / "loop-a.md")
    (folder / "other.md").write_text(note_markdown("Other note"))
    result = small_kb.invoke(["notes", "import", str(folder)])
    assert "Traceback" not in result.output
    assert "loop of symbolic links" in result.output and "is a link to real.md" in result.output
    listed = small_kb.answer(["notes", "list"])
    assert listed.count("Real note") == 1 and "Other note" in listed


# --- 12. terminal control codes ------------------------------------------------------------------


def test_control_codes_never_reach_the_terminal(small_kb, tmp_path):
    folder = tmp_path / "ctl"
    folder.mkdir()
    osc52 = "\x1b]52;c;ZXZpbA==\x07"
    (folder / "ctl.md").write_text(note_markdown("Clipboard note", f"Body {osc52}\x1b[2J\x9b31m end"))
    imported = small_kb.invoke(["notes", "import", str(folder)])
    assert imported.exit_code == 0, imported.output
    for args in (["notes", "show", "ctl"], ["notes", "list"], ["search", "clipboard", "--kind", "note"]):
        out = small_kb.answer(args)
        assert not any(ch in out for ch in "\x1b\x07\x9b"), args
    line = _one_line(small_kb.invoke(["show", f"MH-VPA-1959 s.99{osc52}"]))
    assert "\x1b" not in line and "\x07" not in line


# --- 13. a long-lived KnowledgeBase across rebuilds -------------------------------------------


def test_a_long_lived_handle_survives_many_rebuilds_and_can_move_on(tmp_path, monkeypatch):
    from kb.build import BuildOptions, build_knowledge_base
    from kb.knowledge import KnowledgeBase
    from kb.query import SearchRequest, search

    kb = SmallKb(tmp_path)
    monkeypatch.setenv("SECKB_CORPUS", str(kb.corpus))
    options = BuildOptions(sources_dir=kb.sources, data_dir=kb.data, corpus_dir=kb.corpus)
    build_knowledge_base(options)
    with KnowledgeBase.open(kb.data) as handle:
        first = handle.generation.path
        for _ in range(4):
            build_knowledge_base(BuildOptions(**{**options.__dict__, "full": True}))
            assert first.exists()
            results = search(handle, SearchRequest("more than two children", states=["MH"], limit=3))
            assert results.hits
        assert handle.refresh() and handle.generation.path != first
        assert search(handle, SearchRequest("more than two children", limit=3)).hits
    build_knowledge_base(options)  # no reader holds the first generation now: it is removed
    assert not first.exists()


# --- 14. CSV formulas -----------------------------------------------------------------------------


def test_csv_defuses_formulas_by_default():
    from kb.render.csv import render
    from tests.render_factories import FORMULA, make_cell, make_table

    table = make_table()
    row = table.rows[0]
    cells = (make_cell(FORMULA), make_cell("+1"), make_cell("@SUM(A1)"))
    table = table.__class__(**{**table.__dict__, "rows": (row.__class__(row.key, row.label, cells), *table.rows[1:])})
    safe = render(table)
    assert "'" + FORMULA.replace('"', '""') in safe and "'+1" in safe and "'@SUM(A1)" in safe
    raw = render(table, csv_safe=False)
    assert "," + '"' + FORMULA.replace('"', '""') in raw or FORMULA.split("(")[0] in raw
    assert "'+1" not in raw


def test_report_figures(capsys):
    """The figures the issue asks for, printed for the report (the cores this machine has)."""
    print(
        f"cores: {os.cpu_count()}; max RSS of this test process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
    )
    assert os.cpu_count()


def test_a_user_corpus_from_before_generations_is_moved_in_by_the_next_write(tmp_path):
    import shutil

    from kb import settings

    kb = SmallKb(tmp_path)
    src = kb.sources / "central" / "pesa-act-1996.indiacode.md"
    assert kb.invoke(["add", str(src), "--state", "MH", "--title", "Some Panchayat Act, 2001"]).exit_code == 0
    # The old layout: the overlay beside the generations, none inside the current one.
    shutil.move(kb.data / "current" / "user-corpus", kb.data / "user-corpus")
    assert settings.user_corpus_dir(kb.data) == kb.data / "user-corpus"
    assert kb.invoke(["build", "-q"]).exit_code == 0
    staged = kb.data / "current" / "user-corpus"
    assert (staged / "mh" / src.name).is_file() and settings.user_corpus_dir(kb.data) == staged
    assert kb.invoke(["remove", f"mh/{src.name}"]).exit_code == 0
    assert not (kb.data / "current" / "user-corpus" / "mh" / src.name).exists()
