"""Cleaning in several processes: `textmend.Cleaner.clean_many` and `--jobs` give
exactly what one process gives, in input order, bad documents in their place."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import textmend
import textmend.cli
from textmend.blocks import STREAM_BLOCK_BYTES
from textmend.cli import cli
from textmend.decode import DecodeError
from textmend.parallel import BATCH_DOCUMENTS, ordered_map, workers

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "spam_page_zh.txt"

# A mixed corpus: clean text, mojibake, machine-converted script, markup, an HTML
# page, and lines that are not records at all (each reported, none fatal).
RECORDS = [
    {"id": 1, "text": "Plain English stays as it is."},
    {"id": 2, "text": "鍙戝竷浼氫笂锛屼粬璇达細鈥滄垜浠細缁х画鍔姏銆傗€"},
    {"id": 3, "text": "政務(wù)微博的發展，記者報道。"},
    {"id": 4, "text": "x<br>y &amp; z"},
    {
        "id": 5,
        "text": "<html><head><title>T</title></head><body><p>正文内容在这里。</p></body></html>",
    },
    {"id": 6, "text": 42},
    {"id": 7},
    {"id": 8, "text": "CafÃ© au lait"},
]
BAD_LINES = ["not json at all", "[1, 2, 3]", ""]


def corpus() -> str:
    lines = [json.dumps(record, ensure_ascii=False) for record in RECORDS]
    lines[3:3] = BAD_LINES
    lines.append(json.dumps({"text": SAMPLE.read_text(encoding="utf-8")}, ensure_ascii=False))
    return "\n".join(lines * 20) + "\n"  # more lines than one batch


def invoke(*args: str, input: str | None = None) -> tuple[int, bytes, bytes]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


@pytest.fixture(params=[textmend.cli.JSONL_CHUNK_BYTES, 2000], ids=["chunks", "small-chunks"])
def chunk_bytes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """With --jobs, JSONL lines go to the workers in chunks of about this many bytes:
    the default, and small ones, so that the corpus below spans many chunks."""
    monkeypatch.setattr(textmend.cli, "JSONL_CHUNK_BYTES", request.param)
    return int(request.param)


@pytest.mark.parametrize(
    ("extra", "report"),
    [((), True), (("--check",), True), (("--diff",), True), ((), False)],
    ids=["output", "check", "diff", "no-report"],
)
def test_jsonl_jobs_give_the_serial_output(
    tmp_path: Path, extra: tuple[str, ...], report: bool, chunk_bytes: int
) -> None:
    """Without --report the workers send back no changes: the output is the same."""
    data = corpus()
    assert data.count("\n") > BATCH_DOCUMENTS
    outputs = []
    for jobs in ("1", "2", "0"):
        path = tmp_path / f"report-{jobs}.jsonl"
        asked = ("--report", str(path)) if report else ()
        code, out, err = invoke("--jsonl", "-j", jobs, *asked, *extra, input=data)
        outputs.append((code, out, err, path.read_bytes() if report else b""))
    assert outputs[1] == outputs[0]
    assert outputs[2] == outputs[0]
    code, out, err, written = outputs[0]
    assert code == 2  # four lines of each copy are not records: failures, reported
    assert err.count(b"line kept as it was") == 4 * 20
    assert written.count(b'"error"') == (4 * 20 if report else 0)


def test_jsonl_jobs_clean_in_input_order(chunk_bytes: int) -> None:
    records = [{"n": n, "text": f"第{n}行<br>内容"} for n in range(3 * BATCH_DOCUMENTS + 5)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    code, out, _ = invoke("--jsonl", "--jobs", "2", input=data)
    assert code == 0
    numbers = [json.loads(line)["n"] for line in out.decode().splitlines()]
    assert numbers == list(range(len(records)))


def test_negative_jobs_is_a_usage_error() -> None:
    code, _, err = invoke("--jsonl", "--jobs", "-1", input="{}\n")
    assert code == 2
    assert b"--jobs" in err


def test_clean_many_matches_clean_document_in_order() -> None:
    cleaner = textmend.Cleaner(to="simplified")
    documents = [r["text"] for r in RECORDS if isinstance(r.get("text"), str)] * 30
    documents += [b"\x00\x01\x02\x03" * 10, "政務(wù)微博".encode("big5", errors="ignore")]
    serial = list(cleaner.clean_many(documents, jobs=1))
    parallel = list(cleaner.clean_many(documents, jobs=2))
    assert len(serial) == len(parallel) == len(documents)
    for document, one, many in zip(documents, serial, parallel, strict=True):
        if isinstance(one, Exception):
            assert isinstance(one, DecodeError)
            assert type(many) is type(one) and str(many) == str(one)
            continue
        assert not isinstance(many, Exception)
        expected = textmend.clean_document(document, to="simplified")
        assert one.text == many.text == expected.text
        assert one.changes == many.changes == expected.changes


def test_clean_many_reads_an_endless_input_lazily() -> None:
    cleaner = textmend.Cleaner()
    endless = (f"第{n}段<br>正文" for n in itertools.count())
    first = list(itertools.islice(cleaner.clean_many(endless, jobs=2), 5))
    assert [r.text for r in first] == [f"第{n}段\n\n正文\n" for n in range(5)]  # type: ignore[union-attr]


def test_cleaner_is_the_functions_with_fixed_options() -> None:
    cleaner = textmend.Cleaner(lossy="mark", punctuation=False)
    text = "他说,锟斤拷好"
    assert cleaner.clean(text) == textmend.clean(text, lossy="mark", punctuation=False)
    with pytest.raises(TypeError):
        textmend.Cleaner(colour="blue")


def test_ordered_map_returns_exceptions_in_place() -> None:
    results = list(ordered_map(int, ["1", "x", "3"] * 50, jobs=2))
    assert results[:3][0] == 1 and results[2] == 3
    assert isinstance(results[1], ValueError)
    assert [r for r in results if not isinstance(r, Exception)] == [1, 3] * 50


def test_workers() -> None:
    assert workers(3) == 3
    assert workers(0) >= 1
    with pytest.raises(ValueError):
        workers(-1)


# --- files and directories with --jobs -----------------------------------------------


def make_tree(root: Path, big: bool) -> Path:
    """Files of every kind the command meets, cleaned whole, and with `big` one cleaned
    block by block (past one stream block, left to the usual path)."""
    pages = root / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "a.txt").write_bytes(SAMPLE.read_bytes())
    (pages / "b.txt").write_bytes("这是一个简单的中文文件，记者报道。".encode("gbk"))
    (pages / "c.txt").write_bytes("這是繁體中文的文章內容。".encode("big5"))
    (pages / "d.txt").write_bytes(bytes(range(256)))  # binary: refused
    (pages / "e.txt").write_bytes(b"")
    (pages / "sub" / "f.html").write_text(
        "<html><head><title>T</title></head><body><p>正文在这里。</p></body></html>",
        encoding="utf-8",
    )
    (pages / "sub" / "g.txt").write_text("CafÃ© au lait<br>x\n", encoding="utf-8")
    if big:
        lines = ("第一行内容，记者报道。<br>\n" * 160_000).encode("gbk")
        assert len(lines) > STREAM_BLOCK_BYTES
        (pages / "sub" / "h.txt").write_bytes(lines)
    for n in range(70):  # more files than one batch
        (pages / "sub" / f"n{n:02d}.txt").write_text(f"第{n}段<br>正文\n", encoding="utf-8")
    return pages


def tree_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("mode", ["output", "check", "diff", "in-place"])
def test_file_jobs_give_the_serial_output(tmp_path: Path, mode: str) -> None:
    runs = []
    for jobs in ("1", "2"):
        root = tmp_path / jobs
        pages = make_tree(root, big=mode == "output")
        report = root / "report.jsonl"
        args = {
            "output": ["-o", str(root / "out")],
            "check": ["--check"],
            "diff": ["--diff"],
            "in-place": ["--in-place"],
        }[mode]
        code, out, err = invoke(str(pages), *args, "--report", str(report), "-j", jobs)
        text = err.decode().replace(str(root), "ROOT")
        report_text = report.read_text(encoding="utf-8").replace(str(root), "ROOT")
        report.unlink()
        runs.append(
            (code, out.replace(str(root).encode(), b"ROOT"), text, report_text, tree_of(root))
        )
    assert runs[1] == runs[0]
    code, _, err, report_text, files = runs[0]
    assert code in (1, 2)  # the binary file fails (2); --check alone may say 1
    assert "d.txt: binary data" in err
    assert report_text.count('"source"') == len([n for n in files if n.startswith("pages/")])


def test_stdin_with_jobs_is_cleaned_as_without() -> None:
    data = SAMPLE.read_text(encoding="utf-8")
    assert invoke("-j", "2", input=data) == invoke(input=data)


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_jsonl_file_jobs_read_their_ranges_as_the_serial_run_reads_lines(
    tmp_path: Path, chunk_bytes: int, ending: str
) -> None:
    """With --jobs a regular file is cut into byte ranges the workers read themselves:
    a byte order mark, CR LF ends and a last line without one come out as with -j 1,
    and every message names the right line."""
    source = tmp_path / "in.jsonl"
    text = corpus().replace("\n", ending).removesuffix(ending)  # no end on the last line
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    outputs = []
    for jobs in ("1", "2"):
        report = tmp_path / f"report-{jobs}.jsonl"
        code, out, err = invoke("--jsonl", str(source), "-j", jobs, "--report", str(report))
        outputs.append((code, out, err, report.read_bytes()))
    assert outputs[1] == outputs[0]
    code, out, err, _ = outputs[0]
    assert code == 2 and out.count(b"\n") == text.count(ending) + 1
    assert f"{source}:4: not a JSON line".encode() in err  # the first bad line of the corpus


def test_workers_are_not_forked_beside_other_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies the locks other threads hold: with another thread running (as
    counted by `threading.active_count`), the pool is spawned, and gives the same
    results."""
    import textmend.parallel as parallel

    contexts: list[str] = []
    real = parallel.multiprocessing.get_context

    def spy(method: str | None = None) -> object:
        contexts.append(str(method))
        return real(method)

    monkeypatch.setattr(parallel.multiprocessing, "get_context", spy)
    documents = ["正文<br>内容", "CafÃ© au lait"] * 3
    expected = [textmend.clean(d) for d in documents]
    for threads in (1, 2):
        monkeypatch.setattr(parallel.threading, "active_count", lambda n=threads: n)
        assert [r.text for r in textmend.Cleaner().clean_many(documents, jobs=2)] == expected
    assert contexts == ["fork", "spawn"]


def test_jsonl_jobs_in_spawned_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where workers cannot be forked (another thread runs, or no fork on the platform),
    spawned ones get what a chunk needs by pickling, and clean as a forked one does."""
    import textmend.parallel as parallel

    source = tmp_path / "in.jsonl"
    source.write_text(corpus(), encoding="utf-8")
    serial = invoke("--jsonl", str(source), "-j", "1")
    monkeypatch.setattr(parallel, "_can_fork", lambda: False)
    assert invoke("--jsonl", str(source), "-j", "2") == serial
