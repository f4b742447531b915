"""Decoding speed of several versions of textmend, measured in one process.

The machine's speed varies by a third from run to run (other work on its two cores), so
two versions timed in separate runs cannot be compared to a few per cent. Here each
version's `src/textmend` (from `git archive`, or the working tree for `work`) is copied
under its own package name (`tm_0`, `tm_1` ...; every `textmend` in its Python files
renamed, so that its codec error handlers do not clash), all are imported into one
process, and their runs alternate, round by round, on the same files: whatever the
machine does, it does to every version alike. Printed per version: MB/s on the legacy
labelled files of the shared corpus with their charset declarations removed (as
bench_decode's speed row), best and median of the rounds, and the milliseconds the
small files (under 5 kB, where the fixed cost of each file shows) take.

    python benchmarks/bench_versions.py bf9ae70 HEAD work --rounds 7
"""

from __future__ import annotations

import contextlib
import importlib
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench_decode import load_corpus, undeclared
from reporting import parser, print_table

ROOT = Path(__file__).resolve().parents[1]
SMALL_FILE = 5_000  # bytes: below this a file's fixed cost dominates


def copy_version(version: str, index: int, into: Path) -> str:
    """Copy `version`'s package into `into` as `tm_<index>`; its module name."""
    name = f"tm_{index}"
    target = into / name
    if version == "work":
        source_files = {
            path.relative_to(ROOT / "src" / "textmend"): path.read_bytes()
            for path in (ROOT / "src" / "textmend").rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        }
    else:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", version, "src/textmend"],
            check=True,
            capture_output=True,
        ).stdout
        source_files = {}
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            for member in tar.getmembers():
                extracted = tar.extractfile(member) if member.isfile() else None
                if extracted is not None:
                    source_files[Path(member.name).relative_to("src/textmend")] = extracted.read()
    for relative, data in source_files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".py":
            data = data.replace(b"textmend", name.encode())
        path.write_bytes(data)
    return name


def timed(decode: Callable[[bytes], object], files: Sequence[bytes]) -> float:
    started = time.process_time()
    for data in files:
        with contextlib.suppress(Exception):  # binary input is refused by design
            decode(data)
    return time.process_time() - started


def main(argv: Sequence[str] | None = None) -> int:
    made = parser(__doc__, "three rounds")
    made.add_argument("versions", nargs="+", help="git revisions, or `work` for the working tree")
    made.add_argument("--rounds", type=int, default=7)
    args = made.parse_args(argv)
    rounds = 3 if args.quick else args.rounds
    files = [
        undeclared(f)
        for f in load_corpus(args.shared)
        if not f.truth.startswith("utf") and f.truth != "ascii"
    ]
    if not files:
        print(f"bench_versions: no labelled files under {args.shared}, nothing to measure")
        return 0
    small = [data for data in files if len(data) < SMALL_FILE]
    size = sum(map(len, files))
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, folder)
        names = [copy_version(v, i, Path(folder)) for i, v in enumerate(args.versions)]
        decoders = [importlib.import_module(f"{name}.decode").decode for name in names]
        for decode in decoders:  # tables loaded, caches warm
            timed(decode, files)
        whole: list[list[float]] = [[] for _ in decoders]
        fixed: list[list[float]] = [[] for _ in decoders]
        for _ in range(rounds):
            for i, decode in enumerate(decoders):
                whole[i].append(timed(decode, files))
                fixed[i].append(timed(decode, small))
    print(f"{len(files)} legacy files ({size / 1e6:.2f} MB, {len(small)} under {SMALL_FILE} bytes)")
    rows = [
        (
            version,
            f"{size / min(times) / 1e6:.2f}",
            f"{size / statistics.median(times) / 1e6:.2f}",
            f"{min(small_times) * 1e3:.0f}",
            f"{statistics.median(small_times) * 1e3:.0f}",
        )
        for version, times, small_times in zip(args.versions, whole, fixed, strict=True)
    ]
    headers = ("version", "MB/s, best", "MB/s, median", "small files ms, best", "median")
    print_table(f"Legacy decoding, {rounds} alternating rounds, one process", headers, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
