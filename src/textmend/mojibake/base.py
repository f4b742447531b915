"""What every kind of mojibake repair shares: its kinds, a fix, the codecs, their names."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import langmodel

MARGIN = 10.0  # nats by which a repair must beat the text as it stands
CJK_GROUPS = ("zh_hans", "zh_hant", "ja", "ko")
ASCII_LETTER_COST = 3.0  # nats: an ASCII character of Latin text (about one in 20)
# What a run of Latin-1 characters would be if it were text.
OWN_GROUPS = ("western", "central")

# Every single-byte decoding that ftfy undoes turns UTF-8 lead bytes into one of
# these (Latin-1 and Latin extended, Greek, Cyrillic, MacRoman's math signs,
# cp437's box drawing). Text with none of them, apart from the · × ° that
# Chinese uses, has nothing for ftfy to do: checked on ftfy's own test cases.
SINGLE_BYTE_SUSPECT = re.compile(
    r"[\u0080-\u00af\u00b1-\u00b6\u00b8-\u00d6\u00d8-\u04ff\u2200-\u22ff\u2500-\u25ff]"
)
LATIN_READ = "cp1252/latin-1"  # the wrong codec of single-byte readings: either of them
# Characters of cp1252's upper half (and latin-1's), as a regex class.
_HIGH = (
    "\u00a0-\u00ff\u0080-\u009f\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
    "\u011e\u011f\u0130\u0131\u015e\u015f"  # cp1254's own letters: Ğ ğ İ ı Ş ş
)
# Characters that may follow a run as text: ASCII, and cp1252's quotes and dashes in
# either form (`‘` and U+0091 are the same byte, and ftfy turns one into the other).
_NOT_A_LEAD = frozenset(map(chr, range(0x40, 0x7F))) | frozenset(
    "‘’“”…–—•\x91\x92\x93\x94\x85\x96\x97\x95"
)
_LATIN_1 = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u011e\u011f\u0130\u0131\u015e\u015f]"
)
# High characters, each perhaps followed by an ASCII byte that was its trail byte.
_LATIN_RUN = re.compile(f"[{_HIGH}](?:[\\x40-\\x7e]?[{_HIGH}])+[\\x40-\\x7e]?")
_CJK_RUN = re.compile("[^\\x00-\\x7f\\s]{2,}")
_CJK_LETTER = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LOST = re.compile("(?:锟斤拷)+(?:锟斤?)?|(?:锟斤)")

LATIN_TARGETS = ("gbk", "big5", "cp932", "euc_kr", "euc_jp")
# A repaired reading must be CJK text of this cost or less per CJK character:
# common characters, not the rare ones a wrong codec yields.
PLAUSIBLE_PER_CJK = 10.5
CJK_SOURCES = ("gb18030", "big5", "cp932", "cp949")
CJK_TARGETS = {
    "gb18030": ("big5", "cp932", "euc_kr"),
    "big5": ("gbk", "cp932"),
    "cp932": ("gbk", "big5"),
    "cp949": ("gbk",),
}
TARGET_GROUPS = {
    "utf-8": langmodel.GROUPS,
    "gbk": ("zh_hans", "zh_hant"),
    "big5": ("zh_hant",),
    "cp932": ("ja",),
    "euc_jp": ("ja",),
    "euc_kr": ("ko",),
}


@dataclass(frozen=True)
class Kind:
    """A kind of mojibake: `target`'s bytes read as `wrong` (LATIN_READ for
    cp1252/latin-1). Decisions (a document's hint for its other lines) are made on
    this value; `how` only words it for the report."""

    target: str
    wrong: str

    @property
    def how(self) -> str:
        return f"{_name(self.target)} bytes read as {_name(self.wrong)}"


@dataclass(frozen=True)
class Fix:
    """One span of mojibake and what replaces it."""

    start: int
    end: int
    before: str
    after: str
    how: str  # for the report
    wrong: str = ""  # the codec that read the bytes wrongly (LATIN_READ for both)
    kind: Kind | None = None  # None: characters marked lost, no reading
    lost: int = 0  # characters of a reading whose bytes are gone (U+FFFD with "mark")


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    pieces, last = [], 0
    for fix in fixes:
        pieces += [text[last : fix.start], fix.after]
        last = fix.end
    return "".join(pieces) + text[last:]


def _latin_bytes(span: str) -> bytes | None:
    """The bytes a cp1252 (or latin-1) decoder read as `span`: cp1252's characters,
    and for its five holes and latin-1's C1 range the character is the byte."""
    try:
        return codecs.charmap_encode(span, "strict", _LATIN_MAP)[0]
    except UnicodeEncodeError:
        return None


_LATIN_MAP = {
    **{byte: byte for byte in range(256)},
    **{
        ord(char): byte
        for byte in range(0x80, 0xA0)
        if (char := bytes([byte]).decode("cp1252", errors="ignore"))
    },
    # cp1254 (Turkish Windows) is cp1252 but for six letters, which no other table here
    # holds: legacy CJK bytes read as cp1254 re-encode too (`ÑĞ¾¿` is GBK 研究).
    **{
        ord(char): byte
        for byte in range(0xA0, 0x100)
        if (char := bytes([byte]).decode("cp1254")) != bytes([byte]).decode("cp1252")
    },
}


def _name(codec: str) -> str:
    return _NAMES.get(codec, codec)


_NAMES = {
    "gb18030": "GBK",
    "gbk": "GBK",
    "big5": "Big5",
    "cp932": "Shift-JIS",
    "euc_jp": "EUC-JP",
    "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
    "utf-8": "UTF-8",
    "cp1251": "cp1251 (Cyrillic)",
    "cp1255": "cp1255 (Hebrew)",
    "koi8_r": "KOI8-R",
}


_NON_ASCII = re.compile("[^\x00-\x7f]")


def _wrong_bytes(text: str, wrong: str) -> bytes | None:
    """The bytes a decoder for `wrong` read as `text`, if it could have."""
    if wrong == LATIN_READ:
        return _latin_bytes(text)
    try:
        return text.encode(wrong)
    except UnicodeEncodeError:
        return None


def shared_ends(before: str, after: str) -> tuple[int, int]:
    """How many characters the two strings share at their start, and then at their
    end (found by halving, so that the comparisons run at C speed)."""
    head = _shared(before, after, lambda a, b, n: a[:n] == b[:n])
    rest_a, rest_b = before[head:], after[head:]
    tail = _shared(rest_a, rest_b, lambda a, b, n: a[len(a) - n :] == b[len(b) - n :])
    return head, tail


def _shared(a: str, b: str, same: Callable[[str, str, int], bool]) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if same(a, b, middle):
            low = middle
        else:
            high = middle - 1
    return low
