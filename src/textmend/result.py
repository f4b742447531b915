"""What a pipeline run returns: the text, how it was decoded, and every change made."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from .options import JUNK_LABELS, Options

# Change.kind of a stage that ran out of its work budget (textmend.budget) and
# passed its input on unchanged.
BUDGET_EXCEEDED = "budget_exceeded"


@dataclass(frozen=True)
class Change:
    """One change made by one stage.

    `line` is 1-based in the text the stage received; `label` is set for lines
    the junk stage removed (SEO_SPAM, BOILERPLATE, ...); `kind` is a
    machine-readable class of change where code must tell one apart
    (`BUDGET_EXCEEDED`), None for an ordinary edit. `reason` is for people.
    """

    stage: str
    line: int | None
    before: str
    after: str
    reason: str
    label: str | None = None
    kind: str | None = None

    @classmethod
    def of_text(cls, stage: str, reason: str) -> Change:
        """A change to the text as a whole, tied to no line."""
        return cls(stage, None, "", "", reason)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        if self.label is None:
            del data["label"]
        if self.kind is None:
            del data["kind"]
        return data


class Fixed(NamedTuple):
    """What a stage returns (`textmend.pipeline.Stage`): its text, the changes it made,
    in order, and the options the later stages see when it settled one left open
    (None: unchanged). Returned, not recorded in a shared list, so that a stage that
    runs out of its work budget leaves nothing behind (ftfy's `fix_and_explain`
    returns its steps the same way)."""

    text: str
    changes: list[Change]
    options: Options | None = None


@dataclass(frozen=True)
class Segment:
    """A byte range of the input and the codec that decoded it."""

    start: int
    end: int
    encoding: str


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes: the codec chosen ("mixed" when lines differ), how
    sure, why, the runner-up codec, which byte ranges used which codec, and how
    many invalid byte sequences became U+FFFD (`replaced`; 0 for a lossless decode)."""

    text: str
    encoding: str
    confidence: float
    evidence: str
    runner_up: str | None = None
    segments: tuple[Segment, ...] = ()
    replaced: int = 0


# The stages `Result.stats` counts changes of, and those it times (decoding has no
# changes of its own; the input hygiene is too cheap to time).
STAT_STAGES = ("input", "extract", "markup", "repair", "script", "punctuation", "junk", "layout")
TIMED_STAGES = ("decode", *STAT_STAGES[1:])


@dataclass
class Result:
    """The outcome of `clean_document`: the text, how its bytes were decoded (None
    for str input), every change in order, the input's size in bytes (UTF-8 for
    str input) and the seconds each stage took."""

    text: str
    decoded: Decoded | None = None
    changes: list[Change] = field(default_factory=list)
    bytes_in: int = 0
    seconds: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def encoding(self) -> str | None:
        return self.decoded.encoding if self.decoded else None

    @property
    def confidence(self) -> float | None:
        return self.decoded.confidence if self.decoded else None

    @property
    def evidence(self) -> str:
        return self.decoded.evidence if self.decoded else "text input"

    @property
    def runner_up(self) -> str | None:
        return self.decoded.runner_up if self.decoded else None

    @property
    def segments(self) -> tuple[Segment, ...]:
        return self.decoded.segments if self.decoded else ()

    @property
    def replaced(self) -> int:
        return self.decoded.replaced if self.decoded else 0

    @property
    def removed(self) -> list[Change]:
        """Lines the junk stage dropped, each with its label."""
        return [c for c in self.changes if c.label is not None]

    @property
    def skipped(self) -> list[str]:
        """Stages that ran out of their work budget on this document, in order:
        each passed its input on unchanged (see `textmend.budget`)."""
        return [c.stage for c in self.changes if c.kind == BUDGET_EXCEEDED]

    def stats(self) -> dict[str, object]:
        """Flat figures of the document, the same keys for every document, to be the
        columns of a table a corpus team filters on: bytes in and out, the encoding,
        its confidence and replaced byte sequences, the stages over budget (comma-
        separated), the changes each stage made (`changes_repair` ...), the lines the
        junk stage removed by label (`removed_seo_spam` ...) and each stage's seconds
        (`seconds_decode` ...)."""
        changed = Counter(c.stage for c in self.changes if c.label is None and c.kind is None)
        removed = Counter(c.label for c in self.removed)
        row: dict[str, object] = {
            "bytes_in": self.bytes_in,
            "bytes_out": len(self.text.encode("utf-8", "surrogatepass")),
            "encoding": self.encoding,
            "confidence": self.confidence,
            "replaced": self.replaced,
            "skipped": ",".join(self.skipped),
        }
        row.update({f"changes_{stage}": changed[stage] for stage in STAT_STAGES})
        row.update({f"removed_{label.lower()}": removed[label] for label in JUNK_LABELS})
        row.update({f"seconds_{stage}": self.seconds.get(stage, 0.0) for stage in TIMED_STAGES})
        return row

    def to_dict(self) -> dict[str, object]:
        return {
            "encoding": self.encoding,
            "confidence": self.confidence,
            "evidence": self.evidence,
            "runner_up": self.runner_up,
            "segments": [asdict(segment) for segment in self.segments],
            "replaced": self.replaced,
            "skipped": self.skipped,
            "changes": [c.to_dict() for c in self.changes if c.label is None],
            "removed": [c.to_dict() for c in self.removed],
        }
