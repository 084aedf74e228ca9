"""The build: incremental by checksum, atomic, and refusing bad sources without harm."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.agreement import compare_renderings
from kb.build import BuildOptions, build_knowledge_base
from kb.errors import ReaderError
from kb.knowledge import KnowledgeBase
from kb.query import SearchRequest, search
from kb.show import show_provision
from kb.store.datadir import DataDir


def _answers(data: Path) -> tuple[list[str], str]:
    with KnowledgeBase.open(data) as kb:
        hits = [h.ref for h in search(kb, SearchRequest("more than two children", states=["MH"])).hits]
        view = show_provision(kb, "MH-VPA-1959 s.14(1)(j-1)")
    return hits, view.quote()


def test_rebuild_skips_unchanged_sources(built_kb_copy, sources_dir):
    report = build_knowledge_base(BuildOptions(sources_dir=sources_dir, data_dir=built_kb_copy))
    assert report.documents and {d.status for d in report.documents} == {"unchanged"}
    assert report.index_mode == "unchanged"


def _sources_with(tmp_path: Path, sources_dir: Path, replace: str, content: bytes) -> Path:
    """A copy of the sources folder (links) in which one file is replaced."""
    target = tmp_path / "sources"
    for path in sources_dir.rglob("*"):
        if path.is_file():
            link = target / path.relative_to(sources_dir)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    (target / replace).unlink()
    (target / replace).write_bytes(content)
    return target


def test_changed_source_is_reparsed_alone(built_kb_copy, sources_dir, tmp_path):
    original = (
        sources_dir / "chandigarh/punjab-municipal-corporation-law-extension-act-1994.indiacode.md"
    ).read_bytes()
    changed = _sources_with(
        tmp_path,
        sources_dir,
        "chandigarh/punjab-municipal-corporation-law-extension-act-1994.indiacode.md",
        original + b"\n",
    )
    report = build_knowledge_base(BuildOptions(sources_dir=changed, data_dir=built_kb_copy))
    parsed = [d.path for d in report.documents if d.status == "parsed"]
    assert parsed == ["chandigarh/punjab-municipal-corporation-law-extension-act-1994.indiacode.md"]
    assert report.index_mode == "incremental"
    assert _answers(built_kb_copy)[0]


@pytest.mark.parametrize(
    "name, content",
    [
        ("maharashtra/village-panchayats-act-1959.pdf", None),  # truncated below
        ("manipur/panchayati-raj-act-1994.indiankanoon.xml", b"<act><article><number>1</number> oops <section"),
        ("central/pesa-act-1996.indiacode.md", b"\x00\x01\x02 not markdown at all"),
    ],
)
def test_bad_source_fails_and_keeps_previous(built_kb_copy, sources_dir, tmp_path, name, content):
    if content is None:
        content = (sources_dir / name).read_bytes()[:20_000]
    before = _answers(built_kb_copy)
    current = DataDir(built_kb_copy).current()
    bad = _sources_with(tmp_path, sources_dir, name, content)
    with pytest.raises(ReaderError) as info:
        build_knowledge_base(BuildOptions(sources_dir=bad, data_dir=built_kb_copy, full=True))
    message = info.value.one_line()
    assert name.split("/")[-1] in message and "\n" not in message
    assert DataDir(built_kb_copy).current() == current  # nothing was published
    assert _answers(built_kb_copy) == before
    leftovers = [p.name for p in built_kb_copy.iterdir() if p.name.startswith("gen-")]
    assert current.path.name in leftovers and len(leftovers) <= 2


def test_alternate_renderings_agree(open_kb):
    """Same Act, two renderings: section numbers and clause labels compared as a figure."""
    figures = {a.act_id: a for a in compare_renderings(open_kb)}
    assert set(figures) >= {"IN-RPA-1950", "IN-RPA-1951", "MN-PRA-1994", "DL-NDMCA-1994", "MH-SECA-1994"}
    for act_id in ("IN-RPA-1950", "MN-PRA-1994", "DL-NDMCA-1994", "MH-SECA-1994"):
        assert figures[act_id].section_agreement == 1.0, figures[act_id].only_primary
    assert figures["MH-SECA-1994"].label_agreement == 1.0
    assert figures["IN-RPA-1951"].section_agreement > 0.9
    for agreement in figures.values():
        print(
            f"{agreement.act_id}: sections {agreement.section_agreement:.1%}, "
            f"labels {agreement.label_agreement:.1%} ({len(agreement.label_mismatches)} sections differ)"
        )
