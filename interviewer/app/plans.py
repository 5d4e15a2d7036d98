"""Planning a session: an interview, a timed drill, a project rehearsal, or the rest of an
interrupted session. The CLI and the GUI both plan here, so a drill, a rehearsal or a
resume is the same session whichever one starts it.

A plan is what to ask and how (`SessionConfig` plus the questions); `start()` turns it
into a running `InterviewSession` with the runtime's loaded models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..engine import Event, InterviewSession, SessionConfig, TurnSettings, render_prompt
from ..errors import UserError
from ..personas import get_persona

from ..drills import TARGETS as DRILL_TARGETS


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
    from ..bank import CATEGORIES

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
    if target_s not in DRILL_TARGETS:
        raise UserError(f"A drill's target must be one of {', '.join(map(str, DRILL_TARGETS))} seconds "
                        f"(got {target_s})", "Pick one of those targets.")
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


def plan_resume(runtime, row: dict) -> SessionPlan | None:
    """The rest of an interrupted session (a row of store.incomplete_sessions()), in the same
    history entry; None when none of its remaining questions is in the bank any more."""
    known = [q for q in row.get("remaining_question_ids") or [] if q in runtime.bank.questions]
    if not known:
        return None
    config = config_from_settings(runtime.settings, format=row.get("format") or "mixed",
                                  mode=row.get("mode") or "study", persona=row.get("persona"),
                                  n_questions=len(known), question_ids=known, resume_session_id=row["id"])
    return SessionPlan("interview", config, [runtime.bank.get(q) for q in known])


def start(runtime, plan: SessionPlan, *, source, on_event: Callable[[Event], None], player=None,
          audio_dir: Path | None = None, tags: dict | None = None) -> InterviewSession:
    """The plan as a session on the runtime's models (not yet running: call run() or start()).
    `tags` label it in the history: {"demo": True} for a session answered by the demo's recordings."""
    extra = {"tags": tags} if tags else {}
    return runtime.new_session(plan.config, source=source, on_event=on_event, player=player, audio_dir=audio_dir,
                               questions=plan.questions, **extra)
