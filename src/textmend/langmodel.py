"""Character language models: how plausible a text is in a language group.

Costs are -ln P(character) in nats, from the unigram tables in
`data/charfreq/` (built by scripts/build_charfreq.py from wordfreq, CC BY-SA).
ASCII costs nothing: every ASCII-compatible decoding of the same bytes shares
it. Alphabetic groups also price each pair of adjacent letters (one of them
non-ASCII) by how much more or less often it occurs than chance
(`GROUP.pairs.tsv`): the letters a wrong codec strings together do not form
the words of any language. A character the table lacks is priced by what it is: rare ideographs and
letters are unlikely, symbols more so, controls, private-use and unassigned
code points almost impossible. Comparing the summed cost of two decodings of
the same bytes is comparing their likelihoods.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache, lru_cache, partial
from itertools import repeat
from operator import itemgetter, mul, ne

from .lexicon import entries

GROUPS = (
    "zh_hans",
    "zh_hant",
    "ja",
    "ko",
    "western",
    "central",
    "cyrillic",
    "greek",
    "hebrew",
    "turkish",
    "baltic",
    "arabic",
    "thai",
    "vietnamese",
    "turkic_cyrillic",
    "cyrillic_more",
    "estonian",
    "south",
    "western_more",
    "hebrew_more",
)

# Costs of characters a table lacks, by kind (nats).
UNKNOWN_LETTER = 13.0
UNKNOWN_PUNCTUATION = 7.0
LATIN1_SYMBOL = 10.0
LATIN1_SYMBOL_NATIVE = 7.0
UNKNOWN_SYMBOL = 11.0
IMPOSSIBLE = 25.0
HALF_WIDTH_EXTRA = 3.0  # nats: half-width katakana is about 20 times rarer

# Letter-pair PMI is clipped to this range; an unseen pair counts as the minimum.
PAIR_RANGE = (-5.0, 3.0)
# Two letters of different alphabets inside one word (`kПrast`, `Pavlovitð` is not
# one): what a wrong single-byte codec writes, and no language does. Priced like a
# symbol, above any unseen pair of one alphabet, so that a reading that puts a
# Cyrillic letter in every Latin word never beats one that keeps the words whole.
MIXED_SCRIPT_PAIR = UNKNOWN_SYMBOL
# A capital after a small letter inside a word (`cafŽine`: Mac Roman é read as
# cp1252): the pair tables are of lower-cased words and cannot see it; priced as a
# letter between two unseen pairs (at 5 nats, Mac Roman `sûreté` lost to cp860's
# `sÚreté`, whose lower-cased pairs are Spanish).
INNER_CAPITAL_COST = -2 * PAIR_RANGE[0]
# A sign between two letters (`kt—ry`, `ma‡a`: Mac Latin 2 read as cp1252): what a wrong
# code page makes of a letter inside a word; words hold apostrophes, hyphens and
# Catalan's middle dot, not dashes, daggers or quotes. Priced as a letter between two
# unseen pairs (at 5 nats, cp863's `p¶ye` beat the Walloon `påye` of cp437, whose
# letter has two pairs no modelled language has).
GLUED_SIGN_COST = -2 * PAIR_RANGE[0]
_SIGNS = (
    "[\u00a1-\u00a6\u00a8\u00a9\u00ab\u00ac\u00ae-\u00b1\u00b4\u00b6\u00b8\u00bb-\u00bf\u00d7\u00f7"
    "\u2012-\u2018\u201a-\u2027\u2030-\u205e\u2100-\u2bff]"
)
_SIGN = re.compile(_SIGNS)  # a fast first look: most texts hold none
_GLUED_SIGN = re.compile(f"(?<=[^\\W\\d_]){_SIGNS}(?=[^\\W\\d_])")
# Alphabets by their first code point (`_alphabet`); Latin includes ASCII.
_ALPHABETS = (
    (0x0000, "latin"),
    (0x0370, "greek"),
    (0x0400, "cyrillic"),
    (0x0530, "armenian"),
    (0x0590, "hebrew"),
    (0x0600, "arabic"),
    (0x0700, "other"),
    (0x0E00, "thai"),
    (0x0E80, "other"),
    (0x1E00, "latin"),
    (0x1F00, "greek"),
    (0x2000, "other"),
)
_WORD = re.compile(r"[^\W\d_\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]+")  # letters, not CJK
# A pair of letters, one of them non-ASCII, within one run (the runs joined by NULs),
# found at every position (a lookahead, so that the pairs overlap).
_NON_ASCII_PAIR = re.compile("(?=([^\\x00-\\x7f][^\\x00]|[^\\x00][^\\x00-\\x7f]))")
_DIGIT = re.compile("[0-9]")  # a fast first look for `_LETTER_DIGIT`
_LETTER_DIGIT = re.compile(r"[^\x00-\x7f\W\d_][0-9]|[0-9][^\x00-\x7f\W\d_]")
# Thai above/below vowels and tone marks follow a consonant (or another mark);
# leading vowels precede a consonant.
_THAI_MISPLACED = re.compile(
    "(?<![\u0e01-\u0e2e\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"
    "|[\u0e40-\u0e44](?![\u0e01-\u0e2e])"
)
# Vietnamese tone marks, combining characters in windows-1258, follow a vowel.
_VIETNAMESE_MISPLACED = re.compile(
    "(?<![aeiouyăâêôơưAEIOUYĂÂÊÔƠƯ])[\u0300\u0301\u0303\u0309\u0323]"
)


@cache
def table(group: str) -> dict[str, float]:
    """The character costs of `group`."""
    rows = entries(f"charfreq/{group}.tsv")
    # Word lists barely hold punctuation: what little they do is priced as rare,
    # so punctuation gets the generic price of `fallback` instead.
    costs = {
        char: float(cost)
        for char, cost in (row.split("\t") for row in rows)
        if unicodedata.category(char)[0] not in "PZ"
    }
    for cedilla, comma in _ROMANIAN_VARIANTS:
        # Legacy code pages but ISO 8859-16 write Romanian ș ț with a cedilla: one
        # letter in two spellings, so a text is not priced by which one its codec has.
        if cedilla in costs or comma in costs:
            costs[cedilla] = costs[comma] = min(
                costs.get(cedilla, IMPOSSIBLE), costs.get(comma, IMPOSSIBLE)
            )
    if group == "ja":
        # Half-width katakana (single bytes in Shift-JIS) write the same words as the
        # full-width ones, less often.
        for code in range(0xFF66, 0xFF9E):
            full = unicodedata.normalize("NFKC", chr(code))
            if full in costs:
                costs[chr(code)] = costs[full] + HALF_WIDTH_EXTRA
    return costs


LATIN_GROUPS = frozenset(
    {"western", "central", "turkish", "baltic", "vietnamese", "estonian", "south", "western_more"}
)
_ROMANIAN_VARIANTS = (("ş", "ș"), ("ţ", "ț"), ("Ş", "Ș"), ("Ţ", "Ț"))
_CEDILLA = str.maketrans({"ș": "ş", "ț": "ţ"})
_COMMA_BELOW = str.maketrans({"ş": "ș", "ţ": "ț"})
# Typographic punctuation that a Windows code page writes in 0x80-0x9F, priced below
# the generic punctuation price (UNKNOWN_PUNCTUATION) in Latin texts, which use it
# freely: at 7 nats, chardet's cp1252 test `github_bug_9.txt` read as cp850 (its
# quotes as `ô ö û`); 5.3 is -ln 0.005, one character in 200 (an estimate, not a
# measured share).
TYPOGRAPHIC = "‘’“”–—…"
TYPOGRAPHIC_COST = 5.3
# Latin-1 signs that hardly occur in text (spacing accents, ¤ ¦): what ISO 8859-15
# replaced with € and letters, and what a wrong code page reads for a letter.
RARE_LATIN1_SIGNS = "¤¦¨¯´¸"
EURO_COST = LATIN1_SYMBOL_NATIVE


@cache
def fallback(char: str, group: str = "") -> float:
    """The cost of a non-ASCII character that a group's table does not hold."""
    category = unicodedata.category(char)
    if category in ("Cc", "Co", "Cn", "Cs", "Cf") and char not in "\u200b\u200c\u200d\ufeff":
        return IMPOSSIBLE
    if 0xFF61 <= ord(char) <= 0xFF9F:
        # Half-width forms: as their full-width selves, only rarer.
        return fallback(unicodedata.normalize("NFKC", char), group) + HALF_WIDTH_EXTRA
    if char in RARE_LATIN1_SIGNS:
        return UNKNOWN_SYMBOL
    if char in TYPOGRAPHIC and group in LATIN_GROUPS:
        return TYPOGRAPHIC_COST
    if char == "€":
        return EURO_COST if group in LATIN_GROUPS else LATIN1_SYMBOL
    if 0x00A1 <= ord(char) <= 0x00BF:
        # £ © ° « » are everyday signs where Latin-1 is the native codec.
        return LATIN1_SYMBOL_NATIVE if group in LATIN_GROUPS else LATIN1_SYMBOL
    if category[0] in "LM" or category == "Nd":
        return UNKNOWN_LETTER
    if category[0] in "PZ":
        return UNKNOWN_PUNCTUATION
    return UNKNOWN_SYMBOL


