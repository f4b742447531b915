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

Evidence adds up: a line read with one wrong codec was read so throughout, so
once a line shows a kind, its weaker spans (a one-syllable word, a character
glued to a Latin word, punctuation alone) follow it, and a document's repairs
are a hint for its other lines. Suspicion is cheap: clean text rarely has two
adjacent Latin-1 symbols or a cluster of uncommon CJK characters, and all the
rest is skipped.
"""

from __future__ import annotations

import bisect
import codecs
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from . import langmodel
from .lexicon import char_class

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
)
# Characters that may follow a run as text: ASCII, and cp1252's quotes and dashes in
# either form (`‘` and U+0091 are the same byte, and ftfy turns one into the other).
_NOT_A_LEAD = frozenset(map(chr, range(0x40, 0x7F))) | frozenset(
    "‘’“”…–—•\x91\x92\x93\x94\x85\x96\x97\x95"
)
_LATIN_1 = re.compile("[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192]")
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


def find_fixes(
    text: str, lossy: str = "keep", hint: Kind | None = None, prefer: Kind | None = None
) -> list[Fix]:
    """The repairs `text` (a line) has evidence for, left to right, not overlapping.

    `hint` is the kind other lines of the document were repaired as: what
    they showed is evidence here too, so a line of one short word follows them.
    `prefer` is the same, but only an order: that kind is looked for first, with
    the usual margins, and the others only if it is not found (cheaper on a
    document full of one kind).
    """
    if hint is not None:
        return _choose(_hinted_fixes(text, lossy, hint) + _lost_fixes(text, lossy))
    if prefer is not None:
        preferred = _preferred_fixes(text, lossy, prefer)
        if preferred:
            return _choose(preferred + _lost_fixes(text, lossy))
    if _european_utf8(text):
        return []  # UTF-8 of European text read as cp1252: no CJK reading can be, ftfy's
    whole = _whole_line_fix(text)
    if whole is not None:
        return [whole]
    fixes = _latin_fixes(text) + _cjk_fixes(text, lossy)
    fixes += _lost_fixes(text, lossy)
    return _choose(fixes)


def _european_utf8(line: str) -> bool:
    """Whether the whole line is cp1252/latin-1 whose bytes are UTF-8 without CJK, each
    run of it too long or too European to be read as CJK (`_readings`): no CJK
    character stands in it (cp1252 has none), nothing here can be CJK mojibake."""
    data = _latin_bytes(line)
    if data is None:
        return False
    as_utf8 = _as_utf8(data)
    if as_utf8 is None or _CJK_LETTER.search(as_utf8):
        return False
    for run in _LATIN_RUN.finditer(line):
        run_bytes = _latin_bytes(run.group()) or b""
        if len(run_bytes) <= 2 and not _EUROPEAN_LETTER.fullmatch(_as_utf8(run_bytes) or ""):
            return False  # two bytes that may be one CJK character (`È£`: 호 in EUC-KR)
    return True


def _choose(fixes: list[Fix]) -> list[Fix]:
    """Left to right, the longer first where two start together, none overlapping."""
    fixes.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Fix] = []
    for fix in fixes:
        if not chosen or fix.start >= chosen[-1].end:
            chosen.append(fix)
    return chosen


def _hinted_fixes(text: str, lossy: str, hint: Kind) -> list[Fix]:
    if hint.wrong == LATIN_READ and hint.target in LATIN_TARGETS:
        return _latin_fixes(text, forced=hint.target)
    if hint.target == "utf-8" and hint.wrong in CJK_SOURCES:
        # Where a character no table calls common is: mojibake has one at least.
        marks = _uncommon_pattern()
        return [
            fix
            for run in _CJK_RUN.finditer(text)
            for fix in _windowed_utf8_fixes(
                run.group(), run.start(), lossy, (hint.wrong,), 0.0, 1, marks
            )[0]
        ]
    if hint.target in CJK_TARGETS.get(hint.wrong, ()):
        return _same_codec_elsewhere(text, [Fix(0, 0, "", "", hint.how, hint.wrong, hint)], set())
    return []


def _preferred_fixes(text: str, lossy: str, kind: Kind) -> list[Fix]:
    if kind.wrong == LATIN_READ and kind.target in LATIN_TARGETS:
        return _latin_fixes(text, only=kind.target)
    if kind.target == "utf-8" and kind.wrong in CJK_SOURCES:
        cluster, short = _cluster_pattern(), _short_rare_pattern()
        return [
            fix
            for run in _CJK_RUN.finditer(text)
            if cluster.search(run.group()) or short.fullmatch(run.group())
            for fix in _windowed_utf8_fixes(run.group(), run.start(), lossy, (kind.wrong,))[0]
        ]
    if kind.target in CJK_TARGETS.get(kind.wrong, ()):
        pairs = [(kind.wrong, kind.target)]
        # One legacy CJK codec read as another: its runs read that way, margins as usual.
        cluster, short = _cluster_pattern(), _short_rare_pattern()
        return [
            fix
            for run in _CJK_RUN.finditer(text)
            if cluster.search(run.group()) or short.fullmatch(run.group())
            for fix in _cross_cjk_fixes(run.group(), run.start(), pairs)
        ]
    return []


def suspicious(text: str) -> bool:
    """Cheap: could `text` hold CJK mojibake at all? (Clean text almost never does.)"""
    return suspect_at(text) is not None


def suspect_at(text: str) -> int | None:
    """Where `text` first looked suspicious to the first test that found something."""
    latin = latin_run_at(text)
    return latin if latin is not None else cjk_suspect_at(text)


def latin_run_at(text: str) -> int | None:
    """Where `text` first holds a run that may be CJK bytes read as Latin-1."""
    latin = _LATIN_RUN.search(text)
    return latin.start() if latin is not None else None


def cjk_suspect_at(text: str) -> int | None:
    """Where `text` first looks like CJK text read with a wrong CJK codec, if it does."""
    lost = text.find("锟")
    if lost >= 0:
        return lost
    for pattern in (_cluster_pattern(), _short_rare_pattern()):
        match = pattern.search(text)
        if match is not None:
            return match.start()
    return None


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    pieces, last = [], 0
    for fix in fixes:
        pieces += [text[last : fix.start], fix.after]
        last = fix.end
    return "".join(pieces) + text[last:]


# --- legacy or UTF-8 bytes read as latin-1 / cp1252 ------------------------------------


def _latin_fixes(text: str, forced: str | None = None, only: str | None = None) -> list[Fix]:
    """Latin-1 runs that are legacy CJK bytes. One line was read with one wrong codec
    from one right one: the right one is chosen for the whole line, by the gain of
    its runs together, so that a word of one syllable (`À»`) is repaired with the
    others. Once the line's codec is clear, runs that could not speak for
    themselves join in: those stuck to Latin letters (`NBAÔÚ`) and a single
    character with an ASCII trail byte (`¦~` for 年). UTF-8 runs stand alone.
    `only` limits the legacy codecs tried to one."""
    runs: list[list[_Reading]] = []
    for match in _LATIN_RUN.finditer(text):
        if not _LATIN_1.search(match.group()):
            continue  # only cp1252's quotes and dashes (——): native to CJK text too
        readings = _run_readings(text, match.start(), match.end(), only or forced)
        if not readings and "\xa0" in match.group() and not _is_utf8(match.group()):
            # A no-break space is a byte of the run, or a space between two (`ÖÐÎÄ`
            # NBSP `ÄÚÈÝ`, where a page's `&nbsp;` or an editor stood between words).
            for piece in _LATIN_RUN.finditer(text, match.start(), match.end()):
                for part in _NBSP_PART.finditer(text, piece.start(), piece.end()):
                    if _LATIN_RUN.fullmatch(part.group()) and _LATIN_1.search(part.group()):
                        runs.append(_run_readings(text, part.start(), part.end(), only or forced))
            continue
        runs.append(readings)
    fixes = [r.fix() for run in runs for r in run if r.target == "utf-8" and r.gain > MARGIN]
    totals: dict[str, float] = {}
    for run in runs:
        for reading in run:
            if reading.target != "utf-8" and reading.gain > 0 and not reading.glued:
                totals[reading.target] = totals.get(reading.target, 0.0) + reading.gain
    if forced is not None:
        target = forced  # the document has shown this codec on other lines
    elif not totals:
        return fixes
    else:
        target = max(totals, key=totals.__getitem__)
        if totals[target] <= MARGIN:
            return fixes
    fixes += [r.fix() for run in runs for r in run if r.target == target and r.gain > 0]
    taken = {(f.start, f.end) for f in fixes}
    for match in _LONE_HIGH.finditer(text):
        if (match.start(), match.end()) in taken or not _LATIN_1.search(match.group()):
            continue
        fixes += [
            r.fix()
            for r in _readings(text, match.start(), match.end(), only or forced)
            if r.target == target and r.gain > 0
        ]
    return fixes


_NBSP_PART = re.compile("[^\xa0]+")


def _is_utf8(span: str) -> bool:
    """Whether the bytes behind a Latin-1 span are UTF-8 (CESU-8 included): ftfy's."""
    data = _latin_bytes(span)
    return data is not None and bool(_as_utf8(data))


