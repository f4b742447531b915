"""Load the word lists and tables shipped in `textmend/data` (comments start with #)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from functools import cache
from importlib import import_module, resources
from typing import Any


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


# --- literal filters: one scan that proves no row of a lexicon can match ------------------

# The regex parser (`re._parser`, `sre_parse` before 3.11): its parse trees are tuples
# whose shapes depend on the operation, read here as Any.
sre_parse: Any = import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")

# A regex's exact strings are enumerated up to this many (a class of a few letters, an
# alternation of words, a short optional group), and a class up to this many characters.
MAX_EXACT = 64
MAX_CLASS = 8
# A filter is only worth a scan when every row needs a string of this weight or more, a
# character outside ASCII weighing two (`.` or `:` alone is on every line of prose).
MIN_LITERAL = 4
# What `re.IGNORECASE` matches besides a letter's own lower case (`_sre`'s simple case
# mapping and its equivalences: İ ı ſ and the Kelvin sign read as i, i, s and k).
_CASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a]")

_Exact = frozenset[str] | None


def fold(text: str) -> str:
    """`text` as a literal filter reads it: every character `re.IGNORECASE` matches to an
    ASCII letter written as that letter in lower case, one character for one."""
    if _CASE_SPECIAL.search(text):  # (rare: a dict-table translate is slow on CJK text)
        text = text.translate(_CASE_FOLD)
    return text.lower()


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` holds (None: no such set is known).

    Read from the parsed regex: a run of elements whose matches are few and fixed
    (`(未|非)经`) gives their concatenations; a repeat of at least one its item's; an
    alternation the union of its branches'. The longest such set of a sequence wins."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    return _node_required(list(parsed))


def _node_exact(op: str, av: Any) -> _Exact:
    """The strings an element matches, if few and fixed."""
    if op == "LITERAL":
        return frozenset(chr(av))
    if op in ("AT", "ASSERT", "ASSERT_NOT"):
        return frozenset({""})
    if op == "IN":
        chars: set[str] = set()
        for item_op, item in av:
            name = str(item_op)
            if name == "LITERAL":
                chars.add(chr(item))
            elif name == "RANGE" and item[1] - item[0] < MAX_CLASS:
                chars.update(map(chr, range(item[0], item[1] + 1)))
            else:
                return None  # NEGATE, CATEGORY, a wide range
        return frozenset(chars) if len(chars) <= MAX_CLASS else None
    if op in _GROUPS:
        exact = _alternatives(op, av, _sequence_exact)
        return exact if exact is None or len(exact) <= MAX_EXACT else None
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, item = av
        exact = _sequence_exact(list(item))
        if exact is None or high > 4 or len(exact) ** high > MAX_EXACT:
            return None
        found: set[str] = set()
        for count in range(low, high + 1):
            found |= _product([exact] * count)
        return frozenset(found)
    return None


# Elements that hold sequences: a group (one) and an alternation (one per branch).
_GROUPS = ("SUBPATTERN", "ATOMIC_GROUP", "BRANCH")


def _alternatives(
    op: str,
    av: Any,  # the parser's operand: a tuple whose shape depends on `op`
    of_sequence: Callable[[list[tuple[object, object]]], frozenset[str] | None],
) -> frozenset[str] | None:
    """`of_sequence` of a group's body, or the union of it over an alternation's
    branches (None if it is None for any): what the exact strings and the required
    strings of a regex element share."""
    if op == "BRANCH":
        sequences = [list(branch) for branch in av[1]]
    else:
        sequences = [list(av[-1] if op == "SUBPATTERN" else av)]
    union: set[str] = set()
    for sequence in sequences:
        found = of_sequence(sequence)
        if found is None:
            return None
        union |= found
    return frozenset(union)


def _product(parts: list[frozenset[str]]) -> set[str]:
    strings = {""}
    for part in parts:
        strings = {a + b for a in strings for b in part}
    return strings


def _sequence_exact(items: list[tuple[object, object]]) -> _Exact:
    strings: set[str] = {""}
    for op, av in items:
        exact = _node_exact(str(op), av)
        if exact is None or len(strings) * len(exact) > MAX_EXACT:
            return None
        strings = {a + b for a in strings for b in exact}
    return frozenset(strings)


def _node_required(items: list[tuple[object, object]]) -> frozenset[str] | None:
    """A set of strings one of which every match of the sequence `items` holds."""
    candidates: list[frozenset[str]] = []
    run: set[str] = {""}
    for op, av in items:
        exact = _node_exact(str(op), av)
        if exact is not None and len(run) * len(exact) <= MAX_EXACT:
            run = {a + b for a in run for b in exact}
            continue
        candidates.append(frozenset(run))
        run = set(exact) if exact is not None else {""}
        required = None if exact is not None else _element_required(str(op), av)
        if required is not None:
            candidates.append(required)
    candidates.append(frozenset(run))
    usable = [c for c in candidates if c and "" not in c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(_weight, c)), -len(c)))


def _weight(string: str) -> int:
    """How rare a string is in text: its length, a character outside ASCII counting two."""
    return len(string) + sum(not char.isascii() for char in string)


def _element_required(op: str, av: Any) -> frozenset[str] | None:
    if op in _GROUPS:
        return _alternatives(op, av, _node_required)
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
        return _node_required(list(av[2]))
    return None


def filterable(required: frozenset[str] | None) -> bool:
    """Whether a row's required strings (`required_literals`) make a filter worth its scan
    and sound: each weighs MIN_LITERAL or more, and `fold` reads each character of them
    as `re.IGNORECASE` does (ASCII, or a character without case)."""
    if required is None or min(map(_weight, required)) < MIN_LITERAL:
        return False
    chars = set("".join(required))
    return "\n" not in chars and all(
        char.isascii() or char.lower() == char == char.upper() for char in chars
    )


def literal_filter(
    strings: Iterable[str], variants: dict[str, str] | None = None
) -> re.Pattern[str]:
    """One regex that finds, in `fold(text)`, any of `strings` (each `filterable`):
    where it finds none in a line, no row they were required by can match it.
    `variants` maps a character to the one a caller writes it as (a traditional character
    to its simplified form): the filter finds each string in either writing."""
    folded = sorted({fold(string) for string in strings}, key=len)
    kept: list[str] = []
    for string in folded:
        if not any(shorter in string for shorter in kept):
            kept.append(string)  # (a string that holds another adds nothing)
    return re.compile(_trie(sorted(kept), _Spellings(variants or {})) or "(?!)")


class _Spellings:
    """Each character with every character written as what it is written as, from a
    map of a character to the one it is written as; built once per filter (asking the
    map for each character of a lexicon's strings was most of a first document's time)."""

    def __init__(self, variants: dict[str, str]) -> None:
        self.variants = variants
        self.written: dict[str, set[str]] = {}
        for char, written in variants.items():
            self.written.setdefault(written, {written}).add(char)

    def of(self, char: str) -> list[str]:
        stands_for = self.variants.get(char, char)
        same = self.written.get(stands_for, {stands_for}) | {stands_for}
        return [char, *sorted(same - {char})]


def _trie(strings: list[str], variants: _Spellings) -> str:
    """An alternation of `strings` (none a prefix of another) as a trie (`a(?:b|c)`),
    each branch starting with a literal: the engine skips positions by the first
    characters, and tries few branches at the others."""
    groups: dict[str, list[str]] = {}
    for string in strings:
        groups.setdefault(string[0], []).append(string[1:])
    branches = []
    for first, rests in sorted(groups.items()):
        shared = _common_prefix(rests)
        rests = [rest[len(shared) :] for rest in rests]
        tail = _spelled(shared, variants)
        if len(rests) > 1:
            tail += f"(?:{_trie(sorted(rests), variants)})"
        for char in variants.of(first):
            branches.append(re.escape(char) + tail)
    return "|".join(branches)


def _common_prefix(strings: list[str]) -> str:
    first, last = min(strings), max(strings)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def _spelled(string: str, variants: _Spellings) -> str:
    pieces = []
    for char in string:
        chars = variants.of(char)
        pieces.append(re.escape(char) if len(chars) == 1 else f"[{''.join(map(re.escape, chars))}]")
    return "".join(pieces)
