"""The window's ways to practise without a microphone: the demo (entered from the no
microphone page, Home or the Interview menu, and left the same ways) and an interview
answered from the user's own WAV recordings. A mixin of MainWindow.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from .dialogs import error_dialog
from .workers import run_task

log = logging.getLogger(__name__)


def check_recordings(paths: list[str]) -> list[str]:
    """The WAV files, each read once to be sure it is a recording (on a worker thread)."""
    from ..audio.io import load_audio
    from ..errors import UserError

    if not paths:
        raise UserError("No recording was chosen.", "Choose one WAV file per answer.")
    for p in paths:
        name = Path(p).name
        try:
            audio = load_audio(p)
        except Exception as exc:
            log.info("not a recording: %s (%s)", p, exc)
            raise UserError(f"“{name}” could not be read as a recording.",
                            "Choose WAV files, for example saved from a voice recorder app as .wav.") from None
        if audio.size < 16000 * 0.5:
            raise UserError(f"“{name}” is shorter than half a second.", "Choose a recording of a spoken answer.")
    return list(paths)


class WindowDemo:
    # -- the demo and recorded answers -----------------------------------------------------
    def toggle_demo(self) -> None:
        self.leave_demo() if self.demo else self.switch_to_demo()

    def switch_to_demo(self, start: bool = True) -> None:
        """The scripted demo: answers from recordings, so no microphone is needed. `start`:
        begin its interview at once (from the drill page, the demo drill waits for Start)."""
        if self.controller.running or self.controller.preparing:
            return
        self.demo = True
        self.controller.demo = True
        self._set_demo_pages(True)
        if self.runtime is not None and self.runtime.store is not None:
            self._add_demo_project()
        self._update_title()
        self.demo_changed.emit(True)
        if not start:
            return
        self.goto("home")
        if self.runtime is not None:
            self.controller.start_demo()
        else:
            self.autostart_demo = True

    def leave_demo(self) -> None:
        """Back to the user's own options; a demo still running is ended first."""
        if not self.demo:
            return
        if self.controller.running:
            self._leave_demo_after = True
            self.controller.command("end")
            return
        self.demo = False
        self.controller.demo = False
        self.autostart_demo = False
        self._set_demo_pages(False)
        self._update_title()
        self.demo_changed.emit(False)
        no_mic = self.mic_ctl.has_microphone is False
        self.goto("mic" if no_mic else "home")
        self.idle("You left the demo." + (" No microphone is connected yet." if no_mic else ""))

    def _set_demo_pages(self, demo: bool) -> None:
        self.home.set_demo(demo)
        self.drill.set_demo(demo)
        self.projects.set_demo(demo)

    def _add_demo_project(self) -> None:
        """The demo rehearses its own project: make sure the store has it, then list."""
        from ..app.demo_drills import ensure_demo_project

        store = self.runtime.store
        run_task(lambda: ensure_demo_project(store), lambda pid: self.projects.set_store(store),
                 lambda p, f: (log.warning("cannot add the demo project: %s", p), self.projects.set_store(store)))

    def ask_recordings(self) -> None:
        """Pick WAV files to answer with, one per question."""
        dialog = QFileDialog(self, "Choose your recorded answers (one WAV file per question)", str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(["WAV recordings (*.wav *.WAV)", "All files (*)"])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.start_recorded)
        dialog.open()
        self.last_dialog = dialog

    def start_recorded(self, paths: list[str]) -> None:
        if self.demo:
            self.leave_demo()
        if self.controller.running:
            return
        options = self.home.options()

        def ok(checked: list[str]) -> None:
            self.idle("")
            self.controller.start_recorded(options, checked)

        def bad(problem: str, fix: str) -> None:
            self.idle("")
            error_dialog(self, "Cannot use these recordings", problem, fix)

        self.busy("Checking the recordings…")
        run_task(lambda: check_recordings(list(paths)), ok, bad)
