"""The command's settings from a file: `[tool.textmend]` in the nearest pyproject.toml
(as black and ruff read theirs), or `--config FILE`.

Keys are the command's option names, with dashes or underscores (`to = "simplified"`,
`html-reader = "careful"`, `keep = ["META"]`, `junk = false`, `budget = 10`); the
command line wins over the file. Only settings are read, not what a single run does
with its files (`--output`, `--in-place`, `--diff` ... are not keys): a pyproject.toml
found in a parent directory must not make a run rewrite files.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The options a file may set: what the run does to text, not where it goes.
SETTINGS = frozenset(
    {
        "encoding",
        "to",
        "lossy",
        "html",
        "html_reader",
        "keep",
        "budget",
        "repair",
        "markup",
        "script",
        "punctuation",
        "junk",
        "dedupe_lines",
        "field",
        "jobs",
        "quiet",
        "verbose",
    }
)
TABLE = ("tool", "textmend")
# Directories where the search for pyproject.toml stops: a repository's root.
ROOT_MARKERS = (".git", ".hg")


class ConfigError(ValueError):
    """A settings file that cannot be read or holds a key or value it may not."""


def find_pyproject(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest pyproject.toml with a `[tool.textmend]` table, from `start` up to
    the repository's root (or the filesystem's), and its parsed document."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            document = _load(candidate)
            if _table(document, candidate) is not None:
                return candidate, document
        if any((directory / marker).exists() for marker in ROOT_MARKERS):
            return None
    return None


def read_settings(
    path: Path, *, whole_file: bool, document: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The settings in `path` (its parsed `document`, if at hand) as click's
    `default_map` takes them: its `[tool.textmend]` table, or (`whole_file`, a file
    given with --config that has no such table) its top level; keys with underscores,
    lists of labels joined."""
    if document is None:
        document = _load(path)
    table = _table(document, path)
    if table is None:
        if not whole_file:
            return {}
        table = document
    settings: dict[str, Any] = {}
    for key, value in table.items():
        name = str(key).replace("-", "_")
        if name not in SETTINGS:
            known = ", ".join(sorted(name.replace("_", "-") for name in SETTINGS))
            raise ConfigError(f"{path}: unknown setting {key!r} (settings: {known})")
        if isinstance(value, (dict, list)) and name != "keep":
            raise ConfigError(f"{path}: {key} takes one value, not {type(value).__name__}")
        if name == "keep" and isinstance(value, list):
            value = ",".join(str(label) for label in value)
        settings[name] = value
    return settings


def _load(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover (Python 3.10)
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            document: dict[str, Any] = tomllib.load(handle)
            return document
    except OSError as err:
        raise ConfigError(f"{path}: {err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not TOML: {err}") from None


def _table(document: Mapping[str, Any], path: Path) -> Mapping[str, Any] | None:
    table: Any = document
    for key in TABLE:
        if not isinstance(table, Mapping) or key not in table:
            return None
        table = table[key]
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.textmend] must be a table")
    return table
