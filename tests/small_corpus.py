"""A small corpus for tests that build many times (kill -9, concurrency, failed builds).

``make_small_corpus`` writes a corpus/ folder (catalogue of a few Acts, the real topics, no
rules or overrides, which would cite Acts left out) and a sources/ folder with just their files,
so a whole ``seckb build`` takes seconds instead of the real corpus's half minute.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SOURCES = ROOT.parent / "shared" / "corpus"

# MH-VPA-1959 carries the answers the tests compare; the others add formats and build time.
SMALL_ACTS = ("MH-VPA-1959", "MN-PRA-1994", "IN-PESA-1996")


def make_small_corpus(root: Path, acts: tuple[str, ...] = SMALL_ACTS) -> tuple[Path, Path]:
    """Write root/corpus and root/sources; returns (corpus_dir, sources_dir)."""
    corpus, sources = root / "corpus", root / "sources"
    (corpus / "rules").mkdir(parents=True)
    sources.mkdir(parents=True)
    shutil.copy(CORPUS / "jurisdictions.yaml", corpus / "jurisdictions.yaml")
    shutil.copy(CORPUS / "topics.yaml", corpus / "topics.yaml")
    entries = [e for e in yaml.safe_load((CORPUS / "acts.yaml").read_text()) if e["id"] in acts]
    assert {e["id"] for e in entries} == set(acts), "an Act of the small corpus left the catalogue"
    for entry in entries:
        entry["sources"] = [s for s in entry.get("sources", []) if s.get("role") != "metadata"]
        for source in entry["sources"]:
            target = sources / source["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(SOURCES / source["file"], target)
    (corpus / "acts.yaml").write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True))
    return corpus, sources
