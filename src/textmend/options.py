"""The one options object shared by the library and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

ScriptTarget = Literal["auto", "simplified", "traditional", "tw", "hk", "keep"]
SCRIPT_TARGETS: tuple[str, ...] = ("auto", "simplified", "traditional", "tw", "hk", "keep")
LossyPolicy = Literal["keep", "mark", "drop"]
LOSSY_POLICIES: tuple[str, ...] = ("keep", "mark", "drop")


@dataclass(frozen=True)
class Options:
    """What the pipeline does; every stage can be switched off on its own.

    `to="auto"` converts only text judged machine-converted; `simplified`,
    `traditional`, `tw` (Taiwan, with its phrases) and `hk` convert every Chinese
    block; `keep` never converts script.
    `lossy` says what becomes of characters whose bytes are gone (`锟斤拷`):
    kept as they are, marked with U+FFFD, or dropped.
    """

    encoding: str | None = None
    to: ScriptTarget = "auto"
    lossy: LossyPolicy = "keep"
    repair: bool = True
    markup: bool = True
    script: bool = True
    punctuation: bool = True
    junk: bool = True

    def __post_init__(self) -> None:
        if self.to not in SCRIPT_TARGETS:
            raise ValueError(f"to must be one of {', '.join(SCRIPT_TARGETS)}, not {self.to!r}")
        if self.lossy not in LOSSY_POLICIES:
            raise ValueError(
                f"lossy must be one of {', '.join(LOSSY_POLICIES)}, not {self.lossy!r}"
            )

    @classmethod
    def from_kwargs(cls, options: Options | None = None, **overrides: object) -> Options:
        """Build options from an optional base plus keyword overrides, rejecting unknown names."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(unknown)}")
        base = options or cls()
        if not overrides:
            return base
        values = {f.name: getattr(base, f.name) for f in fields(cls)}
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
