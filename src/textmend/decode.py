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
   bytes strictly (GB2312 before GBK before GB18030) but for damaged stretches,
   and the text is decoded with it (GB2312 excepted: see FAMILIES).

A few invalid byte sequences (a character cut by a truncated download or a bad
copy) cost a U+FFFD each, not the codec: a family (UTF-8 included) that fails
strictly on at most MAX_INVALID_SHARE of the non-ASCII bytes (or a few per file)
is still a candidate, and so is a UTF-8 reading whose whole multi-byte characters
outweigh its few damaged places (UTF8_WHOLE_PER_PLACE: structure chance rarely gives,
so a short text cut in its last character keeps its codec), each priced on its reading
plus INVALID_SEQUENCE_COST per invalid sequence; `Decoded.replaced` counts them.
A double-byte reading that a lost byte put out of step is read in step again
around the damage (see "reading in step" below), so the damage costs its U+FFFD,
not the rest of the paragraph.
NUL bytes alone do not make UTF-16/32: a BOM-less wide reading must be cheaper
than the 8-bit reading of the same bytes, in which every control character is
priced as impossible.
"""

from __future__ import annotations

import codecs
import math
import re
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from functools import cache
from heapq import heapify, heappop, heappush
from itertools import accumulate
from operator import itemgetter, mul, sub
from typing import cast

from . import langmodel
from .result import Decoded, Segment

Span = tuple[int, int]  # a byte range: start, end


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
    longest: int = 1  # bytes in its longest character
    # Its characters are structure chance rarely gives: a reading may hold as many
    # invalid sequences as that outweighs (see `_outweighed`).
    structured: bool = False

    @property
    def widest(self) -> str:
        return self.members[-1]

    @property
    def resyncs(self) -> bool:
        """Whether a reading can fall out of step with the characters (a multi-byte
        codec that does not tell lead from trail bytes; UTF-8 does)."""
        return self.longest > 1 and self is not _UTF8

    def text(self, data: bytes, member: str) -> str:
        """The text of `data`, each invalid sequence marked by _MARK, the stretches
        around damage read in step (see `_resynced`)."""
        return self.reading(data, member)[0]

    def reading(self, data: bytes, member: str) -> tuple[str, list[Span]]:
        """`text`, and the byte ranges damage made it read differently (`_resync`)."""
        codec = self.text_codec or member
        text = _marked(data, codec)
        assert text is not None  # no limit was given
        return _resync(data, self, codec, text)

    def answer(self, data: bytes, reading: tuple[str, list[Span]] | None = None) -> tuple[str, str]:
        """The member to report for `data` (see `_smallest`) and the text; `reading`
        is the widest member's, if it was made already."""
        text, damaged = reading or self.reading(data, self.widest)
        codec = _smallest(data, self, damaged)
        if not self.text_codec and codec != codecs.lookup(self.widest).name:
            # Undamaged, the member decodes the whole strictly (`_smallest`).
            text = self.text(data, codec) if damaged else data.decode(codec)
        return codec, text


# A Latin-script code page can write the languages of other Latin code pages too
# (Polish in ISO 8859-13, Estonian in ISO 8859-15): each is priced in all of them,
# and its prior says how common it is.
LATIN = ("western", "western_more", "central", "baltic", "turkish", "estonian", "south")
CYRILLIC = ("cyrillic", "cyrillic_more")  # Russian, Ukrainian ...; Belarusian, Serbian
HEBREW = ("hebrew", "hebrew_more")  # Hebrew; Yiddish, with its vowel points

FAMILIES: tuple[Family, ...] = (
    # Python's gb2312 codec maps A1A4 to the katakana ・ and A1AA to ―, where GBK,
    # GB18030 and browsers give · and —: text labelled GB2312 is decoded as GB18030.
    Family("gb", ("gb2312", "gbk", "gb18030"), ("zh_hans", "zh_hant"), 0.0, "gb18030", False, 4),
    Family("big5", ("big5", "cp950", "big5hkscs"), ("zh_hant",), 0.5, single_byte=False, longest=2),
    Family("shift_jis", ("shift_jis", "cp932"), ("ja",), 0.5, single_byte=False, longest=2),
    Family("euc_jp", ("euc_jp", "euc_jis_2004"), ("ja",), 1.0, single_byte=False, longest=3),
    Family("euc_kr", ("euc_kr", "cp949"), ("ko",), 0.5, single_byte=False, longest=2),
    Family("johab", ("johab",), ("ko",), 6.0, single_byte=False, longest=2),
    # Single-byte code pages, a family each (none is a subset of another: each
    # reads some byte its own way). The cost is a prior in nats, about -ln of the
    # codec's share of legacy text, so that where two readings are alike the
    # commoner codec is taken: Windows code pages first, then ISO 8859, then the
    # Mac and DOS pages of the same scripts.
    Family("cp1252", ("cp1252",), LATIN, 1.0),
    Family("latin_1", ("iso8859-1",), LATIN, 2.0),
    Family("iso8859_15", ("iso8859-15",), LATIN, 4.0),
    Family("mac_roman", ("mac-roman",), LATIN, 7.0),
    Family("cp850", ("cp850",), LATIN, 7.0),
    Family("cp437", ("cp437",), LATIN, 7.5),
    Family("iso8859_14", ("iso8859-14",), LATIN, 7.0),
    Family("cp858", ("cp858",), LATIN, 7.5),
    Family("cp865", ("cp865",), LATIN, 8.0),
    Family("cp860", ("cp860",), LATIN, 8.5),
    Family("cp861", ("cp861",), LATIN, 8.5),
    Family("cp863", ("cp863",), LATIN, 8.5),
    Family("mac_iceland", ("mac-iceland",), LATIN, 8.5),
    Family("hp_roman8", ("hp-roman8",), LATIN, 9.0),
    Family("cp1250", ("cp1250",), LATIN, 1.5),
    Family("iso8859_2", ("iso8859-2",), LATIN, 4.0),
    Family("iso8859_16", ("iso8859-16",), LATIN, 6.0),
    Family("mac_latin2", ("mac-latin2",), LATIN, 7.0),
    Family("cp852", ("cp852",), LATIN, 7.0),
    Family("iso8859_3", ("iso8859-3",), LATIN, 8.0),
    Family("mac_croatian", ("mac-croatian",), LATIN, 8.5),
    Family("mac_romanian", ("mac-romanian",), LATIN, 8.5),
    Family("cp1251", ("cp1251",), CYRILLIC, 1.0),
    # KOI8-U is KOI8-R with Ukrainian letters where KOI8-R has box drawing (є і ї ґ
    # and capitals): not a wider member, since both decode every byte; the letters
    # read far better than box drawing, and where the texts are the same the prior
    # gives KOI8-R. cp1125 is cp866 with the same letters, alike.
    Family("koi8_r", ("koi8-r",), CYRILLIC, 1.5),
    Family("koi8_u", ("koi8-u",), CYRILLIC, 2.5),
    Family("mac_cyrillic", ("mac-cyrillic",), CYRILLIC, 6.0),
    Family("iso8859_5", ("iso8859-5",), CYRILLIC, 5.0),
    Family("cp866", ("cp866",), CYRILLIC, 6.0),
    Family("cp1125", ("cp1125",), CYRILLIC, 8.0),
    Family("cp855", ("cp855",), CYRILLIC, 8.0),
    Family("kz1048", ("kz1048",), ("turkic_cyrillic", *CYRILLIC), 8.0),
    Family("ptcp154", ("ptcp154",), ("turkic_cyrillic", *CYRILLIC), 8.5),
    # KOI8-T is KOI8-R with Tajik letters, « » and … where KOI8-R has box drawing:
    # priced as Tajik only, so that a Russian KOI8-R file whose box drawing stood
    # for quotes is not taken for it (chardet's KOI8-R test `greek.ru.xml`).
    Family("koi8_t", ("koi8-t",), ("turkic_cyrillic",), 9.0),
    Family("iso8859_7", ("iso8859-7",), ("greek",), 1.5),
    Family("cp1253", ("cp1253",), ("greek",), 3.0),
    Family("mac_greek", ("mac-greek",), ("greek",), 7.0),
    Family("cp737", ("cp737",), ("greek",), 7.0),
    Family("cp869", ("cp869",), ("greek",), 8.0),
    Family("cp1255", ("cp1255",), HEBREW, 1.5),
    Family("iso8859_8", ("iso8859-8",), HEBREW, 4.0),
    Family("cp862", ("cp862",), HEBREW, 7.0),
    Family("cp1254", ("cp1254",), LATIN, 3.5),
    Family("iso8859_9", ("iso8859-9",), LATIN, 5.0),
    Family("cp857", ("cp857",), LATIN, 8.0),
    Family("mac_turkish", ("mac-turkish",), LATIN, 8.5),
    Family("cp1257", ("cp1257",), LATIN, 5.0),
    Family("iso8859_13", ("iso8859-13",), LATIN, 6.0),
    Family("iso8859_4", ("iso8859-4",), LATIN, 7.0),
    Family("cp775", ("cp775",), LATIN, 8.0),
    Family("iso8859_10", ("iso8859-10",), LATIN, 8.0),
    Family("cp1256", ("cp1256",), ("arabic",), 4.0),
    Family("iso8859_6", ("iso8859-6",), ("arabic",), 6.0),
    Family("cp720", ("cp720",), ("arabic",), 8.0),
    Family("cp864", ("cp864",), ("arabic",), 8.5),
    # Not Mac Arabic: it writes right-to-left copies of ASCII signs (`#` for 0xA3),
    # which every reading prices as free ASCII: Big5 lines read as it.
    Family("cp1258", ("cp1258",), ("vietnamese",), 5.0),
    Family("tis_620", ("tis-620", "cp874"), ("thai",), 4.0),
    Family("iso8859_11", ("iso8859-11",), ("thai",), 5.0),
)

