"""The broad labelled set of bench_decode.py section 8: every codec family, two parts.

Synthetic: the Universal Declaration of Human Rights (benchmarks/data/udhr, built by
scripts/build_udhr_sample.py) in each language of each codec, encoded with it, as a
whole file and cut into windows. Its paragraphs that the codec cannot encode are left
out (a codec without the language's letters does not write it). The languages of each
family are split: those marked `TUNING` were looked at while decode's rules were
written, the `CHECKING` ones were not (other languages of the same codecs).

Real: the labelled files of benchmarks/data/encodings (its README says where each
comes from), split by repository into tuning and checking, whole and as windows.
"""

from __future__ import annotations

import codecs
import csv
import random
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TUNING, CHECKING = "tuning", "checking"
WINDOW_LENGTHS = (10, 20, 50)
MIN_PARAGRAPHS = 5  # a codec that encodes fewer of a language's paragraphs does not write it
_WHITESPACE = re.compile(r"\s+")

WESTERN = ("cp1252", "iso8859-1", "iso8859-15", "mac-roman", "cp850", "cp437")
CENTRAL = ("cp1250", "iso8859-2", "mac-latin2", "cp852", "iso8859-16")
BALTIC = ("cp1257", "iso8859-13", "iso8859-4", "cp775")
CYRILLIC = ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic", "cp855")
GREEK = ("iso8859-7", "cp1253", "cp737", "cp869", "mac-greek")
HEBREW = ("cp1255", "iso8859-8", "cp862")
ARABIC = ("cp1256", "iso8859-6", "cp720")
TURKISH = ("cp1254", "iso8859-9", "cp857")

# family -> (UDHR code, part, codecs), the languages of each family's codecs.
LANGUAGES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "Western": (
        ("fra", TUNING, WESTERN),
        ("deu_1996", TUNING, WESTERN),
        ("spa", TUNING, WESTERN),
        ("por_PT", TUNING, WESTERN),
        ("swe", TUNING, WESTERN),
        ("isl", TUNING, WESTERN),
        ("ita", CHECKING, WESTERN),
        ("cat", CHECKING, WESTERN),
        ("nld", CHECKING, WESTERN),
        ("dan", CHECKING, WESTERN),
        ("fin", CHECKING, WESTERN),
        ("por_BR", CHECKING, WESTERN),
        ("glg", CHECKING, WESTERN),
        ("nob", CHECKING, WESTERN),
        ("fao", CHECKING, WESTERN),
        ("afr", CHECKING, WESTERN),
    ),
    "Central European": (
        ("pol", TUNING, CENTRAL),
        ("ces", TUNING, CENTRAL),
        ("hun", TUNING, CENTRAL),
        ("ron_2006", TUNING, ("iso8859-16",)),
        ("epo", TUNING, ("iso8859-3",)),
        ("slk", CHECKING, CENTRAL),
        ("slv", CHECKING, CENTRAL),
        ("hrv", CHECKING, CENTRAL),
        ("bos_latn", CHECKING, CENTRAL),
        ("ron_1993", CHECKING, ("cp1250", "iso8859-2")),
        ("als", CHECKING, CENTRAL),
        ("mlt", CHECKING, ("iso8859-3",)),
    ),
    "Baltic": (
        ("lit", TUNING, BALTIC),
        ("lav", TUNING, BALTIC),
        ("est", CHECKING, (*BALTIC, "iso8859-15")),
        ("sme", CHECKING, ("iso8859-10", "iso8859-4")),
    ),
    "Cyrillic": (
        ("rus", TUNING, CYRILLIC),
        ("ukr", TUNING, (*CYRILLIC, "cp1125")),
        ("bul", TUNING, CYRILLIC),
        ("kaz", TUNING, ("kz1048", "ptcp154")),
        ("bel", CHECKING, CYRILLIC),
        ("mkd", CHECKING, CYRILLIC),
        ("srp_cyrl", CHECKING, CYRILLIC),
        ("tgk", CHECKING, ("koi8-t",)),
        ("kir", CHECKING, ("kz1048", "ptcp154")),
    ),
    "Greek": (("ell_monotonic", TUNING, GREEK),),
    "Hebrew": (("heb", TUNING, HEBREW), ("ydd", CHECKING, ("cp1255",))),
    "Arabic": (
        ("arb", TUNING, ARABIC),
        ("pes_1", CHECKING, ("cp1256",)),
        ("urd", CHECKING, ("cp1256",)),
    ),
    "Turkish": (("tur", TUNING, TURKISH),),
    "Vietnamese": (("vie", TUNING, ("cp1258",)),),
    "Thai": (("tha", TUNING, ("tis-620", "cp874")), ("tha2", CHECKING, ("tis-620", "cp874"))),
}


@dataclass(frozen=True)
class Sample:
    """Bytes whose true text is known, and where they come from."""

    name: str
    family: str
    codec: str
    part: str
    data: bytes
    text: str


# Vietnamese tone marks: windows-1258 writes them as combining characters after the
# letter, whose vowel modifiers (â ơ ư ă) it has precomposed.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_CLUSTER = re.compile("(.)([\u0300-\u036f]*)", re.S)


