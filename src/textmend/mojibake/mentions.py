"""Mojibake quoted on purpose (`「æµ‹è¯•」` in a help text): a mention, left as it is."""

from __future__ import annotations

import bisect
import re
from functools import cache

from .base import _NON_ASCII, SINGLE_BYTE_SUSPECT, _wrong_bytes

MAX_MENTION = 40  # characters between quotes: an example quoted, not a passage
QUOTE_PAIRS = ('""', "''", "``", "「」", "『』", "“”", "‘’", "«»")
_QUOTED = [
    re.compile(f"{re.escape(o)}([^{re.escape(o + c)}\\n]{{1,{MAX_MENTION}}}){re.escape(c)}")
    for o, c in (tuple(pair) for pair in QUOTE_PAIRS)
]


def mentions(line: str, wrong: str, changed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quoted text (`「æµ‹è¯•」`, `("锟斤拷", "ï»¿")`) on a line that shows it was not
    read with `wrong`: outside the quotes' content and the `changed` spans it holds
    a character that `wrong` cannot have given. Mojibake there is an example
    quoted on purpose, not a wrong reading: it is left as it is. (The witnesses are
    found once and counted by bisection: linear however many quotes a line has.)"""
    quoted = [
        match.span(1)
        for pattern in _QUOTED
        for match in pattern.finditer(line)
        if not match.group(1).isascii()  # mojibake is not ASCII
    ]
    if not quoted:
        return []
    witnesses = _outside(
        [m.start() for m in _NON_ASCII.finditer(line) if _witness(m.group(), wrong)], changed
    )
    return [
        (start, end)
        for start, end in quoted
        if len(witnesses)
        > bisect.bisect_left(witnesses, end) - bisect.bisect_left(witnesses, start)
    ]


def _outside(positions: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """The sorted `positions` that lie in none of `spans`."""
    kept, spans, index = [], sorted(spans), 0
    for position in positions:
        while index < len(spans) and spans[index][1] <= position:
            index += 1
        if index == len(spans) or position < spans[index][0]:
            kept.append(position)
    return kept


@cache
def _witness(char: str, wrong: str) -> bool:
    """Whether `char` shows its line was not read with `wrong`: no decoder of `wrong`
    gives it, and it is no character of single-byte mojibake (`≈` in MacRoman's)."""
    return not (
        char == "\ufffd" or SINGLE_BYTE_SUSPECT.match(char) or _wrong_bytes(char, wrong) is not None
    )