# Each invalid byte sequence becomes this lone surrogate while decoding (no codec
# here yields one from valid bytes), so it can be counted, kept out of the
# language model, and turned into U+FFFD once, in `decode`, before anyone sees it.
_MARK = "\ud800"
_MARK_HANDLER = "textmend.decode.mark"


def _mark(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):  # registered for decoding only
        raise error
    return _MARK, error.end


codecs.register_error(_MARK_HANDLER, _mark)
_SURROGATES = re.compile("[\ud800-\udfff]")

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
PAIR_SAMPLE = 1_200  # letter pairs are priced on this many bytes of the sample's words
# ...its words that hold a high byte (pairs of ASCII letters are free in every reading):
# a mostly-ASCII file's one accented word (`crème` at its end) is priced wherever it is.
PAIR_REACH, PAIR_REACH_NATS = 0.3, 20.0  # ...for readings this close to the cheapest
# A family's groups whose letters cost at most this much more than its cheapest
# group's are priced by their pairs too, and the cheapest total is taken: pairs
# moved French in cp850 by 50 nats between two groups whose letters differed by 30
# (at 30, cp860's one `Ú` in a Latin word won through the other group).
GROUP_REACH = 100.0
# A double-byte character between two Latin letters (`gr鲞er`, German `größer` read
# as GBK): Chinese glues Latin words to its characters (`iPhone手机`), not letters to
# both sides of one; priced as two unseen letter pairs.
SANDWICHED_COST = -2 * langmodel.PAIR_RANGE[0]
_SANDWICHED = re.compile("[A-Za-z][^\x00-\u024f\ufffd][A-Za-z]")
MAX_CONTROL_SHARE = 0.05  # more control characters than this: not text
# An invalid byte sequence is priced as an impossible character (the U+FFFD it
# becomes is not priced again): cheaper than a codec switch (SWITCH_COST), so one
# cut character at the end of a UTF-8 file is one U+FFFD, not a second codec. The
# same price decides where a reading skips a byte to fall back in step (see
# `_cheapest_reading`). Measured on bench_decode's damaged files, tuning half (840
# legacy, 84 UTF-8) and their 180 undamaged originals (as stored and without
# declarations): at 25 every undamaged text is read as it was; at 20, 4 of 360 are
# not (rare characters read as skipped bytes), at 15, 8; at 12, 22.
INVALID_SEQUENCE_COST = langmodel.IMPOSSIBLE
# A family may fail on at most this share of the non-ASCII bytes (of a file, of a
# line) and stay a candidate. Measured on shared/corpora/encodings: a real file
# with one cut character needs 1 in a few hundred; the wrong families of the 338
# legacy files fail on more than 4% in 5,000 of their 6,900 (file, family) pairs,
# and the cost model prices the rest. The UTF-8 line `中文内容，测试一下。abc` cut
# in its last character is 1 in 32.
MAX_INVALID_SHARE = 0.04
# ...and at least MIN_INVALID_ALLOWED per file, one per MIN_BYTES_PER_INVALID bytes of
# it: a few damaged places in a file with few non-ASCII characters (a UTF-8 page whose
# two cut characters are its only ones) leave the file's codec a candidate. Measured on
# bench_decode's damaged files (tuning half): UTF-8 text right 39 / 36 of 42 (as stored /
# no declarations) with 0, 41 / 39 with 3 or more; the legacy files the same. A short
# window gets none: with 3, one 10-character Shift-JIS window of half-width katakana
# read better as GBK with one invalid sequence.
MIN_INVALID_ALLOWED = 3
MIN_BYTES_PER_INVALID = 100
# UTF-8 has structure legacy bytes rarely have by chance: a lead byte followed by just
# the continuation bytes it announces. So a UTF-8 reading is also a candidate, priced as
# the others are, when its damaged places (runs of invalid sequences: a lost lead byte
# leaves one per trail byte) are at most one per UTF8_WHOLE_PER_PLACE whole multi-byte
# characters: short text cut in its last character (`中文\xe5`) keeps its codec where
# the shares above allow nothing. Measured on bench_decode section 7, tuning half (1,500
# windows of 2-20 characters of UTF-8 with one damaged character; 960 legacy windows)
# and on section 2's 6,000 legacy windows: at 2, 77.7 % of the damaged windows read right
# (30.4 % without this rule; European text 30.3 %: a cut character costs more than two
# accented letters' mojibake), and 23 legacy windows have a UTF-8 candidate, each priced
# at least 28.6 nats above its right reading (more than one invalid sequence), none
# answered UTF-8. At 1, 79.8 % right, but 295 legacy windows with a candidate, one 16.1
# nats from winning; at 3, 67.1 %. Counting three- and four-byte characters only (chance
# makes two-byte ones in GBK or Big5 text), 71.5 % (European text 0 %) and no legacy
# candidate; counting invalid sequences instead of places, 76.3 % (lost lead bytes 64.5 %
# instead of 70.1 %).
UTF8_WHOLE_PER_PLACE = 2
# ...for a few places: as many as any file may hold (MIN_INVALID_ALLOWED), so a file of
# UTF-8 and GBK lines is no whole-file UTF-8 reading with thousands of invalid sequences
# (its lines are read one by one; without the cap, 2 MB of such lines took 15 % longer to
# decode, each invalid sequence marked). A place is a run of up to three invalid
# sequences, the trail bytes of a four-byte character whose lead byte was lost.
UTF8_MAX_PLACES = MIN_INVALID_ALLOWED
UTF8_MARKS_PER_PLACE = 3
# A BOM-less UTF-16/32 reading and the 8-bit reading are priced on this many bytes.
WIDE_SAMPLE_BYTES = 4 * SAMPLE_CHARACTERS

