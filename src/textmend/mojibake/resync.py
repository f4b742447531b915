"""A line of UTF-8 read as GBK by a decoder that lost bytes without a trace, read again.

Python's `errors="ignore"` drops a byte it cannot read as the lead of a pair;
Windows' cp936 drops a pair it reads as a user-defined character and writes `?`
for a lead byte before an ASCII byte below 0x40 (both bytes gone). What survives
is the line's bytes in GBK, all of them: UTF-8 with bytes missing. A CJK
character of UTF-8 is a lead byte (E3-EF) and two continuation bytes, so a
character that lost bytes shows as one cut short, and re-encoding the whole line
finds every one of them, where a search for clusters of rare characters misses
the short ones (`涓澶窩` is 中央窩 with a byte gone from each of 中 and 央).

The bytes say where they went missing: a decoder drops bytes only where a
character of its reading would start, so a character cut short must have lost its
bytes at such a boundary; Python's decoder never drops a UTF-8 lead byte (E3-EF
before a continuation byte is always a GBK pair), so stray continuation bytes
refuse its reading. Every character whose bytes are gone becomes one U+FFFD; a line whose
reading leaves anything unexplained is left to the search per line (`cjk`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from .base import _CJK_LETTER, CJK_GROUPS, MARGIN, Fix, Kind, shared_ends
from .cjk import LOST_COST, UTF8_PER_CJK, _own_cost
from .latin import _plausible_cjk_cost

_WHOLE_GROUP, _CUT_GROUP, _STRAY_GROUP = 1, 2, 3
# Whole characters (ASCII trail bytes among them; `?` alone: after a character cut
# short it may be Windows' mark), characters cut short, stray continuation bytes, any
# other byte.
_TOKEN = re.compile(
    rb"((?:[\x00-\x3e\x40-\x7f]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})+|\?)"
    rb"|([\xc2-\xdf]|[\xe0-\xef][\x80-\xbf]?|[\xf0-\xf4][\x80-\xbf]{0,2})"
    rb"|([\x80-\xbf]+)"
    rb"|(.)",
    re.DOTALL,
)

LOST = "\ufffd"
# A reading holds this many whole characters of three bytes at least: one alone is
# what a lead byte and the bytes after a loss give by chance.
MIN_WHOLE = 2
# The cheap test's sample, and the bytes outside whole characters of three bytes it
# may hold per whole one for the line's reading to be tried: on 64 characters, the
# lines of bench_repair 1c's tuning part with two whole characters or more hold at
# most 5.5, the 7,476 lines with non-ASCII text of the clean corpora (in GB18030) 9.0
# or more.
SAMPLE = 64
REST_PER_WHOLE = 7.0
_NOT_TEXT = ("Cn", "Co", "Cs")  # unassigned, private use, surrogates: never text
# The characters whose category is looked up: not those of the blocks CJK text is
# made of, all assigned (ruled out at C speed).
_NO_TEXT = re.compile(
    "[^\\x00-\\x7f\\u3000-\\u303f\\u3041-\\u3096\\u3099-\\u30ff\\u4e00-\\u9fff\\uac00-\\ud7a3\\uff01-\\uff60]"
)
# The kind's wrong codec, as the search per line names UTF-8 read as GBK (a document's
# hint for its other lines is this kind).
SOURCE = "gb18030"
KIND = Kind("utf-8", SOURCE)


@dataclass(frozen=True)
class _Reading:
    """A line read again: its text (one U+FFFD per character lost), how many were
    lost, and whether it showed a mark only Windows' decoder leaves."""

    text: str
    lost: int
    windows_marks: bool


