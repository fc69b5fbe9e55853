"""The README documents every command of the CLI (a command missing from the docs fails here)."""

from pathlib import Path

import pytest

from duizhang.cli.main import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_readme_shows_each_command(command: str) -> None:
    assert f"duizhang {command}" in README


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_each_command_has_help_with_an_example(command: str) -> None:
    help_text = cli.commands[command].help or ""
    assert help_text.strip(), f"{command} has no help"
    assert "Example" in help_text or "duizhang " in help_text, f"{command} help shows no example"
