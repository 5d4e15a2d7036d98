"""A stand-in for the `sounddevice` module, injected into MicSource, so the microphone code
itself runs in tests: devices are listed, settings checked, and an InputStream calls the
real callback from its own thread with blocks of a WAV (then silence), at the device's
rate, in real time or faster. A device can be unplugged mid-stream and plugged back in.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import numpy as np


class PortAudioError(Exception):
    pass


class FakeSoundDevice:
    PortAudioError = PortAudioError

    def __init__(self, *, audio: np.ndarray | None = None, rate: int = 16000, rates: tuple[int, ...] | None = None,
                 inputs: int = 1, speed: float = 1.0, name: str = "Fake USB microphone") -> None:
        self.audio = np.zeros(0, np.float32) if audio is None else np.asarray(audio, np.float32)
        self.rate = rate  # the device's default rate; `audio` is at this rate
        self.rates = rates or (rate,)  # rates the device accepts
        self.inputs = inputs
        self.speed = speed
        self.name = name
        self.plugged = True
        self.streams: list[FakeInputStream] = []
        self.default = SimpleNamespace(device=(0 if inputs else -1, 1))

    # -- the module's functions the app uses ------------------------------------------------
    def query_devices(self, device=None, kind=None):
        devices = [{"name": self.name, "max_input_channels": self.inputs if self.plugged else 0,
                    "max_output_channels": 0, "default_samplerate": float(self.rate)},
                   {"name": "Fake speakers", "max_input_channels": 0, "max_output_channels": 2,
                    "default_samplerate": 48000.0}]
        if device is None and kind is None:
            return devices
        if kind == "input" and (not self.inputs or not self.plugged):
            raise PortAudioError("No input device available")
        return devices[0 if device in (None, 0) else int(device)]

    def check_input_settings(self, device=None, samplerate=None, channels=None, dtype=None):
        if samplerate not in self.rates:
            raise PortAudioError(f"Invalid sample rate {samplerate}")

    def InputStream(self, **kwargs) -> "FakeInputStream":
        if not self.plugged:
            raise PortAudioError("Device unavailable")
        stream = FakeInputStream(self, **kwargs)
        self.streams.append(stream)
        return stream

    # -- the test's hands ------------------------------------------------------------------
    def unplug(self) -> None:
        self.plugged = False
        for stream in self.streams:
            stream.die()

    def plug_in(self) -> None:
        self.plugged = True

    @property
    def open_streams(self) -> list["FakeInputStream"]:
        return [s for s in self.streams if s.active]


class FakeInputStream:
    def __init__(self, sd: FakeSoundDevice, *, device=None, channels=1, samplerate=16000, dtype="float32",
                 blocksize=512, callback=None, finished_callback=None) -> None:
        self.sd = sd
        self.samplerate = samplerate
        self.blocksize = blocksize
        self.callback = callback
        self.finished_callback = finished_callback
        self.active = False
        self.closed = False
        self.blocks = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.active = True
        self._thread = threading.Thread(target=self._run, name="fake-portaudio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        audio, n = self.sd.audio, self.blocksize
        period = n / self.samplerate / self.sd.speed
        pos, t_next = 0, time.monotonic()
        while not self._stop.is_set():
            block = audio[pos:pos + n]
            if block.size < n:
                block = np.concatenate([block, np.zeros(n - block.size, np.float32)])
            pos += n
            self.callback(block.reshape(-1, 1).copy(), n, None, None)
            self.blocks += 1
            t_next += period
            delay = t_next - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    def die(self) -> None:
        """The device went away: the stream stops and PortAudio calls finished_callback."""
        if self.active:
            self._stop.set()
            self.active = False
            if self.finished_callback:
                self.finished_callback()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=1)
        self.active = False

    def close(self) -> None:
        self.closed = True
