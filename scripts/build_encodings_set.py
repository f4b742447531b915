"""Rebuild benchmarks/data/encodings/<codec>/*: the labelled legacy-encoding files.

The files are byte-exact copies out of public repositories (manifest.csv: `file`, `source`
repository, `commit`, `path`, `sha1`; the README says why each source was taken). They are
not committed to this project: taken from fetched repositories, they belong in the steering
repository's shared/ if anywhere, so each machine builds its copy from the sources with this
script. benchmarks/codec_sets.py reads the copy in benchmarks/data/encodings (git-ignored).

Run: python scripts/build_encodings_set.py MIRRORS
(MIRRORS: a directory holding a git clone or bare mirror of each source repository, named
`owner+name`, its git directory at `repo/.git`, `repo`, `.git` or itself inside, as the
project's fetch tool lays them out in /work/.mirror; git must be on PATH.) Each file is
checked against its manifest sha1; a missing source or a mismatch is reported and the file
skipped, the others are built.
"""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "encodings"


def git_dir(mirrors: Path, source: str) -> Path | None:
    base = mirrors / source.replace("/", "+")
    for candidate in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (candidate / "HEAD").exists():
            return candidate
    return None


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    mirrors = Path(argv[0])
    with (OUT / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    built = failed = 0
    for row in rows:
        repo = git_dir(mirrors, row["source"])
        if repo is None:
            print(f"no copy of {row['source']}: {row['file']} skipped")
            failed += 1
            continue
        shown = subprocess.run(
            ["git", "--git-dir", str(repo), "show", f"{row['commit']}:{row['path']}"],
            capture_output=True,
        )
        data = shown.stdout
        if shown.returncode or hashlib.sha1(data).hexdigest() != row["sha1"]:
            print(f"{row['file']}: not found at {row['commit']} or sha1 differs; skipped")
            failed += 1
            continue
        target = OUT / row["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        built += 1
    print(f"{built} files built, {failed} skipped, in {OUT}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
