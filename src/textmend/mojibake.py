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
_CJK_RUN = re.compile(f"[{_CJK}\ufffd]{{2,}}")
_CJK_LETTER = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
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
    fixes = _latin_fixes(text) + _cjk_fixes(text, lossy)
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


def _cjk_fixes(text: str, lossy: str) -> list[Fix]:
    """Repairs in the stretches of CJK text where characters no table knows cluster:
    mojibake is dense in them, clean text has a rare name here and there."""
    fixes: list[Fix] = []
    for cluster in _cluster_pattern().finditer(text):
        start = _widen(text, cluster.start(), -1)
        end = _widen(text, cluster.end(), +1)
        window = text[start:end]
        fixes += _utf8_fixes(window, start, lossy)
        fixes += _cross_cjk_fixes(text, start, window)
    return fixes


CONTEXT = 3  # known characters a cluster's window takes in on each side


def _widen(text: str, position: int, step: int) -> int:
    known = _known_pattern()
    for _ in range(CONTEXT):
        following = position if step > 0 else position - 1
        if not 0 <= following < len(text) or not known.match(text, following):
            break
        position += step
    return position


@cache
def _known_class() -> str:
    """A regex class body of the CJK characters some table knows."""
    codes = sorted({ord(c) for group in CJK_GROUPS for c in langmodel.table(group)})
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


@cache
def _known_pattern() -> re.Pattern[str]:
    return re.compile(f"[{_known_class()}]")


@cache
def _cluster_pattern() -> re.Pattern[str]:
    """Unknown CJK characters (or U+FFFD), at most two known ones apart."""
    plain = "\\x00-\\x7f\\u0080-\\u024f\\u2000-\\u206f\\u3000-\\u303f\\uff00-\\uffef\\s"
    unknown = f"[^{_known_class()}{plain}]"
    return re.compile(f"{unknown}(?:[{_known_class()}]{{0,2}}{unknown})+")


def _utf8_fixes(run: str, offset: int, lossy: str) -> list[Fix]:
    """Stretches of `run` whose bytes in some CJK codec are UTF-8 text.

    Bytes may be gone: U+FFFD in the run stands for one unknown byte, and an odd
    number of UTF-8 bytes leaves a last character cut in two (its first bytes in
    the final mojibake character, an ASCII byte of the text after it as trail).
    What the bytes keep is recovered; a character with a byte gone follows
    `lossy`; nothing is guessed.
    """
    fixes: list[Fix] = []
    for source in CJK_SOURCES:
        encoded = _encode_run(run, source)
        if encoded is None:
            continue
        data, bounds = encoded
        position = 0
        while position < len(data):
            stretch = _utf8_stretch(data, position, bounds)
            if stretch is None:
                position = min((b for b in bounds if b > position), default=len(data))
                continue
            end_byte, chars = stretch
            fix = _judge_utf8(run, offset, bounds, position, end_byte, chars, source, lossy)
            if fix is not None:
                fixes.append(fix)
            position = end_byte
    return fixes


_UNKNOWN = 0xFF  # a byte lost to U+FFFD: no GBK, Big5, Shift-JIS or UHC byte is 0xFF


def _encode_run(run: str, codec: str) -> tuple[bytes, dict[int, int]] | None:
    """The bytes of `run` in `codec` (U+FFFD as _UNKNOWN), and byte offset -> index
    at every character boundary."""
    data = bytearray()
    bounds = {0: 0}
    for index, char in enumerate(run, 1):
        if char == "\ufffd":
            data.append(_UNKNOWN)
        else:
            try:
                data += char.encode(codec)
            except UnicodeEncodeError:
                return None
        bounds[len(data)] = index
    return bytes(data), bounds


# A decoded character, or None for one whose bytes are partly gone, with its bytes.
Decoded = list[tuple[int, int, str | None]]


