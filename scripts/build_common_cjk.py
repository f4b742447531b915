"""Rebuild src/textmend/data/common_cjk.txt: the characters that some CJK table of
decoding's language model (zh_hans, zh_hant, ja, ko in data/charfreq) prices at
mojibake.cjk.RARE_PER_CHAR nats or less.

Repair looks for CJK mojibake from the first character that is in none of them; the
set, derived at run time, cost a process 46 ms of table loading on its first
document (most of a small file's start-up when the text is clean). Derived from
data/charfreq/*.tsv, so CC BY-SA 4.0 as they are. A test checks that the file is
what this script would write. Run: python scripts/build_common_cjk.py (after
scripts/build_charfreq.py).
"""

from __future__ import annotations

import pathlib

from textmend import langmodel
from textmend.mojibake.base import CJK_GROUPS
from textmend.mojibake.cjk import RARE_PER_CHAR

OUT = pathlib.Path(__file__).resolve().parents[1] / "src" / "textmend" / "data"
PER_LINE = 50


def common_chars() -> list[str]:
    return sorted(
        {c for g in CJK_GROUPS for c, cost in langmodel.table(g).items() if cost <= RARE_PER_CHAR}
    )


def contents() -> str:
    chars = common_chars()
    header = (
        f"# Characters some table of {', '.join(CJK_GROUPS)} prices at {RARE_PER_CHAR} "
        "nats or less.\n"
        "# Built by scripts/build_common_cjk.py from data/charfreq (CC BY-SA 4.0). "
        "Do not edit by hand.\n"
    )
    rows = ["".join(chars[i : i + PER_LINE]) for i in range(0, len(chars), PER_LINE)]
    return header + "\n".join(rows) + "\n"


def main() -> None:
    text = contents()
    (OUT / "common_cjk.txt").write_text(text, encoding="utf-8")
    print(f"common_cjk.txt: {len(common_chars())} characters")


if __name__ == "__main__":
    main()
