"""The values that flow through the engine: how a session is set up, one heard turn,
and one recorded turn."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..transcript import Transcript
from .turn import TurnEvent, TurnSettings


@dataclass
class SessionConfig:
    format: str = "fundamentals"  # a bank category, "mixed", "drill" or "project"
    n_questions: int = 3
    minutes: float | None = None  # stop asking new questions after this long
    difficulties: list[int] | None = None
    mode: str = "study"  # "study": feedback after each answer; "real": pushes back, feedback at the end
    seed: int | None = None
    max_follow_ups: int = 2
    question_ids: list[str] | None = None
    project_title: str | None = None
    turn: TurnSettings = field(default_factory=TurnSettings)
    barge_in: bool = True
    keep_audio: bool = True
    persona: str | None = None
    audience: str = "interviewer"  # "non_expert": unexplained jargon weighs more (timed drills)
    resume_session_id: str | None = None  # continue an interrupted session (store.incomplete_sessions())


@dataclass
class Turn:
    """One answer as heard: what the listener hands the session."""

    transcript: Transcript
    audio_path: str | None
    end: TurnEvent
    prepared: object | None  # speculation.Prepared: the reply made ready while the candidate spoke
    timings: dict  # this turn's own: copied, never shared, when the turn is recorded


@dataclass
class TurnRecord:
    question_id: str
    kind: str  # "answer" | "follow_up" | "clarification"
    interviewer_text: str
    targets: str | None
    source: str
    transcript: dict
    analysis: dict | None
    audio_path: str | None
    end_reason: str
    timings: dict
    follow_up_assessment: dict | None = None

    def to_dict(self) -> dict:
        return asdict(self)
