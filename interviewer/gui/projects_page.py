"""My projects: short notes on the projects the user would talk about in an interview
(title, problem, data, approach, results, impact, lessons, stack, links), kept in the
history store, and a rehearsal of one of them: a 2 or 3 minute pitch, then deep-dive
questions and follow-ups grounded in the notes, with the interviewer persona of choice.

The store is thread-safe; every read and write runs on the thread pool. Deleting asks
first in a window-modal box opened with open(), never exec().
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QMessageBox, QPushButton, QRadioButton, QScrollArea, QSpinBox,
                               QSplitter, QVBoxLayout, QWidget)

from .dialogs import error_dialog
from .project_form import NOTES, ProjectEditorMixin
from .report_html import fmt_when
from .theme import SECTION, TITLE
from .ui import banner, caption, card, heading, primary, unit
from .wording import plural
from .workers import run_task

log = logging.getLogger(__name__)

class ProjectsPage(ProjectEditorMixin, QWidget):
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

        self.setObjectName("page")
        outer = QVBoxLayout(self)
        u = unit(self)
        outer.setContentsMargins(u * 3, u * 2, u * 3, u * 2)
        outer.setSpacing(u)
        outer.addWidget(heading("My projects", TITLE))
        outer.addWidget(caption("Short notes on the projects you would talk about in an interview. A rehearsal "
                                "asks you to pitch one in 2 or 3 minutes, then asks follow-ups built from these "
                                "notes and from what you said."))
        self.demo_banner, self.demo_text, _row = banner(
            "Demo mode: the rehearsal's answers are recordings about the demo project, “Delivery delay predictor” "
            "(a pitch and one deep-dive question), so only that project can be rehearsed here.")
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
        self.empty = caption("No projects yet. Press New project and write a few lines about one.")
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
        scroll.setObjectName("page-scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(u * 2, 0, u, 0)
        rl.setSpacing(u)
        self._build_editor(rl)

        self.rehearse_box, rbox = card()
        rbox.addWidget(heading("Rehearse this project", SECTION))
        rb = QGridLayout()
        rbox.addLayout(rb)
        rb.setColumnStretch(1, 1)  # one choice per row: it fits the narrowest window
        self.pitch2 = QRadioButton("&2 minute pitch")
        self.pitch3 = QRadioButton("&3 minute pitch")
        self.pitch2.setChecked(True)
        pg = QButtonGroup(self)
        pg.addButton(self.pitch2)
        pg.addButton(self.pitch3)
        pitch_row = QVBoxLayout()  # one above the other: the pane stays narrow enough for a small window
        pitch_row.setSpacing(0)
        pitch_row.addWidget(self.pitch2)
        pitch_row.addWidget(self.pitch3)
        rb.addWidget(QLabel("Pitch:"), 0, 0, Qt.AlignmentFlag.AlignTop)
        rb.addLayout(pitch_row, 0, 1)
        self.deep_dives = QSpinBox()
        self.deep_dives.setRange(0, 5)
        self.deep_dives.setValue(2)
        self.deep_dives.setAccessibleName("Deep-dive questions after the pitch")
        self.deep_dives.setToolTip("Questions after the pitch, each with its own follow-ups")
        dd_label = QLabel("Deep-dive &questions:")
        dd_label.setBuddy(self.deep_dives)
        rb.addWidget(dd_label, 1, 0)
        rb.addWidget(self.deep_dives, 1, 1, Qt.AlignmentFlag.AlignLeft)
        self.persona = QComboBox()
        self.persona.setAccessibleName("Interviewer persona")
        from ..content.personas import PERSONAS

        for pid, p in PERSONAS.items():
            self.persona.addItem(p.name, pid)
            self.persona.setItemData(self.persona.count() - 1, p.description, Qt.ItemDataRole.ToolTipRole)
        self.persona.setCurrentIndex(max(0, self.persona.findData("manager")))
        persona_label = QLabel("Interviewer st&yle:")
        persona_label.setBuddy(self.persona)
        rb.addWidget(persona_label, 2, 0)
        rb.addWidget(self.persona, 2, 1)
        self.persona_desc = caption()
        rb.addWidget(self.persona_desc, 3, 1)
        self.persona.currentIndexChanged.connect(self._persona_changed)
        self._persona_changed()
        rehearse_row = QHBoxLayout()
        self.rehearse_button = primary(QPushButton("R&ehearse"))
        self.rehearse_button.clicked.connect(self.rehearse)
        self.rehearse_hint = caption()
        rehearse_row.addWidget(self.rehearse_button)
        rehearse_row.addWidget(self.rehearse_hint, 1)
        rb.addLayout(rehearse_row, 4, 0, 1, 2)
        rl.insertWidget(0, self.rehearse_box)
        rl.insertSpacing(1, self.fontMetrics().height() // 2)
        rl.addStretch(1)
        scroll.setWidget(right)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        fm = self.fontMetrics()
        split.setSizes([fm.horizontalAdvance("M") * 14, fm.horizontalAdvance("M") * 60])
        left.setMaximumWidth(fm.horizontalAdvance("M") * 18)  # titles wrap: the notes get the room
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
        from ..app.demo_drills import REHEARSAL_OPTIONS

        self.demo = demo
        self.demo_banner.setVisible(demo)
        if demo:
            self.deep_dives.setValue(REHEARSAL_OPTIONS["deep_dives"])
            self.persona.setCurrentIndex(max(0, self.persona.findData(REHEARSAL_OPTIONS["persona"])))
        self.deep_dives.setEnabled(not demo)
        self._update_buttons()

    @staticmethod
    def _demo_title() -> str:
        from ..app.demo_drills import DEMO_PROJECT

        return DEMO_PROJECT["title"]

    def _persona_changed(self) -> None:
        from ..content.personas import PERSONAS

        p = PERSONAS.get(self.persona.currentData())
        if p is None:
            self.persona_desc.setText("")
            return
        self.persona_desc.setText(f"{p.description} Up to {plural(p.max_follow_ups, 'follow-up')} per question.")

    def _update_buttons(self) -> None:
        saved = self.current_id is not None
        self.delete_button.setEnabled(saved and not self.busy)
        self.save_button.setEnabled(self.dirty)
        self.discard_button.setEnabled(self.dirty)
        not_demo_project = self.demo and self._demo_title() != self.title.text().strip()
        can = saved and not self.dirty and self.ready and not self.busy and not not_demo_project
        self.rehearse_button.setEnabled(can)
        if not_demo_project and saved:
            hint = (f"In the demo only “{self._demo_title()}” can be rehearsed: the answers are recordings about it. "
                    "Leave the demo to rehearse this project with your own voice.")
        elif not self.ready:
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
