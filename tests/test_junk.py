"""Junk stage: labelled removal of spam headers, residue and boilerplate; prose kept."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import textmend
from textmend.junk import Label, label_lines, remove_junk
from textmend.layout import apply_layout
from textmend.result import Change

CASES = Path(__file__).parent / "cases"

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


# --- pages: the main prose block, furniture around it, share cards, traditional pages ---

NAV = ["首页 | 新闻 | 体育 | 娱乐 | 财经", "登录", "注册"]
FOOTER = "版权所有 © 2024 某某网"
PAGE_ARTICLE = [
    "北京时间昨天晚上，国家统计局发布了最新的经济数据，数据显示今年前三季度国内生产总值同比增长百分之五。",
    "专家认为，消费和投资的恢复是经济增长的主要动力，预计全年经济将保持稳定增长的态势，物价总体平稳。",
    "分析人士指出，下一阶段政策将继续发力，重点支持科技创新和民生领域，市场信心正在逐步恢复之中。",
]


def test_the_furniture_around_a_pages_article_goes() -> None:
    lines = [
        "首页 | 新闻 | 体育 | 娱乐 | 财经",
        "登录",
        "注册",
        "统计局发布前三季度经济数据",
        *PAGE_ARTICLE,
        "相关阅读",
        "- 央行发布最新货币政策报告",
        "- 多地出台稳增长新举措",
        "版权所有 © 2024 某某网",
        "京ICP备12345678号",
    ]
    kept = remove_junk("\n".join(lines)).split("\n")
    assert kept == ["统计局发布前三季度经济数据", *PAGE_ARTICLE]


def test_a_share_card_cut_off_with_an_ellipsis_is_a_duplicate() -> None:
    card = ["统计局发布前三季度经济数据", PAGE_ARTICLE[0][:30] + "……"]
    lines = [*NAV, *card, "统计局发布前三季度经济数据", *PAGE_ARTICLE, FOOTER]
    changes: list[Change] = []
    kept = remove_junk("\n".join(lines), changes).split("\n")
    assert kept == ["统计局发布前三季度经济数据", *PAGE_ARTICLE]
    assert [(c.before, c.label) for c in changes if c.before in card] == [
        (card[0], "DUPLICATE"),
        (card[1], "DUPLICATE"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "免責聲明：本網站內容僅供參考，不代表本站觀點。",  # traditional
        "【版权声明】本文系某某网原创稿件，未经授权，不得转载。",
        "By Rachel Zhou | 27 Dec 2020",
        "[责任编辑:李杰]",
        "931阅读 · 78评论 · 41点赞",
        "var _hmt = _hmt || [];",
        "[attach]519511[/attach]",
        "欢迎访问澳门银河官网，太阳城、曾道人、六合彩尽在某某娱乐",
        "香港马会：www.example.cn",
    ],
)
def test_lines_the_lexicons_and_patterns_know(line: str) -> None:
    assert remove_junk(f"{line}\n" + "\n".join(PAGE_ARTICLE)).split("\n") == PAGE_ARTICLE


def test_a_list_is_not_a_page() -> None:
    text = "\n".join(["书目"] + [f"第{n}卷 某某文集" for n in range(20)])
    assert remove_junk(text) == text


def test_a_list_under_a_boilerplate_heading_goes_with_it() -> None:
    related = [
        "Related articles",
        "- Stocks rise as investors weigh rates",
        "- 新规解读",
        "- 多地出台稳增长新举措",
    ]
    lines = ["统计局发布前三季度经济数据", *PAGE_ARTICLE, *related, FOOTER]
    changes: list[Change] = []
    kept = remove_junk("\n".join(lines), changes).split("\n")
    assert kept == ["统计局发布前三季度经济数据", *PAGE_ARTICLE]
    assert [c.label for c in changes] == ["BOILERPLATE"] * 5


def test_a_share_card_repeating_whole_paragraphs_under_the_title_is_a_duplicate() -> None:
    title = "统计局发布前三季度经济数据"
    lines = [*NAV, title, PAGE_ARTICLE[0], title, *PAGE_ARTICLE, FOOTER]
    changes: list[Change] = []
    kept = remove_junk("\n".join(lines), changes).split("\n")
    assert kept == [title, *PAGE_ARTICLE]
    assert [c.line for c in changes if c.label == "DUPLICATE"] == [4, 5]  # the first pair


def test_a_title_and_lead_repeated_after_the_article_are_the_share_card() -> None:
    """The article's own title and lead, followed by its next paragraph, stay: the pair
    no paragraph follows is the copy."""
    title = "统计局发布前三季度经济数据"
    lines = [*NAV, title, *PAGE_ARTICLE, title, PAGE_ARTICLE[0], FOOTER]
    changes: list[Change] = []
    kept = remove_junk("\n".join(lines), changes).split("\n")
    assert kept == [title, *PAGE_ARTICLE]
    assert [c.line for c in changes if c.label == "DUPLICATE"] == [8, 9]


@pytest.mark.parametrize(
    "spam",
    [
        "天天射 情色小說 催情藥 www.example.com.cn",  # terms and where to buy them
        "双色球开奖结果2020,平特一肖,一肖一码资料大全",
        "某某娱乐是一个专业的视频网站，提供平特一肖、幸运飞艇等服务",
    ],
)
def test_spam_in_its_other_forms(spam: str) -> None:
    changes: list[Change] = []
    assert remove_junk(f"{spam}\n" + "\n".join(PAGE_ARTICLE), changes).split("\n") == PAGE_ARTICLE
    assert [c.label for c in changes] == ["SEO_SPAM"]


def test_an_extractors_article_gets_no_main_block() -> None:
    menu = ["首页 | 新闻 | 体育 | 娱乐 | 财经", "登录", "注册"]
    lines = [*menu, "简讯", "今日要闻", "本地", *PAGE_ARTICLE, "版权所有 © 2024 某某网"]
    outside = "outside the main prose block of a page"
    reasons = {x.reason for x in label_lines("\n".join(lines))}
    assert any(reason.startswith(outside) for reason in reasons)
    extracted = {x.reason for x in label_lines("\n".join(lines), extracted=True)}
    assert not any(reason.startswith(outside) for reason in extracted)  # the extractor chose


FEED = [
    line
    for n in range(8)
    for line in (
        f"另一则新闻的标题第{n}条",
        f"另一则新闻的摘要，第{n}条，讲的是别的事情，与本文无关，但也写成了完整的句子，"
        "篇幅比本文还要长一些，读起来也像一段正文，有逗号也有句号。",
    )
]
SHORT_ARTICLE = PAGE_ARTICLE  # a third of the feed's prose
MENU = ["首页 | 新闻 | 体育 | 娱乐 | 财经", "登录", "注册", "统计局发布前三季度经济数据"]


@pytest.mark.parametrize(
    "closing",
    [
        ["责任编辑：张三"],
        ["平台声明：该文观点仅代表作者本人，本平台仅提供信息存储空间服务。"],
        ["分享到", "你可能還想看"],  # traditional: matched through the t2s table
        ["猜你喜欢"],
        ["You may also like"],
    ],
)
def test_a_short_article_the_page_closes_wins_over_a_longer_feed_below(
    closing: list[str],
) -> None:
    lines = [*MENU, *SHORT_ARTICLE, *closing, *FEED, "版权所有 © 2024 某某网"]
    kept = remove_junk("\n".join(lines)).split("\n")
    assert kept == ["统计局发布前三季度经济数据", *SHORT_ARTICLE]


def test_without_a_closing_line_the_longer_run_below_is_taken() -> None:
    """No editor's credit, no disclaimer, no heading of other stories: nothing says the
    short run is the article, and the feed, with more prose, is taken as before."""
    lines = [*MENU, *SHORT_ARTICLE, *[f"栏目{n}" for n in range(30)], *FEED]
    kept = remove_junk("\n".join(lines)).split("\n")
    assert SHORT_ARTICLE[0] not in kept
    assert FEED[1] in kept


def test_a_related_reading_list_inside_an_article_does_not_cut_it() -> None:
    """`相关阅读` above a few links also stands between an article's paragraphs."""
    related = ["相关阅读：", "- 央行发布最新货币政策报告", "- 多地出台稳增长新举措"]
    second = [p.replace("。", "，后续还有更多内容。") for p in PAGE_ARTICLE]
    lines = [*MENU, *PAGE_ARTICLE, *related, *second, "版权所有 © 2024 某某网"]
    kept = remove_junk("\n".join(lines)).split("\n")
    assert kept == ["统计局发布前三季度经济数据", *PAGE_ARTICLE, *second]


