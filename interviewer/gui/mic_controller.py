"""The microphone, as the window sees it: which inputs exist (looked for at start-up and
again every few seconds while there is none, so a headset plugged in later is offered),
the level monitor of the microphone check, and its 3-second test recording.

Looking for devices and opening them run off the GUI thread (enumeration can take a
while, and fails in many ways on real machines).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from .workers import MicMonitor, ThreadedWorker, run_task

log = logging.getLogger(__name__)

RESCAN_MS = 3000
FIRST_RUN_MARKER = "microphone-checked"


def first_run_marker() -> Path:
    from ..paths import config_dir

    return config_dir() / FIRST_RUN_MARKER


def scan_inputs(reinit: bool = False, sd=None) -> list[dict]:
    """The input devices. With `reinit`, PortAudio is restarted first: it lists devices
    only when it starts, so a microphone plugged in later is otherwise never seen. Only
    safe while no audio stream is open (the caller knows)."""
    from ..audio.devices import import_sounddevice, input_devices

    sd = sd or import_sounddevice()
    if reinit and hasattr(sd, "_terminate") and hasattr(sd, "_initialize"):
        try:
            sd._terminate()
            sd._initialize()
        except Exception as exc:  # an odd sound system: list what the running PortAudio knows
            log.info("could not restart PortAudio to look for new devices: %s", exc)
    return input_devices(sd)


class MicController(QObject):
    devices_changed = Signal(list)  # the input devices (empty: no microphone)
    scan_failed = Signal(str, str)  # problem, fix
    level = Signal(float)
    recorded = Signal(object)  # the test clip
    monitor_failed = Signal(str, str)
    monitoring_changed = Signal(bool)

    def __init__(self, source_factory: Callable, scan: Callable[[bool], list] | None = None,
                 audio_quiet: Callable[[], bool] = lambda: True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source_factory = source_factory
        self._scan = scan or (lambda reinit: scan_inputs(reinit))
        self.audio_quiet = audio_quiet  # no stream open anywhere: PortAudio may restart
        self.devices: list[dict] | None = None  # None: not looked yet
        self.monitor: ThreadedWorker | None = None
        self._scanning = False
        self._timer = QTimer(self)
        self._timer.setInterval(RESCAN_MS)
        self._timer.timeout.connect(lambda: self.scan(again=True))

    @property
    def has_microphone(self) -> bool | None:
        return None if self.devices is None else bool(self.devices)

    @property
    def monitoring(self) -> bool:
        return self.monitor is not None and self.monitor.running

    # -- looking for devices ---------------------------------------------------------------
    def scan(self, again: bool = False) -> None:
        """Look for microphones; `again` restarts PortAudio first when nothing is open."""
        if self._scanning:
            return
        self._scanning = True
        reinit = again and self.audio_quiet() and not self.monitoring
        scan = self._scan

        def done(devices) -> None:
            self._scanning = False
            self._set(list(devices))

        def failed(problem: str, fix: str) -> None:
            self._scanning = False
            self._set([])
            self.scan_failed.emit(problem, fix)

        run_task(lambda: scan(reinit), done, failed)

    def _set(self, devices: list[dict]) -> None:
        self.devices = devices
        if devices:
            self._timer.stop()
        elif not self._timer.isActive():
            self._timer.start()  # keep looking: a headset may be plugged in later
        self.devices_changed.emit(devices)

    def stop_looking(self) -> None:
        self._timer.stop()

    # -- the level monitor and the test ----------------------------------------------------
    def start_monitor(self, device=None) -> None:
        if self.monitoring:
            return
        factory = self.source_factory
        mon = MicMonitor(lambda: factory(device))
        mon.level.connect(self.level)
        mon.recorded.connect(self.recorded)
        mon.failed.connect(self.monitor_failed)
        mon.finished.connect(self._monitor_finished)
        self.monitor = ThreadedWorker(mon, "mic-monitor")
        self.monitoring_changed.emit(True)
        self.monitor.start()

    def _monitor_finished(self) -> None:
        self.monitoring_changed.emit(False)

    def stop_monitor(self) -> None:
        if self.monitoring:
            self.monitor.worker.stop()

    def record(self, seconds: float) -> None:
        if self.monitor is not None:
            self.monitor.worker.record(seconds)
