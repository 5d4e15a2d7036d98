"""The session controller: plans every session through app/plans.py, runs it on a
SessionWorker thread, forwards the candidate's commands, and turns the end of a session
(or a History entry) into the right report through app/reports.py.

It owns no widget. The window listens to its signals and moves pages; pages receive the
session's events from `event`, on the GUI thread. Slow preparation (the demo's recorded
answers, reading a project, checking WAV files) runs on the thread pool, so the GUI
thread never waits.
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QObject, Signal

from .workers import SessionWorker, ThreadedWorker, run_task

log = logging.getLogger(__name__)

KIND_NAMES = {"interview": "interview", "drill": "drill", "rehearsal": "rehearsal"}


class SessionController(QObject):
    busy = Signal(str)  # a status line while something is prepared
    idle = Signal(str)
    launched = Signal(object, bool)  # the SessionPlan, answered by recordings (demo or the user's WAVs)
    event = Signal(object)  # an engine event (engine/events.py), on the GUI thread
    problem = Signal(str, str, str, str)  # title, problem, fix, error type ("AudioError": no microphone)
    finished = Signal(object)  # the summary (None when the session could not run)
    report_ready = Signal(dict)  # an interview or rehearsal report (app/report_data shape)
    drill_report_ready = Signal(dict, dict, str)  # drill report, analysis, prompt
    nothing_recorded = Signal(str)  # the kind of session that ended with no answer
    state_changed = Signal(str)

    def __init__(self, settings, *, source_factory: Callable, player_factory: Callable,
                 file_source_factory: Callable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.runtime = None
        self.source_factory = source_factory
        self.player_factory = player_factory
        self.file_source_factory = file_source_factory
        self.demo = False
        self.worker: SessionWorker | None = None
        self.thread: ThreadedWorker | None = None
        self.plan = None
        self.kind = "interview"  # or "drill" or "rehearsal": which page shows the running session
        self.state = "idle"
        self.closing = False
        self.preparing = False  # the demo's answers or a project are being read: no second start
        self._over = False  # the running session has reported its end
        self._demo_session = False  # the running (or last) session is the demo's

    # -- state -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """A session is on: from launch until it has finished (its thread may still be winding down)."""
        return self.thread is not None and self.thread.running and not self._over

    def _can_start(self) -> bool:
        if self.runtime is None:
            self.idle.emit("The models are still loading.")
            return False
        return not self.running and not self.preparing

    def _prepare(self, message: str, fn: Callable, then: Callable, title: str) -> None:
        """Run `fn` on the thread pool, then `then(result)`; no other session starts meanwhile."""
        self.preparing = True
        self.busy.emit(message)

        def done(result) -> None:
            self.preparing = False
            self.idle.emit("")
            then(result)

        def failed(problem: str, fix: str) -> None:
            self.preparing = False
            self.idle.emit("")
            self.problem.emit(title, problem, fix, "UserError")
            self.finished.emit(None)

        run_task(fn, done, failed)

    def _plan(self, planner, *args, **options):
        """A plan from app/plans.py, or None after saying why."""
        from ..errors import UserError

        try:
            return planner(self.runtime, *args, **options)
        except UserError as exc:
            self.problem.emit("The session could not start", exc.problem, exc.fix, type(exc).__name__)
            self.finished.emit(None)
            return None

    # -- interviews ------------------------------------------------------------------------
    def start_interview(self, options: dict) -> None:
        from ..app.plans import plan_interview

        if self.demo:
            self.start_demo()
            return
        if self._can_start():
            plan = self._plan(plan_interview, **options)
            if plan is not None:
                self._launch(plan)

    def start_recorded(self, options: dict, paths: list) -> None:
        """An interview answered from the user's own WAV files: one per question, in order,
        so no follow-ups (each would take the next question's recording)."""
        from ..app.plans import plan_interview

        if not self._can_start():
            return
        options = {**options, "n_questions": len(paths), "minutes": None, "max_follow_ups": 0}
        plan = self._plan(plan_interview, **options)
        if plan is not None:
            self._launch(plan, source=self.file_source_factory(paths), recorded=True)

    def practice_due(self, question_ids: list[str]) -> None:
        from ..app.plans import plan_interview

        if self._can_start():
            plan = self._plan(plan_interview, format="mixed", n_questions=len(question_ids),
                              question_ids=list(question_ids))
            if plan is not None:
                self._launch(plan)

    def resume(self, row: dict, nothing_left: Callable[[], None] = lambda: None) -> None:
        """Continue an interrupted session in the same history entry. Planned off the GUI
        thread: the answer the interruption cut off is transcribed first. `nothing_left`
        when no question was left to ask (the session is then finished)."""
        from ..app.plans import plan_resume

        if not self._can_start() or not row.get("remaining_question_ids"):
            return
        rt = self.runtime

        def resumed(plan) -> None:
            if plan is None:
                nothing_left()
            else:
                self._launch(plan)

        self._prepare("Picking up where you left off…", lambda: plan_resume(rt, row), resumed,
                      "Could not resume the session")

    def start_demo(self) -> None:
        """The scripted demo: one question, answered by the demo's recordings, one follow-up."""
        from ..app.plans import SessionPlan, config_from_settings
        from ..app.demo_answers import DEMO_OPTIONS, demo_answers, demo_question

        if not self._can_start():
            return

        def prepared(paths) -> None:
            config = config_from_settings(self.settings, format=DEMO_OPTIONS["format"], mode=DEMO_OPTIONS["mode"],
                                          n_questions=DEMO_OPTIONS["n_questions"],
                                          max_follow_ups=DEMO_OPTIONS["max_follow_ups"])
            self._launch(SessionPlan("interview", config, [demo_question()]), source=self.file_source_factory(paths),
                         demo=True)

        self._prepare("Preparing the demo answers…", demo_answers, prepared, "The demo could not start")

    # -- the timed drill -------------------------------------------------------------------
    def start_drill(self, options: dict) -> None:
        """Options from the drill page: {concept, question_id, target_s, audience}."""
        if not self._can_start():
            return
        if not self.demo:
            self._launch_drill(options)
            return
        from ..app.demo_drills import DRILL_OPTIONS, drill_answers

        options = {**DRILL_OPTIONS, "audience": options.get("audience", "interviewer")}
        self._prepare("Preparing the demo answer…", drill_answers,
                      lambda paths: self._launch_drill(options, source=self.file_source_factory(paths), demo=True),
                      "The demo drill could not start")

    def _launch_drill(self, options: dict, source=None, demo: bool = False) -> None:
        from ..app.plans import plan_drill

        plan = self._plan(plan_drill, target_s=int(options["target_s"]), question_id=options.get("question_id"),
                          concept=options.get("concept"), non_expert=options.get("audience") == "non_expert")
        if plan is not None:
            self._launch(plan, source=source, demo=demo)

    # -- project rehearsal -----------------------------------------------------------------
    def start_rehearsal(self, options: dict) -> None:
        """Options from My projects: {project_id, title, pitch_s, deep_dives, persona}."""
        from ..app.plans import plan_rehearsal

        if not self._can_start() or self.runtime.store is None:
            return
        rt, demo = self.runtime, self.demo
        pitch_s, deep_dives = int(options.get("pitch_s") or 120), int(options.get("deep_dives") or 0)

        def prepare():  # a worker thread: the store, the bank, and in the demo espeak-ng
            project = rt.store.project(options["project_id"])
            if demo:
                from ..app.demo_drills import DEMO_PROJECT, rehearsal_answers

                if project.title != DEMO_PROJECT["title"]:
                    from ..errors import UserError

                    raise UserError(f"The demo can only rehearse its own project, “{DEMO_PROJECT['title']}”: its "
                                    "answers are recordings about that project, not yours.",
                                    "Pick the demo project, or leave the demo to rehearse your own project out loud.")
            plan = plan_rehearsal(rt, project, pitch_s=pitch_s, deep_dives=deep_dives,
                                  persona=options.get("persona") or None, seed=options.get("seed"))
            return plan, (rehearsal_answers() if demo else None)

        def prepared(result) -> None:
            plan, paths = result
            self._launch(plan, source=self.file_source_factory(paths) if paths else None, demo=demo)

        self._prepare("Preparing the rehearsal…" + (" (making the demo's recorded answers)" if demo else ""),
                      prepare, prepared, "The rehearsal could not start")

    # -- running ---------------------------------------------------------------------------
    def _launch(self, plan, source=None, demo: bool = False, recorded: bool = False) -> None:
        """Run a planned session on its own thread."""
        from ..app.plans import start

        rt = self.runtime
        if rt is None or self.running:
            return
        source_factory, player_factory, device = self.source_factory, self.player_factory, self.settings.input_device
        tags = {"demo": True} if demo else None

        def build(on_event):  # on the session's thread: opening devices can take a moment
            src = source if source is not None else source_factory(device)
            return start(rt, plan, source=src, on_event=on_event, player=player_factory(), tags=tags)

        worker = SessionWorker(build)
        self.worker, self.plan, self.kind, self.state = worker, plan, plan.kind, "starting"
        self._over = False
        self._demo_session = demo
        worker.event.connect(self._on_event)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        self.thread = ThreadedWorker(worker, "session")
        self.launched.emit(plan, demo or recorded)
        self.thread.start()

    def _on_event(self, event) -> None:
        from ..engine import ErrorRaised, StateChanged

        if isinstance(event, StateChanged):
            self.state = event.state.value
        self.event.emit(event)
        if isinstance(event, StateChanged):
            self.state_changed.emit(self.state)
        if isinstance(event, ErrorRaised):
            title = "Microphone problem" if "microphone" in (event.message + event.fix).lower() else \
                f"The {KIND_NAMES.get(self.kind, 'session')} needs your attention"
            self.problem.emit(title, event.message, event.fix, "ErrorRaised")

    def _on_failed(self, problem: str, fix: str, error_type: str) -> None:
        if not self.closing:
            self.problem.emit(f"The {KIND_NAMES.get(self.kind, 'session')} could not run", problem, fix, error_type)

    def command(self, name: str) -> None:
        """done, repeat, skip, pause, resume or end, from the page or the keyboard."""
        worker = self.worker
        if worker is None or not self.running:
            return
        if name == "end":
            worker.end()
            self.busy.emit("Stopping the drill…" if self.kind == "drill" else
                           "Ending the interview and saving what you said…")
        elif worker.session is not None:
            if name == "done" and self.state != "listening":
                return
            getattr(worker.session, name)()

    def end(self) -> None:
        if self.worker is not None:
            self.worker.end()

    def _on_finished(self, summary) -> None:
        session = self.worker.session if self.worker is not None else None
        self.state = "finished"
        self._over = True
        self.idle.emit("")
        self.finished.emit(summary)
        if self.closing:
            return
        if self.kind == "drill":
            from ..app.reports import drill_from_records

            result = drill_from_records(self.plan, session.records if session is not None else [],
                                        session.session_id if session is not None else None)
            if result is None:
                self.nothing_recorded.emit("drill")
            else:
                result[0]["demo"] = self._demo_session  # as it reads when reopened from History
                self.drill_report_ready.emit(*result)
            return
        if session is None or not session.records:
            self.nothing_recorded.emit(self.kind)
        elif session.session_id and self.runtime.store is not None:
            self.open_report(session.session_id)
        else:
            from ..app.reports import from_records

            report = from_records([r.to_dict() for r in session.records], summary, fmt=session.config.format,
                                  mode=session.config.mode, questions=session.questions, bank=self.runtime.bank)
            self.report_ready.emit(report)

    # -- reports ---------------------------------------------------------------------------
    def open_report(self, sid: str) -> None:
        """A History entry (or the session that just ended) as its report: a drill reopens
        as its drill report."""
        rt = self.runtime
        if rt is None or rt.store is None:
            return
        store, bank = rt.store, rt.bank
        self.busy.emit("Opening the report…")

        def build():
            from ..app.history import is_demo
            from ..app.reports import drill_from_session, from_store

            data = store.session(sid)
            if data.get("format") == "drill":
                drill = drill_from_session(data, bank)
                if drill is not None:
                    drill[0]["demo"] = is_demo(data)
                    return "drill", drill
            report = from_store(data, bank)
            report["persona"] = data.get("persona")
            report["demo"] = is_demo(data)
            return "report", report

        def show(result) -> None:
            self.idle.emit("")
            kind, value = result
            if kind == "drill":
                self.drill_report_ready.emit(*value)
            else:
                self.report_ready.emit(value)

        def failed(problem: str, fix: str) -> None:
            self.idle.emit("")
            self.problem.emit("Cannot open the report", problem, fix, "UserError")

        run_task(build, show, failed)

    def close_incomplete(self, sid: str, how: str, done: Callable[[], None]) -> None:
        store = self.runtime.store if self.runtime else None
        if store is None:
            return
        run_task(lambda: store.finish_session(sid, {"interrupted": True, how: True}), lambda _r: done(),
                 lambda p, f: self.problem.emit("Could not update the session", p, f, "UserError"))
