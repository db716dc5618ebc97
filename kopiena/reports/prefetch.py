"""Open answers read ahead on other connections, for a report written as JSON.

A large survey's JSON report is mostly its open answers (a million responses: three
million answers, 350 MB), which the database serializes (selectors.text_answers_json).
Read one after another on the report's own connection, the database works while Python
waits and the other way round, on one of the machine's cores. Here up to WORKERS threads,
each with a connection of its own reading in the report's snapshot (so every figure and
answer is of the same moment), read the text questions in the questionnaire's order into temporary
files while the report's connection computes the figures; the JSON writer then copies
each file in turn, waiting for it if it is not yet complete.

Only on PostgreSQL inside a `reading_report` that opened its own transaction (a snapshot
is shared only from there, and a test's transaction is invisible to other connections);
elsewhere, and for a question no worker could take, the writer reads the answers itself.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection

from . import selectors

logger = logging.getLogger(__name__)
# Measured on 2 cores (bench/RESULTS.md): 2 workers 6.5 s, 3 workers 5.4 s for the
# 1M-response report; the database's JSON writing is most of the work.
WORKERS = 3
BLOCK = 1 << 20


@dataclass
class _Job:
    question_id: int
    file: tempfile.SpooledTemporaryFile = field(
        # Kept in memory up to a few megabytes, a million answers on disk; closed by
        # `_read` once copied, or by `close`.
        default_factory=lambda: tempfile.SpooledTemporaryFile(max_size=4 * BLOCK)  # noqa: SIM115
    )
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class TextAnswerPrefetch:
    """The JSON of a group's answers to some text questions, read by worker threads."""

    def __init__(
        self,
        group: selectors.Respondents,
        question_ids: list[int],
        segment: tuple[int, int] | None,
        separator: str,
    ):
        self._args = (group, segment, separator)
        self._jobs = {question_id: _Job(question_id) for question_id in question_ids}
        self._waiting = deque(self._jobs.values())
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    @classmethod
    def start(
        cls,
        group: selectors.Respondents,
        question_ids: list[int],
        segment: tuple[int, int] | None,
        separator: str,
    ) -> TextAnswerPrefetch | None:
        """Start reading, or None where the report's snapshot cannot be shared."""
        if not question_ids:
            return None
        prefetch = cls(group, question_ids, segment, separator)
        snapshot = selectors.shared_snapshot(prefetch.close)
        if snapshot is None:
            return None
        for number in range(min(WORKERS, len(question_ids))):
            thread = threading.Thread(
                target=prefetch._work, args=(snapshot,), name=f"report-texts-{number}"
            )
            prefetch._threads.append(thread)
            thread.start()
        return prefetch

    def _take(self, job: _Job | None = None) -> _Job | None:
        """The next waiting job, or the given one if no worker has taken it yet."""
        with self._lock:
            if job is None:
                return self._waiting.popleft() if self._waiting else None
            if job in self._waiting:
                self._waiting.remove(job)
                return job
            return None

    def _work(self, snapshot: str) -> None:
        group, segment, separator = self._args
        try:
            with selectors.reading_shared_snapshot(snapshot):
                while not self._stopping.is_set() and (job := self._take()):
                    try:
                        for block in selectors.text_answers_json(
                            group, job.question_id, segment, separator
                        ):
                            if self._stopping.is_set():
                                break
                            job.file.write(block)
                    except BaseException as error:
                        job.error = error
                        raise
                    finally:
                        job.done.set()
        except Exception:
            # Jobs still waiting are read by the writer itself (`blocks` returns None);
            # a failed job's error is raised there too.
            logger.exception("Reading open answers ahead stopped")
        finally:
            # A thread's connection is its own: nothing else closes it.
            connection.close()

    def blocks(self, question_id: int) -> Iterator[bytes] | None:
        """The question's answers as `text_answers_json` yields them, once read; None if it
        is not one of ours or no worker is left to read it (the caller reads it then)."""
        job = self._jobs.get(question_id)
        if job is None:
            return None
        while not job.done.wait(0.05):
            if not any(thread.is_alive() for thread in self._threads) and self._take(job):
                return None
        if job.error is not None:
            raise job.error
        return self._read(job)

    @staticmethod
    def _read(job: _Job) -> Iterator[bytes]:
        job.file.seek(0)
        while block := job.file.read(BLOCK):
            yield block
        job.file.close()

    def close(self) -> None:
        """Stop the workers and drop what they read (before the report's transaction ends)."""
        self._stopping.set()
        for thread in self._threads:
            thread.join()
        for job in self._jobs.values():
            job.file.close()
