"""A stage-by-stage progress bar on stderr: ``[3/8] ████░░░░ categories … 2,816 rows (1.2 s)``."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self, stages: list[str], stream: TextIO | None = None, enabled: bool = True, width: int = 20
    ):
        self.stages = stages
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.width = width
        self.index = 0
        self._started = 0.0
        self._name = ""

    def _bar(self, done: int) -> str:
        filled = round(self.width * done / max(len(self.stages), 1))
        return "█" * filled + "░" * (self.width - filled)

    def start(self, name: str, detail: str = "") -> None:
        self._name, self._started = name, time.perf_counter()
        if self.enabled:
            line = f"[{self.index + 1}/{len(self.stages)}] {self._bar(self.index)} {name} …"
            self.stream.write(line + (f" {detail}" if detail else "") + "\n")
            self.stream.flush()

    def done(self, detail: str = "") -> None:
        self.index += 1
        if self.enabled:
            took = time.perf_counter() - self._started
            line = f"[{self.index}/{len(self.stages)}] {self._bar(self.index)} {self._name}: {detail} ({took:.1f} s)"
            self.stream.write(line.rstrip() + "\n")
            self.stream.flush()
