"""The window's side of sessions: starting one from a page (never two at once), moving to
its page when it launches, passing its events to that page, saying what went wrong in
a dialog that offers a way forward, and showing the report it ends with. The session
controller does the work; this is a mixin of MainWindow.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer

from .dialogs import error_dialog
from .workers import RuntimeLoader, ThreadedWorker
from .wording import NO_MIC_FIX
from .workers import run_task

log = logging.getLogger(__name__)


class WindowSessions:
    # -- the models every session uses: loaded on a worker right after the window shows --
    def start_loading(self) -> None:
        if self.loader is not None or self.runtime is not None:
            return
        self.busy("Loading the models…")
        self.home.set_ready(False)
        loader = RuntimeLoader(self.runtime_factory)
        # Worker signals go to bound methods of GUI objects: a lambda would run on the worker's thread.
        loader.progress.connect(self.busy)
        loader.loaded.connect(self._runtime_loaded)
        loader.failed.connect(self._runtime_failed)
        loader.finished.connect(self._maybe_finish_close)
        self.loader = ThreadedWorker(loader, "model-loader")
        self.loader.start()

    def _runtime_loaded(self, runtime) -> None:
        self.runtime = runtime
        self.controller.runtime = runtime
        if self._closing:
            return
        secs = getattr(runtime, "load_seconds", {}).get("total")
        self.idle(f"Models ready{f' in {secs:.1f} s' if secs else ''}.")
        self.home.set_ready(True)
        self.drill.set_bank(runtime.bank)
        self.drill.set_ready(True)
        self.mic.set_transcriber(getattr(runtime, "transcriber", None))
        self.history.set_store(runtime.store, runtime.bank)
        self.questions.set_llm(getattr(runtime, "llm", None))
        if self.demo and runtime.store is not None:
            self._add_demo_project()
        else:
            self.projects.set_store(runtime.store)
        self.settings_page.set_runtime(runtime)
        recovered = getattr(runtime.store, "recovered", None) if runtime.store is not None else None
        if recovered:
            from .wording import plural

            self.status_label.setText(f"Recovered {plural(len(recovered), 'recording')} cut off when the app last "
                                      "stopped.")
        self.refresh_home()
        if self.current_page() == "history":
            self.history.reload()
        self.runtime_ready.emit(runtime)
        if self.demo and self.autostart_demo:
            self.autostart_demo = False
            self.controller.start_demo()

    def _runtime_failed(self, problem: str, fix: str) -> None:
        self.idle("The models could not be loaded.")
        self.home.set_ready(False, f"The models could not be loaded: {problem}")
        self.drill.set_ready(False, f"The models could not be loaded: {problem}")
        self.runtime_failed.emit(problem, fix)
        if not self._closing:
            error_dialog(self, "Models could not be loaded", problem, fix,
                         actions=[("Open &Settings", lambda: self.goto("settings"))],
                         fallback="Open Settings to choose a model, or add one you have with its Browse button.")

    def refresh_home(self) -> None:
        rt = self.runtime
        if rt is None or rt.store is None:
            return
        store, bank, known = rt.store, rt.bank, self.history.labels

        def query():
            from ..app.practice import due_today

            from ..app.history import own_practice

            return (store.incomplete_sessions(), due_today(store, bank),
                    own_practice(store, store.progress(bank=bank), known))

        def done(result) -> None:
            incomplete, due, progress = result
            self.home.set_incomplete(incomplete)
            self.home.set_due(due, progress)

        run_task(query, done, lambda p, f: log.warning("home refresh failed: %s", p))

    # -- sessions --------------------------------------------------------------------------
    def _guarded(self, start, *args) -> None:
        """Start a session unless one is running; pages are busy until it ends."""
        if self.controller.running or self.controller.preparing:
            return
        self._set_busy(True)
        start(*args)
        if not self.controller.running and not self.controller.preparing:
            self._set_busy(False)  # it did not start (still loading, or a dialog said why)

    def _start_interview(self, options: dict) -> None:
        self._guarded(self.controller.start_interview, options)

    def start_interview(self, options: dict) -> None:  # the old name, kept for tests and scripts
        self._start_interview(options)

    def resume_incomplete(self, row: dict) -> None:
        def nothing_left() -> None:  # every question was answered after all: the session is finished now
            self._set_busy(False)
            self.refresh_home()

        self._guarded(self.controller.resume, row, nothing_left)

    def command(self, name: str) -> None:
        if name == "done" and self._session_page().state != "listening":
            return
        self.controller.command(name)

    def _session_page(self):
        return self.drill if self.controller.kind == "drill" else self.interview

    def _launched(self, plan, recorded: bool) -> None:
        self.mic_ctl.stop_monitor()
        self.report.stop_playback()
        if plan.kind == "drill":
            d = plan.drill
            self.drill.begin(d["prompt"], d["target_s"], d["audience"], recorded)
        else:
            context = plan.title if plan.kind == "rehearsal" else ("Demo" if self.demo else "")
            self.interview.reset(plan.config.mode, recorded, context)
        self._set_busy(True)
        self.goto("drill" if plan.kind == "drill" else "interview")
        self._sync_actions()
        self.session_started.emit()

    def _session_event(self, event) -> None:
        from ..engine import Finished, QuestionAsked, StateChanged

        self._session_page().on_event(event)
        if isinstance(event, (StateChanged, QuestionAsked, Finished)):
            self._sync_actions()

    def _problem(self, title: str, problem: str, fix: str, error_type: str) -> None:
        if self._closing:
            return
        if error_type == "AudioError":  # no microphone: say so, and offer what works without one
            self.mic_ctl.scan(again=True)
            actions = [("Try the &demo", self.switch_to_demo), ("Answer from recordin&gs…", self.ask_recordings)]
            error_dialog(self, "No microphone", problem, fix if fix else NO_MIC_FIX, actions=actions)
            return
        error_dialog(self, title, problem, fix)

    def _set_busy(self, busy: bool) -> None:
        """A session is running (or being prepared): no second one from any page."""
        self.home.set_busy(busy)
        self.drill.set_busy(busy)
        self.projects.set_busy(busy)

    def _session_finished(self, summary) -> None:
        self._session_page().set_running(False)
        self._set_busy(False)
        self._sync_actions()
        self.session_finished.emit(summary)
        if self._closing:
            QTimer.singleShot(0, self, self.close)
            return
        self.refresh_home()
        if self._leave_demo_after:
            self._leave_demo_after = False
            QTimer.singleShot(0, self, self.leave_demo)

    def _nothing_recorded(self, kind: str) -> None:
        if kind == "drill":
            self.drill.show_setup("No answer was recorded. Check the microphone (Ctrl+8) and try again.")
            if self.current_page() in ("drill", "interview"):
                self.goto("drill")
        elif self.current_page() == "interview":
            self.goto("home")
            self.status_label.setText("The interview ended before any answer was recorded.")

    def _sync_actions(self) -> None:
        drill = self.controller.kind == "drill"
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

    # -- reports ---------------------------------------------------------------------------
    def open_report(self, sid: str) -> None:
        self.controller.open_report(sid)

    def show_drill_report(self, report: dict, analysis: dict, prompt: str) -> None:
        self.drill.show_report(report, analysis, prompt)
        self.goto("drill")
        self.drill_report_shown.emit(report)

    def show_report(self, report: dict) -> None:
        self.report.show_report(report, self.runtime.bank if self.runtime else None)
        self.goto("report")
        self.report_shown.emit(report)
