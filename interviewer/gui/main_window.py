"""The main window: a sidebar of pages, the menus (every action has a shortcut), the
status bar with model-loading progress, and the wiring between pages and workers.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QProgressBar,
                               QStackedWidget, QWidget)

from .dialogs import error_dialog
from .drill_page import DrillPage
from .history_page import HistoryPage
from .home_page import HomePage
from .interview_page import InterviewPage
from .mic_page import MicPage
from .projects_page import ProjectsPage
from .report_page import ReportPage
from .settings_page import SettingsPage
from .workers import MicMonitor, RuntimeLoader, SessionWorker, ThreadedWorker, run_task

log = logging.getLogger(__name__)

# In the order of the sidebar; PAGE_KEYS gives each page's Ctrl+number (the first six kept
# theirs when the timed drill and the projects arrived).
PAGES = ("home", "drill", "projects", "mic", "interview", "report", "history", "settings")
PAGE_TITLES = {"home": "Home", "drill": "Timed drill", "projects": "My projects", "mic": "Microphone",
               "interview": "Interview", "report": "Report", "history": "History", "settings": "Settings"}
PAGE_KEYS = {"home": 1, "mic": 2, "interview": 3, "report": 4, "history": 5, "settings": 6, "drill": 7, "projects": 8}
FIRST_RUN_MARKER = "microphone-checked"
SHORTCUTS = [
    ("Ctrl+N", "New interview (Home)"), ("Ctrl+Enter", "Start the interview (on Home)"),
    ("Space", "Done answering (also in a timed drill)"), ("R", "Repeat the question"), ("S", "Skip the question"),
    ("P", "Pause / resume"), ("Ctrl+E", "End the interview (what you said is kept)"),
    ("Ctrl+1 … Ctrl+6", "Home, Microphone, Interview, Report, History, Settings"),
    ("Ctrl+7 / Ctrl+8", "Timed drill / My projects"), ("Ctrl+Enter", "Start the drill (on Timed drill)"),
    ("Ctrl+F", "Search the history"), ("Delete", "Delete the selected session (asks first)"),
    ("Ctrl+Shift+H / Ctrl+Shift+P", "Export the report as HTML / PDF"), ("Ctrl+S", "Save settings"),
    ("F1", "This list"), ("Ctrl+Q", "Quit"),
]


def first_run_marker() -> Path:
    from ..paths import config_dir

    return config_dir() / FIRST_RUN_MARKER


class MainWindow(QMainWindow):
    window_shown = Signal()
    runtime_ready = Signal(object)
    runtime_failed = Signal(str, str)
    session_started = Signal()
    session_finished = Signal(object)
    report_shown = Signal(object)
    drill_report_shown = Signal(object)  # the drill_report dict

    def __init__(self, settings, *, demo: bool = False, stt_override: str | None = None,
                 llm_override: str | None = None, runtime_factory: Callable | None = None,
                 source_factory: Callable | None = None, player_factory: Callable | None = None,
                 demo_source_factory: Callable | None = None, launch_t0: float | None = None) -> None:
        super().__init__()
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
        self.session_thread: ThreadedWorker | None = None
        self.session = None
        self.monitor: ThreadedWorker | None = None
        self.last_dialog = None
        self.autostart_demo = False
        self._closing = False
        self._close_now = False
        self._shown_once = False
        self._mic_player = None
        self.session_kind = "interview"  # or "drill" or "rehearsal": which page shows the running session
        self.session_plan = None  # the running (or last) session's plan (app/plans.py)

        self.setWindowTitle("ML Mock Interviewer" + (" (demo)" if demo else ""))
        self._build_pages()
        self._build_menus()
        self._build_status()
        self._fit_to_screen(1100, 760)
        self._set_demo_pages(demo)
        self.goto("home")

    # -- construction --------------------------------------------------------------------
    def _fit_to_screen(self, width: int, height: int) -> None:
        """The preferred size, or less on a small screen (a laptop at 200 % is about 960 x 540)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            width, height = min(width, int(avail.width() * 0.95)), min(height, int(avail.height() * 0.9))
        self.resize(width, height)

    def _build_pages(self) -> None:
        from ..bank import CATEGORIES, CATEGORY_TITLES

        central = QWidget()
        row = QHBoxLayout(central)
        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        for n, key in enumerate(PAGES):
            self.nav.addItem(f"{PAGE_TITLES[key]}")
            self.nav.item(n).setToolTip(f"Ctrl+{PAGE_KEYS[key]}")
        fm = self.fontMetrics()
        self.nav.setFixedWidth(max(fm.horizontalAdvance(t) for t in PAGE_TITLES.values()) + fm.height() * 3)
        self.stack = QStackedWidget()
        self.home = HomePage()
        self.home.set_formats(list(CATEGORIES), CATEGORY_TITLES)
        self.mic = MicPage()
        self.interview = InterviewPage()
        self.report = ReportPage(player_factory=self.player_factory)
        self.history = HistoryPage()
        self.settings_page = SettingsPage(self.settings)
        self.drill = DrillPage()
        self.projects = ProjectsPage()
        self.pages = {"home": self.home, "mic": self.mic, "interview": self.interview, "report": self.report,
                      "history": self.history, "settings": self.settings_page, "drill": self.drill,
                      "projects": self.projects}
        for key in PAGES:
            self.stack.addWidget(self.pages[key])
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(lambda i: self.goto(PAGES[i]))

        self.home.start_requested.connect(self.start_interview)
        self.home.practice_due_requested.connect(self.practice_due)
        self.home.resume_requested.connect(self.resume_incomplete)
        self.home.view_incomplete_requested.connect(self.open_report)
        self.home.dismiss_incomplete_requested.connect(self.dismiss_incomplete)
        self.home.mic_check_requested.connect(lambda: self.goto("mic"))
        self.mic.monitor_requested.connect(self.start_monitor)
        self.mic.stop_requested.connect(self.stop_monitor)
        self.mic.record_requested.connect(self._record_test)
        self.mic.continue_requested.connect(self._mic_checked)
        self.mic.demo_requested.connect(self.switch_to_demo)
        self.mic.device_changed.connect(self._device_changed)
        self.interview.done_requested.connect(lambda: self._command("done"))
        self.interview.repeat_requested.connect(lambda: self._command("repeat"))
        self.interview.skip_requested.connect(lambda: self._command("skip"))
        self.interview.pause_requested.connect(lambda: self._command("pause"))
        self.interview.resume_requested.connect(lambda: self._command("resume"))
        self.interview.end_requested.connect(lambda: self._command("end"))
        self.history.open_requested.connect(self.open_report)
        self.history.practice_due_requested.connect(self.practice_due)
        self.history.changed.connect(self.refresh_home)
        self.settings_page.saved.connect(self._settings_saved)
        self.settings_page.voice_test_requested.connect(self._test_voice)
        self.drill.start_requested.connect(self.start_drill)
        self.drill.done_requested.connect(lambda: self._command("done"))
        self.drill.end_requested.connect(lambda: self._command("end"))
        self.projects.rehearse_requested.connect(self.start_rehearsal)

    def _action(self, menu, text: str, shortcut, slot, *, enabled: bool = True) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        action.triggered.connect(slot)
        action.setEnabled(enabled)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&Interview")
        self._action(m, "&New interview", QKeySequence.StandardKey.New, self.new_interview)
        self._action(m, "&Start", [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")], self._start_shortcut)
        m.addSeparator()
        self.act_done = self._action(m, "&Done answering", Qt.Key.Key_Space, lambda: self._command("done"), enabled=False)
        self.act_repeat = self._action(m, "&Repeat question", Qt.Key.Key_R, lambda: self._command("repeat"), enabled=False)
        self.act_skip = self._action(m, "S&kip question", Qt.Key.Key_S, lambda: self._command("skip"), enabled=False)
        self.act_pause = self._action(m, "&Pause / resume", Qt.Key.Key_P, self.interview.toggle_pause, enabled=False)
        self.act_end = self._action(m, "&End interview", "Ctrl+E", lambda: self._command("end"), enabled=False)
        m.addSeparator()
        self._action(m, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        v = bar.addMenu("&View")
        for key in PAGES:
            n = PAGE_KEYS[key]
            self._action(v, f"&{n} {PAGE_TITLES[key]}", f"Ctrl+{n}", lambda _=False, k=key: self.goto(k))
        r = bar.addMenu("&Report")
        self.act_export_html = self._action(r, "Export as &HTML…", "Ctrl+Shift+H", lambda: self.report.ask_export("html"))
        self.act_export_pdf = self._action(r, "Export as &PDF…", "Ctrl+Shift+P", lambda: self.report.ask_export("pdf"))
        self._action(r, "Save &settings", QKeySequence.StandardKey.Save, self.settings_page.save)
        h = bar.addMenu("&Help")
        self._action(h, "&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents, self.show_shortcuts)
        self._action(h, "Open &log folder", None, self._open_logs)
        self._action(h, "&About", None, self._about)

    def _build_status(self) -> None:
        self.status_label = QLabel("Starting…")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
        self.busy_bar.setAccessibleName("Working")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.busy_bar.hide()

    # -- defaults (the real hardware and models) ------------------------------------------
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

    # -- navigation ----------------------------------------------------------------------
    def goto(self, key: str) -> None:
        index = PAGES.index(key)
        if self.stack.currentIndex() == PAGES.index("mic") and key != "mic":
            self.stop_monitor()
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)
        if key == "mic" and not self.mic.devices:
            self.mic.refresh_devices()
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

    def _start_shortcut(self) -> None:
        if self.current_page() == "home":
            self.home._start()
        elif self.current_page() == "drill":
            self.drill._start()

    # -- status --------------------------------------------------------------------------
    def busy(self, message: str) -> None:
        self.status_label.setText(message)
        self.busy_bar.show()

    def idle(self, message: str = "") -> None:
        self.status_label.setText(message)
        self.busy_bar.hide()

    def dialog_opened(self, box) -> None:
        self.last_dialog = box

    # -- start-up ------------------------------------------------------------------------
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
        QTimer.singleShot(0, self.start_loading)
        self.window_shown.emit()

    def start_loading(self) -> None:
        if self.loader is not None or self.runtime is not None:
            return
        self.busy("Loading the models…")
        self.home.set_ready(False, "Loading the models… you can choose your options meanwhile.")
        loader = RuntimeLoader(self.runtime_factory)
        # Worker signals go to bound methods of GUI objects: a lambda would run on the worker's thread.
        loader.progress.connect(self.busy)
        loader.loaded.connect(self._runtime_loaded)
        loader.failed.connect(self._runtime_failed)
        loader.finished.connect(self._loader_finished)
        self.loader = ThreadedWorker(loader, "model-loader")
        self.loader.start()

    def _loader_finished(self) -> None:
        if self._closing:
            QTimer.singleShot(0, self.close)

    def _runtime_loaded(self, runtime) -> None:
        self.runtime = runtime
        if self._closing:
            return
        secs = getattr(runtime, "load_seconds", {}).get("total")
        self.idle(f"Models ready{f' in {secs:.1f} s' if secs else ''}.")
        self.home.set_ready(True)
        self.drill.set_bank(runtime.bank)
        self.drill.set_ready(True)
        self.mic.set_transcriber(getattr(runtime, "transcriber", None))
        self.history.set_store(runtime.store, runtime.bank)
        if self.demo and runtime.store is not None:
            self._add_demo_project()
        else:
            self.projects.set_store(runtime.store)
        self.settings_page.set_runtime(runtime)
        recovered = getattr(runtime.store, "recovered", None) if runtime.store is not None else None
        if recovered:
            self.status_label.setText(f"Recovered {len(recovered)} recording(s) cut off when the app last stopped.")
        self.refresh_home()
        if self.current_page() == "history":
            self.history.reload()
        self.runtime_ready.emit(runtime)
        if self.demo and self.autostart_demo:
            self.start_demo()

    def _runtime_failed(self, problem: str, fix: str) -> None:
        self.idle("The models could not be loaded.")
        self.home.set_ready(False, f"The models could not be loaded: {problem}")
        self.drill.set_ready(False, f"The models could not be loaded: {problem}")
        self.runtime_failed.emit(problem, fix)
        if not self._closing:
            error_dialog(self, "Models could not be loaded", problem, fix,
                         actions=[("Open &Settings", lambda: self.goto("settings"))])

    def refresh_home(self) -> None:
        rt = self.runtime
        if rt is None or rt.store is None:
            return
        store, bank = rt.store, rt.bank

        def query():
            from ..practice import due_today

            return store.incomplete_sessions(), due_today(store, bank), store.progress(bank=bank)

        def done(result) -> None:
            incomplete, due, progress = result
            self.home.set_incomplete(incomplete)
            self.home.set_due(due, progress)

        run_task(query, done, lambda p, f: log.warning("home refresh failed: %s", p))

    # -- the microphone check ------------------------------------------------------------
    def start_monitor(self, device=None) -> None:
        if self.monitor is not None and self.monitor.running:
            return
        if self.session_thread is not None and self.session_thread.running:
            self.mic.show_problem("The microphone is in use by the interview.", "End the interview first.")
            self.mic.set_monitoring(False)
            return
        factory = self.source_factory
        mon = MicMonitor(lambda: factory(device))
        mon.level.connect(self.mic.on_level)
        mon.recorded.connect(self._test_recorded)
        mon.failed.connect(self._mic_failed)
        mon.finished.connect(self._monitor_finished)
        mon.finished.connect(self._maybe_finish_close)
        self.mic.player_factory = self._shared_player
        self.monitor = ThreadedWorker(mon, "mic-monitor")
        self.mic.set_monitoring(True)
        self.monitor.start()

    def _shared_player(self):
        """One speaker for the microphone test and the voice test (made on a worker thread)."""
        if self._mic_player is None:
            self._mic_player = self.player_factory()
        return self._mic_player

    def _monitor_finished(self) -> None:
        self.mic.set_monitoring(False)

    def stop_monitor(self) -> None:
        if self.monitor is not None and self.monitor.running:
            self.monitor.worker.stop()

    def _record_test(self, seconds: float) -> None:
        if self.monitor is not None:
            self.monitor.worker.record(seconds)

    def _test_recorded(self, audio) -> None:
        self.mic.on_recorded(audio)

    def _mic_failed(self, problem: str, fix: str) -> None:
        self.mic.show_problem(problem, fix)
        self.mic.record_button.setEnabled(True)
        error_dialog(self, "Microphone problem", problem, fix, actions=[("Try the &demo", self.switch_to_demo)])

    def _device_changed(self, index) -> None:
        name = next((d["name"] for d in self.mic.devices if d["index"] == index), None)
        self._save_setting(input_device=name)

    def _mic_checked(self) -> None:
        try:
            first_run_marker().touch()
        except OSError as exc:
            log.warning("cannot write the first-run marker: %s", exc)
        self.goto("home")

    def switch_to_demo(self) -> None:
        """No microphone: run the scripted demo instead."""
        self.demo = True
        self._set_demo_pages(True)
        if self.runtime is not None and self.runtime.store is not None:
            self._add_demo_project()
        self.setWindowTitle("ML Mock Interviewer (demo)")
        self.goto("home")
        if self.runtime is not None:
            self.start_demo()
        else:
            self.autostart_demo = True

    def _set_demo_pages(self, demo: bool) -> None:
        self.home.set_demo(demo)
        self.drill.set_demo(demo)
        self.projects.set_demo(demo)

    def _add_demo_project(self) -> None:
        """The demo rehearses its own project: make sure the store has it, then list."""
        from .demo_drills import ensure_demo_project

        store = self.runtime.store
        run_task(lambda: ensure_demo_project(store), lambda pid: self.projects.set_store(store),
                 lambda p, f: (log.warning("cannot add the demo project: %s", p), self.projects.set_store(store)))

    def _save_setting(self, **changes) -> None:
        from ..config import save_settings

        try:
            self.settings = self.settings.model_copy(update=changes)
            save_settings(self.settings)
        except OSError as exc:
            log.warning("cannot save settings: %s", exc)

    def _settings_saved(self, settings) -> None:
        self.settings = settings
        speaker = getattr(self.runtime, "speaker", None)
        if speaker is not None:
            from ..speech.tts import Voice

            speaker.voice = Voice(rate=settings.speech_rate, voice_id=settings.voice)

    def _test_voice(self, voice_id, rate: int) -> None:
        speaker = getattr(self.runtime, "speaker", None)
        if speaker is None:
            self.status_label.setText("The voice is still loading.")
            return
        from ..speech.tts import Voice

        def speak():
            audio = speaker.synthesize("Hello. Tell me about a model you shipped to production.",
                                       Voice(rate=rate, voice_id=voice_id)).result(timeout=60)
            self._shared_player().play(audio)

        self.busy("Speaking…")
        run_task(speak, lambda _r: self.idle(""),
                 lambda p, f: (self.idle(""), error_dialog(self, "Voice test failed", p, f)))

    # -- the interview -------------------------------------------------------------------
    def _plan(self, planner, *args, **options):
        """A session plan from the shared use-case layer (app/plans.py), or None after a dialog."""
        from ..errors import UserError

        try:
            return planner(self.runtime, *args, **options)
        except UserError as exc:
            self._set_busy(False)
            error_dialog(self, "The session could not start", exc.problem, exc.fix)
            return None

    def start_interview(self, options: dict) -> None:
        from ..app.plans import plan_interview

        if self.demo:
            self.start_demo()
            return
        if self.runtime is None:
            self.status_label.setText("The models are still loading.")
            return
        plan = self._plan(plan_interview, **options)
        if plan is not None:
            self._launch(plan)

    def practice_due(self, question_ids: list[str]) -> None:
        from ..app.plans import plan_interview

        plan = self._plan(plan_interview, format="mixed", n_questions=len(question_ids),
                          question_ids=list(question_ids))
        if plan is not None:
            self._launch(plan)

    def resume_incomplete(self, row: dict) -> None:
        from ..app.plans import plan_resume

        rt = self.runtime
        if rt is None or not row.get("remaining_question_ids"):
            return
        self.busy("Picking up where you left off…")

        def resumed(plan) -> None:  # None: nothing was left to ask, and the session is now finished
            self.idle("")
            self._launch(plan) if plan is not None else self.refresh_home()

        # off the GUI thread: the answer the interruption cut off is transcribed first
        run_task(lambda: plan_resume(rt, row), resumed,
                 lambda p, f: (self.idle(""), error_dialog(self, "Could not resume the session", p, f)))

    def dismiss_incomplete(self, sid: str) -> None:
        self._close_incomplete(sid, "dismissed")

    def _close_incomplete(self, sid: str, how: str) -> None:
        store = self.runtime.store if self.runtime else None
        if store is None:
            return
        run_task(lambda: store.finish_session(sid, {"interrupted": True, how: True}), lambda _r: self.refresh_home(),
                 lambda p, f: error_dialog(self, "Could not update the session", p, f))

    def start_demo(self) -> None:
        if self.runtime is None:
            self.autostart_demo = True
            return
        if self.session_thread is not None and self.session_thread.running:
            return
        from ..app.plans import SessionPlan, config_from_settings
        from .demo import demo_answers, demo_question

        self.busy("Preparing the demo answers…")
        self.home.set_busy(True)

        def prepared(paths) -> None:
            self.idle("")
            config = config_from_settings(self.settings, format="fundamentals", mode="study", n_questions=1,
                                          max_follow_ups=1)
            self._launch(SessionPlan("interview", config, [demo_question()]), source=self.demo_source_factory(paths),
                         demo=True)

        def failed(problem: str, fix: str) -> None:
            self.idle("")
            self.home.set_busy(False)
            error_dialog(self, "The demo could not start", problem, fix)

        run_task(demo_answers, prepared, failed)

    def _launch(self, plan, source=None, demo: bool = False) -> None:
        """Run a planned session on its own thread: a drill on the Timed drill page, anything
        else on the Interview page (a rehearsal with its title as the heading)."""
        from ..app.plans import start

        rt = self.runtime
        if rt is None:
            self.status_label.setText("The models are still loading.")
            return
        if self.session_thread is not None and self.session_thread.running:
            return
        self.stop_monitor()
        source_factory, player_factory, device = self.source_factory, self.player_factory, self.settings.input_device

        def build(on_event):  # on the session's thread: opening devices can take a moment
            src = source if source is not None else source_factory(device)
            return start(rt, plan, source=src, on_event=on_event, player=player_factory())

        worker = SessionWorker(build)
        self.session = worker
        self.session_plan = plan
        self.session_kind = plan.kind
        page = self._session_page()
        worker.event.connect(page.on_event)
        worker.event.connect(self._session_event)
        worker.failed.connect(self._session_failed)
        worker.finished.connect(self._session_finished)
        if plan.kind == "drill":
            d = plan.drill
            self.drill.begin(d["prompt"], d["target_s"], d["audience"], demo)
        else:
            self.interview.reset(plan.config.mode, demo, plan.title if plan.kind == "rehearsal" else "")
        self._set_busy(True)
        self.session_thread = ThreadedWorker(worker, "session")
        self.goto("drill" if plan.kind == "drill" else "interview")
        self.session_thread.start()
        self._sync_actions()
        self.session_started.emit()

    # -- the timed drill -------------------------------------------------------------------
    def start_drill(self, options: dict) -> None:
        """Options from the drill page: {concept, question_id, target_s, audience}."""
        if self.runtime is None:
            self.status_label.setText("The models are still loading.")
            return
        if self.session_thread is not None and self.session_thread.running:
            return
        if not self.demo:
            self._launch_drill(options)
            return
        from .demo_drills import DRILL_OPTIONS, drill_answers

        options = {**DRILL_OPTIONS, "audience": options.get("audience", "interviewer")}
        self.busy("Preparing the demo answer…")
        self._set_busy(True)

        def failed(problem: str, fix: str) -> None:
            self.idle("")
            self._set_busy(False)
            error_dialog(self, "The demo drill could not start", problem, fix)

        run_task(drill_answers, lambda paths: (self.idle(""), self._launch_drill(
            options, source=self.demo_source_factory(paths), demo=True)), failed)

    def _launch_drill(self, options: dict, source=None, demo: bool = False) -> None:
        from ..app.plans import plan_drill

        plan = self._plan(plan_drill, target_s=int(options["target_s"]), question_id=options.get("question_id"),
                          concept=options.get("concept"), non_expert=options.get("audience") == "non_expert")
        if plan is not None:
            self._launch(plan, source=source, demo=demo)

    def _drill_finished(self, session) -> None:
        from ..app.reports import drill_from_records

        result = drill_from_records(self.session_plan, session.records if session is not None else [],
                                    session.session_id if session is not None else None)
        if result is None:
            self.drill.show_setup("No answer was recorded. Check the microphone (Ctrl+2) and try again.")
            if self.current_page() == "drill" or self.current_page() == "interview":
                self.goto("drill")
            return
        self.show_drill_report(*result)

    # -- project rehearsal -----------------------------------------------------------------
    def start_rehearsal(self, options: dict) -> None:
        """Options from My projects: {project_id, title, pitch_s, deep_dives, persona}."""
        from ..app.plans import plan_rehearsal

        rt = self.runtime
        if rt is None or rt.store is None:
            self.status_label.setText("The models are still loading.")
            return
        if self.session_thread is not None and self.session_thread.running:
            return
        store, demo = rt.store, self.demo
        pitch_s, deep_dives = int(options.get("pitch_s") or 120), int(options.get("deep_dives") or 0)

        def prepare():  # a worker thread: the store, the bank, and in the demo espeak-ng
            project = store.project(options["project_id"])
            plan = plan_rehearsal(rt, project, pitch_s=pitch_s, deep_dives=deep_dives,
                                  persona=options.get("persona") or None, seed=options.get("seed"))
            paths = None
            if demo:
                from .demo_drills import rehearsal_answers

                paths = rehearsal_answers()
            return plan, paths

        def prepared(result) -> None:
            plan, paths = result
            self.idle("")
            self._launch(plan, source=self.demo_source_factory(paths) if paths else None, demo=demo)

        def failed(problem: str, fix: str) -> None:
            self.idle("")
            self._set_busy(False)
            error_dialog(self, "The rehearsal could not start", problem, fix)

        self.busy("Preparing the rehearsal…" + (" (making the demo's recorded answers)" if demo else ""))
        self._set_busy(True)
        run_task(prepare, prepared, failed)

    def _command(self, name: str) -> None:
        worker = self.session
        if worker is None or self.session_thread is None or not self.session_thread.running:
            return
        if name == "end":
            worker.end()
        elif worker.session is not None:
            if name == "done" and self._session_page().state != "listening":
                return
            getattr(worker.session, name)()
        if name == "end":
            self.busy("Stopping the drill…" if self.session_kind == "drill" else
                      "Ending the interview and saving what you said…")

    def _session_event(self, event) -> None:
        from ..engine import ErrorRaised, Finished, QuestionAsked, StateChanged

        if isinstance(event, ErrorRaised):
            error_dialog(self, "Interview problem", event.message, event.fix)
        if isinstance(event, (StateChanged, QuestionAsked, Finished)):
            self._sync_actions()

    def _session_failed(self, problem: str, fix: str, error_type: str) -> None:
        if self._closing:
            return
        actions = [("Try the &demo", self.switch_to_demo)] if error_type == "AudioError" else None
        error_dialog(self, "The interview could not run", problem, fix, actions=actions)

    def _session_page(self):
        return self.drill if self.session_kind == "drill" else self.interview

    def _set_busy(self, busy: bool) -> None:
        """A session is running: no second one from any page."""
        self.home.set_busy(busy)
        self.drill.set_busy(busy)
        self.projects.set_busy(busy)

    def _session_finished(self, summary) -> None:
        session = self.session.session if self.session is not None else None
        self._session_page().set_running(False)
        self._set_busy(False)
        self.idle("")
        self._sync_actions()
        self.session_finished.emit(summary)
        if self._closing:
            QTimer.singleShot(0, self.close)
            return
        self.refresh_home()
        if self.session_kind == "drill":
            self._drill_finished(session)
            return
        if session is not None and session.records:
            if session.session_id and self.runtime.store is not None:
                self.open_report(session.session_id)
            else:
                from ..app.reports import from_records

                self.show_report(from_records([r.to_dict() for r in session.records], summary,
                                              fmt=session.config.format, mode=session.config.mode,
                                              questions=session.questions, bank=self.runtime.bank))
        elif self.current_page() == "interview":
            self.goto("home")
            self.status_label.setText("The interview ended before any answer was recorded.")

    def _sync_actions(self) -> None:
        drill = self.session_kind == "drill"
        page = self._session_page()
        on_page = self.current_page() == ("drill" if drill else "interview")
        self.act_done.setEnabled(on_page and page.done_button.isEnabled())
        self.act_repeat.setEnabled(on_page and not drill and page.repeat_button.isEnabled())
        self.act_skip.setEnabled(on_page and not drill and page.skip_button.isEnabled())
        self.act_pause.setEnabled(on_page and not drill and page.pause_button.isEnabled())
        self.act_end.setEnabled(page.end_button.isEnabled())
        has_report = self.report.report is not None
        self.act_export_html.setEnabled(has_report)
        self.act_export_pdf.setEnabled(has_report)

    # -- reports -------------------------------------------------------------------------
    def open_report(self, sid: str) -> None:
        rt = self.runtime
        if rt is None or rt.store is None:
            return
        store, bank = rt.store, rt.bank
        self.busy("Opening the report…")

        def build():
            from ..app.reports import drill_from_session, from_store

            data = store.session(sid)
            if data.get("format") == "drill":  # a timed drill reopens as its drill report
                drill = drill_from_session(data, bank)
                if drill is not None:
                    return "drill", drill
            report = from_store(data, bank)
            report["persona"] = data.get("persona")
            return "report", report

        def failed(problem: str, fix: str) -> None:
            self.idle("")
            error_dialog(self, "Cannot open the report", problem, fix)

        def show(result) -> None:
            self.idle("")
            kind, value = result
            if kind == "drill":
                self.show_drill_report(*value)
            else:
                self.show_report(value)

        run_task(build, show, failed)

    def show_drill_report(self, report: dict, analysis: dict, prompt: str) -> None:
        self.drill.show_report(report, analysis, prompt)
        self.goto("drill")
        self.drill_report_shown.emit(report)

    def show_report(self, report: dict) -> None:
        self.report.show_report(report, self.runtime.bank if self.runtime else None)
        self.goto("report")
        self.report_shown.emit(report)

    # -- help ----------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in SHORTCUTS)
        box = QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts",
                          f"<table cellpadding='3'>{rows}</table><p>Alt plus the underlined letter presses a "
                          "button; Tab moves between controls.</p>", QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_dialog = box

    def _open_logs(self) -> None:
        from ..paths import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def _about(self) -> None:
        from .. import __version__

        box = QMessageBox(QMessageBox.Icon.Information, "About",
                          f"ML Mock Interviewer {__version__}\n\nAn offline, voice-driven mock interviewer. Speech "
                          "recognition, the interviewer's language model and your history all stay on this computer.",
                          QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- closing -------------------------------------------------------------------------
    def _busy_workers(self) -> list[str]:
        busy = []
        if self.session_thread is not None and self.session_thread.running:
            busy.append("session")
        if self.loader is not None and self.loader.running:
            busy.append("loader")
        if self.monitor is not None and self.monitor.running:
            busy.append("monitor")
        return busy

    def _maybe_finish_close(self) -> None:
        if self._closing:
            QTimer.singleShot(0, self.close)

    def closeEvent(self, event) -> None:
        busy = self._busy_workers()
        if not busy or self._close_now:
            self.report.stop_playback()
            event.accept()
            return
        # Ask the workers to stop and close when they have: never block the GUI thread.
        event.ignore()
        if self._closing:
            return
        self._closing = True
        if "session" in busy:
            self.busy("Stopping the interview and saving what you said…")
            self.session.end()  # the SessionWorker: ends the session, or stops it before it starts
        else:
            self.busy("Closing…")
        self.stop_monitor()
        for t in (self.session_thread, self.loader, self.monitor):
            if t is not None and t.running:  # each worker's end calls close() again
                t.thread.finished.connect(self._maybe_finish_close)
        QTimer.singleShot(20_000, self._force_close)

    def _force_close(self) -> None:
        """A worker that has not stopped in 20 s: everything answered is already committed."""
        log.warning("closing with workers still running: %s", self._busy_workers())
        self._close_now = True
        self.close()
