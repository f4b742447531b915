"""The search per line: which repairs a line has evidence for, and where text looks suspicious."""

from __future__ import annotations

from .base import (
    _CJK_LETTER,
    _CJK_RUN,
    _LATIN_RUN,
    CJK_SOURCES,
    CJK_TARGETS,
    LATIN_READ,
    LATIN_TARGETS,
    Fix,
    Kind,
    _latin_bytes,
)
from .cjk import (
    SHORT_RUN,
    _cjk_fixes,
    _cluster_pattern,
    _cross_cjk_fixes,
    _same_codec_elsewhere,
    _short_rare_pattern,
    _uncommon_pattern,
    _windowed_utf8_fixes,
    _with_mark,
)
from .dos import dos_line_fix
from .latin import _EUROPEAN_LETTER, _as_utf8, _latin_fixes, _whole_line_fix
from .lost import _lost_fixes
from .resync import KIND as RESYNC_KIND
from .resync import resync_fixes
from .sbcs import sbcs_line_fix


def find_fixes(
    text: str,
    lossy: str = "keep",
    hint: Kind | None = None,
    prefer: Kind | None = None,
    ends_text: bool = True,
) -> list[Fix]:
    """The repairs `text` (a line) has evidence for, left to right, not overlapping.

    `hint` is the kind other lines of the document were repaired as: what
    they showed is evidence here too, so a line of one short word follows them.
    `prefer` is the same, but only an order: that kind is looked for first, with
    the usual margins, and the others only if it is not found (cheaper on a
    document full of one kind). `ends_text`: no line follows this one.
    """
    resynced = resync_fixes(text, lossy, ends_text, hint == RESYNC_KIND)
    if resynced:
        return resynced  # the whole line explained: UTF-8 read as GBK, bytes lost
    if hint is not None:
        return _choose(_hinted_fixes(text, lossy, hint) + _lost_fixes(text, lossy))
    if prefer is not None:
        preferred = _preferred_fixes(text, lossy, prefer)
        if preferred:
            return _choose(preferred + _lost_fixes(text, lossy))
    if _CJK_LETTER.search(text):
        # No single-byte code page has a CJK letter: the line is no European UTF-8 and
        # none of the readings of the whole line (as Latin-1, a DOS page, or another
        # single-byte page: `_whole_line_fix`, `dos_line_fix`, `sbcs_line_fix`) can
        # encode it; its runs are searched, as below.
        fixes = _latin_fixes(text) + _suspected_cjk_fixes(text, lossy)
        return _choose(fixes + _lost_fixes(text, lossy))
    if _european_utf8(text):
        return []  # UTF-8 of European text read as cp1252: no CJK reading can be, ftfy's
    whole = _whole_line_fix(text) or dos_line_fix(text)
    if whole is not None:
        return [sbcs_line_fix(text, [whole]) or whole]
    fixes = _latin_fixes(text) + _cjk_fixes(text, lossy)
    fixes = _choose(fixes + _lost_fixes(text, lossy))
    # One single-byte code page read as another, where it reads better than the CJK.
    whole = sbcs_line_fix(text, fixes)
    return [whole] if whole is not None else fixes


def _suspected_cjk_fixes(text: str, lossy: str) -> list[Fix]:
    """`_cjk_fixes`, looked for only where the text looks like CJK mojibake at all: each
    run it searches must hold a cluster of uncommon characters or be a short run of
    them, and `cjk_suspect_at` finds the first of either in the text at regex speed
    (most lines that reach the search hold a Latin-1 letter among clean CJK text: a
    tone-marked pinyin annotation, `政務(wù)`)."""
    return _cjk_fixes(text, lossy) if cjk_suspect_at(text) is not None else []


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
                _with_mark(text, run), run.start(), lossy, (hint.wrong,), 0.0, 1, marks
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
            for fix in _windowed_utf8_fixes(
                _with_mark(text, run), run.start(), lossy, (kind.wrong,)
            )[0]
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
    """Where `text` first looks like CJK text read with a wrong CJK codec, if it does.

    Both shapes (a cluster of uncommon characters, a short run of them) hold uncommon
    characters: they are looked for from the first one on, and the short run (whose
    lookarounds the engine cannot skip by a first character) only from the first two
    close enough to stand in one run. Clean text holds few: one scan at regex speed."""
    lost = text.find("锟")
    if lost >= 0:
        return lost
    uncommon = _uncommon_pattern()
    first = uncommon.search(text)
    if first is None:
        return None
    match = _cluster_pattern().search(text, first.start())  # it starts with one
    if match is not None:
        return match.start()
    pair = _close_uncommon(text, first.start())
    if pair is None:
        return None
    # The run of the first match holds two uncommon characters SHORT_RUN - 1 apart or
    # closer (the first such pair of the text or a later one), and starts at most
    # SHORT_RUN - 1 before the first of them.
    match = _short_rare_pattern().search(text, max(0, pair - SHORT_RUN))
    return match.start() if match is not None else None


def _close_uncommon(text: str, start: int) -> int | None:
    """Where the first uncommon character from `start` on stands that has another at
    most SHORT_RUN - 1 characters after it."""
    previous = None
    for match in _uncommon_pattern().finditer(text, start):
        at = match.start()
        if previous is not None and at - previous < SHORT_RUN:
            return previous
        previous = at
    return None
