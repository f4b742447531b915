"""Restore Chinese script: undo machine simplified-to-traditional conversion.

The spam family this targets (docs/measurements.md, "Script restoration";
shared/notes/pinyin-spam.md) runs a simplified article through a one-to-one
table into traditional, appends the pinyin of many characters (`政務(wù)`) by
byte replacement on GBK, and leaves `以?xún)?nèi)容`-style artefacts where a
replacement straddled two characters.

Each block (line) is judged on evidence, and the decision is reported:
the document's pinyin annotations (enough of them, nearly all on characters
that differ between the scripts and equal to one of their readings, at a
plausible density) or a byte artefact that rebuilds; or the origin signal of
a one-to-one table, which leaves 于/并/么 standing where genuine traditional
text writes 於/並/麼. A block that writes 於, 後, 裡 ... is genuine traditional
text and is never touched. Only machine-converted blocks are converted back,
with OpenCC `tw2s` plus the fixes measured to beat it; genuine traditional
text and genuine pinyin (textbooks, dictionaries) carry no such evidence.
"""

from __future__ import annotations

import codecs
import importlib.util
import json
import re
import sys
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .lexicon import char_class, count_matches, entries, words
from .options import Options
from .result import Change, Fixed

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    import opencc

STAGE = "script"

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_HAN = re.compile(HAN)
_VOWEL = "aeiouüvAEIOUÜVāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜêếềɑ"
# One syllable: an initial, one to three vowels, a nasal or r; or a syllabic m/n.
# (Latin words in parentheses, `山(Vulcan)`, are no annotation.)
_PINYIN = (
    rf"(?:(?:[zcsZCS][hH]|[bpmfdtnlgkhjqxrzcsywɡBPMFDTNLGKHJQXRZCSYW])?[{_VOWEL}]{{1,3}}"
    rf"(?:ng|n|r)?|[ḿńňǹmnMN]g?)[1-5]?"
)
_ANNOTATION = re.compile(rf"({HAN})([(（])({_PINYIN})([)）])")
# `_ANNOTATION`'s matches found from their parenthesis, a literal the engine skips to
# (each match but its first character: an annotation holds no Han character, so they
# are the same matches): with the character and the reading; the parentheses and reading.
_ANNOTATION_PAIR = re.compile(rf"[(（](?<=({HAN})[(（])({_PINYIN})[)）]")
_ANNOTATION_READING = re.compile(rf"[(（](?<={HAN}[(（]){_PINYIN}[)）]")
_NOT_HAN = re.compile(f"[^{HAN[1:-1]}]+")
_ARTEFACT = re.compile(rf"[?\ufffd]({_PINYIN})\)")
# Cheap first look for anything like `(pinyin)`: letters before a closing parenthesis.
_READING = re.compile(rf"[a-zA-Z{_VOWEL}ḿńňǹɡ][1-5]?[)）]")
# An artefact, an annotation, or the run of text up to the next one (a line is not walked
# in Python one character at a time).
_TOKEN = re.compile(
    rf"{_ARTEFACT.pattern}|{_ANNOTATION.pattern}"
    rf"|(?:(?![?\ufffd]{_PINYIN}\)|{HAN}[(（]{_PINYIN}[)）]).)+",
    re.DOTALL,
)

# Thresholds measured on 18 real spam pages and 24 real legitimate ones
# (shared/notes/pinyin-spam.md).
MIN_ANNOTATIONS = 3
# A poem line may annotate 4 hard characters as spam would: so few count only
# in a text of some length.
FEW_ANNOTATIONS = 5
MIN_HAN_FOR_FEW = 100
MIN_CHANGING_SHARE = 0.95
MIN_READING_SHARE = 0.90
DENSITY_RANGE = (0.01, 0.50)
# The generator annotates with the default reading (pypinyin's first agrees on
# 1,697 of 1,698); a textbook annotates the other reading of a polyphone (傳 zhuàn).

_TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}

