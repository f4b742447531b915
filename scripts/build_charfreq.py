"""Rebuild src/textmend/data/charfreq/*.tsv, the character language models of decoding.

Each `GROUP.tsv` is a unigram model of one language group: a character, a tab,
and its cost, -ln P(character), in nats, most frequent first. For alphabetic
groups, `GROUP.pairs.tsv` holds the letter pairs (inside words, at least one of
them non-ASCII) with their pointwise mutual information, ln P(ab) / P(a)P(b):
what tells a real word from a string of letters that a wrong codec produced. The decode stage scores
every candidate decoding of the bytes with these costs: the right codec gives
the text of a language, a wrong one gives rare characters, letters of another
script, or symbols.

Source: the word frequency lists of wordfreq 3.1 (https://github.com/rspeer/wordfreq;
data CC BY-SA 4.0, built from Wikipedia, subtitles, news, books, web text and
social media): every word's frequency is credited to each character it contains.
wordfreq lower-cases words, so an upper-case letter is given 5 % of the mass of
its lower-case letter. Traditional Chinese is wordfreq's Chinese list (which is
simplified) converted with OpenCC s2tw, word by word. Vietnamese is counted twice,
half as Unicode writes it (precomposed) and half as windows-1258 does (a base letter
and a combining tone mark). Thai, which wordfreq lacks, comes from PyThaiNLP's word
frequencies of the Thai National Corpus (`pythainlp/corpus/tnc_freq.txt`, CC0 1.0).

Languages that wordfreq lacks, needed to tell legacy codecs apart, come from the
word lists inside Tesseract OCR's trained models (tessdata_fast 4.1.0, Apache 2.0),
as Debian packages them: /usr/share/tesseract-ocr/5/tessdata/LANG.traineddata, whose
`lstm-word-dawg` is unpacked with `combine_tessdata -u` and listed with
`dawg2wordlist` (both in the `tesseract-ocr` package). These are lists of word
forms (types) collected from web text, without counts: each distinct lower-cased
word counts once, so they give the letters' type frequencies, not token
frequencies. Only words written wholly in the language's alphabet (letters, and
hyphens or apostrophes between them; TESSERACT lists each alphabet) are kept, which
drops the lists' stray punctuation, foreign words, and web text's stand-ins for
missing letters (Tajik written with Macedonian ќ ѓ, Kyrgyz with ї є):
  turkic_cyrillic  kk kaz, ky kir, tg tgk, uz-Cyrl uzb_cyrl   (kz1048, ptcp154, koi8-t)
  cyrillic_more    be bel, and sr-Cyrl (below)                (cp1251, iso8859-5, koi8-u)
  estonian         et est                                     (cp1257, iso8859-13/-4/-15)
  south            eo epo, mt mlt, sq sqi                     (iso8859-3; sq also latin-1/-2)
  western_more     cy cym, ga gle, gd gla, co cos, oc oci, br bre, lb ltz, fy fry,
                   ht hat, eu eus, gl glg, fo fao, af afr  (Western code pages: the
                   languages of Western Europe that wordfreq lacks)
  hebrew_more      yi yid                                     (cp1255, iso8859-8, cp862)
Serbian Cyrillic is wordfreq's Serbo-Croatian list `sh` (which wordfreq writes in
Latin letters) transliterated letter for letter (lj, nj, dž as one letter each), so
it keeps real frequencies; words with letters outside Gaj's alphabet are dropped.
Tatar and Bashkir have no usable source here (Tesseract's Tatar list is in Latin
letters) and are left out. Croatian and Bosnian are wordfreq's `sh`, in `central`.
Each new group's header names its source and the Debian package versions used.

Run: python scripts/build_charfreq.py   (needs `pip install -e '.[data]'` and, for
the groups above, `apt-get install tesseract-ocr tesseract-ocr-kaz tesseract-ocr-kir
tesseract-ocr-tgk tesseract-ocr-uzb-cyrl tesseract-ocr-bel tesseract-ocr-est
tesseract-ocr-epo tesseract-ocr-mlt tesseract-ocr-sqi tesseract-ocr-cym tesseract-ocr-gle
tesseract-ocr-gla tesseract-ocr-cos tesseract-ocr-oci tesseract-ocr-bre tesseract-ocr-ltz
tesseract-ocr-fry tesseract-ocr-hat tesseract-ocr-eus tesseract-ocr-glg tesseract-ocr-fao
tesseract-ocr-afr tesseract-ocr-yid`; CI never rebuilds).
The files it writes are CC BY-SA 4.0, like their source (thai.*: CC0 1.0;
turkic_cyrillic, estonian, south, western_more, hebrew_more: Apache 2.0, like
Tesseract's data; cyrillic_more mixes both, so CC BY-SA 4.0 with attribution to
Tesseract too).
"""

