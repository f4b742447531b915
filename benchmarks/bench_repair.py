"""Mojibake repair: textmend's repair_mojibake against ftfy, in one run.

Run: .venv/bin/python benchmarks/bench_repair.py [--quick] [--shared PATH] [--sections 1,1d,..]
[--kinds TEXT]; --quick is a smoke run with fewer samples, documents and timing passes;
--sections runs only those sections (the summary needs all), --kinds only the kinds of
section 1 whose name holds TEXT (section 4's corrupted samples too).
Inputs: ../shared/corpora/clean (zh_hans_wiki, zh_hant_wiki, ja_wiki JSONL `text`; ko_law/**/*.txt)
and ../shared/corpora/ftfy_cases. Without them the script says so in one line and exits 0.

Tools: `textmend.repair.repair_mojibake(text)` (with `lossy="keep"` / `"mark"` on the lossy
kinds), `ftfy.fix_text(text)` with defaults and `ftfy.fix_encoding(text)`. If textmend's
function cannot be imported, or has no `lossy` parameter, its columns say "n/a"; an exception
in any call counts as "no repair" (its output is taken to be its input) and is reported.

1. Corruption kinds, each measured on its own, on seeded samples of 6, 20 and 100+ characters:
   6 and 20 are windows of whitespace-collapsed lines, 100+ are document excerpts (newlines
   kept) of 100 to 400 characters. Each sample holds at least half non-ASCII characters and
   comes from the corpus of the kind's script (simplified Chinese for GBK, traditional for Big5,
   Japanese for Shift-JIS, Korean for EUC-KR, the four in turn for UTF-8 kinds). A kind is one
   or more rounds of `text.encode(A).decode(B)`, errors="strict"; samples that fail to encode or
   decode, or whose rounds cannot be undone exactly, are skipped (so long samples of kinds that
   rarely decode strictly, such as UTF-8 read as Big5, are few or none: the n column says so).
   Mixed line: only a middle span of 4-12 characters (at least half non-ASCII) is corrupted.
   GBK read as cp1252 then NFKC (issue 12) is a row per part: a tuning part drawn from the
   even-indexed simplified-Chinese documents (what its rule was looked at on) and a checking
   part from the odd-indexed ones.
   Lossless kinds: restored-exactly % (output == original) and CER, the character error rate:
   Levenshtein distance to the original summed over the samples / their summed length (so CER
   before repair can exceed 100 %). Lossy kinds: 锟斤拷 (characters replaced by U+FFFD, then
   UTF-8 read as GBK with errors="replace") and UTF-8 read as GBK with errors="replace" after
   dropping the last UTF-8 byte. Both are scored against the original text; "invented" counts
   output characters that occur nowhere in the original nor in "锟斤拷\\ufffd?".
2. False changes: how many untouched clean documents (full text) and ftfy negative cases
   (negative.json, `original`) each tool changes at all.
3. ftfy parity: the in-the-wild.json and synthetic.json cases that ftfy passes itself
   (`expect` == "pass" and `fix_encoding(original)` gives `fixed-encoding`, else `fixed`), and
   how many of them repair_mojibake also turns into exactly that text.
4. Speed, MB/s of UTF-8 input, best of 3 passes: on the clean documents (one call each) and on
   each kind's samples of section 1 joined by newlines (one call per kind).
5. Whole documents: up to 60 documents per kind (a file read with the wrong codec), each a
   full clean document of the kind's corpora corrupted as in section 1 (mixed line: one span
   in the document); restored-exactly % and MB/s (best of 3, one call per document), per
   kind and over all kinds.
1c. Lossy UTF-8 read as GBK (issue 12): the decoders that read on where a byte is no GBK,
   modelled byte by byte (Python's errors="replace" and "ignore", Windows code page 936), on
   windows of 20 characters and excerpts of 100-400; a sample is restored when the output is
   the text with one U+FFFD for each character that lost a byte. Samples are split by a hash
   of their text into a tuning part and a checking part. "invented": output characters that
   are neither the truth's (on an alignment of greatest weight, U+FFFD matching anything) nor
   the input's.
1d. Single-byte code pages read as another (issue 12): Hebrew (cp1255) and Cyrillic (cp1251)
   bytes read as cp1252 or latin-1, Hebrew read as KOI8-R, Cyrillic in cp1251 read as KOI8-R
   and in KOI8-R read as cp1251. The clean corpora hold no Hebrew or Cyrillic: the source
   text is the UDHR (benchmarks/data/udhr, one paragraph a line), split by language into a
   tuning part (Russian rus, Hebrew heb: what the margins were looked at on) and a checking
   part (Ukrainian ukr and Bulgarian bul for Cyrillic, Yiddish ydd for Hebrew). Sampled and
   scored as the lossless kinds of 1a (6 / 20 / 100+ characters, a file being one document
   of 100+), each kind a row per part; not pooled into the summary's other groups.
Summary: restored-exactly % pooled per length over the lossless kinds, in three groups: UTF-8
read as cp1252 (once, twice; ftfy's home ground), the kinds normalised with NFKC after the
wrong decoding (as corpus pipelines do: `ä½ å¥½` became `ä1⁄2 å¥1⁄2`; samples NFKC changed),
and all the others ("CJK codec kinds", mixed lines included); the lossy kinds pooled; then
sections 2-4 in one line each.

Everything is seeded: two runs on the same data and versions print the same figures, speed
aside.
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import json
import random
import re
import sys
import time
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import ftfy

from reporting import Guard, digest, finish, load_clean, parser, print_table, unchanged

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "textmend"
SEED = 20240311
LENGTHS = (6, 20, 100)  # 100 stands for excerpts of 100 to MAX_LONG characters
MAX_LONG = 400
SPAN = (4, 12)  # corrupted span of a mixed line
LOSSY_MARKS = set("锟斤拷\ufffd?")
CORPORA = ("zh_hans", "zh_hant", "ja", "ko")
NA = "n/a"
_WHITESPACE = re.compile(r"\s+")

Tool = Callable[[str], str]


# --- settings and data -----------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """How much to measure: the full run or a --quick smoke run."""

    samples: int  # per (kind, length)
    attempts: int  # draws per wanted sample before giving up on a (kind, length)
    clean_docs: int | None  # documents per clean corpus for sections 2 and 4; None for all
    speed_runs: int
    whole_docs: int  # corrupted whole documents per kind, section 5


FULL = Settings(samples=100, attempts=2000, clean_docs=None, speed_runs=3, whole_docs=60)
QUICK = Settings(samples=15, attempts=300, clean_docs=60, speed_runs=1, whole_docs=8)


def load_normalised(shared: Path) -> dict[str, list[str]]:
    """The clean corpora, newlines normalised to \\n."""
    return {
        key: [d.replace("\r\n", "\n").replace("\r", "\n") for d in docs]
        for key, docs in load_clean(shared).items()
    }


def load_cases(shared: Path, name: str) -> list[dict[str, str]]:
    path = shared / "corpora" / "ftfy_cases" / f"{name}.json"
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def non_ascii(text: str) -> int:
    return sum(1 for char in text if ord(char) > 0x7F)


def mostly_cjk(text: str) -> bool:
    return 2 * non_ascii(text) >= len(text)


def seeded(*parts: object) -> random.Random:
    """A generator seeded from the parts (str hashes are salted per process; CRC-32 is not)."""
    return random.Random(SEED ^ zlib.crc32("|".join(map(str, parts)).encode()))


def length_label(length: int) -> str:
    return f"{length}+" if length == LENGTHS[-1] else str(length)


# --- corruption kinds ------------------------------------------------------------------------


class Mode(Enum):
    WHOLE = "whole"  # every round applied to the whole sample, strictly
    SPAN = "span"  # one round applied strictly to a middle span only
    FFFD = "fffd"  # characters replaced by U+FFFD, UTF-8 read as GBK, errors="replace"
    ODD = "odd"  # last UTF-8 byte dropped, read as GBK, errors="replace"
    NFKC = "nfkc"  # every round applied strictly, then NFKC (as corpus pipelines do)


Rounds = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Kind:
    name: str
    corpora: tuple[str, ...]
    rounds: Rounds
    mode: Mode = Mode.WHOLE
    home: bool = False  # ftfy's home ground: UTF-8 read as cp1252

    @property
    def lossy(self) -> bool:
        return self.mode in (Mode.FFFD, Mode.ODD)


UTF8_GBK: Rounds = (("utf-8", "gbk"),)
# The simplified-Chinese documents by index, even and odd: the GBK NFKC kind's tuning
# part (what its rule was looked at on) and its checking part.
ZH_EVEN, ZH_ODD = "zh_hans even", "zh_hans odd"
KINDS = (
    Kind("UTF-8 as GBK", CORPORA, UTF8_GBK),
    Kind("UTF-8 as GB18030", CORPORA, (("utf-8", "gb18030"),)),
    Kind("UTF-8 as Big5", CORPORA, (("utf-8", "big5"),)),
    Kind("UTF-8 as cp932", CORPORA, (("utf-8", "cp932"),)),
    Kind("UTF-8 as cp949", CORPORA, (("utf-8", "cp949"),)),
    Kind("GBK as latin-1", ("zh_hans",), (("gbk", "latin-1"),)),
    Kind("GBK as cp1252", ("zh_hans",), (("gbk", "cp1252"),)),
    Kind("Big5 as latin-1", ("zh_hant",), (("big5", "latin-1"),)),
    Kind("Shift-JIS as latin-1", ("ja",), (("cp932", "latin-1"),)),
    Kind("EUC-KR as latin-1", ("ko",), (("euc_kr", "latin-1"),)),
    Kind("Big5 as cp1252", ("zh_hant",), (("big5", "cp1252"),)),
    Kind("GBK as cp1254", ("zh_hans",), (("gbk", "cp1254"),)),
    Kind("EUC-KR as cp1254", ("ko",), (("euc_kr", "cp1254"),)),
    Kind("Shift-JIS as cp850", ("ja",), (("cp932", "cp850"),)),
    Kind("GBK as cp437", ("zh_hans",), (("gbk", "cp437"),)),
    Kind("Big5 as GBK", ("zh_hant",), (("big5", "gbk"),)),
    Kind("GBK as Big5", ("zh_hans",), (("gbk", "big5"),)),
    Kind("Shift-JIS as GBK", ("ja",), (("cp932", "gbk"),)),
    Kind("UTF-8 as cp1252", CORPORA, (("utf-8", "cp1252"),), home=True),
    Kind("UTF-8 as cp1252, twice", CORPORA, (("utf-8", "cp1252"),) * 2, home=True),
    Kind("UTF-8 as GBK, then as cp1252", CORPORA, (*UTF8_GBK, ("utf-8", "cp1252"))),
    Kind("mixed line, UTF-8 as GBK span", CORPORA, UTF8_GBK, Mode.SPAN),
    Kind("mixed line, GBK as latin-1 span", ("zh_hans",), (("gbk", "latin-1"),), Mode.SPAN),
    Kind("lossy: U+FFFD, then UTF-8 as GBK", CORPORA, UTF8_GBK, Mode.FFFD),
    Kind("lossy: UTF-8 as GBK, odd length", CORPORA, UTF8_GBK, Mode.ODD),
    Kind("NFKC: UTF-8 as cp1252, then NFKC", CORPORA, (("utf-8", "cp1252"),), Mode.NFKC),
    Kind(
        "NFKC: GBK as cp1252, then NFKC (tuning: even documents)",
        (ZH_EVEN,),
        (("gbk", "cp1252"),),
        Mode.NFKC,
    ),
    Kind(
        "NFKC: GBK as cp1252, then NFKC (checking: odd documents)",
        (ZH_ODD,),
        (("gbk", "cp1252"),),
        Mode.NFKC,
    ),
)


UDHR = Path(__file__).resolve().parent / "data" / "udhr"
# Single-byte kinds (section 1d): (name, rounds, tuning languages, checking languages).
SBCS_KINDS = (
    ("cp1255 as cp1252", (("cp1255", "cp1252"),), ("heb",), ("ydd",)),
    ("cp1255 as latin-1", (("cp1255", "latin-1"),), ("heb",), ("ydd",)),
    ("cp1251 as cp1252", (("cp1251", "cp1252"),), ("rus",), ("ukr", "bul")),
    ("cp1251 as latin-1", (("cp1251", "latin-1"),), ("rus",), ("ukr", "bul")),
    ("cp1255 as KOI8-R", (("cp1255", "koi8_r"),), ("heb",), ("ydd",)),
    ("cp1251 as KOI8-R", (("cp1251", "koi8_r"),), ("rus",), ("ukr", "bul")),
    ("KOI8-R as cp1251", (("koi8_r", "cp1251"),), ("rus",), ("ukr", "bul")),
)


def with_halves(clean: dict[str, list[str]]) -> dict[str, list[str]]:
    """The corpora, and the simplified-Chinese documents split by index (ZH_EVEN, ZH_ODD)."""
    return {**clean, ZH_EVEN: clean["zh_hans"][0::2], ZH_ODD: clean["zh_hans"][1::2]}


def sbcs_kinds() -> list[tuple[Kind, str]]:
    """Section 1d's kinds, one per (kind, part), with the part's name."""
    return [
        (Kind(f"{name} ({'+'.join(langs)})", tuple(f"udhr_{x}" for x in langs), rounds), part)
        for name, rounds, tuning, checking in SBCS_KINDS
        for langs, part in ((tuning, "tuning"), (checking, "checking"))
    ]


def load_udhr() -> dict[str, list[str]]:
    """The UDHR texts of section 1d, each file one document."""
    langs = {x for _, _, tuning, checking in SBCS_KINDS for x in (*tuning, *checking)}
    return {f"udhr_{x}": [(UDHR / f"{x}.txt").read_text(encoding="utf-8")] for x in sorted(langs)}


def bench_sbcs(settings: Settings, tools: Tools) -> dict[str, dict[int, Cell]]:
    """Section 1d: each single-byte kind on its tuning and its checking languages."""
    sources = Sources.build(load_udhr())
    pools = {part: {length: Cell() for length in LENGTHS} for part in ("tuning", "checking")}
    rows = []
    for kind, part in sbcs_kinds():
        samples = [s for n in LENGTHS for s in sample_kind(kind, n, sources, settings)]
        for length, cell in score_kind(kind, samples, tools).items():
            pools[part][length].merge(cell)
            rows.append([kind.name, length_label(length), part, *lossless_figures(cell, tools)])
    headers = ["kind (UDHR languages)", "chars", "part", "n", "CER before"]
    headers += [f"{name} {what}" for name in LOSSLESS_NAMES for what in ("%", "CER")]
    print_table(
        "1d. Single-byte code pages read as another: % restored exactly, CER %", headers, rows
    )
    return pools


def strict_rounds(text: str, rounds: Rounds) -> str | None:
    """`text` through every round, strictly; None if a round fails or cannot be undone."""
    out = text
    try:
        for encoding, decoding in rounds:
            out = out.encode(encoding).decode(decoding)
        back = out
        for encoding, decoding in reversed(rounds):
            back = back.encode(decoding).decode(encoding)
    except UnicodeError:
        return None
    return out if back == text and out != text else None


def corrupt_span(rng: random.Random, text: str, rounds: Rounds) -> str | None:
    """`text` with a middle span of 4-12 characters corrupted; at least one clean char each side."""
    size = min(rng.randint(*SPAN), len(text) - 2)
    for _ in range(20):
        start = rng.randint(1, len(text) - size - 1)
        span = text[start : start + size]
        if "\n" in span or not mostly_cjk(span):
            continue
        out = strict_rounds(span, rounds)
        if out is not None:
            return text[:start] + out + text[start + size :]
    return None


def corrupt_fffd(rng: random.Random, text: str) -> str:
    """Runs of one or two non-ASCII characters become U+FFFD, one run per 25 characters."""
    chars = list(text)
    positions = [i for i, char in enumerate(chars) if ord(char) > 0x7F]
    for _ in range(max(1, len(text) // 25)):
        start = rng.choice(positions)
        for i in range(start, min(start + rng.choice((1, 2)), len(chars))):
            chars[i] = "\ufffd"
    return "".join(chars).encode("utf-8").decode("gbk", errors="replace")


def corrupt(kind: Kind, rng: random.Random, text: str) -> str | None:
    if kind.mode is Mode.WHOLE:
        return strict_rounds(text, kind.rounds)
    if kind.mode is Mode.SPAN:
        return corrupt_span(rng, text, kind.rounds)
    if kind.mode is Mode.FFFD:
        return corrupt_fffd(rng, text)
    if kind.mode is Mode.NFKC:
        out = strict_rounds(text, kind.rounds)
        folded = None if out is None else unicodedata.normalize("NFKC", out)
        return folded if folded != out else None  # only samples NFKC changed
    return text.encode("utf-8")[:-1].decode("gbk", errors="replace")


@dataclass(frozen=True)
class Sample:
    kind: str
    length: int
    reference: str
    corrupted: str


@dataclass(frozen=True)
class Sources:
    """Per corpus: collapsed lines long enough for each short length, and documents of 100+."""

    lines: dict[tuple[str, int], list[str]]
    docs: dict[str, list[str]]

    @classmethod
    def build(cls, clean: dict[str, list[str]]) -> Sources:
        lines: dict[tuple[str, int], list[str]] = {}
        for key, docs in clean.items():
            collapsed = [_WHITESPACE.sub(" ", line).strip() for d in docs for line in d.split("\n")]
            for length in LENGTHS[:-1]:
                lines[key, length] = [
                    line
                    for line in collapsed
                    if len(line) >= length and non_ascii(line) >= length // 2
                ]
        docs = {key: [d for d in v if len(d) >= LENGTHS[-1]] for key, v in clean.items()}
        return cls(lines, docs)


def draw(rng: random.Random, sources: Sources, corpus: str, length: int) -> str:
    """A short window of `length`, or for 100+ a document excerpt of up to MAX_LONG chars."""
    if length < LENGTHS[-1]:
        line = rng.choice(sources.lines[corpus, length])
        start = rng.randrange(len(line) - length + 1)
        return line[start : start + length]
    doc = rng.choice(sources.docs[corpus])
    start = rng.randrange(len(doc) - LENGTHS[-1] + 1)
    return doc[start : start + MAX_LONG]


def fit(kind: Kind, rng: random.Random, text: str, length: int) -> tuple[str, str] | None:
    """(original, corrupted) for a drawn text. A 100+ excerpt is cut to a seeded target of
    100-400 chars; for whole-sample kinds, to the longest cut of 100 up to the target that
    corrupts strictly and reversibly."""
    if length < LENGTHS[-1]:
        out = corrupt(kind, rng, text)
        return None if out is None else (text, out)
    target = min(rng.randint(length, MAX_LONG), len(text))
    if kind.mode is not Mode.WHOLE:
        out = corrupt(kind, rng, text[:target])
        return None if out is None else (text[:target], out)
    if strict_rounds(text[:length], kind.rounds) is None:  # cheap rejection of most starts
        return None
    for size in range(target, length - 1, -1):
        out = strict_rounds(text[:size], kind.rounds)
        if out is not None:
            return text[:size], out
    return None


def sample_kind(kind: Kind, length: int, sources: Sources, settings: Settings) -> list[Sample]:
    rng = seeded(kind.name, length)
    samples: list[Sample] = []
    seen: set[str] = set()
    for attempt in range(settings.samples * settings.attempts):
        if len(samples) >= settings.samples:
            break
        corpus = kind.corpora[attempt % len(kind.corpora)]
        text = draw(rng, sources, corpus, length)
        if not mostly_cjk(text):
            continue
        pair = fit(kind, rng, text, length)
        if pair is None or pair[0] in seen or not mostly_cjk(pair[0]):
            continue
        seen.add(pair[0])
        samples.append(Sample(kind.name, length, *pair))
    return samples


def build_samples(
    sources: Sources, settings: Settings, kinds: Sequence[Kind] = KINDS
) -> dict[str, list[Sample]]:
    return {
        kind.name: [s for n in LENGTHS for s in sample_kind(kind, n, sources, settings)]
        for kind in kinds
    }


# --- 1c. lossy decoders of UTF-8 read as GBK, modelled byte by byte -----------------------


def read_gbk_python(data: bytes, errors: str) -> tuple[str, set[int]]:
    """Python's `data.decode("gbk", errors)`, with the offsets of the bytes it lost: a
    lead byte whose pair is no GBK character is lost alone (measured: b"\\xaa\\xe5" gives
    two U+FFFD, b"\\xaa\\xe5\\x81\\x9a" U+FFFD then 鍋), 0x80 and 0xFF too."""
    out, lost, i = [], set(), 0
    while i < len(data):
        byte = data[i]
        if byte < 0x80:
            out.append(chr(byte))
            i += 1
            continue
        try:
            out.append(data[i : i + 2].decode("gbk"))
            i += 2
        except UnicodeDecodeError:
            lost.add(i)
            out.append("\ufffd" if errors == "replace" else "")
            i += 1
    text = "".join(out)
    assert text == data.decode("gbk", errors), "the model is not Python's codec"
    return text, lost


def read_gbk_windows(data: bytes) -> tuple[str, set[int]]:
    """Windows code page 936 as the real samples show it: 0x80 alone is `€`; a lead byte
    and a byte of the trail range are GB18030's two-byte character, and where that is
    a private-use one (the user-defined areas) it is gone (stripped later, as in every
    real sample); a lead byte before any other byte is `?` for both (`銆?)` lost its
    quote), and one at the end is `?`."""
    out, lost, i = [], set(), 0
    while i < len(data):
        byte = data[i]
        if byte < 0x80 or byte == 0x80:
            out.append("€" if byte == 0x80 else chr(byte))
            i += 1
        elif byte == 0xFF or i + 1 == len(data):
            out.append("?")
            lost.add(i)
            i += 1
        elif 0x40 <= data[i + 1] <= 0xFE and data[i + 1] != 0x7F:
            char = data[i : i + 2].decode("gb18030")
            if "\ue000" <= char <= "\uf8ff":
                lost |= {i, i + 1}
            else:
                out.append(char)
            i += 2
        else:
            out.append("?")
            lost |= {i, i + 1}
            i += 2
    return "".join(out), lost


LOSSY_READERS: dict[str, Callable[[bytes], tuple[str, set[int]]]] = {
    "UTF-8 as GBK, Python errors=replace": lambda data: read_gbk_python(data, "replace"),
    "UTF-8 as GBK, Python errors=ignore": lambda data: read_gbk_python(data, "ignore"),
    "UTF-8 as GBK, Windows cp936 (? a pair)": read_gbk_windows,
}
LOSSY_LENGTHS = (20, 100)  # the bar is set at 20 characters and more


def lost_marked(text: str, lost: set[int]) -> str:
    """`text` with each character that lost a byte as one U+FFFD: what a repair that
    invents nothing can give at best."""
    out, offset = [], 0
    for char in text:
        size = len(char.encode("utf-8"))
        out.append("\ufffd" if any(offset + k in lost for k in range(size)) else char)
        offset += size
    return "".join(out)


def wrong_characters(output: str, truth: str, corrupted: str) -> tuple[int, int]:
    """Output characters that are neither the truth's at the aligned position nor
    U+FFFD; and of those, the ones a repair wrote (not the input's at the aligned
    position either): invented, whether or not the input holds them elsewhere. The
    alignment with the truth is an optimal one (difflib's, longest block first, put
    a perfect output's characters beside repeated words elsewhere: 30 characters of
    the 100-400 samples, whose outputs were the truth but for U+FFFD, were counted)."""
    kept = _aligned(corrupted, output)
    wrong = made_up = 0
    matched = _matched(truth, output)
    for j, char in enumerate(output):
        if j not in matched and char != "\ufffd":
            wrong += 1
            made_up += j not in kept
    return wrong, made_up


def _matched(truth: str, output: str) -> set[int]:
    """The positions of `output` aligned with a character of `truth`: an alignment of
    greatest weight, a character that is the truth's counting 2 and U+FFFD (which may
    stand for any) 1, so that a U+FFFD never takes the place of a character that is
    right (dynamic programming; both ends shared first: quadratic only in what differs)."""
    head = 0
    while head < min(len(truth), len(output)) and truth[head] == output[head]:
        head += 1
    tail = 0
    while tail < min(len(truth), len(output)) - head and truth[-1 - tail] == output[-1 - tail]:
        tail += 1
    a, b = truth[head : len(truth) - tail], output[head : len(output) - tail]
    weights = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, t in enumerate(a, 1):
        row, above = weights[i], weights[i - 1]
        for j, o in enumerate(b, 1):
            best = max(above[j], row[j - 1])
            gain = _match_weight(t, o)
            row[j] = max(best, above[j - 1] + gain) if gain else best
    matched = set(range(head)) | set(range(len(output) - tail, len(output)))
    i, j = len(a), len(b)
    while i and j:
        gain = _match_weight(a[i - 1], b[j - 1])
        if gain and weights[i][j] == weights[i - 1][j - 1] + gain:
            matched.add(head + j - 1)
            i, j = i - 1, j - 1
        elif weights[i - 1][j] >= weights[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return matched


def _match_weight(truth_char: str, output_char: str) -> int:
    return 2 if output_char == truth_char else 1 if output_char == "\ufffd" else 0


def _aligned(before: str, after: str) -> set[int]:
    """The positions of `after` that are `before`'s characters, aligned."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return {
        j for tag, _, _, j1, j2 in matcher.get_opcodes() if tag == "equal" for j in range(j1, j2)
    }


