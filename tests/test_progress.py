"""The progress line (`textmend.progress`) and -q / -v of the command."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from textmend.cli import cli
from textmend.progress import DELAY, INTERVAL, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nothing_before_the_delay_then_a_line_at_most_every_interval() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(200_000_000, stream, clock)
    progress.advance(10, 1_000_000)
    assert stream.getvalue() == ""  # a short run prints nothing
    clock.now = DELAY
    progress.advance(1, 9_000_000)
    first = stream.getvalue()
    assert first == "\rtextmend: 11 documents, 10.0 of 200.0 MB, 5.0 MB/s, 0:38 left"
    clock.now = DELAY + INTERVAL / 2
    progress.advance(1, 1)
    assert stream.getvalue() == first  # not redrawn yet
    progress.close()
    assert stream.getvalue().endswith("\r" + " " * (len(first) - 1) + "\r")  # cleared


def test_no_total_no_time_left() -> None:
    progress = Progress(None, Terminal(), Clock())
    progress.advance(3, 4_000_000)
    assert progress.line(2.0) == "textmend: 3 documents, 4.0 MB, 2.0 MB/s"


def test_no_line_where_stderr_is_no_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(10, stream, clock)
    clock.now = 100.0
    progress.advance(1, 5)
    progress.close()
    assert stream.getvalue() == ""


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stderr


def test_verbose_says_each_input(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x<br>y\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(bytes(range(256)))
    code, err = invoke("-v", str(tmp_path), "-o", str(tmp_path / "out"))
    assert code == 2
    lines = err.splitlines()
    assert any(line.startswith(f"textmend: {tmp_path / 'a.txt'}: done in ") for line in lines)
    assert any(line.startswith(f"textmend: {tmp_path / 'b.txt'}: failed in ") for line in lines)


def test_quiet_drops_warnings_not_errors(tmp_path: Path) -> None:
    damaged = tmp_path / "d.txt"
    damaged.write_bytes("中文文本".encode() + b"\xff\n")
    code, err = invoke("--encoding", "utf-8", str(damaged))
    assert code == 0 and "replaced with U+FFFD" in err
    code, err = invoke("-q", "--encoding", "utf-8", str(damaged))
    assert code == 0 and err == ""
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)))
    code, err = invoke("-q", str(tmp_path / "bin.txt"))
    assert code == 2 and "binary data" in err


def test_quiet_and_verbose_together_is_a_usage_error() -> None:
    code, err = invoke("-q", "-v", input="x")
    assert code == 2 and "-q and -v cannot be combined" in err
