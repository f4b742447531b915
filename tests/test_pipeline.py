"""The pipeline as a whole: input hygiene, stage order, and the per-stage work budget."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from pathlib import Path

import pytest

import textmend
import textmend.junk
import textmend.layout
import textmend.pipeline
from textmend import budget
from textmend.decode import DecodeError
from textmend.options import Options
from textmend.result import BUDGET_EXCEEDED, Change

CASES = sorted((Path(__file__).parent / "cases").glob("pipeline_*.json"))


def _cases() -> list[dict[str, object]]:
    return [case for path in CASES for case in json.loads(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("case", _cases(), ids=lambda case: str(case["why"])[:60])
def test_case_gives_its_output_once_and_for_all(case: dict[str, object]) -> None:
    options = Options(**case.get("options", {}))  # type: ignore[arg-type]
    once = textmend.clean(case["input"], options)  # type: ignore[arg-type]
    assert once == case["expected"]
    assert textmend.clean(once, options) == once  # idempotent
    once.encode("utf-8")


def test_a_surrogate_pair_becomes_its_character() -> None:
    # JSON cannot hold this case: its loader joins the pair itself.
    assert textmend.clean("smile \ud83d\ude00") == "smile 😀\n"


def test_lone_surrogates_are_reported_per_line() -> None:
    result = textmend.clean_document("好的\nx\ud800y\n\udc00")
    input_changes = [c for c in result.changes if c.stage == "input"]
    assert [(c.line, c.after) for c in input_changes] == [(2, "x\ufffdy"), (3, "\ufffd")]
    result.text.encode("utf-8")


def test_line_ends_are_normalised_before_any_stage_and_reported() -> None:
    result = textmend.clean_document("一\r\n二\r三", markup=False, repair=False, junk=False)
    assert result.text == "一\n\n二\n\n三\n"
    assert any(c.stage == "input" and "2 line ends" in c.reason for c in result.changes)


def test_stages_see_lf_only(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def spy(text: str, *args: object) -> str:
        seen.append(text)
        return text

    monkeypatch.setattr(textmend.junk, "remove_junk", spy)
    textmend.clean("a\r\nb\rc\x0bd\x0ce\u2028f\u2029g")
    assert seen == ["a\nb\nc\nd\ne\nf\ng"]


# --- the work budget -------------------------------------------------------------------


def _catastrophic(text: str, changes: list[Change], *args: object) -> str:
    """A stage that records a change, then runs a regex of exponential time (hours)."""
    changes.append(Change("junk", 1, text, "", "about to hang"))
    re.search(r"(a|aa)*b", "a" * 40)
    return "never returned"


def test_budget_stops_a_catastrophic_regex_and_keeps_the_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(textmend.junk, "remove_junk", _catastrophic)
    start = time.perf_counter()
    result = textmend.clean_document("第一段正文。\n第二段正文。", budget=0.2)
    assert time.perf_counter() - start < 5
    assert result.skipped == ["junk"]
    assert result.text == "第一段正文。\n\n第二段正文。\n"  # junk's input, laid out
    skipped = [c for c in result.changes if c.kind == BUDGET_EXCEEDED]
    assert [(c.stage, c.line) for c in skipped] == [("junk", None)]
    assert not any(c.reason == "about to hang" for c in result.changes)  # its changes dropped
    assert [r for r in result.to_dict()["changes"] if r.get("kind")] == [skipped[0].to_dict()]
    # The timer and handler are the caller's again.
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_a_stage_gets_its_own_time_though_one_timer_serves_the_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The timer set for repair rings while junk runs: junk has time left, so the
    timer is set again for the rest of it, not junk stopped."""

    def busy(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass

    def slow_repair(text: str, *args: object) -> str:
        busy(0.25)
        return text

    def slow_junk(text: str, *args: object) -> str:
        busy(0.25)
        return text + "，已检查"

    monkeypatch.setattr(textmend.repair, "repair_mojibake", slow_repair)
    monkeypatch.setattr(textmend.junk, "remove_junk", slow_junk)
    result = textmend.clean_document("正文。", budget=0.4)
    assert (result.text, result.skipped) == ("正文。，已检查\n", [])
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_callers_own_alarm_handler_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the caller's SIGALRM handler in place no timer is used (a late stage's
    output is dropped instead) and the handler is the caller's throughout."""

    def slow(text: str, *args: object) -> str:
        assert signal.getsignal(signal.SIGALRM) is mine
        time.sleep(0.3)
        return "late output"

    def mine(signum: int, frame: object) -> None:
        raise AssertionError("the caller's alarm went off")

    monkeypatch.setattr(textmend.junk, "remove_junk", slow)
    previous = signal.signal(signal.SIGALRM, mine)
    try:
        result = textmend.clean_document("正文。", budget=0.05)
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert (result.text, result.skipped) == ("正文。\n", ["junk"])


