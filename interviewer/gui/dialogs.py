"""Error dialogs that say what to do, and the hook that turns stray exceptions into them.

Dialogs are opened with `open()` (window-modal, non-blocking), never `exec()`: the event
loop keeps running, so workers keep reporting and tests never hang on a dialog.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ..errors import UserError
from .wording import without_commands

log = logging.getLogger(__name__)


def error_dialog(parent: QWidget | None, title: str, problem: str, fix: str = "",
                 actions: list[tuple[str, Callable[[], None]]] | None = None, fallback: str = "") -> QMessageBox:
    """A warning with the problem as text and the fix as the informative line (less any
    terminal command).

    `actions` adds buttons (label, callback) beside Close; the callback runs when the
    button is pressed. Returns the (already open) box.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(problem)
    # the core's fixes are also for the terminal: a desktop user never types one (`fallback`
    # says what to do instead when nothing else is left)
    fix = without_commands(fix, fallback)
    if fix:
        box.setInformativeText(f"What to do: {fix}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    callbacks = {}
    for label, callback in actions or []:
        button = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
        callbacks[button] = callback
    close = box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(close if not actions else next(iter(callbacks)))
    box.setEscapeButton(close)

    def clicked(button) -> None:
        callback = callbacks.get(button)
        if callback:
            callback()

    box.buttonClicked.connect(clicked)
    box.open()
    if parent is not None and hasattr(parent, "dialog_opened"):
        parent.dialog_opened(box)
    return box


class _Relay(QObject):
    """Carries exceptions from any thread to the GUI thread."""

    raised = Signal(str, str, str)


class ExceptionHook:
    """sys.excepthook and threading.excepthook: log the traceback, show a calm dialog.

    One dialog at a time: a burst of identical failures must not bury the window.
    """

    def __init__(self, window_getter: Callable[[], QWidget | None], log_path: str | None) -> None:
        self.window_getter = window_getter
        self.log_path = log_path
        self.relay = _Relay()
        self.relay.raised.connect(self._show)
        self.open_box: QMessageBox | None = None
        self.count = 0
        self.seen: list[str] = []  # exception types, for the log and tests
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> "ExceptionHook":
        sys.excepthook = self._hook
        threading.excepthook = lambda args: self._hook(args.exc_type, args.exc_value, args.exc_traceback)
        return self

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def _hook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            return
        self.count += 1
        self.seen.append(exc_type.__name__)
        if isinstance(exc, UserError):
            log.info("user error reached the hook: %s", exc)
            self.relay.raised.emit("Something needs your attention", exc.problem, exc.fix)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        where = f"The details are in {self.log_path}." if self.log_path else "The details are in the log."
        self.relay.raised.emit(
            "Unexpected error",
            f"Something went wrong inside the app ({exc_type.__name__}: {exc}).",
            f"{where} Your answers so far are saved. If it keeps happening, restart the app and report it with that file.")

    def _show(self, title: str, problem: str, fix: str) -> None:
        if self.open_box is not None and self.open_box.isVisible():
            return
        self.open_box = error_dialog(self.window_getter(), title, problem, fix)
