"""Repair stage: ftfy's Latin fixes, and clean CJK text never touched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from textmend import mojibake
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


# --- whole documents read with one wrong codec --------------------------------------------

ARTICLE = [
    "北京时间昨天晚上，国家统计局发布了最新的经济数据。",
    "数据显示，今年前三季度国内生产总值同比增长百分之五。",
    "专家认为，消费和投资的恢复是经济增长的主要动力。",
]
# Lines whose UTF-8 bytes also decode strictly as GB18030 (most text's do not).
STRICT_GB18030 = [
    "专家认为消费和投资的恢复是经济增长的主要动力",
    "天气预报说明天有雨请大家出门带伞",
]


TAIWAN = [
    "臺北市政府今天宣佈，新的捷運路線將於明年年底通車。",
    "這條路線全長三十公里，共設二十個車站。",
]


@pytest.mark.parametrize(
    ("lines", "encoding", "decoding", "how"),
    [
        (ARTICLE, "gbk", "latin-1", "GBK bytes read as cp1252/latin-1"),
        (TAIWAN, "big5", "cp1252", "Big5 bytes read as cp1252/latin-1"),
        (STRICT_GB18030, "utf-8", "gb18030", "UTF-8 bytes read as GBK"),
    ],
)
def test_a_whole_document_read_with_one_wrong_codec_is_repaired_line_by_line(
    lines: list[str], encoding: str, decoding: str, how: str
) -> None:
    text = "\n".join([*lines, "", "2024 report"])
    broken = text.encode(encoding).decode(decoding)
    changes: list[Change] = []
    assert repair_mojibake(broken, changes) == text
    assert [c.line for c in changes] == list(range(1, len(lines) + 1))
    assert all(c.reason == f"mojibake: {how}" for c in changes)


def test_layers_of_a_whole_document_are_undone_one_by_one() -> None:
    text = "\n".join(STRICT_GB18030)
    broken = text.encode("utf-8").decode("gb18030").encode("utf-8").decode("latin-1")
    changes: list[Change] = []
    assert repair_mojibake(broken, changes) == text
    assert [(c.line, c.reason) for c in changes] == [
        (1, "mojibake: UTF-8 bytes read as cp1252/latin-1"),
        (2, "mojibake: UTF-8 bytes read as cp1252/latin-1"),
        (1, "mojibake: UTF-8 bytes read as GBK"),
        (2, "mojibake: UTF-8 bytes read as GBK"),
    ]


def test_a_clean_line_in_a_corrupted_document_is_left_alone() -> None:
    clean = "这一行本来就是正确的中文。"
    broken = "\n".join(line.encode("gbk").decode("latin-1") for line in ARTICLE)
    assert repair_mojibake(f"{broken}\n{clean}") == "\n".join([*ARTICLE, clean])


@pytest.mark.parametrize(("lossy", "lost"), [("keep", "\ufffd"), ("mark", "\ufffd"), ("drop", "")])
def test_a_document_with_bytes_gone_is_read_as_far_as_they_allow(lossy: str, lost: str) -> None:
    # The last byte of each line is gone: each line's last character is cut in two.
    data = b"\n".join(line.encode("utf-8")[:-1] for line in STRICT_GB18030)
    broken = data.decode("gb18030", errors="replace")
    changes: list[Change] = []
    repaired = repair_mojibake(broken, changes, lossy=lossy)
    assert repaired == "\n".join(line[:-1] + lost for line in STRICT_GB18030)
    assert [c.reason for c in changes] == [
        f"mojibake: UTF-8 bytes read as GBK; 1 characters with bytes gone, --lossy {lossy}"
    ] * 2


def test_bytes_lost_inside_lines_stay_lost() -> None:
    # GBK could not read some bytes of this line: 季, 值, 增 and 。 are gone for good.
    data = b"\n".join(line.encode("utf-8") for line in ARTICLE[1:2])
    repaired = repair_mojibake(data.decode("gbk", errors="replace"))
    assert repaired == "数据显示，今年前三\ufffd度国内生产总\ufffd同比\ufffd长百分之五\ufffd"


WEAK = "浜烘皯 2024"  # 人民 as UTF-8 read as GBK: common enough not to look wrong alone


def test_a_documents_repairs_are_a_hint_for_its_weak_lines() -> None:
    assert repair_mojibake(WEAK) == WEAK
    strong = [line.encode().decode("gb18030") for line in STRICT_GB18030]
    assert repair_mojibake("\n".join([*strong, WEAK])) == "\n".join([*STRICT_GB18030, "人民 2024"])


def test_one_repaired_line_is_no_hint_for_a_line_among_many_clean_ones() -> None:
    strong = STRICT_GB18030[0].encode().decode("gb18030")
    clean = [f"第{n}段：这里是一段正常的文字，没有乱码。" for n in range(8)]
    repaired = repair_mojibake("\n".join([strong, WEAK, *clean]))
    assert repaired == "\n".join([STRICT_GB18030[0], WEAK, *clean])


def test_a_long_tail_after_a_run_is_tried_a_few_characters_deep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each try reads the whole run again: trying every character of a tail of `…`
    # (NEL is cp1252's `…`) made a line of them quadratic.
    from textmend.mojibake import latin

    calls = []
    readings = latin._readings
    monkeypatch.setattr(latin, "_readings", lambda *a, **k: calls.append(a) or readings(*a, **k))
    mojibake.find_fixes("ÖÐ" + "\x85" * 5000)
    assert 0 < len(calls) <= 2 * (latin.MAX_TRAILING_TEXT + 2)


def test_many_quoted_mentions_on_one_line_are_each_kept() -> None:
    line = "示例「" + "」「".join(["æµ‹è¯•"] * 300) + "」"
    assert repair_mojibake(line) == line


def test_lost_bytes_are_written_as_ff_and_lone_surrogates_still_fail() -> None:
    """U+FFFD is written as 0xFF in one encode; a lone surrogate that
    surrogateescape would turn into a byte must still fail, as it did piece by piece."""
    from textmend.mojibake.lost import _encode_lossy

    for codec in ("gb18030", "big5", "cp932", "cp949"):
        expected = "中".encode(codec) + b"\xff" + "文".encode(codec) + b"\xff"
        assert _encode_lossy("中\ufffd文\ufffd", codec) == expected
        with pytest.raises(UnicodeEncodeError):
            _encode_lossy("中\ufffd\udcff文", codec)


@pytest.mark.parametrize(
    "line",
    [
        "閿欒\ufffd鐞",  # UTF-8 as GBK, a byte gone in the middle
        "閿欒澶勭悊",
        "閿欒澶勭",  # last character cut
        "臺灣的政府",  # clean text, not UTF-8 as GBK
        "abc 閿欒 def 中文",
        "\ufffd\ufffd\ufffd",
        "",
    ],
)
def test_a_line_stops_decoding_where_its_reading_is_refused_with_the_same_answer(
    line: str,
) -> None:
    from textmend.mojibake.lost import (
        _LOST_MARK,
        _UNEXPLAINED_MARK,
        _encode_lossy,
        _explained,
        _read_lost,
        _read_lost_line,
    )

    def marks(text: str) -> str:
        return text.replace(_LOST_MARK, "\ufffd").replace(_UNEXPLAINED_MARK, "\ufffd")

    try:
        full = _read_lost(_encode_lossy(line, "gb18030"))
    except UnicodeEncodeError:
        full = line
    quick = _read_lost_line(line, "gb18030")
    expected = marks(full) if _explained(line, full) else line
    assert (marks(quick) if _explained(line, quick) else line) == expected


def test_rewording_the_report_never_changes_a_repair(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decisions (a document's hint for its weak lines, the kind looked for first) are
    made on a Kind, not on the report's sentences: other words, the same repairs."""
    lines = [
        "中文内容".encode("gbk").decode("latin-1"),
        "政务微博十年致敬初心".encode("gbk").decode("latin-1"),
        "年",  # one short word: repaired by the document's hint only
        "这里只做推理性能测试".encode().decode("gbk", "replace"),
        "專家認為消費和投資".encode("big5").decode("gbk", "replace"),
        "本社は京都市".encode("cp932").decode("cp1252", "replace"),
    ]
    # UTF-8 read as GBK over a whole document: `浜烘皯` (人民) alone looks clean, and is
    # repaired by what the other lines showed.
    strict = ["，织田信长等人为主的", "由于乡里大辅先生因故去世，不得不", "人民"]
    whole = "\n".join(line.encode("utf-8").decode("gbk") for line in strict)
    documents = ["\n".join(lines), "\n".join(lines[:3]), "\n".join(reversed(lines)), whole]
    before = [repair_mojibake(d) for d in documents]
    assert before[-1] == "\n".join(strict)
    from textmend.mojibake import base

    reworded = {codec: name[::-1] + "?" for codec, name in base._NAMES.items()}
    monkeypatch.setattr(base, "_NAMES", reworded)
    changes: list[Change] = []
    assert [repair_mojibake(d, changes) for d in documents] == before
    assert any("?" in change.reason for change in changes)  # the report did change


