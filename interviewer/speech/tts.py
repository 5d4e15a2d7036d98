"""Text to speech with pyttsx3, in one dedicated thread per process.

pyttsx3 is not re-entrant ("run loop already started") and espeak-ng is one per process,
so a single thread owns the process's one engine and takes every Speaker's jobs from a
queue. Speech is synthesized to a buffer rather than sent
to the speaker, so playback (audio/playback.py) can stop it the instant the candidate
starts talking.
"""

from __future__ import annotations

import logging
import queue
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import AudioError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Voice:
    rate: int = 175  # words per minute
    voice_id: str | None = None
    volume: float = 1.0
    pitch: int | None = None  # espeak's 0-99 (50 is its default); drivers without pitch ignore it


def _pick_english(engine) -> str | None:
    try:
        voices = engine.getProperty("voices")
    except Exception:  # some drivers cannot list voices
        return None
    preferred = ("en-us", "en_us", "english-us", "en-gb", "english", "en")
    for want in preferred:
        for v in voices:
            ident = f"{v.id} {v.name}".lower()
            if want in ident:
                return v.id
    return None


def _silence_driver_prints() -> None:
    """pyttsx3's espeak driver prints "Audio saved to ..." on stdout, which would corrupt
    `--json` output; a module-level `print` shadows the builtin for that module alone."""
    import sys

    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None:
        driver.print = lambda *args, **kwargs: log.debug("pyttsx3: %s", " ".join(map(str, args)))


def _espeak_synchronize() -> None:
    """espeak-ng synthesizes on its own thread in pyttsx3's retrieval mode: wait until it is idle."""
    import sys

    espeak = sys.modules.get("pyttsx3.drivers._espeak")
    if espeak is not None:
        try:
            espeak.Synchronize()
        except Exception:  # an older libespeak without the call: nothing to wait for
            pass


def _with_espeak_prosody(text: str, voice: Voice) -> str:
    """The line with its rate and pitch written into it as espeak embedded commands (Ctrl-A,
    a value, S for speed or P for pitch), when pyttsx3 drives espeak.

    pyttsx3 sets espeak's rate and pitch through a queue that espeak-ng runs on its own
    thread, and now and then a line came out at another rate (measured: 1 to 4 of 6 lines
    alternating 185 and 172 wpm; once a fresh Speaker at 260 wpm spoke at the driver's 200).
    Written into the text, the prosody is part of the line itself and holds for that line only.
    """
    import sys

    if "pyttsx3.drivers.espeak" not in sys.modules:  # SAPI5 and NSSpeech take setProperty alone
        return text
    pitch = 50 if voice.pitch is None else voice.pitch
    return f"\x01{int(voice.rate)}S\x01{int(pitch)}P{text}"


def _complete_wav(path: Path) -> bool:
    """The WAV is fully written: a readable header whose frame count matches the file size."""
    import wave

    try:
        with wave.open(str(path), "rb") as wf:
            frames, width = wf.getnframes(), wf.getsampwidth()
        return frames > 0 and path.stat().st_size >= 44 + frames * width
    except (OSError, EOFError, wave.Error):
        return False


def _empty_wav(path: Path) -> bool:
    import wave

    try:
        with wave.open(str(path), "rb") as wf:
            return wf.getnframes() == 0
    except (OSError, EOFError, wave.Error):
        return False


class _EngineThread:
    """The process's one pyttsx3 engine, on the one thread that owns it.

    espeak-ng is a process-wide singleton, pyttsx3 hands every caller the same engine, and
    its driver proxy, once collected, sets espeak's synthesis callback to None for the whole
    process. With a thread per Speaker, two Speakers alive at once drove one engine from two
    threads (a line lost), and a CI run died in espeak's Synth (the likely cause; it did not
    reproduce on demand). The app makes a new Speaker whenever it reloads its models. So
    the engine is made once, on one thread, and kept.
    """

    def __init__(self) -> None:
        self.jobs: queue.Queue = queue.Queue()
        self.started = threading.Event()
        self.init_error: Exception | None = None
        self.state: dict = {}  # what the engine is set to now (the voice), whoever set it
        threading.Thread(target=self._run, name="tts", daemon=True).start()

    def submit(self, task) -> Future:
        self.started.wait(timeout=30)
        if self.init_error:
            raise self.init_error
        fut: Future = Future()
        self.jobs.put((task, fut))
        return fut

    def _run(self) -> None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
            _silence_driver_prints()
            default_voice = _pick_english(engine)
        except Exception as exc:  # pyttsx3 raises bare RuntimeError/OSError when no driver loads
            self.init_error = AudioError(
                f"The speech synthesizer could not start: {exc}",
                "On Debian/Ubuntu install espeak-ng (`sudo apt-get install espeak-ng`); "
                "on macOS and Windows the system voices are used.",
            )
            self.started.set()
            return
        self.started.set()
        while True:
            task, fut = self.jobs.get()
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(task(engine, default_voice))
            except Exception as exc:
                fut.set_exception(exc if isinstance(exc, AudioError) else AudioError(f"Speech synthesis failed: {exc}", "Check the voice setting."))


