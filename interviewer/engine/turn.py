"""Deciding when the candidate has finished: patient with thinking, quick with "done".

Fed one VAD probability per 32 ms frame (plus the latest partial transcript), it says
whether the turn goes on, ends, or is worth preparing a reply for. Every decision
carries its reason, and the engine logs it, so "why did it cut me off?" has an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

FRAME_S = 512 / 16000

THINKING = re.compile(
    r"\b(let me think|let me see|give me a (moment|second|sec|minute)|one (moment|second|sec)|just a (moment|second|sec)|"
    r"hold on|bear with me|thinking about it|let me gather my thoughts|let me collect my thoughts|hmm+)\b",
    re.I,
)


@dataclass
class TurnSettings:
    patience_s: float = 2.5  # silence that ends the turn
    thinking_patience_s: float = 8.0  # silence allowed after "let me think"
    start_timeout_s: float = 20.0  # nothing said at all: end with "no answer"
    max_answer_s: float = 600.0
    speculate_after_s: float = 0.35  # silence after which a reply is prepared in advance
    speech_on: float = 0.5
    speech_off: float = 0.35
    min_speech_frames: int = 3  # ~100 ms of voice before it counts as speech (a cough is not an answer)


class Signal(str, Enum):
    SPEECH_START = "speech_start"
    SPECULATE = "speculate"  # a pause long enough to prepare a reply in
    RESUME = "resume"  # speech again after SPECULATE
    END = "end"


class EndCause(str, Enum):
    """Why a turn ended: control flow depends on this, never on the reason's wording."""

    PATIENCE = "patience"
    THINKING = "thinking"  # silence ran out after a thinking phrase
    MANUAL = "manual"  # the candidate pressed Done
    NO_SPEECH = "no_speech"
    TOO_LONG = "too_long"
    DEVICE_LOST = "device_lost"


@dataclass
class TurnEvent:
    kind: Signal
    t: float  # seconds since listening began
    reason: str = ""  # for people and the log
    cause: EndCause | None = None  # END only


@dataclass
class TurnDetector:
    settings: TurnSettings = field(default_factory=TurnSettings)
    t: float = 0.0
    speaking: bool = False
    started: bool = False
    voiced_run: int = 0
    silence_s: float = 0.0
    last_speech_end: float | None = None
    thinking: bool = False
    speculating: bool = False
    ended: TurnEvent | None = None

    def note_transcript(self, text: str) -> None:
        """The latest partial transcript: a thinking phrase near its end buys more patience."""
        tail = " ".join(text.split()[-8:])
        self.thinking = bool(THINKING.search(tail))

    def reconsider(self, text: str) -> bool:
        """After a patience end: if the now-complete transcript ends in a thinking phrase, take the
        end back (the transcript of the last words can arrive after patience ran out on a busy CPU)."""
        if self.ended is None or self.ended.cause is not EndCause.PATIENCE:
            return False
        self.note_transcript(text)
        if self.thinking and self.silence_s < self.settings.thinking_patience_s:
            self.ended = None
            return True
        return False

    def done(self) -> TurnEvent:
        self.ended = TurnEvent(Signal.END, self.t, "manual: the candidate pressed Done", EndCause.MANUAL)
        return self.ended

    def feed(self, prob: float) -> list[TurnEvent]:
        """One frame's speech probability -> the events it causes."""
        if self.ended:
            return []
        s = self.settings
        events: list[TurnEvent] = []
        self.t += FRAME_S
        voiced = prob >= (s.speech_off if self.speaking else s.speech_on)
        if voiced:
            self.voiced_run += 1
            if not self.speaking and self.voiced_run >= s.min_speech_frames:
                self.speaking = True
                if not self.started:
                    self.started = True
                    events.append(TurnEvent(Signal.SPEECH_START, self.t, "voice detected"))
                if self.speculating:
                    self.speculating = False
                    events.append(TurnEvent(Signal.RESUME, self.t, f"speech resumed after {self.silence_s:.1f} s"))
            if self.speaking:
                self.silence_s = 0.0
        else:
            self.voiced_run = 0
            if self.speaking:
                self.speaking = False
                self.last_speech_end = self.t
            if self.started:
                self.silence_s += FRAME_S

        if not self.started:
            if self.t >= s.start_timeout_s:
                self.ended = TurnEvent(Signal.END, self.t, f"no speech in {s.start_timeout_s:.0f} s", EndCause.NO_SPEECH)
                events.append(self.ended)
            return events

        patience = s.thinking_patience_s if self.thinking else s.patience_s
        if not self.speaking and not self.speculating and self.silence_s >= s.speculate_after_s:
            self.speculating = True
            events.append(TurnEvent(Signal.SPECULATE, self.t, f"{self.silence_s:.1f} s of silence: preparing a reply"))
        if not self.speaking and self.silence_s >= patience:
            why = "after a thinking phrase" if self.thinking else "patience"
            self.ended = TurnEvent(Signal.END, self.t, f"{self.silence_s:.1f} s of silence ({why} {patience:.1f} s)",
                                   EndCause.THINKING if self.thinking else EndCause.PATIENCE)
            events.append(self.ended)
        elif self.t >= s.max_answer_s:
            self.ended = TurnEvent(Signal.END, self.t, f"answer reached the {s.max_answer_s:.0f} s limit", EndCause.TOO_LONG)
            events.append(self.ended)
        return events