# A one-to-one table leaves these simplified characters standing (they are valid
# traditional forms too); genuine traditional text writes 於, 並, 麼 instead. They
# count in the words where traditional text would write the other form (位于,
# 并且, 什么), not where 于 is a surname (于右任).
ORIGIN = "于并么"
_ORIGIN_WORD = re.compile(
    "[對对關关由位屬属等至基處处出歸归終终用善敢勇過过易便甚大小高低多少免生死建始見见"
    "源來来設设立發发在限相鑒鉴迫急取寄寓居葬卒就隸隶忠忙苦亞亚次類类]于"
    "|于是|于[0-9０-９一二三四五六七八九十]"
    "|并[且不非未沒没無无入列存行購购吞發发肩排]|[合兼吞歸归]并"
    "|[什怎這这那多要]么"
)
# Characters only traditional text writes (no simplified text has them, and the
# one-to-one table never produces them): a block holding one is genuine.
GENUINE = "於並麼後裡餘範係製"
MIN_ORIGIN_BLOCK = 2  # origin words in a block, with no GENUINE character, to judge it alone
MIN_ORIGIN_DOCUMENT = 3  # the same over the whole document, for its shorter blocks


@dataclass(frozen=True)
class Evidence:
    """Why a document was (or was not) judged machine-converted."""

    annotations: int
    on_changing: int
    matching_reading: int
    han: int
    artefacts: int
    default_reading: int = 0

    @property
    def machine_converted(self) -> bool:
        if self.artefacts and self.matching_reading:
            return True
        if self.annotations < MIN_ANNOTATIONS:
            return False
        if self.annotations < FEW_ANNOTATIONS and self.han < MIN_HAN_FOR_FEW:
            return False
        density = self.annotations / max(self.han, 1)
        return (
            self.on_changing >= MIN_CHANGING_SHARE * self.annotations
            and self.matching_reading >= MIN_READING_SHARE * self.annotations
            and self.default_reading >= MIN_READING_SHARE * self.annotations
            and DENSITY_RANGE[0] <= density <= DENSITY_RANGE[1]
        )

    def describe(self) -> str:
        return (
            f"{self.annotations} pinyin annotations, {self.on_changing} on characters that "
            f"differ between scripts, {self.matching_reading} matching a reading "
            f"({self.default_reading} the default one), "
            f"{self.annotations / max(self.han, 1):.1%} of {self.han} Han characters, "
            f"{self.artefacts} GBK straddle artefacts"
        )


TARGETS = {
    "simplified": ("tw2s", "converted to simplified (OpenCC tw2s, 著 kept in zhù-words)"),
    "traditional": ("s2t", "converted to traditional (OpenCC s2t)"),
    "tw": ("s2twp", "converted to Taiwan traditional (OpenCC s2twp, with its phrases)"),
    "hk": ("s2hk", "converted to Hong Kong traditional (OpenCC s2hk)"),
}


def restore_script(
    text: str, to: str = "auto", changes: list[Change] | None = None, lossy: str = "keep"
) -> str:
    """Convert machine-converted blocks back to simplified (to="auto"), or every
    block to the script `to` names ("simplified", "traditional", "tw", "hk");
    `to="keep"` only strips validated annotations of machine-converted blocks.
    What a byte artefact lost follows `lossy` ("keep" leaves `?`, "mark" writes
    U+FFFD, "drop" removes)."""
    if not _HAN.search(text):
        return text
    rebuilds: dict[str, tuple[str, int] | None] = {}  # each artefact line's, lossy "keep"
    pairs: Counter[tuple[str, str]] = Counter()  # (character, reading) annotated
    evidence = _assess(text, rebuilds, pairs)
    spam = evidence.machine_converted
    if not spam and to in ("auto", "keep") and not _has_traditional(text):
        return text  # nothing traditional to convert: most text, at C speed
    origin = _origin(text)
    document_origin = origin.converted(MIN_ORIGIN_DOCUMENT)
    if (
        not (spam or document_origin)
        and to in ("auto", "keep")
        and not (origin.simplified >= MIN_ORIGIN_BLOCK and _any_block_origin(text))
    ):
        return text
    if spam and changes is not None:
        why = f"document judged machine-converted: {evidence.describe()}"
        changes.append(Change.of_text(STAGE, why))
    elif document_origin and changes is not None:
        why = f"document judged machine-converted: {origin.describe()}"
        changes.append(Change.of_text(STAGE, why))
    # Every annotation of the document valid (a spam page's rule): a line's are stripped
    # without judging each again.
    all_valid = all(_valid_annotation(char, reading) for char, reading in pairs)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not _HAN.search(line):
            continue
        verdict = _judge_block(line, spam, document_origin)
        restored, steps = _restore_line(line, to, verdict, lossy, rebuilds, all_valid)
        if restored == line:
            continue
        lines[number - 1] = restored
        if changes is not None:
            changes.append(Change(STAGE, number, line, restored, "; ".join(steps)))
    return "\n".join(lines)


