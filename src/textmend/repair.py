"""Repair mojibake: text that was decoded with the wrong codec.

ftfy does the Latin cases. It is configured so that clean CJK text is never
touched (see README, "ftfy and CJK"): no width folding, no quote uncurling, no
normalisation, and none of the heuristics that rewrite GBK-as-latin-1 strings
into something that can no longer be reversed. Only lines that ftfy's own
badness measure flags are handed to it, which is both faster and safer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .result import Change

if TYPE_CHECKING:
    import ftfy

STAGE = "repair"

# Every single-byte decoding that ftfy undoes turns UTF-8 lead bytes into one of
# these (Latin-1 and Latin extended, Greek, Cyrillic, MacRoman's math signs,
# cp437's box drawing). Text with none of them, apart from the · × ° that
# Chinese uses, has nothing for ftfy to do: checked on ftfy's own test cases.
_SUSPECT = re.compile(
    r"[\u0080-\u00af\u00b1-\u00b6\u00b8-\u00d6\u00d8-\u04ff\u2200-\u22ff\u2500-\u25ff]"
)


@lru_cache(maxsize=1)
def _config() -> ftfy.TextFixerConfig:
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=False,
        fix_c1_controls=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )


def repair_mojibake(text: str, changes: list[Change] | None = None) -> str:
    """Undo wrong-codec decoding line by line, recording each repaired line."""
    from ftfy import fix_and_explain
    from ftfy.badness import is_bad

    if not _SUSPECT.search(text) or not is_bad(text):
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not _SUSPECT.search(line) or not is_bad(line):
            continue
        fixed, steps = fix_and_explain(line, config=_config())
        if fixed == line:
            continue
        lines[number - 1] = fixed
        if changes is not None:
            how = ", ".join(f"{action} {arg}" for action, arg in steps or [])
            changes.append(Change(STAGE, number, line, fixed, f"mojibake ({how})"))
    return "\n".join(lines)
