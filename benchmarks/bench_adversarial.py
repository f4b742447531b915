"""Adversarial shapes: is every stage linear, and within 2 s per MB?

Run: make bench (or .venv/bin/python benchmarks/bench_adversarial.py [--quick] [--sizes 128K,1M]
[--shapes NAME,...] [--stages markup,junk] [--timeout S] [--confirm N] [--list]).

Each shape is a generator `size -> text` (or bytes, for legacy encodings) of the kind that has
made a stage blow up before, or could: runs of one character, of U+FFFD, of separators, of `<`
and entities, one line of a megabyte, mojibake of each kind, many short lines, the sample page
repeated ... Each is made at 128 KB, 256 KB, 512 KB and 1 MB (MB = 2**20 bytes of UTF-8, or of
the shape's bytes), and each stage is timed on the text it sees:

- in the pipeline: `textmend.clean_document(bytes, budget=None)`, with the pipeline's stage
  runner replaced by one that times each stage on the text handed to it (so extraction runs on
  pages only, and every stage sees what the stages before it left);
- on the shape itself, as a caller of the stage function (or the CLI with the stages before it
  switched off) would hand it: `extract_article` (shapes marked HTML, as with `--html`),
  and again with `html_reader="fast"` (the column extract-fast, timed this way only),
  `strip_markup`, `repair_mojibake`, `restore_script(to="auto")`, `restore_punctuation`,
  `remove_junk`, `apply_layout`; skipped where the pipeline handed the stage this very text.

A cell holds the slower of the two. Time is CPU time of the worker process (so that other
load on the machine does not count), the best of up to MAX_REPEATS runs (repeats stop after
REPEAT_SECONDS), `changes` collected as the pipeline does; a stage the pipeline runs twice on
one document is summed. Each shape runs in its own worker process; a measurement longer than
--timeout is stopped by SIGALRM (and that stage is not run at larger sizes; in the pipeline its
input passes on, as the work budget would do), and a worker that hangs in C code is killed.
A cell over a bar (but not timed out) is measured again up to --confirm times, with
CONFIRM_REPEAT_FACTOR times the repeats, each size's best run kept: a burst of other work on
the machine (or in the process: a garbage collection) is not growth.

The table: s/MB at the largest size, and the largest growth factor per doubling of the size
(t(2n)/t(n)), judged only where t(n) is at least MIN_JUDGED_SECONDS (below that, timer noise
and fixed costs decide; shown as `~`). A cell over MAX_SECONDS_PER_MB or MAX_GROWTH is flagged
`!`, and listed after the table with the size where it grew most.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, AnyStr

from reporting import digest, finish, print_table

if TYPE_CHECKING:
    from textmend.result import Fixed

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "textmend"
SAMPLE = ROOT / "samples" / "spam_page_zh.txt"
EXPECTED = ROOT / "samples" / "spam_page_zh.expected.txt"

KB = 1024
MB = 1024 * KB
SIZES = (128 * KB, 256 * KB, 512 * KB, MB)
QUICK_SIZES = (32 * KB, 64 * KB, 128 * KB)
STAGES = (
    "decode",
    "extract",
    "extract-fast",
    "markup",
    "repair",
    "script",
    "punctuation",
    "junk",
    "layout",
)

# The bars.
MAX_SECONDS_PER_MB = 2.0
MAX_GROWTH = 2.3
# Below this a time says more about timer noise and fixed costs than about growth.
MIN_JUDGED_SECONDS = 0.005
MAX_REPEATS = 5
REPEAT_SECONDS = 0.3  # no further repeat once the runs so far took this long
CONFIRM_REPEAT_FACTOR = 3  # a cell measured again gets this many times the repeats and time
CONFIRM_ROUNDS = 2  # further runs of a cell over a bar (timeouts aside), best run kept
TIMEOUT_SECONDS = 20.0
WARM_UP_BYTES = 16 * KB  # each stage runs once on this much of the shape before timing
WORKER_SLACK_SECONDS = 120.0  # start-up and generation, on top of every measurement timing out


# --- shapes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """One adversarial input: `make(size)` gives text (or bytes) of about `size` bytes;
    `html`: also timed through `extract_article` on its own (as with `--html`)."""

    name: str
    make: Callable[[int], str | bytes]
    html: bool = False
    what: str = ""


def _cut(text: str, size: int) -> str:
    """The longest prefix of `text` within `size` UTF-8 bytes."""
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def _fill(unit: str, size: int) -> str:
    """`unit` repeated to `size` UTF-8 bytes; a unit of lines ends at a line end, so that
    every size holds the same lines (a last line cut short is a shape of its own: the
    bytes of a character cut in two change how decode and repair read a whole text)."""
    text = _cut(unit * (size // len(unit.encode("utf-8")) + 1), size)
    return _whole_lines(text, "\n" in unit)


def _fill_bytes(unit: bytes, size: int, lines: bool = True) -> bytes:
    """`unit` repeated to `size` bytes; a unit of lines ends at a line end (see `_fill`),
    unless `lines` is False (UTF-16, whose line end is two bytes)."""
    data = (unit * (size // len(unit) + 1))[:size]
    return _whole_lines(data, lines and b"\n" in unit)


def _whole_lines(text: AnyStr, lines: bool) -> AnyStr:
    """`text` up to its last line end, when it is made of lines and that keeps most of it."""
    if not lines:
        return text
    end = text.rfind("\n" if isinstance(text, str) else b"\n") + 1  # type: ignore[arg-type]
    return text[:end] if end > len(text) // 2 else text


def _random(alphabet: Sequence[str], size: int, seed: int = 1) -> str:
    """Characters drawn from `alphabet` (strings of any length) to `size` UTF-8 bytes."""
    rng = random.Random(seed)
    mean = sum(len(a.encode("utf-8")) for a in alphabet) / len(alphabet)
    return _cut("".join(rng.choices(alphabet, k=int(size / mean) + 16)), size)


@cache
def _article() -> str:
    """The sample's clean simplified article (full-width punctuation, paragraphs)."""
    return "\n".join(line for line in EXPECTED.read_text(encoding="utf-8").split("\n") if line)