def _as_utf8(data: bytes) -> str | None:
    """`data` as UTF-8, or as one of its variants (CESU-8, Java's NUL) that ftfy reads;
    None if neither. Strict UTF-8 first: ftfy's decoder for the variants is Python
    code, some 20 times slower, and most bytes are plain UTF-8 or not UTF-8 at all."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\xed" not in data and b"\xc0" not in data:
        return None  # the variants need a surrogate (ED ..) or an overlong NUL (C0 80)
    import ftfy.bad_codecs  # noqa: F401 - registers utf-8-variants

    try:
        return data.decode("utf-8-variants")
    except UnicodeDecodeError:
        return None


def _run_readings(text: str, start: int, end: int, only: str | None) -> list[_Reading]:
    """The readings of a run; failing any, of the run less its last characters where
    they may be text: ASCII, or a quote of cp1252 (`¡ª“`), up to MAX_TRAILING_TEXT
    of them (each try reads the whole run again: a run ending in a long tail of `…`
    would cost time quadratic in the tail)."""
    readings = _readings(text, start, end, only)
    stop = max(end - MAX_TRAILING_TEXT, start + 2)
    while not readings and end > stop and text[end - 1] in _NOT_A_LEAD:
        end -= 1
        readings = _readings(text, start, end, only)
    return readings


MAX_TRAILING_TEXT = 3  # characters: a quote and the punctuation around it (`”。`, `¡ª“`)


# One high character and the ASCII trail byte after it.
_LONE_HIGH = re.compile(f"(?<![{_HIGH}])[{_HIGH}][\\x40-\\x7e](?![{_HIGH}])")


def _whole_line_fix(line: str) -> Fix | None:
    """The common case first: a whole line of legacy bytes read as cp1252/latin-1,
    decoded strictly as one codec and priced once."""
    if not _LATIN_1.search(line) or not _LATIN_RUN.search(line):
        return None
    readings = _readings(line, 0, len(line))
    best = max(readings, key=lambda r: r.gain, default=None)
    if best is None or best.gain <= MARGIN:
        return None
    letters = len(_CJK_LETTER.findall(best.decoded))
    if letters < MIN_CJK_GLUED:
        return None  # a character or two: let the runs speak for themselves
    if 2 * len(_GLUED_LETTER.findall(best.decoded)) > letters:
        return None  # CJK stuck inside Latin words (`컷domu`): Latin text, not CJK
    return best.fix()


_GLUED_LETTER = re.compile(
    "(?<=[A-Za-z])[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
    "|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af](?=[A-Za-z])"
)


@dataclass(frozen=True)
class _Reading:
    """A run read through another codec, and how many nats that saves."""

    start: int
    end: int
    span: str
    target: str
    decoded: str
    gain: float
    glued: bool  # stuck to Latin letters: never evidence on its own

    def fix(self) -> Fix:
        kind = Kind(self.target, LATIN_READ)
        return Fix(self.start, self.end, self.span, self.decoded, kind.how, LATIN_READ, kind)


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
}


_EUROPEAN_LETTER = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f]")


def _readings(text: str, start: int, end: int, only: str | None = None) -> list[_Reading]:
    """The plausible CJK readings of the bytes behind text[start:end].

    Bytes that are valid UTF-8 and read as CJK text are UTF-8; other UTF-8 is left
    to ftfy, whose home ground it is (it is not a reading here).
    """
    span = text[start:end]
    data = _latin_bytes(span)
    if data is None:
        return []
    as_utf8 = _as_utf8(data) or ""
    # UTF-8 that reads as CJK wins; other valid UTF-8 is ftfy's, unless it is two bytes,
    # which are valid UTF-8 by chance often (`È£` is ȣ, and 호 in EUC-KR), but not
    # when they are a European letter: `Ã¼` is far likelier ü than 체, unless the
    # document has shown the CJK codec (`only`).
    if _CJK_LETTER.search(as_utf8):
        targets: tuple[str, ...] = ("utf-8",)
    elif as_utf8 and (len(data) > 2 or (only is None and _EUROPEAN_LETTER.fullmatch(as_utf8))):
        return []
    else:
        targets = LATIN_TARGETS if only is None else (only,)
    own: float | None = None  # priced only if some reading is plausible
    ascii_inside = _ascii_count(span)
    readings = []
    for target in targets:
        try:
            decoded = as_utf8 if target == "utf-8" else data.decode(target)
        except UnicodeDecodeError:
            continue
        # `Saeim兣`, `컷domu`: a character or two stuck to a Latin word are no evidence
        # (`（Hydra` is fine: punctuation may touch a Latin word).
        in_context = text[max(start - 1, 0) : start] + decoded + text[end : end + 1]
        glued = bool(_GLUED_LETTER.search(in_context)) and (
            len(_CJK_LETTER.findall(decoded)) < MIN_CJK_GLUED
        )
        if glued and target == "utf-8":
            continue
        # Valid UTF-8 is evidence enough for its reading to be the text of the layer
        # below, however rare its characters (mojibake of mojibake).
        limit = math.inf if target == "utf-8" else PLAUSIBLE_PER_CJK
        cost = _plausible_cjk_cost(decoded, TARGET_GROUPS[target], limit)
        if cost is not None:
            if own is None:
                own = _latin_cost(span)
            # ASCII is free in the models, as every reading of the same bytes shares
            # it; a reading that swallows ASCII bytes as trail bytes does not, so the
            # span pays for those letters.
            swallowed = ascii_inside - _ascii_count(decoded)
            gain = own + ASCII_LETTER_COST * max(swallowed, 0) - cost
            readings.append(_Reading(start, end, span, target, decoded, gain, glued))
    return readings


def _latin_cost(span: str) -> float:
    """What a Latin-1 span costs as Latin text. Letter pairs are priced on its first
    PAIR_SAMPLE characters and scaled up: on a long line the estimate is as good."""
    counts = Counter(span)
    head = span[:PAIR_SAMPLE]
    scale = len(span) / len(head) if head else 1.0
    return min(
        langmodel.cost(counts, group) + scale * langmodel.pair_cost(head, group)
        for group in OWN_GROUPS
    )


PAIR_SAMPLE = 300


def _ascii_count(text: str) -> int:
    return len(text.encode("ascii", "ignore"))


def _plausible_cjk_cost(
    decoded: str, groups: tuple[str, ...], limit: float = PLAUSIBLE_PER_CJK
) -> float | None:
    """The cost of `decoded` if it is CJK text whose CJK characters cost at most
    `limit` each on average (common ones, not the rare ones a wrong codec yields);
    its punctuation and symbols are priced by the gain, not here."""
    letters = _CJK_LETTER.findall(decoded)
    if not letters:
        return None
    cost, group = langmodel.score(decoded, groups)
    if langmodel.score("".join(letters), (group,))[0] > limit * len(letters):
        return None
    return cost


MIN_CJK_GLUED = 3  # CJK characters a repair needs when Latin letters touch the span


# --- UTF-8 or another CJK codec read as a CJK codec ----------------------------------------


def _cjk_fixes(text: str, lossy: str) -> list[Fix]:
    """Repairs in the runs of CJK text where characters no table knows cluster, or
    that are short and made of uncommon characters."""
    cluster, short = _cluster_pattern(), _short_rare_pattern()
    fixes: list[Fix] = []
    cross: list[Fix] = []
    for run in _CJK_RUN.finditer(text):
        if cluster.search(run.group()) or short.fullmatch(run.group()):
            found, searched = _windowed_utf8_fixes(run.group(), run.start(), lossy)
            fixes += found
            if _covered(found) < MOSTLY * searched:
                cross += _cross_cjk_fixes(run.group(), run.start())
    if fixes:
        # A line that shows UTF-8 read as one codec: its other runs are read the same
        # way wherever that reads better at all (`頃挫瀯` among repaired words).
        source = fixes[0].wrong
        taken = [(f.start, f.end) for f in fixes]
        for run in _CJK_RUN.finditer(text):
            if not any(a < run.end() and run.start() < b for a, b in taken):
                fixes += _windowed_utf8_fixes(
                    run.group(), run.start(), lossy, (source,), 0.0, 1, _uncommon_pattern()
                )[0]
    if cross:
        cross += _same_codec_elsewhere(text, cross, {(f.start, f.end) for f in fixes + cross})
    return fixes + cross


PAD = 16  # characters searched on each side of a cluster of uncommon ones
SHORT_WINDOWED = 64  # a run this short is searched whole


def _windowed_utf8_fixes(
    run: str,
    offset: int,
    lossy: str,
    sources: tuple[str, ...] = CJK_SOURCES,
    margin: float = MARGIN,
    min_whole: int = 2,
    marks: re.Pattern[str] | None = None,
) -> tuple[list[Fix], int]:
    """UTF-8 stretches of a long run, searched only around what marks mojibake
    (by default clusters of uncommon characters): a run is often a whole paragraph
    of clean text with one corrupted phrase. The whole run is searched when a
    repair reaches a window's edge. Also returns how many characters were searched."""
    if len(run) <= SHORT_WINDOWED:
        return _utf8_fixes(run, offset, lossy, sources, margin, min_whole), len(run)
    windows: list[list[int]] = []
    for match in (marks or _cluster_pattern()).finditer(run):
        start, end = max(match.start() - PAD, 0), min(match.end() + PAD, len(run))
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    if not windows:
        return [], 0
    if windows == [[0, len(run)]]:
        return _utf8_fixes(run, offset, lossy, sources, margin, min_whole), len(run)
    fixes: list[Fix] = []
    for start, end in windows:
        found = _utf8_fixes(run[start:end], offset + start, lossy, sources, margin, min_whole)
        inner = (offset + start if start else -1, offset + end if end < len(run) else -1)
        if any(f.start == inner[0] or f.end == inner[1] for f in found):
            whole = _utf8_fixes(run, offset, lossy, sources, margin, min_whole)
            return whole, len(run)
        fixes += found
    return fixes, sum(end - start for start, end in windows)


