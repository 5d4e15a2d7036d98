"""Settings > Models: the models found (the ones in use marked), which to use, and adding
one you already have: Browse for a .gguf file or a faster-whisper folder; it is checked
at once with the model registry's checks, with a clear verdict, then linked (or copied)
into the models folder (app/models.py). Checks and copies run on the thread pool.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QProgressBar, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from .dialogs import error_dialog
from .palette import BAD, GOOD, css
from .theme import SECTION
from .ui import caption, card, heading, wrap_label
from .workers import run_task

log = logging.getLogger(__name__)

AUTO = "Automatic (best found)"
SOURCES = {"embedded": "installed with the app", "user-dir": "your models folder", "settings": "chosen in Settings",
           "cli": "given at start-up"}


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class ModelsSection(QWidget):
    models_loaded = Signal()
    model_added = Signal(dict)  # app.models.add_model()'s result
    model_rejected = Signal(str, str)  # problem, fix

    def __init__(self, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.models: list[dict] = []
        self.overrides = (None, None)
        frame, box = card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        box.addWidget(heading("Models", SECTION))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setFixedHeight(max(4, self.fontMetrics().height() // 4))
        self.busy.hide()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["In use", "Kind", "Name", "Size", "Licence", "Found in"])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setAccessibleName("Models found")
        self.tree.setMinimumHeight(self.fontMetrics().height() * 4)
        self.tree.setMaximumHeight(self.fontMetrics().height() * 7)
        box.addWidget(self.busy)
        box.addWidget(self.tree)
        form = QFormLayout()
        self.stt = QComboBox()
        self.llm = QComboBox()
        for combo in (self.stt, self.llm):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        form.addRow(_buddy("Spee&ch recognition:", self.stt), self.stt)
        form.addRow(_buddy("&Language model:", self.llm), self.llm)
        box.addLayout(form)

        add = QHBoxLayout()
        self.add_llm_button = QPushButton("Add a lan&guage model (.gguf)…")
        self.add_stt_button = QPushButton("Add a speech &model folder…")
        self.copy_box = QCheckBox("Cop&y it into the models folder")
        self.copy_box.setToolTip("Otherwise the app links to the model where it is (no extra disk space; keep the "
                                 "original where it is)")
        self.add_llm_button.clicked.connect(lambda: self.browse("llm"))
        self.add_stt_button.clicked.connect(lambda: self.browse("stt"))
        add.addWidget(self.add_llm_button)
        add.addWidget(self.add_stt_button)
        add.addStretch(1)
        box.addLayout(add)
        box.addWidget(self.copy_box)
        self.verdict = wrap_label(rich=True)
        self.verdict.setAccessibleName("Model check")
        self.verdict.hide()
        box.addWidget(self.verdict)
        self.note = caption()
        box.addWidget(self.note)

    # -- found models ----------------------------------------------------------------------
    def refresh(self, stt_override=None, llm_override=None) -> None:
        from ..paths import user_models_dir

        self.overrides = (stt_override, llm_override)
        self.busy.show()
        self.note.setText("Looking for models (checking them the first time can take a few seconds)…")
        settings = self.settings

        def find():
            from ..models.registry import discover

            return [m.to_dict() for m in discover(stt_override, llm_override, settings)], str(user_models_dir())

        def done(result) -> None:
            self.models, folder = result
            self.busy.hide()
            self.tree.clear()
            for m in self.models:
                item = QTreeWidgetItem(["✓" if m["active"] else "", "speech" if m["kind"] == "stt" else "language",
                                        m["name"], f"{m['size_bytes'] / 1e6:.0f} MB", m["license"],
                                        SOURCES.get(m["source"], m["source"])])
                item.setToolTip(2, m["path"])
                self.tree.addTopLevelItem(item)
            self.fill_combos()
            self.note.setText(f"✓ marks the models in use. Models you add go to {folder}; Automatic prefers them "
                              "to the ones installed with the app. Changes apply the next time the app starts.")
            self.models_loaded.emit()

        def failed(problem: str, fix: str) -> None:
            self.busy.hide()
            self.note.setText(f"{problem}\nWhat to do: {fix}")
            self.models_loaded.emit()

        run_task(find, done, failed)

    def fill_combos(self) -> None:
        for combo, kind, current in ((self.stt, "stt", self.settings.stt_model),
                                     (self.llm, "llm", self.settings.llm_model)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(AUTO, None)
            for m in self.models:
                if m["kind"] == kind:
                    combo.addItem(m["name"], m["path"])
                    combo.setItemData(combo.count() - 1, m["path"], Qt.ItemDataRole.ToolTipRole)
            i = combo.findData(current) if current else 0
            if current and i < 0:
                combo.addItem(current, current)
                i = combo.count() - 1
            combo.setCurrentIndex(max(0, i))
            combo.blockSignals(False)

    # -- adding one ------------------------------------------------------------------------
    def browse(self, kind: str) -> None:
        dialog = QFileDialog(self.window(), "Add a language model" if kind == "llm" else "Add a speech model")
        if kind == "llm":
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            dialog.setNameFilters(["GGUF models (*.gguf)", "All files (*)"])
        else:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.add_model_from)
        dialog.open()
        self.file_dialog = dialog

    def add_model_from(self, path: str) -> None:
        """Check `path` and add it; the verdict appears below the buttons."""
        from ..app.models import add_model

        copy = self.copy_box.isChecked()
        self.busy.show()
        self.verdict.show()
        self.verdict.setText(f"Checking “{path}”…")
        for b in (self.add_llm_button, self.add_stt_button):
            b.setEnabled(False)

        def finish() -> None:
            self.busy.hide()
            for b in (self.add_llm_button, self.add_stt_button):
                b.setEnabled(True)

        def done(info: dict) -> None:
            finish()
            what = "a language model" if info["kind"] == "llm" else "a speech model"
            how = {"linked": "linked into", "copied": "copied into", "already there": "already in"}[info["how"]]
            self.verdict.setText(
                f"<span style='color:{css(GOOD)}'>✓ Ready to use.</span> <b>{info['name']}</b> is {what} "
                f"({info['size_bytes'] / 1e6:,.0f} MB), now {how} your models folder. Pick it above and save, or "
                "leave Automatic: a model you added is preferred. It is used from the next start.")
            self.model_added.emit(info)
            self.refresh(*self.overrides)

        def failed(problem: str, fix: str) -> None:
            finish()
            self.verdict.setText(f"<span style='color:{css(BAD)}'>✗ Not added.</span> {problem}")
            self.model_rejected.emit(problem, fix)
            error_dialog(self.window(), "This model cannot be used", problem, fix)

        run_task(lambda progress: add_model(path, copy=copy, progress=progress), done, failed, with_progress=True,
                 on_progress=lambda msg: self.verdict.setText(msg))
