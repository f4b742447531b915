"""The junk stage takes time in proportion to its input: on each shape that once made it
quadratic or could (a rescan per line, a nested pattern on one long line), four times the
input takes about four times as long, not sixteen (benchmarks/bench_junk.py, section 6,
measures s/MB and the growth per doubling)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SMALL = 64 * 1024
LARGE = 4 * SMALL
# Linear work grows 4x from SMALL to LARGE, quadratic 16x; SLACK absorbs timer noise on
# times of a few milliseconds. The shapes run in a worker process stopped after DEADLINE:
# a pattern that backtracks hangs in C, where no signal reaches it (a cut-off tag before
# spaces took 100 s at 128 KB before its pattern was fixed).
MAX_GROWTH = 8.0
SLACK_SECONDS = 0.05
DEADLINE_SECONDS = 120.0

WORKER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from bench_junk import SPEED_SHAPES
from textmend.junk import remove_junk
for name, make in SPEED_SHAPES.items():
    remove_junk(make(1024))
    seconds = []
    for size in map(int, sys.argv[2:]):
        text = make(size)
        start = time.perf_counter()
        remove_junk(text, [])
        seconds.append(time.perf_counter() - start)
    print(json.dumps([name, *seconds]), flush=True)
"""


def _shape_names() -> list[str]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return sorted(importlib.import_module("bench_junk").SPEED_SHAPES)
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def timings() -> dict[str, tuple[float, float]]:
    """Seconds for SMALL and LARGE, per shape that finished before the deadline."""
    command = [sys.executable, "-c", WORKER, str(BENCHMARKS), str(SMALL), str(LARGE)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as worker:
        try:
            out, _ = worker.communicate(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, _ = worker.communicate()
    rows = (json.loads(line) for line in out.splitlines() if line.strip())
    return {name: (small, large) for name, small, large in rows}


@pytest.mark.parametrize("name", _shape_names())
def test_junk_stage_is_linear_on(name: str, timings: dict[str, tuple[float, float]]) -> None:
    assert name in timings, f"not done within {DEADLINE_SECONDS} s"
    small, large = timings[name]
    assert large <= MAX_GROWTH * small + SLACK_SECONDS, (small, large)
