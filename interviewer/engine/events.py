"""What the interview engine reports, as typed values.

The engine calls `on_event(event)` from its own threads. The GUI maps each type to a
handler (a table, not string matching); the CLI prints them; tests collect them.
`name` is the event's stable name in the CLI's JSON lines.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import ClassVar

from .turn import EndCause


class State(str, Enum):
    SPEAKING = "speaking"
    LISTENING = "listening"
    THINKING = "thinking"  # the answer is being transcribed and the reply decided
    PAUSED = "paused"
    FINISHED = "finished"


class Line(str, Enum):
    """What an interviewer line is, for the screen and the record."""

    QUESTION = "question"
    FOLLOW_UP = "follow_up"
    CLARIFICATION = "clarification"
    REDIRECT = "redirect"  # an off-topic answer: back to what was asked
    ACK = "ack"  # a short acknowledgement before moving on
    REPEAT = "repeat"


@dataclass(frozen=True)
class Event:
    name: ClassVar[str] = "event"
    t: float = field(default_factory=time.monotonic, kw_only=True)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("t", None)
        return {"event": self.name, **data}


@dataclass(frozen=True)
class QuestionAsked(Event):
    name: ClassVar[str] = "question"
    index: int
    total: int
    id: str
    prompt: str
    category: str
    target_seconds: int
    key_points: list[dict]


@dataclass(frozen=True)
class InterviewerSaid(Event):
    name: ClassVar[str] = "interviewer"
    text: str
    kind: Line
    source: str = "bank"  # "bank" | "rubric" | "llm" | "authored"
    targets: str | None = None


@dataclass(frozen=True)
class StateChanged(Event):
    name: ClassVar[str] = "state"
    state: State


@dataclass(frozen=True)
class LevelChanged(Event):
    name: ClassVar[str] = "level"
    value: float
    voiced: bool


@dataclass(frozen=True)
class Partial(Event):
    name: ClassVar[str] = "partial"
    text: str


@dataclass(frozen=True)
class TurnEnded(Event):
    name: ClassVar[str] = "turn_end"
    cause: EndCause
    reason: str


@dataclass(frozen=True)
class Final(Event):
    name: ClassVar[str] = "final"
    text: str
    words: list[dict]


@dataclass(frozen=True)
class BargedIn(Event):
    name: ClassVar[str] = "barge_in"
    text: str  # the line the candidate talked over


@dataclass(frozen=True)
class Decided(Event):
    name: ClassVar[str] = "decision"
    kind: str
    text: str
    targets: str | None
    source: str
    prepared: bool
    attempts: list[dict]


@dataclass(frozen=True)
class TurnRecorded(Event):
    name: ClassVar[str] = "turn"
    record: dict


@dataclass(frozen=True)
class AnalysisReady(Event):
    """An answer's analysis. At accurate recognition quality it comes twice: first from the
    live transcript (`accurate` False: the reply is planned on it, never shown), then from
    the base model's transcript, the scores the report will show (`accurate` True)."""

    name: ClassVar[str] = "analysis"
    question_id: str
    kind: str
    analysis: dict
    show_now: bool
    follow_up_assessment: dict | None
    accurate: bool = False


@dataclass(frozen=True)
class ErrorRaised(Event):
    name: ClassVar[str] = "error"
    message: str
    fix: str


@dataclass(frozen=True)
class Finished(Event):
    name: ClassVar[str] = "finished"
    summary: dict