from __future__ import annotations

import math
import pathlib
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from functools import cache
from importlib.metadata import version
from itertools import pairwise

import opencc
import wordfreq

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "benchmarks"))
from codec_sets import cp1258_form  # the benchmark writes Vietnamese so too

OUT = pathlib.Path(__file__).resolve().parents[1] / "src" / "textmend" / "data" / "charfreq"
UPPER_SHARE = 0.05

# Language group -> (wordfreq languages, how many characters to keep).
GROUPS: dict[str, tuple[tuple[str, ...], int]] = {
    "zh_hans": (("zh",), 7000),
    "zh_hant": (("zh",), 7000),
    "ja": (("ja",), 6000),
    "ko": (("ko",), 2500),
    "western": (
        ("en", "fr", "de", "es", "pt", "it", "nl", "ca", "sv", "da", "nb", "fi", "is"),
        200,
    ),
    "central": (("pl", "cs", "sk", "sl", "hu", "ro", "sh"), 200),
    "cyrillic": (("ru", "uk", "bg", "mk"), 200),
    "greek": (("el",), 150),
    "hebrew": (("he",), 150),
    "turkish": (("tr",), 150),
    "baltic": (("lt", "lv"), 150),
    "arabic": (("ar", "fa", "ur"), 200),
    "vietnamese": (("vi",), 250),
    "thai": (("th",), 120),
    # Languages wordfreq lacks (see the docstring for their sources).
    "turkic_cyrillic": (("kk", "ky", "tg", "uz-Cyrl"), 150),
    "cyrillic_more": (("be", "sr-Cyrl"), 150),
    "estonian": (("et",), 150),
    "south": (("eo", "mt", "sq"), 150),
    "hebrew_more": (("yi",), 150),
    "western_more": (
        ("cy", "ga", "gd", "co", "oc", "br", "lb", "fy", "ht", "eu", "gl", "fo", "af"),
        200,
    ),
}


# Groups of alphabets get letter-pair tables too.
ALPHABETIC = tuple(group for group in GROUPS if group not in ("zh_hans", "zh_hant", "ja", "ko"))
MAX_PAIRS = 6000

