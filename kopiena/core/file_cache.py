"""Files built once in the background and kept under MEDIA_ROOT until their key changes.

A key names what the file holds (the survey's responses as they are now, the options
asked for), so a changed response makes a new key and old files are simply never asked
for again. A file being built has a progress file beside it, which a page polls.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

# A build that has shown no progress for this long is taken as lost and started again.
STALE_SECONDS = 15 * 60


@dataclass(frozen=True)
class CachedFile:
    folder: str
    key: str
    extension: str

    @property
    def directory(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.folder

    @property
    def path(self) -> Path:
        return self.directory / f"{self.key}.{self.extension}"

    @property
    def progress_path(self) -> Path:
        return self.directory / f"{self.key}.progress"

    @property
    def ready(self) -> bool:
        return self.path.exists()

    def progress(self) -> dict | None:
        """{"step", "steps"} of a build under way; None when none is (or it was lost)."""
        try:
            data = json.loads(self.progress_path.read_text())
        except (OSError, ValueError):
            return None
        if time.time() - data.get("at", 0) > STALE_SECONDS:
            return None
        return data

    def set_progress(self, step: int, steps: int) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.progress_path.write_text(json.dumps({"step": step, "steps": steps, "at": time.time()}))

    def start_building(self, enqueue: Callable[[], object], steps: int = 0) -> None:
        """Hand the build to the task worker, unless one is under way: marked as started
        first, so that the next request for the same file does not enqueue it again."""
        if self.progress() is None:
            self.set_progress(0, steps)
            enqueue()

    @contextmanager
    def writing(self) -> Iterator[IO[bytes]]:
        """A file to write the content to: it becomes the cached file whole, or not at all,
        and the progress file goes with the build."""
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                yield out
            os.replace(temporary, self.path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
            self.progress_path.unlink(missing_ok=True)
