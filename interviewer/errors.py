"""Errors a user can act on.

Every failure the user can cause (a bad path, a corrupt model, a missing library) is
raised as a `UserError` carrying what went wrong and how to fix it. The CLI prints it
and exits 1; the GUI shows it in a dialog. Anything else is a bug and gets a traceback
in the log file, not on screen.
"""

from __future__ import annotations

import errno


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


def os_error(exc: OSError, doing: str) -> UserError:
    """A UserError for an OSError met while `doing` something ("write /x/history.zip"): the
    system's reason, and a fix that fits it (full disk, no permission, missing folder)."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        fix = "Free some space on that disk, then try again."
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "Choose a place you can write to: the disk is read-only, or the folder is not yours."
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
        fix = "Check the path: one of its folders does not exist, or is a file."
    elif exc.errno == errno.EEXIST:
        fix = "Something is already there: choose another name or remove it."
    else:
        fix = "Check the path and the disk, then try again."
    return UserError(f"Cannot {doing}: {reason}", fix)
