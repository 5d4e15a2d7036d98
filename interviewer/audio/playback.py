"""Playing the interviewer's voice, stoppable at once (barge-in)."""

from __future__ import annotations

import logging
import threading
import time

import numpy as np

from . import SAMPLE_RATE

log = logging.getLogger(__name__)


class Player:
    """Plays one clip at a time through sounddevice. `stop()` cuts it off within a block."""

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self._stop = threading.Event()
        self._done = threading.Event()
        self._done.set()
        self.started_at: float | None = None

    @property
    def playing(self) -> bool:
        return not self._done.is_set()

    def play(self, audio: np.ndarray) -> None:
        """Start playing and return at once."""
        self.stop()
        self._stop.clear()
        self._done.clear()
        self.started_at = time.monotonic()
        threading.Thread(target=self._run, args=(np.asarray(audio, np.float32),), name="playback", daemon=True).start()

    def _run(self, audio: np.ndarray) -> None:
        try:
            self._play(audio)
        except Exception as exc:  # a speaker problem must not stop the interview: the text is on screen
            log.warning("playback failed: %s", exc)
        finally:
            self._done.set()

    def _play(self, audio: np.ndarray) -> None:
        from .devices import import_sounddevice

        sd = import_sounddevice()
        block = 1024
        with sd.OutputStream(device=self.device, samplerate=SAMPLE_RATE, channels=1, dtype="float32",
                             blocksize=block) as stream:
            for i in range(0, audio.size, block):
                if self._stop.is_set():
                    break
                stream.write(audio[i:i + block].reshape(-1, 1))

    def stop(self) -> None:
        self._stop.set()
        self._done.wait(timeout=1.0)

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)


class SilentPlayer(Player):
    """For machines with no speaker (tests, benchmarks, CI): takes the clip's real duration."""

    def __init__(self, speed: float = 1.0) -> None:
        super().__init__()
        self.speed = speed
        self.played: list[float] = []  # seconds actually 'played' per clip (shorter when cut off)

    def _play(self, audio: np.ndarray) -> None:
        duration = audio.size / SAMPLE_RATE / self.speed
        start = time.monotonic()
        self._stop.wait(duration)
        self.played.append((time.monotonic() - start) * self.speed)


def default_player(device=None) -> Player:
    """The real speaker when one exists, else a silent stand-in with the same timing."""
    try:
        from .devices import list_devices

        if any(d["outputs"] > 0 for d in list_devices()):
            return Player(device)
    except Exception as exc:  # no PortAudio, no sound system: the interview still runs, on screen
        log.info("no speaker available (%s); using a silent player", exc)
    return SilentPlayer()