TESSDATA = pathlib.Path("/usr/share/tesseract-ocr/5/tessdata")
# Language -> (Tesseract model, its alphabet in lower case). A word with any other
# letter is dropped: foreign words, and web text's stand-ins for letters its fonts
# lacked (Tajik written with Macedonian ќ ѓ or Ukrainian ї, Kyrgyz with ї є ў).
_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN = "abcdefghijklmnopqrstuvwxyz"
TESSERACT = {
    "kk": ("kaz", _RU + "әғқңөұүһі"),
    "ky": ("kir", _RU + "ңөү"),
    "tg": ("tgk", _RU + "ғӣқӯҳҷ"),
    "uz-Cyrl": ("uzb_cyrl", _RU + "ўқғҳ"),
    "be": ("bel", "абвгдеёжзійклмнопрстуўфхцчшыьэюя"),
    "et": ("est", _LATIN + "õäöüšž"),
    "eo": ("epo", _LATIN + "ĉĝĥĵŝŭ"),
    "mt": ("mlt", _LATIN + "ċġħżàèìòù"),
    "sq": ("sqi", _LATIN + "ëç"),
    "cy": ("cym", _LATIN + "âêîôûŵŷäëïöüÿáéíóúàèìòù"),
    "ga": ("gle", _LATIN + "áéíóú"),
    "gd": ("gla", _LATIN + "àèìòùáéó"),
    "co": ("cos", _LATIN + "àèìòùïü"),
    "oc": ("oci", _LATIN + "àèéíòóúïüç"),
    "br": ("bre", _LATIN + "âêîôûùüñé"),
    "lb": ("ltz", _LATIN + "äëéèêöü"),
    "fy": ("fry", _LATIN + "âêôûúäëïöüéè"),
    "ht": ("hat", _LATIN + "èòé"),
    "eu": ("eus", _LATIN + "ñü"),
    "gl": ("glg", _LATIN + "áéíóúñüï"),
    "fo": ("fao", _LATIN + "áíóúýæøð"),
    "af": ("afr", _LATIN + "êëéèôöîïûüáŉ"),
    # Yiddish: Hebrew letters, the ligatures װ ױ ײ, and the points it writes vowels with.
    "yi": ("yid", "".join(map(chr, [*range(0x05B0, 0x05C8), *range(0x05D0, 0x05EB)])) + "װױײ"),
}
# Gaj's Latin alphabet -> Serbian Cyrillic; the digraphs are tried first.
SERBIAN_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
SERBIAN_LETTERS = dict(
    zip("abcčćdđefghijklmnoprsštuvzž", "абцчћдђефгхијклмнопрсштувзж", strict=True)
)


def _debian_version(package: str) -> str:
    return subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", package],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _in_alphabet(word: str, alphabet: str) -> bool:
    """Whether `word` is letters of `alphabet`, with hyphens or apostrophes between them."""
    if word[0] not in alphabet or word[-1] not in alphabet:
        return False
    return all(char in alphabet or char in "-'\u2019" for char in word)


@cache
def _tesseract_words(language: str) -> dict[str, float]:
    """The word types of a Tesseract model's word list, each counted once."""
    model, alphabet = TESSERACT[language]
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"{tmp}/{model}."
        subprocess.run(
            ["combine_tessdata", "-u", str(TESSDATA / f"{model}.traineddata"), prefix],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                "dawg2wordlist",
                prefix + "lstm-unicharset",
                prefix + "lstm-word-dawg",
                prefix + "words",
            ],
            check=True,
            capture_output=True,
        )
        listed = pathlib.Path(prefix + "words").read_text(encoding="utf-8").split("\n")
    types = sorted(
        {
            word
            for word in (unicodedata.normalize("NFC", line.strip()).lower() for line in listed)
            if word and _in_alphabet(word, alphabet)
        }
    )
    return {word: 1.0 / len(types) for word in types}


def _serbian_cyrillic(word: str) -> str | None:
    out = []
    i = 0
    while i < len(word):
        if word[i : i + 2] in SERBIAN_DIGRAPHS:
            out.append(SERBIAN_DIGRAPHS[word[i : i + 2]])
            i += 2
        elif word[i] in SERBIAN_LETTERS:
            out.append(SERBIAN_LETTERS[word[i]])
            i += 1
        else:
            return None
    return "".join(out)


@cache
def _serbian_words() -> dict[str, float]:
    counts: Counter[str] = Counter()
    for word, freq in wordfreq.get_frequency_dict("sh", wordlist="best").items():
        cyrillic = _serbian_cyrillic(word)
        if cyrillic:
            counts[cyrillic] += freq
    total = sum(counts.values())
    return {word: count / total for word, count in sorted(counts.items())}


def _source(group: str, languages: tuple[str, ...]) -> str:
    if group == "thai":
        return f"PyThaiNLP {version('pythainlp')} tnc_freq.txt (Thai National Corpus); CC0 1.0"
    parts = []
    models = [TESSERACT[language][0] for language in languages if language in TESSERACT]
    if models:
        packages = ", ".join(
            f"{model} {_debian_version('tesseract-ocr-' + model.replace('_', '-'))}"
            for model in models
        )
        parts.append(
            f"word types (uncounted) of Tesseract tessdata_fast models {packages} "
            "(Debian tesseract-ocr-*); Apache 2.0"
        )
    if "sr-Cyrl" in languages:
        parts.append(
            f"sr-Cyrl: wordfreq {version('wordfreq')} list sh transliterated to Cyrillic; "
            "CC BY-SA 4.0"
        )
    if parts:
        return f"{', '.join(languages)}: " + "; ".join(parts)
    return f"wordfreq {version('wordfreq')} lists {', '.join(languages)}; CC BY-SA 4.0"


