"""Repair stage: ftfy's Latin fixes, and clean CJK text never touched."""

from __future__ import annotations

import pytest

from textmend.repair import repair_mojibake
from textmend.result import Change


def test_utf8_read_as_cp1252_is_repaired_and_recorded() -> None:
    changes: list[Change] = []
    fixed = repair_mojibake("ok\nThe Mona Lisa doesnâ€™t have eyebrows.", changes)
    assert fixed == "ok\nThe Mona Lisa doesn’t have eyebrows."
    assert [(c.stage, c.line) for c in changes] == [("repair", 2)]
    assert "utf-8" in changes[0].reason


def test_chinese_mojibake_of_utf8_as_latin1_is_repaired() -> None:
    broken = "中文字符".encode().decode("latin-1")
    assert repair_mojibake(broken) == "中文字符"


@pytest.mark.parametrize(
    "clean",
    [
        "“你好”，他说：（测试）！",
        "全角ＡＢＣ１２３和半角",
        "日本語の文章です。「かぎかっこ」も使います。",
        "한국어 문장입니다.",
        "Café naïve — “quoted” ‘text’ …",
        "请求失败，烫烫烫",  # text about mojibake is not mojibake
        "請求失敗，燙燙燙屯屯屯",
        "Saeim and Offering 5×£35 pin ups",
        "ÖÐ",  # one character's worth: not enough evidence
        "中文文本，完全干净，没有任何乱码。",
    ],
)
def test_clean_or_unknown_text_is_untouched(clean: str) -> None:
    changes: list[Change] = []
    assert repair_mojibake(clean, changes) == clean
    assert changes == []


@pytest.mark.parametrize(
    ("broken", "fixed", "how"),
    [
        ("鍙戝竷新闻", "发布新闻", "UTF-8 bytes read as GBK"),
        ("璁㈤槄我们的频道", "订阅我们的频道", "UTF-8 bytes read as GBK"),
        ("ÖÐÎÄ ¼òÌåÖÐÎÄ", "中文 简体中文", "GBK bytes read as cp1252/latin-1"),
        ("¤¤¤å¦r²Å", "中文字符", "Big5 bytes read as cp1252/latin-1"),
        ("¥¿¥¤¥È¥ë", "タイトル", "EUC-JP bytes read as cp1252/latin-1"),
        ("…2023å¹´5月", "…2023年5月", "UTF-8 bytes read as cp1252/latin-1"),
        ("发布鍙戝竷文章", "发布发布文章", "UTF-8 bytes read as GBK"),
    ],
)
def test_cjk_mojibake_is_repaired_span_by_span(broken: str, fixed: str, how: str) -> None:
    changes: list[Change] = []
    assert repair_mojibake(broken, changes) == fixed
    assert any(how in c.reason for c in changes)


def test_cross_codec_and_layered_mojibake() -> None:
    text = "東京都の天気は晴れです"
    assert repair_mojibake(text.encode("cp932").decode("gbk")) == text
    news = "政府工作报告"
    as_gbk = news.encode("utf-8").decode("gbk")
    assert repair_mojibake(as_gbk) == news
    layered = as_gbk.encode("utf-8").decode("latin-1")  # then that read as latin-1
    changes: list[Change] = []
    assert repair_mojibake(layered, changes) == news
    assert len(changes) == 2


@pytest.mark.parametrize(
    ("lossy", "expected"),
    [("keep", "锟斤拷锟斤拷乱码"), ("mark", "\ufffd\ufffd\ufffd\ufffd乱码"), ("drop", "乱码")],
)
def test_lost_characters_follow_the_lossy_policy(lossy: str, expected: str) -> None:
    changes: list[Change] = []
    assert repair_mojibake("锟斤拷锟斤拷乱码", changes, lossy=lossy) == expected
    assert any(f"--lossy {lossy}" in c.reason for c in changes)


def test_unknown_lossy_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="lossy must be one of"):
        repair_mojibake("x", lossy="burn")


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("あり得ず、政", "cp932"),
        ("教育職員は", "cp932"),
        ("水深0至70公尺", "cp932"),
        ("政府工作报告", "gbk"),
    ],
)
def test_utf8_read_as_a_cjk_codec(text: str, wrong: str) -> None:
    broken = text.encode("utf-8").decode(wrong, errors="strict")
    assert repair_mojibake(broken) == text


def test_a_line_is_read_with_one_codec_even_its_one_syllable_words() -> None:
    text = " 제2호를 각각 제2호 및 제3호로 하고"
    assert repair_mojibake(text.encode("euc_kr").decode("latin-1")) == text


def test_a_mojibake_span_inside_a_clean_line_is_repaired_alone() -> None:
    assert repair_mojibake("斯" + "城是罗马".encode().decode("gbk") + "人") == "斯城是罗马人"
    # Once the line is clearly GBK read as latin-1, `NBAÔÚ` (在, stuck to letters) joins in.
    line = "此条款是NBA在1984年时期，当时波士顿"
    assert repair_mojibake(line.encode("gbk").decode("latin-1")) == line
    assert repair_mojibake("NBAÔÚ1984") == "NBAÔÚ1984"  # alone, no evidence


@pytest.mark.parametrize(
    ("lossy", "expected"),
    [
        ("keep", "政府工作报告显示经\ufffd"),
        ("mark", "政府工作报告显示经\ufffd"),
        ("drop", "政府工作报告显示经"),
    ],
)
def test_a_character_cut_in_two_is_lost_not_guessed(lossy: str, expected: str) -> None:
    broken = "政府工作报告显示经济".encode()[:-1].decode("gbk", errors="replace")
    changes: list[Change] = []
    assert repair_mojibake(broken, changes, lossy=lossy) == expected
    assert any("bytes gone" in c.reason for c in changes)


def test_an_ascii_byte_swallowed_as_trail_is_recovered() -> None:
    broken = ("政府工作报告显示经济".encode()[:-1] + b"ab").decode("gbk", errors="replace")
    assert repair_mojibake(broken, lossy="mark") == "政府工作报告显示经\ufffdab"


def test_cjk_punctuation_of_cp1252_is_not_mojibake() -> None:
    text = "他说——这是真的——然后离开了。“好的”…"
    assert repair_mojibake(text) == text
