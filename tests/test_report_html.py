"""--report-html: the run's audit page (`textmend.report_html`), through CliRunner, and
in a real headless browser (Chromium) where one is installed."""

from __future__ import annotations

import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import textmend
from textmend import blocks
from textmend.cli import cli
from textmend.report_html import HtmlReport, align, iter_documents, write_report_html

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE = SAMPLES / "spam_page_zh.txt"
EXPECTED = SAMPLES / "spam_page_zh.expected.txt"
SPAM_HEADER = "精品国产亚洲一区二区三区|亚洲国产精彩中文乱码AV"
FOOTER = "長(zhǎng)按掃碼 閱讀全文"  # the sample's last line, removed as BOILERPLATE
TRICKY = "a</script><script>alert(1)</script> <!-- b --> ]]> &amp; \u2028 <b>c</b>\n"
TRICKY_NAME = "x<script><!--y.txt"
ARTICLE = "正文内容在这里，一段很长的文章，写了很多内容。这是第二句话，记者在现场报道。"


def invoke(*args: object, input: bytes | str | None = None) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def summary_of(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="summary-data">(.*?)</script>', page)
    assert found is not None
    data: dict[str, Any] = json.loads(found[1])
    return data


def read_page(path: Path) -> tuple[str, list[dict[str, Any]]]:
    page = path.read_text(encoding="utf-8")
    return page, list(iter_documents(page))


def batch(root: Path) -> Path:
    """The sample, a clean file, a file whose name and text hold markup, a binary file."""
    write(root / "in" / "page.txt", SAMPLE.read_bytes())
    write(root / "in" / "clean.txt", "clean\n")
    write(root / "in" / "sub" / TRICKY_NAME, TRICKY)
    write(root / "in" / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return root / "in"


# --- the page's content -------------------------------------------------------------------


def test_page_of_the_sample(tmp_path: Path) -> None:
    page_path, report = tmp_path / "page.html", tmp_path / "r.jsonl"
    result = invoke(SAMPLE, "--report-html", page_path, "--report", report)
    assert result.exit_code == 0
    assert result.stdout_bytes == EXPECTED.read_bytes()  # the text still goes to stdout
    page, docs = read_page(page_path)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    (doc,) = docs
    assert doc["name"] == str(SAMPLE) and doc["status"] == "ok" and doc["changed"] is True
    assert doc["encoding"] == "utf-8" and doc["evidence"] == "decodes strictly as UTF-8"
    assert doc["input"] == SAMPLE.read_text(encoding="utf-8")
    assert doc["output"] == EXPECTED.read_text(encoding="utf-8")
    assert doc["bytes_in"] == SAMPLE.stat().st_size
    assert doc["bytes_out"] == EXPECTED.stat().st_size
    # Every removed line is traced to its input line: the header to the first, the
    # footer (converted from traditional script before it was removed) to the last.
    record = json.loads(report.read_text(encoding="utf-8"))
    labels = [row[1] for row in doc["removed"]]
    assert labels == [r["label"] for r in record["removed"]]
    lines = doc["input"].split("\n")
    origins = doc["align"]["removed"]
    assert -1 not in origins and doc["align"]["exact"] is True
    assert SPAM_HEADER in lines[origins[labels.index("SEO_SPAM")]]
    assert lines[origins[-1]].strip() == FOOTER and labels[-1] == "BOILERPLATE"
    # The summary counts what --report says.
    summary = summary_of(page)
    assert summary["documents"] == 1 and summary["changed"] == 1 and summary["failed"] == 0
    assert summary["removed"] == {label: labels.count(label) for label in set(labels)}
    stages: dict[str, int] = {}
    for change in record["changes"]:
        if "kind" not in change:
            stages[change["stage"]] = stages.get(change["stage"], 0) + 1
    assert summary["changes"] == stages
    assert 'data-stage="script"' in page and 'data-label="SEO_SPAM"' in page


def test_page_is_self_contained(tmp_path: Path) -> None:
    page_path = tmp_path / "page.html"
    invoke(batch(tmp_path), "-o", tmp_path / "out", "--report-html", page_path)
    page = page_path.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:[a-z]+:)?//""", page, re.I)
    assert not re.search(r"<link\b|<iframe\b|<img\b|@import|url\(|https?://", page, re.I)
    assert page.count("<style>") == 1 and page.count("</style>") == 1


def test_markup_in_names_and_texts_cannot_break_the_page(tmp_path: Path) -> None:
    page_path = tmp_path / "page.html"
    invoke(batch(tmp_path), "-o", tmp_path / "out", "--report-html", page_path)
    page, docs = read_page(page_path)
    # Every script element the page opens is closed by its own end tag; no comment.
    assert page.count("</script>") == len(re.findall(r"<script\b", page))
    assert "<!--" not in page and "]]>" not in page
    tricky = next(doc for doc in docs if doc["name"].endswith(TRICKY_NAME))
    assert tricky["input"] == TRICKY
    # The summary's tables escape the names of failures.
    write(tmp_path / "bad" / "a<b>.bin", b"\x00\x01\x02" * 100)
    invoke(tmp_path / "bad", "-o", tmp_path / "out2", "--report-html", page_path)
    page = page_path.read_text(encoding="utf-8")
    assert "a&lt;b&gt;.bin" in page and "<b>.bin" not in page


def test_lone_surrogates_become_escapes(tmp_path: Path) -> None:
    page_path = tmp_path / "page.html"
    lines = '{"text": "a\\ud800b<br>c"}\n'
    result = invoke("--jsonl", "-o", tmp_path / "o.jsonl", "--report-html", page_path, input=lines)
    assert result.exit_code == 0
    page = page_path.read_bytes().decode("utf-8")  # valid UTF-8 throughout
    (doc,) = iter_documents(page)
    assert doc["input"] == "a\ud800b<br>c"


def test_batch_with_a_failure(tmp_path: Path) -> None:
    page_path, report = tmp_path / "page.html", tmp_path / "r.jsonl"
    source = batch(tmp_path)
    result = invoke(source, "-o", tmp_path / "out", "--report-html", page_path, "--report", report)
    assert result.exit_code == 2  # the binary file failed; the others were cleaned
    page, docs = read_page(page_path)
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [doc["name"] for doc in docs] == [r["source"] for r in records]
    failed = [doc for doc in docs if doc["status"] == "failed"]
    assert [doc["name"] for doc in failed] == [str(source / "image.png")]
    assert (
        failed[0]["message"]
        == records[[r["source"] for r in records].index(failed[0]["name"])]["error"]
    )
    summary = summary_of(page)
    assert summary["documents"] == 4 and summary["failed"] == 1 and summary["changed"] == 2
    assert "Failures (1)" in page and "binary data" in page
    clean = next(doc for doc in docs if doc["name"].endswith("clean.txt"))
    assert clean["changed"] is False and clean["changes"] == [] and clean["removed"] == []


def test_batch_pages_are_the_same_with_jobs(tmp_path: Path) -> None:
    source = batch(tmp_path)
    invoke(source, "-o", tmp_path / "o1", "--report-html", tmp_path / "p1.html")
    invoke(source, "-o", tmp_path / "o2", "-j", "2", "--report-html", tmp_path / "p2.html")
    assert read_page(tmp_path / "p1.html")[1] == read_page(tmp_path / "p2.html")[1]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_records(tmp_path: Path, jobs: str) -> None:
    corpus = write(
        tmp_path / "c.jsonl",
        json.dumps({"id": 1, "text": SAMPLE.read_text(encoding="utf-8")}, ensure_ascii=False)
        + '\n{"text": "clean"}\nnot json\n\n{"text": "x<br>y"}\n',
    )
    page_path = tmp_path / "page.html"
    args = ["--jsonl", corpus, "-o", tmp_path / "o.jsonl", "-j", jobs]
    result = invoke(*args, "--report-html", page_path)
    assert result.exit_code == 2  # the line that is no JSON
    page, docs = read_page(page_path)
    assert [doc["name"] for doc in docs] == [f"{corpus}:{n}" for n in (1, 2, 3, 5)]
    assert [doc["status"] for doc in docs] == ["ok", "ok", "failed", "ok"]
    assert "not a JSON line" in docs[2]["message"]
    assert docs[0]["input"] == SAMPLE.read_text(encoding="utf-8")
    assert docs[0]["align"]["exact"] and {row[1] for row in docs[0]["removed"]} >= {"SEO_SPAM"}
    assert docs[3]["input"] == "x<br>y" and docs[3]["output"] == "x\n\ny\n"
    assert summary_of(page)["documents"] == 4


def test_large_file_cleaned_block_by_block(tmp_path: Path, monkeypatch: Any) -> None:
    """A file cleaned block by block keeps no input: its changes and removed lines are
    read back from the report's temporary files, its sizes are the file's."""
    monkeypatch.setattr(blocks, "STREAM_BLOCK_BYTES", 8192)
    source = write(tmp_path / "big.txt", SAMPLE.read_bytes() * 3)
    page_path, report = tmp_path / "page.html", tmp_path / "r.jsonl"
    output = tmp_path / "out.txt"
    result = invoke(source, "-o", output, "--report-html", page_path, "--report", report)
    assert result.exit_code == 0
    (doc,) = read_page(page_path)[1]
    record = json.loads(report.read_text(encoding="utf-8"))
    assert doc["blocks"] == record["blocks"] > 1
    assert doc["input"] is None and doc["align"] is None
    assert doc["bytes_in"] == source.stat().st_size and doc["bytes_out"] == output.stat().st_size
    assert len(doc["changes"]) == len(record["changes"])
    assert [row[2] for row in doc["removed"]] == [r["before"] for r in record["removed"]]
    assert [row[4] for row in doc["removed"]] == [r["block"] for r in record["removed"]]


def test_parquet_rows(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": ["x<br>y", None, "clean"]}), source)
    page_path = tmp_path / "page.html"
    result = invoke("--parquet", source, "-o", tmp_path / "o.parquet", "--report-html", page_path)
    assert result.exit_code == 2  # the null is reported
    docs = read_page(page_path)[1]
    assert [(d["name"], d["status"]) for d in docs] == [
        (f"{source}:1", "ok"),
        (f"{source}:2", "failed"),
        (f"{source}:3", "ok"),
    ]
    assert docs[0]["input"] == "x<br>y" and docs[0]["output"] == "x\n\ny\n"


def test_shards_on_a_cluster(tmp_path: Path) -> None:
    """With --scheduler the page gets the records the shards send back (no texts)."""
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    folder = tmp_path / "shards"
    for part in range(2):
        lines = ['{"text": "x<br>y"}', "not json", json.dumps({"text": SAMPLE.read_text("utf-8")})]
        write(folder / f"part-{part}.jsonl", "\n".join(lines[part:]) + "\n")
    pages = []
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster,
        Client(cluster) as client,
    ):
        for name, extra in (("serial", []), ("cluster", ["--scheduler", client.scheduler.address])):
            page_path = tmp_path / f"{name}.html"
            args = ["--jsonl", folder, "-o", tmp_path / name, *extra]
            assert invoke(*args, "--report-html", page_path).exit_code == 2
            pages.append(read_page(page_path)[1])

    def outline(docs: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(d["name"], d["status"], len(d["changes"]), len(d["removed"])) for d in docs]

    assert outline(pages[1]) == outline(pages[0]) and len(pages[0]) == 5
    assert pages[1][0]["input"] is None and pages[0][0]["input"] == "x<br>y"


def test_page_to_stdout(tmp_path: Path) -> None:
    result = invoke(SAMPLE, "-o", tmp_path / "out.txt", "--report-html", "-")
    assert result.exit_code == 0
    (doc,) = iter_documents(result.stdout_bytes.decode("utf-8"))
    assert doc["name"] == str(SAMPLE)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--report-html", "-"], "needs the text written elsewhere"),
        (["-o", "{tmp}/o.txt", "--report", "-", "--report-html", "-"], "cannot share stdout"),
        (["--diff", "--report-html", "-"], "cannot share stdout"),
        (["--report-html", "{sample}"], "would overwrite the input"),
        (["-o", "{tmp}/o.txt", "--report-html", "{tmp}/o.txt"], "is also the -o output"),
        (["--report", "{tmp}/r", "--report-html", "{tmp}/r"], "is also the --report file"),
        (["--detect", "--report-html", "{tmp}/p.html"], "--detect"),
        (["--report-html", "{sample}/p.html"], "--report-html"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], fragment: str) -> None:
    sample = write(tmp_path / "s.txt", "x<br>y\n")
    filled = [a.format(tmp=tmp_path, sample=sample) for a in args]
    result = invoke(sample, *filled)
    assert result.exit_code == 2
    lines = result.stderr_bytes.decode("utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("textmend: error: ") and fragment in lines[0]
    assert sample.read_bytes() == b"x<br>y\n"
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob(".*.tmp"))