@cache
def _page() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@cache
def _annotated() -> str:
    """The sample page's lines of traditional text with pinyin annotations (`政務(wù)`)."""
    lines = [line.strip() for line in _page().split("\n")]
    return "\n".join(line for line in lines if "(" in line and not line.isascii())


@cache
def _traditional() -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(_article())


def _han_only(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


JAPANESE = (
    "日本語の文章です。東京は日本の首都であり、多くの人々が暮らしています。"
    "今日は天気が良いので、公園を散歩しました。「ありがとう」と彼女は言った。\n"
)
KOREAN = "한국어 문장입니다. 서울은 대한민국의 수도이며 많은 사람들이 살고 있습니다.\n"
WESTERN = (
    "Le café est très bon, mais la crème brûlée coûte cher. Über die Brücke gehen "
    "Müller und Jürgen; señor Núñez paga 12 € à l'hôtel.\n"
)
LATIN1_LETTERS = [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)]
NAV_WORDS = ("首页", "新闻", "体育", "财经", "娱乐", "科技", "登录", "注册", "更多", "返回顶部")


def _per_line(text: str, forward: str, back: str) -> str:
    """Mojibake: each line's `forward` bytes read as `back` (undecodable bytes replaced)."""
    return "\n".join(
        line.encode(forward, "ignore").decode(back, "replace") for line in text.split("\n")
    )


def _as_cp1252(data: bytes) -> str:
    """Bytes read as cp1252, its five undefined bytes read as Latin-1 (as browsers do)."""
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in data)


def _utf8_as_gbk() -> str:
    return _per_line(_article(), "utf-8", "gbk")


def _gbk_as_cp1252() -> str:
    return "\n".join(_as_cp1252(line.encode("gbk")) for line in _article().split("\n"))


def _with_marks(text: str, every: int = 7) -> str:
    """`text` with every `every`-th character replaced by U+FFFD (bytes lost in decoding)."""
    return "".join("\ufffd" if i % every == every - 1 else c for i, c in enumerate(text))


