"""Settings: models (settings_models), recognition quality, the interviewer's voice
(settings_voice), patience, the data folder, keeping recordings. One Save, here (also
Ctrl+S while on this page); model and folder changes apply on the next start (the
models are loaded once, at start-up).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from .dialogs import error_dialog
from .settings_models import ModelsSection
from .settings_voice import VoiceSection
from .theme import SECTION, TITLE
from .ui import caption, card, heading, primary, scroll_page, unit
from .workers import run_task

log = logging.getLogger(__name__)


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def stt_quality_costs(settings_type) -> dict[str, float] | None:
    """Seconds of computing per minute of speech for each recognition quality, from the
    speech code, or None when this version's settings have no quality."""
    if "stt_quality" not in getattr(settings_type, "model_fields", {}):
        return None
    try:
        from ..speech import final_pass

        return {q: float(final_pass.cost_seconds_per_minute(q)) for q in ("standard", "accurate")}
    except Exception:  # the cost is a hint: without it the choice is still offered
        log.exception("cannot read the recognition quality's cost")
        return {}


class SettingsPage(QWidget):
    saved = Signal(object)  # the new Settings
    voice_test_requested = Signal(object, int)  # voice id, rate
    models_loaded = Signal()

    def __init__(self, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.runtime = None
        self.setObjectName("page")
        outer = QVBoxLayout(self)
        u = unit(self)
        outer.setContentsMargins(u * 3, u * 2, u * 3, u * 2)
        outer.addWidget(heading("Settings", TITLE))
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, u, 0)
        lay.setSpacing(u * 2)
        outer.addWidget(scroll_page(body), 1)

        self.models_section = ModelsSection(settings)
        self.models_section.models_loaded.connect(self.models_loaded)
        lay.addWidget(self.models_section)
        self._build_quality(lay)
        self.voice_section = VoiceSection()
        self.voice_section.test_requested.connect(self.voice_test_requested)
        lay.addWidget(self.voice_section)

        frame, box = card()
        box.addWidget(heading("Listening", SECTION))
        tf = QFormLayout()
        tf.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        box.addLayout(tf)
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
        lay.addWidget(frame)

        frame, box = card()
        box.addWidget(heading("Your data", SECTION))
        df = QFormLayout()
        box.addLayout(df)
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
        lay.addWidget(frame)
        lay.addStretch(1)

        buttons = QHBoxLayout()
        self.save_button = primary(QPushButton("&Save settings"))
        self.revert_button = QPushButton("&Undo changes")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self.load(self.settings))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        self.message = caption()
        buttons.addWidget(self.message, 1)
        outer.addLayout(buttons)
        # the one Save: Ctrl+S works here, and only here
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.load(settings)

    def _build_quality(self, lay: QVBoxLayout) -> None:
        """Recognition quality, when the speech code offers it (with what each costs)."""
        self.quality = None
        costs = stt_quality_costs(type(self.settings))
        if costs is None:
            return
        frame, box = card()
        box.addWidget(heading("Recognition quality", SECTION))
        self.quality = QComboBox()
        self.quality.setAccessibleName("Recognition quality")
        for value, text in (("standard", "Standard: the fast tiny model only"),
                            ("accurate", "Accurate: a second, larger pass in the background after each answer")):
            cost = costs.get(value)
            self.quality.addItem(text + (f" (about {cost:.2g} s of computing per minute of speech)"
                                         if cost is not None else ""), value)
        row = QFormLayout()
        row.addRow(_buddy("Recognition &quality:", self.quality), self.quality)
        box.addLayout(row)
        box.addWidget(caption("Accurate hears technical terms better; the report waits for the second pass."))
        lay.addWidget(frame)

    # the parts the window and tests reach
    @property
    def models(self) -> list[dict]:
        return self.models_section.models

    @property
    def stt(self) -> QComboBox:
        return self.models_section.stt

    @property
    def llm(self) -> QComboBox:
        return self.models_section.llm

    @property
    def voice(self) -> QComboBox:
        return self.voice_section.voice

    @property
    def rate(self) -> QSpinBox:
        return self.voice_section.rate

    @property
    def test_voice(self) -> QPushButton:
        return self.voice_section.test_button

    # -- values ----------------------------------------------------------------------------
    def load(self, settings) -> None:
        self.settings = settings
        self.models_section.settings = settings
        self.rate.setValue(settings.speech_rate)
        self.patience.setValue(settings.patience_s)
        self.thinking.setValue(settings.thinking_patience_s)
        self.follow_ups.setValue(settings.max_follow_ups)
        self.data_dir.setText(settings.data_dir or "")
        self.keep_audio.setChecked(settings.keep_audio)
        self.voice_section.select(settings.voice)
        if self.quality is not None:
            self.quality.setCurrentIndex(max(0, self.quality.findData(getattr(settings, "stt_quality", "standard"))))
        self.models_section.fill_combos()
        self.message.setText("")

    def values(self) -> dict:
        values = {
            "stt_model": self.stt.currentData(), "llm_model": self.llm.currentData(),
            "voice": self.voice_section.current(), "speech_rate": self.rate.value(),
            "patience_s": round(self.patience.value(), 2), "thinking_patience_s": round(self.thinking.value(), 2),
            "max_follow_ups": self.follow_ups.value(), "data_dir": self.data_dir.text().strip() or None,
            "keep_audio": self.keep_audio.isChecked(),
        }
        if self.quality is not None:
            values["stt_quality"] = self.quality.currentData()
        return values

    def save(self) -> None:
        from pydantic import ValidationError

        from ..config import Settings, save_settings

        try:
            new = Settings.model_validate({**self.settings.model_dump(), **self.values()})
            save_settings(new)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(map(str, err["loc"])).replace("_", " ")
            error_dialog(self.window(), "Settings not saved", f"{field}: {err['msg']}",
                         "Correct that value and save again.")
            return
        except OSError as exc:
            error_dialog(self.window(), "Settings not saved", f"Cannot write the settings file: {exc}",
                         "Check that your config folder is writable.")
            return
        restart = any(getattr(new, k, None) != getattr(self.settings, k, None)
                      for k in ("stt_model", "llm_model", "data_dir", "stt_quality"))
        self.settings = new
        self.models_section.settings = new
        self.message.setText("Saved." + (" Model, quality and data-folder changes apply the next time the app starts."
                                          if restart else ""))
        self.saved.emit(new)

    def _browse(self) -> None:
        dialog = QFileDialog(self.window(), "Choose the data folder", self.data_dir.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.data_dir.setText)
        dialog.open()

    # -- models and voices (found on worker threads) ---------------------------------------
    def refresh_models(self, stt_override=None, llm_override=None) -> None:
        self.models_section.refresh(stt_override, llm_override)

    def set_runtime(self, runtime) -> None:
        self.runtime = runtime
        speaker = getattr(runtime, "speaker", None)
        if speaker is None:
            return

        def done(voices) -> None:
            self.voice_section.set_voices(voices, self.voice_section.current() or self.settings.voice)

        run_task(speaker.voices, done, lambda p, f: log.info("voices unavailable: %s", p))