def test_page_replaces_an_existing_file_atomically(tmp_path: Path) -> None:
    page_path = write(tmp_path / "page.html", "old")
    invoke(SAMPLE, "-o", tmp_path / "out.txt", "--report-html", page_path)
    assert page_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("error", "status", "said"),
    [
        (OSError(28, "No space left on device"), 2, "--report-html {page}: No space left"),
        (KeyboardInterrupt(), 130, "textmend: interrupted"),
    ],
)
def test_a_run_that_stops_leaves_no_page(
    tmp_path: Path, monkeypatch: Any, error: BaseException, status: int, said: str
) -> None:
    calls: list[str] = []
    add = HtmlReport.add

    def failing(self: HtmlReport, name: str, *args: Any, **kwargs: Any) -> None:
        calls.append(name)
        if len(calls) == 2:
            raise error
        add(self, name, *args, **kwargs)

    monkeypatch.setattr(HtmlReport, "add", failing)
    page_path = tmp_path / "page.html"
    result = invoke(batch(tmp_path), "-o", tmp_path / "out", "--report-html", page_path)
    assert result.exit_code == status
    assert said.format(page=page_path) in result.stderr_bytes.decode("utf-8")
    assert len(calls) == 2  # the run stopped there
    assert not page_path.exists() and not list(tmp_path.glob(".*.tmp"))


