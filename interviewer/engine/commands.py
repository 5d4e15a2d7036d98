"""The candidate's commands (done, repeat, skip, pause, resume, end), from any thread.

Every command is acted on in every state, or refused visibly; none is dropped:
- while the interviewer speaks: repeat restarts the line, skip stops it and moves on,
  pause stops the voice (the line is said again on resume); done does nothing, there is
  no answer to finish yet (the GUI disables it then);
- while listening: done ends the answer, repeat says the last interviewer line again,
  skip drops the question, pause holds the microphone;
- while paused: resume goes on; skip, repeat and done also resume, then act.
"""

from __future__ import annotations

import queue
import threading
from enum import Enum


class Command(str, Enum):
    DONE = "done"
    REPEAT = "repeat"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


class Stopped(Exception):
    """The session was ended by the user."""


class Commands:
    def __init__(self) -> None:
        self._queue: queue.Queue[Command] = queue.Queue()
        self.ended = threading.Event()

    def put(self, command: Command) -> None:
        if command is Command.END:
            self.ended.set()
        self._queue.put(command)

    def take(self, timeout: float | None = None) -> Command | None:
        """The next command, or None. Raises Stopped once the session is ended."""
        if self.ended.is_set():
            raise Stopped()
        try:
            command = self._queue.get(timeout=timeout) if timeout else self._queue.get_nowait()
        except queue.Empty:
            return None
        if command is Command.END:
            raise Stopped()
        return command

    def wait_resume(self) -> Command:
        """Block while paused: the command that ended the pause (resume, skip, repeat or done)."""
        while True:
            command = self.take(timeout=0.05)
            if command in (Command.RESUME, Command.SKIP, Command.REPEAT, Command.DONE):
                return command
