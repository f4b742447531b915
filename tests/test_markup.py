"""Markup stage: tags, comments, script/style bodies and entities; nothing else."""

from __future__ import annotations

import pytest

from textmend.markup import strip_markup
from textmend.result import Change


def test_generator_residue_is_removed_and_text_inside_tags_kept() -> None:
    changes: list[Change] = []
    text = (
        '<blockquote id="ixlwe"><option id="ixlwe"></option></blockquote>\n'
        '  • <span id="x">正文</span>'
    )
    assert strip_markup(text, changes) == "\n\n\n  • 正文"
    assert [c.line for c in changes] == [1, 2]
    assert "4 tags" in changes[0].reason


def test_block_tags_break_lines_inline_tags_vanish() -> None:
    assert strip_markup("一<br>二<b>三</b><p>四</p>") == "一\n二三\n四\n"


def test_entities_are_decoded() -> None:
    assert strip_markup("A&nbsp;B &#8220;引&#x201D; &lt;x&gt; &amp;") == "A B “引” <x> &"


def test_comments_and_scripts_keep_line_numbers() -> None:
    changes: list[Change] = []
    text = "一\n<!-- a\nb -->\n<script>var x = 1 < 2;\n</script>二"
    assert strip_markup(text, changes) == "一\n\n\n\n二"
    assert [(c.line, c.after) for c in changes] == [(2, ""), (4, "")]


@pytest.mark.parametrize(
    "text",
    [
        "如果 a<b 且 b>c，那么 a<c。",
        "List<String> and Map<K, V>",
        "AT&T and R&D; &nosuchentity; & more",
        "箭头 <-- 和 --> 以及 <<书名>>",
        "<unknowntag>保留</unknowntag>",
    ],
)
def test_text_that_only_looks_like_markup_is_kept(text: str) -> None:
    assert strip_markup(text) == text


def test_entity_escaped_markup_is_removed_to_a_fixed_point() -> None:
    text = "&lt;p&gt;正文&lt;/p&gt; AT&amp;amp;T &amp;quot;引&amp;quot; &amp;nosuch; &lt;3"
    once = strip_markup(text)
    assert once == '\n正文\n AT&T "引" &nosuch; <3'
    assert strip_markup(once) == once


def test_unclosed_blocks_keep_their_text() -> None:
    # The unclosed <script> is only a tag; the comment after the closed one stays.
    text = "甲 <script>乙\n丙 <!-- 丁 --> 戊 <!-- 己"
    assert strip_markup(text) == "甲 乙\n丙  戊 <!-- 己"


@pytest.mark.parametrize(
    "shape",
    [
        "<!--",  # unclosed comments: `<!--.*?-->` rescanned to the end for each (20 s/MB)
        "<!--\n",
        "<script>",
        "<script ",
        "<!DOCTYPE ",
        "<a b=c ",  # one tag of a million attributes
        "&amp;",
        "&lt;b&gt;x&lt;/b&gt;",
        "<div><span>",
        "<",
    ],
)
def test_one_mb_of_an_adversarial_shape_takes_well_under_two_seconds(shape: str) -> None:
    import time

    text = shape * (1_000_000 // len(shape))
    start = time.perf_counter()
    strip_markup(text, [])
    assert time.perf_counter() - start < 2.0  # quadratic shapes took 16 to 60 s