def tuning_half(reference: str) -> bool:
    """Samples are split in two by a hash of their text: thresholds were tuned on one
    half; the other is the check, looked at only after."""
    return zlib.crc32(reference.encode()) % 2 == 0


def bench_lossy_gbk(sources: Sources, settings: Settings, tools: Tools) -> None:
    repair = tools.lossy.get("textmend mark")
    rows = []
    for name, reader in LOSSY_READERS.items():
        for length in LOSSY_LENGTHS:
            rng = seeded(name, length)
            halves = {True: [0, 0, 0, 0, 0], False: [0, 0, 0, 0, 0]}  # n, exact, before..
            made = 0
            for attempt in range(settings.samples * settings.attempts):
                if made >= settings.samples:
                    break
                text = draw(rng, sources, CORPORA[attempt % len(CORPORA)], length)
                if not mostly_cjk(text):
                    continue
                corrupted, lost = reader(text.encode("utf-8"))
                if not lost:
                    continue  # lossless: not this kind
                made += 1
                expected = lost_marked(text, lost)
                output = repair(corrupted) if repair is not None else corrupted
                wrong, made_up = wrong_characters(output, text, corrupted)
                cell = halves[tuning_half(text)]
                cell[0] += 1
                cell[1] += output == expected
                cell[2] += wrong
                cell[3] += made_up
                cell[4] += sum(1 for c in expected if c == "\ufffd")
            for half, (n, exact, wrong, made_up, marks) in halves.items():
                label = "tuning" if half else "checking"
                rows.append(
                    [
                        name,
                        length_label(length),
                        label,
                        str(n),
                        percent(exact, n),
                        str(marks),
                        str(wrong),
                        str(made_up),
                    ]
                )
    headers = [
        "kind",
        "chars",
        "half",
        "n",
        "textmend mark exact-but-U+FFFD %",
        "lost chars",
        "wrong chars",
        "invented",
    ]
    print_table(
        "1c. Lossy UTF-8 read as GBK: exact but for one U+FFFD per lost character", headers, rows
    )