@dataclass(frozen=True)
class Origin:
    """How many characters of a text speak for a simplified origin, and how many
    for a genuine traditional one."""

    simplified: int
    genuine: int
    text: str

    def converted(self, needed: int) -> bool:
        """Traditional text (a one-to-one table leaves nothing else) with `needed`
        origin characters and no genuine one."""
        return self.genuine == 0 and self.simplified >= needed and _traditional_text(self.text)

    def describe(self) -> str:
        return (
            f"{self.simplified} words with {'/'.join(ORIGIN)} left by a one-to-one table, "
            f"none of {''.join(GENUINE)}"
        )


def _origin(text: str) -> Origin:
    simplified = count_matches(_ORIGIN_WORD, text) if _ORIGIN_CHAR.search(text) else 0
    genuine = count_matches(_GENUINE_CHAR, text) if simplified else 0
    return Origin(simplified, genuine, text)


_ORIGIN_CHAR = re.compile(f"[{ORIGIN}]")
_GENUINE_CHAR = re.compile(f"[{GENUINE}]")


# What a one-to-one table leaves simplified: the characters that are traditional
# forms too (notes: 于 后 干 余 并 范 系 借 伙 制 里 么; 几 is seen both ways) and 着.
_TABLE_LEAVES = frozenset("于后干余并范系借伙制里么几")
MIN_TRADITIONAL = 3  # characters only traditional text writes
SIMPLIFIED_SHARE = 0.1  # at most this many simplified-only characters per traditional one
SAMPLE = 100  # characters looked at first


def _traditional_text(text: str) -> bool:
    """Mostly traditional: characters that change under t2s, few that change under s2t
    (counted by regex, at C speed: the stage must cost little on text it leaves alone)."""
    for sample in (text[:SAMPLE], text) if len(text) > SAMPLE else (text,):
        traditional = count_matches(_traditional_pattern(), sample)
        simplified = count_matches(_simplified_pattern(), sample)
        if simplified > SIMPLIFIED_SHARE * traditional:
            return False  # simplified text, as a rule seen in its first sentence
    return traditional >= MIN_TRADITIONAL


@cache
def _traditional_chars() -> frozenset[str]:
    """Characters OpenCC t2s changes (data/traditional_chars.txt)."""
    return frozenset("".join(entries("traditional_chars.txt")))


@cache
def _traditional_pattern() -> re.Pattern[str]:
    return re.compile(f"[{char_class(_traditional_chars())}]")


@cache
def _simplified_pattern() -> re.Pattern[str]:
    """Characters OpenCC s2t changes (data/simplified_chars.txt), but for those a
    one-to-one table leaves standing."""
    chars = frozenset("".join(entries("simplified_chars.txt"))) - _TABLE_LEAVES
    return re.compile(f"[{char_class(chars)}]")


def _any_block_origin(text: str) -> bool:
    return any(
        _origin(line).converted(MIN_ORIGIN_BLOCK)
        for line in text.split("\n")
        if count_matches(_ORIGIN_WORD, line) >= MIN_ORIGIN_BLOCK
    )


@dataclass(frozen=True)
class Verdict:
    """Whether a block is machine-converted text, and why."""

    converted: bool
    why: str


def _judge_block(line: str, spam: bool, document_origin: bool) -> Verdict:
    """A block writing a character only genuine traditional text writes is genuine,
    whatever the rest of the page shows (spam pages mix blocks); otherwise the
    document's evidence decides, or failing that the block's own origin signal."""
    if _GENUINE_CHAR.search(line) and not (spam and _annotated(line)):
        found = "".join(ch for ch in GENUINE if ch in line)
        return Verdict(False, f"block left as genuine traditional text (it writes {found})")
    if spam:
        return Verdict(True, "document's pinyin annotations")
    if document_origin:
        return Verdict(True, "document's origin signal")
    origin = _origin(line)
    if origin.converted(MIN_ORIGIN_BLOCK):
        return Verdict(True, f"block judged machine-converted: {origin.describe()}")
    return Verdict(False, "no evidence of machine conversion")


def assess(text: str) -> Evidence:
    """Measure the pinyin-annotation evidence of machine conversion in `text`."""
    return _assess(text, {})