@cache
def known_deleter(group: str, keep: str = "") -> dict[int, None]:
    """A `str.translate` table that deletes ASCII (but `keep`) and every character
    `group` knows, leaving what the group would find strange."""
    deleter = dict.fromkeys(range(128))
    deleter.update(dict.fromkeys(map(ord, table(group))))
    for char in keep:
        deleter.pop(ord(char), None)
    return deleter


@cache
def pair_table(group: str) -> dict[str, float]:
    """Letter-pair PMI of an alphabetic group (empty for the others)."""
    try:
        rows = entries(f"charfreq/{group}.pairs.tsv")
    except FileNotFoundError:
        return {}
    low, high = PAIR_RANGE
    pairs = {pair: min(high, max(low, float(pmi))) for pair, pmi in (r.split("\t") for r in rows)}
    for pair, pmi in list(pairs.items()):
        # The two spellings of Romanian ș ț (see `table`), each pair in both.
        for variant in (pair.translate(_CEDILLA), pair.translate(_COMMA_BELOW)):
            pairs[variant] = max(pmi, pairs.get(variant, low))
    return pairs


def pair_cost(text: str, group: str) -> float:
    if not pair_table(group):
        return 0.0
    return _pair_cost(text, group)


def _pair_cost(text: str, group: str) -> float:
    """Cost of the letter sequences of `text` beyond their letters' own costs.

    Also priced as unseen pairs: a non-ASCII letter glued to a digit (`Ł825` is
    `£825` in the wrong codec) and, in Thai and Vietnamese, a vowel or tone mark
    with no letter to sit on.
    """
    table = pair_table(group)
    if not table:
        return 0.0
    glued, pairs = _letter_pairs(text)
    if group == "thai":
        glued += -PAIR_RANGE[0] * len(_THAI_MISPLACED.findall(text))
    elif group == "vietnamese":
        glued += -PAIR_RANGE[0] * len(_VIETNAMESE_MISPLACED.findall(text))
    unseen = PAIR_RANGE[0]
    return glued - float(sum(map(mul, pairs.values(), map(table.get, pairs, repeat(unseen)))))


