"""Documents cleaned in a pool of processes, in input order, in bounded memory.

The pipeline is pure Python and CPU-bound: threads would share one core, so the
work goes to processes. Documents travel in batches (a task per document would
spend more on inter-process messages than on cleaning a short one), at most
`IN_FLIGHT_PER_WORKER` batches per worker are out at once (an endless input is
read only as fast as it is cleaned), and results come back in the order of the
input whatever order the workers finish in. A document that raises comes back as
its exception, in its place: one bad document does not end the batch.

The workers are forked where the platform allows it (Linux) and this process runs
no other thread: they start with the stages and tables the parent has loaded, and
cost nothing to start. A process with other threads (a library caller's) gets
spawned workers instead: a fork copies locks another thread may hold, and a worker
could wait on one forever.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Out = TypeVar("Out")

# A batch closes at this many documents or this many characters, whichever comes
# first: big enough that a message costs little beside the work, small enough that
# every worker gets some of a short input.
BATCH_DOCUMENTS = 64
BATCH_CHARACTERS = 1_000_000
# Tasks out at once per worker. Results are taken in input order, so a slow task holds
# up new ones: with 2 a worker, one of two on 100 MB of JSONL (-j 2) sat idle 0.37 s
# of 5.5 while the other finished the oldest task; with 4, both were busy 97 % of the
# time and the run 6 % faster. 4 tasks of 1 MiB or 1 MB a worker stay small.
IN_FLIGHT_PER_WORKER = 4


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers(jobs: int) -> int:
    """The number of worker processes `jobs` asks for: 0 means one per core."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (every core) or more, not {jobs}")
    return cpu_count() if jobs == 0 else jobs


def ordered_map(
    function: Callable[[Item], Out],
    items: Iterable[Item],
    jobs: int = 1,
    batch: int = BATCH_DOCUMENTS,
) -> Iterator[Out | Exception]:
    """`function` of each item, in order: in this process for one job, else in a pool
    of `workers(jobs)` processes, `batch` items a task at most (1 for items that are
    batches already). An item whose call raised yields the exception."""
    count = workers(jobs)
    if count == 1:
        for item in items:
            yield _call(function, item)
        return
    context = multiprocessing.get_context("fork" if _can_fork() else "spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        pending: deque[Future[list[Out | Exception]]] = deque()
        for task in _batches(items, batch):
            pending.append(pool.submit(_call_each, function, task))
            while len(pending) >= count * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _batches(items: Iterable[Item], most: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item) if isinstance(item, (str, bytes)) else 1
        if len(batch) >= most or size >= BATCH_CHARACTERS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _call(function: Callable[[Item], Out], item: Item) -> Out | Exception:
    try:
        return function(item)
    except Exception as err:  # returned in its place: one bad document is one bad result
        return err


def _call_each(function: Callable[[Item], Out], batch: list[Item]) -> list[Out | Exception]:
    return [_call(function, item) for item in batch]
