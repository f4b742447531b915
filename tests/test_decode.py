"""Decode stage: BOMs, strict UTF-8 first, detection verified by a strict decode."""

from __future__ import annotations

import codecs

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


def test_answers_always_decode_strictly() -> None:
    import random

    rng = random.Random(7)
    for _ in range(300):
        data = bytes(rng.randrange(0x20, 0x100) for _ in range(rng.randrange(2, 40)))
        try:
            decoded = decode(data)
        except BinaryInputError:
            continue
        if decoded.encoding != "mixed":
            # The answer's own decoding, each invalid sequence a counted U+FFFD.
            replaced = data.decode(decoded.encoding, "replace")
            assert decoded.text == replaced
            assert decoded.replaced == replaced.count("\ufffd")


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
