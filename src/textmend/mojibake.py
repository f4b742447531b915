"""CJK mojibake: find spans decoded with the wrong codec, and undo them on evidence.

A span is re-encoded with the codec it was wrongly decoded with and decoded
with the right one; the result replaces the span only when the character
language models (`textmend.langmodel`) find it clearly more plausible than
what is there, by more than MARGIN nats: a prior against calling text
mojibake. Three shapes are looked for:

- Latin-1/cp1252 runs (`ÖÐÎÄ`, `¤¤¤å`, `å¹´`): GBK, Big5, Shift-JIS, EUC-KR or
  UTF-8 bytes read as a Western single-byte codec;
- runs of rare CJK characters (`鍙戝竷`): UTF-8 read as GBK, Big5, cp932 or
  cp949, or one legacy CJK codec read as another;
- `锟斤拷`: U+FFFD written as UTF-8 and read as GBK, whose bytes are gone.

Suspicion is cheap: clean text has neither two adjacent Latin-1 symbols nor
runs of characters that no CJK table knows, and skips all the rest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from . import langmodel

MARGIN = 10.0  # nats by which a repair must beat the text as it stands
CJK_GROUPS = ("zh_hans", "zh_hant", "ja", "ko")
LATIN_GROUPS = ("western", "central", "turkish", "baltic")

# Characters of cp1252's upper half (and latin-1's), as a regex class.
_HIGH = (
    "\u00a0-\u00ff\u0080-\u009f\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
# High characters, each perhaps followed by an ASCII byte that was its trail byte.
_LATIN_RUN = re.compile(f"[{_HIGH}](?:[\\x40-\\x7e]?[{_HIGH}])+[\\x40-\\x7e]?")
# Han, kana, hangul, CJK punctuation and symbols, full-width forms, private use.
_CJK = "\u2e80-\u9fff\uac00-\ud7af\ue000-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffef"
_CJK_RUN = re.compile(f"[{_CJK}]{{2,}}")
_CJK_LETTER = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_UTF8_SEQUENCE = re.compile(
    rb"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}){2,}"
)
_LOST = re.compile("(?:锟斤拷)+(?:锟斤?)?|(?:锟斤)")
# Where a CJK run may be cut into pieces judged on their own.
_PIECE_BREAK = re.compile("[，。、！？：；“”‘’（）《》「」【】…—·]")

LATIN_TARGETS = ("gbk", "big5", "cp932", "euc_kr", "euc_jp")
# A repaired reading must be CJK text of this cost or less per CJK character:
# common characters, not the rare ones a wrong codec yields.
PLAUSIBLE_PER_CJK = 9.5
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
class Fix:
    """One span of mojibake and what replaces it."""

    start: int
    end: int
    before: str
    after: str
    how: str


def find_fixes(text: str, lossy: str = "keep") -> list[Fix]:
    """The repairs `text` has evidence for, left to right, not overlapping."""
    fixes = _latin_fixes(text) + _cjk_fixes(text)
    fixes += _lost_fixes(text, lossy)
    fixes.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Fix] = []
    for fix in fixes:
        if not chosen or fix.start >= chosen[-1].end:
            chosen.append(fix)
    return chosen


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    pieces, last = [], 0
    for fix in fixes:
        pieces += [text[last : fix.start], fix.after]
        last = fix.end
    return "".join(pieces) + text[last:]


# --- legacy or UTF-8 bytes read as latin-1 / cp1252 ------------------------------------


def _latin_fixes(text: str) -> list[Fix]:
    fixes = []
    for match in _LATIN_RUN.finditer(text):
        span = match.group()
        fix = _best_reading(text, match.start(), match.end(), _latin_bytes(span))
        if fix is None and span[-1].isascii():
            # The last ASCII character may be text, not a trail byte.
            fix = _best_reading(text, match.start(), match.end() - 1, _latin_bytes(span[:-1]))
        if fix is not None:
            fixes.append(fix)
    return fixes


def _latin_bytes(span: str) -> bytes | None:
    import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1252

    try:
        return span.encode("sloppy-windows-1252")
    except UnicodeEncodeError:
        return None


def _best_reading(text: str, start: int, end: int, data: bytes | None) -> Fix | None:
    """The most plausible CJK reading of `data`, if it beats the span by MARGIN.

    Bytes that are valid UTF-8 are UTF-8: that is repaired here only when it
    gives CJK text, and otherwise left to ftfy, whose home ground it is.
    """
    if data is None:
        return None
    import ftfy.bad_codecs  # noqa: F401 - registers utf-8-variants

    try:
        targets: tuple[str, ...] = (data.decode("utf-8-variants") and "utf-8",)
    except UnicodeDecodeError:
        targets = LATIN_TARGETS
    span = text[start:end]
    own = langmodel.score(span, LATIN_GROUPS + CJK_GROUPS)[0]
    best: tuple[float, str, str] | None = None
    for target in targets:
        try:
            decoded = data.decode("utf-8-variants" if target == "utf-8" else target)
        except UnicodeDecodeError:
            continue
        # Valid UTF-8 is evidence enough for its reading to be the text of the layer
        # below, however rare its characters (mojibake of mojibake).
        limit = math.inf if target == "utf-8" else PLAUSIBLE_PER_CJK
        cost = _plausible_cjk_cost(decoded, TARGET_GROUPS[target], limit)
        if cost is not None and (best is None or cost < best[0]):
            best = (cost, decoded, target)
    if best is None or best[0] + MARGIN >= own:
        return None
    glued = _ASCII_LETTER.match(text, start - 1) or _ASCII_LETTER.match(text, end)
    if glued and start and len(_CJK_LETTER.findall(best[1])) < MIN_CJK_GLUED:
        return None  # `Saeim兣`: a character or two stuck inside a Latin word
    return Fix(start, end, span, best[1], f"{_name(best[2])} bytes read as cp1252/latin-1")


def _plausible_cjk_cost(
    decoded: str, groups: tuple[str, ...], limit: float = PLAUSIBLE_PER_CJK
) -> float | None:
    """The cost of `decoded` if it is CJK text costing at most `limit` per CJK
    character (common characters, not the rare ones a wrong codec yields)."""
    letters = len(_CJK_LETTER.findall(decoded))
    if not letters:
        return None
    cost = langmodel.score(decoded, groups)[0]
    return cost if cost <= limit * letters + ASCII_ALLOWANCE else None


ASCII_ALLOWANCE = 4.0  # nats for the few non-CJK characters a reading may hold
MIN_CJK_GLUED = 3  # CJK characters a repair needs when Latin letters touch the span
_ASCII_LETTER = re.compile("[A-Za-z]")


# --- UTF-8 or another CJK codec read as a CJK codec ----------------------------------------


def _cjk_fixes(text: str) -> list[Fix]:
    deleter = _known_cjk()
    fixes: list[Fix] = []
    for match in _CJK_RUN.finditer(text):
        run = match.group()
        if len(run.translate(deleter)) < 2:
            continue
        found = _utf8_fixes(text, match.start(), run)
        found += _cross_cjk_fixes(text, match.start(), run)
        fixes += found
    return fixes


def _utf8_fixes(text: str, offset: int, run: str) -> list[Fix]:
    """Stretches of `run` whose bytes in some CJK codec are valid UTF-8 text."""
    fixes = []
    for source in CJK_SOURCES:
        try:
            data = run.encode(source)
        except UnicodeEncodeError:
            continue
        bounds = _char_bounds(run, source)
        for match in _UTF8_SEQUENCE.finditer(data):
            start, end = bounds.get(match.start()), bounds.get(match.end())
            if start is None or end is None:
                continue
            span = run[start:end]
            try:
                decoded = match.group().decode("utf-8")
            except UnicodeDecodeError:  # overlong forms or surrogates: not UTF-8 text
                continue
            own = langmodel.score(span, CJK_GROUPS)[0]
            cost = _plausible_cjk_cost(decoded, langmodel.GROUPS)
            if cost is not None and cost + MARGIN < own:
                how = f"UTF-8 bytes read as {_name(source)}"
                fixes.append(Fix(offset + start, offset + end, span, decoded, how))
    return fixes


def _cross_cjk_fixes(text: str, offset: int, run: str) -> list[Fix]:
    """Pieces of `run` that read far better through another legacy CJK codec."""
    fixes = []
    position = 0
    for piece in _PIECE_BREAK.split(run):
        start = run.index(piece, position) if piece else position
        position = start + len(piece)
        if len(piece) < 2 or len(piece.translate(_known_cjk())) < 2:
            continue
        own = langmodel.score(piece, CJK_GROUPS)[0]
        for source, targets in CJK_TARGETS.items():
            try:
                data = piece.encode(source)
            except UnicodeEncodeError:
                continue
            for target in targets:
                try:
                    decoded = data.decode(target)
                except UnicodeDecodeError:
                    continue
                cost = _plausible_cjk_cost(decoded, TARGET_GROUPS[target])
                if cost is not None and cost + MARGIN < own:
                    how = f"{_name(target)} bytes read as {_name(source)}"
                    end = offset + start + len(piece)
                    fixes.append(Fix(offset + start, end, piece, decoded, how))
                    own = cost
    return fixes[-1:] if fixes else []


def _char_bounds(run: str, codec: str) -> dict[int, int]:
    """Byte offset -> character index, at every character boundary of `run`."""
    bounds, size = {0: 0}, 0
    for index, char in enumerate(run, 1):
        size += len(char.encode(codec))
        bounds[size] = index
    return bounds


# --- what is gone ------------------------------------------------------------------------


def _lost_fixes(text: str, lossy: str) -> list[Fix]:
    """`锟斤拷`: U+FFFD twice, as UTF-8 bytes read as GBK. The original is gone."""
    if "锟" not in text:
        return []
    fixes = []
    for match in _LOST.finditer(text):
        lost = round(len(match.group()) * 2 / 3) or 1
        after = {"keep": match.group(), "mark": "\ufffd" * lost, "drop": ""}[lossy]
        how = f"{lost} lost characters (U+FFFD as UTF-8 read as GBK), --lossy {lossy}"
        fixes.append(Fix(match.start(), match.end(), match.group(), after, how))
    return fixes


@cache
def _known_cjk() -> dict[int, None]:
    """Deletes ASCII, punctuation and every character a CJK table knows."""
    deleter = dict(langmodel.known_deleter("zh_hans"))
    for group in ("zh_hant", "ja", "ko"):
        deleter.update(langmodel.known_deleter(group))
    deleter.update(dict.fromkeys(range(0x2000, 0x2070)))
    deleter.update(dict.fromkeys(range(0x3000, 0x3040)))
    deleter.update(dict.fromkeys(range(0xFF00, 0xFFF0)))
    return deleter


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
}
