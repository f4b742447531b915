"""A whole document read with one wrong codec, at codec speed."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .. import langmodel
from .base import (
    _CJK_LETTER,
    _NON_ASCII,
    CJK_GROUPS,
    CJK_SOURCES,
    CJK_TARGETS,
    LATIN_READ,
    LATIN_TARGETS,
    MARGIN,
    PLAUSIBLE_PER_CJK,
    TARGET_GROUPS,
    Kind,
    _latin_bytes,
    _wrong_bytes,
)
from .cjk import LOST_COST, UTF8_PER_CJK, _own_cost, _uncommon_pattern
from .dos import DOS_PAGES, DOS_TARGETS
from .latin import _GLUED_LETTER, MIN_CJK_GLUED, _latin_cost, _plausible_cjk_cost
from .lost import (
    _LOST_MARK,
    _UNEXPLAINED_MARK,
    _encode_lossy,
    _explained,
    _read_lost,
    _read_lost_line,
)
from .sbcs import sbcs_document

DOCUMENT_SAMPLE = 200  # characters of changed lines on which a document reading is judged


@dataclass(frozen=True)
class DocumentReading:
    """The common case of corrupted files: the whole text read with one wrong codec.
    `lines` is the text's lines as that reading gives them (a line it would not
    repair keeps its text); `hows` says, per line, what was done to it."""

    lines: list[str]
    hows: list[str]  # for the report
    kind: Kind
    # The wrong codec and the right one, for a strict reading of one layer (None for
    # a lossy reading or one with a layer below): what `spare_clean_runs` needs.
    wrong: str | None = None
    target: str | None = None


def spare_clean_runs(line: str, read: str, reading: DocumentReading) -> str:
    """`read`, the line's reading, with each run of non-ASCII text that reads no
    better that way kept as it was: a line can be mojibake and still hold text
    that was decoded right (`茄促.点击查看更多` is `한다.` and clean Chinese). Only
    where the runs decode on their own into the line's reading; else `read`."""
    wrong, target = reading.wrong, reading.target
    if wrong is None or target is None or not any(map(_may_be_clean, _WIDE.findall(line))):
        return read  # the common case: no run that could be clean text, no decoding
    pieces, spared = [], False
    for piece in _WIDE_OR_NOT.findall(line):
        data = _wrong_bytes(piece, wrong)
        try:
            decoded = data.decode(target) if data is not None else None
        except UnicodeDecodeError:
            decoded = None
        if decoded is None:
            return read
        if decoded != piece and not piece.isascii() and _reads_no_better(piece, decoded, target):
            pieces.append((decoded, piece))
            spared = True
        else:
            pieces.append((decoded, decoded))
    if not spared or "".join(d for d, _ in pieces) != read:
        return read
    return "".join(kept for _, kept in pieces)


_WIDE_OR_NOT = re.compile(r"[^\x00-\x7f\s]+|[\x00-\x7f\s]+")
_WIDE = re.compile(r"[^\x00-\x7f\s]+")


def _may_be_clean(run: str) -> bool:
    """Whether a run can be clean text at all: common characters, and enough of them
    (a character or two is no evidence of clean text: `路` is `·`)."""
    return len(_CJK_LETTER.findall(run)) >= MIN_CJK_GLUED and not _uncommon_pattern().search(run)


def _reads_no_better(run: str, decoded: str, target: str) -> bool:
    """Whether a run costs no more as it stands than as read through `target` (only a
    run of common characters can: mojibake is made of rare ones, or of few)."""
    if not _may_be_clean(run):
        return False
    return _own_cost(run) <= langmodel.score(decoded, TARGET_GROUPS[target])[0]


MAX_LAYERS = 3  # mojibake of mojibake of mojibake


def document_reading(
    text: str, probe_at: int | None = None, lossy: str | None = "keep", depth: int = 1
) -> DocumentReading | None:
    """The reading under which the whole of `text` is one codec's bytes read as
    another's, if there is one and its changed lines read far better.

    Strictness is the evidence: bytes of clean text almost never decode strictly
    in the wrong codec over a whole document, so one decode per candidate (at
    codec speed) replaces a search per line; a sample of the changed lines must
    still gain MARGIN nats a line under the models, and where several readings
    do, the cheapest wins. Failing that, UTF-8 with bytes gone (`锟斤拷`, a
    character cut in two) is read as far as the bytes allow (`lossy` as in
    `find_fixes`; None: not tried); mixed documents are left to the search per line.
    """
    # A suspicious line (by default the first with non-ASCII text) must read
    # strictly too: on clean text that rules out every candidate at the cost of a line.
    if probe_at is None:
        first = _NON_ASCII.search(text)
        if first is None:
            return None
        probe_at = first.start()
    start = text.rfind("\n", 0, probe_at) + 1
    probe = text[start : start + PROBE].partition("\n")[0]
    latin = _latin_bytes(probe)
    candidates: dict[str, tuple[bytes, tuple[str, ...]]]
    if latin is not None:
        candidates = {LATIN_READ: (latin, ("utf-8", *LATIN_TARGETS))}
    else:
        candidates = {
            source: (data, ("utf-8", *CJK_TARGETS[source]))
            for source in CJK_SOURCES
            if (data := _wrong_bytes(probe, source)) is not None
        }
    if not probe.isascii():
        # Read with a DOS code page (file names from unzip): in the running with the
        # others, the cheapest reading wins (box drawing is GBK too, read as Big5 junk).
        candidates |= {
            page: (data, DOS_TARGETS)
            for page in DOS_PAGES
            if (data := _wrong_bytes(probe, page)) is not None
        }
    judged = [
        _judged(text, data, target, source, depth)
        for source, (probe_data, targets) in candidates.items()
        if (readable := [t for t in targets if _decodes(probe_data, t)])
        and (data := _wrong_bytes(text, source)) is not None
        for target in readable
    ]
    best = min(filter(None, judged), key=lambda j: j[0], default=None)
    # One single-byte code page read as another (Hebrew or Cyrillic), where it reads
    # better than the CJK reading by MARGIN nats (Yiddish read as Shift-JIS is
    # half-width katakana).
    sbcs = sbcs_document(text, probe, DOCUMENT_SAMPLE) if not probe.isascii() else None
    if sbcs is not None and (best is None or sbcs[0] + MARGIN < best[0]):
        _, read, kind = sbcs
        after = read.split("\n")
        return DocumentReading(after, [kind.how] * len(after), kind, kind.wrong, kind.target)
    if best is not None:
        return best[1]
    if lossy is not None and latin is None and depth == 1 and "\ufffd" in text:
        return _lossy_reading(text, lossy)
    return None


