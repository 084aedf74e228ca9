"""Issue 15: one way to render (a registry of views, --format/--output on every printing command)
and a CLI that helps (full names, did-you-mean, nearest provisions, help, labels, ibid., tables,
build phases)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import cli
from kb.render.registry import VIEWS, choices, formats, render_view

ROOT = Path(__file__).resolve().parents[1]


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += _commands(command, f"{prefix}{name} ")
        else:
            out.append((f"{prefix}{name}", command))
    return out


@pytest.fixture
def run(built_kb):
    def invoke(*args: str, env: dict[str, str] | None = None):
        return CliRunner().invoke(cli, [*args, "--data", str(built_kb)], env=env)

    return invoke


# --- one way to render ----------------------------------------------------------------------------


# `serve` runs a web server and prints no view; `export`'s --format names the export format (akn,
# issue 17) and it writes files into --out: neither has a view for --format/--output to render.
NOT_VIEWS = {"serve", "export"}


@pytest.mark.parametrize(
    "name, command",
    [(n, c) for n, c in _commands(cli) if n not in NOT_VIEWS],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_command_prints_through_format_and_output(name, command):
    options = {opt: param for param in command.params for opt in param.opts}
    assert "--format" in options and "--output" in options, name
    fmt = options["--format"]
    assert isinstance(fmt.type, click.Choice)
    assert "text" in fmt.type.choices and "json" in fmt.type.choices, name


def test_format_choices_come_from_the_registry():
    compare = cli.commands["compare"]
    fmt = next(p for p in compare.params if p.name == "fmt")
    assert list(fmt.type.choices) == choices("table")
    assert set(formats("table")) == {"text", "markdown", "html", "csv", "json", "xlsx"}
    assert "md" in choices("coverage") and "xlsx" not in choices("coverage")
    with pytest.raises(ValueError, match="cannot be shown as 'xlsx'"):
        render_view("acts", [], "xlsx")


def test_no_renderer_outside_kb_render():
    cli_source = (ROOT / "cli.py").read_text()
    assert "json.dumps" not in cli_source and "import json" not in cli_source
    for module in ("notes", "userdocs", "evaluate", "brief"):
        source = (ROOT / "kb" / f"{module}.py").read_text()
        assert "def render_" not in source, module
        assert "kb.render" not in source, module  # kb/brief.py <-> kb/render/brief_*.py cycle is gone
    for targets in VIEWS.values():
        for target in targets.values():
            assert target.startswith("kb.render."), target


def test_json_of_every_listing_parses(run):
    for args in (["acts", "--state", "MN"], ["stats"], ["topics"], ["notes", "list"], ["coverage"]):
        result = run(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        json.loads(result.stdout)


def test_output_writes_the_file(run, tmp_path):
    out = tmp_path / "acts.json"
    result = run("acts", "--state", "MN", "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())[0]["jurisdiction"] == "MN"


# --- names, did you mean, nearest provisions --------------------------------------------------------


def test_full_state_names_are_accepted_everywhere(run):
    by_code = run("search", "more than two children", "--state", "MH", "--format", "json")
    by_name = run("search", "more than two children", "--state", "Maharashtra", "--format", "json")
    assert by_name.exit_code == 0, by_name.output
    assert json.loads(by_name.stdout)["hits"] == json.loads(by_code.stdout)["hits"]
    table = run("compare", "--rule", "two_child_norm", "--states", "Maharashtra,Manipur", "--format", "json")
    assert table.exit_code == 0, table.output
    assert {record["jurisdiction"] for record in json.loads(table.stdout)["records"]} >= {"MH", "MN"}
    assert run("acts", "--state", "orissa").exit_code == 0


@pytest.mark.parametrize(
    "args, words",
    [
        (["search", "x", "--state", "Maharastra"], "did you mean MH (Maharashtra)?"),
        (["compare", "--rule", "two_child_norm", "--states", "MH,Manipr"], "did you mean MN (Manipur)?"),
        (["compare", "--topic", "candidate-disqualifications"], "did you mean candidate-disqualification "),
        (["compare", "--rule", "two_child"], "did you mean two_child_norm?"),
        (["search", "x", "--act", "MH VPA 1960"], "did you mean MH-VPA-1959?"),
        (["show", "MH VPA 1959 s.999"], "nearest: MH-VPA-1959 s.188"),
        # The numbers sharing most of the one typed come first, not the Part's first articles.
        (["show", "Art. 243ZZ"], "nearest: IN-COI Art.243Z, IN-COI Art.243ZT"),
    ],
)
def test_slips_get_one_line_with_the_nearest(run, args, words):
    result = run(*args)
    assert result.exit_code != 0
    assert words in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_top_level_help_has_examples_and_says_build_first(tmp_path):
    result = CliRunner().invoke(cli, ["--help"], env={"SECKB_DATA": str(tmp_path / "none")})
    assert "Examples:" in result.output and 'seckb show "MH VPA 1959 s.14(1)(j-1)"' in result.output
    assert "run `seckb build` first" in " ".join(result.output.split())


# --- what the outputs say ----------------------------------------------------------------------------


def test_show_prints_labels_as_lawyers_write_them(run):
    text = run("show", "MH VPA 1959 s.14").stdout
    assert "(j-1) has more than two children" in text
    assert "Proviso 1" in text or "proviso 1" in text
    assert not re.search(r"^\s*\[(?:[a-z0-9-]+|proviso \d+)\]", text, re.MULTILINE)


def test_amendment_notes_resolve_ibid(run):
    text = run("show", "IN RPA 1950 s.4").stdout
    assert "Sub-section (2) was substituted by s. 11, Act 29 of 1975" in text
    assert "ibid" not in text


def test_acts_does_not_read_a_count_as_a_year(run):
    text = run("acts", "--state", "MH").stdout
    assert not re.search(r"Act, \d+ provisions", text)
    assert re.search(r"\d+ provisions, as on", text)


def test_coverage_table_fits_the_terminal_without_truncation(run):
    narrow = run("coverage", env={"COLUMNS": "80"}).stdout
    assert "…" not in narrow
    assert max(len(line) for line in narrow.splitlines()[3:]) <= 80
    words = set(narrow.split())
    assert {"Dadra", "Nagar", "Haveli", "Daman", "Diu"} <= words  # wrapped, not cut
    wide = run("coverage", env={"COLUMNS": "200"}).stdout
    assert "Dadra and Nagar Haveli and Daman and Diu" in wide


def test_build_reports_its_phases_in_order(tmp_path):
    from kb.build import BuildOptions, build_knowledge_base
    from kb.progress import PHASES
    from tests.small_corpus import make_small_corpus

    corpus, sources = make_small_corpus(tmp_path)
    seen: list[str] = []
    build_knowledge_base(
        BuildOptions(
            sources_dir=sources,
            data_dir=tmp_path / "data",
            corpus_dir=corpus,
            progress=lambda label, done, total: seen.append(label) if label.startswith("phase:") else None,
        )
    )
    assert [label.removeprefix("phase:") for label in seen] == list(PHASES)
