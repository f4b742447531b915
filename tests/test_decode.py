"""Decode stage: BOMs, strict UTF-8 first, detection verified by a strict decode."""

from __future__ import annotations

import codecs
import json
from enum import Enum
from pathlib import Path

import pytest

from textmend.decode import BinaryInputError, DecodeError, decode
from textmend.result import Segment

CHINESE = "中文测试，这是一个用来检测编码的句子。我们希望它能被正确识别。" * 3


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (codecs.BOM_UTF8 + "中文".encode(), "utf-8-sig"),
        ("中文".encode("utf-16"), "utf-16"),
        ("中文".encode("utf-32"), "utf-32"),
        (codecs.BOM_UTF16_BE + "中文".encode("utf-16-be"), "utf-16"),
    ],
)
def test_byte_order_marks(data: bytes, codec: str) -> None:
    decoded = decode(data)
    assert (decoded.text, decoded.encoding, decoded.evidence) == ("中文", codec, "byte order mark")


def test_valid_utf8_is_taken_strictly_first() -> None:
    decoded = decode("短".encode())
    assert (decoded.text, decoded.encoding, decoded.confidence) == ("短", "utf-8", 1.0)
    assert decode(b"plain").encoding == "ascii"


def test_legacy_chinese_is_detected_and_verified() -> None:
    decoded = decode(CHINESE.encode("gbk"))
    assert decoded.text == CHINESE
    assert decoded.encoding == "gb2312"
    assert decoded.evidence.startswith("reads as zh_hans in gb")
    assert decoded.runner_up is not None
    assert 0.9 < decoded.confidence <= 1
    assert decoded.segments == (Segment(0, len(CHINESE.encode("gbk")), "gb2312"),)


def test_forced_encoding() -> None:
    assert decode("繁體".encode("big5"), "big5").text == "繁體"
    assert decode(b"caf\xe9", "latin-1").encoding == "iso8859-1"
    with pytest.raises(DecodeError, match="unknown encoding"):
        decode(b"x", "no-such-codec")
    forced = decode(b"caf\xff\xfe ok", "utf-8")  # replacement, counted, not refused
    assert (forced.text, forced.replaced) == ("caf\ufffd\ufffd ok", 2)
    assert "2 invalid byte sequences replaced by U+FFFD" in forced.evidence
    with pytest.raises(DecodeError, match="not a text encoding"):
        decode(b"x", "base64")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        b"\x00\x00\x01\x02text\x00\x03\x04\x05\x00\x00\x06\x07",  # control bytes throughout
        bytes(range(256)) * 8,
    ],
)
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        decode(data)


def test_one_nul_byte_in_an_even_length_text_is_not_utf16() -> None:
    data = b"Hello world, this is a normal English line.\n\x00\n"
    decoded = decode(data)
    assert decoded.encoding == "ascii"
    assert decoded.text == data.decode("ascii")
    assert "NUL kept" in decoded.evidence


def test_utf16_without_bom_is_text_not_binary() -> None:
    decoded = decode(CHINESE.encode("utf-16-le"))
    assert decoded.text == CHINESE
    assert decoded.encoding == "utf-16-le"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("政府工作报告", "gbk"),
        ("資訊科技發展", "big5"),
        ("東京都の天気", "cp932"),
        ("東京都の天気", "euc_jp"),
        ("대한민국 헌법", "euc_kr"),
        ("中文", "gbk"),
        ("繁體字", "big5"),
        ("ひらがな", "cp932"),
        ("한국어", "euc_kr"),
    ],
)
def test_short_legacy_text_is_told_apart(text: str, codec: str) -> None:
    data = text.encode(codec)
    decoded = decode(data)
    assert data.decode(decoded.encoding) == text
    assert decoded.text == text


@pytest.mark.parametrize(
    ("text", "smallest"),
    [
        ("简体中文的句子，很普通。", "gb2312"),
        ("镕基和喆的名字不在GB2312里。", "gbk"),
        ("一个GB18030才有的字：㐀，还有€。", "gb18030"),
    ],
)
def test_smallest_codec_that_decodes_strictly(text: str, smallest: str) -> None:
    decoded = decode(text.encode("gb18030"))
    assert decoded.encoding == smallest
    assert decoded.text == text


