"""HTML pages: the article extracted, its title first; text with a stray tag is no page."""

from __future__ import annotations

import copy
import random
import re

import pytest

import textmend
from textmend.extract import looks_like_html
from textmend.result import Change

PAGE = (
    "<!DOCTYPE html><html><head><title>测试新闻标题 - 某某网</title></head><body>"
    '<div id="nav">首页 &gt; 新闻</div><article><h1>测试新闻标题</h1>'
    "<p>北京时间昨天晚上，国家统计局发布了最新的经济数据，数据显示今年前三季度国内生产总值同比增长百分之五。</p>"
    "<p>专家认为，消费和投资的恢复是经济增长的主要动力，预计全年经济将保持稳定增长的态势。</p>"
    "</article><footer>版权所有 © 2024 某某网 京ICP备12345678号</footer></body></html>"
)
ARTICLE = (
    "测试新闻标题\n\n"
    "北京时间昨天晚上，国家统计局发布了最新的经济数据，数据显示今年前三季度国内生产总值同比增长百分之五。\n\n"
    "专家认为，消费和投资的恢复是经济增长的主要动力，预计全年经济将保持稳定增长的态势。\n"
)


@pytest.mark.parametrize(
    ("reader", "said"),
    [
        ("fast", "article read by textmend's reader"),
        pytest.param("careful", "article extracted by", marks=pytest.mark.careful),
    ],
)
def test_an_html_page_comes_out_as_its_article_with_the_title_first(reader: str, said: str) -> None:
    result = textmend.clean_document(PAGE, html_reader=reader)
    assert result.text == ARTICLE
    assert any(c.stage == "extract" and said in c.reason for c in result.changes)


def test_the_fast_reader_is_the_default() -> None:
    assert textmend.Options().html_reader == "fast"
    result = textmend.clean_document(PAGE)
    assert any("textmend's reader" in c.reason for c in result.changes if c.stage == "extract")


def test_html_bytes_are_decoded_then_extracted() -> None:
    assert textmend.clean(PAGE.encode("gb18030")) == ARTICLE


@pytest.mark.parametrize(
    "text",
    [
        '正文<br>第二行<span id="ixlwe"></span>',  # residue in plain text: the markup stage's
        "List<String> a = new ArrayList<>();",
        "<p>一段</p>",  # a fragment, not a page
    ],
)
def test_text_with_tags_is_not_a_page(text: str) -> None:
    assert not looks_like_html(text)


def test_html_can_be_forced_or_forbidden() -> None:
    fragment = "<div><p>北京时间昨天晚上，国家统计局发布了最新的经济数据，经济增长。</p></div>"
    changes: list[Change] = []
    assert not looks_like_html(fragment)
    forced = textmend.clean_document(fragment, html=True)
    assert any(c.stage == "extract" for c in forced.changes)
    plain = textmend.clean_document(PAGE, html=False)
    assert not any(c.stage == "extract" for c in plain.changes)
    assert changes == []


def test_the_densest_block_reading_keeps_a_forums_posts() -> None:
    from textmend.extract import _densest_block

    posts = [
        "楼主：最近在学习做面包，发酵总是失败，面团一直不膨胀，请问大家有什么经验？",
        "回复：水温不能太高，三十度左右最好，酵母也要注意保质期，过期的就不活跃了。",
        "回复：冬天可以把面团放在烤箱里，旁边放一碗热水，湿度和温度都合适，效果很好。",
    ]
    page = (
        "<html><body><div class='nav'><a href='/'>首页</a> <a href='/f'>论坛</a></div>"
        "<div class='thread'>" + "".join(f"<p>{post}</p>" for post in posts) + "</div>"
        "<div class='side'><a href='/x'>热门帖子一</a><a href='/y'>热门帖子二</a></div>"
        "</body></html>"
    )
    assert _densest_block(page).split("\n") == posts


def test_a_thread_is_told_by_its_replies_and_floors() -> None:
    from textmend.extract import _forum

    thread = "".join(f"<div>{n}楼 回复 发表于 2024-05-0{n % 9 + 1}</div>" for n in range(1, 5))
    assert _forum(f"<html><body>{thread}</body></html>")
    assert not _forum("<html><body><p>一篇普通的新闻报道，没有回复。</p></body></html>")