# Priced with the legacy families when strict UTF-8 fails (a UTF-8 file with a
# cut character); line by line it is the codec that mixed files mix with the rest.
_UTF8 = Family(
    "utf_8",
    ("utf-8",),
    langmodel.GROUPS,
    0.0,
    single_byte=False,
    longest=4,
    structured=True,
)
_CANDIDATES = (_UTF8, *FAMILIES)
_BY_CODEC = {codecs.lookup(m).name: f for f in _CANDIDATES for m in f.members}


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode `data`; `encoding` forces a codec (invalid sequences become U+FFFD).

    Whatever the bytes, the text is a valid str: every lone surrogate (an invalid
    sequence's mark, or one a forced codec such as unicode_escape produced) is
    U+FFFD, counted in `replaced` and named in the evidence.
    """
    if encoding:
        decoded = _forced(data, encoding)
        text, replaced = _SURROGATES.subn("\ufffd", decoded.text)
    else:  # detection's codecs yield no surrogate but the marks
        decoded = _detect(data)
        text, replaced = decoded.text, 0
        if _MARK in text:
            text, replaced = text.replace(_MARK, "\ufffd"), text.count(_MARK)
    if not replaced:
        return decoded
    plural = "s" if replaced > 1 else ""
    evidence = f"{decoded.evidence}; {replaced} invalid byte sequence{plural} replaced by U+FFFD"
    return replace(decoded, text=text, evidence=evidence, replaced=replaced)


def _detect(data: bytes) -> Decoded:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            limit = _allowed(len(data), _file_floor(len(data)))
            text = _marked(data, codec, limit, structured=codec == "utf-8-sig")
            if text is not None:
                return _single(text, codec, 1.0, "byte order mark", data)
            break
    if b"\x1b" in data and b"\x00" not in data:
        # ISO-2022 text has no NUL; UTF-16 of Thai (U+0E1B is 1B 0E) is 7-bit too.
        found = _iso2022(data)
        if found is not None:
            return found
    if data.isascii() and b"~{" in data:  # isascii stops at the first high byte
        found = _hz(data)
        if found is not None:
            return found
    if b"+" in data and data.isascii():
        found = _utf7(data)
        if found is not None:
            return found
    if b"\x00" in data:
        return _with_nul(data)
    return _eight_bit(data)


def _eight_bit(data: bytes) -> Decoded:
    """The reading of `data` as UTF-8 or a legacy codec (NUL bytes as characters)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _legacy(data)
    codec = "ascii" if data.isascii() else "utf-8"
    return _single(text, codec, 1.0, "decodes strictly as UTF-8", data)


def _single(text: str, codec: str, confidence: float, evidence: str, data: bytes) -> Decoded:
    segment = Segment(0, len(data), codec)
    return Decoded(text, codec, confidence, evidence, None, (segment,))


def _forced(data: bytes, encoding: str) -> Decoded:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise DecodeError(f"{encoding!r} is not a text encoding")
    try:
        text = _marked(data, info.name)
    except UnicodeError as err:  # a codec without error handlers (idna, punycode)
        raise DecodeError(f"not valid {info.name}: {err}") from None
    assert text is not None  # no limit was given
    family = _BY_CODEC.get(info.name)
    if family is not None:
        text = _resynced(data, family, info.name, text)
    return _single(text, info.name, 1.0, "forced by the caller", data)


def _marked(
    data: bytes, codec: str, limit: int | None = None, structured: bool = False
) -> str | None:
    """`data` decoded with each invalid sequence as _MARK; None if there are more
    than `limit`, unless the codec is `structured` and its whole characters outweigh
    them (`_outweighed`). Strict first, then a C-speed count (an upper bound), so a
    codec that fails everywhere costs no Python call per error."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    if limit is not None:
        if limit <= 0 and not structured:
            return None
        rough = data.decode(codec, "replace")
        if rough.count("\ufffd") - _valid_replacement_chars(data, codec) > limit:
            if not (structured and _outweighed(rough)):
                return None
            limit = None  # a few damaged places among many whole characters
    text = data.decode(codec, _MARK_HANDLER)
    if limit is not None and text.count(_MARK) > limit:
        return None
    return text


@cache
def _encoded_replacement_char(codec: str) -> bytes | None:
    try:
        return "\ufffd".encode(codec)
    except (UnicodeError, LookupError):
        return None


def _valid_replacement_chars(data: bytes, codec: str) -> int:
    """How many U+FFFD the bytes may encode validly (at most)."""
    encoded = _encoded_replacement_char(codec)
    return data.count(encoded) if encoded else 0


def _outweighed(text: str) -> bool:
    """Whether a UTF-8 reading (`text`, each invalid sequence a U+FFFD) has a few
    damaged places (at most UTF8_MAX_PLACES), and UTF8_WHOLE_PER_PLACE whole
    multi-byte characters per place. A damaged character leaves a run of at most
    UTF8_MARKS_PER_PLACE invalid sequences (a lost lead byte, one per trail byte): a
    longer run is as many places as it takes. Text with more invalid sequences than
    a few places can hold (a file with lines in another codec) is rejected on one
    count; the rest is C-speed passes (characters counted by their lead bytes)."""
    marks = text.count("\ufffd")
    if marks > UTF8_MAX_PLACES * UTF8_MARKS_PER_PLACE:
        return False
    runs = _REPLACEMENT_RUN.findall(text)
    places = sum(-(-len(run) // UTF8_MARKS_PER_PLACE) for run in runs)
    encoded = text.encode("utf-8")
    whole = len(encoded) - len(encoded.translate(None, _MULTI_BYTE_LEADS)) - marks  # EF each
    return places <= UTF8_MAX_PLACES and places * UTF8_WHOLE_PER_PLACE <= whole


_MULTI_BYTE_LEADS = bytes(range(0xC2, 0xF5))
_REPLACEMENT_RUN = re.compile("\ufffd+")


def _allowed(wide_bytes: int, floor: int = 0) -> int:
    """How many invalid sequences a reading of this many non-ASCII bytes may hold."""
    return max(floor, int(MAX_INVALID_SHARE * wide_bytes))


def _file_floor(size: int) -> int:
    """The invalid sequences any reading of a file of `size` bytes may hold."""
    return min(MIN_INVALID_ALLOWED, size // MIN_BYTES_PER_INVALID)


def _unmarked(text: str) -> str:
    return text.replace(_MARK, "") if _MARK in text else text


# --- reading in step around damage --------------------------------------------------------
#
# A double-byte codec cannot tell a lead byte from a trail byte. One byte lost in a
# run of CJK characters puts its reading out of step: every later pair is read across
# two characters (valid, rare ones) up to the next byte that no character contains,
# where the byte left over is an invalid sequence, or to an ASCII letter that makes a
# valid last pair, where the reading is in step again with no invalid sequence at all.
# So the stretch around each invalid sequence, and around each run of characters the
# family's language model finds far too rare, from an in-step byte before it to one
# after it, is read again as the cheapest sequence of characters and skipped bytes
# (a shortest path over its byte positions: characters priced by the language model,
# each skipped byte INVALID_SEQUENCE_COST). A lost byte then costs one U+FFFD, not the
# rest of its paragraph.

# Every reading is in step after an ASCII byte other than a digit: no codec here has
# an ASCII lead byte, so the byte was a character of its own or the last byte of one
# (digits can be the second of GB18030's four bytes).
_IN_STEP = re.compile(rb"[\x00-\x2f\x3a-\x7f]")
# How far from the damage its stretch may reach (each way), in bytes: a paragraph of
# 8,000 CJK characters with no ASCII in it but digits. Bounds the search (0.8 us per
# byte of GBK, 1 us of Shift-JIS, measured) on a line of megabytes.
RESYNC_REACH = 16_384
# Reading in step is for a few damaged places: a reading with more invalid sequences
# than this share of its non-ASCII bytes (at least MIN_RESYNCED) is taken as the codec
# gives it. The damaged files of bench_decode (1-3 places, 500 bytes and up) need 3;
# a wrong codec's reading has hundreds.
MAX_RESYNCED_SHARE = 0.005
# ...and strange runs, each re-read in Python, at most this share of them: a text
# strange all through (100,000 lines of `x亍兀卅丕的人` in GBK, one run a line, 7.7 %
# of its bytes) took 3.8 s CPU for 1.4 MB, 1.0 s with the cap; bench_decode's damaged
# files read as they did (every row the same; 0.5 %, the share above, lost 0.7-2.3
# points of their text).
MAX_STRANGE_SHARE = 0.05
MIN_RESYNCED = MIN_INVALID_ALLOWED
# A run may be out of step (with no invalid sequence to say so) where STRANGE_WINDOW
# consecutive non-ASCII characters cost more than STRANGE_PRICE nats each on average
# (and two of them more than that, or one is unknown to the language). Measured on 300
# documents of each clean corpus in GBK, Big5, Shift-JIS, EUC-JP and EUC-KR, each with
# one byte deleted: windows of 4 of the text cost 7.0 / 6.8 / 6.2 / 6.2 / 5.6 nats a
# character (median; 99.9th percentile 11.1 / 10.5 / 10.1 / 10.3 / 7.1), out-of-step
# ones 14.1 / 12.6 / - / 12.4 / - (Shift-JIS and EUC-KR fall back in step within a
# character or two). On the damaged files (tuning half), text right as stored / without
# declarations: 409 / 414 of 420 at 10.5 or 11 nats, 408 / 414 at 12, 405 / 411 at 13,
# 389 / 394 with no window at all; windows of 6, 407 / 410. A window in clean text
# costs time only (its stretch is read again as it was): at 12 nats 2 % of the bytes of
# the Chinese Wikipedia corpus in GBK are read again (0.9 % in Big5, 0.1 % of the
# Japanese in Shift-JIS), at 10.5 nats 20 % (11 %, 2 %).
STRANGE_WINDOW = 4
STRANGE_PRICE = 12.0
# A re-reading replaces the codec's own only when it is cheaper by RESYNC_MARGIN, each
# character priced in whichever language knows it best (so kana in GBK, or hanja in
# EUC-KR, dear to the family's own languages, cannot be "read again" as cheaper junk).
# Measured: with 0 no text changes in 9,254 clean documents (the HTML corpus, the
# zh_tw sentences and the clean Wikipedia corpora, each in GBK, Big5, cp932, EUC-JP and
# EUC-KR), where pricing in the family's languages changed 33; on the damaged files
# (tuning half) margins of 0 / 10 read 414 / 410 of 420 right without declarations.
# Pricing a codec is another matter: the search picks the cheapest of many readings,
# so a wrong codec's junk gets cheaper too, and a re-reading counts there only when it
# saves PRICING_MARGIN: 0 loses 2 of the 360 undamaged files, 10 and 30 one damaged
# copy, 100 and 300 none (the page of the issue saves 3,500 nats).
RESYNC_MARGIN = 0.0
PRICING_MARGIN = 100.0


def _resynced(data: bytes, family: Family, codec: str, text: str, strange: bool = True) -> str:
    """`text` (`data` as `codec` read it, invalid sequences marked) with the stretches
    around damage read in step (see above); around invalid sequences only unless
    `strange` (pricing a codec: see PRICING_MARGIN)."""
    return _resync(data, family, codec, text, strange)[0]


def _resync(
    data: bytes, family: Family, codec: str, text: str, strange: bool = True
) -> tuple[str, list[Span]]:
    """`_resynced`, and the damaged byte ranges: the stretches whose reading holds an
    invalid sequence or is not the codec's own."""
    invalid = _invalid_spans(data, codec) if _MARK in text else []
    limit = _resync_limit(data)
    if not family.resyncs or len(invalid) > limit:
        return text, invalid
    most = max(MIN_RESYNCED, int(MAX_STRANGE_SHARE * _wide_bytes(data)))
    odd = _strange_spans(text, family, most + 1) if strange else []
    if len(odd) > most:
        odd = []  # strange all through: text the codec reads as it is, not damage
    if not invalid and not odd:
        return text, []
    spans = sorted(invalid + _byte_spans(text, odd, codec, invalid))
    margin = RESYNC_MARGIN if strange else PRICING_MARGIN
    pieces: list[str] = []
    damaged: list[Span] = []
    done = 0
    for low, high in _stretches(data, spans, codec):
        pieces.append(_decoded(data[done:low], codec))
        own = _decoded(data[low:high], codec)
        reading = _better_reading(data[low:high], own, family, codec, margin)
        if reading is not own or _MARK in own:
            damaged.append((low, high))
        pieces.append(reading)
        done = high
    pieces.append(_decoded(data[done:], codec))
    return "".join(pieces), damaged


def _resync_limit(data: bytes) -> int:
    return max(MIN_RESYNCED, int(MAX_RESYNCED_SHARE * _wide_bytes(data)))


def _strange_spans(text: str, family: Family, most: int) -> list[Span]:
    """The (start, end) indexes of the runs of non-ASCII characters in `text` that hold
    a strange window: STRANGE_WINDOW characters, two of them dearer than STRANGE_PRICE
    (or one the language does not know), costing over STRANGE_PRICE each on average;
    `most` of them at most (a text strange all through is not read around its damage).
    The dear characters are found by a regular expression, so clean text costs little."""
    found: list[Span] = []
    for match in _dear_pattern(family).finditer(text):
        if found and match.start() < found[-1][1]:
            continue
        if _strange_around(text, match.start(), match.end(), family):
            found.append(_run_around(text, match.start()))
            if len(found) >= most:
                break
    return found


def _strange_around(text: str, start: int, end: int, family: Family) -> bool:
    """Whether a window of STRANGE_WINDOW that overlaps text[start:end] costs over
    STRANGE_PRICE a character."""
    width = STRANGE_WINDOW
    piece = text[max(0, start - width + 1) : end + width - 1]
    sums = [0.0, *accumulate(map(_prices(family).__getitem__, piece))]
    return max(map(sub, sums[width:], sums), default=0.0) > width * STRANGE_PRICE


def _run_around(text: str, index: int) -> Span:
    """The run of non-ASCII characters around text[index], within RESYNC_REACH."""
    before = _WIDE_RUN.match(text[max(0, index - RESYNC_REACH) : index][::-1])
    after = _WIDE_RUN.match(text, index, index + RESYNC_REACH)
    return index - (before.end() if before else 0), after.end() if after else index


_WIDE_RUN = re.compile("[^\\x00-\\x7f]*")


@cache
def _dear_pattern(family: Family) -> re.Pattern[str]:
    """Two characters dearer than STRANGE_PRICE in the family's languages within
    STRANGE_WINDOW non-ASCII characters, or one they do not know. Punctuation, the
    full-width forms and Latin-1 symbols count as cheap (the prices of `fallback`)."""
    tables = [langmodel.table(group) for group in family.groups]
    known = set().union(*tables)
    cheap = {char for char in known if min(t.get(char, math.inf) for t in tables) <= STRANGE_PRICE}
    dear = f"[^\\x00-\\x7f{_CHEAP_BLOCKS}{_char_class(cheap)}]"
    unknown = f"[^\\x00-\\x7f{_CHEAP_BLOCKS}{_char_class(known)}]"
    return re.compile(f"{dear}[^\\x00-\\x7f]{{0,{STRANGE_WINDOW - 2}}}{dear}|{unknown}")


# Latin-1 symbols, general punctuation, arrows to dingbats (rules and boxes drawn with
# them), CJK punctuation, full-width ASCII forms.
_CHEAP_BLOCKS = "\\xa0-\\xbf\\u2000-\\u206f\\u2190-\\u27bf\\u3000-\\u303f\\uff01-\\uff5e"


def _char_class(chars: set[str]) -> str:
    """The body of a regular-expression class matching `chars`, as ranges."""
    codes = sorted(map(ord, chars))
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )


