"""File handling for the CLI: finding inputs, mirroring paths, safe writes.

How an output reaches its place (see `atomic_writer`):
- a new file, or an existing regular file with one link and an owner we can keep,
  is replaced atomically: a temporary file next to it, then a rename;
- an existing file with several hard links, or whose owner cannot be kept (a file of
  another user, written by a non-root user), is rewritten through its own inode once
  the new content is complete in the temporary file, from which it is copied;
  the original is kept aside until the copy has succeeded and put back if it fails;
- a character device, FIFO or socket (`-o /dev/null`, `-o pipe`) is written directly:
  it is never replaced by a regular file.
Temporary files are named `.NAME.textmend-PID-RANDOM.tmp` (RANDOM: 8 hex digits); a
later run removes those of dead processes from the directories it writes to.
"""

from __future__ import annotations

import errno
import filecmp
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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
        """A binary stream of the input, for reading line by line or block by block."""
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


def backup_of(path: Path, suffix: str) -> Path | None:
    """The file that `path` is the backup of (PATH+suffix next to an existing PATH), or None."""
    if not path.name.endswith(suffix) or len(path.name) == len(suffix):
        return None
    original = path.with_name(path.name[: -len(suffix)])
    return original if original.is_file() else None


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


class KeepOriginal(Exception):
    """Raise inside `atomic_writer` to drop the new content and leave `target` untouched
    (no replacement, no backup)."""


class BackupExists(OSError):
    """The backup name is taken by a file that differs from the current original: an
    earlier run's backup, which is never overwritten."""


@contextmanager
def atomic_writer(target: Path, backup_suffix: str | None = None) -> Iterator[BinaryIO]:
    """A handle whose content replaces `target` only when the block ends without error,
    so nobody ever sees half a file (see the module docstring for the three ways).

    An existing `target` keeps its permission bits and owner (chown needs root when
    the owner is another user); a new file gets the usual mode (0o666 less the umask).
    `backup_suffix` first copies the existing `target` to target+suffix, refusing
    (BackupExists) when that name holds something else.
    Raising `KeepOriginal` in the block discards the new content silently.
    """
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        if backup_suffix:
            raise OSError(errno.EINVAL, "not a regular file", str(target))
        with suppress(KeepOriginal), open(target, "wb") as handle:  # a device or a pipe
            yield handle
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    fd, temporary = _create_temporary(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        backup = _back_up(target, backup_suffix, existing) if backup_suffix else None
        if existing is not None and not _takes_the_place_of(temporary, existing):
            _write_through(temporary, target, backup)
        else:
            os.replace(temporary, target)
    except KeepOriginal:
        Path(temporary).unlink(missing_ok=True)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _takes_the_place_of(temporary: str, existing: os.stat_result) -> bool:
    """Give `temporary` the owner and mode of the file it is to replace; False when a
    rename would break hard links or change the owner (then write through the inode)."""
    if existing.st_nlink > 1:
        return False
    mine = os.stat(temporary)
    if (mine.st_uid, mine.st_gid) != (existing.st_uid, existing.st_gid):
        try:
            os.chown(temporary, existing.st_uid, existing.st_gid)
        except (OSError, AttributeError):  # not root, or no chown (Windows)
            return False
    os.chmod(temporary, stat.S_IMODE(existing.st_mode))  # after chown, which clears setuid
    return True


def _write_through(temporary: str, target: Path, backup: Path | None) -> None:
    """Copy the complete new content into `target`'s own inode. The original is kept
    aside first (the backup, or a hidden `.keep` copy) and copied back if writing fails;
    if even that fails, the error names the copy, which is then left in place."""
    keep = backup
    if keep is None:
        fd, name = _create_temporary(target, "keep")
        os.close(fd)
        keep = Path(name)
        try:
            shutil.copyfile(target, keep)
        except BaseException:
            keep.unlink(missing_ok=True)
            raise
    try:
        _copy_into(Path(temporary), target)
    except BaseException as err:
        try:
            _copy_into(keep, target)
        except OSError:
            raise OSError(
                err.errno if isinstance(err, OSError) else errno.EIO,
                f"rewriting failed and so did restoring it; the original is in {keep}",
                str(target),
            ) from None
        if keep is not backup:
            keep.unlink(missing_ok=True)
        raise
    if keep is not backup:
        keep.unlink(missing_ok=True)
    Path(temporary).unlink(missing_ok=True)


def _copy_into(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "r+b") as out:
        shutil.copyfileobj(src, out, 1 << 20)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())


def _back_up(target: Path, suffix: str, existing: os.stat_result | None) -> Path | None:
    """Copy `target` to target+suffix (mode, times, and owner as root) without ever
    overwriting a different file of that name: an earlier run's backup is the only
    copy of the original."""
    if existing is None:
        return None
    backup = target.with_name(target.name + suffix)
    if os.path.lexists(backup):
        if backup.is_file() and not backup.is_symlink() and filecmp.cmp(target, backup, False):
            return backup
        raise BackupExists(
            errno.EEXIST, f"backup {backup} already exists and differs; file left as it was"
        )
    fd, name = _create_temporary(target)
    os.close(fd)
    try:
        shutil.copy2(target, name)
        with suppress(OSError, AttributeError):
            os.chown(name, existing.st_uid, existing.st_gid)
        try:
            os.link(name, backup)  # fails if the name was taken meanwhile: no clobbering
        except FileExistsError:
            raise BackupExists(errno.EEXIST, f"backup {backup} appeared meanwhile") from None
        except OSError:  # a file system without hard links
            os.replace(name, backup)
    finally:
        Path(name).unlink(missing_ok=True)
    return backup


TEMPORARY_TAG = "textmend"
_TEMPORARY = re.compile(rf"^\..+\.{TEMPORARY_TAG}-(\d+)-[0-9a-f]{{8}}\.tmp$")
_swept: set[str] = set()


def _create_temporary(target: Path, kind: str = "tmp") -> tuple[int, str]:
    """A new hidden `.NAME.textmend-PID-<8 hex digits>.tmp` next to `target`, created
    with mode 0o666 so that the umask applies (tempfile.mkstemp would make every output
    0o600). The pid lets a later run tell a dead process's leftovers from live work."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tag = f"{TEMPORARY_TAG}-{os.getpid()}-{secrets.token_hex(4)}"
        temporary = str(target.with_name(f".{target.name}.{tag}.{kind}"))
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(target.parent))


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Remove our `.tmp` files of processes that no longer run from `directory` (once
    per directory and process); returns what was removed. POSIX only: elsewhere a
    process cannot be probed without side effects. `.keep` copies (an original kept
    aside while a hard-linked file was rewritten) are never removed automatically."""
    key = os.path.abspath(directory)
    if os.name != "posix" or key in _swept:
        return []
    _swept.add(key)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        if _alive(int(match.group(1))):
            continue
        with suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or a pid we cannot probe: keep its files
    return True


def write_atomic(target: Path, data: bytes, backup_suffix: str | None = None) -> None:
    """Write `data` to `target` safely (see `atomic_writer`)."""
    with atomic_writer(target, backup_suffix) as handle:
        view = memoryview(data)
        while view:  # a pipe or device may take a large write in parts
            view = view[handle.write(view) :]


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
