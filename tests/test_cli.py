"""The command-line contract of `textmend`, through click's CliRunner (in process)."""

from __future__ import annotations

import json
import os
import random
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import textmend
from textmend import cli as cli_module
from textmend.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE = SAMPLES / "spam_page_zh.txt"
EXPECTED = SAMPLES / "spam_page_zh.expected.txt"

MOJIBAKE = "The Mona Lisa doesnâ€™t have eyebrows.\n"
REPAIRED = "The Mona Lisa doesn’t have eyebrows.\n"
SIMPLIFIED = "我们今天学习中文，这是简体字的文章。\n"
SIMPLIFIED_AS_TRADITIONAL = "我們今天學習中文，這是簡體字的文章。\n"
TRADITIONAL = "我們今天學習中文，這是繁體字的文章。\n"
TRADITIONAL_AS_SIMPLIFIED = "我们今天学习中文，这是繁体字的文章。\n"
SPAM_HEADER = "精品国产亚洲一区二区三区"
REPORT_KEYS = [
    "source",
    "changed",
    "encoding",
    "confidence",
    "evidence",
    "runner_up",
    "segments",
    "replaced",
    "skipped",
    "changes",
    "removed",
]
ERROR_LINE = re.compile(r"^textmend: \S.*: \S.*$")


# --- helpers -------------------------------------------------------------------------


def invoke(*args: object, input: bytes | str | None = None) -> Result:
    """Run the command; any exception other than the exit itself is a test failure."""
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def stderr_lines(result: Result) -> list[str]:
    return result.stderr_bytes.decode("utf-8").splitlines()


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stderr_bytes.decode("utf-8", "replace")