def _assess(
    text: str,
    rebuilds: dict[str, tuple[str, int] | None],
    pairs: Counter[tuple[str, str]] | None = None,
) -> Evidence:
    """`assess`, keeping in `rebuilds` each artefact line's rebuild (lossy "keep") for
    the restoration to reuse: a line of many lost pairs is costly to rebuild twice;
    and in `pairs`, how many times each (character, reading) is annotated."""
    annotations = on_changing = matching = default = artefacts = han = 0
    if not _READING.search(text):
        return Evidence(0, 0, 0, 0, 0)  # the common case: no `(pinyin)` at all
    # A page annotates the same few characters hundreds of times: each distinct pair is
    # judged once (samples/spam_page_zh.txt: 526 annotations, 101 pairs).
    counts = _annotation_counts(text)
    if pairs is not None:
        pairs.update(counts)
    for (char, reading), count in counts.items():
        annotations += count
        on_changing += count * _changes_script(char)
        matching += count * _is_reading(char, reading)
        default += count * _is_reading(char, reading, default_only=True)
    if _ARTEFACT.search(text):
        artefacts = sum(
            1
            for line in text.split("\n")
            if _ARTEFACT.search(line) and _rebuilt(line, "keep", rebuilds) is not None
        )
    if annotations >= MIN_ANNOTATIONS:
        han = len(_NOT_HAN.sub("", text))  # (counting each match: twice the time)
    return Evidence(annotations, on_changing, matching, han, artefacts, default)


def _annotation_counts(text: str) -> Counter[tuple[str, str]]:
    """How many times each (character, reading) is annotated in `text`: `_ANNOTATION`'s
    matches, found a chunk of lines at a time (a tuple for each annotation of a
    megabyte at once would be many times its size)."""
    counts: Counter[tuple[str, str]] = Counter()
    start = 0
    while start < len(text):
        end = text.find("\n", start + CHUNK)
        end = len(text) if end < 0 else end + 1
        counts.update(_ANNOTATION_PAIR.findall(text, start, end))
        start = end
    return counts


CHUNK = 65536  # characters of text (whole lines) searched for annotations at a time


def _restore_line(
    line: str,
    to: str,
    verdict: Verdict,
    lossy: str,
    rebuilds: dict[str, tuple[str, int] | None],
    all_valid: bool = False,
) -> tuple[str, list[str]]:
    """The block restored, and the steps taken; `all_valid`: every annotation of the
    document is valid, so are those of the block as it stands."""
    steps: list[str] = []
    if verdict.converted:
        original = line
        if _ARTEFACT.search(line):
            rebuilt = _rebuilt(line, lossy, rebuilds)
            if rebuilt is not None:
                line, lost = rebuilt
                step = "rebuilt GBK bytes split by an annotation"
                if lost:
                    step += f"; {lost} characters lost, --lossy {lossy}"
                steps.append(step)
        glued = _GLUED_ANNOTATION.sub(_unglue, line) if _GLUED_AT.search(line) else line
        if glued != line:
            line = glued
            steps.append("removed annotations of characters split across an ASCII letter")
        if all_valid and line == original:
            stripped, count = _ANNOTATION_READING.subn("", line)
        else:
            stripped, count = _strip_annotations(line)
        if count:
            line = stripped
            steps.append(f"stripped {count} pinyin annotation{'s' * (count > 1)}")
    target = "simplified" if to == "auto" else to
    convert = to in TARGETS or (to == "auto" and verdict.converted)
    if convert and (to != "auto" or _has_traditional(line)):
        config, how = TARGETS[target]
        converted = (
            to_simplified(line) if target == "simplified" else _converter(config).convert(line)
        )
        if converted != line:
            line = converted
            steps.append(how if to != "auto" else f"{how}: {verdict.why}")
    return line, steps


# `入H(jì)BO`: the generator matched 計 on the trail byte of 入 and the letter H
# (GBK trail bytes include ASCII letters), and inserted its reading after the H.
_GLUED_ANNOTATION = re.compile(rf"([^\x00-\x7f])([\x40-\x7e])\(({_PINYIN})\)")
# Where one may be: a parenthesis after a wide character and an ASCII one, looked for
# from the parenthesis (a literal the engine skips to; the pattern above, which starts
# with a class, is tried at every character of a Chinese line).
_GLUED_AT = re.compile(r"\((?<=[^\x00-\x7f][\x40-\x7e]\()")