# --- tools -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    """The tools of each section, by column name; a missing entry is "not available"."""

    lossless: dict[str, Tool]
    lossy: dict[str, Tool]
    status: str  # one line on textmend's availability


LOSSLESS_NAMES = ("textmend", "fix_text", "fix_encoding")
LOSSY_NAMES = ("textmend keep", "textmend mark", "fix_text")
PEER_NAMES = LOSSLESS_NAMES  # sections 2 and 4


def load_repair() -> tuple[Callable[..., str] | None, bool, str]:
    """textmend's repair_mojibake, whether it takes `lossy`, and a status line."""
    try:
        from textmend.repair import repair_mojibake
    except Exception as err:
        return None, False, f"textmend repair_mojibake not available ({type(err).__name__}: {err})"
    try:
        parameters = inspect.signature(repair_mojibake).parameters
    except (TypeError, ValueError):
        return repair_mojibake, True, "textmend repair_mojibake: signature unknown, lossy tried"
    if "lossy" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return repair_mojibake, True, "textmend repair_mojibake: available, takes lossy="
    return repair_mojibake, False, "textmend repair_mojibake has no lossy parameter: lossy n/a"


def make_tools(guard: Guard) -> Tools:
    repair, has_lossy, status = load_repair()
    lossless: dict[str, Tool] = {"fix_text": ftfy.fix_text, "fix_encoding": ftfy.fix_encoding}
    lossy: dict[str, Tool] = {"fix_text": ftfy.fix_text}
    if repair is not None:
        lossless["textmend"] = repair
        if has_lossy:
            lossy["textmend keep"] = lambda text: repair(text, lossy="keep")
            lossy["textmend mark"] = lambda text: repair(text, lossy="mark")
    return Tools(
        {name: guard.wrap(name, tool, unchanged) for name, tool in lossless.items()},
        {name: guard.wrap(f"{name} (lossy)", tool, unchanged) for name, tool in lossy.items()},
        status,
    )