FOLDED_SENTENCES = [
    "你好，世界。这是一个测试。",
    "国务院常务会议研究部署了进一步做好稳就业工作的相关措施。",
    "時間試験観点（アニメパス）",
    "대한민국 정부는 어제 새로운 경제 정책을 발표했습니다.",
    "專家認為，消費和投資的恢復是經濟增長的主要動力。",
    "Le café de la gare est très fréquenté à l’heure du déjeuner.",
]


@pytest.mark.parametrize("sentence", FOLDED_SENTENCES)
def test_nfkc_folded_utf8_mojibake_is_folded_back_exactly(sentence: str) -> None:
    import unicodedata

    from textmend.mojibake.folded import shows_folding, unfold

    # cp1252's five undefined bytes read as Latin-1 (as browsers do): every byte kept.
    mojibake_ = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in sentence.encode())
    normalised = unicodedata.normalize("NFKC", mojibake_)
    if not shows_folding(normalised):
        pytest.skip("NFKC left no distinctive form in this sentence's mojibake")
    assert unfold(normalised) == mojibake_


@pytest.mark.parametrize(
    "text",
    ["Mix 1⁄2 cup of flour", "Äpfel 1⁄2 kg, Öl 3⁄4 l", "naïve ¨ and é", "plain text", "μ-law"],
)
def test_text_without_folded_mojibake_is_not_unfolded_into_any(text: str) -> None:
    from textmend.mojibake.folded import unfold

    assert repair_mojibake(text) == text
    if "⁄" not in text:
        assert unfold(text) == text


