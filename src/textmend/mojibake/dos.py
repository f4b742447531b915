"""Legacy CJK bytes read as a DOS code page: names of files in archives, which unzip
reads as cp437 (or the system's OEM page, cp850) where the archive does not flag them
as UTF-8 (`Ä×èÈÄÄî▒è¤ô_üiâAâjâüâpâXüj_10òb.png` is 時間試験観点（アニメパス）_10秒.png).

A line is read whole, strictly: its characters must be one DOS code page's, their
bytes one CJK codec's, and the reading must be common CJK text that reads better than
the line by MARGIN nats. (A DOS page and cp1252 share most accented letters at other
bytes, so the runs the Latin-1 search finds are no evidence here.)
"""

from __future__ import annotations

from .base import MARGIN, Fix
from .latin import MIN_CJK_GLUED, _cheapest_reading, _latin_cost

DOS_PAGES = ("cp437", "cp850")
DOS_TARGETS = ("cp932", "gbk", "big5", "euc_kr")


def dos_line_fix(line: str) -> Fix | None:
    """The line as CJK bytes read with a DOS code page, if that reading is clearly
    better than the line; None otherwise."""
    if line.isascii():
        return None
    pairs = [(page, target) for page in DOS_PAGES for target in DOS_TARGETS]
    best = _cheapest_reading(line, pairs, letters_needed=MIN_CJK_GLUED)
    if best is None or best[0] + MARGIN >= _latin_cost(line):
        return None
    _, decoded, kind = best
    return Fix(0, len(line), line, decoded, kind.how, kind.wrong, kind)
