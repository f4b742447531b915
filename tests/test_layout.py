"""Layout: \\n line ends, no indentation, one blank line between paragraphs, final newline."""

from __future__ import annotations

from textmend.layout import apply_layout
from textmend.result import Change


def test_output_layout() -> None:
    text = "  第一段\r\n\r\n\r\n\u3000\u3000第二段  \r第三段\u2028第四段\n\n"
    assert apply_layout(text) == "第一段\n\n第二段\n\n第三段\n\n第四段\n"


def test_empty_and_blank_documents_stay_empty() -> None:
    assert apply_layout("") == ""
    assert apply_layout(" \n\u3000\n") == ""


def test_layout_is_idempotent_and_recorded_only_when_it_changes() -> None:
    changes: list[Change] = []
    laid_out = apply_layout("a\nb", changes)
    assert len(changes) == 1
    again: list[Change] = []
    assert apply_layout(laid_out, again) == laid_out
    assert again == []