def _same_codec_elsewhere(text: str, found: list[Fix], taken: set[tuple[int, int]]) -> list[Fix]:
    """Once a line shows one CJK codec read as another, its other runs (even of one
    character, `1981爛5`) are read the same way where that reads better at all."""
    # The kind that covers most; a tie goes to the kind found first (not to hash order).
    kinds = [k for k in dict.fromkeys(f.kind for f in found) if k is not None]
    kind = max(kinds, key=lambda k: sum(len(f.before) for f in found if f.kind == k))
    source, target = kind.wrong, kind.target
    fixes = []
    for run in _WIDE_RUN.finditer(text):
        if any(a <= run.start() < b for a, b in taken):
            continue
        try:
            decoded = run.group().encode(source).decode(target)
        except UnicodeError:
            continue
        cost = _plausible_cjk_cost(decoded, TARGET_GROUPS[target])
        if cost is None and _CJK_PUNCTUATION.fullmatch(decoded):
            # Punctuation alone (`ㄘ﹝` is `）。`): no letters to judge, the line decides.
            cost = langmodel.score(decoded, TARGET_GROUPS[target])[0]
        if cost is not None and cost <= langmodel.score(run.group(), CJK_GROUPS)[0]:
            fixes.append(Fix(run.start(), run.end(), run.group(), decoded, kind.how, source, kind))
    return fixes


_CJK_PUNCTUATION = re.compile(
    "[\u2010-\u2027\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+"
)


_WIDE_RUN = re.compile(r"[^\x00-\x7f\s]+")


