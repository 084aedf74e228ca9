"""A small corpus for tests that build many times (kill -9, concurrency, failed builds).

``make_small_corpus`` writes a corpus/ folder (catalogue of a few Acts, the real topics, no
rules or overrides, which would cite Acts left out) and a sources/ folder with just their files,
so a whole ``seckb build`` takes seconds instead of the real corpus's half minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

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
    shutil.copy(CORPUS / "finder.yaml", corpus / "finder.yaml")
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


def _seckb(*args: str) -> list[str]:
    return [sys.executable, "-c", "import cli; cli.main()", *args]


class SmallKb:
    """A small knowledge base in ``root``, and ways to run seckb against it."""

    def __init__(self, root: Path) -> None:
        self.corpus, self.sources = make_small_corpus(root)
        self.data = root / "data"
        self.env = {
            **os.environ,
            "SECKB_CORPUS": str(self.corpus),
            "SECKB_SOURCES": str(self.sources),
            "SECKB_DATA": str(self.data),
        }
        self.env.pop("SECKB_DB", None)

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            _seckb(*args), cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(_seckb(*args), cwd=ROOT, env=self.env, capture_output=True, text=True)

    def invoke(self, args: list[str]):
        """Run a command in this process (no interpreter start-up): the answers and the builds
        that follow a kill."""
        from cli import cli

        return CliRunner().invoke(cli, args, env={k: v for k, v in self.env.items() if k.startswith("SECKB_")})

    def answer(self, args: list[str]) -> str:
        result = self.invoke(args)
        assert result.exit_code == 0, result.output
        return result.output
