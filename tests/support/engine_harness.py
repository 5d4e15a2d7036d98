"""A fast harness for the interview engine: scripted speech, instant voice, virtual time.

Engine logic (policy, speculation, commands, barge-in, recording) is tested through the
real InterviewSession with these stand-ins for the models and the hardware:

- `ScriptedSource` plays the candidate: answers scripted as sayings and pauses, started
  on the engine's cues like a person would. Time is virtual: every frame read advances
  the clock by 32 ms, so a 2.5 s patience costs microseconds. Each frame carries the
  saying and frame it belongs to in its sample values.
- `ScriptedVad` hears voice in any non-silent frame.
- `ScriptedTranscriber` reads the sayings back out of whatever audio it is given
  (streamed segments, interim passes, pre-roll), with word times: a perfect recogniser.
- `InstantSpeaker` voices a line at once (silence of a realistic length) and
  `ClockPlayer` plays it in virtual time, so the candidate can talk over it.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np

from interviewer.audio import SAMPLE_RATE
from interviewer.audio.sources import FRAME, DeviceLost
from interviewer.speech.tts import Voice
from interviewer.transcript import Transcript, Word

FRAME_S = FRAME / SAMPLE_RATE
_BASE, _STEP_SAYING, _STEP_FRAME = 0.2, 0.01, 1e-6
WORD_S = 0.36  # a spoken word at about 165 words per minute


class VirtualClock:
    def __init__(self) -> None:
        self.now = 0.0


@dataclass
class Answer:
    """One answer: sayings (text) and pauses (seconds), started when the engine listens
    (after `delay_s`), or `barge_delay_s` into the interviewer's line with start_on="speak"."""

    parts: list  # str (a saying) or float (a pause in seconds)
    start_on: str = "listen"
    delay_s: float = 0.3
    barge_delay_s: float = 1.0


@dataclass
class _Saying:
    words: list[str]
    frames: int


@dataclass
class Script:
    sayings: list[_Saying] = field(default_factory=list)

    def add(self, text: str) -> int:
        words = text.split()
        self.sayings.append(_Saying(words, max(1, round(len(words) * WORD_S / FRAME_S))))
        return len(self.sayings) - 1


def _frame(saying: int, index: int) -> np.ndarray:
    value = _BASE + _STEP_SAYING * saying + _STEP_FRAME * index
    return np.full(FRAME, value, dtype=np.float32)


def _decode(value: float) -> tuple[int, int]:
    # the frame index adds at most a tenth of a saying's step (under 1000 frames, 32 s)
    saying = int(np.floor((value - _BASE) / _STEP_SAYING + 0.05))
    index = int(round((value - _BASE - _STEP_SAYING * saying) / _STEP_FRAME))
    return saying, index


