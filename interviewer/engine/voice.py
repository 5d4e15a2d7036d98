"""The interviewer speaking: synthesis, playback, and the candidate talking over it.

While a line plays, the microphone is still read: a candidate who starts answering stops
the voice (barge-in), and the audio heard meanwhile is handed back so the answer keeps
its first words. Commands are acted on mid-line (see commands.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..audio.sources import DeviceLost
from .commands import Command, Commands
from .events import BargedIn, InterviewerSaid, Line, State, StateChanged
from .ports import AudioSource, Player, Speaker, Vad

log = logging.getLogger(__name__)

BARGE_IN_PROB = 0.7  # stricter than listening: without echo cancellation our own voice can reach the mic
BARGE_IN_FRAMES = 5  # ~160 ms of the candidate's voice
PREROLL_FRAMES = 32  # ~1 s before the barge-in: the start of the answer


@dataclass
class Spoken:
    """How a line ended: played out, talked over (with what was heard), or cut by a command."""

    barged: list[np.ndarray] | None = None
    command: Command | None = None  # SKIP or PAUSE (REPEAT restarts the line, DONE is ignored)
    started_at: float | None = None  # monotonic time the audio started


class InterviewerVoice:
    def __init__(self, speaker: Speaker, player: Player, source: AudioSource, vad: Vad, voice,
                 commands: Commands, emit: Callable, *, barge_in: bool = True) -> None:
        self.speaker = speaker
        self.player = player
        self.source = source
        self.vad = vad
        self.voice = voice
        self.commands = commands
        self.emit = emit
        self.barge_in = barge_in
        self.last_line: tuple[str, Line] | None = None  # what "repeat" says again

    def synthesize(self, text: str):
        return self.speaker.synthesize(text, self.voice)

    def stop(self) -> None:
        try:
            self.player.stop()
        except Exception:  # a dead audio device must not stop the session from ending
            log.debug("stopping playback failed", exc_info=True)

    def say(self, text: str, kind: Line, *, source: str = "bank", targets: str | None = None,
            audio: np.ndarray | None = None, on_start: Callable[[float], None] | None = None,
            remember: bool = True) -> Spoken:
        """Say `text` (synthesized now unless `audio` is given) and return how it ended."""
        if remember and kind is not Line.ACK:
            self.last_line = (text, kind)
        self.emit(InterviewerSaid(text=text, kind=kind, source=source, targets=targets))
        self.emit(StateChanged(state=State.SPEAKING))
        if audio is None:
            audio = self.synthesize(text).result(timeout=60)
        while True:
            self.source.cue("speak")
            self.player.play(audio)
            started = time.monotonic()
            if on_start is not None:
                on_start(started)
                on_start = None
            spoken = self._while_playing(text)
            if spoken is not None:
                spoken.started_at = started
                return spoken

    def _while_playing(self, text: str) -> Spoken | None:
        """None: play the line again from the start (repeat)."""
        self.vad.reset()
        voiced = 0
        recent: list[np.ndarray] = []
        while self.player.playing:
            command = self.commands.take()
            if command is Command.REPEAT:
                self.player.stop()
                return None
            if command in (Command.SKIP, Command.PAUSE):
                self.player.stop()
                return Spoken(command=command)
            try:
                frame = self.source.read(timeout=0.1)
            except DeviceLost:  # the listener recovers it; let the interviewer finish the line
                self.player.wait()
                return Spoken()
            if frame is None or frame.size == 0 or not self.barge_in:
                continue
            recent = (recent + [frame])[-PREROLL_FRAMES:]
            if self.vad(frame) >= BARGE_IN_PROB:
                voiced += 1
                if voiced >= BARGE_IN_FRAMES:
                    self.player.stop()
                    log.info("barge-in: the candidate started talking; interviewer stopped")
                    self.emit(BargedIn(text=text))
                    return Spoken(barged=recent)
            else:
                voiced = 0
        return Spoken()
