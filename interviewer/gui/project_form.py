"""A project's notes: the fields, their checks (no Qt: `validate`, `thin_notes`), and the
editor on the My projects page (a mixin of ProjectsPage: title, the six notes, stack and
links, each with its problem shown beside it, and Save / Discard).
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout

from .dialogs import error_dialog
from .palette import BAD, WARN, css
from .theme import SECTION
from .ui import heading, wrap_label
from .wording import plural
from .workers import run_task

NOTES = (  # field, label (with its mnemonic), placeholder
    ("problem", "&Problem:", "Who had what problem, and why it mattered."),
    ("data", "D&ata:", "Where the data came from, how much, what the labels were."),
    ("approach", "Appr&oach:", "What you built: the model or method and the key design choice."),
    ("results", "Res&ults:", "The numbers, against a baseline."),
    ("impact", "I&mpact:", "What came of it: deployed, used by whom, time or money saved."),
    ("lessons", "&Lessons:", "What you learned or would do differently."),
)
MAX_NOTE = 2000
MAX_STACK_ITEM = 40
_LINK = re.compile(r"^(https?://\S+|www\.\S+\.\S+|[\w-]+(\.[\w-]+)+(/\S*)?)$", re.IGNORECASE)


def split_list(text: str, separators: str) -> list[str]:
    return [x.strip() for x in re.split(f"[{separators}]", text or "") if x.strip()]


def validate(data: dict) -> dict[str, str]:
    """Problems with a project's notes, by field ("" for none): what the user must fix."""
    problems: dict[str, str] = {}
    title = (data.get("title") or "").strip()
    if len(title) < 2:
        problems["title"] = "Give the project a title (at least 2 characters)."
    elif len(title) > 120:
        problems["title"] = f"Shorten the title to 120 characters or fewer (it has {len(title)})."
    for field, label, _ in NOTES:
        if len(data.get(field) or "") > MAX_NOTE:
            problems[field] = (f"Keep {label.replace('&', '').rstrip(':').lower()} under {MAX_NOTE} characters: "
                               "a rehearsal needs the gist, not the report.")
    long = [s for s in data.get("stack") or [] if len(s) > MAX_STACK_ITEM]
    if long:
        problems["stack"] = f"Separate tools with commas: “{long[0][:30]}…” is too long for one tool."
    bad = [link for link in data.get("links") or [] if not _LINK.match(link)]
    if bad:
        problems["links"] = f"“{bad[0]}” is not a web address (for example https://github.com/you/project)."
    return problems


def thin_notes(data: dict) -> list[str]:
    """The notes a rehearsal is built from that are still empty (a hint, not an error)."""
    return [label.replace("&", "").rstrip(":").lower() for field, label, _ in NOTES[:4] if not (data.get(field) or "").strip()]