# --- scoring ---------------------------------------------------------------------------------


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, unit costs: Myers/Hyyrö bit-parallel, one Python int per column."""
    if a == b:
        return 0
    lo, limit = 0, min(len(a), len(b))
    while lo < limit and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < limit - lo and a[-1 - hi] == b[-1 - hi]:
        hi += 1
    a, b = a[lo : len(a) - hi], b[lo : len(b) - hi]
    if not a or not b:
        return len(a) + len(b)
    if len(a) > len(b):
        a, b = b, a
    masks: dict[str, int] = {}
    for i, char in enumerate(a):
        masks[char] = masks.get(char, 0) | 1 << i
    full, top = (1 << len(a)) - 1, 1 << (len(a) - 1)
    pv, mv, score = full, 0, len(a)
    for char in b:
        eq = masks.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score


def invented(output: str, reference: str) -> int:
    allowed = set(reference) | LOSSY_MARKS
    return sum(1 for char in output if char not in allowed)


@dataclass
class Cell:
    """Sums over the samples of one (kind, length), or of a pooled group."""

    n: int = 0
    chars: int = 0
    edits_before: int = 0
    invented_before: int = 0
    restored: Counter[str] = field(default_factory=Counter)
    edits: Counter[str] = field(default_factory=Counter)
    invented: Counter[str] = field(default_factory=Counter)

    def add(self, sample: Sample, outputs: dict[str, str]) -> None:
        ref = sample.reference
        self.n += 1
        self.chars += len(ref)
        self.edits_before += edit_distance(sample.corrupted, ref)
        self.invented_before += invented(sample.corrupted, ref)
        for name, out in outputs.items():
            self.restored[name] += out == ref
            self.edits[name] += edit_distance(out, ref)
            self.invented[name] += invented(out, ref)

    def merge(self, other: Cell) -> None:
        self.n += other.n
        self.chars += other.chars
        self.edits_before += other.edits_before
        self.invented_before += other.invented_before
        self.restored.update(other.restored)
        self.edits.update(other.edits)
        self.invented.update(other.invented)

    def cer(self, edits: int) -> str:
        return percent(edits, self.chars)

    def restored_pct(self, name: str, tools: dict[str, Tool]) -> str:
        return percent(self.restored[name], self.n) if name in tools else NA

    def cer_of(self, name: str, tools: dict[str, Tool]) -> str:
        return self.cer(self.edits[name]) if name in tools else NA

    def invented_of(self, name: str, tools: dict[str, Tool]) -> str:
        return str(self.invented[name]) if name in tools else NA


def percent(part: int, total: int) -> str:
    return f"{100 * part / total:.1f}" if total else "-"


def score_kind(kind: Kind, samples: list[Sample], tools: Tools) -> dict[int, Cell]:
    chosen = tools.lossy if kind.lossy else tools.lossless
    cells = {length: Cell() for length in LENGTHS}
    for sample in samples:
        outputs = {name: tool(sample.corrupted) for name, tool in chosen.items()}
        cells[sample.length].add(sample, outputs)
    return cells


def lossless_figures(cell: Cell, tools: Tools) -> list[str]:
    """A lossless row's figures: n, CER before, and each tool's % restored and CER."""
    figures = [str(cell.n), cell.cer(cell.edits_before)]
    for name in LOSSLESS_NAMES:
        figures += [cell.restored_pct(name, tools.lossless), cell.cer_of(name, tools.lossless)]
    return figures


# --- 1. corruption kinds ---------------------------------------------------------------------


@dataclass
class KindResults:
    cells: dict[str, dict[int, Cell]] = field(default_factory=dict)

    def kinds(self) -> list[Kind]:
        """The kinds measured (all but where --kinds chose some)."""
        return [kind for kind in KINDS if kind.name in self.cells]

    def pooled(self, home: bool) -> dict[int, Cell]:
        """Lossless kinds pooled per length: ftfy's home ground (home) or the CJK codec kinds."""
        pool = {length: Cell() for length in LENGTHS}
        for kind in self.kinds():
            if not kind.lossy and kind.home == home and kind.mode is not Mode.NFKC:
                for length, cell in self.cells[kind.name].items():
                    pool[length].merge(cell)
        return pool

    def nfkc_pooled(self) -> dict[int, Cell]:
        """The kinds normalised with NFKC after the wrong decoding, pooled per length."""
        pool = {length: Cell() for length in LENGTHS}
        for kind in self.kinds():
            if kind.mode is Mode.NFKC:
                for length, cell in self.cells[kind.name].items():
                    pool[length].merge(cell)
        return pool

    def lossy_pooled(self) -> Cell:
        pool = Cell()
        for kind in self.kinds():
            if kind.lossy:
                for cell in self.cells[kind.name].values():
                    pool.merge(cell)
        return pool


