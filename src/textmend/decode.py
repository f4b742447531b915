"""Bytes to text: find the codec by asking which decoding reads as a language.

1. A byte order mark decides; ISO-2022 escapes decide; valid UTF-8 decides
   (the fast path: no model runs on it).
2. Otherwise every codec family whose widest member decodes the bytes strictly
   is a candidate, and each decoding is scored with the character language
   models of the languages written in that codec (`textmend.langmodel`): the
   likelihood of the same bytes under each (codec, language) pair. A charset
   declared in HTML or XML only lowers its codec's cost a little.
3. Files whose lines are in different codecs (UTF-8 with GBK lines pasted in,
   concatenated files) are decoded line by line: a Viterbi pass over the lines
   picks each line's codec and charges for every switch, so a codec changes
   only where the bytes insist.
4. The answer is the smallest member of the winning family that decodes its
   bytes strictly (GB2312 before GBK before GB18030), and the text is decoded
   with it (GB2312 excepted: see FAMILIES).
"""

from __future__ import annotations

import codecs
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import islice

from . import langmodel
from .result import Decoded, Segment


class DecodeError(ValueError):
    """The bytes cannot be decoded as asked."""


class BinaryInputError(DecodeError):
    """The bytes are not text in any plausible encoding."""


@dataclass(frozen=True)
class Family:
    """Codecs that agree wherever they all decode: members smallest first."""

    name: str
    members: tuple[str, ...]
    groups: tuple[str, ...]
    cost: float = 0.0  # a prior, in nats: how much less common the family is
    text_codec: str | None = None  # decodes the text whatever member is reported
    single_byte: bool = True

    @property
    def widest(self) -> str:
        return self.members[-1]

    def text(self, data: bytes, member: str) -> str:
        return data.decode(self.text_codec or member)


FAMILIES: tuple[Family, ...] = (
    # Python's gb2312 codec maps A1A4 to the katakana ・ and A1AA to ―, where GBK,
    # GB18030 and browsers give · and —: text labelled GB2312 is decoded as GB18030.
    Family("gb", ("gb2312", "gbk", "gb18030"), ("zh_hans", "zh_hant"), 0.0, "gb18030", False),
    Family("big5", ("big5", "cp950", "big5hkscs"), ("zh_hant",), 0.5, single_byte=False),
    Family("shift_jis", ("shift_jis", "cp932"), ("ja",), 0.5, single_byte=False),
    Family("euc_jp", ("euc_jp", "euc_jis_2004"), ("ja",), 1.0, single_byte=False),
    Family("euc_kr", ("euc_kr", "cp949"), ("ko",), 0.5, single_byte=False),
    Family("johab", ("johab",), ("ko",), 6.0, single_byte=False),
    Family("cp1252", ("cp1252",), ("western",), 1.0),
    Family("latin_1", ("iso8859-1",), ("western",), 2.0),
    Family("cp1250", ("cp1250",), ("central",), 1.5),
    Family("iso8859_2", ("iso8859-2",), ("central",), 4.0),
    Family("cp1251", ("cp1251",), ("cyrillic",), 1.0),
    Family("koi8_r", ("koi8-r", "koi8-u"), ("cyrillic",), 1.5),
    Family("mac_cyrillic", ("mac-cyrillic",), ("cyrillic",), 6.0),
    Family("iso8859_5", ("iso8859-5",), ("cyrillic",), 5.0),
    Family("cp866", ("cp866",), ("cyrillic",), 8.0),
    Family("iso8859_7", ("iso8859-7",), ("greek",), 1.5),
    Family("cp1253", ("cp1253",), ("greek",), 3.0),
    Family("cp1255", ("cp1255",), ("hebrew",), 1.5),
    Family("iso8859_8", ("iso8859-8",), ("hebrew",), 4.0),
    Family("cp1254", ("cp1254",), ("turkish",), 3.5),
    Family("cp1257", ("cp1257",), ("baltic",), 5.0),
    Family("cp1256", ("cp1256",), ("arabic",), 4.0),
    Family("tis_620", ("tis-620", "cp874"), ("thai",), 4.0),
)
_BY_CODEC = {codecs.lookup(m).name: f for f in FAMILIES for m in f.members}

# Longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2))
_ISO2022 = ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext", "iso2022_kr")
_DECLARED = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,200}?encoding\s*=\s*["'])"""
    rb"""([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
DECLARED_BONUS = 3.0  # nats: a declaration is a hint, weighed against the bytes
SWITCH_COST = 30.0  # nats charged for changing codec between two lines
SAMPLE_CHARACTERS = 20_000  # scoring a UTF-16/32 candidate looks at this much
SAMPLE_BYTES = 3_000  # scoring a legacy candidate looks at about this much
PAIR_SAMPLE = 1_200  # letter pairs are priced on this many bytes of the sample
PAIR_REACH, PAIR_REACH_NATS = 0.3, 20.0  # ...for readings this close to the cheapest
MAX_CONTROL_SHARE = 0.05  # more control characters than this: not text


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode `data`; `encoding` forces a codec, which must then decode strictly."""
    if encoding:
        return _forced(data, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _single(data.decode(codec), codec, 1.0, "byte order mark", data)
            except UnicodeDecodeError:
                break
    if b"\x1b" in data:
        found = _iso2022(data)
        if found is not None:
            return found
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text:
            codec = "ascii" if data.isascii() else "utf-8"
            return _single(text, codec, 1.0, "decodes strictly as UTF-8", data)
    if b"\x00" in data:
        return _wide(data)
    return _legacy(data)


def _single(text: str, codec: str, confidence: float, evidence: str, data: bytes) -> Decoded:
    segment = Segment(0, len(data), codec)
    return Decoded(text, codec, confidence, evidence, None, (segment,))


def _forced(data: bytes, encoding: str) -> Decoded:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise DecodeError(f"not valid {codec} at byte {err.start}") from None
    return _single(text, codec, 1.0, "forced by the caller", data)


def _iso2022(data: bytes) -> Decoded | None:
    codecs_to_try = ("iso2022_kr",) if b"\x1b$)C" in data else _ISO2022
    for codec in codecs_to_try:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if text != data.decode("latin-1"):
            return _single(text, codec, 0.99, "ISO-2022 escape sequences", data)
    return None


def _wide(data: bytes) -> Decoded:
    """NUL bytes: UTF-16 or UTF-32 without a byte order mark, or binary."""
    scored: list[tuple[float, str, str]] = []
    for codec, unit in _WIDE:
        if len(data) % unit:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE:
            continue
        scored.append((langmodel.score(text[:SAMPLE_CHARACTERS], langmodel.GROUPS)[0], codec, text))
    if not scored:
        raise BinaryInputError("binary data (NUL bytes), not text")
    scored.sort()
    _, codec, text = scored[0]
    runner_up = scored[1][1] if len(scored) > 1 else None
    confidence = _confidence([c for c, _, _ in scored])
    evidence = "UTF-16/32 without byte order mark"
    return Decoded(text, codec, confidence, evidence, runner_up, (Segment(0, len(data), codec),))


@dataclass(frozen=True)
class _Candidate:
    family: Family
    cost: float
    group: str


def _legacy(data: bytes) -> Decoded:
    declared = _declared_family(data)
    sample = _sample(data)
    candidates = sorted(_score_sample(sample, declared), key=lambda c: c.cost)
    whole = list(islice((c for c in candidates if _decodes(data, c.family.widest)), 2))
    main = whole[0] if whole else None
    doubt = _doubt(data, sample, main, candidates)
    if doubt is not None:
        # Where the whole-file reading is itself in doubt, no line owes it anything.
        mixed = _segmented(data, main if doubt == "a line reads strangely" else None)
        if mixed is not None:
            return mixed
    if main is None:
        raise BinaryInputError("not text in any plausible encoding")
    codec = _smallest(data, main.family)
    text = main.family.text(data, codec)
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise BinaryInputError("not text in any plausible encoding")
    runner_up = whole[1].family.members[0] if len(whole) > 1 else None
    evidence = f"reads as {main.group} in {main.family.name}"
    if runner_up:
        evidence += f" ({whole[1].cost - main.cost:.1f} nats ahead of {runner_up})"
    if declared is not None:
        evidence += f"; declared {declared.name}"
    confidence = _confidence([c.cost for c in whole])
    return Decoded(text, codec, confidence, evidence, runner_up, (Segment(0, len(data), codec),))


def _score_sample(sample: bytes, declared: Family | None) -> list[_Candidate]:
    """Every family that decodes the sample, priced by its characters; those within
    reach of the cheapest are priced by letter pairs too (on PAIR_SAMPLE bytes)."""
    byte_counts = Counter(sample)
    high_bytes = [b for b in byte_counts if b >= 0x80]
    scored: list[tuple[float, Family, str]] = []
    for family in FAMILIES:
        counts = _char_counts(sample, family, byte_counts, high_bytes)
        if counts is None:
            continue
        cost, group = min((langmodel.cost(counts, g), g) for g in family.groups)
        cost += family.cost - (DECLARED_BONUS if family is declared else 0.0)
        scored.append((cost, family, group))
    if not scored:
        return []
    reach = min(cost for cost, _, _ in scored) * (1 + PAIR_REACH) + PAIR_REACH_NATS
    head = sample[:PAIR_SAMPLE]
    return [
        _Candidate(family, cost + langmodel.pair_cost(_loose(head, family), group), group)
        if cost <= reach
        else _Candidate(family, cost, group)
        for cost, family, group in scored
    ]


def _char_counts(
    sample: bytes, family: Family, byte_counts: Counter[int], high_bytes: list[int]
) -> Counter[str] | None:
    """The characters of `sample` decoded by `family` (None if it cannot decode it).
    A single-byte codec needs no decoding: its byte counts are its character counts."""
    if not family.single_byte:
        text = _strict(sample, family.widest)
        return None if text is None else Counter(text)
    chars = _byte_chars(family.widest)
    counts: Counter[str] = Counter()
    for byte in high_bytes:
        char = chars[byte - 0x80]
        if char is None:
            return None
        counts[char] += byte_counts[byte]
    return counts


@cache
def _byte_chars(codec: str) -> tuple[str | None, ...]:
    return tuple(_strict(bytes((b,)), codec) for b in range(0x80, 0x100))


def _loose(data: bytes, family: Family) -> str:
    return data.decode(family.widest, errors="replace")


def _sample(data: bytes) -> bytes:
    """The lines that hold non-ASCII bytes, up to about SAMPLE_BYTES, cut only at a
    blank (a byte that no codec here uses inside a character)."""
    parts: list[bytes] = []
    size = 0
    for line in data.splitlines():
        if line.isascii():
            continue
        parts.append(line)
        size += len(line) + 1
        if size >= SAMPLE_BYTES:
            break
    sample = b"\n".join(parts)
    if len(sample) <= 2 * SAMPLE_BYTES:
        return sample
    first = _NON_ASCII.search(sample)
    start = _blank_before(sample, first.start() if first else 0)
    return sample[start : _blank_before(sample, start + 2 * SAMPLE_BYTES)]


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _blank_before(data: bytes, index: int) -> int:
    """The last position at or before `index` just after a byte <= 0x20 (or 0)."""
    index = min(index, len(data))
    while index > 0 and data[index - 1] > 0x20:
        index -= 1
    return index


def _doubt(
    data: bytes, sample: bytes, main: _Candidate | None, candidates: list[_Candidate]
) -> str | None:
    """Why a line-by-line look is worth it, if it is: no codec decodes the whole; a
    line of valid UTF-8 text among invalid ones (text pasted into a UTF-8 file); a
    whole-file reading that is implausible overall, strange on some line, or beaten
    on one stretch of the file by another codec (concatenated files)."""
    if main is None:
        return "no codec decodes the whole"
    lines = [line for line in data.splitlines() if not line.isascii()]
    if _utf8_lines(data):
        return "partly valid UTF-8"
    if main.cost > IMPLAUSIBLE_PER_BYTE * _wide_bytes(sample):
        return "implausible overall"
    text = data.decode(main.family.widest)
    strange = text.translate(langmodel.known_deleter(main.group, keep="\n")).split("\n")
    if any(
        len(unknown) >= MIN_LETTERS_TO_JUDGE and _too_strange(unknown, line)
        for unknown, line in zip(strange, text.split("\n"), strict=True)
    ):
        return "a line reads strangely"
    if _stretch_prefers_another(lines, main):
        return "one stretch reads better in another codec"
    return None


def _utf8_lines(data: bytes) -> bool:
    """Some lines are UTF-8 text and some are not. Text means several characters of
    three UTF-8 bytes (CJK): two-byte ones turn up by chance in legacy bytes."""
    text = data.decode("utf-8", errors="replace")
    if "\ufffd" not in text:
        return False
    return any(
        "\ufffd" not in line and len(_THREE_BYTE.findall(line)) >= MIN_LETTERS_TO_JUDGE
        for line in text.splitlines()
        if not line.isascii()
    )


def _stretch_prefers_another(lines: list[bytes], main: _Candidate) -> bool:
    """Split the non-ASCII lines into STRETCHES runs and price a sample of each with
    every other multi-byte codec that decodes it: does one read far better?
    (Concatenated CJK documents; single-byte files do not take turns with them.)"""
    if main.family.single_byte or len(lines) < 2:
        return False
    rivals = [f for f in FAMILIES if not f.single_byte and f is not main.family]
    size = -(-len(lines) // STRETCHES)
    for start in range(0, len(lines), size):
        stretch = b"\n".join(lines[start : start + size])
        stretch = stretch[: _blank_before(stretch, STRETCH_SAMPLE_BYTES) or len(stretch)]
        own = _reading_cost(stretch, main.family)
        for rival in rivals:
            text = _strict(stretch, rival.widest)
            if text is None:
                continue
            cost = langmodel.score(text, rival.groups)[0] + rival.cost
            if cost + 2 * SWITCH_COST < own:
                return True
    return False


def _reading_cost(data: bytes, family: Family) -> float:
    text = data.decode(family.widest, errors="replace")
    return langmodel.score(text, family.groups)[0] + family.cost


_THREE_BYTE = re.compile("[\u0800-\ufffc]")
STRETCHES = 8
STRETCH_SAMPLE_BYTES = 1_000


def _too_strange(unknown: str, text: str) -> bool:
    """Letters or impossible code points unknown to the language, in a large share."""
    strange = sum(1 for ch in unknown if ch.isalpha() or langmodel.fallback(ch) >= 25)
    wide = len(text) - len(text.encode("ascii", "ignore"))
    return strange >= MIN_LETTERS_TO_JUDGE and strange >= MAX_UNKNOWN_SHARE * wide


def _wide_bytes(data: bytes) -> int:
    return len(data) - len(data.translate(None, _HIGH_BYTES))


_HIGH_BYTES = bytes(range(0x80, 0x100))
MAX_UNKNOWN_SHARE = 0.3  # of a line's non-ASCII characters: more is not that language
MIN_LETTERS_TO_JUDGE = 4
# Real text costs at most about 8 nats per non-ASCII byte in its own codec (measured
# on shared/corpora/encodings); a wrong codec's reading costs more.
IMPLAUSIBLE_PER_BYTE = 8.5


def _decodes(data: bytes, codec: str) -> bool:
    return _strict(data, codec) is not None


def _segmented(data: bytes, main: _Candidate | None) -> Decoded | None:
    """Decode line by line, choosing each line's codec by Viterbi over the lines.

    Lines keep the whole-file reading (`main`) unless it finds them strange (see
    `_line_costs`); confidence weighs the split against the best single codec.
    """
    lines = data.split(b"\n")
    options: list[tuple[str | None, Family | None]] = [("utf-8", None)]
    # Files mix UTF-8 and legacy codecs, or legacy CJK codecs; a single-byte codec
    # other than the whole-file one taking a turn (a Greek title read as Cyrillic)
    # is far likelier a misreading.
    options += [
        (None, f) for f in FAMILIES if main is None or f is main.family or not f.single_byte
    ]
    previous = [0.0] * len(options)
    unswitched = [0.0] * len(options)  # each codec for the whole file
    back: list[list[int]] = []
    for line in lines:
        emissions = _line_costs(line, options, main)
        unswitched = [u + e for u, e in zip(unswitched, emissions, strict=True)]
        best_previous = min(range(len(options)), key=previous.__getitem__)
        row, current = [], []
        for i, emission in enumerate(emissions):
            stay, switch = previous[i], previous[best_previous] + SWITCH_COST
            row.append(i if stay <= switch else best_previous)
            current.append(min(stay, switch) + emission)
        back.append(row)
        previous = current
    state = min(range(len(options)), key=previous.__getitem__)
    if math.isinf(previous[state]):
        return None
    path = [state]
    for row in reversed(back[1:]):
        state = row[state]
        path.append(state)
    path.reverse()
    confidence = _confidence([previous[path[-1]], min(unswitched)])
    return _join_segments(data, lines, path, options, confidence)


def _line_costs(
    line: bytes, options: list[tuple[str | None, Family | None]], main: _Candidate | None
) -> list[float]:
    """Each option's cost for one line (inf where it cannot decode the line).

    A line stays with the whole-file reading unless that reading finds it strange,
    or it is valid UTF-8, or another reading is much cheaper: rows of symbols must
    not pull a file apart. Runs of one character count as two.
    """
    if line.isascii():
        return [0.0] * len(options)
    keep = [0.0 if family is (main and main.family) else math.inf for _, family in options]
    own = _strict(line, main.family.widest) if main else None
    if own is not None and main is not None and not _strict(line, "utf-8"):
        unknown = own.translate(langmodel.known_deleter(main.group))
        if len(unknown) < MIN_LETTERS_TO_JUDGE or not _too_strange(unknown, own):
            return keep
    if own is not None and not _LETTER.search(own):
        # Decoration (rules, boxes): no reading of it says anything about the codec.
        return [0.0 if _strict(line, c or f.widest) else math.inf for c, f in options]  # type: ignore[union-attr]
    costs: list[float] = []
    for codec, family in options:
        text = _strict(line, codec or family.widest)  # type: ignore[union-attr]
        if text is None:
            costs.append(math.inf)
            continue
        text = _RUN.sub(r"\1\1", text)
        groups = family.groups if family else langmodel.GROUPS
        costs.append(langmodel.score(text, groups)[0] + (family.cost if family else 0.0))
    if main is not None:
        own_cost = costs[keep.index(0.0)]
        if own_cost <= min(costs) + KEEP_MARGIN_PER_BYTE * _wide_bytes(line):
            return keep
    return costs


_RUN = re.compile(r"(.)\1{2,}")
_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
KEEP_MARGIN_PER_BYTE = 1.5  # nats: how much worse the whole-file reading may be


def _join_segments(
    data: bytes,
    lines: list[bytes],
    path: list[int],
    options: list[tuple[str | None, Family | None]],
    confidence: float,
) -> Decoded | None:
    segments: list[Segment] = []
    texts: list[str] = []
    start = 0
    index = 0
    while index < len(lines):
        state = path[index]
        end_index = index
        while end_index + 1 < len(lines) and path[end_index + 1] == state:
            end_index += 1
        chunk_end = start + sum(len(line) + 1 for line in lines[index : end_index + 1])
        chunk = data[start : min(chunk_end, len(data))]
        codec, family = options[state]
        codec = codec or _smallest(chunk, family)  # type: ignore[arg-type]
        texts.append(family.text(chunk, codec) if family else chunk.decode(codec))
        if segments and segments[-1].encoding == codec:
            segments[-1] = Segment(segments[-1].start, start + len(chunk), codec)
        else:
            segments.append(Segment(start, start + len(chunk), codec))
        start += len(chunk)
        index = end_index + 1
    if len(segments) == 1:
        return None  # one codec after all: the whole-file answer stands
    used = ", ".join(f"{s.encoding} {s.start}-{s.end}" for s in segments)
    text = "".join(texts)
    evidence = f"mixed encodings by line: {used}"
    return Decoded(text, "mixed", confidence, evidence, None, tuple(segments))


def _smallest(data: bytes, family: Family) -> str:
    for member in family.members:
        if _strict(data, member) is not None:
            return codecs.lookup(member).name
    return codecs.lookup(family.widest).name


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _declared_family(data: bytes) -> Family | None:
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return _BY_CODEC.get(name)


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    sample = text[:SAMPLE_CHARACTERS]
    return len(_CONTROLS.findall(sample)) / len(sample) if sample else 0.0


def _confidence(costs: list[float]) -> float:
    """Probability of the cheapest reading among all (costs are -ln likelihoods)."""
    best = min(costs)
    total = sum(math.exp(best - c) for c in costs)
    return round(1.0 / total, 3)
