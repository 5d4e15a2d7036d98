"""Timed drill: explain one thing out loud against the clock, then see how the time went.

Three views on one page:

1. Set-up: what to explain (a concept typed in, or a question picked from the bank with
   a search box), the target (30 s, 60 s, 2 or 3 minutes), "explain it to a non-expert",
   and Start.
2. Speaking: the question, a big countdown (time left against the target; past it the
   digits turn to overtime), the state, a level meter, the live transcript, Done (Space).
3. The drill report (interviewer.drills.drill_report): time used against the target with a
   clear verdict, a timeline of where the time went per part, the pace against the
   130-160 wpm band, what to cut and what to add (each with its evidence), the scores.

Like the interview page, it only reacts to session events (delivered on the GUI thread)
and asks the main window to run things; it never touches an engine.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QProgressBar, QPushButton, QRadioButton, QScrollArea,
                               QStackedWidget, QVBoxLayout, QWidget)

from .answer_clock import AnswerClock
from .drill_widgets import Countdown, DrillTimeline, part_colors
from .interview_page import STATE_TEXT
from .level_meter import LevelMeter
from .pacing_chart import BAND, PacingChart, fmt_clock
from .palette import BAD, GOOD, WARN, css, text_color
from ..app.report_data import DIMENSION_TITLES, DIMENSIONS
from .report_page import ScoreBar, heading, wrap_label
from ..engine import events as ev

TARGETS = ((30, "3&0 s"), (60, "&60 s"), (120, "&2 min"), (180, "&3 min"))
VERDICT_TEXT = {"on time": "On time", "short": "Short", "over": "Over time", "no speech": "No speech heard"}
SETUP, RUNNING, REPORT = range(3)


def fmt_target(seconds: int) -> str:
    return f"{seconds} s" if seconds < 90 else f"{seconds // 60} min"


def verdict_color(verdict: str):
    return {"on time": GOOD, "short": WARN, "over": BAD}.get(verdict, WARN)


def verdict_sentence(report: dict) -> str:
    used, target, delta = report["used_s"], report["target_s"], report["delta_s"]
    if report["verdict"] == "no speech":
        return f"No speech was heard in the answer (target {fmt_target(target)})."
    how = "on time" if report["verdict"] == "on time" else (
        f"{abs(delta):.1f} s over" if delta > 0 else f"{abs(delta):.1f} s short")
    if report["verdict"] == "on time" and abs(delta) >= 0.05:
        how += f" ({delta:+.1f} s)"
    return f"Used {used:.1f} s of a {target} s target: {how}."


def pace_sentence(wpm) -> str:
    if not wpm:
        return "No pace: nothing was said."
    lo, hi = BAND
    where = "inside" if lo <= wpm <= hi else ("below" if wpm < lo else "above")
    advice = "" if where == "inside" else (" Speed up a little: you risk losing the listener." if where == "below"
                                          else " Slow down a little: fast speech is hard to follow.")
    return f"{wpm:.0f} words per minute, {where} the {lo:.0f}-{hi:.0f} wpm band.{advice}"


class DrillPage(QWidget):
    start_requested = Signal(dict)  # {concept, question_id, target_s, audience}; see options()
    done_requested = Signal()
    end_requested = Signal()
    report_shown = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bank = None
        self.ready = False
        self.busy = False
        self.demo = False
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

    # -- set-up ------------------------------------------------------------------------
    def _build_setup(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(heading("Timed drill", 1.8))
        lay.addWidget(wrap_label("Explain one thing out loud against the clock. Afterwards you see how you used the "
                                 "time, where it went, your pace, and what to cut or add."))
        self.demo_banner = wrap_label("Demo mode: the answer is a recording about gradient descent, against a "
                                      "30 s target, so no microphone is needed.")
        self.demo_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.demo_banner.setMargin(8)
        self.demo_banner.hide()
        lay.addWidget(self.demo_banner)

        self.what_box = QWidget()
        what = QGridLayout(self.what_box)
        what.setContentsMargins(0, 0, 0, 0)
        self.own = QRadioButton("&Own concept:")
        self.concept = QLineEdit()
        self.concept.setPlaceholderText("e.g. gradient descent, attention, the ROC curve")
        self.concept.setAccessibleName("Concept to explain")
        self.from_bank = QRadioButton("From the question &bank:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the bank, e.g. regularization")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the question bank")
        self.bank_list = QListWidget()
        self.bank_list.setAccessibleName("Questions from the bank")
        self.bank_list.setWordWrap(True)
        self.bank_list.setMinimumHeight(self.fontMetrics().height() * 5)
        self.bank_list.setSpacing(2)
        self.bank_list.setAlternatingRowColors(True)
        self.bank_count = wrap_label()
        group = QButtonGroup(self)
        group.addButton(self.own)
        group.addButton(self.from_bank)
        self.own.setChecked(True)
        what.addWidget(self.own, 0, 0)
        what.addWidget(self.concept, 0, 1)
        what.addWidget(self.from_bank, 1, 0)
        what.addWidget(self.search, 1, 1)
        what.addWidget(self.bank_list, 2, 1)
        what.addWidget(self.bank_count, 3, 1)
        what.setColumnStretch(1, 1)
        what.setRowStretch(2, 1)
        lay.addWidget(self.what_box, 1)
        self.concept.textEdited.connect(lambda _t: self.own.setChecked(True))
        self.search.textChanged.connect(self._filter_bank)
        self.search.textEdited.connect(lambda _t: self.from_bank.setChecked(True))
        self.bank_list.currentItemChanged.connect(lambda cur, _prev: cur is not None and self.from_bank.setChecked(True))
        self.bank_list.itemActivated.connect(lambda _item: self._start())
        self.own.toggled.connect(self._validate)
        self.concept.textChanged.connect(self._validate)
        self.bank_list.currentItemChanged.connect(lambda *_: self._validate())
        self.concept.returnPressed.connect(self._start)

        self.target_box = QWidget()
        targets = QHBoxLayout(self.target_box)
        targets.setContentsMargins(0, 0, 0, 0)
        targets.addWidget(QLabel("Target:"))
        self.target_buttons: dict[int, QRadioButton] = {}
        tgroup = QButtonGroup(self)
        for seconds, text in TARGETS:
            b = QRadioButton(text)
            b.setAccessibleName(f"Target {fmt_target(seconds)}")
            tgroup.addButton(b)
            self.target_buttons[seconds] = b
            targets.addWidget(b)
        self.target_buttons[60].setChecked(True)
        targets.addStretch(1)
        lay.addWidget(self.target_box)
        self.non_expert = QCheckBox("Explain it to a &non-expert: jargon you do not explain counts against you")
        lay.addWidget(self.non_expert)

        row = QHBoxLayout()
        self.start_button = QPushButton("&Start drill")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.start_button.clicked.connect(self._start)
        row.addWidget(self.start_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = wrap_label()
        self.status.setAccessibleName("Drill status")
        lay.addWidget(self.status)
        return page

    def set_bank(self, bank) -> None:
        self.bank = bank
        self.bank_list.clear()
        from ..bank import CATEGORY_TITLES

        for q in sorted(bank, key=lambda q: (q.category, q.difficulty, q.prompt)) if bank is not None else []:
            prompt = q.prompt.replace("{project}", "your project")
            item = QListWidgetItem(f"{prompt}\n    {CATEGORY_TITLES.get(q.category, q.category)} · "
                                   f"difficulty {q.difficulty}")
            item.setData(Qt.ItemDataRole.UserRole, q.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{prompt} {' '.join(q.tags)} {q.category}".lower())
            item.setToolTip(prompt)
            self.bank_list.addItem(item)
        self._filter_bank(self.search.text())

    def _filter_bank(self, text: str) -> None:
        words = text.lower().split()
        shown = 0
        first = None
        for i in range(self.bank_list.count()):
            item = self.bank_list.item(i)
            hay = item.data(Qt.ItemDataRole.UserRole + 1) or ""
            hide = not all(w in hay for w in words)
            item.setHidden(hide)
            if not hide:
                shown += 1
                first = first or item
        current = self.bank_list.currentItem()
        if current is not None and current.isHidden():
            self.bank_list.setCurrentItem(first) if first is not None else self.bank_list.setCurrentRow(-1)
        total = self.bank_list.count()
        self.bank_count.setText(f"{shown} of {total} questions" + (" match" if words else "") if total else
                                "The question bank is loading…")
        self._validate()

    def selected_question_id(self) -> str | None:
        item = self.bank_list.currentItem()
        if item is None or item.isHidden():
            return None
        return item.data(Qt.ItemDataRole.UserRole)

    def options(self) -> dict:
        target = next((s for s, b in self.target_buttons.items() if b.isChecked()), 60)
        own = self.own.isChecked()
        return {"concept": " ".join(self.concept.text().split()) or None if own else None,
                "question_id": None if own else self.selected_question_id(),
                "target_s": target, "audience": "non_expert" if self.non_expert.isChecked() else "interviewer"}

    def problem(self) -> str | None:
        """Why Start cannot go yet, in words; None when it can."""
        if self.demo:
            return None
        o = self.options()
        if self.own.isChecked():
            if not o["concept"] or len(o["concept"]) < 2:
                return "Type the concept you want to explain, or pick a question from the bank."
            if len(o["concept"]) > 120:
                return "Keep the concept short (a few words): the question is built around it."
        elif not o["question_id"]:
            return "Pick a question from the list (search to narrow it down)."
        return None

    def _validate(self, *_args) -> None:
        problem = self.problem()
        self.start_button.setEnabled(self.ready and not self.busy and problem is None)
        if not self.ready:
            return
        if self.busy:
            self.status.setText("An interview or a drill is running: finish it first.")
        elif problem and (self.concept.text() or self.from_bank.isChecked()):
            self.status.setText(problem)
        else:
            self.status.setText("Ready. Press Start (or Ctrl+Enter); the clock starts when the question has been read.")

    def set_ready(self, ready: bool, message: str | None = None) -> None:
        self.ready = ready
        if message is not None:
            self.status.setText(message)
        elif not ready:
            self.status.setText("Loading the models…")
        self._validate()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._validate()

    def set_demo(self, demo: bool) -> None:
        from .demo_drills import DRILL_OPTIONS

        self.demo = demo
        self.demo_banner.setVisible(demo)
        self.what_box.setEnabled(not demo)
        self.target_box.setEnabled(not demo)
        if demo:
            self.own.setChecked(True)
            self.concept.setText(DRILL_OPTIONS["concept"])
            self.target_buttons[DRILL_OPTIONS["target_s"]].setChecked(True)
        self._validate()

    def _start(self) -> None:
        if self.start_button.isEnabled():
            self.last_options = self.options()
            self.start_requested.emit(dict(self.last_options))

    def show_setup(self, message: str | None = None) -> None:
        self.views.setCurrentIndex(SETUP)
        self._validate()
        if message:
            self.status.setText(message)

    # -- speaking ----------------------------------------------------------------------
    def _build_running(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setSpacing(self.fontMetrics().height() // 2)
        self.run_caption = wrap_label()
        self.question = heading("", 1.45)
        self.question.setAccessibleName("Question")
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.countdown = Countdown()
        lay.addWidget(self.run_caption)
        lay.addWidget(self.question)
        lay.addWidget(self.countdown)

        state_row = QHBoxLayout()
        self.state_label = heading(STATE_TEXT["starting"], 1.1)
        self.state_label.setAccessibleName("Drill state")
        self.working = QProgressBar()
        self.working.setRange(0, 0)
        self.working.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 8)
        self.working.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
        self.working.setAccessibleName("Working")
        self.working.hide()
        self.meter = LevelMeter()
        state_row.addWidget(self.state_label)
        state_row.addWidget(self.working)
        state_row.addStretch(1)
        state_row.addWidget(QLabel("Mic:"))
        state_row.addWidget(self.meter, 1)
        lay.addLayout(state_row)

        self.live = wrap_label()
        self.live.setAccessibleName("Live transcript")
        self.live.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.live.setFrameShape(QFrame.Shape.StyledPanel)
        self.live.setMargin(6)
        self.live.setMinimumHeight(self.fontMetrics().height() * 4)
        lay.addWidget(self.live, 1)

        buttons = QHBoxLayout()
        self.done_button = QPushButton("&Done (Space)")
        self.done_button.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
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
                                 + f"target {fmt_clock(target_s)} · {who}")
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
        handler = self._handlers.get(type(event))
        if handler:
            handler(self, event)

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

    _handlers = {
        ev.QuestionAsked: _on_question, ev.StateChanged: _on_state, ev.LevelChanged: _on_level,
        ev.Partial: _on_partial, ev.Final: _on_final, ev.InterviewerSaid: _on_interviewer,
        ev.BargedIn: _on_barge_in, ev.Finished: _on_finished,
    }

    def _set_state(self, state: str) -> None:
        self.clock.on_state(state)
        self.state = state
        text = STATE_TEXT.get(state, state.title())
        if state == "thinking":
            text = "Time's up: working out how you did…" if self.countdown.over else "Working out how you did…"
        elif state == "speaking":
            text = "Reading the question (the clock starts after it)"
        self.state_label.setText(text)
        self.working.setVisible(state in ("thinking", "starting"))
        if state != "listening":
            self.meter.set_level(0.0)
        self._update_buttons()
        self._tick()

    def answer_seconds(self) -> float:
        return self.clock.seconds()

    def _tick(self) -> None:
        self.countdown.set_elapsed(self.answer_seconds(), running=self.state == "listening")

    # -- the report --------------------------------------------------------------------
    def _build_report(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        self.r_title = heading("Drill report", 1.5)
        self.r_subtitle = wrap_label()
        titles.addWidget(self.r_title)
        titles.addWidget(self.r_subtitle)
        top.addLayout(titles, 1)
        self.again_button = QPushButton("Try &again")
        self.new_button = QPushButton("Ne&w drill")
        self.again_button.clicked.connect(self._again)
        self.new_button.clicked.connect(lambda: self.show_setup())
        top.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        lay = QVBoxLayout(body)
        verdict_row = QHBoxLayout()
        self.verdict = heading("", 2.2)
        self.verdict.setWordWrap(False)
        self.verdict.setAccessibleName("Verdict")
        self.verdict_detail = wrap_label()
        self.verdict_detail.setAccessibleName("Time used against the target")
        verdict_row.addWidget(self.verdict)
        verdict_row.addSpacing(self.fontMetrics().height())
        verdict_row.addWidget(self.verdict_detail, 1)
        lay.addLayout(verdict_row)

        lay.addWidget(heading("Where the time went", 1.1))
        self.timeline = DrillTimeline()
        lay.addWidget(self.timeline)
        self.parts_legend = wrap_label(rich=True)
        self.parts_legend.setAccessibleName("Parts of the answer")
        lay.addWidget(self.parts_legend)

        lay.addWidget(heading("Pace", 1.1))
        self.pace = wrap_label()
        self.pace.setAccessibleName("Pace")
        lay.addWidget(self.pace)
        self.pace_chart = PacingChart()
        lay.addWidget(self.pace_chart)

        advice = QHBoxLayout()
        cut_col, add_col = QVBoxLayout(), QVBoxLayout()
        cut_col.addWidget(heading("What to cut", 1.1))
        self.cut = wrap_label(rich=True)
        self.cut.setAccessibleName("What to cut")
        cut_col.addWidget(self.cut)
        cut_col.addStretch(1)
        add_col.addWidget(heading("What to add", 1.1))
        self.add = wrap_label(rich=True)
        self.add.setAccessibleName("What to add")
        add_col.addWidget(self.add)
        add_col.addStretch(1)
        advice.addLayout(cut_col, 1)
        advice.addSpacing(self.fontMetrics().height())
        advice.addLayout(add_col, 1)
        lay.addLayout(advice)

        lay.addWidget(heading("Scores", 1.1))
        self.scores_box = QWidget()
        self.scores_grid = QGridLayout(self.scores_box)
        self.scores_grid.setContentsMargins(0, 0, 0, 0)
        self.scores_grid.setColumnStretch(1, 1)
        self.scores_box.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        lay.addWidget(self.scores_box)
        self.feedback = wrap_label(rich=True)
        lay.addWidget(self.feedback)
        lay.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        return page

    def show_report(self, report: dict, analysis: dict | None = None, prompt: str | None = None) -> None:
        self.report = report
        self.analysis = analysis or {}
        if prompt:
            self.prompt = prompt
        self.set_running(False)
        self._render_report()
        self.views.setCurrentIndex(REPORT)
        self.again_button.setFocus()
        self.report_shown.emit(report)

    def _render_report(self) -> None:
        r = self.report
        pal = self.palette()
        dim = css(text_color(pal, dim=True))
        who = "for a non-expert" if r.get("audience") == "non_expert" else "for an interviewer"
        self.r_title.setText("Drill report")
        self.r_subtitle.setText(f"{self.prompt} · target {fmt_target(r['target_s'])}, {who}")
        self.verdict.setText(VERDICT_TEXT.get(r["verdict"], r["verdict"]))
        self.verdict.setStyleSheet(f"color: {css(verdict_color(r['verdict']))}")
        self.verdict_detail.setText(verdict_sentence(r) + " Time used runs from your first word to your last.")

        self.timeline.set_report(r)
        colors = part_colors(pal, len(r["parts"]))
        rows = []
        for n, (part, color) in enumerate(zip(r["parts"], colors), 1):
            end = part["start"] + part["seconds"]
            rows.append(f"<span style='color:{css(color)}'>■</span> <b>{n}</b> {html.escape(part['label'])} "
                        f"<span style='color:{dim}'>— {fmt_clock(part['start'])}–{fmt_clock(end)}, "
                        f"{part['seconds']:.1f} s ({part['share'] * 100:.0f} %)</span>")
        self.parts_legend.setText("<br>".join(rows) or
                                  f"<span style='color:{dim}'>No part of a good explanation (what it is, an example, "
                                  "why it matters, a limitation, a summary) was recognised.</span>")

        self.pace.setText(pace_sentence(r.get("wpm")) + (f" Long pauses: {r['pauses_s']:.1f} s in all."
                                                         if r.get("pauses_s") else ""))
        self.pace_chart.set_data(self.analysis or {"wpm_windows": r.get("wpm_windows"), "wpm": r.get("wpm")})

        def items(entries: list[dict], empty: str) -> str:
            if not entries:
                return f"<span style='color:{dim}'>{empty}</span>"
            return "<ul style='margin-left:0'>" + "".join(
                f"<li>{html.escape(str(e['tip']))}<br><span style='color:{dim}'>{html.escape(str(e['evidence']))}"
                "</span></li>" for e in entries) + "</ul>"

        self.cut.setText(items(r["cut"], "Nothing to cut." if r["verdict"] != "over" else "–"))
        self.add.setText(items(r["add"], "Nothing to add: every part was there."))

        while self.scores_grid.count():
            w = self.scores_grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        scores = r.get("scores") or {}
        for row, dim_key in enumerate((*DIMENSIONS, "overall")):
            name = QLabel(f"<b>{DIMENSION_TITLES[dim_key]}</b>")
            bar = ScoreBar(scores.get(dim_key))
            bar.setAccessibleName(f"{DIMENSION_TITLES[dim_key]} score")
            self.scores_grid.addWidget(name, row, 0)
            self.scores_grid.addWidget(bar, row, 1)
        # the feedback, less what "What to add" already says (a missed part is named in both)
        added = [a["tip"].removeprefix("Add: ").rstrip(".").lower() for a in r["add"]]
        tips = [t for t in r.get("feedback") or [] if t.get("tip")
                and not any(label and label in str(t["tip"]).lower() for label in added)][:3]
        self.feedback.setText(("<b>More feedback</b><ul style='margin-left:0'>" + "".join(
            f"<li>{html.escape(str(t['tip']))}<br><span style='color:{dim}'>{html.escape(str(t.get('evidence') or ''))}"
            "</span></li>" for t in tips) + "</ul>") if tips else "")

    def _again(self) -> None:
        if self.last_options and self.ready and not self.busy:
            self.start_requested.emit(dict(self.last_options))
        else:
            self.show_setup()

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.report:
            self._render_report()
        super().changeEvent(event)