def _utf8_stretch(data: bytes, start: int, bounds: dict[int, int]) -> tuple[int, Decoded] | None:
    """The UTF-8 characters from `start` (a character boundary), as far as they go and
    then back to a boundary; None unless at least two are whole multi-byte ones."""
    chars: Decoded = []
    position = start
    while position < len(data):
        lead = data[position]
        if lead < 0x80:
            size = 1
        elif 0xC2 <= lead <= 0xF4 or lead == _UNKNOWN:
            size = 2 if lead < 0xE0 else 3 if lead < 0xF0 or lead == _UNKNOWN else 4
        else:
            break
        piece = data[position : position + size]
        body = piece[1:]
        if any(not (0x80 <= b <= 0xBF or b == _UNKNOWN) for b in body):
            break
        if len(piece) < size or _UNKNOWN in piece:
            chars.append((position, min(position + size, len(data)), None))
        else:
            try:
                chars.append((position, position + size, piece.decode("utf-8")))
            except UnicodeDecodeError:
                break
        position += size
    return _close_stretch(data, start, chars, bounds)


def _close_stretch(
    data: bytes, start: int, chars: Decoded, bounds: dict[int, int]
) -> tuple[int, Decoded] | None:
    """End the stretch on a character boundary. The first bytes of a character cut
    in two, followed by the end of the run or by ASCII bytes that were the text's
    next characters, make one lost character and the ASCII is recovered; failing
    that, the stretch backs off to its last boundary."""
    end = chars[-1][1] if chars else start
    for boundary in sorted(b for b in bounds if b > end)[:2]:
        tail = data[end:boundary]
        cut = tail.rstrip(_ASCII_BYTES)
        after = tail[len(cut) :]
        at_end = boundary == len(data)
        if cut and _INCOMPLETE.fullmatch(cut) and (after or at_end):
            chars = [*chars, (end, end + len(cut), None)]
            chars += [
                (end + len(cut) + i, end + len(cut) + i + 1, chr(b)) for i, b in enumerate(after)
            ]
            break
    while chars and chars[-1][1] not in bounds:
        chars.pop()
    whole = sum(1 for _, _, char in chars if char is not None and not char.isascii())
    if whole < 2:
        return None
    return chars[-1][1], chars


_ASCII_BYTES = bytes(range(0x80))
_INCOMPLETE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{0,2}")


def _judge_utf8(
    run: str,
    offset: int,
    bounds: dict[int, int],
    start_byte: int,
    end_byte: int,
    chars: Decoded,
    source: str,
    lossy: str,
) -> Fix | None:
    start, end = bounds[start_byte], bounds[end_byte]
    span = run[start:end]
    known = "".join(char for _, _, char in chars if char is not None)
    lost = [(a, b) for a, b, char in chars if char is None]
    own = langmodel.score(span, CJK_GROUPS)[0]
    cost = _plausible_cjk_cost(known, langmodel.GROUPS)
    if cost is None or cost + LOST_COST * len(lost) + MARGIN >= own:
        return None
    starts = {byte: index for byte, index in bounds.items()}
    pieces = []
    for a, b, char in chars:
        if char is not None:
            pieces.append(char)
        else:
            remnant = "".join(run[starts[x]] for x in range(a, b) if x in starts)
            pieces.append(_lost(remnant or "\ufffd", lossy))
    how = f"UTF-8 bytes read as {_name(source)}"
    if lost:
        how += f"; {len(lost)} characters with bytes gone, --lossy {lossy}"
    return Fix(offset + start, offset + end, span, "".join(pieces), how)


def _lost(remnant: str, lossy: str) -> str:
    return {"keep": remnant, "mark": "\ufffd", "drop": ""}[lossy]


LOST_COST = 8.0  # nats charged per character a repair cannot recover


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
    deleter = dict.fromkeys(range(0x80))
    for block in ((0x2000, 0x2070), (0x3000, 0x3040), (0xFF00, 0xFFF0), (0x80, 0x250)):
        deleter.update(dict.fromkeys(range(*block)))
    for group in CJK_GROUPS:
        deleter.update(dict.fromkeys(map(ord, langmodel.table(group))))
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
