"""textmend logs the library way: its own loggers (`textmend.*`, silent unless the host
configures logging), the extractors' noise silenced only around the calls that make it,
and -v showing textmend's log for the run."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

import textmend
from textmend.cli import cli

PAGE = (
    "<!DOCTYPE html><html><head><title>测试新闻标题</title></head><body>"
    "<div class='content'><p>北京时间昨天晚上，国家统计局发布了最新的经济数据，"
    "数据显示今年前三季度国内生产总值同比增长，专家认为消费是主要动力。</p></div></body></html>"
)
NOISY = ("readability", "trafilatura", "htmldate", "courlan", "justext")


@pytest.mark.careful
def test_the_extractors_loggers_are_as_the_host_set_them_after_a_careful_page() -> None:
    levels = {name: logging.getLogger(name).level for name in NOISY}
    logging.getLogger("trafilatura").setLevel(logging.DEBUG)
    try:
        textmend.clean(PAGE, html=True, html_reader="careful")
        assert logging.getLogger("trafilatura").level == logging.DEBUG
        for name in NOISY[:1] + NOISY[2:]:
            assert logging.getLogger(name).level == levels[name]
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.careful
def test_the_extractors_are_quiet_while_textmend_calls_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import textmend.extract as extract

    seen: list[int] = []

    def reading(html: str) -> str:
        seen.append(logging.getLogger("readability").getEffectiveLevel())
        logging.getLogger("readability").warning("a page readability cannot read")
        return ""

    monkeypatch.setattr(extract, "_readability", reading)
    textmend.clean(PAGE, html=True, html_reader="careful")
    assert seen == [logging.CRITICAL]
    assert logging.getLogger("readability").getEffectiveLevel() != logging.CRITICAL


def test_the_library_logs_to_its_own_loggers(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="textmend"):
        textmend.clean(PAGE.encode("utf-8"), html=True)
    names = {record.name for record in caplog.records}
    assert {"textmend.pipeline", "textmend.extract"} <= names
    assert any("article read by textmend's reader" in r.getMessage() for r in caplog.records)


def test_verbose_shows_textmends_log_and_takes_it_off_after() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["-v", "--html", "-"], input=PAGE.encode("utf-8"))
    assert result.exit_code == 0
    err = result.stderr_bytes.decode("utf-8")
    assert "textmend.pipeline: decode: utf-8" in err
    assert "textmend.extract: extract: article read by textmend's reader" in err
    assert not logging.getLogger("textmend").handlers[1:]  # only the NullHandler is left
    quiet = runner.invoke(cli, ["--html", "-"], input=PAGE.encode("utf-8"))
    assert "textmend.pipeline" not in quiet.stderr_bytes.decode("utf-8")
