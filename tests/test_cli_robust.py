"""Issue 11 through the CLI: mixed encodings in every mode, replaced bytes said, special
files, hard links, owners, backups, stale temporaries, write errors, exit codes, and
large inputs cleaned block by block with the output of the whole-document path."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from textmend import blocks, files
from textmend.cli import cli

CASES = Path(__file__).resolve().parent / "cases" / "cli_invocations.json"
ERROR_LINE = r"^textmend: \S.*: \S.*$"
MODULE = [sys.executable, "-m", "textmend"]

MIXED_LINES = [
    ("utf-8", "第一行是UTF-8编码的中文。"),
    ("gbk", "这一行被人用GBK编码粘贴进来了。"),
    ("utf-8", "最后一行又是UTF-8编码。"),
]
MIXED = b"\n".join(text.encode(codec) for codec, text in MIXED_LINES)
MIXED_CLEAN = "\n\n".join(text for _, text in MIXED_LINES).encode() + b"\n"


def invoke(*args: object, input: bytes | None = None) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert b"Traceback" not in result.stderr_bytes
    return result


def lines_of(result: Result) -> list[str]:
    return result.stderr_bytes.decode("utf-8").splitlines()


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def content(spec: dict[str, Any]) -> bytes:
    if "lines" in spec:
        return b"\n".join(text.encode(codec) for codec, text in spec["lines"])
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "binary" in spec:
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    return spec["text"].encode(spec.get("encoding", "utf-8"))


# --- every mode on mixed, binary and missing inputs (data: tests/cases/cli_*.json) -----


def _cases() -> list[dict[str, Any]]:
    return json.loads(CASES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_invocation(tmp_path: Path, case: dict[str, Any]) -> None:
    """No traceback; exit status as given; one ERROR_LINE-shaped line per failed input
    (or usage error), one per input whose invalid bytes were replaced (`warned`); stderr
    exactly the `stderr` lines, where given; a report holds exactly one record per
    source, the first with the `report` fields; stdout and `output` files hold what is
    given."""
    if case.get("needs") and not os.path.exists(case["needs"]):
        pytest.skip(f"no {case['needs']}")
    for name, spec in case["files"].items():
        write(tmp_path / name, content(spec))
    places = {"out": str(tmp_path / "out"), "report": str(tmp_path / "report.jsonl")}
    places["tmp"] = str(tmp_path)

    def fill(arg: str) -> str:
        if arg.startswith("{") and "}" in arg:
            key, rest = arg[1:].split("}", 1)
            return (places.get(key) or str(tmp_path / key)) + rest
        return arg

    stdin = content(case["stdin"]) if "stdin" in case else None
    result = invoke(*[fill(a) for a in case["args"]], input=stdin)
    assert result.exit_code == case["exit"], result.stderr_bytes
    lines = lines_of(result)
    if case.get("usage"):
        assert len(lines) == 1 and lines[0].startswith("textmend: error: ")
        return
    failed = [line for line in lines if not line.startswith("would change ")]
    warned = [line for line in failed if "replaced with U+FFFD" in line]
    failed = [line for line in failed if line not in warned]
    assert all(re.match(ERROR_LINE, line) for line in lines if "would change" not in line)
    expected = [n if n.startswith("--") else str(tmp_path / n) for n in case["failed"]]
    assert len(failed) == len(expected), lines
    for line, name in zip(failed, expected, strict=True):
        assert line.startswith(f"textmend: {name}: "), (line, name)
    assert len(warned) == len(case.get("warned", [])), lines
    if "stderr" in case:
        assert lines == case["stderr"]
    checked = [line for line in lines if line.startswith("would change ")]
    assert len(checked) == len(case.get("checked", []))
    if "records" in case:
        records = Path(places["report"]).read_text(encoding="utf-8").splitlines()
        assert len(records) == case["records"]
        sources = [json.loads(r)["source"] for r in records]
        assert len(set(sources)) == len(sources)
        for key, value in case.get("report", {}).items():  # fields of the first record
            assert json.loads(records[0])[key] == value, (key, records[0])
    if "stdout" in case:
        assert result.stdout_bytes == content(case["stdout"])
    for name, spec in case.get("output", {}).items():
        assert (tmp_path / name).read_bytes() == content(spec)


# --- mixed encodings: the decoded text, never a re-decode by codec name ----------------


@pytest.mark.parametrize("mode", ["stdout", "stdin", "file", "in-place", "check", "diff", "report"])
def test_a_utf8_file_with_one_gbk_line_in_every_mode(tmp_path: Path, mode: str) -> None:
    source = write(tmp_path / "mixed.txt", MIXED)
    report = tmp_path / "r.jsonl"
    out = tmp_path / "out.txt"
    args: dict[str, list[object]] = {
        "stdout": [source],
        "stdin": [],
        "file": [source, "-o", out],
        "in-place": ["--in-place", source],
        "check": ["--check", source],
        "diff": ["--diff", source],
        "report": [source, "-o", out, "--report", report],
    }
    result = invoke(*args[mode], input=MIXED if mode == "stdin" else None)
    assert result.exit_code == (1 if mode == "check" else 0), result.stderr_bytes
    if mode in ("stdout", "stdin"):
        assert result.stdout_bytes == MIXED_CLEAN
    elif mode in ("file", "report"):
        assert out.read_bytes() == MIXED_CLEAN
    elif mode == "in-place":
        assert source.read_bytes() == MIXED_CLEAN
    elif mode == "check":
        assert lines_of(result) == [f"would change {source}"]
    else:
        diff = result.stdout_bytes.decode("utf-8")
        # The GBK line is decoded right on both sides: unchanged context, not a change.
        assert "\n 这一行被人用GBK编码粘贴进来了。\n" in diff
        assert "\n-这一行" not in diff and "\n+这一行" not in diff
    if mode == "report":
        (record,) = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
        assert record["encoding"] == "mixed" and record["changed"] is True


def test_a_cut_character_is_replaced_and_said() -> None:
    data = "中文内容，测试一下。\nabc".encode() + b"\xe4\xb8"
    result = invoke(input=data)
    assert result.exit_code == 0
    assert result.stdout_bytes == "中文内容，测试一下。\n\nabc\ufffd\n".encode()
    (line,) = lines_of(result)
    assert line == "textmend: <stdin>: 1 invalid byte sequence replaced with U+FFFD (utf-8)"


# --- special files -------------------------------------------------------------------


def _device(tmp_path: Path, minor: int, name: str) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (7): a test that went wrong
    would replace it, not the system's."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        with open(path, "wb") as probe:
            probe.write(b"")
    except (OSError, AttributeError):
        pytest.skip("cannot make a character device here")
    return path


def test_output_to_a_character_device_is_written_not_replaced(tmp_path: Path) -> None:
    null = _device(tmp_path, 3, "null")
    source = write(tmp_path / "a.txt", "x<br>y\n")
    result = invoke(source, "-o", null)
    assert result.exit_code == 0, result.stderr_bytes
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "null"]


def test_a_full_disk_is_one_line_and_exit_2(tmp_path: Path) -> None:
    full = _device(tmp_path, 7, "full")
    source = write(tmp_path / "a.txt", "x<br>y\n")
    result = invoke(source, "-o", full)
    assert result.exit_code == 2
    assert lines_of(result) == [f"textmend: {source}: No space left on device"]
    assert stat.S_ISCHR(os.stat(full).st_mode)
    report = invoke(source, "-o", tmp_path / "o.txt", "--report", full)
    assert report.exit_code == 2
    assert lines_of(report) == [f"textmend: --report {full}: No space left on device"]
    assert (tmp_path / "o.txt").read_bytes() == b"x\n\ny\n"


def test_stdout_on_a_full_disk_is_one_line(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    source = write(tmp_path / "a.txt", "x<br>y\n" * 5000)
    with open("/dev/full", "wb") as full:
        done = subprocess.run([*MODULE, source], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == ["textmend: <stdout>: No space left on device"]


def test_output_to_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    source = write(tmp_path / "a.txt", "x<br>y\n")
    result = invoke(source, "-o", fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr_bytes
    assert received == [b"x\n\ny\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_in_place_refuses_a_fifo(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    good = write(tmp_path / "a.txt", "x<br>y\n")
    result = invoke("--in-place", fifo, good)
    assert result.exit_code == 2
    assert lines_of(result) == [
        f"textmend: {fifo}: not a regular file (--in-place rewrites only those); skipped"
    ]
    assert good.read_bytes() == b"x\n\ny\n" and stat.S_ISFIFO(os.stat(fifo).st_mode)


# --- in place: links, owner, mode ------------------------------------------------------


def test_in_place_keeps_hard_links(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    link = tmp_path / "b.txt"
    os.link(source, link)
    inode = os.stat(source).st_ino
    result = invoke("--in-place", "--backup", ".orig", source)
    assert result.exit_code == 0, result.stderr_bytes
    assert os.stat(source).st_ino == inode and os.stat(source).st_nlink == 2
    assert link.read_bytes() == b"x\n\ny\n"
    assert (tmp_path / "a.txt.orig").read_bytes() == b"x<br>y\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.orig", "b.txt"]


def test_a_failed_write_through_puts_the_original_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n" * 100)
    os.link(source, tmp_path / "b.txt")
    real = files._copy_into
    calls: list[Path] = []

    def failing(src: Path, target: Path) -> None:
        calls.append(src)
        if len(calls) == 1:
            with open(target, "r+b") as out:
                out.write(b"half")  # damage, then fail
            raise OSError(28, "No space left on device")
        real(src, target)

    monkeypatch.setattr(files, "_copy_into", failing)
    result = invoke("--in-place", source)
    assert result.exit_code == 2
    assert lines_of(result) == [f"textmend: {source}: No space left on device"]
    assert source.read_bytes() == b"x<br>y\n" * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_in_place_as_root_keeps_owner_and_mode(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    os.chown(source, 65534, 65534)
    os.chmod(source, 0o640)
    assert invoke("--in-place", source).exit_code == 0
    info = os.stat(source)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    assert source.read_bytes() == b"x\n\ny\n"


def test_an_owner_that_cannot_be_kept_means_writing_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    inode = os.stat(source).st_ino
    monkeypatch.setattr(os, "stat", _foreign_owner(os.stat, source))

    def refuse(*_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refuse)
    assert invoke("--in-place", source).exit_code == 0
    monkeypatch.undo()
    assert os.stat(source).st_ino == inode
    assert source.read_bytes() == b"x\n\ny\n"


def _foreign_owner(real: Any, path: Path) -> Any:
    def fake(name: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        info = real(name, *args, **kwargs)
        if os.fspath(name) == os.fspath(path):
            values = list(info)
            values[4] = info.st_uid + 1  # st_uid
            return os.stat_result(values)
        return info

    return fake


# --- backups -----------------------------------------------------------------------------


def test_a_second_backup_run_keeps_the_first_backup(tmp_path: Path) -> None:
    source = write(tmp_path / "d" / "a.txt", "x<br>y\n")
    assert invoke("--in-place", "--backup", ".orig", tmp_path / "d").exit_code == 0
    backup = tmp_path / "d" / "a.txt.orig"
    assert backup.read_bytes() == b"x<br>y\n"
    again = invoke("--in-place", "--backup", ".orig", tmp_path / "d", "--report", "-")
    assert again.exit_code == 0, again.stderr_bytes
    assert backup.read_bytes() == b"x<br>y\n"  # not cleaned, not backed up itself
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["a.txt", "a.txt.orig"]
    records = [json.loads(line) for line in again.stdout_bytes.decode().splitlines()]
    assert [r["source"] for r in records] == [str(source), str(backup)]
    assert "skipped" in records[1]
    write(source, "p<br>q\n")  # the file changed again: the old backup must not go
    third = invoke("--in-place", "--backup", ".orig", source)
    assert third.exit_code == 2
    (line,) = lines_of(third)
    assert line.startswith(f"textmend: {source}: backup ") and "already exists" in line
    assert source.read_bytes() == b"p<br>q\n" and backup.read_bytes() == b"x<br>y\n"


# --- temporary files -------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    stale = write(tmp_path / f".a.txt.textmend-{_dead_pid()}-0123abcd.tmp", "half")
    live = write(tmp_path / f".a.txt.textmend-{os.getppid()}-0123abcd.tmp", "busy")
    other = write(tmp_path / ".a.txt.0123abcd.tmp", "not ours to judge")
    keep = write(tmp_path / f".a.txt.textmend-{_dead_pid()}-0123abcd.keep", "an original")
    files._swept.clear()
    assert invoke("--in-place", source).exit_code == 0
    assert not stale.exists()
    assert live.exists() and other.exists() and keep.exists()


def test_temporaries_are_named_with_the_pid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = files._create_temporary

    def spy(target: Path, kind: str = "tmp") -> tuple[int, str]:
        fd, name = real(target, kind)
        seen.append(Path(name).name)
        return fd, name

    monkeypatch.setattr(files, "_create_temporary", spy)
    source = write(tmp_path / "a.txt", "x<br>y\n")
    assert invoke(source, "-o", tmp_path / "b.txt").exit_code == 0
    assert seen and all(files._TEMPORARY.match(n) for n in seen)
    assert f"-{os.getpid()}-" in seen[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


# --- exit codes ----------------------------------------------------------------------------


def test_ctrl_c_exits_130_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textmend.pipeline

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(textmend.pipeline, "clean_document", interrupted)
    source = write(tmp_path / "a.txt", "x<br>y\n")
    result = invoke(source, "-o", tmp_path / "out.txt")
    assert result.exit_code == 130
    assert lines_of(result)[-1] == "textmend: interrupted"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_ctrl_c_in_a_real_process_exits_130() -> None:
    with subprocess.Popen(
        MODULE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdin is not None and process.stderr is not None
        process.stdin.write(b"waiting for more input\n")
        process.stdin.flush()
        time.sleep(1.0)  # started and blocked in read
        process.send_signal(signal.SIGINT)
        stderr = process.stderr.read()
        returncode = process.wait(timeout=60)
        process.stdin.close()
    assert returncode == 130, stderr
    assert stderr.decode().splitlines() == ["textmend: interrupted"]  # one line, no blank


def test_a_reader_that_goes_away_under_detect_is_not_an_error(tmp_path: Path) -> None:
    names = [write(tmp_path / f"{n:04}.txt", f"hello {n}\n") for n in range(3000)]
    with subprocess.Popen(
        [*MODULE, "--detect", *map(str, names)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().endswith(b": ascii (confidence 1.000)\n")
        process.stdout.close()  # like `textmend --detect * | head -1`
        stderr = process.stderr.read()
        returncode = process.wait(timeout=120)
    assert (returncode, stderr) == (0, b"")


# --- large inputs, block by block ----------------------------------------------------


PARAGRAPHS = [
    "北京时间昨天晚上，国家统计局发布了最新的经济数据，显示今年前三季度国内生产总值增长。",
    "专家认为，消费和投资的恢复是经济增长的主要动力，预计全年经济将保持稳定增长的态势。",
    "The Mona Lisa doesnâ€™t have eyebrows, and nobody knows why.",
    "第二段的內容在這裡，說明了一些事情。",
    "x<br>y and some more words to make a line",
]


def _document(count: int, separator: str = "\n\n") -> str:
    return separator.join(PARAGRAPHS[(n * 7) % len(PARAGRAPHS)] + f" {n}" for n in range(count))


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(blocks, "STREAM_BLOCK_BYTES", 2048)
    return 2048


@pytest.mark.parametrize(
    ("name", "data", "args"),
    [
        ("paragraphs", (_document(400) + "\n").encode(), []),
        ("lines", _document(400, "\n").encode(), []),
        ("crlf", _document(300, "\r\n\r\n").encode(), []),
        ("one line of words", (_document(300, " ") + "\n").encode(), []),
        ("one line of han", ("中文内容测试" * 2000).encode(), ["--no-junk"]),
        ("gbk", (_document(300).replace("â€™", "'") + "\n").encode("gbk"), []),
        ("forced gbk", (_document(300).replace("â€™", "'")).encode("gbk"), ["--encoding", "gbk"]),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_blocks_give_the_whole_document_output(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    data: bytes,
    args: list[str],
) -> None:
    source = write(tmp_path / "big.txt", data)
    whole = invoke(*args, source)
    assert whole.exit_code == 0, whole.stderr_bytes
    monkeypatch.setattr(blocks, "STREAM_BLOCK_BYTES", 2048)
    pieces = list(blocks.split(data[:2049], _Reader(data[2049:]), 2048))
    assert len(pieces) > 3 and b"".join(p.data for p in pieces) == data
    streamed = invoke(*args, source, "--report", tmp_path / "r.jsonl", "-o", tmp_path / "o.txt")
    assert streamed.exit_code == 0, streamed.stderr_bytes
    assert (tmp_path / "o.txt").read_bytes() == whole.stdout_bytes
    assert invoke(*args, source).stdout_bytes == whole.stdout_bytes
    (record,) = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(record)["blocks"] == len(pieces)
    assert json.loads(record)["changed"] is (whole.stdout_bytes != data)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int) -> bytes:
        piece = self.data[self.at : self.at + size]
        self.at += len(piece)
        return piece


def test_blocks_in_place_check_and_diff(tmp_path: Path, small_blocks: int) -> None:
    data = (_document(300) + "\n").encode()
    source = write(tmp_path / "big.txt", data)
    check = invoke("--check", source)
    assert check.exit_code == 1 and lines_of(check) == [f"would change {source}"]
    whole = invoke(source).stdout_bytes
    diff = invoke("--diff", source).stdout_bytes.decode()
    assert diff.count(f"--- a/{source}\n") == 1
    _assert_diff_fits(diff, data.decode(), whole.decode())
    assert invoke("--in-place", "--backup", ".orig", source).exit_code == 0
    assert source.read_bytes() == whole
    assert (tmp_path / "big.txt.orig").read_bytes() == data
    clean = invoke("--in-place", source)  # already clean: nothing written, still exit 0
    assert clean.exit_code == 0 and source.read_bytes() == whole
    assert invoke("--check", source).exit_code == 0


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$")


def _assert_diff_fits(diff: str, before: str, after: str) -> None:
    """Every hunk's old lines are the input's lines at its stated place, its new lines
    the output's (so block offsets are right), and the hunks cover every change."""
    old, new = before.splitlines(), after.splitlines()
    lines = diff.splitlines()[2:]
    rebuilt: list[str] = []
    position = 0
    index = 0
    while index < len(lines):
        match = _HUNK.match(lines[index])
        assert match, lines[index]
        start_old, start_new = int(match[1]), int(match[3])
        count_old = 1 if match[2] is None else int(match[2])
        start_old -= 1 if count_old else 0
        rebuilt.extend(old[position:start_old])
        assert len(rebuilt) == start_new - (1 if (match[4] or "1") != "0" else 0)
        index += 1
        at_old = start_old
        while index < len(lines) and not lines[index].startswith("@@"):
            mark, text = lines[index][:1], lines[index][1:]
            if mark in " -":
                assert old[at_old] == text
                at_old += 1
            if mark in " +":
                rebuilt.append(text)
            index += 1
        position = at_old
    rebuilt.extend(old[position:])
    assert rebuilt == new


