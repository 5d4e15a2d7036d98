"""My projects: short notes on the projects the user would talk about in an interview
(title, problem, data, approach, results, impact, lessons, stack, links), kept in the
history store, and a rehearsal of one of them: a 2 or 3 minute pitch, then deep-dive
questions and follow-ups grounded in the notes, with the interviewer persona of choice.

The store is thread-safe; every read and write runs on the thread pool. Deleting asks
first in a window-modal box opened with open(), never exec().
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton,
                               QRadioButton, QScrollArea, QSpinBox, QSplitter, QVBoxLayout, QWidget)

from .dialogs import error_dialog
from .palette import BAD, WARN, css
from .report_html import fmt_when
from .report_page import heading, wrap_label
from .workers import run_task

log = logging.getLogger(__name__)

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


class ProjectsPage(QWidget):
    rehearse_requested = Signal(dict)  # {project_id, title, pitch_s, deep_dives, persona}
    loaded = Signal()  # the list is on screen
    saved = Signal(str)  # project id
    deleted = Signal(str)
    save_failed = Signal(dict)  # the validation problems, by field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = None
        self.projects: list[dict] = []
        self.current_id: str | None = None  # the project in the editor (None: a new one)
        self.dirty = False
        self.ready = False
        self.busy = False
        self.demo = False
        self.confirm_box: QMessageBox | None = None
        self._loading_form = False
        self._form_serial = 0  # which project the editor holds (a save finishing later checks it)
        self._select_after_load: str | None = None
        self._pending = 0  # list queries still running
        self._new_mode = False  # the user asked for a new project: do not open another one for them

        outer = QVBoxLayout(self)
        outer.addWidget(heading("My projects", 1.8))
        outer.addWidget(wrap_label("Short notes on the projects you would talk about in an interview. A rehearsal "
                                   "asks you to pitch one in 2 or 3 minutes, then asks follow-ups built from these "
                                   "notes and from what you said."))
        self.demo_banner = wrap_label("Demo mode: the rehearsal's answers are recordings about the demo project, "
                                      "“Delivery delay predictor” (a pitch and one deep-dive question), so no "
                                      "microphone is needed.")
        self.demo_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.demo_banner.setMargin(8)
        self.demo_banner.hide()
        outer.addWidget(self.demo_banner)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        # -- the list --
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName("Projects")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.currentItemChanged.connect(self._selection_changed)
        ll.addWidget(self.list, 1)
        self.empty = wrap_label("No projects yet. Press New project and write a few lines about one.")
        ll.addWidget(self.empty)
        lb = QHBoxLayout()
        self.new_button = QPushButton("Ne&w project")
        self.delete_button = QPushButton("&Delete…")
        self.new_button.clicked.connect(self.new_project)
        self.delete_button.clicked.connect(self.ask_delete)
        lb.addWidget(self.new_button)
        lb.addWidget(self.delete_button)
        lb.addStretch(1)
        ll.addLayout(lb)
        split.addWidget(left)

        # -- the editor and the rehearsal --
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(self.fontMetrics().height() // 2, 0, 0, 0)
        self.editor_title = heading("New project", 1.2)
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

        self.rehearse_box = QGroupBox("Rehearse this project")
        rb = QGridLayout(self.rehearse_box)
        rb.setColumnStretch(3, 1)
        self.pitch2 = QRadioButton("&2 minute pitch")
        self.pitch3 = QRadioButton("&3 minute pitch (technical audience)")
        self.pitch2.setChecked(True)
        pg = QButtonGroup(self)
        pg.addButton(self.pitch2)
        pg.addButton(self.pitch3)
        pitch_row = QHBoxLayout()
        pitch_row.addWidget(self.pitch2)
        pitch_row.addWidget(self.pitch3)
        pitch_row.addStretch(1)
        rb.addWidget(QLabel("Pitch:"), 0, 0)
        rb.addLayout(pitch_row, 0, 1, 1, 3)
        self.deep_dives = QSpinBox()
        self.deep_dives.setRange(0, 5)
        self.deep_dives.setValue(2)
        self.deep_dives.setAccessibleName("Deep-dive questions after the pitch")
        self.deep_dives.setToolTip("Questions after the pitch, each with its own follow-ups")
        dd_label = QLabel("Deep-dive &questions:")
        dd_label.setBuddy(self.deep_dives)
        rb.addWidget(dd_label, 1, 0)
        rb.addWidget(self.deep_dives, 1, 1)
        self.persona = QComboBox()
        self.persona.setAccessibleName("Interviewer persona")
        from ..personas import PERSONAS

        for pid, p in PERSONAS.items():
            self.persona.addItem(p.name, pid)
            self.persona.setItemData(self.persona.count() - 1, p.description, Qt.ItemDataRole.ToolTipRole)
        self.persona.setCurrentIndex(max(0, self.persona.findData("manager")))
        persona_label = QLabel("Interviewer st&yle:")
        persona_label.setBuddy(self.persona)
        rb.addWidget(persona_label, 1, 2, Qt.AlignmentFlag.AlignRight)
        rb.addWidget(self.persona, 1, 3)
        self.persona_desc = wrap_label()
        rb.addWidget(self.persona_desc, 2, 1, 1, 3)
        self.persona.currentIndexChanged.connect(self._persona_changed)
        self._persona_changed()
        rehearse_row = QHBoxLayout()
        self.rehearse_button = QPushButton("R&ehearse")
        self.rehearse_button.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.rehearse_button.clicked.connect(self.rehearse)
        self.rehearse_hint = wrap_label()
        rehearse_row.addWidget(self.rehearse_button)
        rehearse_row.addWidget(self.rehearse_hint, 1)
        rb.addLayout(rehearse_row, 3, 0, 1, 4)
        rl.insertWidget(0, self.rehearse_box)
        rl.insertSpacing(1, self.fontMetrics().height() // 2)
        rl.addStretch(1)
        scroll.setWidget(right)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        fm = self.fontMetrics()
        split.setSizes([fm.horizontalAdvance("M") * 18, fm.horizontalAdvance("M") * 60])
        outer.addWidget(split, 1)

        chain = [self.list, self.new_button, self.delete_button, self.pitch2, self.pitch3, self.deep_dives,
                 self.persona, self.rehearse_button, *self.fields.values(), self.save_button, self.discard_button]
        for a, b in zip(chain, chain[1:]):  # in the order they are seen: the rehearsal sits above the notes
            self.setTabOrder(a, b)
        self.new_project()
        self._new_mode = False
        self._update_buttons()

    # -- state -----------------------------------------------------------------------------
    def set_store(self, store) -> None:
        self.store = store
        self.ready = store is not None
        self.reload()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()

    def set_demo(self, demo: bool) -> None:
        """The demo's recorded answers cover a pitch and one deep dive."""
        from .demo_drills import REHEARSAL_OPTIONS

        self.demo = demo
        self.demo_banner.setVisible(demo)
        if demo:
            self.deep_dives.setValue(REHEARSAL_OPTIONS["deep_dives"])
            self.persona.setCurrentIndex(max(0, self.persona.findData(REHEARSAL_OPTIONS["persona"])))
        self.deep_dives.setEnabled(not demo)

    def _persona_changed(self) -> None:
        from ..personas import PERSONAS

        p = PERSONAS.get(self.persona.currentData())
        if p is None:
            self.persona_desc.setText("")
            return
        self.persona_desc.setText(f"{p.description} Up to {p.max_follow_ups} follow-up(s) per question.")

    def _update_buttons(self) -> None:
        saved = self.current_id is not None
        self.delete_button.setEnabled(saved and not self.busy)
        self.save_button.setEnabled(self.dirty)
        self.discard_button.setEnabled(self.dirty)
        can = saved and not self.dirty and self.ready and not self.busy
        self.rehearse_button.setEnabled(can)
        if not self.ready:
            hint = "The models are loading…"
        elif self.busy:
            hint = "An interview or drill is running."
        elif not saved:
            hint = "Save the project first."
        elif self.dirty:
            hint = "Save your changes first: the rehearsal uses the saved notes."
        else:
            hint = "A pitch, then deep-dive questions; the report follows."
        self.rehearse_hint.setText(hint)

    # -- the list ----------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Query the list again; `select` opens that project in the editor when it arrives
        (unless the user is editing meanwhile)."""
        if self.store is None:
            return
        store = self.store
        if select:
            self._select_after_load = select
        self._pending += 1

        def failed(problem: str, fix: str) -> None:
            self._pending -= 1
            error_dialog(self.window(), "Cannot read your projects", problem, fix)

        run_task(store.projects, self._show_list, failed)

    def _show_list(self, projects: list[dict]) -> None:
        """The editor decides what is selected: the list follows it, never the other way
        round (a list that arrives late must not swap the project being edited)."""
        self._pending -= 1
        self.projects = projects
        ids = [p["id"] for p in projects]
        self.list.blockSignals(True)
        self.list.clear()
        for p in projects:
            filled = sum(1 for field, _, _ in NOTES if (p.get(field) or "").strip())
            when = fmt_when(p.get("updated_at")).split(",")[0]  # the day is enough here
            item = QListWidgetItem(f"{p['title']}\n{filled} of {len(NOTES)} notes · {when}")
            item.setToolTip(f"Last changed {fmt_when(p.get('updated_at'))}")
            item.setData(Qt.ItemDataRole.UserRole, p["id"])
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.empty.setVisible(not projects)
        wanted = self._select_after_load
        if wanted in ids and not self.dirty:
            self._select_after_load = None
            self._load_form(self._row(wanted))
        elif self.current_id is not None and self.current_id not in ids and not self.dirty:
            self._load_form(None)  # deleted meanwhile
        elif self.current_id is None and not self.dirty and not self._new_mode and projects:
            self._load_form(projects[0])  # the first visit: open the most recent project
        self._highlight(self.current_id)
        self._update_buttons()
        self.loaded.emit()

    def _highlight(self, pid: str | None) -> None:
        self.list.blockSignals(True)
        row = next((i for i in range(self.list.count()) if self.list.item(i).data(Qt.ItemDataRole.UserRole) == pid), -1)
        self.list.setCurrentRow(row)
        if row < 0:
            self.list.clearSelection()
        self.list.blockSignals(False)

    def _row(self, pid: str | None) -> dict | None:
        return next((p for p in self.projects if p["id"] == pid), None)

    def _selection_changed(self, current, previous) -> None:
        pid = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        if pid == self.current_id:
            return
        if self.dirty:
            self._ask_unsaved(lambda: self._load_form(self._row(pid)), previous)
            return
        self._load_form(self._row(pid))

    def _ask_unsaved(self, then, previous_item) -> None:
        """Unsaved edits and the user moves on: save, discard or stay (a non-blocking box)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          f"Save your changes to “{self.title.text().strip() or 'the new project'}”?",
                          QMessageBox.StandardButton.Cancel, self.window())
        save = box.addButton("&Save", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(save)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def clicked(button) -> None:
            if button is save:
                if self.save():
                    then()
                else:
                    self._reselect(previous_item)
            elif button is discard:
                self.dirty = False
                then()
            else:
                self._reselect(previous_item)

        box.buttonClicked.connect(clicked)
        box.open()
        self.confirm_box = box

    def _reselect(self, item) -> None:
        self.list.blockSignals(True)
        if item is not None:
            self.list.setCurrentItem(item)
        else:
            self.list.setCurrentRow(-1)
            self.list.clearSelection()
        self.list.blockSignals(False)

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

            from ..projects import Project

            try:
                Project.model_validate(data)
            except ValidationError as exc:
                err = exc.errors()[0]
                field = str(err["loc"][0]) if err.get("loc") else "title"
                problems[field if field in self.errors else "title"] = f"{err['msg']}."
        self._show_problems(problems)
        if problems:
            self.message.setText(f"Not saved: fix the {len(problems)} problem(s) marked above.")
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

    # -- delete --------------------------------------------------------------------------------
    def ask_delete(self) -> None:
        pid = self.current_id
        if not pid or self.store is None:
            return
        title = (self._row(pid) or {}).get("title") or "this project"
        box = QMessageBox(QMessageBox.Icon.Question, "Delete project",
                          f"Delete “{title}” and its notes? Rehearsals of it stay in History. This cannot be undone.",
                          QMessageBox.StandardButton.Cancel, self.window())
        delete = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda b: b is delete and self.delete(pid))
        box.open()
        self.confirm_box = box

    def delete(self, pid: str) -> None:
        store = self.store

        def done(_result) -> None:
            if self.current_id == pid:
                self.dirty = False
                self._load_form(None)
            self.message.setText("Deleted.")
            self.reload()
            self.deleted.emit(pid)

        run_task(lambda: store.delete_project(pid), done,
                 lambda p, f: error_dialog(self.window(), "Cannot delete the project", p, f))

    # -- rehearse ------------------------------------------------------------------------------
    def rehearsal_options(self) -> dict:
        return {"project_id": self.current_id, "title": self.title.text().strip(),
                "pitch_s": 180 if self.pitch3.isChecked() else 120, "deep_dives": self.deep_dives.value(),
                "persona": self.persona.currentData()}

    def rehearse(self) -> None:
        if self.rehearse_button.isEnabled():
            self.rehearse_requested.emit(self.rehearsal_options())

    def select(self, pid: str) -> None:
        """Show project `pid` in the editor (after the list has it)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == pid:
                self.list.setCurrentRow(i)
                return