ARTICLE_TEXT = ARTICLE.replace("\n\n", "\n").strip()
POST = "我也遇到过这个问题，换了新的酵母以后就好了，谢谢楼主分享经验，下次再试试别的方法。"
REPLY = "同样的情况，谢谢。"  # a short reply more


def _readings(
    precision: str, recall: str, others: str, densest: str | None = None
) -> dict[str, str]:
    return {
        "readability-lxml": others,
        "trafilatura (precision)": precision,
        "trafilatura (recall)": recall,
        "densest block": others if densest is None else densest,
    }


def test_the_reading_most_others_agree_with_is_chosen_and_the_reason_says_so() -> None:
    from textmend.extract import _choose

    most = ARTICLE_TEXT[: int(len(ARTICLE_TEXT) * 0.8)]
    readings = _readings("", "导航 首页 登录 " * 20, ARTICLE_TEXT, densest=most)
    assert _choose(readings, forum=False) == (
        "readability-lxml",
        "the reading that agrees best with the others",
    )


def test_two_independent_methods_agreeing_outvote_trafilaturas_two_readings() -> None:
    """A feed below a short article: trafilatura's two readings both take it, and
    agree with each other; readability and the densest block both leave it."""
    from textmend.extract import _choose

    feed = "\n".join(f"另一则新闻的摘要，第{n}条，讲的是别的事情，与本文无关。" for n in range(30))
    with_feed = ARTICLE_TEXT + "\n" + feed
    readings = _readings(with_feed, with_feed, ARTICLE_TEXT)
    assert _choose(readings, forum=False) == (
        "readability-lxml",
        "densest block tells the same article",
    )
    # Where the two disagree, agreement decides as before.
    readings = _readings(with_feed, with_feed, ARTICLE_TEXT, densest=feed)
    assert _choose(readings, forum=False)[0] == "trafilatura (precision)"


def test_the_precise_reading_stands_in_when_it_tells_the_same_article() -> None:
    from textmend.extract import _choose

    shorter = ARTICLE_TEXT[: int(len(ARTICLE_TEXT) * 0.9)]
    chosen, why = _choose(_readings(shorter, "", ARTICLE_TEXT, densest=""), forum=False)
    assert chosen == "trafilatura (precision)"
    assert "same article" in why
    other = "别的一段话，和文章无关。"
    chosen, _ = _choose(_readings(other, "", ARTICLE_TEXT, densest=""), forum=False)
    assert chosen == "readability-lxml"  # another text: no stand-in


def test_on_a_thread_the_reading_with_more_replies_stands_in() -> None:
    from textmend.extract import _choose

    fuller = POST + "\n" + REPLY
    chosen, why = _choose(_readings(POST, fuller, POST), forum=True)
    assert chosen == "trafilatura (recall)"
    assert "forum thread" in why
    assert _choose(_readings(POST, fuller, POST), forum=False)[0] != "trafilatura (recall)"
    other = "一段完全不同的文字，讲的是别的事情，和原帖没有关系。" * 3
    assert _choose(_readings(POST, other, POST), forum=True)[0] != "trafilatura (recall)"
    shorter = POST[:30]
    assert _choose(_readings(POST, shorter, POST), forum=True)[0] != "trafilatura (recall)"


STORIES = "".join(
    f"<li><h4><a href='/n{n}'>另一则新闻标题{n}</a></h4>"
    f"<p>另一则新闻的摘要，第{n}条，讲的是别的事情，与本文无关，但也写成了完整的句子。</p></li>"
    for n in range(12)
)


@pytest.mark.parametrize(
    "names", ['class="related-news"', 'id="moreStories"', 'class="rm_recommend"']
)
def test_a_block_of_other_stories_below_the_article_is_left_out(names: str) -> None:
    page = PAGE.replace("</article>", f"</article><div {names}><ul>{STORIES}</ul></div>")
    assert textmend.clean(page) == ARTICLE


def test_the_pages_own_replies_are_kept_however_they_are_sorted() -> None:
    from textmend.extract import _without_recommendations

    replies = f'<div class="comment-list recommended"><ul>{STORIES}</ul></div>'
    page = PAGE.replace("</article>", f"</article>{replies}")
    assert "另一则新闻的摘要，第3条" in _without_recommendations(page)
    # A block holding most of the page is the page, whatever its name.
    whole = PAGE.replace("<article>", '<article class="related-wrapper">')
    assert "国家统计局" in _without_recommendations(whole, "测试新闻标题")
    assert "国家统计局" in _without_recommendations(whole)  # untitled: it holds most of the text
    assert _without_recommendations(PAGE) == PAGE  # nothing to leave out: the page as it came