def _byte_spans(text: str, spans: list[Span], codec: str, invalid: list[Span]) -> list[Span]:
    """The byte ranges of text ranges (in order), found by encoding the text again (each
    _MARK stands for its invalid sequence, `invalid`). A text the codec does not encode
    back ends the list: those ranges are then left as they were read."""
    found: list[Span] = []
    index = offset = marks = 0
    for start, end in spans:
        edges = []
        for edge in (start, end):
            piece = text[index:edge]
            count = piece.count(_MARK)
            try:
                size = len(piece.replace(_MARK, "").encode(codec))
            except UnicodeEncodeError:
                return found
            offset += size + sum(e - s for s, e in invalid[marks : marks + count])
            index, marks = edge, marks + count
            edges.append(offset)
        found.append((edges[0], edges[1]))
    return found


def _better_reading(data: bytes, own: str, family: Family, codec: str, margin: float) -> str:
    """The cheapest reading of `data` in the family's languages, if it beats the codec's
    own by `margin` when each character is priced in whichever language knows it best:
    a stretch of kana in GBK or of hanja in EUC-KR, dear in the family's languages, is
    no evidence of damage, and a re-reading must not turn it into cheaper junk."""
    cheapest, _ = _cheapest_reading(data, family, codec)
    anywhere = langmodel.GROUPS
    return (
        cheapest
        if _reading_price(cheapest, anywhere) + margin < _reading_price(own, anywhere)
        else own
    )


def _reading_price(text: str, groups: tuple[str, ...]) -> float:
    prices = _priced_in(groups)
    return sum(map(prices.__getitem__, _unmarked(text))) + INVALID_SEQUENCE_COST * text.count(_MARK)


def _decoded(data: bytes, codec: str) -> str:
    return data.decode(codec, _MARK_HANDLER)


def _invalid_spans(data: bytes, codec: str) -> list[tuple[int, int]]:
    """The (start, end) byte offsets of the invalid sequences `codec` finds in `data`."""
    spans: list[tuple[int, int]] = []
    _recording.spans = spans
    try:
        data.decode(codec, _SPANS_HANDLER)
    finally:
        del _recording.spans
    return spans


def _record_span(err: UnicodeDecodeError) -> tuple[str, int]:
    _recording.spans.append((err.start, err.end))
    return _MARK, err.end


_recording = threading.local()  # the spans list of the decode running in this thread
_SPANS_HANDLER = "textmend.decode.spans"
codecs.register_error(_SPANS_HANDLER, _record_span)  # type: ignore[arg-type]


def _stretches(data: bytes, spans: list[Span], codec: str) -> Iterator[Span]:
    """The byte ranges to read again, in order, overlapping ones merged: from just after
    the last in-step byte before an invalid sequence to the first in-step byte after it,
    within RESYNC_REACH; each starts and ends where the codec's own reading has a
    character boundary."""
    low = high = -1
    for start, end in spans:
        if start < high:
            high = max(high, _step_after(data, end, codec))
            continue
        if high >= 0:
            yield low, high
        low = _step_before(data, start, max(high, 0), codec)
        high = _step_after(data, end, codec)
    if high >= 0:
        yield low, high


def _step_before(data: bytes, start: int, done: int, codec: str) -> int:
    floor = max(done, start - RESYNC_REACH)
    found = _IN_STEP.search(data[floor:start][::-1])
    if found is not None:
        return start - found.start()
    return floor if floor == done else _boundary(data, done, floor, codec)


def _step_after(data: bytes, end: int, codec: str) -> int:
    found = _IN_STEP.search(data, end, end + RESYNC_REACH)
    if found is not None:
        return found.end()
    stop = min(len(data), end + RESYNC_REACH)
    return stop if stop == len(data) else _boundary(data, end, stop, codec)


def _boundary(data: bytes, start: int, stop: int, codec: str) -> int:
    """The last character boundary at or before `stop` of the codec's reading from
    `start` (a boundary)."""
    decoder = codecs.getincrementaldecoder(codec)(_MARK_HANDLER)
    decoder.decode(data[start:stop])
    return stop - len(decoder.getstate()[0])


def _cheapest_reading(data: bytes, family: Family, codec: str) -> tuple[str, float]:
    """The cheapest reading of `data` as characters of `codec` and skipped bytes (each
    _MARK, INVALID_SEQUENCE_COST), and its cost: a shortest path over byte positions.
    ASCII is one free character in every codec here; past the second byte of a run of
    it no character can end inside the run, so the run is one step."""
    chars, prices, longest = _characters(codec), _prices(family), family.longest
    size = len(data)
    cost = [0.0] + [math.inf] * size
    back = [0] * (size + 1)
    read = [""] * (size + 1)
    start = 0
    while start < size:
        here = cost[start]
        if data[start] < 0x80:
            end = start + 1
            if start and data[start - 1] < 0x80:
                end = _ASCII_RUN.match(data, start).end()  # type: ignore[union-attr]
            if here < cost[end]:
                cost[end], back[end], read[end] = here, start, data[start:end].decode("ascii")
            start = end
            continue
        if here + INVALID_SEQUENCE_COST < cost[start + 1]:
            cost[start + 1], back[start + 1], read[start + 1] = (
                here + INVALID_SEQUENCE_COST,
                start,
                _MARK,
            )
        for end in range(start + 1, min(size, start + longest) + 1):
            char = chars[data[start:end]]
            if char != "":  # a character, or no prefix of one
                if char is not None and here + prices[char] < cost[end]:
                    cost[end], back[end], read[end] = here + prices[char], start, char
                break
        start += 1
    out: list[str] = []
    at = size
    while at:
        out.append(read[at])
        at = back[at]
    return "".join(reversed(out)), cost[size]


_ASCII_RUN = re.compile(rb"[\x00-\x7f]+")


class _Characters(dict[bytes, "str | None"]):
    """What a byte string is in one codec: one character, "" if it begins one, None
    if neither. Cleared when it grows past CHARACTER_CACHE (a memo, not a table)."""

    def __init__(self, codec: str) -> None:
        super().__init__()
        self.codec = codec

    def __missing__(self, key: bytes) -> str | None:
        if len(self) >= CHARACTER_CACHE:
            self.clear()
        decoder = codecs.getincrementaldecoder(self.codec)()
        try:
            text = decoder.decode(key)
        except UnicodeDecodeError:
            value = None
        else:
            pending = decoder.getstate()[0]
            complete = len(text) == 1 and not pending
            value = text if complete else ("" if not text and pending == key else None)
        self[key] = value
        return value


CHARACTER_CACHE = 1 << 17


@cache
def _characters(codec: str) -> _Characters:
    return _Characters(codec)


