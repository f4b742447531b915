"""UTF-8 or another CJK codec read as a CJK codec (`鍙戝竷`, Big5 read as GBK)."""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cache, cached_property
from itertools import accumulate

from .. import langmodel
from ..lexicon import char_class, entries
from .base import (
    _CJK_RUN,
    CJK_GROUPS,
    CJK_SOURCES,
    CJK_TARGETS,
    MARGIN,
    PLAUSIBLE_PER_CJK,
    TARGET_GROUPS,
    Fix,
    Kind,
)
from .latin import _cheapest_reading, _plausible_cjk_cost
from .lost import _GONE, WINDOWS_GBK, _encode_lossy


def _cjk_fixes(text: str, lossy: str) -> list[Fix]:
    """Repairs in the runs of CJK text where characters no table knows cluster, or
    that are short and made of uncommon characters."""
    cluster, short = _cluster_pattern(), _short_rare_pattern()
    fixes: list[Fix] = []
    cross: list[Fix] = []
    for run in _CJK_RUN.finditer(text):
        if cluster.search(run.group()) or short.fullmatch(run.group()):
            found, searched = _windowed_utf8_fixes(_with_mark(text, run), run.start(), lossy)
            fixes += found
            if _covered(found) < MOSTLY * searched:
                cross += _cross_cjk_fixes(run.group(), run.start())
    if fixes:
        # A line that shows UTF-8 read as one codec: its other runs are read the same
        # way wherever that reads better at all (`頃挫瀯` among repaired words).
        source = fixes[0].wrong
        taken = [(f.start, f.end) for f in fixes]
        # Where bytes were lost, a run is read as one on its own: two whole characters
        # and the margin (one character and no margin: `銇時`, a character left and a
        # clean-looking one with an ASCII trail byte, read as `さr`).
        margin, min_whole = (MARGIN, 2) if any(f.lost for f in fixes) else (0.0, 1)
        for run in _CJK_RUN.finditer(text):
            if not any(a < run.end() and run.start() < b for a, b in taken):
                marked = _with_mark(text, run)
                fixes += _windowed_utf8_fixes(
                    marked, run.start(), lossy, (source,), margin, min_whole, _uncommon_pattern()
                )[0]
        fixes += _lone_marked(text, source, lossy)
    if any(f.lost for f in fixes):
        # A line of UTF-8 read as GBK with bytes lost: its other runs are more of the
        # same, cut where bytes went, never another codec's text (`靻岆毽晞`, Korean
        # with a byte gone, read as Big5 read as GBK, is `渑是贩便`).
        cross = []
    if cross:
        cross += _same_codec_elsewhere(text, cross, {(f.start, f.end) for f in fixes + cross})
    return fixes + cross


def _lone_marked(text: str, source: str, lossy: str) -> list[Fix]:
    """A lone character cut short before Windows' `?` (`鍦?` is 在 and a byte after it),
    on a line that shows UTF-8 read as GBK elsewhere: two characters lost. Alone it is
    no evidence (it holds no whole character), so only here."""
    if source != "gb18030":
        return []
    fixes = []
    for match in _LONE_MARKED.finditer(text):
        data = _encode_lossy(match.group(1), source)
        if re.fullmatch(_MARKED, data + b"?"):
            lost = Fix(match.start(), match.end(), match.group(), "\ufffd\ufffd", "")
            fixes.append(_with_policy(lost, lossy, source))
    return fixes


_LONE_MARKED = re.compile("(?<![^\\x00-\\x7f\\s])([^\\x00-\\x7f\\s])\\?")


