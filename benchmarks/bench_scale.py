"""Scale: a JSONL corpus through `textmend --jsonl -j 1`, `-j 2` and a Dask LocalCluster,
then textmend per core against the careful chain (`bench_chain.py`), in one run.

Run: .venv/bin/python benchmarks/bench_scale.py [--quick] [--sizes 50,100,200] [--rounds 5]
Inputs: the clean corpora of ../shared (zh_hans_wiki, zh_hant_wiki, ja_wiki JSONL),
repeated into corpora of each size (MB) in a temporary folder. Every way runs as its own
process tree (the command and its workers; a script that starts a LocalCluster of two
single-threaded worker processes and cleans the corpus with `textmend.dask.clean_bag`,
the cluster's start not timed), whose summed RSS is sampled every 0.1 s: its peak is
flat across sizes when memory is bounded. Printed per size and way: seconds, MB/s, MB/s
per core used, peak memory, and whether the output holds the records of `-j 1`'s, in
order (compared line by line). On the middle size, -j 1 and -j 2 run `--rounds` times,
alternating, and the speed-up is the ratio of their medians (this machine's speed moves
between runs). The timed processes run with Python's bytecode cache on, as an
installed package does (`installed`), after an untimed run that writes it. Without the
corpora (or without Dask, for the cluster rows) it says so and skips.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from itertools import zip_longest
from pathlib import Path
from statistics import median

from reporting import parser, print_table

ROOT = Path(__file__).resolve().parents[1]
TEXTMEND = Path(sys.executable).with_name("textmend")
CORPORA = ("zh_hans_wiki", "zh_hant_wiki", "ja_wiki")
SAMPLE_EVERY = 0.1  # seconds between memory samples


def build_corpus(shared: Path, megabytes: int, folder: Path) -> Path | None:
    """The clean corpora's records repeated up to `megabytes` MB of JSONL."""
    lines = [
        line
        for name in CORPORA
        if (shared / "corpora" / "clean" / f"{name}.jsonl").exists()
        for line in (shared / "corpora" / "clean" / f"{name}.jsonl").read_bytes().splitlines()
    ]
    if not lines:
        return None
    path = folder / f"corpus-{megabytes}.jsonl"
    target, size = megabytes * 1_000_000, 0
    with path.open("wb") as out:
        while size < target:
            for line in lines:
                out.write(line + b"\n")
                size += len(line) + 1
                if size >= target:
                    break
    return path


class PeakMemory:
    """The peak summed RSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        import psutil

        while not self.done.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
                total = 0
                for process in tree:
                    with contextlib.suppress(psutil.Error):  # it may end meanwhile
                        total += process.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                return
            self.done.wait(SAMPLE_EVERY)

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


def installed() -> dict[str, str]:
    """The environment for the timed processes: Python's bytecode cache on, as in any
    installed package (pip compiles it), even where the caller turned it off
    (PYTHONDONTWRITEBYTECODE): every process, worker processes included, would
    otherwise compile textmend's modules from source as it imports them."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run_command(corpus: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Seconds and peak memory of `textmend --jsonl -j jobs`."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(TEXTMEND), "--jsonl", str(corpus), "-o", str(out), "-j", str(jobs)],
        stderr=subprocess.DEVNULL,
        env=installed(),
    )
    memory = PeakMemory(process.pid)
    process.wait()
    return time.perf_counter() - started, memory.stop()