TURKISH = """Türkiye Cumhuriyeti, Anadolu ve Doğu Trakya'da kurulmuş bir ülkedir.
İstanbul, ülkenin en kalabalık şehri ve ekonomik merkezidir; başkent ise Ankara'dır.
Öğretmenler günü her yıl kasım ayında kutlanır, öğrenciler çiçek getirir.
Değişiklik yapılmış şekliyle kanun, ağustos ayında yürürlüğe girdi.
Işık hızı saniyede yaklaşık üç yüz bin kilometredir.
Çocuklar bahçede oynarken yağmur başladı ve herkes içeri koştu.
Ğ harfi kelime başında kullanılmaz; ı, ş ve ç ise sık görülür.
Şirketin yıllık raporu, büyümenin yüzde on iki olduğunu gösteriyor."""


def test_turkish_text_stays_as_it_is() -> None:
    """cp1254's letters re-encode as bytes now (for CJK read as cp1254): clean
    Turkish, full of them, must not be taken for mojibake."""
    assert repair_mojibake(TURKISH) == TURKISH
    for line in TURKISH.split("\n"):
        assert repair_mojibake(line) == line


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("国务院常务会议研究部署了进一步做好稳就业工作的相关措施。", "gbk"),
        ("中文内容测试", "gbk"),
        ("대한민국 정부는 어제 새로운 경제 정책을 발표했습니다.", "euc_kr"),
    ],
)
def test_cjk_bytes_read_as_cp1254_are_repaired(text: str, codec: str) -> None:
    mojibake_ = text.encode(codec).decode("cp1254")
    assert repair_mojibake(mojibake_) == text


SBCS_CASES = json.loads((Path(__file__).parent / "cases" / "repair_sbcs.json").read_bytes())


@pytest.mark.parametrize("case", SBCS_CASES, ids=lambda case: case["why"])
def test_single_byte_code_page_read_as_another(case: dict[str, Any]) -> None:
    """Issue 12: Hebrew and Cyrillic code pages read as cp1252, latin-1 or KOI8-R (or
    KOI8-R as cp1251) are repaired; real text of those scripts and of Latin ones stays."""
    assert repair_mojibake(case["input"]) == case["expected"]
    if "kind" in case:
        fixes = mojibake.find_fixes(case["input"])
        assert [f.kind for f in fixes] == [mojibake.Kind(*case["kind"])]


FOLDED_CASES = json.loads((Path(__file__).parent / "cases" / "repair_folded.json").read_bytes())


@pytest.mark.parametrize("case", FOLDED_CASES, ids=lambda case: case["why"])
def test_mojibake_normalised_with_nfkc(case: dict[str, Any]) -> None:
    """Issue 12: GBK read as cp1252 then NFKC-normalised is folded back and repaired;
    clean text with the same forms stays."""
    assert repair_mojibake(case["input"]) == case["expected"]


# --- the windowed badness test, and the search of lines holding CJK letters ------------


def _mixtures(seed: int, count: int, odd: float) -> list[str]:
    """Seeded strings of clean CJK text and ASCII with characters of ftfy's badness
    classes (a share `odd` of them), pinyin annotations among them."""
    import random

    from ftfy.badness import BADNESS_RE

    rng = random.Random(seed)
    odd_chars = sorted({c for c in BADNESS_RE.pattern if ord(c) > 0x7F}) + [
        chr(c) for c in range(0x80, 0x250, 7)
    ]
    plain = [*"政務微博中文。，（）「」", *"abcxyzAZ .,!?()1 \t", "\u3000", "(wù)", "(lǎo)"]
    return [
        "".join(
            rng.choice(odd_chars) if rng.random() < odd else rng.choice(plain)
            for _ in range(rng.randint(1, 40))
        )
        for _ in range(count)
    ]


