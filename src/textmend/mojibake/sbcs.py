"""Text of one single-byte code page read as another (issue 12): Hebrew (cp1255) or
Russian (cp1251) bytes read as cp1252/latin-1 (`ùìåí` is שלום, `Ïðèâåò` is Привет),
Hebrew read as KOI8-R (`ЫЛЕМ` is שלום), Russian in KOI8-R read as cp1251 (`рТЙЧЕФ` is
Привет) and in cp1251 read as KOI8-R (`оПХБЕР`).

A line (or a document) is read whole, strictly: every character one of the wrong code
page's, every byte one of the right one's, one character for one byte. The reading
must beat the text as it stands by MARGIN nats a line, the text being priced as the
cheapest of every alphabetic language the models know (French, Icelandic or Russian
text is its own reading), the reading in the target's languages. Both are priced
lower-cased (case is no evidence of a language: an all-capitals Russian heading read
as KOI8-R is lower-case Cyrillic) with the letters that start and end their words
(`ЫЛЕ` is no Russian word, `שלו` ends as Hebrew words do), and both by a capital after
a small letter inside a word (`ТоЕО` is Yiddish `פֿון` read as KOI8-R: no language
writes that). The reading is also priced by the rest of `langmodel.word_shape_cost`
(two alphabets in one word, a sign between letters): a prior against it only, as the
text's own signs between letters (`N×P`) may be meant.
"""

from __future__ import annotations

import re

from .. import langmodel
from .base import _LATIN_RUN, CJK_GROUPS, LATIN_READ, MARGIN, Fix, Kind, _wrong_bytes, apply_fixes
from .latin import _as_utf8, _is_utf8, _latin_fixes

CYRILLIC = ("cyrillic", "cyrillic_more")
HEBREW = ("hebrew", "hebrew_more")
# (wrong, target): the code page that read the bytes, and the one they were written in.
SBCS_READINGS = (
    (LATIN_READ, "cp1251"),
    (LATIN_READ, "cp1255"),
    ("koi8_r", "cp1255"),
    ("cp1251", "koi8_r"),
    ("koi8_r", "cp1251"),
)
SBCS_TARGETS = frozenset(target for _, target in SBCS_READINGS)
SBCS_GROUPS = {"cp1251": CYRILLIC, "koi8_r": CYRILLIC, "cp1255": HEBREW}
# What the text as it stands may be: any language but the CJK ones (which have no
# single-byte code page, and whose models price Latin letters as rare).
OWN_GROUPS = tuple(group for group in langmodel.GROUPS if group not in CJK_GROUPS)


def sbcs_cost(text: str, groups: tuple[str, ...]) -> float:
    """`text` under the cheapest of `groups`, case aside, its words' edges inside it
    priced (not those at its ends, which may be cut)."""
    return langmodel.score(text.lower(), groups, edges=True)[0]


def own_cost(text: str) -> float:
    """What the text as it stands costs as text: in its cheapest language, and by its
    capitals after a small letter inside a word, both non-ASCII (`ТоЕО`)."""
    return sbcs_cost(text, OWN_GROUPS) + langmodel.inner_capital_cost(text, after_ascii=False)


def _reading_cost(decoded: str, target: str) -> float | None:
    """What a reading costs in its target's languages, with its word shapes; None if it
    holds fewer than MIN_LETTERS letters of the target's alphabet (`N×P` is `N׳P` in
    cp1255, a sign for a sign: no evidence of Hebrew)."""
    if len(_ALPHABET_LETTER[target].findall(decoded)) < MIN_LETTERS:
        return None
    return sbcs_cost(decoded, SBCS_GROUPS[target]) + langmodel.word_shape_cost(decoded)


# Letters of the target's alphabet a reading needs: a Korean law's `N×5.6%×X + N×P×40%`
# read as cp1255 gains 40 nats by its five `×` becoming Hebrew geresh (a sign for a
# sign); three letters are half of the shortest samples bench_repair scores (6 characters).
MIN_LETTERS = 3
_CYRILLIC_LETTER = re.compile("[\u0400-\u045f\u0490-\u04ff]")
_ALPHABET_LETTER = {
    "cp1251": _CYRILLIC_LETTER,
    "koi8_r": _CYRILLIC_LETTER,
    "cp1255": re.compile("[\u05d0-\u05ea\u05f0-\u05f2]"),
}


