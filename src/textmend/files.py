"""File handling for the CLI: finding inputs, mirroring paths, atomic writes."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True)
class Source:
    """One input: a file (with its path relative to the argument it came from) or stdin."""

    path: Path | None
    relative: Path | None = None

    @property
    def name(self) -> str:
        return "<stdin>" if self.path is None else str(self.path)

    def read(self) -> bytes:
        if self.path is None:
            return sys.stdin.buffer.read()
        return self.path.read_bytes()

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """A binary stream of the input, for reading line by line."""
        if self.path is None:
            yield sys.stdin.buffer
            return
        with self.path.open("rb") as handle:
            yield handle


def expand(arguments: list[str]) -> tuple[list[Source], bool]:
    """Sources for the PATH arguments (directories recursed, hidden entries skipped),
    and whether any argument was a directory."""
    sources: list[Source] = []
    saw_directory = False
    for argument in arguments:
        if argument == "-":
            sources.append(Source(None))
            continue
        path = Path(argument)
        if path.is_dir():
            saw_directory = True
            sources.extend(Source(file, file.relative_to(path)) for file in _walk(path))
        else:
            sources.append(Source(path, Path(path.name)))
    return sources, saw_directory


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        found.extend(Path(directory) / n for n in sorted(names) if not n.startswith("."))
    return found


class KeepOriginal(Exception):
    """Raise inside `atomic_writer` to drop the new content and leave `target` untouched
    (no replacement, no backup)."""


@contextmanager
def atomic_writer(
    target: Path, like: Path | None = None, backup_suffix: str | None = None
) -> Iterator[BinaryIO]:
    """A handle whose content replaces `target` only when the block ends without error,
    through a temporary file and a rename, so nobody ever sees half a file.

    `like` gives the permission bits to keep; without it an existing `target` keeps
    its own, and a new file gets the usual ones (0o666 less the umask).
    `backup_suffix` first copies the existing `target` to target+suffix.
    Raising `KeepOriginal` in the block discards the new content silently.
    """
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = _create_temporary(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        mode_from = like if like is not None else target
        if mode_from.exists():
            os.chmod(temporary, stat.S_IMODE(os.stat(mode_from).st_mode))
        if backup_suffix:
            shutil.copy2(target, target.with_name(target.name + backup_suffix))
        os.replace(temporary, target)
    except KeepOriginal:
        Path(temporary).unlink(missing_ok=True)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _create_temporary(target: Path) -> tuple[int, str]:
    """A new hidden `.NAME.<8 hex digits>.tmp` next to `target`, created with mode 0o666 so
    that the umask applies (tempfile.mkstemp would make every output 0o600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = str(target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp"))
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(target.parent))


def write_atomic(
    target: Path, data: bytes, like: Path | None = None, backup_suffix: str | None = None
) -> None:
    """Write `data` to `target` atomically (see `atomic_writer`)."""
    with atomic_writer(target, like, backup_suffix) as handle:
        handle.write(data)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