def test_budget_in_another_thread_drops_a_late_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(text: str, *args: object) -> str:
        time.sleep(0.3)
        return "late output"

    monkeypatch.setattr(textmend.junk, "remove_junk", slow)
    results: list[textmend.Result] = []
    worker = threading.Thread(
        target=lambda: results.append(textmend.clean_document("正文。", budget=0.05))
    )
    worker.start()
    worker.join()
    assert results[0].skipped == ["junk"]
    assert results[0].text == "正文。\n"


def test_a_stage_within_its_budget_is_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    def quick(text: str, *args: object) -> str:
        time.sleep(0.01)
        return text.upper()

    monkeypatch.setattr(textmend.junk, "remove_junk", quick)
    result = textmend.clean_document("abc", budget=2.0)
    assert (result.text, result.skipped) == ("ABC\n", [])


def test_normal_text_never_meets_the_budget(sample_bytes: bytes, expected_text: str) -> None:
    result = textmend.clean_document(sample_bytes)
    assert result.text == expected_text
    assert result.skipped == []
    assert textmend.clean(sample_bytes, budget=None) == expected_text


def test_decoding_out_of_budget_is_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_decode(data: bytes, encoding: str | None = None) -> object:
        re.search(r"(a|aa)*b", "a" * 40)
        raise AssertionError("not stopped")

    monkeypatch.setattr(textmend.pipeline, "decode", slow_decode)
    with pytest.raises(DecodeError, match="work budget"):
        textmend.clean(b"text", budget=0.1)


def test_allowance_grows_with_size_and_can_be_switched_off() -> None:
    assert budget.allowance(0, budget.BASE_SECONDS) == budget.BASE_SECONDS == 5.0
    assert budget.allowance(3_000_000, 5.0) == pytest.approx(5.0 + 3 * budget.SECONDS_PER_MB)
    assert budget.allowance(10**9, None) is None
    with pytest.raises(ValueError, match="budget"):
        Options(budget=-1)


