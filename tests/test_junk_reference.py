"""The hand-checked texts of ../shared magic_html, given as plain text, lose no line but
bylines, dates and credits (META): the junk stage judges a page's structure only where a
page shows its furniture, and removes only furniture (benchmarks/bench_junk.py, section 5)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module("bench_junk")
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_hand_checked_texts_lose_no_line_but_credits(shared: Path, bench: ModuleType) -> None:
    found = bench.reference_losses(shared / "corpora" / "html" / "magic_html")
    assert sum(found.lines.values()) > 5000  # all 109 texts, not only the Chinese ones
    unexpected = [f"{loss.id} {loss.label}: {loss.line[:60]}" for loss in found.unexpected()]
    assert unexpected == []


def test_listed_reference_furniture_stands_in_the_references(
    shared: Path, bench: ModuleType
) -> None:
    """Each exception names a line its hand-checked text really holds, and says why."""
    path = shared / "corpora" / "html" / "magic_html" / "ground_truth_docs.jsonl"
    with path.open(encoding="utf-8") as handle:
        texts = {row["id"]: row["text"] for row in map(json.loads, handle)}
    for (record, line), why in bench.reference_furniture().items():
        assert line in {text.strip() for text in texts[record].split("\n")}, (record, line)
        assert why
