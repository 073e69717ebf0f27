"""`--config`, `--demo` and `-v` work before the command and after it, for every command at every depth."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kiosk.cli import build_parser


def every_command(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Each command's words (`("products", "import")`, `("export", "saft")`, ...), nested ones included."""
    found: list[tuple[str, ...]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*path, name))
                found += every_command(sub, (*path, name))
    return found


def test_every_command_and_group_takes_config_demo_and_verbose() -> None:
    parser = build_parser()
    commands = every_command(parser)
    assert ("products", "import") in commands and ("export", "saft") in commands and ("people", "set-code") in commands
    for words in commands:
        sub = parser
        for word in words:
            sub = next(a for a in sub._actions if isinstance(a, argparse._SubParsersAction)).choices[word]
        options = sub._option_string_actions
        missing = [o for o in ("--config", "--demo", "-v") if o not in options]
        assert not missing, f"kiosk {' '.join(words)} lacks {missing}"


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "c.toml", "products", "import", "f.csv"],
        ["products", "import", "f.csv", "--config", "c.toml"],
        ["products", "--config", "c.toml", "import", "f.csv"],
        ["export", "saft", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "d", "--config", "c.toml"],
        ["people", "set-code", "Åse", "--config", "c.toml"],
        ["run", "--config", "c.toml"],
    ],
)
def test_config_is_read_before_or_after_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.config == Path("c.toml")
    assert args.demo is False and args.verbose is False


@pytest.mark.parametrize(
    "argv",
    [
        ["--demo", "-v", "products", "export", "f.csv"],
        ["products", "export", "f.csv", "--demo", "-v"],
        ["-v", "journal", "verify", "--demo"],
        ["--demo", "journal", "verify", "-v"],
    ],
)
def test_demo_and_verbose_are_read_before_or_after_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.demo is True and args.verbose is True
    assert args.config is None  # nothing given: KIOSK_CONFIG or the default file decides


def test_without_options_a_nested_command_gets_the_defaults() -> None:
    args = build_parser().parse_args(["export", "hours", "--month", "2026-11", "--out", "t.csv"])
    assert (args.config, args.demo, args.verbose) == (None, False, False)
