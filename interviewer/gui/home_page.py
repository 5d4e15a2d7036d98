"""Home: choose the format, length, difficulty and mode, and start. Also what is due for
review today, the practice streak, and an offer to pick up an interrupted interview.

Honest about what will happen: in the demo the form shows the demo's own options (and
cannot be changed); with no microphone, Start waits and the page offers what works
without one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QSpinBox, QVBoxLayout, QWidget)

from .report_html import fmt_when
from .theme import TITLE
from .ui import banner, caption, card, heading, page_layout, primary, unit, wrap_label
from .wording import plural

DIFFICULTIES = ((1, "&Easy"), (2, "Me&dium"), (3, "H&ard"))
STANDARD_PERSONA = "The default voice and follow-up style; follow-ups per question as set in Settings."


class HomePage(QWidget):
    start_requested = Signal(dict)  # the chosen options; see options()
    practice_due_requested = Signal(list)  # question ids
    resume_requested = Signal(dict)  # an incomplete session (store.incomplete_sessions() row)
    view_incomplete_requested = Signal(str)
    dismiss_incomplete_requested = Signal(str)
    mic_check_requested = Signal()
    demo_requested = Signal()
    leave_demo_requested = Signal()
    recordings_requested = Signal()
    rescan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo = False
        self.ready = False
        self.busy = False
        self.microphone: bool | None = None  # None: not looked yet
        self.due: list[dict] = []
        self.incomplete: list[dict] = []
        self._user_options: dict | None = None  # the user's choices, kept while the demo shows its own

        lay = page_layout(self)
        lay.addWidget(heading("Mock interview", TITLE))
        lay.addWidget(caption("Answer ML engineering interview questions out loud; the interviewer listens, asks "
                              "follow-ups, and gives you a report. Everything stays on this computer."))

        self.demo_banner, self.demo_text, row = banner(
            "Demo mode: one fundamentals question, answered by recordings instead of your voice, with one "
            "follow-up, then the report. The options below are the ones the demo uses.")
        self.leave_demo_button = QPushButton("E&xit the demo")
        self.leave_demo_button.clicked.connect(self.leave_demo_requested)
        row.addWidget(self.leave_demo_button, 0, Qt.AlignmentFlag.AlignTop)
        self.demo_banner.hide()
        lay.addWidget(self.demo_banner)

        self.mic_card, mic_box = card(name="problem")
        self.mic_text = wrap_label("No microphone found. An interview needs one to hear your answers; until one is "
                                   "plugged in you can watch the demo or answer from recordings.")
        self.mic_text.setAccessibleName("No microphone")
        mic_box.addWidget(self.mic_text)
        mic_row = QHBoxLayout()
        self.mic_demo_button = QPushButton("Tr&y the demo")
        self.mic_rescan_button = QPushButton("Loo&k again")
        self.mic_demo_button.clicked.connect(self.demo_requested)
        self.mic_rescan_button.clicked.connect(self.rescan_requested)
        mic_row.addWidget(self.mic_demo_button)
        mic_row.addWidget(self.mic_rescan_button)
        mic_row.addStretch(1)
        mic_box.addLayout(mic_row)
        self.mic_card.hide()
        lay.addWidget(self.mic_card)

        self.found_banner, self.found_text, row = banner()
        self.found_check_button = QPushButton("Chec&k it")
        self.found_check_button.clicked.connect(self.mic_check_requested)
        self.found_check_button.clicked.connect(self.found_banner.hide)
        row.addWidget(self.found_check_button, 0, Qt.AlignmentFlag.AlignTop)
        self.found_banner.hide()
        lay.addWidget(self.found_banner)

        # an interrupted interview
        self.resume_card, rl = card()
        self.resume_text = wrap_label()
        rl.addWidget(self.resume_text)
        row = QHBoxLayout()
        self.resume_button = QPushButton("&Continue with the remaining questions")
        self.view_button = QPushButton("Vie&w what was saved")
        self.dismiss_button = QPushButton("&Never mind")
        for b in (self.resume_button, self.view_button, self.dismiss_button):
            row.addWidget(b)
        row.addStretch(1)
        rl.addLayout(row)
        self.resume_button.clicked.connect(lambda: self.incomplete and self.resume_requested.emit(self.incomplete[0]))
        self.view_button.clicked.connect(
            lambda: self.incomplete and self.view_incomplete_requested.emit(self.incomplete[0]["id"]))
        self.dismiss_button.clicked.connect(
            lambda: self.incomplete and self.dismiss_incomplete_requested.emit(self.incomplete[0]["id"]))
        self.resume_card.hide()
        lay.addWidget(self.resume_card)

        self.form_frame, form_box = card()
        self.form_frame.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 64)
        self._build_form(form_box)
        lay.addWidget(self.form_frame)

        start_row = QHBoxLayout()
        start_row.setSpacing(unit(self))
        self.start_button = primary(QPushButton("&Start interview"))
        self.start_button.clicked.connect(self._start)
        self.recordings_button = QPushButton("Answer from recordin&gs…")
        self.recordings_button.setToolTip("Pick WAV files of spoken answers instead of using the microphone")
        self.recordings_button.clicked.connect(self.recordings_requested)
        self.mic_button = QPushButton("Check &microphone…")
        self.mic_button.clicked.connect(self.mic_check_requested)
        start_row.addWidget(self.start_button)
        start_row.addWidget(self.recordings_button)
        start_row.addWidget(self.mic_button)
        start_row.addStretch(1)
        lay.addLayout(start_row)
        self.status = caption("Loading the models… you can choose your options meanwhile.")
        self.status.setAccessibleName("Status")
        lay.addWidget(self.status)

        # due today and streak
        self.due_card, dl = card(QHBoxLayout)
        self.due_text = wrap_label()
        self.due_button = QPushButton("&Practise due questions")
        self.due_button.clicked.connect(self._practice_due)
        dl.addWidget(self.due_text, 1)
        dl.addWidget(self.due_button)
        lay.addWidget(self.due_card)
        self.streak = caption()
        lay.addWidget(self.streak)
        lay.addStretch(1)

        self.setTabOrder(self.format, self.by_questions)
        self._length_mode()
        self.set_ready(False)
        self.set_due([], None)

    def _build_form(self, box: QVBoxLayout) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setVerticalSpacing(unit(self))
        box.addLayout(form)
        self.format = QComboBox()
        self.format.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.format.setMinimumContentsLength(18)
        label = QLabel("&Format:")
        label.setBuddy(self.format)
        form.addRow(label, self.format)

        length = QHBoxLayout()
        self.by_questions = QRadioButton("&Questions:")
        self.n_questions = QSpinBox()
        self.n_questions.setRange(1, 20)
        self.n_questions.setValue(3)
        self.by_minutes = QRadioButton("Min&utes:")
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 120)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(15)
        self.by_questions.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_questions)
        group.addButton(self.by_minutes)
        self.by_questions.toggled.connect(self._length_mode)
        for w in (self.by_questions, self.n_questions, self.by_minutes, self.minutes):
            length.addWidget(w)
        length.addStretch(1)
        form.addRow("Length:", length)

        diff = QHBoxLayout()
        self.difficulty: dict[int, QCheckBox] = {}
        for level, text in DIFFICULTIES:
            box_ = QCheckBox(text)
            box_.setChecked(level in (1, 2))
            self.difficulty[level] = box_
            diff.addWidget(box_)
        diff.addStretch(1)
        form.addRow("Difficulty:", diff)

        mode = QVBoxLayout()
        self.study = QRadioButton("S&tudy: feedback after each answer")
        self.real = QRadioButton("Rea&l: the interviewer pushes back on vague answers; feedback at the end")
        self.study.setChecked(True)
        mgroup = QButtonGroup(self)
        mgroup.addButton(self.study)
        mgroup.addButton(self.real)
        mode.addWidget(self.study)
        mode.addWidget(self.real)
        form.addRow("Mode:", mode)

        from ..content.personas import PERSONAS

        self.persona = QComboBox()
        self.persona.setAccessibleName("Interviewer persona")
        self.persona.addItem("Standard interviewer", None)
        self.persona.setItemData(0, STANDARD_PERSONA, Qt.ItemDataRole.ToolTipRole)
        for pid, p in PERSONAS.items():
            self.persona.addItem(p.name, pid)
            self.persona.setItemData(self.persona.count() - 1, p.description, Qt.ItemDataRole.ToolTipRole)
        self.persona.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.persona.setMinimumContentsLength(18)
        self.persona_desc = caption()
        self.persona_desc.setAccessibleName("What this interviewer is like")
        persona_col = QVBoxLayout()
        persona_col.setSpacing(2)
        persona_col.addWidget(self.persona)
        persona_col.addWidget(self.persona_desc)
        plabel_p = QLabel("Pers&ona:")
        plabel_p.setBuddy(self.persona)
        form.addRow(plabel_p, persona_col)
        self.persona.currentIndexChanged.connect(self._persona_changed)
        self._persona_changed()

        self.project = QLineEdit()
        self.project.setPlaceholderText("e.g. fraud detection at a payments start-up (for project questions)")
        plabel = QLabel("Your pro&ject:")
        plabel.setBuddy(self.project)
        form.addRow(plabel, self.project)

    def _persona_changed(self) -> None:
        from ..content.personas import PERSONAS

        p = PERSONAS.get(self.persona.currentData() or "")
        self.persona_desc.setText(f"{p.description} Up to {plural(p.max_follow_ups, 'follow-up')} per question."
                                  if p else STANDARD_PERSONA)

    def set_formats(self, categories: list[str], titles: dict[str, str]) -> None:
        self.format.clear()
        self.format.addItem("Mixed: a bit of everything", "mixed")
        for c in categories:
            self.format.addItem(titles.get(c, c), c)

    def _length_mode(self) -> None:
        self.n_questions.setEnabled(self.by_questions.isChecked())
        self.minutes.setEnabled(self.by_minutes.isChecked())

    # -- what the form holds ---------------------------------------------------------------
    def options(self) -> dict:
        return {
            "format": self.format.currentData() or "mixed",
            "n_questions": self.n_questions.value() if self.by_questions.isChecked() else 20,
            "minutes": self.minutes.value() if self.by_minutes.isChecked() else None,
            "difficulties": [lvl for lvl, box in self.difficulty.items() if box.isChecked()] or None,
            "mode": "real" if self.real.isChecked() else "study",
            "project_title": self.project.text().strip() or None,
            "persona": self.persona.currentData() or None,
        }

    def set_options(self, o: dict) -> None:
        i = self.format.findData(o.get("format") or "mixed")
        self.format.setCurrentIndex(max(0, i))
        by_minutes = bool(o.get("minutes"))
        (self.by_minutes if by_minutes else self.by_questions).setChecked(True)
        if by_minutes:
            self.minutes.setValue(int(o["minutes"]))
        else:
            self.n_questions.setValue(int(o.get("n_questions") or 3))
        levels = o.get("difficulties") or [1, 2, 3]
        for level, box in self.difficulty.items():
            box.setChecked(level in levels)
        (self.real if o.get("mode") == "real" else self.study).setChecked(True)
        self.persona.setCurrentIndex(max(0, self.persona.findData(o.get("persona"))))
        self.project.setText(o.get("project_title") or "")
        self._length_mode()

    # -- what the app can do now -------------------------------------------------------------
    def set_demo(self, demo: bool) -> None:
        """In the demo the form shows the demo's options, which cannot be changed; leaving
        the demo gives the user's own choices back."""
        from ..app.demo_answers import DEMO_OPTIONS

        if demo and not self.demo:
            self._user_options = self.options()
            self.set_options(DEMO_OPTIONS)
        elif not demo and self.demo and self._user_options is not None:
            self.set_options(self._user_options)
            self._user_options = None
        self.demo = demo
        self.demo_banner.setVisible(demo)
        self.form_frame.setEnabled(not demo)
        self.recordings_button.setVisible(not demo)
        self.start_button.setText("&Start the demo interview" if demo else "&Start interview")
        self._update()

    def set_microphone(self, present: bool | None, name: str = "") -> None:
        """Whether a microphone was found; `name` when one has just been plugged in."""
        self.microphone = present
        if name and present:
            self.found_text.setText(f"A microphone was found: “{name}”. " + (
                "Exit the demo to answer with your own voice." if self.demo else "Check it, then start an interview."))
            self.found_banner.show()
        elif not present:
            self.found_banner.hide()
        self._update()

    def set_ready(self, ready: bool, message: str | None = None) -> None:
        self.ready = ready
        self._update(message)

    def set_busy(self, busy: bool) -> None:
        """A session is running (or being prepared): no second one."""
        self.busy = busy
        self._update()

    def _update(self, message: str | None = None) -> None:
        no_mic = self.microphone is False and not self.demo
        self.mic_card.setVisible(no_mic)
        self.start_button.setEnabled(self.ready and not self.busy and not no_mic)
        self.recordings_button.setEnabled(self.ready and not self.busy)
        own = self.ready and not self.busy and not no_mic and not self.demo  # the user's own voice: not in the demo
        self.due_button.setEnabled(own and bool(self.due))
        self.resume_button.setEnabled(own)
        if message is not None:
            self.status.setText(message)
        elif not self.ready:
            self.status.setText("Loading the models…" if self.demo else
                                "Loading the models… you can choose your options meanwhile.")
        elif self.busy:
            self.status.setText("A session is running or being prepared.")
        elif no_mic:
            self.status.setText("Start needs a microphone.")
        else:
            self.status.setText("Ready. Press Start (or Ctrl+Enter) when you are.")

    # -- history ---------------------------------------------------------------------------
    def set_due(self, due: list[dict], progress: dict | None) -> None:
        self.due = due
        if due:
            points = sum(len(d.get("key_points") or []) for d in due)
            self.due_text.setText(f"Due today: {plural(len(due), 'question')} to review"
                                  + (f", {plural(points, 'key point')} you missed before" if points else "") + ".")
        else:
            self.due_text.setText("Nothing is due for review today.")
        streak = (progress or {}).get("streak") or {}
        totals = (progress or {}).get("totals") or {}
        if totals.get("sessions"):
            today = " (you have practised today)" if streak.get("practised_today") else ""
            self.streak.setText(f"Practice streak: {plural(streak.get('current', 0), 'day')}{today}; longest "
                                f"{streak.get('longest', 0)}. {plural(totals.get('sessions'), 'session')}, "
                                f"{plural(totals.get('answers', 0), 'answer')} so far.")
        else:
            self.streak.setText("Your first session starts your history.")
        self._update()

    def set_incomplete(self, sessions: list[dict]) -> None:
        self.incomplete = sessions
        if not sessions:
            self.resume_card.hide()
            return
        s = sessions[0]
        left = len(s.get("remaining_question_ids") or [])
        self.resume_text.setText(
            f"An interview from {fmt_when(s.get('started_at'))} was interrupted after "
            f"{plural(s.get('answers', 0), 'answer')}. Nothing recorded was lost. "
            f"{plural(left, 'question')} {plural(left, 'was', number=False)} still to come.")
        self.resume_button.setVisible(left > 0)
        self.resume_card.show()

    def _start(self) -> None:
        if self.start_button.isEnabled():
            self.start_requested.emit(self.options())

    def _practice_due(self) -> None:
        if self.due:
            self.practice_due_requested.emit([d["question_id"] for d in self.due[:5]])
