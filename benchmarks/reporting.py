"""Shared by the benchmark scripts: tables printed as Markdown that also read well in a
terminal (so that figures can be pasted into the README and docs/ as measured), the command-line
parser they all take, the guard around measured tools, the clean corpora they share, and
the digest of the package that says which version was measured."""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar


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


DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"


def parser(doc: str | None, quick: str) -> argparse.ArgumentParser:
    """--quick (a smoke run, `quick` says what is smaller) and --shared PATH."""
    made = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    made.add_argument("--quick", action="store_true", help=quick)
    made.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"shared folder (default {DEFAULT_SHARED})",
    )
    return made


def digest(root: Path) -> str:
    """Short SHA-1 over the names and bytes of the package's files."""
    sha = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:12]


def finish(package: Path, measured: str, started: float) -> int:
    """The closing lines of a run: a warning if the package changed while it was being
    measured, and the time taken. Returns the exit status, 0."""
    if digest(package) != measured:
        print("\nwarning: textmend's files changed during the run; figures may mix two versions")
    print(f"\ntotal time {time.perf_counter() - started:.0f} s")
    return 0


In = TypeVar("In")
Out = TypeVar("Out")


@dataclass
class Guard:
    """Counts the exceptions each measured tool raises, instead of crashing the run; a
    failed call gives `fallback(input)` (the input unchanged, or no answer)."""

    counts: Counter[str] = field(default_factory=Counter)
    first: dict[str, str] = field(default_factory=dict)

    def wrap(
        self, name: str, tool: Callable[[In], Out], fallback: Callable[[In], Out]
    ) -> Callable[[In], Out]:
        def run(given: In) -> Out:
            try:
                return tool(given)
            except Exception as err:
                self.counts[name] += 1
                self.first.setdefault(name, f"{type(err).__name__}: {err}")
                return fallback(given)

        return run

    def print_failures(self, effect: str) -> None:
        """One line per tool that raised: how often, what its failed calls were taken
        as (`effect`), and the first exception."""
        for name, count in self.counts.items():
            print(f"\n{name} raised {count} exceptions ({effect}); first: {self.first[name]}")


def unchanged(text: str) -> str:
    """A failed call's output when the tool is taken to have changed nothing."""
    return text


def load_clean(shared: Path) -> dict[str, list[str]]:
    """Documents of the clean corpora: zh_hans, zh_hant, ja (JSONL `text`), ko (ko_law/*.txt)."""
    root = shared / "corpora" / "clean"
    docs: dict[str, list[str]] = {}
    for key, name in (("zh_hans", "zh_hans_wiki"), ("zh_hant", "zh_hant_wiki"), ("ja", "ja_wiki")):
        with (root / f"{name}.jsonl").open(encoding="utf-8") as handle:
            docs[key] = [json.loads(line)["text"] for line in handle if line.strip()]
    docs["ko"] = [p.read_text(encoding="utf-8") for p in sorted((root / "ko_law").rglob("*.txt"))]
    return docs
