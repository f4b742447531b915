"""Encoding detection: textmend.decode against charset-normalizer and chardet, in one run.

Run: make bench   (or .venv/bin/python benchmarks/bench_decode.py [--quick] [--fold]
[--shared PATH] [--damaged tuning|checking|both] [--scaling] [--short-damaged] [--broad]);
--quick is a smoke run with fewer windows and files; --damaged runs section 5 alone,
--scaling section 6 alone, --short-damaged section 7 alone, --broad section 8 alone.
Inputs: ../shared/corpora/encodings (382 labelled files, manifest.csv), ../shared/corpora/clean,
and for section 8 benchmarks/data (udhr/, encodings/).
Without the shared folder the script says so in one line and exits 0.

Detectors: `textmend.decode.decode(data)` (DecodeError, BinaryInputError = wrong),
`charset_normalizer.from_bytes(data).best().encoding` and `chardet.detect(data)["encoding"]`.
An answer is right when decoding the bytes *strictly* with it gives the true text (an unknown
codec, None or a failing decode is wrong); for textmend's "mixed" answers, its `.text` is
compared instead. A leading U+FEFF is stripped from both sides, since BOM handling differs.
Supersets (GB18030 for GB2312, cp932 for Shift-JIS) are right whenever they give the same
text. --fold also accepts the 17 characters that Python's tables of a codec and its superset
read differently from the same bytes (gb2312 A1AA is U+2015, gbk's U+2014; shift_jis 8160 is
U+301C, cp932's U+FF5E; ...); each section then says how many right answers needed that fold.

1. Whole files: accuracy per manifest `truth` codec (rows without a truth, euc_tw, skipped),
   as stored and with in-band declarations removed (XML `encoding="..."`, `<meta charset=...>`,
   `; charset=...` in a `content` attribute; only that attribute text is cut, bytes-level, so
   UTF-16/32 files keep theirs). Totals for all files and for CJK/UTF files (`cjk` == 1).
2. Short windows of 5, 10, 20, 100 characters for the GBK, Big5, cp932, EUC-JP, EUC-KR and
   UTF-8 families, cut at seeded random positions from whitespace-collapsed lines of (a) the
   family's corpus files (decoded with their truth, re-encoded with it) and (b) the clean
   corpora encoded in the family's codec; a window holds at least N//2 non-ASCII characters and
   encodes strictly. Right when decoding the window's bytes gives the window back. The same
   windows go to every detector. Also said: how many windows of the legacy families textmend
   took for damaged UTF-8 (answered UTF-8 though the bytes are not valid UTF-8).
3. Synthetic mixed files: UTF-8 Chinese with GBK lines pasted in, and two documents in different
   encodings concatenated. Score: share of lines right, line i of the bytes (split on b"\\n")
   against line i of the text; peers decode the whole file with their one answer,
   errors="replace".
4. Speed, MB/s of input, best of 3 passes over the set: the UTF-8 corpus files as stored (truth
   utf_8 or utf_8_sig), and the legacy-codec files (not UTF, not ASCII) without declarations.
   textmend's time includes decoding to text; the peers' only their detection call.
5. Damaged files: each legacy-codec and UTF-8 file, as stored and without declarations, in
   DAMAGE_COPIES copies with 1-3 non-ASCII characters damaged at seeded random places (a byte
   of the character deleted, or the character cut after its first byte). Two figures: the
   answer decodes the undamaged bytes to their text (the right codec; textmend's "mixed" is
   judged by its text), and the text is the truth but within NEAR characters of each damaged
   one (peers: their codec with errors="replace"). The files are split by a fixed rule (CRC-32
   of the name) into a tuning half, on which decode's thresholds were chosen, and a checking
   half, which was not looked at while choosing them; both are printed.
6. (--scaling only) textmend's decoding time on 1, 2, 4 and 8 MB of GBK, Big5 and Shift-JIS
   text, of UTF-8 with every other line GBK, of UTF-8 with a stray byte every 1,000 bytes, and
   of random bytes: seconds per MB and the growth of the time per doubling (2.0 is linear).
7. Short damaged UTF-8, both ways. (a) Windows of 2-20 characters (length drawn uniformly)
   cut from whitespace-collapsed lines of the clean corpora (zh_hans, zh_hant, ja, ko) and of
   the encodings corpus' Latin files (cp1252, latin_1, cp1250, decoded with their truth),
   encoded as UTF-8, each with one character damaged in one of ShortDamage's ways: a stray byte
   put before it, the window cut inside it (its last bytes gone with the rest of the window),
   its last bytes lost in the middle of the window, or its lead byte lost. A window holds at
   least 2 non-ASCII characters (CJK: at least half of it). Right: the answer is UTF-8 and its
   text (peers: their codec, errors="replace") is the window's text outside the damaged
   character, with only U+FFFD (1-3) in its place. (b) The other direction: undamaged windows
   of 2-20 characters of every legacy-codec file of the encodings corpus, in its truth codec:
   the share answered UTF-8 though the bytes are not valid UTF-8 (a legacy text taken for
   damaged UTF-8), and the share right as in section 2. Documents and files are split into
   tuning and checking halves by CRC-32 (of the text, of the file name); both are printed.

8. Every codec family (--broad alone), per family (CJK, UTF, Western, Central European,
   Baltic, Cyrillic, Greek, Hebrew, Arabic, Turkish, Vietnamese, Thai) and part (tuning,
   checking): the UDHR in each language of each legacy codec (benchmarks/codec_sets.py),
   and the real labelled files of benchmarks/data/encodings; whole files, and windows of
   10, 20 and 50 characters (each with a non-ASCII character) cut from both. Also
   printed: charset-normalizer's worth as a second opinion (where it alone is right;
   where it names textmend's runner-up, who is right), and textmend's commonest
   confusions on the tuning part.

Everything is seeded: two runs on the same data and versions print the same accuracy figures.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import random
import re
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from itertools import pairwise
from pathlib import Path

import chardet
import charset_normalizer

import textmend
from codec_sets import (
    CHECKING,
    TUNING,
    WINDOW_LENGTHS,
    Sample,
    encodable,
    real_files,
    synthetic_files,
    windows_of,
)
from reporting import Guard, digest, finish, load_clean, parser, print_table
from textmend.decode import DecodeError, decode

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "textmend"
LENGTHS = (5, 10, 20, 100)
SEED = 20240229
DETECTOR_NAMES = ("textmend", "charset-normalizer", "chardet")
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[。！？])")


# --- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusFile:
    """One labelled file of corpora/encodings."""

    name: str
    truth: str
    cjk: bool
    data: bytes


@dataclass(frozen=True)
class Family:
    """A codec family of the short-window test: which corpus files, which clean encodings."""

    name: str
    truths: tuple[str, ...]
    clean: tuple[tuple[str, str], ...]  # (clean corpus, codec to encode it with)


FAMILIES = (
    Family("GBK", ("gb2312", "gbk", "gb18030"), (("zh_hans", "gbk"),)),
    Family("Big5", ("big5",), (("zh_hant", "big5"),)),
    Family("cp932", ("shift_jis", "cp932"), (("ja", "cp932"),)),
    Family("EUC-JP", ("euc_jp",), (("ja", "euc_jp"),)),
    Family("EUC-KR", ("euc_kr", "cp949"), (("ko", "euc_kr"),)),
    Family(
        "UTF-8",
        ("utf_8",),
        (("zh_hans", "utf_8"), ("zh_hant", "utf_8"), ("ja", "utf_8"), ("ko", "utf_8")),
    ),
)

# Synthetic two-document files: (kind, (corpus, codec) of the first, of the second).
MIXED_PAIRS: tuple[tuple[str, tuple[str, str], tuple[str, str]], ...] = (
    ("GBK + UTF-8", ("zh_hans", "gbk"), ("zh_hans", "utf_8")),
    ("Big5 + UTF-8", ("zh_hant", "big5"), ("zh_hant", "utf_8")),
    ("Shift-JIS + UTF-8", ("ja", "shift_jis"), ("ja", "utf_8")),
    ("EUC-JP + UTF-8", ("ja", "euc_jp"), ("ja", "utf_8")),
    ("EUC-KR + GBK", ("ko", "euc_kr"), ("zh_hans", "gbk")),
    ("UTF-8 + Big5", ("zh_hans", "utf_8"), ("zh_hant", "big5")),
)
GBK_LINES_KIND = "UTF-8 with GBK lines"

# (codec, superset) pairs whose decoding tables differ on a few characters of the same bytes.
SUPERSETS = (
    ("gb2312", "gbk"),
    ("gb2312", "gb18030"),
    ("gbk", "gb18030"),
    ("big5", "cp950"),
    ("shift_jis", "cp932"),
    ("euc_kr", "cp949"),
)


@dataclass(frozen=True)
class Settings:
    """How much to measure: the full run or a --quick smoke run."""

    windows: int  # per (family, length, source)
    mixed_files: int  # per mixed kind
    speed_runs: int
    short_windows: int  # section 7: per (source, half), and per (legacy codec, half)


FULL = Settings(windows=150, mixed_files=15, speed_runs=3, short_windows=300)
QUICK = Settings(windows=20, mixed_files=3, speed_runs=1, short_windows=30)


def load_corpus(shared: Path) -> list[CorpusFile]:
    """The manifest's files that have a truth codec, in manifest order."""
    root = shared / "corpora" / "encodings"
    with (root / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        CorpusFile(row["file"], row["truth"], row["cjk"] == "1", (root / row["file"]).read_bytes())
        for row in rows
        if row["truth"]
    ]