def test_gb2312_text_uses_modern_mappings() -> None:
    # Python's gb2312 codec turns A1A4 into the katakana ・; GBK and browsers give ·.
    data = "致敬·初心，这是一篇文章。".encode("gbk")
    decoded = decode(data)
    assert decoded.encoding == "gb2312"
    assert decoded.text == "致敬·初心，这是一篇文章。"


def test_answers_are_readings_of_the_bytes() -> None:
    """Without invalid sequences the text is the answer's strict decoding; with them,
    the pieces between the U+FFFD are the codec's characters of the bytes, in order."""
    import random

    rng = random.Random(7)
    for _ in range(300):
        data = bytes(rng.randrange(0x20, 0x100) for _ in range(rng.randrange(2, 40)))
        try:
            decoded = decode(data)
        except BinaryInputError:
            continue
        if decoded.encoding == "mixed":
            continue
        codec = "gb18030" if decoded.encoding.startswith("gb") else decoded.encoding
        assert decoded.replaced == decoded.text.count("\ufffd")
        if not decoded.replaced:
            assert decoded.text == data.decode(codec)
        at = 0
        for piece in decoded.text.split("\ufffd"):
            at = _decodes_from(data, at, piece, codec)
            assert at >= 0, (data, decoded)


def _decodes_from(data: bytes, at: int, piece: str, codec: str) -> int:
    """Where bytes decoding strictly to `piece` end, starting at or after `at`; -1 if none."""
    if not piece:
        return at
    for start in range(at, len(data)):
        for end in range(start + 1, len(data) + 1):
            try:
                if data[start:end].decode(codec) == piece:
                    return end
            except UnicodeDecodeError:
                continue
    return -1


def test_utf8_file_with_gbk_lines_pasted_in_is_decoded_by_segment() -> None:
    lines = [
        "第一行是UTF-8编码的中文文本，内容很普通。",
        "第二行也是UTF-8，讲的是另一件事情。",
        "这一行被人用GBK编码粘贴进来了，所以字节不同。",
        "最后一行又回到UTF-8编码。",
    ]
    data = b"\n".join(line.encode("gbk" if i == 2 else "utf-8") for i, line in enumerate(lines))
    decoded = decode(data)
    assert decoded.encoding == "mixed"
    assert decoded.text == "\n".join(lines)
    assert [s.encoding for s in decoded.segments] == ["utf-8", "gb2312", "utf-8"]
    assert decoded.segments[0].start == 0 and decoded.segments[-1].end == len(data)
    assert "mixed encodings by line" in decoded.evidence


def test_concatenated_documents_in_two_codecs() -> None:
    first = "\n".join(
        ["这是第一份文件，用简体中文写成。", "它有好几行，每一行都是普通的句子。"] * 3
    )
    second = "\n".join(
        ["這是第二份文件，用繁體中文寫成。", "它也有好幾行，每一行都是普通的句子。"] * 3
    )
    data = first.encode("gbk") + b"\n" + second.encode("big5")
    decoded = decode(data)
    assert decoded.text == first + "\n" + second
    assert [s.encoding for s in decoded.segments] == ["gb2312", "big5"]


def test_a_declared_charset_is_a_hint_not_an_order() -> None:
    body = "这是一个声明了错误编码的网页，实际上是GBK编码的中文内容。" * 4
    page = b'<html><head><meta charset="big5"></head><body>' + body.encode("gbk")
    assert decode(page).encoding == "gb2312"
    utf8_page = b'<meta charset="gb2312">' + body.encode("utf-8")
    assert decode(utf8_page).encoding == "utf-8"


def test_iso2022() -> None:
    assert decode("日本語のテキスト".encode("iso2022_jp")).encoding == "iso2022_jp"
    assert decode("한국어 텍스트".encode("iso2022_kr")).encoding == "iso2022_kr"


# --- damage: a few invalid bytes cost a U+FFFD each, not the codec ------------------------