_engine: _EngineThread | None = None
_engine_lock = threading.Lock()


def _engine_thread() -> _EngineThread:
    global _engine
    with _engine_lock:
        if _engine is None or _engine.init_error is not None:  # a failed start is tried again
            _engine = _EngineThread()
        return _engine


class Speaker:
    """Synthesizes interviewer lines to 16 kHz mono float32 audio (on the shared engine thread)."""

    def __init__(self, voice: Voice | None = None) -> None:
        self.voice = voice or Voice()
        self._tmp = Path(tempfile.mkdtemp(prefix="interviewer-tts-"))
        self._count = 0
        self._count_lock = threading.Lock()  # lines are queued from the session and the preparation threads

    def _submit(self, task) -> Future:
        return _engine_thread().submit(task)

    def synthesize(self, text: str, voice: Voice | None = None) -> Future:
        """Queue `text`; the future resolves to the audio (np.float32, 16 kHz mono)."""
        voice = voice or self.voice
        shared = _engine_thread()
        with self._count_lock:
            self._count += 1
            path = self._tmp / f"line{self._count}.wav"

        def task(engine, default_voice):
            from ..audio.io import load_audio

            state = shared.state
            _espeak_synchronize()
            # Selecting a voice resets espeak's rate and pitch, so it is set only when it
            # changes, and always before them; pyttsx3 applies these in order.
            voice_id = voice.voice_id or default_voice
            if voice_id and voice_id != state.get("voice"):
                engine.setProperty("voice", voice_id)
                state["voice"] = voice_id
            engine.setProperty("rate", voice.rate)
            engine.setProperty("volume", voice.volume)
            try:
                engine.setProperty("pitch", 50 if voice.pitch is None else voice.pitch)
            except (KeyError, ValueError, AttributeError):  # SAPI5 / NSSpeech have no pitch property
                pass
            # pyttsx3's espeak driver writes the file from a synthesis callback that can land
            # after runAndWait() returns: wait until this line's file is complete (so the next
            # line's rate cannot reach into it, and no half-written file is read), retry once.
            for attempt in range(2):
                engine.save_to_file(_with_espeak_prosody(text, voice), str(path))
                engine.runAndWait()
                _espeak_synchronize()
                # On a busy process the driver's per-chunk Python callbacks wait for the GIL, so a
                # long line can take seconds to reach the file: wait while the engine is busy, and
                # call the line lost (pyttsx3's race) only once it has been idle for a while.
                if self._wait_for_file(engine, path, hard_s=10.0 + len(text) / 40):
                    break
                # the retry nearly always works: only a second loss is worth the user's terminal
                (log.warning if attempt else log.info)("pyttsx3 wrote no audio for %r (attempt %d)",
                                                       text[:40], attempt + 1)
            audio = load_audio(path)
            path.unlink(missing_ok=True)
            return audio

        return shared.submit(task)

    @staticmethod
    def _wait_for_file(engine, path: Path, hard_s: float, idle_grace_s: float = 0.4) -> bool:
        deadline = time.monotonic() + hard_s
        idle_since = None
        while time.monotonic() < deadline:
            if _complete_wav(path):
                while engine.isBusy() and time.monotonic() < deadline:  # let the driver settle
                    time.sleep(0.005)
                return True
            if engine.isBusy():
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since > (0.03 if _empty_wav(path) else idle_grace_s):
                # An empty WAV (header only) is the known failure: a late "terminated" event of
                # the previous line closes this one before its audio arrives. Retry at once.
                log.debug("no complete WAV at %s (exists %s, %s bytes) after the engine went idle", path,
                          path.exists(), path.stat().st_size if path.exists() else 0)
                return False
            time.sleep(0.005)
        return _complete_wav(path)

    def speak_to_file(self, text: str, path: str | Path, voice: Voice | None = None, timeout: float = 60) -> Path:
        from ..audio.io import write_wav

        audio: np.ndarray = self.synthesize(text, voice).result(timeout=timeout)
        return write_wav(path, audio)

    def voices(self) -> list[dict]:
        def task(engine, _default):
            return [{"id": v.id, "name": v.name} for v in engine.getProperty("voices")]

        return self._submit(task).result(timeout=30)

    def close(self) -> None:
        """Wait (a little) for this Speaker's queued lines, then drop its scratch folder. The
        engine stays: it is the process's (see _EngineThread)."""
        import shutil

        if _engine is not None:
            try:
                self._submit(lambda _engine, _voice: None).result(timeout=5)
            except Exception:  # no engine, or one stuck on a line: nothing of ours left to keep
                pass
        shutil.rmtree(self._tmp, ignore_errors=True)
