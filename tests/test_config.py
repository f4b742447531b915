"""Settings from a file: [tool.textmend] in the nearest pyproject.toml, or --config FILE;
the command line wins; unknown keys and bad TOML are one-line usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from textmend.cli import cli

MACHINE_CONVERTED = "政務微博發布了新的通知，請大家注意查看。\n".encode()


def run(args: list[str], data: bytes = MACHINE_CONVERTED) -> Result:
    return CliRunner().invoke(cli, [*args, "-"], input=data)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # the search stops at a repository's root
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_pyproject_settings_apply_and_the_command_line_wins(project: Path) -> None:
    assert "政務微博" in run([]).stdout_bytes.decode()  # too little evidence to convert
    (project / "pyproject.toml").write_text(
        '[tool.textmend]\nto = "simplified"\n', encoding="utf-8"
    )
    assert "政务微博" in run([]).stdout_bytes.decode()
    assert "政務微博" in run(["--to", "keep"]).stdout_bytes.decode()


def test_the_nearest_pyproject_with_a_table_is_found_from_a_subdirectory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.textmend]\nto = "simplified"\n', encoding="utf-8"
    )
    inner = project / "a" / "b"
    inner.mkdir(parents=True)
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(inner)
    assert "政务微博" in run([]).stdout_bytes.decode()


def test_the_search_stops_at_the_repositorys_root(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = project.parent / f"{project.name}-outer"
    outer.mkdir()
    (outer / "pyproject.toml").write_text('[tool.textmend]\nto = "simplified"\n', encoding="utf-8")
    repo = outer / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.chdir(repo)
    assert "政務微博" in run([]).stdout_bytes.decode()


def test_a_config_file_takes_top_level_keys_with_dashes_and_label_lists(project: Path) -> None:
    page = MACHINE_CONVERTED + "长按扫码 阅读全文\n".encode()
    assert "阅读全文" not in run([], page).stdout_bytes.decode()  # junk, by default
    config = project / "textmend.toml"
    config.write_text('to = "simplified"\nhtml-reader = "fast"\njunk = false\n', encoding="utf-8")
    result = run(["--config", str(config)], page)
    assert result.exit_code == 0, result.stderr_bytes
    assert "政务微博" in result.stdout_bytes.decode()
    assert "阅读全文" in result.stdout_bytes.decode()
    config.write_text('keep = ["BOILERPLATE", "META"]\n', encoding="utf-8")
    assert "阅读全文" in run(["--config", str(config)], page).stdout_bytes.decode()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("bogus = 1\n", "unknown setting 'bogus'"),
        ("in-place = true\n", "unknown setting 'in-place'"),  # what a run does to files
        ('to = "klingon"\n', "klingon"),
        ("to = [1, 2]\n", "takes one value"),
        ("to = \n", "not TOML"),
    ],
)
def test_a_bad_setting_is_a_one_line_usage_error(project: Path, text: str, said: str) -> None:
    config = project / "textmend.toml"
    config.write_text(text, encoding="utf-8")
    result = run(["--config", str(config)])
    assert result.exit_code == 2
    lines = result.stderr_bytes.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("textmend: error:") and said in lines[0]


def test_a_missing_config_file_is_a_usage_error(project: Path) -> None:
    result = run(["--config", str(project / "absent.toml")])
    assert result.exit_code == 2
    assert "absent.toml" in result.stderr_bytes.decode()
