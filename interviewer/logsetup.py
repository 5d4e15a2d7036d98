"""Logging: everything to a rotating file in the user log dir; warnings (or all, with -v) to stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def setup_logging(verbose: bool = False) -> Path | None:
    from .paths import log_dir

    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    for h in list(root.handlers):
        root.removeHandler(h)
    path: Path | None = None
    try:
        path = log_dir() / "interviewer.log"
        fh = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        fh.setLevel(logging.DEBUG)
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
        root.addHandler(fh)
    except OSError:
        path = None  # a read-only home must not stop the app
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(console)
    for noisy in ("faster_whisper", "numba", "PIL", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.INFO if verbose else logging.WARNING)
    return path
