"""A progress line on stderr for long runs: documents and MB done, the rate, the time left.

Drawn only where stderr is a terminal (never into a pipe or a log file), only once
the run has lasted DELAY seconds (a short run prints nothing), and at most every
INTERVAL seconds; cleared at the end, so the terminal is left as it was.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

DELAY = 2.0  # seconds before the line first appears
INTERVAL = 0.5  # seconds between redraws


class Progress:
    def __init__(
        self,
        total_bytes: int | None,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        enabled: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total_bytes
        self.clock = clock
        self.started = self.drawn_at = clock()
        self.documents = 0
        self.bytes = 0
        self.width = 0  # of the line drawn last (0: none)

    def advance(self, documents: int = 0, nbytes: int = 0) -> None:
        self.documents += documents
        self.bytes += nbytes
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started >= DELAY and now - self.drawn_at >= INTERVAL:
            self._draw(self.line(now))
            self.drawn_at = now

    def line(self, now: float) -> str:
        """`textmend: 1,204 documents, 56.1 of 200.0 MB, 5.8 MB/s, 0:25 left`."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.bytes / elapsed
        done = f"{self.bytes / 1e6:.1f}"
        text = f"textmend: {self.documents:,} documents, {done}"
        if self.total:
            text += f" of {self.total / 1e6:.1f} MB, {rate / 1e6:.1f} MB/s"
            if rate > 0 and self.bytes < self.total:
                left = int((self.total - self.bytes) / rate)
                text += f", {left // 60}:{left % 60:02d} left"
        else:
            text += f" MB, {rate / 1e6:.1f} MB/s"
        return text

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self.width - len(text))
        self.stream.write("\r" + text + padding)
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        """Clear the line, if one was drawn."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
