"""Where answers come from: the microphone, or a WAV replayed in real time.

Both deliver the internal format (16 kHz mono float32) in fixed frames through a
bounded queue. The sounddevice callback only copies into that queue: no allocation
beyond the copy, no locks, no logging, nothing that could make the audio thread late.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from ..errors import AudioError
from . import SAMPLE_RATE

log = logging.getLogger(__name__)

FRAME = 512  # 32 ms at 16 kHz: Silero VAD's window
QUEUE_FRAMES = 1000  # ~32 s of backlog before frames are dropped (and counted)


class DeviceLost(AudioError):
    """The input device stopped delivering audio mid-answer."""


def rms_level(frame: np.ndarray) -> float:
    """0..1 level for a meter: RMS in dBFS mapped from [-60, 0]."""
    rms = float(np.sqrt(np.mean(frame * frame))) if frame.size else 0.0
    db = 20 * np.log10(rms) if rms > 1e-9 else -120.0
    return float(min(1.0, max(0.0, (db + 60) / 60)))


class AudioSource:
    """Iterate `frames()` for FRAME-sample float32 arrays until `stop()`."""

    sample_rate = SAMPLE_RATE

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
        self._stop = threading.Event()
        self.dropped = 0
        self.level = 0.0
        self.error: Exception | None = None

    def start(self) -> "AudioSource":
        return self

    def stop(self) -> None:
        self._stop.set()

    def cue(self, state: str) -> None:
        """What the engine is doing ("speak" or "listen"): a replayed source times its clips by it."""

    def hold(self, held: bool) -> None:
        """The session is paused: a replayed source stops advancing (a microphone just goes on)."""

    def drain(self) -> None:
        """Throw away what queued up while nobody listened (e.g. while the interviewer spoke)."""
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass

    def _push(self, frame: np.ndarray) -> None:
        try:
            self._queue.put_nowait(frame)
        except queue.Full:
            self.dropped += 1

    def read(self, timeout: float = 1.0) -> np.ndarray | None:
        """The next frame, or None if none came within `timeout`. Once the device has died,
        what it captured before is still delivered, then DeviceLost is raised."""
        try:
            frame = self._queue.get(timeout=timeout) if not self.error else self._queue.get_nowait()
        except queue.Empty:
            if self.error:
                raise self.error
            return None
        self.level = rms_level(frame)
        return frame

    @property
    def exhausted(self) -> bool:
        return False


class FileSource(AudioSource):
    """Replays WAV files as if spoken into a microphone, in real time (or faster).

    Several files play one after another, each as the next answer; between answers the
    source is silent (like a candidate waiting), so the end-of-turn logic sees exactly
    what it would live. `speed` > 1 replays faster than real time (tests of logic only).
    """

    def __init__(self, paths: Sequence[str | Path] | None = None, *, audio: Sequence[np.ndarray] | None = None,
                 speed: float = 1.0, lead_in_s: float = 0.3, tail_s: float = 30.0,
                 start_on: Sequence[str] | str = "listen", barge_delay_s: float = 1.0) -> None:
        super().__init__()
        from .io import load_audio

        clips = list(audio or []) + [load_audio(p) for p in (paths or [])]
        self._clips = [np.asarray(c, dtype=np.float32) for c in clips]
        self.speed = speed
        self.lead_in = int(lead_in_s * SAMPLE_RATE)
        self.tail = int(tail_s * SAMPLE_RATE)
        self._next = threading.Event()  # set by next_answer(): start playing the next clip
        self._playing = False
        self._thread: threading.Thread | None = None
        n = len(self._clips)
        self.start_on = [start_on] * n if isinstance(start_on, str) else list(start_on)
        self.barge_delay_s = barge_delay_s
        self.clip_index = -1
        self.clip_started_at: float | None = None  # monotonic time the current clip's first sample was queued
        self.speech_end_times: list[float] = []
        self._running = threading.Event()  # cleared while held: a paused candidate does not go on talking
        self._running.set()

    def start(self) -> "FileSource":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="file-source", daemon=True)
            self._thread.start()
        return self

    def next_answer(self) -> bool:
        """Begin the next clip (called when the app starts listening). False when none are left."""
        if self.clip_index + 1 >= len(self._clips):
            return False
        self._next.set()
        return True

    @property
    def exhausted(self) -> bool:
        return self.clip_index + 1 >= len(self._clips) and not self._next.is_set()

    @property
    def playing_clip(self) -> bool:
        return self._playing

    def hold(self, held: bool) -> None:
        if held:
            self._running.clear()
        else:
            self._running.set()

    def cue(self, state: str) -> None:
        """The engine says what it is doing ("speak" or "listen"): the next clip starts on its cue.

        A clip cued on "speak" starts `barge_delay_s` into the interviewer's line: a
        candidate who talks over the interviewer (barge-in).
        """
        nxt = self.clip_index + 1
        if self._playing or self._next.is_set() or nxt >= len(self._clips) or self.start_on[nxt] != state:
            return
        if state == "speak" and self.barge_delay_s > 0:
            threading.Timer(self.barge_delay_s / self.speed, self._next.set).start()
        else:
            self._next.set()

    def _run(self) -> None:
        silence = np.zeros(FRAME, dtype=np.float32)
        period = FRAME / SAMPLE_RATE / self.speed
        t_next = time.monotonic()
        pending: Iterator[np.ndarray] | None = None
        while not self._stop.is_set():
            if not self._running.is_set():  # paused: resume where the answer left off
                self._running.wait(0.1)
                t_next = time.monotonic()
                continue
            if pending is None and self._next.is_set():
                self._next.clear()
                self.clip_index += 1
                clip = self._clips[self.clip_index]
                padded = np.concatenate([np.zeros(self.lead_in, np.float32), clip])
                pad = (-padded.size) % FRAME
                padded = np.concatenate([padded, np.zeros(pad, np.float32)])
                pending = iter(padded.reshape(-1, FRAME))
                self._playing = True
                self.clip_started_at = time.monotonic() + self.lead_in / SAMPLE_RATE / self.speed
            frame = silence
            if pending is not None:
                frame = next(pending, None)
                if frame is None:
                    pending = None
                    self._playing = False
                    self.speech_end_times.append(time.monotonic())
                    frame = silence
            self._push(frame.copy())
            t_next += period
            delay = t_next - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                t_next = time.monotonic()  # fell behind (loaded machine): don't burst


class MicSource(AudioSource):
    """The microphone through sounddevice, at 16 kHz mono when the device allows it.

    `sounddevice` may be injected (tests replay WAVs through a fake InputStream). `start()`
    is idempotent, and after the device was lost it opens a fresh stream and forgets the
    old error, so Resume after reconnecting works.
    """

    def __init__(self, device: int | str | None = None, *, sounddevice=None) -> None:
        super().__init__()
        self.device = device
        self._sd = sounddevice
        self._stream = None
        self._rate = SAMPLE_RATE
        self._resampler = None
        self.opened = 0  # streams opened over this source's life

    def _sounddevice(self):
        if self._sd is None:
            from .devices import import_sounddevice

            self._sd = import_sounddevice()
        return self._sd

    def start(self) -> "MicSource":
        if self._stream is not None and self._stream.active and self.error is None:
            return self  # already open: a second open would leak the first stream or be refused
        self._close_stream()
        from .devices import input_devices, no_input_message

        sd = self._sounddevice()
        if not input_devices(sd):
            raise no_input_message()
        try:
            info = sd.query_devices(self.device, "input")
        except Exception as exc:
            raise AudioError(f"Microphone {self.device!r} is not available: {exc}",
                             "Pick another microphone in Settings.") from None
        try:
            sd.check_input_settings(device=self.device, samplerate=SAMPLE_RATE, channels=1, dtype="float32")
            self._rate = SAMPLE_RATE
        except Exception:
            self._rate = int(info["default_samplerate"])  # resampled in read()
        self._resampler = None if self._rate == SAMPLE_RATE else StreamResampler(self._rate, SAMPLE_RATE)

        def callback(indata, frames, time_info, status):  # audio thread: copy and go
            try:
                self._queue.put_nowait(indata[:, 0].copy())
            except queue.Full:
                self.dropped += 1

        def finished():
            if not self._stop.is_set():
                self.error = DeviceLost("The microphone stopped delivering audio (unplugged?).",
                                        "Reconnect it and press Resume; your answer so far is kept.")

        self._stop.clear()
        self.error = None
        self.drain()
        try:
            self._stream = sd.InputStream(device=self.device, channels=1, samplerate=self._rate, dtype="float32",
                                          blocksize=int(FRAME * self._rate / SAMPLE_RATE), callback=callback,
                                          finished_callback=finished)
            self._stream.start()
        except Exception as exc:
            self._stream = None
            raise AudioError(f"Could not open the microphone: {exc}",
                             "Check that no other app holds it, or pick another device in Settings.") from None
        self.opened += 1
        log.info("microphone %s open at %d Hz", info["name"], self._rate)
        return self

    def read(self, timeout: float = 1.0) -> np.ndarray | None:
        frame = super().read(timeout)
        if frame is None:
            if self._stream is not None and not self._stream.active and not self._stop.is_set():
                self.error = DeviceLost("The microphone stopped delivering audio (unplugged?).",
                                        "Reconnect it and press Resume; your answer so far is kept.")
                raise self.error
            return None
        if self._resampler is not None:
            frame = self._resampler.frame(frame)
        return frame

    def _close_stream(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:  # closing a dead stream must not raise
                pass
            self._stream = None

    def stop(self) -> None:
        super().stop()
        self._close_stream()


class StreamResampler:
    """Continuous resampling of a live stream to fixed 16 kHz frames.

    Each device block is converted with the filter state carried over (PyAV's libswresample,
    already installed with faster-whisper), so block edges leave no clicks; out come
    FRAME-sample frames, or an empty array while a frame is filling.
    """

    def __init__(self, rate: int, target: int = SAMPLE_RATE) -> None:
        import av

        self.rate = rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
        self._pts = 0
        self._buffer = np.zeros(0, dtype=np.float32)

    def frame(self, block: np.ndarray) -> np.ndarray:
        import av

        chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(block, dtype=np.float32)[None, :], format="flt",
                                           layout="mono")
        chunk.sample_rate = self.rate
        chunk.pts = self._pts
        self._pts += block.size
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(chunk)]
        if out:
            self._buffer = np.concatenate([self._buffer, *out])
        if self._buffer.size < FRAME:
            return np.zeros(0, dtype=np.float32)
        frame, self._buffer = self._buffer[:FRAME], self._buffer[FRAME:]
        return frame
