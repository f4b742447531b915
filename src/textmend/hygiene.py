"""Input hygiene: every line end as `\\n`, no control characters, no blanks at the
edges of lines. It runs before the other stages and again after those that can
bring such characters in (an entity `&#13;`, an extracted page, a repair giving
`\\u3000` or an overlong NUL), so that every stage sees the lines the output will
have: what a stage decides cannot depend on a line end or an indentation the next
run would not see.
"""

from __future__ import annotations

import re

from .layout import EDGE_BLANKS
from .options import Options
from .result import Change, Fixed

STAGE = "input"

# Every line end the layout knows, bar NEL: CR LF, CR, VT, FF, the information
# separators, LINE and PARAGRAPH SEPARATOR. None of them is a byte of multi-byte
# UTF-8, so none can be evidence of mojibake. NEL (U+0085) is also a UTF-8
# continuation byte read as Latin-1 (`Ñ\x85` is `х`) or cp1252's `…`: repair needs
# it, and makes it a line end itself once it is done (`textmend.repair.fix`).
LINE_END = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\u2028\u2029]")
LINE_ENDS_NAMED = "CR LF, CR, VT, FF, LS, PS"
NEL = re.compile("\x85")
# After repair, NEL too: a NEL that repair did not read is a line end.
_LINE_END_OR_NEL = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0 controls that are neither a tab nor a line end, and DEL: no article holds one (a
# NUL is a stray byte of a binary file or of UTF-16 read as 8-bit text; ESC starts a
# terminal colour code). They are removed, and the removal reported. C1 controls stay:
# they are bytes of UTF-8 read as Latin-1, the evidence repair reads.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")
# Any of the above: one scan proves most texts have none.
_LINE_END_OR_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


def fix(text: str, options: Options) -> Fixed:
    """The pipeline's step before repair: line ends bar NEL, controls, edge blanks."""
    return _fix(text, LINE_END, LINE_ENDS_NAMED)


def fix_after_repair(text: str, options: Options) -> Fixed:
    """The pipeline's step after repair: NEL is a line end too from here on (a repair
    can also give a control, `À\x80` is an overlong NUL, or an indentation, `\u3000`)."""
    return _fix(text, _LINE_END_OR_NEL, LINE_ENDS_NAMED + ", NEL")


def _fix(text: str, ends: re.Pattern[str], named: str) -> Fixed:
    changes: list[Change] = []
    if _LINE_END_OR_CONTROL.search(text):
        text = line_ends(text, ends, changes, named)
        text = without_controls(text, changes)
    return Fixed(without_edge_blanks(text, changes), changes)


def line_ends(text: str, pattern: re.Pattern[str], changes: list[Change], what: str) -> str:
    """`text` with every line end `pattern` matches as `\\n`, recorded as one change."""
    normalised, count = pattern.subn("\n", text)
    if count:
        changes.append(Change.of_text(STAGE, f"{count} line ends ({what}) became LF"))
    return normalised


def without_controls(text: str, changes: list[Change]) -> str:
    """`text` without C0 controls (bar tab and line ends) and DEL, recorded per line."""
    if not _CONTROL.search(text):
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        kept = _CONTROL.sub("", line)
        if kept != line:
            lines[number - 1] = kept
            changes.append(
                Change(
                    STAGE,
                    number,
                    line,
                    kept,
                    "control characters (NUL, ESC, DEL ...) removed",
                )
            )
    return "\n".join(lines)


def without_edge_blanks(text: str, changes: list[Change]) -> str:
    """`text` without the blanks that indent or trail its lines, which the layout
    removes (`\\xa0Â´` must not be repaired on one run and not on the next)."""
    lines = text.split("\n")
    stripped = [line.strip(EDGE_BLANKS) for line in lines]
    if stripped == lines:
        return text
    changes.append(Change.of_text(STAGE, "indentation and trailing blanks removed"))
    return "\n".join(stripped)