def test_blocks_with_binary_later_fail_that_input_only(tmp_path: Path, small_blocks: int) -> None:
    data = (_document(300) + "\n").encode() + b"\x00\x01\x02\xff" * 2000
    source = write(tmp_path / "big.txt", data)
    good = write(tmp_path / "good.txt", "x<br>y\n")
    out = tmp_path / "out"
    result = invoke(source, good, "-o", out)
    assert result.exit_code == 2
    (line,) = lines_of(result)
    assert line.startswith(f"textmend: {source}: ")
    assert sorted(p.name for p in out.iterdir()) == ["good.txt"]  # nothing half-written


def test_utf16_and_html_are_cleaned_whole(tmp_path: Path, small_blocks: int) -> None:
    wide = write(tmp_path / "wide.txt", (_document(100) + "\n").encode("utf-16"))
    result = invoke(wide, "--report", "-", "-o", tmp_path / "o.txt")
    assert result.exit_code == 0, result.stderr_bytes
    assert "blocks" not in json.loads(result.stdout_bytes)
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in _document(100).split("\n\n"))
    html = write(tmp_path / "page.html", page + "</body></html>")
    result = invoke(html, "--report", "-", "-o", tmp_path / "p.txt")
    assert "blocks" not in json.loads(result.stdout_bytes)