def _unglue(match: re.Match[str]) -> str:
    wide, letter, reading = match.groups()
    try:
        straddled = (wide.encode("gbk")[-1:] + letter.encode()).decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return match.group(0)
    if _HAN.fullmatch(straddled) and _valid_annotation(straddled, reading):
        return wide + letter
    return match.group(0)


def _annotated(line: str) -> bool:
    """Whether the block carries a pinyin annotation of the generator's kind."""
    return any(_valid_annotation(m.group(1), m.group(3)) for m in _ANNOTATION.finditer(line))


def _strip_annotations(line: str) -> tuple[str, int]:
    """The line without its valid annotations, and how many there were. Where every
    annotation of the line is valid (a spam line's rule), at regex speed: no call back
    into Python for each of them."""
    found = _ANNOTATION_PAIR.findall(line)
    if not found:
        return line, 0
    if all(_valid_annotation(char, reading) for char, reading in found):
        return _ANNOTATION_READING.subn("", line)
    count = 0

    def strip(match: re.Match[str]) -> str:
        nonlocal count
        if _valid_annotation(match.group(1), match.group(3)):
            count += 1
            return match.group(1)
        return match.group(0)

    return _ANNOTATION.sub(strip, line), count


@lru_cache(maxsize=65536)
def _valid_annotation(char: str, reading: str) -> bool:
    return _changes_script(char) and _is_reading(char, reading)


def _has_traditional(line: str) -> bool:
    return _traditional_pattern().search(line) is not None


# --- GBK straddle artefacts ----------------------------------------------------


# Each stretch of a rebuild's bytes from where it starts to its `?`: its reading (None: it
# does not decode), the Han characters in it, and where the `?` is (-1: none).
_Stretches = dict[int, tuple[str | None, int, int]]


def _rebuilt(
    line: str, lossy: str, rebuilds: dict[str, tuple[str, int] | None]
) -> tuple[str, int] | None:
    """`_rebuild(line, lossy)`, kept in `rebuilds` (by line) when `lossy` is "keep"."""
    if lossy != "keep":
        return _rebuild(line, lossy)
    if line not in rebuilds:
        rebuilds[line] = _rebuild(line)
    return rebuilds[line]


def _rebuild(line: str, lossy: str = "keep") -> tuple[str, int] | None:
    """Undo annotations inserted across a GBK character boundary: the line, and how
    many characters could not be recovered.

    `以?xún)?nèi)容`: the bytes of 以 (d2 d4) and 內 (83 c8) held 詢 (d4 83);
    inserting `(xún)` after it left the lead byte 83 before `(`, which a cp936
    decoder turned into `?`. Each `?reading)` is solved by finding the
    character that starts with the previous byte and has that reading. After
    such a split the bytes may stay out of step for a while (`規(guī)?;咝Ы桓兜`):
    those characters re-encode to the same bytes, so decoding all the bytes
    from the start puts them back in step. Where such a run ended in a `?` (a
    dangling byte and the single-byte character after it, both gone), what is
    lost follows `lossy`. The rebuilt bytes must decode as GBK apart from that.
    """
    out = bytearray()
    for token in _tokens(line):
        kind, value = token
        if kind == "artefact":
            if not out:
                return None
            trail = _straddled_trail(out[-1], value)
            if trail is None:
                return None
            out.append(trail)
        else:
            try:
                # cp936 as Windows has it: 0x80 is the euro sign.
                out += value.replace("€", "\x80").encode("gbk", errors=_EURO)
            except UnicodeEncodeError:
                return None
    lost = 0
    stretches: _Stretches = {}

    def gone(error: UnicodeError) -> tuple[str, int]:
        nonlocal lost
        if not isinstance(error, UnicodeDecodeError):
            raise error
        data, start = error.object, error.start
        # A lead byte left dangling, then the `?` that a cp936 decoder made of the two
        # bytes after it: the lead's trail byte and either a single-byte character
        # (the bytes are back in step after it) or the first byte of the next
        # character (still out of step: that character is lost too). Whichever
        # reads on as more plausible text is taken.
        if start + 1 < len(data) and data[start + 1] == 0x3F and data[start] >= 0x81:
            lost += 2
            return {"keep": "?", "mark": "\ufffd\ufffd", "drop": ""}[lossy], _resume(
                data, start, stretches
            )
        raise error

    _current.handler = gone
    try:
        return bytes(out).decode("gbk", errors=_HANDLER), lost
    except UnicodeDecodeError:
        return None
    finally:
        del _current.handler


