"""The default pipeline: decode, then a list of stages (`STAGES`): input hygiene,
extract (HTML pages), markup, repair, script, punctuation, junk, layout.

Every stage is a function `fix(text, options) -> Fixed` in the module named for
what it does: it returns its text and the changes it made, and, when it settles an
option left open (extract: whether the text was a page), the options the later
stages see. The pipeline runs the list in order, each stage within the document's
work budget (`textmend.budget`), and imports a stage's module only when the stage
first runs: start-up pays for what a document needs.

Markup runs before repair so that repair sees mojibake whole: `Caf&Atilde;&copy;`
and `CafÃ<b>©</b>` are one `Ã©` once the entities and tags are gone (an HTML page's
extracted text is already unescaped; ftfy too unescapes before it fixes).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from importlib import import_module

from .budget import allowance, document_session, run_stage
from .decode import DecodeError, decode
from .options import Options
from .result import Change, Decoded, Fixed, Result

INPUT_STAGE = "input"

_SURROGATE = re.compile("[\ud800-\udfff]")
# The start of a text where an HTML page shows itself (`textmend.extract.looks_like_html`
# decides; this only spares text without a `<` the import).
PAGE_HEAD = 4096


@dataclass(frozen=True)
class Stage:
    """One step of the pipeline: its name in changes and timings, the module whose
    `function` it runs (`textmend.<module>`, or any module by its dotted name;
    imported when first run), whether it runs on this text with these options, and
    whether it runs within the work budget (the input hygiene, a few scans at C speed,
    does not)."""

    name: str
    module: str
    wanted: Callable[[str, Options], bool]
    function: str = "fix"
    budgeted: bool = True

    @cached_property
    def fix(self) -> Callable[[str, Options], Fixed]:
        """The stage's function, its module imported on first use."""
        module = self.module if "." in self.module else f"{__package__}.{self.module}"
        function: Callable[[str, Options], Fixed] = getattr(import_module(module), self.function)
        return function


_log = logging.getLogger(__name__)


def _bound(fix: Callable[[str, Options], Fixed], options: Options) -> Callable[[str], Fixed]:
    """`fix` with its options given: the one-argument function the budget runs."""

    def fixed(text: str) -> Fixed:
        return fix(text, options)

    return fixed


def _always(text: str, options: Options) -> bool:
    return True


def _maybe_page(text: str, options: Options) -> bool:
    return bool(options.html) or (options.html is None and "<" in text[:PAGE_HEAD])


STAGES: tuple[Stage, ...] = (
    Stage(INPUT_STAGE, "hygiene", _always, budgeted=False),
    Stage("extract", "extract", _maybe_page),
    Stage("markup", "markup", lambda text, options: options.markup),
    # An entity (`&#13;`, `&#x2028;`, `&#0;`) or an extracted page can hold line ends
    # and controls too.
    Stage(INPUT_STAGE, "hygiene", _always, budgeted=False),
    Stage("repair", "repair", lambda text, options: options.repair),
    Stage(INPUT_STAGE, "hygiene", _always, "fix_after_repair", budgeted=False),
    Stage("script", "script", lambda text, options: options.script),
    Stage("punctuation", "punctuation", lambda text, options: options.punctuation),
    Stage("junk", "junk", lambda text, options: options.junk),
    Stage("layout", "layout", _always),
)


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
    return run_stages(data, Options.from_kwargs(options, **overrides))


def run_stages(data: str | bytes, options: Options, stages: Iterable[Stage] = STAGES) -> Result:
    """`data` decoded if it is bytes, then through `stages` in order (see `clean_document`),
    all under one timer for the work budget (`textmend.budget.document_session`)."""
    if options.budget is None:
        return _run_stages(data, options, stages)
    with document_session():
        return _run_stages(data, options, stages)


def _run_stages(data: str | bytes, options: Options, stages: Iterable[Stage]) -> Result:
    result = Result(text="")
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        result.bytes_in = len(raw)
        started = time.perf_counter()
        result.decoded = _decode_within_budget(raw, options)
        result.seconds["decode"] = time.perf_counter() - started
        text = result.decoded.text
        _log.debug(
            "decode: %s, %s", result.decoded.encoding, result.decoded.evidence or "no evidence"
        )
    elif isinstance(data, str):
        text = data
    else:
        raise TypeError(f"expected str or bytes, not {type(data).__name__}")
    text, size = _valid_text(text, result.changes)
    if not result.bytes_in:
        result.bytes_in = size
    seconds = allowance(size, options.budget)
    for stage in stages:
        if not stage.wanted(text, options):
            continue
        started = time.perf_counter()
        skipped = False
        if stage.budgeted:
            output, skipped = run_stage(stage.name, _bound(stage.fix, options), text, seconds)
        else:
            output = stage.fix(text, options)
        spent = time.perf_counter() - started
        result.seconds[stage.name] = result.seconds.get(stage.name, 0.0) + spent
        if skipped:
            _log.warning("%s: over its work budget, its input passed on unchanged", stage.name)
        _log.debug("%s: %d change(s) in %.3f s", stage.name, len(output.changes), spent)
        result.changes += output.changes
        text = output.text
        if output.options is not None:
            options = output.options
    result.text = text
    return result


def clean(data: str | bytes, options: Options | None = None, **overrides: object) -> str:
    """The clean article text of `data` (see `clean_document`)."""
    return clean_document(data, options, **overrides).text


def _decode_within_budget(raw: bytes, opts: Options) -> Decoded:
    """Decode `raw`; running out of the budget is a refusal (DecodeError), since
    there is no text to pass on unchanged."""
    seconds = allowance(len(raw), opts.budget)
    box: list[Decoded] = []

    def run(_: str) -> Fixed:
        box.append(decode(raw, opts.encoding))
        return Fixed("", [])

    output, skipped = run_stage("decode", run, "", seconds)
    if skipped:
        raise DecodeError(f"decoding ran out of its work budget ({output.changes[-1].reason})")
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
