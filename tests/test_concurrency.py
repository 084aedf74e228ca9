"""One writer at a time, refused cleanly; readers keep the version they opened.

The writer lock is an flock on ``<data>/.lock``. A second build, add or notes import while it is
held must exit non-zero with one line naming the holder, never a traceback, and change nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from small_corpus import SmallKb

from kb.build import BuildOptions, build_knowledge_base
from kb.knowledge import KnowledgeBase
from kb.query import SearchRequest, search
from kb.show import show_provision
from kb.store.datadir import DataDir
from tests.factories import note_markdown

ROOT = Path(__file__).resolve().parents[1]
CLAUSE = "MH-VPA-1959 s.14(1)(j-1)"

NOTE = note_markdown(
    "A note that must not get in while the knowledge base is busy", "Clause [[MH-VPA-1959 s.14(1)(j-1)]] again."
)


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory) -> SmallKb:
    kb = SmallKb(tmp_path_factory.mktemp("busykb"))
    done = kb.invoke(["build", "-q"])
    assert done.exit_code == 0, done.output
    return kb


@pytest.fixture
def lock_held_elsewhere(small_kb):
    """Another process holding the writer lock, as a running `seckb build` would."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from kb.store.datadir import DataDir\n"
            "with DataDir(sys.argv[1]).writer_lock('build'):\n"
            "    print('locked', flush=True); sys.stdin.read()",
            str(small_kb.data),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    yield holder.pid
    holder.stdin.close()  # EOF: the holder leaves the lock and exits
    assert holder.wait(timeout=30) == 0


def _assert_refused_busy(result, holder_pid: int) -> None:
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert f"busy (build by pid {holder_pid})" in errors[0]
    assert "Traceback" not in result.output and "LockError" not in result.output
    assert "BlockingIOError" not in result.output


def _generations(kb: SmallKb) -> list[str]:
    return sorted(p.name for p in kb.data.iterdir() if p.name.startswith("gen-"))


def test_second_build_is_refused_while_one_runs(small_kb, lock_held_elsewhere):
    before = _generations(small_kb)
    result = small_kb.invoke(["build", "-q"])
    _assert_refused_busy(result, lock_held_elsewhere)
    assert _generations(small_kb) == before, "a refused build must not leave a generation behind"


def test_notes_import_is_refused_while_a_build_runs(small_kb, lock_held_elsewhere, tmp_path):
    (tmp_path / "busy.md").write_text(NOTE)
    result = small_kb.invoke(["notes", "import", str(tmp_path)])
    _assert_refused_busy(result, lock_held_elsewhere)
    listed = small_kb.answer(["notes", "list"])
    assert "must not get in" not in listed


def _user_files(kb: SmallKb) -> dict[str, bytes]:
    folder = kb.data / "current" / "user-corpus"
    return (
        {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != ".lock"}
        if folder.exists()
        else {}
    )


def test_add_is_refused_while_a_build_runs_and_leaves_the_user_corpus_alone(small_kb, lock_held_elsewhere):
    before = _user_files(small_kb)
    result = small_kb.invoke(
        [
            "add",
            str(small_kb.sources / "central" / "pesa-act-1996.indiacode.md"),
            "--state",
            "MH",
            "--title",
            "Some Panchayat Act",
            "--year",
            "2001",
        ]
    )
    _assert_refused_busy(result, lock_held_elsewhere)
    assert _user_files(small_kb) == before


def test_lock_held_on_another_descriptor_of_this_process_also_refuses(small_kb):
    """flock belongs to the open file, so even a second handle in one process is kept out."""
    with DataDir(small_kb.data).writer_lock("notes import"):
        result = small_kb.invoke(["build", "-q"])
    assert result.exit_code == 1
    assert "busy (notes import by pid" in result.output
    assert small_kb.invoke(["build", "-q"]).exit_code == 0  # released with the handle


def test_lock_of_a_dead_writer_does_not_block(small_kb):
    """A killed writer leaves .lock with its text in it; only a live flock counts."""
    (small_kb.data / ".lock").write_text("build by pid 999999999")
    assert small_kb.invoke(["build", "-q"]).exit_code == 0


def _answers(kb: KnowledgeBase) -> tuple[list[str], str]:
    hits = search(kb, SearchRequest(text="more than two children", states=["MH"], limit=5))
    return [hit.ref for hit in hits.hits], show_provision(kb, CLAUSE).quote()


def test_reader_opened_before_a_rebuild_keeps_its_version(small_kb):
    before = KnowledgeBase.open(small_kb.data)
    try:
        expected = _answers(before)
        old_build = before.generation.manifest()["build_id"]
        build_knowledge_base(
            BuildOptions(sources_dir=small_kb.sources, data_dir=small_kb.data, corpus_dir=small_kb.corpus, full=True)
        )
        assert _answers(before) == expected
        assert before.generation.manifest()["build_id"] == old_build
        with KnowledgeBase.open(small_kb.data) as after:
            new_build = after.generation.manifest()["build_id"]
            assert new_build != old_build
            assert after.generation.path != before.generation.path
            assert _answers(after) == expected
    finally:
        before.close()
