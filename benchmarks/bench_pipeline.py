"""Throughput of each stage and of the whole pipeline, and CLI start-up time.

Run: make bench   (or .venv/bin/python benchmarks/bench_pipeline.py)
Inputs: the bundled sample page, and the clean corpora of ../shared when present.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import textmend
from textmend.decode import decode
from textmend.junk import remove_junk
from textmend.layout import apply_layout
from textmend.markup import strip_markup
from textmend.punctuation import restore_punctuation
from textmend.repair import repair_mojibake
from textmend.script import restore_script

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT.parent / "shared" / "corpora" / "clean"


def _inputs() -> dict[str, list[str]]:
    sample = (ROOT / "samples" / "spam_page_zh.txt").read_text(encoding="utf-8")
    inputs = {"spam sample x50": [sample] * 50}
    for name in ("zh_hans_wiki", "zh_hant_wiki", "ja_wiki"):
        path = CLEAN / f"{name}.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                inputs[f"clean {name}"] = [json.loads(line)["text"] for line in handle]
    return inputs


def _rate(function: Callable[[str], object], docs: list[str], repeat: int = 3) -> float:
    """Best MB/s (of UTF-8 input) over `repeat` runs."""
    size = sum(len(d.encode("utf-8")) for d in docs)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for doc in docs:
            function(doc)
        best = min(best, time.perf_counter() - start)
    return size / best / 1e6


def _startup(args: list[str], runs: int = 10) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    stages: dict[str, Callable[[str], object]] = {
        "decode (bytes)": lambda d: decode(d.encode("utf-8")),
        "repair": repair_mojibake,
        "markup": strip_markup,
        "script": restore_script,
        "punctuation": restore_punctuation,
        "junk": remove_junk,
        "layout": apply_layout,
        "whole pipeline": textmend.clean,
    }
    inputs = _inputs()
    textmend.clean("預熱(rè)")  # load lazily imported modules before timing
    names = list(inputs)
    print("MB/s, best of 3, one core")
    print(f"{'stage':<16}" + "".join(f"{n:>22}" for n in names))
    for stage, function in stages.items():
        print(f"{stage:<16}" + "".join(f"{_rate(function, inputs[n]):>22.1f}" for n in names))
    exe = Path(sys.executable).with_name("textmend")
    sample = ROOT / "samples" / "spam_page_zh.txt"
    print()
    print(f"start-up, textmend --version: {_startup([str(exe), '--version']):.0f} ms")
    print(f"one run on the sample page:   {_startup([str(exe), str(sample)]):.0f} ms")


if __name__ == "__main__":
    main()