SHORT_RUN = 8  # characters: a run this short is also judged by how rare its characters are
RARE_PER_CHAR = 12.9  # nats: a character no table prices lower is uncommon


@cache
def _short_rare_pattern() -> re.Pattern[str]:
    """A run of at most SHORT_RUN non-ASCII characters, two of them uncommon (`瓿淀彫`
    between spaces): too short for a cluster, too rare for text."""
    wide = "[^\\x00-\\x7f\\s]"
    uncommon = _uncommon_pattern().pattern
    return re.compile(
        f"(?<!{wide})(?={wide}{{2,{SHORT_RUN}}}(?!{wide}))"
        f"{wide}*?{uncommon}{wide}*?{uncommon}{wide}*"
    )


@cache
def _uncommon_pattern() -> re.Pattern[str]:
    """A CJK character that no table prices at RARE_PER_CHAR nats or less."""
    common = {
        c for g in CJK_GROUPS for c, cost in langmodel.table(g).items() if cost <= RARE_PER_CHAR
    }
    return re.compile(f"[^{char_class(common)}{_PLAIN}]")


def _utf8_fixes(
    run: str,
    offset: int,
    lossy: str,
    sources: tuple[str, ...] = CJK_SOURCES,
    margin: float = MARGIN,
    min_whole: int = 2,
) -> list[Fix]:
    """Stretches of `run` whose bytes in some CJK codec are UTF-8 text.

    Bytes may be gone: U+FFFD in the run stands for one unknown byte, and an odd
    number of UTF-8 bytes leaves a last character cut in two (its first bytes in
    the final mojibake character, an ASCII byte of the text after it as trail).
    What the bytes keep is recovered, that ASCII too; a character with bytes gone
    becomes U+FFFD (nothing with lossy="drop"); nothing is guessed.
    """
    fixes: list[Fix] = []
    for source in sources:
        if fixes and (_covered(fixes) >= MOSTLY * len(run) or _explained_run(run, offset, fixes)):
            break  # one codec explains the run: the others need not be tried
        try:
            data = _encode_lossy(run, source)
        except UnicodeEncodeError:
            continue
        if not _CJK_IN_UTF8.search(data):
            continue  # a repair reads as CJK text: three-byte characters (cheap, at C speed)
        stretches = _Utf8Stretches(data, cut_short=True)
        if stretches.search(0, min_whole) is None:
            continue  # (cheap: most runs hold no UTF-8 stretch in most codecs)
        bounds = _CharBounds(run, source)
        found = _stretch_fixes(run, offset, data, bounds, stretches, source, min_whole, margin)
        if stretches.cut_short_taken:
            # Where a stretch with a character cut short did not read well, the same
            # bytes without it may (a span of mojibake beside clean text).
            plain = _Utf8Stretches(data, cut_short=False, tokens=stretches.tokens)
            taken = [(f.start, f.end) for f in found]
            more = _stretch_fixes(run, offset, data, bounds, plain, source, min_whole, margin)
            found += [f for f in more if not any(a < f.end and f.start < b for a, b in taken)]
        fixes += [_with_policy(fix, lossy, source) for fix in found]
    return fixes


def _stretch_fixes(
    run: str,
    offset: int,
    data: bytes,
    bounds: _CharBounds,
    stretches: _Utf8Stretches,
    source: str,
    min_whole: int,
    margin: float,
) -> list[Fix]:
    """The stretches of `data` (the run's bytes in `source`) that read far better as
    UTF-8, as fixes without their policy."""
    fixes: list[Fix] = []
    position = 0
    while (span := stretches.search(position, min_whole)) is not None:
        start_byte, found_end = span
        start_char = bounds.get(start_byte)
        end = None if start_char is None else _aligned_end(data, bounds, start_byte, found_end)
        if start_char is None or end is None:
            position = start_byte + 1
            continue
        end_byte, length = end
        absorbed = end_byte > found_end  # an ASCII trail byte of the text after
        last = run[start_char + length - 1]
        if absorbed and length > 1 and not _uncommon_pattern().fullmatch(last):
            # A common character with an ASCII trail byte (語 is 95 5A) may be text,
            # or the last UTF-8 character may end in it (`锛圖a` is `（Da`): cheaper wins.
            size = len(_encode_lossy(last, source))
            swallowed = _utf8_read(data[start_byte:end_byte]) or ""
            kept = (_utf8_read(data[start_byte : end_byte - size]) or "") + last
            if langmodel.score(kept, CJK_GROUPS)[0] < langmodel.score(swallowed, CJK_GROUPS)[0]:
                end_byte, length, absorbed = end_byte - size, length - 1, False
        group = langmodel.score(_utf8_read(data[start_byte:end_byte]) or "", CJK_GROUPS)[1]
        start_byte, start_char, end_byte, length = _trim(
            run, data, source, (start_byte, start_char, end_byte, length), group
        )
        stretch = data[start_byte:end_byte]
        fix = _judge_utf8(
            run, offset, start_char, length, stretch, absorbed or min_whole < 2, margin
        )
        if fix is not None:
            fixes.append(fix)
        position = end_byte
    return fixes


MOSTLY = 0.8  # share of a run that, once repaired one way, settles it


def _explained_run(run: str, offset: int, fixes: list[Fix]) -> bool:
    """Whether the repairs hold every uncommon character of the run."""
    last, rest = 0, []
    for fix in sorted(fixes, key=lambda f: f.start):
        rest.append(run[last : fix.start - offset])
        last = max(last, fix.end - offset)
    rest.append(run[last:])
    return not _uncommon_pattern().search("\n".join(rest))


def _covered(fixes: list[Fix]) -> int:
    return sum(f.end - f.start for f in fixes)


_CHAR = rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
_GONE = rb"\xff[\x80-\xbf\xff]{0,3}|[\xc2-\xf4][\x80-\xbf]{0,2}\xff[\x80-\xbf\xff]{0,2}"
_CUT = rb"[\xc2-\xf4][\x80-\xbf]{0,2}(?=[\x40-\x7e]|$)"
# A character cut short by the next one's lead byte: its other bytes were dropped
# (a GBK decoder told to ignore what it could not read leaves no mark).
_CUT_SHORT = rb"[\xc2-\xf4][\x80-\xbf]{0,2}(?=[\xc2-\xf4])"
# A run of UTF-8 tokens: whole characters and characters with bytes gone (0xFF, or
# cut short), a whole character tried first. One token at a time, no backtracking: a
# regex that counted the whole characters itself (`(?:GONE|CHAR)*CHAR(?:GONE|CHAR)*CHAR`)
# split a run of 0xFF in exponentially many ways before it failed.
_UTF8_RUN = re.compile(rb"(?:%s|%s|%s)+" % (_CHAR, _GONE, _CUT_SHORT))
_UTF8_RUN_TOKEN = re.compile(rb"(%s)|(%s)|(%s)" % (_CHAR, _GONE, _CUT_SHORT))
_WHOLE_TOKEN, _CUT_SHORT_TOKEN = 1, 3  # the token's kind: the group that matched it
_UTF8_CUT = re.compile(_CUT)
# A UTF-8 character of the CJK letters a repair must hold (U+3040 to U+FAFF: E3-EF leads).
_CJK_IN_UTF8 = re.compile(rb"[\xe3-\xef][\x80-\xbf]{2}")
_SWALLOWED_TRAIL = re.compile(rb"[\x40-\x7e]")


