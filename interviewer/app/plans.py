"""Planning a session: an interview, a timed drill, a project rehearsal, or the rest of an
interrupted session. The CLI and the GUI both plan here, so a drill, a rehearsal or a
resume is the same session whichever one starts it.

A plan is what to ask and how (`SessionConfig` plus the questions); `start()` turns it
into a running `InterviewSession` with the runtime's loaded models.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..engine import Event, InterviewSession, SessionConfig, TurnSettings, render_prompt
from ..errors import UserError
from ..content.personas import get_persona

log = logging.getLogger(__name__)

from ..content.drills import TARGETS as DRILL_TARGETS

DRILL_RANGE = (15, 1800)  # seconds; the app offers DRILL_TARGETS, the CLI any whole number in range


@dataclass
class SessionPlan:
    kind: str  # "interview" | "drill" | "rehearsal"
    config: SessionConfig
    questions: list
    title: str = ""  # a heading for the session's page ("Rehearsal: Delivery ETA · Rigorous technical lead")
    drill: dict = field(default_factory=dict)  # drill: {question, target_s, audience, prompt}
    project: object | None = None  # rehearsal: the Project


def config_from_settings(settings, **options) -> SessionConfig:
    """A session's settings: the user's (patience, follow-ups, audio) unless the plan says otherwise.
    A persona brings its own number of follow-ups unless one is given."""
    turn = options.pop("turn", None) or TurnSettings(patience_s=settings.patience_s,
                                                     thinking_patience_s=settings.thinking_patience_s)
    persona = get_persona(options.get("persona"))
    if options.get("max_follow_ups") is None:
        options["max_follow_ups"] = persona.max_follow_ups if persona else settings.max_follow_ups
    return SessionConfig(turn=turn, keep_audio=settings.keep_audio, **options)


def plan_interview(runtime, *, format: str = "fundamentals", n_questions: int = 3, mode: str = "study",
                   difficulties: list[int] | None = None, persona: str | None = None, seed: int | None = None,
                   question_ids: list[str] | None = None, max_follow_ups: int | None = None,
                   minutes: float | None = None, project_title: str | None = None) -> SessionPlan:
    from ..content.bank import CATEGORIES

    if format != "mixed" and format not in CATEGORIES:
        raise UserError(f"Unknown format '{format}'", f"Choose one of: mixed, {', '.join(CATEGORIES)}.")
    if n_questions < 1:
        raise UserError(f"The number of questions must be at least 1 (got {n_questions})", "Ask for 1 or more.")
    config = config_from_settings(runtime.settings, format=format, n_questions=n_questions, mode=mode,
                                  difficulties=difficulties, persona=persona, seed=seed, question_ids=question_ids,
                                  max_follow_ups=max_follow_ups, minutes=minutes, project_title=project_title)
    return SessionPlan("interview", config, runtime.pick_questions(config))


def plan_drill(runtime, *, target_s: int, question_id: str | None = None, concept: str | None = None,
               non_expert: bool = False) -> SessionPlan:
    if bool(question_id) == bool(concept and concept.strip()):
        raise UserError("Give either a bank question or a concept to explain", "For example: 'gradient descent'.")
    if not DRILL_RANGE[0] <= target_s <= DRILL_RANGE[1]:
        raise UserError(f"A drill's target must be between {DRILL_RANGE[0]} and {DRILL_RANGE[1]} seconds "
                        f"(got {target_s})", f"Pick one of {', '.join(map(str, DRILL_TARGETS))}.")
    audience = "non_expert" if non_expert else "interviewer"
    question = runtime.drill_question(question_id=question_id, concept=concept, target_s=target_s, audience=audience)
    settings = runtime.settings
    config = config_from_settings(
        settings, format="drill", n_questions=1, max_follow_ups=0, mode="study", audience=audience,
        turn=TurnSettings(patience_s=settings.patience_s, thinking_patience_s=settings.thinking_patience_s,
                          max_answer_s=max(60.0, target_s * 2.0)))
    prompt = render_prompt(question, None)
    return SessionPlan("drill", config, [question], title=prompt,
                       drill={"question": question, "target_s": target_s, "audience": audience, "prompt": prompt})


def plan_rehearsal(runtime, project, *, pitch_s: int = 120, deep_dives: int = 3, persona: str | None = None,
                   seed: int | None = None, max_follow_ups: int | None = None) -> SessionPlan:
    questions = runtime.rehearsal_questions(project, deep_dives=deep_dives, seed=seed, pitch_s=pitch_s)
    config = config_from_settings(runtime.settings, format="project", n_questions=len(questions), mode="study",
                                  project_title=project.title, persona=persona, seed=seed,
                                  max_follow_ups=max_follow_ups)
    who = get_persona(persona)
    title = f"Rehearsal: {project.title}" + (f" · {who.name}" if who else "")
    return SessionPlan("rehearsal", config, questions, title=title, project=project)


def plan_resume(runtime, row: dict, *, max_follow_ups: int | None = None,
                on_recovered: Callable[[dict], None] | None = None) -> SessionPlan | None:
    """The rest of an interrupted session (a row of store.incomplete_sessions()), in the same
    history entry, with its original persona and follow-up limit. With the models loaded,
    the answer the interruption cut off is transcribed and stored first (app/resume.py). None
    when nothing is left to ask: the session is then finished."""
    from ..content.personas import PERSONAS
    from .resume import recover_cut_off_answers

    sid = row["id"]
    if runtime.transcriber is not None:
        for turn in recover_cut_off_answers(runtime.store, sid, runtime.transcriber, runtime.bank):
            if on_recovered is not None:
                on_recovered(turn)
    remaining = runtime.store.session(sid).get("remaining_question_ids") or row.get("remaining_question_ids") or []
    known = [q for q in remaining if q in runtime.bank.questions]
    if len(known) < len(remaining):
        log.warning("session %s: questions no longer in the bank are skipped: %s", sid,
                    ", ".join(q for q in remaining if q not in known))
    if not known:
        runtime.store.finish_session(sid, {"interrupted": True, "resumed": True})
        return None
    began_with = (row.get("settings") or {}).get("max_follow_ups")
    if max_follow_ups is None and isinstance(began_with, int):
        max_follow_ups = min(5, max(0, began_with))  # as the session began
    persona = row.get("persona") if row.get("persona") in PERSONAS else None  # an older version's persona
    config = config_from_settings(runtime.settings, format=row.get("format") or "mixed",
                                  mode=row.get("mode") or "study", persona=persona, max_follow_ups=max_follow_ups,
                                  n_questions=len(known), question_ids=known, resume_session_id=sid)
    return SessionPlan("interview", config, [runtime.bank.get(q) for q in known])


def start(runtime, plan: SessionPlan, *, source, on_event: Callable[[Event], None], player=None,
          audio_dir: Path | None = None, tags: dict | None = None) -> InterviewSession:
    """The plan as a session on the runtime's models (not yet running: call run() or start()).
    `tags` label it in the history: {"demo": True} for a session answered by the demo's recordings."""
    extra = {"tags": tags} if tags else {}
    return runtime.new_session(plan.config, source=source, on_event=on_event, player=player, audio_dir=audio_dir,
                               questions=plan.questions, **extra)