def _with_mark(text: str, run: re.Match[str]) -> str:
    """A run and the `?` right after it, if there is one: a Windows decoder's mark for
    a pair it could not read, a character's last byte and the byte after it (`鍦?` is
    在 and the space after it). Only a character cut short before it makes it one."""
    end = run.end()
    return text[run.start() : end + 1] if text.startswith("?", end) else run.group()


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
    """A CJK character that no table prices at RARE_PER_CHAR nats or less (the others
    are listed in data/common_cjk.txt, built from the tables by
    scripts/build_common_cjk.py: loading the tables here cost a process 46 ms)."""
    common = "".join(entries("common_cjk.txt"))
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
    if "gb18030" in sources and _WINDOWS_OWN_CHARS.search(run):
        # `€` is 0x80 as Windows reads GBK (GB18030's A2 E3 is rarer in UTF-8: tried after)
        sources = (WINDOWS_GBK, *sources)
    for source in sources:
        if fixes and (_covered(fixes) >= MOSTLY * len(run) or _explained_run(run, offset, fixes)):
            break  # one codec explains the run: the others need not be tried
        try:
            data = _encode_lossy(run, source)
        except UnicodeEncodeError:
            continue
        if not _CJK_IN_UTF8.search(data):
            continue  # a repair reads as CJK text: three-byte characters (cheap, at C speed)
        bounds = _CharBounds(run, source)  # (computed on first use)
        stretches = _Utf8Stretches(data, cut_short=True, bounds=bounds)
        if stretches.search(0, min_whole) is None:
            continue  # (cheap: most runs hold no UTF-8 stretch in most codecs)
        found = _stretch_fixes(run, offset, data, bounds, stretches, source, min_whole, margin)
        if stretches.cut_short_taken:
            # Where a stretch with a character cut short did not read well, the same
            # bytes without it may (a span of mojibake beside clean text).
            plain = _Utf8Stretches(data, cut_short=False, tokens=stretches.tokens)
            taken = [(f.start, f.end) for f in found]
            more = _stretch_fixes(run, offset, data, bounds, plain, source, min_whole, margin)
            found += [f for f in more if not any(a < f.end and f.start < b for a, b in taken)]
        kind_source = "gb18030" if source == WINDOWS_GBK else source  # GBK all the same
        fixes += [_with_policy(fix, lossy, kind_source) for fix in found]
    return fixes


_WINDOWS_OWN_CHARS = re.compile("[\u20ac\x80]")


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
# Two characters that lost the pair of bytes between them, no mark left (a pair
# Windows reads as a private-use character, stripped since; a pair dropped): the
# first's lead and continuation byte, then the second's last two. `鍙仛` is E5 8F 81
# 9A, 只做 without AA E5: the whole character E5 8F 81 (叁) it seems to hold is
# none, and reading it would invent one. (A pair of a lead and its continuation byte
# is a valid GBK character: never the pair lost.)
# A gap is taken only where the run's characters allow it (`_run_tokens` reads a whole
# one and clean GBK text after it otherwise: mixed UTF-8-as-GBK lines fell from 99
# to 42-50 % when every gap was taken).
_GAP = rb"[\xe0-\xef][\x80-\xbf]{3}"
# A character cut short before `?`, Windows' mark for a pair it could not read: the
# character's last byte and the byte after it, an ASCII byte below 0x40 (`鍦?` is 在
# and the space after it; `銆?)` is 。 and a quote: the line lost its quote).
_MARKED = rb"[\xe0-\xef][\x80-\xbf]\?"
_CUT = rb"[\xc2-\xf4][\x80-\xbf]{0,2}(?=[\x40-\x7e]|$)"
# A character cut short by the next one's lead byte: its other bytes were dropped
# (a GBK decoder told to ignore what it could not read leaves no mark).
_CUT_SHORT = rb"[\xc2-\xf4][\x80-\xbf]{0,2}(?=[\xc2-\xf4])"
# A run of UTF-8 tokens: whole characters and characters with bytes gone (0xFF, or
# cut short), a whole character tried first. One token at a time, no backtracking: a
# regex that counted the whole characters itself (`(?:GONE|CHAR)*CHAR(?:GONE|CHAR)*CHAR`)
# split a run of 0xFF in exponentially many ways before it failed.
_UTF8_RUN = re.compile(rb"(?:%s|%s|%s|%s|%s)+" % (_GAP, _CHAR, _GONE, _MARKED, _CUT_SHORT))
_UTF8_RUN_TOKEN = re.compile(rb"(%s)|(%s)|(%s|%s)|(%s)" % (_GAP, _CHAR, _GONE, _MARKED, _CUT_SHORT))
# The same tokens but a gap (its group never matches): where a gap would not be two
# whole characters of the run, its bytes are a whole character and what follows.
_UTF8_RUN_TOKEN_NO_GAP = re.compile(
    rb"((?!))|(%s)|(%s|%s)|(%s)" % (_CHAR, _GONE, _MARKED, _CUT_SHORT)
)
# The token's kind: the group that matched it (a gap first: its bytes start a whole one).
_GAP_TOKEN, _WHOLE_TOKEN, _CUT_SHORT_TOKEN = 1, 2, 4
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
        self,
        data: bytes,
        cut_short: bool,
        tokens: list[list[re.Match[bytes]]] | None = None,
        bounds: _CharBounds | None = None,
    ) -> None:
        self.data = data
        self.ends: list[int] = []  # of each run, a cut character included
        self.runs: list[tuple[list[int], list[int], int]] = []
        self.cut_short_taken = False  # whether a run holds a character cut short
        if tokens is None:
            tokens = [
                piece
                for run in _UTF8_RUN.finditer(data)
                # (cheap, at C speed: no stretch of a run without one can read as CJK)
                if _CJK_IN_UTF8.search(data, run.start(), run.end())
                for piece in _run_tokens(data, run.start(), run.end(), bounds)
            ]
        self.tokens = tokens
        for run_tokens in tokens:
            for piece in _between_cuts(run_tokens, cut_short):
                if any(_is_cjk_char(t) for t in piece):
                    self.cut_short_taken |= any(t.lastindex in _SHORT_TOKENS for t in piece)
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


