"""The window: a sidebar of pages, the menus (menus.py), the status bar with model-loading
progress, and the dialogs. Sessions are the session controller's (session_controller.py),
the microphone the mic controller's (mic_controller.py); the window wires them to the
pages and moves between pages. Nothing here blocks the GUI thread.
"""

from __future__ import annotations

import logging
import time
from typing import Callable

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QMainWindow, QProgressBar,
                               QStackedWidget, QWidget)

from . import theme
from .drill_page import DrillPage
from .gui_thread_gc import GuiThreadCollector
from .history_page import HistoryPage
from .home_page import HomePage
from .interview_page import InterviewPage
from .menus import PAGE_KEYS, PAGE_TITLES, PAGES, WindowHelp, build_menus
from .mic_controller import MicController, first_run_marker  # noqa: F401  (first_run_marker: app and tests)
from .mic_page import MicPage
from .projects_page import ProjectsPage
from .questions_page import QuestionsPage
from .report_page import ReportPage
from .session_controller import SessionController
from .settings_page import SettingsPage
from .window_audio import WindowAudio
from .window_demo import WindowDemo
from .window_sessions import WindowSessions
from .workers import ThreadedWorker

log = logging.getLogger(__name__)

APP_NAME = "ML Mock Interviewer"
MIN_SIZE = (760, 500)  # logical pixels; every page scrolls rather than overlap below its own size
class MainWindow(WindowSessions, WindowAudio, WindowDemo, WindowHelp, QMainWindow):
    window_shown = Signal()
    runtime_ready = Signal(object)
    runtime_failed = Signal(str, str)
    session_started = Signal()
    session_finished = Signal(object)
    report_shown = Signal(object)
    drill_report_shown = Signal(object)  # the drill_report dict
    demo_changed = Signal(bool)

    def __init__(self, settings, *, demo: bool = False, stt_override: str | None = None,
                 llm_override: str | None = None, runtime_factory: Callable | None = None,
                 source_factory: Callable | None = None, player_factory: Callable | None = None,
                 demo_source_factory: Callable | None = None, scan_devices: Callable | None = None,
                 drafter: Callable | None = None, launch_t0: float | None = None) -> None:
        super().__init__()
        theme.ensure(QApplication.instance())
        GuiThreadCollector.running(QApplication.instance())  # before any worker starts
        self.settings = settings
        self.demo = demo
        self.stt_override = stt_override
        self.llm_override = llm_override
        self.runtime_factory = runtime_factory or self._default_runtime
        self.source_factory = source_factory or self._default_source
        self.player_factory = player_factory or self._default_player
        self.demo_source_factory = demo_source_factory or self._default_demo_source
        self.launch_t0 = launch_t0
        self.shown_after_s: float | None = None
        self.runtime = None
        self.loader: ThreadedWorker | None = None
        self.last_dialog = None
        self.autostart_demo = False
        self._closing = False
        self._close_now = False
        self._shown_once = False
        self._leave_demo_after = False
        self._mic_player = None
        self.voice_testing = False

        self.controller = SessionController(settings, source_factory=lambda d: self.source_factory(d),
                                            player_factory=lambda: self.player_factory(),
                                            file_source_factory=lambda paths: self.demo_source_factory(paths),
                                            parent=self)
        self.controller.demo = demo
        self.mic_ctl = MicController(lambda d: self.source_factory(d), scan=scan_devices, audio_quiet=self._audio_quiet,
                                     parent=self)
        self._build_pages(drafter)
        build_menus(self)
        self._build_status()
        self._wire()
        self.setMinimumSize(*MIN_SIZE)
        self._fit_to_screen(1100, 760)
        self._set_demo_pages(demo)
        self._update_title()
        self.goto("home")

    # what tests and app.py reach
    @property
    def session_thread(self) -> ThreadedWorker | None:
        return self.controller.thread

    @property
    def session(self):
        return self.controller.worker

    @property
    def monitor(self) -> ThreadedWorker | None:
        return self.mic_ctl.monitor

    @property
    def session_kind(self) -> str:
        return self.controller.kind

    @session_kind.setter
    def session_kind(self, kind: str) -> None:
        self.controller.kind = kind

    # -- construction ----------------------------------------------------------------------
    def _fit_to_screen(self, width: int, height: int) -> None:
        """The preferred size, or less on a small screen (a laptop at 200 % is about 960 x 540)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            width, height = min(width, int(avail.width() * 0.95)), min(height, int(avail.height() * 0.9))
        self.resize(max(width, MIN_SIZE[0]), max(height, MIN_SIZE[1]))

    def _build_pages(self, drafter) -> None:
        from ..content.bank import CATEGORIES, CATEGORY_TITLES

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName("Pages")
        fm = self.fontMetrics()
        for n, key in enumerate(PAGES):
            self.nav.addItem(PAGE_TITLES[key])
            self.nav.item(n).setToolTip(f"Ctrl+{PAGE_KEYS[key]}")
            self.nav.item(n).setSizeHint(QSize(10, int(fm.height() * 2.1)))  # a comfortable target to click
        self.nav.setFixedWidth(max(fm.horizontalAdvance(t) for t in PAGE_TITLES.values()) + fm.height() * 4)
        self.stack = QStackedWidget()
        self.home = HomePage()
        self.home.set_formats(list(CATEGORIES), CATEGORY_TITLES)
        self.mic = MicPage()
        self.interview = InterviewPage()
        self.report = ReportPage(player_factory=lambda: self.player_factory())
        self.history = HistoryPage()
        self.settings_page = SettingsPage(self.settings)
        self.drill = DrillPage()
        self.projects = ProjectsPage()
        self.questions = QuestionsPage(drafter=drafter)
        self.pages = {"home": self.home, "mic": self.mic, "interview": self.interview, "report": self.report,
                      "history": self.history, "settings": self.settings_page, "drill": self.drill,
                      "projects": self.projects, "questions": self.questions}
        for key in PAGES:
            self.stack.addWidget(self.pages[key])
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(lambda i: self.goto(PAGES[i]))

    def _wire(self) -> None:
        c, home, mic = self.controller, self.home, self.mic
        c.busy.connect(self.busy)
        c.idle.connect(self.idle)
        c.launched.connect(self._launched)
        c.event.connect(self._session_event)
        c.problem.connect(self._problem)
        c.finished.connect(self._session_finished)
        c.report_ready.connect(self.show_report)
        c.drill_report_ready.connect(self.show_drill_report)
        c.nothing_recorded.connect(self._nothing_recorded)

        home.start_requested.connect(self._start_interview)
        home.practice_due_requested.connect(lambda ids: self._guarded(c.practice_due, ids))
        home.resume_requested.connect(self.resume_incomplete)
        home.view_incomplete_requested.connect(c.open_report)
        home.dismiss_incomplete_requested.connect(lambda sid: c.close_incomplete(sid, "dismissed", self.refresh_home))
        home.mic_check_requested.connect(lambda: self.goto("mic"))
        home.demo_requested.connect(lambda: self.switch_to_demo())
        home.leave_demo_requested.connect(self.leave_demo)
        home.recordings_requested.connect(self.ask_recordings)
        home.rescan_requested.connect(lambda: self.mic_ctl.scan(again=True))

        mic.monitor_requested.connect(self.start_monitor)
        mic.stop_requested.connect(self.mic_ctl.stop_monitor)
        mic.record_requested.connect(self.mic_ctl.record)
        mic.continue_requested.connect(self._mic_checked)
        mic.demo_requested.connect(lambda: self.switch_to_demo())
        mic.recordings_requested.connect(self.ask_recordings)
        mic.rescan_requested.connect(lambda: self.mic_ctl.scan(again=True))
        mic.device_changed.connect(self._device_changed)
        mic.player_factory = self._shared_player
        self.mic_ctl.devices_changed.connect(self._devices_changed)
        self.mic_ctl.level.connect(mic.on_level)
        self.mic_ctl.recorded.connect(mic.on_recorded)
        self.mic_ctl.monitor_failed.connect(self._mic_failed)
        self.mic_ctl.monitoring_changed.connect(mic.set_monitoring)
        self.mic_ctl.monitoring_changed.connect(lambda on: on or self._maybe_finish_close())

        self.interview.done_requested.connect(lambda: self.command("done"))
        self.interview.repeat_requested.connect(lambda: self.command("repeat"))
        self.interview.skip_requested.connect(lambda: self.command("skip"))
        self.interview.pause_requested.connect(lambda: self.command("pause"))
        self.interview.resume_requested.connect(lambda: self.command("resume"))
        self.interview.end_requested.connect(lambda: self.command("end"))
        self.history.open_requested.connect(c.open_report)
        self.history.practice_due_requested.connect(lambda ids: self._guarded(c.practice_due, ids))
        self.history.changed.connect(self.refresh_home)
        self.settings_page.saved.connect(self._settings_saved)
        self.settings_page.voice_test_requested.connect(self._test_voice)
        self.drill.start_requested.connect(lambda options: self._guarded(c.start_drill, options))
        self.drill.done_requested.connect(lambda: self.command("done"))
        self.drill.end_requested.connect(lambda: self.command("end"))
        self.drill.demo_requested.connect(lambda: self.switch_to_demo(start=False))
        self.projects.rehearse_requested.connect(lambda options: self._guarded(c.start_rehearsal, options))

    def _build_status(self) -> None:
        self.status_label = QLabel("Starting…")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setFixedHeight(max(4, self.fontMetrics().height() // 4))
        self.busy_bar.setAccessibleName("Working")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.busy_bar.hide()

    def _update_title(self) -> None:
        # Qt adds the application's display name itself: "Demo — ML Mock Interviewer"
        self.setWindowTitle("Demo" if self.demo else APP_NAME)
        self.act_demo.setText("Leave the de&mo" if self.demo else "Try the de&mo")

    # -- defaults (the real hardware and models) -------------------------------------------
    def _default_runtime(self):
        from ..app.runtime import Runtime

        return Runtime(self.settings, stt_override=self.stt_override, llm_override=self.llm_override)

    def _default_source(self, device=None):
        from ..audio.sources import MicSource

        return MicSource(device if device is not None else self.settings.input_device)

    def _default_player(self):
        from ..audio.playback import default_player

        return default_player(self.settings.output_device)

    def _default_demo_source(self, paths):
        from ..audio.sources import FileSource

        return FileSource(paths)

    # -- navigation ------------------------------------------------------------------------
    def goto(self, key: str) -> None:
        index = PAGES.index(key)
        if self.current_page() == "mic" and key != "mic":
            self.mic_ctl.stop_monitor()
        if self.current_page() == "report" and key != "report":
            self.report.stop_playback()
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)
        if key == "settings" and not self.settings_page.models:
            self.settings_page.refresh_models(self.stt_override, self.llm_override)
        if key == "history" and self.runtime is not None:
            self.history.reload()
        if key == "projects" and self.projects.store is not None:
            self.projects.reload()
        self._sync_actions()

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def new_interview(self) -> None:
        self.goto("home")
        self.home.start_button.setFocus()

    def start_shortcut(self) -> None:
        if self.current_page() == "home":
            self.home._start()
        elif self.current_page() == "drill":
            self.drill._start()

    # -- status ----------------------------------------------------------------------------
    def busy(self, message: str) -> None:
        self.status_label.setText(message)
        self.busy_bar.show()

    def idle(self, message: str = "") -> None:
        self.status_label.setText(message)
        self.busy_bar.hide()

    def dialog_opened(self, box) -> None:
        self.last_dialog = box

    # -- start-up --------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._shown_once:
            return
        self._shown_once = True
        if self.launch_t0 is not None:
            self.shown_after_s = time.perf_counter() - self.launch_t0
            log.info("window shown %.3f s after launch", self.shown_after_s)
        if not self.demo and not first_run_marker().exists():
            self.goto("mic")
        QTimer.singleShot(0, self, self.start_loading)
        QTimer.singleShot(0, self, self.mic_ctl.scan)  # before offering anything: is there a microphone?
        self.window_shown.emit()

    # -- closing ---------------------------------------------------------------------------
    def _busy_workers(self) -> list[str]:
        busy = []
        if self.controller.running:
            busy.append("session")
        if self.loader is not None and self.loader.running:
            busy.append("loader")
        if self.mic_ctl.monitoring:
            busy.append("monitor")
        return busy

    def _maybe_finish_close(self) -> None:
        if self._closing:
            QTimer.singleShot(0, self, self.close)

    def closeEvent(self, event) -> None:
        busy = self._busy_workers()
        if not busy or self._close_now:
            self.report.stop_playback()
            self.mic_ctl.stop_looking()
            event.accept()
            return
        # Ask the workers to stop and close when they have: never block the GUI thread.
        event.ignore()
        if self._closing:
            return
        self._closing = True
        self.controller.closing = True
        if "session" in busy:
            self.busy("Stopping the interview and saving what you said…")
            self.controller.end()  # ends the session, or stops it before it starts
        else:
            self.busy("Closing…")
        self.mic_ctl.stop_monitor()
        for t in (self.controller.thread, self.loader, self.mic_ctl.monitor):
            if t is not None and t.running:  # each worker's end calls close() again
                t.thread.finished.connect(self._maybe_finish_close)
        QTimer.singleShot(20_000, self, self._force_close)

    def _force_close(self) -> None:
        """A worker that has not stopped in 20 s: everything answered is already committed."""
        log.warning("closing with workers still running: %s", self._busy_workers())
        self._close_now = True
        self.close()
