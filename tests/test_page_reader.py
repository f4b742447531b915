"""textmend's own article reader (`--html-reader fast`): cases as data in
tests/cases/page_reader.json; the report says which block and why."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import textmend
from textmend import page_reader
from textmend.cli import cli
from textmend.options import Options

CASES = json.loads((Path(__file__).parent / "cases" / "page_reader.json").read_text("utf-8"))
PROSE = (
    "北京时间昨天晚上，国家统计局发布了最新的经济数据，"
    "数据显示今年前三季度国内生产总值同比增长，专家认为消费是主要动力。"
)


def _page(case: dict[str, Any]) -> str:
    return str(case["html"]).replace("{P}", PROSE)


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda case: case["name"])
def test_the_reader_finds_the_article(case: dict[str, Any]) -> None:
    root = page_reader.parse(_page(case))
    assert root is not None
    reading = page_reader.read(root)
    for marker in case["has"]:
        assert marker in reading.text, (marker, reading.text)
    for marker in case["lacks"]:
        assert marker not in reading.text, (marker, reading.text)
    assert reading.thread is case["thread"]


@pytest.mark.parametrize("case", CASES["titles"], ids=lambda case: case["title"] or "none")
def test_the_title_is_the_heading_the_title_element_names(case: dict[str, str]) -> None:
    root = page_reader.parse(case["html"])
    assert root is not None
    assert page_reader.title_of(root) == case["title"]


def test_the_report_says_which_block_and_why() -> None:
    case = CASES["cases"][1]  # the feed below a short article
    result = textmend.clean_document(_page(case), html=True, html_reader="fast")
    (change,) = [c for c in result.changes if c.stage == "extract"]
    assert "div.text" in change.reason
    assert "list(s) of other stories counted against" in change.reason
    assert "甲段" in result.text and "戊摘" not in result.text


def test_a_page_without_text_or_document_gives_nothing_and_says_so() -> None:
    assert page_reader.read(page_reader.parse("<html><body></body></html>")).text == ""  # type: ignore[arg-type]
    result = textmend.clean_document(
        "<html><body><script>x()</script></body></html>", html=True, html_reader="fast"
    )
    assert result.text.strip() == ""
    assert any(c.stage == "extract" for c in result.changes)


def test_the_cli_takes_the_reader_and_rejects_an_unknown_one() -> None:
    page = _page(CASES["cases"][0])
    runner = CliRunner()
    fast = runner.invoke(cli, ["--html-reader", "fast", "-"], input=page.encode())
    assert fast.exit_code == 0 and "甲段" in fast.output and "首页" not in fast.output
    wrong = runner.invoke(cli, ["--html-reader", "quick", "-"], input=page.encode())
    assert wrong.exit_code == 2 and "quick" in wrong.output
    with pytest.raises(ValueError, match="html_reader"):
        Options(html_reader="quick")  # type: ignore[arg-type]


def test_the_fast_reader_imports_no_other_extractor() -> None:
    """One page through the fast reader pays for no extractor it does not run."""
    page = _page(CASES["cases"][0])
    code = (
        "import sys, textmend\n"
        f"textmend.clean({page!r}, html=True, html_reader='fast')\n"
        "names = ('trafilatura', 'readability', 'justext', 'htmldate')\n"
        "print(sorted(m for m in names if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_text_nested_deeper_than_libxml2s_default_limit_is_read() -> None:
    """libxml2 drops what lies deeper than 256 elements unless told otherwise."""
    page = "<html><body>" + "<div>" * 1000 + PROSE + "</div>" * 1000 + "</body></html>"
    root = page_reader.parse(page)
    assert root is not None
    assert page_reader.read(root).text == PROSE


def test_a_page_of_one_short_line_keeps_it() -> None:
    """No line pays a line's cost: the lines are weighed again without it."""
    assert textmend.clean("plain text", html=True, html_reader="fast") == "plain text\n"


def test_a_huge_class_name_is_judged_and_labelled_in_bounded_space() -> None:
    name = "content " + "x" * 100_000
    page = f"<html><body><div class='{name}'><p>{PROSE}</p></div></body></html>"
    root = page_reader.parse(page)
    assert root is not None
    reading = page_reader.read(root)
    assert reading.text == PROSE
    assert len(reading.block) <= page_reader.MAX_LABEL_CHARS
