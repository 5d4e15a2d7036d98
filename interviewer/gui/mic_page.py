"""Microphone check: pick a device, watch the level, record 3 seconds, hear it back and
see what the app understood. The first run of the app starts here.

With no microphone it says so in plain words before offering anything, and offers what
works without one: the demo, answering from recorded WAV files, and looking again (it
also looks by itself every few seconds, so a headset plugged in later appears).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QStackedWidget, QVBoxLayout, QWidget)

from .level_meter import LevelMeter
from .theme import TITLE
from .ui import caption, card, heading, link_button, page_layout, primary, unit, wrap_label
from .wording import NO_MIC_FIX, without_commands
from .workers import run_task

log = logging.getLogger(__name__)

TEST_SECONDS = 3.0
CHECKING, NONE, FOUND = range(3)
NO_MIC_TEXT = ("This computer has no microphone the app can use right now. That is common on a desktop, "
               "or with a headset that is not plugged in yet. You can still try everything:")


class MicPage(QWidget):
    device_changed = Signal(object)  # device index or None (system default)
    monitor_requested = Signal(object)  # start listening on this device
    stop_requested = Signal()
    record_requested = Signal(float)
    continue_requested = Signal()
    demo_requested = Signal()
    recordings_requested = Signal()
    rescan_requested = Signal()
    test_transcribed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.devices: list[dict] = []
        self.scanned = False
        self.monitoring = False
        self.transcriber = None
        self.player_factory = None  # made on first use, on a worker thread
        self._pending_clip = None
        self._record_started = 0.0
        self.test_passed = False

        lay = page_layout(self)
        lay.addWidget(heading("Microphone check", TITLE))
        self.views = QStackedWidget()
        lay.addWidget(self.views)
        lay.addStretch(1)
        self.views.addWidget(self._build_checking())
        self.views.addWidget(self._build_none())
        self.views.addWidget(self._build_found())
        self.views.setCurrentIndex(CHECKING)

        self._record_timer = QTimer(self)
        self._record_timer.setInterval(50)
        self._record_timer.timeout.connect(self._record_tick)

    # -- the three views -------------------------------------------------------------------
    def _build_checking(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(wrap_label("Looking for a microphone…"))
        v.addStretch(1)
        return w

    def _build_none(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(unit(self) * 2)
        frame, box = card(name="problem")
        self.none_title = heading("No microphone found")
        self.none_text = wrap_label(NO_MIC_TEXT)
        self.none_text.setAccessibleName("No microphone")
        box.addWidget(self.none_title)
        box.addWidget(self.none_text)
        v.addWidget(frame)

        grid = QGridLayout()
        grid.setHorizontalSpacing(unit(self) * 2)
        grid.setVerticalSpacing(unit(self))
        self.none_demo = primary(QPushButton("Watch the &demo"))
        self.none_recordings = QPushButton("Answer from recordin&gs…")
        self.none_rescan = QPushButton("&Look again")
        rows = ((self.none_demo, "A short scripted interview answered from recordings: questions, a follow-up, "
                                 "then a report, with nothing to set up."),
                (self.none_recordings, "Pick WAV files of your own spoken answers. Each one answers one question, "
                                       "in order."),
                (self.none_rescan, "Plugged a microphone in? The app also looks by itself every few seconds."))
        for r, (button, text) in enumerate(rows):
            grid.addWidget(button, r, 0)
            grid.addWidget(caption(text), r, 1)
        grid.setColumnStretch(1, 1)
        v.addLayout(grid)
        self.none_continue = link_button("Con&tinue to Home without a microphone")
        v.addWidget(self.none_continue, 0, Qt.AlignmentFlag.AlignLeft)
        self.none_demo.clicked.connect(self.demo_requested)
        self.none_recordings.clicked.connect(self.recordings_requested)
        self.none_rescan.clicked.connect(self._rescan)
        self.none_continue.clicked.connect(self.continue_requested)
        v.addStretch(1)  # the views share the height of the tallest: the extra goes below
        return w

    def _build_found(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(unit(self) * 2)
        self.found_banner = wrap_label()
        self.found_banner.hide()
        v.addWidget(wrap_label("Pick your microphone and say a few words: the bar should move when you speak. Then "
                               "record a 3-second test: you hear it played back and see what the app understood."))

        frame, box = card()
        row = QHBoxLayout()
        self.device = QComboBox()
        self.device.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device.setMinimumContentsLength(16)
        label = QLabel("&Microphone:")
        label.setBuddy(self.device)
        self.refresh_button = QPushButton("Re&fresh list")
        row.addWidget(label)
        row.addWidget(self.device, 1)
        row.addWidget(self.refresh_button)
        box.addLayout(row)
        meter_row = QHBoxLayout()
        self.listen_button = QPushButton("&Listen")
        self.listen_button.setCheckable(True)
        self.listen_button.toggled.connect(self._toggle_listen)
        self.meter = LevelMeter()
        meter_row.addWidget(self.listen_button)
        meter_row.addWidget(self.meter, 1)
        box.addLayout(meter_row)
        v.addWidget(frame)
        self.device.currentIndexChanged.connect(self._device_picked)
        self.refresh_button.clicked.connect(self._rescan)

        frame, box = card()
        test_row = QHBoxLayout()
        self.record_button = primary(QPushButton("Rec&ord a 3-second test"))
        self.record_button.clicked.connect(self.start_test)
        self.record_progress = QProgressBar()
        self.record_progress.setRange(0, 1000)
        self.record_progress.setTextVisible(False)
        self.record_progress.setFixedHeight(max(6, self.fontMetrics().height() // 2 - 1))
        test_row.addWidget(self.record_button)
        test_row.addWidget(self.record_progress, 1)
        box.addLayout(test_row)
        self.result = wrap_label("No test yet.")
        self.result.setMinimumHeight(self.fontMetrics().height() * 2)
        self.result.setAccessibleName("Test result")
        box.addWidget(self.result)
        v.addWidget(frame)

        self.problem_frame, pbox = card(name="problem")
        self.problem = wrap_label()
        self.problem.setAccessibleName("Microphone problem")
        pbox.addWidget(self.problem)
        prow = QHBoxLayout()
        self.problem_demo = QPushButton("Try the d&emo")
        self.problem_recordings = QPushButton("Answer from recordin&gs…")
        self.problem_demo.clicked.connect(self.demo_requested)
        self.problem_recordings.clicked.connect(self.recordings_requested)
        prow.addWidget(self.problem_demo)
        prow.addWidget(self.problem_recordings)
        prow.addStretch(1)
        pbox.addLayout(prow)
        self.problem_frame.hide()
        v.addWidget(self.problem_frame)

        bottom = QHBoxLayout()
        self.continue_button = QPushButton("Looks good: &continue")
        self.continue_button.clicked.connect(self.continue_requested)
        self.demo_button = link_button("No microphone? Try the &demo")
        self.demo_button.clicked.connect(self.demo_requested)
        bottom.addWidget(self.continue_button)
        bottom.addWidget(self.demo_button)
        bottom.addStretch(1)
        v.addLayout(bottom)
        v.addStretch(1)
        return w

    @property
    def view(self) -> int:
        return self.views.currentIndex()

    # -- devices ---------------------------------------------------------------------------
    def _rescan(self) -> None:
        self.none_rescan.setEnabled(False)
        self.refresh_button.setEnabled(False)
        self.none_text.setText("Looking again…")
        self.rescan_requested.emit()

    def set_devices(self, devices: list[dict], selected=None) -> None:
        newly_found = self.scanned and not self.devices and bool(devices)
        self.scanned = True
        self.devices = devices
        self.none_rescan.setEnabled(True)
        self.refresh_button.setEnabled(True)
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
            self.none_text.setText(NO_MIC_TEXT)
            self.views.setCurrentIndex(NONE)
            self._set_default(self.none_demo)
            return
        self.views.setCurrentIndex(FOUND)
        if newly_found:  # a new device: an old problem no longer applies (a re-scan after one keeps it)
            self.problem_frame.hide()
            self.result.setText(f"Found “{devices[0]['name']}”. Record a test to check it.")
        self._set_default(self.continue_button if self.test_passed else self.record_button)

    def _set_default(self, button: QPushButton) -> None:
        """The button Enter presses: the next sensible step, never "continue" untested."""
        for b in (self.record_button, self.continue_button, self.none_demo):
            is_it = b is button
            b.setDefault(is_it)
            b.setProperty("primary", is_it)
            b.style().unpolish(b)
            b.style().polish(b)

    def _device_picked(self) -> None:
        self.device_changed.emit(self.device.currentData())
        self.test_passed = False
        if self.monitoring:  # restart on the new device
            self.stop_requested.emit()
            self.monitor_requested.emit(self.device.currentData())

    def show_problem(self, problem: str, fix: str) -> None:
        """A failed Listen or test: what went wrong, what to do, and what works without it."""
        fix = without_commands(fix, NO_MIC_FIX)
        self.problem.setText(f"{problem}\nWhat to do: {fix}" if fix else problem)
        self.problem_frame.show()
        if self._record_timer.isActive() or not self.record_button.isEnabled():
            self._record_timer.stop()
            self.record_progress.setValue(0)
            self.record_button.setEnabled(True)
            self.result.setText("The test did not run: no sound could be recorded.")

    # -- monitoring ------------------------------------------------------------------------
    def _toggle_listen(self, on: bool) -> None:
        if on:
            self.problem_frame.hide()
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
            if self._record_timer.isActive():  # stopped before the take was complete
                self._record_timer.stop()
                self.record_progress.setValue(0)
                self.record_button.setEnabled(True)
                self.result.setText("The test stopped before it was recorded. Press Record to try again.")

    def on_level(self, value: float) -> None:
        self.meter.set_level(value, value > 0.45)

    # -- the test recording ----------------------------------------------------------------
    def start_test(self) -> None:
        if not self.monitoring:
            self.problem_frame.hide()
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
                self.test_passed = True
                self._set_default(self.continue_button)
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
