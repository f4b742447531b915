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
simplified) converted with OpenCC s2tw, word by word. Thai, which wordfreq lacks,
has no file: the decoder treats its letters as a uniform alphabet.

Run: python scripts/build_charfreq.py   (needs `pip install -e '.[data]'`)
The files it writes are CC BY-SA 4.0, like their source.
"""

from __future__ import annotations

import math
import pathlib
from collections import Counter
from importlib.metadata import version
from itertools import pairwise

import opencc
import wordfreq

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
}


ALPHABETIC = ("western", "central", "cyrillic", "greek", "hebrew", "turkish", "baltic", "arabic")
MAX_PAIRS = 6000


def _words(language: str, traditional: bool = False) -> dict[str, float]:
    words = wordfreq.get_frequency_dict(language, wordlist="best")
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
        for char, p in _with_case(_char_distribution(words)).items():
            mixture[char] += p / len(languages)
    return [(char, -math.log(p)) for char, p in mixture.most_common(keep)]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for group, (languages, keep) in GROUPS.items():
        rows = build(group, languages, keep)
        header = (
            f"# Character costs (-ln P) of {group}: wordfreq {version('wordfreq')} "
            f"lists {', '.join(languages)}; CC BY-SA 4.0.\n"
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


if __name__ == "__main__":
    main()
