"""Shared by the benchmark scripts: tables printed as Markdown that also read well in a
terminal, so that figures can be pasted into the README as measured."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def print_table(title: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A Markdown table, padded so that it also reads well in a terminal."""
    body = [list(headers), *([str(cell) for cell in row] for row in rows)]
    widths = [max(len(row[i]) for row in body) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [cells[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * widths[0]] + ["-" * (w - 1) + ":" for w in widths[1:]]
    print(f"\n{title}\n")
    print(line(body[0]))
    print("|" + "|".join(f" {r} " for r in rule) + "|")
    for row in body[1:]:
        print(line(row))