def assert_usage_error(result: Result, fragment: str = "") -> None:
    """Exit 2 with exactly one `textmend: error: ...` line, nothing on stdout."""
    assert result.exit_code == 2, (result.stdout_bytes, result.stderr_bytes)
    lines = stderr_lines(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith("textmend: error: "), lines
    assert fragment in lines[0]
    assert result.stdout_bytes == b""
    assert_no_traceback(result)


def assert_failed_inputs(result: Result, *names: object) -> list[str]:
    """Exit 2 and exactly one `textmend: NAME: message` line per failed input, in order."""
    assert result.exit_code == 2, (result.stdout_bytes, result.stderr_bytes)
    lines = stderr_lines(result)
    assert len(lines) == len(names), lines
    for line, name in zip(lines, names, strict=True):
        assert line.startswith(f"textmend: {name}: "), line
        assert ERROR_LINE.match(line), line
    assert_no_traceback(result)
    return lines


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*.tmp")]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def png_like(size: int = 512) -> bytes:
    """A PNG signature and IHDR chunk start, then random bytes: binary, with NULs."""
    head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    return head + random.Random(20240601).randbytes(size)


@pytest.fixture(scope="module")
def sample() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def expected() -> bytes:
    return EXPECTED.read_bytes()


@pytest.fixture(scope="module")
def default_sample_output(sample: bytes) -> str:
    result = invoke(input=sample)
    assert result.exit_code == 0
    return result.stdout_bytes.decode("utf-8")


# --- the golden sample ------------------------------------------------------------------


def test_golden_through_stdin(sample: bytes, expected: bytes) -> None:
    result = invoke(input=sample)
    assert result.exit_code == 0
    assert result.stdout_bytes == expected
    assert result.stderr_bytes == b""


def test_golden_through_output_directory(tmp_path: Path, sample: bytes, expected: bytes) -> None:
    inputs = tmp_path / "in"
    first = write(inputs / "page.txt", sample)
    second = write(inputs / "copy" / "page-again.txt", sample)
    small = write(inputs / "small.txt", "x<br>y\n")
    out = tmp_path / "out"
    result = invoke(first, second, small, "-o", out)
    assert result.exit_code == 0, result.stderr_bytes
    assert result.stdout_bytes == b""
    assert files_under(out) == {"page.txt", "page-again.txt", "small.txt"}
    assert (out / "page.txt").read_bytes() == expected
    assert (out / "page-again.txt").read_bytes() == expected
    assert (out / "small.txt").read_bytes() == b"x\n\ny\n"
    assert first.read_bytes() == sample  # inputs untouched


def test_golden_through_directory_argument(tmp_path: Path, sample: bytes, expected: bytes) -> None:
    inputs = tmp_path / "in"
    write(inputs / "a" / "page.txt", sample)
    write(inputs / "b" / "page.txt", sample)
    out = tmp_path / "out"
    result = invoke(inputs, "-o", out)
    assert result.exit_code == 0, result.stderr_bytes
    assert files_under(out) == {"a/page.txt", "b/page.txt"}
    assert (out / "a" / "page.txt").read_bytes() == expected
    assert (out / "b" / "page.txt").read_bytes() == expected


def test_golden_through_jsonl(sample: bytes, expected: bytes) -> None:
    record = {
        "id": "spam-1",
        "url": "https://example.com/a?b=1",
        "text": sample.decode("utf-8"),
        "meta": {"lang": "zh", "tags": ["news", 2019]},
        "score": 0.5,
    }
    result = invoke("--jsonl", input=json.dumps(record, ensure_ascii=False) + "\n")
    assert result.exit_code == 0, result.stderr_bytes
    lines = result.stdout_bytes.decode("utf-8").splitlines()
    assert len(lines) == 1
    cleaned = json.loads(lines[0])
    assert list(cleaned) == ["id", "url", "text", "meta", "score"]
    assert cleaned["text"] == expected.decode("utf-8").removesuffix("\n")
    assert {k: v for k, v in cleaned.items() if k != "text"} == {
        k: v for k, v in record.items() if k != "text"
    }


def test_golden_through_jsonl_file(tmp_path: Path, sample: bytes, expected: bytes) -> None:
    records = [{"n": i, "text": sample.decode("utf-8")} for i in range(2)]
    source = write(tmp_path / "pages.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "cleaned.jsonl"
    result = invoke("--jsonl", source, "-o", out)
    assert result.exit_code == 0, result.stderr_bytes
    lines = out.read_bytes().decode("utf-8").splitlines()
    assert [json.loads(line)["n"] for line in lines] == [0, 1]
    for line in lines:
        assert json.loads(line)["text"] == expected.decode("utf-8").removesuffix("\n")


# --- where input comes from and output goes --------------------------------------------


def test_dash_reads_stdin_writes_stdout() -> None:
    result = invoke("-", input=b"x<br>y\n")
    assert result.exit_code == 0
    assert result.stdout_bytes == b"x\n\ny\n"


def test_one_file_to_stdout(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    result = invoke(source)
    assert result.exit_code == 0
    assert result.stdout_bytes == b"x\n\ny\n"
    assert source.read_bytes() == b"x<br>y\n"
    assert files_under(tmp_path) == {"a.txt"}


def test_one_file_to_output_file(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    target = tmp_path / "deeper" / "new" / "b.txt"
    result = invoke(source, "-o", target)
    assert result.exit_code == 0
    assert result.stdout_bytes == b""
    assert target.read_bytes() == b"x\n\ny\n"


def test_stdin_to_output_file(tmp_path: Path) -> None:
    target = tmp_path / "b.txt"
    result = invoke("-o", target, input=b"x<br>y\n")
    assert result.exit_code == 0
    assert result.stdout_bytes == b""
    assert target.read_bytes() == b"x\n\ny\n"


def test_one_file_to_existing_directory_lands_as_basename(tmp_path: Path) -> None:
    source = write(tmp_path / "in" / "a.txt", "x<br>y\n")
    out = tmp_path / "out"
    out.mkdir()
    result = invoke(source, "-o", out)
    assert result.exit_code == 0
    assert files_under(out) == {"a.txt"}
    assert (out / "a.txt").read_bytes() == b"x\n\ny\n"


def test_output_ending_in_slash_is_a_directory(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x\n")
    result = invoke(source, "-o", f"{tmp_path / 'newdir'}/")
    assert result.exit_code == 0, result.stderr_bytes
    assert (tmp_path / "newdir").is_dir()
    assert (tmp_path / "newdir" / "a.txt").read_bytes() == b"x\n"


def test_several_files_need_output(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "x<br>y\n")
    b = write(tmp_path / "b.txt", "y\n")
    assert_usage_error(invoke(a, b), "-o DIR")
    assert files_under(tmp_path) == {"a.txt", "b.txt"}


def test_a_directory_needs_output_even_with_one_file(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "x<br>y\n")
    assert_usage_error(invoke(tmp_path / "d"), "-o DIR")


def test_several_files_cannot_go_to_an_existing_file(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "a\n")
    b = write(tmp_path / "b.txt", "b\n")
    target = write(tmp_path / "target.txt", "keep\n")
    assert_usage_error(invoke(a, b, "-o", target), "directory")
    assert target.read_bytes() == b"keep\n"


def test_stdin_cannot_be_mixed_with_files(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "a\n")
    assert_usage_error(invoke("-", a, "-o", tmp_path / "out", input=b"x\n"), "stdin")


def test_directory_is_recursed_mirrored_and_hidden_entries_skipped(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write(root / "top.txt", "top<br>line\n")
    write(root / "sub" / "deep" / "leaf.txt", "leaf\n")
    write(root / ".hidden.txt", "hidden\n")
    write(root / ".git" / "config.txt", "hidden dir\n")
    write(root / "sub" / ".cache" / "c.txt", "hidden nested dir\n")
    out = tmp_path / "out"
    result = invoke(root, "-o", out)
    assert result.exit_code == 0, result.stderr_bytes
    assert files_under(out) == {"top.txt", "sub/deep/leaf.txt"}
    assert (out / "top.txt").read_bytes() == b"top\n\nline\n"
    assert (out / "sub" / "deep" / "leaf.txt").read_bytes() == b"leaf\n"


def test_file_and_directory_arguments_mirror_differently(tmp_path: Path) -> None:
    single = write(tmp_path / "somewhere" / "else" / "one.txt", "one\n")
    root = tmp_path / "tree"
    write(root / "two.txt", "two\n")
    write(root / "nested" / "three.txt", "three\n")
    out = tmp_path / "out"
    result = invoke(single, root, "-o", out)
    assert result.exit_code == 0, result.stderr_bytes
    # A file lands as DIR/basename; a directory's files relative to that directory.
    assert files_under(out) == {"one.txt", "two.txt", "nested/three.txt"}


def test_explicitly_named_hidden_file_is_processed(tmp_path: Path) -> None:
    source = write(tmp_path / ".notes.txt", "x<br>y\n")
    result = invoke(source)
    assert result.exit_code == 0
    assert result.stdout_bytes == b"x\n\ny\n"


def test_output_onto_the_input_is_an_error_for_that_input(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    result = invoke(source, "-o", source)
    lines = assert_failed_inputs(result, source)
    assert "--in-place" in lines[0]
    assert source.read_bytes() == b"x<br>y\n"


def test_output_onto_the_input_through_a_symlink_is_an_error(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    link = tmp_path / "link.txt"
    link.symlink_to(source)
    assert_failed_inputs(invoke(source, "-o", link), source)
    assert source.read_bytes() == b"x<br>y\n"
    assert link.is_symlink()


def test_output_directory_equal_to_input_directory(tmp_path: Path) -> None:
    root = tmp_path / "d"
    first = write(root / "a.txt", "a<br>b\n")
    nested = write(root / "sub" / "c.txt", "c<br>d\n")
    other = write(tmp_path / "other.txt", "o<br>p\n")
    result = invoke(root, other, "-o", root)
    assert_failed_inputs(result, first, nested)
    assert first.read_bytes() == b"a<br>b\n"
    assert nested.read_bytes() == b"c<br>d\n"
    # The other input is still processed and written.
    assert (root / "other.txt").read_bytes() == b"o\n\np\n"


def test_two_inputs_with_one_output_name_do_not_overwrite_each_other(tmp_path: Path) -> None:
    first = write(tmp_path / "x" / "a.txt", "first\n")
    second = write(tmp_path / "y" / "a.txt", "second\n")
    later = write(tmp_path / "z" / "b.txt", "later\n")
    out = tmp_path / "out"
    result = invoke(first, second, later, "-o", out)
    assert_failed_inputs(result, second)
    assert (out / "a.txt").read_bytes() == b"first\n"
    assert (out / "b.txt").read_bytes() == b"later\n"


def test_the_same_file_given_twice_is_not_a_conflict(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    out = tmp_path / "out"
    result = invoke(source, source, "-o", out)
    assert result.exit_code == 0, result.stderr_bytes
    assert (out / "a.txt").read_bytes() == b"x\n\ny\n"


def test_missing_input_fails_and_the_others_are_written(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    good = write(tmp_path / "good.txt", "x<br>y\n")
    out = tmp_path / "out"
    result = invoke(missing, good, "-o", out)
    assert_failed_inputs(result, missing)
    assert files_under(out) == {"good.txt"}


def test_an_empty_directory_is_nothing_to_do(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke(tmp_path / "empty", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stderr_bytes == b""


# --- --in-place -------------------------------------------------------------------------


def test_in_place_rewrites_and_keeps_permission_bits(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    source.chmod(0o640)
    result = invoke("--in-place", source)
    assert result.exit_code == 0
    assert result.stdout_bytes == b""
    assert source.read_bytes() == b"x\n\ny\n"
    assert stat.S_IMODE(source.stat().st_mode) == 0o640
    assert files_under(tmp_path) == {"a.txt"}


def test_in_place_keeps_unusual_permission_bits(tmp_path: Path) -> None:
    source = write(tmp_path / "run.txt", "x<br>y\n")
    source.chmod(0o751)
    assert invoke("--in-place", source).exit_code == 0
    assert stat.S_IMODE(source.stat().st_mode) == 0o751


def test_in_place_backup_keeps_the_original(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    result = invoke("--in-place", "--backup", ".orig", source)
    assert result.exit_code == 0
    assert source.read_bytes() == b"x\n\ny\n"
    assert (tmp_path / "a.txt.orig").read_bytes() == b"x<br>y\n"


def test_in_place_on_a_clean_file_changes_nothing(tmp_path: Path) -> None:
    source = write(tmp_path / "clean.txt", "already clean\n\nsecond paragraph\n")
    before = source.stat()
    result = invoke("--in-place", "--backup", ".bak", source)
    assert result.exit_code == 0
    after = source.stat()
    assert source.read_bytes() == b"already clean\n\nsecond paragraph\n"
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert files_under(tmp_path) == {"clean.txt"}  # no backup, no temporary file


def test_in_place_over_a_directory(tmp_path: Path) -> None:
    root = tmp_path / "d"
    a = write(root / "a.txt", "a<br>b\n")
    b = write(root / "sub" / "b.txt", "clean\n")
    hidden = write(root / ".h.txt", "h<br>i\n")
    result = invoke("--in-place", "--backup", "~", root)
    assert result.exit_code == 0, result.stderr_bytes
    assert a.read_bytes() == b"a\n\nb\n"
    assert b.read_bytes() == b"clean\n"
    assert hidden.read_bytes() == b"h<br>i\n"
    assert files_under(root) == {"a.txt", "a.txt~", "sub/b.txt", ".h.txt"}


def test_in_place_skips_binary_and_still_cleans_the_rest(tmp_path: Path) -> None:
    image = write(tmp_path / "d" / "image.png", png_like())
    text = write(tmp_path / "d" / "text.txt", "x<br>y\n")
    original = image.read_bytes()
    result = invoke("--in-place", tmp_path / "d")
    assert_failed_inputs(result, image)
    assert image.read_bytes() == original
    assert text.read_bytes() == b"x\n\ny\n"
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--in-place"], "stdin"),
        (["--in-place", "-"], "stdin"),
        (["--backup", ".bak", "FILE"], "--backup"),
        (["--in-place", "--backup", "", "FILE"], "--backup"),
        (["--in-place", "--backup", "x/y", "FILE"], "--backup"),
        (["--in-place", "-o", "OUT", "FILE"], "--in-place"),
    ],
)
def test_in_place_usage_errors(tmp_path: Path, args: list[str], fragment: str) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    args = [str(source) if a == "FILE" else a for a in args]
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    assert_usage_error(invoke(*args, input=b"x\n"), fragment)
    assert source.read_bytes() == b"x<br>y\n"
    assert files_under(tmp_path) == {"a.txt"}


# --- atomic writes ----------------------------------------------------------------------


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "a.txt", "a<br>b\n")
    write(root / "bad.bin", random.Random(2048).randbytes(2048))
    write(root / "sub" / "c.txt", "c\n")
    out = tmp_path / "out"
    result = invoke(root, "-o", out, "--report", tmp_path / "report.jsonl")
    assert result.exit_code == 2
    assert files_under(out) == {"a.txt", "sub/c.txt"}
    assert temporaries(tmp_path) == []
    assert not any(p.name.startswith(".") for p in out.rglob("*"))


def test_new_output_files_follow_the_umask(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x\n")
    old = os.umask(0o022)
    try:
        assert invoke(source, "-o", tmp_path / "out.txt").exit_code == 0
        assert invoke(source, "-o", f"{tmp_path / 'dir'}/").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "dir" / "a.txt").stat().st_mode) == 0o644


def test_rewriting_an_output_file_keeps_its_mode(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    target = write(tmp_path / "out.txt", "old\n")
    target.chmod(0o604)
    assert invoke(source, "-o", target).exit_code == 0
    assert target.read_bytes() == b"x\n\ny\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


@pytest.mark.parametrize("existing", [True, False])
def test_stdin_to_a_directory_is_a_usage_error(tmp_path: Path, existing: bool) -> None:
    out = tmp_path / "out"
    if existing:
        out.mkdir()
    assert_usage_error(invoke("-o", f"{out}/", input=b"x\n"), "-o")
    assert list(tmp_path.rglob("*")) == ([out] if existing else [])


def test_output_onto_a_directory_fails_without_leftovers(tmp_path: Path) -> None:
    source = write(tmp_path / "in" / "a.txt", "x\n")
    out = tmp_path / "out"
    (out / "a.txt").mkdir(parents=True)  # where the file would go is a directory
    result = invoke(source, "-o", out)
    lines = assert_failed_inputs(result, source)
    assert str(out / "a.txt") in lines[0]
    assert temporaries(tmp_path) == []
    assert files_under(out) == set()


def test_a_failure_midway_leaves_the_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path / "a.jsonl", '{"text": "a<br>b"}\n{"text": "c<br>d"}\n')
    source.chmod(0o640)
    original = source.read_bytes()
    real = cli_module._record_outcome

    def explode_on_line_two(record: Any, how: Any, line: int) -> object:
        if record.line.startswith(b'{"text": "c'):
            raise RuntimeError("disk on fire")
        return real(record, how, line)

    monkeypatch.setattr(cli_module, "_record_outcome", explode_on_line_two)
    result = invoke("--jsonl", "--in-place", "--backup", ".bak", source)
    lines = assert_failed_inputs(result, source)
    assert "disk on fire" in lines[0]
    assert source.read_bytes() == original
    assert files_under(tmp_path) == {"a.jsonl"}


# --- --jsonl ----------------------------------------------------------------------------


def test_jsonl_cleans_the_field_and_keeps_the_rest_in_order() -> None:
    line = '{"z": 1, "text": "x<br>y\\n", "a": [1, {"b": null}], "m": "<br>"}\n'
    result = invoke("--jsonl", input=line)
    assert result.exit_code == 0, result.stderr_bytes
    record = json.loads(result.stdout_bytes)
    assert list(record) == ["z", "text", "a", "m"]
    assert record == {"z": 1, "text": "x\n\ny", "a": [1, {"b": None}], "m": "<br>"}


def test_jsonl_field_option_chooses_the_field() -> None:
    line = json.dumps({"text": "t<br>u", "body": "b<br>c"}) + "\n"
    result = invoke("--jsonl", "--field", "body", input=line)
    assert result.exit_code == 0
    assert json.loads(result.stdout_bytes) == {"text": "t<br>u", "body": "b\n\nc"}


def test_jsonl_bad_lines_pass_through_with_one_error_each() -> None:
    lines = [
        '{"text": "one<br>two"}',
        "not json at all",
        '{"id": 2}',
        '{"text": 5}',
        "[1, 2]",
        '{"text": "three<br>four"}',
    ]
    result = invoke("--jsonl", input="".join(f"{line}\n" for line in lines))
    errors = assert_failed_inputs(result, "<stdin>:2", "<stdin>:3", "<stdin>:4", "<stdin>:5")
    assert "'text'" in errors[1]
    out = result.stdout_bytes.decode("utf-8").split("\n")
    assert out[-1] == ""
    out = out[:-1]
    assert len(out) == len(lines)
    assert out[1:5] == lines[1:5]  # byte for byte
    assert json.loads(out[0]) == {"text": "one\n\ntwo"}
    assert json.loads(out[5]) == {"text": "three\n\nfour"}


def test_jsonl_errors_name_file_and_line(tmp_path: Path) -> None:
    source = write(tmp_path / "in.jsonl", '{"text": "a<br>b"}\n{broken\n')
    out = tmp_path / "out.jsonl"
    result = invoke("--jsonl", source, "-o", out)
    assert_failed_inputs(result, f"{source}:2")
    assert out.read_text(encoding="utf-8").splitlines() == ['{"text":"a\\n\\nb"}', "{broken"]


def test_jsonl_one_output_line_per_input_line() -> None:
    text = "\r\n".join(json.dumps({"n": i, "text": f"p{i}<br>q"}) for i in range(5)) + "\r\n"
    result = invoke("--jsonl", input=text)
    assert result.exit_code == 0
    assert b"\r" not in result.stdout_bytes
    records = [json.loads(line) for line in result.stdout_bytes.decode().splitlines()]
    assert [r["n"] for r in records] == list(range(5))
    assert all(r["text"].endswith("q") and "<br>" not in r["text"] for r in records)


def test_jsonl_stored_text_has_no_trailing_newline() -> None:
    result = invoke("--jsonl", input='{"text": "para one\\n\\n\\npara two\\n\\n"}\n')
    assert json.loads(result.stdout_bytes)["text"] == "para one\n\npara two"


def test_jsonl_with_a_lone_surrogate_does_not_crash() -> None:
    lines = '{"text": "a\\ud800b<br>c"}\n{"text": "x<br>y"}\n'
    result = invoke("--jsonl", input=lines)
    assert_no_traceback(result)
    out = result.stdout_bytes.decode("utf-8").splitlines()
    assert len(out) == 2
    first = json.loads(out[0])["text"]
    assert first.startswith("a\ufffdb")  # a lone surrogate cannot be UTF-8 (issue 11)
    assert json.loads(out[1]) == {"text": "x\n\ny"}


def test_jsonl_with_a_byte_order_mark() -> None:
    result = invoke("--jsonl", input=b'\xef\xbb\xbf{"text": "x<br>y"}\n')
    assert result.exit_code == 0, result.stderr_bytes
    assert json.loads(result.stdout_bytes) == {"text": "x\n\ny"}


def test_jsonl_in_place_keeps_mode_and_backup(tmp_path: Path) -> None:
    source = write(tmp_path / "a.jsonl", '{"id": 1, "text": "x<br>y"}\n')
    source.chmod(0o640)
    result = invoke("--jsonl", "--in-place", "--backup", ".bak", source)
    assert result.exit_code == 0
    assert json.loads(source.read_bytes()) == {"id": 1, "text": "x\n\ny"}
    assert (tmp_path / "a.jsonl.bak").read_bytes() == b'{"id": 1, "text": "x<br>y"}\n'
    assert stat.S_IMODE(source.stat().st_mode) == 0o640


def test_jsonl_in_place_on_a_clean_file_changes_nothing(tmp_path: Path) -> None:
    content = b'{"id":1,"text":"clean"}\n{"text": "also clean", "x": [1,2]}\n'
    source = write(tmp_path / "a.jsonl", content)
    before = source.stat()
    result = invoke("--jsonl", "--in-place", "--backup", ".bak", source)
    assert result.exit_code == 0, result.stderr_bytes
    assert source.read_bytes() == content
    after = source.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert files_under(tmp_path) == {"a.jsonl"}


def test_jsonl_check_and_diff_write_nothing(tmp_path: Path) -> None:
    source = write(tmp_path / "a.jsonl", '{"text": "clean"}\n{"text": "x<br>y"}\n')
    check = invoke("--jsonl", "--check", source)
    assert check.exit_code == 1
    assert stderr_lines(check) == [f"would change {source}:2"]
    assert check.stdout_bytes == b""
    diff = invoke("--jsonl", "--diff", source)
    assert diff.exit_code == 0
    assert "-x<br>y" in diff.stdout_bytes.decode()
    assert files_under(tmp_path) == {"a.jsonl"}


def test_jsonl_report_has_a_line_per_record(tmp_path: Path) -> None:
    report = tmp_path / "r.jsonl"
    lines = '{"text": "x<br>y"}\n{"text": "clean"}\nnope\n'
    result = invoke("--jsonl", "--report", report, input=lines)
    assert result.exit_code == 2
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in records] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert [r.get("changed") for r in records] == [True, False, None]
    assert list(records[0]) == REPORT_KEYS
    assert set(records[2]) == {"source", "error"}


# --- --report ---------------------------------------------------------------------------


def test_report_describes_the_sample(tmp_path: Path, sample: bytes, expected: bytes) -> None:
    source = write(tmp_path / "page.txt", sample)
    report = tmp_path / "report.jsonl"
    result = invoke(source, "--report", report)
    assert result.exit_code == 0
    assert result.stdout_bytes == expected  # the text still goes to stdout
    (line,) = report.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert list(record) == REPORT_KEYS
    assert record["source"] == str(source)
    assert record["changed"] is True
    assert record["encoding"] == "utf-8"
    assert isinstance(record["confidence"], float)
    assert isinstance(record["evidence"], str) and record["evidence"]
    assert record["changes"]
    for change in record["changes"]:
        assert {"stage", "line", "before", "after", "reason"} <= set(change)
    stages = {c["stage"] for c in record["changes"]}
    assert {"markup", "script", "punctuation"} <= stages
    labels = {r["label"] for r in record["removed"]}
    assert {"SEO_SPAM", "BOILERPLATE", "META", "DUPLICATE", "MARKUP"} <= labels
    assert any(SPAM_HEADER in r["before"] for r in record["removed"])


def test_report_unchanged_document(tmp_path: Path) -> None:
    source = write(tmp_path / "clean.txt", "clean\n")
    report = tmp_path / "r.jsonl"
    result = invoke(source, "--report", report)
    assert result.stdout_bytes == b"clean\n"
    record = json.loads(report.read_text(encoding="utf-8"))
    assert record["changed"] is False
    assert record["changes"] == [] and record["removed"] == []


def test_report_dash_with_output_directory(tmp_path: Path) -> None:
    a = write(tmp_path / "in" / "a.txt", "a<br>b\n")
    b = write(tmp_path / "in" / "b.txt", "clean\n")
    result = invoke(a, b, "-o", tmp_path / "out", "--report", "-")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout_bytes.decode().splitlines()]
    assert [(r["source"], r["changed"]) for r in records] == [(str(a), True), (str(b), False)]


def test_report_dash_with_check_and_in_place(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "a<br>b\n")
    check = invoke(source, "--check", "--report", "-")
    assert check.exit_code == 1
    assert json.loads(check.stdout_bytes)["changed"] is True
    in_place = invoke(source, "--in-place", "--report", "-")
    assert in_place.exit_code == 0
    assert json.loads(in_place.stdout_bytes)["source"] == str(source)
    assert source.read_bytes() == b"a\n\nb\n"


@pytest.mark.parametrize("with_file", [False, True])
def test_report_dash_needs_the_text_elsewhere(tmp_path: Path, with_file: bool) -> None:
    args: list[object] = ["--report", "-"]
    if with_file:
        args.append(write(tmp_path / "a.txt", "x\n"))
    assert_usage_error(invoke(*args, input=b"x\n"), "--report")


def test_report_records_failures(tmp_path: Path) -> None:
    image = write(tmp_path / "in" / "image.png", png_like())
    good = write(tmp_path / "in" / "good.txt", "x<br>y\n")
    report = tmp_path / "r.jsonl"
    result = invoke(image, good, "-o", tmp_path / "out", "--report", report)
    assert_failed_inputs(result, image)
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2
    assert set(records[0]) == {"source", "error"}
    assert records[0]["source"] == str(image)
    assert records[0]["error"]
    assert records[1]["source"] == str(good) and records[1]["changed"] is True


def test_report_cannot_overwrite_an_input(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    assert_usage_error(invoke(source, "--report", source), "--report")
    assert source.read_bytes() == b"x<br>y\n"


def test_report_to_an_impossible_place_is_a_usage_error(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "x\n")
    blocker = write(tmp_path / "file", "")
    assert_usage_error(invoke(source, "--report", blocker / "r.jsonl"), "--report")


# --- --diff and --check -----------------------------------------------------------------


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "keep\nx<br>y\n")
    result = invoke("--diff", source)
    assert result.exit_code == 0
    diff = result.stdout_bytes.decode("utf-8")
    assert diff.startswith(f"--- a/{source}\n+++ b/{source}\n@@ ")
    assert "\n-x<br>y\n" in diff
    assert "\n+x\n" in diff and "\n+y\n" in diff
    assert source.read_bytes() == b"keep\nx<br>y\n"
    assert files_under(tmp_path) == {"a.txt"}


def test_diff_of_a_clean_file_is_empty(tmp_path: Path) -> None:
    result = invoke("--diff", write(tmp_path / "a.txt", "clean\n"))
    assert result.exit_code == 0
    assert result.stdout_bytes == b""


def test_diff_over_a_directory_needs_no_output(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "a<br>b\n")
    write(tmp_path / "d" / "b.txt", "clean\n")
    result = invoke("--diff", tmp_path / "d")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode().count("+++ b/") == 1
    assert files_under(tmp_path) == {"d/a.txt", "d/b.txt"}


def test_check_reports_what_would_change_and_exits_1(tmp_path: Path) -> None:
    dirty = write(tmp_path / "d" / "dirty.txt", "x<br>y\n")
    write(tmp_path / "d" / "clean.txt", "clean\n")
    result = invoke("--check", tmp_path / "d")
    assert result.exit_code == 1
    assert stderr_lines(result) == [f"would change {dirty}"]
    assert result.stdout_bytes == b""
    assert dirty.read_bytes() == b"x<br>y\n"
    assert files_under(tmp_path) == {"d/dirty.txt", "d/clean.txt"}


def test_check_on_stdin() -> None:
    result = invoke("--check", input=b"x<br>y\n")
    assert result.exit_code == 1
    assert stderr_lines(result) == ["would change <stdin>"]
    assert result.stdout_bytes == b""


def test_check_exits_0_when_nothing_would_change(tmp_path: Path, expected: bytes) -> None:
    result = invoke("--check", write(tmp_path / "golden.txt", expected))
    assert result.exit_code == 0
    assert result.stderr_bytes == b""
    assert result.stdout_bytes == b""


def test_check_with_a_failed_input_exits_2(tmp_path: Path) -> None:
    dirty = write(tmp_path / "dirty.txt", "x<br>y\n")
    image = write(tmp_path / "image.png", png_like())
    result = invoke("--check", dirty, image)
    assert result.exit_code == 2
    lines = stderr_lines(result)
    assert lines[0] == f"would change {dirty}"
    assert lines[1].startswith(f"textmend: {image}: ")
    assert len(lines) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--diff", "-o", "OUT"],
        ["--diff", "--in-place"],
        ["--check", "-o", "OUT"],
        ["--check", "--in-place"],
        ["--diff", "--check"],
    ],
)
def test_diff_and_check_usage_errors(tmp_path: Path, args: list[str]) -> None:
    source = write(tmp_path / "a.txt", "x<br>y\n")
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    assert_usage_error(invoke(*args, source))
    assert files_under(tmp_path) == {"a.txt"}


# --- --encoding -------------------------------------------------------------------------


def test_forced_gbk_decodes_a_gbk_file(tmp_path: Path) -> None:
    text = "中文测试，编码。\n"
    source = write(tmp_path / "gbk.txt", text.encode("gbk"))
    result = invoke("--encoding", "gbk", source)
    assert result.exit_code == 0
    assert result.stdout_bytes == text.encode("utf-8")


def test_forced_encoding_in_the_report(tmp_path: Path) -> None:
    source = write(tmp_path / "gbk.txt", "中文测试，编码。\n".encode("gbk"))
    result = invoke("--encoding", "GBK", source, "-o", tmp_path / "o.txt", "--report", "-")
    assert json.loads(result.stdout_bytes)["encoding"] == "gbk"


@pytest.mark.parametrize("codec", ["no-such-codec", "base64", "rot13"])
def test_unknown_or_non_text_encoding_is_a_usage_error(tmp_path: Path, codec: str) -> None:
    source = write(tmp_path / "a.txt", "x\n")
    assert_usage_error(invoke("--encoding", codec, source), codec)


def test_bytes_invalid_in_the_forced_codec_are_replaced_and_said(tmp_path: Path) -> None:
    # Issue 11: a forced codec decodes with replacement and says so; the file is written.
    gbk = write(tmp_path / "in" / "gbk.txt", "中文测试，编码。\n".encode("gbk"))
    ascii_file = write(tmp_path / "in" / "plain.txt", "plain<br>text\n")
    out = tmp_path / "out"
    result = invoke("--encoding", "utf-8", gbk, ascii_file, "-o", out)
    assert result.exit_code == 0
    lines = stderr_lines(result)
    assert len(lines) == 1 and ERROR_LINE.match(lines[0])
    assert lines[0].startswith(f"textmend: {gbk}: ")
    assert re.search(r": \d+ invalid byte sequences replaced with U\+FFFD \(utf-8\)$", lines[0])
    assert files_under(out) == {"gbk.txt", "plain.txt"}
    assert "\ufffd" in (out / "gbk.txt").read_text(encoding="utf-8")
    assert (out / "plain.txt").read_bytes() == b"plain\n\ntext\n"


def test_forced_single_byte_codec_still_skips_binary(tmp_path: Path) -> None:
    image = write(tmp_path / "image.png", png_like())
    good = write(tmp_path / "good.txt", "caf\xe9\n".encode("latin-1"))
    out = tmp_path / "out"
    result = invoke("--encoding", "latin-1", image, good, "-o", out)
    assert_failed_inputs(result, image)
    assert files_under(out) == {"good.txt"}
    assert (out / "good.txt").read_bytes() == "café\n".encode()


def test_forced_utf16(tmp_path: Path) -> None:
    source = write(tmp_path / "u.txt", "x<br>y\n".encode("utf-16-le"))
    result = invoke("--encoding", "utf-16-le", source)
    assert result.exit_code == 0, result.stderr_bytes
    assert result.stdout_bytes == b"x\n\ny\n"


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        (
            "gbk",
            "政务微博十年致敬初心，助力指尖上的网上政府。\n\n回首十年，致敬初心。"
            "十二月三十日，由天津市互联网信息办公室指导。\n",
        ),
        (
            "big5",
            "政務微博十年致敬初心，助力指尖上的網上政府。\n\n回首十年，致敬初心。"
            "十二月三十日，由天津市互聯網信息辦公室指導。\n",
        ),
        ("utf-16", "政务微博十年致敬初心，助力指尖上的网上政府。\n\nThe end.\n"),
        ("utf-8-sig", "政务微博十年致敬初心。\n"),
    ],
)
def test_legacy_encodings_come_out_as_utf8(tmp_path: Path, codec: str, text: str) -> None:
    source = write(tmp_path / "legacy.txt", text.encode(codec))
    result = invoke(source)
    assert result.exit_code == 0, result.stderr_bytes
    assert result.stdout_bytes == text.encode("utf-8")
    out = tmp_path / "out"
    assert invoke(source, "-o", f"{out}/").exit_code == 0
    assert (out / "legacy.txt").read_bytes() == text.encode("utf-8")


# --- --to -------------------------------------------------------------------------------


def test_to_traditional_converts_simplified() -> None:
    result = invoke("--to", "traditional", input=SIMPLIFIED.encode())
    assert result.stdout_bytes.decode() == SIMPLIFIED_AS_TRADITIONAL


def test_to_simplified_converts_genuine_traditional() -> None:
    result = invoke("--to", "simplified", input=TRADITIONAL.encode())
    assert result.stdout_bytes.decode() == TRADITIONAL_AS_SIMPLIFIED


@pytest.mark.parametrize("args", [[], ["--to", "auto"], ["--to", "keep"]])
def test_auto_and_keep_leave_genuine_traditional_alone(args: list[str]) -> None:
    result = invoke(*args, input=TRADITIONAL.encode())
    assert result.exit_code == 0
    assert result.stdout_bytes.decode() == TRADITIONAL


@pytest.mark.parametrize(("to", "expected"), [("tw", "軟體和滑鼠\n"), ("hk", "軟件和鼠標\n")])
def test_to_taiwan_and_hong_kong_standards(to: str, expected: str) -> None:
    result = invoke("--to", to, input="软件和鼠标\n".encode())
    assert result.exit_code == 0
    assert result.stdout_bytes.decode() == expected


def test_keep_leaves_simplified_alone() -> None:
    result = invoke("--to", "keep", input=SIMPLIFIED.encode())
    assert result.stdout_bytes.decode() == SIMPLIFIED


def test_to_rejects_other_values() -> None:
    assert_usage_error(invoke("--to", "klingon", input=b"x\n"), "--to")


# --- stage switches ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("switch", "kept", "gone"),
    [
        ("--no-junk", SPAM_HEADER, SPAM_HEADER),
        ("--no-script", "政務(wù)", "政務(wù)"),
        ("--no-punctuation", "回首十年,“致敬·初心”", "回首十年,"),
    ],
)
def test_stage_switch_on_the_sample(
    sample: bytes, default_sample_output: str, switch: str, kept: str, gone: str
) -> None:
    result = invoke(switch, input=sample)
    assert result.exit_code == 0
    assert kept in result.stdout_bytes.decode("utf-8")
    assert gone not in default_sample_output


def test_no_markup_leaves_the_residue_as_text(sample: bytes, default_sample_output: str) -> None:
    # The residue lines lie outside the article: junk removes them too, unless told not to.
    result = invoke("--no-markup", "--no-junk", input=sample)
    assert '<span id="ixlwe">' in result.stdout_bytes.decode("utf-8")
    assert "ixlwe" not in invoke("--no-junk", input=sample).stdout_bytes.decode("utf-8")
    assert "ixlwe" not in default_sample_output


def test_no_punctuation_keeps_ascii_commas_in_the_restored_text(sample: bytes) -> None:
    text = invoke("--no-punctuation", input=sample).stdout_bytes.decode("utf-8")
    assert "政务微博" in text and "政務" not in text  # the script was still restored
    assert "回首十年,“致敬·初心”。" in text


def test_default_restores_the_sample_punctuation(default_sample_output: str) -> None:
    assert "回首十年，“致敬·初心”。" in default_sample_output


def test_no_repair_keeps_mojibake() -> None:
    assert invoke(input=MOJIBAKE.encode()).stdout_bytes.decode() == REPAIRED
    assert invoke("--no-repair", input=MOJIBAKE.encode()).stdout_bytes.decode() == MOJIBAKE


@pytest.mark.parametrize("stage", ["repair", "markup", "script", "punctuation", "junk"])
def test_positive_stage_switch_is_the_default(sample: bytes, expected: bytes, stage: str) -> None:
    assert invoke(f"--{stage}", input=sample).stdout_bytes == expected


def test_stage_switches_are_reported(tmp_path: Path) -> None:
    result = invoke("--no-markup", "--check", "--report", "-", input=b"x<br>y\n")
    record = json.loads(result.stdout_bytes)
    assert all(c["stage"] != "markup" for c in record["changes"])


# --- failures and exit status -----------------------------------------------------------


def test_binary_files_are_skipped_and_the_others_written(tmp_path: Path) -> None:
    image = write(tmp_path / "in" / "a_image.png", png_like())
    noise = write(tmp_path / "in" / "b_noise.bin", random.Random(4096).randbytes(4096))
    text = write(tmp_path / "in" / "c_text.txt", "x<br>y\n")
    out = tmp_path / "out"
    result = invoke(image, noise, text, "-o", out)
    lines = assert_failed_inputs(result, image, noise)
    assert all("skipped" in line for line in lines)
    assert files_under(out) == {"c_text.txt"}
    assert (out / "c_text.txt").read_bytes() == b"x\n\ny\n"


def test_binary_in_a_directory_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "in"
    noise = write(root / "noise.bin", random.Random(1024).randbytes(1024))
    write(root / "text.txt", "text\n")
    result = invoke(root, "-o", tmp_path / "out")
    assert_failed_inputs(result, noise)
    assert files_under(tmp_path / "out") == {"text.txt"}


def test_binary_on_stdin() -> None:
    result = invoke(input=png_like())
    assert_failed_inputs(result, "<stdin>")
    assert result.stdout_bytes == b""


def test_a_binary_single_file_writes_nothing(tmp_path: Path) -> None:
    image = write(tmp_path / "image.png", png_like())
    result = invoke(image, "-o", tmp_path / "out.txt")
    assert_failed_inputs(result, image)
    assert not (tmp_path / "out.txt").exists()


def test_undecodable_file_names_do_not_crash(tmp_path: Path) -> None:
    root = tmp_path / "d"
    root.mkdir()
    name = os.fsdecode(b"\xff-name.txt")
    try:
        (root / name).write_bytes(b"x<br>y\n")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses undecodable names")
    for args in (["-o", tmp_path / "out", "--report", "-"], ["--diff"], ["--check"]):
        result = invoke(root, *args)
        assert result.exit_code in (0, 1), result.stderr_bytes
        assert_no_traceback(result)
    assert (tmp_path / "out" / name).read_bytes() == b"x\n\ny\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["-o"],
        ["--to"],
        ["--encoding"],
        ["--report"],
        ["--field"],
        ["--no-such-stage"],
        ["--check", "--diff"],
    ],
)
def test_usage_errors_are_one_line(args: list[str]) -> None:
    assert_usage_error(invoke(*args, input=b"x\n"))


# --- output layout ----------------------------------------------------------------------

MESSY = (
    b"  \t First paragraph.\r\n"
    b"\r\n\r\n\r\n"
    b"\t\tSecond paragraph.   \r\n"
    b"\xe3\x80\x80\xe3\x80\x80\xe7\xac\xac\xe4\xb8\x89\xe6\xae\xb5\xe3\x80\x82\r\n"
    b"   \r\n"
    b"Fourth, no final newline."
)
TIDY = ("First paragraph.\n\nSecond paragraph.\n\n第三段。\n\nFourth, no final newline.\n").encode()


def test_layout_from_stdin() -> None:
    result = invoke(input=MESSY)
    assert result.exit_code == 0
    assert result.stdout_bytes == TIDY


def test_layout_from_a_file_to_a_file(tmp_path: Path) -> None:
    source = write(tmp_path / "messy.txt", MESSY)
    target = tmp_path / "tidy.txt"
    assert invoke(source, "-o", target).exit_code == 0
    assert target.read_bytes() == TIDY


def test_layout_in_place(tmp_path: Path) -> None:
    source = write(tmp_path / "messy.txt", MESSY)
    assert invoke("--in-place", source).exit_code == 0
    assert source.read_bytes() == TIDY


def test_layout_of_the_golden_output(expected: bytes) -> None:
    text = invoke(input=expected).stdout_bytes.decode("utf-8")
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text
    for paragraph in text.removesuffix("\n").split("\n\n"):
        assert paragraph and "\n" not in paragraph
        assert paragraph == paragraph.strip(" \t\u3000")


def test_empty_input_gives_empty_output() -> None:
    result = invoke(input=b"")
    assert result.exit_code == 0
    assert result.stdout_bytes == b""


# --- --version and --help ---------------------------------------------------------------


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str) -> None:
    result = invoke(flag)
    assert result.exit_code == 0
    assert textmend.__version__ in result.stdout_bytes.decode()
    assert result.stdout_bytes.decode().startswith("textmend")


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_lists_the_options(flag: str) -> None:
    result = invoke(flag)
    assert result.exit_code == 0
    text = result.stdout_bytes.decode()
    assert "[OPTIONS] [PATH]..." in text
    for option in [
        "-o, --output",
        "--in-place",
        "--backup",
        "--jsonl",
        "--field",
        "--report",
        "--diff",
        "--check",
        "--encoding",
        "--to",
        "--no-repair",
        "--no-markup",
        "--no-script",
        "--no-punctuation",
        "--no-junk",
        "-V, --version",
        "-h, --help",
    ]:
        assert option in text, option


