"""A minimal stderr progress bar: silent unless stderr is a terminal or the run has lasted a few seconds.

On a terminal the line is redrawn in place; in logs one line per quarter (and a last one at the end) is written.
The line shows done/total, the elapsed time and, once something is done, the projected remaining time.
ABSORB_PROGRESS=0 silences it.
"""
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
        self._quarter = 0

    def _line(self, now: float) -> str:
        frac = min(self.done / self.total, 1.0)
        elapsed = now - self.start
        eta = f", ~{elapsed * (1 - frac) / frac:.0f}s left" if 0 < frac < 1 else ""
        return f"{self.label:<14} [{'#' * int(30 * frac):<30}] {self.done}/{self.total} {elapsed:6.1f}s{eta}"

    def update(self, k: int = 1) -> None:
        self.done += k
        if not self.enabled:
            return
        now = time.monotonic()
        if not (self.tty or now - self.start > self.delay_s) or now - self._last < 0.5:
            return
        if not self.tty:  # logs: one line per quarter
            quarter = int(4 * min(self.done / self.total, 1.0))
            if quarter <= self._quarter:
                return
            self._quarter = quarter
        self._last = now
        self.stream.write(self._line(now) + ("\r" if self.tty else "\n"))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if not self.shown:
            return
        if self.tty:
            self.stream.write("\n")
        elif self._quarter < 4 and self.done >= self.total:
            self.stream.write(self._line(time.monotonic()) + "\n")
        self.stream.flush()