def _html_page(body: str, title: str = "政务微博十年致敬初心") -> str:
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _html_to(size: int, unit: str, head: str = "", tail: str = "") -> str:
    """A page whose body is `head`, `unit` repeated and `tail`, about `size` bytes in all."""
    frame = len(_html_page(head + tail).encode("utf-8"))
    count = max(1, (size - frame) // len(unit.encode("utf-8")))
    return _html_page(head + unit * count + tail)


def _nested(size: int, opening: str, closing: str, middle: str = "正文") -> str:
    count = max(1, (size - len(middle.encode())) // len((opening + closing).encode()))
    return opening * count + middle + closing * count


def _paragraphs() -> str:
    return "".join(f"<p>{line}</p>\n" for line in _article().split("\n"))


def _shapes() -> list[Shape]:
    """Every shape, in table order."""
    article, han = _article(), _han_only(_article())
    one_line_moji = _utf8_as_gbk().replace("\n", "")
    return [
        # Runs of one character.
        Shape("run of a", lambda n: "a" * n),
        Shape("run of 中", lambda n: _fill("中", n)),
        Shape("run of spaces", lambda n: " " * n),
        Shape("run of newlines", lambda n: "\n" * n),
        Shape("run of U+FFFD", lambda n: _fill("\ufffd", n)),
        Shape("run of |", lambda n: "|" * n),
        Shape("run of ——", lambda n: _fill("——", n)),
        Shape("run of •", lambda n: _fill("•", n)),
        Shape("run of commas", lambda n: "," * n),
        Shape("run of (", lambda n: "(" * n),
        Shape("run of )", lambda n: ")" * n),
        Shape("run of ?", lambda n: "?" * n),
        Shape("run of NEL", lambda n: _fill("\x85", n)),
        # Markup.
        Shape("run of <", lambda n: "<" * n, html=True),
        Shape("run of &", lambda n: "&" * n, html=True),
        Shape("&amp; repeated", lambda n: _fill("&amp;", n), html=True),
        Shape("&#1234; repeated", lambda n: _fill("&#1234;", n), html=True),
        Shape("&# repeated (unterminated)", lambda n: _fill("&#", n), html=True),
        Shape("&amp;amp;... chain", lambda n: "&" + _fill("amp;", n - 4) + "lt;", html=True),
        Shape("unclosed tag of many attributes", lambda n: _fill('<div class="x" ', n), html=True),
        Shape("unclosed <!-- repeated", lambda n: _fill("<!--", n), html=True),
        Shape("unclosed <script> repeated", lambda n: _fill("<script>", n), html=True),
        Shape("nested tags", lambda n: _nested(n, "<div><span>", "</span></div>"), html=True),
        Shape("<p> tags and text", lambda n: _fill("<p>中文</p><br>", n), html=True),
        Shape("unclosed <title> repeated", lambda n: _fill("<title>标题", n), html=True),
        # HTML pages (extracted in the pipeline).
        Shape("page: paragraphs", lambda n: _html_to(n, _paragraphs()), html=True),
        # a thread's floor marks (`\\d+\\s*楼`) were tried at every digit of a run
        Shape("page: a run of digits", lambda n: _html_to(n, "1"), html=True),
        Shape(
            "page: huge table",
            lambda n: _html_to(n, "<tr><td>单元格</td><td>123</td></tr>\n", "<table>", "</table>"),
            html=True,
        ),
        Shape(
            "page: deep nesting",
            lambda n: _html_page(_nested(n - 200, "<div>", "</div>", _paragraphs())),
            html=True,
        ),
        Shape(
            "page: related blocks",
            lambda n: _html_to(
                n,
                '<div class="related"><a href="/a">相关新闻标题</a></div>\n',
                f"<div id='content'>{_paragraphs()}</div>",
            ),
            html=True,
        ),
        Shape(
            "page: forum floors",
            lambda n: _html_to(n, "<div class='post'><p>回复 1楼 沙发，说得好。</p></div>\n"),
            html=True,
        ),
        # Han text.
        Shape("one line of Han", lambda n: _fill(han, n)),
        Shape("one line of Han prose", lambda n: _fill(article.replace("\n", ""), n)),
        Shape("中 and comma repeated", lambda n: _fill("中,", n)),
        Shape("中(a) repeated", lambda n: _fill("中(a)", n)),
        Shape("nested parentheses", lambda n: _nested(n, "(", ")", "中")),
        Shape("pinyin-annotated traditional", lambda n: _fill(_annotated() + "\n", n)),
        Shape("pinyin-annotated (one line)", lambda n: _fill(_annotated().replace("\n", ""), n)),
        Shape("GBK straddle artefacts", lambda n: _fill("以?xún)?nèi)容政務(wù)?;咝", n)),
        # `Ａ` (a3 c1) + `?fén)` rebuilds 羵 (c1 XX), leaving a byte lost before each `?`.
        Shape("lost pairs after artefacts", lambda n: "政務(wù)" + _fill("Ａ?fén)?a", n - 12)),
        Shape("origin words 于并么", lambda n: _fill("對于這個問題並且什么位于", n)),
        # Mojibake.
        Shape("Latin-1 mojibake lines", lambda n: _fill(_per_line(WESTERN, "utf-8", "cp1252"), n)),
        Shape(
            "Latin-1 mojibake (one line)",
            lambda n: _fill(_per_line(WESTERN, "utf-8", "cp1252").replace("\n", " "), n),
        ),
        Shape(
            "random Latin-1 letters and Ã© pairs",
            lambda n: _random([*LATIN1_LETTERS, "Ã©", "Ã¨", "Ã¼", "Ã¶", " "], n),
        ),
        Shape("random Latin-1 letters line", lambda n: _random(LATIN1_LETTERS, n)),
        Shape("UTF-8 read as GBK", lambda n: _fill(_utf8_as_gbk() + "\n", n)),
        Shape("UTF-8 read as GBK (one line)", lambda n: _fill(one_line_moji, n)),
        Shape("GBK read as cp1252", lambda n: _fill(_gbk_as_cp1252() + "\n", n)),
        Shape(
            "GBK read as cp1252 (last byte cut)",
            lambda n: _fill(_gbk_as_cp1252() + "\n", n - 1) + "Ö",  # a lead byte alone
        ),
        Shape(
            "GBK read as cp1252 then NFKC",
            lambda n: _fill(unicodedata.normalize("NFKC", _gbk_as_cp1252()) + "\n", n),
        ),
        Shape(
            "UTF-8 read as cp1252 then NFKC",
            lambda n: _fill(
                unicodedata.normalize("NFKC", _per_line(_article(), "utf-8", "cp1252")) + "\n", n
            ),
        ),
        Shape(
            "UTF-8 as GBK as cp1252",
            lambda n: _fill(_as_cp1252(_utf8_as_gbk().encode("gbk", "ignore")), n),
        ),
        Shape(
            "Big5 read as GBK", lambda n: _fill(_per_line(_traditional(), "big5", "gbk") + "\n", n)
        ),
        Shape("锟斤拷 repeated", lambda n: _fill("锟斤拷", n)),
        Shape("Han with U+FFFD every 7th", lambda n: _fill(_with_marks(article), n)),
        # Lines.
        Shape("100k short lines", lambda n: _random([w + "\n" for w in NAV_WORDS], n)),
        Shape("one-character lines", lambda n: _fill("x\n", n)),
        Shape("identical lines", lambda n: _fill(article.split("\n")[1] + "\n", n)),
        Shape("sample page repeated", lambda n: _fill(_page(), n)),
        Shape("spam keyword header line", lambda n: _fill(_page().split("\n")[0] + "|", n)),
        Shape("whitespace only", lambda n: _random([" ", "\t", "\u3000", "\n", "\xa0"], n)),
        Shape("CR-only line ends", lambda n: _fill(article.replace("\n", "\r") + "\r", n)),
        Shape(
            "one line without spaces",
            lambda n: _random([chr(c) for c in range(0x21, 0x7F)], n),
        ),
        Shape("URLs", lambda n: _fill("见http://example.com/路径?a=1&b=2,中文www.x.cn/中,", n)),
        Shape("English prose", lambda n: _fill("The quick brown fox, it said: jumps! ", n)),
        # Bytes: the decode stage on legacy encodings (and the pipeline after it).
        Shape("GBK bytes", lambda n: _fill_bytes(article.encode("gbk") + b"\n", n)),
        Shape(
            "Big5 bytes", lambda n: _fill_bytes(_traditional().encode("big5", "ignore") + b"\n", n)
        ),
        Shape("Shift-JIS bytes", lambda n: _fill_bytes(JAPANESE.encode("shift_jis"), n)),
        Shape(
            "Shift-JIS bytes (last byte cut)",
            lambda n: (
                _fill_bytes(JAPANESE.encode("shift_jis"), n - 1) + "日".encode("shift_jis")[:1]
            ),
        ),
        Shape("EUC-KR bytes", lambda n: _fill_bytes(KOREAN.encode("euc_kr"), n)),
        Shape("cp1252 bytes", lambda n: _fill_bytes(WESTERN.encode("cp1252"), n)),
        Shape("GBK bytes (one line)", lambda n: _fill_bytes(han.encode("gbk"), n)),
        Shape(
            "rare GBK characters on every line",
            lambda n: _fill_bytes("x亍兀卅丕的人\n".encode("gbk"), n),
        ),
        Shape(
            "UTF-8 and GBK lines",
            lambda n: _fill_bytes(
                b"".join(
                    line.encode("utf-8" if i % 2 else "gbk") + b"\n"
                    for i, line in enumerate(article.split("\n"))
                ),
                n,
            ),
        ),
        Shape(
            "UTF-8 with stray bytes",
            lambda n: _fill_bytes(article.encode("utf-8").replace("。".encode(), b"\xff"), n),
        ),
        Shape(
            "UTF-16-LE without BOM",
            lambda n: _fill_bytes(article.encode("utf-16-le"), n, lines=False),
        ),
        Shape("random bytes", lambda n: random.Random(1).randbytes(n)),
        Shape(
            "random high bytes",
            lambda n: bytes(random.Random(1).choices(range(0x80, 0x100), k=n)),
        ),
    ]


# --- measuring (in a worker process, one shape) ------------------------------------------


class _TimedOut(BaseException):
    """Raised by SIGALRM inside a measured call: a BaseException, past any `except Exception`."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _TimedOut


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Measured:
    """The best time of one stage on one input; None if it ran out of time."""

    seconds: float | None
    output: Any = None
    error: str | None = None


def _measure(call: Callable[[], Any], timeout: float, repeats: int) -> Measured:
    """Best of up to `repeats` runs of `call`, stopping once they took `repeats / MAX_REPEATS`
    times REPEAT_SECONDS in all."""
    enough = REPEAT_SECONDS * repeats / MAX_REPEATS
    best, spent, output = math.inf, 0.0, None
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        try:
            with _alarm(timeout):
                output = call()
        except _TimedOut:
            return Measured(None)
        except Exception as err:  # a stage's refusal (DecodeError) is timed like an answer
            elapsed = time.process_time() - start
            return Measured(min(best, elapsed), error=f"{type(err).__name__}: {err}"[:80])
        elapsed = time.process_time() - start
        best, spent = min(best, elapsed), spent + elapsed
        if spent >= enough:
            break
    return Measured(best, output)


def _direct_stages() -> dict[str, Callable[[str], Fixed]]:
    """Each budgeted stage of the pipeline as a function of its text alone (extract
    told that the text is a page)."""
    from textmend import extract
    from textmend.options import Options
    from textmend.pipeline import STAGES

    direct = {
        stage.name: partial(stage.fix, options=Options(html=stage.name == "extract" or None))
        for stage in STAGES
        if stage.budgeted
    }
    direct["extract-fast"] = partial(extract.fix, options=Options(html=True, html_reader="fast"))
    return direct


@dataclass
class _Worker:
    """Times one shape's stages, size after size, and prints one JSON line per measurement."""

    shape: Shape
    stages: tuple[str, ...]
    timeout: float
    repeats: int
    gave_up: set[tuple[str, str]] = field(default_factory=set)  # (stage, mode) timed out

    # (stage, mode) -> this size's seconds (None: timed out) and error; a stage the pipeline
    # runs twice on one document (repair, again after NEL became a line end) is summed.
    measured: dict[tuple[str, str], tuple[float | None, str | None]] = field(default_factory=dict)

    def run(self, sizes: Sequence[int]) -> None:
        self._sizes(min(WARM_UP_BYTES, min(sizes)), report=False)
        for size in sizes:
            self._sizes(size, report=True)

    def _sizes(self, size: int, report: bool) -> None:
        self.measured.clear()
        made = self.shape.make(size)
        data = made if isinstance(made, bytes) else made.encode("utf-8")
        seen = self._pipeline(data, report)
        if not isinstance(made, bytes):  # direct input is text: bytes are the pipeline's
            self._direct(made, seen, report)
        if report:
            for (stage, mode), (seconds, error) in self.measured.items():
                row = {"shape": self.shape.name, "stage": stage, "mode": mode, "size": size}
                print(json.dumps({**row, "seconds": seconds, "error": error}), flush=True)

    def _direct(self, made: str, seen: dict[str, str], report: bool) -> None:
        """Time each stage on the shape itself, where the pipeline handed it other text."""
        for stage, function in _direct_stages().items():
            if stage not in self.stages or (stage.startswith("extract") and not self.shape.html):
                continue
            if (stage, "direct") in self.gave_up:
                got = Measured(None)  # timed out at a smaller size: not run again
            elif seen.get(stage) == made:
                continue  # the pipeline timed this very input
            else:
                got = _measure(lambda f=function: f(made), self.timeout, self.repeats)
            self._record(stage, "direct", got, report)

    def _record(self, stage: str, mode: str, got: Measured, report: bool) -> None:
        if got.seconds is None and report:
            self.gave_up.add((stage, mode))
        seconds, error = self.measured.get((stage, mode), (0.0, None))
        if seconds is not None:
            seconds = None if got.seconds is None else seconds + got.seconds
        self.measured[stage, mode] = seconds, error or got.error

    def _pipeline(self, data: bytes, report: bool) -> dict[str, str]:
        """Run the pipeline on `data`, timing each stage on its input; the inputs seen."""
        from unittest import mock

        import textmend.pipeline
        from textmend.decode import DecodeError
        from textmend.result import Fixed

        seen: dict[str, str] = {}

        def runner(
            stage: str, function: Callable[[str], Fixed], text: str, _: object
        ) -> tuple[Fixed, bool]:
            seen[stage] = text
            timed = stage in self.stages  # the others run too (once, within the timeout)
            if (stage, "pipeline") in self.gave_up:
                got = Measured(None)  # timed out at a smaller size: not run again
            else:
                got = _measure(lambda: function(text), self.timeout, self.repeats if timed else 1)
            if timed:
                self._record(stage, "pipeline", got, report)
            if got.error is not None:
                raise DecodeError(got.error)
            if got.seconds is None:
                if stage == "decode":
                    raise DecodeError("timed out")
                return Fixed(text, []), True  # as the work budget does: the input passes on
            return got.output, False

        # A refusal (binary, or timed out) stops the pipeline after decoding.
        with mock.patch.object(textmend.pipeline, "run_stage", runner), suppress(DecodeError):
            textmend.pipeline.clean_document(data, budget=None)
        return seen


def _work(args: argparse.Namespace) -> int:
    shape = next(s for s in _shapes() if s.name == args.worker)
    stages = tuple(args.stages)
    repeats = MAX_REPEATS * (CONFIRM_REPEAT_FACTOR if args.again else 1)
    _Worker(shape, stages, args.timeout, repeats).run(args.sizes)
    return 0


# --- the parent: one worker per shape, then the table ------------------------------------


@dataclass
class Cell:
    """One shape and stage: the runs of each size on each input (pipeline, direct)."""

    runs: dict[tuple[int, str], list[float | None]] = field(default_factory=dict)
    errors: set[str] = field(default_factory=set)

    def add(self, size: int, seconds: float | None, mode: str) -> None:
        self.runs.setdefault((size, mode), []).append(seconds)

    def slowest(self, size: int) -> tuple[float | None, str]:
        """The input slower at `size`, by its best run (None: every run timed out)."""
        found: list[tuple[float, float | None, str]] = []
        for (at, mode), runs in self.runs.items():
            done = [r for r in runs if r is not None]
            best = min(done) if done else None
            if at == size:
                found.append((math.inf if best is None else best, best, mode))
        _, seconds, mode = max(found)
        return seconds, mode

    @property
    def times(self) -> dict[int, float | None]:
        return {size: self.slowest(size)[0] for size in sorted({at for at, _ in self.runs})}

    def timed_out(self) -> bool:
        return None in self.times.values()

    def per_mb(self) -> float | None:
        """Seconds per MB at the largest size measured (None: it timed out)."""
        size = max(self.times)
        seconds = self.times[size]
        return None if seconds is None else seconds / (size / MB)

    def growth(self) -> tuple[float, int] | None:
        """The largest growth factor per doubling between successive sizes whose smaller
        time is at least MIN_JUDGED_SECONDS, and the smaller size; None if none is."""
        sizes = sorted(self.times)
        worst: tuple[float, int] | None = None
        for small, large in pairwise(sizes):
            a, b = self.times[small], self.times[large]
            if a is None or a < MIN_JUDGED_SECONDS:
                continue
            factor = math.inf if b is None else (b / a) ** (1 / math.log2(large / small))
            if worst is None or factor > worst[0]:
                worst = (factor, small)
        return worst

    def failed(self) -> bool:
        per_mb, growth = self.per_mb(), self.growth()
        return (
            per_mb is None
            or per_mb > MAX_SECONDS_PER_MB
            or (growth is not None and growth[0] > MAX_GROWTH)
        )

    def show(self, timeout: float) -> str:
        if not self.times:
            return "·"
        per_mb, growth = self.per_mb(), self.growth()
        rate = f"> {timeout:.0f} s" if per_mb is None else f"{per_mb:.3f}"
        if growth is None:
            factor = "~"
        elif math.isinf(growth[0]):
            factor = "∞"
        else:
            factor = f"{growth[0]:.1f}x"
        return f"{rate} {factor}{' !' if self.failed() else ''}"


def _size_name(size: int) -> str:
    return f"{size // MB} MB" if size % MB == 0 else f"{size // KB} KB"


def _parse_size(token: str) -> int:
    token = token.strip().upper().removesuffix("B")
    scale = {"K": KB, "M": MB}.get(token[-1:], 1)
    return int(float(token.rstrip("KM")) * scale)


def _run_worker(
    shape: Shape,
    args: argparse.Namespace,
    cells: dict[tuple[str, str], Cell],
    stages: Sequence[str],
    again: bool,
) -> str:
    """Run one shape's worker on `stages` (`again`: a cell measured again, with more
    repeats); fill `cells`; what went wrong, if anything."""
    command = [
        sys.executable,
        __file__,
        "--worker",
        shape.name,
        "--sizes",
        ",".join(map(str, args.sizes)),
        "--stages",
        ",".join(stages),
        "--timeout",
        str(args.timeout),
        *(["--again"] if again else []),
    ]
    limit = len(args.sizes) * len(stages) * 2 * args.timeout + WORKER_SLACK_SECONDS
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    trouble = ""
    try:
        out, err = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        trouble = f"worker killed after {limit:.0f} s"
    for line in out.splitlines():
        row = json.loads(line)
        cell = cells.setdefault((shape.name, row["stage"]), Cell())
        cell.add(row["size"], row["seconds"], row["mode"])
        if row["error"]:
            cell.errors.add(row["error"])
    if process.returncode and not trouble:
        trouble = f"worker failed ({process.returncode}): {err.strip().splitlines()[-1:]}"
    return trouble


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    made = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    made.add_argument("--quick", action="store_true", help="sizes 32 KB to 128 KB (smoke run)")
    made.add_argument("--sizes", help="comma-separated sizes (128K,1M); default 128K to 1M")
    made.add_argument("--shapes", help="comma-separated shape names, or parts of names (--list)")
    made.add_argument("--stages", help=f"comma-separated stages of {','.join(STAGES)}")
    made.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, help="seconds per run")
    made.add_argument(
        "--confirm",
        type=int,
        default=CONFIRM_ROUNDS,
        help=f"times a cell over a bar is measured again (default {CONFIRM_ROUNDS})",
    )
    made.add_argument("--list", action="store_true", help="list the shapes and exit")
    made.add_argument("--worker", help=argparse.SUPPRESS)
    made.add_argument("--again", action="store_true", help=argparse.SUPPRESS)
    args = made.parse_args(argv)
    default = QUICK_SIZES if args.quick else SIZES
    args.sizes = sorted(map(_parse_size, args.sizes.split(","))) if args.sizes else list(default)
    args.stages = [s.strip() for s in args.stages.split(",")] if args.stages else list(STAGES)
    unknown = set(args.stages) - set(STAGES)
    if unknown:
        made.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    return args


def _chosen(args: argparse.Namespace) -> list[Shape]:
    shapes = _shapes()
    if not args.shapes:
        return shapes
    chosen: list[Shape] = []
    for wanted in (w.strip().lower() for w in args.shapes.split(",")):
        exact = [s for s in shapes if s.name.lower() == wanted]
        chosen += exact or [s for s in shapes if wanted in s.name.lower()]
    return list(dict.fromkeys(chosen))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if args.worker:
        return _work(args)
    shapes = _chosen(args)
    if args.list:
        for shape in shapes:
            print(shape.name)
        return 0
    if not shapes:
        print("bench_adversarial: no shape matches --shapes")
        return 1
    started = time.perf_counter()
    measured = digest(PACKAGE)
    sizes = ", ".join(map(_size_name, args.sizes))
    print(
        f"textmend (package sha1 {measured}), Python {sys.version.split()[0]}; "
        f"{len(shapes)} shapes at {sizes}; one worker process per shape, one core"
    )
    cells: dict[tuple[str, str], Cell] = {}
    troubles: list[str] = []
    todo = {shape: list(args.stages) for shape in shapes}
    for round_ in range(1 + args.confirm):
        for shape, stages in todo.items():
            begun = time.perf_counter()
            trouble = _run_worker(shape, args, cells, stages, again=round_ > 0)
            if trouble:
                troubles.append(f"{shape.name}: {trouble}")
            took = time.perf_counter() - begun
            again = f" (again: {', '.join(stages)})" if round_ else ""
            print(f"  {shape.name}{again}: {took:.1f} s {trouble}", file=sys.stderr, flush=True)
        todo = _to_confirm(shapes, args.stages, cells)
    confirmed = (
        f"; cells over a bar measured up to {args.confirm} more times" if args.confirm else ""
    )
    largest = _size_name(max(args.sizes))
    print_table(
        f"CPU seconds per MB at {largest} and the largest growth factor per doubling "
        f"(~: under {MIN_JUDGED_SECONDS * 1000:.0f} ms, too small to judge; ·: not run; "
        f"!: over {MAX_SECONDS_PER_MB} s/MB or {MAX_GROWTH}x{confirmed})",
        ["shape", *args.stages],
        (
            [
                shape.name,
                *(cells.get((shape.name, s), Cell()).show(args.timeout) for s in args.stages),
            ]
            for shape in shapes
        ),
    )
    _print_failures(shapes, args, cells)
    for trouble in troubles:
        print(f"warning: {trouble}")
    return finish(PACKAGE, measured, started)


def _to_confirm(
    shapes: Sequence[Shape], stages: Sequence[str], cells: dict[tuple[str, str], Cell]
) -> dict[Shape, list[str]]:
    """The stages of each shape over a bar without timing out: measured again, each
    size's best run kept, so that a burst of other load on the machine is not taken
    for growth."""
    todo: dict[Shape, list[str]] = {}
    for shape in shapes:
        for stage in stages:
            cell = cells.get((shape.name, stage))
            if cell is not None and cell.runs and cell.failed() and not cell.timed_out():
                todo.setdefault(shape, []).append(stage)
    return todo


def _print_failures(
    shapes: Sequence[Shape], args: argparse.Namespace, cells: dict[tuple[str, str], Cell]
) -> None:
    failures = []
    for shape in shapes:
        for stage in args.stages:
            cell = cells.get((shape.name, stage))
            if cell is None or not cell.times or not cell.failed():
                continue
            times = ", ".join(
                f"{_size_name(size)} {'timeout' if t is None else f'{t:.3f} s'} "
                f"({cell.slowest(size)[1]})"
                for size, t in cell.times.items()
            )
            failures.append(f"- {shape.name} / {stage}: {times}")
    if failures:
        print(f"\n{len(failures)} over a bar:")
        print("\n".join(failures))
    else:
        print("\nevery stage within the bars on every shape")
    errors = sorted(
        f"- {name} / {stage}: {'; '.join(sorted(cell.errors))}"
        for (name, stage), cell in cells.items()
        if cell.errors
    )
    if errors:
        print("\nrefused (timed as answers):")
        print("\n".join(errors))


if __name__ == "__main__":
    sys.exit(main())
