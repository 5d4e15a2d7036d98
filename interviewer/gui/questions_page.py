"""My questions: write a question of your own (category, prompt, key points with the words
that show them), press "Draft follow-ups", and the language model drafts how to name each
key point aloud, a follow-up per key point and deeper questions; keep or edit them, then
save. Saved questions join the bank (the user's questions folder).

Drafting takes seconds with the LLM: it runs on the thread pool and can be cancelled.
The core is interviewer/dialogue/drafting.py (draft, save_custom); the bank's own
validation checks the result, and its errors are shown naming the field.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QWidget)

from ..dialogue.wording import is_general_line
from .draft_table import DraftTable, text_table
from .palette import BAD, tint
from .question_form import build, plain_errors
from .theme import SECTION, TITLE
from .ui import caption, card, heading, page_layout, primary, wrap_label
from .wording import plural
from .workers import run_task

log = logging.getLogger(__name__)


class CancelFlag(threading.Event):
    """Set to cancel; works as an event and as a callable returning whether it is set."""

    def __call__(self) -> bool:
        return self.is_set()


def default_drafter(question, llm, progress, cancel):
    import inspect

    from ..dialogue import drafting

    # a drafter that can stop early is told when the user cancels; one that cannot simply
    # finishes, and its result is dropped
    extra = {"cancel": cancel} if "cancel" in inspect.signature(drafting.draft).parameters else {}
    return drafting.draft(question, llm, progress=progress, **extra)


def default_saver(question):
    try:
        from ..dialogue.drafting import save_custom
    except ImportError:  # drafting not in this version: write it where the bank reads user questions
        import yaml

        from ..paths import user_questions_dir

        path = user_questions_dir() / f"{question.id}.yaml"
        path.write_text(yaml.safe_dump(question.model_dump(exclude_none=True, exclude_defaults=False),
                                       sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path
    return save_custom(question)


# The key point table's columns, by the field each one edits.
POINT_COLUMNS = ("label", "cues", "topic", "says")


class QuestionsPage(QWidget):
    drafted = Signal(object)  # the drafted Question
    draft_failed = Signal(str, str)
    saved = Signal(str)  # the file it was saved to
    save_failed = Signal(dict)  # {field: what to fix}

    def __init__(self, drafter: Callable | None = None, saver: Callable | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drafter = drafter or default_drafter
        self.saver = saver or default_saver
        self.llm = None
        self.cancel: CancelFlag | None = None
        self.drafting = False
        lay = page_layout(self)
        lay.addWidget(heading("My questions", TITLE))
        lay.addWidget(caption("Write a question of your own. The interviewer asks it like the bank's questions, "
                              "follows up on the key points you list, and scores answers against them."))

        frame, box = card()
        box.addWidget(heading("The question", SECTION))
        form = QFormLayout()
        box.addLayout(form)
        from ..content.bank import CATEGORIES, CATEGORY_TITLES

        self.category = QComboBox()
        for c in CATEGORIES:
            self.category.addItem(CATEGORY_TITLES.get(c, c), c)
        self.difficulty = QComboBox()
        for n, text in ((1, "Easy"), (2, "Medium"), (3, "Hard")):
            self.difficulty.addItem(text, n)
        self.difficulty.setCurrentIndex(1)
        self.target = QSpinBox()
        self.target.setRange(15, 600)
        self.target.setSingleStep(15)
        self.target.setValue(120)
        self.target.setSuffix(" s to answer")
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("e.g. How would you detect data drift in a deployed fraud model?")
        self.prompt.setTabChangesFocus(True)
        self.prompt.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        for text, w in (("&Category:", self.category), ("Di&fficulty:", self.difficulty),
                        ("&Target time:", self.target), ("&Question:", self.prompt)):
            label = QLabel(text)
            label.setBuddy(w)
            form.addRow(label, w)
        lay.addWidget(frame)

        frame, box = card()
        box.addWidget(heading("Key points", SECTION))
        box.addWidget(caption("What a strong answer contains, and the words that show it is there (separated by "
                              "commas). Drafting fills in how the interviewer names each point aloud. An example "
                              "sentence, as a candidate might say it, helps the point be recognised in other words "
                              "(most when every point has one)."))
        self.key_points = text_table(["What a strong answer says", "Words that show it", "How to name it aloud",
                                      "Example sentence (optional)"])
        self.key_points.setAccessibleName("Key points")
        box.addWidget(self.key_points)
        row = QHBoxLayout()
        self.add_point_button = QPushButton("&Add key point")
        self.remove_point_button = QPushButton("Remove key &point")
        self.add_point_button.clicked.connect(lambda: self._add_point())
        self.remove_point_button.clicked.connect(lambda: self._remove(self.key_points))
        row.addWidget(self.add_point_button)
        row.addWidget(self.remove_point_button)
        row.addStretch(1)
        box.addLayout(row)
        lay.addWidget(frame)

        draft_row = QHBoxLayout()
        self.draft_button = primary(QPushButton("&Draft follow-ups"))
        self.draft_button.clicked.connect(self.draft)
        self.cancel_button = QPushButton("Ca&ncel drafting")
        self.cancel_button.clicked.connect(self.cancel_draft)
        self.cancel_button.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 6)
        self.busy.setFixedHeight(max(4, self.fontMetrics().height() // 4))
        self.busy.hide()
        draft_row.addWidget(self.draft_button)
        draft_row.addWidget(self.cancel_button)
        draft_row.addWidget(self.busy)
        draft_row.addStretch(1)
        lay.addLayout(draft_row)
        self.status = caption("Fill in the question and its key points, then draft the follow-ups.")
        self.status.setAccessibleName("Drafting")
        lay.addWidget(self.status)

        self.drafts, box = card()
        box.addWidget(heading("Follow-ups", SECTION))
        box.addWidget(caption("One per key point, asked when an answer misses it. Untick one to leave it out; "
                              "double-click to edit."))
        self.follow_up_lines = DraftTable("About", "Follow-up question", "Follow-ups")
        self.follow_ups = self.follow_up_lines.table
        box.addWidget(self.follow_ups)
        box.addWidget(heading("Deeper questions", SECTION))
        box.addWidget(caption("Asked when an answer is strong: they build on a key point it covered."))
        self.probe_lines = DraftTable("After", "Deeper question", "Deeper questions")
        self.probes = self.probe_lines.table
        box.addWidget(self.probes)
        self.drafts.hide()
        lay.addWidget(self.drafts)

        save_row = QHBoxLayout()
        self.save_button = QPushButton("&Save question")
        self.save_button.clicked.connect(self.save)
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        lay.addLayout(save_row)
        self.message = wrap_label()
        self.message.setAccessibleName("Question problems")
        lay.addWidget(self.message)
        lay.addStretch(1)
        for _ in range(3):
            self._add_point()

    def set_llm(self, llm) -> None:
        self.llm = llm

    # -- key points ------------------------------------------------------------------------
    def _add_point(self, label: str = "", cues: str = "", topic: str = "", says: str = "") -> None:
        r = self.key_points.rowCount()
        self.key_points.insertRow(r)
        for c, text in enumerate((label, cues, topic, says)):  # in POINT_COLUMNS order
            self.key_points.setItem(r, c, QTableWidgetItem(text))

    def _remove(self, table: QTableWidget) -> None:
        rows = sorted({i.row() for i in table.selectedIndexes()} or {table.rowCount() - 1}, reverse=True)
        for r in rows:
            if r >= 0:
                table.removeRow(r)

    def _cell(self, table: QTableWidget, r: int, c: int) -> str:
        item = table.item(r, c)
        return item.text().strip() if item else ""

    def points(self) -> list[dict]:
        rows = []
        for r in range(self.key_points.rowCount()):
            row = {name: self._cell(self.key_points, r, c) for c, name in enumerate(POINT_COLUMNS)}
            if row["label"] or row["cues"]:
                rows.append(row)
        return rows

    def set_points(self, rows: list[dict]) -> None:
        self.key_points.setRowCount(0)
        for kp in rows:
            self._add_point(*(kp.get(name, "") for name in POINT_COLUMNS))
        self.key_points.resizeRowsToContents()

    def data(self, with_drafts: bool = True) -> dict:
        return build(self.prompt.toPlainText(), self.category.currentData(), self.difficulty.currentData(),
                     self.target.value(), self.points(), self.follow_up_lines.kept() if with_drafts else [],
                     self.probe_lines.kept() if with_drafts else [])

    def _validated(self, data: dict):
        """The bank's Question, or None after showing what to fix, field by field."""
        from ..content.bank import parse_question
        from ..errors import QuestionError

        try:
            return parse_question(data, "Your question")
        except QuestionError as exc:
            self.show_errors(plain_errors(exc.problem))
            return None

    def show_errors(self, errors: dict[str, str]) -> None:
        bad = tint(self.palette(), BAD, 0.3)
        for table in (self.key_points, self.follow_ups, self.probes):
            for r in range(table.rowCount()):
                for c in range(table.columnCount()):
                    item = table.item(r, c)
                    if item is not None:
                        item.setBackground(QColor(0, 0, 0, 0))
        points = self.points()
        for field in errors:
            parts = field.split(".")
            if parts[0] == "key_points" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(points):
                name = parts[2] if len(parts) > 2 else "label"
                col = POINT_COLUMNS.index(name) if name in POINT_COLUMNS else 0
                row = self._table_row_of_point(int(parts[1]))
                item = self.key_points.item(row, col)
                if item is not None:
                    item.setBackground(bad)
        self.message.setText("Not saved. Fix " + ("this" if len(errors) == 1 else f"these {len(errors)}")
                             + ":\n" + "\n".join(f"• {m}" for m in errors.values()) if errors else "")
        self.message.setStyleSheet(f"color: {BAD.name()}" if errors else "")
        if errors:
            self.save_failed.emit(errors)
            first = next(iter(errors))
            (self.prompt if first.startswith("prompt") else self.key_points).setFocus()

    def _table_row_of_point(self, n: int) -> int:
        seen = -1
        for r in range(self.key_points.rowCount()):
            if self._cell(self.key_points, r, 0) or self._cell(self.key_points, r, 1):
                seen += 1
                if seen == n:
                    return r
        return n

    # -- drafting --------------------------------------------------------------------------
    def draft(self) -> None:
        if self.drafting:
            return
        question = self._validated(self.data(with_drafts=False))
        if question is None:
            return
        self.message.setText("")
        self.drafting = True
        self.cancel = CancelFlag()
        cancel, llm, drafter = self.cancel, self.llm, self.drafter
        self.draft_button.setEnabled(False)
        self.cancel_button.show()
        self.busy.show()
        self.status.setText(f"Drafting follow-ups for {plural(len(question.key_points), 'key point')}… "
                            "(a few seconds with the language model)")

        def work(progress):
            def report(*args):
                if args:
                    value = args[0]
                    progress(f"Drafting… {value * 100:.0f} %" if isinstance(value, float) and value <= 1
                             else f"Drafting… {value}")
            return drafter(question, llm, report, cancel)

        def done(result) -> None:
            self._draft_over()
            if cancel.is_set():
                self.status.setText("Drafting cancelled. Your question is as you left it.")
                return
            self.show_draft(result)

        def failed(problem: str, fix: str) -> None:
            self._draft_over()
            if isinstance(problem, str) and "No module named" in problem and "drafting" in problem:
                problem = "Drafting is not in this version of the app yet."
                fix = "Write the follow-ups yourself: add rows with the buttons below, then save."
                self._show_tables()
            self.status.setText(f"{problem} {fix}".strip())
            self.draft_failed.emit(problem, fix)

        run_task(work, done, failed, with_progress=True, on_progress=self.status.setText)

    def cancel_draft(self) -> None:
        if self.cancel is not None:
            self.cancel.set()
            self.status.setText("Cancelling…")

    def _draft_over(self) -> None:
        self.drafting = False
        self.draft_button.setEnabled(True)
        self.cancel_button.hide()
        self.busy.hide()

    def _show_tables(self) -> None:
        self.drafts.show()

    def show_draft(self, question) -> None:
        """Topics into the key point rows; the drafted follow-ups and probes, all kept."""
        ids = [kp.id for kp in question.key_points]
        labels = {kp.id: kp.label for kp in question.key_points}
        for n, kp in enumerate(question.key_points):
            row = self._table_row_of_point(n)
            if row < self.key_points.rowCount() and kp.topic:
                self.key_points.setItem(row, POINT_COLUMNS.index("topic"), QTableWidgetItem(kp.topic))

        self.follow_up_lines.fill(question.category, [
            (ids.index(f.targets) if f.targets in ids else -1, labels.get(f.targets, f.targets), f.text)
            for f in question.follow_ups])
        self.probe_lines.fill(question.category, [
            (ids.index(p.after) if p.after in ids else None,
             labels.get(p.after, "a strong answer") if p.after else "a strong answer", p.text) for p in question.probes])
        self._show_tables()
        general = sum(is_general_line(question.category, line.text) for line in (*question.follow_ups, *question.probes))
        self.status.setText(
            f"Drafted {plural(len(question.follow_ups), 'follow-up')} and "
            f"{plural(len(question.probes), 'deeper question')}. Keep, edit or untick them, then save."
            + (f" {plural(general, 'line is', 'lines are')} general (in italics): the interviewer could not name "
               f"{'that point' if general == 1 else 'those points'} from your words, so a question of your own "
               "there makes a sharper interview." if general else ""))
        self.save_button.setProperty("primary", True)
        self.save_button.style().unpolish(self.save_button)
        self.save_button.style().polish(self.save_button)
        self.drafted.emit(question)

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        question = self._validated(self.data())
        if question is None:
            return
        self.show_errors({})
        saver = self.saver
        self.message.setText("Saving…")

        def done(path) -> None:
            self.message.setText(f"Saved. “{question.prompt[:60]}” is in your questions ({path}); it joins the "
                                 "question bank the next time the app starts.")
            self.saved.emit(str(path))

        def failed(problem: str, fix: str) -> None:
            self.message.setText(f"Not saved: {problem} {fix}".strip())

        run_task(lambda: saver(question), done, failed)
