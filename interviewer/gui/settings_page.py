"""Settings: models (found on disk, the active ones marked), voice and rate, patience,
data folder, keep audio. Saved to the settings file; model and folder changes apply on
the next start (the models are loaded once, at start-up).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QScrollArea,
                               QSpinBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from .dialogs import error_dialog
from .report_page import heading, wrap_label
from .workers import run_task

log = logging.getLogger(__name__)

AUTO = "Automatic (best found)"


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class SettingsPage(QWidget):
    saved = Signal(object)  # the new Settings
    voice_test_requested = Signal(object, int)  # voice id, rate
    models_loaded = Signal()

    def __init__(self, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.models: list[dict] = []
        self.runtime = None

        outer = QVBoxLayout(self)
        outer.addWidget(heading("Settings", 1.6))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        lay = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        # models
        models = QGroupBox("Models")
        ml = QVBoxLayout(models)
        self.models_busy = QProgressBar()
        self.models_busy.setRange(0, 0)
        self.models_busy.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
        self.models_busy.hide()
        self.model_tree = QTreeWidget()
        self.model_tree.setHeaderLabels(["", "Kind", "Name", "Size", "Licence", "Found in"])
        self.model_tree.setRootIsDecorated(False)
        self.model_tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.model_tree.setAccessibleName("Models found")
        self.model_tree.setMinimumHeight(self.fontMetrics().height() * 4)
        self.model_tree.setMaximumHeight(self.fontMetrics().height() * 7)
        ml.addWidget(self.models_busy)
        ml.addWidget(self.model_tree)
        form = QFormLayout()
        self.stt = QComboBox()
        self.llm = QComboBox()
        for combo in (self.stt, self.llm):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
        form.addRow(_buddy("Spee&ch recognition:", self.stt), self.stt)
        form.addRow(_buddy("&Language model:", self.llm), self.llm)
        ml.addLayout(form)
        self.models_note = wrap_label()
        ml.addWidget(self.models_note)
        lay.addWidget(models)

        # voice
        voice = QGroupBox("Interviewer's voice")
        vf = QFormLayout(voice)
        self.voice = QComboBox()
        self.voice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.voice.setMinimumContentsLength(24)
        self.voice.addItem("Default English voice", None)
        self.rate = QSpinBox()
        self.rate.setRange(80, 320)
        self.rate.setSuffix(" words per minute")
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate)
        self.test_voice = QPushButton("&Test voice")
        self.test_voice.clicked.connect(lambda: self.voice_test_requested.emit(self.voice.currentData(), self.rate.value()))
        rate_row.addWidget(self.test_voice)
        rate_row.addStretch(1)
        vf.addRow(_buddy("V&oice:", self.voice), self.voice)
        vf.addRow(_buddy("Speaking r&ate:", self.rate), rate_row)
        lay.addWidget(voice)

        # turn-taking
        turns = QGroupBox("Listening")
        tf = QFormLayout(turns)
        tf.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.patience = QDoubleSpinBox()
        self.patience.setRange(0.8, 15.0)
        self.patience.setSingleStep(0.5)
        self.patience.setSuffix(" s of silence ends an answer")
        self.thinking = QDoubleSpinBox()
        self.thinking.setRange(2.0, 60.0)
        self.thinking.setSingleStep(1.0)
        self.thinking.setSuffix(" s after “let me think”")
        self.follow_ups = QSpinBox()
        self.follow_ups.setRange(0, 5)
        self.follow_ups.setSuffix(" per question")
        tf.addRow(_buddy("&Patience:", self.patience), self.patience)
        tf.addRow(_buddy("Thin&king time:", self.thinking), self.thinking)
        tf.addRow(_buddy("&Follow-ups:", self.follow_ups), self.follow_ups)
        lay.addWidget(turns)

        # data
        data = QGroupBox("Your data")
        df = QFormLayout(data)
        folder_row = QHBoxLayout()
        self.data_dir = QLineEdit()
        self.data_dir.setPlaceholderText("the app's default data folder")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.data_dir, 1)
        folder_row.addWidget(browse)
        self.keep_audio = QCheckBox("K&eep recordings of my answers (needed for replay in reports)")
        df.addRow(_buddy("&Data folder:", self.data_dir), folder_row)
        df.addRow("", self.keep_audio)
        lay.addWidget(data)
        lay.addStretch(1)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save settings")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("&Undo changes")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self.load(self.settings))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        self.message = wrap_label()
        buttons.addWidget(self.message, 1)
        outer.addLayout(buttons)
        self.load(settings)

    # -- values --------------------------------------------------------------------------
    def load(self, settings) -> None:
        self.settings = settings
        self.rate.setValue(settings.speech_rate)
        self.patience.setValue(settings.patience_s)
        self.thinking.setValue(settings.thinking_patience_s)
        self.follow_ups.setValue(settings.max_follow_ups)
        self.data_dir.setText(settings.data_dir or "")
        self.keep_audio.setChecked(settings.keep_audio)
        i = self.voice.findData(settings.voice)
        self.voice.setCurrentIndex(max(0, i))
        self._fill_model_combos()
        self.message.setText("")

    def values(self) -> dict:
        return {
            "stt_model": self.stt.currentData(), "llm_model": self.llm.currentData(),
            "voice": self.voice.currentData(), "speech_rate": self.rate.value(),
            "patience_s": round(self.patience.value(), 2), "thinking_patience_s": round(self.thinking.value(), 2),
            "max_follow_ups": self.follow_ups.value(), "data_dir": self.data_dir.text().strip() or None,
            "keep_audio": self.keep_audio.isChecked(),
        }

    def save(self) -> None:
        from pydantic import ValidationError

        from ..config import Settings, save_settings

        try:
            new = Settings.model_validate({**self.settings.model_dump(), **self.values()})
            save_settings(new)
        except ValidationError as exc:
            err = exc.errors()[0]
            error_dialog(self.window(), "Settings not saved", f"{'.'.join(map(str, err['loc']))}: {err['msg']}",
                         "Correct that value and save again.")
            return
        except OSError as exc:
            error_dialog(self.window(), "Settings not saved", f"Cannot write the settings file: {exc}",
                         "Check that your config folder is writable.")
            return
        restart = any(getattr(new, k) != getattr(self.settings, k) for k in ("stt_model", "llm_model", "data_dir"))
        self.settings = new
        self.message.setText("Saved." + (" Model and data-folder changes apply the next time the app starts."
                                          if restart else ""))
        self.saved.emit(new)

    def _browse(self) -> None:
        dialog = QFileDialog(self.window(), "Choose the data folder", self.data_dir.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.data_dir.setText)
        dialog.open()

    # -- models and voices (found on worker threads) --------------------------------------
    def refresh_models(self, stt_override=None, llm_override=None) -> None:
        from ..paths import user_models_dir

        self.models_busy.show()
        self.models_note.setText("Looking for models (checking them the first time can take a few seconds)…")
        settings = self.settings

        def find():
            from ..model_registry import discover

            return [m.to_dict() for m in discover(stt_override, llm_override, settings)], str(user_models_dir())

        def done(result) -> None:
            self.models, folder = result
            self.models_busy.hide()
            self.model_tree.clear()
            for m in self.models:
                item = QTreeWidgetItem(["✓" if m["active"] else "", "speech" if m["kind"] == "stt" else "language",
                                        m["name"], f"{m['size_bytes'] / 1e6:.0f} MB", m["license"], m["source"]])
                item.setToolTip(2, m["path"])
                if m["active"]:
                    item.setToolTip(0, "in use")
                self.model_tree.addTopLevelItem(item)
            self._fill_model_combos()
            self.models_note.setText(f"✓ marks the models in use. To add one, drop a faster-whisper folder or a "
                                     f".gguf file into {folder} and reopen Settings.")
            self.models_loaded.emit()

        def failed(problem: str, fix: str) -> None:
            self.models_busy.hide()
            self.models_note.setText(f"{problem}\nWhat to do: {fix}")
            self.models_loaded.emit()

        run_task(find, done, failed)

    def _fill_model_combos(self) -> None:
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

    def set_runtime(self, runtime) -> None:
        self.runtime = runtime
        speaker = getattr(runtime, "speaker", None)
        if speaker is None:
            return

        def done(voices) -> None:
            current = self.voice.currentData()
            self.voice.clear()
            self.voice.addItem("Default English voice", None)
            english = [v for v in voices if "en" in f"{v['id']} {v['name']}".lower()]
            for v in (english or voices)[:200]:
                self.voice.addItem(v["name"], v["id"])
            i = self.voice.findData(self.settings.voice if current is None else current)
            self.voice.setCurrentIndex(max(0, i))

        run_task(speaker.voices, done, lambda p, f: log.info("voices unavailable: %s", p))