def resync_fixes(line: str, lossy: str, ends_text: bool = True, hinted: bool = False) -> list[Fix]:
    """The line read again as UTF-8 that lost bytes (one fix, its shared ends left
    out); none where a byte is left unexplained, nothing was lost, or the reading is
    not far more plausible than the line. Windows' reading is taken where the line
    shows one of its marks (`€` for 0x80, `?` after a character cut short,
    continuation bytes whose lead went with a dropped pair); Python's otherwise.
    `ends_text`: no line follows this one (a `?` that ends it ate no byte after it).
    `hinted`: the document's other lines showed this kind (a line with no whole
    character left, `鞝   鞎`, follows them)."""
    if line.isascii() or _CJK_LETTER.search(line) is None or "\ufffd" in line:
        return []  # (U+FFFD marks its losses: the search per line reads those)
    if not (hinted or _mostly_utf8(line)):
        return []
    windows = _read_line(line, True, ends_text)
    if isinstance(windows, _Reading) and windows.lost == 0:
        return []  # nothing lost (in Python's reading either): the search per line reads it
    reading = windows if isinstance(windows, _Reading) and windows.windows_marks else None
    if reading is None and (isinstance(windows, _Reading) or windows.at_cut):
        python = _read_line(line, False, ends_text)
        reading = python if isinstance(python, _Reading) else None
    if reading is None or not _plausible(line, reading, hinted):
        return []
    return [_fix(line, reading, lossy)]


@dataclass(frozen=True)
class _Refused:
    """Where a reading stopped: at a character cut short (Python's reading, whose
    decoder drops one byte at a time, may explain it) or where Python's cannot either
    (it is Windows' but for its cuts: no stray bytes, no `€`, `?` as text)."""

    at_cut: bool


def _mostly_utf8(line: str) -> bool:
    """A cheap test that rules out clean text (most of its GBK bytes are no UTF-8), on
    SAMPLE characters from the line's first non-ASCII one (a reading must explain all
    of the line, so its start too): their bytes in GB18030 hold MIN_WHOLE characters
    of three bytes or more, and no more than REST_PER_WHOLE other bytes for each."""
    first = _NON_ASCII.search(line)
    start = first.start() if first is not None else 0
    sample = line[start : start + SAMPLE]
    try:
        data = sample.encode(WINDOWS_TABLE)
    except UnicodeEncodeError:
        return False
    whole = len(_WHOLE_IN_UTF8.findall(data))
    rest = len(data) - len(sample.encode("ascii", "ignore")) - 3 * whole
    return whole >= MIN_WHOLE and rest <= REST_PER_WHOLE * whole


_NON_ASCII = re.compile("[^\\x00-\\x7f]")
_WHOLE_IN_UTF8 = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")


def _read_line(line: str, windows: bool, ends_text: bool) -> _Reading | _Refused:
    """The line read again, or where it was refused: its bytes hold what the decoder
    cannot have left. Each ASCII character of the line was read as itself, so a UTF-8 character
    never spans one: the line's bytes are read whole, at codec speed between losses."""
    encoded = _encode(line, windows)
    if encoded is None:
        return _Refused(at_cut=False)
    data, boundary = encoded
    pieces: list[str] = []
    lost = 0
    marks = windows and "€" in line
    position = 0
    while position < len(data):
        token = _TOKEN.match(data, position)
        assert token is not None  # (the last group matches any byte)
        group = token.lastindex
        if group == _WHOLE_GROUP:
            try:
                pieces.append(token.group().decode("utf-8"))
            except UnicodeDecodeError:
                return _Refused(at_cut=False)  # an overlong form or a surrogate
            position = token.end()
            if windows and _euro_marked(data, token, boundary):
                count = 2 + (not (ends_text and position + 1 == len(data)))
                pieces[-1] = pieces[-1][:-1] + LOST * count
                lost += count
                marks = True
                position += 1
        elif group == _CUT_GROUP and _dropped_here(token, boundary, windows):
            cut = _cut(data, token, windows, ends_text)
            if cut is None:
                return _Refused(at_cut=True)
            count, position, marked = cut
            pieces.append(LOST * count)
            lost += count
            marks |= marked
        elif group == _STRAY_GROUP and windows and _gap(data, token, pieces, boundary):
            # A whole-looking character then one stray byte: a character's first two
            # bytes and another's last two, the pair between them dropped.
            pieces[-1] = pieces[-1][:-1] + LOST * 2
            lost += 2
            marks = True
            position = token.end()
        else:
            return _Refused(at_cut=group == _CUT_GROUP)
    text = "".join(pieces)
    if any(unicodedata.category(char) in _NOT_TEXT for char in _NO_TEXT.findall(text)):
        return _Refused(at_cut=True)  # (Python's reading cuts elsewhere)
    return _Reading(text, lost, marks)