NEWS = "今天国务院常务会议研究部署了进一步做好稳就业工作的相关措施，会议指出。" * 20
PAGE = (
    '<html><head><meta charset="gb2312"><title>新闻</title></head><body><p>'
    + NEWS
    + "</p></body></html>"
)
CUT = PAGE.index("研")  # a character in the first sentence of a 1,400-byte run


def _damaged(codec: str, text: str, at: int, kind: str) -> bytes:
    """`text` in `codec` with the character at `at` damaged: its trail byte deleted
    ("delete"), or ASCII put between its two bytes ("split", a truncated character
    followed by the rest of the page)."""
    head, char, tail = text[:at].encode(codec), text[at].encode(codec), text[at + 1 :].encode(codec)
    middle = char[:1] if kind == "delete" else char[:1] + b"<br>" + char[1:]
    return head + middle + tail


def _around(text: str, at: int, reach: int = 3) -> tuple[str, str]:
    return text[: at - reach], text[at + reach :]


@pytest.mark.parametrize("kind", ["delete", "split"])
@pytest.mark.parametrize("declared", [True, False])
def test_a_page_with_a_damaged_character_keeps_its_codec(kind: str, declared: bool) -> None:
    page = PAGE if declared else PAGE.replace(' charset="gb2312"', "")
    at = page.index("研")
    data = _damaged("gbk", page, at, kind)
    decoded = decode(data)
    assert decoded.encoding == "gb2312"
    want = 1 if kind == "delete" else 2  # the lone lead, and the trail after <br>
    assert decoded.replaced == want and f"{want} invalid byte sequence" in decoded.evidence
    before, after = _around(page, at)
    assert decoded.text.startswith(before) and decoded.text.endswith(after)
    assert len(decoded.text) <= len(page) + 4 + want


PARAGRAPHS = {
    "gbk": (
        "gb2312",
        "北京时间昨天晚上，国家统计局发布了最新的经济数据，显示今年前三季度国内生产总值增长。",
    ),
    "big5": (
        "big5",
        "專家認為，消費和投資的恢復是經濟增長的主要動力，預計全年經濟將保持穩定增長的態勢。",
    ),
    "shift_jis": (
        "shift_jis",
        "東京都は昨日、新しい交通計画を発表しました。市民の意見を聞きながら進める方針です。",
    ),
    "euc_jp": (
        "euc_jp",
        "東京都は昨日、新しい交通計画を発表しました。市民の意見を聞きながら進める方針です。",
    ),
    "euc_kr": (
        "euc_kr",
        "대한민국 정부는 어제 새로운 경제 정책을 발표했습니다. 전문가들은 긍정적으로 평가했습니다.",
    ),
}


@pytest.mark.parametrize("codec", sorted(PARAGRAPHS))
def test_every_double_byte_family_reads_in_step_after_a_lost_byte(codec: str) -> None:
    answer, paragraph = PARAGRAPHS[codec]
    text = paragraph * 6
    at = len(paragraph) + 3  # early in a run of hundreds of bytes: out of step to its end
    decoded = decode(_damaged(codec, text, at, "delete"))
    assert decoded.encoding == answer
    assert decoded.replaced <= 2  # Big5 falls back in step by itself at `，` (A141)
    before, after = _around(text, at)
    assert decoded.text.startswith(before) and decoded.text.endswith(after)


def test_a_lost_byte_before_a_letter_is_read_in_step_without_an_invalid_sequence() -> None:
    # A lone GBK lead byte and the ASCII letter after it make a valid (rare) character:
    # the codec reports nothing, the run before is read across characters.
    text = "我们学习一些我认为很重要的东西c语言的基础知识，还有很多别的。" * 3
    at = text.index("我认为") + 1
    decoded = decode(_damaged("gbk", text, at, "delete"))
    assert decoded.encoding == "gb2312"  # the stray pair is GBK's only
    assert decoded.replaced == 1
    before, after = _around(text, at)
    assert decoded.text.startswith(before) and decoded.text.endswith(after)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b, i: b[:i] + b"\x93" + b[i:],  # a stray cp1252 byte
        lambda b, i: b[: i + 2] + b[i + 3 :],  # a character cut
        lambda b, i: b[:i] + b[i + 1 :],  # its lead byte lost
    ],
    ids=["stray cp1252 byte", "truncated character", "lost lead byte"],
)
def test_utf8_with_a_bad_byte_stays_utf8(damage: object) -> None:
    text = NEWS.replace("。", "。\n")
    data = text.encode()
    at = text.index("研")
    decoded = decode(damage(data, len(text[:at].encode())))  # type: ignore[operator]
    assert decoded.encoding == "utf-8"
    assert 1 <= decoded.replaced <= 2
    before, after = _around(text, at)
    assert decoded.text.startswith(before) and decoded.text.endswith(after)


