"""Load the word lists and tables shipped in `textmend/data` (comments start with #)."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


def char_class(chars: Iterable[str]) -> str:
    """A regex class body matching exactly `chars`, as ranges."""
    codes = sorted(set(map(ord, chars)))
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


def count_matches(pattern: re.Pattern[str], text: str) -> int:
    """How many times `pattern` matches in `text` (as `len(pattern.findall(text))`),
    without a string per match: counting the Han characters of a megabyte that way made
    half a million objects, and the allocator grew it faster than the text (2.6x per
    doubling at 1 MB)."""
    return pattern.subn("", text)[1]
