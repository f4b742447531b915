"""Rebuild src/textmend/data/traditional_chars.txt and simplified_chars.txt.

The script stage asks of every Han character of a document whether it is
written differently in the other script; asking OpenCC one character at a time
costs more than the stage may spend on text it leaves alone, so the answer is
a set, loaded once.

Source: OpenCC's character tables (Apache-2.0, https://github.com/BYVoid/OpenCC),
through the opencc package: a character is listed when OpenCC `t2s` (for
traditional_chars.txt) or `s2t` (for simplified_chars.txt) converts it, alone,
to something else. Run: python scripts/build_script_chars.py (needs opencc).
"""

from __future__ import annotations

import pathlib

import opencc

OUT = pathlib.Path(__file__).resolve().parents[1] / "src" / "textmend" / "data"
# CJK Unified Ideographs, Extension A and the compatibility block.
RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
PER_LINE = 50


def changed_by(config: str) -> list[str]:
    chars = [chr(code) for low, high in RANGES for code in range(low, high + 1)]
    # One character a line, so that no two form a phrase of the conversion table.
    converted = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
    assert len(converted) == len(chars)
    return [char for char, out in zip(chars, converted, strict=True) if out != char]


def write(name: str, chars: list[str], config: str) -> None:
    header = (
        f"# Han characters that OpenCC {config} converts, alone, to something else.\n"
        f"# Built by scripts/build_script_chars.py from OpenCC {opencc.__version__} "
        "(Apache-2.0). Do not edit by hand.\n"
    )
    rows = ["".join(chars[i : i + PER_LINE]) for i in range(0, len(chars), PER_LINE)]
    (OUT / name).write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{name}: {len(chars)} characters")


def main() -> None:
    write("traditional_chars.txt", changed_by("t2s"), "t2s")
    write("simplified_chars.txt", changed_by("s2t"), "s2t")


if __name__ == "__main__":
    main()
