"""The one options object shared by the library and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

# The seconds any stage may take on any document (plus 2 s per MB: textmend.budget,
# which gives the measurements that chose both). Here so that options import cheaply.
BUDGET_BASE_SECONDS = 5.0

ScriptTarget = Literal["auto", "simplified", "traditional", "tw", "hk", "keep"]
SCRIPT_TARGETS: tuple[str, ...] = ("auto", "simplified", "traditional", "tw", "hk", "keep")
# Labels of the junk stage that --keep may name (ARTICLE and TITLE are always kept).
JUNK_LABELS: tuple[str, ...] = ("SEO_SPAM", "MARKUP", "BOILERPLATE", "META", "DUPLICATE")
LossyPolicy = Literal["keep", "mark", "drop"]
LOSSY_POLICIES: tuple[str, ...] = ("keep", "mark", "drop")
HtmlReader = Literal["careful", "fast"]
HTML_READERS: tuple[str, ...] = ("careful", "fast")


@dataclass(frozen=True)
class Options:
    """What the pipeline does; every stage can be switched off on its own.

    `to="auto"` converts only text judged machine-converted; `simplified`,
    `traditional`, `tw` (Taiwan, with its phrases) and `hk` convert every Chinese
    block; `keep` never converts script.
    `lossy` says what becomes of characters whose bytes are gone (`锟斤拷`):
    kept as they are, marked with U+FFFD, or dropped. `html` forces (True) or
    forbids (False) article extraction, and `html_reader` says how: `fast`
    (textmend's own reader, `textmend.page_reader`: one parse, one walk) or
    `careful` (up to four readings by readability-lxml, trafilatura and the
    densest block, the one they agree on: 4-7x slower; ahead of `fast` on a
    few kinds of page, behind it on most; docs/measurements.md has both figures); `keep`
    names junk labels to keep;
    `boilerplate_lines` are lines to drop as repeated across a batch
    (`textmend.junk.repeated_lines`). `budget` is the seconds each stage may
    take on a document besides `textmend.budget.SECONDS_PER_MB` per MB of it; a
    stage that takes longer passes its input on unchanged (`Result.skipped`).
    None: no limit.
    """

    encoding: str | None = None
    html: bool | None = None  # None: extract the article when the input is an HTML page
    html_reader: HtmlReader = "fast"  # measured on pages never tuned on: docs/measurements.md
    keep: frozenset[str] = frozenset()  # junk labels kept besides ARTICLE and TITLE
    boilerplate_lines: frozenset[str] = frozenset()  # lines a batch repeats (--dedupe-lines)
    to: ScriptTarget = "auto"
    lossy: LossyPolicy = "keep"
    repair: bool = True
    markup: bool = True
    script: bool = True
    punctuation: bool = True
    junk: bool = True
    budget: float | None = BUDGET_BASE_SECONDS

    def __post_init__(self) -> None:
        if self.to not in SCRIPT_TARGETS:
            raise ValueError(f"to must be one of {', '.join(SCRIPT_TARGETS)}, not {self.to!r}")
        if self.lossy not in LOSSY_POLICIES:
            raise ValueError(
                f"lossy must be one of {', '.join(LOSSY_POLICIES)}, not {self.lossy!r}"
            )
        if self.html_reader not in HTML_READERS:
            raise ValueError(
                f"html_reader must be one of {', '.join(HTML_READERS)}, not {self.html_reader!r}"
            )
        if self.budget is not None and not self.budget >= 0:
            raise ValueError(f"budget must be None or seconds >= 0, not {self.budget!r}")
        keep = frozenset(label.upper() for label in self.keep)
        unknown = sorted(keep - set(JUNK_LABELS) - {"ARTICLE", "TITLE"})
        if unknown:
            raise ValueError(f"keep takes {', '.join(JUNK_LABELS)}, not {', '.join(unknown)}")
        object.__setattr__(self, "keep", keep)
        object.__setattr__(self, "boilerplate_lines", frozenset(self.boilerplate_lines))

    @classmethod
    def from_kwargs(cls, options: Options | None = None, **overrides: object) -> Options:
        """Build options from an optional base plus keyword overrides, rejecting unknown names."""
        if not overrides:
            return options or _DEFAULT
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(unknown)}")
        base = options or _DEFAULT
        values = {f.name: getattr(base, f.name) for f in fields(cls)}
        values.update(overrides)
        return cls(**values)


_DEFAULT = Options()  # frozen: one serves every call without options
