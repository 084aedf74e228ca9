"""Every command, reader and renderer is documented: help text here, a mention in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import cli
from indexer.readers import READERS
from kb.render import RENDERERS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, f"{prefix}{name} "))
    return out


@pytest.mark.parametrize("name, command", _commands(cli), ids=lambda x: x if isinstance(x, str) else "")
def test_command_documented(name, command):
    assert command.help and len(command.help.strip()) > 20, f"seckb {name} has no help text"
    assert f"seckb {name}" in README, f"README does not mention `seckb {name}`"
    if not isinstance(command, click.Group):
        assert "Example:" in command.help, f"seckb {name} --help shows no example"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_reader_documented(fmt):
    assert f"`{fmt}`" in README


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_renderer_documented(fmt):
    assert fmt in README


def test_readme_two_commands():
    assert "make demo" in README and "make test" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "make test" in ci
