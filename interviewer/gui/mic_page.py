"""Microphone check: pick a device, watch the level, record 3 seconds, hear it back and
see what the app understood. The first run of the app starts here.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout,
                               QWidget)

from .level_meter import LevelMeter
from .report_page import heading, wrap_label
from .workers import run_task

log = logging.getLogger(__name__)

TEST_SECONDS = 3.0


class MicPage(QWidget):
    device_changed = Signal(object)  # device index or None (system default)
    monitor_requested = Signal(object)  # start listening on this device
    stop_requested = Signal()
    record_requested = Signal(float)
    continue_requested = Signal()
    demo_requested = Signal()
    test_transcribed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.devices: list[dict] = []
        self.monitoring = False
        self.transcriber = None
        self.player_factory = None  # made on first use, on a worker thread
        self._pending_clip = None
        self._record_started = 0.0

        lay = QVBoxLayout(self)
        lay.addWidget(heading("Microphone check", 1.6))
        lay.addWidget(wrap_label(
            "Pick your microphone and say a few words: the bar should move when you speak. Then record a "
            "3-second test: you will hear it played back and see what the app understood."))

        row = QHBoxLayout()
        self.device = QComboBox()
        self.device.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label = QLabel("&Microphone:")
        label.setBuddy(self.device)
        self.refresh_button = QPushButton("Re&fresh list")
        row.addWidget(label)
        row.addWidget(self.device, 1)
        row.addWidget(self.refresh_button)
        lay.addLayout(row)
        self.device.currentIndexChanged.connect(self._device_picked)
        self.refresh_button.clicked.connect(self.refresh_devices)

        meter_row = QHBoxLayout()
        self.listen_button = QPushButton("&Listen")
        self.listen_button.setCheckable(True)
        self.listen_button.toggled.connect(self._toggle_listen)
        self.meter = LevelMeter()
        meter_row.addWidget(self.listen_button)
        meter_row.addWidget(self.meter, 1)
        lay.addLayout(meter_row)

        test_row = QHBoxLayout()
        self.record_button = QPushButton("Rec&ord a 3-second test")
        self.record_button.clicked.connect(self.start_test)
        self.record_progress = QProgressBar()
        self.record_progress.setRange(0, 1000)
        self.record_progress.setTextVisible(False)
        self.record_progress.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
        test_row.addWidget(self.record_button)
        test_row.addWidget(self.record_progress, 1)
        lay.addLayout(test_row)
        self.result = wrap_label()
        self.result.setFrameShape(QFrame.Shape.StyledPanel)
        self.result.setMargin(8)
        self.result.setMinimumHeight(self.fontMetrics().height() * 3)
        self.result.setAccessibleName("Test result")
        lay.addWidget(self.result)

        self.problem = wrap_label()
        self.problem.setFrameShape(QFrame.Shape.StyledPanel)
        self.problem.setMargin(8)
        self.problem.hide()
        lay.addWidget(self.problem)

        bottom = QHBoxLayout()
        self.continue_button = QPushButton("Looks good: &continue")
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.continue_requested)
        self.demo_button = QPushButton("No microphone? Try the &demo")
        self.demo_button.clicked.connect(self.demo_requested)
        bottom.addWidget(self.continue_button)
        bottom.addWidget(self.demo_button)
        bottom.addStretch(1)
        lay.addLayout(bottom)
        lay.addStretch(1)

        self._record_timer = QTimer(self)
        self._record_timer.setInterval(50)
        self._record_timer.timeout.connect(self._record_tick)
        self.result.setText("No test yet.")

    # -- devices -------------------------------------------------------------------------
    def refresh_devices(self) -> None:
        from ..audio.devices import input_devices

        self.refresh_button.setEnabled(False)

        def done(devices) -> None:
            self.refresh_button.setEnabled(True)
            self.set_devices(devices)

        def failed(problem: str, fix: str) -> None:
            self.refresh_button.setEnabled(True)
            self.set_devices([])
            self.show_problem(problem, fix)

        run_task(input_devices, done, failed)

    def set_devices(self, devices: list[dict], selected=None) -> None:
        self.devices = devices
        self.device.blockSignals(True)
        self.device.clear()
        self.device.addItem("System default microphone", None)
        for d in devices:
            self.device.addItem(f"{d['name']}{' (default)' if d.get('default_input') else ''}", d["index"])
        if selected is not None:
            i = self.device.findData(selected)
            if i >= 0:
                self.device.setCurrentIndex(i)
        self.device.blockSignals(False)
        if not devices:
            self.show_problem("No microphone was found.",
                              "Plug in or enable a microphone and press Refresh list, or try the demo, which answers "
                              "from recordings.")
        else:
            self.problem.hide()

    def _device_picked(self) -> None:
        self.device_changed.emit(self.device.currentData())
        if self.monitoring:  # restart on the new device
            self.stop_requested.emit()
            self.monitor_requested.emit(self.device.currentData())

    def show_problem(self, problem: str, fix: str) -> None:
        self.problem.setText(f"{problem}\nWhat to do: {fix}" if fix else problem)
        self.problem.show()

    # -- monitoring ----------------------------------------------------------------------
    def _toggle_listen(self, on: bool) -> None:
        if on:
            self.problem.hide()
            self.monitor_requested.emit(self.device.currentData())
        else:
            self.stop_requested.emit()

    def set_monitoring(self, on: bool) -> None:
        self.monitoring = on
        self.listen_button.blockSignals(True)
        self.listen_button.setChecked(on)
        self.listen_button.blockSignals(False)
        self.listen_button.setText("Stop &listening" if on else "&Listen")
        if not on:
            self.meter.set_level(0.0)
            if self._record_timer.isActive():
                self._record_timer.stop()
                self.record_progress.setValue(0)
                self.record_button.setEnabled(True)

    def on_level(self, value: float) -> None:
        self.meter.set_level(value, value > 0.45)

    # -- the test recording --------------------------------------------------------------
    def start_test(self) -> None:
        if not self.monitoring:
            self.problem.hide()
            self.monitor_requested.emit(self.device.currentData())
        self.record_button.setEnabled(False)
        self.result.setText("Recording… say something like “I would compare training and validation error.”")
        self._record_started = time.monotonic()
        self._record_timer.start()
        self.record_requested.emit(TEST_SECONDS)

    def _record_tick(self) -> None:
        frac = min(1.0, (time.monotonic() - self._record_started) / TEST_SECONDS)
        self.record_progress.setValue(int(frac * 1000))

    def on_recorded(self, audio) -> None:
        self._record_timer.stop()
        self.record_progress.setValue(1000)
        import numpy as np

        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        if self.player_factory is not None:
            factory = self.player_factory
            run_task(lambda: factory().play(audio))
        self._pending_clip = audio
        if peak < 0.01:
            self.result.setText("The recording is silent. Check that the microphone is not muted, or pick another one.")
            self.record_button.setEnabled(True)
            self._pending_clip = None
            self.test_transcribed.emit("")
            return
        self.result.setText("Playing it back… transcribing…")
        self._transcribe()

    def set_transcriber(self, transcriber) -> None:
        self.transcriber = transcriber
        if self._pending_clip is not None:
            self._transcribe()

    def _transcribe(self) -> None:
        if self.transcriber is None:
            self.result.setText("Playing it back. The speech model is still loading; the transcript follows in a moment.")
            return
        audio, self._pending_clip = self._pending_clip, None
        transcriber = self.transcriber

        def done(transcript) -> None:
            self.record_button.setEnabled(True)
            text = transcript.text
            if text:
                self.result.setText(f"We heard: “{text}”\nIf that is roughly what you said, you are set.")
            else:
                self.result.setText("We could not make out any words. Speak a little louder or closer, "
                                    "or pick another microphone, and try again.")
            self.test_transcribed.emit(text)

        def failed(problem: str, fix: str) -> None:
            self.record_button.setEnabled(True)
            self.show_problem(problem, fix)

        run_task(lambda: transcriber.transcribe(audio), done, failed)

    def selected_device(self):
        return self.device.currentData()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.monitoring:
            self.stop_requested.emit()
            return
        super().keyPressEvent(event)
