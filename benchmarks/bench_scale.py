"""Scale: a JSONL corpus through `textmend --jsonl -j 1`, `-j 2` and a Dask LocalCluster.

Run: .venv/bin/python benchmarks/bench_scale.py [--quick] [--sizes 50,200]
Inputs: the clean corpora of ../shared (zh_hans_wiki, zh_hant_wiki, ja_wiki JSONL),
repeated into corpora of each size (MB) in a temporary folder. Printed per size and
way: seconds, MB/s, MB/s per core used, and the peak memory of the whole process
tree (the command and its workers, or the cluster's scheduler, nanny and worker
processes), sampled every 0.1 s: flat across sizes when memory is bounded. The
outputs of every way are compared with `-j 1`'s, record by record.
Without the corpora (or without Dask, for the cluster rows) it says so and skips.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

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


def run_command(corpus: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Seconds and peak memory of `textmend --jsonl -j jobs`."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(TEXTMEND), "--jsonl", str(corpus), "-o", str(out), "-j", str(jobs)],
        stderr=subprocess.DEVNULL,
    )
    memory = PeakMemory(process.pid)
    process.wait()
    return time.perf_counter() - started, memory.stop()


def run_cluster(corpus: Path, out: Path) -> tuple[float, int] | None:
    """Seconds and peak memory of the corpus through `textmend.dask.clean_bag` on a
    LocalCluster of two single-threaded worker processes (its start not counted)."""
    try:
        import dask.bag as db
        from distributed import Client, LocalCluster
    except ImportError:
        return None
    from textmend.dask import clean_bag

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        memory = PeakMemory(os.getpid())
        started = time.perf_counter()
        records = db.read_text(str(corpus), blocksize="16MiB").map(json.loads)
        cleaned = clean_bag(records, field="text")
        cleaned.map(json.dumps, ensure_ascii=False).to_textfiles(str(out / "part-*.jsonl"))
        seconds = time.perf_counter() - started
        peak = memory.stop()
        client.close()
    return seconds, peak


def same_records(reference: Path, others: Sequence[Path]) -> bool:
    """Whether the JSONL files hold the same records in the same order."""

    def records(paths: Sequence[Path]) -> list[object]:
        return [json.loads(line) for path in paths for line in path.read_bytes().splitlines()]

    return records([reference]) == records(others)


def main(argv: Sequence[str] | None = None) -> int:
    made = parser(__doc__, "corpora of 5 and 20 MB")
    made.add_argument("--sizes", default="50,200", help="corpus sizes in MB (default 50,200)")
    args = made.parse_args(argv)
    sizes = [5, 20] if args.quick else [int(size) for size in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for megabytes in sizes:
            corpus = build_corpus(args.shared, megabytes, folder)
            if corpus is None:
                print(f"bench_scale: no clean corpora under {args.shared}, nothing to measure")
                return 0
            size = corpus.stat().st_size / 1e6
            reference = folder / f"out-{megabytes}-j1.jsonl"
            parallel = folder / f"out-{megabytes}-j2.jsonl"
            cluster = folder / f"out-{megabytes}-cluster"
            cluster.mkdir()
            ways: list[tuple[str, int, Callable[[], tuple[float, int] | None], list[Path]]] = [
                ("--jobs 1", 1, partial(run_command, corpus, reference, 1), [reference]),
                ("--jobs 2", 2, partial(run_command, corpus, parallel, 2), [parallel]),
                ("LocalCluster, 2 workers", 2, partial(run_cluster, corpus, cluster), []),
            ]
            for label, cores, measure, outputs in ways:
                measured = measure()
                if measured is None:
                    rows.append((f"{megabytes} MB", label, "n/a", "", "", "", ""))
                    continue
                seconds, peak = measured
                parts = cluster.glob("part-*.jsonl")
                outputs = outputs or sorted(parts, key=lambda part: int(part.stem.split("-")[1]))
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
    headers = ("corpus", "way", "seconds", "MB/s", "MB/s per core", "peak MB", "same as -j 1")
    print_table("JSONL corpus, clean field `text`", headers, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