def test_block_cuts_never_split_a_character() -> None:
    for codec in ("utf-8", "gbk", "gb18030", "big5", "shift_jis", "euc_kr"):
        text = "中文，內容" if codec != "euc_kr" else "한국어 텍스트"
        try:
            data = (text * 3000).encode(codec)
        except UnicodeEncodeError:
            data = ("日本語" * 3000).encode(codec)
        pieces = list(blocks.split(data[:1025], _Reader(data[1025:]), 1024))
        assert b"".join(p.data for p in pieces) == data
        for piece in pieces:
            piece.data.decode(codec)  # each block decodes on its own


def test_a_report_of_a_large_input_is_not_kept_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its changes go to temporary files as blocks are cleaned: four times the input
    (and changes) must not take twice the memory (kept in memory, they took 3.7 times
    as much here)."""
    import tracemalloc

    monkeypatch.setattr(blocks, "STREAM_BLOCK_BYTES", 8192)

    def peak(count: int, traced: bool = True) -> tuple[int, dict[str, Any]]:
        source = write(tmp_path / f"in{count}.txt", (_document(count) + "\n").encode())
        report = tmp_path / f"r{count}.jsonl"
        if traced:
            tracemalloc.start()
        result = invoke(source, "--report", report, "-o", tmp_path / f"o{count}.txt")
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert result.exit_code == 0, result.stderr_bytes
        (record,) = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
        return high, record

    peak(100, traced=False)  # modules and memo caches loaded first, untraced (slow)
    small, record = peak(400)
    large, more = peak(1600)
    assert len(more["changes"]) > 3 * len(record["changes"]) > 0
    assert {c["block"] for c in more["changes"]} == set(range(more["blocks"]))
    assert large < 2 * small


@pytest.mark.parametrize(
    "data",
    [
        (_document(300).replace("â€™", "'") + "\n").encode("gbk"),
        (_document(300) + "\n").encode(),
        (_document(150) + "\n").encode()
        + (_document(150).replace("â€™", "'") + "\n").encode("gbk"),
    ],
    ids=["gbk", "utf-8", "utf-8 then gbk"],
)
def test_detect_reads_a_large_input_block_by_block(
    tmp_path: Path, small_blocks: int, data: bytes
) -> None:
    """Within bounded memory, with the answer of the whole."""
    from textmend.decode import decode

    answer = decode(data).encoding
    source = write(tmp_path / "big.txt", data)
    result = invoke("--detect", source, "--report", tmp_path / "r.jsonl")
    assert result.exit_code == 0, result.stderr_bytes
    assert result.stdout_bytes.decode().startswith(f"{source}: {answer} (confidence ")
    (record,) = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert record["encoding"] == answer and "(first of " in record["evidence"]
    assert record["segments"][0]["start"] == 0 and record["segments"][-1]["end"] == len(data)


def test_hashes_agree_for_a_clean_large_file(tmp_path: Path, small_blocks: int) -> None:
    clean = invoke(input=(_document(300) + "\n").encode()).stdout_bytes
    source = write(tmp_path / "clean.txt", clean)
    before = hashlib.sha256(clean).hexdigest()
    result = invoke("--in-place", "--backup", ".orig", source, "--report", "-")
    assert json.loads(result.stdout_bytes)["changed"] is False
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.txt"]


# --- a stage over its work budget: its input kept, and stderr and the report say so ----


@pytest.fixture
def slow_junk(monkeypatch: pytest.MonkeyPatch) -> None:
    """A junk stage that takes 0.2 s, far over `--budget 0.05` on a small document."""
    import textmend.junk

    def slow(text: str, *args: object, **kwargs: object) -> str:
        time.sleep(0.2)
        return ""

    monkeypatch.setattr(textmend.junk, "remove_junk", slow)


SKIPPED_LINE = re.compile(r"textmend: (.+): work budget exceeded in junk; its input kept")
# The other stages off: the budget is then tight for the slow junk stage alone.
ONLY_JUNK = ("--budget", "0.05", "--no-repair", "--no-markup", "--no-script", "--no-punctuation")


@pytest.mark.parametrize("mode", ["whole", "blocks", "jsonl"])
def test_a_stage_over_its_budget_keeps_its_input_and_says_so(
    tmp_path: Path, slow_junk: None, small_blocks: int, mode: str
) -> None:
    report = tmp_path / "report.jsonl"
    if mode == "jsonl":
        source = write(tmp_path / "in.jsonl", '{"text": "正文内容"}\n')
        result = invoke("--jsonl", source, *ONLY_JUNK, "--report", report)
        assert json.loads(result.stdout_bytes) == {"text": "正文内容"}
    else:
        size = 3 * small_blocks if mode == "blocks" else 100
        text = ("正文内容。" * 20 + "\n\n") * (size // 300 + 1)
        source = write(tmp_path / "in.txt", text)
        result = invoke(source, *ONLY_JUNK, "--report", report)
        assert result.stdout_bytes.decode() == text.rstrip("\n") + "\n"  # not emptied
    assert result.exit_code == 0
    lines = lines_of(result)
    assert len(lines) == 1 and SKIPPED_LINE.fullmatch(lines[0]), lines
    record = json.loads(report.read_text(encoding="utf-8").splitlines()[0])
    assert record["skipped"] == ["junk"]


def test_budget_none_means_no_limit(tmp_path: Path, slow_junk: None) -> None:
    source = write(tmp_path / "in.txt", "正文内容。\n")
    result = invoke(source, "--budget", "none")
    assert result.exit_code == 0 and result.stdout_bytes == b""  # the slow stage ran
    assert lines_of(result) == []


@pytest.mark.parametrize("value", ["-1", "soon", "inf", "nan"])
def test_a_bad_budget_is_a_usage_error(value: str) -> None:
    result = invoke("--budget", value, input=b"x\n")
    assert result.exit_code == 2
    assert lines_of(result) == [
        f"textmend: error: --budget: expected seconds (0 or more) or none, not {value!r}"
    ]
