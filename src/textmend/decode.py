"""Bytes to text: BOM, then strict UTF-8, then charset-normalizer, always verified strictly."""

from __future__ import annotations

import codecs

from .result import Decoded

# Longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_CODECS = ("utf_16", "utf_32")


class DecodeError(ValueError):
    """The bytes cannot be decoded as asked."""


class BinaryInputError(DecodeError):
    """The bytes are not text in any plausible encoding."""


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode `data`; `encoding` forces a codec, which must then decode strictly."""
    if encoding:
        return _forced(data, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec, 1.0, "byte order mark")
            except UnicodeDecodeError:
                break
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text:
            raise BinaryInputError("binary data (NUL bytes), not text")
        codec = "ascii" if data.isascii() else "utf-8"
        return Decoded(text, codec, 1.0, "decodes strictly as UTF-8")
    return _detected(data)


def _forced(data: bytes, encoding: str) -> Decoded:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise DecodeError(f"not valid {codec} at byte {err.start}") from None
    return Decoded(text, codec, 1.0, "forced by the caller")


def _detected(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BinaryInputError("not text in any plausible encoding")
    codec = codecs.lookup(best.encoding).name
    if b"\x00" in data and not codec.replace("-", "_").startswith(_WIDE_CODECS):
        raise BinaryInputError("binary data (NUL bytes), not text")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise BinaryInputError("not text in any plausible encoding") from None
    confidence = round(max(0.0, 1.0 - best.chaos), 3)
    language = best.language if best.language and best.language != "Unknown" else "no language"
    evidence = (
        f"charset-normalizer: chaos {best.chaos:.1%}, coherence {best.coherence:.1%}, {language}"
    )
    return Decoded(text, codec, confidence, evidence)