def _thai_words() -> dict[str, float]:
    import pythainlp  # its corpus files ship inside the package: nothing is downloaded

    counts: dict[str, float] = {}
    path = pathlib.Path(pythainlp.__file__).parent / "corpus" / "tnc_freq.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition("\t")
        if word and count.isdigit():
            counts[word] = counts.get(word, 0.0) + float(count)
    total = sum(counts.values())
    return {word: count / total for word, count in counts.items()}


# wordfreq case-folds its words, which also writes German ß as "ss" and Greek final
# ς as σ: both letters would be missing from the tables. Put back where the
# spelling rules say: σ at the end of a Greek word, and "ss" after a diphthong or
# "ie" in German (weiß, heißt, draußen; a lower bound: groß and Straße stay "ss").
UNFOLD = {
    "el": (re.compile("σ$"), "ς"),
    "de": (re.compile("(?<=ei|ai|au|eu|äu|ie)ss"), "ß"),
}


def _unfolded(words: dict[str, float], rule: tuple[re.Pattern[str], str]) -> dict[str, float]:
    pattern, letter = rule
    unfolded: Counter[str] = Counter()
    for word, freq in words.items():
        unfolded[pattern.sub(letter, word)] += freq
    return dict(unfolded)


def _words(language: str, traditional: bool = False) -> dict[str, float]:
    if language == "th":
        return _thai_words()
    if language in TESSERACT:
        return _tesseract_words(language)
    if language == "sr-Cyrl":
        return _serbian_words()
    words = wordfreq.get_frequency_dict(language, wordlist="best")
    if language in UNFOLD:
        words = _unfolded(words, UNFOLD[language])
    if language == "vi":
        both: Counter[str] = Counter()
        for word, freq in words.items():
            both[word] += freq / 2
            both[cp1258_form(word)] += freq / 2
        return dict(both)
    if not traditional:
        return words
    convert = opencc.OpenCC("s2tw").convert
    return {convert(word): freq for word, freq in words.items()}