def cp1258_form(text: str) -> str:
    """Vietnamese as windows-1258 writes it: `ấ` as `â` and a combining acute, `á`
    precomposed (the code page has it), where Unicode text has one letter each."""

    def cluster(match: re.Match[str]) -> str:
        letter, left = match.group(1), ""
        marks = sorted(match.group(2), key=lambda mark: mark in _TONES)  # modifiers first
        for mark in marks:
            composed = unicodedata.normalize("NFC", letter + mark)
            if not left and len(composed) == 1 and encodable(composed, "cp1258"):
                letter = composed
            else:
                left += mark
        return letter + left

    return _CLUSTER.sub(cluster, unicodedata.normalize("NFD", text))


def encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@cache
def udhr(code: str) -> tuple[str, ...]:
    return tuple((DATA / "udhr" / f"{code}.txt").read_text(encoding="utf-8").splitlines())


def _in_codec(paragraphs: tuple[str, ...], codec: str) -> list[str]:
    if codec == "cp1258":
        paragraphs = tuple(map(cp1258_form, paragraphs))
    return [p for p in paragraphs if encodable(p, codec)]


def synthetic_files() -> list[Sample]:
    """One whole declaration per (language, codec): the paragraphs the codec encodes."""
    samples = []
    for family, languages in LANGUAGES.items():
        for code, part, codec_names in languages:
            for codec in codec_names:
                kept = _in_codec(udhr(code), codec)
                if len(kept) < MIN_PARAGRAPHS:
                    continue
                text = "\n".join(kept) + "\n"
                samples.append(
                    Sample(f"{code}.{codec}", family, codec, part, text.encode(codec), text)
                )
    return samples


def windows_of(
    sample: Sample, lengths: tuple[int, ...], count: int, rng: random.Random
) -> list[tuple[int, Sample]]:
    """`count` windows per length of `sample`'s text, whitespace collapsed, each holding a
    character outside ASCII (a window of ASCII alone is every codec's)."""
    text = _WHITESPACE.sub(" ", sample.text).strip()
    wide = [i for i, char in enumerate(text) if ord(char) > 0x7F]
    found: list[tuple[int, Sample]] = []
    if not wide:
        return found
    for length in lengths:
        if len(text) < length:
            continue
        for copy in range(count):
            at = rng.choice(wide)
            start = max(0, min(at - rng.randrange(length), len(text) - length))
            window = text[start : start + length]
            try:
                data = window.encode(sample.codec)
            except UnicodeEncodeError:
                continue
            name = f"{sample.name}@{start}+{length}#{copy}"
            found.append(
                (length, Sample(name, sample.family, sample.codec, sample.part, data, window))
            )
    return found


_FAMILY_CODECS = {
    "CJK": "gb2312 gbk gb18030 big5 big5hkscs cp950 shift_jis cp932 euc_jp euc_jis_2004 euc_kr "
    "cp949 johab iso2022_jp iso2022_kr hz",
    "UTF": "utf-8 utf-8-sig utf-16 utf-16-le utf-16-be utf-32 utf-32-le utf-32-be",
    "Western": "ascii cp1252 latin-1 iso8859-15 mac-roman cp850 cp437 cp858 cp860 cp863 cp865",
    "Central European": "cp1250 iso8859-2 mac-latin2 cp852 iso8859-16 iso8859-3",
    "Baltic": "cp1257 iso8859-13 iso8859-4 cp775 iso8859-10 mac-iceland cp861",
    "Cyrillic": "cp1251 koi8-r koi8-u iso8859-5 cp866 mac-cyrillic cp855 cp1125 kz1048 ptcp154 "
    "koi8-t",
    "Greek": "iso8859-7 cp1253 cp737 cp869 mac-greek",
    "Hebrew": "cp1255 iso8859-8 cp862 cp424",
    "Arabic": "cp1256 iso8859-6 cp720 cp864 mac-arabic",
    "Turkish": "cp1254 iso8859-9 cp857 mac-turkish",
    "Vietnamese": "cp1258",
    "Thai": "tis-620 cp874 iso8859-11",
}
FAMILY_OF_CODEC = {
    codecs.lookup(codec).name: family
    for family, names in _FAMILY_CODECS.items()
    for codec in names.split()
}


def family_of(codec: str) -> str:
    return FAMILY_OF_CODEC.get(codecs.lookup(codec).name, "other")


def real_files() -> list[Sample]:
    """The labelled files of benchmarks/data/encodings, with their manifest's split (the
    files are not committed: scripts/build_encodings_set.py builds them; none built, none
    read, and the benchmark says so)."""
    root = DATA / "encodings"
    manifest = root / "manifest.csv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = {row["file"] for row in rows if not (root / row["file"]).is_file()}
    if missing:
        print(
            f"{len(missing)} of the {len(rows)} labelled files of {root} are not built: "
            "run scripts/build_encodings_set.py MIRRORS; read without them"
        )
    samples = []
    for row in rows:
        if row["file"] in missing:
            continue
        data = (root / row["file"]).read_bytes()
        codec = codecs.lookup(row["truth"]).name
        text = data.decode(codec)
        family = row.get("family") or family_of(codec)
        samples.append(Sample(row["file"], family, codec, row["split"], data, text))
    return samples


def seeded(*parts: object) -> random.Random:
    return random.Random(zlib.crc32(repr(parts).encode()))
