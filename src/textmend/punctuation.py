"""Restore full-width Chinese punctuation that was folded to ASCII (by NFKC or a converter).

Evidence first: the document must be Chinese (Han, no kana), hold none of the
full-width forms ，：；！？（）, and show ASCII commas right after Han characters.
Then only marks that follow Chinese text are widened; `1,000`, `12:30`,
`http://`, `(GDP)` and Latin sentences keep their ASCII forms.
"""

from __future__ import annotations

import re

from .result import Change

STAGE = "punctuation"

_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_FULL_WIDTH_FORMS = frozenset("，：；！？（）")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters after which a mark is Chinese punctuation: Han and CJK closing marks.
_CHINESE = rf"[{_HAN}”’」』》〉】〕）…—·、。]"
_KANA = re.compile(r"[\u3040-\u30ff]")
_FOLDED_COMMA = re.compile(rf"{_CHINESE},")
# After Chinese text; or a comma/semicolon between a number and Chinese text (12:30,共).
_MARK = re.compile(rf"(?<={_CHINESE})(?:[,;!?]|:(?!//))|(?<=[0-9%])[,;](?=[{_HAN}])")
_PAREN = re.compile(r"\(([^()\n]*)\)")
_HAS_HAN = re.compile(rf"[{_HAN}]")
_URL = re.compile(r"((?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[!-~]+)")

MIN_FOLDED_COMMAS = 2


def shows_folding(text: str) -> bool:
    """Is this Chinese text whose full-width punctuation was folded to ASCII?"""
    if any(ch in _FULL_WIDTH_FORMS for ch in text) or _KANA.search(text):
        return False
    return len(_FOLDED_COMMA.findall(text)) >= MIN_FOLDED_COMMAS


def restore_punctuation(text: str, changes: list[Change] | None = None) -> str:
    """Widen ASCII punctuation that follows Chinese text, when the text shows folding."""
    if not shows_folding(text):
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not _HAS_HAN.search(line):
            continue
        widened = "".join(
            part if _URL.fullmatch(part) else _widen(part) for part in _URL.split(line)
        )
        if widened != line:
            lines[number - 1] = widened
            if changes is not None:
                changes.append(
                    Change(STAGE, number, line, widened, "ASCII punctuation after Chinese text")
                )
    return "\n".join(lines)


def _widen(text: str) -> str:
    return _MARK.sub(lambda m: _FULL[m.group(0)], _PAREN.sub(_widen_parens, text))


def _widen_parens(match: re.Match[str]) -> str:
    """Parentheses around Chinese text are Chinese; `(GDP)` or `(1)` may be either, so stay."""
    inner = match.group(1)
    return f"（{inner}）" if _HAS_HAN.search(inner) else match.group(0)
