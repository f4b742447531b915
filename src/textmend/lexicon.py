"""Load the word lists and tables shipped in `textmend/data` (comments start with #)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def entries(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of data file `name`, stripped, in file order."""
    text = resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    rows = (line.strip() for line in text.splitlines())
    return tuple(row for row in rows if row and not row.startswith("#"))


@cache
def words(name: str) -> frozenset[str]:
    """Data file `name` as a set of entries."""
    return frozenset(entries(name))
