"""Mojibake that was NFKC-normalised afterwards, as many corpus pipelines do: the
compatibility forms of cp1252's upper half were folded (`½` became `1⁄2`, `¸` a space
and a combining cedilla, a no-break space a space), so the bytes no longer re-encode.
Folding them back gives the mojibake again, which the other repairs then undo.

Only where the text shows folding: a fraction written with U+2044, or a combining mark
after a space or at the start of a line, which NFKC leaves and text rarely holds. The
ambiguous folds (a space, a digit, `a`, `o`, `TM`, `...`, `μ`) are unfolded only where
UTF-8 needs a continuation byte and finds that character instead.
"""

from __future__ import annotations

import re

from .base import _LATIN_MAP

# Folded forms NFKC gives for cp1252 characters and nothing else gives: a fraction
# with U+2044, a combining mark after a space (or at the start of a line, where the
# space was stripped as an indentation).
_DISTINCTIVE = {
    "1\u20442": "\u00bd",  # ½
    "1\u20444": "\u00bc",  # ¼
    "3\u20444": "\u00be",  # ¾
    "\u0308": "\u00a8",  # ¨
    "\u0304": "\u00af",  # ¯
    "\u0301": "\u00b4",  # ´
    "\u0327": "\u00b8",  # ¸
    "\u0303": "\u02dc",  # ˜
}
_DISTINCTIVE_FORM = re.compile(
    "1\u20442|1\u20444|3\u20444|(?: |^)([\u0308\u0304\u0301\u0327\u0303])"
)
# Folded forms that are also plain text: unfolded only where a UTF-8 continuation byte
# must be (the longest first).
_AMBIGUOUS = (
    ("...", "\u2026"),  # …
    ("TM", "\u2122"),  # ™
    (" ", "\u00a0"),
    ("1", "\u00b9"),
    ("2", "\u00b2"),
    ("3", "\u00b3"),
    ("a", "\u00aa"),
    ("o", "\u00ba"),
    ("\u03bc", "\u00b5"),  # Greek mu for the micro sign
)


def shows_folding(line: str) -> bool:
    return _DISTINCTIVE_FORM.search(line) is not None


def unfold(line: str) -> str:
    """`line` with its compatibility forms folded back where the text shows folding
    (`shows_folding`); the line itself where it does not."""
    if not shows_folding(line):
        return line
    line = _DISTINCTIVE_FORM.sub(lambda m: _DISTINCTIVE[m.group(1) or m.group()], line)
    out: list[str] = []
    needed = 0  # continuation bytes the last UTF-8 lead byte still wants
    i = 0
    while i < len(line):
        char = line[i]
        byte = _byte(char)
        if needed:
            if byte is not None and 0x80 <= byte <= 0xBF:
                out.append(char)
                needed -= 1
                i += 1
                continue
            folded = next((pair for pair in _AMBIGUOUS if line.startswith(pair[0], i)), None)
            if folded is not None:
                out.append(folded[1])
                needed -= 1
                i += len(folded[0])
                continue
            needed = 0  # not UTF-8 here: the character is read afresh below
        if byte is not None and 0xC2 <= byte <= 0xF4:
            needed = 1 if byte < 0xE0 else 2 if byte < 0xF0 else 3
        out.append(char)
        i += 1
    return "".join(out)


def _byte(char: str) -> int | None:
    """The cp1252 (or latin-1) byte `char` stands for, if it stands for one."""
    return _BYTES.get(char)


# Every character of cp1252's and latin-1's tables, and its byte.
_BYTES = {chr(code): byte for code, byte in _LATIN_MAP.items()}
