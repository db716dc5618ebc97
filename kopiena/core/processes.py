"""Producing a stream of items in a second process.

A big import is two CPU-bound halves of similar size: parsing the file's rows and
writing them to the database. In one process they take turns on one core; with the
parsing in a forked child they run side by side on two (bench/RESULTS.md).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Item = TypeVar("Item")

# Items travel pickled through a pipe; the pipe's buffer bounds how far the child runs
# ahead, so at most a few items are in memory at once.
_ITEM, _DONE, _FAILED = "item", "done", "failed"


class ChildFailed(RuntimeError):
    """The producing child raised, or died; the message carries its traceback."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def produced_in_child(produce: Callable[[], Iterable[Item]]) -> Iterator[Item]:
    """The items `produce()` yields, produced in a forked child while the caller consumes
    them; in this process where the platform cannot fork.

    The child must not use the database: it inherits this process's connections, and it
    ends through os._exit (as every forked multiprocessing child does), so nothing in it
    closes them. Closing this generator early stops the child.
    """
    if not can_fork():
        yield from produce()
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(produce, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise ChildFailed(f"the producing process ended ({child.pid})") from None
            if kind == _ITEM:
                yield payload
            elif kind == _DONE:
                return
            else:
                raise ChildFailed(payload)
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(produce: Callable[[], Iterable], sender) -> None:
    try:
        for item in produce():
            sender.send((_ITEM, item))
        sender.send((_DONE, None))
    except BrokenPipeError:
        pass  # the consumer stopped early
    except BaseException:
        sender.send((_FAILED, f"in process {os.getpid()}:\n{traceback.format_exc()}"))
    finally:
        sender.close()