def bench_kinds(samples: dict[str, list[Sample]], tools: Tools, wanted: int) -> KindResults:
    results = KindResults()
    for kind in KINDS:
        if kind.name in samples:
            results.cells[kind.name] = score_kind(kind, samples[kind.name], tools)
    lossless_rows = [
        [kind.name, length_label(length), *lossless_figures(cell, tools)]
        for kind in results.kinds()
        if not kind.lossy
        for length, cell in results.cells[kind.name].items()
    ]
    headers = ["kind", "chars", "n", "CER before"]
    headers += [f"{name} {what}" for name in LOSSLESS_NAMES for what in ("%", "CER")]
    print_table("1a. Lossless kinds: % restored exactly, CER %", headers, lossless_rows)
    lossy_rows = [
        [
            kind.name,
            length_label(length),
            str(cell.n),
            cell.cer(cell.edits_before),
            *(cell.cer_of(name, tools.lossy) for name in LOSSY_NAMES),
            str(cell.invented_before),
            *(cell.invented_of(name, tools.lossy) for name in LOSSY_NAMES),
        ]
        for kind in results.kinds()
        if kind.lossy
        for length, cell in results.cells[kind.name].items()
    ]
    headers = ["kind", "chars", "n", "CER before"]
    headers += [f"{name} CER" for name in LOSSY_NAMES]
    headers += ["invented before", *(f"{name} invented" for name in LOSSY_NAMES)]
    print_table("1b. Lossy kinds: CER %, invented characters (total)", headers, lossy_rows)
    short = [
        f"{kind.name} {length_label(length)} ({cell.n})"
        for kind in results.kinds()
        for length, cell in results.cells[kind.name].items()
        if cell.n < wanted
    ]
    if short:
        print(
            f"\nfewer than {wanted} samples, since few mostly-CJK texts of that length corrupt "
            "strictly and reversibly (long ones found lean to the most ASCII allowed): "
            + ", ".join(short)
        )
    return results