class _Utf8Stretches:
    """The stretches of `data` that may be UTF-8 text: a run of tokens from its first
    token at or after a position to its end (perhaps with a cut character last) that
    holds `whole` whole characters or more; or, when two are asked for, one whole
    character last in its run and followed by an ASCII byte (the text's next
    character, swallowed as trail). Tokenised once; each search is a bisection, so
    finding every stretch of a line is linear."""

    def __init__(
        self, data: bytes, cut_short: bool, tokens: list[list[re.Match[bytes]]] | None = None
    ) -> None:
        self.data = data
        self.ends: list[int] = []  # of each run, a cut character included
        self.runs: list[tuple[list[int], list[int], int]] = []
        self.cut_short_taken = False  # whether a run holds a character cut short
        if tokens is None:
            tokens = [
                list(_UTF8_RUN_TOKEN.finditer(data, run.start(), run.end()))
                for run in _UTF8_RUN.finditer(data)
                # (cheap, at C speed: no stretch of a run without one can read as CJK)
                if _CJK_IN_UTF8.search(data, run.start(), run.end())
            ]
        self.tokens = tokens
        for run_tokens in tokens:
            for piece in _between_cuts(run_tokens, cut_short):
                if any(_is_cjk_char(t) for t in piece):
                    self.cut_short_taken |= any(t.lastindex == _CUT_SHORT_TOKEN for t in piece)
                    self._add(piece)

    def _add(self, tokens: list[re.Match[bytes]]) -> None:
        starts = [token.start() for token in tokens]
        whole_from = [int(token.lastindex == _WHOLE_TOKEN) for token in tokens]
        # whole_from[k]: whole characters from token k to the run's end
        for k in range(len(whole_from) - 2, -1, -1):
            whole_from[k] += whole_from[k + 1]
        end = tokens[-1].end()
        cut = _UTF8_CUT.match(self.data, end)
        self.runs.append((starts, whole_from, end))
        self.ends.append(cut.end() if cut else end)

    def search(self, position: int, whole: int) -> tuple[int, int] | None:
        for index in range(bisect.bisect_right(self.ends, position), len(self.runs)):
            starts, whole_from, end = self.runs[index]
            k = bisect.bisect_left(starts, position)
            if k == len(starts):
                continue
            if whole_from[k] >= whole:
                return starts[k], self.ends[index]
            last = starts[-1]
            if (
                whole == 2
                and last >= position
                and whole_from[-1] == 1
                and self.ends[index] == end
                and _SWALLOWED_TRAIL.match(self.data, end)
            ):
                return last, end
        return None


def _between_cuts(tokens: list[re.Match[bytes]], cut_short: bool) -> list[list[re.Match[bytes]]]:
    """A run of tokens split at each character cut short (all of them unless
    `cut_short`) that does not stand between two whole CJK ones (three bytes or
    more): a character is taken as lost only where the text around it is whole
    UTF-8 CJK text, not at a stretch's edge (`发布` then GBK `新闻`, D0 C2 CE C5) nor
    beside a two-byte character that clean GBK text gives by chance (`内对` is
    C4 DA B6 D4: a cut C4, `ڶ`, a cut D4)."""
    pieces: list[list[re.Match[bytes]]] = [[]]
    for index, token in enumerate(tokens):
        if token.lastindex == _CUT_SHORT_TOKEN and not (
            cut_short
            and 0 < index < len(tokens) - 1
            and _is_wide_char(tokens[index - 1])
            and _is_wide_char(tokens[index + 1])
        ):
            pieces.append([])
        else:
            pieces[-1].append(token)
    return [piece for piece in pieces if piece]


def _is_cjk_char(token: re.Match[bytes]) -> bool:
    return token.lastindex == _WHOLE_TOKEN and _CJK_IN_UTF8.fullmatch(token.group()) is not None


def _is_wide_char(token: re.Match[bytes]) -> bool:
    return token.lastindex == _WHOLE_TOKEN and token.end() - token.start() >= 3


class _CharBounds:
    """The byte offset of each character boundary of a run in a codec (U+FFFD as one
    0xFF byte, as `_encode_lossy` writes it), and the characters before it: a sorted
    list searched by bisection (a dict of every boundary cost more than the searches
    it served)."""

    def __init__(self, run: str, codec: str) -> None:
        self.offsets = list(accumulate(map(_sizes(codec).__getitem__, run), initial=0))

    def get(self, offset: int) -> int | None:
        index = bisect.bisect_left(self.offsets, offset)
        return index if index < len(self.offsets) and self.offsets[index] == offset else None


class _Sizes(dict[str, int]):
    """Each character's size in bytes in one codec, as `_encode_lossy` writes it."""

    def __init__(self, codec: str) -> None:
        super().__init__()
        self.codec = codec

    def __missing__(self, char: str) -> int:
        size = self[char] = 1 if char == "\ufffd" else len(char.encode(self.codec))
        return size


@cache
def _sizes(codec: str) -> _Sizes:
    return _Sizes(codec)


_LOST_BYTE = "textmend-lost-byte"


def _lost_byte(error: UnicodeError) -> tuple[str | bytes, int]:
    """0xFF, which no CJK codec uses, stands for a byte that is gone: read back as
    U+FFFD. Any other error is a real one."""
    if isinstance(error, UnicodeDecodeError) and error.object[error.start] == 0xFF:
        return "\ufffd", error.start + 1
    raise error


codecs.register_error(_LOST_BYTE, _lost_byte)


def _encode_lossy(text: str, codec: str) -> bytes:
    """`text` in `codec`, each U+FFFD (a byte that is gone) as 0xFF: even GB18030,
    which has a sequence of its own for U+FFFD."""
    if "\ufffd" not in text:
        return text.encode(codec)
    if _ESCAPED_BYTE.search(text) is None:  # one call at codec speed, not one per U+FFFD
        return text.replace("\ufffd", "\udcff").encode(codec, "surrogateescape")
    return b"\xff".join(piece.encode(codec) for piece in text.split("\ufffd"))


# Lone surrogates that "surrogateescape" would write as bytes, where they must fail.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _aligned_end(data: bytes, bounds: _CharBounds, start: int, end: int) -> tuple[int, int] | None:
    """The stretch's end on a character boundary (`bounds`, of the stretch's codec),
    taking in up to two ASCII bytes (a character cut in two had the text's next
    character as trail byte), with the stretch's length in characters."""
    for extra in range(3):
        if end + extra > len(data) or (extra and data[end + extra - 1] >= 0x80):
            break
        chars = bounds.get(end + extra)
        if chars is not None:
            return end + extra, chars - (bounds.get(start) or 0)
    return None