# --- later additions ------------------------------------------------------------------


def test_dash_as_output_means_stdout(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(MOJIBAKE, encoding="utf-8")
    result = invoke(source, "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes == REPAIRED.encode("utf-8")
    assert not (Path.cwd() / "-").exists()


def test_in_place_through_a_symlink_rewrites_the_target(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text(MOJIBAKE, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = invoke("--in-place", link)
    assert result.exit_code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == REPAIRED


def test_help_names_the_program() -> None:
    assert invoke("--help").stdout_bytes.decode().startswith("Usage: textmend ")


def test_detect_prints_each_inputs_encoding(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("这是一个用来检测编码的中文句子，内容很普通。".encode("gbk"))
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text("纯文本", encoding="utf-8")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    report = tmp_path / "report.jsonl"
    result = invoke("--detect", gbk, utf8, binary, "--report", report)
    assert result.exit_code == 2
    lines = result.stdout_bytes.decode().splitlines()
    assert lines[0].startswith(f"{gbk}: gb2312 (confidence ")
    assert "runner-up" in lines[0]
    assert lines[1] == f"{utf8}: utf-8 (confidence 1.000)"
    assert stderr_lines(result) == [f"textmend: {binary}: binary data (NUL bytes), not text"]
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert records[0]["encoding"] == "gb2312" and records[0]["segments"][0]["start"] == 0
    assert records[2]["error"].startswith("binary data")
    assert not (tmp_path / "out").exists()


def test_detect_reports_mixed_segments(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.txt"
    lines = [
        "第一行是UTF-8编码的中文。",
        "这一行被人用GBK编码粘贴进来了。",
        "最后一行又是UTF-8编码。",
    ]
    mixed.write_bytes(
        b"\n".join(line.encode("gbk" if i == 1 else "utf-8") for i, line in enumerate(lines))
    )
    result = invoke("--detect", mixed)
    assert result.exit_code == 0
    line = result.stdout_bytes.decode().strip()
    assert line.startswith(f"{mixed}: mixed (")
    assert "utf-8@0-" in line and "gb2312@" in line


def test_detect_refuses_writing_options(tmp_path: Path) -> None:
    assert_usage_error(invoke("--detect", "--check", SAMPLE), "--detect only reads")


@pytest.mark.parametrize(
    ("lossy", "expected"),
    [
        ("keep", "锟斤拷锟斤拷乱码\n"),
        ("mark", "\ufffd\ufffd\ufffd\ufffd乱码\n"),
        ("drop", "乱码\n"),
    ],
)
def test_lossy_option(lossy: str, expected: str) -> None:
    result = invoke("--lossy", lossy, input="锟斤拷锟斤拷乱码\n".encode())
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8") == expected


def test_unknown_lossy_policy_is_a_usage_error() -> None:
    assert_usage_error(invoke("--lossy", "burn", input=b"x"), "--lossy")


def test_report_says_what_was_repaired_and_what_was_lost(tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"
    source = tmp_path / "in.txt"
    source.write_text("鍙戝竷新闻，锟斤拷\n", encoding="utf-8")
    result = invoke(source, "-o", tmp_path / "out.txt", "--report", report)
    assert result.exit_code == 0
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "发布新闻，锟斤拷\n"
    reasons = [c["reason"] for c in json.loads(report.read_text(encoding="utf-8"))["changes"]]
    assert any("UTF-8 bytes read as GBK" in r for r in reasons)
    assert any("--lossy keep" in r for r in reasons)


# --- HTML, --keep, --dedupe-lines ----------------------------------------------------------

PAGE = (
    "<!DOCTYPE html><html><head><title>测试新闻标题 - 某某网</title></head><body>"
    "<article><h1>测试新闻标题</h1>"
    "<p>北京时间昨天晚上，国家统计局发布了最新的经济数据，数据显示今年前三季度国内生产总值同比增长百分之五。</p>"
    "<p>专家认为，消费和投资的恢复是经济增长的主要动力，预计全年经济将保持稳定增长的态势。</p>"
    "</article></body></html>"
)


def test_html_pages_are_extracted_and_text_can_be_forced() -> None:
    result = invoke(input=PAGE.encode())
    assert result.exit_code == 0
    assert result.stdout_bytes.decode().startswith("测试新闻标题\n\n北京时间")
    as_text = invoke("--text", "--no-junk", input=PAGE.encode())
    assert "某某网" in as_text.stdout_bytes.decode()  # the <title> text, not extracted


ARTICLE_WITH_META = "记者：张三\n北京时间昨天晚上，国家统计局发布了最新的经济数据，增长百分之五。\n"


def test_keep_keeps_the_named_labels() -> None:
    dropped = invoke(input=ARTICLE_WITH_META.encode())
    assert "记者" not in dropped.stdout_bytes.decode()
    kept = invoke("--keep", "meta", input=ARTICLE_WITH_META.encode())
    assert kept.stdout_bytes.decode().startswith("记者：张三")


def test_keep_rejects_unknown_labels() -> None:
    assert_usage_error(invoke("--keep", "FOO", input=b"x\n"), "--keep")


def test_dedupe_lines_drops_what_repeats_across_the_batch(tmp_path: Path) -> None:
    footer = "本期内容到此结束，下周同一时间再见"
    for n in range(4):
        body = f"第{n}篇文章的正文，这里讲了一件事，很有意思。\n{footer}\n"
        write(tmp_path / "in" / f"{n}.txt", body.encode())
    out = tmp_path / "out"
    assert invoke(str(tmp_path / "in"), "-o", f"{out}/").exit_code == 0
    assert footer in (out / "0.txt").read_text(encoding="utf-8")
    deduped = tmp_path / "deduped"
    assert invoke(str(tmp_path / "in"), "-o", f"{deduped}/", "--dedupe-lines").exit_code == 0
    for n in range(4):
        text = (deduped / f"{n}.txt").read_text(encoding="utf-8")
        assert footer not in text and f"第{n}篇" in text


def test_dedupe_lines_needs_files() -> None:
    assert_usage_error(invoke("--dedupe-lines", input=b"x\n"), "--dedupe-lines")


def test_shell_completion_completes_file_names_and_options() -> None:
    """click's completion (docs/command-line.md: eval "$(_TEXTMEND_COMPLETE=bash_source textmend)"):
    PATH arguments are file paths, so the shell completes file names."""
    import os
    import subprocess
    import sys

    def complete(words: str) -> str:
        env = {**os.environ, "_TEXTMEND_COMPLETE": "bash_complete", "COMP_WORDS": words}
        env["COMP_CWORD"] = str(len(words.split()) - 1)
        command = str(Path(sys.executable).with_name("textmend"))  # the console script
        run = subprocess.run([command], env=env, capture_output=True, text=True)
        return run.stdout

    assert complete("textmend sampl").splitlines()[0].startswith("file,")
    assert "plain,--html-reader" in complete("textmend --html-r")


def test_jsonl_records_come_out_compact_cleaned_or_not(tmp_path: Path) -> None:
    source = write(tmp_path / "in.jsonl", '{"id":1,"text":"clean"}\n{"id":2,"text":"a<br>b"}\n')
    out = tmp_path / "out.jsonl"
    result = invoke("--jsonl", source, "-o", out)
    assert result.exit_code == 0, result.stderr_bytes
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == ['{"id":1,"text":"clean"}', '{"id":2,"text":"a\\n\\nb"}']


def test_pages_of_a_batch_are_written_as_txt_unless_said_to_be_text(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    page = "<!DOCTYPE html><html><body><p>北京时间昨天晚上，统计局发布了数据。</p></body></html>"
    write(pages / "a.html", page)
    write(pages / "sub" / "b.HTM", page)
    write(pages / "c.txt", "正文。")
    out = tmp_path / "out"
    result = invoke(pages, "-o", out)
    assert result.exit_code == 0, result.stderr_bytes
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["a.txt", "c.txt", "sub/b.txt"]
    kept = tmp_path / "kept"
    assert invoke("--text", pages, "-o", kept).exit_code == 0
    assert (kept / "a.html").is_file()