class _Prices(dict[str, float]):
    """A character's cost in the family's cheapest language group, on first sight;
    a full-width form of an ASCII character at most FULL_WIDTH_PRICE."""

    def __init__(self, groups: tuple[str, ...]) -> None:
        super().__init__()
        self.groups = groups

    def __missing__(self, char: str) -> float:
        price = langmodel.score(char, self.groups)[0]
        if "\uff01" <= char <= "\uff5e":
            price = min(price, FULL_WIDTH_PRICE)
        self[char] = price
        return price


# The word lists behind the language models hold no full-width letters and digits
# (wordfreq folds them to ASCII), so they are priced as unknown letters (13 nats), dearer
# than the rare kanji an out-of-step reading makes of them (`ＳＬ１Ｍ` read as `咤漫。隠`
# in EUC-JP). In CJK text they are as common as punctuation: priced as punctuation here.
FULL_WIDTH_PRICE = langmodel.UNKNOWN_PUNCTUATION


def _prices(family: Family) -> _Prices:
    return _priced_in(family.groups)


@cache
def _priced_in(groups: tuple[str, ...]) -> _Prices:
    return _Prices(groups)


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


# HZ (RFC 1843) writes GB2312 in 7-bit ASCII between `~{` and `~}`; ASCII text can
# hold `~{` by chance (code, TeX), so the HZ reading must decode strictly and read as
# Chinese: at most HZ_MAX_COST nats a character under the simplified-Chinese model
# over at least HZ_MIN_CHARACTERS characters. Measured on zh_hans_wiki (runs of 4+
# Han characters, 300 documents): median 7.2 nats a character, 90 % under 8.6; random
# ASCII between `~{` and `~}` that decodes strictly as HZ (596 of 2,000 strings of 4-38
# characters): 1 % under 8.3, 10 % under 10.4, median 11.9.
HZ_MAX_COST = 9.0
HZ_MIN_CHARACTERS = 3


def _hz(data: bytes) -> Decoded | None:
    text = _strict(data, "hz")
    if text is None:
        return None
    chinese = "".join(ch for ch in text if ch >= "\x80")  # what HZ mode gave
    if len(chinese) < HZ_MIN_CHARACTERS:
        return None
    cost, _ = langmodel.score(chinese, ("zh_hans",))
    if cost > HZ_MAX_COST * len(chinese):
        return None
    return _single(text, "hz", 0.99, "HZ escapes (~{ ~}) reading as Chinese", data)


# UTF-7 (`+ZeVnLIqe-` is 日本語) is ASCII that says it is not: taken where it decodes
# strictly and its shifted stretches are at least UTF7_MIN_CHARACTERS characters that
# read as some language at UTF7_MAX_COST nats each at most (as HZ: `a+b-c` and
# `C++` do not decode, and `+AGEAYgBj-` gives ASCII, which UTF-7 never shifts for).
# Fewer will do where each shift sequence touches an ASCII letter and gives Latin
# letters (`DECLARACI+ANM-N`, a Dutch text's one `co+AOs-rdinatie`, `caf+AOk-`): of
# random base64 between letters that decodes strictly, 0.35 % gives Latin letters only
# (200,000 tried), and ASCII text rarely glues `+` and `-` to a word in the first place.
UTF7_MAX_COST = HZ_MAX_COST
UTF7_MIN_CHARACTERS = HZ_MIN_CHARACTERS
_UTF7_SHIFT = re.compile(rb"\+[A-Za-z0-9+/]+-?")
_LATIN_LETTERS = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")


def _utf7(data: bytes) -> Decoded | None:
    text = _strict(data, "utf-7")
    if text is None:
        return None
    shifted = "".join(ch for ch in text if ch >= "\x80")
    if not shifted:
        return None
    if len(shifted) < UTF7_MIN_CHARACTERS and not _utf7_in_words(data, shifted):
        return None
    cost, _ = langmodel.score(shifted, langmodel.GROUPS)
    if cost > UTF7_MAX_COST * len(shifted):
        return None
    return _single(text, "utf-7", 0.99, "UTF-7 shift sequences (+...-) reading as text", data)


def _utf7_in_words(data: bytes, shifted: str) -> bool:
    """Whether what the shift sequences give (`shifted`) is Latin letters and every
    sequence touches an ASCII letter: the byte before its `+` or the byte after it
    (after its `-`). One pass over the sequences, each looked at once."""
    if _LATIN_LETTERS.fullmatch(shifted) is None:
        return False
    return all(
        data[start - 1 : start].isalpha() or data[end : end + 1].isalpha()
        for start, end in (match.span() for match in _UTF7_SHIFT.finditer(data))
    )


def _with_nul(data: bytes) -> Decoded:
    """NUL bytes: UTF-16 or UTF-32 without a byte order mark, 8-bit text holding a
    few NULs, or binary. A wide reading must decode strictly and read better than
    the 8-bit one on the first WIDE_SAMPLE_BYTES (one NUL in an even-length
    English file is not UTF-16); an 8-bit reading keeps its NULs as characters,
    and the control-share rule decides whether it is text at all."""
    head = data[:WIDE_SAMPLE_BYTES]
    scored: list[tuple[float, str, str]] = []
    for codec, unit in _WIDE:
        if len(data) % unit:
            continue
        text = _strict(data, codec)
        if text is None or "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE:
            continue
        sample = codecs.getincrementaldecoder(codec)().decode(head)  # a cut pair waits
        scored.append((_priced_with_controls(sample), codec, text))
    # Control bytes stay control characters in every 8-bit codec here: a share
    # above the limit in the bytes is one in any 8-bit reading.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    try:
        if controls > MAX_CONTROL_SHARE * len(head):
            raise BinaryInputError("control bytes")
        eight = _eight_bit(head)
    except BinaryInputError:
        eight_cost = math.inf
    else:
        eight_cost = _priced_with_controls(eight.text)
        if _control_share(eight.text) > MAX_CONTROL_SHARE:
            eight_cost = math.inf
    scored.sort()
    if not scored or scored[0][0] >= eight_cost:
        if math.isinf(eight_cost):
            raise BinaryInputError("binary data (NUL bytes), not text")
        decoded = _eight_bit(data)
        if _control_share(decoded.text) > MAX_CONTROL_SHARE:
            raise BinaryInputError("binary data (NUL bytes), not text")
        nuls = data.count(b"\x00")
        return replace(decoded, evidence=f"{decoded.evidence}; {nuls} NUL kept")
    cost, codec, text = scored[0]
    runner_up = scored[1][1] if len(scored) > 1 else None
    confidence = _confidence([c for c, _, _ in scored] + [eight_cost])
    evidence = "UTF-16/32 without byte order mark"
    if not math.isinf(eight_cost):
        evidence += f" ({eight_cost - cost:.1f} nats ahead of the 8-bit reading)"
    return Decoded(text, codec, confidence, evidence, runner_up, (Segment(0, len(data), codec),))


def _priced_with_controls(text: str) -> float:
    """The language-model cost of a text, its (ASCII) control characters and invalid
    sequences priced as impossible, which the model leaves free."""
    controls = len(_ASCII_CONTROLS.findall(text)) * langmodel.IMPOSSIBLE
    invalid = text.count(_MARK) * INVALID_SEQUENCE_COST
    return langmodel.score(_unmarked(text), langmodel.GROUPS)[0] + controls + invalid


_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])


@dataclass(frozen=True)
class _Candidate:
    family: Family
    cost: float
    group: str
    invalid: int = 0  # invalid sequences (in the sample, then in the whole file)


def _legacy(data: bytes) -> Decoded:
    declared = _declared_family(data)
    sample = _sample(data)
    floor = _file_floor(len(data))
    ranking = _score_sample(sample, declared, floor)
    whole = _whole_file(data, ranking, _wide_bytes(sample))
    main = whole[0] if whole else None
    reading = main.family.reading(data, main.family.widest) if main else None
    doubt = _doubt(data, sample, main, reading[0] if reading else None)
    if doubt is not None:
        # Where the whole-file reading is itself in doubt, no line owes it anything; nor
        # where it has invalid sequences (EUC-KR reading a file with GBK lines).
        trusted = doubt is _Doubt.STRANGE_LINE and main is not None and not main.invalid
        mixed = _segmented(data, main if trusted else None, ranking)
        if mixed is not None:
            return mixed
    if main is None:
        raise BinaryInputError("not text in any plausible encoding")
    codec, text = main.family.answer(data, reading)
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