LOOKAHEAD_HAN = 6  # characters read on after a lost pair, to tell which way they are in step
# ...over at most this many stretches between `?` marks: a reading crossed every later `?`
# of a line until it had its six Han characters, so a line of lost pairs with no Han after
# them was read to its end from each of them (a 22 KB line of `Ａ?fén)?a` took 72 s).
LOOKAHEAD_STRETCHES = 4


def _resume(data: bytes, start: int, stretches: _Stretches) -> int:
    """Where decoding resumes after the dangling lead at `start` and its `?`: the
    reading that goes on as the more plausible text."""
    from . import langmodel

    options = []
    for resume in (start + 2, start + 3):
        text, han = _read_on(data, resume, stretches)
        if han:
            cost = langmodel.score(text, ("zh_hant", "zh_hans"))[0] / han
            options.append((cost, resume))
    return min(options)[1] if options else start + 2


_GBK_DECODER = codecs.getincrementaldecoder("gbk")


def _read_on(data: bytes, position: int, stretches: _Stretches) -> tuple[str, int]:
    """Up to LOOKAHEAD_HAN Han characters read from `position`, and how many it read; a
    stretch up to each `?` at a time, a `?` taken for a pair lost inside a run out of
    step (skipped with the byte after it). The readings on from successive lost pairs
    share their stretches: each is read once (`stretches`)."""
    pieces: list[str] = []
    han = 0
    for _ in range(LOOKAHEAD_STRETCHES):
        if position >= len(data) or han >= LOOKAHEAD_HAN:
            break
        stretch = stretches.get(position)
        if stretch is None:
            end = data.find(b"?", position)
            piece = _gbk_stretch(data[position : end if end >= 0 else len(data)])
            found = 0 if piece is None else count_matches(_HAN, piece)
            stretch = stretches[position] = piece, found, end
        piece, found, end = stretch
        if piece is None:
            break
        pieces.append(piece)
        han += found
        if end < 0:
            break
        position = end + 2
    return "".join(pieces), han


def _gbk_stretch(segment: bytes) -> str | None:
    """`segment` read as GBK, a last lead byte without its trail left out; None if invalid."""
    try:
        return _GBK_DECODER().decode(segment, final=False)
    except UnicodeDecodeError:
        return None


def _dispatch(error: UnicodeError) -> tuple[str, int]:
    """The error handler codecs knows by name, handing each error to the rebuild
    running in this thread (a handler registered per call would be another
    thread's: codecs' registry is one for the process)."""
    handler: Callable[[UnicodeError], tuple[str, int]] = _current.handler
    return handler(error)


_current = threading.local()
_HANDLER = "textmend-script-rebuild"
codecs.register_error(_HANDLER, _dispatch)
_EURO = "textmend-cp936-euro"


def _euro(error: UnicodeError) -> tuple[bytes, int]:
    if isinstance(error, UnicodeEncodeError) and error.object[error.start] == "\x80":
        return b"\x80", error.start + 1
    raise error


codecs.register_error(_EURO, _euro)