class ProjectEditorMixin:
    def _build_editor(self, rl: QVBoxLayout) -> None:
        self.editor_title = heading("New project", SECTION)
        rl.addWidget(self.editor_title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors: dict[str, QLabel] = {}

        def add_row(field: str, label_text: str, widget) -> None:
            label = QLabel(label_text)
            label.setBuddy(widget)
            widget.setAccessibleName(label_text.replace("&", "").rstrip(":"))
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            error = wrap_label()
            error.setAccessibleName(f"{label_text.replace('&', '').rstrip(':')} problem")
            error.hide()
            box.addWidget(error)
            form.addRow(label, box)
            self.fields[field] = widget
            self.errors[field] = error

        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Delivery delay predictor")
        add_row("title", "&Title:", self.title)
        line = self.fontMetrics().lineSpacing()
        for field, label, placeholder in NOTES:
            edit = QPlainTextEdit()
            edit.setPlaceholderText(placeholder)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(int(line * 2.6) + 10)
            add_row(field, label, edit)
        self.stack = QLineEdit()
        self.stack.setPlaceholderText("python, pytorch, airflow (separated by commas)")
        add_row("stack", "Stac&k:", self.stack)
        self.links = QLineEdit()
        self.links.setPlaceholderText("https://github.com/you/project (several: separate by spaces)")
        add_row("links", "Li&nks:", self.links)
        rl.addLayout(form)
        for w in self.fields.values():
            (w.textChanged if isinstance(w, QPlainTextEdit) else w.textEdited).connect(self._edited)

        save_row = QHBoxLayout()
        self.save_button = QPushButton("&Save")
        self.discard_button = QPushButton("Dis&card changes")
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.discard_button)
        save_row.addStretch(1)
        rl.addLayout(save_row)
        self.message = wrap_label()
        self.message.setAccessibleName("Project message")
        rl.addWidget(self.message)

    # -- the editor --------------------------------------------------------------------------
    def _load_form(self, row: dict | None) -> None:
        self._loading_form = True
        self._form_serial += 1
        self._new_mode = False
        row = row or {}
        self.current_id = row.get("id")
        self.title.setText(row.get("title", ""))
        for field, _, _ in NOTES:
            self.fields[field].setPlainText(row.get(field) or "")
        self.stack.setText(", ".join(row.get("stack") or []))
        self.links.setText(" ".join(row.get("links") or []))
        self._loading_form = False
        self.dirty = False
        self.editor_title.setText(f"Notes: {row['title']}" if row.get("title") else "New project")
        self._show_problems({})
        self.message.setText("")
        self._update_buttons()

    def new_project(self) -> None:
        if self.dirty:
            self._ask_unsaved(self._start_new, self.list.currentItem())
            return
        self._start_new()

    def _start_new(self) -> None:
        self._select_after_load = None
        self._reselect(None)
        self._load_form(None)
        self._new_mode = True
        self.title.setFocus()

    def _edited(self, *_args) -> None:
        if self._loading_form:
            return
        self.dirty = True
        self._update_buttons()

    def form_data(self) -> dict:
        data = {"title": self.title.text().strip()}
        for field, _, _ in NOTES:
            data[field] = self.fields[field].toPlainText().strip()
        data["stack"] = split_list(self.stack.text(), ",;\n")
        data["links"] = split_list(self.links.text(), r"\s,")
        if self.current_id:
            data["id"] = self.current_id
        return data

    def _show_problems(self, problems: dict[str, str]) -> None:
        for field, label in self.errors.items():
            text = problems.get(field, "")
            label.setText(text)
            label.setStyleSheet(f"color: {css(BAD)}" if text else "")
            label.setVisible(bool(text))

    def save(self) -> bool:
        """Validate and save; False (with the problems shown beside their fields) when invalid."""
        if self.store is None:
            self.message.setText("The project list is still loading.")
            return False
        data = self.form_data()
        problems = validate(data)
        if not problems:
            from pydantic import ValidationError

            from ..content.projects import Project

            try:
                Project.model_validate(data)
            except ValidationError as exc:
                err = exc.errors()[0]
                field = str(err["loc"][0]) if err.get("loc") else "title"
                problems[field if field in self.errors else "title"] = f"{err['msg']}."
        self._show_problems(problems)
        if problems:
            self.message.setText(f"Not saved: fix the {plural(len(problems), 'problem')} marked above.")
            self.message.setStyleSheet(f"color: {css(BAD)}")
            first = next(f for f in self.fields if f in problems)
            self.fields[first].setFocus()
            self.save_failed.emit(problems)
            return False
        store = self.store
        self.message.setStyleSheet("")
        self.message.setText("Saving…")
        self.dirty = False
        self.editor_title.setText(f"Notes: {data['title']}")
        self._update_buttons()

        serial = self._form_serial

        def done(pid: str) -> None:
            if serial != self._form_serial:  # the user moved on to another project meanwhile
                self.reload()
                self.saved.emit(pid)
                return
            self.current_id = pid
            thin = thin_notes(data)
            self.message.setStyleSheet(f"color: {css(WARN)}" if thin else "")
            self.message.setText("Saved." + (f" Tip: add the {', '.join(thin)}: the rehearsal's questions and "
                                             "follow-ups are built from them." if thin else ""))
            self._update_buttons()
            self.reload()
            self.saved.emit(pid)

        def failed(problem: str, fix: str) -> None:
            self.dirty = True
            self.message.setText("Not saved.")
            self._update_buttons()
            error_dialog(self.window(), "Cannot save the project", problem, fix)

        run_task(lambda: store.save_project(data), done, failed)
        return True

    def discard(self) -> None:
        self._load_form(self._row(self.current_id))