def test_a_list_of_figures_inside_the_article_does_not_split_it() -> None:
    """Numbered items and `label：figure` lines are the article's, not furniture."""
    prices = [
        line
        for n in range(1, 8)
        for line in (f"{n}、第{n}家景区", f"成人票原价：{n * 40}元", f"咨询电话：5879{n}888")
    ]
    after = [p.replace("。", "，后续还有更多内容。") for p in PAGE_ARTICLE]
    article = [*PAGE_ARTICLE, *prices, *after]
    lines = [*MENU, *article, "责任编辑：张三", *[f"栏目{n}" for n in range(30)]]
    assert remove_junk("\n".join(lines)).split("\n") == ["统计局发布前三季度经济数据", *article]


def test_a_menu_next_to_the_article_goes_and_a_lone_caption_stays() -> None:
    """Three short lines in a row are a menu; one short line between the article and
    the footer, with no furniture between, is the article's (a caption, a byline)."""
    menu = ["简讯", "今日要闻", "本地"]
    title, caption = "统计局发布前三季度经济数据", "图为发布会现场"
    lines = [*NAV, *menu, title, *PAGE_ARTICLE, caption, FOOTER]
    kept = remove_junk("\n".join(lines)).split("\n")
    assert kept == [title, *PAGE_ARTICLE, caption]


