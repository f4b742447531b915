"""The default pipeline: decode, input hygiene, extract (HTML pages), markup, repair,
script, punctuation, junk, layout.

Markup runs before repair so that repair sees mojibake whole: `Caf&Atilde;&copy;`
and `CafÃ<b>©</b>` are one `Ã©` once the entities and tags are gone (an HTML page's
extracted text is already unescaped; ftfy too unescapes before it fixes). Each
stage runs within the document's work budget (`textmend.budget`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from .budget import allowance, document_session, run_stage
from .decode import DecodeError, decode
from .layout import EDGE_BLANKS, apply_layout
from .options import Options
from .result import Change, Decoded, Result

INPUT_STAGE = "input"

_SURROGATE = re.compile("[\ud800-\udfff]")
# Every line end the layout knows, bar NEL: CR LF, CR, VT, FF, the information
# separators, LINE and PARAGRAPH SEPARATOR. None of them is a byte of multi-byte
# UTF-8, so none can be evidence of mojibake. They become `\n` before any stage
# looks at lines (and again after markup, whose entities may decode to one), so
# that every stage sees the lines the output will have.
_LINE_END = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\u2028\u2029]")
# NEL (U+0085) is also a UTF-8 continuation byte read as Latin-1 (`Ñ\x85` is `х`)
# or cp1252's `…`: repair needs it, so it becomes `\n` right after repair.
_NEL = "\x85"
# C0 controls that are neither a tab nor a line end, and DEL: no article holds one (a
# NUL is a stray byte of a binary file or of UTF-16 read as 8-bit text; ESC starts a
# terminal colour code). They are removed, and the removal reported. C1 controls stay:
# they are bytes of UTF-8 read as Latin-1, the evidence repair reads.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")


def clean_document(
    data: str | bytes, options: Options | None = None, **overrides: object
) -> Result:
    """Run every enabled stage on `data` and say what each one changed and why.

    `data` may be bytes (decoded first, `encoding=` forces the codec) or text.
    Keyword arguments override fields of `options` (see `textmend.Options`).
    Raises `textmend.decode.DecodeError` when bytes cannot be decoded (or their
    decoding runs out of its work budget). The output is always valid UTF-8.
    A stage that runs out of its work budget passes its input on unchanged and is
    named in `Result.skipped` (a Change of kind `BUDGET_EXCEEDED` in the report).
    """
    opts = Options.from_kwargs(options, **overrides)
    if opts.budget is None:
        return _clean_document(data, opts)
    with document_session():
        return _clean_document(data, opts)


def _clean_document(data: str | bytes, opts: Options) -> Result:
    result = Result(text="")
    changes: list[Change] = result.changes
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        result.bytes_in = len(raw)
        started = time.perf_counter()
        result.decoded = _decode_within_budget(raw, opts)
        result.seconds["decode"] = time.perf_counter() - started
        text = result.decoded.text
    elif isinstance(data, str):
        text = data
    else:
        raise TypeError(f"expected str or bytes, not {type(data).__name__}")
    text, size = _valid_text(text, changes)
    if not result.bytes_in:
        result.bytes_in = size
    text = _line_ends(text, _LINE_END, changes, "CR LF, CR, VT, FF, LS, PS")
    text = _without_controls(text, changes)
    text = _without_edge_blanks(text, changes)
    seconds = allowance(size, opts.budget)

    def stage(name: str, function: Callable[[str], str]) -> bool:
        """Run one stage within the budget; False if it ran out of it."""
        nonlocal text
        started = time.perf_counter()
        text, skipped = run_stage(name, function, text, changes, seconds)
        spent = time.perf_counter() - started
        result.seconds[name] = result.seconds.get(name, 0.0) + spent
        return not skipped

    extracted = False
    if opts.html or (opts.html is None and "<" in text[:4096]):
        from .extract import extract_article, looks_like_html

        if opts.html or looks_like_html(text):
            extracted = stage("extract", lambda t: extract_article(t, changes))
    if opts.markup:
        from .markup import strip_markup

        stage("markup", lambda t: strip_markup(t, changes))
    # An entity (`&#13;`, `&#x2028;`, `&#0;`) or an extracted page can hold line ends
    # and controls too.
    text = _line_ends(text, _LINE_END, changes, "CR LF, CR, VT, FF, LS, PS")
    text = _without_controls(text, changes)
    text = _without_edge_blanks(text, changes)
    if opts.repair:
        from .repair import repair_mojibake

        stage("repair", lambda t: repair_mojibake(t, changes, opts.lossy))
    repaired = text
    text = _line_ends(text, re.compile(_NEL), changes, "NEL")
    if opts.repair and text != repaired:
        # The lines a NEL parted are new lines to repair, as the next run would see them.
        stage("repair", lambda t: repair_mojibake(t, changes, opts.lossy))
    # A repair can give a control (`À\x80` is an overlong NUL) or an indentation
    # (`\u3000`, GBK A1A1).
    text = _without_controls(text, changes)
    text = _without_edge_blanks(text, changes)
    if opts.script:
        from .script import restore_script

        stage("script", lambda t: restore_script(t, opts.to, changes, opts.lossy))
    if opts.punctuation:
        from .punctuation import restore_punctuation

        stage("punctuation", lambda t: restore_punctuation(t, changes))
    if opts.junk:
        from .junk import remove_junk

        keep, lines = opts.keep, opts.boilerplate_lines
        stage("junk", lambda t: remove_junk(t, changes, keep, lines, extracted))
    stage("layout", lambda t: apply_layout(t, changes))
    result.text = text
    return result


def clean(data: str | bytes, options: Options | None = None, **overrides: object) -> str:
    """The clean article text of `data` (see `clean_document`)."""
    return clean_document(data, options, **overrides).text


def _decode_within_budget(raw: bytes, opts: Options) -> Decoded:
    """Decode `raw`; running out of the budget is a refusal (DecodeError), since
    there is no text to pass on unchanged."""
    seconds = allowance(len(raw), opts.budget)
    scratch: list[Change] = []
    box: list[Decoded] = []

    def run(_: str) -> str:
        box.append(decode(raw, opts.encoding))
        return ""

    _, skipped = run_stage("decode", run, "", scratch, seconds)
    if skipped:
        raise DecodeError(f"decoding ran out of its work budget ({scratch[-1].reason})")
    return box[0]


def _valid_text(text: str, changes: list[Change]) -> tuple[str, int]:
    """`text` with every lone surrogate (which no UTF-8 can hold) as U+FFFD, a
    well-formed surrogate pair as the character it encodes; and its size in
    UTF-8 bytes."""
    try:
        return text, len(text.encode("utf-8"))
    except UnicodeEncodeError:
        pass
    lone = 0
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not _SURROGATE.search(line):
            continue
        fixed = line.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        lone += fixed.count("\ufffd") - line.count("\ufffd")
        lines[number - 1] = fixed
        changes.append(
            Change(
                INPUT_STAGE,
                number,
                line,
                fixed,
                "surrogates: a lone one cannot be UTF-8, it became U+FFFD; "
                "a pair became its character",
            )
        )
    text = "\n".join(lines)
    return text, len(text.encode("utf-8"))


def _without_controls(text: str, changes: list[Change]) -> str:
    """`text` without C0 controls (bar tab and line ends) and DEL, recorded per line."""
    if not _CONTROL.search(text):
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        kept = _CONTROL.sub("", line)
        if kept != line:
            lines[number - 1] = kept
            changes.append(
                Change(
                    INPUT_STAGE,
                    number,
                    line,
                    kept,
                    "control characters (NUL, ESC, DEL ...) removed",
                )
            )
    return "\n".join(lines)


def _without_edge_blanks(text: str, changes: list[Change]) -> str:
    """`text` without the blanks that indent or trail its lines, which the layout
    removes: every stage sees the lines the output will have, so that what a stage
    decides cannot depend on an indentation the next run will not see (`\xa0Â´`)."""
    lines = text.split("\n")
    stripped = [line.strip(EDGE_BLANKS) for line in lines]
    if stripped == lines:
        return text
    changes.append(Change.of_text(INPUT_STAGE, "indentation and trailing blanks removed"))
    return "\n".join(stripped)


def _line_ends(text: str, pattern: re.Pattern[str], changes: list[Change], what: str) -> str:
    """`text` with every line end `pattern` matches as `\\n`, recorded as one change."""
    normalised, count = pattern.subn("\n", text)
    if count:
        changes.append(Change.of_text(INPUT_STAGE, f"{count} line ends ({what}) became LF"))
    return normalised


class Cleaner:
    """The pipeline with its options fixed, built once and used many times, from any
    thread (it holds nothing but its options; the stages' tables are loaded once per
    process, on first use).

        >>> cleaner = textmend.Cleaner(to="simplified", lossy="mark")
        >>> cleaner.clean(raw)
        >>> for result in cleaner.clean_many(documents, jobs=0): ...
    """

    def __init__(self, options: Options | None = None, **overrides: object) -> None:
        self.options = Options.from_kwargs(options, **overrides)

    def clean(self, data: str | bytes) -> str:
        """The clean article text of `data` (see `clean_document`)."""
        return clean_document(data, self.options).text

    def clean_document(self, data: str | bytes) -> Result:
        """Every stage on `data`, and what each changed and why (see `clean_document`)."""
        return clean_document(data, self.options)

    def clean_many(
        self, documents: Iterable[str | bytes], jobs: int = 1
    ) -> Iterator[Result | Exception]:
        """A `Result` for each document, in the order of `documents`, cleaned in `jobs`
        processes (0: one per core; `textmend.parallel`). A generator in bounded memory:
        an endless iterable is read only as fast as it is cleaned. A document that
        cannot be cleaned (bytes that decode in no codec: `DecodeError`) yields its
        exception in its place, and the rest go on."""
        from .parallel import ordered_map

        yield from ordered_map(partial(clean_document, options=self.options), documents, jobs)