# --- the library ------------------------------------------------------------------------------


def test_align_traces_lines_through_the_stages() -> None:
    text = f"  <p>one</p><p>two</p>\n{SPAM_HEADER}|久久久久\n正文，第三行。\n"
    result = textmend.clean_document(text)
    rows = [[c.stage, c.line, c.before, c.after, c.reason] for c in result.changes if not c.label]
    removed = [[c.line, c.label, c.before, c.reason] for c in result.removed]
    aligned = align(text, rows, removed, result.text)
    assert aligned is not None and aligned.exact
    out = result.text.split("\n")
    traced = [(out[n], origin) for n, origin in enumerate(aligned.output) if origin >= 0]
    assert traced == [("one", 0), ("two", 0), ("正文，第三行。", 2)]
    assert aligned.removed == [1]  # the spam line


def test_align_gives_up_on_an_extracted_page() -> None:
    page = "<!DOCTYPE html><html><body><article><p>" + "Some words here. " * 40 + "</p>"
    result = textmend.clean_document(page + "</article></body></html>")
    rows = [[c.stage, c.line, c.before, c.after, c.reason] for c in result.changes]
    assert align(page, rows, [], result.text) is None


def test_write_report_html_takes_results_failures_and_records() -> None:
    out = io.StringIO()
    result = textmend.clean_document("x<br>y\n")
    record = {"source": "r", "changed": True, **result.to_dict()}
    with HtmlReport(out) as page:
        page.add("a", "x<br>y\n", result)
        page.add("b", None, ValueError("no text"))
        page.add("c", None, "a message")
        page.add("r", None, record)
        page.add("s", None, {"source": "s", "skipped": "a backup"})
    docs = list(iter_documents(out.getvalue()))
    assert [(d["name"], d["status"]) for d in docs] == [
        ("a", "ok"),
        ("b", "failed"),
        ("c", "failed"),
        ("r", "ok"),
        ("s", "skipped"),
    ]
    assert docs[1]["message"] == "ValueError: no text"
    assert docs[3]["changes"] and docs[3]["input"] is None
    assert page.summary.failed == 2 and page.summary.skipped == 1 and page.summary.documents == 5