def _tokens(line: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(line):
        if match.group(1) is not None:
            yield "artefact", match.group(1)
        elif match.group(2) is not None and _valid_annotation(match.group(2), match.group(4)):
            yield "text", match.group(2)
        else:
            yield "text", match.group(0)


@lru_cache(maxsize=4096)
def _straddled_trail(lead: int, reading: str) -> int | None:
    """The trail byte of the traditional character after `lead` read `reading`."""
    if lead < 0x81 or lead > 0xFE:
        return None
    found: list[tuple[int, int]] = []
    for trail in range(0x40, 0xFF):
        if trail == 0x7F:
            continue
        try:
            char = bytes((lead, trail)).decode("gbk")
        except UnicodeDecodeError:
            continue
        if _HAN.fullmatch(char) and _valid_annotation(char, reading):
            rank = 0 if _readings(char)[0] == _normalise(reading) else 1
            found.append((rank, trail))
    if not found:
        return None
    found.sort()
    if len(found) > 1 and found[0][0] == found[1][0]:
        return None  # two equally good characters: the bytes do not decide
    return found[0][1]


# --- readings --------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _readings(char: str) -> tuple[str, ...]:
    """Every pinyin reading of `char`, tone-marked, default reading first."""
    value = _pinyin_dict().get(ord(char))
    return tuple(value.split(",")) if value else ()


@cache
def _pinyin_dict() -> Mapping[int, str]:
    """pypinyin's readings of each character (code point -> `reading,reading`): its
    `PINYIN_DICT` if pypinyin is loaded, else read from the JSON file that fills it
    (0.02 s; importing pypinyin loads its phrase tables too, 0.2 s more at start-up)."""
    loaded = sys.modules.get("pypinyin.constants")
    if loaded is None:
        spec = importlib.util.find_spec("pypinyin")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            path = Path(folder) / "pinyin_dict.json"
            if path.is_file():
                table = json.loads(path.read_text(encoding="utf-8"))
                return {int(code): readings for code, readings in table.items()}
    from pypinyin.constants import PINYIN_DICT

    return PINYIN_DICT


def _normalise(reading: str) -> str:
    return reading.lower().replace("ɑ", "a").replace("ɡ", "g").replace("v", "ü")


def _tone_number(reading: str) -> str:
    """`zhèng` -> `zheng4`, `lǜ` -> `lü4`, neutral tone without digit."""
    decomposed = unicodedata.normalize("NFD", reading)
    tone = "".join(_TONE_MARKS.get(ch, "") for ch in decomposed)
    bare = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", bare) + tone


@lru_cache(maxsize=65536)
def _is_reading(char: str, reading: str, default_only: bool = False) -> bool:
    wanted = _normalise(reading)
    for known in _readings(char)[:1] if default_only else _readings(char):
        numbered = _tone_number(known)
        if wanted in (known, numbered, numbered.rstrip("12345")):
            return True
    return False


# --- conversion --------------------------------------------------------------------


@cache
def _converter(config: str) -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC(config)


def _changes_script(char: str) -> bool:
    """True for a character that traditional-to-simplified conversion changes."""
    return char in _traditional_chars()


def to_simplified(text: str) -> str:
    """Traditional to simplified with OpenCC `tw2s` and the measured fixes:
    known-wrong phrases overridden, a lone 么 kept, 著 kept in zhù-words."""
    for phrase, replacement in _overrides():
        text = text.replace(phrase, replacement)
    converter = _converter("tw2s")
    # tw2s turns a lone 么 into 幺; converting around it keeps it.
    pieces = [_keep_zhu(piece, converter.convert(piece)) for piece in text.split("么")]
    return "么".join(pieces)


@lru_cache(maxsize=1)
def _overrides() -> tuple[tuple[str, str], ...]:
    return tuple(tuple(row.split("\t", 1)) for row in entries("t2s_overrides.txt"))  # type: ignore[misc]


def _keep_zhu(source: str, converted: str) -> str:
    """Choose 著 or 着 for each source 著 by the longest word around it.

    tw2s writes 着 in zhù-words (专着, 土着) and keeps 著 in 看著作業; a word
    list decides where one matches, and tw2s's choice stands elsewhere.
    """
    if "著" not in source or len(source) != len(converted):
        return converted
    chars = list(converted)
    for index, char in enumerate(source):
        if char != "著" or chars[index] not in "著着":
            continue
        zhu = _longest(chars, index, "著", words("zhu_words.txt"))
        zhe = _longest(chars, index, "着", words("zhe_words.txt"))
        if zhu != zhe:
            chars[index] = "著" if zhu > zhe else "着"
    return "".join(chars)


ZHU_WORD = 8  # characters of the longest word looked for around a 著


def _longest(chars: list[str], index: int, char: str, lexicon: frozenset[str]) -> tuple[int, int]:
    """The longest word of `lexicon` (up to ZHU_WORD characters) that holds position
    `index` once `char` stands there: (its length, minus where it starts); the words
    are slices of one string of the characters around it (a string joined for each
    word made this the script stage's costliest step on a spam page)."""
    low, high = max(0, index - ZHU_WORD + 1), min(len(chars), index + ZHU_WORD)
    window = "".join(chars[low:index]) + char + "".join(chars[index + 1 : high])
    at = index - low
    best = (0, 0)
    for start in range(at + 1):
        for end in range(max(at + 1, start + 2), min(len(window), start + ZHU_WORD) + 1):
            if window[start:end] in lexicon:
                best = max(best, (end - start, -(start + low)))
    return best


def fix(text: str, options: Options) -> Fixed:
    """The pipeline's step (`textmend.pipeline.Stage`): the script `options.to` asks."""
    changes: list[Change] = []
    return Fixed(restore_script(text, options.to, changes, options.lossy), changes)