def test_clean_text_with_rare_characters_and_rules_is_not_touched() -> None:
    # Rare characters, rules and symbols look like an out-of-step reading to a model
    # of the language; without damage the codec's own reading must stand.
    text = "━━━━━━━━\n檸檬と葡萄酒、老陳香酢。↓↓↓　お申込は東→中→西→東の順\n■■■■ ※※ ﾐﾆ檸檬 ﾟ∀ﾟ\n" * 5
    for codec in ("cp932", "euc_jp"):
        data = text.encode(codec)
        decoded = decode(data)
        assert decoded.replaced == 0
        assert decoded.text == data.decode(decoded.encoding)


def test_a_forced_codec_reads_a_damaged_file_in_step_and_says_so() -> None:
    data = _damaged("gbk", PAGE, CUT, "delete")
    decoded = decode(data, "gbk")
    assert (decoded.encoding, decoded.replaced) == ("gbk", 1)
    assert decoded.evidence == "forced by the caller; 1 invalid byte sequence replaced by U+FFFD"
    before, after = _around(PAGE, CUT)
    assert decoded.text.startswith(before) and decoded.text.endswith(after)


def test_many_invalid_sequences_are_no_codec() -> None:
    # Damage is a few places: a family that fails everywhere is still not a candidate.
    data = "中文内容，测试一下。".encode("gbk") * 4 + bytes(range(0x80, 0x100)) * 3
    decoded = decode(data)
    assert decoded.encoding != "gb2312" or decoded.replaced < 40


def test_a_foreign_script_is_no_damage() -> None:
    # Katakana in GBK cost the Chinese models dearly, and the shifted reading of them is
    # cheaper hanzi: a re-reading must beat the text in whichever language knows it.
    text = (
        "34年には捜査官の武装が公式に認可された。仕様のM1911A1自動拳銃や.357マグナム弾"
        "仕様のNフレーム回転式拳銃、.38スペシャル弾仕様のS&W製各種回転式拳銃が調達・配備"
        "された。コルト・ポケットポジティブ、コルト・ディテクティブスペシャルなどが用いられた"
    )
    data = text.encode("gbk", errors="ignore")  # without the two ・, which GBK lacks
    decoded = decode(data)
    assert (decoded.text, decoded.replaced) == (data.decode("gbk"), 0)


