"""The junk stage never hangs: each shape that once made it quadratic or worse (a rescan
per line, a nested pattern that backtracks on one long line) is cleaned at SIZE within a
deadline far beyond what linear work needs. How fast it is, and that it grows linearly,
is measured by the benchmarks (benchmarks/bench_junk.py section 6, bench_adversarial.py),
not here: a test that compared times would fail on a loaded machine."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SIZE = 256 * 1024
# Every shape together takes under 2 s here at SIZE; before the fixes one shape alone
# took 100 s at half of it (a cut-off tag before spaces). The shapes run in a worker
# process stopped after the deadline: a pattern that backtracks hangs in C, where no
# signal reaches it.
DEADLINE_SECONDS = 120.0

WORKER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from bench_junk import SPEED_SHAPES
from textmend.junk import remove_junk
for name, make in SPEED_SHAPES.items():
    remove_junk(make(int(sys.argv[2])), [])
    print(json.dumps(name), flush=True)
"""


def _shape_names() -> list[str]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return sorted(importlib.import_module("bench_junk").SPEED_SHAPES)
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def finished() -> set[str]:
    """The shapes cleaned before the deadline."""
    command = [sys.executable, "-c", WORKER, str(BENCHMARKS), str(SIZE)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as worker:
        try:
            out, _ = worker.communicate(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, _ = worker.communicate()
    return {json.loads(line) for line in out.splitlines() if line.strip()}


@pytest.mark.parametrize("name", _shape_names())
def test_junk_stage_does_not_hang_on(name: str, finished: set[str]) -> None:
    assert name in finished, f"not done within {DEADLINE_SECONDS} s"