# --- declarations ----------------------------------------------------------------------------

_XML_DECLARATION = re.compile(rb"<\?xml\b[^>]*?\?>", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""\s+encoding\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_CONTENT_CHARSET = re.compile(rb"""\s*;\s*charset\s*=\s*[^"'\s;>]*""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""\s+charset\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>/]+)""", re.IGNORECASE)


def strip_declarations(data: bytes) -> bytes:
    """`data` without in-band charset declarations; everything around them is kept."""

    def xml(match: re.Match[bytes]) -> bytes:
        return _XML_ENCODING.sub(b"", match.group(0))

    def meta(match: re.Match[bytes]) -> bytes:
        return _META_CHARSET.sub(b"", _CONTENT_CHARSET.sub(b"", match.group(0)))

    return _META_TAG.sub(meta, _XML_DECLARATION.sub(xml, data))


def undeclared(file: CorpusFile) -> bytes:
    """The file's bytes without declarations, or as stored if cutting broke its decoding."""
    stripped = strip_declarations(file.data)
    return stripped if strict_decode(stripped, file.truth) is not None else file.data


# --- detectors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a detector said: a codec name and, for textmend, the text it decoded."""

    encoding: str | None
    text: str | None = None  # textmend's text where it is judged by it ("mixed")
    runner_up: str | None = None
    segments: int = 0
    decoded: str | None = None  # textmend's text, always


NO_ANSWER = Answer(None)
Detector = Callable[[bytes], Answer]


def detect_textmend(data: bytes) -> Answer:
    """Judged like the peers, by its codec; only a "mixed" answer is judged by its text."""
    try:
        result = decode(data)
    except DecodeError:  # bytes it declines to guess: no answer, as a peer's None
        return NO_ANSWER
    text = result.text if result.encoding == "mixed" else None
    return Answer(result.encoding, text, result.runner_up, len(result.segments), result.text)


def detect_charset_normalizer(data: bytes) -> Answer:
    best = charset_normalizer.from_bytes(data).best()
    return Answer(best.encoding if best is not None else None)


def detect_chardet(data: bytes) -> Answer:
    return Answer(chardet.detect(data)["encoding"])


def make_detectors(guard: Guard) -> dict[str, Detector]:
    raw = (detect_textmend, detect_charset_normalizer, detect_chardet)
    return {
        name: guard.wrap(name, fn, lambda _: NO_ANSWER)
        for name, fn in zip(DETECTOR_NAMES, raw, strict=True)
    }


# --- scoring ---------------------------------------------------------------------------------


def strict_decode(data: bytes, codec: str | None) -> str | None:
    """`data` decoded strictly with `codec`; None for no codec, an unknown one or bad bytes."""
    if not codec:
        return None
    try:
        return data.decode(codecs.lookup(codec).name)
    except (LookupError, UnicodeError):
        return None


def lenient_decode(data: bytes, codec: str | None) -> str | None:
    """`data` decoded with errors="replace"; None for no codec or an unknown one."""
    if not codec:
        return None
    try:
        return data.decode(codecs.lookup(codec).name, errors="replace")
    except (LookupError, UnicodeError):
        return None


def without_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def text_of(answer: Answer, data: bytes) -> str | None:
    """The text an answer yields: textmend's own, or a strict decode with the peer's codec."""
    return answer.text if answer.text is not None else strict_decode(data, answer.encoding)


class Verdict(Enum):
    WRONG = 0
    RIGHT = 1
    VARIANT = 2  # equal only once codec-table variants are folded: counted right


@cache
def variant_fold() -> dict[int, str]:
    """Characters that a codec and its superset decode the same bytes to differently.

    Python's gb2312 reads A1AA as U+2015 where gbk and gb18030 read U+2014, shift_jis reads
    8160 as U+301C where cp932 reads U+FF5E, ... Mapped subset's to superset's (17 in all).
    """
    fold: dict[int, str] = {}
    for subset, superset in SUPERSETS:
        for lead in range(0x80, 0x100):
            for seq in (bytes([lead]), *(bytes([lead, trail]) for trail in range(0x40, 0x100))):
                old, new = strict_decode(seq, subset), strict_decode(seq, superset)
                if old and new and old != new and len(old) == len(new) == 1:
                    fold[ord(old)] = new
    return fold


@dataclass(frozen=True)
class Judge:
    """Compares a detector's text with the truth; `fold` empty means literal equality."""

    fold: dict[int, str]

    def verdict(self, text: str | None, truth: str) -> Verdict:
        if text is None:
            return Verdict.WRONG
        text, truth = without_bom(text), without_bom(truth)
        if text == truth:
            return Verdict.RIGHT
        if self.fold and text.translate(self.fold) == truth.translate(self.fold):
            return Verdict.VARIANT
        return Verdict.WRONG


@dataclass(frozen=True)
class Bench:
    """The detectors and how their answers are judged."""

    detectors: dict[str, Detector]
    judge: Judge

    def answers(self, data: bytes) -> dict[str, Answer]:
        return {name: detect(data) for name, detect in self.detectors.items()}

    def verdicts(self, answers: dict[str, Answer], data: bytes, truth: str) -> dict[str, Verdict]:
        return {n: self.judge.verdict(text_of(a, data), truth) for n, a in answers.items()}


def is_utf8(codec: str | None) -> bool:
    """Whether a detector's answer names UTF-8 (without a BOM)."""
    try:
        return codec is not None and codecs.lookup(codec).name == "utf-8"
    except LookupError:
        return False


def non_ascii(text: str) -> int:
    return sum(1 for char in text if ord(char) > 0x7F)


def percent(right: int, total: int) -> str:
    return f"{100 * right / total:.1f}" if total else "-"


# --- 1. whole files --------------------------------------------------------------------------


@dataclass
class Tally:
    """Right answers out of a total, per detector; `variant`: right only after folding."""

    total: int = 0
    right: Counter[str] = field(default_factory=Counter)
    variant: Counter[str] = field(default_factory=Counter)

    def add(self, verdicts: dict[str, Verdict]) -> None:
        self.total += 1
        self.right.update(n for n, v in verdicts.items() if v is not Verdict.WRONG)
        self.variant.update(n for n, v in verdicts.items() if v is Verdict.VARIANT)

    def percents(self) -> list[str]:
        return [percent(self.right[name], self.total) for name in DETECTOR_NAMES]


def print_variants(tallies: dict[str, Tally]) -> None:
    """How many right answers needed the codec-table fold, so literal figures can be derived."""
    parts = [
        f"{label}: " + ", ".join(f"{n} {tally.variant[n]}" for n in DETECTOR_NAMES)
        for label, tally in tallies.items()
        if tally.variant
    ]
    if parts:
        print("\nright only after folding codec-table variants: " + "; ".join(parts))


def bench_files(files: list[CorpusFile], bench: Bench) -> None:
    stored: dict[str, Tally] = {}
    cut: dict[str, Tally] = {}
    declared = 0
    for file in files:
        data = undeclared(file)
        declared += data != file.data
        as_stored = bench.verdicts(
            bench.answers(file.data), file.data, file.data.decode(file.truth)
        )
        no_declaration = bench.verdicts(bench.answers(data), data, data.decode(file.truth))
        for key in (file.truth, "all files", *(["CJK/UTF files"] if file.cjk else [])):
            stored.setdefault(key, Tally()).add(as_stored)
            cut.setdefault(key, Tally()).add(no_declaration)
    codecs_seen = sorted(k for k in stored if not k.endswith(" files"))
    rows = [
        [key, str(stored[key].total), *stored[key].percents(), *cut[key].percents()]
        for key in [*codecs_seen, "all files", "CJK/UTF files"]
    ]
    headers = ["codec", "n", *DETECTOR_NAMES, *(f"{n}, no decl." for n in DETECTOR_NAMES)]
    print_table(
        f"1. Whole files, % right (as stored | declarations removed from {declared} files)",
        headers,
        rows,
    )
    print_variants({"all files": stored["all files"], "no decl.": cut["all files"]})


# --- 2. short windows ------------------------------------------------------------------------

Unit = tuple[list[tuple[str, int]], str]  # (lines with their non-ASCII counts, codec)


@dataclass(frozen=True)
class Window:
    family: str
    source: str
    length: int
    text: str
    data: bytes


def text_lines(text: str) -> list[tuple[str, int]]:
    """Whitespace-collapsed non-empty lines, each with its count of non-ASCII characters."""
    lines = (_WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return [(line, non_ascii(line)) for line in lines if line]


def window_groups(
    family: Family, files: list[CorpusFile], clean: dict[str, list[str]]
) -> dict[str, list[list[Unit]]]:
    """Per source, the groups that windows are drawn from in turn (one per clean corpus)."""
    corpus = [
        (text_lines(f.data.decode(f.truth)), f.truth) for f in files if f.truth in family.truths
    ]
    clean_groups = [[(text_lines(doc), codec) for doc in clean[key]] for key, codec in family.clean]
    return {"corpus": [corpus], "clean": clean_groups}


def eligible(groups: list[list[Unit]], length: int) -> list[list[Unit]]:
    """Only lines that can hold a window of `length` with enough non-ASCII characters."""
    need = length // 2
    kept = []
    for group in groups:
        units = [
            ([(line, n) for line, n in lines if len(line) >= length and n >= need], codec)
            for lines, codec in group
        ]
        units = [unit for unit in units if unit[0]]
        if units:
            kept.append(units)
    return kept


def seeded(*parts: object) -> random.Random:
    """A generator seeded from the parts (str hashes are salted per process; CRC-32 is not)."""
    return random.Random(SEED ^ zlib.crc32("|".join(map(str, parts)).encode()))


def sample_windows(
    family: str, source: str, groups: list[list[Unit]], length: int, count: int
) -> list[Window]:
    rng = seeded(family, source, length)
    groups = eligible(groups, length)
    windows: list[Window] = []
    seen: set[str] = set()
    attempts = 0
    while groups and len(windows) < count and attempts < count * 50:
        attempts += 1
        lines, codec = rng.choice(groups[len(windows) % len(groups)])
        line, _ = rng.choice(lines)
        start = rng.randrange(len(line) - length + 1)
        text = line[start : start + length]
        if text in seen or non_ascii(text) < length // 2:
            continue
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue
        seen.add(text)
        windows.append(Window(family, source, length, text, data))
    return windows


def build_windows(files: list[CorpusFile], clean: dict[str, list[str]], count: int) -> list[Window]:
    windows: list[Window] = []
    for family in FAMILIES:
        for source, groups in window_groups(family, files, clean).items():
            for length in LENGTHS:
                windows += sample_windows(family.name, source, groups, length, count)
    return windows


@dataclass
class WindowScores:
    """Tallies per (family or pooled key, length), and what textmend's runner-up would fix."""

    tallies: dict[tuple[str, int], Tally] = field(default_factory=dict)
    rescued: Counter[int] = field(default_factory=Counter)  # wrong answer, right runner-up
    runner_ups: int = 0  # answers that named a runner-up at all
    legacy: Counter[int] = field(default_factory=Counter)  # legacy-family windows, by length
    as_utf8: Counter[int] = field(default_factory=Counter)  # ...textmend took for damaged UTF-8

    def add(self, window: Window, bench: Bench) -> None:
        answers = bench.answers(window.data)
        verdicts = bench.verdicts(answers, window.data, window.text)
        if window.family != "UTF-8":
            self.legacy[window.length] += 1
            not_utf8 = strict_decode(window.data, "utf-8") is None
            self.as_utf8[window.length] += not_utf8 and is_utf8(answers["textmend"].encoding)
        for key in (window.family, "pooled", f"pooled, {window.source}"):
            self.tallies.setdefault((key, window.length), Tally()).add(verdicts)
        runner_up = answers["textmend"].runner_up
        self.runner_ups += runner_up is not None
        if verdicts["textmend"] is Verdict.WRONG and runner_up is not None:
            second = bench.judge.verdict(strict_decode(window.data, runner_up), window.text)
            self.rescued[window.length] += second is not Verdict.WRONG

    def pooled(self) -> dict[int, Tally]:
        return {length: self.tallies["pooled", length] for length in LENGTHS}


def score_windows(windows: list[Window], bench: Bench) -> WindowScores:
    scores = WindowScores()
    for window in windows:
        scores.add(window, bench)
    return scores


def print_windows(scores: WindowScores) -> None:
    keys = [f.name for f in FAMILIES] + ["pooled, corpus", "pooled, clean", "pooled"]
    rows = [
        [key, str(length), str(tally.total), *tally.percents()]
        for key in keys
        for length in LENGTHS
        if (tally := scores.tallies.get((key, length)))
    ]
    print_table("2. Short windows, % right", ["family", "chars", "n", *DETECTOR_NAMES], rows)
    print_variants({f"{n} chars": tally for n, tally in scores.pooled().items()})
    as_utf8 = ", ".join(f"{n} chars {scores.as_utf8[n]} of {scores.legacy[n]}" for n in LENGTHS)
    print(f"\nlegacy-family windows textmend took for damaged UTF-8: {as_utf8}")
    if not scores.runner_ups:
        print("\ntextmend reports no runner_up (attribute missing or always None)")
        return
    pooled = scores.pooled()
    fixed = ", ".join(
        f"{n} chars {scores.rescued[n]} of {pooled[n].total - pooled[n].right['textmend']}"
        for n in LENGTHS
    )
    print(f"\ntextmend's wrong answers on which its runner_up would be right: {fixed}")


# --- 3. mixed files --------------------------------------------------------------------------


@dataclass(frozen=True)
class MixedFile:
    kind: str
    data: bytes
    lines: list[str]


def sentences(text: str) -> list[str]:
    """Lines split after 。！？, whitespace collapsed, each with at least 4 non-ASCII chars."""
    pieces = (p.strip() for line, _ in text_lines(text) for p in _SENTENCE_END.split(line))
    return [p for p in pieces if non_ascii(p) >= 4]


def sentence_run(rng: random.Random, docs: list[str], codec: str, count: int) -> list[str]:
    """`count` consecutive encodable sentences of one random document that has enough."""
    for _ in range(1000):
        lines = [s for s in sentences(rng.choice(docs)) if encodable(s, codec)]
        if len(lines) >= count:
            start = rng.randrange(len(lines) - count + 1)
            return lines[start : start + count]
    raise RuntimeError(f"no document with {count} sentences encodable in {codec}")


def gbk_lines_file(rng: random.Random, docs: list[str]) -> MixedFile:
    lines = sentence_run(rng, docs, "gbk", rng.randint(8, 12))
    in_gbk = set(rng.sample(range(len(lines)), rng.randint(2, 4)))
    data = b"\n".join(s.encode("gbk" if i in in_gbk else "utf-8") for i, s in enumerate(lines))
    return MixedFile(GBK_LINES_KIND, data, lines)


def two_documents_file(
    rng: random.Random, kind: str, parts: Sequence[tuple[str, str]], clean: dict[str, list[str]]
) -> MixedFile:
    lines: list[str] = []
    chunks: list[bytes] = []
    for corpus, codec in parts:
        run = sentence_run(rng, clean[corpus], codec, rng.randint(4, 8))
        lines += run
        chunks += [s.encode(codec) for s in run]
    return MixedFile(kind, b"\n".join(chunks), lines)


def build_mixed(clean: dict[str, list[str]], per_kind: int) -> list[MixedFile]:
    rng = seeded("mixed", GBK_LINES_KIND)
    files = [gbk_lines_file(rng, clean["zh_hans"]) for _ in range(per_kind)]
    for kind, first, second in MIXED_PAIRS:
        rng = seeded("mixed", kind)
        files += [two_documents_file(rng, kind, (first, second), clean) for _ in range(per_kind)]
    return files


def lines_right(answer: Answer, data: bytes, truth: list[str], judge: Judge) -> int:
    """Lines equal to the truth at the same index; peers decode with errors="replace"."""
    text = answer.text if answer.text is not None else lenient_decode(data, answer.encoding)
    if text is None:
        return 0
    got = without_bom(text).split("\n")
    return sum(
        judge.verdict(have, want) is not Verdict.WRONG
        for want, have in zip(truth, got, strict=False)
    )


def bench_mixed(files: list[MixedFile], bench: Bench) -> None:
    right: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    said_mixed = 0
    segments = 0
    for file in files:
        answers = bench.answers(file.data)
        said_mixed += answers["textmend"].encoding == "mixed"
        segments += answers["textmend"].segments
        for key in (file.kind, "all"):
            total[key] += len(file.lines)
            counts = right.setdefault(key, Counter())
            for name, answer in answers.items():
                counts[name] += lines_right(answer, file.data, file.lines, bench.judge)
    kinds = [GBK_LINES_KIND, *(kind for kind, _, _ in MIXED_PAIRS), "all"]
    count = Counter(f.kind for f in files)
    count["all"] = len(files)
    rows = [
        [kind, str(count[kind]), str(total[kind])]
        + [percent(right[kind][name], total[kind]) for name in DETECTOR_NAMES]
        for kind in kinds
    ]
    print_table(
        "3. Mixed-encoding files, % of lines right",
        ["kind", "files", "lines", *DETECTOR_NAMES],
        rows,
    )
    print(
        f"\ntextmend answered 'mixed' for {said_mixed} of {len(files)} files, "
        f"{segments / len(files):.1f} segments per file on average"
    )


# --- 5. damaged files ------------------------------------------------------------------------

DAMAGE_COPIES = 3  # damaged copies of each file, each with its own places
NEAR = 3  # characters either side of a damaged one that may differ from the truth
DAMAGE_SLACK = 2  # characters a damaged one may add or take away (a U+FFFD and a stray)
DAMAGE_KINDS = ("delete", "cut")
HALVES = ("tuning", "checking")


@dataclass(frozen=True)
class Damaged:
    """A labelled file (as stored, or without declarations) with 1-3 non-ASCII characters
    damaged: one of their bytes deleted, or the character cut after its first byte (as a
    truncated copy leaves it)."""

    file: CorpusFile
    variant: str
    original: bytes
    data: bytes
    truth: str  # the undamaged bytes' text
    places: tuple[int, ...]  # indexes in `truth` of the damaged characters


def half_of(file: CorpusFile) -> str:
    """A fixed split of the files: thresholds are chosen on the tuning half only."""
    return "tuning" if zlib.crc32(file.name.encode()) % 2 == 0 else "checking"


def char_spans(text: str, codec: str, data: bytes) -> list[tuple[int, int]] | None:
    """Each character's byte range in `data`, None where re-encoding does not give `data`."""
    spans: list[tuple[int, int]] = []
    at = 0
    for char in text:
        try:
            size = len(char.encode(codec))
        except UnicodeEncodeError:
            return None
        spans.append((at, at + size))
        at += size
    return spans if at == len(data) else None


def damage(file: CorpusFile, variant: str, data: bytes, copy: int) -> Damaged | None:
    """A damaged copy of `data` (seeded by the file, variant and copy), None if it has no
    non-ASCII character or its characters do not re-encode to its bytes."""
    truth = data.decode(file.truth)
    spans = char_spans(truth, file.truth, data)
    if spans is None:
        return None
    wide = [i for i, (start, _) in enumerate(spans) if data[start] >= 0x80]
    if not wide:
        return None
    rng = seeded("damage", file.name, variant, copy)
    places = sorted(rng.sample(wide, min(len(wide), rng.randint(1, 3))))
    damaged = bytearray(data)
    for index in reversed(places):
        start, end = spans[index]
        if rng.choice(DAMAGE_KINDS) == "cut" and end - start > 1:
            del damaged[start + 1 : end]
        else:
            del damaged[rng.randrange(start, end)]
    return Damaged(file, variant, data, bytes(damaged), truth, tuple(places))


def near_truth(text: str | None, damaged: Damaged) -> bool:
    """`text` is the truth but near each damaged character: the truth's stretches more
    than NEAR characters from any come in order, each as far after the last as in the
    truth, give or take DAMAGE_SLACK characters per damaged one between them. Codec-table
    variants are folded (which of a codec and its superset decoded a text is section 1's
    question, not this one's)."""
    if text is None:
        return False
    skew = len(damaged.truth) - len(without_bom(damaged.truth))
    fold = variant_fold()
    text, truth = without_bom(text).translate(fold), without_bom(damaged.truth).translate(fold)
    cuts = [p - skew for p in damaged.places]
    starts = [0, *(p + NEAR + 1 for p in cuts)]
    ends = [*(p - NEAR for p in cuts), len(truth)]
    at = kept = passed = 0  # in the text, in the truth; damaged characters since then
    for start, end in zip(starts, ends, strict=True):
        if start >= end:
            passed += 1
            continue
        expected, slack = at + start - kept, DAMAGE_SLACK * passed
        found = next(
            (
                i
                for i in range(max(at, expected - slack), expected + slack + 1)
                if text.startswith(truth[start:end], i)
            ),
            None,
        )
        if found is None:
            return False
        at, kept, passed = found + end - start, end, 1
    return abs((len(text) - at) - (len(truth) - kept)) <= DAMAGE_SLACK * (passed - 1)


def damaged_files(files: list[CorpusFile]) -> list[Damaged]:
    """Damaged copies, as stored and without declarations, of the legacy-codec files and
    of the UTF-8 files (not ASCII, not UTF-16/32, where a lost byte is another matter)."""
    kept = [f for f in files if f.truth == "utf_8" or not f.truth.startswith(("utf", "ascii"))]
    made = (
        damage(file, variant, data, copy)
        for file in kept
        for variant, data in (("as stored", file.data), ("no decl.", undeclared(file)))
        for copy in range(DAMAGE_COPIES)
    )
    return [d for d in made if d is not None]


@dataclass
class DamageTally:
    """Damaged files whose answer is the right codec (it decodes the undamaged bytes to
    their text), and whose text is the truth but near the damage (peers: their codec with
    errors="replace"; textmend: its own text), per detector."""

    total: int = 0
    codec: Counter[str] = field(default_factory=Counter)
    text: Counter[str] = field(default_factory=Counter)

    def add(self, damaged: Damaged, answers: dict[str, Answer], judge: Judge) -> None:
        self.total += 1
        for name, answer in answers.items():
            text = answer.decoded
            if text is None:
                text = lenient_decode(damaged.data, answer.encoding)
            near = near_truth(text, damaged)
            self.text[name] += near
            if answer.encoding == "mixed":
                self.codec[name] += near
            else:
                undamaged = strict_decode(damaged.original, answer.encoding)
                self.codec[name] += judge.verdict(undamaged, damaged.truth) is not Verdict.WRONG

    def cells(self) -> list[str]:
        return [
            f"{percent(self.codec[n], self.total)} / {percent(self.text[n], self.total)}"
            for n in DETECTOR_NAMES
        ]


def bench_damaged(files: list[CorpusFile], bench: Bench, halves: Sequence[str]) -> None:
    """Section 5: the damaged copies, by half, kind and variant; per codec as stored."""
    totals: dict[str, DamageTally] = {}
    by_codec: dict[str, DamageTally] = {}
    for damaged in damaged_files(files):
        half = half_of(damaged.file)
        if half not in halves:
            continue
        answers = bench.answers(damaged.data)
        kind = "UTF-8" if damaged.file.truth == "utf_8" else "legacy"
        key = f"{kind}, {half}, {damaged.variant}"
        totals.setdefault(key, DamageTally()).add(damaged, answers, bench.judge)
        if kind == "legacy" and damaged.variant == "as stored":
            codec = f"{damaged.file.truth}, {half}"
            by_codec.setdefault(codec, DamageTally()).add(damaged, answers, bench.judge)
    rows = [[k, str(t.total), *t.cells()] for k, t in sorted(totals.items())]
    rows += [[k, str(t.total), *t.cells()] for k, t in sorted(by_codec.items())]
    print_table(
        f"5. Damaged files ({DAMAGE_COPIES} copies each, 1-3 characters damaged): % right "
        f"codec / % text equal but within {NEAR} characters of each damaged one",
        ["files", "n", *DETECTOR_NAMES],
        rows,
    )


# --- 4. speed --------------------------------------------------------------------------------


def throughput(detect: Detector, inputs: list[bytes], runs: int) -> float:
    """MB/s of input, best of `runs` passes over all of `inputs`."""
    size = sum(len(data) for data in inputs)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for data in inputs:
            detect(data)
        best = min(best, time.perf_counter() - start)
    return size / best / 1e6


def bench_speed(files: list[CorpusFile], detectors: dict[str, Detector], runs: int) -> None:
    sets = {
        "UTF-8 files": [f.data for f in files if f.truth in ("utf_8", "utf_8_sig")],
        "legacy files, no decl.": [
            undeclared(f) for f in files if not f.truth.startswith("utf") and f.truth != "ascii"
        ],
    }
    for detect in detectors.values():
        detect("預熱".encode("big5"))  # load lazily imported modules before timing
    rows = [
        [name, str(len(inputs)), f"{sum(map(len, inputs)) / 1e6:.2f}"]
        + [f"{throughput(detectors[d], inputs, runs):.1f}" for d in DETECTOR_NAMES]
        for name, inputs in sets.items()
    ]
    print_table(
        f"4. Speed, MB/s, best of {runs}, one core",
        ["input", "files", "MB", *DETECTOR_NAMES],
        rows,
    )


# --- 6. scaling (--scaling) ----------------------------------------------------------------

SCALING_MB = (1, 2, 4, 8)


def scaling_inputs(clean: dict[str, list[str]]) -> dict[str, Callable[[int], bytes]]:
    """Makers of inputs of a given size: legacy text, UTF-8 and GBK lines taking turns
    (every line a codec switch for the line-by-line pass), random bytes."""

    def text_in(corpus: str, codec: str) -> bytes:
        return "\n".join(clean[corpus]).encode(codec, errors="ignore")

    gbk, big5, sjis = text_in("zh_hans", "gbk"), text_in("zh_hant", "big5"), text_in("ja", "cp932")
    lines = [line for doc in clean["zh_hans"] for line in doc.splitlines() if line.strip()]
    alternating = b"\n".join(
        line.encode("gbk" if i % 2 else "utf-8", errors="ignore") for i, line in enumerate(lines)
    )
    noise = random.Random(SEED).randbytes(len(gbk))
    damaged = with_stray_bytes(text_in("zh_hans", "utf-8"), STRAY_EVERY)

    def sized(data: bytes) -> Callable[[int], bytes]:
        return lambda size: (data * (size // len(data) + 1))[:size]

    return {
        "GBK text": sized(gbk),
        "Big5 text": sized(big5),
        "Shift-JIS text": sized(sjis),
        "UTF-8, every other line GBK": sized(alternating),
        f"UTF-8, a stray byte every {STRAY_EVERY:,} bytes": sized(damaged),
        "random bytes": sized(noise),
    }


STRAY_EVERY = 1_000


def with_stray_bytes(data: bytes, every: int) -> bytes:
    """UTF-8 `data` with a stray byte (0xFF) put at the first character boundary after each
    `every` bytes: one invalid sequence each."""
    pieces: list[bytes] = []
    done = 0
    for at in range(every, len(data), every):
        while at < len(data) and 0x80 <= data[at] < 0xC0:  # a trail byte: not a boundary
            at += 1
        if at > done:
            pieces += [data[done:at], b"\xff"]
            done = at
    return b"".join([*pieces, data[done:]])


def seconds_to_decode(data: bytes) -> float:
    started = time.perf_counter()
    with contextlib.suppress(DecodeError):  # random bytes are refused: that is timed too
        decode(data)
    return time.perf_counter() - started


def bench_scaling(clean: dict[str, list[str]]) -> None:
    """Section 6: textmend's decode on 1, 2, 4 and 8 MB of each input: seconds per MB, and
    how the time grows per doubling (2.0 is linear)."""
    rows = []
    for name, make in scaling_inputs(clean).items():
        times = [seconds_to_decode(make(mb * 1_000_000)) for mb in SCALING_MB]
        growth = " / ".join(f"{later / earlier:.2f}" for earlier, later in pairwise(times))
        per_mb = (f"{t / mb:.3f}" for t, mb in zip(times, SCALING_MB, strict=True))
        rows.append([name, *per_mb, growth])
    headers = ["input", *(f"s/MB at {mb} MB" for mb in SCALING_MB), "growth per doubling"]
    print_table("6. Decoding time by input size, one core", headers, rows)


# --- 7. short damaged UTF-8 (both ways) -------------------------------------------------

SHORT_RANGE = (2, 20)  # window lengths, drawn uniformly


class ShortDamage(Enum):
    """How one character of a short UTF-8 window is damaged."""

    STRAY = "stray byte"  # a byte put before it
    CUT_END = "cut at the end"  # the window cut inside it
    CUT_MIDDLE = "cut in the middle"  # its last bytes lost
    LOST_LEAD = "lost lead byte"


KINDS = tuple(ShortDamage)
SHORT_BANDS = ((2, 4), (5, 9), (10, 20))
CLEAN_SOURCES = ("zh_hans", "zh_hant", "ja", "ko")
LATIN_TRUTHS = ("cp1252", "latin_1", "cp1250")
EUROPEAN = "European (Latin files)"
MAX_MARKS = 3  # U+FFFD one damaged character may become (a lost lead: its 1-3 trail bytes)
LEGACY_SHARE = 5  # legacy windows per (codec, half): short_windows // LEGACY_SHARE

Lines = list[tuple[str, int]]  # a document's lines with their non-ASCII counts


@dataclass(frozen=True)
class ShortWindow:
    """A window of text in bytes: damaged UTF-8 (`after` and `before` are the text either
    side of the damaged character) or an undamaged legacy window (`before` is its text)."""

    source: str
    half: str
    kind: str  # the ShortDamage's value, or the legacy window's codec
    length: int
    data: bytes
    before: str
    after: str = ""


def document_half(text: str) -> str:
    """The half of a clean document, by a fixed rule (as `half_of` for files)."""
    return HALVES[zlib.crc32(text.encode()) % 2]


BAND_NAMES = tuple(f"{low}-{high} chars" for low, high in SHORT_BANDS)


def band_of(length: int) -> str:
    return next(
        name
        for (low, high), name in zip(SHORT_BANDS, BAND_NAMES, strict=True)
        if low <= length <= high
    )


def wide_enough(text: str, cjk: bool) -> bool:
    """At least 2 non-ASCII characters; CJK text also at least half of the window."""
    return non_ascii(text) >= (max(2, len(text) // 2) if cjk else 2)


def draw_text(rng: random.Random, docs: list[Lines], cjk: bool) -> str | None:
    """A window of a length drawn from SHORT_RANGE, from a random line that holds one."""
    length = rng.randint(*SHORT_RANGE)
    for _ in range(200):
        lines = [(line, n) for line, n in rng.choice(docs) if len(line) >= length and n >= 2]
        if not lines:
            continue
        line, _ = rng.choice(lines)
        start = rng.randrange(len(line) - length + 1)
        text = line[start : start + length]
        if wide_enough(text, cjk):
            return text
    return None


def damaged_window(rng: random.Random, text: str, kind: ShortDamage) -> tuple[bytes, str, str]:
    """`text` in UTF-8 with one character damaged the `kind` way: the bytes, and the text
    before and after the damaged character."""
    wide = [i for i, char in enumerate(text) if ord(char) > 0x7F]
    if kind is ShortDamage.STRAY:
        at = rng.randrange(len(text) + 1)
        stray = bytes([rng.randrange(0x80, 0x100)])
        return text[:at].encode() + stray + text[at:].encode(), text[:at], text[at:]
    if kind is ShortDamage.CUT_END:  # not the first: an intact character stays
        at = rng.choice(wide[1:])
        char = text[at].encode()
        return text[:at].encode() + char[: rng.randrange(1, len(char))], text[:at], ""
    if kind is ShortDamage.CUT_MIDDLE:
        at = rng.choice([i for i in wide if i < len(text) - 1] or wide)
        char = text[at].encode()
        head = char[: rng.randrange(1, len(char))]
        return text[:at].encode() + head + text[at + 1 :].encode(), text[:at], text[at + 1 :]
    at = rng.choice(wide)  # ShortDamage.LOST_LEAD
    tail = text[at].encode()[1:]
    return text[:at].encode() + tail + text[at + 1 :].encode(), text[:at], text[at + 1 :]


def short_damaged_windows(
    files: list[CorpusFile], clean: dict[str, list[str]], count: int
) -> list[ShortWindow]:
    """`count` damaged windows per (source, half), kinds in turn."""
    sources: dict[str, list[tuple[str, Lines]]] = {
        name: [(document_half(doc), text_lines(doc)) for doc in clean[name]]
        for name in CLEAN_SOURCES
    }
    sources[EUROPEAN] = [
        (half_of(f), text_lines(f.data.decode(f.truth))) for f in files if f.truth in LATIN_TRUTHS
    ]
    windows: list[ShortWindow] = []
    for source, docs in sources.items():
        cjk = source != EUROPEAN
        for half in HALVES:
            rng = seeded("short damaged", source, half)
            mine = [lines for doc_half, lines in docs if doc_half == half]
            made = 0
            for _ in range(count * 20):
                if made == count:
                    break
                text = draw_text(rng, mine, cjk)
                if text is None:
                    continue
                kind = KINDS[made % len(KINDS)]
                data, before, after = damaged_window(rng, text, kind)
                if strict_decode(data, "utf-8") is not None:
                    continue  # a stray byte that happened to complete a character
                window = ShortWindow(source, half, kind.value, len(text), data, before, after)
                windows.append(window)
                made += 1
    return windows


def legacy_windows(files: list[CorpusFile], count: int) -> list[ShortWindow]:
    """`count` undamaged windows per (legacy codec of the manifest, half), in that codec."""
    legacy = [f for f in files if not f.truth.startswith(("utf", "ascii", "iso2022"))]
    windows: list[ShortWindow] = []
    for truth in sorted({f.truth for f in legacy}):
        for half in HALVES:
            mine = [f for f in legacy if f.truth == truth and half_of(f) == half]
            if not mine:
                continue
            docs = [text_lines(f.data.decode(f.truth)) for f in mine]
            rng = seeded("short legacy", truth, half)
            source = "CJK codecs" if mine[0].cjk else "single-byte codecs"
            seen: set[str] = set()
            for _ in range(count * 20):
                if len(seen) == count:
                    break
                text = draw_text(rng, docs, mine[0].cjk)
                data = None if text is None or text in seen else encoded(text, truth)
                if text is None or data is None:
                    continue
                seen.add(text)
                windows.append(ShortWindow(source, half, truth, len(text), data, text))
    return windows


def encoded(text: str, codec: str) -> bytes | None:
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return None


def right_outside_damage(answer: Answer, window: ShortWindow) -> bool:
    """The answer is UTF-8 (or textmend's "mixed") and its text is the window's but for
    1-MAX_MARKS U+FFFD in the damaged character's place."""
    if not is_utf8(answer.encoding) and answer.encoding != "mixed":
        return False
    text = answer.decoded if answer.decoded is not None else lenient_decode(window.data, "utf-8")
    if text is None or not text.startswith(window.before) or not text.endswith(window.after):
        return False
    middle = text[len(window.before) : len(text) - len(window.after)]
    return 1 <= len(middle) <= MAX_MARKS and middle == "\ufffd" * len(middle)


@dataclass
class HalfTally:
    """Counts per half and detector, printed as tuning / checking percentages."""

    total: Counter[str] = field(default_factory=Counter)
    hits: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, half: str, hits: dict[str, bool]) -> None:
        self.total[half] += 1
        for name, hit in hits.items():
            self.hits.setdefault(name, Counter())[half] += hit

    def cell(self, name: str) -> str:
        counts = self.hits.get(name, Counter())
        return " / ".join(percent(counts[h], self.total[h]) for h in HALVES)

    def size(self) -> str:
        return " / ".join(str(self.total[h]) for h in HALVES)


def bench_short_damaged(
    files: list[CorpusFile], clean: dict[str, list[str]], bench: Bench, count: int
) -> None:
    """Section 7: damaged UTF-8 windows read as UTF-8; legacy windows not read as UTF-8."""
    damaged: dict[str, HalfTally] = {}
    for window in short_damaged_windows(files, clean, count):
        answers = bench.answers(window.data)
        hits = {name: right_outside_damage(a, window) for name, a in answers.items()}
        for key in (window.source, window.kind, band_of(window.length), "all"):
            damaged.setdefault(key, HalfTally()).add(window.half, hits)
    print_table(
        "7a. Short damaged UTF-8 (one character damaged): % read as UTF-8 with the text right "
        "outside the damage, tuning / checking",
        ["windows", "n", *DETECTOR_NAMES],
        [
            [key, damaged[key].size(), *map(damaged[key].cell, DETECTOR_NAMES)]
            for key in [*CLEAN_SOURCES, EUROPEAN, *(k.value for k in KINDS), *BAND_NAMES, "all"]
            if key in damaged
        ],
    )
    as_utf8: dict[str, HalfTally] = {}
    right: dict[str, HalfTally] = {}
    valid = 0  # windows whose bytes are valid UTF-8 too: no answer UTF-8 is "damaged"
    for window in legacy_windows(files, count // LEGACY_SHARE):
        answers = bench.answers(window.data)
        verdicts = bench.verdicts(answers, window.data, window.before)
        valid_utf8 = strict_decode(window.data, "utf-8") is not None
        valid += valid_utf8
        for key in (window.source, band_of(window.length), "all"):
            as_utf8.setdefault(key, HalfTally()).add(
                window.half,
                {n: not valid_utf8 and is_utf8(a.encoding) for n, a in answers.items()},
            )
            right.setdefault(key, HalfTally()).add(
                window.half, {n: v is not Verdict.WRONG for n, v in verdicts.items()}
            )
    print_table(
        "7b. Legacy windows of 2-20 characters (every legacy codec of the corpus): % taken for "
        "damaged UTF-8 (answered UTF-8, not valid UTF-8) | % right, tuning / checking",
        ["windows", "n", *DETECTOR_NAMES, *(f"{n}, right" for n in DETECTOR_NAMES)],
        [
            [
                key,
                tally.size(),
                *map(tally.cell, DETECTOR_NAMES),
                *map(right[key].cell, DETECTOR_NAMES),
            ]
            for key in ["CJK codecs", "single-byte codecs", *BAND_NAMES, "all"]
            if (tally := as_utf8.get(key))
        ],
    )
    print(f"\n{valid} of the legacy windows are valid UTF-8 as well (box drawing in Johab, ...)")


# --- 8. every codec family (--broad) -----------------------------------------------------------

BROAD_WINDOWS = 12  # windows per (sample, length) of section 8; --quick: 3


@dataclass
class SecondOpinion:
    """charset-normalizer as a second opinion to textmend, per part: where it alone is
    right, and where it names textmend's runner-up, who is right there."""

    alone: Counter[str] = field(default_factory=Counter)
    runner_up: Counter[str] = field(default_factory=Counter)
    textmend_right: Counter[str] = field(default_factory=Counter)
    peer_right: Counter[str] = field(default_factory=Counter)

    def add(self, part: str, answers: dict[str, Answer], verdicts: dict[str, Verdict]) -> None:
        textmend_right = verdicts["textmend"] is not Verdict.WRONG
        peer_right = verdicts["charset-normalizer"] is not Verdict.WRONG
        self.alone[part] += peer_right and not textmend_right
        peer, runner_up = answers["charset-normalizer"].encoding, answers["textmend"].runner_up
        if peer and runner_up and _codec_name(peer) == _codec_name(runner_up):
            self.runner_up[part] += 1
            self.textmend_right[part] += textmend_right
            self.peer_right[part] += peer_right

    def line(self, what: str, totals: dict[str, int]) -> str:
        return f"{what}: " + "; ".join(
            f"{part}: right where textmend is not {self.alone[part]} of {totals.get(part, 0)}, "
            f"names textmend's runner-up {self.runner_up[part]} (textmend right "
            f"{self.textmend_right[part]}, it {self.peer_right[part]})"
            for part in (TUNING, CHECKING)
        )


def _codec_name(codec: str) -> str:
    try:
        return codecs.lookup(codec).name
    except LookupError:
        return codec


def _broad_tally(
    samples: list[Sample],
    bench: Bench,
    confusions: Counter[tuple[str, str]],
    opinion: SecondOpinion,
) -> dict[tuple[str, str], Tally]:
    """Tallies per (family, part) and per ("all", part); tuning-part confusions of
    textmend; charset-normalizer's worth as a second opinion."""
    tallies: dict[tuple[str, str], Tally] = {}
    for sample in samples:
        answers = bench.answers(sample.data)
        verdicts = bench.verdicts(answers, sample.data, sample.text)
        for key in ((sample.family, sample.part), ("all", sample.part)):
            tallies.setdefault(key, Tally()).add(verdicts)
        if sample.part == TUNING and verdicts["textmend"] is Verdict.WRONG:
            confusions[sample.codec, str(answers["textmend"].encoding)] += 1
        opinion.add(sample.part, answers, verdicts)
    return tallies


def _print_broad(title: str, tallies: dict[tuple[str, str], Tally]) -> None:
    families = [*sorted({family for family, _ in tallies if family != "all"}), "all"]
    rows = []
    for family in families:
        row = [family]
        for part in (TUNING, CHECKING):
            tally = tallies.get((family, part), Tally())
            row += [str(tally.total), *tally.percents()]
        rows.append(row)
    headers = ["family", *(f"{p} {h}" for p in ("tun.", "chk.") for h in ("n", *DETECTOR_NAMES))]
    print_table(title, headers, rows)


def bench_broad(bench: Bench, per_window: int) -> None:
    """Section 8: whole files and windows of every codec family, tuning and checking parts."""
    synthetic, real = synthetic_files(), real_files()
    confusions: Counter[tuple[str, str]] = Counter()
    files_opinion, windows_opinion = SecondOpinion(), SecondOpinion()
    print(f"\n8. Every codec family: {len(synthetic)} UDHR files, {len(real)} real labelled files")
    tallies = _broad_tally(synthetic, bench, confusions, files_opinion)
    _print_broad("8a. UDHR whole files, % right", tallies)
    if real:
        real_tallies = _broad_tally(real, bench, confusions, files_opinion)
        _print_broad("8b. Real labelled files, % right", real_tallies)
        for key, tally in real_tallies.items():
            pooled = tallies.setdefault(key, Tally())
            pooled.total += tally.total
            pooled.right.update(tally.right)
    windows: dict[int, list[Sample]] = {}
    for sample in synthetic + real:
        for length, window in windows_of(
            sample, WINDOW_LENGTHS, per_window, seeded(8, sample.name)
        ):
            windows.setdefault(length, []).append(window)
    window_counts: Counter[str] = Counter()
    for length in WINDOW_LENGTHS:
        opinion = windows_opinion if length == 20 else SecondOpinion()
        window_tallies = _broad_tally(windows.get(length, []), bench, confusions, opinion)
        _print_broad(
            f"8c. Windows of {length} characters (UDHR and real pooled), % right", window_tallies
        )
        if length == 20:
            window_counts = Counter(
                {
                    part: window_tallies[("all", part)].total
                    for part in (TUNING, CHECKING)
                    if ("all", part) in window_tallies
                }
            )
    _print_broad("8d. Whole files, UDHR and real pooled, % right", tallies)
    file_counts = {
        part: tallies[("all", part)].total
        for part in (TUNING, CHECKING)
        if ("all", part) in tallies
    }
    print("\ncharset-normalizer as a second opinion")
    print("  " + files_opinion.line("whole files", file_counts))
    print("  " + windows_opinion.line("windows of 20 characters", window_counts))
    common = ", ".join(
        f"{truth}->{answer} {n}" for (truth, answer), n in confusions.most_common(30)
    )
    print(f"\ntextmend's commonest confusions on the tuning part (truth->answer count): {common}")


# --- main ------------------------------------------------------------------------------------


def print_header(shared: Path, settings: Settings, literal: bool) -> None:
    print(
        f"textmend {textmend.__version__} (package sha1 {digest(PACKAGE)}), "
        f"charset-normalizer {charset_normalizer.__version__}, chardet {chardet.__version__}, "
        f"Python {sys.version.split()[0]}"
    )
    print(
        f"data: {shared}; {settings.windows} windows per (family, length, source), "
        f"{settings.mixed_files} mixed files per kind, {settings.short_windows} short damaged "
        "windows per (source, half)"
    )
    print(
        "right = same text as the truth codec"
        + ("" if literal else " once codec-table variants are folded (U+2015/U+2014, ...)")
    )


def print_summary(pooled: dict[int, Tally]) -> None:
    lengths = "/".join(map(str, LENGTHS))
    print(f"\nSummary, short windows pooled over the six families ({lengths} characters):")
    width = max(map(len, DETECTOR_NAMES))
    for name in DETECTOR_NAMES:
        figures = " / ".join(percent(pooled[n].right[name], pooled[n].total) for n in LENGTHS)
        print(f"  {name:<{width}}  {figures} %")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    made = parser(__doc__, "fewer windows and files (smoke run)")
    made.add_argument(
        "--damaged",
        choices=("tuning", "checking", "both"),
        help="only section 5 (damaged files), on this half of the files",
    )
    made.add_argument(
        "--scaling",
        action="store_true",
        help="only section 6: decoding time on 1-8 MB of legacy, alternating and random input",
    )
    made.add_argument(
        "--short-damaged",
        action="store_true",
        help="only section 7: short windows of damaged UTF-8, and of legacy text",
    )
    made.add_argument(
        "--broad",
        action="store_true",
        help="only section 8: whole files and windows of every codec family",
    )
    made.add_argument(
        "--fold",
        action="store_true",
        help="also accept codec-table variants of the same bytes (GB2312 U+2015 vs "
        "GBK U+2014, Shift-JIS U+301C vs cp932 U+FF5E, ...)",
    )
    return made.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    shared: Path = args.shared
    if not (shared / "corpora" / "encodings" / "manifest.csv").is_file():
        print(f"bench_decode: no encoding corpus under {shared}, nothing to measure")
        return 0
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    print_header(shared, settings, not args.fold)
    measured = digest(PACKAGE)
    files = load_corpus(shared)
    clean = load_clean(shared)
    guard = Guard()
    bench = Bench(make_detectors(guard), Judge(variant_fold() if args.fold else {}))
    if args.scaling:
        bench_scaling(load_clean(shared))
        return finish(PACKAGE, measured, started)
    if args.damaged:
        halves = HALVES if args.damaged == "both" else (args.damaged,)
        bench_damaged(files, bench, halves)
        guard.print_failures("counted wrong")
        return finish(PACKAGE, measured, started)
    if args.broad:
        bench_broad(bench, 3 if args.quick else BROAD_WINDOWS)
        guard.print_failures("counted wrong")
        return finish(PACKAGE, measured, started)
    if args.short_damaged:
        bench_short_damaged(files, clean, bench, settings.short_windows)
        guard.print_failures("counted wrong")
        return finish(PACKAGE, measured, started)
    bench_files(files, bench)
    scores = score_windows(build_windows(files, clean, settings.windows), bench)
    print_windows(scores)
    bench_mixed(build_mixed(clean, settings.mixed_files), bench)
    bench_damaged(files, bench, HALVES)
    bench_speed(files, bench.detectors, settings.speed_runs)
    bench_short_damaged(files, clean, bench, settings.short_windows)
    bench_broad(bench, 3 if args.quick else BROAD_WINDOWS)
    print_summary(scores.pooled())
    guard.print_failures("counted wrong")
    return finish(PACKAGE, measured, started)


if __name__ == "__main__":
    sys.exit(main())
