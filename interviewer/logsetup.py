"""Logging: everything to a rotating file in the user log dir; warnings (or all, with -v) to stderr.

The screen gets one line per message and never a traceback: tracebacks are for the log
file, which the "unexpected error" message points to. A record logged with
`extra={"console": False}` goes to the file only.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path


class _ConsoleFormatter(logging.Formatter):
    """The record's message alone: its exception and stack stay in the log file."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


class _LogFile(logging.handlers.RotatingFileHandler):
    """A log file that can no longer be written (a full or read-only disk) says so once and
    stops, instead of printing logging's own traceback for every message."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        self.failed = True
        reason = sys.exc_info()[1]
        reason = getattr(reason, "strerror", None) or reason
        try:
            sys.stderr.write(f"warning: cannot write the log file {self.baseFilename} ({reason}); "
                             "details of this run are not logged\n")
        except (OSError, ValueError):
            pass


def setup_logging(verbose: bool = False) -> Path | None:
    from .paths import log_dir

    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    for h in list(root.handlers):
        root.removeHandler(h)
    path: Path | None = None
    try:
        path = log_dir() / "interviewer.log"
        fh = _LogFile(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        fh.setLevel(logging.DEBUG)
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
        root.addHandler(fh)
    except OSError:
        path = None  # a read-only home must not stop the app
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(_ConsoleFormatter("%(levelname)s %(name)s: %(message)s"))
    console.addFilter(lambda record: getattr(record, "console", True))
    root.addHandler(console)
    for noisy in ("faster_whisper", "numba", "PIL", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.INFO if verbose else logging.WARNING)
    return path
