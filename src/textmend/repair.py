"""Repair mojibake: text that was decoded with the wrong codec.

`textmend.mojibake` does the CJK cases that ftfy does not know, first, so that
ftfy never rewrites GBK-read-as-latin-1 into something no longer reversible;
then ftfy does the Latin cases, configured so that clean CJK text is never
touched: no width folding, no quote uncurling, no normalisation (with its
defaults ftfy changes 92 % of clean simplified-Chinese snippets). Only lines
that hold a character of single-byte mojibake and that ftfy's own badness
measure flags are handed to it, which is both faster and safer. Each round
undoes one layer; up to MAX_ROUNDS.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from . import hygiene, langmodel
from .lexicon import char_class
from .mojibake import (
    LATIN_READ,
    SINGLE_BYTE_SUSPECT,
    Fix,
    Kind,
    apply_fixes,
    cjk_suspect_at,
    document_reading,
    find_fixes,
    folded,
    latin_run_at,
    mentions,
    shared_ends,
    spare_clean_runs,
    suspicious,
)
from .options import LOSSY_POLICIES, Options
from .result import Change, Fixed

if TYPE_CHECKING:
    import ftfy

STAGE = "repair"

_SUSPECT = SINGLE_BYTE_SUSPECT


@lru_cache(maxsize=1)
def _config() -> ftfy.TextFixerConfig:
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )


MAX_ROUNDS = 3  # mojibake of mojibake: undone one layer a round
# A document's repairs are a hint for its other lines when there is at least one
# repaired line for every HINT_SHARE lines left.
HINT_SHARE = 4


def repair_mojibake(text: str, changes: list[Change] | None = None, lossy: str = "keep") -> str:
    """Undo wrong-codec decoding line by line, layer by layer: the CJK cases first,
    then ftfy's.

    `lossy` says what becomes of characters whose bytes are gone (`锟斤拷`):
    "keep" leaves them as they are, "mark" writes U+FFFD, "drop" removes them;
    every such span is reported either way.
    """
    if lossy not in LOSSY_POLICIES:
        raise ValueError(f"lossy must be one of {', '.join(LOSSY_POLICIES)}, not {lossy!r}")
    searched: set[int] | None = None  # every line
    for number in range(MAX_PASSES):
        found: list[Change] = []
        repaired = _repair_pass(text, found, lossy, searched)
        if changes is not None:
            # A later pass reports what it changes, not the kept `锟斤拷` again.
            changes += [c for c in found if number == 0 or c.before != c.after]
        if repaired == text:
            break
        # A line the pass left as it was holds no evidence the pass did not weigh: the
        # next pass searches the lines it changed (the document readings, at codec
        # speed, read every line again).
        searched = _changed_lines(text, repaired)
        text = repaired
    return text


def _changed_lines(before: str, after: str) -> set[int]:
    return {
        number
        for number, (old, new) in enumerate(
            zip(before.split("\n"), after.split("\n"), strict=True), 1
        )
        if old != new
    }


# What a pass leaves is the input of the next one: repair runs until its output
# holds no more evidence, so that its output is its own repair (idempotence). Of
# 10,000 of the property tests' mixtures (seeded), 9,545 changed in one pass, 6
# needed a second and none a third.
MAX_PASSES = 3


def _repair_pass(
    text: str, changes: list[Change] | None, lossy: str, searched: set[int] | None = None
) -> str:
    """One pass over the document: the whole-document readings, then line by line
    (the lines of `searched`, all if None)."""
    if text.isascii():
        return text
    probes = _suspects(text)
    if not probes:
        return text
    kinds: Counter[Kind] = Counter()  # characters repaired as each kind
    done: set[int] = set()  # lines repaired
    lines = _read_whole(text, probes, lossy, changes, kinds, done).split("\n")
    left: list[int] = []  # lines with non-ASCII text that no repair touched
    for number, line in enumerate(lines, 1):
        if line.isascii() or (searched is not None and number not in searched):
            continue
        if not (_SUSPECT.search(line) or suspicious(line)):
            if number not in done:
                left.append(number)
            continue
        # A line the document reading repaired that still looks wrong holds another
        # layer, or a second kind: searched too, as the next run would search it.
        found: list[Change] = []
        prefer = _dominant(kinds)
        last = number == len(lines)
        lines[number - 1] = _repair_line(
            line, number, found, lossy, prefer=prefer, kinds=kinds, ends_text=last
        )
        if changes is not None:
            changes += found
        if found:
            done.add(number)
        elif number not in done:
            left.append(number)
    hint = _dominant(kinds)
    if hint is not None and left and HINT_SHARE * len(done) >= len(left):
        # What the document showed on its other lines is evidence on these too,
        # where it showed it on a fair share of them (not one line among many).
        for number in left:
            last = number == len(lines)
            lines[number - 1] = _repair_line(
                lines[number - 1], number, changes, lossy, hint, ends_text=last
            )
    return "\n".join(lines)


def _suspects(text: str) -> list[int]:
    """Where `text` first looks like single-byte mojibake, and where like CJK mojibake:
    the lines a document reading is probed on (a Latin accent of clean text must
    not hide a line of CJK mojibake below it)."""
    cjk = cjk_suspect_at(text)  # once (`suspect_at` would look for it again)
    single_byte = _SUSPECT.search(text)
    first = single_byte.start() if single_byte is not None else latin_run_at(text)
    if first is None:
        first = cjk
    return list(dict.fromkeys(p for p in (first, cjk) if p is not None))


def _dominant(kinds: Counter[Kind]) -> Kind | None:
    """The kind of mojibake most of the document's repairs so far were (a tie: the
    kind found first)."""
    return max(kinds, key=kinds.__getitem__) if kinds else None


def _read_whole(
    text: str,
    probes: list[int],
    lossy: str,
    changes: list[Change] | None,
    kinds: Counter[Kind],
    done: set[int],
) -> str:
    """Whole-document readings, a layer a round: the lines each changes that look
    like mojibake by themselves are repaired at codec speed (and marked done); the
    others keep their text for the search per line, with the reading as its hint."""
    for round_ in range(MAX_ROUNDS):
        # Bytes are lost by the last wrong decoding only: the outer layer.
        policy = lossy if round_ == 0 else None
        reading = next(
            (r for p in probes if (r := document_reading(text, p, policy)) is not None), None
        )
        if reading is None:
            break
        lines = text.split("\n")
        for number, (line, read, how) in enumerate(
            zip(lines, reading.lines, reading.hows, strict=True), 1
        ):
            if line == read or not (_SUSPECT.search(line) or suspicious(line)):
                continue
            read = spare_clean_runs(line, read, reading)
            if read == line:
                continue
            lines[number - 1] = read
            done.add(number)
            kinds[reading.kind] += len(line)
            if changes is not None:
                before, after = _differing(line, read)
                changes.append(Change(STAGE, number, before, after, f"mojibake: {how}"))
        repaired = "\n".join(lines)
        if repaired == text:
            break
        text = repaired
        probes = _suspects(text)  # another layer, if anything still looks wrong
        if not probes:
            break
    return text


def _differing(before: str, after: str) -> tuple[str, str]:
    """The two strings without the text they share at both ends."""
    head, tail = shared_ends(before, after)
    return before[head : len(before) - tail], after[head : len(after) - tail]


def _repair_line(
    line: str,
    number: int,
    changes: list[Change] | None,
    lossy: str,
    hint: Kind | None = None,
    prefer: Kind | None = None,
    kinds: Counter[Kind] | None = None,
    ends_text: bool = True,
) -> str:
    """Repair one line, up to MAX_ROUNDS layers; `kinds` counts the characters
    repaired as each kind; `ends_text`: no line follows it (what a decoder's mark at
    its end stands for)."""
    if folded.shows_folding(line):
        # Only by folding back: the search on folded text finds false readings (a
        # `1⁄2` is no byte of any codec, and the runs around it read as anything).
        repaired = _repair_folded(line, number, changes, lossy, kinds)
        return line if repaired is None else repaired
    for _ in range(MAX_ROUNDS):
        repaired = line
        fixes = find_fixes(repaired, lossy, hint, prefer, ends_text)
        fixes = _not_mentioned(line, fixes)
        if kinds is not None:
            for fix in fixes:
                if fix.kind is not None:
                    kinds[fix.kind] += len(fix.before)
        if fixes:
            if changes is not None:
                changes += [
                    Change(STAGE, number, fix.before, fix.after, f"mojibake: {fix.how}")
                    for fix in fixes
                ]
            repaired = apply_fixes(repaired, fixes)
        repaired = _repair_latin(repaired, number, changes)
        if repaired == line:
            break
        line = repaired
        if not (_SUSPECT.search(line) or suspicious(line)):
            break  # nothing left that could be another layer
    return line


def _repair_folded(
    line: str,
    number: int,
    changes: list[Change] | None,
    lossy: str,
    kinds: Counter[Kind] | None,
) -> str | None:
    """A line of mojibake that was NFKC-normalised afterwards (`ä1⁄2 å¥1⁄2`): its
    compatibility forms folded back (`textmend.mojibake.folded`), then repaired as
    any line: as UTF-8, and unless that repairs it whole as UTF-8 (whose structure
    is the evidence), as the double-byte code page it reads best in (of those the
    first way's repair read some of it as, if any). Taken only where that repairs
    the whole line (`_repairs_whole`), the cheapest such repair in the language
    models where both ways do; else None, and the line is left as it is."""
    tried: list[_Unfolded] = []
    first = folded.unfold(line)
    codecs: tuple[str, ...] = folded.DOUBLE_BYTE
    if not folded.shows_folding(first):  # else a Greek mu UTF-8 did not want
        found = _repair_unfolded(first, number, lossy)
        targets = {kind.target for kind in found.kinds}
        if found.whole and targets == {"utf-8"}:
            codecs = ()
        codecs = tuple(codec for codec in codecs if codec in targets) or codecs
        tried.append(found)
    second = folded.unfold_double_byte(line, codecs) if codecs else None
    if second is not None and second != first:
        tried.append(_repair_unfolded(second, number, lossy))
    whole = [found for found in tried if found.whole]
    if not whole:
        return None
    best = min(whole, key=lambda found: found.cost)
    if changes is not None:
        reason = "mojibake normalised with NFKC: compatibility forms folded back"
        changes += [Change(STAGE, number, line, best.unfolded, reason), *best.changes]
    if kinds is not None:
        kinds.update(best.kinds)
    return best.repaired


@dataclass(frozen=True)
class _Unfolded:
    """A folded line folded back one way, and repaired."""

    unfolded: str
    repaired: str
    whole: bool  # repaired whole (`_repairs_whole`)
    cost: float  # of the repair, in the language models
    changes: list[Change]
    kinds: Counter[Kind]


def _repair_unfolded(unfolded: str, number: int, lossy: str) -> _Unfolded:
    """The line folded back one way, repaired."""
    changes: list[Change] = []
    kinds: Counter[Kind] = Counter()
    repaired = _repair_line(unfolded, number, changes, lossy, kinds=kinds)
    whole = _repairs_whole(unfolded, repaired)
    cost = langmodel.score(repaired, langmodel.GROUPS)[0] if whole else 0.0
    return _Unfolded(unfolded, repaired, whole, cost, changes, kinds)


def _repairs_whole(unfolded: str, repaired: str) -> bool:
    """Whether a line folded back was repaired whole: no folding, no run of Latin-1,
    nothing ftfy's badness measure flags is left."""
    from ftfy.badness import is_bad

    return not (
        repaired == unfolded
        or folded.shows_folding(repaired)
        or latin_run_at(repaired) is not None
        or is_bad(repaired)
    )


def _not_mentioned(line: str, fixes: list[Fix]) -> list[Fix]:
    """The fixes less those of mojibake quoted on purpose (`mentions`)."""
    if not fixes:
        return fixes
    changed = [(f.start, f.end) for f in fixes]
    quoted = {wrong: mentions(line, wrong, changed) for wrong in {f.wrong for f in fixes}}
    return [f for f in fixes if not any(a <= f.start and f.end <= b for a, b in quoted[f.wrong])]


def _repair_latin(line: str, number: int, changes: list[Change] | None) -> str:
    """ftfy, on a line that holds a character of single-byte mojibake and that ftfy's
    own badness measure flags; around quoted mojibake (`mentions`), not inside it."""
    from ftfy import fix_and_explain

    if not _SUSPECT.search(line) or not _is_bad(line):
        return line
    quoted = sorted((a, b) for a, b in mentions(line, LATIN_READ, []) if _SUSPECT.search(line[a:b]))
    pieces, steps, last = [], [], 0
    for start, end in [*quoted, (len(line), len(line))]:
        if start < last:
            continue  # inside a quote already kept (quotes of two kinds may nest)
        fixed, piece_steps = fix_and_explain(line[last:start], config=_config())
        pieces += [fixed, line[start:end]]
        steps += piece_steps or []
        last = end
    fixed = "".join(pieces)
    if fixed != line and changes is not None:
        how = ", ".join(f"{action} {arg}" for action, arg in steps)
        changes.append(Change(STAGE, number, line, fixed, f"mojibake ({how})"))
    return fixed


# --- ftfy's badness measure, tried only where it can match ---------------------------

# Characters no match of ftfy's BADNESS_RE needs: ASCII, and the CJK letters and
# punctuation its classes never hold (a Han character only fills its `\w`).
_NEVER_NEEDED = (
    "\x00-\x7f\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
)
_NEVER_NEEDED_SET = re.compile(f"[{_NEVER_NEEDED}]")
# Longest BADNESS_RE match this windowing accepts (ftfy 6.3's is 7 characters).
MAX_BAD_WIDTH = 16


def _is_bad(line: str) -> bool:
    """ftfy's `is_bad(line)`, its regex (some 40 alternatives, none starting with a
    literal, so tried at every position: 0.17 us a character) run only on windows
    where a match can be: every match needs two characters outside `_NEVER_NEEDED`
    at most its width apart, or one of the few that match alone (`_badness_shape`
    proves it of the installed ftfy). A tone-marked pinyin annotation among Chinese
    text, `政務(wù)`, holds one such character, and the search skips it."""
    from ftfy.badness import BADNESS_RE, is_bad

    shape = _badness_shape()
    if shape is None:
        return is_bad(line)
    width, candidates = shape
    windows: list[list[int]] = []
    for match in candidates.finditer(line):
        # A match holding this character (and the next one) starts and ends in here.
        at = match.start()
        start = max(0, at - width + 1)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = at + width
        else:
            windows.append([start, at + width])
    return any(BADNESS_RE.search(line, start, end) for start, end in windows)


@cache
def _badness_shape() -> tuple[int, re.Pattern[str]] | None:
    """(the width of BADNESS_RE's longest match, where one may be: a character that
    alone can make one, or one outside `_NEVER_NEEDED` with another close after it)
    where the installed ftfy's pattern has the shape `_is_bad` relies on: each
    alternative needs two characters outside `_NEVER_NEEDED` (ftfy 6.3's: side by
    side), or one, whose characters are then looked for alone; no lookaround, no
    anchor but `^`, a bounded width. None otherwise (`_is_bad` runs ftfy's search)."""
    from ftfy.badness import BADNESS_RE

    from .lexicon import sre_parse as sre

    parsed = sre.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    width = parsed.getwidth()[1]
    branches = [list(parsed)]
    if len(parsed) == 1 and parsed[0][0] is sre.BRANCH:
        branches = [list(branch) for branch in parsed[0][1][1]]
    alone: set[str] = set()
    reach = 1  # the farthest apart the two closest needed characters of a match may be
    try:
        for branch in branches:
            needed = [i for i, (op, value) in enumerate(branch) if _needed_chars(op, value)]
            if not needed:
                return None
            if len(needed) == 1:
                alone.update(_needed_chars(*branch[needed[0]]) or ())
                continue
            between = (
                sre.SubPattern(parsed.state, branch[a + 1 : b]).getwidth()[1]
                for a, b in itertools.pairwise(needed)
            )
            reach = max(reach, 1 + min(between))
    except _Unsupported:
        return None
    if width > MAX_BAD_WIDTH:
        return None
    outside = f"[^{_NEVER_NEEDED}]"
    pair = f"{outside}(?=.{{0,{reach - 1}}}{outside})"
    return width, re.compile(f"[{char_class(alone)}]|{pair}" if alone else pair, re.DOTALL)


class _Unsupported(Exception):
    """A node of the pattern whose matches windows could change (a lookaround, `$`)."""


def _needed_chars(op: object, value: Any) -> frozenset[str] | None:
    """The characters a node of a parsed alternative must match, where it must match
    one and all are outside `_NEVER_NEEDED`; None where it may match ASCII, or nothing."""
    from .lexicon import sre_parse as sre

    if op is sre.LITERAL:
        return _outside({chr(value)})
    if op is sre.IN:
        chars: set[str] = set()
        for item, argument in value:
            if item is sre.LITERAL:
                chars.add(chr(argument))
            elif item is sre.RANGE and argument[1] - argument[0] < MAX_RANGE:
                chars.update(map(chr, range(argument[0], argument[1] + 1)))
            else:
                return None  # a category, a negated class, a wide range: may be ASCII
        return _outside(chars)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _, inner = value
        needed = [_needed_chars(o, v) for o, v in inner]
        return needed[0] if low >= 1 and len(needed) == 1 else None
    if op is sre.AT and value is sre.AT_BEGINNING:
        return None  # (`search(line, start)` matches it at 0 only, as the whole search)
    if op in (sre.ANY, sre.NOT_LITERAL):
        return None
    raise _Unsupported(op)


MAX_RANGE = 4096  # characters of a class range enumerated (ftfy's widest: 80)


def _outside(chars: set[str]) -> frozenset[str] | None:
    """The characters if none is in `_NEVER_NEEDED`, else None."""
    if any(_NEVER_NEEDED_SET.match(char) for char in chars):
        return None
    return frozenset(chars)


def fix(text: str, options: Options) -> Fixed:
    """The pipeline's step (`textmend.pipeline.Stage`). A NEL left after repair is a
    line end (`textmend.hygiene`), and the lines it parts are new lines to repair, as
    the next run would see them."""
    changes: list[Change] = []
    repaired = repair_mojibake(text, changes, options.lossy)
    if "\x85" in repaired:
        parted = hygiene.line_ends(repaired, hygiene.NEL, changes, "NEL")
        repaired = repair_mojibake(parted, changes, options.lossy)
    return Fixed(repaired, changes)
