"""The clock a candidate sees while answering: it runs only while the app is listening."""

from __future__ import annotations

import time


class AnswerClock:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.banked = 0.0  # seconds listened before the current listening stretch
        self._since: float | None = None

    def on_state(self, state: str) -> None:
        """Start on "listening", stop (and bank the stretch) on anything else."""
        now = time.monotonic()
        if self._since is not None and state != "listening":
            self.banked += now - self._since
            self._since = None
        if state == "listening" and self._since is None:
            self._since = now

    def seconds(self) -> float:
        return self.banked + (time.monotonic() - self._since if self._since is not None else 0.0)
