"""Mojibake that was NFKC-normalised afterwards, as many corpus pipelines do: the
compatibility forms of cp1252's upper half were folded (`½` became `1⁄2`, `¸` a space
and a combining cedilla, a no-break space a space), so the bytes no longer re-encode.
Folding them back gives the mojibake again, which the other repairs then undo.

Only where the text shows folding: a fraction written with U+2044, a combining mark
after a space or at the start of a line, or a Greek mu beside a Latin-1 letter, which
NFKC leaves and text rarely holds. The ambiguous folds (a space, a digit, `a`, `o`,
`TM`, `...`, `μ`) are unfolded only where UTF-8 needs a continuation byte and finds
that character instead (`unfold`). A double-byte code page's trail bytes include
ASCII, so its bytes' structure cannot tell a folded `a` from a real one: there every
way of reading the line's folded forms is weighed at once, by dynamic programming over
the bytes (a lead byte waiting for its trail, or none; the class of the last
character), and the cheapest reading in the code page's languages is taken
(`unfold_double_byte`); the repair that follows still has to find it better than the
text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .. import langmodel
from .base import _LATIN_MAP, TARGET_GROUPS

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


# A Greek mu beside a Latin-1 letter: NFKC's micro sign (`µ`, byte 0xB5, a common GBK
# lead byte: `ÒµÄ` is `ÒμÄ`), as no Greek word nor unit (`μm`) has it; not found in the
# clean corpora, the UDHR texts nor ftfy's cases.
_MU_AMID_LATIN_1 = re.compile("[À-ÖØ-öø-ÿ]\u03bc|\u03bc[À-ÖØ-öø-ÿ]")


def shows_folding(line: str) -> bool:
    if not _FOLDING_MARK.search(line):
        return False  # the common case, in one scan for a class (`^` in the first
        # pattern makes the engine try it at every position: 7 us a pinyin spam line)
    return _DISTINCTIVE_FORM.search(line) is not None or _MU_AMID_LATIN_1.search(line) is not None


# A character each of the two patterns above needs.
_FOLDING_MARK = re.compile("[\u2044\u0308\u0304\u0301\u0327\u0303\u03bc]")


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


# The double-byte code pages whose text read as cp1252 is folded back whole.
DOUBLE_BYTE = ("gbk", "big5", "cp932", "euc_kr")
# What NFKC makes of each cp1252 character it changes (`…` is `...`, `²` is `2`, `¸` a
# space and a combining cedilla), taken from NFKC itself: form -> the character.
_FOLDS = {
    form: char
    for byte in range(0x80, 0x100)
    if (char := bytes([byte]).decode("cp1252", errors="ignore"))
    and (form := unicodedata.normalize("NFKC", char)) != char
}
# The forms by their first character; a combining mark alone is its form at the start
# of a line, where the space was stripped as an indentation.
_FORMS: dict[str, list[tuple[str, str]]] = {}
for _form, _char in _FOLDS.items():
    _FORMS.setdefault(_form[0], []).append((_form, _char))
_AT_START = {form[1]: char for form, char in _FOLDS.items() if form[0] == " " and len(form) == 2}
# What a character's class costs after the class before it (-ln P, nats): digit,
# letter, space, other ASCII, non-ASCII; measured on the lines of the tuning half of
# zh_hans_wiki (even documents). The language models leave ASCII free (every
# ASCII-compatible reading of the same bytes shares it); here the readings differ in
# what is ASCII: a number's digits follow each other (0.5), a digit between two Han
# characters costs 3.8 + 1.0, and `2012年` is not `20共年`.
_CLASS_COST = {
    "D": {"D": 0.53, "L": 4.86, "S": 5.14, "P": 3.17, "N": 1.03},
    "L": {"D": 4.75, "L": 0.24, "S": 2.59, "P": 3.21, "N": 2.39},
    "S": {"D": 2.72, "L": 0.42, "S": 8.0, "P": 2.66, "N": 1.57},  # no two spaces: unseen
    "P": {"D": 1.36, "L": 1.88, "S": 2.65, "P": 2.71, "N": 0.79},
    "N": {"D": 3.77, "L": 5.22, "S": 6.52, "P": 6.0, "N": 0.03},
}
# Which of its class an ASCII character is, taken as equally likely: ln 10 digits, ln 52
# letters, ln 32 signs.
_IN_CLASS = {"D": 2.3, "L": 4.0, "S": 0.0, "P": 3.5}
_FREE = -1  # no lead byte waiting for its trail
_START = "P"  # a line starts as after a sign


def unfold_double_byte(line: str, codecs: tuple[str, ...] = ()) -> str | None:
    """`line` folded back as the double-byte code page of `codecs` (DOUBLE_BYTE if
    none) it reads cheapest in, in the cheapest of its languages (`_unfold_as`);
    None if it reads in none."""
    read = [
        found
        for codec in codecs or DOUBLE_BYTE
        for group in TARGET_GROUPS[codec]
        if (found := _unfold_as(line, codec, group))
    ]
    return min(read)[1] if read else None


_State = tuple[int, str]  # the lead byte waiting for its trail (or _FREE), the last class
_Entry = tuple[float, int, _State, str]  # cost, position and state before, cp1252 character


def _unfold_as(line: str, codec: str, group: str) -> tuple[float, str] | None:
    """(cost, line) with each folded form folded back or kept, as reads best as
    `codec`'s bytes: every character a byte (cp1252's, or a folded form's), every
    lead byte with its trail, the characters priced in the language `group` (one for
    the whole line: simplified and traditional characters do not mix).
    Linear: a few states per position, a few choices per character; where one state
    is left that every way of reading goes through, the way up to it is settled and
    forgotten. None if no way of reading decodes whole."""
    table: dict[int, dict[_State, _Entry]] = {0: {(_FREE, _START): (0.0, -1, (_FREE, _START), "")}}
    pieces: list[str] = []
    origin = furthest = 0
    for i in range(len(line)):
        here = table.get(i)
        if not here:
            if furthest < i:
                return None  # no way of reading gets this far
            continue
        if i > origin and furthest == i and len(here) == 1:
            ((state, entry),) = here.items()
            pieces.append(_backtrack(table, i, state, origin))
            here = {state: (entry[0], -1, state, "")}
            table, origin = {i: here}, i
        choices = _choices(line, i)
        for state, (cost, *_) in here.items():
            for size, byte, char in choices:
                step = _step(state, byte, codec, group)
                if step is None:
                    continue
                after, price = step
                there = table.setdefault(i + size, {})
                best = there.get(after)
                if best is None or cost + price < best[0]:
                    there[after] = (cost + price, i, state, char)
                    furthest = max(furthest, i + size)
    ends = [(entry[0], key) for key, entry in table.get(len(line), {}).items() if key[0] == _FREE]
    if not ends:
        return None
    cost, last = min(ends)
    pieces.append(_backtrack(table, len(line), last, origin))
    return cost, "".join(pieces)


def _choices(line: str, i: int) -> list[tuple[int, int, str]]:
    """(characters taken, byte, cp1252 character) for each way of reading `line` at `i`."""
    char = line[i]
    found = []
    if char in _BYTES:
        found.append((1, _BYTES[char], char))
    for form, folded in _FORMS.get(char, ()):
        if line.startswith(form, i):
            found.append((len(form), _BYTES[folded], folded))
    if i == 0 and char in _AT_START:
        found.append((1, _BYTES[_AT_START[char]], _AT_START[char]))
    return found


@cache
def _step(
    state: tuple[int, str], byte: int, codec: str, group: str
) -> tuple[tuple[int, str], float] | None:
    """The state after `byte`, and the cost in `group` of the character it completes;
    None if `codec` cannot have that byte there (cached: a few thousand states and
    bytes a code page)."""
    lead, last = state
    if lead == _FREE:
        if byte < 0x80:
            kind = _class(byte)
            return (_FREE, kind), _CLASS_COST[last][kind] + _IN_CLASS[kind]
        alone = _char_cost(bytes([byte]), codec, group)  # Shift-JIS's half-width katakana
        if alone is not None:
            return (_FREE, "N"), _CLASS_COST[last]["N"] + alone
        return ((byte, last), 0.0) if _is_lead(byte, codec) else None
    price = _pair_cost(lead, byte, codec, group)
    return None if price is None else ((_FREE, "N"), _CLASS_COST[last]["N"] + price)


def _class(byte: int) -> str:
    """An ASCII byte's class: digit, letter, space or other."""
    char = chr(byte)
    if char.isdigit():
        return "D"
    if char.isalpha():
        return "L"
    return "S" if char == " " else "P"


@cache
def _is_lead(byte: int, codec: str) -> bool:
    """Whether `byte` starts a character of two bytes in `codec`."""
    group = TARGET_GROUPS[codec][0]
    return any(_pair_cost(byte, trail, codec, group) is not None for trail in range(0x40, 0x100))


@cache
def _pair_cost(lead: int, trail: int, codec: str, group: str) -> float | None:
    """What the character of `codec` two bytes make costs in `group`; None if they
    make none."""
    return _char_cost(bytes([lead, trail]), codec, group)


def _char_cost(data: bytes, codec: str, group: str) -> float | None:
    """What the one character `data` is in `codec` costs in `group`; None if it is
    none."""
    try:
        char = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if len(char) != 1 or char.isascii():
        return None
    return langmodel.score(char, (group,))[0]


def _backtrack(table: dict[int, dict[_State, _Entry]], end: int, state: _State, origin: int) -> str:
    """The cp1252 characters of the cheapest way of reading from `origin` to `end`,
    from its state at `end`."""
    out, i = [], end
    while i > origin:
        _, before, state_before, char = table[i][state]
        out.append(char)
        i, state = before, state_before
    return "".join(reversed(out))
