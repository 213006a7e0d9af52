"""A byte-count progress bar on stderr for downloads, copies and checksums.

On a terminal it redraws one line (percent, bytes, speed, time left) at most ten times a
second; elsewhere (a log, a pipe) it prints one line when it starts and one when it ends.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_REDRAW_S = 0.1
_WIDTH = 24


def human_bytes(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(count) < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"  # pragma: no cover - the loop always returns


class Progress:
    """Bytes done out of `total`, starting at `initial` (a resumed download)."""

    def __init__(self, label: str, total: int, *, initial: int = 0,
                 stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 0)
        self.done = initial
        self.stream = stream if stream is not None else sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self._start = time.monotonic()
        self._start_bytes = initial
        self._drawn = 0.0
        self._closed = False
        if not self.live:
            resumed = f" (resuming at {human_bytes(initial)})" if initial else ""
            self._write(f"nlsh: {label}: {human_bytes(self.total)}{resumed}\n")
        else:
            self._draw()

    def update(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.live and now - self._drawn >= _REDRAW_S:
            self._draw(now)

    def close(self, outcome: str = "done") -> None:
        if self._closed:
            return
        self._closed = True
        elapsed = time.monotonic() - self._start
        if self.live:
            self._draw()
            self._write("\n")
        else:
            self._write(f"nlsh: {self.label}: {outcome} ({human_bytes(self.done)}, "
                        f"{elapsed:.1f} s)\n")

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        self.close("done" if kind is None else "stopped")

    def _draw(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._drawn = now
        fraction = min(self.done / self.total, 1.0) if self.total else 0.0
        filled = int(fraction * _WIDTH)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        rate = (self.done - self._start_bytes) / max(now - self._start, 1e-6)
        left = ""
        if rate > 0 and self.total > self.done:
            seconds = int((self.total - self.done) / rate)
            left = f" {seconds // 60}:{seconds % 60:02d} left"
        self._write(f"\r{self.label} [{bar}] {fraction * 100:5.1f}% "
                    f"{human_bytes(self.done)}/{human_bytes(self.total)} "
                    f"{human_bytes(rate)}/s{left}\x1b[K")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed stderr must not stop a download