PROBE = 160  # characters from the start of the probe line: a character cut off is fine


def _decodes(data: bytes, codec: str) -> bool:
    """Whether `data` is `codec` text, or the start of some (the probe may cut the
    last character in two)."""
    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _judged(
    text: str, data: bytes, target: str, wrong: str, depth: int
) -> tuple[float, DocumentReading] | None:
    """(cost of the sample as read, the reading) if the reading clears the bar."""
    try:
        decoded = data.decode(target)
    except UnicodeDecodeError:
        return None
    if decoded == text or "\ufffd" in decoded:
        return None
    before, after = text.split("\n"), decoded.split("\n")
    if len(before) != len(after):
        return None
    changed = [b for b, a in zip(before, after, strict=True) if b != a]
    # The sample: the changed lines' first DOCUMENT_SAMPLE characters, read the same way.
    old = "\n".join(changed)[:DOCUMENT_SAMPLE]
    sample_bytes = _wrong_bytes(old, wrong)
    if sample_bytes is None:
        return None
    new = codecs.getincrementaldecoder(target)().decode(sample_bytes, final=False)
    lines = old.count("\n") + 1
    latin = wrong == LATIN_READ
    kind = Kind(target, wrong)
    if latin and target == "utf-8":
        # UTF-8 that is itself mojibake of CJK text: a layer, and the reading of the
        # layer below is the evidence. Other UTF-8 that is not CJK is ftfy's.
        if depth < MAX_LAYERS and document_reading(decoded, depth=depth + 1) is not None:
            return 0.0, DocumentReading(after, [kind.how] * len(after), kind)
        if not _CJK_LETTER.search(new):
            return None
    letters = len(_CJK_LETTER.findall(new))
    if letters < MIN_CJK_GLUED or 2 * len(_GLUED_LETTER.findall(new)) > letters:
        return None  # a character or two, or CJK stuck inside Latin words: the lines judge
    limit = UTF8_PER_CJK if target == "utf-8" else PLAUSIBLE_PER_CJK
    cost = _plausible_cjk_cost(new, TARGET_GROUPS[target], limit)
    if cost is None:
        return None
    own = _latin_cost(old) if latin else _own_cost(old)
    if cost + MARGIN * lines >= own:
        return None
    return cost, DocumentReading(after, [kind.how] * len(after), kind, wrong, target)


def _lossy_reading(text: str, lossy: str) -> DocumentReading | None:
    """UTF-8 read as a CJK codec with errors replaced, over the whole document:
    each character with bytes gone (0xFF stands for a byte lost in U+FFFD) is
    one U+FFFD, as in the search per line; lines that lose too much keep
    their text for that search. Each line is judged on its own (no probe line decides
    for the others: a line of clean text there, which junk may remove later, would
    hide the kind from the rest), at codec speed."""
    for source in CJK_SOURCES:
        before = text.split("\n")
        after = [_read_lost_line(line, source) for line in before]
        kept = [
            a.replace(_LOST_MARK, "\ufffd").replace(_UNEXPLAINED_MARK, "\ufffd")
            if _explained(b, a)
            else b
            for b, a in zip(before, after, strict=True)
        ]
        changed = [b for b, a in zip(before, kept, strict=True) if b != a]
        if not changed or not _lossy_gain(changed, source):
            continue
        kind = Kind("utf-8", source)
        how = kind.how
        hows = []
        for number, (line, read) in enumerate(zip(before, kept, strict=True)):
            lost = read.count("\ufffd") if read != line else 0
            hows.append(
                f"{how}; {lost} characters with bytes gone, --lossy {lossy}" if lost else how
            )
            if lost and lossy == "drop":
                kept[number] = read.replace("\ufffd", "")
        return DocumentReading(kept, hows, kind)
    return None


def _lossy_gain(changed: list[str], source: str) -> bool:
    """The changed lines' first DOCUMENT_SAMPLE characters gain MARGIN nats a line,
    each character that is lost charged LOST_COST."""
    old = "\n".join(changed)[:DOCUMENT_SAMPLE]
    new = _read_lost(_encode_lossy(old, source)).replace(_UNEXPLAINED_MARK, _LOST_MARK)
    lost = new.count(_LOST_MARK)
    cost = _plausible_cjk_cost(new.replace(_LOST_MARK, ""), CJK_GROUPS, UTF8_PER_CJK)
    lines = old.count("\n") + 1
    return cost is not None and cost + LOST_COST * lost + MARGIN * lines < _own_cost(old)