@lru_cache(maxsize=4)
def _letter_pairs(text: str) -> tuple[float, Counter[str]]:
    """The letter pairs of `text` (lower-cased, one letter non-ASCII) and the cost
    of its letters glued to digits: the same for every group a reading is priced
    in, so found once: the runs joined by a NUL, the overlapping pairs found by one
    regex at C speed."""
    glued = len(_LETTER_DIGIT.findall(text)) * -PAIR_RANGE[0] if _DIGIT.search(text) else 0.0
    runs = "\0".join(word for word in _non_ascii_words(text) if len(word) > 1)
    runs = runs.lower().replace("i\u0307", "i")  # Turkish İ is i
    pairs = Counter(_NON_ASCII_PAIR.findall(runs))
    return glued, pairs


# The groups that write each alphabet (`_alphabet_initial`; `*` stands for CJK).
_GROUPS_OF_ALPHABET = {
    "l": (
        "western",
        "western_more",
        "central",
        "baltic",
        "turkish",
        "estonian",
        "south",
        "vietnamese",
    ),
    "c": ("cyrillic", "cyrillic_more", "turkic_cyrillic"),
    "g": ("greek",),
    "h": ("hebrew", "hebrew_more"),
    "a": ("arabic",),
    "t": ("thai",),
    "*": ("zh_hans", "zh_hant", "ja", "ko"),
}


