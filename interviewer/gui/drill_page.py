"""Timed drill: explain one thing out loud against the clock, then see how the time went.

Three views on one page: the set-up (drill_setup), speaking (here: the question, a big
countdown that turns to overtime past the target, the state, a level meter, what you
are saying, Done), and the drill report (drill_report_view).

Like the interview page, it only reacts to session events (delivered on the GUI thread)
and asks the window to run things; it never touches an engine.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from .answer_clock import AnswerClock
from .event_table import EventTable
from .drill_report_view import DrillReportMixin
from .drill_setup import DrillSetupMixin
from .drill_widgets import Countdown
from .level_meter import LevelMeter
from .ui import caption, card, heading, page_layout, primary, unit, wrap_label
from .wording import STATE_TEXT, clock

SETUP, RUNNING, REPORT = range(3)
DRILL_STATES = {"thinking": "Working out how you did…", "over": "Time's up: working out how you did…",
                "speaking": "Reading the question (the clock starts after it)"}
QUESTION_SCALE = 1.45


class DrillPage(DrillSetupMixin, DrillReportMixin, QWidget):
    start_requested = Signal(dict)  # {concept, question_id, target_s, audience}; see options()
    done_requested = Signal()
    end_requested = Signal()
    demo_requested = Signal()
    report_shown = Signal(dict)
    export_finished = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bank = None
        self.ready = False
        self.busy = False
        self.demo = False
        self.microphone: bool | None = None
        self.state = "idle"
        self.running = False
        self.target_s = 60
        self.report: dict | None = None
        self.analysis: dict | None = None
        self.prompt = ""
        self.last_options: dict | None = None
        self.clock = AnswerClock()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.views = QStackedWidget()
        outer.addWidget(self.views)
        self.views.addWidget(self._build_setup())
        self.views.addWidget(self._build_running())
        self.views.addWidget(self._build_report())

        self._clock = QTimer(self)
        self._clock.setInterval(200)
        self._clock.timeout.connect(self._tick)
        self.set_ready(False)

    # -- speaking --------------------------------------------------------------------------
    def _build_running(self) -> QWidget:
        page = QWidget()
        lay = page_layout(page)
        self.run_caption = caption()
        qcard, qbox = card()
        self.question = heading("", QUESTION_SCALE)
        self.question.setAccessibleName("Question")
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        qbox.addWidget(self.question)
        self.countdown = Countdown()
        lay.addWidget(self.run_caption)
        lay.addWidget(qcard)
        lay.addWidget(self.countdown)

        state_row = QHBoxLayout()
        state_row.setSpacing(unit(self))
        self.state_label = QLabel(STATE_TEXT["starting"])
        self.state_label.setObjectName("pill")
        self.state_label.setAccessibleName("Drill state")
        self.state_label.setWordWrap(False)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        widest = max(self.fontMetrics().horizontalAdvance(t) for t in (*STATE_TEXT.values(), *DRILL_STATES.values()))
        self.state_label.setFixedWidth(widest + self.fontMetrics().height() * 2)
        self.working = QProgressBar()
        self.working.setRange(0, 0)
        self.working.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 4)
        self.working.setFixedHeight(max(4, self.fontMetrics().height() // 4))
        self.working.setAccessibleName("Working")
        policy = self.working.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.working.setSizePolicy(policy)
        self.working.hide()
        self.meter = LevelMeter()
        self.meter.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 12)
        state_row.addWidget(self.state_label)
        state_row.addWidget(self.working)
        state_row.addWidget(QLabel("Mic"))
        state_row.addWidget(self.meter, 1)
        state_row.addStretch(1)
        lay.addLayout(state_row)

        self.live = wrap_label()
        self.live.setAccessibleName("What you are saying")
        self.live.setProperty("role", "dim")
        self.live.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
        self.live.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + unit(self))
        self.live.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        lay.addWidget(self.live)
        lay.addStretch(1)

        buttons = QHBoxLayout()
        self.done_button = primary(QPushButton("&Done (Space)"))
        self.end_button = QPushButton("S&top the drill (Ctrl+E)")
        self.done_button.clicked.connect(self.done_requested)
        self.end_button.clicked.connect(self.end_requested)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        buttons.addWidget(self.end_button)
        lay.addLayout(buttons)
        return page

    def begin(self, prompt: str, target_s: int, audience: str, demo: bool = False) -> None:
        """A drill is starting: show the speaking view."""
        self.prompt = prompt
        self.target_s = int(target_s)
        self.report = None
        who = "for a non-expert" if audience == "non_expert" else "for an interviewer"
        self.run_caption.setText(("Demo drill (the answer is a recording) · " if demo else "Timed drill · ")
                                 + f"target {clock(target_s)} · {who}")
        self.question.setText(prompt)
        self.countdown.set_target(target_s)
        self.live.setText("")
        self.clock.reset()
        self.views.setCurrentIndex(RUNNING)
        self._set_state("starting")
        self.set_running(True)
        self._clock.start()

    def set_running(self, running: bool) -> None:
        self.running = running
        self._update_buttons()
        if not running:
            self._clock.stop()
            self.working.hide()
            self.meter.set_level(0.0)
            self._tick()

    def _update_buttons(self) -> None:
        self.done_button.setEnabled(self.running and self.state == "listening")
        self.end_button.setEnabled(self.running and self.state != "finished")

    def on_event(self, event) -> None:
        self._handlers.dispatch(self, event)

    def _on_question(self, e) -> None:
        self.prompt = e.prompt or self.prompt
        self.question.setText(self.prompt)

    def _on_state(self, e) -> None:
        self._set_state(e.state.value)

    def _on_level(self, e) -> None:
        self.meter.set_level(e.value, e.voiced)

    def _on_partial(self, e) -> None:
        self.live.setText(e.text)

    def _on_final(self, e) -> None:
        self.live.setText(e.text or "(nothing was heard)")

    def _on_interviewer(self, e) -> None:
        if e.kind == "clarification":
            self.live.setText(f"Interviewer: {e.text}")

    def _on_barge_in(self, _e) -> None:
        self._set_state("listening")

    def _on_finished(self, _e) -> None:
        self._set_state("finished")
        self.set_running(False)

    _handlers = EventTable({
        "QuestionAsked": _on_question, "StateChanged": _on_state, "LevelChanged": _on_level,
        "Partial": _on_partial, "Final": _on_final, "InterviewerSaid": _on_interviewer,
        "BargedIn": _on_barge_in, "Finished": _on_finished,
    })

    def _set_state(self, state: str) -> None:
        self.clock.on_state(state)
        self.state = state
        text = STATE_TEXT.get(state, state.title())
        if state == "thinking":
            text = DRILL_STATES["over"] if self.countdown.over else DRILL_STATES["thinking"]
        elif state == "speaking":
            text = DRILL_STATES["speaking"]
        self.state_label.setText(text)
        self.state_label.setProperty("state", state)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self.working.setVisible(state in ("thinking", "starting"))
        if state != "listening":
            self.meter.set_level(0.0)
        self._update_buttons()
        self._tick()

    def answer_seconds(self) -> float:
        return self.clock.seconds()

    def _tick(self) -> None:
        self.countdown.set_elapsed(self.answer_seconds(), running=self.state == "listening")

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.report:
            self._render_report()
        super().changeEvent(event)
