"""CJK mojibake: find spans decoded with the wrong codec, and undo them on evidence.

A span is re-encoded with the codec it was wrongly decoded with and decoded
with the right one; the result replaces the span only when the character
language models (`textmend.langmodel`) find it clearly more plausible than
what is there, by more than MARGIN nats: a prior against calling text
mojibake. Three shapes are looked for:

- Latin-1/cp1252 runs (`ÖÐÎÄ`, `¤¤¤å`, `å¹´`): GBK, Big5, Shift-JIS, EUC-KR or
  UTF-8 bytes read as a Western single-byte codec;
- runs of rare CJK characters (`鍙戝竷`): UTF-8 read as GBK, Big5, cp932 or
  cp949, or one legacy CJK codec read as another;
- `锟斤拷`: U+FFFD written as UTF-8 and read as GBK, whose bytes are gone;
- a line or document of Hebrew or Cyrillic in one single-byte code page read as
  another (`ùìåí` is cp1255 שלום read as latin-1), where it reads better than any
  CJK reading.

Evidence adds up: a line read with one wrong codec was read so throughout, so
once a line shows a kind, its weaker spans (a one-syllable word, a character
glued to a Latin word, punctuation alone) follow it, and a document's repairs
are a hint for its other lines. Suspicion is cheap: clean text rarely has two
adjacent Latin-1 symbols or a cluster of uncommon CJK characters, and all the
rest is skipped.

The package, one module per part: `base` (kinds, fixes, codecs), `latin` (runs of
Latin-1), `lost` (bytes that are gone), `resync` (a line of UTF-8 read as GBK that
lost bytes without a trace, read again whole), `cjk` (runs of rare CJK characters),
`mentions` (mojibake quoted on purpose), `sbcs` (single-byte code pages read as
another), `search` (a line's repairs), `document` (a whole document read with one
wrong codec).
"""

from .base import LATIN_READ, SINGLE_BYTE_SUSPECT, Fix, Kind, apply_fixes, shared_ends
from .document import DocumentReading, document_reading, spare_clean_runs
from .mentions import mentions
from .search import cjk_suspect_at, find_fixes, latin_run_at, suspect_at, suspicious

__all__ = [
    "LATIN_READ",
    "SINGLE_BYTE_SUSPECT",
    "DocumentReading",
    "Fix",
    "Kind",
    "apply_fixes",
    "cjk_suspect_at",
    "document_reading",
    "find_fixes",
    "latin_run_at",
    "mentions",
    "shared_ends",
    "spare_clean_runs",
    "suspect_at",
    "suspicious",
]
