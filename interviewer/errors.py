"""Errors a user can act on.

Every failure the user can cause (a bad path, a corrupt model, a missing library) is
raised as a `UserError` carrying what went wrong and how to fix it. The CLI prints it
and exits 1; the GUI shows it in a dialog. Anything else is a bug and gets a traceback
in the log file, not on screen.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix. `fix` says how."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.problem}\n  Fix: {self.fix}" if self.fix else self.problem


class ModelError(UserError):
    """A model is missing, corrupt or of the wrong kind."""


class AudioError(UserError):
    """The audio system (PortAudio, a device, a WAV file) cannot be used."""


class QuestionError(UserError):
    """A question file fails validation."""