def _run_tokens(
    data: bytes, start: int, end: int, bounds: _CharBounds | None
) -> list[list[re.Match[bytes]]]:
    """A run's tokens, split where a byte is no token. A gap is a pair of bytes lost
    where the pair's first byte was a GBK lead: the lead and continuation byte before
    it were a pair, and the gap starts a character of the run (E5 8F 81 9A is `鍙仛`;
    its end need not be one: `鍙€夛` is E5 8F 80 89 EF). Elsewhere it is a whole
    character and the first byte of clean GBK text after it (`銇︺亜る` is E3 81 A6 E3
    81 84 A4 EB A1 A3, the gap from the fourth byte: い then る, read as a gap and
    `롣`: bench_repair's CJK codec kinds fell from 99.6/99.7 to 99.4/99.5 %)."""
    pieces: list[list[re.Match[bytes]]] = [[]]
    position = start
    while position < end:
        token = _UTF8_RUN_TOKEN.match(data, position, end)
        if (
            token is not None
            and token.lastindex == _GAP_TOKEN
            and not (bounds is None or bounds.holds(token.start()))
        ):
            token = _UTF8_RUN_TOKEN_NO_GAP.match(data, position, end)
        if token is None:
            pieces.append([])
            position += 1
        else:
            pieces[-1].append(token)
            position = token.end()
    return [piece for piece in pieces if piece]


def _between_cuts(tokens: list[re.Match[bytes]], cut_short: bool) -> list[list[re.Match[bytes]]]:
    """A run of tokens split at each character cut short (all of them unless
    `cut_short`) that does not stand between two whole CJK ones (three bytes or
    more): a character is taken as lost only where the text around it is whole
    UTF-8 CJK text, not at a stretch's edge (`发布` then GBK `新闻`, D0 C2 CE C5) nor
    beside a two-byte character that clean GBK text gives by chance (`内对` is
    C4 DA B6 D4: a cut C4, `ڶ`, a cut D4)."""
    pieces: list[list[re.Match[bytes]]] = [[]]
    for index, token in enumerate(tokens):
        gap = token.lastindex == _GAP_TOKEN
        if (gap or token.lastindex == _CUT_SHORT_TOKEN) and not (
            cut_short and _flanked(tokens, index)
        ):
            pieces.append([])
        else:
            pieces[-1].append(token)
    return [piece for piece in pieces if piece]


def _flanked(tokens: list[re.Match[bytes]], index: int) -> bool:
    """Whether whole characters of three bytes or more stand next to the token on both
    sides, as the text around a character taken for lost must be."""
    left = index > 0 and _is_wide_char(tokens[index - 1])
    # (Windows' `?` after it marks the bytes gone too: `姝ラ銆?` is 步骤。 and a byte.)
    right = index < len(tokens) - 1 and (
        _is_wide_char(tokens[index + 1]) or tokens[index + 1].group().endswith(b"?")
    )
    return left and right


