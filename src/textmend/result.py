"""What a pipeline run returns: the text, how it was decoded, and every change made."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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


@dataclass
class Result:
    """The outcome of `clean_document`: the text, how its bytes were decoded (None
    for str input), and every change in order."""

    text: str
    decoded: Decoded | None = None
    changes: list[Change] = field(default_factory=list)

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