def test_half_width_katakana_is_not_read_as_gbk_with_invalid_sequences() -> None:
    # A rival codec's reading with invalid sequences is no sign of a second document.
    text = (
        "雨ニモマケズ\n風ニモマケズ\n雪ニモ夏ノ暑サニモマケヌ\n丈夫ナカラダヲモチ\n慾ハナク\n"
        "決シテ瞋ラズ\nイツモシヅカニワラッテヰル\n一日ニ玄米四合ト\n味噌ト少シノ野菜ヲタベ\n"
        "アラユルコトヲ\nジブンヲカンジョウニ入レズニ\nヨクミキキシワカリ\nソシテワスレズ\n"
        "野原ﾉ松ﾉ林ﾉ陰ﾉ\n小ｻﾅ萱ﾌﾞｷﾉ小屋ﾆヰﾃ\n東ﾆ病気ﾉｺﾄﾞﾓｱﾚﾊﾞ\n行ｯﾃ看病ｼﾃﾔﾘ\n"
        "西ﾆﾂｶﾚﾀ母ｱﾚﾊﾞ\n行ｯﾃｿﾉ稲ﾉ束ｦ負ﾋ\n南ﾆ死ﾆｻｳﾅ人ｱﾚﾊﾞ\n行ｯﾃｺﾊｶﾞﾗﾅｸﾃﾓｲヽﾄｲﾋ\n"
        "北ﾆｹﾝｸヮﾔｿｼｮｳｶﾞｱﾚﾊﾞ\nﾂﾏﾗﾅｲｶﾗﾔﾒﾛﾄｲﾋ\nﾋﾃﾞﾘﾉﾄｷﾊﾅﾐﾀﾞｦﾅｶﾞｼ\nｻﾑｻﾉﾅﾂﾊｵﾛｵﾛｱﾙｷ\n"
        "ﾐﾝﾅﾆﾃﾞｸﾉﾎﾞーﾄﾖﾊﾞﾚ\nﾎﾒﾗﾚﾓｾｽﾞ\nｸﾆﾓｻﾚｽﾞ\nｻｳｲﾌﾓﾉﾆ\nﾜﾀｼﾊﾅﾘﾀｲ "
    )
    decoded = decode(text.encode("cp932"))
    assert (decoded.encoding, decoded.text) == ("shift_jis", text)


def test_a_reading_with_invalid_sequences_does_not_hold_lines_of_another_codec() -> None:
    korean = [
        "위의 수식에서 육아휴직급여액은 육아휴직자 월급여액의 40%로 지급할 예정이다.",
        "고용노동부에 따르면 2011년의 경우 육아휴직급여 수급자는 40,923명이며,",
        "육아휴직에 따른 대체인력 고용 예상 인원은 다음과 같다.",
    ]
    chinese = [
        "青斑阿南鱼，又称青点鹦鲷、萤斑阿南鱼，俗名青斑龙、青衣、青威，为辐鳍鱼纲鲈形目。",
        "本鱼分布于印度太平洋区，包括南非、东非、红海、马达加斯加、塞席尔群岛等海域。",
        "水深3至30公尺。",
        "本鱼体长形，侧扁。",
    ]
    data = b"\n".join(
        [line.encode("euc_kr") for line in korean] + [line.encode("gbk") for line in chinese]
    )
    decoded = decode(data)
    assert decoded.encoding == "mixed"
    assert decoded.text == "\n".join(korean + chinese)


# --- short damaged UTF-8: whole multi-byte characters outweigh a damaged place -----------


@pytest.mark.parametrize(
    "data",
    [
        b"\xe4\xb8\xad\xe6\x96\x87\xff\n",  # 中文 and a stray byte
        "中文内容".encode() + b"\xff\n",
        b"Hello \xe4\xb8\xad\xe6\x96\x87\xe4\xb8\n",  # 中文 and 中 cut after two bytes
        b"\xe4\xb8\xad\xe6\x96\x87\xe5\n",  # ...cut after one
    ],
)
def test_short_utf8_with_one_invalid_sequence_keeps_its_codec(data: bytes) -> None:
    decoded = decode(data)
    assert (decoded.encoding, decoded.replaced) == ("utf-8", 1)
    assert decoded.text == data.decode("utf-8", errors="replace")
    assert decoded.confidence > 0.5


SHORT_UTF8 = [
    "中文内容测试",
    "繁體中文測試",
    "東京都の天気",
    "대한민국 헌법",
    "好的👍谢谢",
    "café résumé",
    "zażółć gęślą jaźń",
    "Привет мир",
    "Καλημέρα",
]


class Damage(Enum):
    STRAY = "stray byte"
    CUT_END = "cut at the end"
    CUT_MIDDLE = "cut in the middle"
    LOST_LEAD = "lost lead byte"


