"""A few real runs of `python -m textmend` and of the installed `textmend` script:
exit codes, byte-exact stdout and stderr as a shell sees them (no traceback ever)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import textmend

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE = SAMPLES / "spam_page_zh.txt"
EXPECTED = SAMPLES / "spam_page_zh.expected.txt"
SCRIPT = Path(sys.executable).with_name("textmend.exe" if os.name == "nt" else "textmend")

MODULE = [sys.executable, "-m", "textmend"]


def console_script() -> list[str]:
    if not SCRIPT.exists():
        pytest.skip(f"no console script next to {sys.executable}")
    return [str(SCRIPT)]


@pytest.fixture(params=["module", "script"])
def command(request: pytest.FixtureRequest) -> list[str]:
    return MODULE if request.param == "module" else console_script()


def run(
    command: list[str],
    *args: object,
    stdin: bytes = b"",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [*command, *(str(a) for a in args)],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=env,
        cwd=cwd,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    return result


def test_golden_through_stdin(command: list[str]) -> None:
    result = run(command, stdin=SAMPLE.read_bytes())
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED.read_bytes()
    assert result.stderr == b""


def test_golden_through_output_directory(command: list[str], tmp_path: Path) -> None:
    sample = SAMPLE.read_bytes()
    (tmp_path / "in" / "more").mkdir(parents=True)
    (tmp_path / "in" / "page.txt").write_bytes(sample)
    (tmp_path / "in" / "more" / "page.txt").write_bytes(sample)
    (tmp_path / "in" / "noise.bin").write_bytes(random.Random(2048).randbytes(2048))
    out = tmp_path / "out"
    result = run(command, "in", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"textmend: {Path('in', 'noise.bin')}: ")
    expected = EXPECTED.read_bytes()
    assert (out / "page.txt").read_bytes() == expected
    assert (out / "more" / "page.txt").read_bytes() == expected
    assert sorted(p.name for p in out.rglob("*")) == ["more", "page.txt", "page.txt"]


def test_golden_through_jsonl(tmp_path: Path) -> None:
    record = {"id": 1, "text": SAMPLE.read_text(encoding="utf-8"), "lang": "zh"}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run(MODULE, "--jsonl", source)
    assert result.returncode == 0, result.stderr
    cleaned = json.loads(result.stdout)
    assert list(cleaned) == ["id", "text", "lang"]
    assert cleaned["text"] == EXPECTED.read_text(encoding="utf-8").removesuffix("\n")


def test_output_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO"))}
    env.update(LC_ALL="C", PYTHONIOENCODING="ascii", PYTHONUTF8="0")
    out = tmp_path / "out.txt"
    result = run(MODULE, "-", "-o", out, "--report", "-", stdin=SAMPLE.read_bytes(), env=env)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == EXPECTED.read_bytes()
    record = json.loads(result.stdout.decode("utf-8"))
    assert record["changed"] is True
    assert any("精品" in r["before"] for r in record["removed"])
    text = run(MODULE, stdin=SAMPLE.read_bytes(), env=env)
    assert text.stdout == EXPECTED.read_bytes()


def test_version_and_help(command: list[str]) -> None:
    version = run(command, "--version")
    assert version.returncode == 0
    assert textmend.__version__ in version.stdout.decode()
    assert run(command, "-V").stdout == version.stdout
    help_text = run(command, "-h")
    assert help_text.returncode == 0
    assert b"Usage: " in help_text.stdout and b"--jsonl" in help_text.stdout


def test_usage_error_is_one_line(command: list[str]) -> None:
    result = run(command, "--to", "nowhere")
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("textmend: error: ")


def test_check_exit_status(command: list[str], tmp_path: Path) -> None:
    dirty = tmp_path / "dirty.txt"
    dirty.write_bytes(b"x<br>y\n")
    result = run(command, "--check", dirty)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [f"would change {dirty}"]
    clean = run(command, "--check", stdin=b"clean\n")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, b"", b"")


def test_binary_and_bad_codec_inputs_fail_without_traceback(tmp_path: Path) -> None:
    noise = tmp_path / "noise.bin"
    noise.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1024).randbytes(1024))
    good = tmp_path / "good.txt"
    good.write_bytes(b"x<br>y\n")
    out = tmp_path / "out"
    result = run(MODULE, noise, good, "-o", out)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[0].startswith(f"textmend: {noise}: ")
    assert len(result.stderr.splitlines()) == 1
    assert (out / "good.txt").read_bytes() == b"x\n\ny\n"
    codec = run(MODULE, "--encoding", "base64", good)
    assert codec.returncode == 2
    assert codec.stderr.decode().startswith("textmend: error: ")


@pytest.mark.parametrize("jsonl", [False, True], ids=["text", "jsonl"])
def test_a_reader_that_goes_away_is_not_an_error(tmp_path: Path, jsonl: bool) -> None:
    big = tmp_path / "big.txt"
    if jsonl:
        lines = (json.dumps({"n": i, "text": f"line {i} of a long text"}) for i in range(40000))
        big.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        args = ["--jsonl", big]
    else:
        big.write_bytes(b"".join(b"line %d of a long text\n" % i for i in range(40000)))
        args = [big]
    with subprocess.Popen(
        [*console_script(), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert b"line 0 of a long text" in process.stdout.read(64)
        process.stdout.close()  # like `textmend big.txt | head -1`
        stderr = process.stderr.read()
        returncode = process.wait(timeout=60)
    assert returncode == 0
    assert stderr == b""


def test_a_page_the_extractors_cannot_read_costs_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "textmend", "--html"],
        input="<html><body><p>坏的".encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == b""
    assert done.stdout.decode().strip() == "坏的"
