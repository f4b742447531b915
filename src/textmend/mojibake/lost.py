"""Bytes that are gone: `锟斤拷`, U+FFFD, a character cut short; read as far as they allow."""

from __future__ import annotations

import codecs
import re

from .base import _LOST, Fix

_GONE = rb"\xff[\x80-\xbf\xff]{0,3}|[\xc2-\xf4][\x80-\xbf]{0,2}\xff[\x80-\xbf\xff]{0,2}"


_LOST_BYTE = "textmend-lost-byte"


def _lost_byte(error: UnicodeError) -> tuple[str | bytes, int]:
    """0xFF, which no CJK codec uses, stands for a byte that is gone: read back as
    U+FFFD. Any other error is a real one."""
    if isinstance(error, UnicodeDecodeError) and error.object[error.start] == 0xFF:
        return "\ufffd", error.start + 1
    raise error


codecs.register_error(_LOST_BYTE, _lost_byte)


# Windows' reading of GBK (MultiByteToWideChar, code page 936): GB18030's two-byte
# table (user-defined pairs as private-use characters), but 0x80 alone is `€` (.NET
# gives U+0080). `鍙€夛級` is 可选） with the private-use character for AF E9 gone.
WINDOWS_GBK = "cp936"
_WINDOWS_OWN = {ord("€"): "\udc80", 0x80: "\udc80"}


def _encode_lossy(text: str, codec: str) -> bytes:
    """`text` in `codec`, each U+FFFD (a byte that is gone) as 0xFF: even GB18030,
    which has a sequence of its own for U+FFFD."""
    if codec == WINDOWS_GBK:
        if _ESCAPED_BYTE.search(text) is not None:
            raise UnicodeEncodeError(codec, text, 0, 1, "a lone surrogate is no character")
        escaped = text.translate(_WINDOWS_OWN).replace("\ufffd", "\udcff")
        return escaped.encode("gb18030", "surrogateescape")
    if "\ufffd" not in text:
        return text.encode(codec)
    if _ESCAPED_BYTE.search(text) is None:  # one call at codec speed, not one per U+FFFD
        return text.replace("\ufffd", "\udcff").encode(codec, "surrogateescape")
    return b"\xff".join(piece.encode(codec) for piece in text.split("\ufffd"))


# Lone surrogates that "surrogateescape" would write as bytes, where they must fail.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _lost_fixes(text: str, lossy: str) -> list[Fix]:
    """`锟斤拷`: U+FFFD twice, as UTF-8 bytes read as GBK. The original is gone."""
    if "锟" not in text:
        return []
    fixes = []
    for match in _LOST.finditer(text):
        lost = round(len(match.group()) * 2 / 3) or 1
        after = {"keep": match.group(), "mark": "\ufffd" * lost, "drop": ""}[lossy]
        how = f"{lost} lost characters (U+FFFD as UTF-8 read as GBK), --lossy {lossy}"
        fixes.append(Fix(match.start(), match.end(), match.group(), after, how, "gbk"))
    return fixes


def _read_lost_line(line: str, source: str) -> str:
    """A line's lossy reading; the line itself if `source` cannot have given it (each
    line on its own, so that what one line holds does not decide for another), or
    where a character is lost before its last one unmarked: `_explained` would refuse
    the reading, so the decoding stops there (a line of other mojibake, every byte
    invalid, costs one error, not one a byte)."""
    try:
        return _encode_lossy(line, source).decode("utf-8", errors=_LOST_CHAR_OR_STOP)
    except (UnicodeEncodeError, _Unexplained):
        return line


def _explained(before: str, after: str) -> bool:
    """Whether a line's lossy reading loses characters only where its marks of loss
    are (U+FFFD: a byte the wrong decoder could not read; a last character may be
    cut short unmarked), and not all of its text. A character lost anywhere else
    is clean text that this reading would destroy (`含义` is BA AC D2 E5, no UTF-8).
    (U+FFFD that was text, `锟斤拷`, is read back, not lost.)"""
    unexplained = after.count(_UNEXPLAINED_MARK) - after.endswith(_UNEXPLAINED_MARK)
    wide = len(after) - len(after.encode("ascii", "ignore"))
    lost = after.count(_LOST_MARK) + after.count(_UNEXPLAINED_MARK)
    return after != before and unexplained == 0 and lost < wide


def _read_lost(data: bytes) -> str:
    """`data` as UTF-8, each character with bytes gone as _LOST_MARK."""
    return data.decode("utf-8", errors=_LOST_CHAR)


_LOST_CHAR = "textmend-lost-char"
# Noncharacters, never text: a character lost where a byte is marked gone (0xFF),
# and one lost anywhere else (cut short, or stray continuation bytes), until counted.
_LOST_MARK = "\U0010fffe"
_UNEXPLAINED_MARK = "\U0010ffff"
_LOST_TOKEN = re.compile(rb"(%s)|[\xc2-\xf4][\x80-\xbf]{0,2}|[\x80-\xbf]+" % _GONE)


def _lost_char(error: UnicodeError) -> tuple[str, int]:
    """A UTF-8 character with a byte marked gone (0xFF) is one _LOST_MARK; one cut
    short, stray continuation bytes or any other invalid byte, one _UNEXPLAINED_MARK."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    match = _LOST_TOKEN.match(error.object, error.start)
    if match is None:
        return _UNEXPLAINED_MARK, error.end
    mark = _LOST_MARK if match.lastindex == 1 else _UNEXPLAINED_MARK
    return mark, max(match.end(), error.start + 1)


codecs.register_error(_LOST_CHAR, _lost_char)


class _Unexplained(Exception):
    """A character lost before the end of a line, no mark of loss there."""


_LOST_CHAR_OR_STOP = "textmend-lost-char-or-stop"


def _lost_char_or_stop(error: UnicodeError) -> tuple[str, int]:
    """As _lost_char, but a character lost unmarked before the last one stops the
    decoding (_Unexplained)."""
    mark, resume = _lost_char(error)
    if mark == _UNEXPLAINED_MARK and resume < len(error.object):  # type: ignore[attr-defined]
        raise _Unexplained
    return mark, resume


codecs.register_error(_LOST_CHAR_OR_STOP, _lost_char_or_stop)
