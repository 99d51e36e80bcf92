"""A minimal stderr progress bar: silent unless stderr is a terminal or the run has lasted a few seconds."""
import os
import sys
import time


class Progress:
    def __init__(self, label: str, total: int, delay_s: float = 3.0, stream=None):
        self.label, self.total, self.done = label, max(int(total), 1), 0
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.delay_s = delay_s
        self.enabled = os.environ.get("ABSORB_PROGRESS", "auto") != "0"
        self.tty = self.stream.isatty() if hasattr(self.stream, "isatty") else False
        self.shown = False
        self._last = 0.0

    def update(self, k: int = 1) -> None:
        self.done += k
        if not self.enabled:
            return
        now = time.monotonic()
        if not (self.tty or now - self.start > self.delay_s) or now - self._last < 0.5:
            return
        frac = min(self.done / self.total, 1.0)
        if not self.tty:  # logs: one line per quarter
            quarter = int(4 * frac)
            if quarter <= getattr(self, "_quarter", 0):
                return
            self._quarter = quarter
        self._last = now
        bar = "#" * int(30 * frac)
        end = "\r" if self.tty else "\n"
        self.stream.write(f"{self.label:<14} [{bar:<30}] {self.done}/{self.total} {now - self.start:6.1f}s{end}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()