def groups_for(chars: Iterable[str], groups: tuple[str, ...]) -> tuple[str, ...]:
    """The `groups` that write the alphabets of `chars` (non-ASCII characters): the
    others price every such letter as unknown and cannot be the cheapest reading.
    All of `groups` if no letter says (symbols only, or an alphabet none writes)."""
    writers = _GROUPS_OF_ALPHABET
    wanted = {group for alphabet in set(map(_script, chars)) for group in writers.get(alphabet, ())}
    chosen = tuple(group for group in groups if group in wanted)
    return chosen or groups


@cache
def _script(char: str) -> str:
    """`_alphabet_initial`, but CJK as `*` (and anything else not a letter, a space)."""
    return "*" if _CJK.match(char) else _alphabet_initial(char)


@cache
def edge_table(group: str) -> dict[str, float]:
    """How much likelier each non-ASCII letter of an alphabetic group is at a word's
    start (`^x`) or end (`x$`) than anywhere, ln of the ratio (empty for others)."""
    try:
        rows = entries(f"charfreq/{group}.edges.tsv")
    except FileNotFoundError:
        return {}
    low, high = PAIR_RANGE
    return {edge: min(high, max(low, float(pmi))) for edge, pmi in (r.split("\t") for r in rows)}


def edge_cost(text: str, group: str) -> float:
    """The cost of the letters that start and end the words of `text` beyond their
    own costs (`ů` is Czech, but no Czech word starts with it: Portuguese `à` read as
    cp852): words of one letter count at both edges. Decoding weighs code pages
    with it, as `word_shape_cost`."""
    table = edge_table(group)
    if not table:
        return 0.0
    unseen = PAIR_RANGE[0]
    edges = _word_edges(text)
    return -float(sum(map(mul, edges.values(), map(table.get, edges, repeat(unseen)))))


@lru_cache(maxsize=4)
def _non_ascii_words(text: str) -> list[str]:
    """The words of `text` (runs of letters, not CJK) that hold a non-ASCII letter:
    all that letter pairs and word edges look at."""
    return [word for word in _WORD.findall(text) if not word.isascii()]


def inner_edge_cost(text: str, group: str) -> float:
    """`edge_cost` but for the edges at the ends of `text`, which may be a window cut
    inside words (`ьи, и равных и неотъ` is Russian, cut after `семь`): repair prices
    a line and its reading with it, as both may be such a window."""
    table = edge_table(group)
    if not table:
        return 0.0
    unseen = PAIR_RANGE[0]
    edges = _word_edges(text, inner=True)
    return -float(sum(map(mul, edges.values(), map(table.get, edges, repeat(unseen)))))


@lru_cache(maxsize=4)
def _word_edges(text: str, inner: bool = False) -> Counter[str]:
    """The non-ASCII letters that start (`^x`) and end (`x$`) the words of `text`,
    lower-cased (with `inner`, not the start of `text` nor its end): the same for
    every group a reading is priced in."""
    words = _non_ascii_words(text)
    # With `inner`, a word the text starts (ends) with has no edge there: the first
    # (last) non-ASCII word is that word exactly when the text starts (ends) with it.
    starts = words[1:] if inner and words and text.startswith(words[0]) else words
    ends = words[:-1] if inner and words and text.endswith(words[-1]) else words
    edges: Counter[str] = Counter()
    for char, count in Counter(map(itemgetter(0), starts)).items():
        if letter := _edge_letter(char):
            edges["^" + letter] += count
    for char, count in Counter(map(itemgetter(-1), ends)).items():
        if letter := _edge_letter(char):
            edges[letter + "$"] += count
    return edges