# --- 2. false changes ------------------------------------------------------------------------


@dataclass(frozen=True)
class FalseChanges:
    docs: int
    changed_docs: dict[str, int]
    cases: int
    changed_cases: dict[str, int]


def bench_false_changes(
    clean: dict[str, list[str]], negatives: list[dict[str, str]], tools: dict[str, Tool]
) -> FalseChanges:
    rows = []
    changed_docs: Counter[str] = Counter()
    for key, docs in clean.items():
        changed = {name: sum(tool(d) != d for d in docs) for name, tool in tools.items()}
        changed_docs.update(changed)
        rows.append([f"clean {key}", str(len(docs)), *(str_or_na(changed, n) for n in PEER_NAMES)])
    total_docs = sum(map(len, clean.values()))
    rows.append(["clean, all", str(total_docs), *(str_or_na(changed_docs, n) for n in PEER_NAMES)])
    originals = [case["original"] for case in negatives]
    changed_cases = {name: sum(tool(t) != t for t in originals) for name, tool in tools.items()}
    rows.append(
        [
            "ftfy negative.json",
            str(len(originals)),
            *(str_or_na(changed_cases, n) for n in PEER_NAMES),
        ]
    )
    print_table(
        "2. False changes: untouched inputs changed at all", ["input", "n", *PEER_NAMES], rows
    )
    return FalseChanges(
        total_docs, {n: changed_docs[n] for n in tools}, len(originals), changed_cases
    )


