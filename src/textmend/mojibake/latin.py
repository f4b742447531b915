"""Legacy CJK or UTF-8 bytes read as latin-1 / cp1252 (`ÖÐÎÄ`, `¤¤¤å`, `å¹´`)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .. import langmodel
from .base import (
    _CJK_LETTER,
    _HIGH,
    _LATIN_1,
    _LATIN_RUN,
    _NOT_A_LEAD,
    ASCII_LETTER_COST,
    LATIN_READ,
    LATIN_TARGETS,
    MARGIN,
    OWN_GROUPS,
    PLAUSIBLE_PER_CJK,
    TARGET_GROUPS,
    Fix,
    Kind,
    _latin_bytes,
)


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


def _cheapest_reading(
    span: str, pairs: list[tuple[str, str]], letters_needed: int = 0
) -> tuple[float, str, Kind] | None:
    """The cheapest plausible reading of `span` as `target` bytes read as `wrong`, of
    each (wrong, target) of `pairs`, strictly both ways: (cost, reading, kind).
    `letters_needed`: fewer CJK characters than that, or CJK stuck inside Latin
    words, is no reading."""
    best: tuple[float, str, Kind] | None = None
    for wrong in dict.fromkeys(wrong for wrong, _ in pairs):
        try:
            data = span.encode(wrong)
        except UnicodeEncodeError:
            continue
        for target in (t for w, t in pairs if w == wrong):
            try:
                decoded = data.decode(target)
            except UnicodeDecodeError:
                continue
            if letters_needed:
                letters = len(_CJK_LETTER.findall(decoded))
                if letters < letters_needed or 2 * len(_GLUED_LETTER.findall(decoded)) > letters:
                    continue
            cost = _plausible_cjk_cost(decoded, TARGET_GROUPS[target])
            if cost is not None and (best is None or cost < best[0]):
                best = (cost, decoded, Kind(target, wrong))
    return best


MIN_CJK_GLUED = 3  # CJK characters a repair needs when Latin letters touch the span
