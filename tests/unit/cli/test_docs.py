"""Docs stay in sync with the code: every command and every setting is in the README."""

from __future__ import annotations

from pathlib import Path

import typer

from vigil.cli.app import app
from vigil.core.settings import Settings

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, list[str]]]:
    root = typer.main.get_command(app)
    out = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        out.append((name, sorted(getattr(cmd, "commands", {}))))
    return out


def test_docs_every_command_is_in_the_readme() -> None:
    missing = []
    for name, subs in commands():
        if f"vigil {name}" not in README:
            missing.append(name)
        missing.extend(f"{name} {sub}" for sub in subs if sub not in README)
    assert missing == []


def test_docs_every_setting_is_in_the_readme() -> None:
    missing = [name for name, _, _ in Settings.describe() if f"`{name}`" not in README]
    assert missing == []
