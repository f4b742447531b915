"""The output layout: `\\n` line ends, no indentation or trailing blanks, one blank
line between paragraphs (each non-empty line is a paragraph), a final newline."""

from __future__ import annotations

import re

from .options import Options
from .result import Change, Fixed

STAGE = "layout"

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Blanks that indent or trail a line: the ideographic space U+3000 that indents
# Chinese paragraphs included, plus zero-width ones that str.strip() keeps.
EDGE_BLANKS = (
    "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
)


def apply_layout(text: str, changes: list[Change] | None = None) -> str:
    """Put `text` into the output layout; an empty document stays empty."""
    paragraphs = [line.strip(EDGE_BLANKS) for line in _LINE_BREAKS.sub("\n", text).split("\n")]
    laid_out = "\n\n".join(p for p in paragraphs if p)
    laid_out = laid_out + "\n" if laid_out else ""
    if changes is not None and laid_out != text:
        changes.append(
            Change.of_text(
                STAGE,
                "line ends, indentation and blank lines normalised; "
                "one blank line between paragraphs",
            )
        )
    return laid_out


def fix(text: str, options: Options) -> Fixed:
    """The pipeline's last step (`textmend.pipeline.Stage`)."""
    changes: list[Change] = []
    return Fixed(apply_layout(text, changes), changes)
