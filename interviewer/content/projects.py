"""The candidate's own projects: what a project rehearsal is grounded in.

A project is a few short notes (problem, data, approach, results, impact, lessons, stack,
links). They are stored with the history and turned into a question set whose key points
and follow-ups use the project's own terms, so the interviewer asks about *this* project's
data and results rather than generic ones.
"""

from __future__ import annotations

from .bank import FollowUp, KeyPoint, Question
from ..history.project_notes import FIELDS, Project  # noqa: F401  (the notes' model lives with the history)
from .text import STOPWORDS, tokens

_VAGUE = frozenset(
    "one two three four five six seven eight nine ten hundred thousand million year years month months week weeks "
    "day days time used using built made also like lot lots team people could would".split())


def salient_terms(text: str, limit: int = 6) -> list[str]:
    """Distinctive phrases of a note: what an answer about it would mention.

    Runs of content words between stopwords give two-word phrases ("gps pings",
    "delivery vans"); the longest single words follow.
    """
    runs: list[list[str]] = [[]]
    for word in tokens(text):
        if word in STOPWORDS or word in _VAGUE or word.isdigit() or len(word) <= 2:
            runs.append([])
        else:
            runs[-1].append(word)
    phrases = [f"{a} {b}" for run in runs for a, b in zip(run, run[1:])]
    singles = sorted({w for run in runs for w in run}, key=lambda w: (-len(w), w))
    out: list[str] = []
    for term in [*phrases, *singles]:
        if term not in out:
            out.append(term)
    return out[:limit]


def ground_question(question: Question, project: Project) -> Question:
    """A copy of a project question whose key points also listen for the project's own terms,
    with extra authored follow-ups built from the notes."""
    title = project.title
    key_points = []
    for kp in question.key_points:
        note = getattr(project, kp.id, "") if kp.id in FIELDS else ""
        extra = salient_terms(note) if note else []
        key_points.append(KeyPoint(id=kp.id, label=kp.label, cues=list(dict.fromkeys([*kp.cues, *extra]))))
    follow_ups = list(question.follow_ups)
    ids = {kp.id for kp in key_points}
    templates = {
        "data": "You worked with {term}. How did you check its quality, and what did you do about gaps?",
        "approach": "Why did {term} fit this problem better than the simpler alternatives?",
        "results": "How exactly did you measure {term}, and against which baseline?",
        "impact": "How do you know the {term} came from your work and not from something else?",
        "lessons": "Looking back at {term}, what would you do differently next time?",
        "problem": "Who felt the pain of {term}, and how did you confirm it was worth solving?",
    }
    for kp_id, template in templates.items():
        note = getattr(project, kp_id, "")
        terms = salient_terms(note, 2)
        if kp_id in ids and terms:
            follow_ups.append(FollowUp(targets=kp_id, text=template.format(term=terms[0])))
    prompt = question.prompt.replace("{project}", title)
    return question.model_copy(update={"prompt": prompt, "key_points": key_points, "follow_ups": follow_ups})