@cache
def _edge_letter(char: str) -> str:
    """A word's first or last character as the edge tables spell it: a non-ASCII
    letter lower-cased; nothing for `²` (a word character too) or for Turkish `İ`,
    whose lower case is `i` and a combining dot."""
    lower = char.lower()
    return lower if char.isalpha() and len(lower) == 1 and lower >= "\x80" else ""


def word_shape_cost(text: str) -> float:
    """What a wrong single-byte code page does to words, which no language does:
    letters of two alphabets in one word, a capital after a small letter, a sign
    between two letters (see MIXED_SCRIPT_PAIR, INNER_CAPITAL_COST,
    GLUED_SIGN_COST), over what `pair_cost` already charged for them. Decoding
    weighs code pages with it; repair, which compares a text with its reading in
    another script, does not."""
    cost = len(_GLUED_SIGN.findall(text)) * GLUED_SIGN_COST if _SIGN.search(text) else 0.0
    if text.isascii():
        return cost
    shapes = text.translate(_SHAPES)  # one slow pass; the two below are over ASCII
    cost += _inner_capitals(shapes.translate(_SHAPES.cases))
    # Alphabet changes inside words: in the words joined by single spaces, each space
    # makes two changes (letter to space, space to letter) and the rest are mixed pairs.
    words = " ".join(shapes.translate(_SHAPES.alphabets).split())
    mixed = sum(map(ne, words, words[1:])) - 2 * words.count(" ")
    return float(cost + mixed * (MIXED_SCRIPT_PAIR + PAIR_RANGE[0]))


def inner_capital_cost(text: str, after_ascii: bool = True) -> float:
    """INNER_CAPITAL_COST for each capital after a small letter inside a word, one of
    them non-ASCII (`cafŽine`; `iPhone` and `McDonald` are free); without `after_ascii`,
    both non-ASCII (`ТоЕО`: Yiddish `פֿון` read as KOI8-R, its points small letters
    between capitals), as an ASCII letter before a capital is any single-byte
    mojibake of Latin text (`ItÃ¢`)."""
    if text.isascii():
        return 0.0
    return _inner_capitals(text.translate(_SHAPES).translate(_SHAPES.cases), after_ascii)


def _inner_capitals(cases: str, after_ascii: bool = True) -> float:
    """`inner_capital_cost` of a text's letter cases (`_case`)."""
    pattern = _INNER_CAPITAL if after_ascii else _NON_ASCII_INNER_CAPITAL
    return len(pattern.findall(cases)) * INNER_CAPITAL_COST


def _case(char: str) -> str:
    """A letter's case, and whether it is ASCII: `a`/`A` ASCII, `x`/`X` not."""
    if not char.isalpha():
        return " "
    shape = "a" if char.isascii() else "x"
    return shape.upper() if char.isupper() else shape


def _alphabet_initial(char: str) -> str:
    """A letter's (or combining mark's) alphabet as one letter (`_ALPHABET_LETTERS`);
    anything else, and CJK, whose characters sit beside Latin words, a space."""
    if _CJK.match(char) or not (char.isalpha() or unicodedata.category(char) == "Mn"):
        return " "
    return _ALPHABET_LETTERS[_alphabet(char.lower()[0])]


_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_ALPHABET_LETTERS = {name: name[0] for _, name in _ALPHABETS} | {"armenian": "m"}


