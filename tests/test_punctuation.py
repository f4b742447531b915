"""Punctuation stage: full-width marks back where they were folded, nowhere else."""

from __future__ import annotations

import pytest

from textmend.punctuation import restore_punctuation, shows_folding
from textmend.result import Change


def test_folded_marks_after_chinese_are_widened() -> None:
    changes: list[Change] = []
    text = "他说,我们到了;你呢?好!要“改进”,主张:一是(中国),二是"
    assert restore_punctuation(text, changes) == (
        "他说，我们到了；你呢？好！要“改进”，主张：一是（中国），二是"
    )
    assert [(c.stage, c.line) for c in changes] == [("punctuation", 1)]


def test_numbers_urls_and_latin_keep_ascii() -> None:
    text = "时间是12:30,共1,000人,网址:http://a.cn/x?y=1,见(GDP)一栏, and Latin, too: yes!"
    assert restore_punctuation(text) == (
        "时间是12:30，共1,000人，网址：http://a.cn/x?y=1,见（GDP）一栏, and Latin, too: yes!"
    )


@pytest.mark.parametrize(
    ("folded", "restored"),
    [
        ("公司(Alvis)生产,是", "公司（Alvis）生产，是"),  # glued to Chinese text: Chinese
        ("机枪L3A4(M1919)同轴,另", "机枪L3A4（M1919）同轴，另"),
        ("司马繇(),字思玄,西晋", "司马繇（），字思玄，西晋"),  # empty, as Wikipedia leaves them
        ("即transmission,即「传送」,但", "即transmission，即「传送」，但"),  # before Chinese
        ("王沈 (太原) 是,一个", "王沈 (太原) 是，一个"),  # after a space: as it was
        ("考文垂; zh-hk:高云,地利", "考文垂; zh-hk:高云，地利"),
    ],
)
def test_marks_glued_to_chinese_text_are_chinese(folded: str, restored: str) -> None:
    text = f"有人说,这是中文,{folded}"
    assert restore_punctuation(text) == f"有人说，这是中文，{restored}"


@pytest.mark.parametrize(
    "text",
    [
        "已经有全角，所以,这里不动,也不改。",  # a full-width comma: no folding happened
        "只有一个,逗号。",  # too little evidence
        "日本語の文,ここは,変えない。",  # kana: not Chinese
        "English, only: text; here!",
    ],
)
def test_no_evidence_no_change(text: str) -> None:
    assert not shows_folding(text)
    assert restore_punctuation(text) == text


def test_a_line_with_full_width_marks_was_not_folded_and_keeps_its_ascii() -> None:
    # A site's template (full-width) beside a converted article (folded): each line is
    # judged on its own, so removing the template line later changes nothing.
    text = "责任编辑：王小明,李四\n他说,我们到了,你呢?"
    assert restore_punctuation(text) == "责任编辑：王小明,李四\n他说，我们到了，你呢？"
    assert restore_punctuation(text.split("\n")[1]) == "他说，我们到了，你呢？"


def test_a_japanese_line_is_not_widened_beside_chinese_ones() -> None:
    text = "他说,我们到了,你呢\n私は,毎朝コーヒーを飲みます,"
    assert restore_punctuation(text) == "他说，我们到了，你呢\n私は,毎朝コーヒーを飲みます,"


def test_matches_are_counted_as_findall_counts_them() -> None:
    import re

    from textmend.lexicon import count_matches

    text = "中文，a,b 中,文,, 123,456 かな" * 1000
    for pattern in (r"[\u4e00-\u9fff]", r"[\u4e00-\u9fff],", r",+", r"\d+|,", r"(,)(\d)"):
        compiled = re.compile(pattern)
        assert count_matches(compiled, text) == len(compiled.findall(text))


def test_marks_are_found_as_the_lookbehind_first_pattern_finds_them() -> None:
    """`_MARK` matches the mark first: the same marks as the pattern written with its
    lookbehinds first, on seeded strings of marks, Han, digits, Latin, `//` and spaces."""
    import random
    import re

    from textmend.punctuation import _CHINESE, _HAN, _MARK

    written = re.compile(
        rf"(?<={_CHINESE})(?:[,;!?]|:(?!//))(?!\s[A-Za-z])"
        rf"|(?<![0-9])[,;!?](?=[{_HAN}“‘「『《（])|(?<=[0-9%])[,;](?=[{_HAN}])"
    )
    rng = random.Random(8)
    alphabet = [*",;!?:", "//", *"中文”（「《1%a Z\n", "。"]
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(20_000)
    ]
    found = [[m.span() for m in _MARK.finditer(text)] for text in texts]
    assert found == [[m.span() for m in written.finditer(text)] for text in texts]
    assert sum(map(bool, found)) > 5_000


def test_a_line_without_a_url_is_widened_whole() -> None:
    text = "他说,我们到了;你呢?好!\n好,见http://例子.cn/a,b 好,走"
    assert restore_punctuation(text).split("\n") == [
        "他说，我们到了；你呢？好！",
        "好，见http://例子.cn/a,b 好，走",
    ]