def _euro_marked(data: bytes, token: re.Match[bytes], boundary: Callable[[int], bool]) -> bool:
    """Whether a whole-looking character ends with Windows' `€` (0x80 alone) before its
    `?`: a character cut short (its last byte and the next one's lead dropped as a
    pair), then the next one's first continuation byte, 0x80, read alone, and its last
    one with the ASCII byte after it in the `?` (`鎾€?` is 播。 and a byte: E6 92, AD E3
    gone, 80, 82 and `2`; only 0x80 is read alone, any other continuation byte would
    have made a pair with the last one). A character ending in 0x80 before a real `?`
    (`一?`) reads the same, and is taken as lost: nothing tells them apart."""
    end = token.end()
    return (
        data.startswith(b"?", end)
        and data[end - 1] == 0x80
        and boundary(end - 1)
        and end - 3 >= token.start()
        and data[end - 3] >= 0xE0
    )


def _dropped_here(token: re.Match[bytes], boundary: Callable[[int], bool], windows: bool) -> bool:
    """Whether the bytes a cut character lost can have gone where the decoder was at a
    character boundary: Windows drops a pair after the bytes left (a pair of a lead
    byte and a continuation byte is always a GBK character); Python drops one byte at
    a time, a continuation byte after the lead as well as the last."""
    if windows:
        return boundary(token.end())
    return any(boundary(offset) for offset in range(token.start() + 1, token.end() + 1))


def _cut(
    data: bytes, token: re.Match[bytes], windows: bool, ends_text: bool
) -> tuple[int, int, bool] | None:
    """A character cut short: the characters lost, where reading resumes, and whether
    a mark only Windows leaves was read. Windows drops bytes in pairs, so a character
    short of one byte lost the byte after it too: its `?` mark (that byte an ASCII
    one below 0x40), the lead of the next character (whose continuation bytes
    follow, stray) or an ASCII byte read with it as a user-defined pair. A `?` that
    ends the text stands for the last byte alone (nothing came after it to lose); one
    after a character short of more than one byte is none of Windows' (None)."""
    lead = data[token.start()]
    missing = (2 if lead < 0xE0 else 3 if lead < 0xF0 else 4) - len(token.group())
    end = token.end()
    if windows and missing > 1 and data.startswith(b"?", end):
        return None
    if not windows or missing != 1:
        return 1, end, False
    stray = _STRAY.match(data, end)
    if stray is not None:
        return 2, stray.end(), True
    if data.startswith(b"?", end):
        return 1 + (not (ends_text and end + 1 == len(data))), end + 1, True
    return 2, end, False


_STRAY = re.compile(rb"[\x80-\xbf]{1,2}")


def _gap(
    data: bytes, token: re.Match[bytes], pieces: list[str], boundary: Callable[[int], bool]
) -> bool:
    """Whether one stray byte after a whole character of three bytes is that gap."""
    start = token.start()
    return (
        token.end() - start == 1
        and bool(pieces)
        and "\u0800" <= pieces[-1][-1:] != LOST
        and start >= 3
        and data[start - 3] >= 0xE0
        and boundary(start - 1)
    )


def _encode(line: str, windows: bool) -> tuple[bytes, Callable[[int], bool]] | None:
    """The line's bytes as the decoder read them, and whether an offset of them is
    where one of its characters starts or ends; None if the decoder cannot give the
    line. Python's decoder gives GBK's characters; Windows' the pairs of GB18030's
    table (`⿳` is A9 8D) and `€`."""
    codec = WINDOWS_TABLE if windows else PYTHON_TABLE
    try:
        pieces = (
            [piece.encode(codec) for piece in line.split("€")] if windows else [line.encode(codec)]
        )
    except UnicodeEncodeError:
        return None
    wide = len(line) - len(line.encode("ascii", "ignore")) - (len(pieces) - 1)
    if sum(map(len, pieces)) != len(line) - (len(pieces) - 1) + wide:
        return None  # a character of four bytes in GB18030: no pair gave it
    if len(pieces) == 1:
        return pieces[0], _Boundaries(map(_SIZES.__getitem__, line))
    euros = _euros(pieces)
    data = pieces[0] + b"".join(euro + piece for euro, piece in zip(euros, pieces[1:], strict=True))
    chosen = iter(euros)
    sizes = (len(next(chosen)) if char == "€" else _SIZES[char] for char in line)
    return data, _Boundaries(sizes)