EDGES = [
    "Ã la carte",  # `^[ÃÂ][ ]`: only at the start
    "xÃ la",
    "voilà Ã ",
    "a\x85b",  # a C1 control alone
    "cœur",
    "œ中",
    "政務(wù)微博“致敬”——（ù）",
    "ГўВЂВ™s",
    "",
]


def test_badness_is_searched_only_where_it_can_match() -> None:
    from ftfy.badness import is_bad

    from textmend.repair import _badness_shape, _is_bad

    assert _badness_shape() is not None  # the installed ftfy has the shape relied on
    texts = EDGES + _mixtures(1, 20_000, 0.05) + _mixtures(2, 5_000, 0.3)
    found = [_is_bad(text) for text in texts]
    assert found == [is_bad(text) for text in texts]
    assert 1_000 < sum(found) < len(texts) - 1_000  # both answers well represented


@pytest.mark.parametrize("pattern", [r"[à](?=[€])", r"[àá][€]$", r"\bà€", r"(à)\1", r"[àá]|x"])
def test_badness_of_another_shape_is_searched_whole(
    pattern: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    import ftfy.badness

    from textmend import repair

    monkeypatch.setattr(ftfy.badness, "BADNESS_RE", re.compile(pattern))
    repair._badness_shape.cache_clear()
    try:
        assert repair._badness_shape() is None
        assert repair._is_bad("x" * 3) == bool(re.search(pattern, "x" * 3))
    finally:
        monkeypatch.undo()
        repair._badness_shape.cache_clear()


def _all_fixes(text: str, lossy: str) -> list[mojibake.Fix]:
    """`find_fixes` without a hint, every detector asked (no shortcut for CJK letters)."""
    from textmend.mojibake.cjk import _cjk_fixes
    from textmend.mojibake.dos import dos_line_fix
    from textmend.mojibake.latin import _latin_fixes, _whole_line_fix
    from textmend.mojibake.lost import _lost_fixes
    from textmend.mojibake.resync import resync_fixes
    from textmend.mojibake.sbcs import sbcs_line_fix
    from textmend.mojibake.search import _choose, _european_utf8

    resynced = resync_fixes(text, lossy)
    if resynced:
        return resynced
    if _european_utf8(text):
        return []
    whole = _whole_line_fix(text) or dos_line_fix(text)
    if whole is not None:
        return [sbcs_line_fix(text, [whole]) or whole]
    fixes = _choose(_latin_fixes(text) + _cjk_fixes(text, lossy) + _lost_fixes(text, lossy))
    whole = sbcs_line_fix(text, fixes)
    return [whole] if whole is not None else fixes


def test_lines_with_cjk_letters_find_what_every_detector_would() -> None:
    import random

    rng = random.Random(3)
    clean = ["政務微博十年致敬初心", "日本語の文章です", "한국어 문장입니다", "Café naïve"]
    broken = [
        "中文字符".encode().decode("latin-1"),
        "中文字符".encode("gbk").decode("latin-1"),
        "发布会".encode().decode("gbk", "replace"),
        "锟斤拷",
        "Привет".encode("cp1251").decode("latin-1"),
        "(wù)",
        "——“”",
    ]
    lines = [
        "".join(rng.choice(clean + broken) for _ in range(rng.randint(1, 5))) for _ in range(400)
    ]
    cjk = [line for line in lines if mojibake.base._CJK_LETTER.search(line)]
    assert len(cjk) > 300
    for line in cjk:
        assert mojibake.find_fixes(line) == _all_fixes(line, "keep"), line
    assert sum(bool(mojibake.find_fixes(line)) for line in cjk) > 100


def test_folding_is_shown_as_both_patterns_find_it() -> None:
    import random

    from textmend.mojibake.folded import _DISTINCTIVE_FORM, _MU_AMID_LATIN_1, shows_folding

    rng = random.Random(6)
    marked = [
        f"{text[:at]}{rng.choice(marks)}{text[at:]}"
        for text in _mixtures(5, 3_000, 0.1)
        for at in [rng.randint(0, len(text))]
        for marks in [[" 1\u2044", "3\u20444", " \u0308", "\u0304", "\u0301", "\u0327", "\u03bc"]]
    ]
    texts = ["ä1⁄2 å¥1⁄2", "\u0308a", "a \u0301b", "a\u0301", "Òμ", "μÄ", "μm", "1⁄3"]
    texts += _mixtures(4, 3_000, 0.1) + marked
    for text in texts:
        expected = bool(_DISTINCTIVE_FORM.search(text) or _MU_AMID_LATIN_1.search(text))
        assert shows_folding(text) is expected, text
    assert 300 < sum(map(shows_folding, texts)) < len(texts) - 300
