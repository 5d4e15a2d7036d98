"""The interview: the question, large; the interviewer's state in a pill that never
changes size; a timer against the question's target; a level meter; what you are saying;
and the actions. The conversation so far is one click away, not on screen.

It stays calm while the candidate talks (the detail waits for the report): in Study mode
a one-line note follows each answer while the interviewer replies, and goes when the
candidate speaks again. It only reacts to session events (delivered on the GUI thread)
and emits the user's commands; the window forwards them to the session controller.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QTextBrowser, QWidget

from ..analysis.followup import verdict_sentence
from .answer_clock import AnswerClock
from .event_table import EventTable
from .level_meter import LevelMeter
from .palette import css, text_color, tint
from .theme import SUB
from .ui import Disclosure, caption, card, heading, page_layout, primary, unit, wrap_label
from .wording import STATE_TEXT, clock, plural

KIND_TEXT = {"question": "", "follow_up": "follow-up", "clarification": "clarification", "ack": "", "repeat": "repeat",
             "redirect": "back to the question"}
QUESTION_SCALE = 1.45


def fixed_slot(widget: QWidget) -> QWidget:
    """Keep the widget's place when it hides, so nothing beside it moves."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)
    return widget


class InterviewPage(QWidget):
    # the user's commands; the window forwards them to the session controller
    done_requested = Signal()
    repeat_requested = Signal()
    skip_requested = Signal()
    pause_requested = Signal()
    resume_requested = Signal()
    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = "idle"
        self.running = False
        self.thread_items: list[dict] = []
        self._awaiting_accurate: list[int | None] = []  # thread items whose words the accurate pass will replace
        self.target_seconds = 0
        self.clock = AnswerClock()
        self.mode = "study"
        self.context = ""
        self.lead = ""

        lay = page_layout(self)
        self.progress_label = caption()
        self.progress_label.setAccessibleName("Progress")
        lay.addWidget(self.progress_label)

        qcard, qbox = card()
        self.question = heading("The interview starts when the models are ready.", QUESTION_SCALE)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question.setAccessibleName("Question")
        qbox.addWidget(self.question)
        self._large_font = self.question.font()
        self._small_font = heading("", SUB).font()
        self.line_kind = caption()
        self.line = heading("", QUESTION_SCALE)
        self.line.setAccessibleName("What the interviewer just asked")
        qbox.addWidget(self.line_kind)
        qbox.addWidget(self.line)
        self.line_kind.hide()
        self.line.hide()
        lay.addWidget(qcard)

        status = QHBoxLayout()
        status.setSpacing(unit(self))
        self.state_label = QLabel(STATE_TEXT["starting"])
        self.state_label.setObjectName("pill")
        self.state_label.setAccessibleName("Interview state")
        self.state_label.setWordWrap(False)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        widest = max(self.state_label.fontMetrics().horizontalAdvance(t) for t in STATE_TEXT.values())
        self.state_label.setFixedWidth(widest + self.fontMetrics().height() * 2)
        self.working = fixed_slot(QProgressBar())  # the transcript, the analysis and the reply take a moment
        self.working.setRange(0, 0)
        self.working.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 4)
        self.working.setFixedHeight(max(4, self.fontMetrics().height() // 4))
        self.working.setAccessibleName("Working")
        self.working.hide()
        self.meter = LevelMeter()
        self.meter.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 12)
        self.timer_label = QLabel("0:00")
        self.timer_label.setAccessibleName("Answer time")
        self.timer_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("00:00 of 00:00 · 0:00 over"))
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        status.addWidget(self.state_label)
        status.addWidget(self.working)
        status.addWidget(QLabel("Mic"))
        status.addWidget(self.meter, 1)
        status.addStretch(1)
        status.addWidget(self.timer_label)
        lay.addLayout(status)
        self.timer_bar = QProgressBar()
        self.timer_bar.setTextVisible(False)
        self.timer_bar.setRange(0, 1000)
        self.timer_bar.setFixedHeight(max(4, self.fontMetrics().height() // 4))
        self.timer_bar.setAccessibleName("Answer time against the target")
        lay.addWidget(self.timer_bar)

        live_card, live_box = card()
        self.live = wrap_label()
        self.live.setAccessibleName("What you are saying")
        self.live.setProperty("role", "dim")
        self.live.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + unit(self))
        self.live.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
        self.live.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        live_box.addWidget(self.live)
        self.set_live("")
        lay.addWidget(live_card)

        self.note = fixed_slot(caption())
        self.note.setAccessibleName("About your last answer")
        self.note.hide()
        lay.addWidget(self.note)

        self.thread = QTextBrowser()
        self.thread.setAccessibleName("Conversation")
        self.thread.setOpenLinks(False)
        self.thread.setMinimumHeight(self.fontMetrics().height() * 8)
        self.thread_toggle = Disclosure("Show the conversation so far", "Hide the conversation", self.thread)
        lay.addWidget(self.thread_toggle)
        lay.addStretch(1)

        buttons = QHBoxLayout()
        # short labels, the key beside each: the row fits the smallest window without scrolling
        self.done_button = primary(QPushButton("&Done answering (Space)"))
        self.repeat_button = QPushButton("Rep&eat (R)")
        self.skip_button = QPushButton("S&kip (S)")
        self.pause_button = QPushButton("&Pause (P)")
        self.end_button = QPushButton("E&nd (Ctrl+E)")
        self.repeat_button.setToolTip("Repeat the question (R)")
        self.end_button.setToolTip("End the interview; what you said is kept (Ctrl+E)")
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

    # -- lifecycle -------------------------------------------------------------------------
    def reset(self, mode: str = "study", demo: bool = False, context: str = "") -> None:
        """A new session. `context` (e.g. "Rehearsal: <project> · <persona>") heads the progress line."""
        self.mode = mode
        self.context = context
        self.thread_items = []
        self._awaiting_accurate = []
        self.thread.clear()
        self.thread_toggle.set_open(False)
        self.set_live("")
        self.note.hide()
        self._show_line("", "")
        self.lead = "Answered by recordings" if demo else ""
        self.progress_label.setText(" · ".join(x for x in (context, self.lead) if x))
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

    # -- events from the session -----------------------------------------------------------
    def on_event(self, event) -> None:
        self._handlers.dispatch(self, event)

    def _on_question(self, e) -> None:
        from ..content.bank import CATEGORY_TITLES

        category = CATEGORY_TITLES.get(e.category, e.category.replace("_", " "))
        aim = f" · aim for about {clock(e.target_seconds)}" if e.target_seconds else ""
        self.progress_label.setText(" · ".join(x for x in (self.context, self.lead) if x) + (" · " if self.context
                                    or self.lead else "") + f"Question {e.index + 1} of {e.total} · {category}{aim}")
        self.question.setText(e.prompt)
        self._show_line("", "")
        self.target_seconds = int(e.target_seconds or 0)
        self.clock.reset()
        self.set_live("")
        self.note.hide()
        if self.thread_items:
            self._add("divider", "")
        self._tick()

    def _show_line(self, kind: str, text: str) -> None:
        """A follow-up (or clarification) is what the candidate answers now: it takes the
        large type, and the question steps back to the size of a heading."""
        self.line_kind.setText(kind[:1].upper() + kind[1:] if kind else "")
        self.line.setText(text)
        self.line_kind.setVisible(bool(text and kind))
        self.line.setVisible(bool(text))
        self.question.setFont(self._small_font if text else self._large_font)

    def _on_interviewer(self, e) -> None:
        kind = e.kind.value if hasattr(e.kind, "value") else str(e.kind)
        note = KIND_TEXT.get(kind, "")
        self._add("interviewer", e.text, "" if kind == "question" else note)
        if kind in ("follow_up", "clarification", "redirect"):
            self._show_line(note, e.text)
        if kind == "follow_up":
            # a reply has its own clock and no length target (it is not scored on length): the
            # question's "0:47 of 1:30" went on counting through every reply
            self.target_seconds = 0
            self.clock.reset()
            self._tick()

    def _on_state(self, e) -> None:
        self._set_state(e.state.value)

    def _on_level(self, e) -> None:
        self.meter.set_level(e.value, e.voiced)

    def _on_partial(self, e) -> None:
        self.set_live(e.text)

    def set_live(self, text: str) -> None:
        """What the candidate is saying, as it is transcribed; a quiet hint while nothing is."""
        self.live.setText(text or "What you say appears here as you speak.")
        self.live_text = text

    def _on_final(self, e) -> None:
        self._add("you", e.text or "(nothing was heard)")
        self.set_live("")

    def _on_analysis(self, e) -> None:
        self._show_what_was_heard(e)
        if not e.show_now:
            if self.mode == "study" and not e.accurate:  # study feedback waits for the accurate pass
                self.note.setText("Your last answer: scoring it from a second, more careful transcription…")
                self.note.setVisible(self.state != "listening")
            return
        a = e.analysis or {}
        s = a.get("scores") or {}
        kps = a.get("key_points") or {}
        total = len(kps.get("covered") or []) + len(kps.get("missed") or [])
        tip = next(iter(a.get("feedback") or []), None)
        parts = []
        if s.get("overall") is not None:
            parts.append(f"Score {s['overall']}")
        asked = verdict_sentence(e.follow_up_assessment) if e.kind == "follow_up" else ""
        if asked:  # a reply is judged on what the follow-up asked, not on the whole question's points
            parts.append(asked[0].upper() + asked[1:])
        elif total:
            parts.append(f"{len(kps.get('covered') or [])} of {plural(total, 'key point')}")
        if tip:
            parts.append(f"Tip: {tip.get('tip') if isinstance(tip, dict) else tip}")
        if parts:
            text = " · ".join(parts)
            self._add("feedback", text)
            self.note.setText(f"Your last answer: {text}")
            self.note.setVisible(self.state != "listening")

    def _show_what_was_heard(self, e) -> None:
        """Once the accurate pass is in, the conversation shows its words: the live ones are
        tiny.en's, streamed in pieces, and a piece can come out as a sentence nobody said
        ("So if you're not sure what's going on...") where the report has the right words.
        Both analyses of an answer arrive in turn order; a clarification has none."""
        heard = (e.analysis or {}).get("transcript") or ""
        if not e.accurate:  # one entry per answer, None when its words are not on the page
            mine = [i for i, item in enumerate(self.thread_items) if item["who"] == "you" and item["text"] == heard]
            self._awaiting_accurate.append(mine[-1] if mine else None)
        elif self._awaiting_accurate:
            index = self._awaiting_accurate.pop(0)
            if index is not None and heard and self.thread_items[index]["text"] != heard:
                self.thread_items[index]["text"] = heard
                self._render_thread()

    def _on_barge_in(self, _e) -> None:
        self._set_state("listening")

    def _on_finished(self, _e) -> None:
        self._set_state("finished")
        self.set_running(False)

    _handlers = EventTable({
        "QuestionAsked": _on_question, "InterviewerSaid": _on_interviewer, "StateChanged": _on_state,
        "LevelChanged": _on_level, "Partial": _on_partial, "Final": _on_final,
        "AnalysisReady": _on_analysis, "BargedIn": _on_barge_in, "Finished": _on_finished,
    })

    # -- state and timer -------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.clock.on_state(state)
        self.state = state
        self.state_label.setText(STATE_TEXT.get(state, state.title()))
        self.state_label.setProperty("state", state)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self.working.setVisible(state in ("thinking", "starting"))
        if state == "listening":
            self.note.hide()  # calm while the candidate talks
        else:
            self.meter.set_level(0.0)
        self._update_buttons()
        self._tick()

    def answer_seconds(self) -> float:
        return self.clock.seconds()

    def _tick(self) -> None:
        elapsed = self.answer_seconds()
        if self.target_seconds:
            over = elapsed - self.target_seconds
            extra = f" · {clock(over)} over" if over > 0 else ""
            self.timer_label.setText(f"{clock(elapsed)} of {clock(self.target_seconds)}{extra}")
            self.timer_bar.setValue(int(min(1.0, elapsed / self.target_seconds) * 1000))
        else:
            self.timer_label.setText(clock(elapsed))
            self.timer_bar.setValue(0)

    # -- the conversation ------------------------------------------------------------------
    def _add(self, who: str, text: str, note: str = "") -> None:
        self.thread_items.append({"who": who, "text": text, "note": note})
        turns = sum(1 for i in self.thread_items if i["who"] in ("interviewer", "you"))
        self.thread_toggle.show_text = f"Show the conversation so far ({plural(turns, 'turn')})"
        if not self.thread_toggle.is_open:
            self.thread_toggle.button.setText(self.thread_toggle.show_text)
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