def _documents(count: int) -> list[tuple[str, str, textmend.Result]]:
    texts = [
        SPAM_HEADER + "\n正文,第一段。\n" + "點(diǎn)擊查看",
        "Plain text, nothing to do.\n",
        TRICKY,
        "The Mona Lisa doesnâ€™t have eyebrows.\n",
    ]
    cleaned = [(text, textmend.clean_document(text)) for text in texts]
    return [(f"d{n}.txt", *cleaned[n % len(cleaned)]) for n in range(count)]


def test_ten_thousand_documents_are_written_fast(tmp_path: Path) -> None:
    documents = _documents(10_000)
    path = tmp_path / "page.html"
    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        summary = write_report_html(documents, out)
    assert time.perf_counter() - started < 20  # about 1 s here
    assert summary.documents == 10_000
    shown = sum(len(text.encode()) + len(result.text.encode()) for _, text, result in documents)
    # The page: the texts (JSON-escaped), the changes, an index entry per document.
    assert path.stat().st_size < 3 * shown + 800 * len(documents) + 200_000
    page = path.read_text(encoding="utf-8")
    assert page.count('class="m"') == 10_000 and summary_of(page)["documents"] == 10_000


def test_the_page_is_written_as_it_goes() -> None:
    """The writer holds no document: its peak memory does not grow with their number."""

    def peak(count: int) -> int:
        documents = _documents(count)
        tracemalloc.start()
        try:
            write_report_html(documents, _Discard())
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert peak(1_200) < 2 * peak(300) + 256 * 1024


