"""Home: choose the format, length, difficulty and mode, and start. Also what is due for
review today, the practice streak, and an offer to pick up an interrupted interview.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QSpinBox, QVBoxLayout, QWidget)

from .report_html import fmt_when
from .report_page import heading, wrap_label

DIFFICULTIES = ((1, "&Easy"), (2, "Me&dium"), (3, "H&ard"))
STANDARD_PERSONA = "The default voice and follow-up style; follow-ups per question as set in Settings."


def card() -> QFrame:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    return frame


class HomePage(QWidget):
    start_requested = Signal(dict)  # the chosen options; see options()
    practice_due_requested = Signal(list)  # question ids
    resume_requested = Signal(dict)  # an incomplete session (store.incomplete_sessions() row)
    view_incomplete_requested = Signal(str)
    dismiss_incomplete_requested = Signal(str)
    mic_check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo = False
        self.ready = False
        self.due: list[dict] = []
        self.incomplete: list[dict] = []

        outer = QVBoxLayout(self)
        outer.addWidget(heading("Mock interview", 1.8))
        outer.addWidget(wrap_label("Answer ML engineering interview questions out loud; the interviewer listens, "
                                   "asks follow-ups, and gives you a report. Everything stays on this computer."))

        self.demo_banner = wrap_label("Demo mode: the answers are recordings, so no microphone is needed. "
                                      "Press Start to watch a scripted interview.")
        self.demo_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.demo_banner.setMargin(8)
        self.demo_banner.hide()
        outer.addWidget(self.demo_banner)

        # an interrupted interview
        self.resume_card = card()
        rl = QVBoxLayout(self.resume_card)
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
        outer.addWidget(self.resume_card)

        # the options
        self.form_frame = QWidget()
        form = QFormLayout(self.form_frame)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.format = QComboBox()
        self.format.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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
            box = QCheckBox(text)
            box.setChecked(level in (1, 2))
            self.difficulty[level] = box
            diff.addWidget(box)
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

        from ..personas import PERSONAS

        self.persona = QComboBox()
        self.persona.setAccessibleName("Interviewer persona")
        self.persona.addItem("Standard interviewer", None)
        self.persona.setItemData(0, STANDARD_PERSONA, Qt.ItemDataRole.ToolTipRole)
        for pid, p in PERSONAS.items():
            self.persona.addItem(p.name, pid)
            self.persona.setItemData(self.persona.count() - 1, p.description, Qt.ItemDataRole.ToolTipRole)
        self.persona.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.persona_desc = wrap_label()
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
        self.project.setPlaceholderText("e.g. fraud detection at a payments start-up (used by project questions)")
        plabel = QLabel("Your pro&ject:")
        plabel.setBuddy(self.project)
        form.addRow(plabel, self.project)
        self.form_frame.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 62)
        outer.addWidget(self.form_frame)

        start_row = QHBoxLayout()
        self.start_button = QPushButton("&Start interview")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.start_button.clicked.connect(self._start)
        self.mic_button = QPushButton("Check &microphone…")
        self.mic_button.clicked.connect(self.mic_check_requested)
        start_row.addWidget(self.start_button)
        start_row.addWidget(self.mic_button)
        start_row.addStretch(1)
        outer.addLayout(start_row)
        self.status = wrap_label("Loading the models… you can choose your options meanwhile.")
        outer.addWidget(self.status)

        # due today and streak
        self.due_card = card()
        dl = QHBoxLayout(self.due_card)
        self.due_text = wrap_label()
        self.due_button = QPushButton("&Practise due questions")
        self.due_button.clicked.connect(self._practice_due)
        dl.addWidget(self.due_text, 1)
        dl.addWidget(self.due_button)
        outer.addWidget(self.due_card)
        self.streak = wrap_label()
        outer.addWidget(self.streak)
        outer.addStretch(1)

        self.setTabOrder(self.format, self.by_questions)
        self._length_mode()
        self.set_ready(False)
        self.set_due([], None)

    def _persona_changed(self) -> None:
        from ..personas import PERSONAS

        p = PERSONAS.get(self.persona.currentData() or "")
        self.persona_desc.setText(f"{p.description} Up to {p.max_follow_ups} follow-up(s) per question." if p
                                  else STANDARD_PERSONA)

    def set_formats(self, categories: list[str], titles: dict[str, str]) -> None:
        self.format.clear()
        self.format.addItem("Mixed: a bit of everything", "mixed")
        for c in categories:
            self.format.addItem(titles.get(c, c), c)

    def _length_mode(self) -> None:
        self.n_questions.setEnabled(self.by_questions.isChecked())
        self.minutes.setEnabled(self.by_minutes.isChecked())

    def set_demo(self, demo: bool) -> None:
        self.demo = demo
        self.demo_banner.setVisible(demo)
        self.form_frame.setEnabled(not demo)
        self.start_button.setText("&Start demo interview" if demo else "&Start interview")

    def set_ready(self, ready: bool, message: str | None = None) -> None:
        self.ready = ready
        self.start_button.setEnabled(ready)
        self.due_button.setEnabled(ready and bool(self.due))
        self.resume_button.setEnabled(ready)
        if message is not None:
            self.status.setText(message)
        elif ready:
            self.status.setText("Ready. Press Start (or Ctrl+Enter) when you are.")

    def set_busy(self, busy: bool) -> None:
        """An interview is running: no second one."""
        self.start_button.setEnabled(self.ready and not busy)
        self.due_button.setEnabled(self.ready and not busy and bool(self.due))

    def set_due(self, due: list[dict], progress: dict | None) -> None:
        self.due = due
        if due:
            points = sum(len(d.get("key_points") or []) for d in due)
            self.due_text.setText(f"Due today: {len(due)} question(s) to review"
                                  + (f", {points} key point(s) you missed before" if points else "") + ".")
        else:
            self.due_text.setText("Nothing is due for review today.")
        self.due_button.setEnabled(self.ready and bool(due))
        streak = (progress or {}).get("streak") or {}
        totals = (progress or {}).get("totals") or {}
        if totals.get("sessions"):
            today = " (you have practised today)" if streak.get("practised_today") else ""
            self.streak.setText(f"Practice streak: {streak.get('current', 0)} day(s){today}; longest "
                                f"{streak.get('longest', 0)}. {totals.get('sessions')} session(s), "
                                f"{totals.get('answers', 0)} answer(s) so far.")
        else:
            self.streak.setText("Your first session starts your history.")

    def set_incomplete(self, sessions: list[dict]) -> None:
        self.incomplete = sessions
        if not sessions:
            self.resume_card.hide()
            return
        s = sessions[0]
        left = len(s.get("remaining_question_ids") or [])
        self.resume_text.setText(
            f"An interview from {fmt_when(s.get('started_at'))} was interrupted after {s.get('answers', 0)} answer(s). "
            f"Nothing recorded was lost. {left} question(s) were still to come.")
        self.resume_button.setVisible(left > 0)
        self.resume_card.show()

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

    def _start(self) -> None:
        if self.start_button.isEnabled():
            self.start_requested.emit(self.options())

    def _practice_due(self) -> None:
        if self.due:
            self.practice_due_requested.emit([d["question_id"] for d in self.due[:5]])