class _Shapes(dict[int, str]):
    """A `str.translate` table from a character to a code (an ASCII sign) of its case
    (`_case`) and alphabet (`_alphabet_initial`), filled in on first sight, with the
    tables from the codes to each: a text is translated once the slow way (a lookup per
    code point), then twice over ASCII, which `str.translate` does fast."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[tuple[str, str], str] = {}
        self.cases: dict[int, str] = {}
        self.alphabets: dict[int, str] = {}

    def __missing__(self, code: int) -> str:
        char = chr(code)
        key = (_case(char), _alphabet_initial(char))
        with _SHAPES_LOCK:  # a new code is numbered once, whatever the threads
            shape = self.codes.get(key)
            if shape is None:
                shape = chr(_FIRST_SHAPE + len(self.codes))
                self.cases[ord(shape)], self.alphabets[ord(shape)] = key
                self.codes[key] = shape
        self[code] = shape
        return shape


_FIRST_SHAPE = 0x21  # `!`: about 50 codes (5 cases x 10 alphabets) stay in ASCII
_SHAPES_LOCK = threading.Lock()
_SHAPES = _Shapes()
# A small letter then a capital, one of the two non-ASCII (ASCII camelCase is free).
_INNER_CAPITAL = re.compile("(?=x[AX]|aX)")
_NON_ASCII_INNER_CAPITAL = re.compile("(?=xX)")


@cache
def _alphabet(letter: str) -> str:
    """The alphabet of a letter (or combining mark), by its block."""
    code = ord(letter)
    return next(name for start, name in reversed(_ALPHABETS) if code >= start)


def score(text: str, groups: tuple[str, ...], edges: bool = False) -> tuple[float, str]:
    """The cheapest reading of `text` among `groups`: (cost in nats, group); with
    `edges`, its words' edges inside it priced too (`inner_edge_cost`)."""
    if len(text) == 1:  # no pairs, no inner edges: only a lone Thai or Vietnamese mark
        return min(
            (_priced(group)[text] + (pair_cost(text, group) if group in _MARKED else 0.0), group)
            for group in groups
        )
    chars = _char_costs(text)
    if edges:
        return min(
            (chars(group) + pair_cost(text, group) + inner_edge_cost(text, group), group)
            for group in groups
        )
    return min((chars(group) + pair_cost(text, group), group) for group in groups)


SHORT_TEXT = 64
_MARKED = ("thai", "vietnamese")  # the groups `_pair_cost` prices lone marks in


def _char_costs(text: str) -> Callable[[str], float]:
    """What `text`'s characters cost under a group: a short text summed as it stands
    (counting first costs more than it saves), a longer one counted once for all groups."""
    if len(text) <= SHORT_TEXT:
        return partial(text_cost, text)
    counts = Counter(text)
    return lambda group: cost(counts, group)


def text_cost(text: str, group: str) -> float:
    """Total cost of the characters of `text` under `group`, uncounted: for a text of
    a character or two (a byte's character in a code page), no Counter to build."""
    return sum(map(_priced(group).__getitem__, text))


def cost(counts: Counter[str], group: str) -> float:
    """Total cost of the characters counted in `counts` under `group`."""
    costs = _priced(group)
    return float(sum(map(mul, counts.values(), map(costs.__getitem__, counts))))


class _Prices(dict[str, float]):
    """Every character's cost under one group, filled in on first sight: ASCII free,
    then the group's table, then `fallback`."""

    def __init__(self, group: str) -> None:
        super().__init__(dict.fromkeys(map(chr, range(128)), 0.0))
        self.group = group
        self.known = table(group)

    def __missing__(self, char: str) -> float:
        known = self.known.get(char)
        price = known if known is not None else fallback(char, self.group)
        self[char] = price
        return price


@cache
def _priced(group: str) -> _Prices:
    return _Prices(group)


class _Cheapest(dict[str, float]):
    """Every character's cost in the cheapest of several groups, filled in on first
    sight: a lower bound of a text's cost in any one of them, summed in one pass."""

    def __init__(self, groups: tuple[str, ...]) -> None:
        super().__init__(dict.fromkeys(map(chr, range(128)), 0.0))
        self.groups = groups

    def __missing__(self, char: str) -> float:
        price = min(_priced(group)[char] for group in self.groups)
        self[char] = price
        return price


@cache
def cheapest_prices(groups: tuple[str, ...]) -> dict[str, float]:
    """Each character's cost in whichever of `groups` prices it lowest (ASCII free)."""
    return _Cheapest(groups)