def _trim(
    run: str, data: bytes, source: str, bounds: tuple[int, int, int, int], group: str
) -> tuple[int, int, int, int]:
    """Give back edge characters that are text: a clean character whose bytes happen
    to be a UTF-8 character (`斯` is CB B9, also `˹`) stays where it costs less than
    that reading in the language the stretch reads as (`路` is not Korean, `·` is)."""
    start_byte, start_char, end_byte, length = bounds
    while length > 1:
        char = run[start_char]
        size = len(_encode_lossy(char, source))
        if not _edge_is_text(char, data[start_byte : start_byte + size], group):
            break
        start_byte, start_char, length = start_byte + size, start_char + 1, length - 1
    while length > 1:
        char = run[start_char + length - 1]
        size = len(_encode_lossy(char, source))
        if not _edge_is_text(char, data[end_byte - size : end_byte], group):
            break
        end_byte, length = end_byte - size, length - 1
    return start_byte, start_char, end_byte, length


def _edge_is_text(char: str, piece: bytes, group: str) -> bool:
    try:
        reading = piece.decode("utf-8")
    except UnicodeDecodeError:
        return False  # the character's bytes are part of a longer UTF-8 one
    return len(reading) == 1 and (
        langmodel.score(char, (group,))[0] <= langmodel.score(reading, (group,))[0]
    )


def _judge_utf8(
    run: str,
    offset: int,
    start: int,
    length: int,
    data: bytes,
    one_will_do: bool,
    margin: float = MARGIN,
) -> Fix | None:
    """A stretch is UTF-8 text if it holds two whole characters or more (one will do
    when a mojibake character swallowed the ASCII byte after it, or when the line
    already showed this kind of mojibake) and reads far better."""
    span = run[start : start + length]
    decoded = _utf8_read(data)
    if decoded is None:
        return None
    lost = decoded.count("\ufffd")
    whole = len(decoded) - lost - len(decoded.encode("ascii", "ignore"))
    if whole < (1 if one_will_do else 2):
        return None
    limit = UTF8_PER_CJK if whole >= 2 else PLAUSIBLE_PER_CJK  # one character: a common one
    cost = _plausible_cjk_cost(decoded.replace("\ufffd", ""), CJK_GROUPS, limit)
    if cost is None or cost + LOST_COST * lost + margin >= _own_cost(span):
        return None
    return Fix(offset + start, offset + start + length, span, decoded, "")


def _own_cost(span: str) -> float:
    """What the span costs as text: under the CJK models, and under the models of
    any other script it holds (Cyrillic mojibake of UTF-8 is text to ftfy)."""
    groups = CJK_GROUPS + tuple(g for g, script in _SCRIPTS if script.search(span))
    return langmodel.score(span, groups)[0]


_SCRIPTS = (
    ("cyrillic", re.compile("[\u0400-\u04ff]")),
    ("greek", re.compile("[\u0370-\u03ff]")),
    ("western", re.compile("[\u00c0-\u00ff]")),
    ("central", re.compile("[\u0100-\u024f]")),
    ("hebrew", re.compile("[\u0590-\u05ff]")),
    ("arabic", re.compile("[\u0600-\u06ff]")),
    ("thai", re.compile("[\u0e00-\u0e7f]")),
)


def _utf8_read(data: bytes) -> str | None:
    """A stretch as UTF-8: one U+FFFD for each character with bytes gone or cut;
    None if it holds what UTF-8 forbids (overlong forms, surrogates)."""
    try:
        return "".join(
            "\ufffd" if token.lastindex != 1 else token.group().decode("utf-8")
            for token in _UTF8_TOKEN.finditer(data)
        )
    except UnicodeDecodeError:
        return None


_UTF8_TOKEN = re.compile(rb"(%s|[\x00-\x7f])|(%s)|([\xc2-\xf4][\x80-\xbf]{0,2})" % (_CHAR, _GONE))


def _with_policy(fix: Fix, lossy: str, source: str) -> Fix:
    kind = Kind("utf-8", source)
    how = kind.how
    lost = fix.after.count("\ufffd")
    after = fix.after
    if lost:
        how += f"; {lost} characters with bytes gone, --lossy {lossy}"
        if lossy == "drop":
            after = after.replace("\ufffd", "")
    return Fix(fix.start, fix.end, fix.before, after, how, source, kind)


LOST_COST = 8.0  # nats charged per character a repair cannot recover
# Valid UTF-8 over several characters is strong evidence by itself: its reading
# may be rarer text than a legacy-codec reading must be.
UTF8_PER_CJK = 12.0


_CROSS_PAIRS = [(source, target) for source, targets in CJK_TARGETS.items() for target in targets]


def _cross_cjk_fixes(
    run: str, offset: int, pairs: list[tuple[str, str]] = _CROSS_PAIRS
) -> list[Fix]:
    """The run, or failing that its pieces between punctuation, when it reads far
    better through another legacy CJK codec (Big5 read as GBK, Shift-JIS as GBK):
    each (wrong codec, right codec) of `pairs` is tried."""
    whole = _cross_reading(run, offset, pairs)
    if whole is not None:
        return [whole]
    fixes = []
    for piece in _PIECE.finditer(run):
        if piece.group() != run and len(_unknown_pattern().findall(piece.group())) >= 2:
            fix = _cross_reading(piece.group(), offset + piece.start(), pairs)
            if fix is not None:
                fixes.append(fix)
    return fixes


def _cross_reading(span: str, offset: int, pairs: list[tuple[str, str]]) -> Fix | None:
    best: tuple[float, str, Kind] | None = None
    for source in dict.fromkeys(source for source, _ in pairs):
        try:
            data = span.encode(source)
        except UnicodeEncodeError:
            continue
        for target in (t for s, t in pairs if s == source):
            try:
                decoded = data.decode(target)
            except UnicodeDecodeError:
                continue
            cost = _plausible_cjk_cost(decoded, TARGET_GROUPS[target])
            if cost is not None and (best is None or cost < best[0]):
                best = (cost, decoded, Kind(target, source))
    # The text as it stands is priced last, and only when a reading is in the running.
    if best is None or best[0] + MARGIN >= _own_cost(span):
        return None
    _, decoded, kind = best
    return Fix(offset, offset + len(span), span, decoded, kind.how, kind.wrong, kind)


_PIECE = re.compile("[^，。、！？：；“”‘’（）《》「」【】…—·]{2,}")


@cache
def _known_class() -> str:
    """A regex class body of the CJK characters some table knows."""
    return char_class({c for group in CJK_GROUPS for c in langmodel.table(group)})


@cache
def _cluster_pattern() -> re.Pattern[str]:
    """Three uncommon characters (or U+FFFD), at most two others apart: mojibake is
    dense in them, clean text has a rare name here and there."""
    uncommon = _uncommon_pattern().pattern
    return re.compile(f"{uncommon}(?:[^\\x00-\\x7f\\s]{{0,2}}{uncommon}){{2,}}")