def sbcs_reading(text: str, lines: int = 1) -> tuple[float, str, Kind] | None:
    """(cost, reading, kind) of the cheapest single-byte reading of `text` that beats
    the text as it stands by MARGIN nats a line; None if none does."""
    if text.isascii():
        return None
    best: tuple[float, str, Kind] | None = None
    for wrong, target in _readings_of(text):
        data = _wrong_bytes(text, wrong)
        if data is None:
            continue
        try:
            decoded = data.decode(target)
        except UnicodeDecodeError:
            continue
        if decoded == text or (wrong != LATIN_READ and _holds_utf8(data)):
            continue
        cost = _reading_cost(decoded, target)
        if cost is not None and (best is None or cost < best[0]):
            best = (cost, decoded, Kind(target, wrong))
    if best is None or best[0] + MARGIN * lines >= own_cost(text):
        return None
    return best


def _readings_of(text: str) -> tuple[tuple[str, str], ...]:
    """The readings to try on `text`: not cp1252/latin-1 ones where a run of Latin-1 is
    UTF-8 (`â€™`, CESU-8 emoji): that is ftfy's, whose repair comes after, and UTF-8
    is far likelier than a code page whose text happens to make it. (The other code
    pages are checked once their bytes are known: `_holds_utf8`.)"""
    if any(_is_utf8(run.group()) for run in _LATIN_RUN.finditer(text)):
        return tuple(pair for pair in SBCS_READINGS if pair[0] != LATIN_READ)
    return SBCS_READINGS


# Three high bytes at least: two are too often UTF-8 by chance in Cyrillic code pages,
# whose Ukrainian letters `і ї є` are continuation bytes in cp1251 (`Ні` is CD B3, `ͳ`).
_HIGH_BYTES = re.compile(b"[\x80-\xff]{3,}")


def _holds_utf8(data: bytes) -> bool:
    """Whether a run of high bytes in `data` is UTF-8 (`вЂ™` as cp1251 is `’`): ftfy's,
    as above; nor is the text's shape (`вЂ`, capitals inside a word) evidence of a
    single-byte reading then."""
    return any(_as_utf8(run.group()) for run in _HIGH_BYTES.finditer(data))


def sbcs_line_fix(line: str, cjk: list[Fix]) -> Fix | None:
    """The line as one single-byte code page read as another, if that reading is
    clearly better than the line, and than the line with its CJK repairs `cjk`
    (`ÖÐÎÄ ÄÚÈÝ` is 中文 内容, not ЦРОД ДЪИЭ; one run of Yiddish read as GBK, `ÔàÈñ`
    as 脏锐, is not the line's reading); None otherwise."""
    found = sbcs_reading(line)
    if found is None or _cjk_reads_better(line, found[0], cjk):
        return None
    _, decoded, kind = found
    return Fix(0, len(line), line, decoded, kind.how, kind.wrong, kind)


def _cjk_reads_better(line: str, cost: float, cjk: list[Fix]) -> bool:
    """Whether the line with its CJK repairs costs no more than `cost` + MARGIN."""
    if not cjk:
        return False
    read = apply_fixes(line, cjk)
    return langmodel.score(read.lower(), CJK_GROUPS + OWN_GROUPS)[0] <= cost + MARGIN


def sbcs_document(text: str, probe: str, sample: int) -> tuple[float, str, Kind] | None:
    """(cost of the sample as read, reading, kind): the whole of `text` as one
    single-byte code page read as another, strictly, if the probe line reads that way
    too (better than its runs of Latin-1 read as CJK, if they do) and the changed
    lines' first `sample` characters beat their text by MARGIN nats a line; None
    otherwise."""
    best: tuple[float, str, Kind] | None = None
    cjk: bool | None = None  # whether the probe's runs of Latin-1 read better as CJK
    for wrong, target in _readings_of(probe):
        if _wrong_bytes(probe, wrong) is None:
            continue  # the common case on clean text: a line rules the reading out
        if wrong == LATIN_READ:
            # A line's runs of Latin-1 may read as GBK where the whole document does not
            # decode (a no-break space between two): the probe line decides.
            if cjk is None:
                fixes, found = _latin_fixes(probe), sbcs_reading(probe)
                cjk = bool(fixes) and (found is None or _cjk_reads_better(probe, found[0], fixes))
            if cjk:
                continue
        data = _wrong_bytes(text, wrong)
        try:
            decoded = data.decode(target) if data is not None else None
        except UnicodeDecodeError:
            continue
        if decoded is None or decoded == text:
            continue
        if wrong != LATIN_READ and data is not None and _holds_utf8(data):
            continue
        pairs = zip(text.split("\n"), decoded.split("\n"), strict=True)
        changed = [(old, new) for old, new in pairs if old != new]
        old = "\n".join(o for o, _ in changed)[:sample]
        new = "\n".join(n for _, n in changed)[:sample]  # one character a byte: aligned
        lines = old.count("\n") + 1
        cost = _reading_cost(new, target)
        if cost is None or cost + MARGIN * lines >= own_cost(old):
            continue
        if best is None or cost < best[0]:
            best = (cost, decoded, Kind(target, wrong))
    return best