class _Discard(io.StringIO):
    def write(self, text: str) -> int:
        return len(text)


# --- in a real browser ------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = os.environ.get("TEXTMEND_CHROMIUM") or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )
    if not found:
        pytest.skip(
            "Chromium not found: the --report-html browser test needs it "
            "(apt-get install chromium, or TEXTMEND_CHROMIUM=/path/to/chrome)"
        )
    return found


def browse(chromium: str, profile: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


class _Rows(html.parser.HTMLParser):
    """The rows of the document view: each `tr`'s class and text; and whether the page
    says it is ready, or shows a script error."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self.ready: str | None = None
        self.error = False
        self._row: list[str] | None = None
        self._class = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "body":
            self.ready = found.get("data-ready")
        if found.get("id") == "js-error":
            self.error = True
        if tag == "tr":
            self._row, self._class = [], found.get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            self.rows.append((self._class, "".join(self._row)))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row is not None:
            self._row.append(data)


def test_page_in_a_browser(tmp_path: Path, chromium: str) -> None:
    """The page loads without a script error, shows the sample's removed header and
    footer struck out with their labels, renders a document with markup in it, and
    a screenshot is taken (left in pytest's tmp directory)."""
    source = batch(tmp_path)
    write(source / "news.html", f"<!DOCTYPE html><html><body><article><p>{ARTICLE}</p></article>")
    page_path = tmp_path / "page.html"
    invoke(source, "-o", tmp_path / "out", "--report-html", page_path)
    docs = read_page(page_path)[1]
    names = [doc["name"] for doc in docs]
    url = page_path.as_uri()
    profile = tmp_path / "chromium-profile"
    started = time.perf_counter()

    dom = browse(
        chromium, profile, f"{url}#d={names.index(str(source / 'page.txt'))}", "--dump-dom"
    )
    rows = _Rows()
    rows.feed(dom.stdout)
    assert not rows.error, dom.stdout[:2000]
    assert rows.ready == str(len(docs))
    struck = [(cls, text) for cls, text in rows.rows if cls.split()[:1] == ["rm"]]
    assert len(struck) == len(docs[names.index(str(source / "page.txt"))]["removed"])
    header = next((cls, text) for cls, text in struck if SPAM_HEADER in text)
    assert header[0] == "rm rm-SEO_SPAM" and "removed · SEO_SPAM" in header[1]
    footer = next((cls, text) for cls, text in struck if FOOTER in text)
    assert footer[0] == "rm rm-BOILERPLATE" and "removed · BOILERPLATE" in footer[1]
    changed = [text for cls, text in rows.rows if "chg" in cls]
    assert any("政务微博" in text for text in changed)  # a conversion, marked

    dom = browse(
        chromium, profile, f"{url}#d={names.index(str(source / 'sub' / TRICKY_NAME))}", "--dump-dom"
    )
    rows = _Rows()
    rows.feed(dom.stdout)
    assert not rows.error and rows.ready == str(len(docs))
    assert any("a</script><script>alert(1)</script> <!-- b -->" in text for _, text in rows.rows)

    # An HTML page: its article was extracted, so the texts are shown apart.
    dom = browse(
        chromium, profile, f"{url}#d={names.index(str(source / 'news.html'))}", "--dump-dom"
    )
    assert 'id="js-error"' not in dom.stdout and f'data-ready="{len(docs)}"' in dom.stdout
    columns = re.findall(r'<pre class="lines">(.*?)</pre>', dom.stdout, re.S)
    assert len(columns) == 2 and "&lt;article&gt;" in columns[0] and ARTICLE in columns[1]

    screenshot = tmp_path / "report.png"
    sample = f"{url}#d={names.index(str(source / 'page.txt'))}"
    browse(chromium, profile, sample, f"--screenshot={screenshot}", "--window-size=1280,900")
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    assert time.perf_counter() - started < 60
