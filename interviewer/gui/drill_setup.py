"""The timed drill's set-up view: what to explain (a concept typed in, or a question from
the bank with a search box), the target, "explain it to a non-expert", and Start.

A mixin of DrillPage (the page keeps one set of attributes the window and tests reach);
it builds the view and validates the choice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QRadioButton, QWidget)

from .drill_text import fmt_target
from .theme import TITLE
from .ui import banner, caption, card, heading, page_layout, primary

TARGETS = ((30, "3&0 s"), (60, "&60 s"), (120, "&2 min"), (180, "&3 min"))


class DrillSetupMixin:
    def _build_setup(self) -> QWidget:
        page = QWidget()
        lay = page_layout(page)
        lay.addWidget(heading("Timed drill", TITLE))
        lay.addWidget(caption("Explain one thing out loud against the clock. Afterwards you see how you used the "
                              "time, where it went, your pace, and what to cut or add."))
        self.demo_banner, self.demo_text, row = banner(
            "Demo mode: the answer is a recording about gradient descent, against a 30 s target, so no microphone "
            "is needed. What to explain and the target are the demo's own.")
        self.demo_banner.hide()
        lay.addWidget(self.demo_banner)
        self.mic_notice, self.mic_notice_text, row = banner(
            "No microphone found: a drill needs one to hear you. The demo drill shows how it works with a recording.")
        self.mic_notice.setObjectName("problem")
        self.mic_demo_button = QPushButton("Tr&y the demo")
        self.mic_demo_button.clicked.connect(self.demo_requested)
        row.addWidget(self.mic_demo_button, 0, Qt.AlignmentFlag.AlignTop)
        self.mic_notice.hide()
        lay.addWidget(self.mic_notice)

        self.what_box, box = card()
        what = QGridLayout()
        what.setContentsMargins(0, 0, 0, 0)
        box.addLayout(what)
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
        self.bank_list.setMinimumHeight(self.fontMetrics().height() * 6)
        self.bank_list.setSpacing(2)
        self.bank_count = caption()
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
        self.start_button = primary(QPushButton("&Start drill"))
        self.start_button.clicked.connect(self._start)
        row.addWidget(self.start_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = caption()
        self.status.setAccessibleName("Drill status")
        lay.addWidget(self.status)
        return page

    def set_bank(self, bank) -> None:
        self.bank = bank
        self.bank_list.clear()
        from ..content.bank import CATEGORY_TITLES

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
        if self.microphone is False:
            return "A drill needs a microphone to hear you: plug one in, or try the demo drill."
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
        self.mic_notice.setVisible(self.microphone is False and not self.demo)
        if not self.ready:
            return
        if self.busy:
            self.status.setText("An interview or a drill is running: finish it first.")
        elif problem and (self.concept.text() or self.from_bank.isChecked() or self.microphone is False):
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

    def set_microphone(self, present: bool | None) -> None:
        self.microphone = present
        self._validate()

    def set_demo(self, demo: bool) -> None:
        """In the demo, the concept and target are the demo's (its answer is a recording of them)."""
        from ..app.demo_drills import DRILL_OPTIONS

        if demo and not self.demo:
            self._user_choice = (self.own.isChecked(), self.concept.text(), self.options()["target_s"])
            self.own.setChecked(True)
            self.concept.setText(DRILL_OPTIONS["concept"])
            self.target_buttons[DRILL_OPTIONS["target_s"]].setChecked(True)
        elif not demo and self.demo and getattr(self, "_user_choice", None):
            own, concept, target = self._user_choice
            (self.own if own else self.from_bank).setChecked(True)
            self.concept.setText(concept)
            self.target_buttons[target].setChecked(True)
            self._user_choice = None
        self.demo = demo
        self.demo_banner.setVisible(demo)
        self.what_box.setEnabled(not demo)
        self.target_box.setEnabled(not demo)
        self._validate()

    def _start(self) -> None:
        if self.start_button.isEnabled():
            self.last_options = self.options()
            self.start_requested.emit(dict(self.last_options))

    def show_setup(self, message: str | None = None) -> None:
        self.views.setCurrentIndex(0)
        self._validate()
        if message:
            self.status.setText(message)