def _damaged_utf8(text: str, kind: Damage) -> tuple[bytes, str, str]:
    """`text` in UTF-8 with its middle non-ASCII character damaged (its last one, cut
    at the end): the bytes, and the text before and after the damaged character."""
    wide = [i for i, char in enumerate(text) if ord(char) > 0x7F]
    at = wide[-1] if kind is Damage.CUT_END else wide[len(wide) // 2]
    head, char, tail = text[:at].encode(), text[at].encode(), text[at + 1 :].encode()
    if kind is Damage.STRAY:
        return head + b"\x93" + char + tail, text[:at], text[at:]
    if kind is Damage.CUT_END:
        return head + char[:-1], text[:at], ""
    if kind is Damage.CUT_MIDDLE:
        return head + char[:-1] + tail, text[:at], text[at + 1 :]
    return head + char[1:] + tail, text[:at], text[at + 1 :]  # Damage.LOST_LEAD


@pytest.mark.parametrize("kind", list(Damage), ids=lambda kind: kind.value)
@pytest.mark.parametrize("text", SHORT_UTF8)
def test_short_utf8_with_a_damaged_character_stays_utf8(text: str, kind: Damage) -> None:
    data, before, after = _damaged_utf8(text, kind)
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith(before) and decoded.text.endswith(after)
    marks = decoded.text[len(before) : len(decoded.text) - len(after)]
    assert marks == "\ufffd" * decoded.replaced and 1 <= decoded.replaced <= 3  # trail bytes


def test_a_byte_order_mark_and_a_cut_character() -> None:
    decoded = decode(codecs.BOM_UTF8 + b"\xe4\xb8\xad\xe6\x96\x87\xe5")
    assert (decoded.text, decoded.encoding, decoded.replaced) == ("中文\ufffd", "utf-8-sig", 1)


LEGACY_SENTENCES = {
    "gbk": "国务院常务会议研究部署了进一步做好稳就业工作的相关措施。",
    "big5": "專家認為，消費和投資的恢復是經濟增長的主要動力。",
    "shift_jis": "東京都は昨日、新しい交通計画を発表しました。",
    "euc_jp": "市民の意見を聞きながら進める方針です。ﾃｽﾄ用の半角カナ。",
    "euc_kr": "대한민국 정부는 어제 새로운 경제 정책을 발표했습니다.",
    "cp1252": "Le café de la gare est très fréquenté à l’heure du déjeuner.",
    "cp1251": "Правительство объявило о новых мерах поддержки экономики.",
    "koi8_r": "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "iso8859_7": "Η κυβέρνηση ανακοίνωσε νέα μέτρα στήριξης της οικονομίας.",
}


@pytest.mark.parametrize("length", [5, 10, 20])
@pytest.mark.parametrize("codec", sorted(LEGACY_SENTENCES))
def test_short_legacy_windows_are_not_taken_for_damaged_utf8(codec: str, length: int) -> None:
    sentence = LEGACY_SENTENCES[codec]
    for start in range(0, len(sentence) - length + 1, 3):
        data = sentence[start : start + length].encode(codec)
        decoded = decode(data)
        assert decoded.replaced == 0, (data, decoded)
        assert decoded.encoding != "utf-8", (data, decoded)


@pytest.mark.parametrize(
    ("text", "codec"),
    [  # windows of the encodings corpus whose UTF-8 reading is a candidate
        (">息子もそ", "euc_jp"),
        ("」（英語表", "euc_jp"),
        ("一つでもあ", "euc_jp"),
        (" やはりこ", "cp932"),
        ("围感染时使", "gbk"),
        ("ﾉﾅﾂﾊｵﾛｵﾛｱﾙｷ", "cp932"),
    ],
)
def test_legacy_bytes_with_chance_utf8_characters_stay_legacy(text: str, codec: str) -> None:
    # Two whole UTF-8 characters by chance open the door to the UTF-8 reading; the
    # language models must still price it out (its characters are rare, each invalid
    # sequence costs an impossible character).
    data = text.encode(codec)
    assert data.decode("utf-8", errors="replace").count("\ufffd") >= 1
    decoded = decode(data)
    assert decoded.encoding != "utf-8" and decoded.replaced == 0


@pytest.mark.parametrize(
    ("data", "text", "codec"),
    [
        (bytes.fromhex("ebc9a7d7"), "Київ", "koi8-u"),  # KOI8-R reads it `Ки╖в`
        ("Привіт, як справи? Це українська мова.".encode("koi8-u"), None, "koi8-u"),
        ("Съешь же ещё этих мягких французских булок.".encode("koi8-r"), None, "koi8-r"),
        ("Привет, как дела?".encode("koi8-r"), None, "koi8-r"),  # the same text in both
    ],
)
def test_koi8_u_is_told_from_koi8_r_by_its_letters(
    data: bytes, text: str | None, codec: str
) -> None:
    decoded = decode(data)
    assert decoded.encoding == codec
    assert decoded.text == (text if text is not None else data.decode(codec))


HZ_LINE = "HZ 编码的中文文本，一行又一行。\n"


@pytest.mark.parametrize(
    ("data", "expected", "codec"),
    [
        (b"~{<:Ky2;S{#,NR2;@m~}", "己所不欲，我不理", "hz"),
        (b"Hello ~{<:Ky2;S{#,NR2;@m~} world\n", "Hello 己所不欲，我不理 world\n", "hz"),
        (HZ_LINE.encode("hz"), HZ_LINE, "hz"),
        # ASCII that holds `~{` by chance stays ASCII: its HZ reading is not Chinese,
        # or too short to tell (two characters, `~{VPND~}` is 中文).
        (b'echo "~{abc~}" # shell', 'echo "~{abc~}" # shell', "ascii"),
        (b"x = a ~{ b ~} c", "x = a ~{ b ~} c", "ascii"),
        (b"~{zzyyxxww~}", "~{zzyyxxww~}", "ascii"),
        (b"~{VPND~}", "~{VPND~}", "ascii"),
    ],
)
def test_hz_is_read_where_its_stretches_read_as_chinese(
    data: bytes, expected: str, codec: str
) -> None:
    decoded = decode(data)
    assert (decoded.text, decoded.encoding) == (expected, codec)


MOSTLY_ASCII = "This is a long English paragraph about software, tests and the weather. " * 20


@pytest.mark.parametrize("word", ["crème", "café", "naïve", "Zoë", "déjà vu", "façade", "Señor"])
def test_one_accented_word_in_a_long_ascii_text_is_priced_wherever_it_is(word: str) -> None:
    """Letter pairs are priced on the words that hold a high byte, not on the first
    bytes of the file: `crème` at the end of an English text was `crиme` in cp1251."""
    text = f"{MOSTLY_ASCII}We talked about {word} again.\n"
    decoded = decode(text.encode("cp1252"))
    assert decoded.text == text


CODEC_CASES = json.loads((Path(__file__).parent / "cases" / "decode_codecs.json").read_bytes())


@pytest.mark.parametrize("case", CODEC_CASES, ids=lambda case: f"{case['codec']}: {case['why']}")
def test_codecs_beyond_cjk_are_detected(case: dict[str, str]) -> None:
    decoded = decode(bytes.fromhex(case["hex"]))
    assert decoded.text == case["text"]
    assert decoded.encoding == case.get("answer", case["codec"])


@pytest.mark.xfail(
    strict=True, reason="known limit (docs/limits.md): a list of Polish letter pairs"
)
def test_polish_letter_pairs_in_cp1250() -> None:
    # Issue 12's reproducer: `Ąą Ćć Ęę ...`, each capital beside its small letter, is
    # read as GB18030 (nine rare characters, one private-use) rather than as Polish,
    # whose capitals and unseen pairs (`ąą`) cost more.
    data = bytes.fromhex("a5b920c6e620caea20a3b320d1f120d3f3208c9c208f9f20afbf")
    assert decode(data).text == data.decode("cp1250")


def test_no_candidate_codec_reads_a_high_byte_as_ascii() -> None:
    # Every reading prices ASCII as free: a code page that writes copies of ASCII
    # signs in its high half (Mac Arabic's `#` for 0xA3) read Big5 lines as free text.
    from textmend.decode import FAMILIES

    for family in FAMILIES:
        for member in family.members:
            for byte in range(0x80, 0x100):
                try:
                    char = bytes([byte]).decode(member)
                except UnicodeDecodeError:
                    continue
                assert not char.isascii(), (member, hex(byte))