def _score_sample(sample: bytes, declared: Family | None, floor: int) -> _Ranking:
    """Every family that decodes the sample (but for at most MAX_INVALID_SHARE of
    its non-ASCII bytes, or `floor`), priced by its characters (read in step around
    damage) and INVALID_SEQUENCE_COST per invalid sequence; those within reach of
    the cheapest are priced by letter pairs too (on PAIR_SAMPLE bytes).

    Families are taken cheapest floor first (a floor: the letters' cost, without
    pairs). A family whose floor is far behind is not priced by pairs, its floor
    stands for its cost; and where a lower bound of that floor (`_Ranking`) is far
    behind too, the floor itself is computed only if the ranking's reader needs it.
    """
    byte_counts = Counter(sample)
    high_bytes = [b for b in byte_counts if b >= 0x80]
    limit = _allowed(sum(byte_counts[b] for b in high_bytes), floor)
    # A single-byte codec's byte counts are its character counts: priced byte by
    # byte, on the high bytes the sample holds; first at each byte's cheapest price
    # in any of its groups, a floor that spares pricing the families far behind.
    present = itemgetter(*(b - 0x80 for b in high_bytes), 0, 0)  # a tuple, even of one
    high_counts = [*(byte_counts[b] for b in high_bytes), 0, 0]

    def exact(family: Family, text: str | None) -> _Floor | None:
        """The family's floor (None if it cannot read the sample); `text`, the
        multi-byte family's reading of the sample, if it was made already."""
        extra = family.cost - (DECLARED_BONUS if family is declared else 0.0)
        if family.single_byte:
            undefined = _undefined_bytes(family.widest).intersection(high_bytes)
            invalid = sum(map(byte_counts.__getitem__, undefined)) if undefined else 0
            if invalid > limit:
                return None
            floor_cost = sum(map(mul, high_counts, present(_floor_prices(family))))
            by_group = None
        else:
            counted = _char_counts(sample, family, limit, text)
            if counted is None:
                return None
            counts, invalid = counted
            by_group = {g: langmodel.cost(counts, g) for g in _groups(family, counts)}
            floor_cost = min(by_group.values())
        extra += invalid * INVALID_SEQUENCE_COST
        return floor_cost + extra, family, by_group, invalid, extra

    bounds: list[tuple[Family, float, str | None]] = [
        (family, bound, None) for family, bound in _single_byte_bounds(high_bytes, high_counts)
    ]
    for family in _MULTI_BYTE:
        text = _marked(sample, family.widest, limit, family.structured)
        if text is not None:
            bounds.append((family, _multi_byte_bound(sample, family, text), text))
    bonus = DECLARED_BONUS if declared is not None else 0.0  # any family's, in its bound
    ranking = _Ranking(exact, bounds, bonus)
    head = _pair_sample(sample)
    # The letters were priced on the whole sample, the words on its head: their
    # evidence is weighed as if the head were the whole.
    scale = sum(high_counts) / max(1, len(_NON_ASCII.findall(head)))
    reach = best = math.inf
    words = _WordPrices()  # many code pages read the head alike
    # Cheapest floor first; the first whose floor is beyond max(reach, best) ends the
    # pricing: reach and best change no more, so every later one is as far behind,
    # and the ranking keeps them all (unpriced, some not even floored).
    while (scoring := ranking.floor_within(max(reach, best))) is not None:
        _, family, by_group, invalid, extra = scoring
        if by_group is None:
            by_group = {
                g: sum(map(mul, high_counts, present(_byte_prices(family.widest, g))))
                for g in family.groups
            }
        by_group = {g: own + extra for g, own in by_group.items()}
        group = min(by_group, key=by_group.__getitem__)
        cost = by_group[group]
        reach = min(reach, cost * (1 + PAIR_REACH) + PAIR_REACH_NATS)
        # One left unpriced must not win on its letters alone: a reading that puts a
        # Cyrillic letter in every Latin word is cheap letter by letter.
        if cost <= reach or cost < best:
            loose = _loose(head, family)
            shape = words.shape(loose)
            if not family.single_byte:
                shape += SANDWICHED_COST * len(_SANDWICHED.findall(loose))
            # The languages whose letters read about as well are told apart by their
            # pairs (Luxembourgish `gläichen` is not German's).
            cost, group = min(
                (own + scale * (words.letters(loose, g) + shape), g)
                for g, own in by_group.items()
                if own <= cost + GROUP_REACH
            )
            best = min(best, cost)
        ranking.priced(_Candidate(family, cost, group, invalid))
    return ranking


# A floor as `_score_sample` computes it: floor cost (with the family's extra), the
# family, its cost per group (multi-byte families) or None, invalid sequences, extra.
_Floor = tuple[float, Family, "dict[str, float] | None", int, float]
# Heap entries of `_Ranking`: a sort key of four numbers, then what it stands for.
_Entry = tuple[float, int, float, int, object]


class _Ranking:
    """The candidates of `_score_sample` cheapest first, as `sorted(candidates,
    key=cost)` of its list would give them (priced ones in the order priced before
    unpriced ones of equal cost; these by floor, then by family order), but lazy: a
    family known only by a lower bound of its floor is floored when the reader gets
    that far, so that families far behind (single-byte readings of Chinese) cost one
    bound each, not a reading. Exact: an entry is handed out only when nothing left
    can come before it.

    Entries: a priced candidate (cost, 0, its turn, 0); an unpriced one (floor, 1,
    floor, family index: floors are taken in that order); a bound (bound, -1, 0,
    family index), taken before any entry of the same key, as its family may tie."""

    def __init__(
        self,
        exact: Callable[[Family, str | None], _Floor | None],
        bounds: list[tuple[Family, float, str | None]],
        bonus: float,
    ) -> None:
        """`bounds`: each family known by a lower bound of its floor but for the
        declared family's `bonus` (taken off all: a bound may be low), and its reading
        if made; `exact` floors a family (None if it cannot read the sample)."""
        self._exact = exact
        self._heap: list[_Entry] = [
            (_below(bound - bonus), -1, 0.0, _INDEX[id(family)], (family, text))
            for family, bound, text in bounds
        ]
        heapify(self._heap)
        self._priced: list[_Entry] = []  # kept apart until the pricing is over
        self._taken: list[_Candidate] = []

    def priced(self, candidate: _Candidate) -> None:
        self._priced.append((candidate.cost, 0, float(len(self._priced)), 0, candidate))

    def floor_within(self, most: float) -> _Floor | None:
        """The family of the cheapest floor, if that floor is at most `most` (bounds
        at most `most` are floored on the way), taken out; else None."""
        while self._heap and self._heap[0][0] <= most:
            _, kind, _, index, item = heappop(self._heap)
            if kind == -1:
                self._floor(index, item)
            else:
                return item  # type: ignore[return-value]
        return None

    def next_below(self, most: float | None) -> _Candidate | None:
        """The next candidate in order if its cost is below `most` (or any, if `most`
        is None), taken out; else None."""
        for entry in self._priced:
            heappush(self._heap, entry)
        self._priced.clear()
        while self._heap:
            key, kind, _, index, item = self._heap[0]
            if most is not None and key >= most:
                return None
            heappop(self._heap)
            if kind == -1:
                self._floor(index, item)
                continue
            candidate = self._candidate(kind, item)
            self._taken.append(candidate)
            return candidate
        return None

    def all(self) -> list[_Candidate]:
        """Every candidate in order (the ones taken out first)."""
        while self.next_below(None) is not None:
            pass
        return list(self._taken)

    def _floor(self, index: int, item: object) -> None:
        family, text = cast("tuple[Family, str]", item)
        floored = self._exact(family, text)
        if floored is not None:
            heappush(self._heap, (floored[0], 1, floored[0], index, floored))

    @staticmethod
    def _candidate(kind: int, item: object) -> _Candidate:
        if kind == 0:
            return cast(_Candidate, item)
        floor_cost, family, _, invalid, _ = cast("tuple[float, Family, object, int, float]", item)
        return _Candidate(family, floor_cost, family.groups[0], invalid)


_INDEX = {id(family): index for index, family in enumerate(_CANDIDATES)}
_MULTI_BYTE = tuple(family for family in _CANDIDATES if not family.single_byte)
# A bound is lowered by this share (and BOUND_SLACK_NATS) before use: it sums in another
# order than the floor it bounds (float sums of at most a few thousand prices of at most
# 25 nats differ in about the 13th digit), so a family whose floor equals it is floored.
BOUND_SLACK = 1e-9
BOUND_SLACK_NATS = 1e-6
# Single-byte floors are bounded all at once (`_single_byte_bounds`): each high byte's
# prices in every single-byte family, rounded down to 1/BOUND_SCALE nat, packed into one
# integer of BOUND_LANE_BITS bits per family, so one sum of products over the byte counts
# prices every family. Rounding loses at most a nat per BOUND_SCALE bytes; a lane holds
# up to 2**32 / (25 * 1024) = 167,772 high bytes (a sample has at most 6,000).
BOUND_SCALE = 1024
BOUND_LANE_BITS = 32


def _below(bound: float) -> float:
    return bound - BOUND_SLACK_NATS - abs(bound) * BOUND_SLACK


@cache
def _packed_byte_prices() -> tuple[tuple[Family, ...], tuple[int, ...]]:
    """The single-byte families, and for each high byte its floor price in each of them
    (INVALID_SEQUENCE_COST where the family leaves it undefined: it is then counted as
    an invalid sequence), in BOUND_SCALE units, one lane of BOUND_LANE_BITS a family."""
    families = tuple(f for f in _CANDIDATES if f.single_byte)
    packed = [0] * 0x80
    for lane, family in enumerate(families):
        undefined = _undefined_bytes(family.widest)
        for offset, price in enumerate(_floor_prices(family)):
            if 0x80 + offset in undefined:
                price = INVALID_SEQUENCE_COST
            packed[offset] |= math.floor(price * BOUND_SCALE) << (lane * BOUND_LANE_BITS)
    return families, tuple(packed)


