"""A per-document work budget for each stage, so that no input can hang a batch.

Every stage is meant to be linear (the issue's bar: at most 2 s per MB); the
budget is the guard for the blow-up nobody has found yet. A stage gets
`base + SECONDS_PER_MB * size in MB` seconds on a document; one that runs
longer is stopped and its input passed on as it was, with a Change of kind
`BUDGET_EXCEEDED` in the report.

How a stage is stopped: in the main thread, by a SIGALRM timer whose handler
raises `BudgetExceeded`. CPython's `re` engine checks for signals while it
matches (measured on 3.11: `(a|aa)*b` on 'a' * 40, a match of hours, stops
within 1 ms of the timer), so a catastrophic regex is stopped too; so is
Python code between bytecodes. A C call that never checks for signals is stopped
when it returns. Where no timer can be used (a thread other than the main
one, a platform without `setitimer`, or a caller's own ITIMER_REAL already
running) the stage runs to its end and its output is dropped if it took longer
than its budget: the text is the same as with the timer, but a runaway stage is
not cut short.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .options import BUDGET_BASE_SECONDS
from .result import BUDGET_EXCEEDED, Change, Fixed

# Measured on this machine (2 cores): the slowest stage on the sample page takes
# 0.25 s cold (dictionaries loaded on first use) and every stage stays under
# 1 s/MB on the adversarial shapes; the bar is 2 s/MB. 5 s + 2 s/MB is
# more than 10x the cold start and the bar itself per MB, so a normal document
# never comes near it.
BASE_SECONDS = BUDGET_BASE_SECONDS
SECONDS_PER_MB = 2.0


class BudgetExceeded(BaseException):
    """Raised inside a stage when its time is up: a BaseException, so that a
    stage's own `except Exception` cannot swallow it."""


def allowance(size_bytes: int, base: float | None) -> float | None:
    """Seconds a stage may take on a document of `size_bytes` UTF-8 bytes (None: no limit)."""
    if base is None:
        return None
    return base + SECONDS_PER_MB * size_bytes / 1_000_000


def run_stage(
    stage: str, function: Callable[[str], Fixed], text: str, seconds: float | None
) -> tuple[Fixed, bool]:
    """`function(text)` within `seconds`: its output, or `text` as it was with one
    change of kind `BUDGET_EXCEEDED` (what it changed is dropped) if it ran out of
    time. Returns (output, skipped)."""
    if seconds is None:
        return function(text), False
    start = time.perf_counter()
    try:
        if _armed.session and threading.current_thread() is threading.main_thread():
            output = _in_session(function, text, start, seconds)
        else:
            with _deadline(seconds):
                output = function(text)
    except BudgetExceeded:
        output = None
    elapsed = time.perf_counter() - start
    if output is not None and elapsed <= seconds:
        return output, False
    exceeded = Change(
        stage,
        None,
        "",
        "",
        f"work budget exceeded: {elapsed:.1f} s of {seconds:.1f} s; "
        "the stage's input is kept unchanged",
        kind=BUDGET_EXCEEDED,
    )
    return Fixed(text, [exceeded]), True


class _Armed:
    """The alarm's state; only the main thread arms the timer, and handlers run there."""

    on = False  # a stage is running under the timer
    session = False  # the handler is installed for a whole document (`document_session`)
    ticking = False  # in a session: the timer is set (it is not reset for every stage)
    rings_at = 0.0  # perf_counter() when it goes off
    started = 0.0  # perf_counter() when the running stage started
    seconds = 0.0  # the running stage's allowance


_armed = _Armed()


def _on_alarm(signum: int, frame: object) -> None:
    _armed.ticking = False  # it went off: whoever needs it again sets it again
    if not _armed.on:
        return  # between stages
    if not _armed.session:
        raise BudgetExceeded
    # One timer serves a document's stages: it was set for an earlier stage, so the
    # running one may have time left.
    left = _armed.started + _armed.seconds - time.perf_counter()
    if left <= 0:
        raise BudgetExceeded
    _set_timer(left)


def _timer_usable() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, _on_alarm)
    )


@contextmanager
def document_session() -> Iterator[None]:
    """One alarm handler and one timer for all of a document's stages: each stage
    only notes when it started, and the handler, when the timer goes off, stops the
    stage if its own time is up or sets the timer for what it has left. Setting a
    timer per stage (two system calls, and Python's `signal` wrappers) cost a
    quarter of the pipeline's time on short clean documents."""
    if _armed.session or not _timer_usable():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _armed.session = True
    try:
        yield
    finally:
        _armed.on = _armed.session = False
        if _armed.ticking:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _armed.ticking = False
        signal.signal(signal.SIGALRM, previous)


def _in_session(function: Callable[[str], Fixed], text: str, start: float, seconds: float) -> Fixed:
    """`function(text)` under the document's one timer (`document_session`), with no
    context manager: this runs for every stage of every document."""
    _armed.started, _armed.seconds = start, seconds
    if not _armed.ticking or _armed.rings_at > start + seconds:
        _set_timer(seconds)  # else it goes off before this stage's time is up
    _armed.on = True
    try:
        return function(text)
    finally:
        _armed.on = False


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded in the block after `seconds`, where a timer can be used
    (a stage run outside a document's session)."""
    if not _timer_usable():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        with _timer(seconds):
            yield
    finally:
        signal.signal(signal.SIGALRM, previous)


def _set_timer(seconds: float) -> None:
    _armed.ticking, _armed.rings_at = True, time.perf_counter() + seconds
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))


@contextmanager
def _timer(seconds: float) -> Iterator[None]:
    _armed.on = True
    try:
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
        yield
    finally:
        # Disarm first: an alarm delivered from here on is ignored.
        _armed.on = False
        signal.setitimer(signal.ITIMER_REAL, 0)