def test_separators_go_on_a_page_and_stay_in_an_article() -> None:
    rule = "* * *"
    page = [*NAV, "统计局发布前三季度经济数据", PAGE_ARTICLE[0], rule, *PAGE_ARTICLE[1:], FOOTER]
    assert rule not in remove_junk("\n".join(page)).split("\n")
    article = [PAGE_ARTICLE[0], rule, *PAGE_ARTICLE[1:]]
    assert remove_junk("\n".join(article)) == "\n".join(article)


# --- cases as data: tests/cases/junk_cases.json -----------------------------------------


def _lines(items: list[str]) -> list[str]:
    """A case's lines: `@name` stands for the lines of tests/cases/name."""
    lines: list[str] = []
    for item in items:
        if item.startswith("@"):
            lines += (CASES / item[1:]).read_text(encoding="utf-8").rstrip("\n").split("\n")
        else:
            lines.append(item)
    return lines


def _cases() -> list[dict[str, object]]:
    return json.loads((CASES / "junk_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", _cases(), ids=lambda case: str(case["why"])[:60])
def test_case(case: dict[str, object]) -> None:
    """Each case: the lines kept, the labels of named removed lines, and (`pipeline`)
    the whole pipeline with script and punctuation off giving the kept lines laid out."""
    text = "\n".join(_lines(case["input"]))  # type: ignore[arg-type]
    kept = _lines(case["kept"])  # type: ignore[arg-type]
    changes: list[Change] = []
    out = remove_junk(text, changes)
    assert (out.split("\n") if out else []) == kept
    labels = {c.before: c.label for c in changes}
    for line, label in case.get("labels", {}).items():  # type: ignore[attr-defined]
        assert labels.get(line) == label, line
    if case.get("pipeline"):
        result = textmend.clean_document(text, html=False, script=False, punctuation=False)
        assert result.text == apply_layout("\n".join(kept))


# --- --dedupe-lines in bounded memory ---------------------------------------------------


@pytest.mark.parametrize("block", [1, 2, 3, 7, 10_000])
@pytest.mark.parametrize("seed", range(6))
def test_candidates_counted_again_give_exactly_the_repeated_lines(
    block: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks of any size (the corpus in one, or a block a document) and corpora of any
    size: the lines counted in bounded memory are exactly those counted all at once,
    and so are shards' candidates put together."""
    import random

    from textmend import junk

    monkeypatch.setattr(junk, "DEDUPE_BLOCK", block)
    rng = random.Random(seed)
    pool = [f"行{n}" for n in range(rng.choice((3, 8, 40)))]
    documents = [
        "\n".join(rng.choice(pool) for _ in range(rng.randint(0, 6)))
        for _ in range(rng.choice((1, 5, 29, 31, 80)))
    ]
    expected = junk.repeated_lines(documents)
    candidates, total = junk.frequent_candidates(documents)
    assert total == len(documents)
    assert junk.repeated_in(*junk.line_counts(documents, candidates)) == expected
    cut = rng.randint(0, len(documents))
    shards = [documents[:cut], documents[cut:]]
    union = frozenset().union(*(junk.frequent_candidates(shard)[0] for shard in shards))
    counts = sum((junk.line_counts(shard, union)[0] for shard in shards), Counter())
    assert junk.repeated_in(counts, len(documents)) == expected


def test_a_block_keeps_only_its_frequent_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """What bounds the memory: a line in fewer than REPEAT_SHARE of a block's documents
    is not kept past the block."""
    from textmend import junk

    monkeypatch.setattr(junk, "DEDUPE_BLOCK", 20)
    documents = [f"第{n}篇的正文。\n本站声明：转载请注明出处" for n in range(100)]
    candidates, total = junk.frequent_candidates(documents)
    assert (candidates, total) == (frozenset({"本站声明：转载请注明出处"}), 100)