class ScriptedSource:
    """The candidate. `lose_at`: frame counts (since start) at which the microphone dies."""

    sample_rate = SAMPLE_RATE

    def __init__(self, answers: list[Answer], clock: VirtualClock | None = None, *, pace_s: float = 0.0,
                 lose_at: tuple[int, ...] = ()) -> None:
        self.clock = clock or VirtualClock()
        self.script = Script()
        self._answers = [[self.script.add(p) if isinstance(p, str) else float(p) for p in a.parts] for a in answers]
        self._specs = answers
        self.next_answer = 0
        self._pending: list[np.ndarray] = []
        self._starts_at: float | None = None
        self.level = 0.0
        self.pace_s = pace_s
        self.lose_at = set(lose_at)
        self.frames_read = 0
        self.starts = 0
        self.held = False
        self.stopped = False
        self._lost = False
        self._lock = threading.Lock()

    # -- AudioSource ------------------------------------------------------------------------
    def start(self) -> "ScriptedSource":
        self.starts += 1
        self._lost = False
        return self

    def stop(self) -> None:
        self.stopped = True

    def drain(self) -> None:
        pass  # nothing queues up: frames are made when read

    def hold(self, held: bool) -> None:
        self.held = held

    def cue(self, state: str) -> None:
        with self._lock:
            if self._pending or self._starts_at is not None or self.next_answer >= len(self._specs):
                return
            spec = self._specs[self.next_answer]
            if spec.start_on != state:
                return
            delay = spec.barge_delay_s if state == "speak" else spec.delay_s
            self._starts_at = self.clock.now + delay

    def read(self, timeout: float = 1.0) -> np.ndarray | None:
        if self.pace_s:
            time.sleep(self.pace_s)
        if self._lost:
            raise DeviceLost("The microphone stopped delivering audio (unplugged?).", "Reconnect it and press Resume.")
        self.frames_read += 1
        if self.frames_read in self.lose_at:
            self._lost = True
            raise DeviceLost("The microphone stopped delivering audio (unplugged?).", "Reconnect it and press Resume.")
        self.clock.now += FRAME_S
        with self._lock:
            if self.held:
                frame = np.zeros(FRAME, np.float32)
            else:
                if not self._pending and self._starts_at is not None and self.clock.now >= self._starts_at:
                    self._starts_at = None
                    self._pending = self._render(self._answers[self.next_answer])
                    self.next_answer += 1
                frame = self._pending.pop(0) if self._pending else np.zeros(FRAME, np.float32)
        self.level = float(np.abs(frame).max())
        return frame

    @property
    def speaking(self) -> bool:
        return bool(self._pending)

    def _render(self, parts: list) -> list[np.ndarray]:
        frames: list[np.ndarray] = []
        for part in parts:
            if isinstance(part, float):
                frames += [np.zeros(FRAME, np.float32)] * round(part / FRAME_S)
            else:
                frames += [_frame(part, i) for i in range(self.script.sayings[part].frames)]
        return frames


class ScriptedVad:
    def __call__(self, frame: np.ndarray) -> float:
        return 1.0 if frame.size and float(np.abs(frame).max()) > 0.01 else 0.0

    def reset(self) -> None:
        pass


class ScriptedTranscriber:
    """Reads the script back out of the audio: every word whose middle frame is present."""

    def __init__(self, source: ScriptedSource) -> None:
        self.script = source.script
        self.calls = 0

    def transcribe(self, audio, *, prompt=None, word_timestamps=True, cancel=None, **_kw) -> Transcript:
        self.calls += 1
        audio = np.asarray(audio, dtype=np.float32)
        first_sample: dict[tuple[int, int], int] = {}
        voiced = np.flatnonzero(np.abs(audio) > 0.01)
        for i in voiced[::FRAME // 4]:
            first_sample.setdefault(_decode(float(audio[i])), int(i))
        words: list[Word] = []
        for (saying, index), at in sorted(first_sample.items(), key=lambda kv: kv[1]):
            s = self.script.sayings[saying]
            per_word = s.frames / len(s.words)
            for w, word in enumerate(s.words):
                if int(w * per_word + per_word / 2) == index:
                    start = at / SAMPLE_RATE
                    words.append(Word(word, start, start + per_word * FRAME_S))
        return Transcript(words, audio.size / SAMPLE_RATE)


class InstantSpeaker:
    def __init__(self) -> None:
        self.voice = Voice()
        self.lines: list[str] = []

    def synthesize(self, text: str, voice=None) -> Future:
        self.lines.append(text)
        future: Future = Future()
        future.set_result(np.zeros(int(len(text.split()) * WORD_S * SAMPLE_RATE), np.float32))
        return future


class ClockPlayer:
    """Plays in virtual time: a clip lasts as long as its audio while the source is read."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self._until = 0.0
        self.played: list[float] = []  # seconds of each clip actually played
        self._started = 0.0

    @property
    def playing(self) -> bool:
        return self.clock.now < self._until

    def play(self, audio: np.ndarray) -> None:
        self._started = self.clock.now
        self._until = self.clock.now + audio.size / SAMPLE_RATE
        self.played.append(audio.size / SAMPLE_RATE)

    def stop(self) -> None:
        if self.playing:
            self.played[-1] = self.clock.now - self._started
        self._until = self.clock.now

    def wait(self, timeout: float | None = None) -> bool:
        self._until = self.clock.now
        return True