def _single_byte_bounds(
    high_bytes: list[int], high_counts: list[int]
) -> Iterator[tuple[Family, float]]:
    """Each single-byte family and a lower bound of its floor (`_score_sample`: the
    floor prices of the sample's high bytes, INVALID_SEQUENCE_COST per invalid one, the
    family's prior), from one sum of products over packed prices."""
    families, packed = _packed_byte_prices()
    counts = high_counts[: len(high_bytes)]
    if sum(counts) * INVALID_SEQUENCE_COST * BOUND_SCALE >= 1 << BOUND_LANE_BITS:
        yield from ((family, -math.inf) for family in families)  # no bound: floored
        return
    total = sum(map(mul, counts, (packed[b - 0x80] for b in high_bytes)))
    lanes = total.to_bytes(len(families) * BOUND_LANE_BITS // 8, "little")
    units = struct.unpack(f"<{len(families)}I", lanes)
    for family, unit in zip(families, units, strict=True):
        yield family, unit / BOUND_SCALE + family.cost


def _multi_byte_bound(sample: bytes, family: Family, text: str) -> float:
    """A lower bound of a multi-byte family's floor, from its reading of the sample
    (`text`, invalid sequences marked) without counting it: each character at its
    cheapest price in any of the family's groups. Where reading in step may change the
    reading (`_resync`), each stretch it would read again counts as the cheaper of its
    own reading and a bound of any (`_stretch_bound`)."""
    marks = text.count(_MARK)
    prices = langmodel.cheapest_prices(family.groups)
    if not (marks and family.resyncs and marks <= _resync_limit(sample)):
        return (
            sum(map(prices.__getitem__, _unmarked(text)))
            + marks * INVALID_SEQUENCE_COST
            + family.cost
        )
    codec = family.widest
    total, done = family.cost, 0
    for low, high in _stretches(sample, _invalid_spans(sample, codec), codec):
        total += sum(map(prices.__getitem__, _unmarked(_decoded(sample[done:low], codec))))
        own = _decoded(sample[low:high], codec)
        priced = (
            sum(map(prices.__getitem__, _unmarked(own))) + own.count(_MARK) * INVALID_SEQUENCE_COST
        )
        total += min(priced, _stretch_bound(sample[low:high], family, codec))
        done = high
    return total + sum(map(prices.__getitem__, _unmarked(_decoded(sample[done:], codec))))


def _stretch_bound(data: bytes, family: Family, codec: str) -> float:
    """A lower bound of the cost of `_cheapest_reading(data, family, codec)`: each byte
    at the least share it can have, a character's price split evenly over its bytes, a
    skipped byte's INVALID_SEQUENCE_COST, ASCII's nothing. A few C-speed passes where
    the search is a Python step per byte; characters of three or four bytes (rare: EUC-JP
    0x8F, GB18030's with a digit second) are shared out in Python."""
    shares = _shares(codec, family)
    keys = [data[start : start + 2] for start in range(len(data))]
    own = list(map(shares.own.__getitem__, keys))
    after = [INVALID_SEQUENCE_COST, *map(shares.after.__getitem__, keys)]
    least = list(map(min, own, after))
    if shares.LONG in own:
        chars, prices, longest = _characters(codec), _prices(family), family.longest
        for start, share in enumerate(own):
            if share == shares.LONG:
                least[start] = min(INVALID_SEQUENCE_COST, after[start])
                for end in range(start + 3, min(len(data), start + longest) + 1):
                    char = chars[data[start:end]]
                    if char != "":
                        if char is not None:
                            cut = prices[char] / (end - start)
                            for at in range(start, end):
                                least[at] = min(least[at], cut)
                        break
    return sum(least)


class _Shares:
    """For a byte string of one or two bytes, what a reading's character starting with
    it costs its first byte (`own`) and its second (`after`), by the rule of
    `_cheapest_reading`; a byte beginning no character, INVALID_SEQUENCE_COST (skipped);
    LONG in `own` where only three or more bytes tell."""

    LONG = -1.0

    def __init__(self, codec: str, family: Family) -> None:
        self.chars, self.prices = _characters(codec), _prices(family)
        self.own = _Memo(lambda key: self.share(key)[0])
        self.after = _Memo(lambda key: self.share(key)[1])

    def share(self, key: bytes) -> tuple[float, float]:
        none = INVALID_SEQUENCE_COST
        if key[0] < 0x80:
            return 0.0, none
        for end in range(1, len(key) + 1):
            char = self.chars[key[:end]]
            if char != "":
                if char is None:
                    return none, none
                cut = self.prices[char] / end
                return min(none, cut), cut if end == 2 else none
        # A prefix of a longer character, or cut at the end of the data.
        return (self.LONG, none) if len(key) == 2 else (none, none)


class _Memo(dict[bytes, float]):
    def __init__(self, make: Callable[[bytes], float]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: bytes) -> float:
        value = self[key] = self.make(key)
        return value


@cache
def _shares(codec: str, family: Family) -> _Shares:
    return _Shares(codec, family)


def _char_counts(
    sample: bytes, family: Family, limit: int, text: str | None = None
) -> tuple[Counter[str], int] | None:
    """The characters of `sample` decoded by a multi-byte `family` (read in step
    around damage) and its number of invalid sequences (None if more than `limit`);
    `text` is its reading of the sample (`_marked`), if it was made already."""
    if text is None:
        text = _marked(sample, family.widest, limit, family.structured)
    if text is None:
        return None
    counts = Counter(_resynced(sample, family, family.widest, text, strange=False))
    return counts, counts.pop(_MARK, 0)


@cache
def _undefined_bytes(codec: str) -> frozenset[int]:
    """The high bytes a single-byte codec leaves undefined."""
    return frozenset(0x80 + i for i, char in enumerate(_byte_chars(codec)) if char is None)


def _groups(family: Family, counts: Counter[str]) -> tuple[str, ...]:
    """The groups to price a reading in: UTF-8, which writes every language, only in
    those of the alphabets the reading holds."""
    if family is not _UTF8:
        return family.groups
    return langmodel.groups_for((char for char in counts if char >= "\x80"), family.groups)


class _WordPrices:
    """The word-level prices of readings (`langmodel.word_shape_cost`, and letter
    pairs and word edges per group), each text priced once: cp1252, Latin-1,
    ISO 8859-15 and cp1254 read most samples' words alike."""

    def __init__(self) -> None:
        self._shapes: dict[str, float] = {}
        self._letters: dict[tuple[str, str], float] = {}

    def shape(self, text: str) -> float:
        if text not in self._shapes:
            self._shapes[text] = langmodel.word_shape_cost(text)
        return self._shapes[text]

    def letters(self, text: str, group: str) -> float:
        key = (text, group)
        if key not in self._letters:
            self._letters[key] = langmodel.pair_cost(text, group) + langmodel.edge_cost(text, group)
        return self._letters[key]


@cache
def _floor_prices(family: Family) -> tuple[float, ...]:
    """Each high byte's cheapest price in any of a single-byte family's groups."""
    tables = (_byte_prices(family.widest, group) for group in family.groups)
    return tuple(min(prices) for prices in zip(*tables, strict=True))


@cache
def _byte_prices(codec: str, group: str) -> tuple[float, ...]:
    """The cost under `group` of the character each high byte is in `codec` (an
    undefined byte costs nothing here: it is counted as invalid)."""
    return tuple(
        0.0 if char is None else langmodel.text_cost(char, group) for char in _byte_chars(codec)
    )


def _whole_file(data: bytes, ranking: _Ranking, sample_bytes: int) -> list[_Candidate]:
    """The two cheapest candidates that decode the whole file (but for at most
    MAX_INVALID_SHARE of its non-ASCII bytes). The sample was priced, so invalid
    sequences are priced at the whole file's rate over the sample's non-ASCII
    bytes where that is above the sample's own. Candidates come cheapest first
    and repricing only adds: the search stops once the next cannot overtake the
    second."""
    wide = _wide_bytes(data)
    limit = _allowed(wide, _file_floor(len(data)))
    found: list[_Candidate] = []
    while (candidate := ranking.next_below(found[1].cost if len(found) >= 2 else None)) is not None:
        family = candidate.family
        text = _marked(data, family.widest, limit, family.structured)
        if text is None:
            continue
        invalid = text.count(_MARK)
        at_rate = invalid * sample_bytes / wide if wide else 0.0
        extra = max(0.0, at_rate - candidate.invalid) * INVALID_SEQUENCE_COST
        found.append(replace(candidate, cost=candidate.cost + extra, invalid=invalid))
        found.sort(key=lambda c: c.cost)
    return found[:2]


@cache
def _byte_chars(codec: str) -> tuple[str | None, ...]:
    return tuple(_strict(bytes((b,)), codec) for b in range(0x80, 0x100))


def _pair_sample(sample: bytes) -> bytes:
    """The sample's words that hold a high byte, up to PAIR_SAMPLE bytes (whole words:
    whitespace bytes are no trail byte in any codec here)."""
    words: list[bytes] = []
    size = 0
    for word in sample.split():
        if not word.isascii():
            words.append(word)
            size += len(word) + 1
            if size >= PAIR_SAMPLE:
                break
    return b" ".join(words)[:PAIR_SAMPLE]


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
    """The last position at or before `index` just after a byte <= 0x20, looking
    back at most BLANK_REACH bytes; else `index` itself. Before a non-ASCII byte
    that follows ASCII, `index` starts a character in every codec here; a cut
    elsewhere in a long line without blanks costs at most one invalid sequence."""
    index = min(index, len(data))
    low = max(0, index - BLANK_REACH)
    found = _BLANK.search(data[low:index][::-1])
    return index - found.start() if found else index


_BLANK = re.compile(rb"[\x00-\x20]")
BLANK_REACH = 256  # bytes: a blank farther back than this is not worth the lost sample


class _Doubt(Enum):
    """Why a line-by-line look is worth it."""

    NO_WHOLE = "no codec decodes the whole"
    PARTLY_UTF8 = "partly valid UTF-8"
    IMPLAUSIBLE = "implausible overall"
    STRANGE_LINE = "a line reads strangely"
    STRETCH = "one stretch reads better in another codec"


def _doubt(data: bytes, sample: bytes, main: _Candidate | None, text: str | None) -> _Doubt | None:
    """Why a line-by-line look is worth it, if it is: no codec decodes the whole; a
    line of valid UTF-8 text among invalid ones (text pasted into a UTF-8 file); a
    whole-file reading (`text`) that is implausible overall, strange on some line, or
    beaten on one stretch of the file by another codec (concatenated files)."""
    if main is None or text is None:
        return _Doubt.NO_WHOLE
    lines = [line for line in data.splitlines() if not line.isascii()]
    if _utf8_lines(data):
        return _Doubt.PARTLY_UTF8
    if main.cost > IMPLAUSIBLE_PER_BYTE * _wide_bytes(sample):
        return _Doubt.IMPLAUSIBLE
    text = _unmarked(text)
    strange = text.translate(langmodel.known_deleter(main.group, keep="\n")).split("\n")
    if any(
        len(unknown) >= MIN_LETTERS_TO_JUDGE and _too_strange(unknown, line)
        for unknown, line in zip(strange, text.split("\n"), strict=True)
    ):
        return _Doubt.STRANGE_LINE
    if _stretch_prefers_another(lines, main):
        return _Doubt.STRETCH
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
        stretch = stretch[: _blank_before(stretch, STRETCH_SAMPLE_BYTES)]
        own = _reading_cost(stretch, main.family, None, resync=True)
        for rival in rivals:
            # Another document decodes strictly in its codec: a rival's reading with
            # invalid sequences is no sign of one (half-width katakana read as GBK).
            cost = _reading_cost(stretch, rival, 0)
            if cost + 2 * SWITCH_COST < own:
                return True
    return False


def _reading_cost(data: bytes, family: Family, limit: int | None, resync: bool = False) -> float:
    """The family's reading of `data` (read in step around invalid sequences if
    `resync`: for the whole-file codec, damage is no evidence against it),
    INVALID_SEQUENCE_COST per invalid sequence (inf if more than `limit`)."""
    text = _marked(data, family.widest, limit, family.structured)
    if text is None:
        return math.inf
    if resync:
        text = _resynced(data, family, family.widest, text, strange=False)
    invalid = text.count(_MARK) * INVALID_SEQUENCE_COST
    return langmodel.score(_unmarked(text), family.groups)[0] + family.cost + invalid


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


def _segmented(data: bytes, main: _Candidate | None, ranking: _Ranking) -> Decoded | None:
    """Decode line by line, choosing each line's codec by Viterbi over the lines.

    Lines keep the whole-file reading (`main`) unless it finds them strange (see
    `_line_costs`); confidence weighs the split against the best single codec.
    Pricing a line with every codec is the costly part, so the lines priced are
    bounded by the input's size (`_units`).
    """
    lines = data.split(b"\n")
    units = _units(lines, len(data))
    # Files mix UTF-8 and legacy codecs, or legacy CJK codecs; a single-byte codec
    # other than the whole-file one taking a turn (a Greek title read as Cyrillic)
    # is far likelier a misreading.
    # Without a whole-file reading, the single-byte codecs on offer are those that
    # read the sample best (SINGLE_BYTE_OPTIONS of them, or any if none did).
    if main is not None:
        single = [main.family] if main.family.single_byte else []
    else:
        candidates = ranking.all()
        single = [c.family for c in candidates if c.family.single_byte][:SINGLE_BYTE_OPTIONS]
        single = single or [f for f in FAMILIES if f.single_byte]
    options = [_UTF8] + [f for f in FAMILIES if not f.single_byte or f in single]
    previous = [0.0] * len(options)
    unswitched = [0.0] * len(options)  # each codec for the whole file
    back: list[list[int]] = []
    utf8_only = [0.0] + [math.inf] * (len(options) - 1)
    for first, end, kind in units:
        if kind is _UnitKind.UTF8:
            emissions = utf8_only
        else:
            emissions = _line_costs(b"\n".join(lines[first:end]), options, main)
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
    line_path = [
        state
        for (first, end, _), state in zip(units, path, strict=True)
        for _ in range(end - first)
    ]
    return _join_segments(data, lines, line_path, options, confidence)


class _UnitKind(Enum):
    UTF8 = "valid UTF-8 text"  # read as UTF-8 without pricing (see `_utf8_lines`)
    PRICED = "priced with every option"


def _units(lines: list[bytes], size: int) -> list[tuple[int, int, _UnitKind]]:
    """The lines as (first, end, kind) runs for the Viterbi pass. A valid UTF-8 line
    of several three-byte characters is UTF-8 (no legacy text reads so); ASCII
    lines join the run before them. The other lines are priced one by one while
    there are at most PRICED_PER_KB per KB of input (MIN_PRICED in all); beyond,
    consecutive ones are priced in runs of as many as it takes, so a codec switch
    between them is placed to within a run. Bounds the work on any input (100,000
    short lines, each in another codec) to linear."""
    budget = max(MIN_PRICED, PRICED_PER_KB * size // 1024)
    utf8 = [_is_utf8_text(line) for line in lines]
    others = sum(
        1 for line, sure in zip(lines, utf8, strict=True) if not sure and not line.isascii()
    )
    per_unit = max(1, -(-others // budget))
    units: list[tuple[int, int, _UnitKind]] = []
    held = 0  # priced lines in the open run
    for index, line in enumerate(lines):
        if utf8[index]:
            units.append((index, index + 1, _UnitKind.UTF8))
            held = per_unit
        elif units and (line.isascii() or (units[-1][2] is _UnitKind.PRICED and held < per_unit)):
            first, _, kind = units[-1]
            units[-1] = (first, index + 1, kind)
            held += not line.isascii()
        else:
            units.append((index, index + 1, _UnitKind.PRICED))
            held = 1
    return units


def _is_utf8_text(line: bytes) -> bool:
    if line.isascii():
        return False
    text = _strict(line, "utf-8")
    return text is not None and len(_THREE_BYTE.findall(text)) >= MIN_LETTERS_TO_JUDGE


SINGLE_BYTE_OPTIONS = 3
MIN_PRICED = 200
# Lines priced with every option, per KB of input: pricing one costs about 0.35 ms
# (24 options), so 3 per KB keep it near 1 s/MB.
PRICED_PER_KB = 3


def _line_costs(line: bytes, options: list[Family], main: _Candidate | None) -> list[float]:
    """Each option's cost for one line (inf where it cannot decode the line but for
    at most one invalid sequence or MAX_INVALID_SHARE, each INVALID_SEQUENCE_COST).

    A line stays with the whole-file reading unless that reading finds it strange,
    or it is valid UTF-8, or another reading is much cheaper: rows of symbols must
    not pull a file apart. Runs of one character count as two.
    """
    if line.isascii():
        return [0.0] * len(options)
    limit = _allowed(_wide_bytes(line), floor=1)
    keep = [0.0 if family is (main and main.family) else math.inf for family in options]
    own = _marked(line, main.family.widest, limit, main.family.structured) if main else None
    if own is not None and main is not None and not _strict(line, "utf-8"):
        clean = _unmarked(own)
        unknown = clean.translate(langmodel.known_deleter(main.group))
        if len(unknown) < MIN_LETTERS_TO_JUDGE or not _too_strange(unknown, clean):
            return keep
    if own is not None and not _LETTER.search(own):
        # Decoration (rules, boxes): no reading of it says anything about the codec.
        return [_invalid_cost(_marked(line, f.widest, limit, f.structured)) for f in options]
    costs: list[float] = []
    readings: list[tuple[str, str] | None] = []
    for family in options:
        text = _marked(line, family.widest, limit, family.structured)
        if text is None:
            costs.append(math.inf)
            readings.append(None)
            continue
        invalid = _invalid_cost(text)
        text = _RUN.sub(r"\1\1", _unmarked(text))
        counts = Counter(text)
        cost, group = min((langmodel.cost(counts, g), g) for g in _groups(family, counts))
        costs.append(cost + family.cost + invalid)
        readings.append((text, group))
    # Letter pairs, as for the sample, only for the readings within reach.
    reach = min(costs) * (1 + PAIR_REACH) + PAIR_REACH_NATS
    for index, reading in enumerate(readings):
        if reading is not None and costs[index] <= reach:
            costs[index] += langmodel.pair_cost(*reading)
    if main is not None:
        own_cost = costs[keep.index(0.0)]
        if own_cost <= min(costs) + KEEP_MARGIN_PER_BYTE * _wide_bytes(line):
            return keep
    return costs


def _invalid_cost(text: str | None) -> float:
    return math.inf if text is None else text.count(_MARK) * INVALID_SEQUENCE_COST


_RUN = re.compile(r"(.)\1{2,}")
_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
KEEP_MARGIN_PER_BYTE = 1.5  # nats: how much worse the whole-file reading may be


def _join_segments(
    data: bytes,
    lines: list[bytes],
    path: list[int],
    options: list[Family],
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
        family = options[state]
        codec, text = family.answer(chunk)
        texts.append(text)
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


def _smallest(data: bytes, family: Family, damaged: list[Span]) -> str:
    """The first member that decodes `data` strictly but for the `damaged` byte ranges
    (where the widest may have read a character only it has, from a stray pair)."""
    gaps = _between(damaged, len(data))
    for member in family.members[:-1]:
        if all(_strict(data[start:end], member) is not None for start, end in gaps):
            return codecs.lookup(member).name
    return codecs.lookup(family.widest).name


def _between(spans: list[Span], size: int) -> list[Span]:
    """The ranges of 0..size that no span (sorted, disjoint) covers."""
    edges = [0, *(edge for span in spans for edge in span), size]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2) if edges[i] < edges[i + 1]]


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