@cache
def _unknown_pattern() -> re.Pattern[str]:
    """A CJK character (or U+FFFD) that no table knows."""
    return re.compile(f"[^{_known_class()}{_PLAIN}]")


# Never mojibake by themselves: ASCII, Latin letters, spaces, common punctuation.
_PLAIN = "\\x00-\\x7f\\u0080-\\u024f\\u2000-\\u206f\\u3000-\\u303f\\uff00-\\uff60\\s"


# --- mojibake quoted on purpose ------------------------------------------------------------

MAX_MENTION = 40  # characters between quotes: an example quoted, not a passage
QUOTE_PAIRS = ('""', "''", "``", "「」", "『』", "“”", "‘’", "«»")
_QUOTED = [
    re.compile(f"{re.escape(o)}([^{re.escape(o + c)}\\n]{{1,{MAX_MENTION}}}){re.escape(c)}")
    for o, c in QUOTE_PAIRS
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
        fixes.append(Fix(match.start(), match.end(), match.group(), after, how, "gbk"))
    return fixes


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


# --- a whole document read with one wrong codec ---------------------------------------------

DOCUMENT_SAMPLE = 200  # characters of changed lines on which a document reading is judged


@dataclass(frozen=True)
class DocumentReading:
    """The common case of corrupted files: the whole text read with one wrong codec.
    `lines` is the text's lines as that reading gives them (a line it would not
    repair keeps its text); `hows` says, per line, what was done to it."""

    lines: list[str]
    hows: list[str]  # for the report
    kind: Kind
    # The wrong codec and the right one, for a strict reading of one layer (None for
    # a lossy reading or one with a layer below): what `spare_clean_runs` needs.
    wrong: str | None = None
    target: str | None = None


def spare_clean_runs(line: str, read: str, reading: DocumentReading) -> str:
    """`read`, the line's reading, with each run of non-ASCII text that reads no
    better that way kept as it was: a line can be mojibake and still hold text
    that was decoded right (`茄促.点击查看更多` is `한다.` and clean Chinese). Only
    where the runs decode on their own into the line's reading; else `read`."""
    wrong, target = reading.wrong, reading.target
    if wrong is None or target is None or not any(map(_may_be_clean, _WIDE.findall(line))):
        return read  # the common case: no run that could be clean text, no decoding
    pieces, spared = [], False
    for piece in _WIDE_OR_NOT.findall(line):
        data = _wrong_bytes(piece, wrong)
        try:
            decoded = data.decode(target) if data is not None else None
        except UnicodeDecodeError:
            decoded = None
        if decoded is None:
            return read
        if decoded != piece and not piece.isascii() and _reads_no_better(piece, decoded, target):
            pieces.append((decoded, piece))
            spared = True
        else:
            pieces.append((decoded, decoded))
    if not spared or "".join(d for d, _ in pieces) != read:
        return read
    return "".join(kept for _, kept in pieces)


_WIDE_OR_NOT = re.compile(r"[^\x00-\x7f\s]+|[\x00-\x7f\s]+")
_WIDE = re.compile(r"[^\x00-\x7f\s]+")


def _may_be_clean(run: str) -> bool:
    """Whether a run can be clean text at all: common characters, and enough of them
    (a character or two is no evidence of clean text: `路` is `·`)."""
    return len(_CJK_LETTER.findall(run)) >= MIN_CJK_GLUED and not _uncommon_pattern().search(run)


def _reads_no_better(run: str, decoded: str, target: str) -> bool:
    """Whether a run costs no more as it stands than as read through `target` (only a
    run of common characters can: mojibake is made of rare ones, or of few)."""
    if not _may_be_clean(run):
        return False
    return _own_cost(run) <= langmodel.score(decoded, TARGET_GROUPS[target])[0]


MAX_LAYERS = 3  # mojibake of mojibake of mojibake


def document_reading(
    text: str, probe_at: int | None = None, lossy: str | None = "keep", depth: int = 1
) -> DocumentReading | None:
    """The reading under which the whole of `text` is one codec's bytes read as
    another's, if there is one and its changed lines read far better.

    Strictness is the evidence: bytes of clean text almost never decode strictly
    in the wrong codec over a whole document, so one decode per candidate (at
    codec speed) replaces a search per line; a sample of the changed lines must
    still gain MARGIN nats a line under the models, and where several readings
    do, the cheapest wins. Failing that, UTF-8 with bytes gone (`锟斤拷`, a
    character cut in two) is read as far as the bytes allow (`lossy` as in
    `find_fixes`; None: not tried); mixed documents are left to the search per line.
    """
    # A suspicious line (by default the first with non-ASCII text) must read
    # strictly too: on clean text that rules out every candidate at the cost of a line.
    if probe_at is None:
        first = _NON_ASCII.search(text)
        if first is None:
            return None
        probe_at = first.start()
    start = text.rfind("\n", 0, probe_at) + 1
    probe = text[start : start + PROBE].partition("\n")[0]
    latin = _latin_bytes(probe)
    if latin is not None:
        candidates = {LATIN_READ: (latin, ("utf-8", *LATIN_TARGETS))}
    else:
        candidates = {
            source: (data, ("utf-8", *CJK_TARGETS[source]))
            for source in CJK_SOURCES
            if (data := _wrong_bytes(probe, source)) is not None
        }
    judged = [
        _judged(text, data, target, source, depth)
        for source, (probe_data, targets) in candidates.items()
        if (readable := [t for t in targets if _decodes(probe_data, t)])
        and (data := _wrong_bytes(text, source)) is not None
        for target in readable
    ]
    best = min(filter(None, judged), key=lambda j: j[0], default=None)
    if best is not None:
        return best[1]
    if lossy is not None and latin is None and depth == 1 and "\ufffd" in text:
        return _lossy_reading(text, lossy)
    return None


_NON_ASCII = re.compile("[^\x00-\x7f]")


def _wrong_bytes(text: str, wrong: str) -> bytes | None:
    """The bytes a decoder for `wrong` read as `text`, if it could have."""
    if wrong == LATIN_READ:
        return _latin_bytes(text)
    try:
        return text.encode(wrong)
    except UnicodeEncodeError:
        return None


PROBE = 160  # characters from the start of the probe line: a character cut off is fine


def _decodes(data: bytes, codec: str) -> bool:
    """Whether `data` is `codec` text, or the start of some (the probe may cut the
    last character in two)."""
    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _judged(
    text: str, data: bytes, target: str, wrong: str, depth: int
) -> tuple[float, DocumentReading] | None:
    """(cost of the sample as read, the reading) if the reading clears the bar."""
    try:
        decoded = data.decode(target)
    except UnicodeDecodeError:
        return None
    if decoded == text or "\ufffd" in decoded:
        return None
    before, after = text.split("\n"), decoded.split("\n")
    if len(before) != len(after):
        return None
    changed = [b for b, a in zip(before, after, strict=True) if b != a]
    # The sample: the changed lines' first DOCUMENT_SAMPLE characters, read the same way.
    old = "\n".join(changed)[:DOCUMENT_SAMPLE]
    sample_bytes = _wrong_bytes(old, wrong)
    if sample_bytes is None:
        return None
    new = codecs.getincrementaldecoder(target)().decode(sample_bytes, final=False)
    lines = old.count("\n") + 1
    latin = wrong == LATIN_READ
    kind = Kind(target, wrong)
    if latin and target == "utf-8":
        # UTF-8 that is itself mojibake of CJK text: a layer, and the reading of the
        # layer below is the evidence. Other UTF-8 that is not CJK is ftfy's.
        if depth < MAX_LAYERS and document_reading(decoded, depth=depth + 1) is not None:
            return 0.0, DocumentReading(after, [kind.how] * len(after), kind)
        if not _CJK_LETTER.search(new):
            return None
    letters = len(_CJK_LETTER.findall(new))
    if letters < MIN_CJK_GLUED or 2 * len(_GLUED_LETTER.findall(new)) > letters:
        return None  # a character or two, or CJK stuck inside Latin words: the lines judge
    limit = UTF8_PER_CJK if target == "utf-8" else PLAUSIBLE_PER_CJK
    cost = _plausible_cjk_cost(new, TARGET_GROUPS[target], limit)
    if cost is None:
        return None
    own = _latin_cost(old) if latin else _own_cost(old)
    if cost + MARGIN * lines >= own:
        return None
    return cost, DocumentReading(after, [kind.how] * len(after), kind, wrong, target)


def _lossy_reading(text: str, lossy: str) -> DocumentReading | None:
    """UTF-8 read as a CJK codec with errors replaced, over the whole document:
    each character with bytes gone (0xFF stands for a byte lost in U+FFFD) is
    one U+FFFD, as in the search per line; lines that lose too much keep
    their text for that search. Each line is judged on its own (no probe line decides
    for the others: a line of clean text there, which junk may remove later, would
    hide the kind from the rest), at codec speed."""
    for source in CJK_SOURCES:
        before = text.split("\n")
        after = [_read_lost_line(line, source) for line in before]
        kept = [
            a.replace(_LOST_MARK, "\ufffd").replace(_UNEXPLAINED_MARK, "\ufffd")
            if _explained(b, a)
            else b
            for b, a in zip(before, after, strict=True)
        ]
        changed = [b for b, a in zip(before, kept, strict=True) if b != a]
        if not changed or not _lossy_gain(changed, source):
            continue
        kind = Kind("utf-8", source)
        how = kind.how
        hows = []
        for number, (line, read) in enumerate(zip(before, kept, strict=True)):
            lost = read.count("\ufffd") if read != line else 0
            hows.append(
                f"{how}; {lost} characters with bytes gone, --lossy {lossy}" if lost else how
            )
            if lost and lossy == "drop":
                kept[number] = read.replace("\ufffd", "")
        return DocumentReading(kept, hows, kind)
    return None


def _read_lost_line(line: str, source: str) -> str:
    """A line's lossy reading; the line itself if `source` cannot have given it (each
    line on its own, so that what one line holds does not decide for another), or
    where a character is lost before its last one unmarked: `_explained` would refuse
    the reading, so the decoding stops there (a line of other mojibake, every byte
    invalid, costs one error, not one a byte)."""
    try:
        return _encode_lossy(line, source).decode("utf-8", errors=_LOST_CHAR_OR_STOP)
    except (UnicodeEncodeError, _Unexplained):
        return line


def _explained(before: str, after: str) -> bool:
    """Whether a line's lossy reading loses characters only where its marks of loss
    are (U+FFFD: a byte the wrong decoder could not read; a last character may be
    cut short unmarked), and not all of its text. A character lost anywhere else
    is clean text that this reading would destroy (`含义` is BA AC D2 E5, no UTF-8).
    (U+FFFD that was text, `锟斤拷`, is read back, not lost.)"""
    unexplained = after.count(_UNEXPLAINED_MARK) - after.endswith(_UNEXPLAINED_MARK)
    wide = len(after) - len(after.encode("ascii", "ignore"))
    lost = after.count(_LOST_MARK) + after.count(_UNEXPLAINED_MARK)
    return after != before and unexplained == 0 and lost < wide


def _read_lost(data: bytes) -> str:
    """`data` as UTF-8, each character with bytes gone as _LOST_MARK."""
    return data.decode("utf-8", errors=_LOST_CHAR)


def _lossy_gain(changed: list[str], source: str) -> bool:
    """The changed lines' first DOCUMENT_SAMPLE characters gain MARGIN nats a line,
    each character that is lost charged LOST_COST."""
    old = "\n".join(changed)[:DOCUMENT_SAMPLE]
    new = _read_lost(_encode_lossy(old, source)).replace(_UNEXPLAINED_MARK, _LOST_MARK)
    lost = new.count(_LOST_MARK)
    cost = _plausible_cjk_cost(new.replace(_LOST_MARK, ""), CJK_GROUPS, UTF8_PER_CJK)
    lines = old.count("\n") + 1
    return cost is not None and cost + LOST_COST * lost + MARGIN * lines < _own_cost(old)


_LOST_CHAR = "textmend-lost-char"
# Noncharacters, never text: a character lost where a byte is marked gone (0xFF),
# and one lost anywhere else (cut short, or stray continuation bytes), until counted.
_LOST_MARK = "\U0010fffe"
_UNEXPLAINED_MARK = "\U0010ffff"
_LOST_TOKEN = re.compile(rb"(%s)|[\xc2-\xf4][\x80-\xbf]{0,2}|[\x80-\xbf]+" % _GONE)


def _lost_char(error: UnicodeError) -> tuple[str, int]:
    """A UTF-8 character with a byte marked gone (0xFF) is one _LOST_MARK; one cut
    short, stray continuation bytes or any other invalid byte, one _UNEXPLAINED_MARK."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    match = _LOST_TOKEN.match(error.object, error.start)
    if match is None:
        return _UNEXPLAINED_MARK, error.end
    mark = _LOST_MARK if match.lastindex == 1 else _UNEXPLAINED_MARK
    return mark, max(match.end(), error.start + 1)


codecs.register_error(_LOST_CHAR, _lost_char)


class _Unexplained(Exception):
    """A character lost before the end of a line, no mark of loss there."""


_LOST_CHAR_OR_STOP = "textmend-lost-char-or-stop"


def _lost_char_or_stop(error: UnicodeError) -> tuple[str, int]:
    """As _lost_char, but a character lost unmarked before the last one stops the
    decoding (_Unexplained)."""
    mark, resume = _lost_char(error)
    if mark == _UNEXPLAINED_MARK and resume < len(error.object):  # type: ignore[attr-defined]
        raise _Unexplained
    return mark, resume


codecs.register_error(_LOST_CHAR_OR_STOP, _lost_char_or_stop)