def _char_distribution(words: dict[str, float]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for word, freq in words.items():
        for char in word:
            if not char.isascii() and char.isprintable() and not char.isspace():
                counts[char] += freq
    total = sum(counts.values())
    return {char: count / total for char, count in counts.items()}


def _pair_distribution(words: dict[str, float]) -> tuple[Counter[str], Counter[str]]:
    """Letter and letter-pair mass inside words (upper case by UPPER_SHARE)."""
    letters: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for word, freq in words.items():
        for a, b in pairwise(word):
            if a.isalpha() and b.isalpha():
                pairs[a + b] += freq
        for char in word:
            if char.isalpha():
                letters[char] += freq
    return letters, pairs


def build_pairs(languages: tuple[str, ...]) -> list[tuple[str, float]]:
    letter_mass: Counter[str] = Counter()
    pair_mass: Counter[str] = Counter()
    for language in languages:
        letters, pairs = _pair_distribution(_words(language))
        letter_total, pair_total = sum(letters.values()), sum(pairs.values())
        for char, mass in letters.items():
            letter_mass[char] += mass / letter_total / len(languages)
        for pair, mass in pairs.items():
            pair_mass[pair] += mass / pair_total / len(languages)
    kept = [(pair, mass) for pair, mass in pair_mass.most_common() if not pair.isascii()]
    rows = []
    for pair, mass in kept[:MAX_PAIRS]:
        pmi = math.log(mass / (letter_mass[pair[0]] * letter_mass[pair[1]]))
        rows.append((pair, pmi))
    return rows


def build_edges(languages: tuple[str, ...]) -> list[tuple[str, float]]:
    """How much likelier each non-ASCII letter is at a word's start (`^x`) or end
    (`x$`) than anywhere: ln P(word starts with x) / P(x), ln P(ends with x) / P(x)."""
    letter_mass: Counter[str] = Counter()
    edge_mass: Counter[str] = Counter()
    for language in languages:
        words = _words(language)
        letters, _ = _pair_distribution(words)
        letter_total = sum(letters.values())
        edges: Counter[str] = Counter()
        for word, freq in words.items():
            if word[0].isalpha():
                edges["^" + word[0]] += freq
            if word[-1].isalpha():
                edges[word[-1] + "$"] += freq
        word_total = sum(words.values())
        for char, mass in letters.items():
            letter_mass[char] += mass / letter_total / len(languages)
        for edge, mass in edges.items():
            edge_mass[edge] += mass / word_total / len(languages)
    rows = []
    for edge, mass in edge_mass.most_common():
        letter = edge.strip("^$")
        if not letter.isascii() and letter_mass[letter] > 0:
            rows.append((edge, math.log(mass / letter_mass[letter])))
    return rows


def _with_case(distribution: dict[str, float]) -> dict[str, float]:
    cased: dict[str, float] = {}
    for char, p in distribution.items():
        upper = char.upper()
        if len(upper) == 1 and upper != char and char.islower():
            cased[char] = cased.get(char, 0.0) + p * (1 - UPPER_SHARE)
            cased[upper] = cased.get(upper, 0.0) + p * UPPER_SHARE
        else:
            cased[char] = cased.get(char, 0.0) + p
    return cased


def build(group: str, languages: tuple[str, ...], keep: int) -> list[tuple[str, float]]:
    mixture: Counter[str] = Counter()
    for language in languages:
        words = _words(language, traditional=group == "zh_hant")
        distribution = _with_case(_char_distribution(words))
        if language in DOTTED_CAPITAL:
            distribution["İ"] = _dotted_capital_share(words)
        for char, p in distribution.items():
            mixture[char] += p / len(languages)
    return [(char, -math.log(p)) for char, p in mixture.most_common(keep)]


# Turkish and Azeri write the capital of `i` as `İ`: lower-cased word lists hold
# only `i`, which is ASCII and so outside the tables; `İ` gets UPPER_SHARE of its
# mass, relative to the non-ASCII letters' (it was priced as unknown, 13 nats).
DOTTED_CAPITAL = ("tr",)


def _dotted_capital_share(words: dict[str, float]) -> float:
    wide = sum(freq * sum(not c.isascii() for c in word) for word, freq in words.items())
    dotted = sum(freq * word.count("i") for word, freq in words.items())
    return UPPER_SHARE * dotted / wide


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for group, (languages, keep) in GROUPS.items():
        rows = build(group, languages, keep)
        source = _source(group, languages)
        header = (
            f"# Character costs (-ln P) of {group}: {source}.\n"
            "# Built by scripts/build_charfreq.py; do not edit by hand.\n"
        )
        body = "".join(f"{char}\t{cost:.2f}\n" for char, cost in rows)
        (OUT / f"{group}.tsv").write_text(header + body, encoding="utf-8")
        print(f"{group}: {len(rows)} characters, covers the top {keep}")
        if group in ALPHABETIC:
            pairs = build_pairs(languages)
            body = "".join(f"{pair}\t{pmi:.2f}\n" for pair, pmi in pairs)
            (OUT / f"{group}.pairs.tsv").write_text(
                header.replace("Character costs (-ln P)", "Letter-pair PMI (ln P(ab)/P(a)P(b))")
                + body,
                encoding="utf-8",
            )
            print(f"{group}: {len(pairs)} letter pairs")
            edges = build_edges(languages)
            body = "".join(f"{edge}\t{pmi:.2f}\n" for edge, pmi in edges)
            (OUT / f"{group}.edges.tsv").write_text(
                header.replace(
                    "Character costs (-ln P)",
                    "Word-edge PMI (ln P(word starts with x)/P(x) as ^x, ends: x$)",
                )
                + body,
                encoding="utf-8",
            )
            print(f"{group}: {len(edges)} word edges")


if __name__ == "__main__":
    main()
