"""The interview engine (no Qt): a session asks, listens, decides and records.

    session.py      the run loop, one question's dialogue, the candidate's commands
    listener.py     one answer: voice activity, end of turn, streaming transcription, recording
    voice.py        the interviewer speaking, and the candidate talking over it
    policy.py       what to say next (the plan) and its words
    speculation.py  the reply made ready while the candidate is still talking
    recorder.py     analysis, history and summary, in the background
    turn.py         when an answer has ended
    commands.py     done, repeat, skip, pause, resume, end
    events.py       what the engine reports, as typed values
    ports.py        the collaborators it needs (speech, voice, audio, store, LLM)
"""

from .commands import Command
from .events import (AnalysisReady, BargedIn, Decided, ErrorRaised, Event, Final, Finished, InterviewerSaid,
                     LevelChanged, Line, Partial, QuestionAsked, State, StateChanged, TurnEnded, TurnRecorded)
from .session import InterviewSession, render_prompt
from .turn import EndCause, TurnSettings
from .values import SessionConfig, TurnRecord

__all__ = [
    "AnalysisReady", "BargedIn", "Command", "Decided", "EndCause", "ErrorRaised", "Event", "Final", "Finished",
    "InterviewSession", "InterviewerSaid", "LevelChanged", "Line", "Partial", "QuestionAsked", "SessionConfig",
    "State", "StateChanged", "TurnEnded", "TurnRecord", "TurnRecorded", "TurnSettings", "render_prompt",
]