def str_or_na(counts: dict[str, int], name: str) -> str:
    return str(counts[name]) if name in counts else NA


# --- 3. ftfy parity --------------------------------------------------------------------------


def ftfy_passes(case: dict[str, str]) -> str | None:
    """The case's expected `fix_encoding` result if ftfy passes it, else None."""
    want = case.get("fixed-encoding", case["fixed"])
    if case.get("expect") == "pass" and ftfy.fix_encoding(case["original"]) == want:
        return want
    return None


def bench_parity(
    cases: dict[str, list[dict[str, str]]], tools: dict[str, Tool]
) -> tuple[int, int] | None:
    """Cases ftfy passes, and how many of them textmend gets identical; None without textmend."""
    repair = tools.get("textmend")
    rows = []
    passed = total = 0
    misses: list[str] = []
    for name, entries in cases.items():
        kept = [(case, want) for case in entries if (want := ftfy_passes(case)) is not None]
        same = 0
        for case, want in kept:
            if repair is not None and repair(case["original"]) == want:
                same += 1
            else:
                misses.append(case["label"])
        rows.append([name, str(len(entries)), str(len(kept)), str(same) if repair else NA])
        passed += same
        total += len(kept)
    rows.append(
        ["all", str(sum(map(len, cases.values()))), str(total), str(passed) if repair else NA]
    )
    print_table(
        "3. ftfy parity: cases ftfy.fix_encoding passes, and textmend's identical results",
        ["file", "cases", "ftfy passes", "textmend same"],
        rows,
    )
    if repair is not None and misses:
        shown = "; ".join(misses[:8]) + (
            f"; ... ({len(misses) - 8} more)" if len(misses) > 8 else ""
        )
        print(f"\ntextmend differs on: {shown}")
    return (passed, total) if repair is not None else None


# --- 4. speed --------------------------------------------------------------------------------


def throughput(tool: Tool, inputs: list[str], runs: int) -> float:
    """MB/s of UTF-8 input, best of `runs` passes over all of `inputs`."""
    size = sum(len(text.encode("utf-8")) for text in inputs)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for text in inputs:
            tool(text)
        best = min(best, time.perf_counter() - start)
    return size / best / 1e6


def bench_speed(
    clean: dict[str, list[str]],
    samples: dict[str, list[Sample]],
    tools: dict[str, Tool],
    runs: int,
) -> dict[str, dict[str, float]]:
    per_kind = {name: "\n".join(s.corrupted for s in group) for name, group in samples.items()}
    sets = {
        "clean documents": [d for docs in clean.values() for d in docs],
        **{f"corrupted: {name}": [text] for name, text in per_kind.items() if text},
        "corrupted: all kinds": [text for text in per_kind.values() if text],
    }
    for tool in tools.values():
        tool("预热 ÖÐÎÄ")  # load lazily imported modules before timing
    rates = {
        label: {name: throughput(tool, inputs, runs) for name, tool in tools.items()}
        for label, inputs in sets.items()
    }
    rows = [
        [
            label,
            f"{sum(len(t.encode('utf-8')) for t in inputs) / 1e6:.3f}",
            *(f"{rates[label][n]:.1f}" if n in tools else NA for n in PEER_NAMES),
        ]
        for label, inputs in sets.items()
    ]
    print_table(
        f"4. Speed, MB/s of UTF-8 input, best of {runs}, one core",
        ["input", "MB", *PEER_NAMES],
        rows,
    )
    return rates


# --- 5. whole documents ------------------------------------------------------------------------


def corrupt_documents(clean: dict[str, list[str]], kind: Kind, wanted: int) -> list[Sample]:
    """Up to `wanted` whole documents of the kind's corpora, corrupted (seeded)."""
    rng = seeded(kind.name, 0)
    docs = [doc for corpus in kind.corpora for doc in clean[corpus]]
    rng.shuffle(docs)
    found: list[Sample] = []
    for doc in docs:
        if len(found) >= wanted:
            break
        out = corrupt(kind, rng, doc) if mostly_cjk(doc) else None
        if out is not None:
            found.append(Sample(kind.name, len(doc), doc, out))
    return found


def bench_documents(
    clean: dict[str, list[str]], tools: Tools, settings: Settings
) -> dict[str, dict[str, float]]:
    documents = {kind.name: corrupt_documents(clean, kind, settings.whole_docs) for kind in KINDS}
    for tool in tools.lossless.values():
        tool("预热 ÖÐÎÄ")
    rates: dict[str, dict[str, float]] = {}
    rows = []
    for kind in KINDS:
        group = documents[kind.name]
        texts = [s.corrupted for s in group]
        restored = {
            n: sum(t(s.corrupted) == s.reference for s in group) for n, t in tools.lossless.items()
        }
        rates[kind.name] = {
            n: throughput(t, texts, settings.speed_runs) if texts else 0.0
            for n, t in tools.lossless.items()
        }
        rows.append(
            [
                kind.name,
                str(len(group)),
                f"{sum(len(t.encode('utf-8')) for t in texts) / 1e6:.3f}",
                *(
                    value
                    for n in PEER_NAMES
                    for value in (
                        percent(restored[n], len(group)) if n in tools.lossless else NA,
                        f"{rates[kind.name][n]:.1f}" if texts and n in tools.lossless else NA,
                    )
                ),
            ]
        )
    every = [s.corrupted for group in documents.values() for s in group]
    rates["all kinds"] = {
        n: throughput(t, every, settings.speed_runs) for n, t in tools.lossless.items()
    }
    rows.append(
        [
            "all kinds",
            str(len(every)),
            f"{sum(len(t.encode('utf-8')) for t in every) / 1e6:.3f}",
            *(
                value
                for n in PEER_NAMES
                for value in ("", f"{rates['all kinds'][n]:.1f}" if n in tools.lossless else NA)
            ),
        ]
    )
    headers = ["kind", "docs", "MB"]
    headers += [f"{n} {what}" for n in PEER_NAMES for what in ("% exact", "MB/s")]
    print_table(
        f"5. Whole documents, corrupted: restored exactly and MB/s (best of {settings.speed_runs})",
        headers,
        rows,
    )
    return rates


