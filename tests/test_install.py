"""The wheel installs and works outside a checkout: curated data ships inside it (issue 15, item 6).

The wheel is built from this checkout, installed without dependencies into a fresh virtual
environment (whose dependencies come from this test run's own environment through a .pth line,
so nothing is downloaded at install time), and ``seckb build`` then runs from a folder outside the
checkout against the real source documents.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT, SOURCES

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(ROOT), "-w", str(wheels)], cwd=work)
    (wheel,) = wheels.glob("seckb-*.whl")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=work)
    python = venv / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work).stdout.strip()
    )
    # Dependencies from this environment; a plain path line (not a site dir), so its editable
    # seckb is not activated and kb/ can only come from the wheel.
    (site / "zz_seckb_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], cwd=work)
    return venv


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECKB_") and k != "PYTHONPATH"}
    return env | extra


def test_installed_package_carries_the_curated_corpus(installed, tmp_path):
    probe = "import kb, kb.settings; print(kb.__file__); print(kb.settings.corpus_dir())"
    out = _run([str(installed / "bin" / "python"), "-c", probe], cwd=tmp_path, env=_clean_env()).stdout.split("\n")
    kb_file, corpus = Path(out[0]), Path(out[1])
    assert installed in kb_file.parents, f"kb imported from {kb_file}, not from the wheel"
    assert installed in corpus.parents
    assert (corpus / "acts.yaml").is_file() and (corpus / "rules" / "MH.yaml").is_file()
    assert any((corpus / "notes").glob("*.md"))
    assert len(list((corpus / "descriptions").glob("*.yaml"))) == len(
        list((ROOT / "corpus" / "descriptions").glob("*.yaml"))
    )


def test_installed_seckb_builds_outside_the_checkout(installed, tmp_path):
    seckb = str(installed / "bin" / "seckb")
    env = _clean_env()
    build = _run([seckb, "build", "--quiet", "--sources", str(SOURCES), "--data", "data"], cwd=tmp_path, env=env)
    assert "Built" in build.stdout
    assert "MH" in build.stdout
    show = _run([seckb, "show", "MH VPA 1959 s.14(1)(j-1)", "--data", "data"], cwd=tmp_path, env=env)
    assert "MH-VPA-1959 s.14(1)(j-1)" in show.stdout
    assert "seckb-data" not in os.listdir(tmp_path)  # --data was honoured
