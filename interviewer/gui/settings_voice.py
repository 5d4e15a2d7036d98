"""Settings > The interviewer's voice: a short, sorted list of English voices first (the
system offers a hundred languages; "More voices…" shows them all), the speaking rate,
and Test voice, which shows that it is speaking until it has finished.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget

from .theme import SECTION
from .ui import caption, card, heading

DEFAULT = "Default English voice"
MORE = "__more__"
TEST_LINE = "Hello. Tell me about a model you shipped to production."
_ENGLISH_ID = re.compile(r"(^|[/_.\-])en([\-_.]|$)", re.IGNORECASE)


def is_english(voice: dict) -> bool:
    """espeak ("gmw/en-us", "English (America)"), SAPI ("... English (United States)") and
    macOS ("com.apple.voice.compact.en-US.Samantha") all say it one of these ways."""
    return "english" in str(voice.get("name", "")).lower() or bool(_ENGLISH_ID.search(str(voice.get("id", ""))))


def split_voices(voices: list[dict]) -> tuple[list[dict], list[dict]]:
    """(English voices, the rest), each sorted by name."""
    english = sorted((v for v in voices if is_english(v)), key=lambda v: str(v["name"]).lower())
    rest = sorted((v for v in voices if not is_english(v)), key=lambda v: str(v["name"]).lower())
    return english, rest


class VoiceSection(QWidget):
    test_requested = Signal(object, int)  # voice id, rate

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.english: list[dict] = []
        self.others: list[dict] = []
        self.showing_all = False
        self.speaking = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame, box = card()
        outer.addWidget(frame)
        box.addWidget(heading("The interviewer's voice", SECTION))
        form = QFormLayout()
        box.addLayout(form)
        self.voice = QComboBox()
        self.voice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.voice.setMinimumContentsLength(20)
        self.voice.setAccessibleName("Voice")
        self.voice.addItem(DEFAULT, None)
        self.voice.activated.connect(self._activated)
        self.rate = QSpinBox()
        self.rate.setRange(80, 320)
        self.rate.setSuffix(" words per minute")
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate)
        self.test_button = QPushButton("&Test voice")
        self.test_button.clicked.connect(self._test)
        rate_row.addWidget(self.test_button)
        self.speaking_bar = QProgressBar()
        self.speaking_bar.setRange(0, 0)
        self.speaking_bar.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 4)
        self.speaking_bar.setFixedHeight(max(4, self.fontMetrics().height() // 4))
        self.speaking_bar.setAccessibleName("Speaking")
        policy = self.speaking_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.speaking_bar.setSizePolicy(policy)
        self.speaking_bar.hide()
        rate_row.addWidget(self.speaking_bar)
        rate_row.addStretch(1)
        voice_label = QLabel("V&oice:")
        voice_label.setBuddy(self.voice)
        rate_label = QLabel("Speaking r&ate:")
        rate_label.setBuddy(self.rate)
        form.addRow(voice_label, self.voice)
        form.addRow(rate_label, rate_row)
        self.status = caption()
        self.status.setAccessibleName("Voice test")
        self.status.hide()
        box.addWidget(self.status)

    # -- the list --------------------------------------------------------------------------
    def set_voices(self, voices: list[dict], current: str | None) -> None:
        self.english, self.others = split_voices(voices)
        self._fill(current)

    def _fill(self, current: str | None) -> None:
        self.voice.blockSignals(True)
        self.voice.clear()
        self.voice.addItem(DEFAULT, None)
        for v in self.english:
            self.voice.addItem(v["name"], v["id"])
        if self.others:
            self.voice.insertSeparator(self.voice.count())
            if self.showing_all or current in {v["id"] for v in self.others}:
                self.showing_all = True
                for v in self.others:
                    self.voice.addItem(v["name"], v["id"])
            else:
                self.voice.addItem(f"More voices… ({len(self.others)} other languages)", MORE)
        i = self.voice.findData(current) if current else 0
        self.voice.setCurrentIndex(max(0, i))
        self.voice.blockSignals(False)

    def _activated(self, index: int) -> None:
        if self.voice.itemData(index) == MORE:
            keep = self.current()
            self.showing_all = True
            self._fill(keep)
            self.voice.showPopup()

    def current(self) -> str | None:
        data = self.voice.currentData()
        return None if data == MORE else data

    def select(self, voice_id: str | None) -> None:
        self._fill(voice_id)

    # -- the test --------------------------------------------------------------------------
    def _test(self) -> None:
        if not self.speaking:
            self.test_requested.emit(self.current(), self.rate.value())

    def set_speaking(self, on: bool, message: str = "") -> None:
        """Show that the test is speaking (or has finished, or failed: `message`)."""
        self.speaking = on
        self.test_button.setEnabled(not on)
        self.test_button.setText("Speaking…" if on else "&Test voice")
        self.speaking_bar.setVisible(on)
        name = self.voice.currentText() if self.current() else "the default voice"
        self.status.setText(message or (f"Speaking with {name}: “{TEST_LINE}”" if on else ""))
        self.status.setVisible(bool(self.status.text()))