def test_a_stylesheet_is_no_thread() -> None:
    from textmend.extract import _forum

    style = "<style>" + "a{border:0 #fff} " * 20 + "</style>"
    assert not _forum(f"<html><head>{style}</head><body><p>一篇新闻。</p></body></html>")


def test_an_english_thread_is_told_by_its_reply_links() -> None:
    from textmend.extract import _forum

    comments = "".join(
        f"<div><p>Comment {n}</p><a>Reply</a> <a>Permalink</a></div>" for n in range(6)
    )
    assert _forum(f"<html><body>{comments}</body></html>")
    assert not _forum("<html><body><p>A news story that says reply once. Reply.</p></body></html>")


# The three regexes `_without_tags` and `_title_element` stand for, as they were.
_OLD_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_OLD_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _soup(pieces: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(count)]


def test_tags_are_found_as_the_regex_found_them_in_one_scan() -> None:
    from textmend.extract import _without_tags

    pieces = ["<", ">", "/", "script", "STYLE", "s", " ", "\n", "x", "</script>", "</style >", "中"]
    for html in _soup(pieces, 3000, 1):
        assert _without_tags(html) == _OLD_TAG.sub(" ", html), html
    # The regex searched to the end from every `<` with no `>` after it (minutes on 1 MB).
    for shape in ("<", "<script>", "<style"):
        html = shape * (200_000 // len(shape))
        assert _without_tags(html) == (html if shape != "<script>" else " " * 25_000)


def test_the_title_element_is_found_as_the_regex_found_it_in_one_scan() -> None:
    from textmend.extract import _title_element

    pieces = ["<title", "<TITLE", ">", "</title>", "</Title>", "<", "x", "\n", " a=1", "标题"]
    for html in _soup(pieces, 3000, 2):
        match = _OLD_TITLE.search(html)
        assert _title_element(html) == (match.group(1) if match else None), html
    assert _title_element("<title>" * 100_000) is None  # no closing: none after any opening


class _Paragraph:
    def __init__(self, rng: random.Random) -> None:
        self.cf_class = rng.choice(["short", "neargood", "good", "bad"])
        self.class_type = rng.choice(["", "short", "neargood", "good", "bad"])
        self.heading = rng.random() < 0.3
        self.text = "字" * rng.choice([0, 0, 1, 5, 40, 100, 160, 220])


@pytest.mark.careful
def test_justexts_revision_gives_the_same_classes_in_linear_time() -> None:
    from justext.core import revise_paragraph_classification

    from textmend.extract import _revise_paragraphs

    rng = random.Random(3)
    for _ in range(1500):
        paragraphs = [_Paragraph(rng) for _ in range(rng.randint(0, 25))]
        distance = rng.choice([150, 200, 0, -1, 50])
        theirs, ours = copy.deepcopy(paragraphs), copy.deepcopy(paragraphs)
        revise_paragraph_classification(theirs, distance)
        _revise_paragraphs(ours, distance)
        assert [p.class_type for p in ours] == [p.class_type for p in theirs]
    # A thread of 50,000 one-line replies: justext walks over all of them from each one
    # (hours); with no good or bad paragraph on either side, each is bad.
    replies = [_Paragraph(rng) for _ in range(50_000)]
    for reply in replies:
        reply.cf_class, reply.heading = "short", False
    _revise_paragraphs(replies, 150)
    assert {reply.class_type for reply in replies} == {"bad"}


@pytest.mark.careful
def test_trafilatura_revises_justexts_paragraphs_in_linear_time() -> None:
    import trafilatura.external

    from textmend.extract import _linear_justext, _revise_paragraphs

    _linear_justext()
    assert trafilatura.external.revise_paragraph_classification is _revise_paragraphs


TITLED_PAGES = [
    PAGE,
    '<html><head><meta property="og:title" content="开放图谱的标题"><title>网页标题 | 站点</title>'
    "</head><body><p>正文第一段，内容足够长，可以被当作文章来读。</p></body></html>",
    '<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
    '"@type": "NewsArticle", "headline": "结构化数据里的标题", "author": {"name": "张三"}}'
    "</script></head><body><h1>页面上的标题</h1><p>正文。</p></body></html>",
    "<html><body><h1>只有一级标题</h1><p>正文，没有元数据，也没有标题元素。</p></body></html>",
    '<html><head><meta name="author" content="Someone"><title>Plain title</title></head>'
    "<body><h2>Second level</h2><p>Text.</p></body></html>",
    "<html><body><p>No title anywhere on this page at all.</p></body></html>",
    "not html at all",
]


@pytest.mark.careful
@pytest.mark.parametrize("html", TITLED_PAGES)
def test_the_title_is_read_as_trafilaturas_metadata_reads_it(html: str) -> None:
    """The title alone is read by extract_metadata's own steps (its other fields cost
    nine tenths of its time): the same title, page for page."""
    import trafilatura

    from textmend.extract import _metadata_title, _Page

    metadata = trafilatura.extract_metadata(html)
    assert _metadata_title(_Page(html)) == ((metadata.title if metadata else None) or "")


@pytest.mark.careful
def test_a_page_of_very_many_tags_is_read_by_the_baseline_alone_and_says_so() -> None:
    from textmend.extract import BASELINE, LARGE_PAGE_TAGS, extract_article

    paragraph = "<p>这是一个很长的页面上的一段正文，用来检验大页面的读法。</p>"
    page = "<html><body>" + paragraph * (LARGE_PAGE_TAGS + 1) + "</body></html>"
    changes: list[Change] = []
    text = extract_article(page, changes, "careful")
    assert text.count("这是一个很长的页面上的一段正文") == LARGE_PAGE_TAGS + 1
    assert BASELINE in changes[-1].reason and f"{LARGE_PAGE_TAGS:,}" in changes[-1].reason
    small: list[Change] = []
    extract_article("<html><body>" + paragraph * 3 + "</body></html>", small, "careful")
    assert BASELINE not in small[-1].reason


def test_bigram_agreement_is_the_counted_f1_of_adjacent_letters() -> None:
    from collections import Counter
    from itertools import pairwise

    from textmend.extract import _Bigrams, _f1

    def reference(a: str, b: str) -> float:
        grams = [
            Counter(x + y for x, y in pairwise("".join(c for c in t.casefold() if c.isalnum())))
            for t in (a, b)
        ]
        overlap = sum((grams[0] & grams[1]).values())
        if not overlap:
            return 0.0
        p, r = overlap / sum(grams[0].values()), overlap / sum(grams[1].values())
        return 2 * p * r / (p + r)

    rng = random.Random(11)
    alphabet = "中文内容測試 ab,C.1é"
    for _ in range(300):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        assert _f1(_Bigrams(a), _Bigrams(b)) == pytest.approx(reference(a, b))


@pytest.mark.careful
def test_trafilatura_reads_a_page_only_where_the_two_independent_readings_differ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where readability and the densest block tell the same article (not a thread),
    that is the choice whatever trafilatura's readings say: they are not made. Where
    the two differ, all four are made and weighed."""
    import textmend.extract as extract

    made: list[str] = []
    real = extract._trafilatura

    def counted(page: object, **settings: bool) -> str:
        made.append(next(iter(settings)))
        return real(page, **settings)  # type: ignore[arg-type]

    monkeypatch.setattr(extract, "_trafilatura", counted)
    paragraphs = "".join(
        f"<p>第{n}段：国家统计局发布了最新的经济数据，专家认为消费和投资的恢复是经济增长的主要动力。</p>"
        for n in range(6)
    )
    page = (
        "<!DOCTYPE html><html><head><title>测试新闻标题</title></head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/n">新闻</a></div>'
        f'<div class="content"><h1>测试新闻标题</h1>{paragraphs}</div>'
        '<div class="footer"><a href="/c">联系我们</a></div></body></html>'
    )
    changes: list[Change] = []
    text = extract.extract_article(page, changes, "careful")
    assert text.startswith("测试新闻标题\n第0段") and text.endswith(
        "第5段：国家统计局发布了最新的经济数据，专家认为消费和投资的恢复是经济增长的主要动力。"
    )
    assert made == []
    assert changes[0].reason.endswith(
        "densest block tells the same article (readings: densest block, readability-lxml)"
    )
    monkeypatch.setattr(extract, "_densest_block", lambda html: "导航 首页 登录 " * 20)
    extract.extract_article(page, changes, "careful")
    assert made == ["favor_precision", "favor_recall"]
    assert "trafilatura (precision), trafilatura (recall)" in changes[-1].reason