def run_cluster(corpus: Path, out: Path) -> tuple[float, int] | None:
    """Seconds (the cluster's start not counted) and peak memory of the corpus through
    `clean_bag` on a LocalCluster, run in a process of its own (`--cluster-worker`)."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        return None
    process = subprocess.Popen(
        [sys.executable, __file__, "--cluster-worker", str(corpus), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=installed(),
    )
    memory = PeakMemory(process.pid)
    stdout, _ = process.communicate()
    peak = memory.stop()
    if process.returncode != 0:
        return None
    return float(stdout.decode().split()[-1]), peak


def cluster_worker(corpus: str, out: str) -> int:
    """In its own process: the corpus through `clean_bag` on a LocalCluster; prints the
    seconds the cleaning took."""
    import dask.bag as db
    from distributed import Client, LocalCluster

    from textmend.dask import clean_bag

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        started = time.perf_counter()
        records = db.read_text(corpus, blocksize="16MiB").map(json.loads)
        cleaned = clean_bag(records, field="text")
        cleaned.map(json.dumps, ensure_ascii=False).to_textfiles(str(Path(out) / "part-*.jsonl"))
        print(time.perf_counter() - started)
    return 0


def same_records(reference: Path, others: Sequence[Path]) -> bool:
    """Whether the JSONL files hold the same records in the same order (read line by
    line: the comparison must not hold a corpus in this process's memory)."""

    def records(paths: Sequence[Path]) -> Iterator[object]:
        for path in paths:
            with path.open("rb") as handle:
                yield from map(json.loads, handle)

    missing = object()
    return all(
        a == b for a, b in zip_longest(records([reference]), records(others), fillvalue=missing)
    )


def main(argv: Sequence[str] | None = None) -> int:
    made = parser(__doc__, "corpora of 5, 10 and 20 MB, one round, the chain's quick run")
    made.add_argument("--sizes", default="50,100,200", help="corpus sizes in MB")
    made.add_argument("--rounds", type=int, default=5, help="-j 1/-j 2 runs on the middle size")
    made.add_argument("--cluster-worker", nargs=2, help=argparse.SUPPRESS)
    args = made.parse_args(argv)
    if args.cluster_worker:
        return cluster_worker(*args.cluster_worker)
    sizes = [5, 10, 20] if args.quick else [int(size) for size in args.sizes.split(",")]
    rounds = 1 if args.quick else args.rounds
    middle = sizes[len(sizes) // 2]
    rows, speeds = [], {}
    rounds_of: dict[str, list[float]] = {"--jobs 1": [], "--jobs 2": []}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        warm = build_corpus(args.shared, 1, folder)
        if warm is not None:  # untimed: the bytecode cache written (`installed`)
            run_command(warm, folder / "warm.jsonl", 2)
        for megabytes in sizes:
            corpus = build_corpus(args.shared, megabytes, folder)
            if corpus is None:
                print(f"bench_scale: no clean corpora under {args.shared}, nothing to measure")
                return 0
            size = corpus.stat().st_size / 1e6
            reference = folder / "out-j1.jsonl"
            parallel = folder / "out-j2.jsonl"
            cluster = folder / f"out-{megabytes}-cluster"
            cluster.mkdir()
            times: dict[str, list[float]] = {"--jobs 1": [], "--jobs 2": []}
            peaks: dict[str, int] = {}
            for _ in range(rounds if megabytes == middle else 1):
                for label, jobs, out in (("--jobs 1", 1, reference), ("--jobs 2", 2, parallel)):
                    seconds, peak = run_command(corpus, out, jobs)
                    times[label].append(seconds)
                    peaks[label] = max(peaks.get(label, 0), peak)
            if megabytes == middle:
                rounds_of = times
            measured = run_cluster(corpus, cluster)
            parts = sorted(cluster.glob("part-*.jsonl"), key=lambda part: int(part.stem[5:]))
            ways: list[tuple[str, int, float | None, int, list[Path]]] = [
                ("--jobs 1", 1, median(times["--jobs 1"]), peaks["--jobs 1"], [reference]),
                ("--jobs 2", 2, median(times["--jobs 2"]), peaks["--jobs 2"], [parallel]),
                ("LocalCluster, 2 workers", 2, *(measured or (None, 0)), parts),
            ]
            for label, cores, seconds, peak, outputs in ways:
                if seconds is None:
                    rows.append((f"{size:.0f} MB", label, "n/a", "", "", "", ""))
                    continue
                speeds[megabytes, label] = seconds
                same = "yes" if same_records(reference, outputs) else "NO"
                rows.append(
                    (
                        f"{size:.0f} MB",
                        label,
                        f"{seconds:.1f}",
                        f"{size / seconds:.2f}",
                        f"{size / seconds / cores:.2f}",
                        f"{peak / 1e6:.0f}",
                        same,
                    )
                )
            shutil.rmtree(cluster)
    headers = ("corpus", "way", "seconds", "MB/s", "MB/s per core", "peak MB", "same as -j 1")
    print_table("JSONL corpus, clean field `text`", headers, rows)
    serial, two = speeds.get((middle, "--jobs 1")), speeds.get((middle, "--jobs 2"))
    if serial and two:
        pairs = [a / b for a, b in zip(rounds_of["--jobs 1"], rounds_of["--jobs 2"], strict=True)]
        print(
            f"\n-j 2 speed-up on {middle} MB: {serial / two:.2f}x "
            f"(medians of {rounds} alternating runs of each; round by round "
            f"{min(pairs):.2f}-{max(pairs):.2f}x)"
        )
    import bench_chain

    return bench_chain.main(["--shared", str(args.shared), *(["--quick"] if args.quick else [])])


if __name__ == "__main__":
    sys.exit(main())
