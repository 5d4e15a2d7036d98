"""History: every session (search, filter, reopen, delete), and progress: trends per
category and per key point, strongest and weakest topics, streak, what is due today.

Queries run on the thread pool (the store is thread-safe); the page only shows results.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFrame, QHBoxLayout,
                               QLineEdit, QMessageBox, QPushButton, QScrollArea, QTabWidget, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from .dialogs import error_dialog
from .keypoint_chart import KeyPointChart
from ..app.report_data import format_title
from .report_html import fmt_when
from .theme import SUB, TITLE
from .ui import caption, heading, unit, wrap_label
from .wording import plural
from .trend_chart import TrendChart
from .workers import run_task

log = logging.getLogger(__name__)

PAGE_SIZE = 200


class HistoryPage(QWidget):
    open_requested = Signal(str)  # session id
    practice_due_requested = Signal(list)
    loaded = Signal()  # the session list is on screen
    progress_loaded = Signal()
    deleted = Signal(str)
    changed = Signal()  # sessions were deleted or imported

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = None
        self.bank = None
        self.sessions: list[dict] = []
        self.progress: dict | None = None
        self.due: list[dict] = []
        self._query_serial = 0

        self.labels: dict[str, bool] = {}  # session id -> answered by the demo's recordings
        self.setObjectName("page")
        outer = QVBoxLayout(self)
        u = unit(self)
        outer.setContentsMargins(u * 3, u * 2, u * 3, u * 2)
        outer.addWidget(heading("History and progress", TITLE))
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)

        # -- sessions --
        sessions = QWidget()
        sl = QVBoxLayout(sessions)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search questions and what you said (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search sessions")
        self.category = QComboBox()
        self.category.setAccessibleName("Category filter")
        self.mode = QComboBox()
        self.mode.addItem("Any mode", None)
        self.mode.addItem("Study", "study")
        self.mode.addItem("Real", "real")
        self.mode.setAccessibleName("Mode filter")
        self.status = QComboBox()
        self.status.addItem("Finished and unfinished", None)
        self.status.addItem("Finished", "finished")
        self.status.addItem("Unfinished", "incomplete")
        self.status.setAccessibleName("Status filter")
        filters.addWidget(self.search, 2)
        filters.addWidget(self.category, 1)
        filters.addWidget(self.mode)
        filters.addWidget(self.status)
        sl.addLayout(filters)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Date", "Format", "Mode", "Questions", "Overall", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(True)
        self.tree.setAccessibleName("Sessions")
        self.tree.itemActivated.connect(lambda item, _col: self.open_requested.emit(item.data(0, Qt.ItemDataRole.UserRole)))
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        sl.addWidget(self.tree, 1)
        self.count_label = caption()
        sl.addWidget(self.count_label)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open report")
        self.delete_button = QPushButton("&Delete…")
        self.export_button = QPushButton("E&xport all…")
        self.import_button = QPushButton("I&mport…")
        self.open_button.clicked.connect(self._open_selected)
        self.delete_button.clicked.connect(self.ask_delete)
        self.export_button.clicked.connect(self.ask_export_all)
        self.import_button.clicked.connect(self.ask_import)
        for b in (self.open_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        sl.addLayout(buttons)
        self.tabs.addTab(sessions, "&Sessions")

        # -- progress --
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        prog = QWidget()
        pl = QVBoxLayout(prog)
        self.streak = wrap_label()
        pl.addWidget(self.streak)
        due_row = QHBoxLayout()
        self.due_label = wrap_label()
        self.due_button = QPushButton("Practise &them now")
        self.due_button.clicked.connect(lambda: self.due and self.practice_due_requested.emit(
            [d["question_id"] for d in self.due[:5]]))
        due_row.addWidget(self.due_label, 1)
        due_row.addWidget(self.due_button)
        pl.addLayout(due_row)
        self.topics = wrap_label(rich=True)
        pl.addWidget(self.topics)
        pl.addWidget(heading("Overall score by category, per week", SUB))
        self.trend = TrendChart()
        pl.addWidget(self.trend)
        pl.addWidget(heading("Key points that need work", SUB))
        pl.addWidget(caption("Bar: how often you covered the point. Squares: your attempts, oldest first "
                                "(green covered, red missed)."))
        self.key_points = KeyPointChart()
        pl.addWidget(self.key_points)
        pl.addWidget(heading("Key points you practised most", SUB))
        self.practised = KeyPointChart()
        pl.addWidget(self.practised)
        pl.addStretch(1)
        scroll.setWidget(prog)
        self.tabs.addTab(scroll, "&Progress")

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload_sessions)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.category, self.mode, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.reload_sessions())
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.tree, self.ask_delete,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self._selection_changed()
        self.set_store(None, None)

    def set_store(self, store, bank) -> None:
        from ..content.bank import CATEGORIES, CATEGORY_TITLES

        self.store = store
        self.bank = bank
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem("All categories", None)
        for c in CATEGORIES:
            self.category.addItem(CATEGORY_TITLES.get(c, c), c)
        self.category.blockSignals(False)
        for w in (self.export_button, self.import_button, self.search):
            w.setEnabled(store is not None)
        if store is None:
            self.count_label.setText("History appears once the app has loaded.")

    # -- loading -------------------------------------------------------------------------
    def filters(self) -> dict:
        return {"search": self.search.text().strip() or None, "category": self.category.currentData(),
                "mode": self.mode.currentData(), "status": self.status.currentData()}

    def reload(self) -> None:
        self.reload_sessions()
        self.reload_progress()

    def reload_sessions(self) -> None:
        if self.store is None:
            return
        store, f = self.store, self.filters()
        self._query_serial += 1
        serial = self._query_serial

        known = self.labels

        def query():
            from ..app.history import session_labels

            sessions = store.sessions(limit=PAGE_SIZE, **f)
            session_labels(store, [s["id"] for s in sessions], known)  # which the demo answered
            return sessions, store.count_sessions(**f)

        def done(result) -> None:
            if serial == self._query_serial:  # a newer query supersedes this one
                self._show_sessions(*result)

        run_task(query, done, lambda p, fx: error_dialog(self.window(), "Cannot read the history", p, fx))

    def _show_sessions(self, sessions: list[dict], total: int) -> None:
        self.sessions = sessions
        self.tree.clear()
        for s in sessions:
            overall = (s.get("scores") or {}).get("overall")
            demo = self.labels.get(s["id"], False)
            item = QTreeWidgetItem([
                fmt_when(s.get("started_at")), ("Demo: " if demo else "") + format_title(s.get("format")),
                (s.get("mode") or "").title(),
                f"{s.get('questions_answered', 0)} of {s.get('questions_planned', 0)}",
                f"{overall:.0f}" if overall is not None else "–",
                "finished" if s.get("status") == "finished" else "unfinished"])
            item.setData(0, Qt.ItemDataRole.UserRole, s["id"])
            if demo:
                item.setToolTip(1, "Answered by the demo's recordings, not by you")
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        pad = self.fontMetrics().horizontalAdvance("M") * 2
        for col in range(self.tree.columnCount() - 1):
            self.tree.resizeColumnToContents(col)
            self.tree.setColumnWidth(col, self.tree.columnWidth(col) + pad)
        shown = len(sessions)
        self.count_label.setText(
            "No sessions yet. Finished interviews appear here." if total == 0 and not any(self.filters().values())
            else f"{plural(total, 'session')} " + ("matches" if total == 1 else "match")
            + (f"; showing the newest {shown}" if shown < total else "") + ".")
        if sessions:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._selection_changed()
        self.loaded.emit()

    def reload_progress(self) -> None:
        if self.store is None:
            return
        store, bank, known = self.store, self.bank, self.labels

        def query():
            from ..app.practice import due_today

            from ..app.history import own_practice

            return own_practice(store, store.progress(bank=bank), known), due_today(store, bank)

        run_task(query, lambda r: self._show_progress(*r),
                 lambda p, fx: error_dialog(self.window(), "Cannot read your progress", p, fx))

    def _show_progress(self, progress: dict, due: list[dict]) -> None:
        from ..content.bank import CATEGORY_TITLES

        self.progress, self.due = progress, due
        streak, totals = progress["streak"], progress["totals"]
        self.streak.setText(
            f"Practice streak: {plural(streak['current'], 'day')} (longest {streak['longest']}). "
            f"{plural(totals['sessions'], 'session')}, {plural(totals['answers'], 'answer')} on "
            f"{plural(totals['practice_days'], 'day')}.")
        self.due_label.setText(f"Due today: {plural(len(due), 'question')} to review." if due else
                               "Nothing is due today.")
        self.due_button.setEnabled(bool(due))

        def names(items):
            return ", ".join(f"{CATEGORY_TITLES.get(t['topic'], t['topic'])} ({t['overall']:.0f})" for t in items) or "–"

        self.topics.setText(f"<b>Strongest:</b> {names(progress['strongest'])}<br>"
                            f"<b>Weakest:</b> {names(progress['weakest'])}")
        series = []
        for cat, info in sorted(progress["categories"].items()):
            series.append((CATEGORY_TITLES.get(cat, cat), [(w["week"], w["overall"]) for w in info["weekly"]]))
        self.trend.set_data(series)
        kps = [k for k in progress["key_points"] if k.get("label")]
        weak = [k for k in kps if k["rate"] < 0.7][:6]  # already weakest first
        self.key_points.set_data(weak)
        most = sorted(kps, key=lambda k: (-k["attempts"], -k["rate"]))
        self.practised.set_data([k for k in most if k not in weak][:6])
        self.progress_loaded.emit()

    # -- actions -------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _selection_changed(self) -> None:
        has = self.selected_id() is not None
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _open_selected(self) -> None:
        sid = self.selected_id()
        if sid:
            self.open_requested.emit(sid)

    def ask_delete(self) -> None:
        sid = self.selected_id()
        if not sid:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Delete session",
                          "Delete this session, its answers and its recordings? This cannot be undone.",
                          QMessageBox.StandardButton.Cancel, self.window())
        delete = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda b: b is delete and self.delete(sid))
        box.open()
        self.confirm_box = box

    def delete(self, sid: str) -> None:
        store = self.store

        def done(_result) -> None:
            self.deleted.emit(sid)
            self.changed.emit()
            self.reload()

        run_task(lambda: store.delete_session(sid), done,
                 lambda p, fx: error_dialog(self.window(), "Cannot delete the session", p, fx))

    def ask_export_all(self) -> None:
        dialog = QFileDialog(self.window(), "Export all history", "interview-history.zip")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("Zip archives (*.zip)")
        dialog.setDefaultSuffix("zip")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_all)
        dialog.open()

    def export_all(self, path: str) -> None:
        store = self.store
        win = self.window()
        if hasattr(win, "busy"):
            win.busy("Exporting the history…")
        run_task(lambda: store.export_all(path),
                 lambda p: hasattr(win, "idle") and win.idle(f"History exported to {p}"),
                 lambda p, fx: (hasattr(win, "idle") and win.idle(""),
                                error_dialog(win, "Export failed", p, fx)))

    def ask_import(self) -> None:
        dialog = QFileDialog(self.window(), "Import history", "")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter("History archives (*.zip);;All files (*)")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.import_archive)
        dialog.open()

    def import_archive(self, path: str) -> None:
        store = self.store
        win = self.window()
        if hasattr(win, "busy"):
            win.busy("Importing…")

        def done(result) -> None:
            if hasattr(win, "idle"):
                win.idle(f"Imported {plural(len(result.get('imported', [])), 'session')}; "
                         f"{len(result.get('skipped', []))} were already here")
            self.changed.emit()
            self.reload()

        run_task(lambda: store.import_archive(path), done,
                 lambda p, fx: (hasattr(win, "idle") and win.idle(""),
                                error_dialog(win, "Import refused", p, fx)))