_SHORT_TOKENS = (_GAP_TOKEN, _CUT_SHORT_TOKEN)  # characters with bytes gone, no mark


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
        self.run, self.codec = run, codec

    @cached_property
    def offsets(self) -> list[int]:
        return list(accumulate(map(_sizes(self.codec).__getitem__, self.run), initial=0))

    def holds(self, offset: int) -> bool:
        """Whether a character of the run starts or ends at the byte offset."""
        return self.get(offset) is not None

    def get(self, offset: int) -> int | None:
        index = bisect.bisect_left(self.offsets, offset)
        return index if index < len(self.offsets) and self.offsets[index] == offset else None


class _Sizes(dict[str, int]):
    """Each character's size in bytes in one codec, as `_encode_lossy` writes it."""

    def __init__(self, codec: str) -> None:
        super().__init__()
        self.codec = codec

    def __missing__(self, char: str) -> int:
        size = self[char] = 1 if char == "\ufffd" else len(_encode_lossy(char, self.codec))
        return size


@cache
def _sizes(codec: str) -> _Sizes:
    return _Sizes(codec)


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
        if char == "?":
            break  # the mark of a pair lost (`_MARKED`), not text
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
    if lost:
        # With bytes gone only characters of three bytes count: a two-byte one is
        # what a lead byte and the byte after a loss give by chance (`銇る�司�`, a
        # repair's own output and a character it left, is `つ�˾�` read again).
        whole = sum(1 for char in decoded if "\u0800" <= char != "\ufffd")
    if whole < (1 if one_will_do else 2):
        return None
    limit = UTF8_PER_CJK if whole >= 2 else PLAUSIBLE_PER_CJK  # one character: a common one
    cost = _plausible_cjk_cost(decoded.replace("\ufffd", ""), CJK_GROUPS, limit)
    if cost is None:
        return None
    created = _ascii_count(decoded) - _ascii_count(span)
    if cost + LOST_COST * lost + CREATED_ASCII_COST * created + margin >= _own_cost(span):
        return None
    return Fix(offset + start, offset + start + length, span, decoded, "")


# An ASCII character a reading makes of a trail byte (`繝？` is E3 83 81 48, `チH`) is
# not free as the models price ASCII (every reading of the same bytes shares it): a
# Latin letter after a CJK character costs 5.2 nats and which letter it is 4.0 (the
# class costs measured for `folded`, on the lines of zh_hans_wiki's tuning half).
CREATED_ASCII_COST = 9.0


def _ascii_count(text: str) -> int:
    return len(text.encode("ascii", "ignore"))


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
        read = "".join(
            token.group().decode("utf-8")
            if token.lastindex == 2
            else "\ufffd" * (_gone_count(token.group()) if token.lastindex == 3 else 1)
            if token.lastindex != 1
            else "\ufffd\ufffd"
            for token in _UTF8_TOKEN.finditer(data)
        )
    except UnicodeDecodeError:
        return None
    # No text holds a code point not assigned, nor one for private use (`぀` is E3 81
    # 80: a byte lost before Windows' 0x80, `銇€`).
    if any(unicodedata.category(char) in _NO_TEXT for char in read if char > "\x7f"):
        return None
    return read


_NO_TEXT = ("Cn", "Co")


_UTF8_TOKEN = re.compile(
    rb"(%s|%s)|(%s|[\x00-\x7f])|(%s)|([\xc2-\xf4][\x80-\xbf]{0,2})" % (_GAP, _MARKED, _CHAR, _GONE)
)


def _gone_count(token: bytes) -> int:
    """The characters a token with bytes marked gone (0xFF) stood for: two where the
    bytes left are more than its first character holds (E5 8F FF 81 9A is 只做, the
    pair between them read as one U+FFFD by Windows), else one."""
    lead = token[0]
    if lead == 0xFF:
        return 1
    size = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    return 2 if len(token) - token.count(0xFF) >= size else 1


def _with_policy(fix: Fix, lossy: str, source: str) -> Fix:
    kind = Kind("utf-8", source)
    how = kind.how
    lost = fix.after.count("\ufffd")
    after = fix.after
    if lost:
        how += f"; {lost} characters with bytes gone, --lossy {lossy}"
        if lossy == "drop":
            after = after.replace("\ufffd", "")
    return Fix(fix.start, fix.end, fix.before, after, how, source, kind, lost)


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
    best = _cheapest_reading(span, pairs)
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
