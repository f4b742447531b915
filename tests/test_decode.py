"""Decode stage: BOMs, strict UTF-8 first, detection verified by a strict decode."""

from __future__ import annotations

import codecs

import pytest

from textmend.decode import BinaryInputError, DecodeError, decode

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
    assert decoded.encoding in {"gb18030", "gbk", "gb2312"}
    assert "charset-normalizer" in decoded.evidence
    assert 0 < decoded.confidence <= 1


def test_forced_encoding() -> None:
    assert decode("繁體".encode("big5"), "big5").text == "繁體"
    assert decode(b"caf\xe9", "latin-1").encoding == "iso8859-1"
    with pytest.raises(DecodeError, match="unknown encoding"):
        decode(b"x", "no-such-codec")
    with pytest.raises(DecodeError, match="not valid utf-8"):
        decode(b"\xff\xfe\xfa", "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        b"text with a NUL\x00 byte",
        bytes(range(256)) * 8,
    ],
)
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        decode(data)


def test_utf16_without_bom_is_text_not_binary() -> None:
    decoded = decode(CHINESE.encode("utf-16-le"))
    assert decoded.text == CHINESE
    assert decoded.encoding == "utf-16-le"