# --- main ------------------------------------------------------------------------------------


def textmend_version() -> str:
    try:
        import textmend
    except Exception as err:
        return f"not importable ({type(err).__name__})"
    return str(getattr(textmend, "__version__", "?"))


def print_header(shared: Path, settings: Settings, status: str) -> None:
    print(
        f"textmend {textmend_version()} (package sha1 {digest(PACKAGE)}), "
        f"ftfy {ftfy.__version__}, Python {sys.version.split()[0]}"
    )
    print(f"{status}")
    docs = "all" if settings.clean_docs is None else str(settings.clean_docs)
    print(
        f"data: {shared}; up to {settings.samples} samples per (kind, length); "
        f"clean documents per corpus: {docs}"
    )


def counts(pool: dict[int, Cell]) -> str:
    return " / ".join(str(pool[n].n) for n in LENGTHS)


def triple(pool: dict[int, Cell], name: str, tools: dict[str, Tool]) -> str:
    return " / ".join(pool[n].restored_pct(name, tools) for n in LENGTHS)


def print_summary(
    results: KindResults,
    false: FalseChanges,
    parity: tuple[int, int] | None,
    rates: dict[str, dict[str, float]],
    tools: Tools,
    sbcs: dict[str, dict[int, Cell]] | None = None,
) -> None:
    width = max(map(len, LOSSLESS_NAMES))
    lengths = "/".join(length_label(n) for n in LENGTHS)
    cjk, home = results.pooled(home=False), results.pooled(home=True)
    print(f"\nSummary (restored exactly, % of samples, {lengths} chars):")
    print(f"  CJK codec kinds, n {counts(cjk)}:")
    for name in LOSSLESS_NAMES:
        print(f"    {name:<{width}}  {triple(cjk, name, tools.lossless)} %")
    print(f"  UTF-8 as cp1252 (once, twice), n {counts(home)}:")
    for name in LOSSLESS_NAMES:
        print(f"    {name:<{width}}  {triple(home, name, tools.lossless)} %")
    nfkc = results.nfkc_pooled()
    print(f"  normalised with NFKC after the wrong decoding, n {counts(nfkc)}:")
    for name in LOSSLESS_NAMES:
        print(f"    {name:<{width}}  {triple(nfkc, name, tools.lossless)} %")
    for part, pool in (sbcs or {}).items():
        print(f"  single-byte code pages read as another, {part}, n {counts(pool)}:")
        for name in LOSSLESS_NAMES:
            print(f"    {name:<{width}}  {triple(pool, name, tools.lossless)} %")
    lossy = results.lossy_pooled()
    figures = ", ".join(f"{n} {lossy.cer_of(n, tools.lossy)}" for n in LOSSY_NAMES)
    made_up = ", ".join(f"{n} {lossy.invented_of(n, tools.lossy)}" for n in LOSSY_NAMES)
    before = lossy.cer(lossy.edits_before)
    print(f"  lossy kinds, n {lossy.n}, CER %: before {before}, {figures}")
    print(f"    invented characters: before {lossy.invented_before}, {made_up}")
    changed = ", ".join(
        f"{n} {false.changed_docs[n]}/{false.docs} docs, "
        f"{false.changed_cases[n]}/{false.cases} negatives"
        if n in false.changed_docs
        else f"{n} {NA}"
        for n in PEER_NAMES
    )
    print(f"  false changes: {changed}")
    agreed = f"{parity[0]}/{parity[1]}" if parity else NA
    print(f"  ftfy parity (cases ftfy passes, textmend identical): {agreed}")
    speed = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{n} {rates[label][n]:.1f}" if n in rates[label] else f"{n} {NA}" for n in PEER_NAMES
        )
        for label in (
            "clean documents",
            "corrupted: all kinds",
            "corrupted documents: all kinds",
        )
    )
    print(f"  speed MB/s: {speed}")


SECTIONS = ("1", "1c", "1d", "2", "3", "4", "5")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    made = parser(__doc__, "fewer samples and documents")
    made.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help="the sections to run, comma-separated (default all; the summary needs all)",
    )
    made.add_argument(
        "--kinds", default="", help="only the kinds of section 1 whose name holds this text"
    )
    return made.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    shared: Path = args.shared
    needed = (
        shared / "corpora" / "clean" / "zh_hans_wiki.jsonl",
        shared / "corpora" / "ftfy_cases" / "negative.json",
    )
    if not all(path.is_file() for path in needed):
        print(f"bench_repair: no clean corpora or ftfy cases under {shared}, nothing to measure")
        return 0
    sections = set(args.sections.split(","))
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    measured = digest(PACKAGE)
    guard = Guard()
    tools = make_tools(guard)
    print_header(shared, settings, tools.status)
    every = load_normalised(shared)
    sources = Sources.build(with_halves(every))
    kinds = [kind for kind in KINDS if args.kinds in kind.name]
    samples = build_samples(sources, settings, kinds) if sections & {"1", "4"} else {}
    results = bench_kinds(samples, tools, settings.samples) if "1" in sections else None
    if "1c" in sections:
        bench_lossy_gbk(sources, settings, tools)
    sbcs = bench_sbcs(settings, tools) if "1d" in sections else None
    clean = every
    if settings.clean_docs is not None:
        clean = {key: docs[: settings.clean_docs] for key, docs in every.items()}
    false = parity = rates = None
    if "2" in sections:
        false = bench_false_changes(clean, load_cases(shared, "negative"), tools.lossless)
    if "3" in sections:
        cases = {name: load_cases(shared, name) for name in ("in-the-wild", "synthetic")}
        parity = bench_parity(cases, tools.lossless)
    if "4" in sections:
        rates = bench_speed(clean, samples, tools.lossless, settings.speed_runs)
    if "5" in sections:
        whole = bench_documents(with_halves(every), tools, settings)["all kinds"]
        if rates is not None:
            rates["corrupted documents: all kinds"] = whole
    if results and false and rates and sbcs and "5" in sections:
        print_summary(results, false, parity, rates, tools, sbcs)
    guard.print_failures("output = input")
    return finish(PACKAGE, measured, started)


if __name__ == "__main__":
    sys.exit(main())
