"""Restore full-width Chinese punctuation that was folded to ASCII (by NFKC or a converter).

Evidence first: the document's lines of Chinese text (Han, no kana) that hold none
of the full-width forms ，：；！？（） must show ASCII commas right after Han
characters; only those lines change.
Then a mark is widened where Chinese text is on its side: after Han text (or
before it, for , ; ! ?), and parentheses glued to Chinese text, whatever
they hold (`（TDR）`, `（）`). `1,000`, `12:30`, `http://`, a mark before a
space and a Latin word, and parentheses after a space keep their ASCII forms.
"""

from __future__ import annotations

import re
from functools import partial

from .lexicon import count_matches
from .options import Options
from .result import Change, Fixed

STAGE = "punctuation"

_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_FULL_WIDTH_FORM = re.compile("[，：；！？（）]")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters after which a mark is Chinese punctuation: Han and CJK closing marks.
_CHINESE = rf"[{_HAN}”’」』》〉】〕）…—·、。（「『《【]"
_KANA = re.compile(r"[\u3040-\u30ff]")
# The comma first: a literal the regex engine finds at memchr speed (a character class
# first is tried at every position: 170 MB/s on clean Chinese text, 3,400 this way).
_FOLDED_COMMA = re.compile(rf",(?<={_CHINESE},)")
# After Chinese text, unless a space and a Latin word follow (`中文; zh-hk`); or before
# Chinese text (not a colon: `zh-hk:高云`), unless after a digit.
# The mark is matched first and what is around it looked at from there: a pattern that
# starts with a lookbehind is tried whole at every position (a pinyin spam page's
# lines: 3 times the time).
_MARK = re.compile(
    rf"[,;!?:](?:(?<={_CHINESE}[,;!?])(?!\s[A-Za-z])|(?<={_CHINESE}:)(?!//)(?!\s[A-Za-z])"
    rf"|(?<![0-9].)(?<=[,;!?])(?=[{_HAN}“‘「『《（])|(?<=[0-9%][,;])(?=[{_HAN}]))"
)
# A parenthesis with its content; what comes right before it (the run of text back to a
# space or another parenthesis, found by the callback, so that no match rescans it) decides.
_PAREN = re.compile(r"\(([^()\n]*)\)")
_RUN_BREAK = re.compile(r"[\s()]")
# One pinyin syllable with its tone, as annotations write it.
_ANNOTATION = re.compile(r"[a-zA-ZüÜ]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zA-Zü]*|[a-zA-ZüÜ]{1,6}[1-5]")
# Glued: the last character before the parenthesis that is not printable ASCII is Chinese.
_GLUE = re.compile(rf"{_CHINESE}|[（【《「『]")
_PRINTABLE_ASCII = "".join(map(chr, range(0x21, 0x7F)))
_HAS_HAN = re.compile(rf"[{_HAN}]")
# A scheme starts where a run of scheme characters starts (the lookbehind keeps a long
# run of letters from being rescanned from each of its positions).
_URL = re.compile(r"((?:(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://|www\.)[!-~]+)")

MIN_FOLDED_COMMAS = 2
KANA_SHARE = 0.05  # kana per Han character above which a text is Japanese
NESTING = 2


def shows_folding(text: str) -> bool:
    """Is this Chinese text whose full-width punctuation was folded to ASCII? Judged on
    the lines that may be folded Chinese (`_may_be_folded`) only, so that removing
    another line (the junk stage may) cannot change the verdict on them."""
    if not _FOLDED_COMMA.search(text):
        return False  # clean Chinese text: one scan at regex speed
    commas = sum(
        count_matches(_FOLDED_COMMA, line)
        for line in text.split("\n")
        if _FOLDED_COMMA.search(line) and _may_be_folded(line)
    )
    return commas >= MIN_FOLDED_COMMAS


def _may_be_folded(line: str) -> bool:
    """A line with Han text, none of the full-width forms (a line that has one was not
    folded: a site's template beside a converted article) and no more kana than a
    Chinese text gives as readings (Japanese)."""
    if _FULL_WIDTH_FORM.search(line) or not _HAS_HAN.search(line):
        return False
    kana = count_matches(_KANA, line)
    return not kana or kana <= KANA_SHARE * count_matches(_HAS_HAN, line)


def restore_punctuation(text: str, changes: list[Change] | None = None) -> str:
    """Widen ASCII punctuation that follows Chinese text, when the text shows folding."""
    if not shows_folding(text):
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not _may_be_folded(line):
            continue
        if "://" in line or "www." in line:  # (what `_URL` needs, found at memchr speed)
            widened = "".join(
                part if _URL.fullmatch(part) else _widen(part) for part in _URL.split(line)
            )
        else:
            widened = _widen(line)
        if widened != line:
            lines[number - 1] = widened
            if changes is not None:
                changes.append(
                    Change(STAGE, number, line, widened, "ASCII punctuation after Chinese text")
                )
    return "\n".join(lines)


def _widen(text: str) -> str:
    for _ in range(NESTING):  # the inner parentheses first, then those around them
        text = _PAREN.sub(partial(_widen_parens, text=text), text)
    return _MARK.sub(lambda m: _FULL[m.group(0)], text)


def _run_before(text: str, end: int) -> str:
    """The text glued to position `end`: back to a space or a parenthesis. The runs
    before successive parentheses do not overlap, so finding them all is linear."""
    start = end
    while start > 0 and not _RUN_BREAK.match(text, start - 1):
        start -= 1
    return text[start:end]


def _widen_parens(match: re.Match[str], text: str) -> str:
    """Parentheses glued to Chinese text are Chinese, whatever they hold (`公司（Alvis）`,
    `L3A4（M1919）` after Chinese, `繇（）`); after a space, only around Chinese text
    at the start of a line."""
    inner = match.group(1)
    if _ANNOTATION.fullmatch(inner):
        return match.group(0)  # a pinyin annotation (`政務(wù)`): not folded punctuation
    before = _run_before(text, match.start())
    last = before.rstrip(_PRINTABLE_ASCII)[-1:]
    glued = bool(last) and _GLUE.fullmatch(last) is not None
    alone = not before and match.start() == 0 and _HAS_HAN.search(inner) is not None
    return f"（{inner}）" if glued or alone else match.group(0)


def fix(text: str, options: Options) -> Fixed:
    """The pipeline's step (`textmend.pipeline.Stage`)."""
    changes: list[Change] = []
    return Fixed(restore_punctuation(text, changes), changes)
