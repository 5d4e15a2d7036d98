"""The interview: the question, a timer against its target, the live transcript, the
state, a level meter, and the actions. Follow-ups and clarifications form a thread.

It only reacts to session events (delivered on the GUI thread by SessionWorker) and
forwards the user's commands to the session, which is thread-safe. It stays calm: the
detailed feedback waits for the report (in Study mode a short note follows each answer).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QTextBrowser, QVBoxLayout,
                               QWidget)

from .answer_clock import AnswerClock
from .level_meter import LevelMeter
from .pacing_chart import fmt_clock
from .palette import css, text_color, tint
from .report_page import heading, wrap_label
from ..engine import events as ev

STATE_TEXT = {
    "speaking": "Interviewer speaking",
    "listening": "Listening",
    "thinking": "Thinking…",
    "paused": "Paused",
    "finished": "Finished",
    "starting": "Starting…",
}
KIND_TEXT = {"question": "", "follow_up": "follow-up", "clarification": "clarification", "ack": "", "repeat": "repeat",
             "redirect": "back to the question"}


class InterviewPage(QWidget):
    # the user's commands; the main window forwards them to the session
    done_requested = Signal()
    repeat_requested = Signal()
    skip_requested = Signal()
    pause_requested = Signal()
    resume_requested = Signal()
    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = "idle"
        self.thread_items: list[dict] = []
        self.target_seconds = 0
        self.clock = AnswerClock()
        self.mode = "study"
        self.context = ""

        lay = QVBoxLayout(self)
        lay.setSpacing(self.fontMetrics().height() // 2)
        self.progress_label = wrap_label()
        self.question = heading("The interview starts when the models are ready.", 1.45)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question.setAccessibleName("Question")
        lay.addWidget(self.progress_label)
        lay.addWidget(self.question)

        timer_row = QHBoxLayout()
        self.timer_label = QLabel("0:00")
        self.timer_label.setAccessibleName("Answer time")
        self.timer_bar = QProgressBar()
        self.timer_bar.setTextVisible(False)
        self.timer_bar.setRange(0, 1000)
        self.timer_bar.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
        self.timer_bar.setAccessibleName("Answer time against the target")
        timer_row.addWidget(self.timer_label)
        timer_row.addWidget(self.timer_bar, 1)
        lay.addLayout(timer_row)

        state_row = QHBoxLayout()
        self.state_label = heading(STATE_TEXT["starting"], 1.1)
        self.state_label.setAccessibleName("Interview state")
        self.meter = LevelMeter()
        self.working = QProgressBar()  # the transcript, the analysis and the reply take a moment
        self.working.setRange(0, 0)
        self.working.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 8)
        self.working.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
        self.working.setAccessibleName("Working")
        self.working.hide()
        state_row.addWidget(self.state_label)
        state_row.addWidget(self.working)
        state_row.addStretch(1)
        state_row.addWidget(QLabel("Mic:"))
        state_row.addWidget(self.meter, 1)
        lay.addLayout(state_row)

        self.live = wrap_label()
        self.live.setAccessibleName("Live transcript")
        self.live.setMinimumHeight(self.fontMetrics().height() * 3)
        self.live.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.live.setFrameShape(QFrame.Shape.StyledPanel)
        self.live.setMargin(6)
        lay.addWidget(self.live)

        self.thread = QTextBrowser()
        self.thread.setAccessibleName("Conversation")
        self.thread.setOpenLinks(False)
        lay.addWidget(self.thread, 1)

        buttons = QHBoxLayout()
        self.done_button = QPushButton("&Done answering (Space)")
        self.repeat_button = QPushButton("Rep&eat question (R)")
        self.skip_button = QPushButton("S&kip (S)")
        self.pause_button = QPushButton("&Pause (P)")
        self.end_button = QPushButton("E&nd interview (Ctrl+E)")
        self.done_button.setDefault(True)
        for b in (self.done_button, self.repeat_button, self.skip_button, self.pause_button, self.end_button):
            buttons.addWidget(b)
        buttons.insertStretch(4, 1)
        lay.addLayout(buttons)
        self.done_button.clicked.connect(self.done_requested)
        self.repeat_button.clicked.connect(self.repeat_requested)
        self.skip_button.clicked.connect(self.skip_requested)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.end_button.clicked.connect(self.end_requested)
        self.setTabOrder(self.done_button, self.repeat_button)
        self.setTabOrder(self.repeat_button, self.skip_button)
        self.setTabOrder(self.skip_button, self.pause_button)
        self.setTabOrder(self.pause_button, self.end_button)

        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._tick)
        self.set_running(False)

    # -- lifecycle -----------------------------------------------------------------------
    def reset(self, mode: str = "study", demo: bool = False, context: str = "") -> None:
        """A new session. `context` (e.g. "Rehearsal: <project> · <persona>") heads the progress line."""
        self.mode = mode
        self.context = context
        self.thread_items = []
        self.thread.clear()
        self.live.clear()
        lead = "Demo interview: the answers are recordings." if demo else ""
        self.progress_label.setText(" · ".join(x for x in (context, lead) if x))
        self.question.setText("Getting the first question ready…")
        self.target_seconds = 0
        self.clock.reset()
        self._set_state("starting")
        self.set_running(True)
        self._clock.start()

    def set_running(self, running: bool) -> None:
        self.running = running
        self._update_buttons()
        if not running:
            self.working.hide()
            self._clock.stop()
            self.meter.set_level(0.0)

    def _update_buttons(self) -> None:
        live = self.running and self.state not in ("finished",)
        self.done_button.setEnabled(live and self.state == "listening")
        self.repeat_button.setEnabled(live and self.state in ("listening", "paused"))
        self.skip_button.setEnabled(live and self.state in ("listening", "speaking", "paused"))
        self.pause_button.setEnabled(live and self.state in ("listening", "paused", "speaking"))
        self.end_button.setEnabled(live)
        self.pause_button.setText("Resume (&P)" if self.state == "paused" else "&Pause (P)")

    def toggle_pause(self) -> None:
        if self.state == "paused":
            self.resume_requested.emit()
        elif self.pause_button.isEnabled():
            self.pause_requested.emit()

    # -- events from the session ---------------------------------------------------------
    def on_event(self, event) -> None:
        handler = self._handlers.get(type(event))
        if handler:
            handler(self, event)

    def _on_question(self, e) -> None:
        from ..bank import CATEGORY_TITLES

        category = CATEGORY_TITLES.get(e.category, e.category.replace("_", " "))
        self.progress_label.setText((f"{self.context} · " if self.context else "")
                                    + f"Question {e.index + 1} of {e.total} · {category}"
                                    f" · aim for about {fmt_clock(e.target_seconds or 0)}")
        self.question.setText(e.prompt)
        self.target_seconds = int(e.target_seconds or 0)
        self.clock.reset()
        self.live.clear()
        if self.thread_items:
            self._add("divider", "")
        self._tick()

    def _on_interviewer(self, e) -> None:
        self._add("interviewer", e.text, "" if e.kind == "question" else KIND_TEXT.get(e.kind.value, ""))

    def _on_state(self, e) -> None:
        self._set_state(e.state.value)

    def _on_level(self, e) -> None:
        self.meter.set_level(e.value, e.voiced)

    def _on_partial(self, e) -> None:
        self.live.setText(e.text)

    def _on_final(self, e) -> None:
        self._add("you", e.text or "(nothing was heard)")
        self.live.clear()

    def _on_analysis(self, e) -> None:
        if not e.show_now:
            return
        a = e.analysis or {}
        s = a.get("scores") or {}
        kps = a.get("key_points") or {}
        total = len(kps.get("covered") or []) + len(kps.get("missed") or [])
        tip = next(iter(a.get("feedback") or []), None)
        parts = []
        if s.get("overall") is not None:
            parts.append(f"Score {s['overall']}")
        if total:
            parts.append(f"{len(kps.get('covered') or [])} of {total} key points")
        if tip:
            parts.append(f"Tip: {tip.get('tip') if isinstance(tip, dict) else tip}")
        if parts:
            self._add("feedback", " · ".join(parts))

    def _on_barge_in(self, _e) -> None:
        self._set_state("listening")

    def _on_finished(self, _e) -> None:
        self._set_state("finished")
        self.set_running(False)

    _handlers = {
        ev.QuestionAsked: _on_question, ev.InterviewerSaid: _on_interviewer, ev.StateChanged: _on_state,
        ev.LevelChanged: _on_level, ev.Partial: _on_partial, ev.Final: _on_final,
        ev.AnalysisReady: _on_analysis, ev.BargedIn: _on_barge_in, ev.Finished: _on_finished,
    }

    # -- state and timer -------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.clock.on_state(state)
        self.state = state
        self.state_label.setText(STATE_TEXT.get(state, state.title()))
        self.working.setVisible(state in ("thinking", "starting"))
        if state != "listening":
            self.meter.set_level(0.0)
        self._update_buttons()
        self._tick()

    def answer_seconds(self) -> float:
        return self.clock.seconds()

    def _tick(self) -> None:
        elapsed = self.answer_seconds()
        if self.target_seconds:
            over = elapsed - self.target_seconds
            extra = f" · {fmt_clock(over)} over" if over > 0 else ""
            self.timer_label.setText(f"{fmt_clock(elapsed)} of {fmt_clock(self.target_seconds)}{extra}")
            self.timer_bar.setValue(int(min(1.0, elapsed / self.target_seconds) * 1000))
        else:
            self.timer_label.setText(fmt_clock(elapsed))
            self.timer_bar.setValue(0)

    # -- the thread ------------------------------------------------------------------------
    def _add(self, who: str, text: str, note: str = "") -> None:
        self.thread_items.append({"who": who, "text": text, "note": note})
        self._render_thread()

    def _render_thread(self) -> None:
        pal = self.palette()
        dim = css(text_color(pal, dim=True))
        you_bg = css(tint(pal, pal.color(pal.ColorRole.Highlight), 0.12))
        parts = []
        for item in self.thread_items:
            text = html.escape(item["text"])
            if item["who"] == "divider":
                parts.append("<hr>")
            elif item["who"] == "interviewer":
                note = f" <span style='color:{dim}'>({item['note']})</span>" if item["note"] else ""
                parts.append(f"<p><b>Interviewer</b>{note}<br>{text}</p>")
            elif item["who"] == "you":
                parts.append(f"<table width='100%' cellpadding='6' style='background-color:{you_bg}'><tr><td>"
                             f"<b>You</b><br>{text}</td></tr></table>")
            else:
                parts.append(f"<p style='color:{dim}'><i>{text}</i></p>")
        self.thread.setHtml("".join(parts))
        bar = self.thread.verticalScrollBar()
        bar.setValue(bar.maximum())

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.thread_items:
            self._render_thread()
        super().changeEvent(event)
