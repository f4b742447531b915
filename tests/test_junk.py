"""Junk stage: labelled removal of spam headers, residue and boilerplate; prose kept."""

from __future__ import annotations

from textmend.junk import Label, label_lines, remove_junk
from textmend.result import Change

ARTICLE = [
    "标题在这里 副标题",
    "第一段正文，讲述了一件事情的来龙去脉，内容比较长，也有标点。",
    "小节标题",
    "第二段正文，继续讲述这件事情，并且给出了一些结论和展望。",
]


def _labels(lines: list[str]) -> list[Label]:
    return [item.label for item in label_lines("\n".join(lines))]


def test_clean_article_is_kept_whole() -> None:
    text = "\n".join(ARTICLE)
    changes: list[Change] = []
    assert remove_junk(text, changes) == text
    assert changes == []
    assert _labels(ARTICLE) == [Label.TITLE, Label.ARTICLE, Label.TITLE, Label.ARTICLE]


def test_spam_header_residue_and_footer_are_removed_with_labels() -> None:
    lines = [
        "精品国产亚洲一区二区三区|亚洲国产精彩中文乱码AV|久久久久亚洲AV综合|漂亮少妇各种调教",
        "  • ",
        *ARTICLE,
        "极客网企业会员",
        "免责声明：本网站内容主要来自原创，仅供参考。",
        "2019-12-31",
        "标题在这里 副标题",
        "第一段正文，讲述了",
        "长按扫码 阅读全文",
        "责任编辑：张三",
        "京ICP备12345678号-1",
    ]
    changes: list[Change] = []
    assert remove_junk("\n".join(lines), changes).split("\n") == ARTICLE
    assert [c.label for c in changes] == [
        "SEO_SPAM",
        "MARKUP",
        "BOILERPLATE",
        "BOILERPLATE",
        "META",
        "DUPLICATE",
        "DUPLICATE",
        "BOILERPLATE",
        "META",
        "BOILERPLATE",
    ]
    assert all(c.stage == "junk" and c.after == "" and c.reason for c in changes)


def test_prose_that_mentions_spam_words_stays() -> None:
    lines = [
        "亚洲国产电影在海外市场的表现，一区二区的划分方式，以及中文字幕的翻译质量都值得讨论。",
        "他久久不能平静，在线观看比赛直播的人很多。",
    ]
    assert remove_junk("\n".join(lines)) == "\n".join(lines)


def test_repeats_inside_the_article_stay() -> None:
    lines = [ARTICLE[1], "重复的一句话", ARTICLE[3], "重复的一句话", ARTICLE[1]]
    assert remove_junk("\n".join(lines)) == "\n".join(lines)