def test_a_stage_after_one_stopped_by_the_timer_is_stopped_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The alarm that stopped junk went off: layout must get a timer of its own, not
    run to its end under one that no longer ticks."""

    def hang(text: str, *args: object) -> str:
        re.search(r"(a|aa)*b", "a" * 40)
        return "never returned"

    monkeypatch.setattr(textmend.junk, "remove_junk", hang)
    monkeypatch.setattr(textmend.layout, "apply_layout", hang)
    start = time.perf_counter()
    result = textmend.clean_document("正文。", budget=0.1)
    assert time.perf_counter() - start < 5
    assert result.skipped == ["junk", "layout"]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# --- Result.stats: flat figures per document ---------------------------------------------


def test_stats_are_the_same_columns_for_every_document() -> None:
    sample = (Path(__file__).resolve().parent.parent / "samples" / "spam_page_zh.txt").read_bytes()
    documents: list[str | bytes] = [
        sample,
        "plain text",
        "你好".encode("gbk"),
        "<html><body><p>正文。</p></body></html>",
    ]
    rows = [textmend.clean_document(d).stats() for d in documents]
    assert all(list(row) == list(rows[0]) for row in rows)
    assert all(isinstance(v, (int, float, str)) or v is None for row in rows for v in row.values())


def test_stats_count_what_the_result_holds() -> None:
    sample = (Path(__file__).resolve().parent.parent / "samples" / "spam_page_zh.txt").read_bytes()
    result = textmend.clean_document(sample)
    row = result.stats()
    assert row["bytes_in"] == len(sample)
    assert row["bytes_out"] == len(result.text.encode("utf-8"))
    assert row["encoding"] == result.encoding == "utf-8"
    by_label = {c.label for c in result.removed}
    assert sum(row[f"removed_{label.lower()}"] for label in by_label) == len(result.removed)
    assert row["removed_boilerplate"] > 0 and row["changes_script"] > 0
    edits = [c for c in result.changes if c.label is None and c.kind is None]
    assert sum(v for k, v in row.items() if k.startswith("changes_")) == len(edits)
    assert row["seconds_repair"] > 0 and row["changes_extract"] == 0  # not a page
    assert textmend.clean_document("é").stats()["bytes_in"] == 2  # str input: its UTF-8 size


def test_results_of_one_document_are_equal_whatever_their_timings() -> None:
    assert textmend.clean_document("x<br>y") == textmend.clean_document("x<br>y")


# --- the stage protocol: a list of stages, each fix(text, options) -> Fixed ------------


def test_every_stage_follows_the_protocol() -> None:
    """Each stage of the default list returns a Fixed whose changes carry its name, or
    the input hygiene's, and runs in the order the pipeline documents."""
    from textmend.pipeline import STAGES

    names = [stage.name for stage in STAGES]
    assert names == [
        "input", "extract", "markup", "input", "repair", "input",
        "script", "punctuation", "junk", "layout",
    ]  # fmt: skip
    page = "<p>政務(wù)微博 &amp; 網站</p>\r\n\x00  Ã©tÃ©"
    for stage in STAGES:
        fixed = stage.fix(page, Options(html=False))
        assert isinstance(fixed.text, str)
        assert {change.stage for change in fixed.changes} <= {stage.name, "input"}


def test_a_list_of_stages_of_ones_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textmend.pipeline import STAGES, Stage, run_stages

    no_layout = [stage for stage in STAGES if stage.name != "layout"]
    assert run_stages("正文。\n\n\n第二段", Options(), no_layout).text == "正文。\n\n\n第二段"
    (tmp_path / "my_stages").mkdir()
    (tmp_path / "my_stages" / "__init__.py").write_text("")
    (tmp_path / "my_stages" / "shout.py").write_text(
        "from textmend.result import Change, Fixed\n"
        "def fix(text, options):\n"
        "    return Fixed(text.upper(), [Change.of_text('shout', 'upper case')])\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    shout = Stage("shout", "my_stages.shout", lambda text, options: text.isascii())
    result = run_stages("abc\n", Options(), [*STAGES[:-1], shout, STAGES[-1]])
    assert result.text == "ABC\n"
    assert [(c.stage, c.reason) for c in result.changes] == [("shout", "upper case")]
    assert run_stages("中文\n", Options(), [shout]).changes == []  # not wanted: not run


def test_extract_settles_html_for_the_junk_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """The junk stage is told the text was taken out of a page (no main block looked
    for) exactly when extract took it out."""
    seen: list[bool] = []

    def spy(text: str, changes: object, keep: object, lines: object, extracted: bool) -> str:
        seen.append(extracted)
        return text

    monkeypatch.setattr(textmend.junk, "remove_junk", spy)
    page = "<!doctype html><html><body><article><p>正文。</p></article></body></html>"
    textmend.clean(page)
    textmend.clean("<b>正文</b>。")  # a tag, not a page
    textmend.clean(page, html=False)
    assert seen == [True, False, False]