class _Boundaries:
    """Whether a byte offset is where a character starts or ends, from the characters'
    sizes (summed on first use: most lines are refused before, or lose nothing)."""

    def __init__(self, sizes: Iterable[int]) -> None:
        self.sizes = sizes

    @cached_property
    def offsets(self) -> list[int]:
        return list(accumulate(self.sizes, initial=0))

    def __call__(self, offset: int) -> bool:
        index = bisect.bisect_left(self.offsets, offset)
        return index < len(self.offsets) and self.offsets[index] == offset


class _PairSizes(dict[str, int]):
    """A character's size in a GBK decoder's bytes: ASCII one, any other a pair."""

    def __missing__(self, char: str) -> int:
        size = self[char] = 1 if char < "\x80" else 2
        return size


_SIZES = _PairSizes()


def _euros(pieces: list[bytes]) -> list[bytes]:
    """The bytes of each `€` between the pieces, chosen from the last one back (what
    follows a `€` may begin with the next `€`: `闆€€備` is E9 9B A2 E3 80 82 E4, 離。)."""
    euros: list[bytes] = []
    head = pieces[-1][:3]  # the first bytes after the `€` being chosen
    for piece in reversed(pieces[:-1]):
        euro = _euro(head)
        euros.append(euro)
        head = (piece + euro + head)[:3]
    return euros[::-1]


PYTHON_TABLE, WINDOWS_TABLE = "gbk", "gb18030"


def _euro(head: bytes) -> bytes:
    """Windows' `€`: 0x80 alone, or GB18030's A2 E3 (a continuation byte, then the lead
    of a character of U+3000-U+3FFF, kana and CJK punctuation) where the bytes after
    it are that lead's two continuation bytes (`銈€儸` is E3 82 A2 E3 83 AC, アレ)."""
    return _TABLE_EURO if _TWO_CONTINUATIONS.match(head) else _WINDOWS_EURO


_WINDOWS_EURO, _TABLE_EURO = b"\x80", b"\xa2\xe3"
_TWO_CONTINUATIONS = re.compile(rb"[\x80-\xbf]{2}(?![\x80-\xbf])")


def _plausible(line: str, reading: _Reading, hinted: bool) -> bool:
    """Whether the reading lost characters, holds MIN_WHOLE whole ones of three bytes
    and is CJK text more plausible than the line by MARGIN, each loss charged. On a
    line of a document that showed the kind, its bytes explained are evidence enough
    where what it kept (if anything) costs no more than the line."""
    if reading.lost == 0:
        return False  # nothing lost: the search per line reads it
    read = reading.text.replace(LOST, "")
    own = _own_cost(line)
    if hinted:
        kept = (
            _plausible_cjk_cost(read, CJK_GROUPS, UTF8_PER_CJK) if _CJK_LETTER.search(read) else 0.0
        )
        return kept is not None and kept + LOST_COST * reading.lost <= own
    if len(_THREE_BYTES.findall(read)) < MIN_WHOLE:
        return False
    cost = _plausible_cjk_cost(read, CJK_GROUPS, UTF8_PER_CJK)
    return cost is not None and cost + LOST_COST * reading.lost + MARGIN < own


_THREE_BYTES = re.compile("[\u0800-\ufffc\ufffe\uffff]")  # (U+FFFD aside)


def _fix(line: str, reading: _Reading, lossy: str) -> Fix:
    """The line's fix, without the text the reading leaves as it is at both ends."""
    head, tail = shared_ends(line, reading.text)
    after = reading.text[head : len(reading.text) - tail]
    how = f"{KIND.how}; {reading.lost} characters with bytes gone, --lossy {lossy}"
    if lossy == "drop":
        after = after.replace(LOST, "")
    before = line[head : len(line) - tail]
    return Fix(head, len(line) - tail, before, after, how, SOURCE, KIND, reading.lost)
